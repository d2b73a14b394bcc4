//! The lab's three canvases (the cluster, the matrix, the chart), the cluster's layout and the
//! analysis line's value, and painting each from the run when it is dirty.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::model::Engine;
use super::run::Run;
use super::{chart, draw, matrix};
use crate::layout::Layout;
use crate::shell::canvas::Canvas;

/// The canvases and what their painting needs besides the run.
pub struct Canvases {
    /// The cluster.
    pub cluster: Canvas,
    /// The membership matrix.
    pub matrix: Canvas,
    /// The chart.
    pub chart: Canvas,
    /// The cluster's node positions.
    pub layout: Layout,
    /// The nodes drawn once per model change, at the cluster's backing size, copied under
    /// every frame's messages (1,000 nodes with their rings are thousands of paths; the
    /// messages in flight at one instant are a few hundred).
    layer: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    layer_fresh: bool,
    /// The nodes and the probe order it was computed for, and the analysis's expected first
    /// detection (computed once per run: it costs O(N²) at round-robin order).
    pub expected: ((u32, bool), f64),
    /// Full detection's floor after first detection, and the suspicion timeout behind it
    /// ([`chart::full_detection_floor`]).
    pub full_floor: Option<(u64, u64)>,
}

impl Canvases {
    /// The canvases of `run`.
    pub fn new(run: &Run) -> Canvases {
        let mut c = Canvases {
            cluster: Canvas::new(),
            matrix: Canvas::new(),
            chart: Canvas::new(),
            layout: draw::layout(run.params.run.nodes),
            layer: None,
            layer_fresh: false,
            expected: ((0, false), 0.0),
            full_floor: None,
        };
        c.model_changed(run);
        c
    }

    /// The run changed or moved: every canvas repaints.
    pub fn model_changed(&mut self, run: &Run) {
        let r = &run.params.run;
        if self.layout.points.len() as u32 != r.nodes {
            self.layout = draw::layout(r.nodes);
        }
        let key = (
            r.nodes,
            r.probe_order == gossip_core::node::ProbeOrder::Uniform,
        );
        if self.expected.0 != key {
            self.expected = (key, chart::expected_first_detection(r.probe_order, r.nodes));
        }
        self.full_floor = chart::full_detection_floor(r);
        self.all_dirty();
    }

    /// Marks every canvas for repainting.
    pub fn all_dirty(&mut self) {
        self.layer_fresh = false;
        self.cluster.dirty = true;
        self.matrix.dirty = true;
        self.chart.dirty = true;
    }

    /// After a render: a replaced or resized canvas repaints.
    pub fn check(&mut self) {
        self.cluster.check();
        self.matrix.check();
        self.chart.check();
    }

    /// Makes the nodes' layer at the backing size `(w, h)` (or remakes it, unpainted, when the
    /// size changed); `false` if the page cannot make one.
    fn make_layer(&mut self, wh: (u32, u32)) -> bool {
        self.new_layer(wh).is_some()
    }

    fn new_layer(&mut self, (w, h): (u32, u32)) -> Option<()> {
        let same = self
            .layer
            .as_ref()
            .is_some_and(|(l, _)| l.width() == w && l.height() == h);
        if !same {
            let doc = crate::shell::dom::window().document()?;
            let canvas: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
            canvas.set_width(w);
            canvas.set_height(h);
            let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
            let _ = ctx.set_transform(
                f64::from(w) / draw::WIDTH,
                0.0,
                0.0,
                f64::from(h) / draw::HEIGHT,
                0.0,
                0.0,
            );
            self.layer = Some((canvas, ctx));
            self.layer_fresh = false;
        }
        Some(())
    }

    /// Paints what is dirty; `phase` is how far the round's messages have travelled. Returns
    /// whether the cluster was painted.
    pub fn paint(&mut self, run: &Run, phase: Option<f64>) -> bool {
        let e: &Engine = run.timeline.model();
        let mut painted = false;
        if self.cluster.dirty {
            if let Some((_, c, backing)) = self.cluster.fit(draw::WIDTH, draw::HEIGHT) {
                let made = self.make_layer(backing);
                match self.layer.as_ref().filter(|_| made) {
                    Some(layer) => {
                        if !self.layer_fresh {
                            draw::paint_nodes(&layer.1, e, &self.layout, run.inspect);
                            self.layer_fresh = true;
                        }
                        c.save();
                        let _ = c.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                        let _ = c.draw_image_with_html_canvas_element(&layer.0, 0.0, 0.0);
                        c.restore();
                    }
                    // No offscreen canvas (cannot happen in a browser): paint the nodes here.
                    None => draw::paint_nodes(&c, e, &self.layout, run.inspect),
                }
                if let Some(phase) = phase {
                    draw::messages(&c, e, &self.layout, phase);
                }
                self.cluster.painted();
                painted = true;
            }
        }
        if self.matrix.dirty {
            if let Some((_, c, backing)) = self.matrix.fit(matrix::SIZE, matrix::SIZE) {
                matrix::paint(&c, e, run.inspect, backing);
                self.matrix.painted();
            }
        }
        if self.chart.dirty {
            if let Some((_, c, _)) = self.chart.fit(chart::WIDTH, chart::HEIGHT) {
                let r = run.timeline.round() as usize;
                let records = run.timeline.records();
                let compare = run.compare_records().map(|c| &c[..r.min(c.len())]);
                let main = &records[..r.min(records.len())];
                let fig = chart::Figure {
                    detections: e.cluster().views().detections(),
                    compare_detections: run
                        .compare
                        .iter()
                        .flat_map(|c| c.model().cluster().views().detections())
                        .map(|d| chart::detection_at(d, r as u32))
                        .collect(),
                    expected: self.expected.1,
                    full_wait: self.full_floor.map(|f| f.0),
                    slow: chart::has_slow_node(&run.params.run),
                };
                chart::paint(
                    &c,
                    &fig,
                    main,
                    compare.map(|c| (c, chart::dashed_label(run.params.run.compare))),
                );
                self.chart.painted();
            }
        }
        painted
    }
}
