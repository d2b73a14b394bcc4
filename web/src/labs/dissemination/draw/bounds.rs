//! The convergence-bounds canvas: mean rounds to full coverage against N (log scale) per
//! fanout, with each fanout's estimate.

use web_sys::CanvasRenderingContext2d;

use super::*;
use crate::chart::{nice_ticks, tick_label, Scale};
use crate::labs::dissemination::bounds::{estimate, Point, FANOUTS, NODES};

/// Colours and markers of the fanouts in the convergence-bounds chart (a marker shape per
/// fanout, so the series are told apart without colour).
const BOUNDS_SERIES: [(&str, Marker); 4] = [
    ("#000000", Marker::Circle),
    ("#0072B2", Marker::Square),
    ("#D55E00", Marker::Triangle),
    ("#009E73", Marker::Diamond),
];

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

fn marker(ctx: &CanvasRenderingContext2d, m: Marker, x: f64, y: f64, r: f64) {
    ctx.begin_path();
    match m {
        Marker::Circle => {
            let _ = ctx.arc(x, y, r, 0.0, TAU);
        }
        Marker::Square => ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r),
        Marker::Triangle => {
            ctx.move_to(x, y - r * 1.2);
            ctx.line_to(x + r * 1.1, y + r * 0.8);
            ctx.line_to(x - r * 1.1, y + r * 0.8);
            ctx.close_path();
        }
        Marker::Diamond => {
            ctx.move_to(x, y - r * 1.3);
            ctx.line_to(x + r * 1.1, y);
            ctx.line_to(x, y + r * 1.3);
            ctx.line_to(x - r * 1.1, y);
            ctx.close_path();
        }
    }
    ctx.fill();
}

/// Draws the convergence-bounds sweep: mean rounds to full coverage against N (log scale) per
/// fanout, markers joined by solid lines, and each fanout's estimate dashed (`log_k N`, or
/// Pittel's `log2 N + ln N` for `k = 1`). `s` scales text and margins (see [`font_scale`]).
pub fn bounds(ctx: &CanvasRenderingContext2d, width: f64, height: f64, points: &[Point], s: f64) {
    ctx.set_fill_style_str(COLOUR_BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    let g = sweep_plot(width, height, points, s);
    bounds_axes(ctx, &g);
    bounds_series(ctx, points, &g);
    bounds_legend(ctx, &g);
}

/// Where the sweep's plot sits, its scales, and where its legend goes.
#[derive(Clone, Copy)]
struct SweepPlot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    xs: Scale,
    ys: Scale,
    n0: f64,
    n1: f64,
    y_max: f64,
    font: f64,
    s: f64,
    below: bool,
    legend_h: f64,
    height: f64,
}

/// The plot's geometry on a canvas of `width` by `height`.
fn sweep_plot(width: f64, height: f64, points: &[Point], s: f64) -> SweepPlot {
    let font = 12.0 * s;
    let below = bounds_legend_below(s);
    let legend_h = if below { bounds_legend_h(font) } else { 0.0 };
    // Room on the right for half the last label ("10k").
    let (left, right) = (24.0 + 3.0 * font, width - 12.0 - font);
    let (top, bottom) = (12.0, height - 12.0 - 2.8 * font - legend_h);
    let (n0, n1) = (f64::from(NODES[0]), f64::from(NODES[NODES.len() - 1]));
    let xs = Scale::new(n0.log10(), n1.log10(), left, right);
    let y_max = points
        .iter()
        .map(|p| p.mean_rounds)
        .chain([estimate(n1, 1)])
        .fold(0.0, f64::max)
        .ceil()
        + 1.0;
    let ys = Scale::new(0.0, y_max, bottom, top);
    SweepPlot {
        left,
        right,
        top,
        bottom,
        xs,
        ys,
        n0,
        n1,
        y_max,
        font,
        s,
        below,
        legend_h,
        height,
    }
}

/// Grids, ticks, labels and axes.
fn bounds_axes(ctx: &CanvasRenderingContext2d, g: &SweepPlot) {
    let SweepPlot {
        left,
        right,
        top,
        bottom,
        xs,
        ys,
        y_max,
        font,
        ..
    } = *g;
    ctx.set_font(&format!("{font}px system-ui, sans-serif"));
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(COLOUR_GRID);
    ctx.begin_path();
    let decades = [10.0, 100.0, 1000.0, 10_000.0];
    for &d in &decades {
        ctx.move_to(xs.map(f64::log10(d)), top);
        ctx.line_to(xs.map(f64::log10(d)), bottom);
    }
    let y_ticks = nice_ticks(0.0, y_max, 6);
    for &t in &y_ticks {
        ctx.move_to(left, ys.map(t));
        ctx.line_to(right, ys.map(t));
    }
    ctx.stroke();
    ctx.set_stroke_style_str(COLOUR_AXIS);
    ctx.begin_path();
    ctx.move_to(left, top);
    ctx.line_to(left, bottom);
    ctx.line_to(right, bottom);
    ctx.stroke();
    ctx.set_fill_style_str(COLOUR_AXIS);
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for &d in &decades {
        let _ = ctx.fill_text(&tick_label(d), xs.map(f64::log10(d)), bottom + 4.0);
    }
    let _ = ctx.fill_text(
        "nodes N (log scale)",
        (left + right) / 2.0,
        bottom + 6.0 + 1.2 * font,
    );
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for &t in &y_ticks {
        let _ = ctx.fill_text(&tick_label(t), left - 6.0, ys.map(t));
    }
    ctx.save();
    ctx.set_text_align("center");
    let _ = ctx.translate(4.0 + font * 0.6, (top + bottom) / 2.0);
    let _ = ctx.rotate(-TAU / 4.0);
    let _ = ctx.fill_text("mean rounds to full coverage", 0.0, 0.0);
    ctx.restore();
}

