//! Statistical tests of the kernels against published results.
//!
//! Every test uses a fixed seed and a trial count chosen before looking at the outcome, and
//! accepts a measured mean when its distance to the published figure is at most 4 standard
//! errors of the mean computed from the sample itself (a slope: 4 standard errors of the
//! regression; a count too rare for a standard error: its exact Poisson interval with the same
//! tail probability). Where the published figure is rounded, half a unit in its last printed
//! digit is added to the tolerance (or, for a count, the interval covers the whole rounding
//! range), because the paper only tells us the value to that precision. Nothing here was tuned until green: a failure means the
//! model changed, and the seed printed in the message reproduces it.
//!
//! The whole file takes about 8 s in a debug build and under 2 s with `--release` on a 2-core
//! machine (`cargo test [--release] -p gossip-core --test literature`); the one ignored test
//! needs `--release -- --ignored` (about 10 s).

use gossip_core::kernel::demers::{self, Counting, DemersConfig, Removal, Variant};
use gossip_core::kernel::epidemic::{KernelConfig, KernelMode, KernelRound, Trials};
use gossip_core::rng::Probability;
use gossip_core::stats::Summary;
use std::sync::OnceLock;

const SEED: u64 = 1987;

fn summary(values: &[f64]) -> Summary {
    Summary::of(values).expect("a non-empty sample without NaN")
}

