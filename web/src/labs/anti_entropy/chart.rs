//! The chart: bytes per repair against the differences `d`, both axes logarithmic, one line
//! per strategy from [`super::sweep`] (its measured points, dots joined) and beside it, dashed
//! in the same colour, that strategy's model line (`theory::reconcile`). The axes' arithmetic
//! is pure ([`Axes`], host-tested, over [`crate::chart::Scale`] in log10 space).

use web_sys::CanvasRenderingContext2d;

use super::sweep::Sweep;
use crate::chart::{tick_label, Scale};
use crate::shell::theme;
use gossip_core::link::anti_entropy::StrategyKind;

/// The canvas's logical size.
pub const WIDTH: f64 = 640.0;
/// The canvas's logical height.
pub const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 120.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// Each strategy's colour, in [`StrategyKind::ALL`] order.
pub const COLOURS: [&str; 4] = [
    theme::REMOVED,
    theme::UNINFORMED,
    theme::INFORMED,
    theme::SELECTED,
];

/// Log-log axes: `d` from 1 to the keys, bytes over the decades the points span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axes {
    /// log10 d to x.
    pub x: Scale,
    /// log10 bytes to y.
    pub y: Scale,
}

impl Axes {
    /// Axes for `keys` and bytes within `lo..=hi` (widened to whole decades).
    pub fn new(keys: u32, lo: f64, hi: f64) -> Axes {
        let (lo, hi) = (lo.max(1.0).log10().floor(), hi.max(10.0).log10().ceil());
        Axes {
            x: Scale::new(0.0, f64::from(keys.max(2)).log10(), LEFT, WIDTH - RIGHT),
            y: Scale::new(lo, hi.max(lo + 1.0), HEIGHT - BOTTOM, TOP),
        }
    }

    /// The pixel of `(d, bytes)`.
    pub fn at(&self, d: f64, bytes: f64) -> (f64, f64) {
        (
            self.x.map(d.max(1.0).log10()),
            self.y.map(bytes.max(1.0).log10()),
        )
    }

    /// The decades of the byte axis (1, 10, 100, …).
    pub fn byte_ticks(&self) -> Vec<f64> {
        let (lo, hi) = (self.y.d0 as i32, self.y.d1 as i32);
        (lo..=hi).map(|e| 10f64.powi(e)).collect()
    }
}

