//! `lab dissemination`: push, pull or push-pull spread of one rumor, many trials of the fast
//! kernel, with rounds to full coverage, messages, duplicates and losses per node.

use std::fmt::Write as _;

use gossip_core::kernel::epidemic::{self, KernelConfig, KernelMode, KernelRound, Trials};
use gossip_core::rng::Probability;
use serde_json::json;

use crate::options::{Common, Format, Options, UsageError};
use crate::trials::{run_split, summary_json, summary_text};

/// This command's section of `--help`.
pub const HELP: &str = "\
DISSEMINATION OPTIONS:
    --mode M         push | pull | push-pull [default: push]
    --fanout K       distinct peers contacted per round, 1 to 16, below nodes [default: 1]
    --loss P         probability that each message is lost, 0 to 0.95 [default: 0]
    --rounds-max R   give up on a trial after R rounds, 1 to 1000000
                     [default: 8 (log2 N + ln N) / (1 - P), rounded up]
                     (and nodes x fanout x rounds-max x trials at most 10^11)
  measures: rounds to full coverage (over the trials that completed; the others are counted
  as incomplete), messages per node, duplicates per node, lost messages per node.
  csv columns: round, informed_mean, informed_min, informed_max (fractions of nodes; a
  trial that completed earlier counts as 1.0 in later rounds).

";

/// The most peer contacts one dissemination invocation may need in the worst case, every trial
/// running to `--rounds-max`: `nodes * fanout * rounds_max * trials` (each round a node makes at
/// most `fanout` contacts). About five minutes of one core at about 3 ns per contact; a trial
/// normally stops long before its round limit, as soon as every node is informed.
const CONTACTS_MAX: u64 = 100_000_000_000;
/// The default limit on rounds per dissemination trial is this many times Pittel's
/// `log2 n + ln n`, divided by `1 - loss` (a lost message is a wasted contact): far above what a
/// trial needs, so a trial that hits it (reported as incomplete) signals a real anomaly.
const ROUNDS_MAX_DEFAULT_FACTOR: f64 = 8.0;
/// One sweep as the options ask for it.
struct Sweep {
    common: Common,
    config: KernelConfig,
    loss: f64,
    rounds_max: u32,
}

/// Per round: the sum, min and max of the informed counts of the trials that ran it, for the
/// csv curve. Integers, so merging the threads' curves is exact.
type Curve = Vec<(u64, u32, u32)>;

/// Runs `lab dissemination` with the options left after the command name.
pub fn run(o: Options) -> Result<String, UsageError> {
    let sweep = options(o)?;
    let (outcomes, curve) = trials(&sweep)?;
    Ok(report(&sweep, &outcomes, &curve))
}

/// The sweep the options describe, every value and the work checked against its limit.
fn options(mut o: Options) -> Result<Sweep, UsageError> {
    let common = o.common(epidemic::NODES_MAX)?;
    let (nodes, trials) = (common.nodes, common.trials);
    let mode = o.choice(
        "mode",
        KernelMode::Push,
        &[
            ("push", KernelMode::Push),
            ("pull", KernelMode::Pull),
            ("push-pull", KernelMode::PushPull),
        ],
    )?;
    let fanout = o.int("fanout", 1u32, 1, epidemic::FANOUT_MAX as u32)?;
    let loss = o.float("loss", 0.0, 0.0, epidemic::LOSS_MAX)?;
    let n = f64::from(nodes);
    let rounds_default = (ROUNDS_MAX_DEFAULT_FACTOR * (n.log2() + n.ln()) / (1.0 - loss)).ceil();
    let rounds_default = (rounds_default as u32).clamp(1, epidemic::ROUNDS_MAX);
    let rounds_max = o.int("rounds-max", rounds_default, 1, epidemic::ROUNDS_MAX)?;
    o.finish("dissemination")?;
    if fanout >= nodes {
        return Err(UsageError(format!(
            "--fanout {fanout} must be below --nodes {nodes}"
        )));
    }
    let contacts = u64::from(nodes) * u64::from(fanout) * u64::from(rounds_max) * u64::from(trials);
    if contacts > CONTACTS_MAX {
        return Err(UsageError(format!(
            "--nodes {nodes} x --fanout {fanout} x --rounds-max {rounds_max} x --trials {trials} \
             exceeds {CONTACTS_MAX} contacts; lower one of them"
        )));
    }
    let config = KernelConfig {
        nodes,
        fanout,
        mode,
        loss: Probability::from_f64(loss),
        seed: common.seed,
    };
    Ok(Sweep {
        common,
        config,
        loss,
        rounds_max,
    })
}

