//! The membership lab's keyboard: its shortcuts (outside form fields, only while the shell's
//! switch is on), what each does ([`command`]), and the help dialog's rows.

use super::inspector::InspectorCmd;
use super::model::Engine;
use super::Msg;
use crate::shell::keys::Press;

/// The help dialog's rows.
pub const HELP: &[(&str, &str)] = &[
    ("Space", "play or pause"),
    ("Right arrow", "step forward one period"),
    ("Left arrow", "step back one period"),
    ("R", "reset to period 0"),
    ("?", "show or hide this help"),
    ("Escape", "close this help, or forget the inspected node"),
    (
        "Click",
        "inspect a node (on the cluster, or its row in the matrix)",
    ),
    ("K", "crash the inspected node, or restart it"),
    ("L", "the inspected node leaves gracefully"),
    (
        "S",
        "make the inspected node slow by the inspector's lag, or keep up again",
    ),
    (
        "Ctrl+Z, Cmd+Z",
        "undo the last edit of the actions (with Shift: redo)",
    ),
];

/// The keys this lab takes.
pub const SHORTCUTS: &[&str] = &[
    " ",
    "ArrowRight",
    "ArrowLeft",
    "r",
    "R",
    "Escape",
    "k",
    "K",
    "l",
    "L",
    "s",
    "S",
];

/// The lab's message for a press ([`Msg::Key`] for its shortcuts only, [`Msg::Actions`] for Undo
/// and Redo), for [`crate::shell::start`].
/// A teacher's `hide=actions` takes Undo and Redo away with the list.
pub fn accept(p: Press) -> Option<Msg> {
    match p {
        Press::Key(k) => SHORTCUTS.contains(&k.as_str()).then_some(Msg::Key(k)),
        Press::Edit(c) => (!crate::shell::teacher::hidden("actions")).then_some(Msg::Actions(c)),
    }
}

/// What shortcut `key` asks for, with `selected` the inspected node.
pub fn command(key: &str, selected: Option<u32>, e: &Engine) -> Option<Msg> {
    let on = |f: fn(u32, &Engine) -> InspectorCmd| selected.map(|i| Msg::Inspector(f(i, e)));
    match key {
        " " => Some(Msg::TogglePlay),
        "ArrowRight" => Some(Msg::Step),
        "ArrowLeft" => Some(Msg::Back),
        "r" | "R" => Some(Msg::Reset),
        "Escape" => Some(Msg::Inspector(InspectorCmd::Close)),
        "k" | "K" => on(|i, e| {
            if e.is_up(i) {
                InspectorCmd::Crash(i)
            } else {
                InspectorCmd::Restart(i)
            }
        }),
        "l" | "L" => on(|i, _| InspectorCmd::Leave(i)),
        "s" | "S" => on(|i, e| {
            let lag = if e.lag_ticks(i).is_some() {
                0
            } else {
                2 * e.period_ticks()
            };
            InspectorCmd::Slow(i, lag)
        }),
        _ => None,
    }
}
