//! `lab anti-entropy`: a cluster partitioned in two halves with writes on both sides, healed,
//! repaired by anti-entropy sessions (`gossip_core::node::anti_entropy`) after the rumors of
//! the writes died out (push rumor mongering, feedback, counter 1): per strategy, the rounds
//! from the heal until every live node holds every newest version, the bytes spent each way,
//! and the sessions started, completed and abandoned (by reason).
//!
//! Trial `t` runs the cluster with seed `Rng::stream(S, Trial, t)`'s first output; every
//! strategy runs the same trial seeds, scripts and writes.

use std::fmt::Write as _;

use gossip_core::node::{
    AntiEntropyConfig, AntiEntropyCounters, Exchange, Mode, RumorConfig, RumorFeedback, RumorStop,
};
use gossip_core::reconcile::{AbandonReason, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::script::{decode, ScriptLimits};
use gossip_core::sim::{Cluster, ClusterConfig};
use serde_json::json;

use crate::options::{Format, Options, UsageError};
use crate::trials::{groups_csv, groups_json, groups_text, Group};

/// This command's section of `--help`.
pub const HELP: &str = "\
ANTI-ENTROPY OPTIONS (lab anti-entropy: a partition with writes on both sides, healed):
    --nodes N        cluster size, 2 to 200 [default: 20]; halves {0..N/2-1} | {N/2..N-1}
    --writes W       writes per side, 1 to 50 [default: 5]: round 2i+1 node 0 writes key ki,
                     round 2i+2 node N-1 writes it too (both sides hold a version of every key)
    --strategy S     merkle | digest | full | rateless | all [default: all = full, digest,
                     merkle, rateless]
    --branching B    the Merkle tree's branching, 2 to 1024 [default: 4]
    --depth L        its levels below the root, 1 to 24, with B^L at most 2^20 [default: 4]
    --every E        a node starts one session every E gossip intervals, 1 to 64 [default: 2]
    --sessions-max M  most sessions open at a node (initiator and responder together), 1 to
                     1024 [default: 8]; a request beyond it is refused with a refusal message
    --rumor-repairs R  off | on [default: off]: on, a repair becomes a hot rumor at the node
                     it repaired (AntiEntropyConfig::rumor_repairs)
    --rounds R       rounds after the heal to wait for repair, 1 to 1000 [default: 200]
    --trials T       1 to 1000 [default: 10]
    --seed S         [default: 0]
    --format F       json | csv | text [default: text]
  The partition is set at round 0 and healed at round 2W+2 (after the last write); one round
  is one gossip interval. Every metric below has one value a trial, summed over all nodes,
  and is summarized per strategy as mean, sd, se, p50, p95, max over the trials. The clock of
  every metric but rounds_to_repair starts at the first round after the heal round and stops
  at the end of the round that repairs (or after R rounds): what the repair cost, not what
  the sessions during the partition cost.
  metrics:
    rounds_to_repair  rounds from the heal round (exclusive) to the first round at whose end
                     every live node holds the newest version of every key; a trial that never
                     gets there within R rounds counts R + 1 (and is counted in unrepaired)
    ae_bytes         bytes of anti-entropy session messages sent (kind byte, session number
                     and body), both ways
    ae_bytes_initiator  the part of ae_bytes sent by the nodes that started the sessions
    ae_bytes_responder  the part of ae_bytes sent by the nodes that answered them
    bytes            bytes of every message sent (anti-entropy, dissemination, membership)
    sessions_started  sessions started by initiators
    sessions_completed  sessions that finished, counted at each side that finished (so a
                     session both sides finish counts 2)
    abandoned_timeout  sessions a side abandoned because they outlived session_timeout_ticks
    abandoned_<reason>  sessions a side abandoned because a message failed with that reason
                     (decode, wrong_strategy, out_of_order, shape_mismatch, no_such_position,
                     limit_exceeded, bad_limits, bad_shape, tree_missing, never_peeled,
                     not_built, undecodable, version_ahead, refused; see
                     reconcile::AbandonReason; refused: the responder was busy and said so)
    refused_busy     sessions not started, or refused when asked for, because sessions_max
                     were open
    starts_backed_off  due session starts skipped by nodes backing off after a refusal
    entries_repaired entries anti-entropy sessions delivered that were new where they arrived
    unrepaired       trials not repaired within R rounds (one value a trial: 0 or 1)
  csv columns: strategy, metric, mean, sd, se, p50, p95, max (one row a metric).

";

struct Sweep {
    nodes: u32,
    writes: u32,
    strategies: Vec<Strategy>,
    shape: TreeShape,
    every: u32,
    sessions_max: u32,
    rumor_repairs: bool,
    rounds: u32,
    trials: u32,
    seed: u64,
    format: Format,
}

/// One trial's outcome: the rounds to repair (R + 1 if not repaired), whether it repaired,
/// and the anti-entropy and message totals over the measured rounds.
struct Outcome {
    rounds: u32,
    repaired: bool,
    ae: AntiEntropyCounters,
    bytes: u64,
}

/// Runs `lab anti-entropy` with the options left after the command name.
pub fn run(o: Options) -> Result<String, UsageError> {
    let sweep = options(o)?;
    let mut groups = Vec::new();
    for &s in &sweep.strategies {
        let mut outcomes = Vec::new();
        for t in 0..sweep.trials {
            let seed = Rng::stream(sweep.seed, Stream::Trial, t.into()).next_u64();
            outcomes.push(trial(&sweep, s, seed)?);
        }
        groups.push(group(s, &outcomes));
    }
    Ok(report(&sweep, &groups))
}

fn options(mut o: Options) -> Result<Sweep, UsageError> {
    let nodes = o.int("nodes", 20u32, 2, 200)?;
    let writes = o.int("writes", 5u32, 1, 50)?;
    let (strategies, shape) = o.strategies(4, 4)?;
    let every = o.int("every", 2u32, 1, 64)?;
    let sessions_max = o.int("sessions-max", 8u32, 1, 1024)?;
    let rumor_repairs = o.choice("rumor-repairs", false, &[("off", false), ("on", true)])?;
    let rounds = o.int("rounds", 200u32, 1, 1000)?;
    let trials = o.int("trials", 10u32, 1, 1000)?;
    let seed = o.int("seed", 0u64, 0, u64::MAX)?;
    let format = o.format(Format::Text)?;
    o.finish("anti-entropy")?;
    Ok(Sweep {
        nodes,
        writes,
        strategies,
        shape,
        every,
        sessions_max,
        rumor_repairs,
        rounds,
        trials,
        seed,
        format,
    })
}

fn script(sweep: &Sweep) -> String {
    let (n, half) = (sweep.nodes, sweep.nodes / 2);
    let mut s = format!("p0-{}~{}-{}", half - 1, half, n - 1);
    for i in 0..sweep.writes {
        let _ = write!(s, "_{}w0.k{i}.a_{}w{}.k{i}.b", 2 * i + 1, 2 * i + 2, n - 1);
    }
    let _ = write!(s, "_{}h", heal_round(sweep));
    s
}

fn heal_round(sweep: &Sweep) -> u64 {
    2 * u64::from(sweep.writes) + 2
}

fn cluster(sweep: &Sweep, strategy: Strategy, seed: u64) -> Result<Cluster, UsageError> {
    let mut config = ClusterConfig::new(sweep.nodes, seed);
    config.node.mode = Mode::Rumor(RumorConfig {
        exchange: Exchange::Push,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(1),
    });
    config.node.anti_entropy = Some(AntiEntropyConfig {
        strategy,
        every_intervals: sweep.every,
        sessions_max: sweep.sessions_max,
        rumor_repairs: sweep.rumor_repairs,
        ..AntiEntropyConfig::default()
    });
    config.records_max = config.records_max.max(sweep.rounds + 64 + 2 * sweep.writes);
    let mut c = Cluster::new(config).map_err(|e| UsageError(format!("{e:?}")))?;
    let actions = decode(&script(sweep), &ScriptLimits::for_cluster(&config))
        .map_err(|e| UsageError(format!("script: {e:?}")))?;
    for (round, action) in actions {
        c.schedule(round, action)
            .map_err(|e| UsageError(format!("{e:?}")))?;
    }
    Ok(c)
}

// One trial: runs through the heal round, then measures round by round until repaired.
fn trial(sweep: &Sweep, strategy: Strategy, seed: u64) -> Result<Outcome, UsageError> {
    let mut c = cluster(sweep, strategy, seed)?;
    c.step_rounds(heal_round(sweep) as u32 + 1);
    let keys = sweep.writes as usize;
    let mut out = Outcome {
        rounds: 0,
        repaired: false,
        ae: AntiEntropyCounters::default(),
        bytes: 0,
    };
    while out.rounds < sweep.rounds && !out.repaired {
        c.step_rounds(1);
        out.rounds += 1;
        let r = c.records().last().expect("a round was recorded");
        out.ae.add(&r.anti_entropy);
        out.bytes += r.bytes_sent;
        out.repaired =
            r.coverage.len() == keys && r.coverage.iter().all(|k| k.holders == r.live_nodes);
    }
    if !out.repaired {
        out.rounds = sweep.rounds + 1;
    }
    Ok(out)
}

type Extract = fn(&Outcome) -> u64;
const METRICS: &[(&str, Extract)] = &[
    ("rounds_to_repair", |o| o.rounds.into()),
    ("ae_bytes", |o| o.ae.bytes_sent),
    ("ae_bytes_initiator", |o| {
        o.ae.bytes_sent - o.ae.bytes_sent_as_responder
    }),
    ("ae_bytes_responder", |o| o.ae.bytes_sent_as_responder),
    ("bytes", |o| o.bytes),
    ("sessions_started", |o| o.ae.sessions_started),
    ("sessions_completed", |o| o.ae.sessions_completed),
    ("abandoned_timeout", |o| o.ae.abandoned_timeout),
];
const METRICS_AFTER: &[(&str, Extract)] = &[
    ("refused_busy", |o| o.ae.refused_busy),
    ("starts_backed_off", |o| o.ae.starts_backed_off),
    ("entries_repaired", |o| o.ae.entries_repaired),
    ("unrepaired", |o| (!o.repaired).into()),
];

// Every metric of one strategy, in `--help` order: the abandon reasons between the fixed ones.
fn group(strategy: Strategy, outcomes: &[Outcome]) -> Group {
    let values = |f: &dyn Fn(&Outcome) -> u64| outcomes.iter().map(|o| f(o) as f64).collect();
    let fixed = |list: &[(&str, Extract)]| -> Vec<(String, Vec<f64>)> {
        list.iter()
            .map(|(n, f)| (n.to_string(), values(f)))
            .collect()
    };
    let reasons = AbandonReason::ALL.iter().map(|&r| {
        let by = move |o: &Outcome| o.ae.abandoned_by_reason[r as usize];
        (format!("abandoned_{}", r.name()), values(&by))
    });
    let mut metrics = fixed(METRICS);
    metrics.extend(reasons);
    metrics.extend(fixed(METRICS_AFTER));
    Group {
        name: strategy.name(),
        metrics,
    }
}

fn report(sweep: &Sweep, groups: &[Group]) -> String {
    let (b, l) = (sweep.shape.branching, sweep.shape.depth);
    let repairs = if sweep.rumor_repairs { "on" } else { "off" };
    match sweep.format {
        Format::Json => {
            let v = json!({
                "command": "anti-entropy", "nodes": sweep.nodes, "writes": sweep.writes,
                "branching": b, "depth": l, "every": sweep.every,
                "sessions_max": sweep.sessions_max, "rumor_repairs": repairs,
                "rounds": sweep.rounds, "trials": sweep.trials, "seed": sweep.seed,
                "heal_round": heal_round(sweep), "strategies": groups_json("strategy", groups),
            });
            format!("{v}\n")
        }
        Format::Csv => groups_csv("strategy", groups),
        Format::Text => {
            let mut out = format!(
                "anti-entropy: nodes {}, writes {} per side, tree {b} x {l}, every {}, sessions max {}, rumor repairs {repairs}, healed at round {}, trials {}, seed {}\n",
                sweep.nodes, sweep.writes, sweep.every, sweep.sessions_max, heal_round(sweep), sweep.trials, sweep.seed
            );
            out += &groups_text(groups);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::options::run_line;

    fn lab(line: &str) -> Result<String, String> {
        run_line(super::run, line)
    }

    #[test]
    fn every_strategy_repairs_the_healed_partition() {
        let out = lab("--nodes 10 --writes 2 --trials 2 --format json").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let s = v["strategies"].as_array().unwrap();
        assert_eq!(s.len(), 4);
        for x in s {
            assert_eq!(x["unrepaired"]["max"], 0.0, "{out}");
            assert!(x["ae_bytes"]["mean"].as_f64().unwrap() > 0.0, "{out}");
            assert!(
                x["entries_repaired"]["mean"].as_f64().unwrap() > 0.0,
                "{out}"
            );
            // Each way adds up to the total, and nothing was abandoned in a clean run.
            let mean = |m: &str| x[m]["mean"].as_f64().unwrap();
            let ways = mean("ae_bytes_initiator") + mean("ae_bytes_responder");
            assert!((ways - mean("ae_bytes")).abs() < 1e-9, "{out}");
            assert!(mean("ae_bytes_responder") > 0.0, "{out}");
            assert!(mean("sessions_completed") > 0.0, "{out}");
            assert_eq!(mean("abandoned_version_ahead"), 0.0, "{out}");
        }
    }

    #[test]
    fn one_strategy_as_csv_has_a_row_for_every_metric_the_help_defines() {
        let out = lab("--nodes 6 --writes 1 --trials 2 --strategy merkle --format csv").unwrap();
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("strategy,metric,mean,sd,se,p50,p95,max"));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(
            rows.len(),
            12 + gossip_core::reconcile::AbandonReason::ALL.len()
        );
        for row in &rows {
            let cells: Vec<&str> = row.split(',').collect();
            assert_eq!((cells[0], cells.len()), ("merkle", 8), "{row}");
            let metric = cells[1];
            // Each reason is named in the help's list; every other metric has its own entry.
            let defined = match metric.strip_prefix("abandoned_") {
                Some(r) if r != "timeout" => {
                    super::HELP.contains(&format!("{r},")) || super::HELP.contains(&format!("{r};"))
                }
                _ => {
                    super::HELP.contains(&format!("    {metric} "))
                        || super::HELP.contains(&format!("    {metric},"))
                }
            };
            assert!(defined, "{metric} is not defined in --help");
        }
    }

    #[test]
    fn a_busy_cluster_refuses_backs_off_and_still_repairs() {
        let out = lab("--nodes 10 --writes 2 --trials 2 --every 1 --sessions-max 1 --strategy digest --format json")
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["sessions_max"], 1);
        let x = &v["strategies"][0];
        let mean = |m: &str| x[m]["mean"].as_f64().unwrap();
        assert_eq!(x["unrepaired"]["max"], 0.0, "{out}");
        assert!(mean("refused_busy") > 0.0, "{out}");
        assert!(mean("abandoned_refused") > 0.0, "{out}");
        assert!(mean("starts_backed_off") > 0.0, "{out}");
        assert!(lab("--sessions-max 0")
            .unwrap_err()
            .contains("--sessions-max"));
    }

    #[test]
    fn a_bad_strategy_or_tree_is_an_error_naming_the_option() {
        assert!(lab("--strategy bloom").unwrap_err().contains("--strategy"));
        assert!(lab("--branching 1024 --depth 3")
            .unwrap_err()
            .contains("leaves"));
    }
}
