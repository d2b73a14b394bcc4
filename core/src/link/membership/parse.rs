//! Reading a link into a [`Run`]: the scenario first, then every field in link order (the page's
//! own fields through a callback), then the checks that need the others (see [`parse`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{
    lifeguard_from_key, script_limits, Compare, Run, Scenario, INDIRECT_MAX, LOSS_PERCENT_MAX,
    NODES_MAX, NODES_MIN, PERIOD_TICKS_MAX,
};
use crate::link::{pairs, Fields, Notice};
use crate::node::ProbeOrder;
use crate::script;

/// The run a link names, and a notice for every value that could not be used as given.
/// Parameters that are not the run's are offered to `other(name, value, fields)` in link order
/// (the page reads its view fields there, `lab` among them); one it does not know either (it
/// returns `false`) is ignored with a notice.
pub fn parse(
    link: &str,
    other: &mut dyn FnMut(&str, &str, &mut Fields) -> bool,
) -> (Run, Vec<Notice>) {
    let pairs = pairs(link);
    let mut f = Fields::default();
    let mut run = Run::default();
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "s") {
        match Scenario::from_key(v) {
            Some(s) => run = Run::preset(s),
            None => f.note(
                "s",
                v,
                Scenario::Custom.key(),
                "is not a scenario of the membership lab",
            ),
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
            f.note(k, v, "", "is not a parameter of the membership lab");
        }
    }
    finish(&mut run, &defaults, late, &mut f);
    (run, f.into_notices())
}

/// Fields checked after the others because their limits depend on them.
#[derive(Default)]
struct Late {
    timeout: Option<String>,
    indirect: Option<String>,
    actions: Option<String>,
}

/// Reads one run field into `run`; `false` when `k` is not one.
fn read_field(run: &mut Run, d: &Run, late: &mut Late, k: &str, v: &str, f: &mut Fields) -> bool {
    let int = |f: &mut Fields, min: u32, max: u32, fallback: u32| {
        f.int(k, v, u64::from(min), u64::from(max), u64::from(fallback)) as u32
    };
    match k {
        "s" => {}
        "n" => run.nodes = int(f, NODES_MIN, NODES_MAX, d.nodes),
        "t" => run.period_ticks = int(f, 2, PERIOD_TICKS_MAX, d.period_ticks),
        "pt" => late.timeout = Some(v.to_string()),
        "k" => late.indirect = Some(v.to_string()),
        "a" => late.actions = Some(v.to_string()),
        "loss" => run.loss_percent = int(f, 0, LOSS_PERCENT_MAX, d.loss_percent),
        "sus" => run.suspicion = f.flag(k, v, d.suspicion),
        "cmp" => match Compare::from_key(v.trim()) {
            Some(c) => run.compare = c,
            None => f.note(k, v, d.compare.key(), "is not 0, 1 or hb"),
        },
        "lg" => match lifeguard_from_key(v.trim()) {
            Some(l) => run.lifeguard = l,
            None => f.note(
                k,
                v,
                super::lifeguard_key(d.lifeguard),
                "is not on, off or a set of the letters h, n, d, b",
            ),
        },
        "po" => match v.trim() {
            "rr" => run.probe_order = ProbeOrder::RoundRobin,
            "uniform" => run.probe_order = ProbeOrder::Uniform,
            _ => f.note(
                k,
                v,
                super::probe_order_key(d.probe_order),
                "is not a probe order (rr or uniform)",
            ),
        },
        "seed" => match v.trim().parse::<u64>() {
            Ok(s) => run.seed = s,
            Err(_) => f.note(k, v, d.seed, "is not a whole number below 2^64"),
        },
        _ => return false,
    }
    true
}

/// The checks that need every other field: the timeout below the period, the helpers below the
/// cluster, the actions against the nodes, and whether the run still fits its scenario.
fn finish(run: &mut Run, d: &Run, late: Late, f: &mut Fields) {
    let timeout_max = run.period_ticks - 1;
    match late.timeout {
        Some(v) => {
            let fallback = d.probe_timeout_ticks.min(timeout_max);
            run.probe_timeout_ticks =
                f.int("pt", &v, 1, u64::from(timeout_max), u64::from(fallback)) as u32;
        }
        None => run.probe_timeout_ticks = run.probe_timeout_ticks.min(timeout_max),
    }
    // A helper is neither the prober nor the target.
    let indirect_max = INDIRECT_MAX.min(run.nodes.saturating_sub(2));
    match late.indirect {
        Some(v) => {
            let fallback = d.indirect.min(indirect_max);
            run.indirect = f.int("k", &v, 0, u64::from(indirect_max), u64::from(fallback)) as u32;
        }
        None => run.indirect = run.indirect.min(indirect_max),
    }
    if let Some(v) = late.actions {
        match script::decode(&v, &script_limits(run.nodes)) {
            Ok(actions) => run.actions = actions,
            Err(e) => f.note("a", &v, "", format!("is not a valid action list ({e})")),
        }
    }
    leave_scenario_if_changed(run, f);
}

/// A run that departs from its scenario's preset is a custom one; preset actions that name
/// nodes the cluster lacks are dropped. Each is said once.
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
