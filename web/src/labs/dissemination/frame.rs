//! One animation frame: playback (through the shell's [`Playback`]), the message animation of a
//! manual step, a slice of the trials and the sweep, an owed address-bar update, the paint and
//! the frame statistics. The loop asks for the next frame only while something needs one.
//!
//! [`Playback`]: crate::shell::playback::Playback

use yew::prelude::*;

use super::transport::STEP_ANIMATION_MS;
use super::DisseminationLab;
use crate::shell::dom::now_ms;

/// Time a frame may spend on the trials band (and the sweep, with what the band left).
const BAND_BUDGET_MS: f64 = 6.0;

impl DisseminationLab {
    /// The frame at timestamp `ts`; returns whether the DOM must be rendered.
    pub(super) fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let (dt, interval) = self.playback.tick(ts);
        let mut dom = false;
        if self.playback.playing {
            dom |= self.play(dt, t0);
        } else if let Some(a) = self.anim {
            let a = a + dt / STEP_ANIMATION_MS;
            self.anim = (a < 1.0).then_some(a);
            self.canvases.cluster.dirty = true;
        }
        dom |= self.work_trials(t0);
        if self.address.is_pending() && !self.playback.playing && self.address.due() {
            self.sync_url();
        }
        self.paint();
        self.stats.frame(t0, interval, dom);
        self.stats.set("round", &self.run.timeline.round().into());
        self.stats.set("playing", &self.playback.playing.into());
        self.stats.set("limited", &self.playback.limited.into());
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
