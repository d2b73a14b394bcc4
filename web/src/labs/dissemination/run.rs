//! The run: building the lab from its parameters, restarting on a change, the transport
//! (step, back, play, reset, seek) and actions on the timeline, with what the page says
//! about each.

use gossip_core::sim::Action;

use super::chart::{Theory, Trials};
use super::inspector::WriteForm;
use super::model::{self, RUMOR_KEY};
use super::paint::{Canvases, CANVAS_HEIGHT_PX, CANVAS_MARGIN_PX, CANVAS_WIDTH_PX};
use super::params::{mode_key, Params};
use super::partition::Selection;
use super::url;
use super::DisseminationLab;
use crate::layout::Layout;
use crate::shell::dom::reduced_motion;
use crate::shell::notices::Notices;
use crate::shell::playback::Playback;
use crate::shell::share::AddressBar;
use crate::shell::stats::Stats;

/// How long the messages of a round take to travel after a manual step.
pub const STEP_ANIMATION_MS: f64 = 600.0;
/// Above this playback rate messages are not animated: nobody can follow them, and skipping
/// them keeps large clusters at frame rate.
const ANIMATED_ROUNDS_PER_S_MAX: f64 = 12.0;

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

impl DisseminationLab {
    pub(super) fn from_params(params: Params, link_notices: Vec<String>) -> DisseminationLab {
        // Params from the codec are within their limits, so the configuration is valid; if a
        // bug let a bad one through, the defaults keep the page alive and the notice says so.
        let mut notices = Notices::default();
        notices.extend(link_notices);
        let (params, timeline) = match model::start(params.config(), params.actions.clone()) {
            Ok(t) => (params, t),
            Err(e) => {
                notices.push(format!("{e}; using the defaults."));
                let d = Params::default();
                let t = model::start(d.config(), Vec::new()).expect("defaults are valid");
                (d, t)
            }
        };
        let mut lab = DisseminationLab {
            layout: layout(params.nodes),
            params,
            notices,
            restart_note: None,
            timeline,
            theory: Theory::default(),
            trials: Trials::default(),
            canvases: Canvases::new(),
            playback: Playback::default(),
            anim: None,
            frame: None,
            reduced_motion: reduced_motion(),
            selection: Selection::default(),
            form: WriteForm::new(RUMOR_KEY),
            announce: String::new(),
            link: None,
            copied: None,
            address: AddressBar::default(),
            stats: Stats::install(),
            _keys: None,
            _resize: None,
        };
        lab.rebuild_derived();
        let key = lab.params.key.clone();
        lab.timeline.set_lens(&key.as_bytes().to_vec());
        lab.form.key = key;
        let target = lab.params.round;
        let reached = lab.timeline.goto(target);
        if reached != target {
            lab.notices.push(format!(
                "Parameter r={target}: the run ends at round {reached}; showing round {reached}."
            ));
            lab.params.round = reached;
        }
        lab
    }

    /// Recomputes what depends on the run's parameters: theory curves, the band and the sweep.
    pub(super) fn rebuild_derived(&mut self) {
        self.theory = Theory::new(&self.params);
        if self.trials.rebuild(&self.params) {
            self.canvases.bounds.dirty = true;
        }
        self.canvases.model_changed();
    }

    /// Starts the run again from round 0 with new parameters (same seed unless changed), and
    /// says so on the page.
    pub(super) fn restart(&mut self, mut params: Params, why: String) {
        params.round = 0;
        params.embed = self.params.embed;
        if params.nodes != self.params.nodes {
            self.layout = layout(params.nodes);
        }
        match model::start(params.config(), params.actions.clone()) {
            Ok(t) => self.timeline = t,
            Err(e) => {
                self.notices.push(format!("{e}; parameters unchanged."));
                return;
            }
        }
        self.params = params;
        self.playback.stop();
        self.anim = None;
        self.selection.forget();
        self.rebuild_derived();
        let key = self.params.key.clone();
        self.timeline.set_lens(&key.as_bytes().to_vec());
        self.restart_note = Some(format!(
            "{why}: restarted from round 0 with seed {}.",
            self.params.seed
        ));
        self.sync_url();
    }

    pub(super) fn status(&self) -> String {
        format!(
            "Round {} · informed {}/{}",
            self.timeline.round(),
            self.engine().informed_count(),
            self.params.nodes
        )
    }

    /// Whether this run can drop messages: it has loss, or its actions cut a partition.
    pub(super) fn drops_possible(&self) -> bool {
        self.params.loss_percent > 0
            || self
                .params
                .actions
                .iter()
                .any(|(_, a)| matches!(a, Action::Partition { .. }))
    }

    /// Whether the embed's Play is a Replay: the run is complete, past round 0, and not playing.
    pub(super) fn embed_replays(&self) -> bool {
        self.params.embed
            && !self.playback.playing
            && !self.timeline.can_advance()
            && self.timeline.round() > 0
    }

    pub(super) fn animate_messages(&self) -> bool {
        !self.reduced_motion
            && (!self.playback.playing || self.params.rounds_per_s() <= ANIMATED_ROUNDS_PER_S_MAX)
    }

