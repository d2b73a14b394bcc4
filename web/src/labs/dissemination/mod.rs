//! The dissemination lab: how one write spreads through a cluster by anti-entropy (push, pull,
//! push-pull) or rumor mongering, with loss, latency, crashes, writes and partitions, against
//! the theory curves and a band of trials.
//!
//! [`DisseminationLab`] is the lab's component: one struct, one [`Msg`] enum, canvases behind
//! `NodeRef`s and one `requestAnimationFrame` loop (RaftScope's design, Yew's examples'
//! shape). The model is the shell's `Timeline` of this lab's [`model::Engine`], held with the
//! parameters in a [`run::Run`]; everything drawn is derived from it and from
//! [`params::Params`], which the link ([`url`]) encodes.
//! The lab's state on the page is a [`session::Session`]: it owns a few plain structs, each
//! with its own state and methods (the run, the player, the canvases, the selection, the
//! write form, the address bar), and is the glue between them: it turns a command into calls
//! on them and applies what they return (repaint a canvas, announce a line, update the
//! address bar). The component owns the session and what is Yew's or the browser's (the one
//! animation frame loop, the key and resize listeners, the frame statistics, the markup); it
//! turns a [`Msg`] into a call on the session. The session's methods live beside the concept
//! they serve:
//! * [`session`]: the session, what keeps the frame loop going, and the model's side of a
//!   frame;
//! * [`run`]: the run itself, apart from the page (parameters, scenarios, restarts, actions,
//!   notices, the status lines, the CSV; host-tested), and [`transport`]: what the transport,
//!   a change and an action do on the page;
//! * [`player`]: [`player::Player`] owns playback, the message animation of a step and the
//!   catch-up's clock, and moves the run's timeline; [`frame`]: the component's one animation
//!   frame loop ([`session::Session::frame`]: the catch-up toward a link's round, playback,
//!   message animation, trials, the address bar; then the paint and the statistics);
//! * [`paint`]: [`paint::Canvases`] owns the three canvases and paints each from the run
//!   when dirty ([`draw`] does the drawing);
//! * [`chart`]: theory curves, trials, the chart's painting, note and markup, functions of
//!   the run;
//! * [`inspector`]: the inspected node, its component, and [`inspector::WriteForm`] (the write
//!   form, which makes its write);
//! * [`partition`]: [`partition::Selection`] (clicking, shift-click, lasso; host-tested; Cut
//!   and the select mode; the node actions' markup), the cluster canvas's pointer handlers;
//! * [`export`]: [`export::Share`] owns the address bar and Copy link's result; the
//!   permalink and the CSV and PNG downloads are functions of the run;
//! * [`view`] and [`panel`]: the markup (the stage, the embed, the parameters), made of the
//!   shell's components, the lab's own ([`inspector::Inspector`], [`panel::Parameters`],
//!   [`partition::PartitionBar`], [`scenarios::ScenarioPicker`]) and plain view functions of
//!   the run;
//! * [`actions`]: the Actions list (the shell's [`crate::shell::actions::ActionList`]) and
//!   its commands: jump, delete, undo, redo, the fork choice;
//! * [`keys`]: the lab's shortcuts ([`keys::command`]) and its help rows;
//! * [`scenarios`]: the scenario picker, and when an edited run stops being its scenario;
//! * [`repair`]: anti-entropy repair's fields, the legend of the canvas shaded by what each
//!   node lacks, and the repair chart.
//!
//! Pure, host-tested parts: [`model`], [`params`], [`url`], [`band`], [`bounds`].

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::labs::LabProps;
use crate::shell::actions::ActionsCmd;
use crate::shell::dom::{now_ms, reduced_motion, window};
use crate::shell::embed::{Command, Embed};
use crate::shell::script_api::{self, ScriptApi};
use crate::shell::start::start;
use crate::shell::stats::Stats;

pub mod actions;
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
pub mod repair;
pub mod run;
pub mod scenarios;
pub mod session;
pub mod transport;
pub mod url;
pub mod view;

use export::ShareCmd;
use inspector::InspectorCmd;
use partition::{PartitionCmd, Pointer};
use player::Player;
use run::Run;
use session::Session;

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
    /// The pointer on the cluster canvas: a press, a move (drawing a lasso while pressed), a
    /// release (a click inspects, or with Shift toggles the node in the group; the end of a
    /// lasso adds the nodes inside to the group).
    Pointer(Pointer),
    /// The inspector's buttons and write form.
    Inspector(InspectorCmd),
    /// The partition bar: the select mode, Cut, Clear, Heal.
    Partition(PartitionCmd),
    /// Copy link and the exports.
    Share(ShareCmd),
    /// Track another key.
    TrackKey(String),
    /// The clipboard took the link (`true`) or refused it.
    Copied(bool),
    /// Hide the notices.
    DismissNotices,
    /// The window was resized: canvases shown at another size repaint (their text scale).
    Resized,
    /// The page around the embed, or a script on the page, asks to play, pause, step or seek
    /// (`shell::embed`, `shell::script_api`).
    Embed(Command),
    /// The Actions list, or Ctrl+Z (undo) and Ctrl+Shift+Z (redo).
    Actions(ActionsCmd),
}

