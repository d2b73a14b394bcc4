//! The permalink codec: the run, the seed, the round and the recorded actions in a query
//! string, so that opening a link replays exactly what its author saw.
//!
//! The run's fields are the core's ([`gossip_core::link::dissemination`]: its docs list every
//! field, its values and its limits), read and written by the same code the headless runner
//! uses, `lab cluster --link`, so a link gives the same numbers on the page and in the runner.
//! This module adds the page's view fields:
//! `speed` (0.25 to 64), `r` (the round shown, 0 to [`ROUNDS_LIMIT`]), `band=1` (the trials
//! band), `embed=1` (the compact view) and `view` (what the embed shows: `canvas`, `chart` or
//! `both`), in the same pass, so notices follow the link's order. A challenge's fields are read
//! here too: `ch` (the challenge, whose base run the link's own fields then change: a link that
//! names a challenge starts from its base run, not the default one), and a proof link's `chv`
//! and `proof` (kept whole in [`Params::proof`] for the challenge panel; only `ch` is written
//! back).
//!
//! Parsing never fails: a bad value is replaced by a good one with a [`Notice`] naming the
//! parameter, the value given and the value used, which the page shows. A broken link
//! therefore still opens a working page, and says what it fixed.
//!
//! Example: `?s=epidemic&n=200&k=1&m=push&loss=0&lat=1&latmax=1&gi=4&stop=feedback-counter&rk=1&seed=1&speed=1&r=0&band=0&a=3c5_4r5_6w2.color.red`
//! (`a=` is the core's action text, [`gossip_core::script`]: `3c5` crashes node 5 at round 3,
//! `4r5` restarts it at round 4, `6w2.color.red` writes `color = red` at node 2 at round 6,
//! `p0-4~5-9` cuts nodes 0 to 4 from 5 to 9 both ways, `h` heals).

use gossip_core::link::dissemination::{self as run_link, Scenario};
use gossip_core::link::{pairs, Fields};
use gossip_core::sim::Action;

pub use gossip_core::link::dissemination::{
    key_is_written, script_limits, valid_key, ACTIONS_MAX, WRITE_BYTES_MAX,
};
pub use gossip_core::link::Notice;

use super::model::TimedAction;
use super::params::{EmbedView, Params, SPEEDS};
use crate::shell::timeline::ROUNDS_LIMIT;

/// The help dialog's rows on the link: each field, and the `a=` action text, with an example
/// (the README has the same, in a table).
pub const LINK_HELP: &[(&str, &str)] = &[
    ("s=", "scenario: custom, epidemic, modes, rumor, partition, repair, bounds (a preset of the rest)"),
    ("n= k= m=", "nodes (2 to 10000), fanout (1 to 16), mode: push, pull, pushpull, rumor, rumorpull"),
    ("loss= lat= latmax= gi=", "loss in % (0 to 95), latency range and gossip interval in ticks (a round is 4)"),
    ("stop= rk=", "rumor mongering's stop rule (feedback-counter, feedback-coin, blind-counter, blind-coin) and k"),
    ("seed= key= r= speed=", "the seed, the tracked key, the round shown, the speed (0.25 to 64)"),
    ("ae= aei=", "anti-entropy repair beside the mode: off (the default), full, digest, merkle or rateless; a session every aei gossip intervals (1 to 64)"),
    ("mem=", "who each node gossips with: oracle (told the live members at once, the default) or swim (its own SWIM view)"),
    ("embed=1 view=", "the compact view for embedding; what it shows: canvas, chart or both"),
    ("a=", "the actions, in round order, joined by _: [round]op, a missing round is the previous one's"),
    ("c5  r5", "crash node 5; restart it (it comes back empty)"),
    ("w2.color.red  d2.color", "write color = red at node 2; delete the key there"),
    ("p0-4~5-9  o0-4~5-9  h", "cut nodes 0-4 from 5-9 both ways; one way (0-4 cannot reach 5-9); heal"),
    ("nl0.1t1-3  k2.7l1", "every link loses 10 % with latency 1-3 ticks; the link 2 -> 7 loses everything"),
    ("s3.8  s3.0", "node 3 handles its messages and timers 8 ticks late, losing nothing; it catches up"),
    ("a=3c5_6r5_8w2.color.red", "crash node 5 at round 3, restart it at round 6, write at node 2 at round 8"),
    ("ch= chv= proof=", "a challenge (miss10, fanout99, apart20) on its base run, the link's fields changing it; a proof link's version and digest"),
    ("grade=1", "the grading page: paste proof links and check them in this page"),
];

