//! The lab's state on the page, apart from Yew: [`Session`] owns the run ([`super::run::Run`]),
//! the player, the canvases, the selection, the write form, the live region's line, the
//! address bar and the script API's link. Its methods are the glue between them that needs
//! no component: the transport, changes and actions (`transport.rs`), the inspector's and
//! the partition bar's commands (`inspector.rs`, `partition.rs`), the pointer, the share
//! group's commands (`export.rs`), the paint (`paint.rs`) and the model's side of one
//! animation frame ([`Session::frame`]). Each returns whether the DOM must be rendered.
//!
//! The component ([`super::DisseminationLab`]) owns the session beside what is Yew's or the
//! browser's: the one animation frame loop, the key and resize listeners, the frame
//! statistics and the markup, which binds the session's commands to its messages.

use super::export::Share;
use super::inspector::WriteForm;
use super::model::Engine;
use super::paint::Canvases;
use super::partition::Selection;
use super::player::{CatchUp, Player};
use super::run::Run;
use crate::shell::script_api::ScriptApi;

/// The lab's state on the page (see the module docs).
pub struct Session {
    /// The run: parameters, timeline, trials, notices.
    pub run: Run,
    /// The three canvases and what is dirty.
    pub canvases: Canvases,
    /// Playback, the message animation and the catch-up's clock.
    pub player: Player,
    /// The inspected node, the group and the lasso.
    pub selection: Selection,
    /// The inspector's write form.
    pub form: WriteForm,
    /// The live region's line (what the last action did).
    pub announce: String,
    /// The address bar and Copy link.
    pub share: Share,
    /// `window.gossipLab`, kept on the run.
    pub api: ScriptApi,
}

impl Session {
    /// A session over `run`, with nothing selected, playing or painted yet.
    pub fn new(run: Run, player: Player, api: ScriptApi) -> Session {
        Session {
            form: WriteForm::new(&run.params.run.key),
            run,
            canvases: Canvases::new(),
            player,
            selection: Selection::default(),
            announce: String::new(),
            share: Share::default(),
            api,
        }
    }

    /// The model at the round viewed.
    pub fn engine(&self) -> &Engine {
        self.run.engine()
    }

    /// Whether the frame loop must go on: something plays, moves, computes or is owed.
    pub fn needs_frames(&self) -> bool {
        self.player.playback.playing
            || self.run.catching_up.is_some()
            || self.player.anim.is_some()
            || self.run.trials.working()
            || !self.canvases.first_paint_done
            || self.share.is_pending()
    }

    /// The model's side of an animation frame at `t0` (ms), `dt` ms after the last one: the
    /// catch-up (while it lasts, instead of playback), playback or the message animation, a
    /// slice of the trials and the sweep, and an owed address-bar update. Returns whether
    /// the DOM must be rendered.
    pub fn frame(&mut self, dt: f64, t0: f64) -> bool {
        let mut dom = false;
        if self.run.catching_up.is_some() {
            dom |= self.catch_up(t0);
        } else if self.player.playback.playing {
            dom |= self.play(dt, t0);
        } else if self.player.anim.is_some() {
            self.player.animate(dt);
            self.canvases.cluster.dirty = true;
        }
        let worked = self.run.trials.work(t0);
        self.canvases.chart.dirty |= worked.chart;
        self.canvases.bounds.dirty |= worked.bounds;
        dom |= worked.dom;
        let playing = self.player.playback.playing;
        if self.share.is_pending() && !playing && self.share.due() {
            self.sync_url();
        }
        dom
    }

    /// Plays the rounds `dt` ms are worth; returns whether the DOM must be rendered.
    fn play(&mut self, dt: f64, t0: f64) -> bool {
        let played = self.player.play(&mut self.run, dt, t0);
        if played.ended {
            self.sync_url();
        }
        if played.moved {
            self.canvases.model_changed();
        }
        played.dom
    }

    /// A slice of the computation toward the link's round; returns whether the DOM must be
    /// rendered (the note moved on, or the round is reached and the status replaces it).
    fn catch_up(&mut self, t0: f64) -> bool {
        let done = self.player.catch_up(&mut self.run, t0);
        if done == CatchUp::Reached {
            self.announce = self.run.round_line();
        }
        if done != CatchUp::Quiet {
            self.canvases.model_changed();
        }
        done != CatchUp::Quiet
    }
}
