//! The cluster canvas: each node's truth (up, crashed, slow) as its dot, how the cluster sees it
//! as a ring around the dot (the share of live nodes holding it alive, suspect, dead or left),
//! and the round's messages travelling (drawn over a copy of the nodes' layer, which is
//! painted again only when the model changes: [`super::paint`]), each kind with its own head shape, trail dash and
//! colour (the legend, [`legend`], says which). Colours are the page's tokens
//! ([`crate::shell::theme`]).

use std::f64::consts::PI;

use gossip_core::net::Sent;
use gossip_core::node::MemberState;
use web_sys::CanvasRenderingContext2d;
use yew::prelude::*;

use super::classify::Kind;
use super::model::Engine;
use crate::layout::{Layout, Point};
use crate::shell::theme;

/// The cluster canvas's logical size.
pub const WIDTH: f64 = 640.0;
/// See [`WIDTH`].
pub const HEIGHT: f64 = 480.0;
/// The margin kept free around the nodes (room for the rings).
pub const MARGIN: f64 = 28.0;

/// A member state's colour, in the rings, the matrix and the inspector.
pub fn state_colour(s: MemberState) -> &'static str {
    match s {
        MemberState::Alive => theme::UNINFORMED,
        MemberState::Suspect => theme::OLDER,
        MemberState::Dead => theme::LOST,
        MemberState::Left => theme::DOWN,
    }
}

/// The states in holder order ([`Engine::holders`]).
pub const STATES: [MemberState; 4] = [
    MemberState::Alive,
    MemberState::Suspect,
    MemberState::Dead,
    MemberState::Left,
];

/// A message kind's colour and trail dash (empty: solid).
pub fn kind_style(k: Kind) -> (&'static str, &'static [f64]) {
    match k {
        Kind::Ping => (theme::MESSAGE_EMPTY, &[]),
        Kind::Ack => (theme::UNINFORMED, &[]),
        Kind::PingReq => (theme::MESSAGES, &[]),
        Kind::RelayedPing => (theme::MESSAGE_EMPTY, &[4.0, 3.0]),
        Kind::RelayedAck => (theme::UNINFORMED, &[4.0, 3.0]),
        Kind::Nack => (theme::LOST, &[2.0, 2.0]),
        Kind::Sync => (theme::INK_MUTED, &[1.0, 3.0]),
        Kind::Other => (theme::AXIS, &[]),
    }
}

/// The layout of `n` nodes on this canvas.
pub fn layout(n: u32) -> Layout {
    Layout::new(n, WIDTH, HEIGHT, MARGIN)
}

/// Paints the nodes (the layer that changes only with the model): the background, every node,
/// and the ring around `inspect`.
pub fn paint_nodes(
    ctx: &CanvasRenderingContext2d,
    e: &Engine,
    layout: &Layout,
    inspect: Option<u32>,
) {
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, WIDTH, HEIGHT);
    // Projector mode draws larger marks over the same layout (hit-testing is unchanged).
    let r = layout.dot_radius_px * crate::shell::teacher::node_scale();
    let ring = (r * 0.6).max(1.5);
    for (i, p) in layout.points.iter().enumerate() {
        node(ctx, e, i as u32, *p, r, ring);
    }
    if let Some(p) = inspect.and_then(|i| layout.points.get(i as usize)) {
        ctx.set_stroke_style_str(theme::SELECTED);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        let _ = ctx.arc(p.x, p.y, r + ring + 4.0, 0.0, 2.0 * PI);
        ctx.stroke();
    }
}

/// One node: the ring of how the cluster holds it, then its dot (the truth).
fn node(ctx: &CanvasRenderingContext2d, e: &Engine, i: u32, p: Point, r: f64, ring: f64) {
    let holders = e.holders(i);
    let total: u32 = holders.iter().sum();
    if total > 0 {
        let mut a = -PI / 2.0;
        ctx.set_line_width(ring);
        for (s, h) in STATES.iter().zip(holders) {
            if h == 0 {
                continue;
            }
            let sweep = 2.0 * PI * f64::from(h) / f64::from(total);
            ctx.set_stroke_style_str(state_colour(*s));
            ctx.begin_path();
            let _ = ctx.arc(p.x, p.y, r + ring / 2.0 + 1.0, a, a + sweep);
            ctx.stroke();
            a += sweep;
        }
    }
    let up = e.is_up(i);
    ctx.set_fill_style_str(if up { theme::INK } else { theme::DOWN });
    ctx.begin_path();
    let _ = ctx.arc(p.x, p.y, r, 0.0, 2.0 * PI);
    ctx.fill();
    if !up {
        // Crashed: a cross over the grey dot.
        ctx.set_stroke_style_str(theme::SURFACE);
        ctx.set_line_width((r / 4.0).max(1.0));
        ctx.begin_path();
        let d = r * 0.6;
        ctx.move_to(p.x - d, p.y - d);
        ctx.line_to(p.x + d, p.y + d);
        ctx.move_to(p.x + d, p.y - d);
        ctx.line_to(p.x - d, p.y + d);
        ctx.stroke();
    } else if e.lag_ticks(i).is_some() {
        // Slow: hollow.
        ctx.set_fill_style_str(theme::SURFACE);
        ctx.begin_path();
        let _ = ctx.arc(p.x, p.y, r * 0.5, 0.0, 2.0 * PI);
        ctx.fill();
    }
}

