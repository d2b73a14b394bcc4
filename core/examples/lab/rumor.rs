//! `lab rumor`: rumor mongering with loss of interest (Demers et al. 1987), many trials of the
//! fast kernel, with residue, traffic, t_ave and t_last.

use std::fmt::Write as _;

use gossip_core::kernel::demers::{
    self, CounterReset, Counting, DemersConfig, Removal, Schedule, Variant,
};
use serde_json::json;

use crate::options::{name_of, Common, Format, Options, UsageError};
use crate::trials::{run_split, summary_json, summary_text};

/// This command's section of `--help`.
pub const HELP: &str = "\
RUMOR OPTIONS:
    --variant V      push | pull [default: push]
    --stop S         feedback-counter | feedback-coin | blind-counter | blind-coin
                     [default: feedback-counter]
    --k K            loss-of-interest parameter, 1 to 64 [default: 1]
    --schedule S     synchronous | live-knowledge | sequential [default: synchronous]
    --reset R        never | on-useful | per-cycle [default: per-cycle]
                     (the defaults are the rule that reproduces Demers et al.'s tables;
                     see the gossip_core::kernel::demers docs for the alternatives)
  measures: residue s, traffic m (messages per node), t_ave, t_last (cycles).
  csv columns: cycle, informed_mean, infective_mean (fractions; a finished trial keeps its
  final informed fraction and 0 infective in later cycles).

";

const SCHEDULES: &[(&str, Schedule)] = &[
    ("synchronous", Schedule::Synchronous),
    ("live-knowledge", Schedule::LiveKnowledge),
    ("sequential", Schedule::Sequential),
];
const RESETS: &[(&str, CounterReset)] = &[
    ("never", CounterReset::Never),
    ("on-useful", CounterReset::OnUseful),
    ("per-cycle", CounterReset::PerCycle),
];

/// One sweep as the options ask for it.
struct Sweep {
    common: Common,
    config: DemersConfig,
    variant: Variant,
    counting: Counting,
    removal: Removal,
    k: u32,
}

/// Per cycle: the sums of the informed and infective counts of the trials that ran it, for the
/// csv curve; integers, so merging the threads' curves is exact.
type Curve = Vec<(u64, u64)>;

/// Each trial's outcome and its final informed fraction, in trial order.
type Outcomes = Vec<(demers::DemersOutcome, f64)>;

/// Runs `lab rumor` with the options left after the command name.
pub fn run(o: Options) -> Result<String, UsageError> {
    let sweep = options(o)?;
    let (outcomes, curve) = trials(&sweep)?;
    Ok(report(&sweep, &outcomes, &curve))
}

/// The sweep the options describe, every value checked against its limit.
fn options(mut o: Options) -> Result<Sweep, UsageError> {
    let common = o.common(demers::NODES_MAX)?;
    let variant = o.choice(
        "variant",
        Variant::Push,
        &[("push", Variant::Push), ("pull", Variant::Pull)],
    )?;
    let (counting, removal) = o.choice(
        "stop",
        (Counting::Feedback, Removal::Counter),
        &[
            ("feedback-counter", (Counting::Feedback, Removal::Counter)),
            ("feedback-coin", (Counting::Feedback, Removal::Coin)),
            ("blind-counter", (Counting::Blind, Removal::Counter)),
            ("blind-coin", (Counting::Blind, Removal::Coin)),
        ],
    )?;
    let k = o.int("k", 1u32, 1, demers::K_MAX)?;
    let base = DemersConfig::demers(common.nodes, variant, counting, removal, k);
    let schedule = o.choice("schedule", base.schedule, SCHEDULES)?;
    let reset = o.choice("reset", base.reset, RESETS)?;
    o.finish("rumor")?;
    let config = DemersConfig {
        schedule,
        reset,
        seed: common.seed,
        ..base
    };
    Ok(Sweep {
        common,
        config,
        variant,
        counting,
        removal,
        k,
    })
}

