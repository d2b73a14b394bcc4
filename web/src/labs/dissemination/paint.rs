//! The lab's canvases and painting them from the model: the cluster (every frame while
//! messages travel, else when dirty), the chart and the convergence-bounds sweep. [`Canvases`]
//! owns the canvases and paints each from what it is given; `Session::paint` (called by the
//! lab's frame loop and after every render) says which are dirty and what overlay the cluster
//! has.

use web_sys::HtmlCanvasElement;

use super::bounds::Sweep;
use super::chart::CHART_WIDTH_PX;
use super::draw;
use super::run::Run;
use super::session::Session;
use crate::shell::canvas::Canvas;

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

impl Canvases {
    /// Paints the cluster of `run` with `overlay` (the selection, the message animation).
    pub fn paint_cluster(&mut self, run: &Run, overlay: &draw::Overlay) {
        let (w, h) = (f64::from(CANVAS_WIDTH_PX), f64::from(CANVAS_HEIGHT_PX));
        let Some((_, ctx, device)) = self.cluster.fit(w, h) else {
            return;
        };
        draw::cluster(
            &ctx,
            w,
            h,
            device,
            &run.layout,
            run.timeline.model(),
            overlay,
            &mut self.pixels,
        );
        self.cluster.painted();
    }

    /// Paints the convergence-bounds sweep, if it is on the page.
    pub fn paint_bounds(&mut self, sweep: Option<&Sweep>) {
        let width = f64::from(CHART_WIDTH_PX);
        let (Some(client), Some(sweep)) = (self.bounds.node.cast::<HtmlCanvasElement>(), sweep)
        else {
            return;
        };
        let s = draw::font_scale(width, f64::from(client.client_width()));
        let height = f64::from(draw::bounds_height_px(s));
        let Some((_, ctx, _)) = self.bounds.fit(width, height) else {
            return;
        };
        draw::bounds(&ctx, width, height, sweep.points(), s);
        self.bounds.painted();
    }

    /// Records the first paint once the cluster canvas (or, in an embed showing only the
    /// chart, the chart) is on the page; returns whether this call did (the frame statistics
    /// report it once).
    pub fn first_paint(&mut self) -> bool {
        if self.first_paint_done
            || (self.cluster.node.get().is_none() && self.chart.node.get().is_none())
        {
            return false;
        }
        self.first_paint_done = true;
        true
    }
}

impl Session {
    /// Paints what is dirty; returns whether this was the first paint (the frame statistics
    /// report its time once).
    pub(super) fn paint(&mut self) -> bool {
        let c = &mut self.canvases;
        if c.cluster.dirty || self.player.anim.is_some() {
            let sel = &self.selection;
            c.paint_cluster(
                &self.run,
                &draw::Overlay {
                    phase: self.player.anim,
                    selected: sel.selected,
                    group: &sel.group,
                    lasso: &sel.lasso,
                    drops_still: self.player.reduced_motion && !self.player.playback.playing,
                },
            );
        }
        if c.chart.dirty {
            super::chart::paint(&mut c.chart, &self.run);
        }
        if c.bounds.dirty {
            c.paint_bounds(self.run.trials.sweep.as_ref());
        }
        c.first_paint()
    }
}
