//! What every lab does once, when it is created, in one place: the page's static "loading"
//! line goes (it has done its job), the lab's shortcuts start listening on the document, and
//! an embed (`embed=1`, in a frame) starts its conversation with its parent.
//!
//! A lab calls [`start`] at the end of its `create`, with the filter that turns a key into its
//! message and the callback for the parent's commands, and keeps the [`Started`] it gets (the
//! listeners stop when it is dropped).

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::html::Scope;
use yew::prelude::*;

use super::dom::window;
use super::embed::{Command, Embed};
use super::keys::{press, Keys, Press};
use crate::labs::LabProps;

/// The listeners a lab keeps for its lifetime.
#[derive(Default)]
pub struct Started {
    /// The shortcuts' listener (none without a document).
    pub keys: Option<EventListener>,
    /// The embed's conversation (none unless `embed=1` in a frame).
    pub embed: Option<Embed>,
}

/// Starts lab `ctx`: removes the loading line, listens for the keys `accept` turns into the
/// lab's messages, and when `embed` installs the embed with `on_embed` hearing its parent.
pub fn start<C>(
    ctx: &Context<C>,
    accept: impl Fn(Press) -> Option<C::Message> + 'static,
    embed: bool,
    on_embed: Callback<Command>,
) -> Started
where
    C: Component<Properties = LabProps>,
{
    let mut started = Started::default();
    if let Some(doc) = window().document() {
        if let Some(loading) = doc.get_element_by_id("loading") {
            loading.remove();
        }
        started.keys = Some(listen(&doc, ctx.link(), ctx.props().keys.clone(), accept));
    }
    if embed {
        started.embed = Embed::install(on_embed);
    }
    started
}

/// Listens on `doc` for the presses [`press`] lets through while `keys` is on and `accept`
/// turns into a message, and sends that message to `link`.
pub fn listen<C: Component>(
    doc: &web_sys::Document,
    link: &Scope<C>,
    keys: Keys,
    accept: impl Fn(Press) -> Option<C::Message> + 'static,
) -> EventListener {
    let link = link.clone();
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(doc, "keydown", options, move |e| {
        let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        let Some(msg) = press(e).filter(|_| keys.on()).and_then(&accept) else {
            return;
        };
        // Space would also click a focused button, arrows scroll, and the browser's own Ctrl+Z
        // does nothing useful outside a field.
        e.prevent_default();
        link.send_message(msg);
    })
}
