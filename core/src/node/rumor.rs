//! Rumor mongering: the dissemination strategy that spreads each update as a rumor and stops.
//!
//! **Rumor mongering** ([`crate::node::Mode::Rumor`], Demers et al. 1987): each update is a
//! rumor; a node is *susceptible* (does not know it), *infective* (spreads it) or *removed*
//! (knows it, stopped). Only infective rumors are sent. Pull sends a `Request` and the
//! responder replies with its infective rumors; push-pull does both. With *feedback* the
//! recipient of a rumor answers with a `Feedback` message listing the rumors it already knew,
//! "already" meaning learned before the tick the rumor arrived (so two copies that reach a node
//! in the same tick are both useful, whatever their order of delivery); *blind* ignores what
//! the recipient knew.
//!
//! This file owns the strategy's part of the configuration ([`RumorConfig`]), its state (a
//! [`Rumor`] per key and the contacts of the current cycle), what it puts in the shared data
//! messages (its infective rumors only), its own message body (`Feedback`, a list of known
//! versions; see [`crate::codec`]) and its counters ([`RumorCounters`]). It is driven through
//! [`crate::node::dissemination::Dissemination`].
//!
//! # Losing interest: the counter counts cycles
//! The rule is the one of [`crate::kernel::demers`] that reproduces Demers et al.'s Tables 1
//! to 3, with a node's gossip interval as the cycle. For each rumor a node counts, during a
//! cycle, the *contacts* (each peer it sent the rumor to: push, push-pull or reply) and the
//! *unnecessary* ones (each `Feedback` naming the rumor). The cycle is judged at the node's
//! next gossip tick, before it chooses peers, once the feedback of the cycle has had time to
//! come back:
//! * a cycle with an unnecessary contact and no useful one (with feedback: at least one
//!   feedback and as many as contacts; blind: any contact) is *counted*: *counter(k)* advances
//!   the rumor's counter by one and removes the rumor when it reaches k, *coin(k)* removes it
//!   with probability 1/k (one draw from the node's stream, rumors in key order);
//! * a cycle with a useful contact (with feedback: fewer feedbacks than contacts) resets the
//!   counter to 0;
//! * a cycle without contacts changes nothing.
//!
//! A contact is counted when the rumor is put in a message for a peer, before the outbox
//! accepts it: a message the full outbox drops (counted in
//! [`crate::node::Counters::outbox_dropped`]) still counts as a contact, like a message the
//! network loses, and for blind counting it counts towards losing interest. The node could
//! tell (the outbox knows), but the drop is a local overload the driver is told about through
//! the counter, and counting it keeps the rule the same whether the message is lost in the
//! outbox or on the wire.
//!
//! A removed rumor is not sent from then on, so a rumor judged at tick `(r + 1)T` still went out
//! in every exchange of cycle `r`, as in the synchronous model where removal takes effect at
//! the end of the cycle. A contact is counted as useful when no feedback names it: without loss
//! that is exact, and with loss a lost push or a lost feedback looks useful (the sender cannot
//! tell). The feedback of cycle `r` arrives by the next gossip tick when the messages of the
//! exchange fit in the interval: `2L < T` for push, `3L < T` for pull (request, reply, feedback);
//! feedback that arrives later is judged with the following cycle.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::codec::MessageRef;
use crate::node::config::{ConfigError, Exchange};
use crate::node::dissemination::{sendable, Ctx};
use crate::node::outbox::Writer;
use crate::node::{Event, NodeId};
use crate::rng::{Probability, Rng};
use crate::store::Version;
use crate::time::Tick;
use crate::wire::MessageKind;

/// Upper bound for the `k` of [`RumorStop`].
pub const RUMOR_STOP_K_MAX: u32 = 1 << 16;

/// Whether a rumor sender loses interest on what recipients say, or blindly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RumorFeedback {
    /// Lose interest only when a recipient already knew the rumor (needs `Feedback` replies).
    Feedback,
    /// Lose interest on every send, whatever the recipient knew.
    Blind,
}

/// When a rumor sender stops spreading (becomes removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RumorStop {
    /// After `k` occasions (see [`RumorFeedback`]).
    Counter(u32),
    /// With probability `1/k` on each occasion.
    Coin(u32),
}

/// Rumor-mongering parameters (Demers et al. 1987).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RumorConfig {
    /// Push, pull or push-pull.
    pub exchange: Exchange,
    /// Feedback or blind.
    pub feedback: RumorFeedback,
    /// Counter or coin.
    pub stop: RumorStop,
}

