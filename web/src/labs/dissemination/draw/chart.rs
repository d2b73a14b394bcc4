//! The chart canvas: the informed fraction per round (the run, the theory curves, the band of
//! trials, the modes' runs) above messages per round, with the legend below both.

use web_sys::CanvasRenderingContext2d;

use super::*;
use crate::chart::{nice_ticks, tick_label, Scale};
use crate::labs::dissemination::band::BandPoint;

/// The series the chart draws.
pub struct ChartData<'a> {
    /// Informed fraction of the run at rounds `0..=horizon`.
    pub run: &'a [f64],
    /// Messages of the run in rounds `1..=horizon`.
    pub messages: &'a [u64],
    /// The round being viewed.
    pub round: u32,
    /// The mode's recurrence from round 0.
    pub recurrence: &'a [f64],
    /// Serf's logistic curve from round 0.
    pub logistic: &'a [f64],
    /// A horizontal reference level of the informed fraction (rumor mongering's `1 - s`).
    pub asymptote: Option<f64>,
    /// The band of trials, if computed (partly or fully).
    pub band: Option<&'a [BandPoint]>,
    /// The rounds shown on the x axis, from 0.
    pub rounds_shown: u32,
    /// Other modes' informed fraction from round 0, by name (the push/pull scenario).
    pub modes: &'a [(&'static str, Vec<f64>)],
}

fn polyline(ctx: &CanvasRenderingContext2d, xs: &Scale, ys: &Scale, ys_data: &[f64], x_max: u32) {
    ctx.begin_path();
    for (i, &v) in ys_data.iter().enumerate().take(x_max as usize + 1) {
        let (x, y) = (xs.map(i as f64), ys.map(v));
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
}

/// The three exchange modes' kernel curves overlaid in the push/pull scenario: colour and dash.
const MODE_STYLES: [(&str, &[f64]); 3] = [
    ("#E69F00", &[1.5, 2.5]),
    ("#56B4E9", &[9.0, 3.0, 2.0, 3.0]),
    ("#000000", &[5.0, 2.0]),
];

/// One legend row: label, colour, dash, line width, and whether the swatch is a filled bar.
type LegendItem = (String, &'static str, &'static [f64], f64, bool);

fn legend_items(d: &ChartData) -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = vec![("this run".into(), COLOUR_RUN, &[], 2.5, false)];
    if !d.recurrence.is_empty() {
        items.push((
            "recurrence (mode)".into(),
            COLOUR_RECURRENCE,
            &[7.0, 4.0],
            2.0,
            false,
        ));
    }
    if !d.logistic.is_empty() {
        items.push((
            "Serf logistic (see note)".into(),
            COLOUR_LOGISTIC,
            &[2.0, 3.0],
            2.0,
            false,
        ));
    }
    for (i, (name, _)) in d.modes.iter().enumerate() {
        let (c, dash) = MODE_STYLES[i % MODE_STYLES.len()];
        items.push((format!("{name}, kernel"), c, dash, 1.5, false));
    }
    if d.asymptote.is_some() {
        items.push((
            "1 - residue (Demers ODE)".into(),
            COLOUR_RECURRENCE,
            &[7.0, 4.0],
            2.0,
            false,
        ));
    }
    if d.band.is_some() {
        items.push(("trials: mean, 5-95 %".into(), "#555555", &[], 1.5, false));
    }
    items.push((
        "messages per round (bars)".into(),
        COLOUR_MESSAGES,
        &[],
        0.0,
        true,
    ));
    items
}

/// The legend below a chart's plots: as many columns as fit, in canvas pixels.
#[derive(Clone, Copy)]
struct Legend {
    col_w: f64,
    rows: usize,
    row_h: f64,
    height: f64,
}

fn legend(width: f64, font: f64, items: usize) -> Legend {
    let left = 16.0 + 3.0 * font;
    let col_w = 16.0 * font;
    let cols = (((width - left) / col_w).floor() as usize).clamp(1, 3);
    let rows = items.div_ceil(cols);
    let row_h = font * 1.4;
    Legend {
        col_w,
        rows,
        row_h,
        height: rows as f64 * row_h + 6.0,
    }
}