/// The lab: the [`session::Session`] and what is Yew's or the browser's.
pub struct DisseminationLab {
    session: Session,
    frame: Option<AnimationFrame>,
    stats: Stats,
    /// The conversation with the parent frame, in an embed inside a frame.
    embed: Option<Embed>,
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
        let player = Player::new(reduced_motion());
        let mut lab = DisseminationLab {
            session: Session::new(
                run,
                player,
                ScriptApi::install("dissemination", ctx.link().callback(Msg::Embed)),
            ),
            frame: None,
            stats: Stats::install(),
            embed: None,
            _keys: None,
            _resize: None,
        };
        let embed = lab.session.run.params.embed;
        let started = start(ctx, keys::accept, embed, ctx.link().callback(Msg::Embed));
        (lab._keys, lab.embed) = (started.keys, started.embed);
        let link = ctx.link().clone();
        lab._resize = Some(EventListener::new(&window(), "resize", move |_| {
            link.send_message(Msg::Resized)
        }));
        // A link at a late round is computed toward it over frames (`frame::catch_up`); a
        // short one gets there within this first slice and never shows the note.
        let deadline = now_ms() + player::CATCH_UP_BUDGET_MS_PER_FRAME;
        lab.session.run.catch_up(&mut || now_ms() < deadline);
        if crate::shell::teacher::starts_playing() {
            ctx.link().send_message(Msg::TogglePlay);
        }
        lab.ensure_loop(ctx);
        lab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let s = &mut self.session;
        if s.run.catching_up.is_some() {
            // The user takes over from the catch-up: the run stays at the round reached, and
            // Play (shown as Pause while catching up) only stops it there.
            if cancels_catch_up(&msg) {
                s.stop_catch_up();
                if matches!(msg, Msg::TogglePlay) {
                    return true;
                }
            }
        } else if !matches!(msg, Msg::Frame(_) | Msg::Pointer(Pointer::Move(..)))
            && s.engine().is_mid_round()
        {
            // Playback may have left a round half run; whatever the user does starts from a
            // round boundary.
            s.run.settle();
            s.canvases.model_changed();
        }
        let render = match msg {
            Msg::Step => s.step(),
            Msg::Back => s.back(),
            // The embed has no Reset or Back: there Play (or Space) on a complete run replays it
            // from round 0, or a reader of a post would be left with two dead buttons. (A run
            // complete at round 0 has nothing to replay; after the Reset the round is 0, so the
            // second call takes the plain arm below.)
            Msg::TogglePlay if s.player.embed_replays(&s.run) => {
                <Self as Component>::update(self, ctx, Msg::Reset);
                <Self as Component>::update(self, ctx, Msg::TogglePlay)
            }
            Msg::TogglePlay => s.toggle_play(),
            Msg::Reset => s.reset(),
            Msg::Seek(r) => s.seek(r),
            Msg::Param(key, value) => s.apply_param(key, &value),
            Msg::Scenario(key) => s.scenario(&key),
            Msg::NewSeed => s.new_seed(),
            Msg::ToggleBand => s.toggle_band(),
            Msg::Frame(ts) => return self.on_frame(ctx, ts),
            Msg::Key(key) => return self.key(ctx, &key),
            Msg::Pointer(p) => s.pointer(p),
            Msg::Inspector(c) => s.inspector(c),
            Msg::Partition(c) => s.partition(c),
            Msg::Share(c) => s.share_cmd(ctx.link().callback(Msg::Copied), c),
            Msg::TrackKey(k) => s.track_key(k),
            Msg::Copied(ok) => {
                s.share.copied(ok);
                true
            }
            Msg::Resized => true,
            Msg::Embed(c) => s.command(c),
            Msg::Actions(c) => s.actions_cmd(c),
            Msg::DismissNotices => {
                s.run.notices.clear();
                s.run.restart_note = None;
                true
            }
        };
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.session.run.params.embed {
            self.embed_view(ctx)
        } else {
            self.full_view(ctx)
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // A changed model repaints, and so does a canvas element that the DOM update replaced or
        // resized (it is blank then): every render leaves both canvases painted.
        self.session.canvases.check();
        self.paint();
        let s = &mut self.session;
        if std::mem::take(&mut s.selection.reveal_inspector) {
            crate::shell::dom::reveal("inspector", s.player.reduced_motion);
        }
        self.stats.rendered();
        s.api.sync(script_api::Sync {
            epoch: s.run.epoch,
            round: s.run.timeline.round(),
            complete: !s.run.timeline.can_advance(),
            nodes: s.run.params.run.nodes,
            key: &s.run.params.run.key,
            records: s.run.timeline.records(),
        });
        if let Some(e) = &mut self.embed {
            let t = &s.run.timeline;
            e.round(t.round(), !t.can_advance(), t.records());
        }
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
    }
}

impl DisseminationLab {
    /// Paints what is dirty ([`Session::paint`]); the first paint's time goes to the
    /// statistics.
    fn paint(&mut self) {
        if self.session.paint() {
            self.stats.set("firstFrameMs", &now_ms().into());
        }
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
        self.session.needs_frames()
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
            | Msg::Embed(Command::Step | Command::Seek(_))
            | Msg::Param(..)
            | Msg::Scenario(_)
            | Msg::NewSeed
            | Msg::Inspector(
                InspectorCmd::Kill(_) | InspectorCmd::Revive(_) | InspectorCmd::Write(_)
            )
            | Msg::Partition(PartitionCmd::Cut(_) | PartitionCmd::Heal)
            | Msg::Actions(
                ActionsCmd::Jump(_) | ActionsCmd::Delete(_) | ActionsCmd::Undo | ActionsCmd::Redo
            )
    )
}
