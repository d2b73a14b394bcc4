//! Reading a link into a [`Run`]: the scenario first, then every field in link order (the page's
//! own fields through a callback), then the checks that need the others (see [`parse`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{
    key_is_written, script_limits, valid_key, Membership, Protocol, RepairStrategy, Run, Scenario,
    StopRule, FANOUT_MAX, GOSSIP_INTERVAL_TICKS_MAX, KEY_BYTES_MAX, LATENCY_TICKS_MAX,
    LOSS_PERCENT_MAX, NODES_MAX, NODES_MIN, REPAIR_EVERY_MAX, REPAIR_EVERY_MIN, RUMOR_KEY,
    RUMOR_K_MAX,
};
use crate::link::{pairs, Fields, Notice};
use crate::script;

/// The run a link names, and a notice for every value that could not be used as given.
/// Parameters that are not the run's are offered to `other(name, value, fields)` in link order
/// (the page reads its view fields there); one it does not know either (it returns `false`) is
/// ignored with a notice.
pub fn parse(
    link: &str,
    other: &mut dyn FnMut(&str, &str, &mut Fields) -> bool,
) -> (Run, Vec<Notice>) {
    let pairs = pairs(link);
    let mut f = Fields::default();
    // The scenario first: it sets the defaults that the other parameters override.
    let mut run = Run::default();
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "s") {
        match Scenario::from_key(v) {
            Some(s) if s.unavailable().is_some() => {
                let why = format!("is not available yet ({})", s.unavailable().unwrap_or(""));
                f.note("s", v, Scenario::Custom.key(), why);
            }
            Some(s) => run = Run::preset(s),
            None => f.note("s", v, Scenario::Custom.key(), "is not a known scenario"),
        }
    }
    let defaults = run.clone();
    let mut late = Late::default();
    // The lesson fields are `link::lesson`'s (a lesson's progress beside the run) and the
    // teacher's `link::teacher`'s.
    for (k, v) in pairs
        .iter()
        .filter(|(k, _)| !crate::link::lesson::is_field(k) && !crate::link::teacher::is_field(k))
    {
        if !read_field(&mut run, &defaults, &mut late, k, v, &mut f) && !other(k, v, &mut f) {
            f.note(k, v, "", "is not a parameter of Gossip Lab");
        }
    }
    finish(&mut run, &defaults, late, &mut f);
    (run, f.into_notices())
}

/// Fields checked after the others because their limits depend on them.
#[derive(Default)]
struct Late {
    fanout: Option<String>,
    latency_max: Option<String>,
    actions: Option<String>,
    repair_every: Option<String>,
}

/// Reads one run field into `run`; `false` when `k` is not one.
fn read_field(run: &mut Run, d: &Run, late: &mut Late, k: &str, v: &str, f: &mut Fields) -> bool {
    let int = |f: &mut Fields, min: u32, max: u32, fallback: u32| {
        f.int(k, v, u64::from(min), u64::from(max), u64::from(fallback)) as u32
    };
    match k {
        "s" => {}
        "n" => run.nodes = int(f, NODES_MIN, NODES_MAX, d.nodes),
        "k" => late.fanout = Some(v.to_string()),
        "latmax" => late.latency_max = Some(v.to_string()),
        "a" => late.actions = Some(v.to_string()),
        "aei" => late.repair_every = Some(v.to_string()),
        "ae" => match RepairStrategy::from_key(v.trim()) {
            Some(r) => run.repair = r,
            None => f.note(
                k,
                v,
                d.repair.key(),
                "is not an anti-entropy repair (off, full, digest, merkle or rateless)",
            ),
        },
        "m" => match Protocol::from_key(v) {
            Some(m) => run.mode = m,
            None => f.note(
                k,
                v,
                d.mode.key(),
                "is not a mode (push, pull, pushpull, rumor or rumorpull)",
            ),
        },
        "stop" => match StopRule::from_key(v) {
            Some(r) => run.stop = r,
            None => f.note(
                k,
                v,
                d.stop.key(),
                "is not a stop rule (feedback-counter, feedback-coin, blind-counter or blind-coin)",
            ),
        },
        "rk" => run.rumor_k = int(f, 1, RUMOR_K_MAX, d.rumor_k),
        "mem" => match Membership::from_key(v.trim()) {
            Some(m) => run.membership = m,
            None => f.note(
                k,
                v,
                d.membership.key(),
                "is not a membership (oracle or swim)",
            ),
        },
        "loss" => run.loss_percent = int(f, 0, LOSS_PERCENT_MAX, d.loss_percent),
        "lat" => run.latency_min = int(f, 1, LATENCY_TICKS_MAX, d.latency_min),
        "gi" => run.gossip_ticks = int(f, 1, GOSSIP_INTERVAL_TICKS_MAX, d.gossip_ticks),
        "key" if valid_key(v) => run.key = v.to_string(),
        "key" => f.note(
            k,
            v,
            &d.key,
            format!("is not 1 to {KEY_BYTES_MAX} letters, digits, '-', '.', '_' or '~'"),
        ),
        "seed" => match v.trim().parse::<u64>() {
            Ok(s) => run.seed = s,
            Err(_) => f.note(k, v, d.seed, "is not a whole number below 2^64"),
        },
        _ => return false,
    }
    true
}

