//! `lab merkle`: one reconciliation between two replicas that differ in `--diffs` random keys,
//! repeated over seeded trials, for each strategy of `gossip_core::reconcile`: round trips,
//! hashes, entries, unneeded entries and versions, and bytes, next to the expected-hash model
//! of `gossip_core::theory::merkle` and the byte models of `gossip_core::theory::reconcile`.
//!
//! A trial draws its pair from `Rng::stream(S, Trial, t)` through `reconcile::trial::Base::pair`
//! (which documents the differences); every strategy reconciles a copy of the *same* pair.
//! Trials run on one thread: a 2^20-key replica with its tree takes a few hundred MB, and each
//! strategy needs two copies of it.

use std::fmt::Write as _;

use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{
    reconcile_pair, ReconcileLimits, Report, Strategy, TreeShape, RATELESS_GROWTH_PERCENT_RANGE,
};
use gossip_core::rng::{Rng, Stream};
use gossip_core::store::KEYS_LIMIT;
use gossip_core::theory::merkle::{expected_bucket_sharers, expected_hashes};
use gossip_core::theory::reconcile::expected_bytes;
use gossip_core::time::Tick;
use serde_json::json;

use crate::options::{Format, Options, UsageError};
use crate::trials::{groups_csv, groups_json, groups_text, Group};

/// The most trials of one invocation (each copies two replicas per strategy).
const TRIALS_MAX: u32 = 10_000;
/// The most key-trials (keys x trials) of one invocation: about a microsecond each per
/// strategy in a release build, so minutes at most.
const KEY_TRIALS_MAX: u64 = 1 << 30;

