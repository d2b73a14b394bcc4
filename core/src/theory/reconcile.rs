//! What each reconciliation strategy of [`crate::reconcile`] is expected to send, in bytes, to
//! repair the trial pair of [`crate::reconcile::trial`] (`keys` keys, `d` of them changed), to
//! set the measured sessions (`lab merkle`, the Anti-entropy lab's chart) against.
//!
//! Every model is read off the wire formats (each strategy's module documents its messages;
//! entries and versions are [`crate::reconcile::wire_entries`]'s), applied to the trial's
//! fixture. Pure functions of `(keys, d)` (and the tree's shape), driven by whoever draws a
//! model line: nothing here runs a session.
//!
//! # The fixture
//! Keys are 4 bytes and values 8. The base writes key `k` at tick 1, so its counter is
//! `2^16 + k` (the store's hybrid clock: `tick << 16`, then one more per write); the `d`
//! changes are written at tick 2, counters from `max(2^16 + keys, 2^17)` up. Within
//! [`crate::store::KEYS_LIMIT`] every counter takes three varint bytes and every origin (0, 1
//! or 2) one, so (`version_bytes` and `entry_bytes` compute it from the codec):
//! ```text
//! version   = len 1 + key 4 + counter 3 + origin 1           =  9 bytes
//! entry     = version + present 1 + len 1 + value 8           = 19 bytes
//! tombstone = version + absent 1                              = 10 bytes
//! ```
//! The `i`-th changed key is newer on the responder `B` when `i % 3 == 0` (`b = ceil(d/3)` of
//! them, values), newer on the initiator `A` otherwise (`a_v = floor((d+1)/3)` values and
//! `a_t = floor(d/3)` tombstones, `a = a_v + a_t`). `vl(x)` is a varint's length. Every message
//! starts with the strategy byte.
//!
//! # Full state (exact)
//! `A -> B` every entry of `A`, `B -> A` every entry of `B` (which holds no tombstone):
//! ```text
//! full = 2 (1 + vl(keys)) + (keys - a_t) 19 + a_t 10 + keys 19
//! ```
//!
//! # Version digest (exact)
//! `A -> B` a version per key; `B -> A` its `b` newer entries and the `a` keys it asks for;
//! `A -> B` those `a` entries (no message when `a = 0`):
//! ```text
//! digest = 1 + vl(keys) + 9 keys  +  1 + vl(b) + 19 b + vl(a) + 9 a
//!        + [a > 0] (1 + vl(a) + 19 a_v + 10 a_t)
//! ```
//!
//! # Merkle trees (expected)
//! With `D_l` the expected differing nodes at level `l` ([`super::merkle`]'s occupancy count),
//! the root message is `2 + vl(branching) + vl(depth) + 32` (strategy and step bytes, shape,
//! hash); the nodes message of level `l` (`0 <= l < depth`) is
//! `2 + vl(l) + vl(D_l) + E[index bytes] + 32 b D_l`, where each node of the level is equally
//! likely to differ, so `E[index bytes] = D_l / b^l * sum_{i < b^l} vl(i)` (linearity of
//! expectation); the buckets message is `2 + vl(D_L)` plus, per differing leaf, its index and
//! key count (`vl` of the mean bucket, `keys / b^L`), plus 9 bytes for every key in a differing
//! leaf (`d` plus [`super::merkle::expected_bucket_sharers`]). Then the digest-like answer and
//! entries cross as in the digest model (with the step byte), the bucket sender being `A` when
//! the depth is odd (the sides alternate levels, `B` sending level 0). The only approximation
//! beyond the hash model's is a varint of a random count taken at its mean's length: at most
//! one byte per message, and per differing leaf, off ([`merkle_varint_slack`]).
//!
//! # Rateless (expected, with the measured overhead)
//! A changed key is two differing `(key, version)` items, so `m = 2d` items. Decoding needs
//! `N` symbols, measured ([`rateless_need`]: a mean of `c(m) m` with `c` 1 for one item, 1.62
//! for two, about 1.75 for 4 to 10, 1.45 at 100, 1.38 at 1,000, 1.36 at 10,000, the paper's 1.35
//! beyond, and a spread of 1 to 1.6 `sqrt(m)`; interpolated in `log m`, the need taken as
//! normal). The initiator sends batches of 16, 16, 32, 64, ... (each as large as all before),
//! batch `k >= 1`, at `s_k = 16 * 2^(k-1)`, only if `N > s_k`; so the symbols sent are
//! `16 + sum_k s_k P(N > s_k)` on average ([`rateless_symbols_sent`]), a smoothed step: a
//! difference whose need sits near a batch boundary sends one batch more in about half the
//! repairs. The model's own standard deviation (the batches are nested events) is what a test
//! holds a few trials to when they happen to agree.
//! Symbol `i` is `16 + vl(zigzag(count_i))` bytes, `count_i ~ Binomial(keys, 2 / (i + 2))` (the
//! mapping uses index `i` with that probability); its expected varint length is summed with the
//! normal approximation. The messages:
//! ```text
//! first   = 1 + key 16 + vl(0) + vl(16) + symbols
//! more    = 2                      batch = 1 + vl(start) + vl(count) + symbols
//! answer  = 2 + vl(d) + 19 d + vl(d) + 8 d        (B's d entries, the d ids it lacks)
//! entries = 1 + vl(a) + 19 a_v + 10 a_t           (A skips the b keys B brought newer)
//! ```

