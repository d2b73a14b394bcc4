//! A canvas on the page as a lab paints it: its `NodeRef`, whether the model changed since it
//! was painted, which element (at which width) was painted last, and its backing store sized
//! for the screen's density.
//!
//! A lab draws in its own logical units (the cluster is 640 by 480 whatever the screen) and
//! [`Canvas::fit`] makes the backing store the canvas's CSS size times `devicePixelRatio`, with
//! the context scaled to match: a drawing is sharp on a high-density screen and the lab's
//! geometry, hit-testing included, never sees device pixels. (CSS keeps the canvas at
//! `width: 100%; height: auto`: the backing store's aspect is the logical one, so its size
//! never feeds back into the layout.)
//!
//! A render that replaces a canvas element (or resizes it) leaves it blank, so the lab asks
//! [`Canvas::check`] after every render and repaints a canvas that is not the one last painted.
//! (Checked after a render and not in every frame: reading a size forces a layout.) A change of
//! how marks are drawn (projector mode, `shell::teacher`) repaints every canvas the same way:
//! [`repaint_all`] moves an epoch that [`Canvas::check`] compares.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::NodeRef;

use std::cell::Cell;

thread_local! {
    /// Moves whenever every canvas must be painted again (see [`repaint_all`]).
    static EPOCH: Cell<u32> = const { Cell::new(0) };
}

/// Makes every canvas repaint at its lab's next render: how marks are drawn changed.
pub fn repaint_all() {
    EPOCH.with(|e| e.set(e.get().wrapping_add(1)));
}

fn epoch() -> u32 {
    EPOCH.with(Cell::get)
}

/// One canvas of a lab.
#[derive(Default)]
pub struct Canvas {
    /// The element, for the markup's `ref`.
    pub node: NodeRef,
    /// Whether the model changed since the last paint.
    pub dirty: bool,
    painted: Option<(HtmlCanvasElement, i32)>,
    /// The CSS width [`Canvas::check`] measured after the last render: reading it again in
    /// `fit` and `painted` would force the browser to lay the page out again mid-frame.
    css_w: i32,
    /// The [`repaint_all`] epoch of the last paint.
    epoch: u32,
}

impl Canvas {
    /// A canvas to be painted once it is on the page.
    pub fn new() -> Canvas {
        Canvas {
            dirty: true,
            ..Canvas::default()
        }
    }

    /// The element and its 2D context, if the canvas is on the page.
    pub fn context(&self) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
        let canvas = self.node.cast::<HtmlCanvasElement>()?;
        let ctx = canvas.get_context("2d").ok()??;
        let ctx = ctx.dyn_into::<CanvasRenderingContext2d>().ok()?;
        Some((canvas, ctx))
    }

    /// The element and its context, its backing store set to `logical_w` by `logical_h`
    /// logical pixels at the size the canvas is shown times the device pixel ratio, and the
    /// context scaled so that the lab draws in logical pixels. Returns the backing store's
    /// size too (for drawing that bypasses the transform, such as `putImageData`).
    pub fn fit(
        &self,
        logical_w: f64,
        logical_h: f64,
    ) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d, (u32, u32))> {
        let (canvas, ctx) = self.context()?;
        let dpr = crate::shell::dom::window().device_pixel_ratio();
        let css_w = if self.css_w > 0 {
            self.css_w
        } else {
            canvas.client_width()
        };
        let (w, h) = backing_size(f64::from(css_w), dpr, logical_w, logical_h);
        // Setting a size clears the canvas and its state, even to the same value: only on change.
        if canvas.width() != w {
            canvas.set_width(w);
        }
        if canvas.height() != h {
            canvas.set_height(h);
        }
        let (sx, sy) = (f64::from(w) / logical_w, f64::from(h) / logical_h);
        // Cannot fail with finite numbers; a canvas that refused would draw at 1:1, still right.
        let _ = ctx.set_transform(sx, 0.0, 0.0, sy, 0.0, 0.0);
        Some((canvas, ctx, (w, h)))
    }

    /// Marks the canvas dirty when the element on the page is not the one last painted, or its
    /// size or the screen's density changed: either leaves it blank (or stale, or blurry)
    /// whatever the model did.
    pub fn check(&mut self) {
        let same = match (self.node.cast::<HtmlCanvasElement>(), &self.painted) {
            // The backing store too: the same width on a screen of another density (the window
            // moved to another monitor, or the page was zoomed) must repaint at that density.
            (Some(c), Some((l, w))) => {
                let dpr = crate::shell::dom::window().device_pixel_ratio();
                self.css_w = c.client_width();
                let css = f64::from(self.css_w);
                c == *l && self.css_w == *w && c.width() == backing_size(css, dpr, 1.0, 1.0).0
            }
            (Some(c), None) => {
                self.css_w = c.client_width();
                false
            }
            _ => false,
        };
        if !same || self.epoch != epoch() {
            self.dirty = true;
        }
    }

    /// Records that the element on the page was just painted.
    pub fn painted(&mut self) {
        self.dirty = false;
        self.epoch = epoch();
        self.painted = self.node.cast::<HtmlCanvasElement>().map(|c| {
            (
                c.clone(),
                if self.css_w > 0 {
                    self.css_w
                } else {
                    c.client_width()
                },
            )
        });
    }
}

/// The backing store of a drawing `logical_w` by `logical_h` shown `css_w` CSS pixels wide at
/// `dpr` device pixels per CSS pixel: the width in device pixels and the height that keeps
/// the logical aspect. A canvas not laid out yet (`css_w` 0) gets the logical size.
pub fn backing_size(css_w: f64, dpr: f64, logical_w: f64, logical_h: f64) -> (u32, u32) {
    let dpr = if dpr.is_finite() && dpr > 0.0 {
        dpr
    } else {
        1.0
    };
    let w = if css_w > 0.0 {
        (css_w * dpr).round()
    } else {
        logical_w.round()
    }
    .max(1.0);
    let h = (w * logical_h / logical_w).round().max(1.0);
    (w as u32, h as u32)
}

#[cfg(test)]
mod tests {
    use super::backing_size;

    #[test]
    fn the_backing_store_is_the_css_size_times_the_pixel_ratio_with_the_logical_aspect() {
        assert_eq!(backing_size(638.0, 1.0, 640.0, 480.0), (638, 479));
        assert_eq!(backing_size(638.0, 2.0, 640.0, 480.0), (1276, 957));
        assert_eq!(backing_size(370.0, 3.0, 640.0, 480.0), (1110, 833));
        assert_eq!(
            backing_size(0.0, 2.0, 640.0, 480.0),
            (640, 480),
            "not laid out yet"
        );
        assert_eq!(backing_size(300.0, f64::NAN, 640.0, 480.0), (300, 225));
    }
}
