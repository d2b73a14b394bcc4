//! Slow nodes: a node that handles its inbound messages and its timers late by `D` ticks.
//!
//! This is the CPU-exhaustion case Lifeguard (Dadgar, Phillips and Currey, 2018) was built
//! for: the node is up and nothing it receives is lost, but everything happens to it late, so
//! it answers late and its own timers fire late. It is started and ended by
//! [`Action::Slow`](crate::sim::Action::Slow) (`lag_ticks = 0` ends it).
//!
//! # The model
//! While node `n` is slow with lag `D`, its clock runs `D` ticks behind the real one:
//! * a message that arrives for it at real tick `a` is queued, and handled at real tick `a + D`
//!   with `now = a` (so the node sees the time it would have seen, had it kept up);
//! * at real tick `t` it is ticked with `handle_tick(t - D)`, and only for node times it has not
//!   handled yet: when a slow episode starts the node stalls for `D` ticks, it never goes back;
//! * what it sends goes out at the real tick it is handled (the network sees the delay).
//!
//! When the lag is lowered (to 0, or to a smaller lag) the node catches up at once, in that
//! same tick: it handles, in order, its queued messages and its ticks up to its new node time.
//! Within one node time the order is the normal delivery rule's: the messages that arrived at
//! that tick in send order, then the tick. A slow node is handled in the tick phase of
//! [`Cluster::step_tick`], in id order among the other nodes, so a run stays a pure function of
//! its configuration and actions.
//!
//! A crash drops the queue (each message counted in `messages_to_down`, as for any message
//! that reaches a crashed node) and ends the episode: a restarted node keeps up. The queues of
//! all slow nodes together hold at most `net.in_flight_messages_max` messages (they are
//! messages the network has delivered but the node has not yet taken in, so they share the
//! network's bound); a message beyond it is dropped and counted in
//! [`SlowCounters::messages_queue_overflow`]. Nothing here draws randomness.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::net::InFlight;
use crate::node::NodeId;
use crate::sim::{ActionError, Cluster};
use crate::time::Tick;

/// The largest lag of a slow node, in ticks (about 16 rounds at the most ticks per round).
pub const SLOW_LAG_TICKS_MAX: u32 = 1 << 14;

/// What the slow-node machinery did over the whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlowCounters {
    /// Messages queued at a slow node (each one handled later, dropped by a crash, or still
    /// queued).
    pub messages_queued: u64,
    /// Messages dropped because the queues already held `net.in_flight_messages_max`.
    pub messages_queue_overflow: u64,
    /// Queued messages dropped because their node crashed (also in `messages_to_down`).
    pub messages_dropped_by_crash: u64,
}

// One slow (or catching-up) node.
#[derive(Clone, Debug)]
struct Lagging {
    lag_ticks: u32,
    // The next node time to tick; every node time before it has been handled.
    next_tick: Tick,
    // Arrived messages not yet handled, in arrival (= send) order; `deliver` is the arrival.
    queue: VecDeque<InFlight>,
}

/// The slow nodes of a cluster. Empty (and allocation-free) until the first slow episode.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slow {
    // Indexed by node id; grown to the cluster's size at the first episode.
    nodes: Vec<Option<Lagging>>,
    queued: usize,
    counters: SlowCounters,
}

impl Slow {
    // Whether node `id`'s inputs go through its queue (slow, or not caught up yet).
    pub(crate) fn is_lagging(&self, id: NodeId) -> bool {
        self.nodes
            .get(id as usize)
            .is_some_and(|slot| slot.is_some())
    }

    // Queues `m` for its (slow) receiver; returns it back if the queues are full.
    pub(crate) fn enqueue(&mut self, m: InFlight, queued_max: u32) -> Option<InFlight> {
        if self.queued >= queued_max as usize {
            self.counters.messages_queue_overflow += 1;
            return Some(m);
        }
        let Some(Some(l)) = self.nodes.get_mut(m.to as usize) else {
            return Some(m);
        };
        self.counters.messages_queued += 1;
        self.queued += 1;
        l.queue.push_back(m);
        None
    }

