//! Coverage: the newest version of every key written, and the live nodes that hold it.
//!
//! Per key the cluster keeps the *newest version held or in flight* and how many live nodes
//! hold it, updated at every change (a write, a `Learned` event, a collected tombstone, a
//! crash), so [`Cluster::holders`], [`Cluster::is_converged`] and the per-round
//! [`KeyCoverage`] cost O(keys), not O(nodes × keys). Debug builds check the counts against a
//! full scan at every round end.
//!
//! "Newest" is the newest version written while some live node holds it. When the last live
//! holder of the tracked version lets it go, the cluster rescans the live nodes once for that
//! key (O(nodes), only at that moment) and tracks instead:
//! * the newest version any live node still holds, with its holders; or
//! * nothing at all: the key is dropped from tracking, from [`Cluster::newest`] and from the
//!   per-round coverage, and no longer counts for [`Cluster::is_converged`].
//!
//! The two ways a tracked version loses its last holder:
//! * **A collected tombstone.** Every holder drops a tombstone at the same gossip tick (see
//!   [`crate::store`]), so after that tick a delete is *covered* by holding nothing: if no live
//!   node holds any version of the key, the key leaves tracking and the cluster can converge.
//!   A live node that never received the delete and still holds an older value makes that
//!   value the tracked newest; the coverage then shows the value being resurrected as it
//!   spreads back, and the cluster converges on it (the hazard `crate::store` describes).
//! * **A lost write.** If every node that held the newest version crashes before it spreads,
//!   the version is lost: the newest version among live nodes (or nothing) is tracked instead,
//!   so [`Cluster::run_until_converged`] can return. A message already in flight may still
//!   bring the lost version back: a node that learns a version newer than the tracked one
//!   makes it the tracked newest, with itself as its one holder.
//!

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec;
use alloc::vec::Vec;

use crate::node::{Node, NodeId};
use crate::sim::Cluster;
use crate::store::Version;
use crate::time::Round;

// A learning round not reached: the node has not learned the update (or forgot it).
pub(crate) const NEVER: u32 = u32::MAX;

/// How far the newest version of one key has spread.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KeyCoverage {
    /// The key.
    pub key: Vec<u8>,
    /// Its newest version that some live node holds (see the module docs).
    pub version: Version,
    /// Whether that version is a delete.
    pub tombstone: bool,
    /// Live nodes holding exactly that version.
    pub holders: u32,
}

/// One tracked write and, per node, the round it learned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// The key.
    pub key: Vec<u8>,
    /// The version the write made (unique to it).
    pub version: Version,
    /// Whether it was a delete.
    pub tombstone: bool,
    /// The round it was written in.
    pub round: Round,
    pub(crate) learned: Vec<u32>,
}

impl Update {
    /// The round in which `node` learned this update (the writer: the round it wrote it), or
    /// `None` if it has not (a crash forgets it).
    pub fn learned_round(&self, node: NodeId) -> Option<Round> {
        match self.learned.get(node as usize) {
            Some(&r) if r != NEVER => Some(Round(u64::from(r))),
            _ => None,
        }
    }

    /// How many nodes have learned it (and not crashed since).
    pub fn learned_count(&self) -> usize {
        self.learned.iter().filter(|&&r| r != NEVER).count()
    }

    /// The last learning round, if every node in `nodes` learned it.
    pub fn complete_round(&self, mut nodes: impl Iterator<Item = NodeId>) -> Option<Round> {
        nodes.try_fold(Round(0), |acc, n| self.learned_round(n).map(|r| acc.max(r)))
    }
}

// The newest version of one key and its live holders.
#[derive(Clone, Copy, Debug)]
struct Newest {
    version: Version,
    tombstone: bool,
    holders: u32,
}

/// What the cluster tracks about the spread of its writes, kept up to date at every change.
#[derive(Clone, Debug, Default)]
pub(crate) struct Coverage {
    // Per key: its newest version, and how many live nodes hold it, kept up to date at every
    // change (write, learned, tombstone collected, crash) instead of scanning every node.
    newest: BTreeMap<Vec<u8>, Newest>,
    // Every distinct key written by a client, at most `keys_tracked_max`: `newest` only ever
    // holds these keys, so every record's coverage is bounded too.
    keys_written: BTreeSet<Vec<u8>>,
    updates: Vec<Update>,
    update_index: BTreeMap<Version, usize>,
    updates_untracked: u64,
}

impl Coverage {
    // The tracked newest version of `key`.
    pub(crate) fn newest_version(&self, key: &[u8]) -> Option<Version> {
        self.newest.get(key).map(|n| n.version)
    }

    // Whether a write of `key` would be refused: a key never written, with `max` written.
    pub(crate) fn is_full_for(&self, key: &[u8], max: u32) -> bool {
        !self.keys_written.contains(key) && self.keys_written.len() >= max as usize
    }

