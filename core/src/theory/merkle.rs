//! What a Merkle-tree reconciliation is expected to cost for `d` random differences, to set
//! the measured sessions of [`crate::reconcile::merkle`] against.
//!
//! # Derivation
//! A tree of branching `b` and depth `L` has `b^l` nodes at level `l` (the root is level 0, the
//! `b^L` leaves level `L`). Put the `d` differing keys in leaves independently and uniformly
//! (a key's leaf is a hash of the key, so distinct random keys fall in independent uniform
//! leaves). A node at level `l` covers `b^-l` of the leaves; it differs between the replicas iff
//! at least one differing key falls under it, which for one key has probability `b^-l`, so
//! ```text
//! P(node at level l differs) = 1 - (1 - b^-l)^d
//! E[differing nodes at level l] = D_l = b^l (1 - (1 - b^-l)^d)
//! ```
//! by linearity of expectation (no independence between nodes needed). The session sends the
//! root's hash once, then for every differing node at levels `0 .. L-1` the hashes of its `b`
//! children (see [`crate::reconcile::merkle::session`]), so the expected hashes are
//! ```text
//! E[hashes] = 1 + b * sum_{l=0}^{L-1} D_l          (d >= 1; just 1 when d = 0)
//! ```
//! (assuming no two different leaf contents share a hash, probability about 2^-256).
//! Where `b^l << d` nearly every node differs (`D_l ~ b^l`), and where `b^l >> d` nearly every
//! differing key has its own path (`D_l ~ d`); so with about `n` leaves the sum is
//! `O(d / (b - 1) + d log_b(n / d))`: hashes grow as `O(b d log_b(n/d))`, bytes with them.
//!
//! The keys that only share a differing leaf: each of the `n - d` other keys falls in a
//! differing leaf with probability `1 - (1 - b^-L)^d`, so the expected `(key, version)` pairs
//! sent in vain are `(n - d) (1 - (1 - b^-L)^d)`.
//!
//! `core/tests/merkle_theory.rs` measures the mean hashes over seeded trials and checks them
//! against [`expected_hashes`] within four standard errors.

/// `D_l`: expected differing nodes at `level` of a `branching`-wide tree, for `d` differences.
pub fn expected_differing_nodes(branching: u32, level: u32, d: u64) -> f64 {
    let nodes = libm::pow(f64::from(branching), f64::from(level));
    nodes * (1.0 - libm::pow(1.0 - 1.0 / nodes, d as f64))
}

/// Expected hashes one Merkle session sends for `d` random differences (see the derivation).
pub fn expected_hashes(branching: u32, depth: u32, d: u64) -> f64 {
    if d == 0 {
        return 1.0;
    }
    let below: f64 = (0..depth)
        .map(|l| expected_differing_nodes(branching, l, d))
        .sum();
    1.0 + f64::from(branching) * below
}

/// Expected `(key, version)` pairs of keys that only share a differing leaf with a difference,
/// for `keys` keys of which `d` differ.
pub fn expected_bucket_sharers(branching: u32, depth: u32, keys: u64, d: u64) -> f64 {
    let p = 1.0
        - libm::pow(
            1.0 - 1.0 / libm::pow(f64::from(branching), f64::from(depth)),
            d as f64,
        );
    keys.saturating_sub(d) as f64 * p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_has_its_limiting_cases() {
        // One difference: one path, b hashes per level below the root, plus the root.
        assert!((expected_hashes(2, 16, 1) - 33.0).abs() < 1e-9);
        assert!((expected_hashes(1024, 2, 1) - (1.0 + 2048.0)).abs() < 1e-6);
        // Very many differences: every node differs, every child hash is sent.
        let all: f64 = 1.0 + 2.0 * (0..4).map(|l| libm::pow(2.0, l as f64)).sum::<f64>();
        assert!((expected_hashes(2, 4, 1 << 20) - all).abs() < 1e-6);
        assert_eq!(expected_hashes(2, 4, 0), 1.0);
    }
}
