//! The simulated network: lossy, delayed, duplicating links, and partitions.
//!
//! Every message handed to [`Network::send`] is decided with draws from the one network stream
//! `Rng::stream(seed, Stream::Network, 0)`, in send order, always in this order:
//! 1. if the link is cut by a partition the message is dropped and **nothing is drawn**;
//! 2. loss: one `chance(loss)` draw; a lost message draws nothing more;
//! 3. latency: one `below(latency_ticks_max - latency_ticks_min + 1)` draw;
//! 4. duplication: one `chance(duplicate)` draw; if it fires, 5. one more latency draw for the
//!    copy.
//!
//! So the same seed and the same sends give the same deliveries on every platform.
//!
//! Links: every directed link uses [`NetConfig::link`] unless given its own [`LinkConfig`]
//! with [`Network::set_link`]. Partitions: [`Network::partition`] puts nodes into numbered
//! groups; a node in no group is unaffected. With [`Direction::Both`] nodes in different groups
//! cannot talk; with [`Direction::OneWay`] a node cannot send to a group listed *after* its own
//! (so `partition([a, b], OneWay)` cuts a -> b and leaves b -> a up). A cut applies to messages
//! already in flight too (checked again at delivery), as when a cable is pulled. A new partition
//! replaces the old one; [`Network::heal`] removes it.
//!
//! In-flight messages are visible ([`Network::in_flight`]) so an app can draw them travelling.
//! At most `in_flight_messages_max` are held; a message (or network copy) that would exceed it
//! is dropped and counted as overflow. Messages dropped when sent (lost, cut or overflowing)
//! are kept in a short log ([`Network::dropped_at_send`]: all of them, or an even sample of at
//! most [`DROPPED_LOG_MAX`]) until the owner clears it, so an app can draw them failing too;
//! the log draws nothing from the stream and changes no decision.
//! Buffers of delivered messages are recycled, so a running network does not allocate.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::node::NodeId;
use crate::rng::{Probability, Rng, Stream};
use crate::stats::EvenSample;
use crate::time::Tick;
use crate::wire::MessageKind;

/// The largest `latency_ticks_max` any link may have.
pub const LATENCY_TICKS_LIMIT: u32 = 256;
/// Upper bound for [`NetConfig::in_flight_messages_max`].
pub const IN_FLIGHT_LIMIT: u32 = 1 << 24;
/// How many of a dropped message's first bytes its log entry keeps ([`Dropped::head`]): every
/// header of the kind table fits (SWIM's longest before its updates is 12 bytes).
pub const DROPPED_HEAD_BYTES_MAX: usize = 16;
/// The most dropped messages [`Network::dropped_at_send`] keeps between two clears; beyond it
/// the log is an even sample of them (see [`EvenSample`]); all are counted as usual.
pub const DROPPED_LOG_MAX: usize = 1 << 16;
/// The most groups one partition may have.
pub const GROUPS_MAX: usize = 64;
/// The most spare message buffers a network keeps for reuse (see [`Network::recycle`]); it
/// keeps at most `min(in_flight_messages_max, POOL_BUFFERS_MAX)`: enough that a busy
/// simulation allocates no buffer per message, without holding on to every buffer of a past
/// burst for ever.
pub const POOL_BUFFERS_MAX: usize = 1 << 16;

/// The behaviour of one directed link.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkConfig {
    /// Probability that a message is lost, 0 to 1.
    pub loss: f64,
    /// Probability that a delivered message is also delivered a second time, 0 to 1.
    pub duplicate: f64,
    /// Shortest latency in ticks, at least 1 (a message is never delivered in the tick it was
    /// sent, which keeps the order of processing within a tick irrelevant).
    pub latency_ticks_min: u32,
    /// Longest latency in ticks, `latency_ticks_min` to [`LATENCY_TICKS_LIMIT`].
    pub latency_ticks_max: u32,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            loss: 0.0,
            duplicate: 0.0,
            latency_ticks_min: 1,
            latency_ticks_max: 1,
        }
    }
}