    // Node `id` wrote `version` of `key` (a delete if `tombstone`); it held `held` before.
    pub(crate) fn wrote(
        &mut self,
        id: NodeId,
        key: &[u8],
        version: Version,
        held: Option<Version>,
        tombstone: bool,
    ) {
        if !self.keys_written.contains(key) {
            self.keys_written.insert(key.to_vec());
        }
        match self.newest.get_mut(key) {
            None => {
                self.newest.insert(
                    key.to_vec(),
                    Newest {
                        version,
                        tombstone,
                        holders: 1,
                    },
                );
            }
            // The writer now holds the only copy of the newest version.
            Some(n) if version > n.version => {
                *n = Newest {
                    version,
                    tombstone,
                    holders: 1,
                }
            }
            // An older write (the writer had not seen the newest): it cannot have held the
            // newest, whose counter its own would have exceeded, but keep the count exact.
            Some(n) => {
                debug_assert_ne!(held, Some(n.version), "node {id} held the newest");
                if held == Some(n.version) {
                    n.holders -= 1;
                }
            }
        }
    }

    // Tracks the write of `version` by node `id` in `round` per node, if fewer than
    // `tracked_max` updates are; counts it otherwise.
    pub(crate) fn track(
        &mut self,
        update: (NodeId, &[u8], Version, bool),
        round: Round,
        nodes: usize,
        tracked_max: u32,
    ) {
        let (id, key, version, tombstone) = update;
        if self.updates.len() < tracked_max as usize {
            let mut learned = vec![NEVER; nodes];
            learned[id as usize] = round.0 as u32;
            self.update_index.insert(version, self.updates.len());
            self.updates.push(Update {
                key: key.to_vec(),
                version,
                tombstone,
                round,
                learned,
            });
        } else {
            self.updates_untracked += 1;
        }
    }

    // Node `id` (now `node`) learned `version` of `key` in round `round`.
    pub(crate) fn learned(&mut self, node: &Node, round: u32, key: Vec<u8>, version: Version) {
        let id = node.id();
        if let Some(&i) = self.update_index.get(&version) {
            let slot = &mut self.updates[i].learned[id as usize];
            if *slot == NEVER {
                *slot = round;
            }
        }
        // Nothing is newer than the newest, so a node that learns it did not hold it before.
        // A version newer than the tracked one (or a key not tracked) is a lost write coming
        // back from the network: no live node held it.
        match self.newest.get_mut(&key) {
            Some(n) if n.version == version => n.holders += 1,
            Some(n) if n.version > version => {}
            _ => {
                let tombstone = node.store().get(&key).is_some_and(|e| e.is_tombstone());
                self.newest.insert(
                    key,
                    Newest {
                        version,
                        tombstone,
                        holders: 1,
                    },
                );
            }
        }
    }

    // A node let `version` of `key` go (a collected tombstone); a key whose tracked version
    // lost its last live holder goes to `orphaned`, to be retracked once the node is drained.
    pub(crate) fn let_go(&mut self, key: Vec<u8>, version: Version, orphaned: &mut Vec<Vec<u8>>) {
        if let Some(n) = self.newest.get_mut(&key) {
            if n.version == version {
                debug_assert!(n.holders > 0, "a holder let go of a version nobody held");
                n.holders -= 1;
                if n.holders == 0 {
                    orphaned.push(key);
                }
            }
        }
    }

    // Node `id` crashed holding what `crashed` holds; it is out of `nodes` already, so the
    // rescan of an orphaned key skips it.
    pub(crate) fn forget(&mut self, nodes: &[Option<Node>], id: NodeId, crashed: &Node) {
        let mut orphaned = Vec::new();
        for (key, e) in crashed.store().iter() {
            self.let_go(key.to_vec(), e.version(), &mut orphaned);
        }
        for key in orphaned {
            self.retrack(nodes, key);
        }
        for u in &mut self.updates {
            u.learned[id as usize] = NEVER;
        }
    }

    // Called when the tracked newest version of `key` has no live holder left: tracks instead
    // the newest version a live node in `nodes` holds, or drops the key if none holds any (see
    // the module docs). One scan of the live nodes.
    pub(crate) fn retrack(&mut self, nodes: &[Option<Node>], key: Vec<u8>) {
        let mut best: Option<Newest> = None;
        for e in nodes.iter().flatten().filter_map(|n| n.store().get(&key)) {
            match &mut best {
                Some(b) if b.version == e.version() => b.holders += 1,
                Some(b) if b.version > e.version() => {}
                _ => {
                    best = Some(Newest {
                        version: e.version(),
                        tombstone: e.is_tombstone(),
                        holders: 1,
                    })
                }
            }
        }
        match best {
            Some(b) => {
                self.newest.insert(key, b);
            }
            None => {
                self.newest.remove(&key);
            }
        }
    }