/// The field a link parameter is set with on the page, as its label reads.
pub fn field_label(param: &str) -> &str {
    match param {
        "n" => "Nodes",
        "k" => "Fanout",
        "m" => "Mode",
        "loss" => "Loss (%)",
        "seed" => "Seed",
        "stop" => "Stop rule",
        "rk" => "k",
        "lat" => "Latency, shortest (ticks)",
        "latmax" => "Latency, longest (ticks)",
        "gi" => "Gossip every (ticks)",
        "key" => "Track key",
        "mem" => "Membership",
        "ae" => "Repair",
        "aei" => "Repair every (intervals)",
        "s" => "Scenario",
        "speed" => "Speed",
        other => other,
    }
}

/// A notice about an edit made in the page's field `edited` (a link parameter name), worded
/// with the fields as the page labels them: the edited field says what was used instead, and
/// another field that had to follow says how it changed and why.
pub fn field_message(n: &Notice, edited: &str) -> String {
    let label = field_label(&n.param);
    if n.param == edited {
        if n.used.is_empty() {
            format!("{label}: {} {}; ignored.", n.given, n.why)
        } else {
            format!("{label}: {} {}; using {}.", n.given, n.why, n.used)
        }
    } else if n.param == "latmax" {
        format!(
            "{label} raised from {} to {} to match the shortest latency.",
            n.given, n.used
        )
    } else {
        format!(
            "{label} changed from {} to {}: {} {}.",
            n.given, n.used, n.given, n.why
        )
    }
}

/// The page's view fields as a link gives them; `None` where it gives none.
#[derive(Default)]
struct View {
    speed_index: Option<usize>,
    round: u32,
    band: Option<bool>,
    embed: bool,
    view: EmbedView,
    challenge: Option<&'static str>,
    proof: bool,
}

impl View {
    /// Reads one view field; `false` when `k` is not one. `band_default` is the band of the
    /// scenario the link names, the fallback for a bad `band`.
    fn read(&mut self, k: &str, v: &str, f: &mut Fields, band_default: bool) -> bool {
        match k {
            "speed" => match SPEEDS
                .iter()
                .position(|s| v.trim().parse::<f64>() == Ok(*s))
            {
                Some(i) => self.speed_index = Some(i),
                None => f.note(
                    "speed",
                    v,
                    SPEEDS[Params::default().speed_index],
                    "is not one of 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64",
                ),
            },
            "r" => self.round = f.int("r", v, 0, u64::from(ROUNDS_LIMIT), 0) as u32,
            "band" => self.band = Some(f.flag("band", v, self.band.unwrap_or(band_default))),
            "embed" => self.embed = f.flag("embed", v, self.embed),
            "view" => match EmbedView::ALL.into_iter().find(|e| e.key() == v.trim()) {
                Some(e) => self.view = e,
                None => f.note("view", v, "canvas", "is not one of canvas, chart, both"),
            },
            "ch" => match gossip_core::challenge::find(v.trim()) {
                Some(c) => self.challenge = Some(c.id),
                None => f.note("ch", v, "", "is not a challenge"),
            },
            // The proof's own fields: `gossip_core::challenge::proof::read` checks them.
            "chv" => {}
            "proof" => self.proof = true,
            _ => return false,
        }
        true
    }
}

/// The parameters a query string (with or without its leading `?`) describes, and a notice for
/// every value that could not be used as given.
pub fn parse(query: &str) -> (Params, Vec<Notice>) {
    let with_base =
        challenge_base(query).map(|base| format!("{base}&{}", query.trim_start_matches('?')));
    let query = with_base.as_deref().unwrap_or(query);
    // The band's default is that of the scenario the link names, even when the link changes
    // the scenario's parameters (a view preference, not part of the run).
    let named = pairs(query)
        .into_iter()
        .rev()
        .find(|(k, _)| k == "s")
        .and_then(|(_, v)| Scenario::from_key(&v));
    let band_default = named.is_some_and(Scenario::shows_band);
    let mut view = View::default();
    let (run, notices) = run_link::parse(query, &mut |k, v, f| view.read(k, v, f, band_default));
    let params = Params {
        speed_index: view.speed_index.unwrap_or(Params::default().speed_index),
        round: view.round,
        band: view.band.unwrap_or(band_default),
        embed: view.embed,
        view: view.view,
        challenge: view.challenge,
        proof: view.proof.then(|| query.to_string()),
        ..Params::from_run(run)
    };
    (params, notices)
}