/// The least height of the chart canvas, in canvas pixels (what a wide screen gets).
pub const CHART_HEIGHT_MIN_PX: u32 = 430;
/// The height the two plots of the chart keep, whatever the legend takes, in canvas pixels.
const CHART_PLOTS_PX: f64 = 330.0;

/// The height the chart needs at width `width` and font scale `s`: at least
/// [`CHART_HEIGHT_MIN_PX`], and more when the legend takes many rows (on a phone it is one tall
/// column of large type), so that the plots above it are never squashed.
pub fn chart_height_px(width: f64, d: &ChartData, s: f64) -> u32 {
    let font = 12.0 * s;
    let legend_h = legend(width, font, legend_items(d).len()).height;
    let need = 10.0 + CHART_PLOTS_PX + 2.6 * font + 6.0 + legend_h;
    (need.ceil() as u32).max(CHART_HEIGHT_MIN_PX)
}

/// Draws the informed fraction per round (top) and messages per round (middle), with axes,
/// labels, and the legend below both, where it hides no curve. `s` scales text and margins
/// (see [`font_scale`]).
pub fn chart(ctx: &CanvasRenderingContext2d, width: f64, height: f64, d: &ChartData, s: f64) {
    ctx.set_fill_style_str(COLOUR_BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    let font = 12.0 * s;
    ctx.set_font(&format!("{font}px system-ui, sans-serif"));
    // The legend's rows, in as many columns as fit.
    let items = legend_items(d);
    let lg = legend(width, font, items.len());
    let p = plots(width, height, d, s, lg.height);
    axes(ctx, &p);
    curves(ctx, d, &p);
    bars(ctx, d, &p);
    draw_legend(ctx, items, &lg, height, font);
}

/// Where the chart's two plots sit (the informed fraction above, messages below), their
/// scales, the bar width and the text size.
#[derive(Clone, Copy)]
struct Plots {
    left: f64,
    right: f64,
    top1: f64,
    bottom1: f64,
    top2: f64,
    bottom2: f64,
    xs: Scale,
    ys: Scale,
    ms: Scale,
    x_max: f64,
    m_max: f64,
    bar: f64,
    font: f64,
    s: f64,
}

/// The plots' geometry on a canvas of `width` by `height` with a legend `legend_h` tall.
fn plots(width: f64, height: f64, d: &ChartData, s: f64, legend_h: f64) -> Plots {
    let font = 12.0 * s;
    let left = 16.0 + 3.0 * font;
    let x_max = f64::from(d.rounds_shown.max(1));
    // The last bar is centred on the last round: leave half a bar of room after it.
    let axis_right = width - 12.0;
    let bar = ((axis_right - left) / x_max * 0.7).clamp(1.0, 14.0);
    let right = axis_right - bar / 2.0;
    let plots_bottom = height - legend_h - 2.6 * font - 6.0;
    // Two thirds for the fraction, but the messages keep room for three lines of labels (on a
    // phone the scaled-up font would otherwise squash them into each other).
    let bottom1 = (10.0 + (plots_bottom - 10.0) * 0.66).min(plots_bottom - 5.2 * font);
    let (top1, bottom1) = (10.0, bottom1.max(10.0 + 4.0 * font));
    let (top2, bottom2) = (bottom1 + 2.2 * font, plots_bottom);
    let m_max = d.messages.iter().copied().max().unwrap_or(0).max(1) as f64;
    Plots {
        left,
        right,
        top1,
        bottom1,
        top2,
        bottom2,
        xs: Scale::new(0.0, x_max, left, right),
        ys: Scale::new(0.0, 1.0, bottom1, top1),
        ms: Scale::new(0.0, m_max, bottom2, top2),
        x_max,
        m_max,
        bar,
        font,
        s,
    }
}

/// Grids, ticks, labels, titles and axes of both plots.
fn axes(ctx: &CanvasRenderingContext2d, p: &Plots) {
    let Plots {
        left,
        right,
        top1,
        bottom1,
        top2,
        bottom2,
        xs,
        ys,
        ms,
        m_max,
        font,
        s,
        x_max,
        ..
    } = *p;
    ctx.set_line_width(1.0);
    // Grids, ticks and labels.
    let x_ticks = nice_ticks(0.0, x_max, (8.0 / s).max(4.0) as usize);
    ctx.set_stroke_style_str(COLOUR_GRID);
    ctx.begin_path();
    for &t in &x_ticks {
        let x = xs.map(t);
        ctx.move_to(x, top1);
        ctx.line_to(x, bottom1);
        ctx.move_to(x, top2);
        ctx.line_to(x, bottom2);
    }
    for &t in &nice_ticks(0.0, 1.0, 6) {
        ctx.move_to(left, ys.map(t));
        ctx.line_to(right, ys.map(t));
    }
    ctx.stroke();
    ctx.set_fill_style_str(COLOUR_AXIS);
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    for &t in &x_ticks {
        let _ = ctx.fill_text(&tick_label(t), xs.map(t), bottom2 + 4.0);
    }
    let _ = ctx.fill_text("round", (left + right) / 2.0, bottom2 + 4.0 + 1.2 * font);
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for &t in &nice_ticks(0.0, 1.0, if s > 1.2 { 3 } else { 6 }) {
        let _ = ctx.fill_text(&tick_label(t), left - 6.0, ys.map(t));
    }
    // Whole messages only, no more labels than the panel has lines for, and always a top one
    // (the panel's scale).
    let m_lines = ((bottom2 - top2) / (1.3 * font)).floor().clamp(2.0, 3.0) as usize;
    let mut m_ticks: Vec<f64> = nice_ticks(0.0, m_max, m_lines)
        .into_iter()
        .filter(|t| t.fract() == 0.0)
        .collect();
    if m_ticks.len() < 2 {
        m_ticks = vec![0.0, m_max];
    }
    for &t in &m_ticks {
        let _ = ctx.fill_text(&tick_label(t), left - 6.0, ms.map(t));
    }
    ctx.save();
    ctx.set_text_align("center");
    let _ = ctx.translate(2.0 + font * 0.6, (top1 + bottom1) / 2.0);
    let _ = ctx.rotate(-TAU / 4.0);
    // About half a font size per letter: the long title only where it fits along the axis.
    let title = if bottom1 - top1 > 9.0 * font {
        "informed fraction"
    } else {
        "informed"
    };
    let _ = ctx.fill_text(title, 0.0, 0.0);
    ctx.restore();
    ctx.set_text_align("left");
    ctx.set_text_baseline("bottom");
    let _ = ctx.fill_text("messages per round", left, top2 - 3.0);
    ctx.set_stroke_style_str(COLOUR_AXIS);
    ctx.begin_path();
    ctx.move_to(left, top1);
    ctx.line_to(left, bottom1);
    ctx.line_to(right, bottom1);
    ctx.move_to(left, top2);
    ctx.line_to(left, bottom2);
    ctx.line_to(right, bottom2);
    ctx.stroke();
}

/// The band, the modes' runs, the theory curves and the run, on the fraction plot.
fn curves(ctx: &CanvasRenderingContext2d, d: &ChartData, p: &Plots) {
    let Plots {
        left,
        right,
        xs,
        ys,
        ..
    } = *p;
    // The band behind everything else.
    if let Some(band) = d.band.filter(|b| !b.is_empty()) {
        let shown = band.iter().take(d.rounds_shown as usize + 1);
        ctx.begin_path();
        for (i, p) in shown.clone().enumerate() {
            ctx.line_to(xs.map(i as f64), ys.map(p.p95));
        }
        for (i, p) in shown
            .clone()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            ctx.line_to(xs.map(i as f64), ys.map(p.p5));
        }
        ctx.close_path();
        ctx.set_fill_style_str("rgba(0, 0, 0, 0.13)");
        ctx.fill();
        ctx.set_stroke_style_str("#555555");
        ctx.set_line_width(1.5);
        let mean: Vec<f64> = band.iter().map(|p| p.mean).collect();
        polyline(ctx, &xs, &ys, &mean, d.rounds_shown);
    }
    // The curves' widths grow with projector mode's marks; the grid's stay hairlines.
    let mark = crate::shell::teacher::mark_scale();
    // The three modes' kernel curves (push/pull scenario).
    ctx.set_line_width(1.5 * mark);
    for (i, (_, curve)) in d.modes.iter().enumerate() {
        let (c, dash) = MODE_STYLES[i % MODE_STYLES.len()];
        ctx.set_stroke_style_str(c);
        set_dash(ctx, dash);
        polyline(ctx, &xs, &ys, curve, d.rounds_shown);
    }
    // Theory.
    ctx.set_line_width(2.0 * mark);
    if let Some(level) = d.asymptote {
        ctx.set_stroke_style_str(COLOUR_RECURRENCE);
        set_dash(ctx, &[7.0, 4.0]);
        ctx.begin_path();
        ctx.move_to(left, ys.map(level));
        ctx.line_to(right, ys.map(level));
        ctx.stroke();
    }
    ctx.set_stroke_style_str(COLOUR_LOGISTIC);
    set_dash(ctx, &[2.0, 3.0]);
    polyline(ctx, &xs, &ys, d.logistic, d.rounds_shown);
    ctx.set_stroke_style_str(COLOUR_RECURRENCE);
    set_dash(ctx, &[7.0, 4.0]);
    polyline(ctx, &xs, &ys, d.recurrence, d.rounds_shown);
    set_dash(ctx, &[]);
    // The run, up to the round viewed (solid) and the computed future (faint).
    ctx.set_line_width(2.5 * mark);
    let now = (d.round as usize).min(d.run.len().saturating_sub(1));
    ctx.set_stroke_style_str("rgba(213, 94, 0, 0.3)");
    polyline(ctx, &xs, &ys, d.run, d.rounds_shown);
    ctx.set_stroke_style_str(COLOUR_RUN);
    polyline(ctx, &xs, &ys, &d.run[..=now], d.rounds_shown);
}

