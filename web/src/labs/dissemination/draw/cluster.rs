//! The cluster canvas: every node by its state for the tracked key (or, with repair on, by the
//! newest versions it lacks: [`super::lacking`]), the messages of the round
//! just run (travelling, or stopping with their drop marks), the selected group, the lasso and
//! the inspected node.

use gossip_core::net::Sent;
use gossip_core::sim::{Cargo, MessageView};
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, ImageData};

use super::lacking::Look;
use super::*;
use crate::labs::dissemination::model::{Engine, NodeState, TICKS_PER_ROUND};
use crate::layout::Layout;

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

/// RGB of the states, for the pixel path: the same tokens as the paths use.
const RGB_BACKGROUND: [u8; 3] = theme::rgb(theme::SURFACE);
const RGB_INFORMED: [u8; 3] = theme::rgb(theme::INFORMED);
const RGB_UNINFORMED_SMALL: [u8; 3] = theme::rgb(theme::UNINFORMED_SMALL);
const RGB_OLDER: [u8; 3] = theme::rgb(theme::OLDER);
const RGB_NEW_OUTLINE: [u8; 3] = theme::rgb(theme::NEW);
const RGB_REMOVED: [u8; 3] = theme::rgb(theme::REMOVED);
/// Down nodes are lighter than their cross colour here: a square has no shape cue.
const RGB_DOWN: [u8; 3] = [0xdd, 0xdd, 0xdd];
const RGB_CUT: [u8; 3] = theme::rgb(theme::MESSAGES);

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

/// Draws the cluster at the engine's round (see [`Overlay`]) on a context scaled to `width` by
/// `height` logical pixels over a backing store of `device` pixels. `pixels` is a reusable
/// buffer for the many-small-dots path, which writes device pixels (`putImageData` ignores
/// the context's scale).
#[allow(clippy::too_many_arguments)]
pub fn cluster(
    ctx: &CanvasRenderingContext2d,
    width: f64,
    height: f64,
    device: (u32, u32),
    layout: &Layout,
    engine: &Engine,
    overlay: &Overlay,
    pixels: &mut Vec<u8>,
) {
    // Projector mode draws larger marks over the same layout (hit-testing is unchanged).
    let r = layout.dot_radius_px * crate::shell::teacher::node_scale();
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
    if let Some(l) = engine.lacking() {
        let look = |i: u32| match (engine.cluster().is_up(i), l.count(i)) {
            (false, _) => Look::Down,
            (true, 0) => Look::Complete,
            (true, c) => Look::Lacks(c),
        };
        let pts = &layout.points[..n as usize];
        super::lacking::nodes(ctx, (width, height), pts, r, &cut, &look);
    } else if small {
        let (w, h) = (device.0 as usize, device.1 as usize);
        let scale = (f64::from(device.0) / width, f64::from(device.1) / height);
        let frame = Frame {
            pixels,
            w,
            h,
            scale,
        };
        nodes_as_pixels(ctx, frame, &layout.points, r, &by_class, &cut);
    } else {
        nodes_as_paths(ctx, width, height, &layout.points, r, &by_class, &cut);
    }
    if let Some(t) = tick {
        messages(ctx, layout, engine.round_messages(), t);
        drops(ctx, layout, engine.round_drops(), t);
    } else if overlay.drops_still {
        let end = engine.round_start_tick() + u64::from(TICKS_PER_ROUND);
        drops(ctx, layout, engine.round_drops(), end as f64);
    }
    marks(ctx, &layout.points, r, n, overlay);
}

/// The pixel buffer of the small-dots path: `w` by `h` device pixels, `scale` device pixels
/// per logical pixel across and down.
struct Frame<'a> {
    pixels: &'a mut Vec<u8>,
    w: usize,
    h: usize,
    scale: (f64, f64),
}

