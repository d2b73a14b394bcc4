//! The dissemination lab: how one write spreads through a cluster by anti-entropy (push, pull,
//! push-pull) or rumor mongering, with loss, latency, crashes, writes and partitions, against
//! the theory curves and a band of trials.
//!
//! [`DisseminationLab`] is the lab's component: one struct, one [`Msg`] enum, canvases behind
//! `NodeRef`s and one `requestAnimationFrame` loop (RaftScope's design, Yew's examples'
//! shape). The model is the shell's `Timeline` of this lab's [`model::Engine`], held with the
//! parameters in a [`run::Run`]; everything drawn is derived from it and from
//! [`params::Params`], which the link ([`url`]) encodes.
//! The component's methods live beside the concept they serve:
//! * [`run`]: the run itself, apart from the page (parameters, scenarios, restarts, actions,
//!   notices, the status lines, the CSV; host-tested), and [`transport`]: what the transport,
//!   a change and an action do on the page;
//! * [`frame`]: one animation frame (the catch-up toward a link's round, playback, message
//!   animation, trials, the address bar), and [`player`]: the state of the first three
//!   ([`player::Player`], owned by the lab and driven by the frame and the transport);
//! * [`paint`]: the canvases, painted from the model when dirty ([`draw`] does the drawing);
//! * [`chart`]: theory curves, trials, and the chart's data and note;
//! * [`inspector`]: the inspected node and its write form;
//! * [`partition`]: selecting nodes (click, shift-click, lasso; host-tested) and cutting them
//!   off;
//! * [`export`]: the permalink, Copy link and the CSV and PNG downloads;
//! * [`view`] and [`panel`]: the markup (the stage, the embed, the parameters), made of the
//!   shell's components and the lab's own ([`inspector::Inspector`], [`panel::Parameters`],
//!   [`partition::PartitionBar`], [`scenarios::ScenarioPicker`]);
//! * [`keys`]: the lab's shortcuts and its help rows;
//! * [`scenarios`]: the scenario picker, and when an edited run stops being its scenario.
//!
//! Pure, host-tested parts: [`model`], [`params`], [`url`], [`band`], [`bounds`].

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use gossip_core::net::Direction;
use yew::prelude::*;

use crate::labs::LabProps;
use crate::layout;
use crate::shell::dom::{now_ms, reduced_motion, window};
use crate::shell::script_api::{self, ScriptApi};
use crate::shell::stats::Stats;

pub mod band;
pub mod bounds;
pub mod chart;
pub mod draw;
pub mod export;
pub mod frame;
pub mod inspector;
pub mod keys;
pub mod model;
pub mod paint;
pub mod panel;
pub mod params;
pub mod partition;
pub mod player;
pub mod run;
pub mod scenarios;
pub mod transport;
pub mod url;
pub mod view;

use export::Share;
use inspector::WriteForm;
use model::Engine;
use paint::Canvases;
use partition::Selection;
use player::Player;
use run::Run;

