//! The player: playback (through the shell's [`Playback`]), the message animation of a manual
//! step, and the catch-up toward a link's round, over the lab's [`Run`]. [`Player`] owns that
//! state and moves the run's timeline; it returns what changed, and the session (its transport,
//! `transport.rs`, and its side of the one animation frame,
//! [`super::session::Session::frame`]) repaints, announces and updates the address bar from
//! that.

use yew::prelude::*;

use super::params::SPEEDS;
use super::run::Run;
use crate::shell::controls::{Transport, TransportProps};
use crate::shell::dom::now_ms;
use crate::shell::playback::{Playback, MODEL_BUDGET_MS_PER_FRAME};

/// How long the messages of a round take to travel after a manual step.
pub const STEP_ANIMATION_MS: f64 = 600.0;
/// Above this playback rate messages are not animated: nobody can follow them, and skipping
/// them keeps large clusters at frame rate.
const ANIMATED_ROUNDS_PER_S_MAX: f64 = 12.0;
/// Time a frame may spend computing toward a link's round. More than playback's budget: the
/// user is waiting for that round and nothing moves meanwhile, but a frame of 25 ms still
/// answers a click within about two frames (50 ms) and leaves the page responsive.
pub const CATCH_UP_BUDGET_MS_PER_FRAME: f64 = 25.0;
/// How often the catch-up's note and the canvases show the round reached: often enough to
/// see it move, rarely enough not to spend the budget on drawing 10,000 nodes, nor to make
/// the live region chatter.
pub const CATCH_UP_SHOWN_EVERY_MS: f64 = 500.0;

/// What a frame of playback did.
pub struct Played {
    /// Whether the DOM must be rendered.
    pub dom: bool,
    /// Whether playback ended (the run is complete): the address bar follows.
    pub ended: bool,
    /// Whether the round shown changed (the canvases repaint).
    pub moved: bool,
}

/// What a slice of the catch-up did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatchUp {
    /// The link's round is reached.
    Reached,
    /// Time to show the round reached so far.
    Show,
    /// Nothing to show yet.
    Quiet,
}

/// Playback, the message animation and the catch-up's clock.
pub struct Player {
    /// Wall time to model time, and whether it is playing.
    pub playback: Playback,
    /// The phase of the current round's message animation, if one is running.
    pub anim: Option<f64>,
    /// The user asked for reduced motion: nothing is animated.
    pub reduced_motion: bool,
    /// When the catch-up's note and canvases were last refreshed (ms, the page's clock).
    catch_up_shown_ms: f64,
}

impl Player {
    /// A player at rest; `reduced_motion` as the browser says.
    pub fn new(reduced_motion: bool) -> Player {
        Player {
            playback: Playback::default(),
            anim: None,
            reduced_motion,
            catch_up_shown_ms: now_ms(),
        }
    }

    /// Whether the embed's Play is a Replay: the run is complete, past round 0, and not playing.
    pub fn embed_replays(&self, run: &Run) -> bool {
        run.params.embed
            && !self.playback.playing
            && !run.timeline.can_advance()
            && run.timeline.round() > 0
    }

    /// Whether messages are animated (not with reduced motion, nor when playing fast).
    pub fn animate_messages(&self, run: &Run) -> bool {
        !self.reduced_motion
            && (!self.playback.playing || run.params.rounds_per_s() <= ANIMATED_ROUNDS_PER_S_MAX)
    }

    /// Stops playing and animating (the run restarted or an action was taken).
    pub fn stop(&mut self) {
        self.playback.stop();
        self.anim = None;
    }

    /// After the viewed round changed by a user action.
    fn moved(&mut self, run: &mut Run, stepped_forward: bool) {
        run.params.round = run.timeline.round();
        self.anim = (stepped_forward && self.animate_messages(run)).then_some(0.0);
    }