/// Per fanout: the estimate (dashed) and the simulated means so far (markers on a line).
fn bounds_series(ctx: &CanvasRenderingContext2d, points: &[Point], g: &SweepPlot) {
    let SweepPlot {
        xs, ys, n0, n1, s, ..
    } = *g;
    for (j, &k) in FANOUTS.iter().enumerate() {
        let (colour, m) = BOUNDS_SERIES[j % BOUNDS_SERIES.len()];
        // The estimate, dashed, over the whole range.
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.5);
        set_dash(ctx, &[6.0, 4.0]);
        ctx.begin_path();
        for step in 0..=60 {
            let lx = n0.log10() + (n1.log10() - n0.log10()) * f64::from(step) / 60.0;
            let (x, y) = (xs.map(lx), ys.map(estimate(10f64.powf(lx), k)));
            if step == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        set_dash(ctx, &[]);
        // The simulated means, as far as computed.
        let series: Vec<_> = points
            .iter()
            .filter(|p| p.fanout == k && p.trials > 0)
            .collect();
        ctx.set_line_width(2.0);
        ctx.begin_path();
        for (i, p) in series.iter().enumerate() {
            let (x, y) = (xs.map(f64::from(p.nodes).log10()), ys.map(p.mean_rounds));
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        ctx.set_fill_style_str(colour);
        for p in &series {
            let (x, y) = (xs.map(f64::from(p.nodes).log10()), ys.map(p.mean_rounds));
            marker(ctx, m, x, y, 3.5 * s.min(1.5));
        }
    }
}

/// The legend: one row per fanout and a note.
fn bounds_legend(ctx: &CanvasRenderingContext2d, g: &SweepPlot) {
    let SweepPlot {
        left,
        top,
        font,
        below,
        legend_h,
        height,
        ..
    } = *g;
    // Legend, top left, where every series is lowest; below the plot where its large type
    // would cover the curves (a phone).
    let h = font * 1.35;
    let rows = FANOUTS.len() + 2;
    let (lx, ly) = if below {
        (8.0, height - legend_h)
    } else {
        (left + 10.0, top + 6.0)
    };
    let box_w = font * 21.0;
    ctx.set_fill_style_str("rgba(255, 255, 255, 0.9)");
    ctx.fill_rect(lx - 4.0, ly - 4.0, box_w, h * rows as f64 + 8.0);
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    for (j, &k) in FANOUTS.iter().enumerate() {
        let (colour, m) = BOUNDS_SERIES[j % BOUNDS_SERIES.len()];
        let yy = ly + h * j as f64 + h / 2.0;
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        ctx.move_to(lx, yy);
        ctx.line_to(lx + 26.0, yy);
        ctx.stroke();
        ctx.set_fill_style_str(colour);
        marker(ctx, m, lx + 13.0, yy, 3.5);
        ctx.set_fill_style_str(COLOUR_AXIS);
        let label = if k == 1 {
            "k = 1 simulated; dashed: log2 N + ln N (Pittel)".to_string()
        } else {
            format!("k = {k} simulated; dashed: log_{k} N")
        };
        let _ = ctx.fill_text(&label, lx + 32.0, yy);
    }
    let yy = ly + h * FANOUTS.len() as f64 + h / 2.0;
    ctx.set_fill_style_str(COLOUR_AXIS);
    let _ = ctx.fill_text(
        "push, no loss, mean of 50 kernel trials per point",
        lx,
        yy + h / 2.0,
    );
}

/// The least height of the bounds chart's canvas, in canvas pixels (what a wide screen gets).
pub const BOUNDS_HEIGHT_MIN_PX: u32 = 380;

/// Whether the bounds chart's legend goes below its plot: where text is enlarged so much that
/// the legend in the plot's corner would cover the k = 1 and 2 curves.
fn bounds_legend_below(s: f64) -> bool {
    s > 1.3
}

/// The height of the bounds chart's legend: one row per fanout and two for its note.
fn bounds_legend_h(font: f64) -> f64 {
    font * 1.35 * (FANOUTS.len() + 2) as f64 + 8.0
}

/// The height the bounds chart needs at font scale `s`: the plot keeps its height and a
/// legend moved below it adds its own.
pub fn bounds_height_px(s: f64) -> u32 {
    let extra = if bounds_legend_below(s) {
        bounds_legend_h(12.0 * s)
    } else {
        0.0
    };
    BOUNDS_HEIGHT_MIN_PX + extra.ceil() as u32
}
