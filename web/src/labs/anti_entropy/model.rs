//! The lab's model: the link's pair of replicas (a seeded trial, or two nodes of a
//! dissemination run: [`gossip_core::link::anti_entropy::source`]), their Merkle trees as they were before the
//! repair, and the repair by the chosen strategy recorded turn by turn by the core
//! ([`gossip_core::reconcile::trace`]). Pure, host-tested; the page only reads it.
//!
//! "Turn `k` shown" means the first `k` turns have happened (0: nothing yet). Everything a
//! person sees at a turn is read here: which tree positions the session has named so far, level
//! by level (decoded by the core from the messages), which entries crossed and which way (an
//! entry crosses with the message that carries it, though it is merged when the receiver takes
//! the message, on the next turn), and
//! the running counts (the sessions' own counters, never recomputed).

use gossip_core::link::anti_entropy::{source, Run};
use gossip_core::reconcile::trace::{trace_pair, Trace, Turn};
use gossip_core::reconcile::{ReconcileLimits, Replica, Report, Role};
use gossip_core::time::Tick;

/// The time of the repair (the pair was written at ticks 1 and 2).
pub const REPAIR_TICK: Tick = Tick(3);

/// One entry that crossed: towards which side, and its key as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossed {
    /// The side that merged it.
    pub to: Role,
    /// The key as shown ([`key_text`]).
    pub key: String,
    /// The key's leaf in the tree.
    pub leaf: u64,
}

/// The pair, its trees before the repair, and the recorded repair.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The run it is built from.
    pub run: Run,
    /// The initiator (A) and responder (B) before the repair, trees refreshed.
    before: (Replica, Replica),
    /// Per level, the nodes whose hash differs between the two trees before the repair.
    differing: Vec<Vec<u64>>,
    trace: Trace,
    /// Keys held on either side, and those whose versions differ, before the repair.
    pub difference: (u32, u32),
    /// With a source, the round its stores were read at.
    pub round: Option<u32>,
}

impl Pair {
    /// Builds the pair of `run` and repairs a copy by the run's strategy.
    pub fn new(run: Run) -> Result<Pair, String> {
        let (mut a, mut b, round) = run.shown_pair()?;
        a.refresh_tree();
        b.refresh_tree();
        let before = (a.clone(), b.clone());
        let trace = trace_pair(
            &mut a,
            &mut b,
            run.strategy(),
            ReconcileLimits::large(),
            REPAIR_TICK,
        )
        .map_err(|e| e.to_string())?;
        let differing = differing_nodes(&before.0, &before.1);
        let difference = source::difference(&before.0, &before.1);
        Ok(Pair {
            run,
            before,
            differing,
            trace,
            difference,
            round,
        })
    }

    /// How many turns the repair took.
    pub fn turns(&self) -> u32 {
        self.trace.turns.len() as u32
    }

    /// Turn `k` (1-based: the `k`-th), if there is one.
    pub fn turn(&self, k: u32) -> Option<&Turn> {
        k.checked_sub(1)
            .and_then(|i| self.trace.turns.get(i as usize))
    }

    /// The sessions' counters after `k` turns.
    pub fn counts(&self, k: u32) -> Report {
        self.turn(k.min(self.turns()))
            .map(|t| t.report)
            .unwrap_or_default()
    }

    /// The counters at the end of the repair.
    pub fn report(&self) -> Report {
        self.trace.report()
    }

    /// Levels of the trees, root first (depth + 1).
    pub fn levels(&self) -> u32 {
        self.run.shape.depth + 1
    }

    /// Nodes at `level`.
    pub fn nodes_at(&self, level: u32) -> u64 {
        self.run.shape.nodes_at(level).unwrap_or(0)
    }

