//! What a renderer sees: nodes and messages for one chosen key, in caller-owned buffers.
//!
//! [`Cluster::node_views`] and [`Cluster::message_views`] fill caller-owned vectors, so a
//! renderer that keeps them between frames allocates nothing per frame. A node view says, for
//! one chosen key, whether the node is up, whether it holds the newest version, its epidemic
//! state (susceptible, infective, removed) and the round it learned what it holds. A message
//! view says who sends what to whom, when it left and when it arrives, and whether it brings the
//! receiver something new about the key. To animate messages inside a round, step one tick at a
//! time and draw each frame at the fractional tick `now - 1 + f`, where `f` in `[0, 1)` is how
//! far the frame is towards the next [`Cluster::step_tick`] ([`MessageView::progress`]).
//!
//!
//! A view has a common part (up, holding, version, learned; sender, receiver, timing, fate)
//! and a protocol part that the node answers: whether a node still spreads what it holds
//! ([`crate::node::Node::spreads`]) and what a message carries about the key
//! ([`crate::node::Node::carried`]). The simulator never reads protocol bytes itself, so a
//! new protocol's messages show up here without a change to this file.

use alloc::vec::Vec;

use crate::net::{InFlight, Sent};
use crate::node::{Carried, Node, NodeId};
use crate::sim::Cluster;
use crate::store::Version;
use crate::time::{Round, Tick};
use crate::wire::MessageKind;

/// Which version of one key a node holds, compared with the newest written anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// No version at all (never learned, collected, or the node is down).
    Nothing,
    /// A version older than the newest.
    Older,
    /// The newest version.
    Newest,
}

/// Where a node stands with the version of one key it holds, in the epidemic vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Holds nothing to spread.
    Susceptible,
    /// Spreads what it holds: in anti-entropy every holder does, for ever; in rumor mongering a
    /// node whose rumor for that version is infective.
    Infective,
    /// Holds it and has stopped spreading it (rumor mongering only).
    Removed,
}

/// One node as a renderer sees it for one chosen key (see [`Cluster::node_views`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// Whether the node is running.
    pub up: bool,
    /// How its version compares with the newest.
    pub holding: Holding,
    /// The version it holds, if any.
    pub version: Option<Version>,
    /// Whether that version is a delete.
    pub tombstone: bool,
    /// Its epidemic state for the version it holds.
    pub spread: Spread,
    /// The round in which it learned (or wrote) the version it holds.
    pub learned: Option<Round>,
    /// How many ticks late it handles its messages and timers: 0 unless it is slow (see
    /// [`crate::sim::slow`]), so a renderer can draw "slow".
    pub lag_ticks: u32,
}

impl NodeView {
    /// The view of a node that is down.
    pub const DOWN: NodeView = NodeView {
        up: false,
        holding: Holding::Nothing,
        version: None,
        tombstone: false,
        spread: Spread::Susceptible,
        learned: None,
        lag_ticks: 0,
    };

    /// The node's epidemic state for the *newest* version: susceptible unless it holds it.
    /// This is the colour of an SIR picture of the chosen key.
    pub fn spread_of_newest(&self) -> Spread {
        match self.holding {
            Holding::Newest => self.spread,
            Holding::Nothing | Holding::Older => Spread::Susceptible,
        }
    }
}

/// What a message in flight carries, for one chosen key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cargo {
    /// No entries at all: a request, feedback, or an empty push or reply.
    Nothing,
    /// Entries, none of them for the key.
    OtherKeys,
    /// A version of the key that the receiver already holds, or an older one, or the receiver
    /// is down: delivering it changes nothing for the key.
    Known,
    /// A version of the key newer than the one the receiver holds now.
    New,
}

/// One message as a renderer sees it: in flight (see [`Cluster::message_views`]) or dropped
/// by the network when it was sent (see [`Cluster::dropped_views`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageView {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Message kind.
    pub kind: MessageKind,
    /// Tick it was sent at.
    pub sent: Tick,
    /// Tick it will be delivered at (always after `sent`).
    pub deliver: Tick,
    /// Whether it is the network's duplicate of another message.
    pub copy: bool,
    /// What it carries for the chosen key, judged against the receiver's state now
    /// ([`Cargo::Nothing`] for a dropped message, whose bytes are gone).
    pub cargo: Cargo,
    /// [`Sent::InFlight`], or why the network dropped it when it was sent ([`Sent::Lost`],
    /// [`Sent::Cut`], [`Sent::Overflow`]). A dropped message has `deliver = sent + 1`: it
    /// never arrives, and a renderer shows it failing within that tick.
    pub fate: Sent,
    /// Whether it is a SWIM ping or ack of the indirect path (a ping-req helper's ping of the
    /// target, or the ack it relays to the requester), as its sender marked it
    /// ([`Node::swim_relayed`]; read from the header, which a dropped message keeps too).
    pub relayed: bool,
}

