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
//! dispatches a `gossiplab:round` event on `window` whose `detail` is `{ round, complete }`,
//! and when the run becomes complete a `gossiplab:complete` event whose `detail` is `{ round }`.
//!
//! A script drives the run with `gossipLab.play()`, `pause()`, `step()` and `seek(round)`, the
//! commands the embed takes from its parent ([`super::embed::Command`]): each acts as the
//! buttons do (seek pauses; a round not computed yet is computed toward over frames). `seek`
//! throws a `RangeError` naming the bad value unless `round` is a whole number from 0 to
//! [`ROUNDS_MAX`]; the run is then unchanged.
//!
//! How it is driven: the lab calls [`ScriptApi::sync`] after each render with its timeline's
//! records and an epoch that changes whenever the computed run is replaced (a restart, an
//! action that forks), so keeping the copy current costs only the new records; the script's
//! call serializes the copy on demand.

use std::cell::RefCell;
use std::rc::Rc;

use gossip_core::link::ROUNDS_MAX;
use gossip_core::sim::RoundRecord;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use super::dom::window;
use super::embed::{whole, Command};

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
    _commands: Vec<ScriptCommand>,
}

/// `gossipLab.play` and the others: a function of one argument that may throw.
type ScriptCommand = Closure<dyn Fn(JsValue) -> Result<(), JsValue>>;

/// What `window.gossipLab.run()` returns now, if a lab has installed it.
pub fn run_now() -> Option<JsValue> {
    let api = js_sys::Reflect::get(&window(), &"gossipLab".into()).ok()?;
    let run = js_sys::Reflect::get(&api, &"run".into()).ok()?;
    run.dyn_ref::<js_sys::Function>()?.call0(&api).ok()
}

/// The command `gossipLab.<name>(arg)` gives, or the `RangeError` it throws.
fn scripted(name: &str, arg: &JsValue) -> Result<Command, JsValue> {
    Ok(match name {
        "play" => Command::Play,
        "pause" => Command::Pause,
        "step" => Command::Step,
        _ => Command::Seek(whole(arg, ROUNDS_MAX).ok_or_else(|| {
            js_sys::RangeError::new(&format!(
                "gossipLab.seek: the round must be a whole number from 0 to {ROUNDS_MAX}, not {}; the run is unchanged",
                js_sys::JSON::stringify(arg).map_or_else(|_| "that".into(), String::from)
            ))
        })?),
    })
}

impl ScriptApi {
    /// Installs `window.gossipLab` for lab `lab` (the last lab mounted owns it); `on` hears the
    /// script's commands.
    pub fn install(lab: &'static str, on: Callback<Command>) -> ScriptApi {
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
        let commands = ["play", "pause", "step", "seek"].map(|name| {
            let on = on.clone();
            let f = ScriptCommand::new(move |arg: JsValue| {
                on.emit(scripted(name, &arg)?);
                Ok(())
            });
            set(&api, name, f.as_ref());
            f
        });
        set(&window(), "gossipLab", &api);
        ScriptApi {
            state,
            epoch: None,
            _run: run,
            _commands: commands.into(),
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
        let completed = now.complete && !s.complete;
        s.round = now.round;
        s.complete = now.complete;
        drop(s);
        if moved {
            self.dispatch_round(now.round, now.complete);
        }
        if completed {
            dispatch("gossiplab:complete", &[("round", now.round.into())]);
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
        dispatch(
            "gossiplab:round",
            &[("round", round.into()), ("complete", complete.into())],
        );
    }
}

/// Dispatches event `kind` on `window` with `detail` `{ ...fields }`.
fn dispatch(kind: &str, fields: &[(&str, JsValue)]) {
    let detail = js_sys::Object::new();
    for (k, v) in fields {
        set(&detail, k, v);
    }
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(kind, &init) {
        // A listener's exception is the listener's; the page goes on.
        let _ = window().dispatch_event(ev.unchecked_ref());
    }
}

fn set(object: &JsValue, key: &str, v: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &key.into(), v);
}
