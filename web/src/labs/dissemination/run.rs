//! The run the lab shows, apart from the page: its parameters, its timeline, the node layout,
//! the theory curves and trials, and what the lab tells the user about them (notices and the
//! restart note). No browser here: a change of parameter, a scenario or an action goes in, and
//! the run says what became of it; the session ([`super::transport`]) does the rest (the
//! canvases, playback, the address bar). Host-tested.

use gossip_core::link::dissemination::Ending;
use gossip_core::sim::Action;
use gossip_core::time::Round;

use super::chart::{Theory, Trials};
use super::model::{self, informed_series, Engine, RUMOR_KEY};
use super::paint::{CANVAS_HEIGHT_PX, CANVAS_MARGIN_PX, CANVAS_WIDTH_PX};
use super::params::{Params, Scenario};
use super::url;
use crate::layout::Layout;
use crate::shell::actions::{self, ActionsCmd};
use crate::shell::notices::Notices;
use crate::shell::timeline::{Edit, Timeline, ROUNDS_LIMIT};

/// What a change of parameter did to the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The run changed: it restarted from round 0.
    Restarted,
    /// The run is the same; only the link changed (the speed, say).
    Kept,
    /// The new configuration was refused; nothing changed (a notice says why).
    Refused,
}

/// The run.
pub struct Run {
    /// Its parameters, as the link has them.
    pub params: Params,
    /// Its timeline.
    pub timeline: Timeline<Engine>,
    /// Where its nodes are drawn.
    pub layout: Layout,
    /// The theory curves for its parameters.
    pub theory: Theory,
    /// The fast kernel's runs for its parameters.
    pub trials: Trials,
    /// What the lab tells the user.
    pub notices: Notices,
    /// The note on the last restart (shown with the notices).
    pub restart_note: Option<String>,
    /// The round a link asked for, while the run is still being computed toward it
    /// ([`Run::catch_up`]); `params.round` keeps it, so the link is unchanged meanwhile.
    pub catching_up: Option<u32>,
    /// Changes whenever the computed run is replaced (a restart, an action that forks it), so
    /// a copy of its records (`window.gossipLab`) knows to start again.
    pub epoch: u64,
    /// Whether acting in the past forks (drops the later actions) instead of inserting the
    /// action and keeping them (the default). The page's choice, not the link's.
    pub fork: bool,
}

fn layout(nodes: u32) -> Layout {
    Layout::new(
        nodes,
        f64::from(CANVAS_WIDTH_PX),
        f64::from(CANVAS_HEIGHT_PX),
        CANVAS_MARGIN_PX,
    )
}