impl RumorConfig {
    /// Checks the stop parameter `k` against `1..=RUMOR_STOP_K_MAX`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let (RumorStop::Counter(k) | RumorStop::Coin(k)) = self.stop;
        if !(1..=RUMOR_STOP_K_MAX).contains(&k) {
            return Err(ConfigError::RumorStopK(k));
        }
        Ok(())
    }
}

/// Where a node stands with one rumor. A susceptible node has no rumor entry at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RumorState {
    /// Spreading it; `count` is the counter of [`RumorStop::Counter`] so far.
    Infective {
        /// Counted cycles since the rumor was learned or last reset (see "Losing interest" in
        /// the module docs).
        count: u32,
    },
    /// Knows it and no longer spreads it.
    Removed,
}

/// A node's rumor for one key: the version it is about and its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rumor {
    /// The update this rumor spreads.
    pub version: Version,
    /// Infective or removed.
    pub state: RumorState,
}

/// A rumor and its contacts in the current cycle (see "Losing interest" in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tracked {
    rumor: Rumor,
    /// Peers the rumor was sent to in this cycle.
    contacts: u32,
    /// Feedbacks naming it received in this cycle: contacts that were unnecessary.
    unnecessary: u32,
}

impl Tracked {
    fn infective(version: Version) -> Tracked {
        Tracked {
            rumor: Rumor {
                version,
                state: RumorState::Infective { count: 0 },
            },
            contacts: 0,
            unnecessary: 0,
        }
    }
}

/// Running totals of what rumor mongering did at one node (a part of
/// [`crate::node::Counters`], summed per round in [`crate::sim::RoundRecord`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RumorCounters {
    /// Rumors that became removed.
    pub rumors_removed: u64,
}

impl RumorCounters {
    /// The counts of `self` after `before`: what happened in between.
    pub fn since(&self, before: &RumorCounters) -> RumorCounters {
        RumorCounters {
            rumors_removed: self.rumors_removed - before.rumors_removed,
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &RumorCounters) {
        self.rumors_removed += other.rumors_removed;
    }
}

/// The state of rumor mongering at one node.
#[derive(Clone, Debug)]
pub struct RumorMongering {
    config: RumorConfig,
    // The chance of losing interest per counted cycle with coin(k); never for counter(k).
    coin: Probability,
    rumors: BTreeMap<Vec<u8>, Tracked>,
    // Builds the feedback answering one received data message.
    feedback: Writer,
}

impl RumorMongering {
    pub(crate) fn new(config: RumorConfig) -> RumorMongering {
        let coin = match config.stop {
            RumorStop::Coin(k) => Probability::from_f64(1.0 / f64::from(k)),
            RumorStop::Counter(_) => Probability::NEVER,
        };
        RumorMongering {
            config,
            coin,
            rumors: BTreeMap::new(),
            feedback: Writer::new(),
        }
    }

    /// Its parameters.
    pub fn config(&self) -> &RumorConfig {
        &self.config
    }

    /// The rumor for `key` (`None` means susceptible).
    pub fn rumor(&self, key: &[u8]) -> Option<&Rumor> {
        self.rumors.get(key).map(|t| &t.rumor)
    }

    /// All rumors in key order.
    pub fn rumors(&self) -> impl Iterator<Item = (&[u8], &Rumor)> + '_ {
        self.rumors.iter().map(|(k, t)| (k.as_slice(), &t.rumor))
    }

    /// Whether it is spreading any rumor.
    pub fn is_infective(&self) -> bool {
        self.rumors
            .values()
            .any(|t| matches!(t.rumor.state, RumorState::Infective { .. }))
    }

    pub(crate) fn exchange(&self) -> Exchange {
        self.config.exchange
    }

    pub(crate) fn wants_feedback(&self) -> bool {
        self.config.feedback == RumorFeedback::Feedback
    }

    // A local write starts a new rumor.
    pub(crate) fn on_write(&mut self, key: &[u8], version: Version) {
        self.rumors
            .insert(key.to_vec(), Tracked::infective(version));
    }

    // A version learned from a peer starts a new rumor (reusing the key's slot if it has one).
    pub(crate) fn on_learned(&mut self, key: &[u8], version: Version) {
        let r = Tracked::infective(version);
        match self.rumors.get_mut(key) {
            Some(slot) => *slot = r,
            None => {
                self.rumors.insert(key.to_vec(), r);
            }
        }
    }