/// The network's configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NetConfig {
    /// The behaviour of every link without its own.
    pub link: LinkConfig,
    /// Most messages in flight at once, 1 to [`IN_FLIGHT_LIMIT`].
    pub in_flight_messages_max: u32,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            link: LinkConfig::default(),
            in_flight_messages_max: 1 << 20,
        }
    }
}

/// A rejected network setting; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConfigError {
    /// `loss` is not a probability (NaN or outside 0 to 1).
    Loss(f64),
    /// `duplicate` is not a probability.
    Duplicate(f64),
    /// `latency_ticks_min` is 0 or above `latency_ticks_max`, or the max is above
    /// [`LATENCY_TICKS_LIMIT`].
    Latency {
        /// The configured minimum.
        min: u32,
        /// The configured maximum.
        max: u32,
    },
    /// `in_flight_messages_max` outside `1..=IN_FLIGHT_LIMIT`.
    InFlightMessagesMax(u32),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Loss(p) => write!(f, "loss must be a probability 0 to 1, got {p}"),
            ConfigError::Duplicate(p) => {
                write!(f, "duplicate must be a probability 0 to 1, got {p}")
            }
            ConfigError::Latency { min, max } => write!(
                f,
                "latency must satisfy 1 <= latency_ticks_min ({min}) <= latency_ticks_max ({max}) <= {LATENCY_TICKS_LIMIT}"
            ),
            ConfigError::InFlightMessagesMax(x) => {
                write!(f, "in_flight_messages_max must be 1 to {IN_FLIGHT_LIMIT}, got {x}")
            }
        }
    }
}

/// A rejected partition; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartitionError {
    /// Fewer than two groups, or more than [`GROUPS_MAX`].
    GroupCount(usize),
    /// A node is listed in two groups (or twice).
    NodeInTwoGroups(NodeId),
    /// A node id at or above the number of nodes the network was made for.
    NoSuchNode(NodeId),
}

impl fmt::Display for PartitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartitionError::GroupCount(n) => {
                write!(f, "a partition needs 2 to {GROUPS_MAX} groups, got {n}")
            }
            PartitionError::NodeInTwoGroups(n) => write!(f, "node {n} is listed twice"),
            PartitionError::NoSuchNode(n) => write!(f, "no node {n}"),
        }
    }
}

/// Which directions a partition cuts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// No traffic between different groups.
    Both,
    /// No traffic from a group to any group listed after it.
    OneWay,
}

/// Whether a directed link currently passes messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Messages pass (subject to loss).
    Up,
    /// A partition cuts this direction.
    Cut,
}

/// What a directed link looks like now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkView {
    /// Up or cut.
    pub state: LinkState,
    /// Its loss, duplication and latency.
    pub config: LinkConfig,
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Message kind.
    pub kind: MessageKind,
    /// Tick it was sent.
    pub sent: Tick,
    /// Tick it will be delivered.
    pub deliver: Tick,
    /// Whether this is the network's duplicate of another message.
    pub copy: bool,
    /// The datagram.
    pub bytes: Vec<u8>,
}

/// What happened to a message handed to [`Network::send`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    /// On its way (and maybe duplicated).
    InFlight,
    /// Lost by the link.
    Lost,
    /// Dropped by a partition.
    Cut,
    /// Dropped because `in_flight_messages_max` messages were already in flight.
    Overflow,
}

/// A message the network dropped when it was sent; see [`Network::dropped_at_send`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Message kind.
    pub kind: MessageKind,
    /// Tick it was sent (and dropped) at.
    pub sent: Tick,
    /// Why: [`Sent::Lost`], [`Sent::Cut`] or [`Sent::Overflow`].
    pub why: Sent,
    head: [u8; DROPPED_HEAD_BYTES_MAX],
    head_len: u8,
}

