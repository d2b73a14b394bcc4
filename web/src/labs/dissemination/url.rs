//! The permalink codec: every parameter, the seed, the round and the recorded actions in a
//! query string, so that opening a link replays exactly what its author saw.
//!
//! Parsing never fails: each parameter is validated on its own, and a bad value is replaced by
//! a good one with a [`Notice`] naming the parameter, the value given and the value used, which
//! the page shows. A broken link therefore still opens a working page, and says what it fixed.
//!
//! Format: `?s=epidemic&n=200&k=1&m=push&loss=0&stop=feedback-counter&rk=1&seed=1&speed=1&r=0`
//! (`m` is push, pull, pushpull, rumor or rumorpull; `stop` and `rk` are rumor mongering's stop
//! rule and its `k`; `lat` and `latmax` the message latency range in ticks, four to a round;
//! `gi` the gossip interval in ticks; `key` the tracked key when it is not the rumor) plus `band=1` for the trials band, `embed=1` for the compact view, and `a=` for actions, a comma-separated list of
//! `round:verb[:args]`: `3:crash:5`, `4:restart:5`, `5:write:5:42`, `6:partition:0-50|50-100`,
//! `9:heal`.

use std::fmt;

use super::params::{
    mode_from_key, mode_key, Params, Scenario, StopRule, FANOUT_MAX, GOSSIP_INTERVAL_TICKS_MAX,
    KEY_BYTES_MAX, LATENCY_TICKS_MAX, LOSS_PERCENT_MAX, NODES_MAX, NODES_MIN, RUMOR_K_MAX, SPEEDS,
};
use gossip_core::script::{self, ScriptLimits, PARTITION_IDS_DEFAULT, TEXT_BYTES_DEFAULT};
use gossip_core::sim::Action;

use super::model::{TimedAction, RUMOR_KEY};
use crate::shell::timeline::ROUNDS_LIMIT;

/// The most actions a link may carry.
pub const ACTIONS_MAX: u32 = 1000;
/// The longest key or value a recorded write may hold, in bytes.
pub const WRITE_BYTES_MAX: u32 = 64;

/// What the action text of a cluster of `nodes` nodes may contain.
pub fn script_limits(nodes: u32) -> ScriptLimits {
    ScriptLimits {
        nodes,
        text_bytes_max: TEXT_BYTES_DEFAULT,
        actions_max: ACTIONS_MAX,
        rounds_max: u64::from(ROUNDS_LIMIT),
        key_bytes_max: WRITE_BYTES_MAX,
        value_bytes_max: WRITE_BYTES_MAX,
        partition_ids_max: PARTITION_IDS_DEFAULT,
    }
}

/// A parameter of a link that could not be used as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The parameter's name in the link.
    pub param: String,
    /// The value given.
    pub given: String,
    /// What is used instead (empty when the parameter is ignored).
    pub used: String,
    /// Why.
    pub why: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parameter {}={} {}", self.param, self.given, self.why)?;
        if self.used.is_empty() {
            write!(f, "; ignored.")
        } else {
            write!(f, "; using {}.", self.used)
        }
    }
}

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

/// Decodes `%XX` escapes and `+` (a space in query strings); bad escapes are kept as text.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Keeps a notice's echo of a bad value short and printable.
fn shown(value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        format!("{clean}…")
    } else {
        clean
    }
}

struct Parser {
    notices: Vec<Notice>,
}

impl Parser {
    fn note(&mut self, param: &str, given: &str, used: impl ToString, why: impl ToString) {
        self.notices.push(Notice {
            param: param.to_string(),
            given: shown(given),
            used: used.to_string(),
            why: why.to_string(),
        });
    }

    /// An integer in `min..=max`: out-of-range values are clamped, others fall back.
    fn int(&mut self, param: &str, given: &str, min: u64, max: u64, fallback: u64) -> u64 {
        match given.trim().parse::<u64>() {
            Ok(v) if v < min => {
                self.note(param, given, min, format!("is below the minimum {min}"));
                min
            }
            Ok(v) if v > max => {
                self.note(param, given, max, format!("is above the limit {max}"));
                max
            }
            Ok(v) => v,
            Err(_) => {
                // A huge number still deserves the clamp rather than "not a number", and so does
                // a negative one.
                let digits = given.trim().strip_prefix('-');
                if !given.is_empty() && given.trim().bytes().all(|b| b.is_ascii_digit()) {
                    self.note(param, given, max, format!("is above the limit {max}"));
                    return max;
                }
                if digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
                    self.note(param, given, min, format!("is below the minimum {min}"));
                    return min;
                }
                self.note(param, given, fallback, "is not a whole number");
                fallback
            }
        }
    }
}