/// This command's section of `--help`.
pub const HELP: &str = "\
MERKLE OPTIONS (lab merkle: reconcile two replicas that differ in D random keys):
    --keys N         keys of the base replica, 1 to 1048576 [default: 65536]
    --diffs D        keys changed after copying it, 0 to N [default: 100]; the i-th drawn key
                     gets a newer value on the responder (i % 3 = 0), a newer value on the
                     initiator (i % 3 = 1) or a newer tombstone on the initiator (i % 3 = 2)
    --strategy S     merkle | digest | full | rateless | all [default: all = full, digest,
                     merkle, rateless]
    --branching B    the Merkle tree's branching, 2 to 1024 [default: 2]
    --depth L        its levels below the root, 1 to 24, with B^L at most 2^20 [default: 16]
    --rateless-growth P  110 to 400 [default: 200]: while the responder has not decoded, each
                     rateless batch brings the symbols sent to P % of what they were
                     (ReconcileLimits::rateless_growth_percent; 200 doubles them)
    --trials T       1 to 10000 (and T x N at most 2^30) [default: 10]
    --seed S         trial t draws its pair from Rng::stream(S, Trial, t) [default: 0]
    --format F       json | csv | text [default: text]
  metrics, per strategy, each as mean, sd, se, p50, p95, max over the trials (one value a
  trial, both directions summed):
    round_trips      messages sent by both sides, halved and rounded up (one message and its
                     answer are one round trip)
    hashes           hashes sent: 32-byte tree hashes (Merkle), or the 8-byte item ids a
                     rateless responder asks for (rateless); 0 otherwise
    symbols          coded symbols sent (rateless; 0 otherwise)
    versions         (key, version) pairs without values sent: digests, leaf buckets, requests
    entries          entries (key, version, value or tombstone) sent
    unneeded_entries entries the receiver already held or held newer (full state's waste)
    unneeded_versions (key, version) pairs the receiver held at exactly that version: the
                     digest's unchanged keys, the Merkle keys that only shared a differing leaf
    bytes            bytes of every message both ways (strategy byte included, no framing
                     below the session); bytes_initiator and bytes_responder split them
  model (Merkle only; theory::merkle): expected_hashes = 1 + B sum_{l<L} B^l (1 - (1 -
  B^-l)^D); expected_unneeded_versions = (N - D)(1 - (1 - B^-L)^D).
  model (json; theory::reconcile): expected_bytes per strategy for this pair (full state and
  digest exact; rateless assumes --rateless-growth 200, null otherwise).
  csv columns: strategy, metric, mean, sd, se, p50, p95, max (one row a metric).

";

struct Sweep {
    keys: u32,
    diffs: u32,
    strategies: Vec<Strategy>,
    shape: TreeShape,
    limits: ReconcileLimits,
    trials: u32,
    seed: u64,
    format: Format,
}

/// Runs `lab merkle` with the options left after the command name.
pub fn run(o: Options) -> Result<String, UsageError> {
    let sweep = options(o)?;
    let reports = trials(&sweep)?;
    Ok(report(&sweep, &reports))
}

fn options(mut o: Options) -> Result<Sweep, UsageError> {
    let keys = o.int("keys", 65_536u32, 1, KEYS_LIMIT)?;
    let diffs = o.int("diffs", 100u32.min(keys), 0, keys)?;
    let (strategies, shape) = o.strategies(2, 16)?;
    let growth = RATELESS_GROWTH_PERCENT_RANGE;
    let limits = ReconcileLimits {
        rateless_growth_percent: o.int(
            "rateless-growth",
            200u32,
            *growth.start(),
            *growth.end(),
        )?,
        ..ReconcileLimits::large()
    };
    let trials = o.int("trials", 10u32, 1, TRIALS_MAX)?;
    let seed = o.int("seed", 0u64, 0, u64::MAX)?;
    let format = o.format(Format::Text)?;
    o.finish("merkle")?;
    if u64::from(keys) * u64::from(trials) > KEY_TRIALS_MAX {
        return Err(UsageError(format!(
            "--trials {trials} x --keys {keys} exceeds {KEY_TRIALS_MAX} key-trials"
        )));
    }
    Ok(Sweep {
        keys,
        diffs,
        strategies,
        shape,
        limits,
        trials,
        seed,
        format,
    })
}

/// Per strategy, one report a trial.
fn trials(sweep: &Sweep) -> Result<Vec<Vec<Report>>, UsageError> {
    let merkle = sweep
        .strategies
        .iter()
        .any(|s| matches!(s, Strategy::Merkle(_)));
    let base = Base::new(sweep.keys, merkle.then_some(sweep.shape))
        .map_err(|e| UsageError(e.to_string()))?;
    let mut out = vec![Vec::new(); sweep.strategies.len()];
    for t in 0..sweep.trials {
        for (i, &strategy) in sweep.strategies.iter().enumerate() {
            // The same stream for every strategy: each repairs the same pair.
            let mut rng = Rng::stream(sweep.seed, Stream::Trial, t.into());
            let (mut a, mut b) = base.pair(sweep.diffs, &mut rng);
            let r = reconcile_pair(&mut a, &mut b, strategy, sweep.limits, Tick(3))
                .map_err(|e| UsageError(format!("{}: {e}", strategy.name())))?;
            if !a.store().same_content(b.store()) {
                return Err(UsageError(format!(
                    "{}: replicas differ after repair",
                    strategy.name()
                )));
            }
            out[i].push(r);
        }
    }
    Ok(out)
}

type Metric = (&'static str, fn(&Report) -> u64);
const METRICS: &[Metric] = &[
    ("round_trips", Report::round_trips),
    ("hashes", Report::hashes),
    ("symbols", Report::symbols),
    ("versions", |r| {
        r.initiator.versions_sent + r.responder.versions_sent
    }),
    ("entries", Report::entries),
    ("unneeded_entries", Report::entries_unneeded),
    ("unneeded_versions", |r| {
        r.initiator.versions_unneeded + r.responder.versions_unneeded
    }),
    ("bytes", Report::bytes),
    ("bytes_initiator", |r| r.initiator.bytes_sent),
    ("bytes_responder", |r| r.responder.bytes_sent),
];

fn values(reports: &[Report], f: fn(&Report) -> u64) -> Vec<f64> {
    reports.iter().map(|r| f(r) as f64).collect()
}

// Per strategy, every metric's values.
fn groups(sweep: &Sweep, reports: &[Vec<Report>]) -> Vec<Group> {
    let group = |(s, rs): (&Strategy, &Vec<Report>)| Group {
        name: s.name(),
        metrics: METRICS
            .iter()
            .map(|(name, f)| ((*name).to_string(), values(rs, *f)))
            .collect(),
    };
    sweep.strategies.iter().zip(reports).map(group).collect()
}

fn report(sweep: &Sweep, reports: &[Vec<Report>]) -> String {
    let (b, l) = (sweep.shape.branching, sweep.shape.depth);
    let model_hashes = expected_hashes(b, l, sweep.diffs.into());
    let model_versions = expected_bucket_sharers(b, l, sweep.keys.into(), sweep.diffs.into());
    let groups = groups(sweep, reports);
    let strategies = [
        Strategy::Full,
        Strategy::Digest,
        Strategy::Merkle(sweep.shape),
        Strategy::Rateless,
    ];
    let model_bytes: serde_json::Map<String, serde_json::Value> = strategies
        .into_iter()
        .map(|s| {
            // The rateless model's batches are the default doubling ones.
            let doubling = sweep.limits.rateless_growth_percent == 200;
            let v = (s != Strategy::Rateless || doubling)
                .then(|| expected_bytes(s, sweep.keys, sweep.diffs));
            (s.name().to_string(), json!(v))
        })
        .collect();
    match sweep.format {
        Format::Json => {
            let v = json!({
                "command": "merkle", "keys": sweep.keys, "diffs": sweep.diffs,
                "branching": b, "depth": l, "trials": sweep.trials, "seed": sweep.seed,
                "rateless_growth_percent": sweep.limits.rateless_growth_percent,
                "strategies": groups_json("strategy", &groups),
                "model": {"expected_hashes": model_hashes,
                          "expected_unneeded_versions": model_versions,
                          "expected_bytes": model_bytes},
            });
            format!("{v}\n")
        }
        Format::Csv => groups_csv("strategy", &groups),
        Format::Text => {
            let mut out = format!(
                "merkle: keys {}, diffs {}, tree {b} x {l}, trials {}, seed {}\n",
                sweep.keys, sweep.diffs, sweep.trials, sweep.seed
            );
            out += &groups_text(&groups);
            let _ = writeln!(
                out,
                "model: expected_hashes {model_hashes:.4}, expected_unneeded_versions {model_versions:.4}"
            );
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
    fn every_strategy_reports_and_merkle_matches_its_one_difference_model() {
        let out =
            lab("--keys 500 --diffs 1 --branching 2 --depth 6 --trials 3 --format json").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let s = v["strategies"].as_array().unwrap();
        assert_eq!(s.len(), 4);
        // One difference: the Merkle session sends the root, then 2 hashes per level.
        assert_eq!(s[2]["hashes"]["mean"], 13.0);
        assert_eq!(v["model"]["expected_hashes"], 13.0);
        // Full state and digests send exactly their models' bytes.
        assert_eq!(v["model"]["expected_bytes"]["full"], s[0]["bytes"]["mean"]);
        assert_eq!(
            v["model"]["expected_bytes"]["digest"],
            s[1]["bytes"]["mean"]
        );
        assert_eq!(s[1]["entries"]["max"], 1.0);
        assert_eq!(s[0]["entries"]["mean"], 1000.0);
        // Rateless: only the changed entry crosses, after at least its first batch of symbols.
        assert_eq!(s[3]["strategy"], "rateless");
        assert_eq!(s[3]["entries"]["max"], 1.0);
        assert!(s[3]["symbols"]["mean"].as_f64().unwrap() >= 1.0, "{out}");
    }

    #[test]
    fn a_tree_over_the_leaf_limit_is_an_error() {
        assert!(lab("--branching 1024 --depth 3")
            .unwrap_err()
            .contains("leaves"));
    }
}