    // A collected tombstone takes its rumor with it.
    pub(crate) fn on_collected(&mut self, key: &[u8]) {
        self.rumors.remove(key);
    }

    pub(crate) fn feedback_writer(&mut self) -> &mut Writer {
        &mut self.feedback
    }

    // Puts every infective rumor learned before `now` in the message `cx.writer` is building
    // for `to`, and counts the contacts (see "Losing interest" in the module docs).
    pub(crate) fn send(&mut self, cx: &mut Ctx<'_>, now: Tick, to: &[NodeId], dropped: &mut u64) {
        let age = cx.config.tombstone_age_ticks();
        for (key, tracked) in self.rumors.iter_mut() {
            let RumorState::Infective { .. } = tracked.rumor.state else {
                continue;
            };
            let Some(e) = cx.replica.store().get(key) else {
                continue;
            };
            if e.version() != tracked.rumor.version || !sendable(e, now, age) {
                continue;
            }
            cx.writer.push(
                cx.outbox,
                dropped,
                cx.limits,
                to,
                key,
                e.version(),
                e.value(),
            );
            // Judged at the end of the cycle (see "Losing interest" in the module docs).
            tracked.contacts = tracked.contacts.saturating_add(to.len() as u32);
        }
    }

    // Counts the contacts a feedback says were unnecessary; they are judged with their cycle.
    pub(crate) fn on_feedback(&mut self, msg: &MessageRef<'_>) {
        debug_assert_eq!(msg.kind(), MessageKind::Feedback);
        if !self.wants_feedback() {
            return;
        }
        for item in msg.entries() {
            let Some(tracked) = self.rumors.get_mut(item.key) else {
                continue;
            };
            if tracked.rumor.version == item.version {
                tracked.unnecessary = tracked.unnecessary.saturating_add(1);
            }
        }
    }

    // Judges the cycle that ends now for every rumor, by the rule in "Losing interest" (module
    // docs), and starts a new one.
    pub(crate) fn judge_cycle(&mut self, cx: &mut Ctx<'_>) {
        let r = self.config;
        for (key, tracked) in self.rumors.iter_mut() {
            let (contacts, unnecessary) = (tracked.contacts, tracked.unnecessary);
            tracked.contacts = 0;
            tracked.unnecessary = 0;
            let RumorState::Infective { count } = tracked.rumor.state else {
                continue;
            };
            // counter(k) removes a rumor the cycle its count reaches k.
            debug_assert!(!matches!(r.stop, RumorStop::Counter(k) if count >= k));
            let counted = match r.feedback {
                RumorFeedback::Feedback => unnecessary > 0 && unnecessary >= contacts,
                RumorFeedback::Blind => contacts > 0,
            };
            if !counted {
                // A useful contact resets the counter; a cycle without contacts keeps it.
                if r.feedback == RumorFeedback::Feedback && contacts > 0 {
                    tracked.rumor.state = RumorState::Infective { count: 0 };
                }
                continue;
            }
            if lose_interest(&mut tracked.rumor, r.stop, self.coin, cx.rng) {
                cx.counters.rumor.rumors_removed += 1;
                let ev = Event::RumorRemoved {
                    key: key.clone(),
                    version: tracked.rumor.version,
                };
                cx.events.emit(&mut cx.counters.events_dropped, ev);
            }
        }
    }
}

// Counts one cycle towards losing interest; true if the rumor became removed now.
fn lose_interest(rumor: &mut Rumor, stop: RumorStop, coin: Probability, rng: &mut Rng) -> bool {
    let RumorState::Infective { count } = rumor.state else {
        return false;
    };
    let removed = match stop {
        RumorStop::Counter(k) => {
            let c = count.saturating_add(1);
            rumor.state = RumorState::Infective { count: c };
            c >= k
        }
        RumorStop::Coin(_) => rng.chance(coin),
    };
    if removed {
        rumor.state = RumorState::Removed;
    }
    removed
}

#[cfg(test)]
mod tests {
    use crate::codec::Message;
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::store::Version;
    use crate::time::Tick;
    use alloc::vec;

