//! Statistical tests of the kernels against published results.
//!
//! Every test uses a fixed seed and a trial count chosen before looking at the outcome, and
//! accepts a measured mean when its distance to the published figure is at most 4 standard
//! errors of the mean computed from the sample itself. Where the published figure is rounded,
//! half a unit in its last printed digit is added to the tolerance, because the paper only tells
//! us the value to that precision. Nothing here was tuned until green: a failure means the
//! model changed, and the seed printed in the message reproduces it.
//!
//! The whole file takes about 10 s in a debug build and under 2 s with `--release` on a 2-core
//! machine (`cargo test [--release] -p gossip-core --test literature`).

use gossip_core::epidemic::{Mode, RoundRecord, SpreadConfig, Trials};
use gossip_core::rng::Probability;
use gossip_core::rumor::{self, Counting, Removal, RumorConfig, Variant};
use gossip_core::stats::Summary;
use std::sync::OnceLock;

const SEED: u64 = 1987;

fn summary(values: &[f64]) -> Summary {
    Summary::of(values).expect("a non-empty sample without NaN")
}

/// Rounds to full coverage of `trials` trials; every trial must complete.
fn rounds(nodes: u32, fanout: u32, mode: Mode, trials: u32) -> Vec<f64> {
    let config = SpreadConfig {
        nodes,
        fanout,
        mode,
        loss: Probability::NEVER,
        seed: SEED,
    };
    let outcomes = Trials::new(config, trials, 10_000).unwrap().run();
    outcomes
        .iter()
        .map(|o| {
            assert!(
                o.complete,
                "trial {} of {config:?} did not complete",
                o.trial
            );
            f64::from(o.rounds)
        })
        .collect()
}

/// Asserts `|mean - published| <= 4 se + rounding`, naming the figure on failure.
fn assert_matches(figure: &str, measured: &Summary, published: f64, rounding: f64) {
    let tolerance = 4.0 * measured.se + rounding;
    assert!(
        (measured.mean - published).abs() <= tolerance,
        "{figure}: measured {:.6} (se {:.6}, n {}), published {published}, tolerance {tolerance:.6}, seed {SEED}",
        measured.mean,
        measured.se,
        measured.count
    );
}

/// Pittel (1987), "On spreading a rumor", SIAM J. Appl. Math. 47(1), theorem: push with fanout 1
/// informs all `n` nodes in `log2 n + ln n + O(1)` rounds. We assert that the whole 4-SE
/// interval of the measured constant `c = mean rounds - log2 n - ln n` lies inside [0.5, 2]
/// (not merely overlaps it), for n = 100, 1000 and 10000. Measured with 400 trials each: c is
/// about 1.0, 1.3 and 1.1 with se about 0.07.
#[test]
fn push_rounds_are_log2_n_plus_ln_n_plus_a_constant_pittel_1987() {
    for n in [100u32, 1000, 10_000] {
        let s = summary(&rounds(n, 1, Mode::Push, 400));
        let c = s.mean - gossip_core::theory::pittel_push_rounds(f64::from(n));
        let (lo, hi) = (c - 4.0 * s.se, c + 4.0 * s.se);
        assert!(
            lo >= 0.5 && hi <= 2.0,
            "n = {n}: c = {c:.3}, 4-SE interval [{lo:.3}, {hi:.3}] not within [0.5, 2], seed {SEED}"
        );
    }
}

/// Karp, Schindelhauer, Shenker and Vöcking (2000), "Randomized rumor spreading", and Demers
/// et al. (1987), section 1.3: pull ends faster than push (the susceptible fraction squares each
/// round instead of shrinking by `1/e`), and push-pull is faster than both (`log3 n + O(log log
/// n)`). For n >= 100 we assert push-pull < pull < push, each gap larger than 4 standard errors
/// of the difference of the means (200 trials per mode).
#[test]
fn push_pull_is_faster_than_pull_which_is_faster_than_push() {
    for n in [100u32, 1000, 10_000] {
        let push = summary(&rounds(n, 1, Mode::Push, 200));
        let pull = summary(&rounds(n, 1, Mode::Pull, 200));
        let both = summary(&rounds(n, 1, Mode::PushPull, 200));
        for (fast, slow, what) in [
            (&both, &pull, "push-pull < pull"),
            (&pull, &push, "pull < push"),
        ] {
            let se = (fast.se * fast.se + slow.se * slow.se).sqrt();
            assert!(
                slow.mean - fast.mean > 4.0 * se,
                "n = {n}: {what} fails: {:.3} vs {:.3} (se of difference {se:.3}), seed {SEED}",
                fast.mean,
                slow.mean
            );
        }
    }
}

