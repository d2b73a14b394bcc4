//! One side of a Merkle session (the message formats are in [`super::codec`]).
//!
//! ```text
//! initiator -> responder   Root (shape, root hash)
//! responder -> initiator   Nodes level 0: [root] + my root's children     (or none: equal)
//! X -> Y                   Nodes level l+1: the children that differ + my hashes of theirs
//!   ... one message per level, the sides taking turns ...
//! X -> Y                   Buckets: the leaves that differ + my (key, version) pairs in each
//! Y -> X                   Answer: entries X lacks or holds older, keys Y wants   (last if none)
//! X -> Y                   Entries: the ones asked for                            (last)
//! ```
//! A side only accepts nodes it offered: the children of the nodes it named in its previous
//! message (for level 0, the root). Anything else is [`ReconcileError::NoSuchPosition`]; a
//! root of another shape is [`ReconcileError::ShapeMismatch`]. The tree is only read until the
//! answer; entries are merged (through [`crate::reconcile::Replica::merge`], which updates the
//! tree) only after the message carrying them was validated whole.

use alloc::vec::Vec;

use super::codec::{self, NodesRef};
use super::{MerkleTree, TreeShape};
use crate::reconcile::digest::{handle_answer, handle_entries, put_answer, Difference};
use crate::reconcile::wire_entries::{expect_end, put_count, put_version};
use crate::reconcile::{Next, ReconcileError, Replica, Role, Turn};
use crate::wire::{DecodeError, Reader};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    // Responder, fresh.
    Root,
    // Nodes (or, at the leaf level, buckets) at `level`, children of `parents` (for level 0,
    // the root itself).
    Nodes { level: u32, parents: Vec<u64> },
    // After sending buckets.
    Answer,
    // After an answer that asked for entries.
    Entries,
}

/// One side of a Merkle session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    shape: TreeShape,
    expect: Expect,
}

impl Side {
    /// A fresh side comparing trees of `shape`.
    pub fn new(role: Role, shape: TreeShape) -> Result<Side, ReconcileError> {
        shape.validate()?;
        let expect = match role {
            Role::Initiator => Expect::Nodes {
                level: 0,
                parents: alloc::vec![0],
            },
            Role::Responder => Expect::Root,
        };
        Ok(Side { shape, expect })
    }

    /// The nodes this side last named as differing: `(level, indices)`, ascending indices
    /// (for a viewer that highlights the descent level by level). `None` before the descent
    /// and after it (buckets sent, or nothing left to compare).
    pub fn frontier(&self) -> Option<(u32, &[u64])> {
        match &self.expect {
            Expect::Nodes { level, parents } if *level > 0 => Some((level - 1, parents)),
            _ => None,
        }
    }

    /// The initiator's root.
    pub fn start(&mut self, turn: &mut Turn<'_>) -> Result<Next, ReconcileError> {
        let tree = tree(turn.replica, self.shape)?;
        codec::put_root(turn.out, self.shape, &tree.root());
        turn.counters.hashes_sent += 1;
        Ok(Next::Send)
    }

    /// Handles the next message of the descent.
    pub fn handle(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
        let (&step, rest) = body.split_first().ok_or(DecodeError::Truncated {
            field: "merkle step",
        })?;
        let mut r = Reader::new(rest);
        match (step, &self.expect) {
            (codec::ROOT, Expect::Root) => self.on_root(turn, &mut r),
            (codec::NODES, Expect::Nodes { .. }) => self.on_nodes(turn, &mut r),
            (codec::BUCKETS, Expect::Nodes { level, .. }) if *level == self.shape.depth => {
                self.on_buckets(turn, &mut r)
            }
            (codec::ANSWER, Expect::Answer) => {
                turn.out.push(codec::ENTRIES);
                handle_answer(turn, &mut r)
            }
            (codec::ENTRIES, Expect::Entries) => handle_entries(turn, &mut r),
            _ => Err(ReconcileError::OutOfOrder {
                what: "merkle step not expected now",
            }),
        }
    }

    fn on_root(&mut self, turn: &mut Turn<'_>, r: &mut Reader<'_>) -> Result<Next, ReconcileError> {
        let (theirs, root) = codec::read_root(r)?;
        expect_end(r)?;
        if theirs != self.shape {
            return Err(ReconcileError::ShapeMismatch {
                ours: self.shape,
                theirs,
            });
        }
        let tree = tree(turn.replica, self.shape)?;
        let differing: &[u64] = if tree.root() == root { &[] } else { &[0] };
        self.send_nodes(turn, 0, differing.to_vec())
    }

    fn on_nodes(
        &mut self,
        turn: &mut Turn<'_>,
        r: &mut Reader<'_>,
    ) -> Result<Next, ReconcileError> {
        let items_max = turn.limits.items_per_message_max;
        let nodes = codec::read_nodes(r, self.shape, items_max)?;
        expect_end(r)?;
        self.check_offered(nodes.level, nodes.iter().map(|(i, _)| i))?;
        if nodes.is_empty() {
            return Ok(Next::Done);
        }
        let tree = tree(turn.replica, self.shape)?;
        let differing = differing_children(tree, nodes);
        let level = nodes.level + 1;
        if level == self.shape.depth {
            return self.send_buckets(turn, differing);
        }
        self.send_nodes(turn, level, differing)
    }