impl MessageView {
    /// How far along its way the message is at the fractional tick `t`: 0 at `sent`, 1 at
    /// `deliver`, clamped in between. Between the step of tick `now - 1` and the step of `now`,
    /// a frame a fraction `f` of the way draws at `t = now - 1 + f` (see the module docs).
    pub fn progress(&self, t: f64) -> f64 {
        let span = self.deliver.ticks_since(self.sent).max(1) as f64;
        let x = (t - self.sent.0 as f64) / span;
        x.clamp(0.0, 1.0)
    }
}

impl Cluster {
    /// Writes one [`NodeView`] per node (index = node id) for `key` into `out`, replacing its
    /// contents. With `out` reused between frames this allocates nothing once it has grown to
    /// the cluster's size; it costs two map lookups per node.
    pub fn node_views(&self, key: &[u8], out: &mut Vec<NodeView>) {
        out.clear();
        let newest = self.coverage.newest_version(key);
        let tpr = self.config.ticks_per_round;
        out.extend(self.nodes.iter().enumerate().map(|(id, slot)| {
            let Some(node) = slot else {
                return NodeView::DOWN;
            };
            let lag_ticks = self.lag_ticks(id as NodeId);
            let Some(e) = node.store().get(key) else {
                return NodeView {
                    up: true,
                    lag_ticks,
                    ..NodeView::DOWN
                };
            };
            let version = e.version();
            // The node's strategy says whether it still spreads what it holds.
            let spread = if node.spreads(key, version) {
                Spread::Infective
            } else {
                Spread::Removed
            };
            NodeView {
                up: true,
                holding: if Some(version) == newest {
                    Holding::Newest
                } else {
                    Holding::Older
                },
                version: Some(version),
                tombstone: e.is_tombstone(),
                spread,
                learned: Some(e.learned().round(tpr)),
                lag_ticks,
            }
        }));
    }

    /// Writes one [`MessageView`] per message in flight into `out`, replacing its contents, in
    /// the network's (deterministic) order. `cargo` is judged for `key`: finding it reads the
    /// message's entries, so the cost is linear in the bytes in flight; nothing is allocated
    /// once `out` has grown.
    pub fn message_views(&self, key: &[u8], out: &mut Vec<MessageView>) {
        out.clear();
        out.extend(self.net.in_flight().map(|m| self.in_flight_view(m, key)));
    }

    /// Like [`Cluster::message_views`], but appends to `out` only the messages sent at or
    /// after tick `since`. Called after each [`Cluster::step_tick`] with the tick just run, it
    /// collects every message of a round that went into flight exactly once, judged when it
    /// was sent, which is what a renderer needs to replay the round at any fractional tick
    /// (those dropped when sent are in [`Cluster::dropped_views`]).
    pub fn message_views_since(&self, key: &[u8], since: Tick, out: &mut Vec<MessageView>) {
        out.extend(
            self.net
                .in_flight()
                .filter(|m| m.sent >= since)
                .map(|m| self.in_flight_view(m, key)),
        );
    }

