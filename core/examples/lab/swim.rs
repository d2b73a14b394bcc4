//! `lab swim`: many trials of a SWIM cluster in the simulator (with or without suspicion and
//! Lifeguard), with crashed and slow nodes, and the failure detector's metrics as the core's
//! `gossip_core::sim::membership` docs define them.
//!
//! A trial is one `Cluster` of `--nodes` SWIM nodes where a protocol period is one round
//! (`ticks_per_round == probe_interval_ticks`), stepped `--periods` rounds; its faults are
//! drawn from the trial's own seed, so the output is the same whatever the thread count.
//!
//! `--detector heartbeat` runs the same faults and seeds with heartbeat gossip and a phi
//! accrual detector instead (Cassandra's way, `gossip_core::node::membership::heartbeat`), so
//! the two can be set side by side: detection times, false deaths, messages and bytes.

use std::fmt::Write as _;

use gossip_core::node::{
    HeartbeatConfig, LifeguardConfig, MembershipConfig, NodeId, ProbeOrder, SwimConfig,
};
use gossip_core::rng::{derive, Rng, Stream};
use gossip_core::sim::{Action, Cluster, ClusterConfig, SLOW_LAG_TICKS_MAX};
use gossip_core::stats::Summary;
use serde_json::{json, Map, Value};

use crate::options::{name_of, Common, Format, Options, UsageError};
use crate::trials::{run_split, summary_csv, summary_json, summary_text};

/// The largest cluster: at 10,000 nodes one trial holds 10^8 view entries (issue 9's scale).
const NODES_MAX: u32 = 10_000;
/// The most periods of one trial.
const PERIODS_MAX: u32 = 100_000;
/// The most member-periods (trials x nodes x periods) one invocation runs: about 1 µs each in
/// a release build, so at most about half an hour of work.
const MEMBER_PERIODS_MAX: u64 = 2_000_000_000;
/// The most view entries (threads running at once x nodes^2) held at once; the thread count
/// is lowered to fit (the output does not depend on it). At about 12 bytes an entry, 2 GB.
const VIEW_ENTRIES_MAX: u64 = 200_000_000;
/// The default faults' period: late enough that the first probe-list shuffle is done.
const FAULTS_AT_DEFAULT: u32 = 10;
/// The default lag of a slow node: two periods of 8 ticks, longer than the probe timeout and
/// the whole period, so a slow node misses every ack in time (Lifeguard's CPU exhaustion).
const LAG_TICKS_DEFAULT: u32 = 16;

