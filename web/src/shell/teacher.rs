//! A teacher's link on the page: the fields `gossip_core::link::teacher` reads (`lock=`,
//! `hide=`, `play=`, `proj=`, `notes=`), held for the page's lifetime and asked by the labs'
//! markup as it renders.
//!
//! How it is driven: the shell ([`crate::app`]) calls [`open`] once with the link and the lab
//! it opens, before the lab is created, and shows the notices it returns; each lab's markup
//! wraps a parameter in [`field`] (or [`by_link`], by its link field) and a group in [`group`],
//! and each lab asks [`starts_playing`] when it is created. The fields are fixed while the page
//! lives, except projector mode, which the header's button and the `P` key switch
//! ([`set_projector`]); the address bar carries them after the lab's own fields
//! (`shell::share::with_lesson_fields`), so a reload keeps them.
//!
//! A thread-local and not a Yew context: the labs read it in plain view functions that have
//! no component context, and nothing but projector mode changes after the first render (the
//! shell passes that one to the labs in their props, so they render again when it changes).

use std::cell::RefCell;

use gossip_core::link::teacher::{self, Teacher};
use yew::prelude::*;

/// What a locked input says, beside it and as its tooltip.
pub const LOCKED_NOTE: &str = "locked by your teacher";
/// How much larger projector mode draws the canvases' marks (message dots and heads, chart
/// lines; the nodes by [`PROJECTOR_NODE_SCALE`]): large enough to read from the back of a room on a 1280-pixel projector.
pub const PROJECTOR_MARK_SCALE: f64 = 1.6;
/// How much larger projector mode draws the nodes themselves: less than the other marks,
/// because a node's dot is 0.4 of the spacing between nodes (`layout::dot_radius`), and 1.2
/// times that (0.48) is the most that keeps neighbours apart.
pub const PROJECTOR_NODE_SCALE: f64 = 1.2;
/// The class projector mode puts on the page's root element (`www/style.css` styles it).
pub const PROJECTOR_CLASS: &str = "projector";

/// A lab's names for a teacher's link (each lab's are in `labs::teach`).
pub struct Names {
    /// Each parameter: its name in `lock=` and `hide=`, and the link fields its inputs set.
    pub params: &'static [(&'static str, &'static [&'static str])],
    /// The groups `hide=` may name besides the parameters.
    pub groups: &'static [&'static str],
}

impl Names {
    /// The names `lock=` takes: the parameters.
    pub fn lockable(&self) -> Vec<&'static str> {
        self.params.iter().map(|(n, _)| *n).collect()
    }

    /// The names `hide=` takes: the parameters, then the groups.
    pub fn hideable(&self) -> Vec<&'static str> {
        let mut all = self.lockable();
        all.extend_from_slice(self.groups);
        all
    }

    /// The parameter whose input sets the link field `key`.
    pub fn name_of(&self, key: &str) -> Option<&'static str> {
        self.params
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(n, _)| *n)
    }
}

/// No lab's names (before the shell has opened a link).
pub const NONE: Names = Names {
    params: &[],
    groups: &[],
};

struct State {
    teacher: Teacher,
    names: &'static Names,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State {
        teacher: Teacher::default(),
        names: &NONE,
    });
}

/// Reads the teacher's fields of `search` for a lab offering `names`, keeps them, and returns
/// a notice for each value that could not be used (an unknown name among them).
pub fn open(search: &str, names: &'static Names) -> Vec<String> {
    let (t, notices) = teacher::parse(search, &names.lockable(), &names.hideable());
    apply_projector(t.projector);
    STATE.with(|s| *s.borrow_mut() = State { teacher: t, names });
    notices.iter().map(|n| n.to_string()).collect()
}

/// Another lab was picked: a teacher's locks and hides named the old lab's controls, so they
/// go; projector mode and the notes stay.
pub fn switch_lab(names: &'static Names) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let (projector, notes) = (s.teacher.projector, s.teacher.notes);
        s.teacher = Teacher {
            projector,
            notes,
            ..Teacher::default()
        };
        s.names = names;
    });
}

