//! One animation frame: the catch-up toward a link's round (while it lasts, instead of
//! playback), playback (through the shell's [`Playback`]), the message animation of a manual
//! step (the three in [`super::player::Player`]), a slice of the trials and the sweep, an owed address-bar update, the paint and
//! the frame statistics. The loop asks for the next frame only while something needs one.
//!
//! [`Playback`]: crate::shell::playback::Playback

use yew::prelude::*;

use super::player::CatchUp;
use super::DisseminationLab;
use crate::shell::dom::now_ms;

impl DisseminationLab {
    /// The frame at timestamp `ts`; returns whether the DOM must be rendered.
    pub(super) fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let (dt, interval) = self.player.playback.tick(ts);
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
        self.paint();
        let p = &self.player.playback;
        self.stats.frame(t0, interval, dom);
        self.stats.set("round", &self.run.timeline.round().into());
        self.stats.set("playing", &p.playing.into());
        self.stats.set("limited", &p.limited.into());
        self.stats
            .set("catchingUp", &self.run.catching_up.is_some().into());
        self.stats.memory();
        if self.needs_frames() {
            self.ensure_loop(ctx);
        } else {
            self.player.playback.idle();
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
