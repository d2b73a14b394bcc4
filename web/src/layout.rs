//! Where nodes go on the canvas: model ids to screen coordinates by one pure transform, so the
//! layout (and hit-testing a click back to a node) is unit-tested without a browser, as egui's
//! demo app does.
//!
//! Small clusters sit on a ring, where a message between two nodes is a visible chord. Large
//! ones fill a disc in Vogel's sunflower pattern (node `i` at radius `R sqrt((i + 0.5) / n)`,
//! angle `i` times the golden angle), which packs dots evenly with no grid artefacts and keeps
//! ids in spiral order from the centre, so the source (node 0) is in the middle.

use core::f64::consts::{PI, TAU};

/// Clusters up to this size are drawn as a ring; larger ones as a disc.
pub const RING_NODES_MAX: u32 = 128;
/// Dot radius bounds, in canvas pixels.
pub const DOT_RADIUS_MIN_PX: f64 = 1.0;
/// See [`DOT_RADIUS_MIN_PX`].
pub const DOT_RADIUS_MAX_PX: f64 = 12.0;
/// How far from a dot's centre a click still picks it: a fingertip is about this wide.
pub const HIT_RADIUS_MIN_PX: f64 = 10.0;

/// A point in canvas pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Pixels from the left edge.
    pub x: f64,
    /// Pixels from the top edge.
    pub y: f64,
}

/// The position of node `i` of `n` on a ring centred in a `width` x `height` canvas, node 0 at
/// the top and ids increasing clockwise, with `margin` pixels kept free at the edges.
pub fn ring(i: u32, n: u32, width: f64, height: f64, margin: f64) -> Point {
    let radius = ((width.min(height) / 2.0) - margin).max(0.0);
    let angle = TAU * f64::from(i) / f64::from(n.max(1)) - TAU / 4.0;
    Point {
        x: width / 2.0 + radius * angle.cos(),
        y: height / 2.0 + radius * angle.sin(),
    }
}

/// The radius of a node's dot on a ring: as large as fits without neighbours overlapping,
/// between 2 and 12 pixels.
pub fn dot_radius(n: u32, width: f64, height: f64, margin: f64) -> f64 {
    let radius = ((width.min(height) / 2.0) - margin).max(0.0);
    let spacing = TAU * radius / f64::from(n.max(1));
    (spacing * 0.4).clamp(2.0, DOT_RADIUS_MAX_PX)
}

/// The position of node `i` of `n` in a sunflower disc (see the module docs).
pub fn disc(i: u32, n: u32, width: f64, height: f64, margin: f64) -> Point {
    let radius = ((width.min(height) / 2.0) - margin).max(0.0);
    let golden_angle = PI * (3.0 - 5f64.sqrt());
    let r = radius * ((f64::from(i) + 0.5) / f64::from(n.max(1))).sqrt();
    let angle = f64::from(i) * golden_angle - TAU / 4.0;
    Point {
        x: width / 2.0 + r * angle.cos(),
        y: height / 2.0 + r * angle.sin(),
    }
}

/// Which arrangement a layout uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Nodes on a circle.
    Ring,
    /// Nodes filling a disc.
    Disc,
}

/// Every node's position for one cluster size and canvas size, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The arrangement.
    pub shape: Shape,
    /// Node positions, by id.
    pub points: Vec<Point>,
    /// The radius of each dot, in pixels.
    pub dot_radius_px: f64,
}

impl Layout {
    /// The layout of `n` nodes in a `width` x `height` canvas with `margin` pixels free.
    pub fn new(n: u32, width: f64, height: f64, margin: f64) -> Layout {
        if n <= RING_NODES_MAX {
            Layout {
                shape: Shape::Ring,
                points: (0..n).map(|i| ring(i, n, width, height, margin)).collect(),
                dot_radius_px: dot_radius(n, width, height, margin),
            }
        } else {
            let radius = ((width.min(height) / 2.0) - margin).max(0.0);
            // Each dot owns an area of pi R^2 / n; its side is the spacing between dots.
            let spacing = radius * (PI / f64::from(n)).sqrt();
            Layout {
                shape: Shape::Disc,
                points: (0..n).map(|i| disc(i, n, width, height, margin)).collect(),
                dot_radius_px: (spacing * 0.4).clamp(DOT_RADIUS_MIN_PX, DOT_RADIUS_MAX_PX),
            }
        }
    }

    /// The node nearest to `p` if it is within reach of a click: its dot, or
    /// [`HIT_RADIUS_MIN_PX`] for small dots.
    pub fn hit(&self, p: Point) -> Option<u32> {
        let reach = self.dot_radius_px.max(HIT_RADIUS_MIN_PX);
        let mut best: Option<(u32, f64)> = None;
        for (i, q) in self.points.iter().enumerate() {
            let d2 = (q.x - p.x).powi(2) + (q.y - p.y).powi(2);
            if d2 <= reach * reach && best.is_none_or(|(_, b)| d2 < b) {
                best = Some((i as u32, d2));
            }
        }
        best.map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_zero_is_at_the_top_centre() {
        let p = ring(0, 8, 200.0, 100.0, 10.0);
        assert!((p.x - 100.0).abs() < 1e-9);
        assert!((p.y - 10.0).abs() < 1e-9);
    }

    #[test]
    fn every_node_stays_inside_the_margin() {
        for n in [2, 7, 32, 128, 129, 1000, 10_000] {
            let l = Layout::new(n, 640.0, 480.0, 20.0);
            for p in &l.points {
                assert!(p.x >= 20.0 - 1e-9 && p.x <= 620.0 + 1e-9);
                assert!(p.y >= 20.0 - 1e-9 && p.y <= 460.0 + 1e-9);
            }
        }
    }

    #[test]
    fn small_clusters_are_rings_and_large_ones_discs() {
        assert_eq!(Layout::new(128, 640.0, 480.0, 20.0).shape, Shape::Ring);
        assert_eq!(Layout::new(129, 640.0, 480.0, 20.0).shape, Shape::Disc);
    }

    #[test]
    fn dots_shrink_as_the_cluster_fills_but_stay_visible_and_apart() {
        let few = Layout::new(8, 640.0, 480.0, 20.0).dot_radius_px;
        let many = Layout::new(10_000, 640.0, 480.0, 20.0);
        assert!(few > many.dot_radius_px);
        assert!(many.dot_radius_px >= DOT_RADIUS_MIN_PX);
        // Sunflower neighbours are about one spacing apart: sample the closest pair among the
        // first nodes (the densest part is the centre).
        let mut closest = f64::MAX;
        for i in 0..200 {
            for j in i + 1..200 {
                let (a, b) = (many.points[i], many.points[j]);
                closest = closest.min(((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt());
            }
        }
        assert!(closest > 1.5 * many.dot_radius_px, "{closest}");
    }

    #[test]
    fn a_click_on_a_dot_picks_that_node_and_a_click_in_empty_space_picks_none() {
        for n in [5, 64, 1000, 10_000] {
            let l = Layout::new(n, 640.0, 480.0, 24.0);
            for i in [0, n / 3, n - 1] {
                assert_eq!(l.hit(l.points[i as usize]), Some(i), "n={n} node {i}");
            }
            assert_eq!(l.hit(Point { x: 1.0, y: 1.0 }), None);
        }
        let l = Layout::new(8, 640.0, 480.0, 24.0);
        assert_eq!(
            l.hit(Point { x: 320.0, y: 240.0 }),
            None,
            "the ring's centre is empty"
        );
    }
}
