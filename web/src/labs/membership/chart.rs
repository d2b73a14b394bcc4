//! The chart: detection times of each crash (first and full, in periods) against the
//! analysis's expected first detection (`gossip_core::theory::swim`), and, summed over time,
//! the false suspicions of healthy members, the healthy members declared dead and the slow
//! node declared dead (apart: Lifeguard is about the first two), for the run and, with
//! `cmp=1`, for the same run with Lifeguard off (dashed). The numbers drawn are also written out in the note under it
//! ([`Summary`]), which a reader (and the e2e tests) can read exactly.

use gossip_core::link::membership::{detector_traffic, Compare};
use gossip_core::node::ProbeOrder;
use gossip_core::sim::{Detection, RoundRecord};
use gossip_core::theory::swim;
use web_sys::CanvasRenderingContext2d;

use crate::chart::{nice_ticks, tick_label, Scale};
use crate::shell::theme;

/// The chart canvas's logical size.
pub const WIDTH: f64 = 640.0;
/// See [`WIDTH`].
pub const HEIGHT: f64 = 240.0;
/// Crashes drawn in the detection panel (the latest ones beyond it are listed in the note).
pub const DETECTIONS_DRAWN_MAX: usize = 8;

/// The expected first detection, in periods, under `order` at `n` nodes (one crashed member
/// among `n`, no loss): the analysis the chart draws its line at.
pub fn expected_first_detection(order: ProbeOrder, n: u32) -> f64 {
    match order {
        ProbeOrder::Uniform => swim::uniform_first_detection_mean(u64::from(n)),
        ProbeOrder::RoundRobin => swim::round_robin_first_detection_mean(u64::from(n)),
    }
}

/// The totals the chart shows for one run. "Healthy" members are those up and not slow when a
/// live node came to hold them suspect or dead (the core's `false_*` minus `false_*_of_slow`):
/// the false positives Lifeguard is built to avoid; the slow node's own are apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Live nodes coming to hold an up member suspect, summed.
    pub false_suspicions: u64,
    /// Live nodes coming to hold an up member dead, summed.
    pub false_deaths: u64,
    /// Of [`Totals::false_suspicions`], those of a slow member.
    pub false_suspicions_of_slow: u64,
    /// Of [`Totals::false_deaths`], those of a slow member.
    pub false_deaths_of_slow: u64,
}

impl Totals {
    /// False suspicions of healthy (up, not slow) members.
    pub fn healthy_suspicions(&self) -> u64 {
        self.false_suspicions - self.false_suspicions_of_slow
    }

    /// Healthy (up, not slow) members declared dead.
    pub fn healthy_deaths(&self) -> u64 {
        self.false_deaths - self.false_deaths_of_slow
    }

    /// `self` with round `r`'s counts added.
    fn add(self, r: &RoundRecord) -> Totals {
        let m = &r.membership;
        Totals {
            false_suspicions: self.false_suspicions + m.false_suspicions,
            false_deaths: self.false_deaths + m.false_deaths,
            false_suspicions_of_slow: self.false_suspicions_of_slow + m.false_suspicions_of_slow,
            false_deaths_of_slow: self.false_deaths_of_slow + m.false_deaths_of_slow,
        }
    }
}

/// The totals over `records`.
pub fn totals(records: &[RoundRecord]) -> Totals {
    records.iter().fold(Totals::default(), Totals::add)
}

/// The chart's three cumulative series after each round: false suspicions of healthy members,
/// healthy members declared dead, and slow members declared dead.
pub fn cumulative(records: &[RoundRecord]) -> [Vec<f64>; 3] {
    let mut t = Totals::default();
    let mut out: [Vec<f64>; 3] = Default::default();
    for r in records {
        t = t.add(r);
        out[0].push(t.healthy_suspicions() as f64);
        out[1].push(t.healthy_deaths() as f64);
        out[2].push(t.false_deaths_of_slow as f64);
    }
    out
}

/// `d` as it stood after `rounds` rounds: a detection that came later is not yet made (the
/// second run is kept at the main run's horizon, which can be past the round viewed).
pub fn detection_at(d: &Detection, rounds: u32) -> Detection {
    let by = |p: Option<u32>| {
        p.filter(|&p| u64::from(d.crash_round) + u64::from(p) <= u64::from(rounds))
    };
    Detection {
        first_detection_periods: by(d.first_detection_periods),
        full_detection_periods: by(d.full_detection_periods),
        ..*d
    }
}

