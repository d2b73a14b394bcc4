//! The numbers a step states, each computed from the step's run (its setup link) by the
//! engine's link reader, the core's Monte Carlo kernels or the theory module, never typed by
//! hand; `lessons::tests` pins each lesson's values.
//!
//! The kernel's trials are the same synchronous model the lab's band of trials runs
//! (`labs::dissemination::band`), from the run's own configuration
//! (`labs::dissemination::params::Params::kernel_config`) and seed; a sweep of [`TRIALS`]
//! trials takes a fraction of a second, so a step's facts are computed once, when it opens.

use std::cell::RefCell;

use gossip_core::kernel::demers;
use gossip_core::kernel::epidemic::Trials;
use gossip_core::link::dissemination::TimedAction;
use gossip_core::rng::{derive, Stream};
use gossip_core::sim::Action;
use gossip_core::stats::nearest_rank;
use gossip_core::theory;

use crate::labs::dissemination::band::KernelConfig;
use crate::labs::dissemination::params::Params;
use crate::labs::dissemination::url;
use crate::lessons::measure::{first_crash, membership_run};

/// Trials of a sweep behind a quantile or a mean: the 99.9th percentile is then the tenth
/// largest of them.
pub const TRIALS: u32 = 10_000;
/// Rounds a trial may run: far beyond any quantile asked for.
const TRIAL_ROUNDS_MAX: u32 = 1_000;
/// Sweeps remembered (a step's facts and its measure share one; Back and Next revisit).
const SWEEPS_CACHED_MAX: usize = 4;

/// What a sweep found: every trial's rounds, sorted, or rumor mongering's mean residue and
/// traffic.
#[derive(Clone, Debug)]
enum Sweep {
    Rounds(Vec<f64>),
    Rumor(f64, f64),
}

thread_local! {
    /// The last sweeps, by configuration (the kernel is deterministic, so a sweep of the same
    /// configuration is the same), newest last.
    static SWEEPS: RefCell<Vec<(KernelConfig, Sweep)>> = const { RefCell::new(Vec::new()) };
}

/// A sweep in progress, resumable trial by trial, so the page can run it over animation
/// frames and never freeze (a sweep of [`TRIALS`] runs of 1,000 nodes takes about a second in
/// the browser). Trial `t` has seed `derive(seed, Stream::Trial, t)`, exactly as the kernel's
/// own sweeps (`Trials`, `demers::trials`) seed it, so the result is theirs.
pub struct Job {
    config: KernelConfig,
    kernel: Kernel,
    next: u32,
    rounds: Vec<f64>,
    sums: (f64, f64),
}

enum Kernel {
    Epidemic(Trials),
    Rumor(demers::DemersRun),
}

impl Job {
    /// The sweep of `config`, if it is not remembered already (and the kernel takes it).
    fn new(config: KernelConfig) -> Option<Job> {
        if cached(config).is_some() {
            return None;
        }
        let kernel = match config {
            KernelConfig::Epidemic(c) => {
                Kernel::Epidemic(Trials::new(c, TRIALS, TRIAL_ROUNDS_MAX).ok()?)
            }
            KernelConfig::Rumor(c) => Kernel::Rumor(demers::DemersRun::new(c).ok()?),
        };
        Some(Job {
            config,
            kernel,
            next: 0,
            rounds: Vec::new(),
            sums: (0.0, 0.0),
        })
    }

    /// Runs up to `trials` more trials; `true` when the sweep is done (and remembered).
    pub fn work(&mut self, trials: u32) -> bool {
        let end = self.next.saturating_add(trials).min(TRIALS);
        match &mut self.kernel {
            Kernel::Epidemic(t) => {
                let out = t.run_range(self.next..end, |_, _| {});
                self.rounds.extend(out.iter().map(|o| f64::from(o.rounds)));
            }
            Kernel::Rumor(r) => {
                for t in self.next..end {
                    let o = r.run(derive(self.config.seed(), Stream::Trial, u64::from(t)));
                    self.sums.0 += o.residue;
                    self.sums.1 += o.traffic;
                }
            }
        }
        self.next = end;
        if end < TRIALS {
            return false;
        }
        let sweep = match self.kernel {
            Kernel::Epidemic(_) => {
                let mut r = core::mem::take(&mut self.rounds);
                r.sort_by(f64::total_cmp);
                Sweep::Rounds(r)
            }
            Kernel::Rumor(_) => {
                let t = f64::from(TRIALS);
                Sweep::Rumor(self.sums.0 / t, self.sums.1 / t)
            }
        };
        remember(self.config, sweep);
        true
    }

