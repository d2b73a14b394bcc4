//! `window.gossipLab`: the page's run, for a script on the page (an author's own figure code, the
//! embedding work, the e2e tests). `gossipLab.run()` returns a plain object, serialized from
//! Rust by `serde-wasm-bindgen` (field names as in the core's "Serde" docs):
//!
//! ```text
//! { lab: "dissemination", link: "?s=…", round: 7, horizon: 12, complete: false,
//!   nodes: 200, key: "rumor", records: [ RoundRecord, … ] }
//! ```
//!
//! `records[i]` is the core's `sim::RoundRecord` of round `i + 1` as the page computed it (the
//! same numbers as the CSV export and `lab cluster`), for every round computed so far
//! (`horizon` of them), not only up to the round shown. `link` is the link the address bar
//! holds (updated on pause, step, seek and actions). After every change of round the page
//! dispatches a `gossiplab:round` event on `window` whose `detail` is `{ round, complete }`.
//!
//! How it is driven: the lab calls [`ScriptApi::sync`] after each render with its timeline's
//! records and an epoch that changes whenever the computed run is replaced (a restart, an
//! action that forks), so keeping the copy current costs only the new records; the script's
//! call serializes the copy on demand.

use std::cell::RefCell;
use std::rc::Rc;

use gossip_core::sim::RoundRecord;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::dom::window;

/// What `gossipLab.run()` returns.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunSnapshot {
    /// The lab's key (`dissemination`).
    pub lab: &'static str,
    /// The link the address bar holds.
    pub link: String,
    /// The round shown.
    pub round: u32,
    /// Rounds computed so far.
    pub horizon: u32,
    /// Whether nothing more can happen without an action.
    pub complete: bool,
    /// Nodes in the cluster.
    pub nodes: u32,
    /// The tracked key.
    pub key: String,
    /// Every computed round's record, round 1 first.
    pub records: Vec<RoundRecord>,
}

/// What the lab tells the API after a render.
pub struct Sync<'a> {
    /// Changes whenever the computed run is replaced.
    pub epoch: u64,
    /// The round shown.
    pub round: u32,
    /// Whether the run is complete.
    pub complete: bool,
    /// Nodes in the cluster.
    pub nodes: u32,
    /// The tracked key.
    pub key: &'a str,
    /// The timeline's records.
    pub records: &'a [RoundRecord],
}

/// The installed `window.gossipLab` and the copy of the run it serves.
pub struct ScriptApi {
    state: Rc<RefCell<RunSnapshot>>,
    epoch: Option<u64>,
    _run: Closure<dyn Fn() -> JsValue>,
}

impl ScriptApi {
    /// Installs `window.gossipLab` for lab `lab` (the last lab mounted owns it).
    pub fn install(lab: &'static str) -> ScriptApi {
        let state = Rc::new(RefCell::new(RunSnapshot {
            lab,
            ..RunSnapshot::default()
        }));
        let shared = Rc::clone(&state);
        let run = Closure::<dyn Fn() -> JsValue>::new(move || {
            // A snapshot of plain data always serializes; `null` would only mean a bug here.
            serde_wasm_bindgen::to_value(&*shared.borrow()).unwrap_or(JsValue::NULL)
        });
        let api = js_sys::Object::new();
        set(&api, "run", run.as_ref());
        set(&window(), "gossipLab", &api);
        ScriptApi {
            state,
            epoch: None,
            _run: run,
        }
    }

    /// Brings the copy up to date; dispatches `gossiplab:round` when the round changed.
    pub fn sync(&mut self, now: Sync<'_>) {
        let mut s = self.state.borrow_mut();
        if self.epoch != Some(now.epoch) || s.records.len() > now.records.len() {
            s.records.clear();
            self.epoch = Some(now.epoch);
        }
        let known = s.records.len();
        s.records.extend_from_slice(&now.records[known..]);
        s.horizon = now.records.len() as u32;
        s.nodes = now.nodes;
        if s.key != now.key {
            s.key = now.key.to_string();
        }
        let moved = s.round != now.round || s.complete != now.complete;
        s.round = now.round;
        s.complete = now.complete;
        drop(s);
        if moved {
            self.dispatch_round(now.round, now.complete);
        }
    }

    /// Records the link the address bar now holds.
    pub fn set_link(&mut self, link: &str) {
        let mut s = self.state.borrow_mut();
        if s.link != link {
            s.link = link.to_string();
        }
    }

    fn dispatch_round(&self, round: u32, complete: bool) {
        let detail = js_sys::Object::new();
        set(&detail, "round", &round.into());
        set(&detail, "complete", &complete.into());
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict("gossiplab:round", &init) {
            // A listener's exception is the listener's; the page goes on.
            let _ = window().dispatch_event(ev.unchecked_ref());
        }
    }
}

fn set(object: &JsValue, key: &str, v: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &key.into(), v);
}
