//! Where nodes go on the canvas: model ids to screen coordinates by one pure transform, so the
//! layout is unit-tested without a browser (as egui's demo app does).

use core::f64::consts::TAU;

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

/// The radius of a node's dot: as large as fits without neighbours on the ring overlapping,
/// between 2 and 12 pixels.
pub fn dot_radius(n: u32, width: f64, height: f64, margin: f64) -> f64 {
    let radius = ((width.min(height) / 2.0) - margin).max(0.0);
    let spacing = TAU * radius / f64::from(n.max(1));
    (spacing * 0.4).clamp(2.0, 12.0)
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
        for n in [2, 7, 32, 1000] {
            for i in 0..n {
                let p = ring(i, n, 640.0, 480.0, 20.0);
                assert!(p.x >= 20.0 - 1e-9 && p.x <= 620.0 + 1e-9);
                assert!(p.y >= 20.0 - 1e-9 && p.y <= 460.0 + 1e-9);
            }
        }
    }

    #[test]
    fn dots_shrink_as_the_ring_fills_but_stay_visible() {
        let few = dot_radius(8, 640.0, 480.0, 20.0);
        let many = dot_radius(1000, 640.0, 480.0, 20.0);
        assert!(few > many);
        assert!(many >= 2.0);
    }
}