    /// After the viewed round changed by a user action.
    fn moved(&mut self, stepped_forward: bool) {
        self.params.round = self.timeline.round();
        self.sync_url_soon();
        self.anim = (stepped_forward && self.animate_messages()).then_some(0.0);
        self.canvases.model_changed();
        let e = self.engine();
        self.announce = format!(
            "Round {}: {} of {} nodes informed.",
            e.round(),
            e.informed_count(),
            self.params.nodes
        );
    }

    pub(super) fn step(&mut self) -> bool {
        self.playback.stop();
        self.playback.limited = false;
        self.timeline.set_trace(!self.reduced_motion);
        if self.timeline.step_forward() {
            self.moved(true);
        }
        true
    }

    pub(super) fn back(&mut self) -> bool {
        self.playback.stop();
        if self.timeline.step_back() {
            self.moved(false);
        }
        true
    }

    pub(super) fn toggle_play(&mut self) -> bool {
        self.playback.toggle(self.timeline.can_advance());
        if !self.playback.playing {
            self.params.round = self.timeline.round();
            self.sync_url();
        }
        true
    }

    pub(super) fn reset(&mut self) -> bool {
        self.playback.stop();
        self.timeline.goto(0);
        self.moved(false);
        self.restart_note = None;
        true
    }

    pub(super) fn seek(&mut self, r: u32) -> bool {
        self.playback.stop();
        self.timeline.goto(r);
        self.moved(false);
        true
    }

    /// Records `action` at the round being viewed (forking the timeline if the future was
    /// computed) and says what happened; returns whether the cluster accepted it.
    pub(super) fn act(&mut self, action: Action, what: String) -> bool {
        self.playback.stop();
        let r = self.timeline.round();
        let computed = self.timeline.horizon() > r;
        match self.timeline.act(action) {
            Ok(dropped) => {
                if dropped > 0 {
                    self.notices.push(format!(
                        "{what} at round {r}: the timeline forked; {dropped} recorded action(s) after round {r} were discarded."
                    ));
                } else if computed {
                    self.restart_note = Some(format!(
                        "{what} at round {r}: the rounds computed after it were discarded."
                    ));
                }
                self.params.actions = self.timeline.actions().to_vec();
                if !url::key_is_written(&self.params.key, &self.params.actions) {
                    // The fork discarded every write of the tracked key.
                    let old = std::mem::replace(&mut self.params.key, RUMOR_KEY.to_string());
                    self.timeline.set_lens(&RUMOR_KEY.as_bytes().to_vec());
                    self.notices.push(format!(
                        "No recorded action writes \"{old}\" any more, so the view tracks {RUMOR_KEY} again."
                    ));
                }
                self.params.round = r;
                self.anim = None;
                self.canvases.model_changed();
                self.announce = format!("{what} at round {r}.");
                self.sync_url();
                true
            }
            Err(e) => {
                self.notices
                    .push(format!("{what} at round {r}: refused ({e})."));
                false
            }
        }
    }

    pub(super) fn track_key(&mut self, k: String) -> bool {
        if url::valid_key(&k) {
            self.timeline.set_lens(&k.as_bytes().to_vec());
            self.params.key = k;
            self.canvases.model_changed();
            self.sync_url();
        }
        true
    }

    pub(super) fn new_seed(&mut self) -> bool {
        let seed = (js_sys::Math::random() * 1e9) as u64 + 1;
        self.apply_param("seed", &seed.to_string());
        true
    }

    /// Changes parameter `key` to `value` as the link would, restarting when the run changes.
    pub(super) fn apply_param(&mut self, key: &'static str, value: &str) {
        let q = format!("{}&{key}={}", url::encode(&self.params), escape(value));
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
        let run_changed = !p.same_run(&self.params);
        if run_changed {
            super::scenarios::custom_if_departed(&mut p);
        }
        if run_changed
            && (actions_invalid
                || (!p.actions.is_empty()
                    && gossip_core::script::encode(&p.actions, &url::script_limits(p.nodes))
                        .is_err()))
        {
            // Fewer nodes than the recorded actions name: the list cannot be replayed (or
            // linked), so it goes, and the page says so, once.
            self.notices.push(format!(
                "Nodes: the {} recorded action(s) name nodes that a cluster of {} does not have; they were dropped.",
                self.params.actions.len(),
                p.nodes
            ));
            p.actions.clear();
        }
        if run_changed {
            let why = format!("Changed {} to {}", field_name(key), shown(&p, key, value));
            self.restart(p, why);
        } else {
            let round = self.timeline.round();
            self.params = Params { round, ..p };
            self.sync_url();
        }
    }
}

/// A parameter's value as the restart note says it.
fn shown(p: &Params, key: &str, value: &str) -> String {
    match key {
        "m" => mode_key(p.mode).to_string(),
        "stop" => p.stop.key().to_string(),
        "rk" => p.rumor_k.to_string(),
        "n" => p.nodes.to_string(),
        "k" => p.fanout.to_string(),
        "loss" => format!("{} %", p.loss_percent),
        "seed" => p.seed.to_string(),
        "lat" => format!("{} ticks", p.latency_min),
        "latmax" => format!("{} ticks", p.latency_max),
        "gi" => format!("{} ticks", p.gossip_ticks),
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
