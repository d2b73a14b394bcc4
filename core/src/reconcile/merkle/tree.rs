//! One replica's Merkle tree over its store, kept up to date incrementally.
//!
//! Leaves are buckets of keys by [`hash::bucket`] of the key; a leaf's hash covers the xor of
//! its entries' hashes ([`hash::entry`]), an inner node's the concatenation of its children's.
//!
//! # Why the leaf keeps an xor of entry hashes
//! A write, a merge or a collected tombstone changes one key, so it must change one leaf and
//! its path: `acc ^= entry(old) ^ entry(new)` updates the leaf in O(1) whatever the bucket's
//! size, and then the `depth` nodes above it are rehashed (cost `depth x branching` hashes of 32
//! bytes, not proportional to the keys; deferred, see below). The xor is order-free, so both replicas reach the same
//! leaf for the same set of entries whatever the order they learned them in. It is sound
//! against accident: two different bucket contents give the same `acc` only if their entry
//! hashes xor to the same 256-bit value, probability 2^-256 for honest (not chosen) entries.
//! It is **not** collision resistant against someone who *chooses* entries: with 257 or more
//! candidate entries, linear algebra over GF(2) finds a subset whose hashes xor to any target.
//! That is acceptable for repairing honest replicas (the worst a crafted entry does is hide
//! itself from repair); a root to be signed would need the leaf to hash its entries in key
//! order (a leaf update then costs the bucket's size) — [`MerkleTree::bucket`] already lists a
//! bucket in key order for that.
//!
//! # Deferred rehashing
//! A change updates its leaf at once (the xor and the leaf's hash, O(1)) and marks the leaf;
//! the inner nodes above marked leaves are rehashed by [`MerkleTree::refresh`], each once
//! however many of its leaves changed, which [`crate::reconcile::Session`] calls before every
//! step. So a burst of writes between two reconciliations costs one path per distinct changed
//! leaf, not one per write: what keeps a 1,024-wide tree cheap to write to, whose every path
//! rehash costs two 32 KiB nodes. Until then [`MerkleTree::root`], [`MerkleTree::node`] and
//! [`MerkleTree::children`] above a changed leaf answer with the old hashes
//! ([`MerkleTree::is_fresh`] says whether any is stale).
//!
//! Memory: two hashes per leaf, one per inner node, and the keys once more in the bucket index
//! (which the session needs to list a differing bucket without scanning the store).

use alloc::collections::BTreeSet;
use alloc::vec;
use alloc::vec::Vec;

use super::hash::{self, Hash};
use super::TreeShape;
use crate::reconcile::ReconcileError;
use crate::store::{Store, Version};

/// A Merkle tree of one shape over one store.
#[derive(Clone, Debug)]
pub struct MerkleTree {
    shape: TreeShape,
    // levels[0] is the root, levels[depth] the leaves' hashes.
    levels: Vec<Vec<Hash>>,
    // Per leaf, the xor of its entries' hashes.
    acc: Vec<Hash>,
    // (leaf, key) for every key: lists a bucket in key order.
    index: BTreeSet<(u32, Vec<u8>)>,
    // One bit per leaf whose ancestors are not rehashed yet (see "Deferred rehashing"), and
    // the same leaves listed once each: the refresh walks the list, not the bitmap, so its
    // cost follows the leaves changed and not the tree's width (a scan of the 2^20-leaf
    // bitmap, 16,384 words, was most of one update's cost). The list keeps its capacity, so
    // an update allocates nothing once it has grown.
    dirty: Vec<u64>,
    changed: Vec<u32>,
    stale: bool,
}

// Equality leaves out `changed`: it lists the same leaves as the `dirty` bitmap, in the order
// they were changed, and two trees of equal content changed in another order are equal.
impl PartialEq for MerkleTree {
    fn eq(&self, other: &MerkleTree) -> bool {
        self.shape == other.shape
            && self.levels == other.levels
            && self.acc == other.acc
            && self.index == other.index
            && self.dirty == other.dirty
            && self.stale == other.stale
    }
}

impl Eq for MerkleTree {}

