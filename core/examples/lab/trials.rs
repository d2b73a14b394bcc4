//! Trials on threads, and their summaries: what makes a sweep's output the same whatever the
//! thread count (each trial's seed comes from its index; results come back in index order).

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
    match Summary::of(values) {
        Some(s) => format!(
            "{name:<22} mean {:>10.4}  sd {:>9.4}  se {:>9.4}  p50 {:>9.4}  p95 {:>9.4}  max {:>9.4}\n",
            s.mean, s.sd, s.se, s.p50, s.p95, s.max
        ),
        None => format!("{name:<22} (no values)\n"),
    }
}