impl Dropped {
    /// The message's first bytes (at most [`DROPPED_HEAD_BYTES_MAX`]): the rest is gone, but
    /// a viewer can still read its header (a SWIM ping's relayed flag, say).
    pub fn head(&self) -> &[u8] {
        &self.head[..usize::from(self.head_len)]
    }
}

/// Running totals of the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NetCounters {
    /// Messages handed to `send`.
    pub sent: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Messages (copies included) handed out for delivery.
    pub delivered: u64,
    /// Messages lost by links.
    pub lost: u64,
    /// Messages dropped by a partition, at send or at delivery.
    pub cut: u64,
    /// Messages (copies included) dropped because too many were in flight.
    pub overflow: u64,
    /// Copies made by duplication and put in flight (a copy dropped by the in-flight limit is
    /// counted in `overflow` only).
    pub duplicated: u64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Link {
    config: LinkConfig,
    loss: Probability,
    duplicate: Probability,
}

impl Link {
    fn new(config: LinkConfig) -> Result<Link, ConfigError> {
        let prob = |p: f64| (0.0..=1.0).contains(&p);
        if !prob(config.loss) {
            return Err(ConfigError::Loss(config.loss));
        }
        if !prob(config.duplicate) {
            return Err(ConfigError::Duplicate(config.duplicate));
        }
        let (min, max) = (config.latency_ticks_min, config.latency_ticks_max);
        if min == 0 || min > max || max > LATENCY_TICKS_LIMIT {
            return Err(ConfigError::Latency { min, max });
        }
        Ok(Link {
            config,
            loss: Probability::from_f64(config.loss),
            duplicate: Probability::from_f64(config.duplicate),
        })
    }
}

/// The simulated network between `nodes` nodes.
#[derive(Clone, Debug)]
pub struct Network {
    nodes: u32,
    in_flight_messages_max: usize,
    rng: Rng,
    default: Link,
    links: BTreeMap<(NodeId, NodeId), Link>,
    // Group of each node under the current partition; 0 = in no group. Empty when healed.
    groups: Vec<u8>,
    direction: Direction,
    // Messages by delivery tick modulo the wheel length; every latency is shorter than the
    // wheel, so one slot only ever holds messages due at one tick.
    wheel: Vec<Vec<InFlight>>,
    in_flight: usize,
    pool: Vec<Vec<u8>>,
    counters: NetCounters,
    // Messages dropped at send since the owner last cleared the log (capacity reused).
    dropped: EvenSample<Dropped>,
}

impl Network {
    /// A network of `nodes` nodes, drawing from `Rng::stream(seed, Stream::Network, 0)`.
    pub fn new(seed: u64, nodes: u32, config: NetConfig) -> Result<Network, ConfigError> {
        let default = Link::new(config.link)?;
        if !(1..=IN_FLIGHT_LIMIT).contains(&config.in_flight_messages_max) {
            return Err(ConfigError::InFlightMessagesMax(
                config.in_flight_messages_max,
            ));
        }
        Ok(Network {
            nodes,
            in_flight_messages_max: config.in_flight_messages_max as usize,
            rng: Rng::stream(seed, Stream::Network, 0),
            default,
            links: BTreeMap::new(),
            groups: Vec::new(),
            direction: Direction::Both,
            wheel: vec![Vec::new(); LATENCY_TICKS_LIMIT as usize + 1],
            in_flight: 0,
            pool: Vec::new(),
            counters: NetCounters::default(),
            dropped: EvenSample::new(DROPPED_LOG_MAX),
        })
    }

    /// Gives the directed link `from -> to` its own behaviour.
    pub fn set_link(
        &mut self,
        from: NodeId,
        to: NodeId,
        config: LinkConfig,
    ) -> Result<(), ConfigError> {
        let link = Link::new(config)?;
        self.links.insert((from, to), link);
        Ok(())
    }

    /// Returns the directed link `from -> to` to the default behaviour.
    pub fn reset_link(&mut self, from: NodeId, to: NodeId) {
        self.links.remove(&(from, to));
    }