use crate::reconcile::rateless::session::BATCH_SYMBOLS_FIRST;
use crate::reconcile::{Strategy, TreeShape};
use crate::store::COUNTER_LOGICAL_BITS;
use crate::wire::varint_len;

use super::merkle::{expected_bucket_sharers, expected_differing_nodes};

/// Bytes of a trial key.
const KEY_BYTES: u64 = 4;
/// Bytes of a trial value.
const VALUE_BYTES: u64 = 8;
/// Bytes of a Merkle hash on the wire.
const HASH_BYTES: f64 = 32.0;
/// Bytes of a rateless item id (an asked-for id in the answer).
const ID_BYTES: u64 = 8;
/// Bytes of the rateless session's key in its first message.
const RATELESS_KEY_BYTES: u64 = 16;
/// Bytes of a coded symbol's sum and checksum (its count is a varint after them).
const SYMBOL_WORD_BYTES: f64 = 16.0;

fn vl(x: u64) -> u64 {
    varint_len(x) as u64
}

/// The largest counter a trial pair of `keys` keys and `d` changes holds.
fn counter_max(keys: u32, d: u32) -> u64 {
    let tick2 =
        (2u64 << COUNTER_LOGICAL_BITS).max((1u64 << COUNTER_LOGICAL_BITS) + u64::from(keys));
    // Each replica counts its own changes on from there; A makes the most, two in three.
    let (b, a_v, a_t) = split(d.min(keys));
    tick2 + (a_v + a_t).max(b)
}

/// Bytes of one `(key, version)` of the trial (every counter takes the largest one's varint
/// length: a unit test holds that for every `keys` up to the store's limit).
pub fn version_bytes(keys: u32, d: u32) -> u64 {
    vl(KEY_BYTES) + KEY_BYTES + vl(counter_max(keys, d)) + vl(2)
}

/// Bytes of one trial entry: with its value, or a tombstone.
pub fn entry_bytes(keys: u32, d: u32, tombstone: bool) -> u64 {
    let v = version_bytes(keys, d) + 1;
    if tombstone {
        v
    } else {
        v + vl(VALUE_BYTES) + VALUE_BYTES
    }
}

/// How the `d` changes split: `(b, a_v, a_t)`, newer on the responder, newer values on the
/// initiator, newer tombstones on the initiator.
fn split(d: u32) -> (u64, u64, u64) {
    let d = u64::from(d);
    (d.div_ceil(3), (d + 1) / 3, d / 3)
}

/// Bytes of a full-state repair of the trial pair (exact).
pub fn full_state_bytes(keys: u32, d: u32) -> u64 {
    let d = d.min(keys);
    let (_, _, a_t) = split(d);
    let n = u64::from(keys);
    let (e, t) = (entry_bytes(keys, d, false), entry_bytes(keys, d, true));
    2 * (1 + vl(n)) + (n - a_t) * e + a_t * t + n * e
}

/// Bytes of the answer and entries every digest-like exchange ends with, after its first
/// part: `answerer_newer` entries (all values when the answerer is `B`) and the keys asked.
fn answer_and_entries(keys: u32, d: u32, bucket_sender_is_a: bool, step: u64) -> u64 {
    let (b, a_v, a_t) = split(d);
    let a = a_v + a_t;
    let (v, e, t) = (
        version_bytes(keys, d),
        entry_bytes(keys, d, false),
        entry_bytes(keys, d, true),
    );
    let a_entries = a_v * e + a_t * t;
    // The answerer sends its newer entries and asks for the other side's.
    let (sent, sent_bytes, asked, asked_bytes) = if bucket_sender_is_a {
        (b, b * e, a, a_entries)
    } else {
        (a, a_entries, b, b * e)
    };
    let answer = 1 + step + vl(sent) + sent_bytes + vl(asked) + asked * v;
    let entries = if asked > 0 {
        1 + step + vl(asked) + asked_bytes
    } else {
        0
    };
    answer + entries
}

