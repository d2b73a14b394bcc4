//! The anti-entropy lab's run as a link names it: what `?lab=anti-entropy&n=256&d=8&st=merkle&…`
//! means.
//!
//! A [`Run`] is everything that decides the numbers of the lab: two replicas of `n` keys that
//! differ in `d` random keys ([`crate::reconcile::trial::Base::pair`], drawn from
//! `Rng::stream(seed, Trial, 0)`), the strategy that repairs them, and the shape of the Merkle
//! tree both keep. The same pair is what `lab merkle --keys n --diffs d --branching b --depth l
//! --trials 1 --seed S` reconciles as its trial 0, so the runner replays a link's numbers; the
//! chart's trial `t` is the runner's trial `t`.
//!
//! This file holds the fields, their limits and [`Run`]; `parse.rs` reads a link into a run
//! ([`parse`]) and `tests.rs` tests both.
//!
//! # Fields
//! | name | meaning | values |
//! |------|---------|--------|
//! | `lab` | the lab: `anti-entropy` | read by the page |
//! | `n` | keys each replica holds | [`KEYS_MIN`] to [`KEYS_MAX`] |
//! | `d` | keys that differ between the two | 0 to `n` |
//! | `st` | the strategy shown | `merkle`, `digest`, `full`, `rateless` |
//! | `b` | the tree's branching | 2 to [`crate::reconcile::merkle::shape::BRANCHING_LIMIT`] |
//! | `l` | the tree's depth (levels below the root) | 1 to [`crate::reconcile::merkle::shape::DEPTH_LIMIT`], with `b^l` at most [`LEAVES_MAX`] |
//! | `seed` | the seed of the pair | 0 to 2^64 − 1 |
//! | `src` | a dissemination-lab link whose run gives the pair instead ([`source`]); `n` and `d` then only set the chart's sweep | a query, percent-encoded |
//! | `r`, `na`, `nb` | with `src`: the round, and the nodes that become A and B | 0 to [`ROUNDS_MAX`]; distinct nodes of that run |

use alloc::format;
use alloc::string::{String, ToString};

pub use super::ROUNDS_MAX;
use crate::reconcile::trial::Base;
use crate::reconcile::{ReconcileError, Replica, Strategy, TreeShape};
use crate::rng::{Rng, Stream};

mod parse;
pub mod source;
#[cfg(test)]
mod tests;

pub use parse::{depth_max, parse};
pub use source::Source;

/// The fewest keys: fewer make every tree mostly empty leaves.
pub const KEYS_MIN: u32 = 16;
/// The most keys: the page builds two trees per trial and repairs the pair by all four
/// strategies for its table and chart, within a frame's budget at a time.
pub const KEYS_MAX: u32 = 4_096;
/// The most leaves a link's tree may have: two trees of this many leaves per trial keep the
/// chart's trials to milliseconds in the browser (the core allows 2^20).
pub const LEAVES_MAX: u64 = 1 << 16;

/// Which strategy the lab shows (the tree's shape is the run's, [`Run::shape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum StrategyKind {
    /// Merkle trees.
    Merkle,
    /// Version digests.
    Digest,
    /// Full state.
    Full,
    /// Rateless set reconciliation.
    Rateless,
}

impl StrategyKind {
    /// Every strategy, in the table's order (the baseline first).
    pub const ALL: [StrategyKind; 4] = [
        StrategyKind::Full,
        StrategyKind::Digest,
        StrategyKind::Merkle,
        StrategyKind::Rateless,
    ];

    /// Its name in links (`st=`), the same as [`Strategy::name`].
    pub fn key(self) -> &'static str {
        match self {
            StrategyKind::Merkle => "merkle",
            StrategyKind::Digest => "digest",
            StrategyKind::Full => "full",
            StrategyKind::Rateless => "rateless",
        }
    }

    /// The strategy named `key` in a link.
    pub fn from_key(key: &str) -> Option<StrategyKind> {
        StrategyKind::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Everything that decides the lab's numbers; see the module docs for each field's link name.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Run {
    /// Keys each replica holds, [`KEYS_MIN`] to [`KEYS_MAX`].
    pub keys: u32,
    /// Keys that differ, 0 to `keys`.
    pub diffs: u32,
    /// The strategy shown.
    pub strategy: StrategyKind,
    /// The tree both replicas keep (valid, at most [`LEAVES_MAX`] leaves).
    pub shape: TreeShape,
    /// The seed of the pair.
    pub seed: u64,
    /// Two nodes of a dissemination run to take the pair from, instead of a trial.
    pub source: Option<Source>,
}

impl Default for Run {
    fn default() -> Run {
        Run {
            keys: 256,
            diffs: 6,
            strategy: StrategyKind::Merkle,
            shape: TreeShape {
                branching: 4,
                depth: 4,
            },
            seed: 1,
            source: None,
        }
    }
}

impl Run {
    /// The strategy `kind` with this run's tree shape.
    pub fn strategy_of(&self, kind: StrategyKind) -> Strategy {
        match kind {
            StrategyKind::Merkle => Strategy::Merkle(self.shape),
            StrategyKind::Digest => Strategy::Digest,
            StrategyKind::Full => Strategy::Full,
            StrategyKind::Rateless => Strategy::Rateless,
        }
    }

    /// The strategy shown.
    pub fn strategy(&self) -> Strategy {
        self.strategy_of(self.strategy)
    }

    /// The base replica the pairs copy: `keys` keys, with a tree of the run's shape.
    pub fn base(&self) -> Result<Base, ReconcileError> {
        Base::new(self.keys, Some(self.shape))
    }

    /// Trial `trial`'s pair with `diffs` differences (the lab shows trial 0 at `d`), drawn
    /// from `Rng::stream(seed, Trial, trial)` as the runner's trial `trial` is.
    pub fn pair(&self, base: &Base, diffs: u32, trial: u64) -> (Replica, Replica) {
        base.pair(diffs, &mut Rng::stream(self.seed, Stream::Trial, trial))
    }

    /// The pair the lab shows: trial 0 at `d`, or the source's two nodes (with the round
    /// reached).
    pub fn shown_pair(&self) -> Result<(Replica, Replica, Option<u32>), String> {
        match &self.source {
            Some(s) => {
                let p = s.pick(self.shape)?;
                Ok((p.replicas.0, p.replicas.1, Some(p.round)))
            }
            None => {
                let base = self.base().map_err(|e| e.to_string())?;
                let (a, b) = self.pair(&base, self.diffs, 0);
                Ok((a, b, None))
            }
        }
    }

    /// The run-defining part of the canonical link (no `?`), which the page writes first.
    pub fn encode_head(&self) -> String {
        let source = self.source.as_ref().map(Source::encode).unwrap_or_default();
        format!(
            "lab=anti-entropy&n={}&d={}&st={}&b={}&l={}&seed={}{source}",
            self.keys,
            self.diffs,
            self.strategy.key(),
            self.shape.branching,
            self.shape.depth,
            self.seed,
        )
    }

    /// The canonical link of the run alone.
    pub fn encode(&self) -> String {
        format!("?{}", self.encode_head())
    }

    /// The command that replays the pair's numbers headlessly.
    pub fn runner_command(&self) -> String {
        format!(
            "lab merkle --keys {} --diffs {} --strategy all --branching {} --depth {} --trials 1 --seed {}",
            self.keys, self.diffs, self.shape.branching, self.shape.depth, self.seed
        )
    }
}