    /// Changes the default behaviour of every link without its own.
    pub fn set_default_link(&mut self, config: LinkConfig) -> Result<(), ConfigError> {
        self.default = Link::new(config)?;
        Ok(())
    }

    /// Cuts the network into `groups` (see the module docs). Replaces any earlier partition.
    pub fn partition<G: AsRef<[NodeId]>>(
        &mut self,
        groups: &[G],
        direction: Direction,
    ) -> Result<(), PartitionError> {
        if !(2..=GROUPS_MAX).contains(&groups.len()) {
            return Err(PartitionError::GroupCount(groups.len()));
        }
        let mut map = vec![0u8; self.nodes as usize];
        for (g, members) in groups.iter().enumerate() {
            for &n in members.as_ref() {
                let slot = map
                    .get_mut(n as usize)
                    .ok_or(PartitionError::NoSuchNode(n))?;
                if *slot != 0 {
                    return Err(PartitionError::NodeInTwoGroups(n));
                }
                // At most GROUPS_MAX (64) groups, so g + 1 fits a u8.
                *slot = g as u8 + 1;
            }
        }
        self.groups = map;
        self.direction = direction;
        Ok(())
    }

    /// Removes the partition: every link is up again.
    pub fn heal(&mut self) {
        self.groups.clear();
    }

    /// Whether a partition is in place.
    pub fn is_partitioned(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Which directions the partition cuts (meaningful while [`Network::is_partitioned`]).
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The partition group of `node` (1-based, in the order given), or 0 if it is in none.
    pub fn group(&self, node: NodeId) -> u8 {
        self.groups.get(node as usize).copied().unwrap_or(0)
    }

    /// Whether a partition cuts `from -> to`.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        let (a, b) = (self.group(from), self.group(to));
        a != 0
            && b != 0
            && a != b
            && match self.direction {
                Direction::Both => true,
                Direction::OneWay => a < b,
            }
    }

    /// The state and behaviour of `from -> to`.
    pub fn link(&self, from: NodeId, to: NodeId) -> LinkView {
        LinkView {
            state: if self.is_cut(from, to) {
                LinkState::Cut
            } else {
                LinkState::Up
            },
            config: self.link_of(from, to).config,
        }
    }

    fn link_of(&self, from: NodeId, to: NodeId) -> Link {
        if self.links.is_empty() {
            return self.default;
        }
        self.links.get(&(from, to)).copied().unwrap_or(self.default)
    }

    /// Hands a datagram to the network at `now` (decisions in the order of the module docs).
    pub fn send(
        &mut self,
        now: Tick,
        from: NodeId,
        to: NodeId,
        kind: MessageKind,
        bytes: &[u8],
    ) -> Sent {
        self.counters.sent += 1;
        self.counters.bytes_sent += bytes.len() as u64;
        if self.is_cut(from, to) {
            self.counters.cut += 1;
            self.log_drop(now, from, to, kind, bytes, Sent::Cut);
            return Sent::Cut;
        }
        let link = self.link_of(from, to);
        if self.rng.chance(link.loss) {
            self.counters.lost += 1;
            self.log_drop(now, from, to, kind, bytes, Sent::Lost);
            return Sent::Lost;
        }
        let latency = self.latency(&link);
        let duplicate = self.rng.chance(link.duplicate);
        let copy_latency = if duplicate {
            Some(self.latency(&link))
        } else {
            None
        };
        if !self.enqueue(now, latency, from, to, kind, bytes, false) {
            self.log_drop(now, from, to, kind, bytes, Sent::Overflow);
            return Sent::Overflow;
        }
        // A copy is counted as duplicated only once it is in flight; one the in-flight limit
        // drops is counted as overflow only, so every message is counted once.
        if let Some(l) = copy_latency {
            if self.enqueue(now, l, from, to, kind, bytes, true) {
                self.counters.duplicated += 1;
            }
        }
        Sent::InFlight
    }

