//! The help dialog: the lab's keyboard shortcuts and what its link may hold (teachers write
//! links by hand), as a modal dialog.
//!
//! Modal means it holds the keyboard while open: the shell's key handler traps Tab on its Close
//! button and turns every lab shortcut off (Space and arrows neither play nor step behind it,
//! and Space or Enter on Close only closes it); Escape or `?` closes it, and the focus goes back
//! where it was (see `App` in `app.rs`, which owns the open state).

use yew::prelude::*;

/// The id of the dialog's one control, which takes the focus while it is open.
pub const CLOSE_ID: &str = "help-close";

/// The page's own keys, after the lab's.
pub const PAGE_ROWS: &[(&str, &str)] = &[(
    "P",
    "projector mode: larger type and marks, high contrast (kept in the link as proj=1)",
)];

/// The teacher's link fields (`shell::teacher`), after the lab's; the names each takes are the
/// lab's (`labs::teach`).
pub const TEACHER_LINK_ROWS: &[(&str, &str)] = &[
    ("lock=", "a comma list of parameters shown disabled, \"locked by your teacher\"; lock=all locks every parameter"),
    ("hide=", "a comma list of parameters or groups not shown"),
    ("play=1", "start playing on load (play=0: paused, as without it)"),
    ("proj=1", "projector mode"),
    ("notes=1", "show the teacher notes of the lesson or challenge"),
];

/// What [`HelpDialog`] shows.
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Key (or gesture) and what it does, in the lab's order.
    pub rows: &'static [(&'static str, &'static str)],
    /// Link field (or action) and what it means, in the lab's order.
    pub link_rows: &'static [(&'static str, &'static str)],
    /// The Close button.
    pub on_close: Callback<()>,
}

/// The dialog.
#[function_component(HelpDialog)]
pub fn help_dialog(p: &HelpProps) -> Html {
    let close = p.on_close.reform(|_: MouseEvent| ());
    html! {
        <div id="help" class="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
            <h2>{ "Keyboard shortcuts" }</h2>
            <dl>
                { for p.rows.iter().chain(PAGE_ROWS).map(|(k, what)| html! { <><dt>{ *k }</dt><dd>{ *what }</dd></> }) }
            </dl>
            <h2>{ "In the link" }</h2>
            <dl id="help-link">
                { for p.link_rows.iter().chain(TEACHER_LINK_ROWS).map(|(k, what)| html! { <><dt><code>{ *k }</code></dt><dd>{ *what }</dd></> }) }
            </dl>
            <p id="help-names" class="hint">{ format!("Names this lab takes in lock= and hide=: {}.", crate::shell::teacher::hideable().join(", ")) }</p>
            <p><a id="catalogue-link" href="?catalogue=1">{ "For teachers: every lesson and challenge, with links and notes" }</a></p>
            <button id={CLOSE_ID} onclick={close}>{ "Close" }</button>
        </div>
    }
}