/// Bytes of a version-digest repair of the trial pair (exact).
pub fn digest_bytes(keys: u32, d: u32) -> u64 {
    let d = d.min(keys);
    let n = u64::from(keys);
    1 + vl(n) + n * version_bytes(keys, d) + answer_and_entries(keys, d, true, 0)
}

/// `sum_{i < m} vl(i)`: the bytes of the indices `0 .. m` as varints.
fn index_bytes_total(m: f64) -> f64 {
    let mut total = 0.0;
    let mut lo = 0.0;
    let mut len = 1.0;
    let mut hi = 128.0;
    while lo < m {
        total += len * (m.min(hi) - lo);
        lo = hi;
        hi *= 128.0;
        len += 1.0;
    }
    total
}

/// Expected bytes of a Merkle repair of the trial pair (see the derivation).
pub fn merkle_bytes(shape: TreeShape, keys: u32, d: u32) -> f64 {
    let d = d.min(keys);
    let (b, depth) = (shape.branching, shape.depth);
    let root = 2 + vl(b.into()) + vl(depth.into()) + 32;
    if d == 0 {
        // Equal roots: B answers with an empty level-0 nodes message.
        return (root + 2 + vl(0) + vl(0)) as f64;
    }
    let mut total = root as f64;
    for l in 0..depth {
        let dl = expected_differing_nodes(b, l, d.into());
        let width = libm::pow(f64::from(b), f64::from(l));
        let indices = dl / width * index_bytes_total(width);
        total += (2 + vl(l.into()) + vl(libm::round(dl) as u64)) as f64
            + indices
            + HASH_BYTES * f64::from(b) * dl;
    }
    let leaves = libm::pow(f64::from(b), f64::from(depth));
    let dl = expected_differing_nodes(b, depth, d.into());
    let bucket = libm::ceil(f64::from(keys) / leaves) as u64;
    let pairs = f64::from(d) + expected_bucket_sharers(b, depth, keys.into(), d.into());
    total += (2 + vl(libm::round(dl) as u64)) as f64
        + dl / leaves * index_bytes_total(leaves)
        + dl * vl(bucket) as f64
        + pairs * version_bytes(keys, d) as f64;
    total + answer_and_entries(keys, d, depth % 2 == 1, 1) as f64
}

/// How far [`merkle_bytes`] may be off for its varints of random counts taken at their means'
/// lengths: a byte per message with a count (the levels and the buckets), and one per differing
/// leaf (its key count).
pub fn merkle_varint_slack(shape: TreeShape, d: u32) -> f64 {
    f64::from(shape.depth + 1) + expected_differing_nodes(shape.branching, shape.depth, d.into())
}

/// What decoding needs, measured (`core/tests/reconcile_theory.rs`,
/// `rateless_need_by_items`, ignored: 4,000 to 30 seeded trials a row): `(items, mean symbols
/// per item, standard deviation / sqrt(items))`. One item is pure in symbol 0; the last row is
/// the paper's limit 1.35 with the spread measured at 10,000.
const NEED_MEASURED: [(f64, f64, f64); 11] = [
    (1.0, 1.0, 0.0),
    (2.0, 1.62, 1.36),
    (4.0, 1.78, 1.59),
    (10.0, 1.75, 1.57),
    (20.0, 1.63, 1.33),
    (50.0, 1.52, 1.20),
    (100.0, 1.45, 1.05),
    (200.0, 1.41, 0.99),
    (1_000.0, 1.376, 1.03),
    (10_000.0, 1.36, 1.02),
    (100_000.0, 1.35, 1.02),
];

/// The symbols decoding needs for `items` differing items: `(mean, standard deviation)`, from
/// [`NEED_MEASURED`] interpolated in `log10 items`.
pub fn rateless_need(items: u64) -> (f64, f64) {
    let m = items.max(1) as f64;
    let x = libm::log10(m);
    let (mut c, mut k) = (1.35, 1.02);
    for w in NEED_MEASURED.windows(2) {
        let ((m0, c0, k0), (m1, c1, k1)) = (w[0], w[1]);
        if m <= m1 {
            let t = (x - libm::log10(m0)) / (libm::log10(m1) - libm::log10(m0));
            (c, k) = (c0 + (c1 - c0) * t, k0 + (k1 - k0) * t);
            break;
        }
    }
    (c * m, k * libm::sqrt(m))
}