    fn log_drop(
        &mut self,
        now: Tick,
        from: NodeId,
        to: NodeId,
        kind: MessageKind,
        bytes: &[u8],
        why: Sent,
    ) {
        let n = bytes.len().min(DROPPED_HEAD_BYTES_MAX);
        let mut head = [0; DROPPED_HEAD_BYTES_MAX];
        head[..n].copy_from_slice(&bytes[..n]);
        self.dropped.push(Dropped {
            from,
            to,
            kind,
            sent: now,
            why,
            head,
            head_len: n as u8,
        });
    }

    /// The messages dropped when sent (lost, cut or overflowing; not network copies) since
    /// [`Network::clear_dropped`] was last called, in send order: all of them, or beyond
    /// [`DROPPED_LOG_MAX`] an even sample of them (every 2nd, 4th, ...; [`EvenSample`]), so
    /// that it stays spread over every sender. Messages cut later, in flight, are not in it:
    /// they are counted in `cut` when they would have been delivered.
    pub fn dropped_at_send(&self) -> &[Dropped] {
        self.dropped.items()
    }

    /// Empties the log of dropped messages (keeping its capacity).
    pub fn clear_dropped(&mut self) {
        self.dropped.clear();
    }

    fn latency(&mut self, link: &Link) -> u64 {
        let (min, max) = (link.config.latency_ticks_min, link.config.latency_ticks_max);
        u64::from(min + self.rng.below(max - min + 1))
    }

    #[allow(clippy::too_many_arguments)]
    fn enqueue(
        &mut self,
        now: Tick,
        latency: u64,
        from: NodeId,
        to: NodeId,
        kind: MessageKind,
        bytes: &[u8],
        copy: bool,
    ) -> bool {
        if self.in_flight >= self.in_flight_messages_max {
            self.counters.overflow += 1;
            return false;
        }
        let mut buf = self.pool.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(bytes);
        let deliver = now.after(latency);
        let slot = (deliver.0 % self.wheel.len() as u64) as usize;
        self.wheel[slot].push(InFlight {
            from,
            to,
            kind,
            sent: now,
            deliver,
            copy,
            bytes: buf,
        });
        self.in_flight += 1;
        true
    }

    /// Moves every message due at `now` into `out` (appended, in send order), dropping those a
    /// partition now cuts. Call once per tick, with ticks in order, and give the buffers back
    /// with [`Network::recycle`].
    pub fn deliver_due(&mut self, now: Tick, out: &mut Vec<InFlight>) {
        let slot = (now.0 % self.wheel.len() as u64) as usize;
        let mut due = core::mem::take(&mut self.wheel[slot]);
        self.in_flight -= due.len();
        for m in due.drain(..) {
            debug_assert_eq!(m.deliver, now, "a tick was skipped");
            if self.is_cut(m.from, m.to) {
                self.counters.cut += 1;
                self.pool.push(m.bytes);
            } else {
                self.counters.delivered += 1;
                out.push(m);
            }
        }
        // Put the (now empty) vector back so its capacity is reused.
        self.wheel[slot] = due;
    }