/// The round's messages on their way at `phase`: a trail from the sender and a head whose
/// shape is the kind's (circle: ping, square: ack, diamond: ping-req, cross: nack).
pub fn messages(ctx: &CanvasRenderingContext2d, e: &Engine, layout: &Layout, phase: f64) {
    let t = e.round_start_tick() as f64 + phase * f64::from(e.period_ticks());
    let head = (layout.dot_radius_px * 0.5).clamp(2.0, 4.0) * crate::shell::teacher::mark_scale();
    for d in e.round_messages() {
        let m = &d.view;
        let (sent, deliver) = (m.sent.0 as f64, m.deliver.0 as f64);
        if t < sent || t >= deliver {
            continue;
        }
        let (Some(a), Some(b)) = (
            layout.points.get(m.from as usize),
            layout.points.get(m.to as usize),
        ) else {
            continue;
        };
        let f = ((t - sent) / (deliver - sent)).clamp(0.0, 1.0);
        let lost = m.fate != Sent::InFlight;
        // A lost message stops half way and shows a cross in the loss colour.
        let f = if lost { f.min(0.5) } else { f };
        let (x, y) = (a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
        let (colour, dash) = kind_style(d.kind);
        let back = (f - 0.25).max(0.0);
        let (tx, ty) = (a.x + (b.x - a.x) * back, a.y + (b.y - a.y) * back);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.5);
        set_dash(ctx, dash);
        ctx.begin_path();
        ctx.move_to(tx, ty);
        ctx.line_to(x, y);
        ctx.stroke();
        set_dash(ctx, &[]);
        shape(ctx, d.kind, x, y, head, colour);
        if lost {
            cross(ctx, x, y, head + 1.0, theme::LOST);
        }
    }
}

fn set_dash(ctx: &CanvasRenderingContext2d, dash: &[f64]) {
    let a = js_sys::Array::new();
    for d in dash {
        a.push(&(*d).into());
    }
    let _ = ctx.set_line_dash(&a);
}

/// A kind's head at `(x, y)`.
pub fn shape(ctx: &CanvasRenderingContext2d, k: Kind, x: f64, y: f64, s: f64, colour: &str) {
    ctx.set_fill_style_str(colour);
    ctx.begin_path();
    match k {
        Kind::Ping | Kind::RelayedPing => {
            let _ = ctx.arc(x, y, s, 0.0, 2.0 * PI);
        }
        Kind::Ack | Kind::RelayedAck => ctx.rect(x - s, y - s, 2.0 * s, 2.0 * s),
        Kind::PingReq => {
            ctx.move_to(x, y - s * 1.3);
            ctx.line_to(x + s * 1.3, y);
            ctx.line_to(x, y + s * 1.3);
            ctx.line_to(x - s * 1.3, y);
            ctx.close_path();
        }
        Kind::Nack => {
            cross(ctx, x, y, s, colour);
            return;
        }
        Kind::Sync | Kind::Other => {
            let _ = ctx.arc(x, y, s * 0.6, 0.0, 2.0 * PI);
        }
    }
    ctx.fill();
}

fn cross(ctx: &CanvasRenderingContext2d, x: f64, y: f64, s: f64, colour: &str) {
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(x - s, y - s);
    ctx.line_to(x + s, y + s);
    ctx.move_to(x + s, y - s);
    ctx.line_to(x - s, y + s);
    ctx.stroke();
}

/// The legend: each message kind's line and head, the node's truth, and the ring's states.
pub fn legend() -> Html {
    let kinds = Kind::ALL[..7].iter().map(|k| {
        let (colour, dash) = kind_style(*k);
        let dash: Vec<String> = dash.iter().map(|d| d.to_string()).collect();
        let head = match k {
            Kind::Ping | Kind::RelayedPing => html! { <circle cx="22" cy="6" r="4" fill={colour} /> },
            Kind::Ack | Kind::RelayedAck => html! { <rect x="18" y="2" width="8" height="8" fill={colour} /> },
            Kind::PingReq => html! { <path d="M22 0 L28 6 L22 12 L16 6 Z" fill={colour} /> },
            Kind::Nack => html! { <path d="M18 2 L26 10 M26 2 L18 10" stroke={colour} stroke-width="2" /> },
            _ => html! { <circle cx="22" cy="6" r="2.5" fill={colour} /> },
        };
        html! {
            <li class="legend-item">
                <svg width="30" height="12" aria-hidden="true">
                    <line x1="0" y1="6" x2="18" y2="6" stroke={colour} stroke-width="2" stroke-dasharray={dash.join(" ")} />
                    { head }
                </svg>
                { k.label() }
            </li>
        }
    });
    let states = STATES.iter().map(|s| {
        let name = match s {
            MemberState::Alive => "held alive",
            MemberState::Suspect => "held suspect",
            MemberState::Dead => "held dead",
            MemberState::Left => "held left",
        };
        html! { <li class="legend-item"><span class="swatch" style={format!("background:{}", state_colour(*s))}></span>{ name }</li> }
    });
    html! {
        <ul id="legend" class="legend">
            { for kinds }
            <li class="legend-item"><span class="swatch" style={format!("background:{}", theme::INK)}></span>{ "up" }</li>
            <li class="legend-item"><span class="swatch" style={format!("background:{}", theme::DOWN)}></span>{ "crashed (cross)" }</li>
            <li class="legend-item"><span class="swatch hollow"></span>{ "slow (hollow)" }</li>
            { for states }
            <li class="legend-item">{ "ring: the share of live nodes holding the node in each state" }</li>
        </ul>
    }
}
