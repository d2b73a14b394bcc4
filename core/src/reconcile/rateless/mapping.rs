//! Which coded symbols an item goes into: the index sequence of Rateless IBLT.
//!
//! Yang, Gilad and Alizadeh ("Practical Rateless Set Reconciliation", SIGCOMM 2024, §4) put
//! item `x` into coded symbol `i` with probability `ρ(i) = 1 / (1 + α i)`, `α = 1/2`, that is
//! `ρ(i) = 2 / (i + 2)`: every item is in symbol 0, two thirds are in symbol 1, and the density
//! falls as `1/i`, which is what lets a prefix of any length decode about as well as an IBLT
//! sized for it. An item's indices are drawn one after the other from a pseudo-random state
//! seeded with the item's id, so both sides compute the same sequence without talking.
//!
//! # The gap, derived
//! Given that the item is in symbol `i`, it skips symbols `i+1 ..= i+x-1` and lands in `i+x`.
//! The skips are independent with probabilities `1 - ρ(k) = k / (k + 2)`, so the chance of
//! skipping past `i + x` telescopes:
//! ```text
//! P(next > i + x) = Π_{k=i+1}^{i+x} k/(k+2) = (i+1)(i+2) / ((i+x+1)(i+x+2))
//! ```
//! Inverting it at a uniform `u = r / 2^64` (`r` one 64-bit output), the next index is the
//! smallest `j > i` with `(i+1)(i+2) / ((j+1)(j+2)) <= 1 - u`, in integers:
//! ```text
//! next(i, r) = min { j > i : (j+1)(j+2) (2^64 - r) >= (i+1)(i+2) 2^64 }
//! ```
//! (The reference library `riblt` uses the continuous approximation
//! `x = ceil((i + 1.5)((1 - u)^(-1/2) - 1))`; we take the exact inverse instead, so the
//! probabilities are the paper's `ρ(i)` up to the 2^-64 grain of `u`.)
//!
//! # Determinism: integers decide, a float only guesses
//! `next` is decided by the integer inequality above, in `u128` (indices stay below
//! [`INDEX_LIMIT`] = 2^31, so both sides stay below 2^127). A float gives a starting guess,
//! `(i + 1.5) 2^32 / sqrt(2^64 - r) - 1.5`, from which integer steps walk to the exact answer;
//! on an IEEE-754 platform (`libm::sqrt` and division are correctly rounded) the guess is
//! within a step or two, and on any other platform the walk is longer but ends at the same
//! index. So the sequence is the same on every platform by construction, not by trust in
//! floating point. An index at or beyond [`INDEX_LIMIT`] is never reached: the sequence ends
//! there ([`NEVER`]), far beyond any reconciliation's `symbols_max`.
//!
//! # The state
//! SplitMix64 (Steele, Lea and Flood, 2014): `state += 0x9E3779B97F4A7C15; r = mix(state)` with
//! [`crate::rng::mix`], the state started at the item's id. The tests pin the first indices of
//! one id: the sequence is part of the wire format and never changes.

use crate::rng::mix;

/// Indices from here on are never produced: a mapping that would reach one ends instead.
pub const INDEX_LIMIT: u64 = 1 << 31;
/// The index of a mapping that has ended.
pub const NEVER: u64 = u64::MAX;

/// SplitMix64's increment (the golden ratio in 64 bits).
const STEP: u64 = 0x9E37_79B9_7F4A_7C15;

/// The indices of one item's coded symbols, produced in increasing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    state: u64,
    index: u64,
}

impl Mapping {
    /// The mapping of the item with this id, at its first index, 0.
    pub const fn new(id: u64) -> Mapping {
        Mapping {
            state: id,
            index: 0,
        }
    }

    /// The current index, or [`NEVER`] once the sequence has ended.
    pub const fn index(&self) -> u64 {
        self.index
    }

    /// Moves to the next index and returns it ([`NEVER`] once ended, and from then on).
    pub fn advance(&mut self) -> u64 {
        if self.index >= INDEX_LIMIT {
            self.index = NEVER;
            return NEVER;
        }
        self.state = self.state.wrapping_add(STEP);
        self.index = next_index(self.index, mix(self.state));
        self.index
    }

    /// Advances until the index is at least `at_least` (or the sequence ended).
    pub fn advance_to(&mut self, at_least: u64) -> u64 {
        while self.index < at_least {
            self.advance();
        }
        self.index
    }
}

