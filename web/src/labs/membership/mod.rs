//! The membership lab: SWIM with Lifeguard finding out who is alive, drawn. Each node shows the
//! truth (up, crashed, slow) and how the cluster sees it (a ring: the share of live nodes
//! holding it alive, suspect, dead or left); the round's pings, acks, ping-reqs, relayed pings
//! and acks, nacks and syncs travel, each drawn its own way; the membership matrix shows every
//! view; the inspector shows one node's view against the truth; the chart sets detection times
//! against the analysis and counts false suspicions and deaths, with and without Lifeguard.
//!
//! [`MembershipLab`] is the component: one struct, one [`Msg`] enum, three canvases and one
//! `requestAnimationFrame` loop, as the dissemination lab. The run apart from the page is
//! [`run::Run`] (host-tested), the model [`model::Engine`] (the shell's `Timeline` drives it),
//! the link [`url`] (over the core's `link::membership`). The markup is [`view`], the drawing
//! [`draw`], [`matrix`] and [`chart`], the inspector [`inspector`], the shortcuts [`keys`], the
//! CSV [`export`], the captions [`scenarios`], the message kinds [`classify`], the
//! computing of a late link's period over frames [`catchup`], and the Actions list
//! [`actions`].

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::labs::dissemination::params::{ROUNDS_PER_S_AT_1X, SPEEDS};
use crate::labs::LabProps;
use crate::layout::Point;
use crate::shell::actions::ActionsCmd;
use crate::shell::dom::{now_ms, reduced_motion, window};
use crate::shell::embed::{Command, Embed};
use crate::shell::playback::Playback;
use crate::shell::script_api::{self, ScriptApi};
use crate::shell::share::{self, AddressBar};
use crate::shell::start::start;
use crate::shell::stats::Stats;

pub mod actions;
pub mod catchup;
pub mod chart;
pub mod classify;
pub mod draw;
pub mod export;
pub mod inspector;
pub mod keys;
pub mod matrix;
pub mod model;
pub mod paint;
pub mod run;
pub mod scenarios;
pub mod url;
pub mod view;

use crate::labs::dissemination::player::CatchUp;
use catchup::CatchUpClock;
use inspector::InspectorCmd;
use paint::Canvases;
use run::Run;

/// Speeds above this draw no travelling messages (too fast to follow), and skip tracing them.
pub const TRACE_SPEED_MAX: f64 = 4.0;

/// What the user (or the clock) can do.
pub enum Msg {
    /// One period forward.
    Step,
    /// One period back.
    Back,
    /// Start or stop playing.
    TogglePlay,
    /// Back to period 0.
    Reset,
    /// Go to a period.
    Seek(u32),
    /// Change a link field (validated as the link is).
    Param(&'static str, String),
    /// Pick a scenario.
    Scenario(String),
    /// An animation frame.
    Frame(f64),
    /// A shortcut.
    Key(String),
    /// A click on the cluster canvas, in logical pixels.
    ClusterClick(f64, f64),
    /// A click on the matrix, at this logical height.
    MatrixClick(f64),
    /// The inspector's buttons.
    Inspector(InspectorCmd),
    /// Copy link.
    CopyLink,
    /// The clipboard took the link, or not.
    Copied(bool),
    /// Download the CSV.
    ExportCsv,
    /// Hide the notices.
    DismissNotices,
    /// The page around the embed, or a script on the page, asks to play, pause, step or seek
    /// (`shell::embed`, `shell::script_api`).
    Embed(Command),
    /// The Actions list, or Ctrl+Z and Ctrl+Shift+Z.
    Actions(ActionsCmd),
}

/// The lab.
pub struct MembershipLab {
    run: Run,
    playback: Playback,
    /// When the round shown was computed (ms): its messages travel from then.
    stepped_ms: f64,
    reduced_motion: bool,
    canvases: Canvases,
    address: AddressBar,
    copied: Option<bool>,
    api: ScriptApi,
    frame: Option<AnimationFrame>,
    stats: Stats,
    embed: Option<Embed>,
    catch_up: CatchUpClock,
    _keys: Option<EventListener>,
}

impl Component for MembershipLab {
    type Message = Msg;
    type Properties = LabProps;

