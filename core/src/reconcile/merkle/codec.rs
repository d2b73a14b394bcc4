//! The Merkle session's message bodies (after the strategy byte), each validated whole.
//!
//! ```text
//! body    = step:u8 ...
//! step 0  Root     branching:varint depth:varint root:hash           (initiator's first)
//! step 1  Nodes    level:varint count:varint (index:varint hash*branching)*count
//!                  "these nodes at `level` differ; here are my hashes of their children"
//!                  (count 0: no difference left, the sender is finished)
//! step 2  Buckets  count:varint (leaf:varint versions)*count
//!                  "these leaves differ; here are my (key, version) pairs in each"
//! step 3  Answer   entries versions    (as digest's answer: entries newer here or unknown
//!                                       there, then the keys asked for)
//! step 4  Entries  entries             (the ones asked for)
//! hash    = 32 bytes;  entries, versions: see crate::reconcile::wire_entries
//! ```
//! Indices must be strictly ascending and inside their level; which ones the receiver accepts
//! (only those it asked about) is checked by the session.

use alloc::vec::Vec;

use super::hash::Hash;
use super::TreeShape;
use crate::reconcile::wire_entries::{put_count, read_list, ListRef};
use crate::reconcile::ReconcileError;
use crate::wire::{put_varint, CodecLimits, DecodeError, Reader};

/// The step bytes.
pub const ROOT: u8 = 0;
/// Nodes and their children's hashes.
pub const NODES: u8 = 1;
/// Differing leaves' versions.
pub const BUCKETS: u8 = 2;
/// Entries and requests.
pub const ANSWER: u8 = 3;
/// The entries asked for.
pub const ENTRIES: u8 = 4;

/// Appends a root message.
pub fn put_root(out: &mut Vec<u8>, shape: TreeShape, root: &Hash) {
    out.push(ROOT);
    put_varint(out, shape.branching.into());
    put_varint(out, shape.depth.into());
    out.extend_from_slice(root);
}

/// Reads a root message's shape and hash (after the step byte).
pub fn read_root(r: &mut Reader<'_>) -> Result<(TreeShape, Hash), ReconcileError> {
    let branching = narrow(r.varint("branching")?, "branching")?;
    let depth = narrow(r.varint("depth")?, "depth")?;
    let mut root = [0u8; 32];
    root.copy_from_slice(r.bytes(32, "root hash")?);
    Ok((TreeShape { branching, depth }, root))
}

fn narrow(x: u64, field: &'static str) -> Result<u32, DecodeError> {
    u32::try_from(x).map_err(|_| DecodeError::OutOfRange { field })
}

/// Appends the header of a nodes message; then [`put_node`] `count` times.
pub fn put_nodes_header(out: &mut Vec<u8>, level: u32, count: usize) {
    out.push(NODES);
    put_varint(out, level.into());
    put_count(out, count);
}

/// Appends one node's index and its children's hashes.
pub fn put_node(out: &mut Vec<u8>, index: u64, children: &[Hash]) {
    put_varint(out, index);
    for c in children {
        out.extend_from_slice(c);
    }
}

/// A validated nodes message: its level and `(index, children hashes)` items.
#[derive(Clone, Copy, Debug)]
pub struct NodesRef<'a> {
    /// The level of the nodes named.
    pub level: u32,
    count: usize,
    items: &'a [u8],
    branching: usize,
}

impl<'a> NodesRef<'a> {
    /// How many nodes.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are none (the sender found no difference left).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `(index, the children's hashes as branching x 32 bytes)`, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &'a [u8])> + 'a {
        let mut r = Reader::new(self.items);
        let len = 32 * self.branching;
        (0..self.count).map_while(move |_| {
            // Validated by `read_nodes`; ending early is the non-panicking answer otherwise.
            let i = r.varint("node index").ok()?;
            Some((i, r.bytes(len as u64, "child hashes").ok()?))
        })
    }
}

/// Reads and validates a nodes message (after the step byte) for a tree of `shape`.
pub fn read_nodes<'a>(
    r: &mut Reader<'a>,
    shape: TreeShape,
    items_max: u32,
) -> Result<NodesRef<'a>, ReconcileError> {
    let level = narrow(r.varint("level")?, "level")?;
    if level >= shape.depth {
        return Err(ReconcileError::NoSuchPosition { level, index: 0 });
    }
    let count = r.varint("node count")?;
    let hashes = count.saturating_mul(shape.branching.into());
    if hashes > u64::from(items_max) {
        return Err(ReconcileError::LimitExceeded {
            limit: "items_per_message_max",
            value: hashes,
            max: items_max.into(),
        });
    }
    let start = r.pos();
    let mut prev = None;
    for _ in 0..count {
        let index = r.varint("node index")?;
        check_index(shape, level, index, prev)?;
        prev = Some(index);
        r.bytes(32 * u64::from(shape.branching), "child hashes")?;
    }
    let items = &r.rest_from(start)[..r.pos() - start];
    Ok(NodesRef {
        level,
        // Bounded by items_max (a u32) above.
        count: count as usize,
        items,
        branching: shape.branching as usize,
    })
}

// Strictly ascending and inside the level.
fn check_index(
    shape: TreeShape,
    level: u32,
    index: u64,
    prev: Option<u64>,
) -> Result<(), ReconcileError> {
    let inside = shape.nodes_at(level).is_some_and(|n| index < n);
    if !inside || prev.is_some_and(|p| p >= index) {
        return Err(ReconcileError::NoSuchPosition { level, index });
    }
    Ok(())
}

/// A validated buckets message: `(leaf, versions)` items.
#[derive(Clone, Debug)]
pub struct BucketsRef<'a> {
    /// The leaves and their versions, ascending leaves.
    pub buckets: Vec<(u64, ListRef<'a>)>,
}

/// Reads and validates a buckets message (after the step byte).
pub fn read_buckets<'a>(
    r: &mut Reader<'a>,
    shape: TreeShape,
    limits: &CodecLimits,
) -> Result<BucketsRef<'a>, ReconcileError> {
    let count = r.varint("bucket count")?;
    let max = u64::from(limits.entries_per_message_max);
    if count > max {
        return Err(ReconcileError::LimitExceeded {
            limit: "items_per_message_max",
            value: count,
            max,
        });
    }
    let mut buckets = Vec::new();
    let (mut prev, mut items) = (None, 0u64);
    for _ in 0..count {
        let leaf = r.varint("leaf index")?;
        check_index(shape, shape.depth, leaf, prev)?;
        prev = Some(leaf);
        let list = read_list(r, false, limits)?;
        items += list.len() as u64;
        if items > max {
            return Err(ReconcileError::LimitExceeded {
                limit: "items_per_message_max",
                value: items,
                max,
            });
        }
        buckets.push((leaf, list));
    }
    Ok(BucketsRef { buckets })
}
