//! The shape of a Merkle tree: branching and depth, and their caps.

use super::super::ReconcileError;

/// Widest branching allowed (Riak's anti-entropy trees are 1,024 wide).
pub const BRANCHING_LIMIT: u32 = 1024;
/// Deepest tree allowed (levels below the root).
pub const DEPTH_LIMIT: u32 = 24;
/// Most leaves allowed: `branching^depth` at most this. Each leaf keeps two 32-byte hashes, so
/// a tree at this cap takes 64 MiB (plus its inner levels, at most as many again for a binary
/// tree); the cap is what keeps a replica's memory bounded whatever the shape.
pub const LEAVES_LIMIT: u64 = 1 << 20;

/// A tree of `depth` levels below the root, each node with `branching` children: `branching^
/// depth` leaves. Cassandra's shape is binary and deep (`2 x 15` by default, up to `2 x 20`):
/// few hashes per level, many round trips; Riak's is wide and shallow (`1024 x 2`, three
/// levels counting the root): few round trips, many hashes per differing node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TreeShape {
    /// Children per inner node, 2 to [`BRANCHING_LIMIT`].
    pub branching: u32,
    /// Levels below the root, 1 to [`DEPTH_LIMIT`], with `branching^depth <= LEAVES_LIMIT`.
    pub depth: u32,
}

impl TreeShape {
    /// Cassandra-like: binary, 16 levels (65,536 leaves).
    pub const BINARY: TreeShape = TreeShape {
        branching: 2,
        depth: 16,
    };
    /// Riak-like: 1,024 wide, root plus two levels (2^20 leaves).
    pub const WIDE: TreeShape = TreeShape {
        branching: 1024,
        depth: 2,
    };

    /// Checks the ranges and the leaf cap.
    pub fn validate(&self) -> Result<(), ReconcileError> {
        if !(2..=BRANCHING_LIMIT).contains(&self.branching) {
            return Err(ReconcileError::BadShape { what: "branching" });
        }
        if !(1..=DEPTH_LIMIT).contains(&self.depth) {
            return Err(ReconcileError::BadShape { what: "depth" });
        }
        match self.nodes_at(self.depth) {
            Some(n) if n <= LEAVES_LIMIT => Ok(()),
            _ => Err(ReconcileError::BadShape {
                what: "leaves (branching^depth)",
            }),
        }
    }

    /// Nodes at `level` (`branching^level`), if it fits in a `u64`.
    pub fn nodes_at(&self, level: u32) -> Option<u64> {
        u64::from(self.branching).checked_pow(level)
    }

    /// Leaves of a valid shape.
    pub fn leaves(&self) -> u64 {
        self.nodes_at(self.depth).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_outside_the_caps_are_refused() {
        assert!(TreeShape::BINARY.validate().is_ok());
        assert!(TreeShape::WIDE.validate().is_ok());
        let bad = |b, d| {
            TreeShape {
                branching: b,
                depth: d,
            }
            .validate()
            .is_err()
        };
        assert!(bad(1, 4) && bad(2048, 1) && bad(2, 0) && bad(2, 25) && bad(1024, 3));
        assert!(!bad(2, 20) && bad(2, 21));
    }
}
