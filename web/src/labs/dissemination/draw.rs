//! Painting on the two canvases. The view only ever draws what the model hands it (the engine
//! at one round, the chart's series); nothing here changes the model.
//!
//! Cost matters at 10,000 nodes: nodes are drawn in one path per state (a few fills per frame,
//! not one per node), and dots smaller than a few pixels are squares written straight into a
//! pixel buffer, which is much cheaper than rasterising arcs and looks the same at that size.

use core::f64::consts::TAU;

use gossip_core::net::Sent;
use gossip_core::sim::{Cargo, MessageView};
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, ImageData};

use super::band::BandPoint;
use super::model::{Engine, NodeState, TICKS_PER_ROUND};
use crate::chart::{nice_ticks, tick_label, Scale};
use crate::layout::{Layout, Point};

/// Okabe-Ito colours, distinguishable with every common colour-vision deficiency. Each state
/// also has a second cue that needs no colour: hollow versus filled, a square for removed, a
/// cross for down, and an outline for nodes that learned the rumor in the round just run.
pub const COLOUR_INFORMED: &str = "#D55E00";
/// Uninformed nodes (hollow rings).
pub const COLOUR_UNINFORMED: &str = "#0072B2";
/// Uninformed nodes too small for a ring: a light fill, told apart by lightness.
pub const COLOUR_UNINFORMED_SMALL: &str = "#8cc3e8";
/// Nodes holding an older version of the key than the newest (hollow, thick yellow ring).
pub const COLOUR_OLDER: &str = "#E69F00";
/// Nodes that know the rumor but have lost interest (rumor mongering): filled squares.
pub const COLOUR_REMOVED: &str = "#555555";
/// Crashed nodes: a grey cross.
pub const COLOUR_DOWN: &str = "#999999";
/// The outline of nodes informed in the round just run.
pub const COLOUR_NEW_OUTLINE: &str = "#000000";
/// The inspected node's halo, and the group selected for a partition.
pub const COLOUR_SELECTED: &str = "#009E73";
/// Messages that bring the receiver the newest version of the key.
pub const COLOUR_MESSAGE_RUMOR: &str = "#000000";
/// Requests, feedback, and messages that bring nothing new for the key.
pub const COLOUR_MESSAGE_EMPTY: &str = "#56B4E9";
/// The dashed ring around nodes cut off by a partition, and the bar that ends a message a
/// partition dropped.
pub const COLOUR_CUT_RING: &str = "#8a3d6a";
/// The cross of a message a link lost (or the in-flight limit dropped).
pub const COLOUR_MESSAGE_LOST: &str = "#b2182b";
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
const COLOUR_BACKGROUND: &str = "#ffffff";
const COLOUR_AXIS: &str = "#444444";
const COLOUR_GRID: &str = "#e6e6e6";
/// The run's own curve on the chart.
pub const COLOUR_RUN: &str = "#D55E00";
/// The mode's recurrence.
pub const COLOUR_RECURRENCE: &str = "#0072B2";
/// Serf's logistic curve.
pub const COLOUR_LOGISTIC: &str = "#009E73";
/// Messages per round.
pub const COLOUR_MESSAGES: &str = "#CC79A7";

/// Below this radius a hollow ring is unreadable, so dots become filled squares.
const SMALL_DOT_PX: f64 = 2.5;
/// Up to this many messages a faint line joins sender and receiver as well.
const CHORDS_MAX: usize = 400;
/// The radius of a message dot.
const MESSAGE_DOT_PX: f64 = 2.5;
/// How far a dropped message is drawn going from its sender's rim before it stops with its
/// mark: this share of the gap between the two dots, but at most [`DROP_STUB_PX_MAX`], so the
/// mark stays by its sender and two stubs from either end of a link never meet in the middle
/// and read as a relay.
const DROP_REACH: f64 = 0.3;
const DROP_STUB_PX_MAX: f64 = 18.0;
/// Above this many drops in a round their marks are drawn thinner and see-through, so that at
/// high loss the cluster and the messages that travel stay readable under them.
const DROPS_CROWDED: usize = 150;

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

