//! Deterministic random streams, derived from one seed by a fixed, documented algorithm.
//!
//! Why our own: a permalink must replay the same run in every browser and every future release,
//! so the algorithm can never change under us (as `rand::rngs::SmallRng` may between releases).
//! The algorithms are small, public and frozen:
//!
//! * **Seed derivation** uses the SplitMix64 finaliser (Steele, Lea and Flood, 2014):
//!   `mix(z) = let z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; let z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^ (z >> 31)`.
//!   A stream is named by the run's seed, a [`Stream`] purpose and an index (a node id, a round):
//!   `derive(seed, purpose, index) = mix(mix(seed + GOLDEN * (purpose + 1)) ^ (index + GOLDEN))`
//!   with wrapping arithmetic and `GOLDEN = 0x9E3779B97F4A7C15`.
//! * **The generator** is xoshiro256++ (Blackman and Vigna, 2019), its 256-bit state filled with
//!   four successive SplitMix64 outputs started from the derived seed.
//! * **Integers below n** use Lemire's multiply-and-reject method on the upper 32 bits of an
//!   output (exactly uniform, no floating point).
//! * **Events of probability p** compare the top 53 bits of an output with `round(p * 2^53)`,
//!   so `p = 0` never fires and `p = 1` always does, and no float is touched per draw.
//!
//! Everything is integer arithmetic with wrapping semantics, so every platform (x86, ARM, wasm32)
//! produces the same numbers. The unit tests freeze the first outputs: if they ever change,
//! every shared link in the world would replay differently, so the test must never be "updated".
//!
//! # With `rand`
//! With the `rand_core` feature, [`Rng`] implements `rand_core::TryRng` (error type
//! `Infallible`, so it is a `rand_core::Rng` and `rand`'s distributions and `RngExt` methods
//! draw from it). The adapter adds no algorithm of its own: `next_u64` is the generator's
//! output, `next_u32` its upper 32 bits (the bits [`Rng::below`] uses), and `fill_bytes` writes
//! successive outputs little-endian, the last one cut. What `rand` builds on top (its uniform
//! ranges, floats, shuffles) is `rand`'s, and is only as frozen as `rand`'s own value-stability
//! promise; the protocol and the simulator never go through it.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function applied to `z` (no state increment).
#[inline]
pub const fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a random stream is used for. The discriminant is part of the derivation, so these
/// numbers are frozen: add new purposes at the end, never renumber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Every draw of the fast Monte Carlo kernels ([`crate::kernel::epidemic`], [`crate::kernel::demers`]);
    /// always indexed by 0. A sweep's trials do not index it: each trial gets its own seed from
    /// [`Stream::Trial`] and then draws from `(trial seed, KernelPeers, 0)`.
    KernelPeers = 0,
    /// Peer choice and coin flips of one protocol node; indexed by node id.
    Node = 1,
    /// Loss, latency and duplication decisions of the simulated network; indexed by 0.
    Network = 2,
    /// Trials of a sweep: each trial's own seed; indexed by trial.
    Trial = 3,
    /// SWIM's probe order, helpers and shuffles at one node, apart from the node's own stream
    /// so switching a Lifeguard part never moves the dissemination's draws; indexed by node
    /// id, seeded by the first output of the node's own stream read from a copy:
    /// `Rng::stream(node_rng.clone().next_u64(), Stream::Membership, id)` (see
    /// [`crate::node::Node::new`]).
    Membership = 4,
    /// The [`crate::reconcile::rateless::ItemKey`] of one rateless reconciliation; indexed by
    /// 0, seeded by the `seed` the initiator's caller hands
    /// [`crate::reconcile::Session::initiator`] (drawn from the caller's own stream), so a
    /// session's hashing key depends on nothing else.
    RatelessKey = 5,
    /// Anti-entropy at one node ([`crate::node::anti_entropy`]): the peer of each session it
    /// starts, its session numbers and each rateless session's seed; indexed by node id,
    /// seeded like [`Stream::Membership`] by the first output of a copy of the node's stream,
    /// so turning anti-entropy on never moves dissemination's or membership's draws.
    AntiEntropy = 6,
}

/// The seed of the stream `(seed, purpose, index)`; see the module docs for the formula.
#[inline]
pub const fn derive(seed: u64, purpose: Stream, index: u64) -> u64 {
    let p = purpose as u64;
    mix(mix(seed.wrapping_add(GOLDEN.wrapping_mul(p + 1))) ^ index.wrapping_add(GOLDEN))
}

/// A probability stored as a 53-bit threshold, so drawing an event is one integer comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Probability(u64);