impl MerkleTree {
    /// Builds the tree over every entry of `store` (each entry hashed once, each node once).
    pub fn build(shape: TreeShape, store: &Store) -> Result<MerkleTree, ReconcileError> {
        shape.validate()?;
        let leaves = shape.leaves() as usize;
        let mut acc = vec![[0u8; 32]; leaves];
        // Collected, not inserted one by one: a BTreeSet built from an iterator sorts once and
        // builds its nodes in bulk.
        let index: BTreeSet<(u32, Vec<u8>)> = store
            .iter()
            .map(|(k, e)| {
                let leaf = leaf_of(shape, k);
                xor(
                    &mut acc[leaf as usize],
                    &hash::entry(k, e.version(), e.value()),
                );
                (leaf, k.to_vec())
            })
            .collect();
        let mut levels = Vec::with_capacity(shape.depth as usize + 1);
        // A leaf's hash depends on its xor only, and about a third of the leaves are empty
        // when keys and leaves are as many (e^-1): their one hash is computed once.
        let empty = hash::leaf(&[0u8; 32]);
        let leaf_hash = |a: &Hash| {
            if *a == [0u8; 32] {
                empty
            } else {
                hash::leaf(a)
            }
        };
        levels.push(acc.iter().map(leaf_hash).collect::<Vec<Hash>>());
        for _ in 0..shape.depth {
            let below = levels.last().map(Vec::as_slice).unwrap_or(&[]);
            let above = below
                .chunks(shape.branching as usize)
                .map(hash::inner)
                .collect();
            levels.push(above);
        }
        levels.reverse();
        Ok(MerkleTree {
            shape,
            levels,
            acc,
            index,
            dirty: vec![0; leaves.div_ceil(64)],
            changed: Vec::new(),
            stale: false,
        })
    }

    /// The shape.
    pub fn shape(&self) -> TreeShape {
        self.shape
    }

    /// The root hash.
    pub fn root(&self) -> Hash {
        self.node(0, 0).unwrap_or_default()
    }

    /// The hash of node `index` at `level` (0 is the root), if it exists.
    pub fn node(&self, level: u32, index: u64) -> Option<Hash> {
        let row = self.levels.get(level as usize)?;
        row.get(usize::try_from(index).ok()?).copied()
    }

    /// Every node hash at `level` (0 is the root, `depth` the leaves), in index order: what a
    /// viewer compares level by level. Read-only; stale above changed leaves until
    /// [`MerkleTree::refresh`], as [`MerkleTree::node`] is.
    pub fn level(&self, level: u32) -> Option<&[Hash]> {
        self.levels.get(level as usize).map(Vec::as_slice)
    }

    /// The hashes of the children of node `index` at `level` (`level < depth`).
    pub fn children(&self, level: u32, index: u64) -> Option<&[Hash]> {
        let row = self.levels.get(level as usize + 1)?;
        let b = self.shape.branching as usize;
        let start = usize::try_from(index).ok()?.checked_mul(b)?;
        row.get(start..start.checked_add(b)?)
    }

    /// The leaf (bucket) a key belongs to.
    pub fn leaf_of(&self, key: &[u8]) -> u32 {
        leaf_of(self.shape, key)
    }

    /// The keys of leaf `leaf`, in key order.
    pub fn bucket(&self, leaf: u32) -> impl Iterator<Item = &[u8]> + '_ {
        let from = (leaf, Vec::new());
        self.index
            .range(from..)
            .take_while(move |(l, _)| *l == leaf)
            .map(|(_, k)| k.as_slice())
    }

    /// The hash an entry contributes to its leaf.
    pub fn entry_hash(&self, key: &[u8], version: Version, value: Option<&[u8]>) -> Hash {
        hash::entry(key, version, value)
    }

    /// Replaces `key`'s entry `old` (none if the key was absent) by `new` (none if it is gone)
    /// and rehashes the leaf's path.
    pub fn replace(
        &mut self,
        key: &[u8],
        old: Option<(Version, Option<&[u8]>)>,
        new: Option<(Version, Option<&[u8]>)>,
    ) {
        let old = old.map(|(v, x)| hash::entry(key, v, x));
        let new = new.map(|(v, x)| hash::entry(key, v, x));
        self.replace_hashed(key, old, new);
    }

    /// [`MerkleTree::replace`] with the entry hashes already computed.
    pub fn replace_hashed(&mut self, key: &[u8], old: Option<Hash>, new: Option<Hash>) {
        let leaf = self.leaf_of(key);
        let acc = &mut self.acc[leaf as usize];
        for h in old.iter().chain(new.iter()) {
            xor(acc, h);
        }
        match (old.is_some(), new.is_some()) {
            (false, true) => {
                self.index.insert((leaf, key.to_vec()));
            }
            (true, false) => {
                self.index.remove(&(leaf, key.to_vec()));
            }
            _ => {}
        }
        self.levels[self.shape.depth as usize][leaf as usize] =
            hash::leaf(&self.acc[leaf as usize]);
        let (word, bit) = (leaf as usize / 64, 1u64 << (leaf % 64));
        if self.dirty[word] & bit == 0 {
            self.dirty[word] |= bit;
            self.changed.push(leaf);
        }
        self.stale = true;
    }

    /// Whether every inner node is up to date (no change waits for [`MerkleTree::refresh`]).
    pub fn is_fresh(&self) -> bool {
        !self.stale
    }

    /// Rehashes every inner node above a changed leaf, each once, level by level. Cheap
    /// when nothing changed (one flag); otherwise a sort of the changed leaves and one hash
    /// per distinct ancestor.
    pub fn refresh(&mut self) {
        if !self.stale {
            return;
        }
        let mut nodes = core::mem::take(&mut self.changed);
        for &leaf in &nodes {
            self.dirty[leaf as usize / 64] &= !(1u64 << (leaf % 64));
        }
        // Ascending, so each level's parents come out ascending and dedup removes repeats.
        nodes.sort_unstable();
        let b = self.shape.branching;
        for level in (0..self.shape.depth as usize).rev() {
            for n in nodes.iter_mut() {
                *n /= b;
            }
            nodes.dedup();
            let (above, below) = self.levels.split_at_mut(level + 1);
            let b = b as usize;
            for &i in &nodes {
                let i = i as usize;
                above[level][i] = hash::inner(&below[0][i * b..(i + 1) * b]);
            }
        }
        nodes.clear();
        self.changed = nodes;
        self.stale = false;
    }
}

