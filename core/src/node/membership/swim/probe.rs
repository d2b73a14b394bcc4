//! Which member to probe next, and the state of one probe and of the ping-reqs a node serves.
//!
//! # Probe order
//! [`ProbeOrder::RoundRobin`] (memberlist, SWIM §4.3): a list of the live members, walked in
//! order; at the end of the list it is rebuilt from the table and shuffled (O(N), once per N
//! probes); a member that becomes live and is not in the list is appended and swapped with a
//! random position (memberlist's `randomOffset`), O(1); members no longer live are skipped
//! when reached. Every live member is probed once per walk, so two probes of one member are at
//! most 2N - 1 periods apart. [`ProbeOrder::Uniform`] (SWIM §3.1's analysis): a uniform random
//! entry of the same list, an entry no longer live being removed when drawn.
//! Whether a member is in the list is one bit of its table entry, so no second index is kept.
//!
//! # One probe
//! At the start of a period the node pings the target with a fresh sequence number. If no ack
//! has come by `probe_timeout_ticks` (stretched by local health) it sends a ping-req to k
//! random live members other than itself and the target. An ack (direct, or relayed by a
//! helper) with the probe's sequence number by the last tick of the period makes the probe a
//! success; otherwise, at that tick, the target becomes suspect (or dead in basic SWIM).

use alloc::vec::Vec;

use crate::node::membership::swim::config::ProbeOrder;
use crate::node::membership::swim::table::Table;
use crate::node::NodeId;
use crate::rng::Rng;
use crate::time::Tick;

/// The probe list (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Order {
    list: Vec<NodeId>,
    cursor: usize,
}

impl Order {
    /// The next member to probe, if any live member other than `me` is known.
    pub(crate) fn next(
        &mut self,
        order: ProbeOrder,
        table: &mut Table,
        me: NodeId,
        rng: &mut Rng,
    ) -> Option<NodeId> {
        match order {
            ProbeOrder::RoundRobin => self.next_round_robin(table, me, rng),
            ProbeOrder::Uniform => self.next_uniform(table, me, rng),
        }
    }

    fn is_target(table: &Table, me: NodeId, id: NodeId) -> bool {
        id != me && table.get(id).is_some_and(|v| v.state.is_live())
    }

    fn next_round_robin(&mut self, table: &mut Table, me: NodeId, rng: &mut Rng) -> Option<NodeId> {
        let mut rebuilt = false;
        loop {
            if self.cursor >= self.list.len() {
                if rebuilt {
                    return None;
                }
                self.rebuild(table, me, rng);
                rebuilt = true;
                continue;
            }
            let id = self.list[self.cursor];
            self.cursor += 1;
            if Self::is_target(table, me, id) {
                return Some(id);
            }
        }
    }

    fn next_uniform(&mut self, table: &mut Table, me: NodeId, rng: &mut Rng) -> Option<NodeId> {
        if self.list.is_empty() {
            self.rebuild(table, me, rng);
        }
        while !self.list.is_empty() {
            let i = rng.below(self.list.len() as u32) as usize;
            let id = self.list[i];
            if Self::is_target(table, me, id) {
                return Some(id);
            }
            self.list.swap_remove(i);
            table.set_listed(id, false);
        }
        None
    }

    // Rebuilds the list from the table's live members and shuffles it (Fisher-Yates).
    fn rebuild(&mut self, table: &mut Table, me: NodeId, rng: &mut Rng) {
        for &id in &self.list {
            table.set_listed(id, false);
        }
        self.list.clear();
        table.list_live(me, &mut self.list);
        // The same draws from a local copy of the stream, written back after: its state
        // stays in registers through the N swaps instead of being stored at every draw.
        let mut r = rng.clone();
        for i in (1..self.list.len()).rev() {
            let j = r.below(i as u32 + 1) as usize;
            self.list.swap(i, j);
        }
        *rng = r;
        self.cursor = 0;
    }

    /// `id` became live: put it in the list at a random position unless it is there already.
    pub(crate) fn insert(&mut self, table: &mut Table, me: NodeId, id: NodeId, rng: &mut Rng) {
        if id == me || table.listed(id) || self.list.is_empty() {
            // An empty list is rebuilt from the table at the next probe.
            return;
        }
        self.list.push(id);
        table.set_listed(id, true);
        let last = self.list.len() - 1;
        let j = rng.below(self.list.len() as u32) as usize;
        self.list.swap(last, j);
    }