/// RGB of the states, for the pixel path (the same colours as above).
const RGB_BACKGROUND: [u8; 3] = [255, 255, 255];
const RGB_INFORMED: [u8; 3] = [0xD5, 0x5E, 0x00];
const RGB_UNINFORMED_SMALL: [u8; 3] = [0x8c, 0xc3, 0xe8];
const RGB_OLDER: [u8; 3] = [0xE6, 0x9F, 0x00];
const RGB_NEW_OUTLINE: [u8; 3] = [0, 0, 0];
const RGB_REMOVED: [u8; 3] = [0x55, 0x55, 0x55];
const RGB_DOWN: [u8; 3] = [0xdd, 0xdd, 0xdd];
const RGB_CUT: [u8; 3] = [0xCC, 0x79, 0xA7];

/// Fills the square of half-side `r` around `p` in an RGBA buffer of `width` x `height`.
fn square(buf: &mut [u8], width: usize, height: usize, p: Point, r: f64, rgb: [u8; 3]) {
    let x0 = (p.x - r).round().max(0.0) as usize;
    let x1 = ((p.x + r).round().max(0.0) as usize).min(width);
    let y0 = (p.y - r).round().max(0.0) as usize;
    let y1 = ((p.y + r).round().max(0.0) as usize).min(height);
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * width + x) * 4;
            buf[i..i + 3].copy_from_slice(&rgb);
        }
    }
}

/// What the cluster canvas shows besides the engine: the animation phase, the inspected node,
/// the group selected for a partition and a lasso being drawn.
pub struct Overlay<'a> {
    /// With `Some(f)`, `f` in `[0, 1)`, the round just run is being animated: every message and
    /// node is drawn as it was at the fractional tick `start + f * T` of that round.
    pub phase: Option<f64>,
    /// The inspected node.
    pub selected: Option<u32>,
    /// Nodes selected for a partition.
    pub group: &'a [u32],
    /// The lasso being drawn.
    pub lasso: &'a [Point],
    /// With no animation running, still draw the marks of the messages dropped in the round
    /// just run (for reduced motion, which animates nothing but should see where loss and
    /// cuts happened).
    pub drops_still: bool,
}

/// How a node is drawn: its state, or for a node that learns during the animated round and has
/// not yet learned at the frame's tick, the state it had before (uninformed).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Down,
    Susceptible,
    Older,
    Informed,
    Fresh,
    Removed,
}

fn class(engine: &Engine, i: u32, tick: Option<f64>) -> Class {
    let state = engine.state(i);
    let round = engine.round();
    let learned = engine.learned_tick(i);
    let start = engine.round_start_tick();
    let fresh = round > 0 && learned.is_some_and(|t| t >= start);
    match state {
        NodeState::Down => Class::Down,
        NodeState::Susceptible => Class::Susceptible,
        NodeState::Older => Class::Older,
        NodeState::Informed | NodeState::Removed => {
            if let (Some(t), Some(l)) = (tick, learned) {
                // Not yet learned at the frame's tick (it is learned on delivery, at tick l).
                if (l as f64) > t {
                    return Class::Susceptible;
                }
            }
            if state == NodeState::Removed {
                Class::Removed
            } else if fresh && tick.is_none() {
                Class::Fresh
            } else {
                Class::Informed
            }
        }
    }
}