/// This command's section of `--help`.
pub const HELP: &str = "\
SWIM OPTIONS (lab swim; also --nodes 2 to 10000 [default 1000], --trials, --seed, --threads,
--format json | csv | text as above; trials x nodes x periods at most 2*10^9):
    --periods P      protocol periods (rounds) per trial, 1 to 100000 [default: 100]
    --loss Q         each message lost independently with probability Q, 0 to 0.95 [default: 0]
    --indirect K     helpers asked by ping-req after a missed direct ack, 0 to 16 [default: 3]
    --suspicion S    on | off [default: on]; off is basic SWIM (a failed probe declares dead)
    --lifeguard L    on | off [default: on]: every part (local health, nack, dynamic
                     suspicion timeout, buddy system) on or off together
    --probe-order O  round-robin | uniform [default: round-robin]
    --detector D     swim | heartbeat [default: swim]. heartbeat: each member gossips its
                     heartbeat table to one random member every period (8 ticks) and convicts
                     a member whose phi (Hayashibara et al. 2004, Cassandra's exponential form)
                     passes --phi; --indirect, --suspicion, --lifeguard and --probe-order are
                     SWIM's and refused with it. It has no suspicion and no probes: its
                     false_suspicions and live_probes are 0 (and so is the out_of of its
                     false_* rates), first detection is the first conviction, and its
                     messages are the heartbeat messages
    --phi T          heartbeat's conviction threshold, 1 to 64 [default: 8, Cassandra's
                     phi_convict_threshold]
    --crash C        C distinct nodes crash at the start of period --faults-at and stay down;
                     0 to N-2 [default: 1]
    --slow S         S further distinct nodes (never a crashed one) are slow from the start of
                     period --faults-at to the end of the trial: they handle every inbound
                     message and timer --lag ticks late, nothing is lost; 0 to N-1-C
                     [default: 0]
    --faults-at R    the period of the crashes and of the slow episodes' start, 0 to P-1
                     [default: 10, or 0 when P <= 10]
    --lag D          a slow node's lag in ticks, 1 to 16384 [default: 16 = 2 periods]
  The crashed and slow nodes are drawn uniformly (crashed first, then slow among the rest) from
  Rng::stream(trial seed, Trial, 0), apart from every stream the cluster draws from; trial t's
  seed is derive(S, Trial, t). The rest is SwimConfig's defaults (memberlist's LAN config):
  a period is 8 ticks, a hop 1 tick, the probe timeout 2 ticks, push-pull syncs every 30
  periods scaled with N.
  metrics (each as mean, sd, se, p50, p95, max over its values; `values` says how many):
    first_detection_periods  per crash: from the crash at the start of period c to the end of
                     the period r in which some live member first marks it suspect (or dead
                     without suspicion): r - c + 1, so at least 1. events: crashes so
                     detected; out_of: crashes
    full_detection_periods   per crash: r - c + 1 for the first period r at whose end every
                     live member holds it dead. events: crashes so detected; out_of: crashes
    false_suspicions per trial: times a live member came to hold an up member suspect
                     (each observer and member once per change). events: their sum over the
                     trials; out_of: probes of live members (the rate's denominator)
    false_suspicions_healthy  the same, of up members that were not slow at the time
    false_deaths     per trial: times a live member came to hold an up member dead (a live
                     member declared dead). events, out_of: as for false_suspicions
    false_deaths_healthy      the same, of up members that were not slow at the time
    live_probes      per trial: probes started whose target was up. events: their sum;
                     out_of: every probe started
    messages_per_member_period  per trial: SWIM messages sent (ping, ack, ping-req, relayed
                     ping and ack, nack, sync) over the sum of live members over periods.
                     events: messages; out_of: member-periods
    bytes_per_member_period     the same for their bytes. events: bytes; out_of: as above
    update_spread_periods  per trial: the mean over membership updates that reached every
                     live member of r - born + 1 (born: the period a live member first held
                     the update, the newest view of its member; r: the first period at whose
                     end every live member holds exactly it; an update superseded first is not
                     counted); max is the longest single update. events: such updates;
                     out_of: the sum of their periods
  A period is a round; it is a protocol period of a member whose local health score is 0
  (Lifeguard stretches a member's own period while its score is above 0).
  csv columns: metric, values, mean, sd, se, p50, p95, max, events, out_of (one row a metric).

";

/// The failure detector of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Detector {
    Swim,
    Heartbeat(HeartbeatConfig),
}

const DETECTORS: &[(&str, bool)] = &[("swim", false), ("heartbeat", true)];
/// Options that only SWIM has.
const SWIM_ONLY: &[&str] = &["indirect", "suspicion", "lifeguard", "probe-order"];

/// One sweep as the options ask for it.
struct Sweep {
    common: Common,
    periods: u32,
    loss: f64,
    detector: Detector,
    // With `--detector heartbeat`, only its probe interval (the period) is used.
    swim: SwimConfig,
    crash: u32,
    slow: u32,
    faults_at: u32,
    lag_ticks: u32,
}

const ON_OFF: &[(&str, bool)] = &[("on", true), ("off", false)];
const ORDERS: &[(&str, ProbeOrder)] = &[
    ("round-robin", ProbeOrder::RoundRobin),
    ("uniform", ProbeOrder::Uniform),
];

/// What one trial measured (integers, so the sums do not depend on the split).
#[derive(Clone, Debug, Default)]
struct TrialOut {
    first: Vec<u32>,
    full: Vec<u32>,
    crashes: u64,
    probes: u64,
    live_probes: u64,
    false_suspicions: u64,
    false_suspicions_slow: u64,
    false_deaths: u64,
    false_deaths_slow: u64,
    messages: u64,
    bytes: u64,
    member_periods: u64,
    updates_spread: u64,
    spread_periods: u64,
    spread_max: u64,
}

/// Runs `lab swim` with the options left after the command name.
pub fn run(o: Options) -> Result<String, UsageError> {
    let sweep = options(o)?;
    let outs = trials(&sweep)?;
    Ok(report(&sweep, &outs))
}

/// The sweep the options describe, every value checked against its limit.
fn options(mut o: Options) -> Result<Sweep, UsageError> {
    let mut common = o.common(NODES_MAX)?;
    let n = common.nodes;
    let periods = o.int("periods", 100u32, 1, PERIODS_MAX)?;
    let loss = o.float("loss", 0.0, 0.0, 0.95)?;
    let base = SwimConfig::default();
    let detector = detector(&mut o, base.probe_interval_ticks)?;
    let indirect = o.int("indirect", base.indirect_probes, 0, 16)?;
    let suspicion = o.choice("suspicion", true, ON_OFF)?;
    let lifeguard = o.choice("lifeguard", true, ON_OFF)?;
    let probe_order = o.choice("probe-order", ProbeOrder::RoundRobin, ORDERS)?;
    let crash = o.int("crash", 1u32.min(n - 2), 0, n - 2)?;
    let slow = o.int("slow", 0u32, 0, n - 1 - crash)?;
    let default_at = if periods > FAULTS_AT_DEFAULT {
        FAULTS_AT_DEFAULT
    } else {
        0
    };
    let faults_at = o.int("faults-at", default_at, 0, periods - 1)?;
    let lag_ticks = o.int("lag", LAG_TICKS_DEFAULT, 1, SLOW_LAG_TICKS_MAX)?;
    o.finish("swim")?;
    let work = u64::from(common.trials) * u64::from(n) * u64::from(periods);
    if work > MEMBER_PERIODS_MAX {
        return Err(UsageError(format!(
            "--trials {} x --nodes {n} x --periods {periods} exceeds {MEMBER_PERIODS_MAX} \
             member-periods",
            common.trials
        )));
    }
    let per_trial = u64::from(n) * u64::from(n);
    common.threads = common
        .threads
        .min((VIEW_ENTRIES_MAX / per_trial).max(1) as u32);
    let swim = SwimConfig {
        indirect_probes: indirect,
        suspicion,
        probe_order,
        lifeguard: if lifeguard {
            LifeguardConfig::ON
        } else {
            LifeguardConfig::OFF
        },
        ..base
    };
    Ok(Sweep {
        common,
        periods,
        loss,
        detector,
        swim,
        crash,
        slow,
        faults_at,
        lag_ticks,
    })
}

/// `--detector` and `--phi`; with heartbeat gossip, SWIM's own options are refused (they would
/// silently change nothing). Its period is SWIM's, so a period is one round for both.
fn detector(o: &mut Options, period_ticks: u32) -> Result<Detector, UsageError> {
    if !o.choice("detector", false, DETECTORS)? {
        if o.take("phi").is_some() {
            return Err(UsageError(
                "--phi: applies to --detector heartbeat only".into(),
            ));
        }
        return Ok(Detector::Swim);
    }
    for name in SWIM_ONLY {
        if o.take(name).is_some() {
            return Err(UsageError(format!(
                "--{name}: applies to --detector swim only"
            )));
        }
    }
    let base = HeartbeatConfig::default();
    let phi = o.float("phi", base.phi_convict_threshold, 1.0, 64.0)?;
    Ok(Detector::Heartbeat(HeartbeatConfig {
        period_ticks,
        phi_convict_threshold: phi,
        ..base
    }))
}

/// The cluster of one trial.
fn cluster_config(sweep: &Sweep, seed: u64) -> ClusterConfig {
    let mut c = ClusterConfig::new(sweep.common.nodes, seed);
    c.ticks_per_round = sweep.swim.probe_interval_ticks;
    c.node.gossip_interval_ticks = sweep.swim.probe_interval_ticks;
    c.node.membership = match sweep.detector {
        Detector::Swim => MembershipConfig::Swim(sweep.swim),
        Detector::Heartbeat(h) => MembershipConfig::Heartbeat(h),
    };
    c.net.link.loss = sweep.loss;
    c.keys_tracked_max = 1;
    // Each round's record is read as it ends, so few are kept.
    c.records_max = 16;
    c
}

/// The crashed nodes, then the slow ones: distinct, uniform, from the trial's own stream.
fn faulty(sweep: &Sweep, seed: u64) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut rng = Rng::stream(seed, Stream::Trial, 0);
    let mut ids: Vec<NodeId> = (0..sweep.common.nodes).collect();
    let k = (sweep.crash + sweep.slow) as usize;
    // A partial Fisher-Yates shuffle: the first k are a uniform sample in a uniform order.
    for i in 0..k {
        let j = i + rng.below(sweep.common.nodes - i as u32) as usize;
        ids.swap(i, j);
    }
    let slow = ids[sweep.crash as usize..k].to_vec();
    ids.truncate(sweep.crash as usize);
    (ids, slow)
}