/// `P(N > s)` for the need `N` of `items` items, by the normal approximation (`N` is whole:
/// continuity corrected; exact for one item, whose need is 1).
fn need_above(items: u64, s: f64) -> f64 {
    let (mean, sd) = rateless_need(items);
    if sd <= 0.0 {
        return if mean > s { 1.0 } else { 0.0 };
    }
    0.5 * libm::erfc((s + 0.5 - mean) / sd / core::f64::consts::SQRT_2)
}

/// The batches of a rateless repair of `d` changed keys among `keys`: `(probability it is
/// sent, its symbols, its bytes with the More before it)`, the first (always sent) first.
/// Batch `k >= 1` starts at `s_k = 16 * 2^(k-1)`, is as large, and is sent iff the need is
/// above `s_k`; so the events are nested and their probabilities fall.
fn rateless_batches(keys: u32, d: u32) -> alloc::vec::Vec<(f64, f64, f64)> {
    let items = 2 * u64::from(d);
    let first = u64::from(BATCH_SYMBOLS_FIRST);
    let head = (1 + RATELESS_KEY_BYTES + vl(0) + vl(first)) as f64;
    let mut out = alloc::vec![(1.0, first as f64, head + symbol_bytes(keys, 0, first))];
    let mut start = first;
    loop {
        let p = need_above(items, start as f64);
        if p < 1e-12 {
            return out;
        }
        let bytes = (2 + 1 + vl(start) + vl(start)) as f64 + symbol_bytes(keys, start, 2 * start);
        out.push((p, start as f64, bytes));
        start *= 2;
    }
}

/// Mean and standard deviation of `sum_k x_k 1[batch k sent]` over nested batches.
fn nested_moments(batches: &[(f64, f64)]) -> (f64, f64) {
    let mean = batches.iter().map(|(p, x)| p * x).sum();
    let mut var = 0.0;
    for (j, &(pj, xj)) in batches.iter().enumerate() {
        for (k, &(pk, xk)) in batches.iter().enumerate() {
            // Both sent iff the later one is.
            var += xj * xk * (if j > k { pj } else { pk } - pj * pk);
        }
    }
    (mean, libm::sqrt(var.max(0.0)))
}