/// Runs the sweep's trials on its threads; their outcomes in index order, and the curve.
fn trials(sweep: &Sweep) -> Result<(Outcomes, Curve), UsageError> {
    let Common {
        nodes,
        trials,
        seed,
        format,
        threads,
    } = sweep.common;
    // One runner (its buffers) per thread, all validated here.
    let runners = (0..threads)
        .map(|_| demers::DemersRun::new(sweep.config))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError(e.to_string()))?;
    let n = f64::from(nodes);
    let parts = run_split(runners, trials, |mut runner, range| {
        let mut curve: Curve = Vec::new();
        let mut done = Vec::with_capacity(range.len());
        for t in range {
            let trial_seed =
                gossip_core::rng::derive(seed, gossip_core::rng::Stream::Trial, u64::from(t));
            let mut last_informed = 1.0 / n;
            let out = runner.run_observed(trial_seed, |c| {
                if format == Format::Csv {
                    let i = c.cycle as usize;
                    if curve.len() <= i {
                        curve.resize(i + 1, (0, 0));
                    }
                    curve[i].0 += u64::from(c.informed);
                    curve[i].1 += u64::from(c.infective);
                    last_informed = f64::from(c.informed) / n;
                }
            });
            done.push((out, last_informed));
        }
        (done, curve)
    });
    let mut outcomes = Vec::with_capacity(trials as usize);
    let mut curve: Curve = Vec::new();
    for (mut done, part_curve) in parts {
        outcomes.append(&mut done);
        if curve.len() < part_curve.len() {
            curve.resize(part_curve.len(), (0, 0));
        }
        for (c, p) in curve.iter_mut().zip(part_curve) {
            *c = (c.0 + p.0, c.1 + p.1);
        }
    }
    Ok((outcomes, curve))
}

/// The rule's name, e.g. `push feedback-counter`.
fn label(v: Variant, c: Counting, r: Removal) -> String {
    let variant = if v == Variant::Push { "push" } else { "pull" };
    let counting = if c == Counting::Feedback {
        "feedback"
    } else {
        "blind"
    };
    let removal = if r == Removal::Counter {
        "counter"
    } else {
        "coin"
    };
    format!("{variant} {counting}-{removal}")
}

/// The sweep's output in the format asked for.
fn report(sweep: &Sweep, outcomes: &Outcomes, curve: &Curve) -> String {
    let Common {
        nodes,
        trials,
        seed,
        format,
        ..
    } = sweep.common;
    let (k, schedule, reset) = (sweep.k, sweep.config.schedule, sweep.config.reset);
    let s: Vec<f64> = outcomes.iter().map(|o| o.0.residue).collect();
    let m: Vec<f64> = outcomes.iter().map(|o| o.0.traffic).collect();
    let t_ave: Vec<f64> = outcomes.iter().map(|o| o.0.t_ave).collect();
    let t_last: Vec<f64> = outcomes.iter().map(|o| f64::from(o.0.t_last)).collect();
    let label = label(sweep.variant, sweep.counting, sweep.removal);
    match format {
        Format::Json => {
            let v = json!({
                "command": "rumor",
                "config": {
                    "variant": if sweep.variant == Variant::Push { "push" } else { "pull" },
                    "stop": label.split(' ').nth(1),
                    "k": k, "nodes": nodes, "trials": trials, "seed": seed,
                    "schedule": name_of(SCHEDULES, schedule), "reset": name_of(RESETS, reset),
                },
                "s": summary_json(&s),
                "m": summary_json(&m),
                "t_ave": summary_json(&t_ave),
                "t_last": summary_json(&t_last),
            });
            format!("{v}\n")
        }
        Format::Csv => csv(nodes, trials, outcomes, curve),
        Format::Text => {
            let mut out = format!(
                "rumor: {label}, k {k}, {nodes} nodes, {trials} trials, seed {seed}, \
                 schedule {}, reset {}\n",
                name_of(SCHEDULES, schedule),
                name_of(RESETS, reset)
            );
            out += &summary_text("residue s", &s);
            out += &summary_text("traffic m", &m);
            out += &summary_text("t_ave", &t_ave);
            out += &summary_text("t_last", &t_last);
            out
        }
    }
}

/// The per-cycle curve averaged over the trials (see the help's csv columns).
fn csv(nodes: u32, trials: u32, outcomes: &Outcomes, curve: &Curve) -> String {
    let n = f64::from(nodes);
    let mut out = String::from("cycle,informed_mean,infective_mean\n");
    let t = f64::from(trials);
    let _ = writeln!(out, "0,{},{}", 1.0 / n, 1.0 / n);
    // A trial that ended before cycle i keeps its final informed fraction there.
    let mut ended: Vec<(u32, f64)> = outcomes.iter().map(|o| (o.0.cycles, o.1)).collect();
    ended.sort_by_key(|e| e.0);
    for (i, &(informed, infective)) in curve.iter().enumerate().skip(1) {
        let (informed, infective) = (informed as f64 / n, infective as f64 / n);
        let done: f64 = ended
            .iter()
            .filter(|e| (e.0 as usize) < i)
            .map(|e| e.1)
            .sum();
        let _ = writeln!(out, "{i},{},{}", (informed + done) / t, infective / t);
    }
    out
}
