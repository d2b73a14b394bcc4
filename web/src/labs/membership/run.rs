//! The membership lab's run apart from the page: the link's parameters, the timeline of the
//! cluster with the run's Lifeguard, the comparison (the same seed and actions with Lifeguard
//! off or with heartbeat gossip, a second timeline kept at the same horizon), notices, and the
//! actions. Host-tested.

use gossip_core::link::membership::{Run as RunLink, Scenario};
use gossip_core::net::LinkConfig;
use gossip_core::node::LifeguardConfig;
use gossip_core::sim::{Action, RoundRecord};
use gossip_core::time::Round;

use super::inspector::InspectorCmd;
use super::model::Engine;
use super::url::{self, Params};
use crate::shell::embed::Command;
use crate::shell::notices::Notices;
use crate::shell::playback::Playback;
use crate::shell::timeline::{Edit, Timeline};

/// The run on the page.
pub struct Run {
    /// The link's parameters (the run's and the view's).
    pub params: Params,
    /// The run with its own Lifeguard, drawn.
    pub timeline: Timeline<Engine>,
    /// The second run (`cmp=1`: Lifeguard off; `cmp=hb`: heartbeat gossip), never drawn: the
    /// chart's second series.
    pub compare: Option<Timeline<Engine>>,
    /// What the page says it fixed or refused.
    pub notices: Notices,
    /// The node inspected.
    pub inspect: Option<u32>,
    /// The round the link asked for, while it is being computed over frames
    /// ([`Run::catch_up`]).
    pub catching_up: Option<u32>,
    /// Whether acting in the past forks (drops the later actions) instead of inserting the
    /// action and keeping them (the default). The page's choice, not the link's.
    pub fork: bool,
}

impl Run {
    /// The run `params` names, at round 0 and catching up toward its round `params.round`
    /// ([`Run::catch_up`] computes it, a slice at a time).
    pub fn new(params: Params, notices: Vec<String>) -> Run {
        let mut n = Notices::default();
        for t in notices {
            n.push(t);
        }
        let (timeline, compare) = timelines(&params.run, &mut n);
        let inspect = params.inspect;
        let mut run = Run {
            params,
            timeline,
            compare,
            notices: n,
            inspect,
            catching_up: None,
            fork: false,
        };
        run.catching_up = (run.params.round > 0).then_some(run.params.round);
        run
    }

    /// The run `params` names, opened at its round at once (the host tests' way).
    pub fn open(params: Params, notices: Vec<String>) -> Run {
        let mut run = Run::new(params, notices);
        while run.catching_up.is_some() || run.compare_behind() {
            run.catch_up(&mut || true);
        }
        run
    }

    /// Computes toward the link's round while `more()` says so (at least one tick), then
    /// brings the comparison to the same horizon; returns whether both are there (a link's
    /// numbers, the second run's included, show only once they are). The state reached is
    /// exactly what going there at once shows ([`Timeline::catch_up`]).
    pub fn catch_up(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        if let Some(target) = self.catching_up {
            if !self.timeline.catch_up(target, more) {
                return false;
            }
            self.params.round = self.timeline.round();
        }
        self.sync_compare(more);
        if self.compare_behind() {
            return false;
        }
        self.catching_up = None;
        true
    }

    /// A command from the parent frame or a script on the page ([`crate::shell::embed`]):
    /// play only a run that can go on, pause only a playing one; step and seek pause. Returns
    /// whether anything changed.
    pub fn command(&mut self, c: Command, playback: &mut Playback) -> bool {
        match c {
            Command::Play if !playback.playing => playback.toggle(self.timeline.can_advance()),
            Command::Pause if playback.playing => playback.toggle(false),
            Command::Play | Command::Pause => return false,
            Command::Step => {
                playback.stop();
                return self.timeline.step_forward();
            }
            Command::Seek(r) => {
                playback.stop();
                self.seek(r);
            }
        }
        true
    }