/// One trial.
fn trial(sweep: &Sweep, seed: u64) -> Result<TrialOut, UsageError> {
    let mut c = Cluster::new(cluster_config(sweep, seed)).map_err(|e| UsageError(e.to_string()))?;
    let (crashed, slow) = faulty(sweep, seed);
    let mut out = TrialOut::default();
    for period in 0..sweep.periods {
        if period == sweep.faults_at {
            for &n in &crashed {
                c.apply(Action::Crash(n))
                    .map_err(|e| UsageError(e.to_string()))?;
            }
            for &n in &slow {
                let lag_ticks = sweep.lag_ticks;
                c.apply(Action::Slow { node: n, lag_ticks })
                    .map_err(|e| UsageError(e.to_string()))?;
            }
        }
        c.step_round();
        let Some(r) = c.last_record() else { continue };
        let m = &r.membership;
        out.probes += r.swim.probes;
        out.live_probes += m.live_probes;
        out.false_suspicions += m.false_suspicions;
        out.false_suspicions_slow += m.false_suspicions_of_slow;
        out.false_deaths += m.false_deaths;
        out.false_deaths_slow += m.false_deaths_of_slow;
        // No data is written in these trials: with heartbeat gossip every message a node
        // sends is a heartbeat message (SWIM's are counted apart, in `r.swim`).
        let (messages, bytes) = match sweep.detector {
            Detector::Swim => (r.swim.messages_sent, r.swim.bytes_sent),
            Detector::Heartbeat(_) => (r.messages_sent, r.bytes_sent),
        };
        out.messages += messages;
        out.bytes += bytes;
        out.member_periods += u64::from(r.live_nodes);
        out.updates_spread += m.updates_spread;
        out.spread_periods += m.update_spread_periods;
        out.spread_max = out.spread_max.max(m.update_spread_periods_max);
    }
    for d in c.views().detections() {
        out.crashes += 1;
        out.first.extend(d.first_detection_periods);
        out.full.extend(d.full_detection_periods);
    }
    Ok(out)
}

