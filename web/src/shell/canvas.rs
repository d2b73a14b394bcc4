//! A canvas on the page as a lab paints it: its `NodeRef`, whether the model changed since it
//! was painted, and which element (at which width) was painted last.
//!
//! A render that replaces a canvas element (or resizes it) leaves it blank, so the lab asks
//! [`Canvas::check`] after every render and repaints a canvas that is not the one last painted.
//! (Checked after a render and not in every frame: reading a size forces a layout.)

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::NodeRef;

/// One canvas of a lab.
#[derive(Default)]
pub struct Canvas {
    /// The element, for the markup's `ref`.
    pub node: NodeRef,
    /// Whether the model changed since the last paint.
    pub dirty: bool,
    painted: Option<(HtmlCanvasElement, i32)>,
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

    /// Marks the canvas dirty when the element on the page is not the one last painted, or its
    /// size changed: either leaves it blank (or stale) whatever the model did.
    pub fn check(&mut self) {
        let same = match (self.node.cast::<HtmlCanvasElement>(), &self.painted) {
            (Some(c), Some((l, w))) => c == *l && c.client_width() == *w,
            _ => false,
        };
        if !same {
            self.dirty = true;
        }
    }

    /// Records that the element on the page was just painted.
    pub fn painted(&mut self) {
        self.dirty = false;
        self.painted = self
            .node
            .cast::<HtmlCanvasElement>()
            .map(|c| (c.clone(), c.client_width()));
    }
}
