//! The record of one round: the counts every protocol shares, plus each protocol's own.
//!
//! A [`RoundRecord`] is filled during the round (the simulator adds what each node did around
//! every input it hands the node) and closed at the round's last tick, with the network's
//! counts and the coverage of every tracked key. A protocol's own counts are its own struct
//! ([`FullStateCounters`], [`RumorCounters`], [`AntiEntropyCounters`]), summed here as a whole: a new protocol adds one field holding its
//! struct, not a flat field per count. The records are what the app charts, the runner prints
//! and `core/tests/golden.rs` hashes, field by field.

use alloc::vec::Vec;

use crate::node::{AntiEntropyCounters, Counters, FullStateCounters, RumorCounters, SwimCounters};
use crate::sim::{Cluster, KeyCoverage, MembershipRound};
use crate::time::Round;

/// What happened in one round.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RoundRecord {
    /// The round.
    pub round: Round,
    /// Live nodes at the end of the round.
    pub live_nodes: u32,
    /// Messages sent by nodes.
    pub messages_sent: u64,
    /// Of those, the ones that can carry entries (push, push-pull, reply); requests and
    /// feedback are not counted. In rumor mongering this is the traffic of Demers et al.
    pub messages_data: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Messages (network copies included) delivered to live nodes.
    pub messages_delivered: u64,
    /// Delivered data messages (push, push-pull, reply) that carried entries, none of them new
    /// to the receiver: duplicates.
    pub messages_redundant: u64,
    /// Messages lost by links.
    pub messages_lost: u64,
    /// Messages dropped by a partition.
    pub messages_cut: u64,
    /// Messages dropped because too many were in flight.
    pub messages_overflow: u64,
    /// Copies made by network duplication.
    pub messages_duplicated: u64,
    /// Messages that arrived at a crashed node.
    pub messages_to_down: u64,
    /// Messages a node rejected as malformed.
    pub messages_rejected: u64,
    /// Messages nodes could not send because their outbox was full (the sum of the nodes'
    /// [`crate::node::Counters::outbox_dropped`] over the round); they never reached the
    /// network.
    pub outbox_dropped: u64,
    /// Actions applied this round.
    pub actions_applied: u32,
    /// Scheduled actions that failed this round.
    pub actions_failed: u32,
    /// For each tracked key (in key order), how far its newest version has spread: every key
    /// written, except those no live node holds any version of (see [`crate::sim::coverage`]:
    /// a tombstone collected everywhere, a write lost with every node that held it).
    pub coverage: Vec<KeyCoverage>,
    /// What full-state anti-entropy did this round, summed over the nodes (all zero in rumor
    /// mongering).
    pub full_state: FullStateCounters,
    /// What rumor mongering did this round, summed over the nodes (all zero in full state).
    pub rumor: RumorCounters,
    /// What SWIM did this round, summed over the nodes (all zero with the oracle).
    pub swim: SwimCounters,
    /// How the views moved this round against the truth (SWIM only; see
    /// [`crate::sim::membership`]).
    pub membership: MembershipRound,
    /// What anti-entropy sessions did this round, summed over the nodes: sessions started,
    /// completed and abandoned (by reason), bytes sent, entries repaired (all zero without
    /// anti-entropy).
    pub anti_entropy: AntiEntropyCounters,
}

impl RoundRecord {
    // Adds what a node did between `before` and `after` (its counters around one input).
    pub(crate) fn add_node(&mut self, before: &Counters, after: &Counters) {
        self.messages_redundant += after.data_messages_redundant - before.data_messages_redundant;
        self.outbox_dropped += after.outbox_dropped - before.outbox_dropped;
        self.full_state
            .add(&after.full_state.since(&before.full_state));
        self.rumor.add(&after.rumor.since(&before.rumor));
        self.swim.add(&after.swim.since(&before.swim));
        self.anti_entropy
            .add(&after.anti_entropy.since(&before.anti_entropy));
    }
}

impl Cluster {
    // Closes the record of `round` and keeps it (dropping the oldest beyond `records_max`).
    pub(crate) fn finish_round(&mut self, round: Round) {
        let c = *self.net.counters();
        let s = self.net_at_round_start;
        self.net_at_round_start = c;
        self.debug_check_coverage();
        let coverage = self.coverage.snapshot();
        let membership = self
            .views
            .finish_round(round.0 as u32, self.members.len() as u32);
        let record = RoundRecord {
            round,
            live_nodes: self.members.len() as u32,
            messages_lost: c.lost - s.lost,
            messages_cut: c.cut - s.cut,
            messages_overflow: c.overflow - s.overflow,
            messages_duplicated: c.duplicated - s.duplicated,
            coverage,
            membership,
            ..core::mem::take(&mut self.current)
        };
        if self.records.len() >= self.config.records_max as usize {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }
}

#[cfg(test)]
mod tests {
    use crate::node::NodeId;
    use crate::sim::tests::rumor_config;
    use crate::sim::Cluster;

    #[test]
    fn the_rounds_rumor_counts_sum_to_the_nodes_own() {
        let mut c = Cluster::new(rumor_config(40, 9)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.step_rounds(30);
        let by_rounds: u64 = c.records().map(|r| r.rumor.rumors_removed).sum();
        let by_nodes: u64 = (0..40 as NodeId)
            .map(|id| c.node(id).unwrap().counters().rumor.rumors_removed)
            .sum();
        assert!(by_nodes > 0, "counter(2) with feedback removes rumors");
        assert_eq!(by_rounds, by_nodes);
    }

    #[test]
    fn the_rounds_full_state_counts_sum_to_the_nodes_own() {
        let mut c = Cluster::new(crate::sim::ClusterConfig::new(12, 4)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.write(3, b"j", b"w").unwrap();
        c.step_rounds(10);
        let by_rounds: u64 = c.records().map(|r| r.full_state.entries_sent).sum();
        let by_nodes: u64 = (0..12 as NodeId)
            .map(|id| c.node(id).unwrap().counters().full_state.entries_sent)
            .sum();
        assert!(by_nodes > 0);
        assert_eq!(by_rounds, by_nodes);
        assert!(c.records().all(|r| r.rumor.rumors_removed == 0));
    }
}
