//! A replica as reconciliation sees it: the store, plus the Merkle tree some strategies keep
//! beside it, updated on every write, merge and collected tombstone. A node's store is one
//! ([`crate::node::Node::replica`]), with a tree only when its anti-entropy compares trees.

use alloc::vec::Vec;

use super::merkle::MerkleTree;
use super::{ReconcileError, TreeShape};
use crate::node::NodeId;
use crate::store::{Merged, Store, StoreError, Version};
use crate::time::Tick;

/// A store and (optionally) its Merkle tree, kept in step: change the store only through these
/// methods while a tree is kept, or the tree no longer describes it.
#[derive(Clone, Debug)]
pub struct Replica {
    store: Store,
    tree: Option<MerkleTree>,
    // While logging (`log_merges`), the keys a merge changed (`Merged::New`) since the last
    // `take_merged`, in merge order; `None` costs a merge nothing.
    merged: Option<Vec<Vec<u8>>>,
}

impl Replica {
    /// A replica without a tree (full state, digest and rateless need none).
    pub fn new(store: Store) -> Replica {
        Replica {
            store,
            tree: None,
            merged: None,
        }
    }

    /// A replica that keeps a Merkle tree of `shape` over `store`, built once here.
    pub fn with_tree(store: Store, shape: TreeShape) -> Result<Replica, ReconcileError> {
        let tree = MerkleTree::build(shape, &store)?;
        Ok(Replica {
            store,
            tree: Some(tree),
            merged: None,
        })
    }

    /// Like [`Replica::with_tree`], but a tree that cannot be built hands the store back.
    pub fn try_with_tree(
        store: Store,
        shape: TreeShape,
    ) -> Result<Replica, (Store, ReconcileError)> {
        match MerkleTree::build(shape, &store) {
            Ok(tree) => Ok(Replica {
                store,
                tree: Some(tree),
                merged: None,
            }),
            Err(e) => Err((store, e)),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The tree, if one is kept. Its inner nodes may wait for [`Replica::refresh_tree`]
    /// (see the tree's "Deferred rehashing"); a session refreshes it before every step.
    pub fn tree(&self) -> Option<&MerkleTree> {
        self.tree.as_ref()
    }

    /// Rehashes the tree's inner nodes above every leaf changed since the last refresh.
    pub fn refresh_tree(&mut self) {
        if let Some(t) = &mut self.tree {
            t.refresh();
        }
    }

    /// The store, giving up the tree.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// From now on, logs the keys that merges change, for [`Replica::take_merged`].
    pub fn log_merges(&mut self) {
        self.merged.get_or_insert_with(Vec::new);
    }

    /// Stops logging and returns what [`Replica::take_merged`] would: a caller that logs only
    /// around a reconciliation step (the node, whose dissemination merges through the same
    /// replica) keeps the log from growing between steps.
    pub fn end_merge_log(&mut self) -> Vec<Vec<u8>> {
        self.merged.take().unwrap_or_default()
    }

    /// The keys that merges changed since logging began or the last call, in merge order (a key
    /// merged twice appears twice): what a caller reports as repaired, without comparing whole
    /// stores. Empty when not logging.
    pub fn take_merged(&mut self) -> Vec<Vec<u8>> {
        self.merged
            .as_mut()
            .map(core::mem::take)
            .unwrap_or_default()
    }

    /// A local write ([`Store::write`]); the tree's leaf and path follow.
    pub fn write(
        &mut self,
        now: Tick,
        origin: NodeId,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<Version, StoreError> {
        // The old entry's hash leaves the leaf, so it is taken before the store changes.
        let old = match (&self.tree, self.store.get(key)) {
            (Some(t), Some(e)) => Some(t.entry_hash(key, e.version(), e.value())),
            _ => None,
        };
        let version = self.store.write(now, origin, key, value)?;
        if let Some(t) = &mut self.tree {
            let new = t.entry_hash(key, version, value);
            t.replace_hashed(key, old, Some(new));
        }
        Ok(version)
    }

    /// A remote entry ([`Store::merge`]); when it is new here the tree's leaf and path follow.
    pub fn merge(
        &mut self,
        now: Tick,
        key: &[u8],
        version: Version,
        value: Option<&[u8]>,
    ) -> Merged {
        let merged = self.merge_into_store(now, key, version, value);
        if let (Merged::New, Some(log)) = (merged, &mut self.merged) {
            log.push(key.to_vec());
        }
        merged
    }

    // `merge` without the log: the store, and the tree's leaf and path when it is new.
    fn merge_into_store(
        &mut self,
        now: Tick,
        key: &[u8],
        version: Version,
        value: Option<&[u8]>,
    ) -> Merged {
        let Some(tree) = &mut self.tree else {
            return self.store.merge(now, key, version, value);
        };
        // The old entry's hash leaves the leaf, so it is read before the store changes; only a
        // new entry pays for it (a stale or known one changes nothing).
        let old = match self.store.get(key) {
            Some(e) if (e.version(), e.value()) >= (version, value) => {
                return self.store.merge(now, key, version, value)
            }
            Some(e) => Some(tree.entry_hash(key, e.version(), e.value())),
            None => None,
        };
        let merged = self.store.merge(now, key, version, value);
        if merged == Merged::New {
            tree.replace_hashed(key, old, Some(tree.entry_hash(key, version, value)));
        }
        merged
    }

    /// Drops expired tombstones ([`Store::collect_tombstones`]), calling `dropped(key,
    /// version)` for each; each leaves its leaf.
    pub fn collect_tombstones(
        &mut self,
        now: Tick,
        age_ticks: u64,
        mut dropped: impl FnMut(&[u8], Version),
    ) -> usize {
        let tree = &mut self.tree;
        self.store
            .collect_tombstones(now, age_ticks, |key, version| {
                if let Some(t) = tree.as_mut() {
                    t.replace(key, Some((version, None)), None);
                }
                dropped(key, version);
            })
    }
}