/// Runs the sweep's trials on its threads; their outcomes in index order.
fn trials(sweep: &Sweep) -> Result<Vec<TrialOut>, UsageError> {
    let Common {
        trials,
        seed,
        threads,
        ..
    } = sweep.common;
    let parts = run_split(vec![(); threads as usize], trials, |(), range| {
        range
            .map(|t| trial(sweep, derive(seed, Stream::Trial, u64::from(t))))
            .collect::<Result<Vec<_>, _>>()
    });
    let mut outs = Vec::with_capacity(trials as usize);
    for p in parts {
        outs.extend(p?);
    }
    Ok(outs)
}

/// One metric: its values, and the counts behind its rate.
struct Metric {
    name: &'static str,
    values: Vec<f64>,
    events: u64,
    out_of: u64,
    // The exact largest value, when the values are per-trial means.
    max: Option<f64>,
}

fn metrics(outs: &[TrialOut]) -> Vec<Metric> {
    let sum = |f: fn(&TrialOut) -> u64| outs.iter().map(f).sum::<u64>();
    let per_trial = |f: fn(&TrialOut) -> u64| outs.iter().map(|o| f(o) as f64).collect();
    let ratio = |f: fn(&TrialOut) -> u64| {
        outs.iter()
            .filter(|o| o.member_periods > 0)
            .map(|o| f(o) as f64 / o.member_periods as f64)
            .collect()
    };
    let crashes = sum(|o| o.crashes);
    let live = sum(|o| o.live_probes);
    let first: Vec<f64> = outs
        .iter()
        .flat_map(|o| &o.first)
        .map(|&x| f64::from(x))
        .collect();
    let full: Vec<f64> = outs
        .iter()
        .flat_map(|o| &o.full)
        .map(|&x| f64::from(x))
        .collect();
    let metric = |name, values, events, out_of| Metric {
        name,
        values,
        events,
        out_of,
        max: None,
    };
    // A count per trial, with its sum over the trials out of `out_of`.
    let counted =
        |name, f: fn(&TrialOut) -> u64, out_of| metric(name, per_trial(f), sum(f), out_of);
    // A count per member and period, each trial's own rate, with the sums behind it.
    let per_member_period =
        |name, f: fn(&TrialOut) -> u64| metric(name, ratio(f), sum(f), sum(|o| o.member_periods));
    vec![
        metric(
            "first_detection_periods",
            first.clone(),
            first.len() as u64,
            crashes,
        ),
        metric(
            "full_detection_periods",
            full.clone(),
            full.len() as u64,
            crashes,
        ),
        counted("false_suspicions", |o| o.false_suspicions, live),
        counted(
            "false_suspicions_healthy",
            |o| o.false_suspicions - o.false_suspicions_slow,
            live,
        ),
        counted("false_deaths", |o| o.false_deaths, live),
        counted(
            "false_deaths_healthy",
            |o| o.false_deaths - o.false_deaths_slow,
            live,
        ),
        counted("live_probes", |o| o.live_probes, sum(|o| o.probes)),
        per_member_period("messages_per_member_period", |o| o.messages),
        per_member_period("bytes_per_member_period", |o| o.bytes),
        Metric {
            name: "update_spread_periods",
            values: outs
                .iter()
                .filter(|o| o.updates_spread > 0)
                .map(|o| o.spread_periods as f64 / o.updates_spread as f64)
                .collect(),
            events: sum(|o| o.updates_spread),
            out_of: sum(|o| o.spread_periods),
            max: Some(outs.iter().map(|o| o.spread_max).max().unwrap_or(0) as f64),
        },
    ]
}

