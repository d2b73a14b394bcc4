//! The keyboard, shared by the shell and a lab: one switch that turns a lab's shortcuts off
//! while a modal dialog holds the keyboard, and the filter both apply to a key press.
//!
//! The shell owns the switch and flips it when the help opens or closes; the lab reads it in its
//! own key handler when a key arrives. A press the shell takes (the Escape that closes the help)
//! never reaches the lab's handler at all: the shell's handler, registered first on the same
//! document, stops its immediate propagation, since Yew may already have run the shell's update
//! (and turned the switch back on) by the time the lab's handler would be called.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

/// Whether a lab's shortcuts are on; clones share one switch.
#[derive(Clone, Debug)]
pub struct Keys(Rc<Cell<bool>>);

impl Default for Keys {
    fn default() -> Keys {
        Keys::new()
    }
}

impl PartialEq for Keys {
    fn eq(&self, other: &Keys) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Keys {
    /// A switch, on.
    pub fn new() -> Keys {
        Keys(Rc::new(Cell::new(true)))
    }

    /// Whether the lab's shortcuts are on.
    pub fn on(&self) -> bool {
        self.0.get()
    }

    /// Turns them on (no dialog open) or off.
    pub fn set(&self, on: bool) {
        self.0.set(on);
    }
}

/// The key of a press that may be a shortcut: not with Ctrl, Meta or Alt (the browser's and the
/// system's), and not typed into a form field, where only Escape counts.
pub fn shortcut(e: &KeyboardEvent) -> Option<String> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let key = e.key();
    (!in_field(e) || key == "Escape").then_some(key)
}

/// Whether `e` was typed into a form field (whose own keys come first).
fn in_field(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

/// A press the shell lets through to a lab ([`press`]): a shortcut's key, or Undo or Redo of the
/// run's actions.
pub enum Press {
    /// A shortcut's key ([`shortcut`]).
    Key(String),
    /// Undo or Redo ([`undo_shortcut`]).
    Edit(crate::shell::actions::ActionsCmd),
}

/// What press `e` is for a lab, if any: Undo or Redo first (they come with Ctrl or Cmd, which
/// [`shortcut`] lets through for no key).
pub fn press(e: &KeyboardEvent) -> Option<Press> {
    undo_shortcut(e)
        .map(Press::Edit)
        .or_else(|| shortcut(e).map(Press::Key))
}

/// Undo or Redo of the run's actions from a press ([`crate::shell::actions::undo_key`]: Ctrl+Z
/// or Cmd+Z, with Shift to redo), but not in a form field, where the browser's own undo of
/// the typing comes first.
pub fn undo_shortcut(e: &KeyboardEvent) -> Option<crate::shell::actions::ActionsCmd> {
    if in_field(e) || e.alt_key() {
        return None;
    }
    crate::shell::actions::undo_key(&e.key(), e.ctrl_key() || e.meta_key(), e.shift_key())
}