/// The parameters a query string (with or without its leading `?`) describes, and a notice for
/// every value that could not be used as given.
pub fn parse(query: &str) -> (Params, Vec<Notice>) {
    let mut p = Parser {
        notices: Vec::new(),
    };
    let pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(kv), String::new()),
        })
        .collect();
    // The scenario first: it sets the defaults that the other parameters override.
    let mut params = Params::default();
    if let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == "s") {
        match Scenario::from_key(v) {
            Some(s) if s.unavailable().is_some() => {
                let why = format!("is not available yet ({})", s.unavailable().unwrap_or(""));
                p.note("s", v, Scenario::Custom.key(), why);
            }
            Some(s) => params = s.params(),
            None => p.note("s", v, Scenario::Custom.key(), "is not a known scenario"),
        }
    }
    let defaults = params.clone();
    let mut fanout_given = None;
    let mut actions_given = None;
    let mut latency_max_given = None;
    for (k, v) in &pairs {
        match k.as_str() {
            "s" => {}
            "n" => {
                params.nodes = p.int(
                    "n",
                    v,
                    u64::from(NODES_MIN),
                    u64::from(NODES_MAX),
                    u64::from(defaults.nodes),
                ) as u32
            }
            "k" => fanout_given = Some(v.clone()),
            "m" => match mode_from_key(v) {
                Some(m) => params.mode = m,
                None => p.note(
                    "m",
                    v,
                    mode_key(defaults.mode),
                    "is not a mode (push, pull, pushpull, rumor or rumorpull)",
                ),
            },
            "stop" => match StopRule::from_key(v) {
                Some(r) => params.stop = r,
                None => p.note(
                    "stop",
                    v,
                    defaults.stop.key(),
                    "is not a stop rule (feedback-counter, feedback-coin, blind-counter or blind-coin)",
                ),
            },
            "rk" => {
                params.rumor_k = p.int(
                    "rk",
                    v,
                    1,
                    u64::from(RUMOR_K_MAX),
                    u64::from(defaults.rumor_k),
                ) as u32
            }
            "loss" => {
                params.loss_percent = p.int(
                    "loss",
                    v,
                    0,
                    u64::from(LOSS_PERCENT_MAX),
                    u64::from(defaults.loss_percent),
                ) as u32
            }
            "lat" => {
                params.latency_min = p.int(
                    "lat",
                    v,
                    1,
                    u64::from(LATENCY_TICKS_MAX),
                    u64::from(defaults.latency_min),
                ) as u32
            }
            "latmax" => latency_max_given = Some(v.clone()),
            "gi" => {
                params.gossip_ticks = p.int(
                    "gi",
                    v,
                    1,
                    u64::from(GOSSIP_INTERVAL_TICKS_MAX),
                    u64::from(defaults.gossip_ticks),
                ) as u32
            }
            "key" => {
                if valid_key(v) {
                    params.key = v.clone();
                } else {
                    p.note(
                        "key",
                        v,
                        &defaults.key,
                        format!("is not 1 to {KEY_BYTES_MAX} letters, digits, '-', '.', '_' or '~'"),
                    );
                }
            }
            "seed" => match v.trim().parse::<u64>() {
                Ok(s) => params.seed = s,
                Err(_) => p.note("seed", v, defaults.seed, "is not a whole number below 2^64"),
            },
            "speed" => match SPEEDS
                .iter()
                .position(|s| v.trim().parse::<f64>() == Ok(*s))
            {
                Some(i) => params.speed_index = i,
                None => p.note(
                    "speed",
                    v,
                    SPEEDS[defaults.speed_index],
                    "is not one of 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64",
                ),
            },
            "r" => params.round = p.int("r", v, 0, u64::from(ROUNDS_LIMIT), 0) as u32,
            "band" => match v.as_str() {
                "1" => params.band = true,
                "0" => params.band = false,
                _ => p.note("band", v, u8::from(defaults.band), "is not 0 or 1"),
            },
            "embed" => match v.as_str() {
                "1" => params.embed = true,
                "0" => params.embed = false,
                _ => p.note("embed", v, 0, "is not 0 or 1"),
            },
            "a" => actions_given = Some(v.clone()),
            _ => p.note(k, v, "", "is not a parameter of Gossip Lab"),
        }
    }
    // The fanout's limit depends on the number of nodes, so it is checked last.
    let fanout_max = FANOUT_MAX.min(params.nodes - 1);
    if let Some(v) = fanout_given {
        let fallback = defaults.fanout.min(fanout_max);
        params.fanout = p.int("k", &v, 1, u64::from(fanout_max), u64::from(fallback)) as u32;
    } else if params.fanout > fanout_max {
        params.fanout = fanout_max;
    }
    // The longest latency is at least the shortest.
    match latency_max_given {
        Some(v) => {
            params.latency_max = p.int(
                "latmax",
                &v,
                u64::from(params.latency_min),
                u64::from(LATENCY_TICKS_MAX),
                u64::from(params.latency_min),
            ) as u32
        }
        None => params.latency_max = params.latency_max.max(params.latency_min),
    }
    // Rumor mongering here has no message loss (as the kernel's Demers rule its band uses): a
    // loss given with it would be shown but not simulated, so it is set to 0 and said so.
    if params.mode.is_rumor() && params.loss_percent > 0 {
        let given = params.loss_percent.to_string();
        p.note(
            "loss",
            &given,
            0,
            "does not apply to rumor mongering, which runs without message loss",
        );
        params.loss_percent = 0;
    }
    // Node ids in actions are checked against the number of nodes, so they come last too.
    if let Some(v) = actions_given {
        match script::decode(&v, &script_limits(params.nodes)) {
            Ok(actions) => params.actions = actions,
            Err(e) => p.note("a", &v, "", format!("is not a valid action list ({e})")),
        }
    }
    if !key_is_written(&params.key, &params.actions) {
        let given = core::mem::replace(&mut params.key, RUMOR_KEY.to_string());
        p.note(
            "key",
            &given,
            RUMOR_KEY,
            "is written by no action in the link, so no node would ever hold it",
        );
    }
    (params, p.notices)
}