/// Draws the cluster at the engine's round (see [`Overlay`]). `pixels` is a reusable buffer for
/// the many-small-dots path.
#[allow(clippy::too_many_arguments)]
pub fn cluster(
    ctx: &CanvasRenderingContext2d,
    width: f64,
    height: f64,
    layout: &Layout,
    engine: &Engine,
    overlay: &Overlay,
    pixels: &mut Vec<u8>,
) {
    let r = layout.dot_radius_px;
    let small = r < SMALL_DOT_PX;
    let n = layout.points.len().min(engine.nodes() as usize) as u32;
    let tick = overlay
        .phase
        .map(|f| engine.round_start_tick() as f64 + f * f64::from(TICKS_PER_ROUND));
    let net = engine.cluster().network();
    let partitioned = net.is_partitioned();
    // Classify once; draw each class as one path.
    let mut by_class: [Vec<u32>; 6] = Default::default();
    let mut cut = Vec::new();
    for i in 0..n {
        let c = class(engine, i, tick);
        by_class[c as usize].push(i);
        if partitioned && is_cut_off(net.group(i)) {
            cut.push(i);
        }
    }
    let [down, susceptible, older, informed, fresh, removed] = &by_class;
    let pts = &layout.points;
    if small {
        // Thousands of tiny dots: writing their pixels and putting the image once is several
        // times cheaper than rasterising thousands of sub-paths on the CPU.
        let (w, h) = (width as usize, height as usize);
        pixels.resize(w * h * 4, 255);
        for px in pixels.chunks_exact_mut(4) {
            px.copy_from_slice(&[RGB_BACKGROUND[0], RGB_BACKGROUND[1], RGB_BACKGROUND[2], 255]);
        }
        for &i in &cut {
            square(pixels, w, h, pts[i as usize], r + 1.0, RGB_CUT);
        }
        for &i in susceptible {
            square(pixels, w, h, pts[i as usize], r, RGB_UNINFORMED_SMALL);
        }
        for &i in down {
            square(pixels, w, h, pts[i as usize], r, RGB_DOWN);
        }
        for &i in older {
            square(pixels, w, h, pts[i as usize], r, RGB_OLDER);
        }
        for &i in fresh {
            square(pixels, w, h, pts[i as usize], r + 1.0, RGB_NEW_OUTLINE);
        }
        for &i in informed.iter().chain(fresh) {
            square(pixels, w, h, pts[i as usize], r, RGB_INFORMED);
        }
        for &i in removed {
            square(pixels, w, h, pts[i as usize], r, RGB_REMOVED);
        }
        if let Ok(img) =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(pixels), w as u32, h as u32)
        {
            let _ = ctx.put_image_data(&img, 0.0, 0.0);
        }
    } else {
        ctx.set_fill_style_str(COLOUR_BACKGROUND);
        ctx.fill_rect(0.0, 0.0, width, height);
        if !cut.is_empty() {
            ctx.begin_path();
            for &i in &cut {
                dot(ctx, pts[i as usize], r + 4.0, false);
            }
            ctx.set_fill_style_str(COLOUR_CUT_SHADE);
            ctx.fill();
            // A dashed ring too: the side cut off is told by shape, not only by colour.
            ctx.begin_path();
            for &i in &cut {
                dot(ctx, pts[i as usize], r + 4.0, false);
            }
            ctx.set_stroke_style_str(COLOUR_CUT_RING);
            ctx.set_line_width(1.0);
            set_dash(ctx, &[2.0, 2.0]);
            ctx.stroke();
            set_dash(ctx, &[]);
        }
        // Filled: informed and freshly informed.
        ctx.begin_path();
        for &i in informed.iter().chain(fresh) {
            dot(ctx, pts[i as usize], r, false);
        }
        ctx.set_fill_style_str(COLOUR_INFORMED);
        ctx.fill();
        if !removed.is_empty() {
            ctx.begin_path();
            for &i in removed {
                dot(ctx, pts[i as usize], r * 0.85, true);
            }
            ctx.set_fill_style_str(COLOUR_REMOVED);
            ctx.fill();
        }
        ctx.begin_path();
        for &i in susceptible {
            dot(ctx, pts[i as usize], r - 0.75, false);
        }
        ctx.set_stroke_style_str(COLOUR_UNINFORMED);
        ctx.set_line_width(1.5);
        ctx.stroke();
        if !older.is_empty() {
            ctx.begin_path();
            for &i in older {
                dot(ctx, pts[i as usize], r - 1.5, false);
            }
            ctx.set_stroke_style_str(COLOUR_OLDER);
            ctx.set_line_width(3.0);
            ctx.stroke();
        }
        if !down.is_empty() {
            ctx.begin_path();
            for &i in down {
                cross(ctx, pts[i as usize], r * 0.8);
            }
            ctx.set_stroke_style_str(COLOUR_DOWN);
            ctx.set_line_width(2.0);
            ctx.stroke();
        }
        if !fresh.is_empty() {
            ctx.begin_path();
            for &i in fresh {
                dot(ctx, pts[i as usize], r + 1.5, false);
            }
            ctx.set_stroke_style_str(COLOUR_NEW_OUTLINE);
            ctx.set_line_width(1.5);
            ctx.stroke();
        }
    }
    if let Some(t) = tick {
        messages(ctx, layout, engine.round_messages(), t);
        drops(ctx, layout, engine.round_drops(), t);
    } else if overlay.drops_still {
        let end = engine.round_start_tick() + u64::from(TICKS_PER_ROUND);
        drops(ctx, layout, engine.round_drops(), end as f64);
    }
    if !overlay.group.is_empty() {
        ctx.begin_path();
        for &g in overlay.group.iter().filter(|&&g| g < n) {
            dot(ctx, pts[g as usize], r.max(3.0) + 2.5, false);
        }
        ctx.set_stroke_style_str(COLOUR_SELECTED);
        ctx.set_line_width(2.0);
        ctx.stroke();
    }
    if overlay.lasso.len() >= 2 {
        ctx.begin_path();
        ctx.move_to(overlay.lasso[0].x, overlay.lasso[0].y);
        for p in &overlay.lasso[1..] {
            ctx.line_to(p.x, p.y);
        }
        ctx.close_path();
        ctx.set_stroke_style_str(COLOUR_SELECTED);
        ctx.set_line_width(1.5);
        set_dash(ctx, &[4.0, 3.0]);
        ctx.stroke();
        set_dash(ctx, &[]);
    }
    if let Some(s) = overlay.selected.filter(|&s| s < n) {
        ctx.begin_path();
        dot(ctx, pts[s as usize], r.max(4.0) + 4.0, false);
        ctx.set_stroke_style_str(COLOUR_SELECTED);
        ctx.set_line_width(3.0);
        ctx.stroke();
    }
}