/// The folklore estimate `ceil(log_k n)` rounds for fanout `k`, against push with fanout k.
///
/// Push with fanout `k` has Pittel's two phases: growth by at most `k + 1` times per round
/// (`log_{k+1} n` rounds), then an end phase in which each uninformed node is missed by all
/// pushes of a round with probability about `e^{-k}` (`ln n / k` rounds). We assert that shape,
/// `mean rounds = log_{k+1} n + ln n / k + c` with the 4-SE interval of `c` inside [0, 2] (the
/// band of Pittel's constant, widened at the bottom because the second phase overlaps the
/// first for large `k`), for n = 1000 and 10000 and k = 2, 4, 8, 200 trials each; and, per
/// trial, the hard bound `rounds >= ceil(log_{k+1} n)`.
///
/// The gap from `ceil(log_k n)`, measured with seed 7 and 200 trials: at n = 1000, +0.6, +2.0,
/// +1.0 rounds for k = 2, 4, 8; at n = 10000, -0.05, +2.0, +1.1; at n = 100000, +0.2, +2.0,
/// +1.5. The estimate is right for k = 2 only because `log_2 n` happens to equal
/// `log_3 n + ln n / 2` to within a round; for larger k it misses the end phase by 1 to 2 rounds.
#[test]
fn push_rounds_with_fanout_k_follow_log_k_plus_one_n_plus_ln_n_over_k() {
    for n in [1000u32, 10_000] {
        for k in [2u32, 4, 8] {
            let r = rounds(n, k, Mode::Push, 200);
            let floor = (f64::from(n).ln() / f64::from(k + 1).ln()).ceil();
            assert!(
                r.iter().all(|&x| x >= floor),
                "n = {n}, k = {k}: a trial beat (k+1)-fold growth"
            );
            let s = summary(&r);
            let shape =
                f64::from(n).ln() / f64::from(k + 1).ln() + f64::from(n).ln() / f64::from(k);
            let c = s.mean - shape;
            let (lo, hi) = (c - 4.0 * s.se, c + 4.0 * s.se);
            assert!(
                lo >= 0.0 && hi <= 2.0,
                "n = {n}, k = {k}: c = {c:.3}, 4-SE interval [{lo:.3}, {hi:.3}] not within [0, 2]"
            );
        }
    }
}

fn demers(
    variant: Variant,
    counting: Counting,
    removal: Removal,
    k: u32,
    trials: u32,
) -> (Summary, Summary) {
    let config = RumorConfig {
        seed: SEED,
        ..RumorConfig::demers(1000, variant, counting, removal, k)
    };
    let out = rumor::trials(config, trials).unwrap();
    let s: Vec<f64> = out.iter().map(|o| o.residue).collect();
    let m: Vec<f64> = out.iter().map(|o| o.traffic).collect();
    (summary(&s), summary(&m))
}

/// Residue and traffic of Table 1's configuration for k = 1, 2, 3, 1000 trials each; computed
/// once and shared by the two tests that read it.
fn table_1_runs() -> &'static [(Summary, Summary); 3] {
    static RUNS: OnceLock<[(Summary, Summary); 3]> = OnceLock::new();
    RUNS.get_or_init(|| {
        [1, 2, 3].map(|k| demers(Variant::Push, Counting::Feedback, Removal::Counter, k, 1000))
    })
}

/// Demers et al. (1987), Table 1: push rumor mongering on 1000 sites with feedback and counter,
/// residue s and traffic m for k = 1, 2, 3: 0.176 / 1.74, 0.037 / 3.30, 0.011 / 4.53. 1000
/// trials per k; the published figures are rounded to the printed digit.
#[test]
fn push_feedback_counter_matches_demers_table_1() {
    for (k, s_pub, s_round, m_pub) in [
        (1, 0.176, 0.0005, 1.74),
        (2, 0.037, 0.0005, 3.30),
        (3, 0.011, 0.0005, 4.53),
    ] {
        let (s, m) = &table_1_runs()[k as usize - 1];
        assert_matches(&format!("Table 1, k = {k}, residue"), s, s_pub, s_round);
        assert_matches(&format!("Table 1, k = {k}, traffic"), m, m_pub, 0.005);
    }
}