    // Every queued message, for readers (quiescence, views).
    pub(crate) fn queued(&self) -> impl Iterator<Item = &InFlight> + '_ {
        self.nodes.iter().flatten().flat_map(|l| l.queue.iter())
    }

    // Ends node `id`'s episode because it crashed; returns its queued messages.
    pub(crate) fn crashed(&mut self, id: NodeId) -> VecDeque<InFlight> {
        let Some(l) = self.nodes.get_mut(id as usize).and_then(Option::take) else {
            return VecDeque::new();
        };
        self.queued -= l.queue.len();
        self.counters.messages_dropped_by_crash += l.queue.len() as u64;
        l.queue
    }

    fn lag_ticks(&self, id: NodeId) -> u32 {
        self.nodes
            .get(id as usize)
            .and_then(Option::as_ref)
            .map_or(0, |l| l.lag_ticks)
    }
}

impl Cluster {
    /// Node `id`'s current lag in ticks: 0 if it keeps up (or is down, or does not exist).
    pub fn lag_ticks(&self, id: NodeId) -> u32 {
        self.slow.lag_ticks(id)
    }

    /// Messages that arrived for node `id` and wait in its slow queue.
    pub fn queued_messages(&self, id: NodeId) -> usize {
        self.slow
            .nodes
            .get(id as usize)
            .and_then(Option::as_ref)
            .map_or(0, |l| l.queue.len())
    }

    /// What slow nodes did over the whole run.
    pub fn slow_counters(&self) -> &SlowCounters {
        &self.slow.counters
    }

    /// Node `n` runs `lag_ticks` behind from now (0 = it catches up and keeps up again).
    pub fn slow(&mut self, n: NodeId, lag_ticks: u32) -> Result<(), crate::sim::ActionError> {
        self.apply(crate::sim::Action::Slow { node: n, lag_ticks })
    }

    // Sets node `id`'s lag (the action's effect; see the module docs).
    pub(crate) fn do_slow(&mut self, id: NodeId, lag_ticks: u32) -> Result<(), ActionError> {
        if lag_ticks > SLOW_LAG_TICKS_MAX {
            return Err(ActionError::LagTooLarge {
                lag_ticks,
                max: SLOW_LAG_TICKS_MAX,
            });
        }
        let now = self.now;
        let len = self.nodes.len();
        self.slot(id)?.as_ref().ok_or(ActionError::NodeDown(id))?;
        let slots = &mut self.slow.nodes;
        match slots.get_mut(id as usize).and_then(Option::as_mut) {
            Some(l) => l.lag_ticks = lag_ticks,
            // A node that keeps up and is told to keep up: nothing to do.
            None if lag_ticks == 0 => {}
            None => {
                slots.resize_with(len, || None);
                slots[id as usize] = Some(Lagging {
                    lag_ticks,
                    next_tick: now,
                    queue: VecDeque::new(),
                });
            }
        }
        Ok(())
    }

    // The tick phase for a lagging node at real tick `t`: every node time up to `t - lag` not
    // handled yet, each one's arrived messages first and then its tick. A node that has caught
    // up with lag 0 becomes a normal node again.
    pub(crate) fn tick_lagging(&mut self, id: NodeId, t: Tick) {
        loop {
            let Some(l) = self.slow.nodes[id as usize].as_mut() else {
                return;
            };
            let Some(target) = t.0.checked_sub(u64::from(l.lag_ticks)) else {
                return;
            };
            let s = l.next_tick;
            if s.0 > target {
                break;
            }
            while let Some(m) = self.pop_arrived(id, s) {
                self.handle_delivery(m.deliver, m);
            }
            self.tick_node(id, s);
            if let Some(l) = self.slow.nodes[id as usize].as_mut() {
                l.next_tick = s.next();
            }
        }
        let slot = &mut self.slow.nodes[id as usize];
        if slot
            .as_ref()
            .is_some_and(|l| l.lag_ticks == 0 && l.queue.is_empty() && l.next_tick == t.next())
        {
            *slot = None;
        }
    }

