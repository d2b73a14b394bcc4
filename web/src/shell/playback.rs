//! Playback: wall-clock time turned into model rounds through the speed (RaftScope's design),
//! within a per-frame budget, and the "speed limited" state when the model cannot keep up.
//!
//! A lab calls [`Playback::frame`] from its `requestAnimationFrame` handler with the frame's
//! timestamp; it advances the lab's [`Timeline`] by the rounds the elapsed time is worth, tick by
//! tick so that one large round cannot block a frame, and says what happened.

use super::timeline::{Model, Timeline};

/// Rounds one frame may compute while playing, whatever the budget below allows.
pub const ROUNDS_PER_FRAME_MAX: u32 = 8;
/// Wall-clock time one animation frame may spend stepping the model while playing. A frame at
/// 60 fps lasts 16.7 ms; drawing and the DOM need the rest. When the model cannot keep up with
/// the chosen speed (10,000 nodes at 64x), the rounds owed are dropped, not carried over, so
/// the page keeps its frame rate and plays slower than asked, and the page says so.
pub const MODEL_BUDGET_MS_PER_FRAME: f64 = 8.0;
/// Frames in a row that must keep up before "Speed limited" goes away (about half a second): a
/// model near its budget keeps up in some frames and not in others, and the notice must not
/// flicker with them.
pub const LIMITED_CLEAR_FRAMES: u32 = 30;
/// A frame longer than this (a hidden tab, a debugger) counts as this long.
pub const FRAME_GAP_MAX_MS: f64 = 250.0;

/// The playing state of a lab's run.
#[derive(Debug, Default)]
pub struct Playback {
    /// Whether the run is playing.
    pub playing: bool,
    /// The part of the next round already elapsed while playing.
    pub acc: f64,
    last_ts: Option<f64>,
    /// Whether the last frames had to drop model time (the speed shown is not reached).
    pub limited: bool,
    /// Frames in a row that kept up since the last one that did not.
    kept_up_frames: u32,
}

/// What one frame of playback did.
#[derive(Debug, Default)]
pub struct Played {
    /// Rounds completed.
    pub rounds: u32,
    /// The run could not advance: playback stopped.
    pub ended: bool,
    /// "Speed limited" appeared or went away.
    pub limited_changed: bool,
}

impl Playback {
    /// Starts or stops playing (a run that cannot advance does not start).
    pub fn toggle(&mut self, can_advance: bool) {
        self.playing = !self.playing && can_advance;
        self.limited = false;
        self.acc = 0.0;
        self.last_ts = None;
    }

    /// Stops playing (a user step, seek or action).
    pub fn stop(&mut self) {
        self.playing = false;
    }

    /// The frame clock: the time since the last frame (clamped to [`FRAME_GAP_MAX_MS`]) and the
    /// raw interval, if there was a last frame.
    pub fn tick(&mut self, ts: f64) -> (f64, Option<f64>) {
        let dt = self
            .last_ts
            .map(|l| (ts - l).clamp(0.0, FRAME_GAP_MAX_MS))
            .unwrap_or(0.0);
        let interval = self.last_ts.map(|l| ts - l);
        self.last_ts = Some(ts);
        (dt, interval)
    }

    /// Forgets the last frame's time (the loop stops until something needs frames).
    pub fn idle(&mut self) {
        self.last_ts = None;
    }

    /// Advances `timeline` by the rounds `dt` ms are worth at `rounds_per_s`, spending at most
    /// [`MODEL_BUDGET_MS_PER_FRAME`] from `t0` by the clock `now`.
    pub fn frame<M: Model>(
        &mut self,
        timeline: &mut Timeline<M>,
        dt: f64,
        rounds_per_s: f64,
        t0: f64,
        now: &dyn Fn() -> f64,
    ) -> Played {
        let mut played = Played::default();
        self.acc += dt / 1000.0 * rounds_per_s;
        let mut limited = false;
        let deadline = t0 + MODEL_BUDGET_MS_PER_FRAME;
        while self.acc >= 1.0 {
            if played.rounds >= ROUNDS_PER_FRAME_MAX || now() >= deadline {
                limited = true;
                break;
            }
            // Ticks, not whole rounds, so one large round cannot block a frame: a round that
            // does not fit is finished in the next frames.
            match timeline.advance(&mut || now() < deadline) {
                Some(true) => {
                    self.acc -= 1.0;
                    played.rounds += 1;
                }
                Some(false) => {
                    limited = true;
                    break;
                }
                None => {
                    self.playing = false;
                    self.acc = 0.0;
                    played.ended = true;
                    break;
                }
            }
        }
        if limited {
            // Drop the rounds owed: the page keeps its frame rate and plays slower.
            self.acc = self.acc.min(0.99);
        }
        self.kept_up_frames = if limited {
            0
        } else {
            self.kept_up_frames.saturating_add(1)
        };
        let shown = limited || (self.limited && self.kept_up_frames < LIMITED_CLEAR_FRAMES);
        if shown != self.limited {
            self.limited = shown;
            played.limited_changed = true;
        }
        played
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::shell::timeline::toy::toy;

    /// A clock that moves `step_ms` on every reading.
    fn clock(step_ms: f64) -> impl Fn() -> f64 {
        let t = Cell::new(0.0);
        move || {
            t.set(t.get() + step_ms);
            t.get()
        }
    }

    fn playing() -> Playback {
        let mut p = Playback::default();
        p.toggle(true);
        p
    }

    #[test]
    fn a_frame_plays_the_rounds_its_time_is_worth() {
        let mut t = Timeline::new(toy(), Vec::new());
        let mut p = playing();
        let played = p.frame(&mut t, 1000.0, 2.5, 0.0, &clock(0.0));
        assert_eq!((played.rounds, t.round()), (2, 2));
        assert!((p.acc - 0.5).abs() < 1e-9, "half a round is carried over");
        assert!(!p.limited && !played.ended);
    }

    #[test]
    fn a_model_over_its_budget_drops_the_rounds_owed_and_says_speed_limited() {
        let mut t = Timeline::new(toy(), Vec::new());
        let mut p = playing();
        // Each reading of the clock costs 3 ms: the 8 ms budget holds two rounds, not 64.
        let played = p.frame(&mut t, 1000.0, 64.0, 0.0, &clock(3.0));
        assert_eq!(played.rounds, 2, "{played:?}");
        assert!(p.acc < 1.0, "the rounds owed were carried over: {}", p.acc);
        assert!(p.limited && played.limited_changed);
    }

    #[test]
    fn speed_limited_goes_away_only_after_frames_that_keep_up_in_a_row() {
        let mut t = Timeline::new(toy(), Vec::new());
        let mut p = playing();
        p.frame(&mut t, 1000.0, 64.0, 0.0, &clock(3.0));
        assert!(p.limited);
        for _ in 0..LIMITED_CLEAR_FRAMES - 1 {
            p.frame(&mut t, 0.0, 1.0, 0.0, &clock(0.0));
            assert!(p.limited, "cleared before {LIMITED_CLEAR_FRAMES} frames");
        }
        let played = p.frame(&mut t, 0.0, 1.0, 0.0, &clock(0.0));
        assert!(!p.limited && played.limited_changed);
    }

    #[test]
    fn playback_stops_where_the_run_cannot_advance() {
        let mut t = Timeline::new(toy(), Vec::new());
        t.goto(99);
        let mut p = playing();
        let played = p.frame(&mut t, 1000.0, 4.0, 0.0, &clock(0.0));
        assert!(played.ended && !p.playing);
        assert_eq!((t.round(), p.acc), (100, 0.0));
    }
}
