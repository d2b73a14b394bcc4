//! The convergence-bounds sweep: mean rounds until every node knows the rumor, for push with
//! fanout `k` in [`FANOUTS`] over cluster sizes [`NODES`] (log-spaced, 10 to 10,000), set
//! against the estimates `log_k N` and, for `k = 1`, Pittel's `log2 N + ln N`.
//!
//! Like the band of trials it is computed by the core's fast kernel a slice at a time, so the
//! page spends a few milliseconds per frame on it and never freezes.

use gossip_core::kernel::epidemic::{
    KernelConfig as SpreadConfig, KernelMode as Mode, KernelSpread as Spread,
};
use gossip_core::rng::{derive, Probability, Stream};

/// Cluster sizes of the sweep: about three per decade from 10 to 10,000.
pub const NODES: [u32; 10] = [10, 22, 46, 100, 215, 464, 1000, 2154, 4642, 10_000];
/// Fanouts of the sweep.
pub const FANOUTS: [u32; 4] = [1, 2, 3, 4];
/// Trials per point: the standard error of a mean is then below 0.2 rounds everywhere.
pub const TRIALS: u32 = 50;
/// Rounds a trial may run (push without loss needs fewer than 40 at 10,000 nodes).
pub const ROUNDS_MAX: u32 = 1_000;

/// One point of the sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Nodes.
    pub nodes: u32,
    /// Fanout.
    pub fanout: u32,
    /// Mean rounds to full coverage over the finished trials.
    pub mean_rounds: f64,
    /// Trials finished.
    pub trials: u32,
}

/// The estimate the sweep is set against: `log_k N` for `k >= 2` (the folklore count whose
/// ceiling is `theory::log_fanout_rounds`), Pittel's `log2 N + ln N` for `k = 1`.
pub fn estimate(nodes: f64, fanout: u32) -> f64 {
    if fanout <= 1 {
        gossip_core::theory::pittel_push_rounds(nodes)
    } else {
        nodes.ln() / f64::from(fanout).ln()
    }
}

/// The sweep, resumable one round at a time.
#[derive(Clone, Debug)]
pub struct Sweep {
    seed: u64,
    points: Vec<Point>,
    /// The trial in progress: (point index, trial index, its spread).
    running: Option<(usize, u32, Spread)>,
    sums: Vec<u64>,
}

impl Sweep {
    /// A sweep whose trial `t` of every point has seed `derive(seed, Stream::Trial, t)`, as the
    /// core's `Trials` gives it, so any point can be replayed with `Trials`.
    pub fn new(seed: u64) -> Sweep {
        let points: Vec<Point> = FANOUTS
            .iter()
            .flat_map(|&fanout| {
                NODES.iter().map(move |&nodes| Point {
                    nodes,
                    fanout,
                    mean_rounds: 0.0,
                    trials: 0,
                })
            })
            .collect();
        Sweep {
            seed,
            sums: vec![0; points.len()],
            points,
            running: None,
        }
    }

    /// The kernel configuration of a point's trial 0 (the base of its `Trials`).
    pub fn config(&self, nodes: u32, fanout: u32) -> SpreadConfig {
        SpreadConfig {
            nodes,
            fanout,
            mode: Mode::Push,
            loss: Probability::NEVER,
            seed: self.seed,
        }
    }

    /// The seed the sweep derives its trials' seeds from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Every point, finished or not.
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// Trials finished over all points, and in all.
    pub fn progress(&self) -> (u32, u32) {
        let done = self.points.iter().map(|p| p.trials).sum();
        (done, self.points.len() as u32 * TRIALS)
    }

    /// Whether every trial of every point has finished.
    pub fn is_done(&self) -> bool {
        self.points.iter().all(|p| p.trials == TRIALS)
    }

    /// Runs rounds while `more()` says so; returns whether the sweep is done.
    pub fn work(&mut self, mut more: impl FnMut() -> bool) -> bool {
        while more() {
            if self.running.is_none() {
                let Some(i) = self.points.iter().position(|p| p.trials < TRIALS) else {
                    return true;
                };
                let p = self.points[i];
                let seed = derive(self.seed, Stream::Trial, u64::from(p.trials));
                let config = SpreadConfig {
                    seed,
                    ..self.config(p.nodes, p.fanout)
                };
                // Every point's configuration is within the kernel's limits (fanout < nodes).
                let spread = Spread::new(config).expect("a valid configuration");
                self.running = Some((i, p.trials, spread));
            }
            let Some((i, _, s)) = &mut self.running else {
                continue;
            };
            for _ in 0..4 {
                if s.is_complete() || s.round() >= ROUNDS_MAX {
                    break;
                }
                s.step();
            }
            if s.is_complete() || s.round() >= ROUNDS_MAX {
                let i = *i;
                self.sums[i] += u64::from(s.round());
                let p = &mut self.points[i];
                p.trials += 1;
                p.mean_rounds = self.sums[i] as f64 / f64::from(p.trials);
                self.running = None;
            }
        }
        self.is_done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::kernel::epidemic::Trials;

    #[test]
    fn every_point_is_the_mean_of_the_cores_trials_whatever_the_slicing() {
        let mut sweep = Sweep::new(7);
        let mut calls = 0u64;
        while !sweep.work(|| {
            calls += 1;
            !calls.is_multiple_of(5)
        }) {}
        for p in sweep.points().iter().filter(|p| p.nodes <= 1000) {
            let outcomes = Trials::new(sweep.config(p.nodes, p.fanout), TRIALS, ROUNDS_MAX)
                .unwrap()
                .run();
            assert!(outcomes.iter().all(|o| o.complete));
            let mean = outcomes.iter().map(|o| f64::from(o.rounds)).sum::<f64>() / 50.0;
            assert_eq!(p.trials, TRIALS);
            assert!((p.mean_rounds - mean).abs() < 1e-12, "{p:?} vs {mean}");
        }
    }

    #[test]
    fn simulated_rounds_exceed_log_k_n_and_more_so_at_larger_fanout() {
        // core/tests/literature.rs: push with fanout k needs about log_{k+1} N + ln N / k
        // rounds; for k = 3, 4 that is above log_k N by a gap that widens with N.
        let mut sweep = Sweep::new(1);
        sweep.work(|| true);
        let at = |n: u32, k: u32| {
            let p = sweep
                .points()
                .iter()
                .find(|p| p.nodes == n && p.fanout == k)
                .unwrap();
            p.mean_rounds - estimate(f64::from(n), k)
        };
        for k in [3, 4] {
            assert!(
                at(10_000, k) > at(100, k),
                "k = {k}: the gap does not widen"
            );
            // What the bounds caption says: under a round at N = 10, about two at 10,000.
            assert!(at(10, k) < 1.0, "k = {k}: gap {}", at(10, k));
            assert!(
                (1.5..3.0).contains(&at(10_000, k)),
                "k = {k}: gap {}",
                at(10_000, k)
            );
        }
        // k = 1: Pittel's log2 N + ln N plus a small constant.
        let c = at(10_000, 1);
        assert!((0.0..3.0).contains(&c), "k = 1: constant {c}");
    }

    #[test]
    fn the_estimates_are_log_k_n_and_pittel() {
        assert!((estimate(1000.0, 10) - 3.0).abs() < 1e-12);
        assert!((estimate(1024.0, 2) - 10.0).abs() < 1e-12);
        assert!((estimate(1024.0, 1) - (10.0 + 1024f64.ln())).abs() < 1e-12);
    }
}
