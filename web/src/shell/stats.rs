//! `window.gossipLabStats`: frame intervals, frame work, the first frame's time and the size of
//! the wasm memory, read by the e2e tests and `make bench-web`. The lab reports; nothing on
//! the page reads it.

use wasm_bindgen::{JsCast, JsValue};

use super::dom::{now_ms, window};

/// Frame times kept for `window.gossipLabStats`.
const STATS_FRAMES_MAX: u32 = 4000;

/// The statistics object on the window.
pub struct Stats {
    object: js_sys::Object,
    /// Start of the frame whose DOM update is pending: `rendered` adds the DOM's time to it.
    work_t0: Option<f64>,
}

impl Stats {
    /// A fresh object, set as `window.gossipLabStats` (the last app mounted owns it).
    pub fn install() -> Stats {
        let object = js_sys::Object::new();
        set(&object, "frameIntervalsMs", &js_sys::Array::new());
        set(&object, "frameWorkMs", &js_sys::Array::new());
        set(&object, "firstFrameMs", &JsValue::NULL);
        set(&object, "wasmMemoryBytes", &wasm_memory_bytes().into());
        set(&window(), "gossipLabStats", &object);
        Stats {
            object,
            work_t0: None,
        }
    }

    /// Sets field `key`.
    pub fn set(&self, key: &str, v: &JsValue) {
        set(&self.object, key, v);
    }

    /// Sets `wasmMemoryBytes`: the wasm linear memory, which grows to the run's peak and never
    /// shrinks (so it is the peak, which is what a tab costs).
    pub fn memory(&self) {
        self.set("wasmMemoryBytes", &wasm_memory_bytes().into());
    }

    /// Records a frame that began at `t0` after `interval` ms; with `dom`, its work is finished
    /// by the render that follows ([`Stats::rendered`]).
    pub fn frame(&mut self, t0: f64, interval: Option<f64>, dom: bool) {
        if let Some(i) = interval {
            push(&self.object, "frameIntervalsMs", i);
            if dom {
                self.work_t0 = Some(t0);
            } else {
                push(&self.object, "frameWorkMs", now_ms() - t0);
            }
        }
    }

    /// After a render: the pending frame's work ends now.
    pub fn rendered(&mut self) {
        if let Some(t0) = self.work_t0.take() {
            push(&self.object, "frameWorkMs", now_ms() - t0);
        }
    }
}

/// The size of this module's linear memory (`WebAssembly.Memory.buffer.byteLength`).
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    f64::from(buffer.byte_length())
}

fn set(object: &JsValue, key: &str, v: &JsValue) {
    // Setting a property on a plain object cannot fail; the stats are for tools, not users.
    let _ = js_sys::Reflect::set(object, &key.into(), v);
}

fn push(stats: &js_sys::Object, key: &str, v: f64) {
    if let Ok(a) = js_sys::Reflect::get(stats, &key.into()) {
        let a: js_sys::Array = a.unchecked_into();
        if a.length() >= STATS_FRAMES_MAX {
            a.shift();
        }
        a.push(&v.into());
    }
}