/// Demers et al. (1987), Table 3: pull rumor mongering on 1000 sites with feedback and counter:
/// k = 1: s = 3.1e-2, m = 2.7; k = 2: 5.8e-4, 4.5; k = 3: 4.0e-6, 6.1 (two printed digits).
/// 1000 trials per k.
#[test]
fn pull_feedback_counter_matches_demers_table_3() {
    for (k, s_pub, s_round, m_pub) in [
        (1, 3.1e-2, 0.05e-2, 2.7),
        (2, 5.8e-4, 0.05e-4, 4.5),
        (3, 4.0e-6, 0.05e-6, 6.1),
    ] {
        let (s, m) = demers(Variant::Pull, Counting::Feedback, Removal::Counter, k, 1000);
        assert_matches(&format!("Table 3, k = {k}, residue"), &s, s_pub, s_round);
        assert_matches(&format!("Table 3, k = {k}, traffic"), &m, m_pub, 0.05);
    }
}

/// Demers et al. (1987), Table 2: push, blind, coin on 1000 sites: k = 2: s = 0.20, m = 1.6;
/// k = 3: 0.060, 2.8; k = 4: 0.021, 3.9 (k = 1, a chain of ~40 nodes, is too noisy to pin).
/// 1000 trials per k.
#[test]
fn push_blind_coin_matches_demers_table_2() {
    for (k, s_pub, s_round, m_pub) in [
        (2, 0.20, 0.005, 1.6),
        (3, 0.060, 0.0005, 2.8),
        (4, 0.021, 0.0005, 3.9),
    ] {
        let (s, m) = demers(Variant::Push, Counting::Blind, Removal::Coin, k, 1000);
        assert_matches(&format!("Table 2, k = {k}, residue"), &s, s_pub, s_round);
        assert_matches(&format!("Table 2, k = {k}, traffic"), &m, m_pub, 0.05);
    }
}

/// Push rumor mongering obeys `s = e^{-m}` (Demers et al. 1987, section 1.4: "the residue is an
/// exponentially decreasing function of traffic", for any rule of losing interest). Checked on
/// the per-k means of Table 1's configuration, with the delta-method standard error of
/// `e^{-m}` added to that of `s`.
#[test]
fn push_residue_is_e_to_the_minus_traffic() {
    for (k, (s, m)) in (1..).zip(table_1_runs()) {
        let predicted = (-m.mean).exp();
        let se = s.se + predicted * m.se;
        assert!(
            (s.mean - predicted).abs() <= 4.0 * se,
            "k = {k}: s = {:.5}, e^-m = {predicted:.5}, 4 se = {:.5}",
            s.mean,
            4.0 * se
        );
    }
}

fn records(mode: Mode, loss: f64) -> String {
    let config = SpreadConfig {
        nodes: 5000,
        fanout: 2,
        mode,
        loss: Probability::from_f64(loss),
        seed: SEED,
    };
    let mut out = String::new();
    Trials::new(config, 5, 1000)
        .unwrap()
        .run_observed(|t, r: &RoundRecord| out += &format!("{t} {r:?}\n"));
    out
}

/// Determinism: a run is a pure function of (config, seed), so two runs of the same sweep
/// produce byte-identical per-round records, and another seed a different one.
#[test]
fn same_seed_gives_byte_identical_round_records() {
    for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
        let a = records(mode, 0.1);
        let b = records(mode, 0.1);
        assert_eq!(a.as_bytes(), b.as_bytes(), "{mode:?}");
        assert!(a.lines().count() > 5);
        assert_ne!(a, records(mode, 0.0));
    }
    let run = || {
        let mut r = rumor::Rumor::new(RumorConfig {
            seed: SEED,
            ..RumorConfig::demers(1000, Variant::Pull, Counting::Feedback, Removal::Coin, 2)
        })
        .unwrap();
        let mut log = String::new();
        r.run_observed(SEED, |c| log += &format!("{c:?}\n"));
        log
    };
    assert_eq!(run().as_bytes(), run().as_bytes());
}