    #[test]
    fn feedback_counter_removes_a_rumor_after_k_cycles_whose_contacts_already_knew() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(2),
        );
        let mut a = node(0, mode);
        let v = a.write(Tick(0), b"k", b"v").unwrap();
        let fb = feedback_of(b"k", v);
        // Cycle 0: one push, and its recipient already knew.
        a.handle_tick(Tick(0));
        assert_eq!(sent(&mut a).len(), 1);
        a.handle_message(Tick(2), 1, &fb).unwrap();
        assert_eq!(
            a.rumor(b"k").unwrap().state,
            RumorState::Infective { count: 0 },
            "judged at the end of the cycle, not on arrival"
        );
        // Cycle 1 starts by judging cycle 0, and pushes again.
        a.handle_tick(Tick(4));
        assert_eq!(
            a.rumor(b"k").unwrap().state,
            RumorState::Infective { count: 1 }
        );
        assert_eq!(sent(&mut a).len(), 1);
        a.handle_message(Tick(6), 2, &fb).unwrap();
        a.handle_tick(Tick(8));
        assert_eq!(a.rumor(b"k").unwrap().state, RumorState::Removed);
        assert_eq!(
            a.poll_event(),
            Some(Event::RumorRemoved {
                key: b"k".to_vec(),
                version: v
            })
        );
        // Removed at the end of cycle 1, so nothing is pushed in cycle 2.
        assert!(sent(&mut a).is_empty());
    }

    #[test]
    fn a_cycle_with_a_useful_contact_resets_the_counter() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(3),
        );
        let config = NodeConfig {
            mode,
            fanout: 2,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 4);
        let v = a.write(Tick(0), b"k", b"v").unwrap();
        let fb = feedback_of(b"k", v);
        let count = |a: &Node| match a.rumor(b"k").unwrap().state {
            RumorState::Infective { count } => count,
            RumorState::Removed => panic!("removed"),
        };
        // Both recipients knew: counted.
        a.handle_tick(Tick(0));
        a.handle_message(Tick(2), 1, &fb).unwrap();
        a.handle_message(Tick(2), 2, &fb).unwrap();
        a.handle_tick(Tick(4));
        assert_eq!(count(&a), 1);
        // One of the two did not know (no feedback): the cycle was useful.
        a.handle_message(Tick(6), 1, &fb).unwrap();
        a.handle_tick(Tick(8));
        assert_eq!(count(&a), 0);
        // Both knew again: counted from 0.
        a.handle_message(Tick(10), 1, &fb).unwrap();
        a.handle_message(Tick(10), 3, &fb).unwrap();
        a.handle_tick(Tick(12));
        assert_eq!(count(&a), 1);
        assert_eq!(sent(&mut a).len(), 8, "two pushes in each of four cycles");
    }

    #[test]
    fn a_copy_arriving_in_the_tick_another_copy_taught_is_useful() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(1),
        );
        let mut b = node(1, mode);
        b.handle_message(Tick(1), 0, &push_of(b"k", 5, 0)).unwrap();
        b.handle_message(Tick(1), 2, &push_of(b"k", 5, 0)).unwrap();
        assert!(sent(&mut b).is_empty(), "both copies were useful");
        b.handle_message(Tick(2), 3, &push_of(b"k", 5, 0)).unwrap();
        assert_eq!(sent(&mut b).len(), 1, "known since tick 1");
    }

    #[test]
    fn a_recipient_that_already_knew_says_so_in_feedback() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(2),
        );
        let mut b = node(1, mode);
        b.handle_message(Tick(0), 0, &push_of(b"k", 5, 0)).unwrap();
        assert!(sent(&mut b).is_empty(), "nothing known: no feedback");
        b.handle_message(Tick(1), 2, &push_of(b"k", 5, 0)).unwrap();
        let out = sent(&mut b);
        assert_eq!(
            out,
            [(
                2,
                Message::Feedback(vec![(
                    b"k".to_vec(),
                    Version {
                        counter: 5,
                        origin: 0
                    }
                )])
            )]
        );
    }

    #[test]
    fn blind_counter_removes_a_rumor_after_k_cycles_with_sends() {
        let mode = rumor(Exchange::Push, RumorFeedback::Blind, RumorStop::Counter(3));
        let mut a = node(0, mode);
        a.write(Tick(0), b"k", b"v").unwrap();
        for round in 0..3 {
            a.handle_tick(Tick(round * 4));
            assert!(a.is_infective(), "round {round}");
            assert_eq!(sent(&mut a).len(), 1);
        }
        // The third cycle with a send is judged at the start of the fourth.
        a.handle_tick(Tick(12));
        assert!(!a.is_infective());
        assert!(sent(&mut a).is_empty());
        assert_eq!(a.counters().rumor.rumors_removed, 1);
    }
}