    /// Shows period `r`: at once if it is computed, else computed toward over frames
    /// ([`Run::catch_up`]), as a link at period `r` would be.
    pub fn seek(&mut self, r: u32) {
        if r <= self.timeline.horizon() {
            self.timeline.goto(r);
        } else {
            self.timeline.settle();
            self.catching_up = Some(r);
        }
    }

    /// Stops computing toward the link's round (the user took over): the run stays at the
    /// round reached, at a round boundary.
    pub fn stop_catch_up(&mut self) {
        if let Some(target) = self.catching_up.take() {
            self.timeline.settle_catch_up(target);
            self.params.round = self.timeline.round();
        }
    }

    /// While catching up, what the page says instead of the status line.
    pub fn catch_up_note(&self) -> Option<String> {
        let target = self.catching_up?;
        let main = self.timeline.round();
        Some(match &self.compare {
            Some(c) if main >= target && !self.engine().is_mid_round() => {
                format!(
                    "Computing the second run: period {} of {target}…",
                    c.round()
                )
            }
            _ => format!("Computing period {main} of {target}…"),
        })
    }

    /// The model at the round viewed.
    pub fn engine(&self) -> &Engine {
        self.timeline.model()
    }

    /// The comparison's records up to the round viewed.
    pub fn compare_records(&self) -> Option<&[RoundRecord]> {
        self.compare.as_ref().map(|c| c.records())
    }

    /// Moves the comparison toward the main timeline's horizon while `more()` says so (at
    /// least one tick; it is never traced); the chart draws what it has so far.
    pub fn sync_compare(&mut self, more: &mut dyn FnMut() -> bool) {
        let horizon = self.timeline.horizon();
        if let Some(c) = &mut self.compare {
            if c.horizon() < horizon || c.model().is_mid_round() {
                c.catch_up(horizon, more);
            }
        }
    }

    /// Whether the comparison has not yet reached the main timeline's horizon.
    pub fn compare_behind(&self) -> bool {
        self.compare
            .as_ref()
            .is_some_and(|c| c.horizon() < self.timeline.horizon() || c.model().is_mid_round())
    }

    /// Starts again from round 0 with `run`, keeping the view fields.
    pub fn restart(&mut self, run: RunLink) {
        self.params.run = run;
        self.params.round = 0;
        self.catching_up = None;
        let (timeline, compare) = timelines(&self.params.run, &mut self.notices);
        self.timeline = timeline;
        self.compare = compare;
        if self.inspect.is_some_and(|i| i >= self.params.run.nodes) {
            self.inspect = None;
        }
    }

    /// Applies a link field edited on the page (validated as the link is).
    pub fn apply_param(&mut self, key: &str, value: &str) {
        let mut p = self.params.clone();
        p.round = 0;
        let link = url::encode(&p).unwrap_or_default();
        let (next, notices) = url::parse(&format!("{link}&{key}={value}"));
        for n in notices {
            self.notices.push(n.to_string());
        }
        if next.run != self.params.run {
            self.restart(next.run);
        }
        self.params.speed_index = next.speed_index;
    }

    /// Picks a scenario: its preset, this run's seed.
    pub fn scenario(&mut self, key: &str) {
        if let Some(s) = Scenario::from_key(key) {
            let seed = self.params.run.seed;
            self.restart(RunLink {
                seed,
                ..RunLink::preset(s)
            });
        }
    }

    /// Takes `action` now (at the start of the round viewed), on both runs; records it in the
    /// link, or says why not. It is inserted keeping the later actions ([`super::actions`]),
    /// or with [`Run::fork`] it forks, dropping them.
    pub fn act(&mut self, action: Action) -> bool {
        let round = self.timeline.round();
        if !self.fork {
            return self.insert(action);
        }
        if let Err(e) = self.params.run.can_record(Round(u64::from(round)), &action) {
            self.notices.push(format!(
                "That action does not fit the link ({e}); not taken."
            ));
            return false;
        }
        match self.timeline.act(action.clone()) {
            Ok(dropped) => {
                if dropped > 0 {
                    self.notices.push(format!(
                        "Acting at period {round} dropped {dropped} later recorded action(s)."
                    ));
                }
            }
            Err(e) => {
                self.notices.push(format!("Not taken: {e}."));
                return false;
            }
        }
        if let Some(c) = &mut self.compare {
            c.goto(round);
            // The same action on the same run refuses only where the run differs (Lifeguard or
            // the detector), which no action depends on; a refusal is said all the same.
            if let Err(e) = c.act(action) {
                self.notices
                    .push(format!("The second run (cmp) refused it: {e}."));
            }
        }
        self.edited(&Edit::default());
        true
    }