/// Symbols the initiator sends for `d` changed keys (`2d` items): mean and standard deviation
/// over the need's spread (`16 + sum_{k>=1} s_k P(N > s_k)`).
pub fn rateless_symbols_sent(d: u32) -> (f64, f64) {
    // No pair differs in more keys than a store holds; the clamp bounds the batches summed.
    let d = d.min(crate::store::KEYS_LIMIT);
    let b: alloc::vec::Vec<(f64, f64)> = rateless_batches(1, d)
        .iter()
        .map(|&(p, s, _)| (p, s))
        .collect();
    nested_moments(&b)
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`, by the normal approximation with continuity
/// correction (exact at the ends: a count that cannot reach `k`, or must).
fn at_least(n: f64, p: f64, k: f64) -> f64 {
    if k > n {
        return 0.0;
    }
    let (mean, var) = (n * p, n * p * (1.0 - p));
    if var <= 0.0 {
        return if mean >= k { 1.0 } else { 0.0 };
    }
    let z = (k - 0.5 - mean) / libm::sqrt(var);
    0.5 * libm::erfc(z / core::f64::consts::SQRT_2)
}

/// Expected bytes of symbols `start .. end` of a stream over `keys` items.
fn symbol_bytes(keys: u32, start: u64, end: u64) -> f64 {
    let n = f64::from(keys);
    (start..end)
        .map(|i| {
            let p = 2.0 / (i as f64 + 2.0);
            // zigzag(c) = 2c reaches 128^j at c = 128^j / 2.
            let longer: f64 = [64.0, 8_192.0, 1_048_576.0]
                .iter()
                .map(|&k| at_least(n, p, k))
                .sum();
            SYMBOL_WORD_BYTES + 1.0 + longer
        })
        .sum()
}

/// How far [`rateless_bytes`] may be off for taking the symbols' count varints by the normal
/// approximation: a byte for every symbol sent whose count's mean lies within four standard
/// deviations (plus one) of a varint step, where the approximation can be wrong at all; the
/// others' lengths are certain up to a tail below `10^-4` each, counted too.
pub fn rateless_varint_slack(keys: u32, d: u32) -> f64 {
    let n = f64::from(keys);
    // Every symbol any batch with a chance above 10^-12 may send.
    let sent = rateless_batches(keys, d.min(keys))
        .last()
        .map_or(0, |&(_, s, _)| {
            if s > f64::from(BATCH_SYMBOLS_FIRST) {
                2 * s as u64
            } else {
                s as u64
            }
        });
    let near = (0..sent)
        .filter(|&i| {
            let p = 2.0 / (i as f64 + 2.0);
            let (mean, sd) = (n * p, libm::sqrt(n * p * (1.0 - p)));
            [64.0, 8_192.0, 1_048_576.0]
                .iter()
                .any(|&k| libm::fabs(mean - k) <= 4.0 * sd + 1.0)
        })
        .count() as f64;
    near + (sent as f64 - near) * 1e-4
}

/// Bytes of a rateless repair's answer and entries (every repair of `d >= 1` sends both).
fn rateless_tail_bytes(keys: u32, d: u32) -> u64 {
    let du = u64::from(d);
    if d == 0 {
        return 2 + vl(0) + vl(0);
    }
    let (_, a_v, a_t) = split(d);
    let answer = 2 + vl(du) + du * entry_bytes(keys, d, false) + vl(du) + du * ID_BYTES;
    let entries =
        1 + vl(a_v + a_t) + a_v * entry_bytes(keys, d, false) + a_t * entry_bytes(keys, d, true);
    answer + entries
}

/// Bytes of a rateless repair of the trial pair: mean and standard deviation over the need's
/// spread (see the derivation).
pub fn rateless_bytes_moments(keys: u32, d: u32) -> (f64, f64) {
    let d = d.min(keys);
    let b: alloc::vec::Vec<(f64, f64)> = rateless_batches(keys, d)
        .iter()
        .map(|&(p, _, x)| (p, x))
        .collect();
    let (mean, sd) = nested_moments(&b);
    (mean + rateless_tail_bytes(keys, d) as f64, sd)
}

/// Expected bytes of a rateless repair of the trial pair (see the derivation).
pub fn rateless_bytes(keys: u32, d: u32) -> f64 {
    rateless_bytes_moments(keys, d).0
}

/// Expected bytes of a repair of the trial pair by `strategy` (exact for full state and
/// digests).
pub fn expected_bytes(strategy: Strategy, keys: u32, d: u32) -> f64 {
    match strategy {
        Strategy::Full => full_state_bytes(keys, d) as f64,
        Strategy::Digest => digest_bytes(keys, d) as f64,
        Strategy::Merkle(shape) => merkle_bytes(shape, keys, d),
        Strategy::Rateless => rateless_bytes(keys, d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KEYS_LIMIT;

    #[test]
    fn every_fixture_counter_takes_the_largest_ones_length() {
        // The smallest counter is the base's first, 2^16; the largest the last change's.
        for keys in [1, 16, 4096, 65_536, KEYS_LIMIT] {
            assert_eq!(
                vl(1 << COUNTER_LOGICAL_BITS),
                vl(counter_max(keys, keys)),
                "{keys}"
            );
        }
        assert_eq!(version_bytes(4096, 100), 9);
        assert_eq!(entry_bytes(4096, 100, false), 19);
        assert_eq!(entry_bytes(4096, 100, true), 10);
    }

    #[test]
    fn index_bytes_count_one_byte_below_128_and_two_above() {
        assert_eq!(index_bytes_total(1.0), 1.0);
        assert_eq!(index_bytes_total(128.0), 128.0);
        assert_eq!(index_bytes_total(256.0), 128.0 + 256.0);
    }

    #[test]
    fn the_batches_double_from_sixteen() {
        // One changed key (two items) nearly always decodes in the first batch; 1,000 (a need
        // of about 2,750) in the batches up to 4,096.
        assert!((rateless_symbols_sent(1).0 - 16.0).abs() < 0.1);
        assert!((rateless_symbols_sent(1000).0 - 4096.0).abs() < 1e-6);
        let (mean, sd) = rateless_need(1_000_000);
        assert!((mean / 1e6 - 1.35).abs() < 1e-12 && (sd / 1e3 - 1.02).abs() < 1e-12);
        assert_eq!(rateless_need(1), (1.0, 0.0));
    }

    #[test]
    fn nested_batches_have_the_moments_of_their_sum() {
        // Two batches: always 1, and 2 with probability 1/2: mean 2, sd 1.
        let (mean, sd) = nested_moments(&[(1.0, 1.0), (0.5, 2.0)]);
        assert!((mean - 2.0).abs() < 1e-12 && (sd - 1.0).abs() < 1e-12);
    }
}
