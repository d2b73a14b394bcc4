//! Sharing a view: the address bar kept on the lab's link, Copy link through the clipboard,
//! and downloads (the chart's CSV, the canvas's PNG). The lab says what its link is; this
//! module knows how the browser takes it.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::HtmlAnchorElement;
use yew::Callback;

use std::cell::RefCell;

use super::dom::{now_ms, window};

thread_local! {
    /// The lesson fields the address bar carries after the lab's own (see
    /// [`set_lesson_fields`]); empty outside a lesson.
    static LESSON_FIELDS: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keeps `fields` (`lesson=…&step=…`, or empty) after the lab's link whenever the address bar is
/// written ([`AddressBar::sync`]): a lesson's progress rides along with the lab's run, and the
/// lab need not know of lessons.
pub fn set_lesson_fields(fields: &str) {
    LESSON_FIELDS.with(|f| *f.borrow_mut() = fields.to_string());
}

/// `href` with the lesson fields, if any, appended to its query, and then the teacher's
/// (`super::teacher::fields`): both ride along with the lab's run, which knows neither.
pub fn with_lesson_fields(href: &str) -> String {
    let lesson = LESSON_FIELDS.with(|f| f.borrow().clone());
    [lesson, super::teacher::fields()]
        .iter()
        .filter(|f| !f.is_empty())
        .fold(href.to_string(), |href, f| {
            if href.contains('?') {
                format!("{href}&{f}")
            } else {
                format!("{href}?{f}")
            }
        })
}

/// The address bar is updated at most this often while stepping or scrubbing.
pub const URL_SYNC_INTERVAL_MS: f64 = 250.0;

/// The page's address without its query: what a lab's query is appended to.
pub fn base() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// The address bar, kept on the lab's link without flooding the history: when it was last
/// updated, and whether an update is owed (stepping fast would otherwise replace the history
/// entry on every key repeat, which browsers throttle).
pub struct AddressBar {
    synced_ms: f64,
    pending: bool,
}

impl Default for AddressBar {
    fn default() -> AddressBar {
        AddressBar {
            synced_ms: f64::NEG_INFINITY,
            pending: false,
        }
    }
}

impl AddressBar {
    /// Shows `href` in the address bar now.
    pub fn sync(&mut self, href: &str) {
        if let Ok(h) = window().history() {
            // A refused replaceState (a sandboxed frame) leaves the old address: the page and
            // its run are unchanged, only the bar lags.
            let href = with_lesson_fields(href);
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&href));
        }
        self.synced_ms = now_ms();
        self.pending = false;
    }

    /// Whether an update is due now: none was made within [`URL_SYNC_INTERVAL_MS`].
    pub fn due(&self) -> bool {
        now_ms() - self.synced_ms >= URL_SYNC_INTERVAL_MS
    }

    /// Asks for an update in a later frame.
    pub fn owe(&mut self) {
        self.pending = true;
    }

    /// Whether an update is owed.
    pub fn is_pending(&self) -> bool {
        self.pending
    }
}

/// Whether this browser offers the clipboard (only secure contexts do: https, localhost).
pub fn has_clipboard() -> bool {
    let navigator = window().navigator();
    js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null())
}

/// Writes `text` to the clipboard; `done` hears whether it took it (it may refuse: no
/// permission, no focus). Call only when [`has_clipboard`].
pub fn copy(text: &str, done: Callback<bool>) {
    let promise = window().navigator().clipboard().write_text(text);
    let refused = done.clone();
    let ok = Closure::once(move |_: JsValue| done.emit(true));
    let refused = Closure::once(move |_: JsValue| refused.emit(false));
    // The promise's result comes back through the two closures; the chained promise is not
    // needed.
    let _ = promise.then2(&ok, &refused);
    ok.forget();
    refused.forget();
}

/// Downloads `href` as a file named `name`.
pub fn download(href: &str, name: &str) {
    let Some(doc) = window().document() else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let a: HtmlAnchorElement = a.unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
}

/// Downloads `text` as a file of MIME type `mime` named `name`.
pub fn download_text(text: &str, mime: &str, name: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        if let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) {
            download(&href, name);
            // The download has its own reference; the page's may go.
            let _ = web_sys::Url::revoke_object_url(&href);
        }
    }
}