    /// Returns a delivered message's buffer for reuse.
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        if self.pool.len() < self.in_flight_messages_max.min(POOL_BUFFERS_MAX) {
            self.pool.push(bytes);
        }
    }

    /// Messages in flight, in no particular order.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> + '_ {
        self.wheel.iter().flatten()
    }

    /// How many messages are in flight.
    pub fn in_flight_len(&self) -> usize {
        self.in_flight
    }

    /// Running totals.
    pub fn counters(&self) -> &NetCounters {
        &self.counters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(link: LinkConfig) -> Network {
        Network::new(
            1,
            4,
            NetConfig {
                link,
                in_flight_messages_max: 8,
            },
        )
        .unwrap()
    }

    fn deliver(n: &mut Network, t: u64) -> Vec<InFlight> {
        let mut out = Vec::new();
        n.deliver_due(Tick(t), &mut out);
        out
    }

    #[test]
    fn messages_dropped_at_send_are_logged_with_their_reason_until_cleared() {
        let lossy = LinkConfig {
            loss: 0.5,
            ..LinkConfig::default()
        };
        let (mut a, mut b) = (net(lossy), net(lossy));
        // `b` also cuts 0 from 1, both ways.
        b.partition(&[[0u32].as_slice(), &[1]], Direction::Both)
            .unwrap();
        let mut fates = Vec::new();
        for i in 0..40u32 {
            let from = i % 4;
            let to = (i + 1) % 4;
            a.send(Tick(0), from, to, MessageKind::PushPull, &[1]);
            fates.push(b.send(Tick(0), from, to, MessageKind::PushPull, &[1]));
        }
        let c = *b.counters();
        let log = b.dropped_at_send();
        // Every drop is logged once, with its reason, in send order (the in-flight limit of 8
        // makes some overflow too).
        assert_eq!(log.len() as u64, c.lost + c.cut + c.overflow);
        assert!(c.lost > 0 && c.cut > 0 && c.overflow > 0, "{c:?}");
        let dropped: Vec<Sent> = fates.into_iter().filter(|f| *f != Sent::InFlight).collect();
        assert_eq!(log.iter().map(|d| d.why).collect::<Vec<_>>(), dropped);
        assert!(log
            .iter()
            .all(|d| d.sent == Tick(0) && (d.why != Sent::Cut || d.from < 2)));
        b.clear_dropped();
        assert!(b.dropped_at_send().is_empty());
        let logged = a.dropped_at_send().len() as u64;
        assert_eq!(logged, a.counters().lost + a.counters().overflow);
    }

    #[test]
    fn beyond_its_limit_the_drop_log_is_an_even_sample_of_every_sender() {
        let mut n = net(LinkConfig {
            loss: 1.0,
            ..LinkConfig::default()
        });
        let sent = 3 * DROPPED_LOG_MAX as u32;
        for i in 0..sent {
            n.send(Tick(0), i % 4, (i + 1) % 4, MessageKind::PushPull, &[1]);
        }
        assert_eq!(n.counters().lost, u64::from(sent));
        let log = n.dropped_at_send();
        // The least power-of-two stride that fits is 4: every 4th send, all from node 0 (a
        // prefix would have kept the first third of the sends instead).
        assert_eq!(log.len(), 3 * DROPPED_LOG_MAX / 4);
        assert!(log.iter().all(|d| d.from == 0 && d.why == Sent::Lost));
    }

    #[test]
    fn messages_arrive_within_the_latency_range_in_send_order() {
        let mut n = net(LinkConfig {
            latency_ticks_min: 2,
            latency_ticks_max: 4,
            ..LinkConfig::default()
        });
        for i in 0..5u8 {
            assert_eq!(
                n.send(Tick(0), 0, 1, MessageKind::Push, &[i]),
                Sent::InFlight
            );
        }
        assert_eq!(n.in_flight().count(), 5);
        let mut got = Vec::new();
        for t in 0..=5 {
            let d = deliver(&mut n, t);
            assert!(d
                .iter()
                .all(|m| (2..=4).contains(&m.deliver.0) && m.deliver.0 == t));
            got.extend(d);
        }
        assert_eq!(got.len(), 5);
        assert_eq!(n.in_flight_len(), 0);
    }

    #[test]
    fn a_full_network_drops_and_counts_the_excess() {
        let mut n = net(LinkConfig::default());
        for _ in 0..8 {
            assert_eq!(
                n.send(Tick(0), 0, 1, MessageKind::Push, b"x"),
                Sent::InFlight
            );
        }
        assert_eq!(
            n.send(Tick(0), 0, 1, MessageKind::Push, b"x"),
            Sent::Overflow
        );
        assert_eq!(n.counters().overflow, 1);
    }

    #[test]
    fn a_copy_the_in_flight_limit_drops_is_overflow_not_a_duplicate() {
        // Room for 8: three messages and their copies, then one on a link without
        // duplication, leave room for one: the next message fits, its copy does not.
        let mut n = net(LinkConfig {
            duplicate: 1.0,
            ..LinkConfig::default()
        });
        n.set_link(0, 2, LinkConfig::default()).unwrap();
        for _ in 0..3 {
            assert_eq!(
                n.send(Tick(0), 0, 1, MessageKind::Push, b"x"),
                Sent::InFlight
            );
        }
        n.send(Tick(0), 0, 2, MessageKind::Push, b"x");
        assert_eq!(n.in_flight_len(), 7);
        assert_eq!(
            n.send(Tick(0), 0, 1, MessageKind::Push, b"x"),
            Sent::InFlight
        );
        let c = *n.counters();
        assert_eq!((c.duplicated, c.overflow), (3, 1));
        // What is in flight is the messages sent plus the copies counted as duplicated.
        assert_eq!(c.sent + c.duplicated, n.in_flight_len() as u64);
    }

    #[test]
    fn certain_loss_loses_everything_and_certain_duplication_doubles() {
        let mut n = net(LinkConfig {
            loss: 1.0,
            ..LinkConfig::default()
        });
        assert_eq!(n.send(Tick(0), 0, 1, MessageKind::Push, b"x"), Sent::Lost);
        let mut n = net(LinkConfig {
            duplicate: 1.0,
            ..LinkConfig::default()
        });
        n.send(Tick(0), 0, 1, MessageKind::Push, b"x");
        let d = deliver(&mut n, 1);
        assert_eq!(d.len(), 2);
        assert!(d[1].copy && !d[0].copy);
    }

    #[test]
    fn a_one_way_partition_cuts_only_from_earlier_to_later_groups() {
        let mut n = net(LinkConfig::default());
        n.partition(&[&[0u32, 1][..], &[2u32][..]], Direction::OneWay)
            .unwrap();
        assert_eq!(n.link(0, 2).state, LinkState::Cut);
        assert_eq!(n.link(2, 0).state, LinkState::Up);
        assert_eq!(n.link(0, 1).state, LinkState::Up);
        assert_eq!(n.link(3, 0).state, LinkState::Up, "node 3 is in no group");
        assert_eq!(n.send(Tick(0), 0, 2, MessageKind::Push, b"x"), Sent::Cut);
        n.heal();
        assert_eq!(n.link(0, 2).state, LinkState::Up);
    }

    #[test]
    fn a_partition_also_cuts_messages_already_in_flight() {
        let mut n = net(LinkConfig::default());
        n.send(Tick(0), 0, 1, MessageKind::Push, b"x");
        n.partition(&[[0u32], [1u32]], Direction::Both).unwrap();
        assert!(deliver(&mut n, 1).is_empty());
        assert_eq!(n.counters().cut, 1);
    }

    #[test]
    fn bad_settings_are_rejected_and_change_nothing() {
        let mut n = net(LinkConfig::default());
        assert_eq!(
            n.partition(&[[0u32]], Direction::Both),
            Err(PartitionError::GroupCount(1))
        );
        assert_eq!(
            n.partition(&[[0u32], [0u32]], Direction::Both),
            Err(PartitionError::NodeInTwoGroups(0))
        );
        assert_eq!(
            n.partition(&[[0u32], [9u32]], Direction::Both),
            Err(PartitionError::NoSuchNode(9))
        );
        assert!(!n.is_partitioned());
        let bad = LinkConfig {
            loss: f64::NAN,
            ..LinkConfig::default()
        };
        assert!(matches!(n.set_link(0, 1, bad), Err(ConfigError::Loss(_))));
        let bad = LinkConfig {
            latency_ticks_min: 0,
            ..LinkConfig::default()
        };
        assert_eq!(
            n.set_default_link(bad),
            Err(ConfigError::Latency { min: 0, max: 1 })
        );
        assert_eq!(n.link(0, 1).config, LinkConfig::default());
    }
}
