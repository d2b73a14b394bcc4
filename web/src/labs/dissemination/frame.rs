//! One animation frame: the model's side ([`super::session::Session::frame`]: the catch-up
//! toward a link's round, playback, the message animation of a manual step, a slice of the
//! trials and the sweep, an owed address-bar update), then the paint and the frame
//! statistics. The loop asks for the next frame only while something needs one.

use yew::prelude::*;

use super::DisseminationLab;
use crate::shell::dom::now_ms;

impl DisseminationLab {
    /// The frame at timestamp `ts`; returns whether the DOM must be rendered.
    pub(super) fn on_frame(&mut self, ctx: &Context<Self>, ts: f64) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let (dt, interval) = self.session.player.playback.tick(ts);
        let dom = self.session.frame(dt, t0);
        self.paint();
        let s = &self.session;
        let p = &s.player.playback;
        self.stats.frame(t0, interval, dom);
        self.stats.set("round", &s.run.timeline.round().into());
        self.stats.set("playing", &p.playing.into());
        self.stats.set("limited", &p.limited.into());
        self.stats
            .set("catchingUp", &s.run.catching_up.is_some().into());
        self.stats.memory();
        if self.session.needs_frames() {
            self.ensure_loop(ctx);
        } else {
            self.session.player.playback.idle();
        }
        dom
    }
}