    /// Trials run so far.
    pub fn done(&self) -> u32 {
        self.next
    }
}

/// The sweep that `facts` or a quantile `measure` of the run `setup` names still needs.
pub fn job(facts: &[Fact], quantile_measure: bool, setup: &str) -> Option<Job> {
    let needs = quantile_measure || facts.iter().copied().any(needs_sweep);
    needs
        .then(|| Job::new(url::parse(setup).0.kernel_config()))
        .flatten()
}

/// Whether `f` is read off a kernel sweep (the others are quick to compute).
pub fn needs_sweep(f: Fact) -> bool {
    matches!(
        f,
        Fact::RoundsQuantile(_)
            | Fact::Margin(_)
            | Fact::RumorResidue
            | Fact::RumorTraffic
            | Fact::ExpMinusTraffic
    )
}

fn cached(config: KernelConfig) -> Option<Sweep> {
    SWEEPS.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| *k == config)
            .map(|(_, s)| s.clone())
    })
}

fn remember(config: KernelConfig, sweep: Sweep) {
    SWEEPS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= SWEEPS_CACHED_MAX {
            c.remove(0);
        }
        c.push((config, sweep));
    });
}

/// The sweep of `config`, run now unless remembered.
fn sweep(config: KernelConfig) -> Sweep {
    if let Some(mut job) = Job::new(config) {
        while !job.work(TRIALS) {}
    }
    cached(config).unwrap_or(Sweep::Rumor(f64::NAN, f64::NAN))
}

/// A number a step states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fact {
    /// Nodes in the run.
    Nodes,
    /// The fanout.
    Fanout,
    /// Rumor mongering's `k`.
    RumorK,
    /// The folklore `ceil(log_k N)` ([`theory::log_fanout_rounds`]).
    LogRounds,
    /// Pittel's `log2 N + ln N` for push with fanout 1 ([`theory::pittel_push_rounds`]).
    PittelRounds,
    /// `m` times [`Fact::LogRounds`]: the rule of thumb's margin.
    Multiple(u32),
    /// The factor `m` itself, as the rule of thumb says it.
    Factor(u32),
    /// A share in per mille, written as a percentile's name (`990` is "99", `999` "99.9").
    Share(u32),
    /// The trials behind a quantile or a mean ([`TRIALS`]).
    Trials,
    /// The rounds that this share (per mille) of [`TRIALS`] kernel runs of the step's run needed
    /// at most to inform every node (nearest rank).
    RoundsQuantile(u32),
    /// [`Fact::RoundsQuantile`] over [`Fact::LogRounds`]: the margin that quantile needs.
    Margin(u32),
    /// Rumor mongering's mean residue over [`TRIALS`] kernel runs, in percent.
    RumorResidue,
    /// Its mean traffic: rumor-carrying messages per node.
    RumorTraffic,
    /// `e^-m` of that mean traffic `m`, in percent: Demers' residue law.
    ExpMinusTraffic,
    /// The round of the run's heal action.
    HealRound,
    /// The round of the run's first partition action.
    CutRound,
    /// The writes among the run's actions.
    Writes,
    /// Gossip intervals between a node's anti-entropy repair sessions (`aei=`).
    RepairEvery,
    /// Membership lab: its nodes.
    MembershipNodes,
    /// Membership lab: the node the first crash takes.
    CrashedNode,
    /// Membership lab: the round (period) of the first crash.
    CrashRound,
    /// Membership lab: SWIM's mean periods to first detection under uniform probing, `1/p(N)`,
    /// tending to `e/(e - 1)` ([`theory::swim::uniform_first_detection_mean`]).
    UniformFirstDetection,
}

