//! Full-state anti-entropy: the dissemination strategy that sends everything, for ever.
//!
//! **Anti-entropy** ([`crate::node::Mode::AntiEntropy`]): full-state exchange, the baseline for
//! later digest and Merkle work. Push sends every entry; pull sends a `Request` answered by a
//! `Reply` with every entry; push-pull does both in one round trip. Every holder of a version
//! spreads it at every gossip interval, so a full-state node is never quiescent.
//!
//! This file owns the strategy's state (only its exchange: what it sends is the store itself)
//! and what it puts in the data messages (every sendable entry, split at the message limits by
//! the writer). Its bodies are the entry lists of [`crate::codec`], shared with rumor
//! mongering, which is why the counts of data messages received, new and redundant are the
//! node's common [`crate::node::Counters`]; what it sends is counted in its own
//! [`FullStateCounters`], as a digest or Merkle strategy will count its digests and diffs in
//! its own struct.

use crate::node::config::Exchange;
use crate::node::dissemination::{sendable, Ctx};
use crate::node::NodeId;
use crate::time::Tick;

/// Running totals of what full-state anti-entropy did at one node (a part of
/// [`crate::node::Counters`], summed per round in [`crate::sim::RoundRecord`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FullStateCounters {
    /// Entries put in data messages, once per peer a message is for (a push of 3 entries to
    /// 2 peers counts 6), whether or not the outbox had room: the cost of sending everything.
    pub entries_sent: u64,
}

impl FullStateCounters {
    /// The counts of `self` after `before`: what happened in between.
    pub fn since(&self, before: &FullStateCounters) -> FullStateCounters {
        FullStateCounters {
            entries_sent: self.entries_sent - before.entries_sent,
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &FullStateCounters) {
        self.entries_sent += other.entries_sent;
    }
}

/// The state of full-state anti-entropy at one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FullState {
    exchange: Exchange,
}

impl FullState {
    pub(crate) fn new(exchange: Exchange) -> FullState {
        FullState { exchange }
    }

    /// Push, pull or push-pull.
    pub fn exchange(&self) -> Exchange {
        self.exchange
    }

    // Puts every entry learned before `now` (tombstones old enough to be collected excepted)
    // in the message `cx.writer` is building for `to`, in key order.
    pub(crate) fn send(&self, cx: &mut Ctx<'_>, now: Tick, to: &[NodeId], dropped: &mut u64) {
        let age = cx.config.tombstone_age_ticks();
        for (key, e) in cx.replica.store().iter() {
            if sendable(e, now, age) {
                cx.writer.push(
                    cx.outbox,
                    dropped,
                    cx.limits,
                    to,
                    key,
                    e.version(),
                    e.value(),
                );
                cx.counters.full_state.entries_sent += to.len() as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::codec::Message;
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::time::Tick;
    use crate::wire::MessageKind;

    #[test]
    fn a_pull_request_is_answered_with_every_entry_learned_before_it() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Pull));
        a.write(Tick(0), b"a", b"1").unwrap();
        a.write(Tick(0), b"b", b"2").unwrap();
        a.handle_message(Tick(1), 1, &[MessageKind::Request as u8])
            .unwrap();
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, 1);
        assert!(matches!(&out[0].1, Message::Reply(es) if es.len() == 2));
    }

    #[test]
    fn a_pull_node_sends_requests_even_when_empty() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Pull));
        a.handle_tick(Tick(0));
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].1, Message::Request);
    }

    #[test]
    fn every_entry_sent_to_every_peer_is_counted() {
        let config = NodeConfig {
            mode: Mode::AntiEntropy(Exchange::Push),
            fanout: 2,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 4);
        a.write(Tick(0), b"a", b"1").unwrap();
        a.write(Tick(0), b"b", b"2").unwrap();
        a.write(Tick(0), b"c", b"3").unwrap();
        a.handle_tick(Tick(0));
        assert_eq!(a.outbox_len(), 2);
        assert_eq!(a.counters().full_state.entries_sent, 6);
        assert_eq!(a.counters().rumor, RumorCounters::default());
    }
}
