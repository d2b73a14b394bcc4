//! The lab's three canvases (the cluster, the matrix, the chart), the cluster's layout and the
//! analysis line's value, and painting each from the run when it is dirty.

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
    /// The nodes and the probe order it was computed for, and the analysis's expected first
    /// detection (computed once per run: it costs O(N²) at round-robin order).
    pub expected: ((u32, bool), f64),
}

impl Canvases {
    /// The canvases of `run`.
    pub fn new(run: &Run) -> Canvases {
        let mut c = Canvases {
            cluster: Canvas::new(),
            matrix: Canvas::new(),
            chart: Canvas::new(),
            layout: draw::layout(run.params.run.nodes),
            expected: ((0, false), 0.0),
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
        self.all_dirty();
    }

    /// Marks every canvas for repainting.
    pub fn all_dirty(&mut self) {
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

    /// Paints what is dirty; `phase` is how far the round's messages have travelled. Returns
    /// whether the cluster was painted.
    pub fn paint(&mut self, run: &Run, phase: Option<f64>) -> bool {
        let e: &Engine = run.timeline.model();
        let mut painted = false;
        if self.cluster.dirty {
            if let Some((_, c, _)) = self.cluster.fit(draw::WIDTH, draw::HEIGHT) {
                draw::paint(&c, e, &self.layout, phase, run.inspect);
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
                let detections = e.cluster().views().detections();
                let main = &records[..r.min(records.len())];
                chart::paint(&c, detections, self.expected.1, main, compare);
                self.chart.painted();
            }
        }
        painted
    }
}
