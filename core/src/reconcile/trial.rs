//! Two replicas that differ in `d` random keys: the fixture of the runner (`lab merkle`), the
//! statistical tests and (later) the app's anti-entropy lab.
//!
//! The base replica holds keys `0 .. n` (4 bytes, big endian, so key order is index order),
//! each with an 8-byte value written by node 0 at tick 1. A pair is two copies of the base (the
//! trees are cloned, not rebuilt) in which `d` distinct keys, drawn uniformly by rejection from
//! the caller's [`Rng`] (`below(n)`, a repeat drawn again, so `O(d log d)`), were changed after
//! the copy, through [`Replica::write`] (so the trees are updated incrementally): the `i`-th
//! drawn key gets a newer value on the second replica when `i % 3 == 0`, a newer value on the
//! first when `i % 3 == 1`, and a newer tombstone on the first when `i % 3 == 2`.

use alloc::collections::BTreeSet;

use super::{ReconcileError, Replica, TreeShape};
use crate::rng::Rng;
use crate::store::{Store, StoreLimits};
use crate::time::Tick;

/// The base replica a trial copies.
#[derive(Clone, Debug)]
pub struct Base {
    replica: Replica,
    keys: u32,
}

impl Base {
    /// `keys` keys (1 to [`crate::store::KEYS_LIMIT`]), with a tree of `shape` if given.
    pub fn new(keys: u32, shape: Option<TreeShape>) -> Result<Base, ReconcileError> {
        let limits = StoreLimits {
            keys_max: keys.clamp(1, crate::store::KEYS_LIMIT),
            key_bytes_max: 4,
            value_bytes_max: 8,
        };
        let mut store = Store::new(limits);
        for k in 0..limits.keys_max {
            let value = u64::from(k).to_le_bytes();
            // Within the limits just set, so the write cannot fail.
            let written = store.write(Tick(1), 0, &k.to_be_bytes(), Some(&value));
            debug_assert!(written.is_ok());
        }
        let replica = match shape {
            Some(s) => Replica::with_tree(store, s)?,
            None => Replica::new(store),
        };
        Ok(Base {
            replica,
            keys: limits.keys_max,
        })
    }

    /// How many keys.
    pub fn keys(&self) -> u32 {
        self.keys
    }

    /// Two copies differing in `d` random keys (at most the number of keys), drawn from `rng`.
    pub fn pair(&self, d: u32, rng: &mut Rng) -> (Replica, Replica) {
        let (mut a, mut b) = (self.replica.clone(), self.replica.clone());
        let d = d.min(self.keys);
        let mut chosen = BTreeSet::new();
        let mut i = 0u32;
        while chosen.len() < d as usize {
            let k = rng.below(self.keys);
            if !chosen.insert(k) {
                continue;
            }
            let key = k.to_be_bytes();
            let newer = [0xAB; 8];
            // Keys and values within the base's limits, held keys only: cannot fail.
            let written = match i % 3 {
                0 => b.write(Tick(2), 1, &key, Some(&newer)),
                1 => a.write(Tick(2), 2, &key, Some(&newer)),
                _ => a.write(Tick(2), 2, &key, None),
            };
            debug_assert!(written.is_ok());
            i += 1;
        }
        (a, b)
    }
}