/// Draws the messages in flight at the fractional tick `t`: each between its send and delivery
/// ticks, at [`MessageView::progress`] of its way.
fn messages(ctx: &CanvasRenderingContext2d, layout: &Layout, all: &[MessageView], t: f64) {
    let pts = &layout.points;
    let flying = |m: &&MessageView| (m.sent.0 as f64) <= t && t < m.deliver.0 as f64;
    let n = pts.len() as u32;
    let valid = |m: &&MessageView| m.from < n && m.to < n;
    let radius = message_radius(layout);
    let count = all.iter().filter(valid).filter(flying).count();
    if count <= CHORDS_MAX {
        ctx.begin_path();
        for m in all.iter().filter(valid).filter(flying) {
            let (a, b) = (pts[m.from as usize], pts[m.to as usize]);
            ctx.move_to(a.x, a.y);
            ctx.line_to(b.x, b.y);
        }
        ctx.set_stroke_style_str("rgba(0, 0, 0, 0.12)");
        ctx.set_line_width(1.0);
        ctx.stroke();
    }
    for (colour, new) in [(COLOUR_MESSAGE_EMPTY, false), (COLOUR_MESSAGE_RUMOR, true)] {
        ctx.begin_path();
        let mut any = false;
        for m in all.iter().filter(valid).filter(flying) {
            if (m.cargo == Cargo::New) != new {
                continue;
            }
            let p = lerp(pts[m.from as usize], pts[m.to as usize], m.progress(t));
            dot(ctx, p, radius, radius < SMALL_DOT_PX);
            any = true;
        }
        if any {
            ctx.set_fill_style_str(colour);
            ctx.fill();
        }
    }
}

/// The radius of a message dot: in a crowded disc a message is drawn smaller than a node, or
/// thousands of them would hide the cluster they cross.
fn message_radius(layout: &Layout) -> f64 {
    (layout.dot_radius_px * 0.6).clamp(0.75, MESSAGE_DOT_PX)
}

