//! The anti-entropy lab's keyboard: the transport's shortcuts as the other labs have them
//! (outside form fields, only while the shell's switch is on), and the help dialog's rows.

use super::Msg;
use crate::shell::keys::Press;

/// The help dialog's rows.
pub const HELP: &[(&str, &str)] = &[
    ("Space", "play or pause the repair, one message at a time"),
    (
        "Right arrow",
        "the next turn (one side takes a message and answers)",
    ),
    ("Left arrow", "the turn before"),
    ("R", "back to before the repair"),
    ("?", "show or hide this help"),
    ("Escape", "close this help"),
];

/// The lab's message for a press, for [`crate::shell::start`]: its shortcuts only (the lab has
/// no actions to undo).
pub fn accept(p: Press) -> Option<Msg> {
    match p {
        Press::Key(k) => command(&k),
        Press::Edit(_) => None,
    }
}

/// What shortcut `key` asks for.
pub fn command(key: &str) -> Option<Msg> {
    match key {
        " " => Some(Msg::TogglePlay),
        "ArrowRight" => Some(Msg::Step),
        "ArrowLeft" => Some(Msg::Back),
        "r" | "R" => Some(Msg::Reset),
        _ => None,
    }
}
