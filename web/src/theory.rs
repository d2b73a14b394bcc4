//! The theory curves the chart overlays on a run.
//!
//! `gossip_core::theory` holds the published forms: Serf's logistic curve and the push and pull
//! recurrences of Demers et al. for fanout 1 without loss. The page needs them for any fanout
//! `k` and loss `l`, so this module generalises the recurrences in the same mean-field spirit
//! (each message arrives independently with probability `1 - l`). The tests pin the
//! generalisation to the core's forms at `k = 1, l = 0`; it belongs in `core::theory` and should
//! move there once the core's owners agree with it.

use gossip_core::epidemic::Mode;

/// One round of the recurrence for the fraction `p` of nodes still uninformed among `n`:
/// * push: each of the `k n (1 - p)` pushes reaches a given node with probability
///   `(1 - l) / n`, so `p' = p (1 - 1/n)^(k n (1 - p) (1 - l))`;
/// * pull: an uninformed node stays so unless one of its `k` requests and the reply both
///   arrive and the peer knew: `p' = p (1 - (1 - p)(1 - l)^2)^k`;
/// * push-pull: it must escape both, so the two factors multiply.
pub fn uninformed_step(mode: Mode, p: f64, n: f64, k: f64, loss: f64) -> f64 {
    let push = (1.0 - 1.0 / n).powf(k * n * (1.0 - p) * (1.0 - loss));
    let pull = (1.0 - (1.0 - p) * (1.0 - loss) * (1.0 - loss)).powf(k);
    match mode {
        Mode::Push => p * push,
        Mode::Pull => p * pull,
        Mode::PushPull => p * push * pull,
    }
}

/// The informed fraction `1 - p_r` for rounds `r = 0..=rounds`, from one informed node.
pub fn recurrence_curve(mode: Mode, n: u32, k: u32, loss: f64, rounds: usize) -> Vec<f64> {
    let n = f64::from(n);
    let mut p = 1.0 - 1.0 / n;
    let mut out = Vec::with_capacity(rounds + 1);
    out.push(1.0 - p);
    for _ in 0..rounds {
        p = uninformed_step(mode, p, n, f64::from(k), loss);
        out.push(1.0 - p);
    }
    out
}

/// Serf's logistic curve at rounds `0..=rounds` (no failed nodes: the kernel has none).
pub fn logistic_curve(n: u32, k: u32, loss: f64, rounds: usize) -> Vec<f64> {
    (0..=rounds)
        .map(|x| {
            gossip_core::theory::serf_logistic(f64::from(n), f64::from(k), loss, 0.0, x as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::theory;

    #[test]
    fn at_fanout_one_without_loss_the_recurrences_are_the_published_ones() {
        for p in [0.999, 0.9, 0.5, 0.1, 0.001] {
            let push = uninformed_step(Mode::Push, p, 1000.0, 1.0, 0.0);
            assert!((push - theory::push_step(p, 1000.0)).abs() < 1e-12);
            let pull = uninformed_step(Mode::Pull, p, 1000.0, 1.0, 0.0);
            assert!((pull - theory::pull_step(p)).abs() < 1e-12);
        }
        let ours = recurrence_curve(Mode::Pull, 1000, 1, 0.0, 20);
        assert_eq!(ours.len(), theory::pull_curve(1000.0, 20).len());
    }

    #[test]
    fn total_loss_of_interest_freezes_the_curve_and_more_fanout_speeds_it() {
        let stuck = recurrence_curve(Mode::PushPull, 100, 3, 1.0, 5);
        assert!(stuck.iter().all(|&f| (f - 0.01).abs() < 1e-12));
        let slow = recurrence_curve(Mode::Push, 1000, 1, 0.0, 8);
        let fast = recurrence_curve(Mode::Push, 1000, 3, 0.0, 8);
        assert!(fast[8] > slow[8]);
    }

    #[test]
    fn push_pull_is_never_behind_either_mode() {
        let pp = recurrence_curve(Mode::PushPull, 1000, 1, 0.2, 30);
        let push = recurrence_curve(Mode::Push, 1000, 1, 0.2, 30);
        let pull = recurrence_curve(Mode::Pull, 1000, 1, 0.2, 30);
        for r in 0..=30 {
            assert!(
                pp[r] >= push[r] - 1e-12 && pp[r] >= pull[r] - 1e-12,
                "round {r}"
            );
        }
    }

    #[test]
    fn the_logistic_curve_starts_near_one_over_n() {
        let c = logistic_curve(1000, 1, 0.0, 3);
        assert!((c[0] - 1.0 / 1002.0).abs() < 1e-12);
        assert!(c[3] > c[0]);
    }
}
