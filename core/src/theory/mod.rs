//! Closed forms and recurrences from the literature, to set the simulations against.
//!
//! Every function states its source and the assumptions under which it holds; where a formula
//! leaves out an additive constant (an `O(1)`), the function leaves it out too and says so, and
//! the statistical tests in `core/tests/literature.rs` measure that constant instead of assuming
//! it. All arithmetic goes through `libm` so the crate stays `no_std`.
//!
//! This file holds dissemination (Pittel, Demers et al., Serf's logistic curve); [`swim`] holds
//! membership and failure detection (SWIM, Lifeguard, memberlist); [`merkle`] and [`reconcile`]
//! what anti-entropy's repairs are expected to cost.

use alloc::vec::Vec;

pub mod merkle;
pub mod reconcile;
pub mod swim;

use crate::kernel::epidemic::KernelMode;

/// The folklore estimate `ceil(log_k n)` of the rounds gossip with fanout `k` needs to reach
/// `n` nodes, as quoted in many write-ups: each round multiplies the informed nodes by about
/// `k` (an ideal push, where every contact finds a new node, would multiply by `k + 1`).
/// Assumes `fanout > 1` and `n >= 1`; for `fanout <= 1` it returns infinity (no logarithm
/// base). It ignores the slow end phase in which the last nodes are found only by chance, so it
/// underestimates push; `core/tests/literature.rs` measures the gap.
pub fn log_fanout_rounds(n: f64, fanout: f64) -> f64 {
    if fanout <= 1.0 {
        return f64::INFINITY;
    }
    libm::ceil(libm::log(n) / libm::log(fanout))
}

/// Pittel (1987), "On spreading a rumor", SIAM J. Appl. Math. 47(1): with push, fanout 1, peers
/// uniform among the other nodes and synchronous rounds, the rounds until all `n` nodes know the
/// rumor are `log2 n + ln n + O(1)` with probability tending to 1. This returns
/// `log2 n + ln n` without the `O(1)` term.
pub fn pittel_push_rounds(n: f64) -> f64 {
    libm::log2(n) + libm::log(n)
}

/// One step of the pull recurrence of Demers et al. (1987), section 1.3: if `p` is the fraction
/// of nodes still susceptible, after a round of pull (every node asks one uniform peer) a
/// susceptible node stays so only if its peer is susceptible too: `p' = p^2`.
/// Assumes large `n` (peers are drawn with replacement, the node itself included).
pub fn pull_step(p: f64) -> f64 {
    p * p
}

/// One step of the push recurrence of Demers et al. (1987), section 1.3, in its exact form:
/// each of the `n (1 - p)` informed nodes pushes to one uniform node, and a susceptible node
/// is missed by each push with probability `1 - 1/n`, so `p' = p (1 - 1/n)^{n (1 - p)}`.
/// Assumes pushes are independent (the mean-field approximation).
pub fn push_step(p: f64, n: f64) -> f64 {
    p * libm::pow(1.0 - 1.0 / n, n * (1.0 - p))
}

/// The small-`p` limit of [`push_step`] for large `n`: `p' = p e^{-1}`, the reason push ends
/// slowly (the residue shrinks only by a constant factor per round, against squaring for pull).
pub fn push_step_small_p(p: f64) -> f64 {
    p * libm::exp(-1.0)
}

/// The informed fraction `1 - p_i` for rounds `i = 0..=rounds` of pull, from one informed node
/// among `n` (`p_0 = 1 - 1/n`), by [`pull_step`].
pub fn pull_curve(n: f64, rounds: usize) -> Vec<f64> {
    curve(n, rounds, pull_step)
}

/// The informed fraction `1 - p_i` for rounds `i = 0..=rounds` of push, from one informed node
/// among `n` (`p_0 = 1 - 1/n`), by the exact [`push_step`].
pub fn push_curve(n: f64, rounds: usize) -> Vec<f64> {
    curve(n, rounds, |p| push_step(p, n))
}

fn curve(n: f64, rounds: usize, step: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut p = 1.0 - 1.0 / n;
    let mut out = Vec::with_capacity(rounds + 1);
    out.push(1.0 - p);
    for _ in 0..rounds {
        p = step(p);
        out.push(1.0 - p);
    }
    out
}