    /// The nodes at `level` that differ between the trees before the repair (the truth the
    /// session finds out).
    pub fn differing(&self, level: u32) -> &[u64] {
        self.differing
            .get(level as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The nodes at `level` named as differing by the first `k` turns' messages.
    pub fn named(&self, level: u32, k: u32) -> Vec<u64> {
        let mut out: Vec<u64> = self.trace.turns[..self.shown(k)]
            .iter()
            .filter_map(|t| t.named.as_ref())
            .filter(|n| n.level == level)
            .flat_map(|n| n.indices.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The deepest level at which the first `k` turns named a differing node (the descent's
    /// front), if any.
    pub fn front(&self, k: u32) -> Option<u32> {
        self.trace.turns[..self.shown(k)]
            .iter()
            .filter_map(|t| t.named.as_ref())
            .filter(|n| !n.indices.is_empty())
            .map(|n| n.level)
            .max()
    }

    /// The entries turn `k`'s message carries that its receiver lacked: the ones the receiver
    /// merges as new when it takes the message, in the next turn (read from that turn's merge
    /// log, so only what was needed, not what was sent in vain).
    pub fn crossed_in(&self, k: u32) -> Vec<Crossed> {
        match k {
            0 => Vec::new(),
            _ => self
                .turn(k + 1)
                .map(|t| self.crossed(t))
                .unwrap_or_default(),
        }
    }

    /// Every entry carried by the first `k` turns' messages and needed where it landed.
    pub fn crossed_upto(&self, k: u32) -> Vec<Crossed> {
        (1..=k.min(self.turns()))
            .flat_map(|i| self.crossed_in(i))
            .collect()
    }

    fn crossed(&self, t: &Turn) -> Vec<Crossed> {
        let tree = self.before.0.tree();
        t.merged
            .iter()
            .map(|key| Crossed {
                to: t.side,
                key: key_text(key),
                leaf: tree.map(|x| u64::from(x.leaf_of(key))).unwrap_or(0),
            })
            .collect()
    }

    fn shown(&self, k: u32) -> usize {
        (k as usize).min(self.trace.turns.len())
    }
}

/// A key as the page shows it: a trial key (4 bytes, big endian) as its index, any other as
/// text (a dissemination run's keys are text).
pub fn key_text(key: &[u8]) -> String {
    match <[u8; 4]>::try_from(key) {
        Ok(k) if !key.iter().all(u8::is_ascii_alphanumeric) => u32::from_be_bytes(k).to_string(),
        _ => String::from_utf8_lossy(key).into_owned(),
    }
}

fn differing_nodes(a: &Replica, b: &Replica) -> Vec<Vec<u64>> {
    let (Some(x), Some(y)) = (a.tree(), b.tree()) else {
        return Vec::new();
    };
    (0..=x.shape().depth)
        .map(|l| {
            let (p, q) = (x.level(l).unwrap_or(&[]), y.level(l).unwrap_or(&[]));
            p.iter()
                .zip(q)
                .enumerate()
                .filter(|(_, (h, g))| h != g)
                .map(|(i, _)| i as u64)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::link::anti_entropy::StrategyKind;

    #[test]
    fn the_merkle_descent_names_exactly_the_differing_nodes_level_by_level() {
        let pair = Pair::new(Run::default()).unwrap();
        let last = pair.turns();
        assert_eq!(pair.front(0), None);
        assert!(pair.named(0, 0).is_empty());
        // The responder names the root in turn 2, each later turn one level deeper.
        for level in 0..pair.levels() {
            let k = level + 2;
            assert_eq!(pair.front(k), Some(level), "turn {k}");
            assert_eq!(pair.named(level, k), pair.differing(level), "level {level}");
            assert!(pair.named(level, k - 1).is_empty(), "level {level} before");
        }
        assert_eq!(pair.named(pair.levels() - 1, last), pair.differing(4));
        assert_eq!(pair.differing(0), [0]);
    }

    #[test]
    fn the_entries_that_cross_are_the_differences_and_the_counts_are_the_sessions() {
        for kind in StrategyKind::ALL {
            let run = Run {
                strategy: kind,
                ..Run::default()
            };
            let pair = Pair::new(run.clone()).unwrap();
            let all = pair.crossed_upto(pair.turns());
            assert_eq!(all.len(), run.diffs as usize, "{}", kind.key());
            // The trial makes every third difference newer on B, the rest newer on A.
            let to_a = all.iter().filter(|c| c.to == Role::Initiator).count();
            assert_eq!(to_a, 2, "{}", kind.key());
            assert_eq!(pair.counts(0), Report::default());
            assert_eq!(pair.counts(pair.turns()), pair.report());
            assert_eq!(pair.counts(99), pair.report());
            let per_turn: usize = (1..=pair.turns()).map(|k| pair.crossed_in(k).len()).sum();
            assert_eq!(per_turn, all.len());
            // An entry crosses with the message that carries it: the last turn sends nothing.
            assert!(pair.crossed_in(pair.turns()).is_empty());
            assert!(pair.crossed_in(0).is_empty());
            // Each entry crossed to a leaf that differed.
            let leaves = pair.differing(pair.levels() - 1);
            assert!(
                all.iter().all(|c| leaves.contains(&c.leaf)),
                "{}",
                kind.key()
            );
        }
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;
    use gossip_core::link::anti_entropy::Source;

    #[test]
    fn a_pair_from_two_nodes_of_a_cluster_repairs_what_one_of_them_missed() {
        // At round 0 only node 0 holds the rumor it wrote; node 7 lacks it.
        let run = Run {
            source: Some(Source {
                link: "n=12&seed=2".to_string(),
                round: 0,
                a: 0,
                b: 7,
            }),
            ..Run::default()
        };
        let pair = Pair::new(run).unwrap();
        assert_eq!((pair.difference, pair.round), ((1, 1), Some(0)));
        let all = pair.crossed_upto(pair.turns());
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].to, all[0].key.as_str()), (Role::Responder, "rumor"));
        assert_eq!(pair.named(0, pair.turns()), [0]);
        // Later both hold it: B finds the roots equal and names nothing, so no front.
        let mut later = pair.run.clone();
        later.source.as_mut().unwrap().round = 40;
        let pair = Pair::new(later).unwrap();
        assert_eq!(pair.difference, (1, 0));
        assert_eq!(pair.front(pair.turns()), None);
        assert!(pair.crossed_upto(pair.turns()).is_empty());
    }
}
