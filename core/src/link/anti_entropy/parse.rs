//! Reading a link into a [`Run`]: every field in link order (the page's own fields through a
//! callback), then the checks that need the others: the differences against the keys, and the
//! depth against the leaf cap (see [`parse`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Run, StrategyKind, KEYS_MAX, KEYS_MIN, LEAVES_MAX};
use crate::link::{pairs, Fields, Notice};
use crate::reconcile::merkle::shape::{BRANCHING_LIMIT, DEPTH_LIMIT};

/// The run a link names, and a notice for every value that could not be used as given.
/// Parameters that are not the run's are offered to `other(name, value, fields)` in link order
/// (the page reads its view fields there, `lab` among them); one it does not know either (it
/// returns `false`) is ignored with a notice.
pub fn parse(
    link: &str,
    other: &mut dyn FnMut(&str, &str, &mut Fields) -> bool,
) -> (Run, Vec<Notice>) {
    let mut f = Fields::default();
    let mut run = Run::default();
    let d = Run::default();
    let (mut diffs, mut depth) = (None, None);
    let mut src: [Option<String>; 4] = Default::default();
    for (k, v) in pairs(link)
        .iter()
        .filter(|(k, _)| !crate::link::lesson::is_field(k) && !crate::link::teacher::is_field(k))
    {
        let int = |f: &mut Fields, min: u32, max: u32, fallback: u32| {
            f.int(k, v, u64::from(min), u64::from(max), u64::from(fallback)) as u32
        };
        match k.as_str() {
            "n" => run.keys = int(&mut f, KEYS_MIN, KEYS_MAX, d.keys),
            "d" => diffs = Some(v.to_string()),
            "l" => depth = Some(v.to_string()),
            "src" => src[0] = Some(v.to_string()),
            "r" => src[1] = Some(v.to_string()),
            "na" => src[2] = Some(v.to_string()),
            "nb" => src[3] = Some(v.to_string()),
            "b" => run.shape.branching = int(&mut f, 2, BRANCHING_LIMIT, d.shape.branching),
            "st" => match StrategyKind::from_key(v.trim()) {
                Some(s) => run.strategy = s,
                None => f.note(
                    k,
                    v,
                    d.strategy.key(),
                    "is not a strategy (merkle, digest, full or rateless)",
                ),
            },
            "seed" => match v.trim().parse::<u64>() {
                Ok(s) => run.seed = s,
                Err(_) => f.note(k, v, d.seed, "is not a whole number below 2^64"),
            },
            _ => {
                if !other(k, v, &mut f) {
                    f.note(k, v, "", "is not a parameter of the anti-entropy lab");
                }
            }
        }
    }
    finish(&mut run, diffs, depth, &mut f);
    let [link, round, a, b] = src.each_ref().map(Option::as_deref);
    if link.is_none_or(|l| l.trim().is_empty()) {
        for (k, v) in [("r", round), ("na", a), ("nb", b)] {
            if let Some(v) = v {
                f.note(
                    k,
                    v,
                    "",
                    "is only read with src (a cluster to take the nodes from)",
                );
            }
        }
    }
    run.source = super::source::read(link, round, a, b, &mut f);
    (run, f.into_notices())
}

/// The deepest tree of `branching` whose leaves stay within [`LEAVES_MAX`].
pub fn depth_max(branching: u32) -> u32 {
    let mut depth = 1;
    while depth < DEPTH_LIMIT
        && u64::from(branching)
            .checked_pow(depth + 1)
            .is_some_and(|n| n <= LEAVES_MAX)
    {
        depth += 1;
    }
    depth
}

// The fields whose limits depend on others: `d` at most `n`, `l` within the leaf cap of `b`.
fn finish(run: &mut Run, diffs: Option<String>, depth: Option<String>, f: &mut Fields) {
    let d = Run::default();
    match diffs {
        Some(v) => {
            let fallback = d.diffs.min(run.keys);
            run.diffs = f.int("d", &v, 0, u64::from(run.keys), u64::from(fallback)) as u32;
        }
        None => run.diffs = run.diffs.min(run.keys),
    }
    let max = depth_max(run.shape.branching);
    match depth {
        Some(v) => {
            let fallback = d.shape.depth.min(max);
            let trimmed = v.trim().parse::<u32>();
            // A depth the core allows but the page's leaf cap does not gets its own reason.
            if let Ok(l) = trimmed.clone() {
                if l > max && l <= DEPTH_LIMIT {
                    let why = format!(
                        "gives {}^{l} leaves, above the page's limit {LEAVES_MAX}",
                        run.shape.branching
                    );
                    f.note("l", &v, max, why);
                    run.shape.depth = max;
                    return;
                }
            }
            run.shape.depth = f.int("l", &v, 1, u64::from(max), u64::from(fallback)) as u32;
        }
        None if run.shape.depth > max => {
            let why = format!(
                "with b={} gives more than {LEAVES_MAX} leaves",
                run.shape.branching
            );
            f.note("l", &run.shape.depth.to_string(), max, why);
            run.shape.depth = max;
        }
        None => {}
    }
}
