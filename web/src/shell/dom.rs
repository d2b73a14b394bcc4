//! The few browser calls every part of the page makes: the window, the clock, the user's
//! motion preference and scrolling an element into view. Kept in one place so the rest of the
//! app reads as Yew components and pure functions.

/// The page's window (the app runs only in a browser).
pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

/// The page's clock in milliseconds (`performance.now()`).
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Whether the user asked for reduced motion.
pub fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The element with `id` as an `HtmlElement`, if the page has it.
pub fn element(id: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    window()
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Scrolls element `id` into view if its head is out of sight, by the least amount (the
/// browser's "nearest"), smoothly unless the user asked for reduced motion, so the eye can
/// follow where the page went. Does nothing when it is already visible, so a click never makes
/// the page jump needlessly.
pub fn reveal(id: &str, reduced_motion: bool) {
    let window = window();
    let Some(e) = window.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let Some(h) = window.inner_height().ok().and_then(|h| h.as_f64()) else {
        return;
    };
    let r = e.get_bounding_client_rect();
    if r.top() >= 0.0 && r.top() + r.height().min(h / 3.0) <= h {
        return;
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_behavior(if reduced_motion {
        web_sys::ScrollBehavior::Instant
    } else {
        web_sys::ScrollBehavior::Smooth
    });
    e.scroll_into_view_with_scroll_into_view_options(&options);
}