    // The next queued message of node `id` that arrived at or before node time `s`.
    fn pop_arrived(&mut self, id: NodeId, s: Tick) -> Option<InFlight> {
        let l = self.slow.nodes[id as usize].as_mut()?;
        if l.queue.front()?.deliver > s {
            return None;
        }
        self.slow.queued -= 1;
        l.queue.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use crate::net::LinkConfig;
    use crate::node::{Exchange, Mode, NodeId};
    use crate::sim::{ActionError, Cluster, ClusterConfig, SLOW_LAG_TICKS_MAX};
    use crate::time::{Round, Tick};
    use crate::wire::MessageKind;

    // Two nodes pulling every `interval` ticks; node 1 holds one key, so its replies carry it.
    fn pull_pair(interval: u32) -> Cluster {
        let mut cfg = ClusterConfig::new(2, 7);
        cfg.node.mode = Mode::AntiEntropy(Exchange::Pull);
        cfg.node.gossip_interval_ticks = interval;
        let mut c = Cluster::new(cfg).unwrap();
        c.write(1, b"k", b"v").unwrap();
        c
    }

    // Every message node `from` sent, as (sent tick, kind, bytes), in send order, over `ticks`.
    fn sends(c: &mut Cluster, from: NodeId, ticks: u64) -> Vec<(u64, MessageKind, Vec<u8>)> {
        let mut out = Vec::new();
        for _ in 0..ticks {
            let t = c.now();
            c.step_tick();
            // Latency is 1 tick, so what was sent at `t` is in flight now, in send order.
            out.extend(
                c.in_flight()
                    .filter(|m| m.from == from && m.sent == t)
                    .map(|m| (t.0, m.kind, m.bytes.clone())),
            );
        }
        out
    }

    #[test]
    fn a_slow_nodes_replies_go_out_exactly_lag_ticks_late() {
        let lag = 3;
        let mut normal = pull_pair(4);
        let mut slow = pull_pair(4);
        slow.schedule(
            Round(2),
            crate::sim::Action::Slow {
                node: 1,
                lag_ticks: lag,
            },
        )
        .unwrap();
        let replies = |v: Vec<(u64, MessageKind, Vec<u8>)>| -> Vec<(u64, Vec<u8>)> {
            v.into_iter()
                .filter(|(_, k, _)| *k == MessageKind::Reply)
                .map(|(t, _, b)| (t, b))
                .collect()
        };
        let a = replies(sends(&mut normal, 1, 40));
        let b = replies(sends(&mut slow, 1, 40 + u64::from(lag)));
        // Node 0 asks at ticks 0, 4, 8, ...; node 1 answers on arrival, one tick later.
        assert_eq!(
            a.iter().map(|r| r.0).take(4).collect::<Vec<_>>(),
            [1, 5, 9, 13]
        );
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            // Slow from tick 8 (round 2): the answers to requests arriving from then on are late.
            let late = if x.0 >= 8 { u64::from(lag) } else { 0 };
            assert_eq!(y.0, x.0 + late);
            assert_eq!(x.1, y.1, "the same answer, only later");
        }
        assert_eq!(slow.lag_ticks(1), lag);
    }

    #[test]
    fn catching_up_handles_the_backlog_in_one_tick_in_the_normal_order() {
        let mut normal = pull_pair(1);
        let mut slow = pull_pair(1);
        slow.schedule(
            Round(2),
            crate::sim::Action::Slow {
                node: 1,
                lag_ticks: 8,
            },
        )
        .unwrap();
        slow.schedule(
            Round(4),
            crate::sim::Action::Slow {
                node: 1,
                lag_ticks: 0,
            },
        )
        .unwrap();
        let a = sends(&mut normal, 1, 24);
        let b = sends(&mut slow, 1, 24);
        // Stalled from tick 8: nothing sent at ticks 8 to 15.
        assert!(b.iter().all(|s| !(8..16).contains(&s.0)));
        assert!(slow.queued_messages(1) == 0 && slow.lag_ticks(1) == 0);
        // At tick 16 it sends what a normal node sends at ticks 8 to 16, in that order (each
        // tick's replies, then its own request); afterwards it keeps up.
        let backlog: Vec<_> = a.iter().filter(|s| (8..=16).contains(&s.0)).collect();
        let at_16: Vec<_> = b.iter().filter(|s| s.0 == 16).collect();
        assert_eq!(backlog.len(), at_16.len());
        for (x, y) in backlog.iter().zip(&at_16) {
            assert_eq!((x.1, &x.2), (y.1, &y.2));
        }
        let after = |v: &[(u64, MessageKind, Vec<u8>)]| -> Vec<_> {
            v.iter().filter(|s| s.0 > 16).cloned().collect()
        };
        assert_eq!(after(&a), after(&b));
        // Queued: node 0's requests arriving at ticks 8 to 16 (16 too: the node still takes its
        // input through the queue in the tick it catches up), and node 0's answers arriving at
        // ticks 8 and 9 to the requests node 1 sent at 6 and 7.
        assert_eq!(slow.slow_counters().messages_queued, 9 + 2);
    }