/// One round of the mean-field recurrence for the fraction `p` of `n` nodes still uninformed,
/// with fanout `k` and message loss `loss`: the recurrences of Demers et al. (1987), section
/// 1.3 ([`push_step`], [`pull_step`]), generalised in the same mean-field spirit to `k` peers
/// per node and to each message arriving independently with probability `1 - loss`:
/// * push: each of the `k n (1 - p)` pushes that arrive (a fraction `1 - loss` of them) misses
///   a given node with probability `1 - 1/n`, so `p' = p (1 - 1/n)^{k n (1 - p)(1 - loss)}`;
/// * pull: an uninformed node stays so unless one of its `k` requests arrives, reaches an
///   informed peer and the reply arrives too: `p' = p (1 - (1 - p)(1 - loss)^2)^k`;
/// * push-pull: a node must escape both, so the two factors multiply.
///
/// Assumptions: synchronous rounds (what a node learns in round r it passes on from round
/// r + 1), peers uniform and independent between nodes (drawn with replacement, the node
/// itself included, as in Demers et al.), losses independent, large `n`. At `k = 1` and
/// `loss = 0` push and pull are exactly [`push_step`] and [`pull_step`].
pub fn uninformed_step(mode: KernelMode, p: f64, n: f64, k: f64, loss: f64) -> f64 {
    let push = libm::pow(1.0 - 1.0 / n, k * n * (1.0 - p) * (1.0 - loss));
    let pull = libm::pow(1.0 - (1.0 - p) * (1.0 - loss) * (1.0 - loss), k);
    match mode {
        KernelMode::Push => p * push,
        KernelMode::Pull => p * pull,
        KernelMode::PushPull => p * push * pull,
    }
}

/// The informed fraction `1 - p_r` for rounds `r = 0..=rounds` by [`uninformed_step`], from
/// one informed node among `n` (`p_0 = 1 - 1/n`).
pub fn informed_curve(mode: KernelMode, n: f64, k: f64, loss: f64, rounds: usize) -> Vec<f64> {
    curve(n, rounds, |p| uninformed_step(mode, p, n, k, loss))
}

/// The iteration bound of [`residue`]; it converges in far fewer (see there).
pub const RESIDUE_ITERATIONS_MAX: u32 = 100;

/// The residue `s` of rumor mongering with feedback and coin `k` (Demers et al. 1987, section
/// 1.4; their equation is for the coin variant, not for counter `k`, whose Table 1 residues it
/// does not give): the nontrivial root in `(0, 1)` of `s = e^{-(k + 1)(1 - s)}`, from the
/// differential equations `ds/dt = -s i`, `di/dt = s i - (1/k)(1 - s) i`. Assumes `n -> inf`
/// and `k > 0`.
///
/// Solved by Newton's method on `f(s) = s - e^{-(k+1)(1-s)}` from `s = 0`. `f` is concave
/// (`f'' = -(k+1)^2 e^{-(k+1)(1-s)} < 0`) with `f(0) < 0 < f'(0)` (because `(k+1) e^{-(k+1)}
/// <= 1/e`), so each tangent lies above `f` and every Newton iterate stays below the root: the
/// iterates increase monotonically to the smallest root and never jump to the trivial root
/// `s = 1`. Convergence is quadratic; it stops when a step moves less than `1e-15` or after
/// [`RESIDUE_ITERATIONS_MAX`] iterations (in practice about 6).
pub fn residue(k: f64) -> f64 {
    let c = k + 1.0;
    let mut s = 0.0f64;
    for _ in 0..RESIDUE_ITERATIONS_MAX {
        let e = libm::exp(-c * (1.0 - s));
        let step = (s - e) / (1.0 - c * e);
        s -= step;
        if libm::fabs(step) < 1e-15 {
            break;
        }
    }
    s
}

