//! The two trees side by side: replica A (the initiator) on the left, B on the right, each
//! level a row of cells ([`super::rows`]), root on top. A cell is filled when the session has
//! named its node as differing (orange), darker when the shown turn's message names it, green
//! when an entry crossed into that leaf on that side; the shown turn's entries are drawn as
//! arcs from the sender's leaf to the receiver's. Geometry is pure ([`Geometry`], host-tested);
//! [`paint`] draws it.

use web_sys::CanvasRenderingContext2d;

use super::model::Pair;
use super::rows::Row;
use crate::shell::theme;
use gossip_core::reconcile::Role;

/// The canvas's logical width.
pub const WIDTH: f64 = 640.0;
/// One tree's width.
pub const PANEL_W: f64 = 296.0;
/// Space above the first row (the titles).
const TOP: f64 = 26.0;
/// A row's pitch and a cell's height.
const ROW_H: f64 = 26.0;
const CELL_H: f64 = 18.0;
/// Space below the leaves for the entries' arcs.
const BOTTOM: f64 = 44.0;
/// The widest cell (a narrow level does not stretch across the panel).
const CELL_W_MAX: f64 = 36.0;
/// Arcs drawn at most per turn (the status says how many crossed).
pub const ARCS_MAX: usize = 64;

/// Where everything goes for a tree of `levels` levels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    /// Levels, root first.
    pub levels: u32,
}

impl Geometry {
    /// The canvas's logical height.
    pub fn height(&self) -> f64 {
        TOP + f64::from(self.levels) * ROW_H + BOTTOM
    }

    /// The left edge of a side's panel.
    pub fn panel_x(side: Role) -> f64 {
        match side {
            Role::Initiator => 0.0,
            Role::Responder => WIDTH - PANEL_W,
        }
    }

    /// The box `(x, y, w, h)` of cell `i` of a row of `cells` at `level` on `side`.
    pub fn cell(&self, side: Role, level: u32, i: usize, cells: usize) -> (f64, f64, f64, f64) {
        let w = (PANEL_W / cells.max(1) as f64).min(CELL_W_MAX);
        let x0 = Geometry::panel_x(side) + (PANEL_W - w * cells as f64) / 2.0;
        let y = TOP + f64::from(level) * ROW_H;
        (x0 + w * i as f64, y, w, CELL_H)
    }
}

/// What one cell shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Not (yet) named.
    Plain,
    /// Named as differing by an earlier turn.
    Found,
    /// Named by the turn shown.
    Now,
    /// A leaf that an entry crossed into, on this side.
    Repaired,
}

/// The colour of a mark.
pub fn colour(m: Mark) -> &'static str {
    match m {
        Mark::Plain => theme::GRID,
        Mark::Found => theme::OLDER,
        Mark::Now => theme::INFORMED,
        Mark::Repaired => theme::SELECTED,
    }
}

/// The marks of one level on one side after `k` turns.
pub fn marks(pair: &Pair, level: u32, k: u32, side: Role) -> Vec<Mark> {
    let nodes = pair.nodes_at(level);
    let found = Row::new(nodes, &pair.named(level, k));
    let now_named: Vec<u64> = pair
        .turn(k)
        .and_then(|t| t.named.as_ref())
        .filter(|n| n.level == level)
        .map(|n| n.indices.clone())
        .unwrap_or_default();
    let now = Row::new(nodes, &now_named);
    let mut repaired: Vec<u64> = if level + 1 == pair.levels() {
        pair.crossed_upto(k)
            .iter()
            .filter(|c| c.to == side)
            .map(|c| c.leaf)
            .collect()
    } else {
        Vec::new()
    };
    repaired.sort_unstable();
    let repaired = Row::new(nodes, &repaired);
    (0..found.cells())
        .map(|i| {
            if repaired.marked[i] > 0 {
                Mark::Repaired
            } else if now.marked[i] > 0 {
                Mark::Now
            } else if found.marked[i] > 0 {
                Mark::Found
            } else {
                Mark::Plain
            }
        })
        .collect()
}