    /// An inspector's action (not Close): the actions it stands for, taken in order until one
    /// is refused. Loss on a node is loss on every link to and from it.
    pub fn inspector(&mut self, c: InspectorCmd) -> bool {
        let nodes = self.params.run.nodes;
        let default = self.params.run.cluster_config().net.link;
        let set = |from, to, loss| Action::SetLink {
            from,
            to,
            link: LinkConfig { loss, ..default },
        };
        let actions: Vec<Action> = match c {
            InspectorCmd::Close => return false,
            InspectorCmd::Crash(i) => vec![Action::Crash(i)],
            InspectorCmd::Restart(i) => vec![Action::Restart(i)],
            InspectorCmd::Leave(i) => vec![Action::Leave(i)],
            InspectorCmd::Slow(node, lag_ticks) => vec![Action::Slow { node, lag_ticks }],
            InspectorCmd::LinkLoss(a, b, p) if b < nodes && a != b => {
                vec![set(a, b, p), set(b, a, p)]
            }
            InspectorCmd::LinkLoss(..) => {
                self.notices.push(format!(
                    "Loss on a link needs another node's id, 0 to {}.",
                    nodes - 1
                ));
                return false;
            }
            InspectorCmd::NodeLoss(a, p) => (0..nodes)
                .filter(|&b| b != a)
                .flat_map(|b| [set(a, b, p), set(b, a, p)])
                .collect(),
        };
        for a in actions {
            if !self.act(a) {
                break;
            }
        }
        true
    }

    /// The link of what is on the page now.
    pub fn link(&self) -> String {
        let p = Params {
            // While catching up, the link is still the one opened.
            round: self.catching_up.unwrap_or(self.timeline.round()),
            inspect: self.inspect,
            ..self.params.clone()
        };
        url::encode(&p).unwrap_or_default()
    }
}