/// The logistic convergence curve of HashiCorp Serf's gossip convergence simulator, as its
/// page's script computes it (`SerfSimulator.convergenceAtRound` in hashicorp/serf,
/// `website/source/assets/javascripts/_simulator.js`; the page's prose does not give the
/// formula): the fraction of `n` nodes that have seen a message
/// after `x` gossip rounds is `1 / (1 + (n + 1) e^{-beta x})` with
/// `beta = fanout (1 - loss) (1 - failed) / 2`, where `loss` is the packet loss probability and
/// `failed` the fraction of failed nodes. It is the solution of the logistic (SI) differential
/// equation, a smooth mean-field model: it never reaches exactly 1, and it has no late slow
/// phase like push's `ln n`.
pub fn serf_logistic(n: f64, fanout: f64, loss: f64, failed: f64, x: f64) -> f64 {
    let beta = fanout * (1.0 - loss) * (1.0 - failed) / 2.0;
    1.0 / (1.0 + (n + 1.0) * libm::exp(-beta * x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_fanout_and_loss_recurrence_is_the_published_one_at_fanout_one_without_loss() {
        for p in [0.999, 0.9, 0.5, 0.1, 0.001] {
            let push = uninformed_step(KernelMode::Push, p, 1000.0, 1.0, 0.0);
            assert!(close(push, push_step(p, 1000.0), 1e-12));
            let pull = uninformed_step(KernelMode::Pull, p, 1000.0, 1.0, 0.0);
            assert!(close(pull, pull_step(p), 1e-12));
        }
        let ours = informed_curve(KernelMode::Push, 1000.0, 1.0, 0.0, 20);
        let published = push_curve(1000.0, 20);
        assert!(ours
            .iter()
            .zip(&published)
            .all(|(a, b)| close(*a, *b, 1e-12)));
    }

    #[test]
    fn total_loss_freezes_the_recurrence_and_more_fanout_speeds_it() {
        let stuck = informed_curve(KernelMode::PushPull, 100.0, 3.0, 1.0, 5);
        assert!(stuck.iter().all(|&f| close(f, 0.01, 1e-12)));
        let slow = informed_curve(KernelMode::Push, 1000.0, 1.0, 0.0, 8);
        let fast = informed_curve(KernelMode::Push, 1000.0, 3.0, 0.0, 8);
        assert!(fast[8] > slow[8]);
    }

    #[test]
    fn push_pull_is_never_behind_push_or_pull() {
        let pp = informed_curve(KernelMode::PushPull, 1000.0, 1.0, 0.2, 30);
        let push = informed_curve(KernelMode::Push, 1000.0, 1.0, 0.2, 30);
        let pull = informed_curve(KernelMode::Pull, 1000.0, 1.0, 0.2, 30);
        for r in 0..=30 {
            assert!(
                pp[r] >= push[r] - 1e-12 && pp[r] >= pull[r] - 1e-12,
                "round {r}"
            );
        }
    }

    #[test]
    fn log_fanout_rounds_is_the_ceiling_of_the_logarithm() {
        assert_eq!(log_fanout_rounds(1000.0, 10.0), 3.0);
        assert_eq!(log_fanout_rounds(1001.0, 10.0), 4.0);
        assert_eq!(log_fanout_rounds(1024.0, 2.0), 10.0);
        assert_eq!(log_fanout_rounds(1000.0, 1.0), f64::INFINITY);
    }

    #[test]
    fn pittel_rounds_for_a_thousand_nodes_are_about_seventeen() {
        // log2 1000 = 9.9658, ln 1000 = 6.9078.
        assert!(close(pittel_push_rounds(1000.0), 16.8736, 1e-4));
    }

    #[test]
    fn pull_squares_the_susceptible_fraction() {
        assert_eq!(pull_step(0.5), 0.25);
        let c = pull_curve(1000.0, 20);
        assert_eq!(c.len(), 21);
        assert!(close(c[0], 0.001, 1e-15));
        assert!(close(c[1], 1.0 - 0.999f64 * 0.999, 1e-15));
        assert!(c[20] > 1.0 - 1e-12, "pull ends doubly exponentially fast");
    }

    #[test]
    fn push_tends_to_one_over_e_per_round_when_few_are_left() {
        // The ratio is (1 - 1/n)^{n (1 - p)} = e^{-(1 - p)} (1 + O(1/n)): e^{-1} as p -> 0.
        let p = 1e-7;
        assert!(close(push_step(p, 1e6) / p, libm::exp(-1.0), 1e-5));
        assert!(close(push_step(0.5, 1e6) / 0.5, libm::exp(-0.5), 1e-5));
        assert!(close(push_step_small_p(1.0), 0.36787944117144233, 1e-16));
        // Early on, push nearly doubles the informed nodes every round.
        let c = push_curve(1e6, 3);
        assert!(close(c[1] / c[0], 2.0, 1e-3));
        assert!(close(c[2] / c[1], 2.0, 1e-3));
    }

    #[test]
    fn residue_matches_the_values_in_demers() {
        // s = e^{-(k+1)(1-s)}: Demers et al. quote s ~ 0.2 for k = 1 and ~0.06 for k = 2; these
        // are the roots to 4 digits, checked by substitution as well.
        for (k, want) in [(1.0, 0.2032), (2.0, 0.0595), (3.0, 0.0198), (4.0, 0.0070)] {
            let s = residue(k);
            assert!(close(s, want, 1e-4), "k = {k}: s = {s}");
            assert!(close(s, libm::exp(-(k + 1.0) * (1.0 - s)), 1e-14));
        }
    }

    #[test]
    fn serf_logistic_starts_near_one_over_n_and_reaches_half_at_ln_n_over_beta() {
        let n = 1000.0;
        assert!(close(
            serf_logistic(n, 3.0, 0.0, 0.0, 0.0),
            1.0 / 1002.0,
            1e-15
        ));
        // Half the nodes when e^{beta x} = n + 1, i.e. x = ln(n + 1) / beta, beta = 1.5.
        let x = libm::log(n + 1.0) / 1.5;
        assert!(close(serf_logistic(n, 3.0, 0.0, 0.0, x), 0.5, 1e-12));
        // Loss and failures slow it by the factors (1 - loss)(1 - failed).
        let x = libm::log(n + 1.0) / (1.5 * 0.5 * 0.8);
        assert!(close(serf_logistic(n, 3.0, 0.5, 0.2, x), 0.5, 1e-12));
    }
}