/// The failure detector's bytes per live member per period over `records`
/// ([`gossip_core::link::membership::detector_traffic`]), 0 before any period.
pub fn detector_bytes_per_member(records: &[RoundRecord], heartbeat: bool) -> f64 {
    let bytes: u64 = records
        .iter()
        .map(|r| detector_traffic(r, heartbeat).1)
        .sum();
    let members: u64 = records.iter().map(|r| u64::from(r.live_nodes)).sum();
    if members == 0 {
        0.0
    } else {
        bytes as f64 / members as f64
    }
}

/// What a detection says in the note.
pub fn detection_line(d: &Detection) -> String {
    let first = d
        .first_detection_periods
        .map_or("not yet suspected".to_string(), |p| {
            format!("first detected after {p} period(s)")
        });
    let full = d
        .full_detection_periods
        .map_or("not yet dead at every live node".to_string(), |p| {
            format!("dead at every live node after {p}")
        });
    let restarted = if d.restarted {
        " (restarted before)"
    } else {
        ""
    };
    format!(
        "Node {} crashed at period {}: {first}, {full}{restarted}.",
        d.member, d.crash_round
    )
}

/// What the dashed lines are, after the second run `c`.
pub fn dashed_label(c: Compare) -> &'static str {
    match c {
        Compare::Heartbeat => "dashed: heartbeat gossip",
        _ => "dashed: Lifeguard off",
    }
}

/// Paints both panels; `compare` is the second run's records and [`dashed_label`].
pub fn paint(
    ctx: &CanvasRenderingContext2d,
    detections: &[Detection],
    expected: f64,
    main: &[RoundRecord],
    compare: Option<(&[RoundRecord], &str)>,
) {
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, WIDTH, HEIGHT);
    ctx.set_font(&theme::font(400, 11.0));
    detection_panel(ctx, detections, expected);
    false_panel(ctx, main, compare);
}

const TOP: f64 = 24.0;
const BOTTOM: f64 = HEIGHT - 24.0;

fn title(ctx: &CanvasRenderingContext2d, x: f64, text: &str) {
    ctx.set_fill_style_str(theme::INK);
    let _ = ctx.fill_text(text, x, 14.0);
}

fn axis(ctx: &CanvasRenderingContext2d, x0: f64, x1: f64, y: &Scale, hi: f64) {
    ctx.set_line_width(1.0);
    for v in nice_ticks(0.0, hi, 5) {
        let py = y.map(v);
        ctx.set_stroke_style_str(theme::GRID);
        ctx.begin_path();
        ctx.move_to(x0, py);
        ctx.line_to(x1, py);
        ctx.stroke();
        ctx.set_fill_style_str(theme::INK_MUTED);
        let _ = ctx.fill_text(&tick_label(v), x0 - 24.0, py + 4.0);
    }
}

/// Left: a pair of bars per crash (first detection, full detection) and the expected line.
fn detection_panel(ctx: &CanvasRenderingContext2d, ds: &[Detection], expected: f64) {
    let (x0, x1) = (36.0, 210.0);
    title(ctx, 8.0, "Detection (periods)");
    let shown = &ds[ds.len().saturating_sub(DETECTIONS_DRAWN_MAX)..];
    let hi = shown
        .iter()
        .filter_map(|d| d.full_detection_periods.or(d.first_detection_periods))
        .max()
        .map_or(expected * 2.0, |m| f64::from(m).max(expected * 1.2))
        .max(2.0);
    let y = Scale::new(0.0, hi, BOTTOM, TOP);
    axis(ctx, x0, x1, &y, hi);
    let slot = (x1 - x0) / DETECTIONS_DRAWN_MAX as f64;
    for (i, d) in shown.iter().enumerate() {
        let x = x0 + slot * i as f64 + 2.0;
        for (j, (v, colour)) in [
            (d.first_detection_periods, theme::OLDER),
            (d.full_detection_periods, theme::LOST),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(v) = v {
                let top = y.map(f64::from(v));
                ctx.set_fill_style_str(colour);
                ctx.fill_rect(x + j as f64 * slot * 0.4, top, slot * 0.38, BOTTOM - top);
            }
        }
        ctx.set_fill_style_str(theme::INK_MUTED);
        let _ = ctx.fill_text(&d.member.to_string(), x, BOTTOM + 12.0);
    }
    let py = y.map(expected);
    ctx.set_stroke_style_str(theme::INK);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&6.0.into(), &3.0.into()));
    ctx.begin_path();
    ctx.move_to(x0, py);
    ctx.line_to(x1, py);
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_fill_style_str(theme::INK);
    let _ = ctx.fill_text(&format!("analysis {expected:.2}"), x0 + 2.0, py - 3.0);
}