/// The timelines of `run`: its own, and its second run (Lifeguard off, or heartbeat gossip)
/// when it compares. A run the cluster
/// refuses (it cannot be: the link's limits are the cluster's) falls back to the default.
fn timelines(run: &RunLink, notices: &mut Notices) -> (Timeline<Engine>, Option<Timeline<Engine>>) {
    let make = |l: LifeguardConfig| Engine::new(run, l);
    let main = make(run.lifeguard).unwrap_or_else(|e| {
        notices.push(format!("The run could not start ({e}); using the default."));
        Engine::new(&RunLink::default(), LifeguardConfig::ON).expect("the default run starts")
    });
    let mut timeline = Timeline::new(main, run.actions.clone());
    timeline.set_trace(true);
    let compare = run
        .compare_config()
        .and_then(|c| Engine::from_config(run, c).ok())
        .map(|e| {
            let mut t = Timeline::new(e, run.actions.clone());
            t.set_trace(false);
            t
        });
    (timeline, compare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::actions::ActionsCmd;

    fn open(link: &str) -> Run {
        let (p, n) = url::parse(link);
        Run::open(p, n.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn an_action_is_recorded_in_the_link_and_replays_from_it() {
        let mut run = open("?lab=membership&s=detect&seed=4");
        run.timeline.goto(6);
        assert!(run.act(Action::Crash(9)));
        run.timeline.goto(30);
        let link = run.link();
        assert!(link.contains("a=3c5_6c9"), "{link}");
        let again = open(&link);
        assert_eq!(again.timeline.round(), 30);
        assert_eq!(again.engine().holders(9), run.engine().holders(9));
        assert_eq!(again.timeline.records(), run.timeline.records());
    }

    #[test]
    fn the_comparison_runs_the_same_actions_with_lifeguard_off() {
        let mut run = open("?lab=membership&s=slow&r=40");
        let c = run.compare_records().unwrap();
        assert_eq!(c.len(), 40);
        assert!(run.act(Action::Crash(1)));
        run.timeline.goto(50);
        run.sync_compare(&mut || true);
        let c = run.compare.as_ref().unwrap();
        assert_eq!(c.horizon(), 50);
        assert!(!c.model().is_up(1), "the comparison took the crash too");
    }

    #[test]
    fn a_late_link_caught_up_in_slices_shows_what_opening_it_at_once_shows() {
        let link = "?lab=membership&s=slow&r=45&cmp=1";
        let (p, _) = url::parse(link);
        let mut sliced = Run::new(p, Vec::new());
        assert_eq!(
            sliced.timeline.round(),
            0,
            "nothing is computed before the first slice"
        );
        assert!(sliced.catch_up_note().unwrap().ends_with("of 45…"));
        let (mut slices, mut second) = (0, false);
        // Each slice runs a few ticks (`more` says no after 5 calls), so rounds are left half
        // run between slices.
        while sliced.catching_up.is_some() {
            let mut calls = 0;
            sliced.catch_up(&mut || {
                calls += 1;
                calls < 5
            });
            slices += 1;
            assert!(slices < 10_000);
            let note = sliced.catch_up_note().unwrap_or_default();
            second |= note.starts_with("Computing the second run: period");
        }
        assert!(
            second,
            "the note says when the second run is being computed"
        );
        assert!(
            !sliced.compare_behind(),
            "the link's numbers wait for the second run"
        );
        assert!(slices > 45, "{slices} slices");
        let at_once = open(link);
        assert_eq!(sliced.timeline.round(), 45);
        assert_eq!(sliced.link(), at_once.link());
        assert_eq!(sliced.timeline.records(), at_once.timeline.records());
        assert_eq!(sliced.compare_records(), at_once.compare_records());
        assert_eq!(
            sliced.engine().round_messages(),
            at_once.engine().round_messages()
        );
        assert!(sliced.catch_up_note().is_none());
    }

    #[test]
    fn stopping_a_catch_up_keeps_the_period_reached_at_a_round_boundary() {
        let (p, _) = url::parse("?lab=membership&s=detect&r=40");
        let mut run = Run::new(p, Vec::new());
        let mut calls = 0;
        run.catch_up(&mut || {
            calls += 1;
            calls < 8 * 10 + 3
        });
        assert!(run.engine().is_mid_round());
        assert!(
            run.link().contains("r=40"),
            "the link is still the one opened"
        );
        run.stop_catch_up();
        assert!(!run.engine().is_mid_round() && run.catching_up.is_none());
        let r = run.timeline.round();
        assert!((5..40).contains(&r), "{r}");
        assert!(run.link().contains(&format!("r={r}")), "{}", run.link());
    }

    #[test]
    fn an_action_in_the_past_keeps_the_later_ones_on_both_runs_and_replays_from_the_link() {
        let mut run = open("?lab=membership&s=custom&n=16&seed=3&cmp=1");
        run.timeline.goto(3);
        assert!(run.act(Action::Crash(5)));
        run.timeline.goto(8);
        assert!(run.act(Action::Crash(9)));
        run.timeline.goto(5);
        assert!(run.act(Action::Crash(7)));
        let link = run.link();
        assert!(link.contains("a=3c5_5c7_8c9"), "{link}");
        let c = run.compare.as_ref().unwrap();
        assert_eq!(
            c.actions(),
            run.timeline.actions(),
            "the comparison has them too"
        );
        let again = open(&link);
        assert_eq!(again.timeline.round(), 5);
        assert_eq!(again.timeline.records(), &run.timeline.records()[..5]);
        let mut p = Playback::default();
        assert!(run.actions_cmd(ActionsCmd::Delete(1), &mut p));
        assert!(run.link().contains("a=3c5_8c9"), "{}", run.link());
        assert!(run.actions_cmd(ActionsCmd::Undo, &mut p));
        assert_eq!(run.link(), link);
        assert_eq!(&run.timeline.records()[..5], again.timeline.records());
        run.fork = true;
        run.timeline.goto(4);
        assert!(run.act(Action::Crash(11)));
        assert!(run.link().contains("a=3c5_4c11"), "{}", run.link());
    }

    #[test]
    fn a_refused_action_is_said_and_changes_nothing() {
        let mut run = open("?lab=membership&s=detect&r=5");
        let link = run.link();
        assert!(!run.act(Action::Restart(0)), "node 0 is up");
        assert_eq!(run.link(), link);
        assert_eq!(run.notices.items().len(), 1);
    }

    #[test]
    fn loss_on_a_node_sets_every_link_to_and_from_it() {
        let mut run = open("?lab=membership&s=custom&n=4&r=2");
        assert!(run.inspector(InspectorCmd::NodeLoss(1, 1.0)));
        assert_eq!(run.params.run.actions.len(), 6);
        assert!(
            run.link().contains("a=2k1.0l1_k0.1l1_k1.2l1"),
            "{}",
            run.link()
        );
        run.timeline.goto(40);
        // Node 1 can reach no one and no one can reach it: every live view ends up holding it
        // dead, and it holds every other member dead.
        assert_eq!(run.engine().holders(1)[2], 3);
    }
}
#[cfg(test)]
mod trace_tests {
    use super::super::classify::Kind;
    use super::*;

    #[test]
    fn after_the_crash_a_round_holds_the_indirect_probes_of_the_crashed_node() {
        let (p, _) = url::parse("?lab=membership&s=detect&r=4");
        let mut run = Run::open(p, Vec::new());
        run.timeline.step_forward();
        let m = run.engine().round_messages();
        let of = |k: Kind| m.iter().filter(|d| d.kind == k).collect::<Vec<_>>();
        assert!(
            of(Kind::Ping).len() >= 31,
            "every live node probes each period"
        );
        let (reqs, relayed, nacks) = (of(Kind::PingReq), of(Kind::RelayedPing), of(Kind::Nack));
        assert!(
            !reqs.is_empty() && reqs.len() % 3 == 0,
            "k = 3 helpers per failed probe"
        );
        assert_eq!(relayed.len(), reqs.len(), "one relayed ping per ping-req");
        assert!(
            relayed.iter().all(|d| d.view.to == 5),
            "every relayed ping goes to node 5"
        );
        assert_eq!(
            nacks.len(),
            reqs.len(),
            "node 5 answers none: every helper nacks"
        );
        assert!(of(Kind::RelayedAck).is_empty());
    }

    #[test]
    fn the_relayed_pings_and_acks_drawn_are_those_the_helpers_sent() {
        // 30 % loss on every link: probes fail, helpers serve ping-reqs, some of their pings
        // and acks are lost. Each round, the messages sent in it and drawn as relayed are
        // exactly as many as the helpers' counters say they sent.
        let (p, _) = url::parse("?lab=membership&s=custom&n=24&loss=30&seed=3");
        let mut run = Run::open(p, Vec::new());
        let (mut total, mut lost) = (0, 0);
        for _ in 0..30 {
            run.timeline.step_forward();
            let e = run.engine();
            let start = e.round_start_tick();
            let this_round = || e.round_messages().iter().filter(|d| d.view.sent.0 >= start);
            let count = |k: Kind| this_round().filter(|d| d.kind == k && !d.view.copy).count();
            let swim = run.timeline.records().last().unwrap().swim;
            assert_eq!(count(Kind::RelayedPing) as u64, swim.ping_reqs_served);
            assert_eq!(count(Kind::RelayedAck) as u64, swim.acks_relayed);
            total += count(Kind::RelayedPing) + count(Kind::RelayedAck);
            lost += this_round()
                .filter(|d| matches!(d.kind, Kind::RelayedPing | Kind::RelayedAck))
                .filter(|d| d.view.fate != gossip_core::net::Sent::InFlight)
                .count();
        }
        assert!(total > 20 && lost > 0, "{total} relayed, {lost} lost");
    }
}