/// Messages per round as bars, and the line of the round viewed across both plots.
fn bars(ctx: &CanvasRenderingContext2d, d: &ChartData, p: &Plots) {
    let Plots {
        top1,
        bottom2,
        xs,
        ms,
        bar,
        ..
    } = *p;
    // Messages per round, as bars.
    ctx.set_fill_style_str(COLOUR_MESSAGES);
    for (i, &m) in d.messages.iter().enumerate().take(d.rounds_shown as usize) {
        let round = (i + 1) as u32;
        ctx.set_global_alpha(if round <= d.round { 1.0 } else { 0.3 });
        let x = xs.map(f64::from(round));
        ctx.fill_rect(
            x - bar / 2.0,
            ms.map(m as f64),
            bar,
            bottom2 - ms.map(m as f64),
        );
    }
    ctx.set_global_alpha(1.0);
    // The round viewed.
    let x = xs.map(f64::from(d.round));
    ctx.set_stroke_style_str(COLOUR_AXIS);
    ctx.set_line_width(1.0);
    set_dash(ctx, &[3.0, 3.0]);
    ctx.begin_path();
    ctx.move_to(x, top1);
    ctx.line_to(x, bottom2);
    ctx.stroke();
    set_dash(ctx, &[]);
}

/// The legend, in its rows and columns below the plots.
fn draw_legend(
    ctx: &CanvasRenderingContext2d,
    items: Vec<LegendItem>,
    lg: &Legend,
    height: f64,
    font: f64,
) {
    let Legend {
        col_w,
        rows,
        row_h,
        height: legend_h,
    } = *lg;
    // The legend, below the plots.
    let ly = height - legend_h;
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    for (k, (label, colour, dash, w, filled)) in items.into_iter().enumerate() {
        let (col, row) = (k / rows, k % rows);
        let x = 8.0 + col as f64 * col_w;
        let yy = ly + row_h * row as f64 + row_h / 2.0;
        if filled {
            ctx.set_fill_style_str(colour);
            ctx.fill_rect(x + 8.0, yy - font * 0.45, 10.0, font * 0.9);
        } else {
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(w);
            set_dash(ctx, dash);
            ctx.begin_path();
            ctx.move_to(x, yy);
            ctx.line_to(x + 26.0, yy);
            ctx.stroke();
            set_dash(ctx, &[]);
        }
        ctx.set_fill_style_str(COLOUR_AXIS);
        let _ = ctx.fill_text(&label, x + 32.0, yy);
    }
}