/// The axes for a sweep's points and model.
pub fn axes(keys: u32, sweep: &Sweep) -> Axes {
    let mut lo = f64::INFINITY;
    let mut hi: f64 = 10.0;
    for (_, b) in sweep.points() {
        for v in b.into_iter().filter(|v| *v > 0.0) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    for (_, b) in sweep.model() {
        for &v in b {
            lo = lo.min(v.max(1.0));
            hi = hi.max(v);
        }
    }
    Axes::new(keys, if lo.is_finite() { lo } else { 10.0 }, hi)
}

/// Paints the chart, with `shown` the strategy the lab shows (drawn thicker).
pub fn paint(ctx: &CanvasRenderingContext2d, keys: u32, sweep: &Sweep, shown: StrategyKind) {
    let ax = axes(keys, sweep);
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, WIDTH, HEIGHT);
    ctx.set_font(&theme::font(400, 11.0));
    ctx.set_line_width(1.0);
    for b in ax.byte_ticks() {
        let (_, y) = ax.at(1.0, b);
        ctx.set_stroke_style_str(theme::GRID);
        line(ctx, LEFT, y, WIDTH - RIGHT, y);
        ctx.set_fill_style_str(theme::INK);
        let _ = ctx.fill_text(&tick_label(b), 4.0, y + 4.0);
    }
    let mut d = 1.0;
    while d <= f64::from(keys) {
        let (x, _) = ax.at(d, 1.0);
        ctx.set_stroke_style_str(theme::GRID);
        line(ctx, x, TOP, x, HEIGHT - BOTTOM);
        ctx.set_fill_style_str(theme::INK);
        let _ = ctx.fill_text(&tick_label(d), x - 6.0, HEIGHT - BOTTOM + 14.0);
        d *= 10.0;
    }
    let _ = ctx.fill_text("differences d (log)", WIDTH / 2.0 - 60.0, HEIGHT - 6.0);
    let _ = ctx.fill_text("bytes (log)", 4.0, TOP - 2.0);
    let points = sweep.points();
    let model = sweep.model();
    // The line ends' labels: the four strategies, spread so none overlap.
    let mut labels: Vec<(f64, f64, &str, &str)> = Vec::new();
    let dash = js_sys::Array::of2(&4.0.into(), &3.0.into());
    for (i, kind) in StrategyKind::ALL.into_iter().enumerate() {
        let xy: Vec<(f64, f64)> = points
            .iter()
            .map(|(d, b)| ax.at(f64::from(*d), b[i]))
            .collect();
        ctx.set_stroke_style_str(COLOURS[i]);
        ctx.set_fill_style_str(COLOURS[i]);
        ctx.set_line_width(if kind == shown { 3.0 } else { 1.5 });
        polyline(ctx, &xy);
        for &(x, y) in &xy {
            ctx.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0);
        }
        // The model over every sampled d, dashed, so it is there before the points are.
        let line: Vec<(f64, f64)> = model
            .iter()
            .map(|(d, b)| ax.at(f64::from(*d), b[i]))
            .collect();
        ctx.set_line_width(1.0);
        let _ = ctx.set_line_dash(&dash);
        polyline(ctx, &line);
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        if let Some(&(x, y)) = xy.last() {
            labels.push((x, y, kind.key(), COLOURS[i]));
        }
    }
    let ys = spread(&labels.iter().map(|l| l.1).collect::<Vec<_>>(), LABEL_GAP);
    for ((x, _, text, colour), y) in labels.into_iter().zip(ys) {
        ctx.set_fill_style_str(colour);
        let _ = ctx.fill_text(text, x + 6.0, y + 4.0);
    }
}

/// Label baselines at least this far apart.
const LABEL_GAP: f64 = 12.0;

/// `ys` moved apart as little as needed so that any two are at least `gap` apart, in the
/// same order as given.
pub fn spread(ys: &[f64], gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    let mut out = ys.to_vec();
    for w in 1..order.len() {
        let (prev, here) = (order[w - 1], order[w]);
        if out[here] < out[prev] + gap {
            out[here] = out[prev] + gap;
        }
    }
    out
}

fn line(ctx: &CanvasRenderingContext2d, x0: f64, y0: f64, x1: f64, y1: f64) {
    ctx.begin_path();
    ctx.move_to(x0, y0);
    ctx.line_to(x1, y1);
    ctx.stroke();
}

fn polyline(ctx: &CanvasRenderingContext2d, xy: &[(f64, f64)]) {
    let Some(&(x, y)) = xy.first() else {
        return;
    };
    ctx.begin_path();
    ctx.move_to(x, y);
    for &(x, y) in &xy[1..] {
        ctx.line_to(x, y);
    }
    ctx.stroke();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axes_are_logarithmic_over_whole_decades() {
        let ax = Axes::new(1000, 150.0, 42_000.0);
        assert_eq!(ax.byte_ticks(), [100.0, 1_000.0, 10_000.0, 100_000.0]);
        let (x1, y1) = ax.at(1.0, 100.0);
        let (x2, y2) = ax.at(10.0, 1_000.0);
        let (x3, y3) = ax.at(100.0, 10_000.0);
        // Equal ratios are equal distances.
        assert!(((x2 - x1) - (x3 - x2)).abs() < 1e-9);
        assert!(((y2 - y1) - (y3 - y2)).abs() < 1e-9);
        assert!(y2 < y1, "more bytes are higher");
        assert_eq!(ax.at(1000.0, 1.0).0, WIDTH - RIGHT);
    }

    #[test]
    fn labels_that_would_overlap_are_spread_in_order() {
        assert_eq!(spread(&[50.0, 10.0, 52.0], 12.0), [50.0, 10.0, 62.0]);
        assert_eq!(spread(&[0.0, 100.0], 12.0), [0.0, 100.0]);
    }
}