/// Escapes a form value for splicing into a query string.
fn escape(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '%' | '&' | '=' | '+' | '#' | '?' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

impl Run {
    /// The run of `params` at round 0, with the link's notices, to be brought to the round they
    /// ask for by [`Run::catch_up`] (a frame's budget at a time: 10,000 nodes at round 5,000
    /// would block the page for seconds).
    pub fn new(params: Params, link_notices: Vec<String>) -> Run {
        // Params from the codec are within their limits, so the configuration is valid; if a
        // bug let a bad one through, the defaults keep the page alive and the notice says so.
        let mut notices = Notices::default();
        notices.extend(link_notices);
        let (params, timeline) = match model::start(params.config(), params.run.actions.clone()) {
            Ok(t) => (params, t),
            Err(e) => {
                notices.push(format!("{e}; using the defaults."));
                let d = Params::default();
                let t = model::start(d.config(), Vec::new()).expect("defaults are valid");
                (d, t)
            }
        };
        let mut run = Run {
            layout: layout(params.run.nodes),
            params,
            timeline,
            theory: Theory::default(),
            trials: Trials::default(),
            notices,
            restart_note: None,
            catching_up: None,
            epoch: 0,
            fork: false,
        };
        run.rebuild_derived();
        let key = run.params.run.key.clone();
        run.timeline.set_lens(&key.as_bytes().to_vec());
        run.catching_up = (run.params.round > 0).then_some(run.params.round);
        run
    }

    /// Computes toward the round the link asked for while `more()` says so (at least one tick);
    /// returns whether it got there now. The state reached is exactly what going there at once
    /// would show; a run that ends earlier stops there and a notice says so.
    pub fn catch_up(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        let Some(target) = self.catching_up else {
            return false;
        };
        if !self.timeline.catch_up(target, more) {
            return false;
        }
        self.catching_up = None;
        let reached = self.timeline.round();
        if reached != target {
            self.notices.push(format!(
                "Parameter r={target}: the run ends at round {reached}; showing round {reached}."
            ));
            self.params.round = reached;
        }
        true
    }

    /// Computes toward round `r` over frames ([`Run::catch_up`]), as a link at round `r`
    /// would; the link says `r` meanwhile.
    pub fn compute_toward(&mut self, r: u32) {
        self.settle();
        self.params.round = r;
        self.catching_up = Some(r);
    }

    /// Stops computing toward the link's round (the user took over): the run stays at the
    /// round reached, finished if a round was half run, and the link says that round.
    pub fn stop_catch_up(&mut self) {
        if let Some(target) = self.catching_up.take() {
            self.timeline.settle_catch_up(target);
            self.params.round = self.timeline.round();
        }
    }

    /// While catching up, what the page says instead of the status line.
    pub fn catch_up_note(&self) -> Option<String> {
        self.catching_up
            .map(|target| format!("Computing round {} of {target}…", self.timeline.round()))
    }

    /// The engine at the round viewed.
    pub fn engine(&self) -> &Engine {
        self.timeline.model()
    }

    /// Recomputes what depends on the parameters: theory curves, the band and the sweep.
    fn rebuild_derived(&mut self) {
        self.theory = Theory::new(&self.params);
        self.trials.rebuild(&self.params);
    }

    /// Finishes a round left half run by playback, so the run is at a round boundary.
    pub fn settle(&mut self) {
        self.timeline.settle();
        self.params.round = self.timeline.round();
    }

    /// Starts the run again from round 0 with `params` (the embed flag kept), noting `why`;
    /// returns whether it restarted (a refused configuration changes nothing).
    pub fn restart(&mut self, mut params: Params, why: String) -> bool {
        params.round = 0;
        params.embed = self.params.embed;
        if params.run.nodes != self.params.run.nodes {
            self.layout = layout(params.run.nodes);
        }
        match model::start(params.config(), params.run.actions.clone()) {
            Ok(t) => {
                self.timeline = t;
                self.catching_up = None;
                self.epoch += 1;
            }
            Err(e) => {
                self.notices.push(format!("{e}; parameters unchanged."));
                return false;
            }
        }
        self.params = params;
        self.rebuild_derived();
        let key = self.params.run.key.clone();
        self.timeline.set_lens(&key.as_bytes().to_vec());
        self.restart_note = Some(format!(
            "{why}: restarted from round 0 with seed {}.",
            self.params.run.seed
        ));
        true
    }

    /// Picks the scenario named `key` (if it can be picked), keeping the seed and the speed;
    /// returns whether the run restarted.
    pub fn scenario(&mut self, key: &str) -> bool {
        match Scenario::from_key(key).filter(|s| s.unavailable().is_none()) {
            Some(s) => {
                let mut p = Params::of_scenario(s);
                p.run.seed = self.params.run.seed;
                p.speed_index = self.params.speed_index;
                p.challenge = self.params.challenge;
                self.restart(p, format!("Scenario {}", s.title()))
            }
            None => {
                self.notices
                    .push(format!("Scenario {key} is not available yet."));
                false
            }
        }
    }

    /// Changes parameter `key` to `value` as the link would, restarting when the run changes.
    pub fn apply_param(&mut self, key: &'static str, value: &str) -> Applied {
        let base = match url::encode(&self.params) {
            Ok(q) => q,
            Err(e) => {
                self.notices.push(format!("Not changed: {e}."));
                return Applied::Refused;
            }
        };
        let q = format!("{base}&{key}={}", escape(value));
        // A run that departs from its scenario's parameters is read as a custom one, with a
        // notice (param "s") that says so (`gossip_core::link::dissemination::Run::fits_scenario`).
        let (mut p, notices) = url::parse(&q);
        // The page's own link always holds a valid action list; one that no longer decodes
        // names nodes the new cluster lacks, which the one message below says.
        let mut actions_invalid = false;
        for n in notices {
            if n.param == "a" {
                actions_invalid = true;
            } else {
                self.notices.push(url::field_message(&n, key));
            }
        }
        p.round = 0;
        if p.same_run(&self.params) {
            let round = self.timeline.round();
            self.params = Params { round, ..p };
            return Applied::Kept;
        }
        if actions_invalid
            || (!p.run.actions.is_empty()
                && gossip_core::script::encode(&p.run.actions, &url::script_limits(p.run.nodes))
                    .is_err())
        {
            // Fewer nodes than the recorded actions name: the list cannot be replayed (or
            // linked), so it goes, and the page says so, once.
            self.notices.push(format!(
                "Nodes: the {} recorded action(s) name nodes that a cluster of {} does not have; they were dropped.",
                self.params.run.actions.len(),
                p.run.nodes
            ));
            p.run.actions.clear();
        }
        let why = format!("Changed {} to {}", field_name(key), shown(&p, key, value));
        if self.restart(p, why) {
            Applied::Restarted
        } else {
            Applied::Refused
        }
    }

    /// Records `action`, described as `what`, at the round viewed and says what happened;
    /// returns whether the cluster accepted it. It is inserted there keeping the later actions
    /// (the run after it is recomputed; those it makes impossible are named in a notice), or
    /// with [`Run::fork`] it forks the timeline, dropping them.
    pub fn act(&mut self, action: Action, what: &str) -> bool {
        // A round half run by playback is finished first, so `r` is the round acted at.
        self.timeline.settle();
        let r = self.timeline.round();
        let at = Round(u64::from(r));
        // An action the link could not carry is refused here, never dropped from the link
        // later (the link, the cluster's schedule and its history share one limit).
        let fits = if self.fork {
            self.params.run.can_record(at, &action)
        } else {
            let mut next = self.params.run.actions.clone();
            gossip_core::sim::edit::insert(&mut next, at, action.clone());
            gossip_core::script::encode(&next, &url::script_limits(self.params.run.nodes))
                .map(|_| ())
        };
        if let Err(e) = fits {
            self.notices.push(format!(
                "{what} at round {r}: refused, the link cannot hold more actions ({e})."
            ));
            return false;
        }
        let computed = self.timeline.horizon() > r;
        if !self.fork {
            match self.timeline.insert(action) {
                Ok(edit) => self.edited(&edit),
                Err(e) => {
                    self.notices
                        .push(format!("{what} at round {r}: refused ({e})."));
                    return false;
                }
            }
            self.params.round = r;
            return true;
        }
        let dropped = match self.timeline.act(action) {
            Ok(dropped) => dropped,
            Err(e) => {
                self.notices
                    .push(format!("{what} at round {r}: refused ({e})."));
                return false;
            }
        };
        if dropped > 0 {
            self.notices.push(format!(
                "{what} at round {r}: the timeline forked; {dropped} recorded action(s) after round {r} were discarded."
            ));
        } else if computed {
            self.restart_note = Some(format!(
                "{what} at round {r}: the rounds computed after it were discarded."
            ));
        }
        self.edited(&Edit::default());
        self.params.round = r;
        true
    }

    /// An edit from the Actions list (Delete, Undo, Redo; Jump and Fork are the session's):
    /// returns whether the actions changed.
    pub fn edit_actions(&mut self, c: ActionsCmd) -> bool {
        match actions::edit(&mut self.timeline, c) {
            Some(Ok(edit)) => {
                self.edited(&edit);
                self.params.round = self.timeline.round();
                true
            }
            Some(Err(e)) => {
                self.notices.push(format!("Not edited: {e}."));
                false
            }
            None => false,
        }
    }

    /// After the actions changed: the link follows them, and the page says which later
    /// actions the edit made impossible.
    fn edited(&mut self, edit: &Edit) {
        if let Some(n) = actions::impossible_notice(edit, "round") {
            self.notices.push(n);
        }
        self.epoch += 1;
        self.params.run.actions = self.timeline.actions().to_vec();
        if !url::key_is_written(&self.params.run.key, &self.params.run.actions) {
            // The edit discarded every write of the tracked key.
            let old = std::mem::replace(&mut self.params.run.key, RUMOR_KEY.to_string());
            self.timeline.set_lens(&RUMOR_KEY.as_bytes().to_vec());
            self.notices.push(format!(
                "No recorded action writes \"{old}\" any more, so the view tracks {RUMOR_KEY} again."
            ));
        }
    }

    /// Tracks key `k`, if it is a valid key; returns whether it did.
    pub fn track_key(&mut self, k: String) -> bool {
        if !url::valid_key(&k) {
            return false;
        }
        self.timeline.set_lens(&k.as_bytes().to_vec());
        self.params.run.key = k;
        true
    }

    /// Shows or hides the band of trials.
    pub fn toggle_band(&mut self) {
        self.params.band = !self.params.band;
        self.trials.set_band(&self.params);
    }

    /// The status line.
    pub fn status(&self) -> String {
        format!(
            "Round {} · informed {}/{}",
            self.timeline.round(),
            self.engine().informed_count(),
            self.params.run.nodes
        )
    }

    /// Whether this run can drop messages: it has loss, or its actions cut a partition.
    pub fn drops_possible(&self) -> bool {
        self.params.run.loss_percent > 0
            || self
                .params
                .run
                .actions
                .iter()
                .any(|(_, a)| matches!(a, Action::Partition { .. }))
    }
}

/// What the page says about the run.
impl Run {
    /// Why the run cannot advance and how to go on. A complete run (every live node holds every
    /// newest version, or no rumor is left to spread) cannot move until the user acts, so Play
    /// and Step say so rather than do nothing when pressed: in the disabled buttons' titles and
    /// The live region's line after the round changed.
    pub fn round_line(&self) -> String {
        let e = self.engine();
        format!(
            "Round {}: {} of {} nodes informed.",
            e.round(),
            e.informed_count(),
            self.params.run.nodes
        )
    }

    /// on the page too (touch screens never show titles).
    pub fn done_title(&self) -> String {
        let at_limit = self.timeline.round() >= ROUNDS_LIMIT;
        let why = if at_limit {
            format!("The run stopped at the {ROUNDS_LIMIT}-round limit.")
        } else {
            // Shown only once the run cannot advance, that is once it has settled.
            let e = self.timeline.model();
            Ending::of(e.cluster(), e.key()).map_or_else(String::new, |x| x.sentence().to_string())
        };
        let how = if at_limit {
            "Go Back or press Reset."
        } else {
            "Write a value or restart a crashed node to go on, go Back, or press Reset."
        };
        if self.params.embed {
            why
        } else {
            format!("{why} {how}")
        }
    }

    /// The run's counters: traffic and losses (anti-entropy), or residue and traffic (rumor).
    pub fn counters(&self) -> String {
        let e = self.engine();
        let round = self.timeline.round();
        let last = self
            .timeline
            .records()
            .get(round.wrapping_sub(1) as usize)
            .filter(|_| round > 0);
        match e.infective_count() {
            None => format!(
                "Messages {} (this round {}) · lost {} · cut {} · duplicates {}",
                e.messages(),
                last.map_or(0, |r| r.messages_sent),
                e.lost(),
                e.cut(),
                e.duplicates()
            ),
            Some(infective) => {
                let n = f64::from(self.params.run.nodes);
                format!(
                    "Residue {:.4} · traffic {:.2} messages per node · still spreading {infective}",
                    f64::from(self.params.run.nodes - e.informed_count()) / n,
                    e.data_messages() as f64 / n,
                )
            }
        }
    }

    /// Live nodes and whether the network is cut.
    pub fn cluster_line(&self) -> String {
        let e = self.engine();
        let nodes = self.params.run.nodes;
        let down = nodes - e.live_count();
        format!(
            "Live {}/{nodes}{} · {}",
            e.live_count(),
            if down > 0 {
                format!(" ({down} down)")
            } else {
                String::new()
            },
            if e.cluster().network().is_partitioned() {
                "partitioned"
            } else {
                "network whole"
            }
        )
    }

    /// The keys that can be tracked, sorted: the rumor, every key written so far or by a recorded
    /// action, and the one tracked.
    pub fn tracked_keys(&self) -> Vec<String> {
        let e = self.engine();
        let p = &self.params;
        let mut keys: Vec<String> = vec![RUMOR_KEY.to_string()];
        for (k, _, _) in e.cluster().newest() {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
        keys.extend(
            url::written_keys(self.timeline.actions())
                .map(|k| String::from_utf8_lossy(k).into_owned()),
        );
        keys.push(p.run.key.clone());
        keys.sort();
        keys.dedup();
        keys
    }
}

/// The chart's data as CSV.
impl Run {
    /// The chart's data, one row per round, after a preamble with the parameters and `link`.
    pub fn csv(&self, link: &str) -> String {
        let n = f64::from(self.params.run.nodes);
        let mut out = self.params.csv_preamble(link);
        // With repair on, two more columns, named as `lab cluster` names them.
        let repair = self.engine().lacking().is_some();
        out.push_str(
            "round,informed,informed_fraction,messages,lost,duplicates,recurrence,logistic,band_mean,band_p5,band_p95",
        );
        out.push_str(if repair { ",ae_bytes,lacking\n" } else { "\n" });
        let lacking = self.engine().lacking_series();
        let summary = &self.trials.summary;
        let rows = self
            .timeline
            .horizon()
            .max(summary.len().saturating_sub(1) as u32);
        let series = informed_series(&self.timeline, self.engine().key());
        let (recurrence, logistic) = (&self.theory.recurrence, &self.theory.logistic);
        for r in 0..=rows {
            let rec = (r >= 1)
                .then(|| self.timeline.records().get(r as usize - 1))
                .flatten();
            let cell = |v: Option<String>| v.unwrap_or_default();
            // Counts of a round; round 0 has sent nothing.
            let count = |f: fn(&gossip_core::sim::RoundRecord) -> u64| {
                cell(
                    rec.map(|x| f(x).to_string())
                        .or((r == 0).then(|| "0".into())),
                )
            };
            let informed = series.get(r as usize).copied();
            let b = summary.get(r as usize);
            out.push_str(&format!(
                "{r},{},{},{},{},{},{},{},{},{},{}",
                cell(informed.map(|i| i.to_string())),
                cell(informed.map(|i| format!("{:.6}", f64::from(i) / n))),
                count(|x| x.messages_sent),
                count(|x| x.messages_lost),
                count(|x| x.messages_redundant),
                cell(recurrence.get(r as usize).map(|v| format!("{v:.6}"))),
                cell(logistic.get(r as usize).map(|v| format!("{v:.6}"))),
                cell(b.map(|p| format!("{:.6}", p.mean))),
                cell(b.map(|p| format!("{:.6}", p.p5))),
                cell(b.map(|p| format!("{:.6}", p.p95))),
            ));
            if repair {
                let l = lacking.get(r as usize).map(|l| l.to_string());
                out.push_str(&format!(
                    ",{},{}",
                    count(|x| x.anti_entropy.bytes_sent),
                    cell(l)
                ));
            }
            out.push('\n');
        }
        out
    }
}

/// A parameter's value as the restart note says it.
fn shown(p: &Params, key: &str, value: &str) -> String {
    match key {
        "m" => p.run.mode.key().to_string(),
        "stop" => p.run.stop.key().to_string(),
        "rk" => p.run.rumor_k.to_string(),
        "n" => p.run.nodes.to_string(),
        "k" => p.run.fanout.to_string(),
        "loss" => format!("{} %", p.run.loss_percent),
        "seed" => p.run.seed.to_string(),
        "lat" => format!("{} ticks", p.run.latency_min),
        "latmax" => format!("{} ticks", p.run.latency_max),
        "gi" => format!("{} ticks", p.run.gossip_ticks),
        _ => value.to_string(),
    }
}

/// A parameter's name as the restart note says it.
fn field_name(key: &str) -> &str {
    match key {
        "n" => "nodes",
        "k" => "fanout",
        "m" => "mode",
        "loss" => "loss",
        "seed" => "seed",
        "stop" => "stop rule",
        "rk" => "k",
        "lat" => "shortest latency",
        "latmax" => "longest latency",
        "gi" => "gossip interval",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(query: &str) -> Run {
        let (p, notices) = url::parse(query);
        Run::new(p, notices.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn a_changed_parameter_restarts_from_round_zero_and_says_so() {
        let mut r = run("?seed=77");
        r.timeline.goto(3);
        assert_eq!(r.apply_param("n", "500"), Applied::Restarted);
        assert_eq!((r.timeline.round(), r.params.run.nodes), (0, 500));
        let note = r.restart_note.clone().unwrap();
        assert_eq!(
            note,
            "Changed nodes to 500: restarted from round 0 with seed 77."
        );
        assert_eq!(r.apply_param("speed", "4"), Applied::Kept);
    }

    #[test]
    fn shrinking_below_the_recorded_actions_drops_them_with_one_notice() {
        let mut r = run("?n=16&seed=2&a=2c12_3c4");
        assert_eq!(r.params.run.actions.len(), 2);
        r.apply_param("n", "8");
        assert!(r.params.run.actions.is_empty());
        let dropped: Vec<_> = r
            .notices
            .items()
            .iter()
            .filter(|n| n.text.contains("dropped"))
            .collect();
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0]
            .text
            .starts_with("Nodes: the 2 recorded action(s)"));
    }

    #[test]
    fn an_edit_that_departs_from_a_scenario_makes_the_run_custom() {
        let mut r = run("?s=partition");
        assert_eq!(r.params.run.scenario, Scenario::Partition);
        r.apply_param("seed", "5");
        assert_eq!(
            r.params.run.scenario,
            Scenario::Partition,
            "the seed is not the scenario"
        );
        r.apply_param("loss", "40");
        assert_eq!(r.params.run.scenario, Scenario::Custom);
    }

    #[test]
    fn a_refused_action_is_not_recorded_and_says_why() {
        let mut r = run("?seed=3");
        assert!(!r.act(Action::Restart(3), "Restarted node 3, empty"));
        assert!(r.params.run.actions.is_empty());
        assert!(r.notices.items()[0]
            .text
            .contains("refused (node 3 is already up)"));
        assert!(r.act(Action::Crash(3), "Crashed node 3"));
        assert_eq!(r.params.run.actions.len(), 1);
    }

    #[test]
    fn acting_in_the_past_keeps_the_later_actions_in_the_link_unless_it_forks() {
        let mut r = run("?n=64&loss=70&seed=4");
        r.timeline.goto(3);
        assert!(r.act(Action::Crash(5), "Crashed node 5"));
        r.timeline.goto(8);
        assert!(r.act(Action::Crash(9), "Crashed node 9"));
        r.timeline.goto(5);
        assert!(r.act(Action::Crash(7), "Crashed node 7"));
        let a = |r: &Run| {
            gossip_core::script::encode(&r.params.run.actions, &url::script_limits(64)).unwrap()
        };
        assert_eq!(a(&r), "3c5_5c7_8c9");
        assert!(r.notices.is_empty(), "{:?}", r.notices.items());
        // Deleting the crash at 3, then undoing it, gives the link back.
        assert!(r.edit_actions(ActionsCmd::Delete(0)));
        assert_eq!(a(&r), "5c7_8c9");
        assert!(r.edit_actions(ActionsCmd::Undo));
        assert_eq!(a(&r), "3c5_5c7_8c9");
        // An action that makes a later one impossible names it.
        r.timeline.goto(6);
        assert!(r.act(Action::Crash(9), "Crashed node 9"));
        assert_eq!(a(&r), "3c5_5c7_6c9");
        assert!(r.notices.items()[0]
            .text
            .contains("crash node 9 at round 8 (node 9 is down)"));
        // The fork drops them.
        r.fork = true;
        r.timeline.goto(4);
        assert!(r.act(Action::Crash(11), "Crashed node 11"));
        assert_eq!(a(&r), "3c5_4c11");
    }

    #[test]
    fn the_status_lines_say_what_the_run_is() {
        let mut r = run("?seed=3");
        assert_eq!(r.status(), "Round 0 · informed 1/32");
        assert_eq!(
            r.counters(),
            "Messages 0 (this round 0) · lost 0 · cut 0 · duplicates 0"
        );
        assert_eq!(r.cluster_line(), "Live 32/32 · network whole");
        assert!(r.act(Action::Crash(5), "Crashed node 5"));
        assert_eq!(r.cluster_line(), "Live 31/32 (1 down) · network whole");
        assert_eq!(r.tracked_keys(), ["rumor"]);
        r.timeline.goto(super::ROUNDS_LIMIT);
        assert!(r
            .done_title()
            .starts_with("The run is complete: every live node holds"));
    }

    #[test]
    fn the_csv_has_a_row_per_round_computed() {
        let mut r = run("?seed=3");
        r.timeline.goto(4);
        let csv = r.csv("http://x/?seed=3");
        let header = csv
            .lines()
            .position(|l| l.starts_with("round,informed,"))
            .unwrap();
        let rows: Vec<&str> = csv.lines().skip(header + 1).collect();
        assert_eq!(rows.len(), 5);
        assert!(rows[0].starts_with("0,1,0.031250,0,0,0,"), "{}", rows[0]);
        assert!(csv.contains("http://x/?seed=3"));
        assert!(!csv.contains("lacking"), "no repair columns without repair");
        let mut r = run("?s=repair");
        r.timeline.goto(20);
        let csv = r.csv("http://x/?s=repair");
        assert!(csv.contains(" repair=merkle repair_every=6 "), "{csv}");
        let lines: Vec<&str> = csv.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(lines[0].ends_with(",ae_bytes,lacking"), "{}", lines[0]);
        assert_eq!(lines.len(), 1 + 21);
        assert!(lines[20].ends_with(",48"), "round 19: {}", lines[20]);
    }

    /// Catches `r` up three ticks at a time; returns the calls it took.
    fn caught_up(r: &mut Run) -> u32 {
        let mut calls = 1;
        while !r.catch_up(&mut {
            let mut ticks = 3;
            move || {
                ticks -= 1;
                ticks > 0
            }
        }) {
            calls += 1;
        }
        calls
    }

    #[test]
    fn a_link_at_a_late_round_is_caught_up_over_calls_to_what_stepping_shows() {
        let query = "?n=300&m=pull&loss=60&seed=4&a=3c7";
        let mut r = run(&format!("{query}&r=40"));
        assert_eq!(
            r.timeline.round(),
            0,
            "nothing is computed before the first frame"
        );
        assert_eq!(
            r.catch_up_note().as_deref(),
            Some("Computing round 0 of 40…")
        );
        assert!(caught_up(&mut r) > 10, "forty rounds in one call");
        assert_eq!((r.catch_up_note(), r.params.round), (None, 40));
        let mut stepped = run(query);
        for _ in 0..40 {
            stepped.timeline.step_forward();
        }
        assert_eq!(r.status(), stepped.status());
        assert_eq!(r.counters(), stepped.counters());
        assert_eq!(r.cluster_line(), stepped.cluster_line());
        assert_eq!(r.timeline.records(), stepped.timeline.records());
    }

    #[test]
    fn a_link_past_the_end_of_its_run_catches_up_to_the_end_and_says_so() {
        let mut r = run("?seed=3&r=5000");
        caught_up(&mut r);
        let end = r.timeline.round();
        assert!(end < 5000 && !r.timeline.can_advance());
        assert_eq!(r.params.round, end);
        let notice = &r.notices.items().last().unwrap().text;
        assert_eq!(
            notice,
            &format!("Parameter r=5000: the run ends at round {end}; showing round {end}.")
        );
    }

    #[test]
    fn stopping_a_catch_up_leaves_the_run_at_a_round_boundary_and_the_link_there() {
        let mut r = run("?n=300&seed=4&r=40");
        for _ in 0..20 {
            r.catch_up(&mut || false);
        }
        r.stop_catch_up();
        let reached = r.timeline.round();
        assert!(reached > 0 && reached < 40 && !r.engine().is_mid_round());
        assert_eq!((r.catching_up, r.params.round), (None, reached));
        assert!(
            !r.catch_up(&mut || true),
            "a stopped catch-up does not resume"
        );
    }
}
