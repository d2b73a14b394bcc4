//! A reconciliation recorded turn by turn, for a viewer that steps it (the app's anti-entropy
//! lab): [`trace_pair`] drives two replicas exactly as [`super::reconcile_pair`] does (the same
//! sessions, seed and messages, so the same [`Report`]) and keeps, after every turn, what a
//! person watching would want to see.
//!
//! A *turn* is one call on one side: the initiator's `start`, or a `handle` that takes the
//! message the other side sent last and (unless the side is finished) answers it. A session of
//! `m` messages has `m + 1` turns, the last one taking the last message and sending nothing.
//! Each [`Turn`] holds the message the side sent (its size and, for a Merkle session, which
//! tree positions it names, decoded from the bytes), the keys the side merged as new from the
//! message it took (the entries that crossed, towards this side), and both sides' counters
//! after the turn, so a running count is read from the sessions and never recomputed.
//!
//! Nothing here changes how a session behaves: it watches the one driver
//! (`drive_pair`) that [`super::reconcile_pair`] also uses.

use alloc::vec::Vec;

use super::merkle::codec;
use super::{Next, ReconcileError, ReconcileLimits, Replica, Report, Role, Strategy, TurnSeen};
use crate::time::Tick;
use crate::wire::{CodecLimits, Reader};

/// Tree positions a Merkle message names: nodes at `level` that its sender found differing
/// (a nodes message, which carries their children's hashes) or, at the leaf level, the
/// differing leaves whose `(key, version)` pairs it carries (a buckets message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// The level (0 is the root, the tree's depth the leaves).
    pub level: u32,
    /// The node indices at that level, ascending.
    pub indices: Vec<u64>,
}

/// One turn of a traced session (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// The side that acted.
    pub side: Role,
    /// Bytes of the message it sent (0: it sent none and is finished).
    pub sent_bytes: u64,
    /// What the message is, in a word or two (for a Merkle session the step: "root",
    /// "nodes", "buckets", "answer", "entries"; "message" for the other strategies; "" when
    /// nothing was sent).
    pub label: &'static str,
    /// For a Merkle nodes or buckets message, the positions it names.
    pub named: Option<Named>,
    /// Keys this side merged as new from the message it took, in merge order: the entries
    /// that crossed towards it and were needed.
    pub merged: Vec<Vec<u8>>,
    /// Both sides' counters after the turn.
    pub report: Report,
}

/// A whole session, turn by turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The turns, in order.
    pub turns: Vec<Turn>,
}

impl Trace {
    /// The counters at the end: equal to what [`super::reconcile_pair`] reports.
    pub fn report(&self) -> Report {
        self.turns.last().map(|t| t.report).unwrap_or_default()
    }
}

/// Reconciles `a` (the initiator) with `b` as [`super::reconcile_pair`] does, recording every
/// turn. Both replicas log merges during the call (the log is taken, so a replica that logged
/// before loses what it had not taken). On error the replicas keep what they merged before
/// the bad message, as with `reconcile_pair`.
pub fn trace_pair(
    a: &mut Replica,
    b: &mut Replica,
    strategy: Strategy,
    limits: ReconcileLimits,
    now: Tick,
) -> Result<Trace, ReconcileError> {
    a.log_merges();
    b.log_merges();
    a.take_merged();
    b.take_merged();
    let mut turns = Vec::new();
    super::drive_pair(a, b, strategy, limits, now, &mut |t| {
        turns.push(turn(t, &limits));
    })?;
    Ok(Trace { turns })
}

fn turn(t: TurnSeen<'_>, limits: &ReconcileLimits) -> Turn {
    let sent = t.next != Next::Done;
    let (label, named) = match (sent, t.initiator.strategy()) {
        (false, _) => ("", None),
        (true, Strategy::Merkle(shape)) => describe_merkle(t.out, shape, t.actor, limits),
        (true, _) => ("message", None),
    };
    Turn {
        side: t.side,
        sent_bytes: if sent { t.out.len() as u64 } else { 0 },
        label,
        named,
        merged: t.actor.take_merged(),
        report: Report {
            initiator: *t.initiator.counters(),
            responder: *t.responder.counters(),
        },
    }
}