/// The fields, canonical, for the address bar (empty when none is set).
pub fn fields() -> String {
    STATE.with(|s| s.borrow().teacher.encode())
}

/// The names the open lab takes in `hide=` (its parameters, then its groups), for the help.
pub fn hideable() -> Vec<&'static str> {
    STATE.with(|s| s.borrow().names.hideable())
}

/// Whether the parameter `name` is locked.
pub fn locked(name: &str) -> bool {
    STATE.with(|s| s.borrow().teacher.locks(name))
}

/// Whether the control or group `name` is hidden.
pub fn hidden(name: &str) -> bool {
    STATE.with(|s| s.borrow().teacher.hides(name))
}

/// Whether the link asks to start playing (`play=1`).
pub fn starts_playing() -> bool {
    STATE.with(|s| s.borrow().teacher.play == Some(true))
}

/// Whether the teacher notes are shown (`notes=1`).
pub fn notes() -> bool {
    STATE.with(|s| s.borrow().teacher.notes)
}

/// Whether projector mode is on.
pub fn projector() -> bool {
    STATE.with(|s| s.borrow().teacher.projector)
}

/// Turns projector mode on or off: the root element's class, and the canvases repainted with
/// marks of their new size (see [`mark_scale`]).
pub fn set_projector(on: bool) {
    STATE.with(|s| s.borrow_mut().teacher.projector = on);
    apply_projector(on);
    crate::shell::canvas::repaint_all();
}

/// The factor the canvases scale their marks by: [`PROJECTOR_MARK_SCALE`] in projector mode.
pub fn mark_scale() -> f64 {
    if projector() {
        PROJECTOR_MARK_SCALE
    } else {
        1.0
    }
}

/// The factor the canvases scale their nodes' dots by: [`PROJECTOR_NODE_SCALE`] in projector
/// mode.
pub fn node_scale() -> f64 {
    if projector() {
        PROJECTOR_NODE_SCALE
    } else {
        1.0
    }
}

fn apply_projector(on: bool) {
    let root = crate::shell::dom::window()
        .document()
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        // The root's other classes, if any, are kept (no DomTokenList: one fewer web-sys
        // feature for one class).
        let mut classes: Vec<String> = root
            .class_name()
            .split_whitespace()
            .filter(|c| *c != PROJECTOR_CLASS)
            .map(String::from)
            .collect();
        if on {
            classes.push(PROJECTOR_CLASS.to_string());
        }
        root.set_class_name(&classes.join(" "));
    }
}

/// A parameter's markup as the teacher's link wants it: nothing when hidden; when locked,
/// inside a disabled fieldset (which disables every input in it, whatever their own state)
/// with the note saying why; else as it is.
pub fn field(name: &str, inner: Html) -> Html {
    if hidden(name) {
        return html! {};
    }
    if !locked(name) {
        return inner;
    }
    html! {
        <fieldset class="locked" disabled=true title={LOCKED_NOTE} data-lock={name.to_string()}>
            { inner }
            <span class="lock-note">{ LOCKED_NOTE }</span>
        </fieldset>
    }
}

/// [`field`] for the parameter whose link field is `key` (the name the lab's table gives it).
pub fn by_link(key: &str, inner: Html) -> Html {
    match STATE.with(|s| s.borrow().names.name_of(key)) {
        Some(name) => field(name, inner),
        None => inner,
    }
}

/// A group of controls (the chart, share and export, …): kept on the page but not shown when
/// hidden, so the canvases it may hold keep their place in the markup.
pub fn group(name: &str, inner: Html) -> Html {
    if hidden(name) {
        html! { <div class="hidden-by-teacher" hidden=true data-hide={name.to_string()}>{ inner }</div> }
    } else {
        inner
    }
}
