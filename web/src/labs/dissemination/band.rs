//! The band of many seeded trials drawn behind the run: mean and 5th to 95th percentile of the
//! informed fraction per round.
//!
//! The work is resumable round by round, so the page can spend a few milliseconds per
//! animation frame on it and never freeze, whatever the cluster size or loss.

use gossip_core::kernel::demers::DemersRun as Rumor;
use gossip_core::kernel::epidemic::KernelSpread as Spread;
use gossip_core::rng::{derive, Stream};
use gossip_core::stats::nearest_rank;

use gossip_core::kernel::demers::DemersConfig as RumorConfig;
use gossip_core::kernel::epidemic::KernelConfig as SpreadConfig;

/// What the kernel simulates for a band: an epidemic spread (push, pull, push-pull) or rumor
/// mongering. The kernel, not the cluster engine, computes the band: it is the same synchronous
/// model at scale (see [`super::model`], "Why two engines").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KernelConfig {
    /// The core's epidemic kernel.
    Epidemic(SpreadConfig),
    /// Rumor mongering with a stop rule (Demers et al.).
    Rumor(RumorConfig),
}

impl KernelConfig {
    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        match self {
            KernelConfig::Epidemic(c) => c.nodes,
            KernelConfig::Rumor(c) => c.nodes,
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        match self {
            KernelConfig::Epidemic(c) => c.seed,
            KernelConfig::Rumor(c) => c.seed,
        }
    }

    /// The same configuration with another seed.
    pub fn with_seed(self, seed: u64) -> KernelConfig {
        match self {
            KernelConfig::Epidemic(c) => KernelConfig::Epidemic(SpreadConfig { seed, ..c }),
            KernelConfig::Rumor(c) => KernelConfig::Rumor(RumorConfig { seed, ..c }),
        }
    }
}

/// Trials in a band: enough for the 5th and 95th percentiles to be 5 trials from each end.
pub const BAND_TRIALS: u32 = 100;
/// Rounds a trial runs at most; a trial cut here keeps its last value to the end of the band.
pub const BAND_ROUNDS_MAX: u32 = 2_000;

/// One round's summary over the trials.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandPoint {
    /// Mean informed fraction.
    pub mean: f64,
    /// 5th percentile (nearest rank).
    pub p5: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
}

/// A sweep of trials of one configuration, computed a little at a time.
#[derive(Clone, Debug)]
pub struct Band {
    base: KernelConfig,
    trials: u32,
    /// The epidemic trial in progress, if any.
    running: Option<Spread>,
    /// Buffers for rumor trials (one whole trial per slice: they are short).
    rumor: Option<Rumor>,
    /// Rumor trials' (residue, traffic).
    outcomes: Vec<(f64, f64)>,
    /// Informed fraction per round (from round 0) of each finished trial.
    curves: Vec<Vec<f64>>,
    current: Vec<f64>,
}

impl Band {
    /// A sweep of `trials` trials of `config`; trial `t` has the seed the core's `Trials` gives
    /// it, `derive(seed, Stream::Trial, t)`, so any trial can be replayed alone.
    pub fn new(config: KernelConfig, trials: u32) -> Band {
        Band {
            base: config,
            trials,
            running: None,
            rumor: None,
            outcomes: Vec::new(),
            curves: Vec::with_capacity(trials as usize),
            current: Vec::new(),
        }
    }

    /// The configuration of trial `t`.
    pub fn trial_config(&self, t: u32) -> KernelConfig {
        self.base
            .with_seed(derive(self.base.seed(), Stream::Trial, u64::from(t)))
    }

    /// Mean residue and traffic (messages per node) of the finished rumor trials, if any.
    pub fn rumor_means(&self) -> Option<(f64, f64)> {
        let k = self.outcomes.len() as f64;
        (k > 0.0).then(|| {
            let (s, m) = self
                .outcomes
                .iter()
                .fold((0.0, 0.0), |(s, m), o| (s + o.0, m + o.1));
            (s / k, m / k)
        })
    }

    /// Trials finished.
    pub fn done(&self) -> u32 {
        self.curves.len() as u32
    }

    /// Trials in the sweep.
    pub fn trials(&self) -> u32 {
        self.trials
    }

    /// Whether every trial has finished.
    pub fn is_done(&self) -> bool {
        self.done() == self.trials
    }

    /// Runs rounds while `more()` says so and trials remain; returns whether the sweep is done.
    pub fn work(&mut self, mut more: impl FnMut() -> bool) -> bool {
        let n = f64::from(self.base.nodes());
        while !self.is_done() && more() {
            let t = self.done();
            let config = match self.trial_config(t) {
                KernelConfig::Epidemic(c) => c,
                KernelConfig::Rumor(c) => {
                    let rumor = self
                        .rumor
                        .get_or_insert_with(|| Rumor::new(c).expect("a valid configuration"));
                    let mut curve = vec![1.0 / n];
                    let o = rumor.run_observed(c.seed, |r| curve.push(f64::from(r.informed) / n));
                    self.outcomes.push((o.residue, o.traffic));
                    self.curves.push(curve);
                    continue;
                }
            };
            let s = self.running.get_or_insert_with(|| {
                // The configuration was validated when the page's own run was created.
                Spread::new(config).expect("a valid configuration")
            });
            if self.current.is_empty() {
                self.current.push(f64::from(s.informed_count()) / n);
            }
            // A handful of rounds between checks of the clock keeps the check cheap.
            for _ in 0..8 {
                if s.is_complete() || s.round() >= BAND_ROUNDS_MAX {
                    break;
                }
                s.step();
                self.current.push(f64::from(s.informed_count()) / n);
            }
            if s.is_complete() || s.round() >= BAND_ROUNDS_MAX {
                self.running = None;
                self.curves.push(core::mem::take(&mut self.current));
            }
        }
        self.is_done()
    }