// The step of a Merkle message (after the strategy byte) and the positions it names, decoded
// with the session's own codec (the message was just written by a session, so it decodes).
fn describe_merkle(
    msg: &[u8],
    shape: super::TreeShape,
    sender: &Replica,
    limits: &ReconcileLimits,
) -> (&'static str, Option<Named>) {
    let Some((&step, rest)) = msg.get(1..).and_then(|b| b.split_first()) else {
        return ("message", None);
    };
    let mut r = Reader::new(rest);
    match step {
        codec::ROOT => ("root", None),
        codec::NODES => {
            let named = codec::read_nodes(&mut r, shape, limits.items_per_message_max)
                .ok()
                .map(|n| Named {
                    level: n.level,
                    indices: n.iter().map(|(i, _)| i).collect(),
                });
            ("nodes", named)
        }
        codec::BUCKETS => {
            let store = sender.store().limits();
            let codec_limits = CodecLimits {
                message_bytes_max: limits.message_bytes_max,
                entries_per_message_max: limits.items_per_message_max,
                key_bytes_max: store.key_bytes_max,
                value_bytes_max: store.value_bytes_max,
            };
            let named = codec::read_buckets(&mut r, shape, &codec_limits)
                .ok()
                .map(|b| Named {
                    level: shape.depth,
                    indices: b.buckets.iter().map(|(l, _)| *l).collect(),
                });
            ("buckets", named)
        }
        codec::ANSWER => ("answer", None),
        codec::ENTRIES => ("entries", None),
        _ => ("message", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::trial::Base;
    use crate::reconcile::{reconcile_pair, TreeShape};
    use crate::rng::{Rng, Stream};

    const SHAPE: TreeShape = TreeShape {
        branching: 4,
        depth: 4,
    };

    fn pair(d: u32) -> (Replica, Replica) {
        let base = Base::new(256, Some(SHAPE)).unwrap();
        base.pair(d, &mut Rng::stream(7, Stream::Trial, 0))
    }

    #[test]
    fn a_trace_reports_what_reconcile_pair_reports_for_every_strategy() {
        for s in [
            Strategy::Full,
            Strategy::Digest,
            Strategy::Merkle(SHAPE),
            Strategy::Rateless,
        ] {
            let (mut a, mut b) = pair(9);
            let (mut a2, mut b2) = (a.clone(), b.clone());
            let l = ReconcileLimits::large();
            let want = reconcile_pair(&mut a2, &mut b2, s, l, Tick(3)).unwrap();
            let trace = trace_pair(&mut a, &mut b, s, l, Tick(3)).unwrap();
            assert_eq!(trace.report(), want, "{}", s.name());
            let messages = want.initiator.messages_sent + want.responder.messages_sent;
            assert_eq!(trace.turns.len() as u64, messages + 1, "{}", s.name());
            assert_eq!(a.store(), a2.store());
            // Every needed entry crossed once: 9 differences, each newer on one side.
            let merged: usize = trace.turns.iter().map(|t| t.merged.len()).sum();
            assert_eq!(merged, 9, "{}", s.name());
        }
    }

    #[test]
    fn a_merkle_trace_names_the_differing_nodes_level_by_level_down_to_the_leaves() {
        let (mut a, mut b) = pair(3);
        let (mut ta, mut tb) = (a.clone(), b.clone());
        ta.refresh_tree();
        tb.refresh_tree();
        let s = Strategy::Merkle(SHAPE);
        let trace = trace_pair(&mut a, &mut b, s, ReconcileLimits::large(), Tick(3)).unwrap();
        let labels: Vec<&str> = trace.turns.iter().map(|t| t.label).collect();
        assert_eq!(
            labels,
            ["root", "nodes", "nodes", "nodes", "nodes", "buckets", "answer", "entries", ""]
        );
        let (x, y) = (ta.tree().unwrap(), tb.tree().unwrap());
        for (i, t) in trace
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| t.named.is_some())
        {
            let named = t.named.as_ref().unwrap();
            // Turn 1 names the root (level 0), each later nodes turn one level down.
            assert_eq!(named.level as usize, i - 1);
            let differing: Vec<u64> = (0..SHAPE.nodes_at(named.level).unwrap())
                .filter(|&j| x.node(named.level, j) != y.node(named.level, j))
                .collect();
            assert_eq!(named.indices, differing, "level {}", named.level);
        }
        // The running counts only grow, and the last turn's are the report's.
        for w in trace.turns.windows(2) {
            assert!(w[1].report.bytes() >= w[0].report.bytes());
        }
        assert_eq!(trace.turns[0].report.bytes(), trace.turns[0].sent_bytes);
    }
}