/// The keys `actions` write or delete, in action order (repeats included).
pub fn written_keys(actions: &[TimedAction]) -> impl Iterator<Item = &[u8]> {
    actions.iter().filter_map(|(_, a)| match a {
        Action::Write { key, .. } | Action::Delete { key, .. } => Some(key.as_slice()),
        _ => None,
    })
}

/// Whether a run with `actions` ever has `key`: the rumor, or a key an action writes. Tracking
/// any other key would show 0 informed for ever, with nothing to say why.
pub fn key_is_written(key: &str, actions: &[TimedAction]) -> bool {
    key == RUMOR_KEY || written_keys(actions).any(|k| k == key.as_bytes())
}

/// Whether `key` may be tracked and written from the page: short, and made of characters a
/// link carries unescaped (the script codec's unreserved set).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= KEY_BYTES_MAX && key.chars().all(script::is_unreserved)
}

/// The query string (with its leading `?`) that [`parse`] reads back as `params`.
pub fn encode(params: &Params) -> String {
    let mut q = format!(
        "?s={}&n={}&k={}&m={}&loss={}&lat={}&latmax={}&gi={}&stop={}&rk={}&seed={}&speed={}&r={}",
        params.scenario.key(),
        params.nodes,
        params.fanout,
        mode_key(params.mode),
        params.loss_percent,
        params.latency_min,
        params.latency_max,
        params.gossip_ticks,
        params.stop.key(),
        params.rumor_k,
        params.seed,
        SPEEDS[params.speed_index.min(SPEEDS.len() - 1)],
        params.round,
    );
    // Always written: a scenario's default for it may be either.
    q.push_str(if params.band { "&band=1" } else { "&band=0" });
    if params.actions.is_empty() && !params.scenario.params().actions.is_empty() {
        // The scenario's own actions were removed: say so, or the link would bring them back.
        q.push_str("&a=");
    } else if !params.actions.is_empty() {
        // Every list the codec accepted encodes; one that cannot is left out of the link rather
        // than written in a form that would not read back.
        if let Ok(text) = script::encode(&params.actions, &script_limits(params.nodes)) {
            q.push_str("&a=");
            q.push_str(&text);
        }
    }
    if params.key != RUMOR_KEY {
        q.push_str("&key=");
        q.push_str(&params.key);
    }
    if params.embed {
        q.push_str("&embed=1");
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::dissemination::params::Protocol;
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
        assert_eq!(p.loss_percent, 0);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "loss");
        assert!(notices[0].to_string().contains("loss=50"), "{}", notices[0]);
        assert!(notices[0].to_string().contains("using 0"), "{}", notices[0]);
        // Loss stays with the epidemic modes, and a rumor link without loss has no notice.
        assert_eq!(parse("?m=push&loss=50").0.loss_percent, 50);
        assert!(parse("?m=rumor&loss=0").1.is_empty());
    }

    #[test]
    fn a_tracked_key_that_no_action_writes_falls_back_to_the_rumor_with_a_notice() {
        let (p, notices) = parse("?key=nokey");
        assert_eq!(p.key, RUMOR_KEY);
        assert_eq!(notices.len(), 1);
        let said = notices[0].to_string();
        assert!(
            said.contains("key=nokey") && said.contains("using rumor"),
            "{said}"
        );
        // Written by an action of the link, it is kept.
        let mut want = Params {
            key: "colour".into(),
            ..Params::default()
        };
        want.actions.push((
            Round(2),
            Action::Write {
                node: 3,
                key: b"colour".to_vec(),
                value: b"red".to_vec(),
            },
        ));
        assert_eq!(parse(&encode(&want)), (want, Vec::new()));
    }

    #[test]
    fn a_negative_number_is_clamped_to_the_minimum_with_a_notice_saying_so() {
        let (p, notices) = parse("?n=-5&loss=-3");
        assert_eq!((p.nodes, p.loss_percent), (NODES_MIN, 0));
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
        Params {
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
            speed_index: rng.below(SPEEDS.len() as u32) as usize,
            round: rng.below(ROUNDS_LIMIT + 1),
            band: rng.below(2) == 1,
            actions,
            embed: rng.below(2) == 1,
        }
    }

    #[test]
    fn every_valid_parameter_set_round_trips_exactly_and_quietly() {
        let mut rng = Rng::from_seed(2026);
        for _ in 0..2000 {
            let want = random_params(&mut rng);
            let (got, notices) = parse(&encode(&want));
            assert_eq!(got, want);
            assert!(notices.is_empty(), "{notices:?}");
        }
    }

    #[test]
    fn nodes_above_the_limit_are_clamped_with_a_notice_naming_the_value_used() {
        let (p, notices) = parse("?n=50000");
        assert_eq!(p.nodes, NODES_MAX);
        assert_eq!(
            notices[0].to_string(),
            "Parameter n=50000 is above the limit 10000; using 10000."
        );
        let (p, _) = parse("?n=99999999999999999999999");
        assert_eq!(p.nodes, NODES_MAX);
        assert_eq!(parse("?n=1").0.nodes, NODES_MIN);
    }

    #[test]
    fn malformed_values_fall_back_and_say_so() {
        let (p, notices) = parse("?n=abc&m=gossip&loss=-3&seed=x&speed=3&band=yes&zz=1&r=1e3");
        assert_eq!(p.nodes, 32);
        assert_eq!(p.mode, Protocol::Push);
        assert_eq!(p.loss_percent, 0);
        assert_eq!(p.seed, 1);
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
        assert_eq!((p.nodes, p.fanout), (5, 4));
        assert_eq!(notices[0].param, "k");
        assert_eq!(parse("?k=0").0.fanout, 1);
        assert_eq!(notice_params("?k=17"), ["k"]);
    }

    #[test]
    fn scenarios_set_defaults_that_later_parameters_override() {
        let (p, notices) = parse("?n=300&s=epidemic");
        assert!(notices.is_empty());
        assert_eq!(
            (p.scenario, p.nodes, p.mode),
            (Scenario::Epidemic, 300, Protocol::Push)
        );
        assert_eq!(notice_params("?s=nope"), ["s"]);
        assert!(notice_params("?s=partition").is_empty());
        assert_eq!(parse("?s=partition").0.actions.len(), 4);
        let (p, notices) = parse("?s=rumor&rk=3&stop=blind-coin");
        assert!(notices.is_empty());
        assert_eq!(
            (p.mode, p.rumor_k, p.stop),
            (Protocol::RumorPush, 3, StopRule::BlindCoin)
        );
        assert_eq!(notice_params("?stop=never&rk=65"), ["stop", "rk"]);
    }

    #[test]
    fn actions_use_the_cores_text_and_a_bad_list_is_ignored_whole_with_its_reason() {
        let (p, notices) = parse("?n=100&a=3c5_4h");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            p.actions,
            vec![(Round(3), Action::Crash(5)), (Round(4), Action::Heal)]
        );
        assert!(encode(&p).contains("&a=3c5_4h"));
        // Node 500 does not exist in a cluster of 100, whatever the order of the parameters.
        let (p, notices) = parse("?a=3c500&n=100");
        assert!(p.actions.is_empty());
        assert_eq!(notices[0].param, "a");
        assert!(notices[0]
            .to_string()
            .contains("is not a valid action list"));
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
        assert_eq!(parse("?n=%33%32").0.nodes, 32);
        assert_eq!(parse("?n=%3").1[0].param, "n");
    }
}