impl Probability {
    /// Never fires.
    pub const NEVER: Probability = Probability(0);
    /// Always fires.
    pub const ALWAYS: Probability = Probability(1 << 53);

    /// `p` clamped to `[0, 1]`; NaN counts as 0. Callers that take `p` from a user validate it
    /// first and report a bad value: this clamp only guarantees the type's invariant.
    pub fn from_f64(p: f64) -> Probability {
        if p.is_nan() || p <= 0.0 {
            return Probability::NEVER;
        }
        if p >= 1.0 {
            return Probability::ALWAYS;
        }
        // Exact: p * 2^53 is a scaling by a power of two; the rounding to an integer is the
        // same IEEE-754 operation everywhere.
        Probability(libm::round(p * (1u64 << 53) as f64) as u64)
    }

    /// The probability as a float, for display.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / (1u64 << 53) as f64
    }
}

// With the `serde` feature a probability is the number it stands for, not its threshold:
// `as_f64`, exact because the threshold has at most 53 bits (so 0.1 is written
// 0.09999999999999998, the 53-bit value `from_f64(0.1)` keeps), and `from_f64` of that number
// gives the same threshold back, so it round-trips bit for bit. A number that is not a
// probability (NaN, below 0, above 1) is refused rather than clamped.
#[cfg(feature = "serde")]
impl serde::Serialize for Probability {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Probability {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Probability, D::Error> {
        let p = <f64 as serde::Deserialize>::deserialize(deserializer)?;
        if !(0.0..=1.0).contains(&p) {
            return Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Float(p),
                &"a probability from 0 to 1",
            ));
        }
        Ok(Probability::from_f64(p))
    }
}

/// xoshiro256++ seeded through SplitMix64. Small (32 bytes), fast, and frozen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose state is four SplitMix64 outputs started at `seed`.
    pub fn from_seed(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(GOLDEN);
            mix(x)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The generator of stream `(seed, purpose, index)`.
    pub fn stream(seed: u64, purpose: Stream, index: u64) -> Rng {
        Rng::from_seed(derive(seed, purpose, index))
    }

    /// The next 64 random bits (xoshiro256++).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform integer in `0..n` (Lemire 2019). `n == 0` returns 0 rather than panicking.
    /// Usually one draw; a draw is rejected and repeated with probability below `n / 2^32`.
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let mut m = (self.next_u64() >> 32) * u64::from(n);
        if (m as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u32) < threshold {
                m = (self.next_u64() >> 32) * u64::from(n);
            }
        }
        (m >> 32) as u32
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: Probability) -> bool {
        (self.next_u64() >> 11) < p.0
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Writes `k` distinct uniform integers from `0..n` into `out[..k]` by Floyd's algorithm
    /// (Bentley and Floyd, 1987) and returns `k`, clamped to `n` and `out.len()`.
    ///
    /// It makes one [`Rng::below`] call per chosen element, and `below(j + 1)` draws one number
    /// except when Lemire's method rejects a draw (probability below `(j + 1) / 2^32` per call,
    /// under 2.4e-5 even at `n = 10^5`), when it draws again. So a stream's position after a
    /// call is `k` draws almost always, but not always: it depends on the values drawn, and
    /// runs with different samples can drift apart by a draw. Determinism is unaffected (the
    /// same stream gives the same draws); only "aligned however the sample turns out" is not
    /// guaranteed. The set is uniform;
    /// the order within `out` is not, and callers must not rely on it. Cost is O(k^2), meant for
    /// the small fanouts of gossip.
    pub fn sample_distinct(&mut self, n: u32, k: usize, out: &mut [u32]) -> usize {
        let k = k.min(n as usize).min(out.len());
        let mut len = 0;
        for j in (n - k as u32)..n {
            let t = self.below(j + 1);
            let pick = if out[..len].contains(&t) { j } else { t };
            out[len] = pick;
            len += 1;
        }
        len
    }
}

