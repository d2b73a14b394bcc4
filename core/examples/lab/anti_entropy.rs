//! `lab anti-entropy`: a cluster partitioned in two halves with writes on both sides, healed,
//! repaired by anti-entropy sessions (`gossip_core::node::anti_entropy`) after the rumors of
//! the writes died out (push rumor mongering, feedback, counter 1): per strategy, the rounds
//! from the heal until every live node holds every newest version, and the bytes spent.
//!
//! Trial `t` runs the cluster with seed `Rng::stream(S, Trial, t)`'s first output; every
//! strategy runs the same trial seeds, scripts and writes.

use std::fmt::Write as _;

use gossip_core::node::{AntiEntropyConfig, Exchange, Mode, RumorConfig, RumorFeedback, RumorStop};
use gossip_core::reconcile::{Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::script::{decode, ScriptLimits};
use gossip_core::sim::{Cluster, ClusterConfig};
use serde_json::{json, Map, Value};

use crate::options::{Format, Options, UsageError};
use crate::trials::{summary_json, summary_text};

/// This command's section of `--help`.
pub const HELP: &str = "\
ANTI-ENTROPY OPTIONS (lab anti-entropy: a partition with writes on both sides, healed):
    --nodes N        cluster size, 2 to 200 [default: 20]; halves {0..N/2-1} | {N/2..N-1}
    --writes W       writes per side, 1 to 50 [default: 5]: round 2i+1 node 0 writes key ki,
                     round 2i+2 node N-1 writes it too (both sides hold a version of every key)
    --every E        a node starts one session every E gossip intervals, 1 to 64 [default: 2]
    --rounds R       rounds after the heal to wait for repair, 1 to 1000 [default: 200]
    --trials T       1 to 1000 [default: 10]
    --seed S         [default: 0]
    --format F       json | text [default: text]
  The partition is set at round 0 and healed at round 2W+2 (after the last write); one round
  is one gossip interval. Strategies: full, digest, merkle (4 x 4), rateless.
  metrics, per strategy, each as mean, sd, se, p50, p95, max over the trials:
    rounds_to_repair  rounds from the heal round (exclusive) to the first round at whose end
                     every live node holds the newest version of every key; a trial that never
                     gets there within R rounds counts R + 1 (and is counted in unrepaired)
    ae_bytes         bytes of anti-entropy session messages sent by all nodes over the same
                     rounds (the clock starts after the heal round and stops at repair)
    bytes            bytes of every message sent by all nodes over those rounds
    sessions         anti-entropy sessions started over those rounds
    entries_repaired entries anti-entropy sessions delivered that were new, over those rounds
    unrepaired       trials not repaired within R rounds (one value a trial: 0 or 1)

";

struct Sweep {
    nodes: u32,
    writes: u32,
    every: u32,
    rounds: u32,
    trials: u32,
    seed: u64,
    format: Format,
}

const STRATEGIES: [Strategy; 4] = [
    Strategy::Full,
    Strategy::Digest,
    Strategy::Merkle(TreeShape {
        branching: 4,
        depth: 4,
    }),
    Strategy::Rateless,
];

const METRICS: [&str; 6] = [
    "rounds_to_repair",
    "ae_bytes",
    "bytes",
    "sessions",
    "entries_repaired",
    "unrepaired",
];

/// Runs `lab anti-entropy` with the options left after the command name.
pub fn run(mut o: Options) -> Result<String, UsageError> {
    let sweep = Sweep {
        nodes: o.int("nodes", 20u32, 2, 200)?,
        writes: o.int("writes", 5u32, 1, 50)?,
        every: o.int("every", 2u32, 1, 64)?,
        rounds: o.int("rounds", 200u32, 1, 1000)?,
        trials: o.int("trials", 10u32, 1, 1000)?,
        seed: o.int("seed", 0u64, 0, u64::MAX)?,
        format: o.choice(
            "format",
            Format::Text,
            &[("json", Format::Json), ("text", Format::Text)],
        )?,
    };
    o.finish("anti-entropy")?;
    let mut results = Vec::new();
    for s in STRATEGIES {
        let mut per_metric = vec![Vec::new(); METRICS.len()];
        for t in 0..sweep.trials {
            let seed = Rng::stream(sweep.seed, Stream::Trial, t.into()).next_u64();
            for (m, v) in per_metric.iter_mut().zip(trial(&sweep, s, seed)?) {
                m.push(v);
            }
        }
        results.push((s, per_metric));
    }
    Ok(report(&sweep, &results))
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

// One trial: the metrics in `METRICS` order.
fn trial(sweep: &Sweep, strategy: Strategy, seed: u64) -> Result<[f64; 6], UsageError> {
    let mut config = ClusterConfig::new(sweep.nodes, seed);
    config.node.mode = Mode::Rumor(RumorConfig {
        exchange: Exchange::Push,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(1),
    });
    config.node.anti_entropy = Some(AntiEntropyConfig {
        strategy,
        every_intervals: sweep.every,
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
    let heal = heal_round(sweep);
    c.step_rounds(heal as u32 + 1);
    let keys = sweep.writes as usize;
    let (mut rounds, mut sums) = (0u32, [0u64; 4]);
    let mut repaired = false;
    while rounds < sweep.rounds && !repaired {
        c.step_rounds(1);
        rounds += 1;
        let r = c.records().last().expect("a round was recorded");
        sums[0] += r.anti_entropy.bytes_sent;
        sums[1] += r.bytes_sent;
        sums[2] += r.anti_entropy.sessions_started;
        sums[3] += r.anti_entropy.entries_repaired;
        repaired = r.coverage.len() == keys && r.coverage.iter().all(|k| k.holders == r.live_nodes);
    }
    let to_repair = if repaired { rounds } else { sweep.rounds + 1 };
    Ok([
        f64::from(to_repair),
        sums[0] as f64,
        sums[1] as f64,
        sums[2] as f64,
        sums[3] as f64,
        f64::from(u8::from(!repaired)),
    ])
}

type Results = Vec<(Strategy, Vec<Vec<f64>>)>;

fn report(sweep: &Sweep, results: &Results) -> String {
    match sweep.format {
        Format::Json => {
            let mut strategies = Vec::new();
            for (s, ms) in results {
                let mut m = Map::new();
                m.insert("strategy".into(), json!(s.name()));
                for (name, v) in METRICS.iter().zip(ms) {
                    m.insert((*name).into(), summary_json(v));
                }
                strategies.push(Value::Object(m));
            }
            let v = json!({
                "command": "anti-entropy", "nodes": sweep.nodes, "writes": sweep.writes,
                "every": sweep.every, "rounds": sweep.rounds, "trials": sweep.trials,
                "seed": sweep.seed, "heal_round": heal_round(sweep), "strategies": strategies,
            });
            format!("{v}\n")
        }
        _ => {
            let mut out = format!(
                "anti-entropy: nodes {}, writes {} per side, every {}, healed at round {}, trials {}, seed {}\n",
                sweep.nodes, sweep.writes, sweep.every, heal_round(sweep), sweep.trials, sweep.seed
            );
            for (s, ms) in results {
                let _ = writeln!(out, "{}:", s.name());
                for (name, v) in METRICS.iter().zip(ms) {
                    out.push_str(&summary_text(name, v));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::options::run_args;

    fn lab(line: &str) -> Result<String, String> {
        run_args(super::run, &line.split_whitespace().collect::<Vec<_>>())
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
        }
    }
}
