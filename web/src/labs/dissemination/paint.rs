//! The lab's canvases and painting them from the model: the cluster (every frame while
//! messages travel, else when dirty), the chart and the convergence-bounds sweep.

use web_sys::HtmlCanvasElement;

use super::chart::CHART_WIDTH_PX;
use super::draw;
use super::DisseminationLab;
use crate::shell::canvas::Canvas;
use crate::shell::dom::now_ms;

/// The cluster canvas's size in logical pixels, the units of its layout and drawing (its
/// backing store is the size it is shown at times the device pixel ratio: `Canvas::fit`).
pub const CANVAS_WIDTH_PX: u32 = 640;
/// Its height.
pub const CANVAS_HEIGHT_PX: u32 = 480;
/// The margin around the node layout.
pub const CANVAS_MARGIN_PX: f64 = 24.0;

/// The lab's three canvases.
pub struct Canvases {
    /// The cluster.
    pub cluster: Canvas,
    /// The chart.
    pub chart: Canvas,
    /// The convergence-bounds sweep (the bounds scenario only).
    pub bounds: Canvas,
    /// Whether the first frame was painted (reported once in the frame statistics).
    pub first_paint_done: bool,
    /// Pixel buffer reused by the drawing of large clusters.
    pixels: Vec<u8>,
}

impl Default for Canvases {
    fn default() -> Canvases {
        Canvases::new()
    }
}

impl Canvases {
    /// Canvases to be painted once they are on the page.
    pub fn new() -> Canvases {
        Canvases {
            cluster: Canvas::new(),
            chart: Canvas::new(),
            bounds: Canvas::new(),
            first_paint_done: false,
            pixels: Vec::new(),
        }
    }

    /// The model changed: the cluster and the chart repaint.
    pub fn model_changed(&mut self) {
        self.cluster.dirty = true;
        self.chart.dirty = true;
    }

    /// After a render: repaint any canvas that is not the element last painted.
    pub fn check(&mut self) {
        self.cluster.check();
        self.chart.check();
        self.bounds.check();
    }
}

impl DisseminationLab {
    /// Paints what is dirty.
    pub(super) fn paint(&mut self) {
        if self.canvases.cluster.dirty || self.anim.is_some() {
            self.paint_cluster();
        }
        if self.canvases.chart.dirty {
            self.paint_chart();
        }
        if self.canvases.bounds.dirty {
            self.paint_bounds();
        }
        if !self.canvases.first_paint_done && self.canvases.cluster.node.get().is_some() {
            self.canvases.first_paint_done = true;
            self.stats.set("firstFrameMs", &now_ms().into());
        }
    }

    fn paint_cluster(&mut self) {
        let (w, h) = (f64::from(CANVAS_WIDTH_PX), f64::from(CANVAS_HEIGHT_PX));
        let Some((_, ctx, device)) = self.canvases.cluster.fit(w, h) else {
            return;
        };
        let sel = &self.selection;
        draw::cluster(
            &ctx,
            w,
            h,
            device,
            &self.run.layout,
            self.run.timeline.model(),
            &draw::Overlay {
                phase: self.anim,
                selected: sel.selected,
                group: &sel.group,
                lasso: &sel.lasso,
                drops_still: self.reduced_motion && !self.playback.playing,
            },
            &mut self.canvases.pixels,
        );
        self.canvases.cluster.painted();
    }

    fn paint_bounds(&mut self) {
        let width = f64::from(CHART_WIDTH_PX);
        let (Some(client), Some(sweep)) = (
            self.canvases.bounds.node.cast::<HtmlCanvasElement>(),
            &self.run.trials.sweep,
        ) else {
            return;
        };
        let s = draw::font_scale(width, f64::from(client.client_width()));
        let height = f64::from(draw::bounds_height_px(s));
        let Some((_, ctx, _)) = self.canvases.bounds.fit(width, height) else {
            return;
        };
        draw::bounds(&ctx, width, height, sweep.points(), s);
        self.canvases.bounds.painted();
    }
}
