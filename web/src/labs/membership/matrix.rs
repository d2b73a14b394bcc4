//! The membership matrix: one row per observer, one column per member, each cell the colour of
//! the state the observer holds the member in (blank: the observer is down; white: it never
//! heard of the member). Above [`MATRIX_NODES_MAX`] nodes an even sample of ids is drawn for
//! both axes (the caption under it says so), so the canvas stays readable and cheap.

use gossip_core::node::MemberState;
use web_sys::CanvasRenderingContext2d;

use super::draw::{state_colour, STATES};
use super::model::Engine;
use crate::shell::theme;

/// The matrix canvas's logical size (square).
pub const SIZE: f64 = 320.0;
/// The most observers and members drawn; more are sampled evenly.
pub const MATRIX_NODES_MAX: u32 = 200;

/// The ids drawn on each axis: every node, or an even sample of [`MATRIX_NODES_MAX`].
pub fn sample(n: u32) -> Vec<u32> {
    if n <= MATRIX_NODES_MAX {
        return (0..n).collect();
    }
    (0..MATRIX_NODES_MAX)
        .map(|i| (u64::from(i) * u64::from(n) / u64::from(MATRIX_NODES_MAX)) as u32)
        .collect()
}

/// What the caption under the matrix says about the sample.
pub fn caption(n: u32) -> String {
    if n <= MATRIX_NODES_MAX {
        format!("Rows: each node's view; columns: the {n} members. Click a row to inspect it.")
    } else {
        format!(
            "Sampled: {MATRIX_NODES_MAX} of the {n} nodes (every {}th id) on both axes.",
            n.div_ceil(MATRIX_NODES_MAX)
        )
    }
}

/// A cell's row and column.
type Cell = (usize, usize);

/// Paints the matrix; `inspect`'s row is outlined.
pub fn paint(ctx: &CanvasRenderingContext2d, e: &Engine, inspect: Option<u32>) {
    ctx.set_fill_style_str(theme::PAGE);
    ctx.fill_rect(0.0, 0.0, SIZE, SIZE);
    let ids = sample(e.nodes());
    let cell = SIZE / ids.len() as f64;
    // One path per state: a few fills, however many cells.
    let mut paths: Vec<(Option<MemberState>, Vec<Cell>)> =
        STATES.iter().map(|s| (Some(*s), Vec::new())).collect();
    paths.push((None, Vec::new()));
    for (r, &o) in ids.iter().enumerate() {
        if !e.is_up(o) {
            continue;
        }
        for (c, &m) in ids.iter().enumerate() {
            let s = e.cell(o, m);
            let i = s.map_or(4, |s| STATES.iter().position(|x| *x == s).unwrap_or(4));
            paths[i].1.push((r, c));
        }
    }
    for (s, cells) in &paths {
        ctx.set_fill_style_str(s.map_or(theme::SURFACE, state_colour));
        ctx.begin_path();
        let gap = if cell > 3.0 { 0.5 } else { 0.0 };
        for (r, c) in cells {
            ctx.rect(*c as f64 * cell, *r as f64 * cell, cell - gap, cell - gap);
        }
        ctx.fill();
    }
    if let Some(row) = inspect.and_then(|i| ids.iter().position(|&x| x == i)) {
        ctx.set_stroke_style_str(theme::SELECTED);
        ctx.set_line_width(2.0);
        ctx.stroke_rect(0.0, row as f64 * cell, SIZE, cell);
    }
}

/// The observer of the row at logical height `y`.
pub fn row_at(n: u32, y: f64) -> Option<u32> {
    let ids = sample(n);
    let r = (y / (SIZE / ids.len() as f64)).floor();
    (r >= 0.0).then(|| ids.get(r as usize).copied()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_clusters_draw_every_node_and_large_ones_an_even_sample() {
        assert_eq!(sample(32), (0..32).collect::<Vec<_>>());
        let s = sample(1000);
        assert_eq!((s.len(), s[0], s[1], s[199]), (200, 0, 5, 995));
        assert!(caption(1000).starts_with("Sampled: 200 of the 1000"));
        assert_eq!(row_at(32, SIZE - 0.1), Some(31));
        assert_eq!(row_at(1000, 0.0), Some(0));
    }
}
