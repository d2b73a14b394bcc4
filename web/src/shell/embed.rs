//! The embed's conversation with the page around it, through `postMessage` (the only channel a
//! sandboxed, opaque-origin frame has): it tells its parent its height, its rounds and when the
//! run completes, and takes four commands (play, pause, step, seek) and one question (the whole
//! run). `www/embed.js` (the `<gossip-lab>` element) is the other end; README "Embedding" lists
//! the messages.
//!
//! Out, to `window.parent` with target origin `*` (the host's origin is unknown and the messages
//! carry only what the link already says):
//! * `{ type: "gossiplab:height", height }`: the document's height in CSS pixels, on load and
//!   whenever it changes (a `ResizeObserver` on the root element: a resize, a notice, the chart);
//! * `{ type: "gossiplab:round", round, complete, record }`: after every change of round
//!   (`record` is the core's `RoundRecord` of the round that led there, whose own `round` field
//!   counts from 0; `null` at round 0);
//! * `{ type: "gossiplab:complete", round }`: when the run becomes complete.
//!
//! * `{ type: "gossiplab:run", id, run }`: the answer to a question with the same `id`; `run` is
//!   what `window.gossipLab.run()` returns on the page ([`super::script_api`]).
//!
//! In, accepted only from the parent window ([`command`], [`question`]):
//! * `{ type: "gossiplab:play" }`, `{ type: "gossiplab:pause" }`, `{ type: "gossiplab:step" }`;
//! * `{ type: "gossiplab:seek", round }`: show round `round` (an integer, 0 to
//!   [`ROUNDS_MAX`]); a round not computed yet is computed toward over frames, as a late link is;
//! * `{ type: "gossiplab:run", id }`: asks for the whole run (`id` an integer, 0 to 2^32 − 1,
//!   chosen by the asker to match the answer).
//!
//! Any other message, sender or shape is ignored: the parent is not trusted, and a bad message
//! changes nothing.
//!
//! How it is driven: the lab [`Embed::install`]s it when its link says `embed=1` and the page is
//! in a frame, hears the commands through the callback, and calls [`Embed::round`] after each
//! render.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use gossip_core::sim::RoundRecord;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use gossip_core::link::ROUNDS_MAX;

use super::dom::window;

/// The tallest height reported, in CSS pixels: a larger one is a layout bug, and a host that
/// believed it would make the frame absurdly tall.
pub const HEIGHT_PX_MAX: u32 = 20_000;

/// What the parent (or a script on the page, through [`super::script_api`]) may ask of a lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Play (nothing if playing or complete).
    Play,
    /// Pause (nothing if paused).
    Pause,
    /// One round on, paused (nothing if complete).
    Step,
    /// Show this round, paused: at most [`ROUNDS_MAX`]; a run that ends earlier stops there.
    Seek(u32),
}

/// The command a message's `data` carries, if it is exactly one: a plain object whose `type`
/// is `"gossiplab:play"`, `"gossiplab:pause"`, `"gossiplab:step"`, or `"gossiplab:seek"` with a
/// whole `round` from 0 to [`ROUNDS_MAX`].
pub fn command(data: &JsValue) -> Option<Command> {
    match kind(data)?.as_str() {
        "gossiplab:play" => Some(Command::Play),
        "gossiplab:pause" => Some(Command::Pause),
        "gossiplab:step" => Some(Command::Step),
        "gossiplab:seek" => {
            let round = whole(&field(data, "round")?, ROUNDS_MAX)?;
            Some(Command::Seek(round))
        }
        _ => None,
    }
}

/// The `id` of a message asking for the whole run (`{ type: "gossiplab:run", id }`), if `data`
/// is one.
pub fn question(data: &JsValue) -> Option<u32> {
    if kind(data)? != "gossiplab:run" {
        return None;
    }
    whole(&field(data, "id")?, u32::MAX)
}

/// A plain object's `type`, if it is a string.
fn kind(data: &JsValue) -> Option<String> {
    if !data.is_object() {
        return None;
    }
    field(data, "type")?.as_string()
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &name.into()).ok()
}

/// `v` as a whole number from 0 to `max`: a JS number with no fraction, nothing else (not a
/// string, not `1.5`, not `NaN`).
pub fn whole(v: &JsValue, max: u32) -> Option<u32> {
    let x = v.as_f64()?;
    (x.fract() == 0.0 && (0.0..=f64::from(max)).contains(&x)).then_some(x as u32)
}

/// The parent window, when this page is in a frame.
fn parent() -> Option<web_sys::Window> {
    let w = window();
    let parent = w.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &w)).then_some(parent)
}

