//! The session's side of the run ([`super::run::Run`]): the transport (step, back, play,
//! reset, seek), parameter changes, scenarios and actions, and what each changes on the page
//! (through [`super::player::Player`]: playback and the message animation; the canvases, the
//! live region, the address bar). Methods of [`Session`], which owns all of these.

use gossip_core::sim::Action;

use super::run::Applied;
use super::session::Session;

/// "New seed" draws a seed from 1 to this: nine digits keep a link short.
const SEED_NEW_MAX: u64 = 1_000_000_000;

impl Session {
    /// Stops computing toward the link's round: the page shows the round reached.
    pub(super) fn stop_catch_up(&mut self) {
        self.run.stop_catch_up();
        self.canvases.model_changed();
        self.sync_url_soon();
    }

    /// After the viewed round changed by a user action ([`super::player::Player`] moved it).
    fn moved(&mut self) {
        self.sync_url_soon();
        self.canvases.model_changed();
        self.announce = self.run.round_line();
    }

    pub(super) fn step(&mut self) -> bool {
        if self.player.step(&mut self.run) {
            self.moved();
        }
        true
    }

    pub(super) fn back(&mut self) -> bool {
        if self.player.back(&mut self.run) {
            self.moved();
        }
        true
    }

    pub(super) fn toggle_play(&mut self) -> bool {
        if self.player.toggle(&mut self.run) {
            self.sync_url();
        }
        true
    }

    /// A command from the parent frame or a script on the page ([`crate::shell::embed`]):
    /// plays only a run that can go on (a figure scrolled back into view does not replay a
    /// finished run), pauses only a playing one; step and seek act as the buttons do, and a
    /// seek past the rounds computed so far is computed toward over frames, as a late link is.
    pub(super) fn command(&mut self, c: crate::shell::embed::Command) -> bool {
        use crate::shell::embed::Command;
        let playing = self.player.playback.playing;
        // While a link's round is computed, the player is busy getting there (step and seek
        // have stopped that computation before they get here).
        if self.run.catching_up.is_some() {
            return false;
        }
        match c {
            Command::Play => !playing && self.run.timeline.can_advance() && self.toggle_play(),
            Command::Pause => playing && self.toggle_play(),
            Command::Step => self.step(),
            Command::Seek(r) if r <= self.run.timeline.horizon() => self.seek(r),
            Command::Seek(r) => {
                self.player.stop();
                self.run.compute_toward(r);
                true
            }
        }
    }

    pub(super) fn reset(&mut self) -> bool {
        self.player.goto(&mut self.run, 0);
        self.moved();
        self.run.restart_note = None;
        true
    }

    pub(super) fn seek(&mut self, r: u32) -> bool {
        self.player.goto(&mut self.run, r);
        self.moved();
        true
    }

    /// After the run restarted: nothing plays, moves or stays selected, and everything
    /// repaints.
    fn restarted(&mut self) {
        self.player.stop();
        self.selection.forget();
        self.canvases.model_changed();
        self.canvases.bounds.dirty = true;
        self.sync_url();
    }

    /// Changes parameter `key` to `value` (see [`super::run::Run::apply_param`]).
    pub(super) fn apply_param(&mut self, key: &'static str, value: &str) -> bool {
        match self.run.apply_param(key, value) {
            Applied::Restarted => self.restarted(),
            Applied::Kept => self.sync_url(),
            Applied::Refused => {}
        }
        true
    }

    /// A new seed from the browser's crypto (getrandom), not Math.random: a new seed starts a
    /// new run and is never part of one. Kept to nine digits, so links stay short.
    pub(super) fn new_seed(&mut self) -> bool {
        match getrandom::u64() {
            Ok(x) => self.apply_param("seed", &(x % SEED_NEW_MAX + 1).to_string()),
            Err(e) => {
                let why = format!("New seed: the browser gave no random numbers ({e}).");
                self.run.notices.push(why);
                true
            }
        }
    }

    pub(super) fn scenario(&mut self, key: &str) -> bool {
        if self.run.scenario(key) {
            self.restarted();
        }
        true
    }

    pub(super) fn toggle_band(&mut self) -> bool {
        self.run.toggle_band();
        self.canvases.chart.dirty = true;
        self.sync_url();
        true
    }

    pub(super) fn track_key(&mut self, k: String) -> bool {
        if self.run.track_key(k) {
            self.canvases.model_changed();
            self.sync_url();
        }
        true
    }

    /// Records `action` at the round viewed and says what happened; returns whether the
    /// cluster accepted it.
    pub(super) fn act(&mut self, action: Action, what: String) -> bool {
        self.player.playback.stop();
        let r = self.run.timeline.round();
        if !self.run.act(action, &what) {
            return false;
        }
        self.player.anim = None;
        self.canvases.model_changed();
        self.announce = format!("{what} at round {r}.");
        self.sync_url();
        true
    }
}