/// The base run of the challenge `query` names (`ch=`, the last one), as link fields without
/// `?`: the link's own fields follow it and so override it (the last value of a field wins).
fn challenge_base(query: &str) -> Option<String> {
    let (_, id) = pairs(query).into_iter().rev().find(|(k, _)| k == "ch")?;
    let base = (gossip_core::challenge::find(id.trim())?.base)();
    base.encode()
        .ok()
        .map(|q| q.trim_start_matches('?').to_string())
}

/// The keys `actions` write or delete, in action order (repeats included).
pub fn written_keys(actions: &[TimedAction]) -> impl Iterator<Item = &[u8]> {
    actions.iter().filter_map(|(_, a)| match a {
        Action::Write { key, .. } | Action::Delete { key, .. } => Some(key.as_slice()),
        _ => None,
    })
}

/// The query string (with its leading `?`) that [`parse`] reads back as `params`, or why the
/// recorded actions cannot be put in a link. The page never holds such actions (it refuses an
/// action the link could not carry, [`gossip_core::link::dissemination::Run::can_record`]), so
/// the error is a guard: a link without its actions would replay another run.
pub fn encode(params: &Params) -> Result<String, gossip_core::script::EncodeError> {
    let run = &params.run;
    let speed = SPEEDS[params.speed_index.min(SPEEDS.len() - 1)];
    let band = if params.band { 1 } else { 0 };
    let mut q = format!(
        "?{}&speed={speed}&r={}&band={band}{}",
        run.encode_head(),
        params.round,
        run.encode_tail()?
    );
    if params.embed {
        q.push_str("&embed=1");
    }
    if params.view != EmbedView::Canvas {
        q.push_str("&view=");
        q.push_str(params.view.key());
    }
    if let Some(id) = params.challenge {
        q.push_str("&ch=");
        q.push_str(id);
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::dissemination::model::RUMOR_KEY;
    use crate::labs::dissemination::params::{
        Protocol, Run, StopRule, FANOUT_MAX, GOSSIP_INTERVAL_TICKS_MAX, LATENCY_TICKS_MAX,
        LOSS_PERCENT_MAX, NODES_MAX, NODES_MIN, RUMOR_K_MAX,
    };
    use gossip_core::rng::Rng;
    use gossip_core::time::Round;

    fn notice_params(q: &str) -> Vec<String> {
        parse(q).1.into_iter().map(|n| n.param).collect()
    }

    #[test]
    fn page_edits_are_worded_with_the_fields_not_the_link() {
        // The page applies an edit by parsing its current link plus the edited parameter.
        let edit = |q: &str, key: &str| -> Vec<String> {
            parse(q).1.iter().map(|n| field_message(n, key)).collect()
        };
        assert_eq!(
            edit("?n=32&n=50000", "n"),
            ["Nodes: 50000 is above the limit 10000; using 10000."]
        );
        assert_eq!(
            edit("?lat=1&latmax=1&lat=3", "lat"),
            ["Latency, longest (ticks) raised from 1 to 3 to match the shortest latency."]
        );
        let rumor = edit("?loss=30&m=rumor", "m");
        assert_eq!(rumor.len(), 1);
        assert!(
            rumor[0].starts_with("Loss (%) changed from 30 to 0: 30 does not apply to rumor"),
            "{}",
            rumor[0]
        );
        for m in rumor.iter().chain(&edit("?n=32&n=50000", "n")) {
            assert!(!m.contains("Parameter") && !m.contains('='), "{m}");
        }
    }

    #[test]
    fn rumor_mongering_clamps_loss_to_zero_with_a_notice() {
        let (p, notices) = parse("?m=rumor&loss=50");
        assert_eq!(p.run.loss_percent, 0);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "loss");
        assert!(notices[0].to_string().contains("loss=50"), "{}", notices[0]);
        assert!(notices[0].to_string().contains("using 0"), "{}", notices[0]);
        // Loss stays with the epidemic modes, and a rumor link without loss has no notice.
        assert_eq!(parse("?m=push&loss=50").0.run.loss_percent, 50);
        assert!(parse("?m=rumor&loss=0").1.is_empty());
    }

    #[test]
    fn a_tracked_key_that_no_action_writes_falls_back_to_the_rumor_with_a_notice() {
        let (p, notices) = parse("?key=nokey");
        assert_eq!(p.run.key, RUMOR_KEY);
        assert_eq!(notices.len(), 1);
        let said = notices[0].to_string();
        assert!(
            said.contains("key=nokey") && said.contains("using rumor"),
            "{said}"
        );
        // Written by an action of the link, it is kept.
        let mut want = Params::from_run(Run {
            key: "colour".into(),
            ..Run::default()
        });
        want.run.actions.push((
            Round(2),
            Action::Write {
                node: 3,
                key: b"colour".to_vec(),
                value: b"red".to_vec(),
            },
        ));
        assert_eq!(parse(&encode(&want).unwrap()), (want, Vec::new()));
    }

    #[test]
    fn a_negative_number_is_clamped_to_the_minimum_with_a_notice_saying_so() {
        let (p, notices) = parse("?n=-5&loss=-3");
        assert_eq!((p.run.nodes, p.run.loss_percent), (NODES_MIN, 0));
        let said: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            said,
            [
                format!("Parameter n=-5 is below the minimum {NODES_MIN}; using {NODES_MIN}."),
                "Parameter loss=-3 is below the minimum 0; using 0.".to_string(),
            ]
        );
        // Not a number at all is still said so.
        assert!(parse("?n=-x").1[0]
            .to_string()
            .contains("is not a whole number"));
    }

    #[test]
    fn an_empty_query_gives_the_defaults_without_notices() {
        assert_eq!(parse(""), (Params::default(), Vec::new()));
        assert_eq!(parse("?"), (Params::default(), Vec::new()));
    }

    use gossip_core::link::dissemination::{
        RepairStrategy, REPAIR_EVERY_DEFAULT, REPAIR_EVERY_MAX,
    };

    /// A random valid parameter set, from the core's own seeded generator (no extra crates).
    fn random_params(rng: &mut Rng) -> Params {
        let selectable: Vec<Scenario> = Scenario::ALL
            .into_iter()
            .filter(|s| s.unavailable().is_none())
            .collect();
        let nodes = NODES_MIN + rng.below(NODES_MAX - NODES_MIN + 1);
        let mut round = 0;
        let actions = (0..rng.below(4))
            .map(|i| {
                // The canonical text lists actions in round order.
                round += rng.below(50);
                let action = match i % 4 {
                    0 => Action::Crash(rng.below(nodes)),
                    1 => Action::Restart(rng.below(nodes)),
                    2 => Action::Write {
                        node: rng.below(nodes),
                        key: b"colour".to_vec(),
                        value: rng.below(1000).to_string().into_bytes(),
                    },
                    _ => Action::Heal,
                };
                (Round(u64::from(round)), action)
            })
            .collect::<Vec<_>>();
        // A valid link tracks the rumor or a key its actions write.
        let writes = actions
            .iter()
            .any(|(_, a)| matches!(a, Action::Write { .. }));
        let key = if writes && rng.below(2) == 1 {
            "colour"
        } else {
            "rumor"
        };
        let scenario = selectable[rng.below(selectable.len() as u32) as usize];
        let latency_min = 1 + rng.below(LATENCY_TICKS_MAX);
        let mode = Protocol::ALL[rng.below(Protocol::ALL.len() as u32) as usize];
        // Rumor mongering runs without loss: a valid parameter set has none.
        let loss_percent = rng.below(LOSS_PERCENT_MAX + 1) * u32::from(!mode.is_rumor());
        let repair = RepairStrategy::ALL[rng.below(RepairStrategy::ALL.len() as u32) as usize];
        // With repair off the gap is not in the link: a valid set keeps the default then.
        let repair_every = match repair {
            RepairStrategy::Off => REPAIR_EVERY_DEFAULT,
            _ => 1 + rng.below(REPAIR_EVERY_MAX),
        };
        let mut p = Params {
            run: Run {
                repair,
                repair_every,
                latency_min,
                latency_max: latency_min + rng.below(LATENCY_TICKS_MAX - latency_min + 1),
                gossip_ticks: 1 + rng.below(GOSSIP_INTERVAL_TICKS_MAX),
                key: key.to_string(),
                scenario,
                nodes,
                fanout: 1 + rng.below(FANOUT_MAX.min(nodes - 1)),
                mode,
                stop: StopRule::ALL[rng.below(StopRule::ALL.len() as u32) as usize],
                rumor_k: 1 + rng.below(RUMOR_K_MAX),
                loss_percent,
                seed: rng.next_u64(),
                actions,
                membership: if rng.below(2) == 1 {
                    gossip_core::link::dissemination::Membership::Swim
                } else {
                    gossip_core::link::dissemination::Membership::Oracle
                },
            },
            speed_index: rng.below(SPEEDS.len() as u32) as usize,
            round: rng.below(ROUNDS_LIMIT + 1),
            band: rng.below(2) == 1,
            embed: rng.below(2) == 1,
            view: EmbedView::ALL[rng.below(3) as usize],
            challenge: None,
            proof: None,
        };
        // A link's scenario describes its run: random parameters mostly depart from it.
        if !p.run.fits_scenario() {
            p.run.scenario = Scenario::Custom;
        }
        p
    }

    #[test]
    fn every_valid_parameter_set_round_trips_exactly_and_quietly() {
        let mut rng = Rng::from_seed(2026);
        for _ in 0..2000 {
            let want = random_params(&mut rng);
            let (got, notices) = parse(&encode(&want).unwrap());
            assert_eq!(got, want);
            assert!(notices.is_empty(), "{notices:?}");
        }
    }

    #[test]
    fn nodes_above_the_limit_are_clamped_with_a_notice_naming_the_value_used() {
        let (p, notices) = parse("?n=50000");
        assert_eq!(p.run.nodes, NODES_MAX);
        assert_eq!(
            notices[0].to_string(),
            "Parameter n=50000 is above the limit 10000; using 10000."
        );
        let (p, _) = parse("?n=99999999999999999999999");
        assert_eq!(p.run.nodes, NODES_MAX);
        assert_eq!(parse("?n=1").0.run.nodes, NODES_MIN);
    }

    #[test]
    fn malformed_values_fall_back_and_say_so() {
        let (p, notices) = parse("?n=abc&m=gossip&loss=-3&seed=x&speed=3&band=yes&zz=1&r=1e3");
        assert_eq!(p.run.nodes, 32);
        assert_eq!(p.run.mode, Protocol::Push);
        assert_eq!(p.run.loss_percent, 0);
        assert_eq!(p.run.seed, 1);
        let names: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
        assert_eq!(
            names,
            ["n", "m", "loss", "seed", "speed", "band", "zz", "r"]
        );
        assert!(notices[0]
            .to_string()
            .contains("n=abc is not a whole number; using 32"));
    }

    #[test]
    fn fanout_is_checked_against_the_number_of_nodes_whatever_the_order() {
        let (p, notices) = parse("?k=9&n=5");
        assert_eq!((p.run.nodes, p.run.fanout), (5, 4));
        assert_eq!(notices[0].param, "k");
        assert_eq!(parse("?k=0").0.run.fanout, 1);
        assert_eq!(notice_params("?k=17"), ["k"]);
    }

    #[test]
    fn scenarios_set_defaults_that_later_parameters_override() {
        let (p, notices) = parse("?seed=3&s=epidemic");
        assert!(notices.is_empty());
        assert_eq!(
            (p.run.scenario, p.run.nodes, p.run.mode, p.run.seed),
            (Scenario::Epidemic, 200, Protocol::Push, 3)
        );
        // A parameter the scenario's caption depends on makes the run a custom one, said once
        // (as the same change made in the page's fields does).
        let (p, notices) = parse("?n=300&s=epidemic");
        assert_eq!((p.run.scenario, p.run.nodes), (Scenario::Custom, 300));
        assert_eq!(
            notices.iter().map(|n| field_message(n, "n")).collect::<Vec<_>>(),
            ["Scenario changed from epidemic to custom: epidemic does not describe this run (the link changes the scenario's parameters)."]
        );
        assert_eq!(notice_params("?s=nope"), ["s"]);
        assert!(notice_params("?s=partition").is_empty());
        assert_eq!(parse("?s=partition").0.run.actions.len(), 4);
        // The rumor scenario invites changing k; another stop rule is another experiment.
        let (p, notices) = parse("?s=rumor&rk=3");
        assert!(notices.is_empty());
        assert_eq!(
            (p.run.scenario, p.run.mode, p.run.rumor_k),
            (Scenario::Rumor, Protocol::RumorPush, 3)
        );
        let (p, notices) = parse("?s=rumor&rk=3&stop=blind-coin");
        assert_eq!(
            (p.run.scenario, p.run.stop),
            (Scenario::Custom, StopRule::BlindCoin)
        );
        assert_eq!(notices.len(), 1);
        assert_eq!(notice_params("?stop=never&rk=65"), ["stop", "rk"]);
    }

    #[test]
    fn actions_use_the_cores_text_and_a_bad_list_is_ignored_whole_with_its_reason() {
        let (p, notices) = parse("?n=100&a=3c5_4h");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            p.run.actions,
            vec![(Round(3), Action::Crash(5)), (Round(4), Action::Heal)]
        );
        assert!(encode(&p).unwrap().contains("&a=3c5_4h"));
        // Node 500 does not exist in a cluster of 100, whatever the order of the parameters.
        let (p, notices) = parse("?a=3c500&n=100");
        assert!(p.run.actions.is_empty());
        assert_eq!(notices[0].param, "a");
        assert!(notices[0]
            .to_string()
            .contains("is not a valid action list"));
    }

    #[test]
    fn a_link_carries_every_action_the_cluster_takes_and_refuses_one_more_up_front() {
        // Was: beyond 1,000 actions `encode` left `a=` out (the cluster takes 4,096), so Copy
        // link, the address bar, the embed link and the CSV header replayed another run.
        let actions: Vec<TimedAction> = (0..ACTIONS_MAX)
            .map(|i| {
                let node = i % 10;
                let a = if i % 2 == 0 {
                    Action::Crash(node)
                } else {
                    Action::Restart(node)
                };
                (Round(u64::from(i / 8)), a)
            })
            .collect();
        let p = Params::from_run(Run {
            nodes: 10,
            actions,
            ..Run::default()
        });
        let (back, notices) = parse(&encode(&p).unwrap());
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.run.actions.len(), ACTIONS_MAX as usize);
        // The page asks before acting: one more action is refused with the reason.
        let e = p.run.can_record(Round(600), &Action::Heal).unwrap_err();
        assert!(e.to_string().contains("4096"), "{e}");
    }

    #[test]
    fn percent_escapes_and_garbage_never_panic() {
        let mut rng = Rng::from_seed(5);
        let alphabet = b"?&=%+:,|-0123456789abcnkmsr\xc3\xa9";
        for _ in 0..5000 {
            let len = rng.below(30) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u32) as usize])
                .collect();
            let q = String::from_utf8_lossy(&bytes);
            let (p, _) = parse(&q);
            assert!(
                crate::labs::dissemination::model::Engine::new(p.config(), &[]).is_ok(),
                "{q}"
            );
        }
        assert_eq!(parse("?n=%33%32").0.run.nodes, 32);
        assert_eq!(parse("?n=%3").1[0].param, "n");
    }

    #[test]
    fn a_challenge_link_opens_its_base_run_changed_by_the_links_fields_and_keeps_ch() {
        let fanout = gossip_core::challenge::find("fanout99").unwrap();
        let (p, notices) = parse("?ch=fanout99");
        assert_eq!((p.run.clone(), notices), ((fanout.base)(), Vec::new()));
        assert_eq!(p.challenge, Some("fanout99"));
        let (p, notices) = parse("?ch=fanout99&k=2");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!((p.run.fanout, p.run.nodes), (2, 1000));
        let q = encode(&p).unwrap();
        assert!(q.ends_with("&ch=fanout99"), "{q}");
        assert_eq!(parse(&q), (p, Vec::new()));
        let apart = gossip_core::challenge::find("apart20").unwrap();
        let (p, notices) = parse("?ch=apart20");
        assert_eq!((p.run, notices), ((apart.base)(), Vec::new()));
        let (p, notices) = parse("?ch=nope");
        assert_eq!(p.challenge, None);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "ch");
    }

    #[test]
    fn a_proof_link_opens_its_run_without_notices_and_is_not_written_back() {
        use gossip_core::challenge::{check::Check, find, proof};
        let ch = find("apart20").unwrap();
        let (mut p, _) = parse("?ch=apart20");
        p.run.actions = gossip_core::script::decode("p0-31~32-63_25h", &url_limits(&p)).unwrap();
        let verdict = Check::new(ch, &p.run).run_to_end();
        let link = proof::link(ch, &p.run, verdict.student.as_ref().unwrap()).unwrap();
        let (q, notices) = parse(&link);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(q.run, p.run);
        assert_eq!(q.proof.as_deref().map(|l| l.contains("proof=")), Some(true));
        let back = encode(&q).unwrap();
        assert!(
            back.contains("&ch=apart20") && !back.contains("proof="),
            "{back}"
        );
    }

    fn url_limits(p: &Params) -> gossip_core::script::ScriptLimits {
        script_limits(p.run.nodes)
    }
}
