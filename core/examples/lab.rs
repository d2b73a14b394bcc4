//! The headless lab: runs many trials of a gossip model and prints their statistics.
//!
//! ```text
//! cargo run --release -p gossip-core --example lab -- dissemination --mode push-pull --nodes 100000
//! cargo run --release -p gossip-core --example lab -- rumor --variant push --k 2 --trials 2000
//! cargo run --release -p gossip-core --example lab -- --help
//! ```
//!
//! Arguments are parsed by hand (no clap) to keep the build lean; every value is checked against
//! a named limit, and a bad option or value is reported on stderr with exit code 2.
//!
//! Trials run on `--threads` threads (default: every core). Each trial's seed is derived from
//! its index, each thread runs a contiguous range of indices with its own buffers, and the
//! results are put back in index order and summed in integers, so the output is byte for byte
//! the same whatever the thread count (`cargo test -p gossip-core --example lab` checks it).

use std::fmt::Write as _;
use std::ops::Range;
use std::process::ExitCode;

use gossip_core::kernel::demers::{
    self as rumor, CounterReset, Counting, DemersConfig as RumorConfig, Removal, Schedule, Variant,
};
use gossip_core::kernel::epidemic::{
    self as epidemic, KernelConfig as SpreadConfig, KernelMode as Mode, KernelRound as RoundRecord,
    Trials,
};
use gossip_core::rng::Probability;
use gossip_core::stats::Summary;
use serde_json::{json, Value};

/// The most trials one invocation runs: a sweep is meant to finish in minutes, not days.
const TRIALS_MAX: u32 = 100_000;
/// The most node-trials one invocation may ask for (trials times nodes), for both commands: it
/// bounds the memory of the per-trial results and, for rumor mongering (whose runs end within
/// a few times `k log n` cycles, `k` at most 64), the work.
const NODE_TRIALS_MAX: u64 = 10_000_000_000;
/// The most peer contacts one dissemination invocation may need in the worst case, every trial
/// running to `--rounds-max`: `nodes * fanout * rounds_max * trials` (each round a node makes at
/// most `fanout` contacts). About five minutes of one core at about 3 ns per contact; a trial
/// normally stops long before its round limit, as soon as every node is informed.
const CONTACTS_MAX: u64 = 100_000_000_000;
/// The default limit on rounds per dissemination trial is this many times Pittel's
/// `log2 n + ln n`, divided by `1 - loss` (a lost message is a wasted contact): far above what a
/// trial needs, so a trial that hits it (reported as incomplete) signals a real anomaly.
const ROUNDS_MAX_DEFAULT_FACTOR: f64 = 8.0;
/// The most threads one invocation starts.
const THREADS_MAX: u32 = 64;

const USAGE: &str = "\
lab: run trials of a gossip model and print their statistics

USAGE:
    lab dissemination [options]    push / pull / push-pull spread of one rumor to every node
    lab rumor [options]            rumor mongering with loss of interest (Demers et al. 1987)
    lab --help                     this text

COMMON OPTIONS:
    --nodes N        cluster size (dissemination: 2 to 16777216; rumor: 2 to 4194304)
                     [default: 1000]
    --trials T       independent trials, 1 to 100000 (and trials x nodes at most 10^10)
                     [default: 100]
    --seed S         the sweep's seed, 0 to 2^64-1; trial t uses derive(S, Trial, t)
                     [default: 0]
    --threads J      threads to run trials on, 1 to 64 [default: the number of cores];
                     the output does not depend on it
    --format F       json | csv | text [default: text]
                     json: one object with mean, sd, se, p50, p95, max of each measure
                     csv:  the per-round curve, averaged over trials (see below)
                     text: a readable summary

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

EXIT CODES: 0 success, 2 bad option or value.
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

/// The command-line spelling of `value` in `table`.
fn name_of<T: PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("?", |(n, _)| n)
}

/// A command-line mistake: printed on stderr, exit code 2.
struct UsageError(String);

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Text,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(UsageError(msg)) => {
            eprintln!("lab: error: {msg}\nRun `lab --help` for the options.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, UsageError> {
    let Some(command) = args.first() else {
        return Err(UsageError("missing command: dissemination or rumor".into()));
    };
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        return Ok(USAGE.to_string());
    }
    // `--help` or `-h` where an option name is expected asks for help; as an option's value
    // (`--loss --help`) it is an error of that option, reported by `Options::parse`.
    let mut names = args[1..].iter();
    while let Some(a) = names.next() {
        if a == "--help" || a == "-h" {
            return Ok(USAGE.to_string());
        }
        if a.starts_with("--") && !a.contains('=') {
            names.next();
        }
    }
    let opts = Options::parse(&args[1..])?;
    match command.as_str() {
        "dissemination" => dissemination(opts),
        "rumor" => rumor_cmd(opts),
        other => Err(UsageError(format!(
            "unknown command '{other}': expected dissemination or rumor"
        ))),
    }
}