    // Nodes at `level` that differ, with this side's hashes of their children.
    fn send_nodes(
        &mut self,
        turn: &mut Turn<'_>,
        level: u32,
        differing: Vec<u64>,
    ) -> Result<Next, ReconcileError> {
        let b = u64::from(self.shape.branching);
        let hashes = differing.len() as u64 * b;
        turn.check_items(hashes as usize)?;
        let tree = tree(turn.replica, self.shape)?;
        codec::put_nodes_header(turn.out, level, differing.len());
        for &i in &differing {
            put_children(turn.out, tree, level, i);
        }
        turn.counters.hashes_sent += hashes;
        if differing.is_empty() {
            return Ok(Next::SendLast);
        }
        self.expect = Expect::Nodes {
            level: level + 1,
            parents: differing,
        };
        Ok(Next::Send)
    }

    // The differing leaves with this side's (key, version) pairs in each.
    fn send_buckets(
        &mut self,
        turn: &mut Turn<'_>,
        leaves: Vec<u64>,
    ) -> Result<Next, ReconcileError> {
        let tree = tree(turn.replica, self.shape)?;
        let store = turn.replica.store();
        let pairs: usize = leaves.iter().map(|&l| tree.bucket(l as u32).count()).sum();
        turn.check_items(pairs + leaves.len())?;
        turn.out.push(codec::BUCKETS);
        put_count(turn.out, leaves.len());
        for &leaf in &leaves {
            crate::wire::put_varint(turn.out, leaf);
            put_count(turn.out, tree.bucket(leaf as u32).count());
            for k in tree.bucket(leaf as u32) {
                let version = store.get(k).map(|e| e.version()).unwrap_or_default();
                put_version(turn.out, k, version);
            }
        }
        turn.counters.versions_sent += pairs as u64;
        if leaves.is_empty() {
            return Ok(Next::SendLast);
        }
        self.expect = Expect::Answer;
        Ok(Next::Send)
    }

    // The peer's buckets against this side's: the answer, as a digest answer per bucket.
    fn on_buckets(
        &mut self,
        turn: &mut Turn<'_>,
        r: &mut Reader<'_>,
    ) -> Result<Next, ReconcileError> {
        let limits = turn.codec_limits();
        let buckets = codec::read_buckets(r, self.shape, &limits)?;
        expect_end(r)?;
        let depth = self.shape.depth;
        self.check_offered(depth, buckets.buckets.iter().map(|(l, _)| *l))?;
        let tree = tree(turn.replica, self.shape)?;
        let store = turn.replica.store();
        let mut diff = Difference::default();
        for (leaf, theirs) in &buckets.buckets {
            check_ascending(theirs.iter().map(|e| e.key))?;
            let mine = tree
                .bucket(*leaf as u32)
                .filter_map(|k| store.get(k).map(|e| (k, e.version())));
            diff.walk(mine, theirs.iter().map(|e| (e.key, e.version)));
        }
        turn.out.push(codec::ANSWER);
        let asked = put_answer(turn.out, turn.counters, turn.limits, store, &diff)?;
        if !asked {
            return Ok(Next::SendLast);
        }
        self.expect = Expect::Entries;
        Ok(Next::Send)
    }

    // Every index must be one this side offered: a child of a node it named last time.
    fn check_offered(
        &self,
        level: u32,
        indices: impl Iterator<Item = u64>,
    ) -> Result<(), ReconcileError> {
        let Expect::Nodes {
            level: want,
            parents,
        } = &self.expect
        else {
            return Err(ReconcileError::OutOfOrder {
                what: "merkle nodes not expected now",
            });
        };
        let b = u64::from(self.shape.branching);
        for index in indices {
            let offered = level == *want
                && if level == 0 {
                    index == 0
                } else {
                    parents.binary_search(&(index / b)).is_ok()
                };
            if !offered {
                return Err(ReconcileError::NoSuchPosition { level, index });
            }
        }
        Ok(())
    }
}

fn tree(replica: &Replica, shape: TreeShape) -> Result<&MerkleTree, ReconcileError> {
    match replica.tree() {
        Some(t) if t.shape() == shape => {
            debug_assert!(t.is_fresh(), "Session::step refreshes the tree first");
            Ok(t)
        }
        _ => Err(ReconcileError::TreeMissing { shape }),
    }
}

fn put_children(out: &mut Vec<u8>, tree: &MerkleTree, level: u32, index: u64) {
    let children = tree.children(level, index).unwrap_or(&[]);
    codec::put_node(out, index, children);
}

// The children (one level down) whose hash here differs from the peer's.
fn differing_children(tree: &MerkleTree, nodes: NodesRef<'_>) -> Vec<u64> {
    let b = tree.shape().branching as u64;
    let mut out = Vec::new();
    for (i, theirs) in nodes.iter() {
        let mine = tree.children(nodes.level, i).unwrap_or(&[]);
        for (j, (m, t)) in mine.iter().zip(theirs.chunks_exact(32)).enumerate() {
            if m.as_slice() != t {
                out.push(i * b + j as u64);
            }
        }
    }
    out
}

fn check_ascending<'a>(keys: impl Iterator<Item = &'a [u8]>) -> Result<(), ReconcileError> {
    let mut prev: Option<&[u8]> = None;
    for k in keys {
        if prev.is_some_and(|p| p >= k) {
            return Err(ReconcileError::OutOfOrder {
                what: "bucket keys are not strictly ascending",
            });
        }
        prev = Some(k);
    }
    Ok(())
}
