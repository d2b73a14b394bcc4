//! Painting on the lab's canvases. The view only ever draws what the model hands it (the
//! engine at one round, the chart's series); nothing here changes the model. One file per
//! canvas: [`cluster`](mod@cluster) (the nodes and messages), [`chart`](mod@chart) (informed
//! fraction and messages per round) and [`bounds`](mod@bounds) (the convergence-bounds
//! sweep); [`legend`](mod@legend) names the cluster's marks for the page and the export, and
//! [`figure`](mod@figure) composes the exported PNG. This module holds the colours (the
//! page's tokens, [`crate::shell::theme`]) and the primitives they share.
//!
//! Cost matters at 10,000 nodes: nodes are drawn in one path per state (a few fills per frame,
//! not one per node), and dots smaller than a few pixels are squares written straight into a
//! pixel buffer, which is much cheaper than rasterising arcs and looks the same at that size.

use core::f64::consts::TAU;

use web_sys::CanvasRenderingContext2d;

use crate::layout::Point;
use crate::shell::theme;

pub mod bounds;
pub mod chart;
pub mod cluster;
pub mod figure;
pub mod lacking;
pub mod legend;

pub use bounds::{bounds, bounds_height_px, BOUNDS_HEIGHT_MIN_PX};
pub use chart::{chart, chart_height_px, ChartData, CHART_HEIGHT_MIN_PX};
pub use cluster::{cluster, Overlay};

/// The colours are the page's tokens ([`crate::shell::theme`]), the ones the CSS declares.
/// Okabe-Ito colours, distinguishable with every common colour-vision deficiency. Each state
/// also has a second cue that needs no colour: hollow versus filled, a square for removed, a
/// cross for down, and an outline for nodes that learned the rumor in the round just run.
pub const COLOUR_INFORMED: &str = theme::INFORMED;
/// Uninformed nodes (hollow rings).
pub const COLOUR_UNINFORMED: &str = theme::UNINFORMED;
/// Uninformed nodes too small for a ring: a light fill, told apart by lightness.
pub const COLOUR_UNINFORMED_SMALL: &str = theme::UNINFORMED_SMALL;
/// Nodes holding an older version of the key than the newest (hollow, thick yellow ring).
pub const COLOUR_OLDER: &str = theme::OLDER;
/// Nodes that know the rumor but have lost interest (rumor mongering): filled squares.
pub const COLOUR_REMOVED: &str = theme::REMOVED;
/// Crashed nodes: a grey cross.
pub const COLOUR_DOWN: &str = theme::DOWN;
/// The outline of nodes informed in the round just run.
pub const COLOUR_NEW_OUTLINE: &str = theme::NEW;
/// The inspected node's halo, and the group selected for a partition.
pub const COLOUR_SELECTED: &str = theme::SELECTED;
/// Messages that bring the receiver the newest version of the key.
pub const COLOUR_MESSAGE_RUMOR: &str = theme::NEW;
/// Requests, feedback, and messages that bring nothing new for the key.
pub const COLOUR_MESSAGE_EMPTY: &str = theme::MESSAGE_EMPTY;
/// The dashed ring around nodes cut off by a partition, and the bar that ends a message a
/// partition dropped.
pub const COLOUR_CUT_RING: &str = theme::CUT;
/// The cross of a message a link lost (or the in-flight limit dropped).
pub const COLOUR_MESSAGE_LOST: &str = theme::LOST;
/// The same two marks, see-through, when a round drops many messages.
const COLOUR_MESSAGE_LOST_FAINT: &str = "rgba(178, 24, 43, 0.45)";
const COLOUR_CUT_FAINT: &str = "rgba(138, 61, 106, 0.45)";

/// Whether a node in partition group `group` (1-based, 0 for none) is drawn as cut off. Every
/// node of a partition is in some group, so shading them all would show no cut: the first
/// group (the rest of the cluster, when the page cuts a selection off) is left plain and the
/// later groups (the selection) are shaded.
pub fn is_cut_off(group: u8) -> bool {
    group >= 2
}

/// The shade behind nodes cut off by a partition.
const COLOUR_CUT_SHADE: &str = "rgba(204, 121, 167, 0.28)";
const COLOUR_BACKGROUND: &str = theme::SURFACE;
const COLOUR_AXIS: &str = theme::AXIS;
const COLOUR_GRID: &str = theme::GRID;
/// The run's own curve on the chart.
pub const COLOUR_RUN: &str = theme::INFORMED;
/// The mode's recurrence.
pub const COLOUR_RECURRENCE: &str = theme::UNINFORMED;
/// Serf's logistic curve.
pub const COLOUR_LOGISTIC: &str = theme::SELECTED;
/// Messages per round.
pub const COLOUR_MESSAGES: &str = theme::MESSAGES;

fn lerp(a: Point, b: Point, f: f64) -> Point {
    Point {
        x: a.x + (b.x - a.x) * f,
        y: a.y + (b.y - a.y) * f,
    }
}

fn dot(ctx: &CanvasRenderingContext2d, p: Point, r: f64, small: bool) {
    if small {
        ctx.rect(p.x - r, p.y - r, 2.0 * r, 2.0 * r);
    } else {
        ctx.move_to(p.x + r, p.y);
        let _ = ctx.arc(p.x, p.y, r, 0.0, TAU);
    }
}

fn cross(ctx: &CanvasRenderingContext2d, p: Point, r: f64) {
    ctx.move_to(p.x - r, p.y - r);
    ctx.line_to(p.x + r, p.y + r);
    ctx.move_to(p.x + r, p.y - r);
    ctx.line_to(p.x - r, p.y + r);
}

fn set_dash(ctx: &CanvasRenderingContext2d, dash: &[f64]) {
    let a = js_sys::Array::new();
    for d in dash {
        a.push(&(*d).into());
    }
    let _ = ctx.set_line_dash(&a);
}

/// How much to enlarge a canvas's text (and the margins that hold it) so that it stays at
/// least 11 CSS pixels tall when CSS shrinks the canvas: `canvas_px` canvas pixels are shown
/// `css_px` wide. Never below 1 (12 canvas pixels).
pub fn font_scale(canvas_px: f64, css_px: f64) -> f64 {
    if css_px <= 0.0 {
        return 1.0;
    }
    (11.0 * canvas_px / css_px / 12.0).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_side_cut_off_is_shaded() {
        // The page's cut: groups [rest, selection] are 1 and 2; nodes in no group are 0.
        assert!(!is_cut_off(0) && !is_cut_off(1));
        assert!(is_cut_off(2) && is_cut_off(3));
    }

    #[test]
    fn chart_text_stays_at_least_11_css_pixels() {
        // A 640-pixel canvas shown 360 CSS pixels wide (a phone): 12 px text would be 6.75.
        let s = font_scale(640.0, 360.0);
        assert!(12.0 * s * 360.0 / 640.0 >= 11.0 - 1e-9);
        assert_eq!(font_scale(640.0, 640.0), 1.0);
        assert_eq!(font_scale(640.0, 0.0), 1.0);
    }
}