/// Runs the sweep's trials on its threads; their outcomes in index order, and the curve.
fn trials(sweep: &Sweep) -> Result<(Vec<epidemic::TrialOutcome>, Curve), UsageError> {
    let Common {
        trials,
        format,
        threads,
        ..
    } = sweep.common;
    // One sweep (its buffers) per thread, all validated here.
    let runners = (0..threads)
        .map(|_| Trials::new(sweep.config, trials, sweep.rounds_max))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError(e.to_string()))?;
    let parts = run_split(runners, trials, |mut runner, range| {
        let mut curve: Curve = Vec::new();
        let outcomes = runner.run_range(range, |_, r: &KernelRound| {
            if format != Format::Csv {
                return;
            }
            let i = r.round as usize;
            if curve.len() <= i {
                curve.resize(i + 1, (0, u32::MAX, 0));
            }
            let c = &mut curve[i];
            c.0 += u64::from(r.informed);
            c.1 = c.1.min(r.informed);
            c.2 = c.2.max(r.informed);
        });
        (outcomes, curve)
    });
    let mut outcomes = Vec::with_capacity(trials as usize);
    let mut curve: Curve = Vec::new();
    for (mut part, part_curve) in parts {
        outcomes.append(&mut part);
        if curve.len() < part_curve.len() {
            curve.resize(part_curve.len(), (0, u32::MAX, 0));
        }
        for (c, p) in curve.iter_mut().zip(part_curve) {
            *c = (c.0 + p.0, c.1.min(p.1), c.2.max(p.2));
        }
    }
    Ok((outcomes, curve))
}

/// The sweep's output in the format asked for.
fn report(sweep: &Sweep, outcomes: &[epidemic::TrialOutcome], curve: &Curve) -> String {
    let Common {
        nodes,
        trials,
        seed,
        format,
        ..
    } = sweep.common;
    let (fanout, loss, rounds_max) = (sweep.config.fanout, sweep.loss, sweep.rounds_max);
    let n = f64::from(nodes);
    let complete: Vec<_> = outcomes.iter().filter(|o| o.complete).collect();
    let rounds: Vec<f64> = complete.iter().map(|o| f64::from(o.rounds)).collect();
    let per_node = |f: &dyn Fn(&epidemic::TrialOutcome) -> u64| -> Vec<f64> {
        outcomes.iter().map(|o| f(o) as f64 / n).collect()
    };
    let messages = per_node(&|o| o.messages);
    let duplicates = per_node(&|o| o.duplicates);
    let lost = per_node(&|o| o.lost);
    let mode_name = match sweep.config.mode {
        KernelMode::Push => "push",
        KernelMode::Pull => "pull",
        KernelMode::PushPull => "push-pull",
    };
    match format {
        Format::Json => {
            let v = json!({
                "command": "dissemination",
                "config": {
                    "mode": mode_name, "nodes": nodes, "fanout": fanout, "loss": loss,
                    "trials": trials, "seed": seed, "rounds_max": rounds_max,
                },
                "complete": complete.len(),
                "incomplete": outcomes.len() - complete.len(),
                "rounds": summary_json(&rounds),
                "messages_per_node": summary_json(&messages),
                "duplicates_per_node": summary_json(&duplicates),
                "lost_per_node": summary_json(&lost),
            });
            format!("{v}\n")
        }
        Format::Csv => csv(nodes, trials, outcomes, curve),
        Format::Text => {
            let mut s = format!(
                "dissemination: {mode_name}, {nodes} nodes, fanout {fanout}, loss {loss}, \
                 {trials} trials, seed {seed}\ncomplete: {} of {trials} within {rounds_max} rounds\n",
                complete.len()
            );
            s += &summary_text("rounds", &rounds);
            s += &summary_text("messages per node", &messages);
            s += &summary_text("duplicates per node", &duplicates);
            s += &summary_text("lost per node", &lost);
            s
        }
    }
}

/// The per-round curve averaged over the trials (see the help's csv columns).
fn csv(nodes: u32, trials: u32, outcomes: &[epidemic::TrialOutcome], curve: &Curve) -> String {
    let n = f64::from(nodes);
    let mut s = String::from("round,informed_mean,informed_min,informed_max\n");
    let t = f64::from(trials);
    let _ = writeln!(s, "0,{},{},{}", 1.0 / n, 1.0 / n, 1.0 / n);
    // Rounds are counted by how many trials reached them; the rest had completed.
    let mut reached = vec![0u32; curve.len()];
    for o in outcomes {
        for r in reached.iter_mut().take(o.rounds as usize + 1).skip(1) {
            *r += 1;
        }
    }
    for (i, &(sum, min, max)) in curve.iter().enumerate().skip(1) {
        // A trial that completed before round i counts as 1.0 there.
        let finished = f64::from(trials - reached[i]);
        let (sum, min, max) = (sum as f64 / n, f64::from(min) / n, f64::from(max) / n);
        let mean = (sum + finished) / t;
        let min = if reached[i] < trials {
            min.min(1.0)
        } else {
            min
        };
        let max = if reached[i] < trials { 1.0 } else { max };
        let _ = writeln!(s, "{i},{mean},{min},{max}");
    }
    s
}