/// The sweep's output in the format asked for.
fn report(sweep: &Sweep, outs: &[TrialOut]) -> String {
    let ms = metrics(outs);
    match sweep.common.format {
        Format::Json => json_report(sweep, &ms),
        Format::Csv => csv(&ms),
        Format::Text => text(sweep, &ms),
    }
}

fn config_json(sweep: &Sweep) -> Value {
    let on = |b: bool| if b { "on" } else { "off" };
    if let Detector::Heartbeat(h) = sweep.detector {
        return json!({
            "detector": "heartbeat", "phi": h.phi_convict_threshold,
            "nodes": sweep.common.nodes, "periods": sweep.periods, "loss": sweep.loss,
            "crash": sweep.crash, "slow": sweep.slow, "faults_at": sweep.faults_at,
            "lag": sweep.lag_ticks, "trials": sweep.common.trials, "seed": sweep.common.seed,
        });
    }
    json!({
        "detector": "swim",
        "nodes": sweep.common.nodes, "periods": sweep.periods, "loss": sweep.loss,
        "indirect": sweep.swim.indirect_probes, "suspicion": on(sweep.swim.suspicion),
        "lifeguard": on(sweep.swim.lifeguard == LifeguardConfig::ON),
        "probe_order": name_of(ORDERS, sweep.swim.probe_order),
        "crash": sweep.crash, "slow": sweep.slow, "faults_at": sweep.faults_at,
        "lag": sweep.lag_ticks, "trials": sweep.common.trials, "seed": sweep.common.seed,
    })
}