/// Rounds to full coverage of `trials` trials; every trial must complete.
fn rounds(nodes: u32, fanout: u32, mode: KernelMode, trials: u32) -> Vec<f64> {
    let config = KernelConfig {
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
        let s = summary(&rounds(n, 1, KernelMode::Push, 400));
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
        let push = summary(&rounds(n, 1, KernelMode::Push, 200));
        let pull = summary(&rounds(n, 1, KernelMode::Pull, 200));
        let both = summary(&rounds(n, 1, KernelMode::PushPull, 200));
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

/// Least-squares slope of `y` on `x`, and its standard error from the residuals (the textbook
/// `sqrt(rss / (m - 2) / sxx)`): the per-trial round counts regressed on `ln n`.
fn slope(points: &[(f64, f64)]) -> (f64, f64) {
    let m = points.len() as f64;
    let xb = points.iter().map(|p| p.0).sum::<f64>() / m;
    let yb = points.iter().map(|p| p.1).sum::<f64>() / m;
    let sxx: f64 = points.iter().map(|p| (p.0 - xb) * (p.0 - xb)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - xb) * (p.1 - yb)).sum();
    let b = sxy / sxx;
    let a = yb - b * xb;
    let rss: f64 = points.iter().map(|p| (p.1 - a - b * p.0).powi(2)).sum();
    (b, (rss / (m - 2.0) / sxx).sqrt())
}

/// Push with fanout `k` over `(n, trials)`: the per-trial points `(ln n, rounds)`, and the
/// summary of each `n`. Every trial must also respect the hard floor `ceil(log_{k+1} n)`: the
/// informed set can at most multiply by `k + 1` per round.
fn fanout_sweep(k: u32, plan: &[(u32, u32)]) -> (Vec<(f64, f64)>, Vec<Summary>) {
    let mut points = Vec::new();
    let mut summaries = Vec::new();
    for &(n, trials) in plan {
        let r = rounds(n, k, KernelMode::Push, trials);
        let floor = (f64::from(n).ln() / f64::from(k + 1).ln()).ceil();
        assert!(
            r.iter().all(|&x| x >= floor),
            "n = {n}, k = {k}: a trial beat (k+1)-fold growth"
        );
        points.extend(r.iter().map(|&x| (f64::from(n).ln(), x)));
        summaries.push(summary(&r));
    }
    (points, summaries)
}

/// Asserts the slope of mean rounds on `ln n` is within 4 SE of `1/ln(k+1) + 1/k` and more
/// than 4 SE away from `1/ln k`, the slope of the folklore `log_k n`.
fn assert_fanout_slope(k: u32, points: &[(f64, f64)]) {
    let (b, se) = slope(points);
    let predicted = 1.0 / f64::from(k + 1).ln() + 1.0 / f64::from(k);
    let folklore = 1.0 / f64::from(k).ln();
    assert!(
        (b - predicted).abs() <= 4.0 * se,
        "k = {k}: slope {b:.4} (se {se:.4}) is not within 4 se of 1/ln(k+1) + 1/k = {predicted:.4}, seed {SEED}"
    );
    assert!(
        (b - folklore).abs() > 4.0 * se,
        "k = {k}: slope {b:.4} (se {se:.4}) cannot be told from 1/ln k = {folklore:.4}, seed {SEED}"
    );
}

/// Push with fanout `k` (each informed node pushes to `k` distinct uniform peers per round):
/// mean rounds grow like `log_{k+1} n + ln n / k + O(1)`, so against `ln n` with slope
/// `1/ln(k+1) + 1/k`, and not like the folklore `log_k n` (slope `1/ln k`).
///
/// Where the prediction comes from: Frieze and Grimmett (1985) and Pittel (1987) prove
/// `log2 n + ln n + O(1)` for fanout 1 only, and Karp et al. (2000) study push-pull with one
/// call. The fanout-`k` form is this project's extension of Pittel's two-phase argument:
/// growth by at most `k + 1` times per round while few nodes know (`log_{k+1} n` rounds), then
/// an end phase in which an uninformed node escapes all `k m` pushes of a round with
/// probability about `e^{-k}`, so the uninformed shrink by `e^{-k}` per round (`ln n / k`
/// rounds). The same leading terms are, to our reading, the constant-`R` case of Panagiotou,
/// Pourmiri and Sauerwald, "Faster rumor spreading with multiple calls" (ISAAC 2013; Electron.
/// J. Combin. 2015); the `O(1)` term is not predicted by either.
///
/// What is checked here, for k = 4: the least-squares slope of per-trial rounds on `ln n` over
/// n = 10^2, 10^3, 10^4, 10^5 (200, 200, 100, 30 trials: about 3 s in debug, most of it the 30
/// trials at 10^5) lies within 4 SE of `1/ln 5 + 1/4 = 0.871` and more than 4 SE from
/// `1/ln 4 = 0.721`; measured 0.886 with SE 0.009. A finite-size effect is below this
/// resolution: with 1500 trials per n the slope over this range is 0.886 (SE 0.002), 0.015 above
/// the asymptotic value, because the `O(1)` term is not yet constant at n = 100. For k = 2 the
/// two slopes differ by only 0.033 (1.410 against 1.443), which needs about 1500 trials per n to
/// resolve: see the ignored release test below.
///
/// And the documented gap from `theory::log_fanout_rounds` (`ceil(log_4 n)`), measured mean
/// minus estimate, per n (rounded to 0.1, so the tolerance is 4 SE + 0.05): +0.9 at 10^2, +2.0
/// at 10^3, +2.0 at 10^4, +1.9 at 10^5. The estimate misses push's end phase by two rounds.
#[test]
fn push_rounds_with_fanout_k_grow_with_slope_one_over_ln_k_plus_one_plus_one_over_k() {
    let plan = [(100, 200), (1000, 200), (10_000, 100), (100_000, 30)];
    let (points, summaries) = fanout_sweep(4, &plan);
    assert_fanout_slope(4, &points);
    assert_gaps(4, &plan, &summaries, [0.9, 2.0, 2.0, 1.9]);
}

/// Asserts the documented gap, mean rounds minus `theory::log_fanout_rounds(n, k)`, per n.
fn assert_gaps(k: u32, plan: &[(u32, u32)], summaries: &[Summary], gaps: [f64; 4]) {
    for (((n, _), s), gap) in plan.iter().zip(summaries).zip(gaps) {
        let estimate = gossip_core::theory::log_fanout_rounds(f64::from(*n), f64::from(k));
        assert_matches(
            &format!("gap of push k = {k} from ceil(log_k n) at n = {n}"),
            &Summary {
                mean: s.mean - estimate,
                ..*s
            },
            gap,
            0.05,
        );
    }
}

/// The k = 2 case of the test above, which needs 1500 trials per n (about 10 s with
/// `--release`, minutes in debug): `cargo test --release -p gossip-core --test literature --
/// --ignored`. Measured: slope 1.417, SE 0.004, 2.0 SE from `1/ln 3 + 1/2 = 1.410` and 7 SE
/// from `1/ln 2 = 1.443`. Gaps from `ceil(log_2 n)`: +0.4, +0.7, -0.1, +0.2 at n = 10^2 to
/// 10^5: the folklore estimate is right for k = 2 only because `log_2 n` happens to be within a
/// round of `log_3 n + ln n / 2` over this range.
#[test]
#[ignore = "about 10 s in release; run with --release -- --ignored"]
fn push_fanout_two_slope_is_told_from_log_2_n_with_many_trials() {
    let plan = [(100, 1500), (1000, 1500), (10_000, 1500), (100_000, 1500)];
    let (points, summaries) = fanout_sweep(2, &plan);
    assert_fanout_slope(2, &points);
    assert_gaps(2, &plan, &summaries, [0.4, 0.7, -0.1, 0.2]);
}

fn demers(
    variant: Variant,
    counting: Counting,
    removal: Removal,
    k: u32,
    trials: u32,
) -> (Summary, Summary) {
    let config = DemersConfig {
        seed: SEED,
        ..DemersConfig::demers(1000, variant, counting, removal, k)
    };
    let out = demers::trials(config, trials).unwrap();
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

/// One-sided tail of the normal distribution beyond 4 standard deviations: the error rate of
/// the 4-SE rule, used for the exact intervals of counts.
const TAIL_4_SE: f64 = 3.167e-5;

/// The exact central interval `[lo, hi]` of a Poisson count whose mean lies anywhere in
/// `[mean_min, mean_max]`: `lo` is the smallest count with `P(X < lo) <= tail` at `mean_min`,
/// `hi` the smallest with `P(X > hi) <= tail` at `mean_max` (terms summed exactly; the means
/// here are small).
fn poisson_interval(mean_min: f64, mean_max: f64, tail: f64) -> (u64, u64) {
    let cdf = |mean: f64, k: u64| -> f64 {
        let mut term = (-mean).exp();
        let mut sum = 0.0;
        for i in 0..=k {
            if i > 0 {
                term *= mean / i as f64;
            }
            sum += term;
        }
        sum
    };
    // The first k whose cdf passes `tail`: then `P(X < lo) = cdf(lo - 1) <= tail`.
    let lo = (0..).find(|&k| cdf(mean_min, k) > tail).unwrap();
    let hi = (0..).find(|&k| 1.0 - cdf(mean_max, k) <= tail).unwrap();
    (lo, hi)
}

/// Demers et al. (1987), Table 3: pull rumor mongering on 1000 sites with feedback and counter:
/// k = 1: s = 3.1e-2, m = 2.7; k = 2: 5.8e-4, 4.5; k = 3: 4.0e-6, 6.1 (two printed digits).
/// 1000 trials per k.
///
/// For k = 3 the residue is too rare for a standard error: 1000 trials of 1000 sites expect
/// 4.0e-6 * 10^6 = 4 uninformed sites in all, and the sample SE of a mean made of a handful of
/// ones is itself noise. There we check the *total* count of uninformed sites over all trials
/// instead, as a Poisson count (each site is missed independently with a tiny probability, so
/// the total is Poisson to a good approximation): it must lie in the exact central interval of
/// a Poisson mean anywhere in `[3.95, 4.05]` (the published rate to its printed digits, times
/// 10^6 site-trials), with tail `TAIL_4_SE` on each side as the 4-SE rule has. That interval is
/// [0, 14]: it rejects a rate above about 3.5 times the published one (and cannot reject a lower
/// rate: at mean 4 even 0 misses has probability 0.018). Measured: 5 uninformed sites.
#[test]
fn pull_feedback_counter_matches_demers_table_3() {
    let nodes = 1000.0;
    let trials = 1000;
    for (k, s_pub, s_round, m_pub) in [
        (1, 3.1e-2, 0.05e-2, 2.7),
        (2, 5.8e-4, 0.05e-4, 4.5),
        (3, 4.0e-6, 0.05e-6, 6.1),
    ] {
        let (s, m) = demers(
            Variant::Pull,
            Counting::Feedback,
            Removal::Counter,
            k,
            trials,
        );
        if k < 3 {
            assert_matches(&format!("Table 3, k = {k}, residue"), &s, s_pub, s_round);
        } else {
            let uninformed = (s.mean * nodes * f64::from(trials)).round() as u64;
            let site_trials = nodes * f64::from(trials);
            let (lo, hi) = poisson_interval(
                (s_pub - s_round) * site_trials,
                (s_pub + s_round) * site_trials,
                TAIL_4_SE,
            );
            assert_eq!((lo, hi), (0, 14), "the interval the doc comment states");
            assert!(
                (lo..=hi).contains(&uninformed),
                "Table 3, k = 3: {uninformed} uninformed sites in {trials} trials, outside the exact Poisson interval [{lo}, {hi}], seed {SEED}"
            );
        }
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

fn records(mode: KernelMode, loss: f64, seed: u64) -> String {
    let config = KernelConfig {
        nodes: 5000,
        fanout: 2,
        mode,
        loss: Probability::from_f64(loss),
        seed,
    };
    let mut out = String::new();
    Trials::new(config, 5, 1000)
        .unwrap()
        .run_observed(|t, r: &KernelRound| out += &format!("{t} {r:?}\n"));
    out
}

/// Determinism: a run is a pure function of (config, seed), so two runs of the same sweep
/// produce byte-identical per-round records, while another seed, or another loss with the same
/// seed, gives different ones (the records do depend on both inputs).
#[test]
fn same_seed_gives_byte_identical_round_records() {
    for mode in [KernelMode::Push, KernelMode::Pull, KernelMode::PushPull] {
        let a = records(mode, 0.1, SEED);
        let b = records(mode, 0.1, SEED);
        assert_eq!(a.as_bytes(), b.as_bytes(), "{mode:?}");
        assert!(a.lines().count() > 5);
        assert_ne!(a, records(mode, 0.1, SEED + 1), "{mode:?}: another seed");
        assert_ne!(a, records(mode, 0.0, SEED), "{mode:?}: another loss");
    }
    let run = || {
        let mut r = demers::DemersRun::new(DemersConfig {
            seed: SEED,
            ..DemersConfig::demers(1000, Variant::Pull, Counting::Feedback, Removal::Coin, 2)
        })
        .unwrap();
        let mut log = String::new();
        r.run_observed(SEED, |c| log += &format!("{c:?}\n"));
        log
    };
    assert_eq!(run().as_bytes(), run().as_bytes());
}