/// The right panel's sub-panels, top to bottom: their titles (the first also says what the
/// dashed lines are) and colours, one per series of [`cumulative`].
const FALSE_PANELS: [(&str, &str); 3] = [
    ("Healthy members suspected, summed", theme::OLDER),
    ("Healthy members declared dead, summed", theme::LOST),
    ("The slow node declared dead, summed", theme::UNINFORMED),
];

/// Right: the series of [`cumulative`], each on its own scale (deaths are far fewer than
/// suspicions) against periods, solid for the run, dashed for the run without Lifeguard.
fn false_panel(
    ctx: &CanvasRenderingContext2d,
    main: &[RoundRecord],
    compare: Option<(&[RoundRecord], &str)>,
) {
    let (x0, x1) = (280.0, WIDTH - 10.0);
    let m = cumulative(main);
    let c = compare.map(|(c, _)| cumulative(c)).unwrap_or_default();
    let x = Scale::new(0.0, main.len().max(1) as f64, x0, x1);
    let band = (BOTTOM - TOP + 14.0) / FALSE_PANELS.len() as f64;
    for (i, (text, colour)) in FALSE_PANELS.into_iter().enumerate() {
        let top = TOP + band * i as f64;
        ctx.set_fill_style_str(theme::INK);
        let _ = match (i, compare) {
            (0, Some((_, dashed))) => {
                ctx.fill_text(&format!("{text} ({dashed})"), 250.0, top - 8.0)
            }
            _ => ctx.fill_text(text, 250.0, top - 8.0),
        };
        series(
            ctx,
            &x,
            (top + 4.0, top + band - 22.0),
            colour,
            [&m[i], &c[i]],
        );
    }
    ctx.set_fill_style_str(theme::INK_MUTED);
    let _ = ctx.fill_text("period", x1 - 36.0, BOTTOM + 14.0);
}

/// One sub-panel between heights `top` and `bottom`: the run's line and the comparison's.
fn series(
    ctx: &CanvasRenderingContext2d,
    x: &Scale,
    (top, bottom): (f64, f64),
    colour: &str,
    lines: [&[f64]; 2],
) {
    let hi = lines
        .iter()
        .filter_map(|v| v.last().copied())
        .fold(1.0f64, f64::max);
    let y = Scale::new(0.0, hi, bottom, top);
    ctx.set_line_width(1.0);
    for v in nice_ticks(0.0, hi, 3) {
        let py = y.map(v);
        ctx.set_stroke_style_str(theme::GRID);
        ctx.begin_path();
        ctx.move_to(x.map(0.0), py);
        ctx.line_to(x.map(x.invert(WIDTH - 10.0)), py);
        ctx.stroke();
        ctx.set_fill_style_str(theme::INK_MUTED);
        let _ = ctx.fill_text(&tick_label(v), x.map(0.0) - 28.0, py + 4.0);
    }
    for (v, dashed) in lines.into_iter().zip([false, true]) {
        if v.is_empty() {
            continue;
        }
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(2.0);
        let dash = if dashed {
            js_sys::Array::of2(&5.0.into(), &4.0.into())
        } else {
            js_sys::Array::new()
        };
        let _ = ctx.set_line_dash(&dash);
        ctx.begin_path();
        ctx.move_to(x.map(0.0), y.map(0.0));
        for (i, p) in v.iter().enumerate() {
            ctx.line_to(x.map(i as f64 + 1.0), y.map(*p));
        }
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_analysis_line_is_the_papers_value_for_uniform_probing() {
        // SWIM §3.1: e/(e - 1) ≈ 1.58 periods for large N.
        let e = core::f64::consts::E;
        assert!((expected_first_detection(ProbeOrder::Uniform, 1000) - e / (e - 1.0)).abs() < 0.01);
        assert!(expected_first_detection(ProbeOrder::RoundRobin, 32) >= 1.0);
    }

    #[test]
    fn totals_and_cumulative_sums_agree() {
        let mut a = RoundRecord::default();
        a.membership.false_suspicions = 3;
        let mut b = RoundRecord::default();
        b.membership.false_suspicions = 2;
        b.membership.false_deaths = 1;
        b.membership.false_suspicions_of_slow = 1;
        let recs = [a, b];
        let t = totals(&recs);
        assert_eq!(
            t,
            Totals {
                false_suspicions: 5,
                false_deaths: 1,
                false_suspicions_of_slow: 1,
                false_deaths_of_slow: 0,
            }
        );
        assert_eq!((t.healthy_suspicions(), t.healthy_deaths()), (4, 1));
        assert_eq!(
            cumulative(&recs),
            [vec![3.0, 4.0], vec![0.0, 1.0], vec![0.0, 0.0]]
        );
    }
}