/// The checks that need every other field: fanout against nodes, the latency range, loss under
/// rumor mongering, the actions against nodes, the tracked key against the actions, and
/// whether the run still fits its scenario.
fn finish(run: &mut Run, d: &Run, late: Late, f: &mut Fields) {
    let fanout_max = FANOUT_MAX.min(run.nodes - 1);
    match late.fanout {
        Some(v) => {
            let fallback = d.fanout.min(fanout_max);
            run.fanout = f.int("k", &v, 1, u64::from(fanout_max), u64::from(fallback)) as u32;
        }
        None => run.fanout = run.fanout.min(fanout_max),
    }
    let (lo, hi) = (u64::from(run.latency_min), u64::from(LATENCY_TICKS_MAX));
    match late.latency_max {
        Some(v) => run.latency_max = f.int("latmax", &v, lo, hi, lo) as u32,
        None => run.latency_max = run.latency_max.max(run.latency_min),
    }
    read_repair_every(run, d, late.repair_every, f);
    // Rumor mongering here has no message loss (as the kernel's Demers rule the band uses): a
    // loss given with it would be shown but not simulated, so it is set to 0 and said so.
    if run.mode.is_rumor() && run.loss_percent > 0 {
        let given = run.loss_percent.to_string();
        let why = "does not apply to rumor mongering, which runs without message loss";
        f.note("loss", &given, 0, why);
        run.loss_percent = 0;
    }
    // Node ids in actions are checked against the number of nodes, so they come last too.
    if let Some(v) = late.actions {
        match script::decode(&v, &script_limits(run.nodes)) {
            Ok(actions) => run.actions = actions,
            Err(e) => f.note("a", &v, "", format!("is not a valid action list ({e})")),
        }
    }
    leave_scenario_if_changed(run, f);
    if !key_is_written(&run.key, &run.actions) {
        let given = core::mem::replace(&mut run.key, RUMOR_KEY.to_string());
        let why = "is written by no action in the link, so no node would ever hold it";
        f.note("key", &given, RUMOR_KEY, why);
    }
}

/// The gap between repair sessions, once `ae=` is known: it means nothing with repair off, so
/// there it is ignored and said so (the canonical link leaves it out with repair off).
fn read_repair_every(run: &mut Run, d: &Run, given: Option<String>, f: &mut Fields) {
    let Some(v) = given else { return };
    if run.repair == RepairStrategy::Off {
        let why = "applies only with anti-entropy repair on (ae=full, digest, merkle or rateless)";
        f.note("aei", &v, "", why);
        run.repair_every = d.repair_every;
        return;
    }
    let (lo, hi) = (u64::from(REPAIR_EVERY_MIN), u64::from(REPAIR_EVERY_MAX));
    run.repair_every = f.int("aei", &v, lo, hi, u64::from(d.repair_every)) as u32;
}

/// A run that departs from its scenario's preset is a custom one (see the module docs); preset
/// actions that name nodes the cluster lacks are dropped. Each is said once.
fn leave_scenario_if_changed(run: &mut Run, f: &mut Fields) {
    if run.scenario == Scenario::Custom || run.fits_scenario() {
        return;
    }
    let scenario = run.scenario;
    run.scenario = Scenario::Custom;
    f.note(
        "s",
        scenario.key(),
        Scenario::Custom.key(),
        "does not describe this run (the link changes the scenario's parameters)",
    );
    if !run.actions.is_empty() && script::encode(&run.actions, &script_limits(run.nodes)).is_err() {
        let given = format!("({}'s {} actions)", scenario.key(), run.actions.len());
        let why = format!("name nodes that a cluster of {} does not have", run.nodes);
        f.note("a", &given, "", why);
        run.actions.clear();
    }
}
