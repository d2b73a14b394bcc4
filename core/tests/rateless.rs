//! Rateless IBLT's communication cost, measured on seeded sets: coded symbols needed per
//! difference, against the paper (Yang, Gilad and Alizadeh, "Practical Rateless Set
//! Reconciliation", SIGCOMM 2024) and against the exact small-`d` model derived here.
//!
//! The paper's headline is that the symbols needed per difference converge to 1.35 as the
//! difference grows (its analysis; the authors' `riblt` library states it as "the coefficient
//! converging to 1.35 as the difference goes to infinitely large"), and that small differences
//! cost relatively more. The sets' common part cancels out of every symbol, so a small common
//! part measures the same thing as a large one; the sweep over `d` up to 10^5 is the ignored
//! release test at the end (`cargo test --release -p gossip-core --test rateless -- --ignored
//! --nocapture`).

use gossip_core::reconcile::rateless::{Decoder, Encoder, ItemKey};
use gossip_core::rng::{Rng, Stream};

// Symbols the receiver takes to decode a symmetric difference of `d` ids (split between the
// two sides, half each), with `common` ids on both; trial `seed`.
fn symbols_needed(d: u64, common: u64, seed: u64) -> u64 {
    let mut rng = Rng::stream(seed, Stream::Trial, d);
    let key = ItemKey::draw(&mut rng);
    let shared: Vec<u64> = (0..common).map(|_| rng.next_u64()).collect();
    let only_a: Vec<u64> = (0..d.div_ceil(2)).map(|_| rng.next_u64()).collect();
    let only_b: Vec<u64> = (0..d / 2).map(|_| rng.next_u64()).collect();
    let a = shared.iter().chain(&only_a).copied();
    let b: Vec<u64> = shared.iter().chain(&only_b).copied().collect();
    let mut e = Encoder::new(key, a);
    let mut dec = Decoder::new(key, b).unwrap();
    while !dec.is_done() {
        dec.push(e.produce()).unwrap();
        assert!(
            dec.received() < 100 * d + 100,
            "d {d} seed {seed} never decoded"
        );
    }
    assert_eq!(dec.sender_only().len() as u64, d.div_ceil(2));
    assert_eq!(dec.receiver_only().len() as u64, d / 2);
    dec.received()
}

// Mean and standard error of symbols / d over `trials` seeds.
fn overhead(d: u64, common: u64, trials: u64) -> (f64, f64) {
    let xs: Vec<f64> = (0..trials)
        .map(|s| symbols_needed(d, common, s) as f64 / d as f64)
        .collect();
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn one_difference_takes_exactly_one_symbol() {
    // Every item is in symbol 0, so a difference of one is pure there.
    for seed in 0..50 {
        assert_eq!(symbols_needed(1, 100, seed), 1);
    }
}

// The exact expected cost of d = 2 (one item on each side). Both are in symbol 0; decoding
// needs the first index k >= 1 holding exactly one of them (then that one peels, and symbol 0
// gives the other), so it takes k + 1 symbols. Indices are independent with probability
// ρ(i) = 2 / (i + 2), so P(k > j) = Π_{i=1}^{j} (1 - 2 ρ(i) (1 - ρ(i))) and
// E[symbols] = 1 + Σ_{j>=0} P(k > j).
fn expected_symbols_two() -> f64 {
    let (mut sum, mut p) = (1.0, 1.0);
    for i in 1..100_000u32 {
        sum += p;
        let rho = 2.0 / (f64::from(i) + 2.0);
        p *= 1.0 - 2.0 * rho * (1.0 - rho);
    }
    sum + p
}

#[test]
fn two_differences_cost_what_the_exact_model_says() {
    let (mean, se) = overhead(2, 50, 2000);
    let want = expected_symbols_two() / 2.0;
    assert!((mean - want).abs() < 4.0 * se, "{mean} +- {se} vs {want}");
}

#[test]
fn symbols_per_difference_approach_1_35_for_large_d() {
    // 1.35 is the paper's limit as d grows; finite d costs more, less the larger d is. So the
    // overhead falls from d = 10 to 100 to 1,000 (each step by more than 4 standard errors of
    // the difference), never sits below 1.35 by more than 4 standard errors, and at d = 1,000
    // is within 0.05 of the limit (measured: 1.366 +- 0.004 over 16 seeds).
    let (m10, se10) = overhead(10, 100, 400);
    let (m100, se100) = overhead(100, 100, 100);
    let (m1000, se1000) = overhead(1000, 100, 16);
    let apart = |a: f64, b: f64| 4.0 * (a * a + b * b).sqrt();
    assert!(m10 - m100 > apart(se10, se100), "{m10} {m100}");
    assert!(m100 - m1000 > apart(se100, se1000), "{m100} {m1000}");
    assert!(m1000 > 1.35 - 4.0 * se1000, "{m1000} +- {se1000}");
    assert!(m1000 < 1.40, "{m1000} +- {se1000}");
}

#[test]
fn small_differences_cost_1_6_to_1_8_symbols_each() {
    // Measured here (2,000 seeds each, release sweep below): d = 2 1.61 (the exact model: 1.58),
    // 3 to 10 between 1.72 and 1.80. The paper's point: small differences carry a higher
    // relative overhead than the asymptotic 1.35. Held here, 1,000 seeds each, to above 1.35
    // and below 2 by 4 standard errors, for every d in 2..=10.
    for d in 2..=10 {
        let (mean, se) = overhead(d, 50, 1000);
        assert!(
            mean > 1.35 + 4.0 * se && mean < 2.0 - 4.0 * se,
            "d {d}: {mean} +- {se}"
        );
    }
}

#[test]
#[ignore]
fn sweep_of_the_overhead_by_difference_size() {
    println!("d\tsymbols/d\tse\ttrials");
    for (d, trials) in [
        (1u64, 200u64),
        (2, 2000),
        (3, 2000),
        (4, 2000),
        (5, 2000),
        (6, 2000),
        (7, 2000),
        (8, 2000),
        (9, 2000),
        (10, 2000),
        (100, 500),
        (1000, 100),
        (10_000, 20),
        (100_000, 4),
    ] {
        let (m, se) = overhead(d, 200, trials);
        println!("{d}\t{m:.4}\t{se:.4}\t{trials}");
    }
}

#[test]
#[ignore]
fn sessions_between_replicas_of_2_20_keys() {
    // The table for rateless: n = 2^20 keys, d changed keys (each one is two differing
    // (key, version) items, one per side), one session each through real messages.
    use gossip_core::reconcile::trial::Base;
    use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Strategy};
    let base = Base::new(1 << 20, None).unwrap();
    println!("d\tsymbols\tsymbols/item\tround_trips\tentries\tunneeded\tbytes");
    for d in [1u32, 10, 100, 1000, 10_000] {
        let mut rng = Rng::stream(7, Stream::Trial, u64::from(d));
        let (mut a, mut b) = base.pair(d, &mut rng);
        let r = reconcile_pair(
            &mut a,
            &mut b,
            Strategy::Rateless,
            ReconcileLimits::large(),
            gossip_core::time::Tick(3),
        )
        .unwrap();
        assert!(a.store().same_content(b.store()));
        println!(
            "{d}\t{}\t{:.3}\t{}\t{}\t{}\t{}",
            r.symbols(),
            r.symbols() as f64 / (2.0 * f64::from(d)),
            r.round_trips(),
            r.entries(),
            r.entries_unneeded(),
            r.bytes()
        );
    }
}