/// The values of `facts` for the run `setup` names (one sweep serves every quantile).
pub fn values(facts: &[Fact], setup: &str) -> Vec<f64> {
    let params = url::parse(setup).0;
    let membership = membership_run(setup);
    let crash = first_crash(&membership);
    facts
        .iter()
        .map(|&f| match f {
            Fact::MembershipNodes => f64::from(membership.nodes),
            Fact::CrashedNode => crash.map_or(f64::NAN, |(_, n)| f64::from(n)),
            Fact::CrashRound => crash.map_or(f64::NAN, |(r, _)| f64::from(r)),
            Fact::UniformFirstDetection => {
                theory::swim::uniform_first_detection_mean(u64::from(membership.nodes))
            }
            _ => value(f, &params),
        })
        .collect()
}

fn value(f: Fact, p: &Params) -> f64 {
    let run = &p.run;
    let (n, k) = (f64::from(run.nodes), f64::from(run.fanout));
    let quantile = |per_mille: u32| match sweep(p.kernel_config()) {
        Sweep::Rounds(r) => nearest_rank(&r, f64::from(per_mille) / 10.0),
        Sweep::Rumor(..) => f64::NAN,
    };
    let means = || match sweep(p.kernel_config()) {
        Sweep::Rumor(s, m) => (s, m),
        Sweep::Rounds(_) => (f64::NAN, f64::NAN),
    };
    match f {
        Fact::Nodes => n,
        Fact::Fanout => k,
        Fact::RumorK => f64::from(run.rumor_k),
        Fact::LogRounds => theory::log_fanout_rounds(n, k),
        Fact::PittelRounds => theory::pittel_push_rounds(n),
        Fact::Multiple(m) => f64::from(m) * theory::log_fanout_rounds(n, k),
        Fact::Factor(m) => f64::from(m),
        Fact::Share(q) => f64::from(q) / 10.0,
        Fact::Trials => f64::from(TRIALS),
        Fact::RoundsQuantile(q) => quantile(q),
        Fact::Margin(q) => quantile(q) / theory::log_fanout_rounds(n, k),
        Fact::RumorResidue => 100.0 * means().0,
        Fact::RumorTraffic => means().1,
        Fact::ExpMinusTraffic => 100.0 * (-means().1).exp(),
        Fact::HealRound => heal_round(&run.actions).map_or(f64::NAN, f64::from),
        Fact::CutRound => run
            .actions
            .iter()
            .find(|(_, a)| matches!(a, Action::Partition { .. }))
            .map_or(f64::NAN, |(r, _)| r.0 as f64),
        Fact::Writes => run
            .actions
            .iter()
            .filter(|(_, a)| matches!(a, Action::Write { .. }))
            .count() as f64,
        Fact::RepairEvery => f64::from(run.repair_every),
        // The membership lab's facts are read from its own run, in `values`.
        Fact::MembershipNodes
        | Fact::CrashedNode
        | Fact::CrashRound
        | Fact::UniformFirstDetection => f64::NAN,
    }
}

/// The round of the first heal among `actions`.
pub fn heal_round(actions: &[TimedAction]) -> Option<u32> {
    actions
        .iter()
        .find(|(_, a)| matches!(a, Action::Heal))
        .map(|(r, _)| r.0 as u32)
}

/// How a fact's value is written in prose.
pub fn text(f: Fact, v: f64) -> String {
    if v.is_nan() {
        return "?".to_string();
    }
    match f {
        Fact::PittelRounds | Fact::Margin(_) | Fact::RumorTraffic => format!("{v:.1}"),
        Fact::UniformFirstDetection => format!("{v:.2}"),
        Fact::RumorResidue | Fact::ExpMinusTraffic => format!("{v:.1} %"),
        Fact::Nodes | Fact::Trials => thousands(v.round() as u64),
        Fact::Share(_) => format!("{v}"),
        _ => format!("{}", v.round() as i64),
    }
}

/// `1000` as `1,000`.
fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
