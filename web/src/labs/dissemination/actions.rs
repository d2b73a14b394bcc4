//! The dissemination lab's Actions list: its markup (the shell's
//! [`ActionList`](crate::shell::actions::ActionList) over the run's timeline) and what each of
//! its commands does on the page. Jump seeks as the slider does; Delete, Undo and Redo edit the
//! run's actions through the timeline ([`super::run::Run::edit_actions`]) and then, as an
//! action does, stop playback, repaint and update the address bar; the Fork choice says what
//! acting in the past does next ([`super::run::Run::fork`]).

use yew::prelude::*;

use super::session::Session;
use super::{DisseminationLab, Msg};
use crate::shell::actions::{ActionList, ActionsCmd};

impl Session {
    /// A command of the Actions list (or Ctrl+Z); returns whether to render.
    pub(super) fn actions_cmd(&mut self, c: ActionsCmd) -> bool {
        match c {
            ActionsCmd::Jump(r) => self.seek(r),
            ActionsCmd::Fork(on) => {
                self.run.fork = on;
                true
            }
            ActionsCmd::Delete(_) | ActionsCmd::Undo | ActionsCmd::Redo => {
                self.player.playback.stop();
                if self.run.edit_actions(c) {
                    self.player.anim = None;
                    self.canvases.model_changed();
                    self.announce = format!(
                        "{} actions recorded; round {}.",
                        self.run.timeline.actions().len(),
                        self.run.timeline.round()
                    );
                    self.sync_url();
                }
                true
            }
        }
    }
}

impl DisseminationLab {
    /// The Actions group.
    pub(super) fn actions_group(&self, ctx: &Context<Self>) -> Html {
        let t = &self.session.run.timeline;
        html! {
            <ActionList actions={t.actions().to_vec()} round={t.round()} unit="round"
                can_undo={t.can_undo()} can_redo={t.can_redo()} fork={self.session.run.fork}
                on={ctx.link().callback(Msg::Actions)} />
        }
    }
}
