//! Anti-entropy repair beside the run's dissemination, as a link names it (`ae=`, `aei=`).
//!
//! The dissemination lab's modes spread a write; repair is the node's anti-entropy sessions
//! ([`crate::node::anti_entropy`]): every `aei` gossip intervals a node reconciles its whole
//! store with one random live peer by the chosen [`RepairStrategy`], so what dissemination
//! missed (a rumor that died out, a write made behind a partition) is still delivered.
//!
//! Absent from a link, repair is off and the run is exactly the run it was before these
//! fields existed (the node's `anti_entropy` is `None`); the canonical link leaves both fields
//! out then, so every older link reads and writes back unchanged.

use crate::node::AntiEntropyConfig;
use crate::reconcile::{Strategy, TreeShape};

/// The fewest gossip intervals between a node's repair sessions.
pub const REPAIR_EVERY_MIN: u32 = 1;
/// The most gossip intervals between a node's repair sessions: beyond it repair is too rare to
/// watch in a run of the page's length.
pub const REPAIR_EVERY_MAX: u32 = 64;
/// Gossip intervals between sessions when the link names a strategy but no `aei`.
pub const REPAIR_EVERY_DEFAULT: u32 = 4;
/// The Merkle tree of [`RepairStrategy::Merkle`]: 4 children per node, 4 levels (256 leaves),
/// the shape `lab anti-entropy` uses, ample for the few keys a run of the page writes.
pub const REPAIR_MERKLE_SHAPE: TreeShape = TreeShape {
    branching: 4,
    depth: 4,
};

/// How repair sessions find what two nodes' stores differ in, or `Off`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RepairStrategy {
    /// No repair sessions (the default: links without `ae=`).
    #[default]
    Off,
    /// Both sides send every entry.
    Full,
    /// Versions of everything, then the newer entries.
    Digest,
    /// Compare Merkle trees ([`REPAIR_MERKLE_SHAPE`]), descend into differing subtrees.
    Merkle,
    /// Rateless set reconciliation: coded symbols peeled into the difference.
    Rateless,
}

impl RepairStrategy {
    /// Every choice, in picker order.
    pub const ALL: [RepairStrategy; 5] = [
        RepairStrategy::Off,
        RepairStrategy::Full,
        RepairStrategy::Digest,
        RepairStrategy::Merkle,
        RepairStrategy::Rateless,
    ];

    /// Its name in links (`ae=`).
    pub fn key(self) -> &'static str {
        match self {
            RepairStrategy::Off => "off",
            RepairStrategy::Full => "full",
            RepairStrategy::Digest => "digest",
            RepairStrategy::Merkle => "merkle",
            RepairStrategy::Rateless => "rateless",
        }
    }

    /// The choice named `key`.
    pub fn from_key(key: &str) -> Option<RepairStrategy> {
        RepairStrategy::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Its title in the picker, in plain words.
    pub fn title(self) -> &'static str {
        match self {
            RepairStrategy::Off => "off",
            RepairStrategy::Full => "send everything",
            RepairStrategy::Digest => "compare versions",
            RepairStrategy::Merkle => "compare Merkle trees",
            RepairStrategy::Rateless => "rateless coded symbols",
        }
    }

    /// The reconciliation strategy of the node engine; `None` when off.
    pub fn strategy(self) -> Option<Strategy> {
        match self {
            RepairStrategy::Off => None,
            RepairStrategy::Full => Some(Strategy::Full),
            RepairStrategy::Digest => Some(Strategy::Digest),
            RepairStrategy::Merkle => Some(Strategy::Merkle(REPAIR_MERKLE_SHAPE)),
            RepairStrategy::Rateless => Some(Strategy::Rateless),
        }
    }

    /// The node's anti-entropy configuration for sessions every `every_intervals` gossip
    /// intervals (the node's defaults otherwise); `None` when off.
    pub fn engine_config(self, every_intervals: u32) -> Option<AntiEntropyConfig> {
        self.strategy().map(|strategy| AntiEntropyConfig {
            strategy,
            every_intervals,
            ..AntiEntropyConfig::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_strategy_reads_back_from_its_key_and_gives_a_valid_engine_config() {
        for s in RepairStrategy::ALL {
            assert_eq!(RepairStrategy::from_key(s.key()), Some(s));
            let every = [REPAIR_EVERY_MIN, REPAIR_EVERY_DEFAULT, REPAIR_EVERY_MAX];
            for e in every {
                match s.engine_config(e) {
                    None => assert_eq!(s, RepairStrategy::Off),
                    Some(c) => {
                        assert_eq!(c.every_intervals, e);
                        assert_eq!(c.validate(), Ok(()), "{s:?} every {e}");
                    }
                }
            }
        }
        assert_eq!(RepairStrategy::from_key("merkel"), None);
    }
}
