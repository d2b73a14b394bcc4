//! The anti-entropy lab's permalink: the pair's fields are the core's
//! ([`gossip_core::link::anti_entropy`], whose docs list every field and limit); this module adds
//! the page's view fields in the same pass, so notices follow the link's order:
//! `lab=anti-entropy` (which lab opens), `m` (the turns of the repair shown), `embed=1` (the
//! compact view for a post) and `view=canvas|chart|both` (what the embed shows: the trees, the
//! chart, or both; the dissemination lab's values, [`EmbedView`]).
//!
//! Example: `?lab=anti-entropy&n=256&d=6&st=merkle&b=4&l=4&seed=1&m=3`; with a pair taken from
//! nodes 0 and 9 of a dissemination run at round 4:
//! `?lab=anti-entropy&…&src=s%3Dpartition%26seed%3D3&r=4&na=0&nb=9&m=0`.

use gossip_core::link::anti_entropy::{self as run_link, Run};
use gossip_core::link::Fields;
pub use gossip_core::link::Notice;

pub use crate::labs::dissemination::params::EmbedView;

/// The most turns a link may ask to show (a repair takes at most the core's message limit).
pub const TURNS_MAX: u64 = 256;

/// The help dialog's rows on the link.
pub const LINK_HELP: &[(&str, &str)] = &[
    ("lab=anti-entropy", "this lab"),
    ("n= d=", "keys each replica holds (16 to 4096), keys that differ (0 to n)"),
    ("st=", "the strategy shown: merkle, digest, full or rateless"),
    ("b= l=", "the Merkle tree's branching (2 to 1024) and depth (levels below the root; at most 65536 leaves)"),
    ("seed= m=", "the seed of the pair; how many turns of the repair are shown"),
    ("src= r= na= nb=", "take the pair from a dissemination-lab link (percent-encoded) at round r: nodes na and nb"),
    ("embed=1 view=", "the compact view for embedding; what it shows: canvas (the trees), chart or both"),
];

/// Everything the link holds: the pair and the page's view fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// The pair and the strategy (the core's link fields).
    pub run: Run,
    /// Turns of the repair shown (clamped to the repair's length by the page).
    pub turn: u32,
    /// The compact view for a post (`embed=1`).
    pub embed: bool,
    /// What the embed shows (`view=`; the full page shows everything).
    pub view: EmbedView,
}

/// The parameters a query string names, and a notice for every value replaced.
pub fn parse(query: &str) -> (Params, Vec<Notice>) {
    let mut turn = 0;
    let (mut embed, mut view) = (false, EmbedView::Canvas);
    let (run, notices) = run_link::parse(query, &mut |k, v, f: &mut Fields| {
        match k {
            "lab" => {
                if v != "anti-entropy" {
                    f.note(k, v, "anti-entropy", "is not this lab");
                }
            }
            "m" => turn = f.int(k, v, 0, TURNS_MAX, 0) as u32,
            "embed" => embed = f.flag(k, v, embed),
            "view" => match EmbedView::ALL.into_iter().find(|e| e.key() == v.trim()) {
                Some(e) => view = e,
                None => f.note(k, v, "canvas", "is not one of canvas, chart, both"),
            },
            _ => return false,
        }
        true
    });
    (
        Params {
            run,
            turn,
            embed,
            view,
        },
        notices,
    )
}

/// The canonical link of `p` (with `?`).
pub fn encode(p: &Params) -> String {
    let mut q = format!("?{}&m={}", p.run.encode_head(), p.turn);
    if p.embed {
        q.push_str("&embed=1");
    }
    if p.view != EmbedView::Canvas {
        q.push_str("&view=");
        q.push_str(p.view.key());
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::link::anti_entropy::StrategyKind;

    #[test]
    fn the_view_field_round_trips_with_the_run() {
        let p = Params {
            run: Run {
                keys: 1024,
                diffs: 40,
                strategy: StrategyKind::Rateless,
                seed: 9,
                ..Run::default()
            },
            turn: 5,
            ..Params::default()
        };
        let (back, notices) = parse(&encode(&p));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, p);
        let embed = Params {
            embed: true,
            view: EmbedView::Chart,
            ..p
        };
        let (back, notices) = parse(&encode(&embed));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, embed);
        let (p, notices) = parse("?lab=anti-entropy&embed=1&view=tree");
        assert_eq!((p.embed, p.view), (true, EmbedView::Canvas));
        assert_eq!(
            notices[0].to_string(),
            "Parameter view=tree is not one of canvas, chart, both; using canvas."
        );
    }

    #[test]
    fn bad_view_values_are_said_in_link_order() {
        let (p, notices) = parse("?lab=membership&m=x&d=-1");
        assert_eq!((p.turn, p.run.diffs), (0, 0));
        let said: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            said,
            [
                "Parameter lab=membership is not this lab; using anti-entropy.",
                "Parameter m=x is not a whole number; using 0.",
                "Parameter d=-1 is below the minimum 0; using 0.",
            ]
        );
    }
}