    /// Mean and percentiles per round over the finished trials, from round 0 to the longest
    /// trial; a finished trial counts with its final value in later rounds.
    pub fn summary(&self) -> Vec<BandPoint> {
        let len = self.curves.iter().map(Vec::len).max().unwrap_or(0);
        let mut column = Vec::with_capacity(self.curves.len());
        (0..len)
            .map(|r| {
                column.clear();
                column.extend(self.curves.iter().map(|c| c[r.min(c.len() - 1)]));
                column.sort_by(f64::total_cmp);
                BandPoint {
                    mean: column.iter().sum::<f64>() / column.len() as f64,
                    p5: nearest_rank(&column, 5.0),
                    p95: nearest_rank(&column, 95.0),
                }
            })
            .collect()
    }
}

/// The informed fraction per round (from round 0 to full coverage, or [`BAND_ROUNDS_MAX`]) of
/// one kernel run in each exchange mode, push, pull and push-pull, with the same nodes, fanout,
/// loss and seed: the push/pull scenario overlays them so the modes are compared side by side.
pub fn mode_curves(config: SpreadConfig) -> Vec<(&'static str, Vec<f64>)> {
    use gossip_core::kernel::epidemic::KernelMode as Mode;
    let n = f64::from(config.nodes);
    [
        ("push", Mode::Push),
        ("pull", Mode::Pull),
        ("push-pull", Mode::PushPull),
    ]
    .into_iter()
    .filter_map(|(name, mode)| {
        let mut s = Spread::new(SpreadConfig { mode, ..config }).ok()?;
        let mut curve = vec![f64::from(s.informed_count()) / n];
        while !s.is_complete() && s.round() < BAND_ROUNDS_MAX {
            s.step();
            curve.push(f64::from(s.informed_count()) / n);
        }
        Some((name, curve))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::kernel::demers::{
        self as rumor, Counting, DemersConfig as RumorConfig, Removal, Variant,
    };
    use gossip_core::kernel::epidemic::{KernelConfig as SpreadConfig, KernelMode as Mode, Trials};
    use gossip_core::rng::Probability;

    fn spread() -> SpreadConfig {
        SpreadConfig {
            nodes: 200,
            fanout: 1,
            mode: Mode::Push,
            loss: Probability::NEVER,
            seed: 4,
        }
    }

    fn config() -> KernelConfig {
        KernelConfig::Epidemic(spread())
    }

    #[test]
    fn the_three_mode_curves_are_the_kernels_runs_and_push_pull_finishes_first() {
        let c = SpreadConfig {
            nodes: 1000,
            mode: Mode::PushPull,
            ..spread()
        };
        let curves = mode_curves(c);
        let names: Vec<&str> = curves.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["push", "pull", "push-pull"]);
        for ((_, curve), mode) in curves.iter().zip([Mode::Push, Mode::Pull, Mode::PushPull]) {
            let mut s =
                gossip_core::kernel::epidemic::KernelSpread::new(SpreadConfig { mode, ..c })
                    .unwrap();
            assert!(s.run_to_completion(BAND_ROUNDS_MAX));
            assert_eq!(curve.len() as u32, s.round() + 1);
            assert_eq!(curve[0], 1.0 / 1000.0);
            assert_eq!(*curve.last().unwrap(), 1.0);
        }
        // The caption's claim, for the scenario's own n and seed: push-pull finishes first.
        let len = |i: usize| curves[i].1.len();
        assert!(
            len(2) < len(0) && len(2) < len(1),
            "{:?}",
            [len(0), len(1), len(2)]
        );
    }

    #[test]
    fn rumor_trials_are_the_cores_trials() {
        let c = RumorConfig::demers(500, Variant::Push, Counting::Feedback, Removal::Counter, 2);
        let mut band = Band::new(KernelConfig::Rumor(c), 30);
        band.work(|| true);
        let want = rumor::trials(c, 30).unwrap();
        let k = want.len() as f64;
        let s = want.iter().map(|o| o.residue).sum::<f64>() / k;
        let m = want.iter().map(|o| o.traffic).sum::<f64>() / k;
        let (got_s, got_m) = band.rumor_means().unwrap();
        assert!((got_s - s).abs() < 1e-12 && (got_m - m).abs() < 1e-12);
        assert!((band.summary()[0].mean - 1.0 / 500.0).abs() < 1e-12);
    }

    #[test]
    fn trials_are_the_cores_trials_whatever_the_slicing() {
        let mut band = Band::new(config(), 20);
        let mut calls = 0;
        // Stop every third check: the result must not depend on where the work was cut.
        while !band.work(|| {
            calls += 1;
            calls % 3 != 0
        }) {}
        let outcomes = Trials::new(spread(), 20, BAND_ROUNDS_MAX).unwrap().run();
        for (curve, o) in band.curves.iter().zip(&outcomes) {
            assert_eq!(curve.len() as u32, o.rounds + 1);
            assert_eq!(*curve.last().unwrap(), 1.0);
        }
    }

    #[test]
    fn the_band_is_ordered_and_ends_at_everyone() {
        let mut band = Band::new(config(), BAND_TRIALS);
        band.work(|| true);
        let s = band.summary();
        assert!((s[0].mean - 1.0 / 200.0).abs() < 1e-12);
        for p in &s {
            // The mean may lie outside the 5-95 % range of a skewed sample, but never outside
            // the sample's range; the percentiles are ordered.
            assert!(p.p5 <= p.p95 && (0.0..=1.0).contains(&p.mean));
        }
        assert_eq!(s.last().unwrap().p5, 1.0);
    }
}