    /// One round forward; returns whether the round moved.
    pub fn step(&mut self, run: &mut Run) -> bool {
        self.playback.stop();
        self.playback.limited = false;
        run.timeline.set_trace(!self.reduced_motion);
        let moved = run.timeline.step_forward();
        if moved {
            self.moved(run, true);
        }
        moved
    }

    /// One round back; returns whether the round moved.
    pub fn back(&mut self, run: &mut Run) -> bool {
        self.playback.stop();
        let moved = run.timeline.step_back();
        if moved {
            self.moved(run, false);
        }
        moved
    }

    /// To round `r` (Reset, the timeline slider).
    pub fn goto(&mut self, run: &mut Run, r: u32) {
        self.playback.stop();
        run.timeline.goto(r);
        self.moved(run, false);
    }

    /// Play or pause; returns whether it paused (the address bar follows the round).
    pub fn toggle(&mut self, run: &mut Run) -> bool {
        self.playback.toggle(run.timeline.can_advance());
        if self.playback.playing {
            return false;
        }
        run.params.round = run.timeline.round();
        true
    }

    /// Moves the message animation of a manual step on by `dt` ms.
    pub fn animate(&mut self, dt: f64) {
        if let Some(a) = self.anim {
            let a = a + dt / STEP_ANIMATION_MS;
            self.anim = (a < 1.0).then_some(a);
        }
    }

    /// Plays the rounds `dt` ms are worth.
    pub fn play(&mut self, run: &mut Run, dt: f64, t0: f64) -> Played {
        let trace = self.animate_messages(run);
        run.timeline.set_trace(trace);
        let played = self.playback.frame(
            &mut run.timeline,
            dt,
            run.params.rounds_per_s(),
            t0,
            &now_ms,
        );
        if played.ended {
            run.params.round = run.timeline.round();
        }
        let moved = played.rounds > 0 || !self.playback.playing;
        if moved {
            run.params.round = run.timeline.round();
        }
        self.anim =
            (self.playback.playing && self.animate_messages(run) && run.timeline.round() > 0)
                .then_some(self.playback.acc);
        Played {
            dom: played.limited_changed || moved,
            ended: played.ended,
            moved,
        }
    }

    /// A slice of the computation toward the link's round.
    pub fn catch_up(&mut self, run: &mut Run, t0: f64) -> CatchUp {
        let deadline = t0 + CATCH_UP_BUDGET_MS_PER_FRAME;
        if run.catch_up(&mut || now_ms() < deadline) {
            return CatchUp::Reached;
        }
        if t0 - self.catch_up_shown_ms < CATCH_UP_SHOWN_EVERY_MS {
            return CatchUp::Quiet;
        }
        self.catch_up_shown_ms = t0;
        CatchUp::Show
    }

    /// The transport bar's state for `run`, sending to `on`.
    pub fn transport(&self, run: &Run, on: Callback<Transport>) -> TransportProps {
        let round = run.timeline.round();
        TransportProps {
            // Catching up is shown as playing: Pause stops it at the round reached.
            playing: self.playback.playing || run.catching_up.is_some(),
            can_advance: run.timeline.can_advance(),
            replay: self.embed_replays(run),
            round,
            horizon: run.timeline.horizon().max(round),
            speeds: &SPEEDS,
            speed_index: run.params.speed_index,
            done_title: run.done_title(),
            embed: run.params.embed,
            on,
            marks: crate::shell::actions::marks(run.timeline.actions(), "Round"),
            children: Html::default(),
        }
    }

    /// While playback is slower than asked (the model cannot keep up), the note that says so.
    pub fn speed_limited(&self, run: &Run) -> Option<String> {
        let p = &run.params;
        let speed = SPEEDS[p.speed_index.min(SPEEDS.len() - 1)];
        (self.playback.limited && self.playback.playing).then(|| format!("Speed limited: the model cannot compute {speed}x for {} nodes within {MODEL_BUDGET_MS_PER_FRAME} ms a frame, so it plays slower to keep the page smooth.", p.run.nodes))
    }
}