/// Paints both trees after `k` turns.
pub fn paint(ctx: &CanvasRenderingContext2d, pair: &Pair, k: u32) {
    let g = Geometry {
        levels: pair.levels(),
    };
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, WIDTH, g.height());
    ctx.set_font(&theme::font(600, 12.0));
    ctx.set_fill_style_str(theme::INK);
    for (side, title) in [
        (Role::Initiator, "Replica A (starts)"),
        (Role::Responder, "Replica B (answers)"),
    ] {
        let _ = ctx.fill_text(title, Geometry::panel_x(side), 14.0);
    }
    ctx.set_font(&theme::font(400, 10.0));
    for level in 0..g.levels {
        for side in [Role::Initiator, Role::Responder] {
            let m = marks(pair, level, k, side);
            for (i, &mark) in m.iter().enumerate() {
                let (x, y, w, h) = g.cell(side, level, i, m.len());
                ctx.set_fill_style_str(colour(mark));
                // A hairline gap between cells wide enough to show one.
                let gap = if w >= 4.0 { 1.0 } else { 0.0 };
                ctx.fill_rect(x, y, (w - gap).max(0.5), h);
            }
        }
        ctx.set_fill_style_str(theme::INK_MUTED);
        let _ = ctx.fill_text(
            &format!("L{level}"),
            PANEL_W + 10.0,
            TOP + f64::from(level) * ROW_H + 13.0,
        );
    }
    arcs(ctx, pair, &g, k);
    direction(ctx, pair, &g, k);
}

// The shown turn's entries: arcs from the sender's leaf to the receiver's.
fn arcs(ctx: &CanvasRenderingContext2d, pair: &Pair, g: &Geometry, k: u32) {
    let leaf_level = g.levels - 1;
    let cells = Row::new(pair.nodes_at(leaf_level), &[]);
    ctx.set_stroke_style_str(theme::SELECTED);
    ctx.set_line_width(1.5);
    for c in pair.crossed_in(k).iter().take(ARCS_MAX) {
        let from = match c.to {
            Role::Initiator => Role::Responder,
            Role::Responder => Role::Initiator,
        };
        let i = cells.cell_of(c.leaf);
        let (x0, y0, w0, h0) = g.cell(from, leaf_level, i, cells.cells());
        let (x1, _, w1, _) = g.cell(c.to, leaf_level, i, cells.cells());
        let (sx, tx, y) = (x0 + w0 / 2.0, x1 + w1 / 2.0, y0 + h0);
        ctx.begin_path();
        ctx.move_to(sx, y);
        ctx.quadratic_curve_to((sx + tx) / 2.0, y + BOTTOM - 6.0, tx, y + 2.0);
        ctx.stroke();
        // The arrowhead at the receiver.
        ctx.set_fill_style_str(theme::SELECTED);
        ctx.begin_path();
        ctx.move_to(tx, y + 1.0);
        ctx.line_to(tx - 4.0, y + 8.0);
        ctx.line_to(tx + 4.0, y + 8.0);
        ctx.close_path();
        ctx.fill();
    }
}

// Which way the shown turn's message goes, beside the level it names.
fn direction(ctx: &CanvasRenderingContext2d, pair: &Pair, g: &Geometry, k: u32) {
    let Some(t) = pair.turn(k).filter(|t| t.sent_bytes > 0) else {
        return;
    };
    let level = t.named.as_ref().map(|n| n.level).unwrap_or(0);
    let y = TOP + f64::from(level.min(g.levels - 1)) * ROW_H + CELL_H + 5.0;
    let arrow = match t.side {
        Role::Initiator => "→",
        Role::Responder => "←",
    };
    ctx.set_font(&theme::font(700, 14.0));
    ctx.set_fill_style_str(theme::INFORMED);
    let _ = ctx.fill_text(arrow, PANEL_W + 12.0, y);
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::link::anti_entropy::Run;

    #[test]
    fn the_panels_sit_side_by_side_and_rows_stay_inside_them() {
        let g = Geometry { levels: 5 };
        assert_eq!(g.height(), TOP + 5.0 * ROW_H + BOTTOM);
        let (x, _, w, _) = g.cell(Role::Initiator, 4, 127, 128);
        assert!(x + w <= PANEL_W + 1e-9);
        let (x, y, _, _) = g.cell(Role::Responder, 0, 0, 1);
        assert!(x >= WIDTH - PANEL_W && y == TOP);
    }

    #[test]
    fn the_marks_follow_the_descent_and_the_repair() {
        let pair = Pair::new(Run::default()).unwrap();
        let plain = |m: &[Mark]| m.iter().all(|&x| x == Mark::Plain);
        assert!(plain(&marks(&pair, 0, 0, Role::Initiator)));
        assert_eq!(marks(&pair, 0, 2, Role::Initiator), [Mark::Now]);
        assert_eq!(marks(&pair, 0, 3, Role::Responder), [Mark::Found]);
        let leaf = pair.levels() - 1;
        let end = marks(&pair, leaf, pair.turns(), Role::Initiator);
        let repaired = end.iter().filter(|&&m| m == Mark::Repaired).count();
        // Two of the six differences are newer on B, so A takes two entries.
        assert_eq!(repaired, 2);
    }
}