    // The coverage of every tracked key, in key order, for a round record.
    pub(crate) fn snapshot(&self) -> Vec<KeyCoverage> {
        self.newest
            .iter()
            .map(|(k, n)| KeyCoverage {
                key: k.clone(),
                version: n.version,
                tombstone: n.tombstone,
                holders: n.holders,
            })
            .collect()
    }
}

impl Cluster {
    /// Tracked writes in the order they were made.
    pub fn updates(&self) -> &[Update] {
        &self.coverage.updates
    }

    /// The tracked write that made `version`.
    pub fn update(&self, version: Version) -> Option<&Update> {
        self.coverage
            .update_index
            .get(&version)
            .map(|&i| &self.coverage.updates[i])
    }

    /// Writes beyond `updates_tracked_max`, not tracked per node.
    pub fn updates_untracked(&self) -> u64 {
        self.coverage.updates_untracked
    }

    /// The tracked newest version of every tracked key (and whether it is a delete), in key
    /// order (see [`crate::sim::coverage`]).
    pub fn newest(&self) -> impl Iterator<Item = (&[u8], Version, bool)> + '_ {
        self.coverage
            .newest
            .iter()
            .map(|(k, n)| (k.as_slice(), n.version, n.tombstone))
    }

    /// Live nodes holding exactly the newest version of `key`.
    pub fn holders(&self, key: &[u8]) -> u32 {
        self.coverage.newest.get(key).map_or(0, |n| n.holders)
    }

    /// Whether every live node holds the tracked newest version of every tracked key; a key
    /// no live node holds any version of is not tracked, and covered by holding nothing (see
    /// [`crate::sim::coverage`]).
    pub fn is_converged(&self) -> bool {
        let live = self.members.len() as u32;
        self.coverage.newest.values().all(|n| n.holders == live)
    }

    // The naive count that `Newest::holders` keeps incrementally; checked against it in debug
    // builds at every round end.
    pub(crate) fn count_holders(&self, key: &[u8], v: Version) -> u32 {
        self.nodes
            .iter()
            .flatten()
            .filter(|n| n.store().get(key).is_some_and(|e| e.version() == v))
            .count() as u32
    }

    // Checks the incremental counts against a full scan (debug builds, at every round end).
    pub(crate) fn debug_check_coverage(&self) {
        debug_assert!(
            self.coverage
                .newest
                .iter()
                .all(|(k, n)| n.holders > 0 && n.holders == self.count_holders(k, n.version)),
            "the incremental holder counts differ from a full scan"
        );
        debug_assert!(
            self.nodes
                .iter()
                .flatten()
                .all(|node| node.store().iter().all(|(k, e)| self
                    .coverage
                    .newest
                    .get(k)
                    .is_some_and(|n| n.version >= e.version()))),
            "a live node holds a version newer than the tracked newest, or an untracked key"
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::net::Direction;
    use crate::rng::Rng;
    use crate::sim::tests::rumor_config;
    use crate::sim::{Cluster, ClusterConfig};
    use alloc::vec::Vec;

    #[test]
    fn holder_counts_kept_incrementally_equal_a_full_scan_through_every_kind_of_change() {
        // Crashes (forgetting), restarts, overwrites by nodes that had and had not seen the
        // newest, deletes whose tombstones are collected, and partitions, in both protocols.
        for (mode_rumor, seed) in [(false, 1), (true, 2), (false, 3), (true, 4)] {
            let mut cfg = if mode_rumor {
                rumor_config(30, seed)
            } else {
                ClusterConfig::new(30, seed)
            };
            cfg.node.tombstone_gc_rounds = 3;
            let mut c = Cluster::new(cfg).unwrap();
            let mut rng = Rng::from_seed(seed);
            for round in 0..80u32 {
                let n = rng.below(30);
                let key = [b'k', b'0' + (rng.below(3) as u8)];
                // Failures (writing at a down node, crashing it twice) are fine: the point is
                // that whatever happens, the counts stay exact.
                let _ = match rng.below(8) {
                    0 => c.crash(n),
                    1 => c.restart(n),
                    2 => c.delete(n, &key),
                    3 if round % 20 == 3 => c.partition(
                        &[0..15, 15..30].map(|r| r.collect::<Vec<_>>()),
                        Direction::Both,
                    ),
                    4 if round % 20 == 13 => c.heal(),
                    _ => c.write(n, &key, &[round as u8]),
                };
                for _ in 0..c.config().ticks_per_round {
                    c.step_tick();
                    for (k, version, _) in c.newest() {
                        assert_eq!(
                            c.holders(k),
                            c.count_holders(k, version),
                            "seed {seed} round {round}"
                        );
                    }
                }
            }
            assert!(c.newest().count() > 0);
        }
    }
}
