//! The anti-entropy lab's keyboard: the transport's shortcuts as the other labs have them
//! (outside form fields, only while the shell's switch is on), and the help dialog's rows.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Document, KeyboardEvent};
use yew::prelude::*;

use super::{AntiEntropyLab, Msg};
use crate::shell::keys::shortcut;

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

/// Listens for the lab's shortcuts on `doc`.
pub fn listen(doc: &Document, ctx: &Context<AntiEntropyLab>) -> EventListener {
    let link = ctx.link().clone();
    let keys = ctx.props().keys.clone();
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(doc, "keydown", options, move |e| {
        let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        let Some(msg) = shortcut(e).filter(|_| keys.on()).and_then(|k| command(&k)) else {
            return;
        };
        e.prevent_default();
        link.send_message(msg);
    })
}
