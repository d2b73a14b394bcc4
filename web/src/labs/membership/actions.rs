//! The membership lab's actions as the user edits them: an action inserted at the period
//! viewed keeping the later ones (the default; [`Run::fork`] forks instead), the Actions list's
//! commands (jump, delete, undo, redo, the fork choice) and its markup. Every edit goes through
//! the main timeline ([`crate::shell::timeline::Timeline::insert`] and the rest), and the
//! comparison (`cmp=`) is given the same actions ([`Timeline::set_actions`]), so both runs
//! always replay one script, the link's.

use gossip_core::link::membership::{script_limits, Scenario};
use gossip_core::sim::{edit, Action};
use gossip_core::time::Round;
use yew::prelude::*;

use super::run::Run;
use crate::shell::actions::{self, ActionList, ActionsCmd};
use crate::shell::playback::Playback;
use crate::shell::timeline::{Edit, Timeline};

impl Run {
    /// Inserts `action` at the period viewed, keeping every later action (those it makes
    /// impossible are dropped and named); returns whether it was taken.
    pub(super) fn insert(&mut self, action: Action) -> bool {
        self.timeline.settle();
        let at = Round(u64::from(self.timeline.round()));
        let mut next = self.params.run.actions.clone();
        edit::insert(&mut next, at, action.clone());
        if let Err(e) = gossip_core::script::encode(&next, &script_limits(self.params.run.nodes)) {
            self.notices.push(format!(
                "That action does not fit the link ({e}); not taken."
            ));
            return false;
        }
        match self.timeline.insert(action) {
            Ok(e) => {
                self.edited(&e);
                true
            }
            Err(e) => {
                self.notices.push(format!("Not taken: {e}."));
                false
            }
        }
    }

    /// A command of the Actions list (or Ctrl+Z); returns whether the view changed.
    pub fn actions_cmd(&mut self, c: ActionsCmd, playback: &mut Playback) -> bool {
        match c {
            ActionsCmd::Jump(r) => {
                playback.stop();
                self.seek(r);
                true
            }
            ActionsCmd::Fork(on) => {
                self.fork = on;
                false
            }
            ActionsCmd::Delete(_) | ActionsCmd::Undo | ActionsCmd::Redo => {
                playback.stop();
                match actions::edit(&mut self.timeline, c) {
                    Some(Ok(e)) => {
                        self.edited(&e);
                        true
                    }
                    Some(Err(e)) => {
                        self.notices.push(format!("Not edited: {e}."));
                        true
                    }
                    None => false,
                }
            }
        }
    }

    /// After the main timeline's actions changed: the comparison takes the same ones, the
    /// link follows, and the page names the actions the edit made impossible.
    pub(super) fn edited(&mut self, e: &Edit) {
        if let Some(n) = actions::impossible_notice(e, "period") {
            self.notices.push(n);
        }
        let list = self.timeline.actions().to_vec();
        if let Some(c) = &mut self.compare {
            if c.actions() != list.as_slice() {
                sync(c, list.clone(), &mut self.notices);
            }
        }
        self.params.run.actions = list;
        self.params.round = self.timeline.round();
        if self.params.run.scenario != Scenario::Custom && !self.params.run.fits_scenario() {
            self.params.run.scenario = Scenario::Custom;
        }
    }
}

/// Gives the comparison the main run's actions. It refuses one only where the runs differ
/// (Lifeguard or the detector), which no action depends on; a refusal is said all the same.
fn sync(
    c: &mut Timeline<super::model::Engine>,
    list: Vec<gossip_core::link::membership::TimedAction>,
    notices: &mut crate::shell::notices::Notices,
) {
    match c.set_actions(list) {
        Ok(e) if e.impossible.is_empty() => {}
        Ok(e) => notices.push(format!(
            "The second run (cmp) could not take them all: {}",
            actions::impossible_notice(&e, "period").unwrap_or_default()
        )),
        Err(e) => notices.push(format!("The second run (cmp) refused the edit: {e}.")),
    }
}

/// The Actions group of `run`.
pub fn group(run: &Run, on: Callback<ActionsCmd>) -> Html {
    let t = &run.timeline;
    html! {
        <ActionList actions={t.actions().to_vec()} round={t.round()} unit="period"
            can_undo={t.can_undo()} can_redo={t.can_redo()} fork={run.fork} on={on} />
    }
}
