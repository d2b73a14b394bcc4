//! Opening a link at a late period without freezing the page: the run is computed toward the
//! link's period over animation frames, a frame's budget at a time, as the dissemination lab
//! does ([`crate::labs::dissemination::player`]), so the page answers clicks and keys
//! meanwhile; the status line says how far it has got and the canvases show the period
//! reached every half second. The comparison (`cmp=`, never drawn on the cluster) is brought to
//! the main run's horizon the same way, after it, and after every later move.

use super::run::Run;
use crate::labs::dissemination::player::{
    CatchUp, CATCH_UP_BUDGET_MS_PER_FRAME, CATCH_UP_SHOWN_EVERY_MS,
};
use crate::shell::dom::now_ms;

/// When the catch-up last showed the period reached.
#[derive(Default)]
pub struct CatchUpClock {
    shown_ms: f64,
}

impl CatchUpClock {
    /// A frame's slice at `t0` (ms): of the computation toward the link's period, then of the
    /// comparison's toward the same horizon. `Reached` when the link's period is, or when the
    /// comparison has caught up; `Show` when the progress is due to be shown.
    pub fn slice(&mut self, run: &mut Run, t0: f64) -> CatchUp {
        let deadline = t0 + CATCH_UP_BUDGET_MS_PER_FRAME;
        let was_catching_up = run.catching_up.is_some();
        let was_behind = run.compare_behind();
        run.catch_up(&mut || now_ms() < deadline);
        if (was_catching_up && run.catching_up.is_none()) || (was_behind && !run.compare_behind()) {
            return CatchUp::Reached;
        }
        if t0 - self.shown_ms < CATCH_UP_SHOWN_EVERY_MS {
            return CatchUp::Quiet;
        }
        self.shown_ms = t0;
        CatchUp::Show
    }

    /// The first slice, as the page opens: a link at an early period is there at once and
    /// never shows the note.
    pub fn first(&mut self, run: &mut Run) {
        let t0 = now_ms();
        self.shown_ms = t0;
        self.slice(run, t0);
    }
}