    /// Members in the list (some may no longer be live).
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// The entry at `i` of the list.
    pub(crate) fn at(&self, i: usize) -> Option<NodeId> {
        self.list.get(i).copied()
    }

    /// The member the next round-robin probe will try first (it may be skipped if no longer
    /// live), if the walk is not at its end.
    pub(crate) fn peek(&self) -> Option<NodeId> {
        self.list.get(self.cursor).copied()
    }
}

/// This node's probe of the current period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The member probed.
    pub target: NodeId,
    /// The ping's sequence number; an ack must carry it.
    pub seq: u32,
    /// The tick of the ping.
    pub started: Tick,
    /// When ping-reqs go out if no ack has come.
    pub timeout_at: Tick,
    /// The last tick of its period: without an ack by then (acks delivered at that tick
    /// count) the probe fails there, so in the simulator it fails within the round it began.
    pub ends: Tick,
    /// Whether an ack came.
    pub acked: bool,
    /// Whether the ping-reqs went out.
    pub indirect: bool,
    /// Nacks expected (one per helper asked for one).
    pub nacks_expected: u32,
    /// Nacks received.
    pub nacks: u32,
}

/// A ping-req this node serves: it pinged `target` with `seq` for `origin`'s probe
/// `origin_seq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Relay {
    pub(crate) origin: NodeId,
    pub(crate) origin_seq: u32,
    pub(crate) seq: u32,
    pub(crate) deadline: Tick,
    pub(crate) nack: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::membership::swim::table::{MemberState, MemberView};

    fn table(n: u32) -> Table {
        let mut t = Table::new();
        for i in 0..n {
            t.set(
                i,
                MemberView {
                    state: MemberState::Alive,
                    incarnation: 0,
                },
            );
        }
        t
    }

    #[test]
    fn round_robin_probes_every_member_once_per_walk_and_never_self() {
        let (mut t, mut o, mut rng) = (table(10), Order::default(), Rng::from_seed(3));
        for _ in 0..5 {
            let mut walk: Vec<NodeId> = (0..9)
                .map(|_| o.next(ProbeOrder::RoundRobin, &mut t, 4, &mut rng).unwrap())
                .collect();
            walk.sort_unstable();
            assert_eq!(walk, [0, 1, 2, 3, 5, 6, 7, 8, 9]);
        }
    }

    #[test]
    fn round_robin_never_leaves_more_than_2n_minus_1_periods_between_two_probes() {
        let n = 7u32;
        let (mut t, mut o, mut rng) = (table(n + 1), Order::default(), Rng::from_seed(11));
        let mut last = [None::<u32>; 8];
        for period in 0..2000u32 {
            let id = o.next(ProbeOrder::RoundRobin, &mut t, n, &mut rng).unwrap();
            if let Some(p) = last[id as usize] {
                // At most 2N - 1 periods apart (SWIM §4.3).
                assert!(period - p < 2 * n, "{id}: {p} then {period}");
            }
            last[id as usize] = Some(period);
        }
    }

    #[test]
    fn dead_members_are_skipped_and_a_new_one_is_inserted() {
        let (mut t, mut o, mut rng) = (table(3), Order::default(), Rng::from_seed(1));
        let dead = MemberView {
            state: MemberState::Dead,
            incarnation: 0,
        };
        o.next(ProbeOrder::RoundRobin, &mut t, 0, &mut rng).unwrap();
        t.set(1, dead);
        t.set(2, dead);
        assert_eq!(o.next(ProbeOrder::RoundRobin, &mut t, 0, &mut rng), None);
        let alive = MemberView {
            state: MemberState::Alive,
            incarnation: 1,
        };
        t.set(5, alive);
        o.insert(&mut t, 0, 5, &mut rng);
        assert_eq!(o.next(ProbeOrder::RoundRobin, &mut t, 0, &mut rng), Some(5));
        assert_eq!(o.next(ProbeOrder::Uniform, &mut t, 0, &mut rng), Some(5));
    }
}
