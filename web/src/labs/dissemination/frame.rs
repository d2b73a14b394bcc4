//! One animation frame: the catch-up toward a link's round (while it lasts, instead of
//! playback), playback (through the shell's [`Playback`]), the message animation of a manual
//! step, a slice of the trials and the sweep, an owed address-bar update, the paint and
//! the frame statistics. The loop asks for the next frame only while something needs one.
//!
//! [`Playback`]: crate::shell::playback::Playback

use yew::prelude::*;

use super::transport::STEP_ANIMATION_MS;
use super::DisseminationLab;
use crate::shell::dom::now_ms;

/// Time a frame may spend on the trials band (and the sweep, with what the band left).
const BAND_BUDGET_MS: f64 = 6.0;
/// Time a frame may spend computing toward a link's round. More than playback's budget: the
/// user is waiting for that round and nothing moves meanwhile, but a frame of 25 ms still
/// answers a click within about two frames (50 ms) and leaves the page responsive.
pub(super) const CATCH_UP_BUDGET_MS_PER_FRAME: f64 = 25.0;
/// How often the catch-up's note and the canvases show the round reached: often enough to
/// see it move, rarely enough not to spend the budget on drawing 10,000 nodes, nor to make
/// the live region chatter.
const CATCH_UP_SHOWN_EVERY_MS: f64 = 500.0;

impl DisseminationLab {
    /// The frame at timestamp `ts`; returns whether the DOM must be rendered.
    pub(super) fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let (dt, interval) = self.playback.tick(ts);
        let mut dom = false;
        if self.run.catching_up.is_some() {
            dom |= self.catch_up(t0);
        } else if self.playback.playing {
            dom |= self.play(dt, t0);
        } else if let Some(a) = self.anim {
            let a = a + dt / STEP_ANIMATION_MS;
            self.anim = (a < 1.0).then_some(a);
            self.canvases.cluster.dirty = true;
        }
        dom |= self.work_trials(t0);
        if self.share.is_pending() && !self.playback.playing && self.share.due() {
            self.sync_url();
        }
        self.paint();
        self.stats.frame(t0, interval, dom);
        self.stats.set("round", &self.run.timeline.round().into());
        self.stats.set("playing", &self.playback.playing.into());
        self.stats.set("limited", &self.playback.limited.into());
        self.stats
            .set("catchingUp", &self.run.catching_up.is_some().into());
        self.stats.memory();
        if self.needs_frames() {
            self.ensure_loop(ctx);
        } else {
            self.playback.idle();
        }
        dom
    }

    /// Plays the rounds `dt` ms are worth; returns whether the DOM must be rendered.
    fn play(&mut self, dt: f64, t0: f64) -> bool {
        let trace = self.animate_messages();
        self.run.timeline.set_trace(trace);
        let played = self.playback.frame(
            &mut self.run.timeline,
            dt,
            self.run.params.rounds_per_s(),
            t0,
            &now_ms,
        );
        if played.ended {
            self.run.params.round = self.run.timeline.round();
            self.sync_url();
        }
        let mut dom = played.limited_changed;
        if played.rounds > 0 || !self.playback.playing {
            dom = true;
            self.run.params.round = self.run.timeline.round();
            self.canvases.model_changed();
        }
        self.anim =
            (self.playback.playing && self.animate_messages() && self.run.timeline.round() > 0)
                .then_some(self.playback.acc);
        dom
    }

    /// A slice of the computation toward the link's round; returns whether the DOM must be
    /// rendered (the note moved on, or the round is reached and the status replaces it).
    fn catch_up(&mut self, t0: f64) -> bool {
        let deadline = t0 + CATCH_UP_BUDGET_MS_PER_FRAME;
        if self.run.catch_up(&mut || now_ms() < deadline) {
            self.canvases.model_changed();
            let e = self.engine();
            self.announce = format!(
                "Round {}: {} of {} nodes informed.",
                e.round(),
                e.informed_count(),
                self.run.params.nodes
            );
            return true;
        }
        if t0 - self.catch_up_shown_ms < CATCH_UP_SHOWN_EVERY_MS {
            return false;
        }
        self.catch_up_shown_ms = t0;
        self.canvases.model_changed();
        true
    }

    /// A slice of the band of trials and of the sweep; returns whether the DOM must be rendered.
    fn work_trials(&mut self, t0: f64) -> bool {
        let mut dom = false;
        if let Some(band) = &mut self.run.trials.band {
            if !band.is_done() {
                let deadline = t0 + BAND_BUDGET_MS;
                let done = band.work(|| now_ms() < deadline);
                self.run.trials.summary = band.summary();
                self.canvases.chart.dirty = true;
                dom |= done || band.done().is_multiple_of(10);
            }
        }
        if let Some(sweep) = &mut self.run.trials.sweep {
            if !sweep.is_done() {
                // What the band left of its budget this frame.
                let deadline = t0 + BAND_BUDGET_MS;
                let before = sweep.progress().0;
                let done = sweep.work(|| now_ms() < deadline);
                self.canvases.bounds.dirty = true;
                dom |= done || before / 100 != sweep.progress().0 / 100;
            }
        }
        dom
    }
}