impl Frame<'_> {
    /// The square of logical half-side `r` around logical point `p`.
    fn square(&mut self, p: Point, r: f64, rgb: [u8; 3]) {
        let (sx, sy) = self.scale;
        let at = Point {
            x: p.x * sx,
            y: p.y * sy,
        };
        square(self.pixels, self.w, self.h, at, r * sx, rgb);
    }
}

/// Nodes by class (`by_class` in [`Class`] order), and the side cut off, as squares written
/// into the frame's pixels and put at once: for thousands of tiny dots, several times cheaper
/// than rasterising thousands of sub-paths on the CPU.
fn nodes_as_pixels(
    ctx: &CanvasRenderingContext2d,
    mut f: Frame,
    pts: &[Point],
    r: f64,
    by_class: &[Vec<u32>; 6],
    cut: &[u32],
) {
    let [down, susceptible, older, informed, fresh, removed] = by_class;
    let (w, h) = (f.w, f.h);
    f.pixels.resize(w * h * 4, 255);
    for px in f.pixels.chunks_exact_mut(4) {
        px.copy_from_slice(&[RGB_BACKGROUND[0], RGB_BACKGROUND[1], RGB_BACKGROUND[2], 255]);
    }
    let p = |i: u32| pts[i as usize];
    for &i in cut {
        f.square(p(i), r + 1.0, RGB_CUT);
    }
    for &i in susceptible {
        f.square(p(i), r, RGB_UNINFORMED_SMALL);
    }
    for &i in down {
        f.square(p(i), r, RGB_DOWN);
    }
    for &i in older {
        f.square(p(i), r, RGB_OLDER);
    }
    for &i in fresh {
        f.square(p(i), r + 1.0, RGB_NEW_OUTLINE);
    }
    for &i in informed.iter().chain(fresh) {
        f.square(p(i), r, RGB_INFORMED);
    }
    for &i in removed {
        f.square(p(i), r, RGB_REMOVED);
    }
    if let Ok(img) =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(f.pixels), w as u32, h as u32)
    {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
}

/// The background, and behind the nodes `cut` off by a partition a shade (both shading modes
/// start so).
pub(super) fn ground(
    ctx: &CanvasRenderingContext2d,
    (width, height): (f64, f64),
    pts: &[Point],
    r: f64,
    cut: &[u32],
) {
    ctx.set_fill_style_str(COLOUR_BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    if !cut.is_empty() {
        ctx.begin_path();
        for &i in cut {
            dot(ctx, pts[i as usize], r + 4.0, false);
        }
        ctx.set_fill_style_str(COLOUR_CUT_SHADE);
        ctx.fill();
    }
}

/// Nodes by class, and the side cut off, as one path per class.
fn nodes_as_paths(
    ctx: &CanvasRenderingContext2d,
    width: f64,
    height: f64,
    pts: &[Point],
    r: f64,
    by_class: &[Vec<u32>; 6],
    cut: &[u32],
) {
    let [down, susceptible, older, informed, fresh, removed] = by_class;
    ground(ctx, (width, height), pts, r, cut);
    if !cut.is_empty() {
        // A dashed ring too: the side cut off is told by shape, not only by colour.
        ctx.begin_path();
        for &i in cut {
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
    // A hollow ring is the thinnest mark: projector mode thickens it (inward, so the ring
    // keeps its outer edge).
    let ring = 1.5 * crate::shell::teacher::mark_scale();
    ctx.begin_path();
    for &i in susceptible {
        dot(ctx, pts[i as usize], r - ring / 2.0, false);
    }
    ctx.set_stroke_style_str(COLOUR_UNINFORMED);
    ctx.set_line_width(ring);
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

/// The overlay's marks over the nodes: the selected group, the lasso and the inspected node.
fn marks(ctx: &CanvasRenderingContext2d, pts: &[Point], r: f64, n: u32, overlay: &Overlay) {
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
    (layout.dot_radius_px * 0.6).clamp(0.75, MESSAGE_DOT_PX) * crate::shell::teacher::mark_scale()
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