/// The next index after `i` for the random word `r` (see the module docs); [`NEVER`] if it would
/// be [`INDEX_LIMIT`] or more. `i` must be below [`INDEX_LIMIT`].
pub fn next_index(i: u64, r: u64) -> u64 {
    debug_assert!(i < INDEX_LIMIT);
    let s = (1u128 << 64) - u128::from(r);
    let target = (u128::from(i + 1) * u128::from(i + 2)) << 64;
    let reaches = |j: u64| u128::from(j + 1) * u128::from(j + 2) * s >= target;
    let guess = (i as f64 + 1.5) * (4_294_967_296.0 / libm::sqrt(s as f64)) - 1.5;
    let mut j = if guess < INDEX_LIMIT as f64 {
        // A NaN guess compares false above and lands on the limit, like a huge one.
        libm::ceil(guess) as u64
    } else {
        INDEX_LIMIT
    };
    j = j.clamp(i + 1, INDEX_LIMIT);
    while j > i + 1 && reaches(j - 1) {
        j -= 1;
    }
    while j < INDEX_LIMIT && !reaches(j) {
        j += 1;
    }
    if j >= INDEX_LIMIT {
        NEVER
    } else {
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    // The first indices of the item with id 0x0123456789abcdef. Part of the wire format: a
    // build that produces other indices cannot reconcile with this one. Never "update" them.
    const FROZEN: [u64; 12] = [0, 1, 5, 6, 11, 12, 13, 27, 41, 266, 289, 655];

    #[test]
    fn the_index_sequence_is_frozen() {
        let mut m = Mapping::new(0x0123_4567_89ab_cdef);
        let mut got = Vec::new();
        got.push(m.index());
        for _ in 1..FROZEN.len() {
            got.push(m.advance());
        }
        assert_eq!(got, FROZEN);
    }

    // Whether `j` is the next index after `i` for `r` by the defining inequality: `j` reaches
    // the target and `j - 1` does not (or `j` is `i + 1`).
    fn is_next(i: u64, r: u64, j: u64) -> bool {
        let s = (1u128 << 64) - u128::from(r);
        let target = (u128::from(i + 1) * u128::from(i + 2)) << 64;
        let reaches = |j: u64| u128::from(j + 1) * u128::from(j + 2) * s >= target;
        j > i && reaches(j) && (j == i + 1 || !reaches(j - 1))
    }

    #[test]
    fn the_next_index_is_the_exact_integer_inverse() {
        // Small indices, words at the edges and in between, and seeded words.
        let mut words = alloc::vec![0u64, 1, 1 << 20, 1 << 62, 1 << 63, u64::MAX - (1 << 40)];
        words.extend((0..200).map(|k| mix(k + 1)));
        for i in (0..300u64).chain([1 << 20, INDEX_LIMIT - 2]) {
            for &r in &words {
                let j = next_index(i, r);
                if j == NEVER {
                    assert!(!is_next(i, r, INDEX_LIMIT - 1), "i {i} r {r:#x}");
                } else {
                    assert!(is_next(i, r, j), "i {i} r {r:#x} gave {j}");
                }
            }
        }
        // u = 0 lands on the very next index; u close to 1 jumps past the limit.
        assert_eq!(next_index(5, 0), 6);
        assert_eq!(next_index(5, u64::MAX), NEVER);
        assert_eq!(next_index(5, u64::MAX - 1), NEVER);
    }

    #[test]
    fn a_mapping_ends_at_the_limit_and_stays_ended() {
        let mut m = Mapping {
            state: 1,
            index: INDEX_LIMIT - 1,
        };
        while m.index() != NEVER {
            m.advance();
        }
        assert_eq!(m.advance(), NEVER);
        assert_eq!(m.advance_to(10), NEVER);
    }

    #[test]
    fn index_i_is_used_with_probability_two_over_i_plus_two() {
        // ρ(i) = 1/(1 + i/2) (the paper's α = 0.5, §4). 40,000 seeded items; each observed
        // frequency is within 4 standard errors sqrt(ρ(1-ρ)/n) of ρ.
        let n = 40_000u64;
        let probe = [1u64, 2, 3, 10, 50, 300];
        let mut hits = [0u64; 6];
        for k in 0..n {
            let mut m = Mapping::new(mix(k ^ 0x5eed));
            for (p, h) in probe.iter().zip(hits.iter_mut()) {
                if m.advance_to(*p) == *p {
                    *h += 1;
                }
            }
        }
        for (p, h) in probe.iter().zip(hits) {
            let rho = 2.0 / (*p as f64 + 2.0);
            let se = libm::sqrt(rho * (1.0 - rho) / n as f64);
            let got = h as f64 / n as f64;
            assert!((got - rho).abs() < 4.0 * se, "index {p}: {got} vs {rho}");
        }
    }
}
