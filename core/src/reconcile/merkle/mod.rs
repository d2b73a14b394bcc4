//! Merkle-tree reconciliation: each replica keeps a hash tree over its keys; two replicas
//! compare roots and descend only into differing subtrees, level by level, then exchange the
//! `(key, version)` pairs of the differing leaf buckets and finally the entries each side needs.
//!
//! * [`shape`]: branching and depth, and the caps that bound the tree's memory;
//! * [`hash`]: the hash (BLAKE3, chosen on measured speed and size) and its domain separation;
//! * [`tree`]: the tree over one store, updated incrementally (cost ∝ depth, not keys);
//! * [`codec`]: the session's messages, validated whole before anything changes;
//! * [`session`]: one side of a session ([`Side`]), driven by [`crate::reconcile::Session`].
//!
//! The expected number of hashes for `d` random differences is derived in
//! [`crate::theory::merkle`].

pub mod codec;
pub mod hash;
pub mod session;
pub mod shape;
pub mod tree;

pub use session::Side;
pub use shape::TreeShape;
pub use tree::MerkleTree;