/// What the user (or the clock) can do.
pub enum Msg {
    /// Run one round forward.
    Step,
    /// Go one round back.
    Back,
    /// Start or stop playing.
    TogglePlay,
    /// Back to round 0, same parameters and seed.
    Reset,
    /// Go to a round (the timeline slider).
    Seek(u32),
    /// Change a parameter by its link name (validated as the link is).
    Param(&'static str, String),
    /// Pick a scenario.
    Scenario(String),
    /// A fresh random seed.
    NewSeed,
    /// Show or hide the band of trials.
    ToggleBand,
    /// An animation frame at this timestamp (ms).
    Frame(f64),
    /// A shortcut key pressed outside form fields.
    Key(String),
    /// A pointer pressed on the cluster canvas, in canvas pixels; whether it is a mouse (which
    /// may draw a lasso) and whether Shift is held.
    PointerDown(f64, f64, bool, bool),
    /// The pointer moved (drawing a lasso while pressed).
    PointerMove(f64, f64),
    /// The pointer released: a click (inspect, or with Shift toggle the node in the group) or
    /// the end of a lasso (add the nodes inside to the group).
    PointerUp(f64, f64, bool),
    /// Crash the inspected node.
    Kill(u32),
    /// Restart the inspected node, empty.
    Revive(u32),
    /// Write the value in the write field under the key in the key field at this node.
    Write(u32),
    /// The key field of the write form.
    WriteKey(String),
    /// The value field of the write form.
    WriteValue(String),
    /// Track another key.
    TrackKey(String),
    /// Cut the selected group off from the rest.
    Cut(Direction),
    /// Remove the partition.
    Heal,
    /// Forget the selected group.
    ClearGroup,
    /// Copy the permalink.
    CopyLink,
    /// The clipboard took the link (`true`) or refused it.
    Copied(bool),
    /// Download the chart data as CSV.
    ExportCsv,
    /// Download the cluster canvas as PNG.
    ExportPng,
    /// Hide the notices.
    DismissNotices,
    /// The window was resized: canvases shown at another size repaint (their text scale).
    Resized,
    /// Turn the select mode on or off: while on, a tap or click adds or removes a node from
    /// the group and any drag (touch too) draws a lasso, so a partition can be drawn by touch.
    ToggleSelectMode,
}

/// The lab.
pub struct DisseminationLab {
    run: Run,
    canvases: Canvases,
    player: Player,
    frame: Option<AnimationFrame>,
    selection: Selection,
    form: WriteForm,
    announce: String,
    share: Share,
    stats: Stats,
    api: ScriptApi,
    _keys: Option<EventListener>,
    _resize: Option<EventListener>,
}

impl Component for DisseminationLab {
    type Message = Msg;
    type Properties = LabProps;