    fn create(ctx: &Context<Self>) -> Self {
        let search = window().location().search().unwrap_or_default();
        let (params, notices) = url::parse(&search);
        let run = Run::new(params, notices.iter().map(|n| n.to_string()).collect());
        let mut lab = MembershipLab {
            canvases: Canvases::new(&run),
            run,
            playback: Playback::default(),
            stepped_ms: f64::NEG_INFINITY,
            reduced_motion: reduced_motion(),
            address: AddressBar::default(),
            copied: None,
            api: ScriptApi::install("membership", ctx.link().callback(Msg::Embed)),
            frame: None,
            stats: Stats::install(),
            embed: None,
            catch_up: CatchUpClock::default(),
            _keys: None,
        };
        let started = start(
            ctx,
            keys::accept,
            lab.run.params.embed,
            ctx.link().callback(Msg::Embed),
        );
        (lab._keys, lab.embed) = (started.keys, started.embed);
        lab.catch_up.first(&mut lab.run);
        lab.canvases.model_changed(&lab.run);
        if crate::shell::teacher::starts_playing() {
            ctx.link().send_message(Msg::TogglePlay);
        }
        lab.ensure_loop(ctx);
        lab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if self.run.catching_up.is_some() {
            // The user takes over: the run stays at the period reached; Play (shown as Pause
            // while catching up) only stops it there.
            if cancels_catch_up(&msg) {
                self.run.stop_catch_up();
                self.model_changed();
                if matches!(msg, Msg::TogglePlay) {
                    return true;
                }
            }
        } else if !matches!(msg, Msg::Frame(_)) && self.run.engine().is_mid_round() {
            self.run.timeline.settle();
        }
        let changed = match msg {
            Msg::Step => self.run.timeline.step_forward(),
            Msg::Back => self.run.timeline.step_back(),
            Msg::TogglePlay => {
                self.playback.toggle(self.run.timeline.can_advance());
                true
            }
            Msg::Reset => {
                self.playback.stop();
                self.run.timeline.goto(0);
                true
            }
            Msg::Seek(r) => {
                self.run.timeline.goto(r);
                true
            }
            Msg::Param(k, v) => {
                self.run.apply_param(k, &v);
                true
            }
            Msg::Scenario(k) => {
                self.playback.stop();
                self.run.scenario(&k);
                true
            }
            Msg::Frame(ts) => return self.on_frame(ctx, ts),
            Msg::Key(k) => match keys::command(&k, self.run.inspect, self.run.engine()) {
                Some(m) => return <Self as Component>::update(self, ctx, m),
                None => false,
            },
            Msg::ClusterClick(x, y) => {
                self.run.inspect = self.canvases.layout.hit(Point { x, y });
                true
            }
            Msg::MatrixClick(y) => {
                self.run.inspect = matrix::row_at(self.run.params.run.nodes, y);
                true
            }
            Msg::Inspector(c) => self.inspector(c),
            Msg::CopyLink => {
                let href = format!("{}{}", share::base(), self.run.link());
                share::copy(&href, ctx.link().callback(Msg::Copied));
                false
            }
            Msg::Copied(ok) => {
                self.copied = Some(ok);
                true
            }
            Msg::ExportCsv => {
                let r = &self.run;
                let text = export::csv(&r.link(), r.timeline.records(), r.compare_records());
                let name = export::file_name(r.params.run.scenario.key(), r.params.run.seed);
                share::download_text(&text, "text/csv", &name);
                false
            }
            Msg::DismissNotices => {
                self.run.notices.clear();
                true
            }
            Msg::Embed(c) => self.run.command(c, &mut self.playback),
            Msg::Actions(c) => self.run.actions_cmd(c, &mut self.playback),
        };
        if changed {
            self.model_changed();
        }
        self.ensure_loop(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.run.params.embed {
            self.embed_view(ctx)
        } else {
            self.full_view(ctx)
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        self.canvases.check();
        self.paint();
        self.stats.rendered();
        let t = &self.run.timeline;
        self.api.sync(script_api::Sync {
            epoch: 0,
            round: t.round(),
            complete: false,
            nodes: self.run.params.run.nodes,
            key: "",
            records: t.records(),
        });
        if let Some(e) = &mut self.embed {
            e.round(t.round(), false, t.records());
        }
        self.ensure_loop(ctx);
    }
}

impl MembershipLab {
    /// The round shown or the run changed: everything repaints, the comparison catches up, the
    /// address bar follows and the messages start travelling.
    fn model_changed(&mut self) {
        let deadline = now_ms() + crate::labs::dissemination::player::CATCH_UP_BUDGET_MS_PER_FRAME;
        self.run.sync_compare(&mut || now_ms() < deadline);
        self.canvases.model_changed(&self.run);
        self.stepped_ms = now_ms();
        self.address.owe();
        let trace = self.speed() <= TRACE_SPEED_MAX && !self.reduced_motion;
        self.run.timeline.set_trace(trace);
    }

    fn speed(&self) -> f64 {
        SPEEDS[self.run.params.speed_index]
    }

    /// A frame: playback, the messages' phase, the paint, the address bar, the statistics.
    fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let (dt, interval) = self.playback.tick(ts);
        let mut render = false;
        if self.run.catching_up.is_some() || self.run.compare_behind() {
            match self.catch_up.slice(&mut self.run, t0) {
                CatchUp::Reached if self.run.catching_up.is_none() => {
                    self.model_changed();
                    render = true;
                }
                CatchUp::Quiet => {}
                _ => {
                    self.canvases.model_changed(&self.run);
                    render = true;
                }
            }
        } else if self.playback.playing {
            let rps = ROUNDS_PER_S_AT_1X * self.speed();
            let played = self
                .playback
                .frame(&mut self.run.timeline, dt, rps, t0, &now_ms);
            if played.rounds > 0 {
                self.model_changed();
                render = true;
            }
            render |= played.ended || played.limited_changed;
        }
        if self.phase().is_some_and(|p| p < 1.0) {
            self.canvases.cluster.dirty = true;
        }
        if self.address.is_pending() && self.address.due() {
            let href = format!("{}{}", share::base(), self.run.link());
            self.address.sync(&href);
            self.api.set_link(&href);
        }
        if !render {
            self.paint();
        }
        self.stats.frame(t0, interval, render);
        self.stats.set("round", &self.run.timeline.round().into());
        self.stats.set("playing", &self.playback.playing.into());
        self.stats.set("limited", &self.playback.limited.into());
        self.stats
            .set("catchingUp", &self.run.catching_up.is_some().into());
        if self.needs_frames() {
            self.ensure_loop(ctx);
        } else {
            self.playback.idle();
        }
        render
    }

    /// How far the shown round's messages have travelled (`None`: none are drawn).
    fn phase(&self) -> Option<f64> {
        if self.reduced_motion || self.speed() > TRACE_SPEED_MAX {
            return None;
        }
        let round_ms = 1000.0 / (ROUNDS_PER_S_AT_1X * self.speed());
        Some(((now_ms() - self.stepped_ms) / round_ms).clamp(0.0, 1.0))
    }

    fn needs_frames(&self) -> bool {
        self.playback.playing
            || self.run.catching_up.is_some()
            || self.run.compare_behind()
            || self.address.is_pending()
            || self.phase().is_some_and(|p| p < 1.0)
    }

    fn ensure_loop(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() && self.needs_frames() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ts| {
                link.send_message(Msg::Frame(ts))
            }));
        }
    }

    /// Paints the canvases that are dirty; the first paint's time goes to the statistics.
    fn paint(&mut self) {
        if self.canvases.paint(&self.run, self.phase()) {
            self.stats.set("firstFrameMs", &now_ms().into());
        }
    }

    /// An inspector command: actions on the run (recorded), or closing the inspector.
    fn inspector(&mut self, c: InspectorCmd) -> bool {
        if c == InspectorCmd::Close {
            self.run.inspect = None;
            self.canvases.all_dirty();
            return true;
        }
        self.playback.stop();
        self.run.inspector(c)
    }
}

/// Whether `msg` changes the run or the period viewed, and so stops a catch-up where it is.
/// The rest (the help, inspecting a node, Copy link, the export) can wait for it.
fn cancels_catch_up(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Step
            | Msg::Back
            | Msg::TogglePlay
            | Msg::Reset
            | Msg::Seek(_)
            | Msg::Embed(Command::Step | Command::Seek(_))
            | Msg::Param(..)
            | Msg::Scenario(_)
            | Msg::Actions(_)
    ) || matches!(msg, Msg::Inspector(c) if *c != InspectorCmd::Close)
}