/// `--name value` pairs, consumed by the command that knows them; leftovers are errors.
struct Options {
    pairs: Vec<(String, String, bool)>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, UsageError> {
        let mut pairs = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                return Err(UsageError(format!(
                    "unexpected argument '{a}': options are --name value"
                )));
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let v = it
                        .next()
                        .ok_or_else(|| UsageError(format!("--{name} needs a value")))?;
                    // No value of ours starts with `--` (negative numbers have one dash):
                    // this is an option given where the value should be.
                    if v.starts_with("--") || v == "-h" {
                        return Err(UsageError(format!(
                            "--{name} needs a value, got the option '{v}'"
                        )));
                    }
                    (name.to_string(), v.clone())
                }
            };
            if pairs
                .iter()
                .any(|(n, _, _): &(String, String, bool)| *n == name)
            {
                return Err(UsageError(format!("--{name} given twice")));
            }
            pairs.push((name, value, false));
        }
        Ok(Options { pairs })
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let p = self.pairs.iter_mut().find(|(n, _, _)| n == name)?;
        p.2 = true;
        Some(p.1.clone())
    }

    fn int<T>(&mut self, name: &str, default: T, min: T, max: T) -> Result<T, UsageError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        match v.parse::<T>() {
            Ok(x) if x >= min && x <= max => Ok(x),
            _ => Err(UsageError(format!(
                "--{name}: expected an integer from {min} to {max}, got '{v}'"
            ))),
        }
    }

    fn float(&mut self, name: &str, default: f64, min: f64, max: f64) -> Result<f64, UsageError> {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        match v.parse::<f64>() {
            // `+ 0.0` turns `-0` into `0`, so that it is echoed as `0`.
            Ok(x) if x >= min && x <= max => Ok(x + 0.0),
            _ => Err(UsageError(format!(
                "--{name}: expected a number from {min} to {max}, got '{v}'"
            ))),
        }
    }

    fn choice<T: Copy>(
        &mut self,
        name: &str,
        default: T,
        table: &[(&str, T)],
    ) -> Result<T, UsageError> {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        table
            .iter()
            .find(|(s, _)| *s == v)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = table.iter().map(|(s, _)| *s).collect();
                UsageError(format!(
                    "--{name}: expected one of {}, got '{v}'",
                    names.join(", ")
                ))
            })
    }

    /// Fails on any option the command did not read.
    fn finish(self, command: &str) -> Result<(), UsageError> {
        match self.pairs.iter().find(|(_, _, used)| !used) {
            Some((n, _, _)) => Err(UsageError(format!("unknown option --{n} for {command}"))),
            None => Ok(()),
        }
    }

    fn common(&mut self, nodes_max: u32) -> Result<Common, UsageError> {
        let nodes = self.int("nodes", 1000u32, 2, nodes_max)?;
        let trials = self.int("trials", 100u32, 1, TRIALS_MAX)?;
        let seed = self.int("seed", 0u64, 0, u64::MAX)?;
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get() as u32);
        let threads = self.int("threads", cores.min(THREADS_MAX), 1, THREADS_MAX)?;
        let format = self.choice(
            "format",
            Format::Text,
            &[
                ("json", Format::Json),
                ("csv", Format::Csv),
                ("text", Format::Text),
            ],
        )?;
        if u64::from(nodes) * u64::from(trials) > NODE_TRIALS_MAX {
            return Err(UsageError(format!(
                "--trials {trials} x --nodes {nodes} exceeds {NODE_TRIALS_MAX} node-trials"
            )));
        }
        Ok(Common {
            nodes,
            trials,
            seed,
            format,
            // A thread without a trial would only cost its start-up.
            threads: threads.min(trials),
        })
    }
}

/// The options every command takes.
struct Common {
    nodes: u32,
    trials: u32,
    seed: u64,
    format: Format,
    threads: u32,
}

