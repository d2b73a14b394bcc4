//! Trials on threads, and their summaries: what makes a sweep's output the same whatever the
//! thread count (each trial's seed comes from its index; results come back in index order),
//! and the one way every command prints a summary (JSON object, CSV cells, aligned text) and a
//! table of summaries by group ([`Group`]: `lab merkle` and `lab anti-entropy`, by strategy).

use std::fmt::Write as _;
use std::ops::Range;

use gossip_core::stats::Summary;
use serde_json::{json, Value};

/// Splits `0..trials` into one contiguous range per worker and runs `work(worker, range)` for
/// each on its own thread (inline when there is one worker); the results come back in range
/// order, so joining them gives the trials in index order.
pub fn run_split<W: Send, T: Send>(
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

/// Mean, sd, se, p50, p95 and max of `values` as JSON (null when empty).
pub fn summary_json(values: &[f64]) -> Value {
    match Summary::of(values) {
        Some(s) => json!({
            "mean": s.mean, "sd": s.sd, "se": s.se, "p50": s.p50, "p95": s.p95, "max": s.max,
        }),
        None => Value::Null,
    }
}

/// One aligned line of the same summary, for the text format.
pub fn summary_text(name: &str, values: &[f64]) -> String {
    summary_line(name, values, NAME_WIDTH)
}

// The width of the name column in text summaries; a table with longer names widens it.
const NAME_WIDTH: usize = 22;

fn summary_line(name: &str, values: &[f64], width: usize) -> String {
    match Summary::of(values) {
        Some(s) => format!(
            "{name:<width$} mean {:>10.4}  sd {:>9.4}  se {:>9.4}  p50 {:>9.4}  p95 {:>9.4}  max {:>9.4}\n",
            s.mean, s.sd, s.se, s.p50, s.p95, s.max
        ),
        None => format!("{name:<width$} (no values)\n"),
    }
}

/// The six CSV cells `mean,sd,se,p50,p95,max` of a summary; empty cells without one.
pub fn summary_csv(s: Option<&Summary>) -> String {
    match s {
        Some(s) => format!("{},{},{},{},{},{}", s.mean, s.sd, s.se, s.p50, s.p95, s.max),
        None => ",,,,,".into(),
    }
}

/// One group of metrics (a strategy's), each one value a trial, in print order.
pub struct Group {
    /// The group's name (the strategy's).
    pub name: &'static str,
    /// Each metric's name and values.
    pub metrics: Vec<(String, Vec<f64>)>,
}

/// Each group as one JSON object: `{key: name, <metric>: summary, ...}`.
pub fn groups_json(key: &str, groups: &[Group]) -> Vec<Value> {
    let object = |g: &Group| {
        let mut m = serde_json::Map::new();
        m.insert(key.into(), json!(g.name));
        for (name, v) in &g.metrics {
            m.insert(name.clone(), summary_json(v));
        }
        Value::Object(m)
    };
    groups.iter().map(object).collect()
}

/// CSV with the header `<key>,metric,mean,sd,se,p50,p95,max`, one row a metric of a group.
pub fn groups_csv(key: &str, groups: &[Group]) -> String {
    let mut out = format!("{key},metric,mean,sd,se,p50,p95,max\n");
    for g in groups {
        for (name, v) in &g.metrics {
            let cells = summary_csv(Summary::of(v).as_ref());
            let _ = writeln!(out, "{},{name},{cells}", g.name);
        }
    }
    out
}

/// Text: each group's name on a line, then one [`summary_text`] line a metric, the name
/// column as wide as the longest name.
pub fn groups_text(groups: &[Group]) -> String {
    let names = groups
        .iter()
        .flat_map(|g| g.metrics.iter().map(|(n, _)| n.len()));
    let width = names.fold(NAME_WIDTH, usize::max);
    let mut out = String::new();
    for g in groups {
        let _ = writeln!(out, "{}:", g.name);
        for (name, v) in &g.metrics {
            out.push_str(&summary_line(name, v, width));
        }
    }
    out
}
