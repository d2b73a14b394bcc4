//! The lab's keyboard: its shortcuts (outside form fields, and only while the shell's switch
//! is on, so never behind the help dialog), what each does ([`command`]: the message it sends
//! the lab), and the help dialog's rows.

use gossip_core::net::Direction;

use super::inspector::InspectorCmd;
use super::model::Engine;
use super::partition::PartitionCmd;
use yew::prelude::*;

use super::{DisseminationLab, Msg};
use crate::shell::keys::Press;
use crate::shell::teacher::hidden;

/// The help dialog's rows.
pub const HELP: &[(&str, &str)] = &[
    ("Space", "play or pause"),
    ("Right arrow", "step forward one round"),
    ("Left arrow", "step back one round"),
    ("R", "reset to round 0"),
    ("?", "show or hide this help"),
    (
        "Escape",
        "close this help, or forget the inspected node and the selection",
    ),
    ("Click", "inspect a node: crash, restart or write to it"),
    ("K", "crash the inspected node, or restart it (empty)"),
    (
        "W",
        "write the key and value of the inspector at the inspected node",
    ),
    (
        "Shift-click, drag",
        "select nodes (a lasso) to cut off by a partition",
    ),
    (
        "Select nodes",
        "the button for touch screens: while on, a tap adds or removes a node and a drag draws a lasso",
    ),
    ("C", "cut the selected nodes off, both ways"),
    ("O", "cut them off one way (the rest cannot reach them)"),
    ("H", "heal the partition"),
    ("Ctrl+Z, Cmd+Z", "undo the last edit of the actions (with Shift: redo)"),
];

/// The keys this lab takes (outside form fields, and only while the shell's switch is on).
pub const SHORTCUTS: &[&str] = &[
    " ",
    "ArrowRight",
    "ArrowLeft",
    "r",
    "R",
    "Escape",
    "k",
    "K",
    "w",
    "W",
    "c",
    "C",
    "o",
    "O",
    "h",
    "H",
];

/// The lab's message for a press ([`Msg::Key`] for its shortcuts only, [`Msg::Actions`] for Undo
/// and Redo), for [`crate::shell::start`].
/// A teacher's `hide=` takes the hidden controls' keys away too: `node-actions` those of the
/// node actions, `actions` Undo and Redo.
pub fn accept(p: Press) -> Option<Msg> {
    match p {
        Press::Key(k) if NODE_ACTION_KEYS.contains(&k.as_str()) && hidden("node-actions") => None,
        Press::Key(k) => SHORTCUTS.contains(&k.as_str()).then_some(Msg::Key(k)),
        Press::Edit(c) => (!hidden("actions")).then_some(Msg::Actions(c)),
    }
}

/// The shortcuts of the node actions (crash or restart, write, cut, heal).
const NODE_ACTION_KEYS: &[&str] = &["k", "K", "w", "W", "c", "C", "o", "O", "h", "H"];

/// What shortcut `key` asks the lab for, with `selected` the inspected node of `e` (none for
/// a key that needs one, with none inspected). Escape is the lab's own: it forgets the
/// selection.
pub fn command(key: &str, selected: Option<u32>, e: &Engine) -> Option<Msg> {
    match key {
        " " => Some(Msg::TogglePlay),
        "ArrowRight" => Some(Msg::Step),
        "ArrowLeft" => Some(Msg::Back),
        "r" | "R" => Some(Msg::Reset),
        "k" | "K" => selected.map(|i| {
            Msg::Inspector(if e.cluster().is_up(i) {
                InspectorCmd::Kill(i)
            } else {
                InspectorCmd::Revive(i)
            })
        }),
        "w" | "W" => selected.map(|i| Msg::Inspector(InspectorCmd::Write(i))),
        "c" | "C" => Some(Msg::Partition(PartitionCmd::Cut(Direction::Both))),
        "o" | "O" => Some(Msg::Partition(PartitionCmd::Cut(Direction::OneWay))),
        "h" | "H" => Some(Msg::Partition(PartitionCmd::Heal)),
        _ => None,
    }
}

impl DisseminationLab {
    /// A shortcut key: what it does here ([`command`]).
    pub(super) fn key(&mut self, ctx: &Context<Self>, key: &str) -> bool {
        // Escape forgets the inspected node and the selected group (the shell's help dialog,
        // when open, takes it first).
        if key == "Escape" {
            self.session.selection.forget();
            self.session.canvases.cluster.dirty = true;
            return true;
        }
        match command(key, self.session.selection.selected, self.session.engine()) {
            Some(m) => Component::update(self, ctx, m),
            None => false,
        }
    }
}