/// Splits `0..trials` into one contiguous range per worker and runs `work(worker, range)` for
/// each on its own thread (inline when there is one worker); the results come back in range
/// order, so joining them gives the trials in index order.
fn run_split<W: Send, T: Send>(
    workers: Vec<W>,
    trials: u32,
    work: impl Fn(W, Range<u32>) -> T + Sync,
) -> Vec<T> {
    let k = workers.len() as u64;
    let bound = |i: u64| (u64::from(trials) * i / k) as u32;
    let mut ranges = (0..k).map(|i| bound(i)..bound(i + 1));
    if k == 1 {
        let w = workers.into_iter().next().expect("one worker");
        return vec![work(w, ranges.next().expect("one range"))];
    }
    std::thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = workers
            .into_iter()
            .zip(ranges)
            .map(|(w, r)| s.spawn(move || work(w, r)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

fn summary_json(values: &[f64]) -> Value {
    match Summary::of(values) {
        Some(s) => json!({
            "mean": s.mean, "sd": s.sd, "se": s.se, "p50": s.p50, "p95": s.p95, "max": s.max,
        }),
        None => Value::Null,
    }
}

fn summary_text(name: &str, values: &[f64]) -> String {
    match Summary::of(values) {
        Some(s) => format!(
            "{name:<22} mean {:>10.4}  sd {:>9.4}  se {:>9.4}  p50 {:>9.4}  p95 {:>9.4}  max {:>9.4}\n",
            s.mean, s.sd, s.se, s.p50, s.p95, s.max
        ),
        None => format!("{name:<22} (no values)\n"),
    }
}

fn dissemination(mut o: Options) -> Result<String, UsageError> {
    let Common {
        nodes,
        trials,
        seed,
        format,
        threads,
    } = o.common(epidemic::NODES_MAX)?;
    let mode = o.choice(
        "mode",
        Mode::Push,
        &[
            ("push", Mode::Push),
            ("pull", Mode::Pull),
            ("push-pull", Mode::PushPull),
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
    let config = SpreadConfig {
        nodes,
        fanout,
        mode,
        loss: Probability::from_f64(loss),
        seed,
    };
    // One sweep (its buffers) per thread, all validated here.
    let sweeps = (0..threads)
        .map(|_| Trials::new(config, trials, rounds_max))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError(e.to_string()))?;
    let parts = run_split(sweeps, trials, |mut sweep, range| {
        // Per round: the sum, min and max of the informed counts of the trials that ran it,
        // for the csv curve. Integers, so merging the threads' curves is exact.
        let mut curve: Vec<(u64, u32, u32)> = Vec::new();
        let outcomes = sweep.run_range(range, |_, r: &RoundRecord| {
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
    let mut curve: Vec<(u64, u32, u32)> = Vec::new();
    for (mut part, part_curve) in parts {
        outcomes.append(&mut part);
        if curve.len() < part_curve.len() {
            curve.resize(part_curve.len(), (0, u32::MAX, 0));
        }
        for (c, p) in curve.iter_mut().zip(part_curve) {
            *c = (c.0 + p.0, c.1.min(p.1), c.2.max(p.2));
        }
    }
    let n = f64::from(nodes);
    let complete: Vec<_> = outcomes.iter().filter(|o| o.complete).collect();
    let rounds: Vec<f64> = complete.iter().map(|o| f64::from(o.rounds)).collect();
    let per_node = |f: &dyn Fn(&epidemic::TrialOutcome) -> u64| -> Vec<f64> {
        outcomes.iter().map(|o| f(o) as f64 / n).collect()
    };
    let messages = per_node(&|o| o.messages);
    let duplicates = per_node(&|o| o.duplicates);
    let lost = per_node(&|o| o.lost);
    let mode_name = match mode {
        Mode::Push => "push",
        Mode::Pull => "pull",
        Mode::PushPull => "push-pull",
    };
    Ok(match format {
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
        Format::Csv => {
            let mut s = String::from("round,informed_mean,informed_min,informed_max\n");
            let t = f64::from(trials);
            let _ = writeln!(s, "0,{},{},{}", 1.0 / n, 1.0 / n, 1.0 / n);
            // Rounds are counted by how many trials reached them; the rest had completed.
            let mut reached = vec![0u32; curve.len()];
            for o in &outcomes {
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
    })
}

fn rumor_cmd(mut o: Options) -> Result<String, UsageError> {
    let Common {
        nodes,
        trials,
        seed,
        format,
        threads,
    } = o.common(rumor::NODES_MAX)?;
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
    let k = o.int("k", 1u32, 1, rumor::K_MAX)?;
    let base = RumorConfig::demers(nodes, variant, counting, removal, k);
    let schedule = o.choice("schedule", base.schedule, SCHEDULES)?;
    let reset = o.choice("reset", base.reset, RESETS)?;
    o.finish("rumor")?;
    let config = RumorConfig {
        schedule,
        reset,
        seed,
        ..base
    };
    // One runner (its buffers) per thread, all validated here.
    let runners = (0..threads)
        .map(|_| rumor::DemersRun::new(config))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError(e.to_string()))?;
    let n = f64::from(nodes);
    let parts = run_split(runners, trials, |mut runner, range| {
        // Per cycle: the sums of the informed and infective counts of the trials that ran it,
        // for the csv curve; integers, so merging the threads' curves is exact.
        let mut curve: Vec<(u64, u64)> = Vec::new();
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
    let mut finals = Vec::with_capacity(trials as usize);
    let mut outcomes = Vec::with_capacity(trials as usize);
    let mut curve: Vec<(u64, u64)> = Vec::new();
    for (done, part_curve) in parts {
        for (out, last_informed) in done {
            outcomes.push(out);
            finals.push(last_informed);
        }
        if curve.len() < part_curve.len() {
            curve.resize(part_curve.len(), (0, 0));
        }
        for (c, p) in curve.iter_mut().zip(part_curve) {
            *c = (c.0 + p.0, c.1 + p.1);
        }
    }
    let s: Vec<f64> = outcomes.iter().map(|o| o.residue).collect();
    let m: Vec<f64> = outcomes.iter().map(|o| o.traffic).collect();
    let t_ave: Vec<f64> = outcomes.iter().map(|o| o.t_ave).collect();
    let t_last: Vec<f64> = outcomes.iter().map(|o| f64::from(o.t_last)).collect();
    let name = |v: Variant, c: Counting, r: Removal| {
        format!(
            "{} {}-{}",
            if v == Variant::Push { "push" } else { "pull" },
            if c == Counting::Feedback {
                "feedback"
            } else {
                "blind"
            },
            if r == Removal::Counter {
                "counter"
            } else {
                "coin"
            }
        )
    };
    let label = name(variant, counting, removal);
    Ok(match format {
        Format::Json => {
            let v = json!({
                "command": "rumor",
                "config": {
                    "variant": if variant == Variant::Push { "push" } else { "pull" },
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
        Format::Csv => {
            let mut out = String::from("cycle,informed_mean,infective_mean\n");
            let t = f64::from(trials);
            let _ = writeln!(out, "0,{},{}", 1.0 / n, 1.0 / n);
            // A trial that ended before cycle i keeps its final informed fraction there.
            let mut ended: Vec<(u32, f64)> = outcomes
                .iter()
                .map(|o| o.cycles)
                .zip(finals.iter().copied())
                .collect();
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match run(&args) {
            Ok(out) => out,
            Err(UsageError(e)) => panic!("{line}: {e}"),
        }
    }

    fn usage_error(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match run(&args) {
            Ok(out) => panic!("{line}: expected an error, got {out}"),
            Err(UsageError(e)) => e,
        }
    }

    #[test]
    fn help_as_an_option_value_is_an_error_of_that_option() {
        assert_eq!(
            usage_error("dissemination --loss --help"),
            "--loss needs a value, got the option '--help'"
        );
        assert_eq!(
            usage_error("rumor --k -h"),
            "--k needs a value, got the option '-h'"
        );
        // In a name position it still asks for help.
        assert_eq!(lab("dissemination --nodes 10 --help"), USAGE);
        assert_eq!(lab("--help"), USAGE);
    }

    #[test]
    fn minus_zero_is_echoed_as_zero() {
        let out = lab("dissemination --nodes 50 --trials 2 --loss -0 --threads 1");
        assert!(out.contains("loss 0,"), "{out}");
        assert!(!out.contains("-0"), "{out}");
    }

    #[test]
    fn the_work_limit_counts_rounds_and_fanout_not_only_nodes_and_trials() {
        // Within the node-trials limit, over the contacts limit because of the rounds.
        let e = usage_error("dissemination --nodes 1000000 --trials 1000 --rounds-max 1000");
        assert!(e.contains("exceeds 100000000000 contacts"), "{e}");
        // The default round limit grows with loss: 8 (log2 n + ln n) / (1 - loss).
        let ok = lab("dissemination --nodes 100 --trials 1 --loss 0.5 --format json");
        assert!(ok.contains("\"rounds_max\":180"), "{ok}");
    }

    #[test]
    fn the_output_does_not_depend_on_the_thread_count() {
        for command in [
            "dissemination --mode push-pull --nodes 300 --trials 23 --seed 5 --format json",
            "dissemination --mode pull --nodes 300 --trials 23 --loss 0.2 --format csv",
            "rumor --variant pull --nodes 300 --trials 23 --format csv",
            "rumor --nodes 300 --trials 23 --k 2 --format json",
        ] {
            let one = lab(&format!("{command} --threads 1"));
            for threads in [2, 5, 64] {
                assert_eq!(
                    one,
                    lab(&format!("{command} --threads {threads}")),
                    "{command}"
                );
            }
        }
    }
}
