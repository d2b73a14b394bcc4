//! The membership lab's permalink: the run's fields are the core's
//! ([`gossip_core::link::membership`], whose docs list every field and limit), read by the same
//! code a runner would replay the link with; this module adds the page's view fields in the same
//! pass, so notices follow the link's order: `lab=membership` (which lab opens), `speed` (0.25
//! to 64), `r` (the round shown), `i` (the node inspected), `embed=1` and what the embed
//! shows, `view=canvas|chart|both` (as in the dissemination lab).
//!
//! Example: `?lab=membership&s=detect&n=32&t=8&pt=2&loss=0&k=3&sus=1&lg=on&po=rr&cmp=0&seed=1&speed=1&r=12&i=0&a=3c5`.

use gossip_core::link::membership::{self as run_link, Run};
use gossip_core::link::Fields;
pub use gossip_core::link::Notice;

use crate::labs::dissemination::params::{EmbedView, SPEEDS, SPEED_INDEX_DEFAULT};
use crate::shell::timeline::ROUNDS_LIMIT;

/// The help dialog's rows on the link.
pub const LINK_HELP: &[(&str, &str)] = &[
    ("lab=membership s=", "this lab; scenario: custom, detect, refute, slow, joinleave, swimhb (a preset of the rest)"),
    ("n= t= pt=", "nodes (2 to 2000), the protocol period and the direct probe timeout in ticks"),
    ("loss= k=", "message loss in % (0 to 50), indirect probes (ping-req helpers, 0 to 8)"),
    ("sus= lg= po=", "suspicion 0/1; Lifeguard: on, off or letters h (health) n (nack) d (dynamic timeout) b (buddy); probe order rr or uniform"),
    ("cmp=1 cmp=hb", "also run the same seed and actions with Lifeguard off, or with heartbeat gossip and phi accrual instead of SWIM (the chart's second series)"),
    ("seed= r= i= speed=", "the seed, the period shown, the node inspected, the speed"),
    ("embed=1 view=", "the compact view for embedding; what it shows: canvas, chart or both"),
    ("a=3c5_6r5_8q2", "actions: crash node 5 at period 3, restart it at 6, node 2 leaves at 8"),
    ("s3.16  k2.7l1  nl0.1", "node 3 runs 16 ticks late (s3.0 ends it); the link 2 -> 7 loses everything; every link loses 10 %"),
];

/// Everything the link holds: the run and the page's view fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The run (the core's link fields).
    pub run: Run,
    /// Index into [`SPEEDS`].
    pub speed_index: usize,
    /// The round shown.
    pub round: u32,
    /// The node inspected.
    pub inspect: Option<u32>,
    /// The compact view for embedding.
    pub embed: bool,
    /// What the embed shows: the cluster, the chart or both (`view=`).
    pub view: EmbedView,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            run: Run::preset(run_link::Scenario::Detect),
            speed_index: SPEED_INDEX_DEFAULT,
            round: 0,
            inspect: None,
            embed: false,
            view: EmbedView::Canvas,
        }
    }
}

/// The parameters a query string names, and a notice for every value replaced.
pub fn parse(query: &str) -> (Params, Vec<Notice>) {
    let mut p = Params::default();
    let mut inspect: Option<String> = None;
    let (run, mut notices) = run_link::parse(query, &mut |k, v, f: &mut Fields| {
        match k {
            "lab" => {
                if v != "membership" {
                    f.note(k, v, "membership", "is not this lab");
                }
            }
            "speed" => match SPEEDS
                .iter()
                .position(|s| v.trim().parse::<f64>() == Ok(*s))
            {
                Some(i) => p.speed_index = i,
                None => f.note(
                    k,
                    v,
                    SPEEDS[SPEED_INDEX_DEFAULT],
                    "is not one of 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64",
                ),
            },
            "r" => p.round = f.int(k, v, 0, u64::from(ROUNDS_LIMIT), 0) as u32,
            "embed" => p.embed = f.flag(k, v, false),
            "view" => match EmbedView::ALL.into_iter().find(|e| e.key() == v.trim()) {
                Some(e) => p.view = e,
                None => f.note(k, v, "canvas", "is not one of canvas, chart, both"),
            },
            "i" => inspect = Some(v.to_string()),
            _ => return false,
        }
        true
    });
    // A link that names no scenario and changes nothing opens the lab's first scenario.
    let named = gossip_core::link::pairs(query)
        .iter()
        .any(|(k, _)| k == "s");
    let seed = run.seed;
    p.run = if named
        || run
            != (Run {
                seed,
                ..Run::default()
            }) {
        run
    } else {
        Run { seed, ..p.run }
    };
    if let Some(v) = inspect {
        let mut f = Fields::default();
        let max = u64::from(p.run.nodes - 1);
        p.inspect = Some(f.int("i", &v, 0, max, 0) as u32);
        notices.extend(f.into_notices());
    }
    (p, notices)
}

/// The canonical link of `p` (with `?`); fails when the actions do not fit the link.
pub fn encode(p: &Params) -> Result<String, gossip_core::script::EncodeError> {
    let mut q = format!(
        "?{}&speed={}&r={}",
        p.run.encode_head(),
        SPEEDS[p.speed_index],
        p.round
    );
    if let Some(i) = p.inspect {
        q.push_str(&format!("&i={i}"));
    }
    if p.embed {
        q.push_str("&embed=1");
    }
    if p.view != EmbedView::Canvas {
        q.push_str("&view=");
        q.push_str(p.view.key());
    }
    q.push_str(&p.run.encode_tail()?);
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::link::membership::Scenario;

    #[test]
    fn the_view_fields_round_trip_with_the_run() {
        let p = Params {
            run: Run {
                seed: 9,
                ..Run::preset(Scenario::Slow)
            },
            speed_index: 4,
            round: 17,
            inspect: Some(3),
            embed: true,
            view: EmbedView::Both,
        };
        let link = encode(&p).unwrap();
        let (back, notices) = parse(&link);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, p);
    }

    #[test]
    fn a_bare_link_opens_the_detection_scenario_and_bad_view_values_are_said() {
        let (p, notices) = parse("?lab=membership&speed=3&i=99&view=map");
        assert_eq!(p.view, EmbedView::Canvas);
        assert_eq!(p.run.scenario, Scenario::Detect);
        assert_eq!(p.inspect, Some(31));
        let said: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            said,
            [
                "Parameter speed=3 is not one of 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64; using 1.",
                "Parameter view=map is not one of canvas, chart, both; using canvas.",
                "Parameter i=99 is above the limit 31; using 31.",
            ]
        );
    }
}