    fn create(ctx: &Context<Self>) -> Self {
        let search = window().location().search().unwrap_or_default();
        let (params, notices) = url::parse(&search);
        let run = Run::new(params, notices.iter().map(|n| n.to_string()).collect());
        let mut lab = DisseminationLab {
            form: WriteForm::new(&run.params.key),
            run,
            canvases: Canvases::new(),
            player: Player::new(reduced_motion()),
            frame: None,
            selection: Selection::default(),
            announce: String::new(),
            share: Share::default(),
            stats: Stats::install(),
            api: ScriptApi::install("dissemination"),
            _keys: None,
            _resize: None,
        };
        if let Some(doc) = window().document() {
            // The page's static "loading" line has done its job.
            if let Some(loading) = doc.get_element_by_id("loading") {
                loading.remove();
            }
            lab._keys = Some(keys::listen(&doc, ctx));
        }
        let link = ctx.link().clone();
        lab._resize = Some(EventListener::new(&window(), "resize", move |_| {
            link.send_message(Msg::Resized)
        }));
        // A link at a late round is computed toward it over frames (`frame::catch_up`); a
        // short one gets there within this first slice and never shows the note.
        let deadline = now_ms() + player::CATCH_UP_BUDGET_MS_PER_FRAME;
        lab.run.catch_up(&mut || now_ms() < deadline);
        lab.ensure_loop(ctx);
        lab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if self.run.catching_up.is_some() {
            // The user takes over from the catch-up: the run stays at the round reached, and
            // Play (shown as Pause while catching up) only stops it there.
            if cancels_catch_up(&msg) {
                self.stop_catch_up();
                if matches!(msg, Msg::TogglePlay) {
                    return true;
                }
            }
        } else if !matches!(msg, Msg::Frame(_) | Msg::PointerMove(..))
            && self.engine().is_mid_round()
        {
            // Playback may have left a round half run; whatever the user does starts from a
            // round boundary.
            self.run.settle();
            self.canvases.model_changed();
        }
        let render = match msg {
            Msg::Step => self.step(),
            Msg::Back => self.back(),
            // The embed has no Reset or Back: there Play (or Space) on a complete run replays it
            // from round 0, or a reader of a post would be left with two dead buttons. (A run
            // complete at round 0 has nothing to replay; after the Reset the round is 0, so the
            // second call takes the plain arm below.)
            Msg::TogglePlay if self.player.embed_replays(&self.run) => {
                <Self as Component>::update(self, ctx, Msg::Reset);
                <Self as Component>::update(self, ctx, Msg::TogglePlay)
            }
            Msg::TogglePlay => self.toggle_play(),
            Msg::Reset => self.reset(),
            Msg::Seek(r) => self.seek(r),
            Msg::Param(key, value) => self.apply_param(key, &value),
            Msg::Scenario(key) => self.scenario(&key),
            Msg::NewSeed => self.new_seed(),
            Msg::ToggleBand => self.toggle_band(),
            Msg::Frame(ts) => return self.on_frame(ctx, ts),
            Msg::Key(key) => return self.key(ctx, &key),
            Msg::PointerDown(x, y, mouse, _shift) => {
                self.selection.press(layout::Point { x, y }, mouse);
                false
            }
            Msg::PointerMove(x, y) => self.pointer_move(x, y),
            Msg::PointerUp(x, y, shift) => self.pointer_up(x, y, shift),
            Msg::Kill(i) => {
                self.act(
                    gossip_core::sim::Action::Crash(i),
                    format!("Crashed node {i}"),
                );
                true
            }
            Msg::Revive(i) => {
                let what = format!("Restarted node {i}, empty");
                self.act(gossip_core::sim::Action::Restart(i), what);
                true
            }
            Msg::Write(i) => self.write(i),
            Msg::WriteKey(k) => self.form.set_key(k),
            Msg::WriteValue(v) => self.form.set_value(v),
            Msg::TrackKey(k) => self.track_key(k),
            Msg::Cut(direction) => self.cut(direction),
            Msg::Heal => {
                self.act(
                    gossip_core::sim::Action::Heal,
                    "Healed the partition".to_string(),
                );
                true
            }
            Msg::ClearGroup => {
                self.selection.group.clear();
                self.canvases.cluster.dirty = true;
                true
            }
            Msg::CopyLink => {
                let done = ctx.link().callback(Msg::Copied);
                self.share.copy_link(&mut self.run, &mut self.api, done);
                true
            }
            Msg::Copied(ok) => {
                self.share.copied(ok);
                true
            }
            Msg::ExportCsv => {
                export::export_csv(&self.run);
                false
            }
            Msg::ExportPng => self.export_png(),
            Msg::Resized => true,
            Msg::ToggleSelectMode => {
                self.announce = self.selection.toggle_select_mode();
                true
            }
            Msg::DismissNotices => {
                self.run.notices.clear();
                self.run.restart_note = None;
                true
            }
        };
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.run.params.embed {
            self.embed_view(ctx)
        } else {
            self.full_view(ctx)
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // A changed model repaints, and so does a canvas element that the DOM update replaced or
        // resized (it is blank then): every render leaves both canvases painted.
        self.canvases.check();
        self.paint();
        if std::mem::take(&mut self.selection.reveal_inspector) {
            crate::shell::dom::reveal("inspector", self.player.reduced_motion);
        }
        self.stats.rendered();
        self.api.sync(script_api::Sync {
            epoch: self.run.epoch,
            round: self.run.timeline.round(),
            complete: !self.run.timeline.can_advance(),
            nodes: self.run.params.nodes,
            key: &self.run.params.key,
            records: self.run.timeline.records(),
        });
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
    }
}

impl DisseminationLab {
    fn engine(&self) -> &Engine {
        self.run.engine()
    }

    fn ensure_loop(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ts| {
                link.send_message(Msg::Frame(ts))
            }));
        }
    }

    fn needs_frames(&self) -> bool {
        self.player.playback.playing
            || self.run.catching_up.is_some()
            || self.player.anim.is_some()
            || self.run.trials.working()
            || !self.canvases.first_paint_done
            || self.share.is_pending()
    }
}

/// Whether `msg` changes the run, or what round is viewed, and so stops a catch-up where it is.
/// The rest (the help, inspecting a node, Copy link, the exports, the band) can wait for it.
fn cancels_catch_up(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Step
            | Msg::Back
            | Msg::TogglePlay
            | Msg::Reset
            | Msg::Seek(_)
            | Msg::Param(..)
            | Msg::Scenario(_)
            | Msg::NewSeed
            | Msg::Kill(_)
            | Msg::Revive(_)
            | Msg::Write(_)
            | Msg::Cut(_)
            | Msg::Heal
    )
}