    #[test]
    fn nothing_sent_to_a_slow_node_is_lost() {
        let mut normal = pull_pair(1);
        let mut slow = pull_pair(1);
        slow.slow(1, 5).unwrap();
        slow.step_rounds(10);
        slow.slow(1, 0).unwrap();
        slow.step_rounds(2);
        normal.step_rounds(12);
        let delivered = |c: &Cluster| c.records().map(|r| r.messages_delivered).sum::<u64>();
        let sent = |c: &Cluster| c.records().map(|r| r.messages_sent).sum::<u64>();
        // By the end both runs have handled node times 0 to 47: the same messages were sent
        // and delivered, only some of them later.
        assert_eq!(slow.queued_messages(1), 0);
        assert_eq!(slow.in_flight().count(), normal.in_flight().count());
        assert_eq!(delivered(&slow), delivered(&normal));
        assert_eq!(sent(&slow), sent(&normal));
        assert_eq!(slow.slow_counters().messages_queue_overflow, 0);
    }

    #[test]
    fn a_crash_while_slow_drops_the_queue_and_ends_the_episode() {
        let mut c = pull_pair(1);
        c.slow(1, 6).unwrap();
        c.step_rounds(1);
        let queued = c.queued_messages(1) as u64;
        assert_eq!(
            queued, 3,
            "one request a tick from tick 0, none handled yet"
        );
        let to_down_before: u64 = c.records().map(|r| r.messages_to_down).sum();
        c.crash(1).unwrap();
        c.step_round();
        let to_down: u64 = c.records().map(|r| r.messages_to_down).sum();
        // The queue plus the request in flight at the crash (node 0, told at once that node 1
        // is down, sends no more).
        assert_eq!(to_down - to_down_before, queued + 1);
        assert_eq!(c.slow_counters().messages_dropped_by_crash, queued);
        c.restart(1).unwrap();
        assert_eq!(c.lag_ticks(1), 0);
        let t = c.now().0;
        let replies = sends(&mut c, 1, 2);
        // Back up and keeping up: node 0's request sent at t arrives and is answered at t + 1.
        assert!(replies
            .iter()
            .any(|s| s.0 == t + 1 && s.1 == MessageKind::Reply));
    }

    #[test]
    fn the_queues_are_bounded_and_overflow_is_counted() {
        let mut cfg = ClusterConfig::new(2, 7);
        cfg.node.mode = Mode::AntiEntropy(Exchange::Pull);
        cfg.node.gossip_interval_ticks = 1;
        cfg.net.in_flight_messages_max = 3;
        let mut c = Cluster::new(cfg).unwrap();
        c.slow(1, 10).unwrap();
        c.step_rounds(2);
        assert_eq!(c.queued_messages(1), 3);
        // Node 0's requests arriving at ticks 1 to 7 (node 1, stalled, sends nothing).
        assert_eq!(c.slow_counters().messages_queue_overflow, 7 - 3);
    }

    #[test]
    fn a_lag_above_the_limit_or_for_a_down_node_is_refused() {
        let mut c = pull_pair(4);
        assert_eq!(
            c.slow(1, SLOW_LAG_TICKS_MAX + 1),
            Err(ActionError::LagTooLarge {
                lag_ticks: SLOW_LAG_TICKS_MAX + 1,
                max: SLOW_LAG_TICKS_MAX
            })
        );
        assert_eq!(c.slow(9, 1), Err(ActionError::NoSuchNode(9)));
        c.crash(0).unwrap();
        assert_eq!(c.slow(0, 1), Err(ActionError::NodeDown(0)));
        assert_eq!(c.lag_ticks(1), 0);
        assert_eq!(c.history().len(), 2, "the write and the crash only");
    }

    #[test]
    fn slow_runs_replay_identically() {
        let run = || {
            let mut cfg = ClusterConfig::new(20, 3);
            cfg.net.link = LinkConfig {
                loss: 0.1,
                latency_ticks_min: 1,
                latency_ticks_max: 3,
                ..LinkConfig::default()
            };
            let mut c = Cluster::new(cfg).unwrap();
            c.write(0, b"k", b"v").unwrap();
            for (r, n, lag) in [(1, 3, 5), (2, 4, 2), (4, 3, 1), (6, 4, 0), (7, 3, 0)] {
                c.schedule(
                    Round(r),
                    crate::sim::Action::Slow {
                        node: n,
                        lag_ticks: lag,
                    },
                )
                .unwrap();
            }
            c.schedule(Round(5), crate::sim::Action::Crash(4)).unwrap();
            c.step_rounds(12);
            let records: Vec<_> = c.records().cloned().collect();
            (records, *c.slow_counters(), c.now())
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        assert!(a.1.messages_queued > 0);
        assert_eq!(a.2, Tick(48));
    }
}