fn leaf_of(shape: TreeShape, key: &[u8]) -> u32 {
    // Leaves are at most 2^20, so the remainder fits in a u32.
    (hash::bucket(key) % shape.leaves()) as u32
}

fn xor(acc: &mut Hash, h: &Hash) {
    for (a, b) in acc.iter_mut().zip(h) {
        *a ^= b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreLimits;
    use crate::time::Tick;

    fn store(keys: u32) -> Store {
        let mut s = Store::new(StoreLimits::default());
        for k in 0..keys {
            s.write(Tick(1), 1, &k.to_le_bytes(), Some(b"v")).unwrap();
        }
        s
    }

    #[test]
    fn an_incremental_update_gives_the_tree_a_fresh_build_gives() {
        let shape = TreeShape {
            branching: 4,
            depth: 3,
        };
        let mut s = store(50);
        let mut t = MerkleTree::build(shape, &s).unwrap();
        let key = 7u32.to_le_bytes();
        let old = s
            .get(&key)
            .map(|e| (e.version(), e.value().map(<[u8]>::to_vec)));
        let v = s.write(Tick(2), 1, &key, None).unwrap();
        let before = t.root();
        t.replace(
            &key,
            old.as_ref().map(|(v, x)| (*v, x.as_deref())),
            Some((v, None)),
        );
        // The leaf changed at once; the path above it waits for the refresh.
        assert!(!t.is_fresh());
        assert_eq!(t.root(), before);
        t.refresh();
        assert_ne!(t.root(), before);
        assert_eq!(t, MerkleTree::build(shape, &s).unwrap());
        // Removing the key (a collected tombstone) matches a build without it.
        t.replace(&key, Some((v, None)), None);
        t.refresh();
        s.collect_tombstones(Tick(1 << 40), 1, |_, _| {});
        assert_eq!(t, MerkleTree::build(shape, &s).unwrap());
    }

    #[test]
    fn the_same_entries_give_the_same_root_whatever_the_order() {
        let shape = TreeShape::BINARY;
        let a = store(30);
        let mut b = Store::new(StoreLimits::default());
        for (k, e) in a.iter().collect::<Vec<_>>().into_iter().rev() {
            b.merge(Tick(3), k, e.version(), e.value());
        }
        let (ta, tb) = (
            MerkleTree::build(shape, &a).unwrap(),
            MerkleTree::build(shape, &b).unwrap(),
        );
        assert_eq!(ta.root(), tb.root());
        assert_ne!(
            ta.root(),
            MerkleTree::build(shape, &store(29)).unwrap().root()
        );
    }

    #[test]
    fn a_leaf_never_hashes_like_an_inner_node() {
        // RFC 6962's domain separation: the same 32 bytes as a leaf and as a lone child differ.
        let x = [5u8; 32];
        assert_ne!(hash::leaf(&x), hash::inner(&[x]));
    }
}