/// Draws the messages the network dropped when they were sent, as they were at fractional
/// tick `t`: each sets off towards its receiver, stops within its tick a short way out, and
/// leaves a mark that stays until the round's animation ends, so a loss or a cut is seen where
/// it happened. A loss (or the in-flight limit) is a red cross; a cut is a purple bar across
/// the way, a wall, so the two differ in shape as well as colour.
fn drops(ctx: &CanvasRenderingContext2d, layout: &Layout, all: &[MessageView], t: f64) {
    let pts = &layout.points;
    let n = pts.len() as u32;
    let mark_px = (message_radius(layout) * 1.6).max(4.0);
    let crowded = all.len() > DROPS_CROWDED;
    for (colour, faint, cut) in [
        (COLOUR_MESSAGE_LOST, COLOUR_MESSAGE_LOST_FAINT, false),
        (COLOUR_CUT_RING, COLOUR_CUT_FAINT, true),
    ] {
        ctx.begin_path();
        let mut any = false;
        for m in all.iter().filter(|m| {
            m.from < n && m.to < n && (m.sent.0 as f64) <= t && (m.fate == Sent::Cut) == cut
        }) {
            let (a, b) = (pts[m.from as usize], pts[m.to as usize]);
            let way = (b.x - a.x).hypot(b.y - a.y);
            if way == 0.0 {
                continue;
            }
            // From the sender's rim, a short way towards the receiver (dots that touch leave
            // no way: the mark then sits where they meet).
            let rim = layout.dot_radius_px.min(way / 2.0);
            let stub = (DROP_REACH * (way - 2.0 * rim)).min(DROP_STUB_PX_MAX);
            let done = (t - m.sent.0 as f64).clamp(0.0, 1.0);
            let (start, p) = (lerp(a, b, rim / way), lerp(a, b, (rim + stub * done) / way));
            ctx.move_to(start.x, start.y);
            ctx.line_to(p.x, p.y);
            if done >= 1.0 {
                if cut {
                    // Across the way: the unit normal times the mark's half length.
                    let (nx, ny) = ((a.y - b.y) / way * mark_px, (b.x - a.x) / way * mark_px);
                    ctx.move_to(p.x - nx, p.y - ny);
                    ctx.line_to(p.x + nx, p.y + ny);
                } else {
                    cross(ctx, p, mark_px * 0.8);
                }
            }
            any = true;
        }
        if any {
            ctx.set_stroke_style_str(if crowded { faint } else { colour });
            ctx.set_line_width(if crowded { 1.0 } else { 1.5 });
            ctx.stroke();
        }
    }
}

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

fn set_dash(ctx: &CanvasRenderingContext2d, dash: &[f64]) {
    let a = js_sys::Array::new();
    for d in dash {
        a.push(&(*d).into());
    }
    let _ = ctx.set_line_dash(&a);
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
    let left = 16.0 + 3.0 * font;
    let Legend {
        col_w,
        rows,
        row_h,
        height: legend_h,
    } = legend(width, font, items.len());
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
    let xs = Scale::new(0.0, x_max, left, right);
    let ys = Scale::new(0.0, 1.0, bottom1, top1);
    let m_max = d.messages.iter().copied().max().unwrap_or(0).max(1) as f64;
    let ms = Scale::new(0.0, m_max, bottom2, top2);
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
    // The three modes' kernel curves (push/pull scenario).
    ctx.set_line_width(1.5);
    for (i, (_, curve)) in d.modes.iter().enumerate() {
        let (c, dash) = MODE_STYLES[i % MODE_STYLES.len()];
        ctx.set_stroke_style_str(c);
        set_dash(ctx, dash);
        polyline(ctx, &xs, &ys, curve, d.rounds_shown);
    }
    // Theory.
    ctx.set_line_width(2.0);
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
    ctx.set_line_width(2.5);
    let now = (d.round as usize).min(d.run.len().saturating_sub(1));
    ctx.set_stroke_style_str("rgba(213, 94, 0, 0.3)");
    polyline(ctx, &xs, &ys, d.run, d.rounds_shown);
    ctx.set_stroke_style_str(COLOUR_RUN);
    polyline(ctx, &xs, &ys, &d.run[..=now], d.rounds_shown);
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
pub fn bounds(
    ctx: &CanvasRenderingContext2d,
    width: f64,
    height: f64,
    points: &[super::bounds::Point],
    s: f64,
) {
    use super::bounds::{estimate, FANOUTS, NODES};
    ctx.set_fill_style_str(COLOUR_BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
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
    font * 1.35 * (super::bounds::FANOUTS.len() + 2) as f64 + 8.0
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