    /// The messages the network dropped when they were sent during the tick just run by
    /// [`Cluster::step_tick`] (lost, cut by a partition or over the in-flight limit; see
    /// [`MessageView::fate`]), in send order: all of them, or beyond
    /// [`crate::net::DROPPED_LOG_MAX`] an even sample of them. Read after each tick, beside [`Cluster::message_views_since`],
    /// they give every drop of a round (or its sample) once. A renderer keeps them apart from
    /// the messages in flight, which they would otherwise crowd out of its budget in a lossy
    /// cluster, and then calls [`Cluster::clear_dropped`].
    pub fn dropped_views(&self) -> impl Iterator<Item = MessageView> + '_ {
        self.net.dropped_at_send().iter().map(|d| MessageView {
            from: d.from,
            to: d.to,
            kind: d.kind,
            sent: d.sent,
            deliver: d.sent.next(),
            copy: false,
            cargo: Cargo::Nothing,
            fate: d.why,
            relayed: Node::swim_relayed(&self.config.node, d.head()),
        })
    }

    /// Empties the log behind [`Cluster::dropped_views`] (each [`Cluster::step_tick`] does so
    /// first anyway). A renderer that has read it calls this so that clones of the cluster,
    /// such as a timeline's checkpoints, do not carry up to [`crate::net::DROPPED_LOG_MAX`] stale
    /// entries each.
    pub fn clear_dropped(&mut self) {
        self.net.clear_dropped();
    }

    fn in_flight_view(&self, m: &InFlight, key: &[u8]) -> MessageView {
        MessageView {
            from: m.from,
            to: m.to,
            kind: m.kind,
            sent: m.sent,
            deliver: m.deliver,
            copy: m.copy,
            cargo: self.cargo(m, key),
            fate: Sent::InFlight,
            relayed: Node::swim_relayed(&self.config.node, &m.bytes),
        }
    }

    // What `m` carries for `key`, judged against its receiver now. The simulator never
    // decodes protocol bytes itself: the node's strategy reads them (and the kind table says
    // which kinds carry nothing without looking inside).
    fn cargo(&self, m: &InFlight, key: &[u8]) -> Cargo {
        let version = match Node::carried(&self.config.node, m.kind, &m.bytes, key) {
            Carried::Nothing => return Cargo::Nothing,
            Carried::OtherKeys => return Cargo::OtherKeys,
            Carried::Key(v) => v,
        };
        let Some(receiver) = self.node(m.to) else {
            return Cargo::Known;
        };
        match receiver.store().get(key) {
            Some(held) if held.version() >= version => Cargo::Known,
            _ => Cargo::New,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{Direction, Sent};
    use crate::node;
    use crate::sim::tests::rumor_config;
    use crate::sim::ClusterConfig;

    #[test]
    fn node_views_colour_a_rumor_by_its_epidemic_state() {
        let mut c = Cluster::new(rumor_config(50, 3)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.crash(7).unwrap();
        let mut views = Vec::new();
        c.node_views(b"k", &mut views);
        assert_eq!(views.len(), 50);
        assert_eq!(views[7], NodeView::DOWN);
        assert_eq!(views[0].holding, Holding::Newest);
        assert_eq!(views[0].spread, Spread::Infective);
        assert_eq!(views[0].learned, Some(Round(0)));
        assert_eq!(views[1].spread_of_newest(), Spread::Susceptible);
        let mut removed_seen = false;
        for _ in 0..30 {
            c.step_round();
            c.node_views(b"k", &mut views);
            let newest = views
                .iter()
                .filter(|v| v.holding == Holding::Newest)
                .count();
            assert_eq!(newest as u32, c.holders(b"k"));
            removed_seen |= views.iter().any(|v| v.spread == Spread::Removed);
            for (id, v) in views.iter().enumerate() {
                if let Some(r) = v.learned {
                    let u = c.updates()[0].learned_round(id as NodeId);
                    assert_eq!(Some(r), u, "node {id}");
                }
            }
        }
        assert!(removed_seen, "counter(2) with feedback removes rumors");
        // The view of another key: every live node holds nothing.
        c.node_views(b"other", &mut views);
        assert!(views
            .iter()
            .all(|v| v.holding == Holding::Nothing && v.spread_of_newest() == Spread::Susceptible));
        assert_eq!(views.iter().filter(|v| v.up).count(), 49);
    }

    #[test]
    fn node_views_tell_older_versions_from_the_newest() {
        let mut c = Cluster::new(ClusterConfig::new(8, 1)).unwrap();
        c.write(0, b"k", b"old").unwrap();
        assert!(c.run_until_converged(40).is_some());
        c.write(5, b"k", b"new").unwrap();
        let mut views = Vec::new();
        c.node_views(b"k", &mut views);
        let newest: Vec<usize> = views
            .iter()
            .enumerate()
            .filter(|(_, v)| v.holding == Holding::Newest)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(newest, [5]);
        assert!(views
            .iter()
            .enumerate()
            .all(|(i, v)| i == 5 || v.holding == Holding::Older && v.spread == Spread::Infective));
    }

    #[test]
    fn message_views_show_who_sends_what_and_whether_it_is_news() {
        let mut c = Cluster::new(ClusterConfig::new(10, 5)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.step_tick();
        let mut msgs = Vec::new();
        c.message_views(b"k", &mut msgs);
        assert_eq!(msgs.len(), 1, "only the writer has something to push");
        let m = msgs[0];
        assert_eq!(
            (m.from, m.kind, m.sent, m.deliver, m.copy),
            (0, MessageKind::Push, Tick(0), Tick(1), false)
        );
        assert_eq!(m.cargo, Cargo::New);
        assert_eq!(m.progress(0.5), 0.5);
        assert_eq!(m.progress(-3.0), 0.0);
        assert_eq!(m.progress(9.0), 1.0);
        c.message_views(b"other", &mut msgs);
        assert_eq!(msgs[0].cargo, Cargo::OtherKeys);
        // Once everyone knows it, pushes of it are no news.
        assert!(c.run_until_converged(40).is_some());
        c.step_tick();
        c.message_views(b"k", &mut msgs);
        assert!(!msgs.is_empty());
        assert!(msgs.iter().all(|m| m.cargo == Cargo::Known));
        // A pull request carries nothing.
        let mut cfg = ClusterConfig::new(10, 5);
        cfg.node.mode = node::Mode::AntiEntropy(node::Exchange::Pull);
        let mut c = Cluster::new(cfg).unwrap();
        c.step_tick();
        c.message_views(b"k", &mut msgs);
        assert_eq!(msgs.len(), 10);
        assert!(msgs
            .iter()
            .all(|m| m.kind == MessageKind::Request && m.cargo == Cargo::Nothing));
    }

    #[test]
    fn the_relayed_views_are_exactly_the_pings_and_acks_helpers_sent_for_a_ping_req() {
        use crate::node::{MembershipConfig, NodeConfig, SwimConfig, SwimCounters};
        // SWIM under 30 % loss: many probes fail directly and go through helpers, and many of
        // the helpers' messages are lost, so both views (in flight, dropped) are exercised.
        let swim = SwimConfig::default();
        let mut cfg = ClusterConfig::new(16, 5);
        cfg.ticks_per_round = swim.probe_interval_ticks;
        cfg.node.gossip_interval_ticks = swim.probe_interval_ticks;
        cfg.node.membership = MembershipConfig::Swim(swim);
        cfg.net.link.loss = 0.3;
        let mut c = Cluster::new(cfg).unwrap();
        let (mut pings, mut acks, mut dropped) = (0, 0, 0);
        let mut views = Vec::new();
        for _ in 0..20 * swim.probe_interval_ticks {
            let t = c.now();
            c.step_tick();
            views.clear();
            c.message_views_since(b"", t, &mut views);
            views.extend(c.dropped_views());
            for v in views.iter().filter(|v| v.relayed && !v.copy) {
                match v.kind {
                    MessageKind::Ping => pings += 1,
                    MessageKind::Ack => acks += 1,
                    k => panic!("a relayed {k:?}"),
                }
                dropped += u64::from(v.fate != Sent::InFlight);
            }
        }
        // Each served ping-req sends one relayed ping, each relayed ack is counted as sent:
        // the views marked relayed are those and nothing else (the target's own ack to the
        // helper is an ordinary ack).
        let sum = c.records().fold(SwimCounters::default(), |mut s, r| {
            s.add(&r.swim);
            s
        });
        assert_eq!(pings, sum.ping_reqs_served);
        assert_eq!(acks, sum.acks_relayed);
        assert!(
            pings > 10 && acks > 0 && dropped > 0,
            "{pings} {acks} {dropped}"
        );
        assert!(!Node::swim_relayed(&c.config().node, &[6, 0, 0, 0, 0]));
        assert!(Node::swim_relayed(&c.config().node, &[6, 0, 0, 1]));
        assert!(!Node::swim_relayed(&NodeConfig::default(), &[6, 0, 0, 1]));
    }

    #[test]
    fn dropped_messages_are_viewed_in_the_tick_they_were_sent_with_their_reason() {
        let mut cfg = ClusterConfig::new(12, 3);
        cfg.net.link.loss = 0.4;
        let mut c = Cluster::new(cfg).unwrap();
        for i in 0..12 {
            c.write(i, b"k", &[i as u8]).unwrap();
        }
        c.partition(
            &[(0..6).collect::<Vec<NodeId>>(), (6..12).collect()],
            Direction::Both,
        )
        .unwrap();
        let (mut lost, mut cut) = (0, 0);
        for _ in 0..40 {
            let t = c.now();
            let before = *c.network().counters();
            c.step_tick();
            let after = *c.network().counters();
            let views: Vec<MessageView> = c.dropped_views().collect();
            let fate = |f: Sent| views.iter().filter(|v| v.fate == f).count() as u64;
            // Every drop of the tick is there once, and nothing else; a partition drops only
            // across its cut.
            assert_eq!(fate(Sent::Lost), after.lost - before.lost);
            assert_eq!(fate(Sent::Cut), after.cut - before.cut);
            assert_eq!(fate(Sent::InFlight), 0);
            let mut flying = Vec::new();
            c.message_views_since(b"k", t, &mut flying);
            assert!(flying.iter().all(|v| v.fate == Sent::InFlight));
            for v in &views {
                assert_eq!((v.sent, v.deliver, v.cargo), (t, t.next(), Cargo::Nothing));
                if v.fate == Sent::Cut {
                    assert_ne!(v.from < 6, v.to < 6, "{v:?}");
                }
            }
            lost += fate(Sent::Lost);
            cut += fate(Sent::Cut);
        }
        assert!(lost > 0 && cut > 0, "lost {lost}, cut {cut}");
    }
}