/// Posts `{ type, ...fields }` to the parent.
fn post(parent: &web_sys::Window, kind: &str, fields: &[(&str, JsValue)]) {
    let msg = js_sys::Object::new();
    set(&msg, "type", &kind.into());
    for (k, v) in fields {
        set(&msg, k, v);
    }
    // A parent that is gone or refuses the message changes nothing here.
    let _ = parent.post_message(&msg, "*");
}

/// The root element's height in whole CSS pixels, at most [`HEIGHT_PX_MAX`].
fn document_height_px() -> Option<u32> {
    let root = window().document()?.document_element()?;
    let h = root.get_bounding_client_rect().height().ceil();
    (h.is_finite() && h > 0.0).then(|| (h as u32).min(HEIGHT_PX_MAX))
}

/// The installed conversation: the message listener, the height observer and what was last
/// said.
pub struct Embed {
    parent: web_sys::Window,
    said: Option<(u32, bool)>,
    _messages: EventListener,
    _observer: Option<(web_sys::ResizeObserver, Closure<dyn Fn()>)>,
}

impl Embed {
    /// Starts the conversation when the page is in a frame (`None` otherwise): `on` hears the
    /// parent's commands, and the height is posted now and on every change.
    pub fn install(on: Callback<Command>) -> Option<Embed> {
        let parent = parent()?;
        let from = parent.clone();
        let messages = EventListener::new(&window(), "message", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            // Only the frame's own parent may drive it, not another frame or a popup.
            if !e.source().is_some_and(|s| js_sys::Object::is(&s, &from)) {
                return;
            }
            let data = e.data();
            if let Some(c) = command(&data) {
                on.emit(c);
            } else if let Some(id) = question(&data) {
                answer(&from, id);
            }
        });
        Some(Embed {
            _observer: observe_height(parent.clone()),
            parent,
            said: None,
            _messages: messages,
        })
    }

    /// After a render: posts the round when it changed, with its record, and the completion
    /// when the run became complete.
    pub fn round(&mut self, round: u32, complete: bool, records: &[RoundRecord]) {
        if self.said == Some((round, complete)) {
            return;
        }
        let was_complete = self.said.is_some_and(|(_, c)| c);
        self.said = Some((round, complete));
        let record = round
            .checked_sub(1)
            .and_then(|i| records.get(i as usize))
            .and_then(|r| serde_wasm_bindgen::to_value(r).ok())
            .unwrap_or(JsValue::NULL);
        post(
            &self.parent,
            "gossiplab:round",
            &[
                ("round", round.into()),
                ("complete", complete.into()),
                ("record", record),
            ],
        );
        if complete && !was_complete {
            post(
                &self.parent,
                "gossiplab:complete",
                &[("round", round.into())],
            );
        }
    }
}

/// Answers question `id` with what `window.gossipLab.run()` returns (`null` if the page has no
/// lab yet).
fn answer(parent: &web_sys::Window, id: u32) {
    let run = super::script_api::run_now().unwrap_or(JsValue::NULL);
    post(parent, "gossiplab:run", &[("id", id.into()), ("run", run)]);
}

/// Posts the height to `parent` now and whenever it changes; `None` where the browser has no
/// `ResizeObserver` (then the host keeps the frame's size).
fn observe_height(parent: web_sys::Window) -> Option<(web_sys::ResizeObserver, Closure<dyn Fn()>)> {
    let last = Rc::new(Cell::new(0u32));
    let report = Closure::<dyn Fn()>::new(move || {
        if let Some(h) = document_height_px().filter(|&h| h != last.get()) {
            last.set(h);
            post(&parent, "gossiplab:height", &[("height", h.into())]);
        }
    });
    let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok()?;
    // The observer reports the root's size once on observing: that is the load's message.
    observer.observe(&window().document()?.document_element()?);
    Some((observer, report))
}

fn set(object: &JsValue, key: &str, v: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &key.into(), v);
}

#[cfg(test)]
mod tests {
    /// The embed works in a sandboxed frame, where touching `localStorage` throws: the app keeps
    /// everything in its link. Without web-sys's `Storage` feature no code of the app can reach
    /// storage through web-sys, so this keeps it that way (a lesson's progress goes in the link).
    #[test]
    fn the_app_cannot_reach_storage() {
        let manifest = include_str!("../../Cargo.toml");
        assert!(
            !manifest.contains("\"Storage\""),
            "web-sys's Storage feature is on"
        );
        assert!(
            !manifest.contains("\"IdbFactory\""),
            "web-sys's IndexedDB is on"
        );
        // Nor through a property looked up by name.
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.ends_with("embed.rs") {
                    continue; // this test names them
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for name in ["localStorage", "sessionStorage", "indexedDB"] {
                        assert!(!text.contains(name), "{} uses {name}", path.display());
                    }
                }
            }
        }
    }
}