fn json_report(sweep: &Sweep, ms: &[Metric]) -> String {
    let mut metrics = Map::new();
    for m in ms {
        let mut s = summary_json(&m.values);
        if let (Some(max), Value::Object(o)) = (m.max, &mut s) {
            o.insert("max".into(), json!(max));
        }
        metrics.insert(
            m.name.into(),
            json!({
                "values": m.values.len(), "summary": s, "events": m.events, "out_of": m.out_of,
            }),
        );
    }
    let v = json!({ "command": "swim", "config": config_json(sweep), "metrics": metrics });
    format!("{v}\n")
}

fn csv(ms: &[Metric]) -> String {
    let mut out = String::from("metric,values,mean,sd,se,p50,p95,max,events,out_of\n");
    for m in ms {
        // A metric with a longest single update reports that as its max.
        let summary = Summary::of(&m.values).map(|s| Summary {
            max: m.max.unwrap_or(s.max),
            ..s
        });
        let cells = summary_csv(summary.as_ref());
        let _ = writeln!(
            out,
            "{},{},{cells},{},{}",
            m.name,
            m.values.len(),
            m.events,
            m.out_of
        );
    }
    out
}

fn text(sweep: &Sweep, ms: &[Metric]) -> String {
    let mut out = format!("swim: {}\n", config_json(sweep));
    for m in ms {
        out += &summary_text(m.name, &m.values);
        if let Some(max) = m.max {
            let _ = writeln!(out, "{:<22} longest single update {max}", "");
        }
        let _ = writeln!(
            out,
            "{:<22} {} values, {} events out of {}",
            "",
            m.values.len(),
            m.events,
            m.out_of
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::options::{run_line, Options, UsageError};

    fn lab(line: &str) -> Result<String, String> {
        run_line(super::run, line)
    }

    #[test]
    fn bad_options_are_errors_naming_the_option_and_its_limit() {
        for (line, want) in [
            (
                "--nodes 1",
                "--nodes: expected an integer from 2 to 10000, got '1'",
            ),
            (
                "--nodes 10 --crash 9",
                "--crash: expected an integer from 0 to 8, got '9'",
            ),
            (
                "--nodes 10 --crash 3 --slow 7",
                "--slow: expected an integer from 0 to 6",
            ),
            (
                "--loss 0.96",
                "--loss: expected a number from 0 to 0.95, got '0.96'",
            ),
            (
                "--indirect 17",
                "--indirect: expected an integer from 0 to 16",
            ),
            (
                "--suspicion yes",
                "--suspicion: expected one of on, off, got 'yes'",
            ),
            ("--lifeguard 1", "--lifeguard: expected one of on, off"),
            (
                "--probe-order random",
                "--probe-order: expected one of round-robin, uniform",
            ),
            (
                "--periods 0",
                "--periods: expected an integer from 1 to 100000",
            ),
            (
                "--periods 5 --faults-at 5",
                "--faults-at: expected an integer from 0 to 4",
            ),
            ("--lag 0", "--lag: expected an integer from 1 to 16384"),
            (
                "--nodes 10000 --periods 100000 --trials 3",
                "exceeds 2000000000 member-periods",
            ),
            ("--fanout 2", "unknown option --fanout for swim"),
            (
                "--detector cassandra",
                "--detector: expected one of swim, heartbeat",
            ),
            (
                "--detector heartbeat --lifeguard off",
                "--lifeguard: applies to --detector swim only",
            ),
            ("--phi 8", "--phi: applies to --detector heartbeat only"),
            (
                "--detector heartbeat --phi 0.5",
                "--phi: expected a number from 1 to 64",
            ),
        ] {
            let e = lab(line).expect_err(line);
            assert!(e.contains(want), "{line}: {e}");
        }
    }

    #[test]
    fn the_output_does_not_depend_on_the_thread_count() {
        for command in [
            "--nodes 30 --periods 40 --trials 7 --loss 0.1 --crash 2 --slow 1 --format json",
            "--nodes 20 --periods 30 --trials 5 --suspicion off --probe-order uniform --format csv",
        ] {
            let one = lab(&format!("{command} --threads 1")).unwrap();
            for threads in [2, 3, 64] {
                assert_eq!(one, lab(&format!("{command} --threads {threads}")).unwrap());
            }
        }
    }

    #[test]
    fn a_crash_is_detected_and_counted_and_the_counts_add_up() {
        let out =
            lab("--nodes 20 --periods 60 --trials 4 --crash 2 --seed 3 --format json").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let m = &v["metrics"];
        // Every crash of every trial is detected, first before full.
        assert_eq!(m["first_detection_periods"]["out_of"], 8);
        assert_eq!(m["first_detection_periods"]["events"], 8);
        assert_eq!(m["full_detection_periods"]["events"], 8);
        let first = m["first_detection_periods"]["summary"]["mean"]
            .as_f64()
            .unwrap();
        let full = m["full_detection_periods"]["summary"]["mean"]
            .as_f64()
            .unwrap();
        assert!(first >= 1.0 && full > first, "{first} {full}");
        // No loss, no slow node: nobody up is suspected.
        assert_eq!(m["false_suspicions"]["events"], 0);
        // About one ping and one ack a member a period (and the syncs).
        let msgs = m["messages_per_member_period"]["summary"]["mean"]
            .as_f64()
            .unwrap();
        assert!((1.9..3.0).contains(&msgs), "{msgs}");
        assert_eq!(v["config"]["crash"], 2);
        let csv =
            lab("--nodes 20 --periods 60 --trials 4 --crash 2 --seed 3 --format csv").unwrap();
        assert!(csv.starts_with("metric,values,mean,sd,se,p50,p95,max,events,out_of\n"));
        assert!(csv.contains("\nfirst_detection_periods,8,"), "{csv}");
    }

    #[test]
    fn faults_are_distinct_and_slow_nodes_are_never_crashed_ones() {
        let o = Options::parse(
            &"--nodes 12 --crash 5 --slow 6 --trials 1"
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
        .map_err(|UsageError(e)| e)
        .unwrap();
        let sweep = super::options(o).map_err(|UsageError(e)| e).unwrap();
        for seed in 0..50 {
            let (c, s) = super::faulty(&sweep, seed);
            let mut all: Vec<_> = c.iter().chain(&s).copied().collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!((c.len(), s.len(), all.len()), (5, 6, 11));
        }
    }

    #[test]
    fn heartbeat_gossip_runs_on_the_same_faults_and_detects_the_crash_without_probes() {
        // Cassandra's way: no probes and no suspicion, a conviction after about
        // phi * mean interval / log10(e) ticks of silence (the heartbeat module's docs), and
        // each period one table of every member sent by each member.
        let line = "--nodes 20 --periods 300 --trials 3 --crash 1 --seed 5 --format json";
        let out = lab(&format!("{line} --detector heartbeat")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["config"]["detector"], "heartbeat");
        let m = &v["metrics"];
        assert_eq!(m["first_detection_periods"]["events"], 3);
        assert_eq!(m["full_detection_periods"]["events"], 3);
        assert_eq!(m["live_probes"]["events"], 0);
        assert_eq!(m["false_suspicions"]["events"], 0);
        let per = |out: &str| {
            let v: serde_json::Value = serde_json::from_str(out).unwrap();
            v["metrics"]["messages_per_member_period"]["summary"]["mean"]
                .as_f64()
                .unwrap()
        };
        // One heartbeat message per member per period (fanout 1, the table fits one message).
        let hb = per(&out);
        assert!((0.95..=1.0).contains(&hb), "{hb}");
        // SWIM on the same faults sends a ping and an ack per member per period, and more.
        let swim = per(&lab(line).unwrap());
        assert!(swim >= 2.0, "{swim}");
    }
}
