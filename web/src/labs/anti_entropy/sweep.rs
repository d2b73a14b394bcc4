//! Bytes per repair against the number of differences, for the four strategies at the link's
//! keys and tree shape: [`TRIALS`] seeded trials per point (trial `t` is the runner's trial
//! `t`, `Rng::stream(seed, Trial, t)`), computed a slice at a time ([`Sweep::advance`] stops
//! when its `more` says so) so the page keeps answering, as the membership lab's catch-up does.
//! Pure, host-tested.

use gossip_core::link::anti_entropy::{Run, StrategyKind};
use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits};
use gossip_core::theory::reconcile::expected_bytes;

use super::model::REPAIR_TICK;

/// Trials per point.
pub const TRIALS: u64 = 3;

/// The differences the chart samples: 1, 2, 5, 10, 20, 50, … up to the keys (the keys last).
pub fn diffs(keys: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut decade = 1u32;
    'outer: loop {
        for m in [1, 2, 5] {
            let d = decade.saturating_mul(m);
            if d >= keys {
                break 'outer;
            }
            out.push(d);
        }
        decade = decade.saturating_mul(10);
    }
    out.push(keys);
    out
}

/// The chart's points, computed or on their way.
#[derive(Clone, Debug)]
pub struct Sweep {
    run: Run,
    base: Option<Base>,
    diffs: Vec<u32>,
    /// Per point and strategy (in [`StrategyKind::ALL`] order), the bytes summed over the
    /// trials done.
    sums: Vec<[f64; 4]>,
    /// The next (point, trial) to compute.
    next: (usize, u64),
    /// The model lines, a function of the run alone: computed once, read at every paint.
    model: Vec<(u32, [f64; 4])>,
}

impl Sweep {
    /// The sweep of `run`'s keys and shape (nothing computed yet).
    pub fn new(run: Run) -> Sweep {
        let diffs = diffs(run.keys);
        let model = model(&run, &diffs);
        Sweep {
            run,
            base: None,
            sums: vec![[0.0; 4]; diffs.len()],
            diffs,
            next: (0, 0),
            model,
        }
    }

    /// Whether `run` is the one swept (the chart ignores the strategy shown, `d` and the
    /// shown turn).
    pub fn is_for(&self, run: &Run) -> bool {
        (self.run.keys, self.run.shape, self.run.seed) == (run.keys, run.shape, run.seed)
    }

    /// Whether every point is computed.
    pub fn is_done(&self) -> bool {
        self.next.0 >= self.diffs.len()
    }

    /// Trials done of all, for the note while it runs.
    pub fn progress(&self) -> (u64, u64) {
        let done = self.next.0 as u64 * TRIALS + self.next.1;
        (done, self.diffs.len() as u64 * TRIALS)
    }

    /// Computes trials while `more()` says so (at least one per call). Each trial repairs one
    /// pair by all four strategies.
    pub fn advance(&mut self, more: &mut dyn FnMut() -> bool) {
        while !self.is_done() {
            self.trial();
            if !more() {
                return;
            }
        }
    }

    fn trial(&mut self) {
        let (p, t) = self.next;
        let run = &self.run;
        if self.base.is_none() {
            self.base = run.base().ok();
        }
        let Some(base) = self.base.as_ref() else {
            // A shape the core refuses: nothing to sweep.
            self.next = (self.diffs.len(), 0);
            return;
        };
        let (a, b) = run.pair(base, self.diffs[p], t);
        for (i, kind) in StrategyKind::ALL.into_iter().enumerate() {
            let (mut a, mut b) = (a.clone(), b.clone());
            let s = run.strategy_of(kind);
            let limits = ReconcileLimits::large();
            if let Ok(r) = reconcile_pair(&mut a, &mut b, s, limits, REPAIR_TICK) {
                self.sums[p][i] += r.bytes() as f64;
            }
        }
        self.next = if t + 1 < TRIALS {
            (p, t + 1)
        } else {
            (p + 1, 0)
        };
    }

    /// The computed points: `(d, mean bytes per strategy)` for every point whose trials are
    /// all done.
    pub fn points(&self) -> Vec<(u32, [f64; 4])> {
        (0..self.next.0.min(self.diffs.len()))
            .map(|p| (self.diffs[p], self.sums[p].map(|s| s / TRIALS as f64)))
            .collect()
    }

    /// The model lines: every strategy's expected bytes for the pair at every sampled `d`
    /// (`theory::reconcile`, derived from the wire formats; in [`StrategyKind::ALL`] order).
    pub fn model(&self) -> &[(u32, [f64; 4])] {
        &self.model
    }
}

/// Every strategy's expected bytes for `run`'s pair at each of `diffs`.
fn model(run: &Run, diffs: &[u32]) -> Vec<(u32, [f64; 4])> {
    diffs
        .iter()
        .map(|&d| {
            let bytes = StrategyKind::ALL.map(|k| expected_bytes(run.strategy_of(k), run.keys, d));
            (d, bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sampled_differences_run_1_2_5_up_to_the_keys() {
        assert_eq!(diffs(16), [1, 2, 5, 10, 16]);
        assert_eq!(diffs(100), [1, 2, 5, 10, 20, 50, 100]);
        assert_eq!(*diffs(4096).last().unwrap(), 4096);
    }

    #[test]
    fn a_sweep_computed_in_slices_equals_one_computed_at_once() {
        let run = Run {
            keys: 64,
            ..Run::default()
        };
        let mut whole = Sweep::new(run.clone());
        whole.advance(&mut || true);
        assert!(whole.is_done());
        let mut sliced = Sweep::new(run);
        let mut slices = 0;
        while !sliced.is_done() {
            sliced.advance(&mut || false);
            slices += 1;
        }
        assert_eq!(slices as u64, diffs(64).len() as u64 * TRIALS);
        assert_eq!(sliced.points(), whole.points());
        let pts = whole.points();
        // Full state costs the same whatever d; Merkle grows with d; full state and digests
        // are exactly their models (deterministic bytes), point by point.
        let (first, last) = (pts[0].1, pts[pts.len() - 1].1);
        assert!(
            (first[0] - last[0]).abs() / first[0] < 0.2,
            "{first:?} {last:?}"
        );
        assert!(last[2] > first[2]);
        for ((d, bytes), &(md, model)) in pts.iter().zip(whole.model()) {
            assert_eq!(*d, md);
            assert_eq!(bytes[0], model[0], "full at d = {d}");
            assert_eq!(bytes[1], model[1], "digest at d = {d}");
        }
    }
}