/// `rand`'s view of the same generator (see "With `rand`" in the module docs).
#[cfg(feature = "rand_core")]
impl rand_core::TryRng for Rng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.next_u64() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        rand_core::utils::fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_published_reference_output() {
        // SplitMix64 started at state 0: the first output of the reference implementation
        // (Vigna's splitmix64.c) is 0xE220A8397B1DCDAF.
        assert_eq!(mix(GOLDEN), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn xoshiro_matches_the_reference_implementation() {
        // Reference outputs of xoshiro256++ (Vigna's xoshiro256plusplus.c) from state [1, 2, 3, 4],
        // as also checked by the rand_xoshiro crate.
        let mut r = Rng { s: [1, 2, 3, 4] };
        let want = [
            41_943_041,
            58_720_359,
            3_588_806_011_781_223,
            3_591_011_842_654_386,
        ];
        for w in want {
            assert_eq!(r.next_u64(), w);
        }
    }

    #[test]
    fn below_is_in_range_and_covers_every_value() {
        let mut rng = Rng::from_seed(7);
        let mut seen = [0u32; 10];
        for _ in 0..10_000 {
            let x = rng.below(10);
            assert!(x < 10);
            seen[x as usize] += 1;
        }
        // Each bucket expects 1000 with sd ~30; 4 sd either side.
        for count in seen {
            assert!((880..=1120).contains(&count), "bucket count {count}");
        }
    }

    #[test]
    fn probability_extremes_are_exact() {
        let mut rng = Rng::from_seed(1);
        for _ in 0..1000 {
            assert!(!rng.chance(Probability::NEVER));
            assert!(rng.chance(Probability::ALWAYS));
        }
        assert_eq!(Probability::from_f64(f64::NAN), Probability::NEVER);
        assert_eq!(Probability::from_f64(2.0), Probability::ALWAYS);
    }

    #[test]
    fn sample_distinct_returns_distinct_values_and_draws_k_numbers() {
        let mut a = Rng::from_seed(3);
        let mut out = [0u32; 8];
        for n in 1..40u32 {
            let k = a.sample_distinct(n, 5, &mut out);
            assert_eq!(k, 5.min(n as usize));
            let picked = &out[..k];
            for (i, x) in picked.iter().enumerate() {
                assert!(*x < n);
                assert!(!picked[i + 1..].contains(x));
            }
        }
        // Alignment: after sampling k, the stream has advanced by exactly k draws (for n well
        // above the rejection threshold, which is never hit for small n in 32 bits here).
        let mut b = Rng::from_seed(9);
        let mut c = Rng::from_seed(9);
        b.sample_distinct(1000, 3, &mut out);
        for _ in 0..3 {
            c.below(1000);
        }
        assert_eq!(b.next_u64(), c.next_u64());
    }

    #[test]
    fn streams_are_frozen() {
        // These values pin the whole derivation (seed -> stream -> xoshiro256++). If this test
        // fails, every permalink ever shared would replay differently: fix the code, not the test.
        let mut r = Rng::stream(42, Stream::Node, 5);
        let got = [r.next_u64(), r.next_u64(), r.next_u64()];
        assert_eq!(got, FROZEN);
    }

    #[test]
    fn the_membership_stream_is_frozen_and_apart_from_the_node_stream() {
        // SWIM's stream at node 5 of seed 42, derived as `Node::new` does (see
        // `Stream::Membership`): pinned like the node stream above.
        let node = Rng::stream(42, Stream::Node, 5);
        let mut r = Rng::stream(node.clone().next_u64(), Stream::Membership, 5);
        assert_eq!(r.next_u64(), MEMBERSHIP_FROZEN);
        assert_ne!(MEMBERSHIP_FROZEN, FROZEN[0]);
    }

    const MEMBERSHIP_FROZEN: u64 = 14_069_063_330_233_603_941;

    const FROZEN: [u64; 3] = [
        10_635_927_301_871_904_332,
        14_685_440_216_315_328_370,
        12_386_087_027_106_576_634,
    ];
}

#[cfg(all(test, feature = "rand_core"))]
mod rand_tests {
    use super::*;
    use rand::RngExt as _;
    use rand_core::Rng as _;

    #[test]
    fn rand_draws_the_frozen_outputs_of_the_same_stream() {
        let mut ours = Rng::stream(7, Stream::Node, 3);
        let mut theirs = ours.clone();
        for _ in 0..4 {
            let want = ours.next_u64();
            assert_eq!(rand_core::Rng::next_u64(&mut theirs), want);
        }
        // next_u32 is the upper half of the next output, as `below` uses it.
        let want = (ours.next_u64() >> 32) as u32;
        assert_eq!(theirs.next_u32(), want);
        // fill_bytes: successive outputs, little-endian, the last one cut.
        let (a, b) = (ours.next_u64(), ours.next_u64());
        let mut bytes = [0u8; 12];
        theirs.fill_bytes(&mut bytes);
        assert_eq!(bytes[..8], a.to_le_bytes());
        assert_eq!(bytes[8..], b.to_le_bytes()[..4]);
        // And rand's own methods work on it.
        let x: u32 = theirs.random_range(10..20);
        assert!((10..20).contains(&x));
    }
}
