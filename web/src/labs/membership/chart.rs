//! The chart: detection times of each crash (first and full, in periods; the second run's
//! beside them, outlined) against the analysis (`gossip_core::theory::swim`): the expected
//! first detection, and the floor under full detection with suspicion (the analysis gives no
//! expected full detection; see [`full_detection_floor`]); and, summed over time, the false
//! suspicions of healthy members, the healthy members declared dead and, when the run has a
//! slow node, the slow node declared dead (apart: Lifeguard is about the first two), for the
//! run and, with `cmp=`, for the second run (dashed). The numbers drawn are also written out in
//! the note under it, which a reader (and the e2e tests) can read exactly.

use gossip_core::link::membership::{detector_traffic, Compare, Run as RunLink};
use gossip_core::node::{MembershipConfig, ProbeOrder};
use gossip_core::sim::{Action, Detection, RoundRecord};
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

/// Full detection's floor with suspicion, in periods after first detection, for the run's first
/// crash (its accuser holds all `n` members live), and the smallest suspicion timeout in ticks
/// behind it: `theory::swim::full_detection_wait_periods_min`. `None` for basic SWIM, which
/// declares the death at first detection (the floor is first detection itself: no line).
pub fn full_detection_floor(run: &RunLink) -> Option<(u64, u64)> {
    let MembershipConfig::Swim(c) = run.cluster_config().node.membership else {
        return None;
    };
    if !c.suspicion {
        return None;
    }
    let period = c.probe_interval_ticks;
    let min = swim::suspicion_timeout_min(
        f64::from(c.suspicion_alpha),
        u64::from(run.nodes),
        f64::from(period),
    )
    .floor() as u64;
    Some((
        swim::full_detection_wait_periods_min(Some(min), period),
        min,
    ))
}

/// Whether the run makes a node slow (then the chart has the slow node's panel).
pub fn has_slow_node(run: &RunLink) -> bool {
    run.actions
        .iter()
        .any(|(_, a)| matches!(a, Action::Slow { lag_ticks, .. } if *lag_ticks > 0))
}

/// What the chart draws besides the records.
pub struct Figure<'a> {
    /// The run's detections.
    pub detections: &'a [Detection],
    /// The second run's, as they stood at the period viewed ([`detection_at`]).
    pub compare_detections: Vec<Detection>,
    /// The analysis's expected first detection, in periods.
    pub expected: f64,
    /// Full detection's floor in periods after first detection ([`full_detection_floor`]).
    pub full_wait: Option<u64>,
    /// Whether the slow node's panel is drawn ([`has_slow_node`]).
    pub slow: bool,
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
    fig: &Figure<'_>,
    main: &[RoundRecord],
    compare: Option<(&[RoundRecord], &str)>,
) {
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, WIDTH, HEIGHT);
    ctx.set_font(&theme::font(400, 11.0));
    detection_panel(ctx, fig);
    let panels = if fig.slow { 3 } else { 2 };
    false_panel(ctx, main, compare, &FALSE_PANELS[..panels]);
}

/// The bars of one crash: (value, colour, outlined), the run's first and full detection, then
/// the second run's of the same crash (same member and period), outlined.
fn bars(d: &Detection, compare: &[Detection]) -> Vec<(Option<u32>, &'static str, bool)> {
    let mut out = vec![
        (d.first_detection_periods, theme::OLDER, false),
        (d.full_detection_periods, theme::LOST, false),
    ];
    if let Some(c) = compare
        .iter()
        .find(|c| c.member == d.member && c.crash_round == d.crash_round)
    {
        out.push((c.first_detection_periods, theme::OLDER, true));
        out.push((c.full_detection_periods, theme::LOST, true));
    }
    out
}

/// The detection panel's top value: room for every bar and both analysis lines.
fn detection_hi(fig: &Figure<'_>, shown: &[Detection]) -> f64 {
    let lines = fig.expected + fig.full_wait.unwrap_or(0) as f64;
    shown
        .iter()
        .flat_map(|d| bars(d, &fig.compare_detections))
        .filter_map(|(v, ..)| v)
        .max()
        .map_or(lines * 2.0, |m| f64::from(m).max(lines * 1.2))
        .max(lines * 1.1)
        .max(2.0)
}

/// A dashed analysis line across the panel at height `py`, labelled from `x0 + dx` (the two
/// lines' labels start apart, so they do not overlap when the lines are close).
fn analysis_line(
    ctx: &CanvasRenderingContext2d,
    (x0, x1): (f64, f64),
    py: f64,
    label: &str,
    dx: f64,
) {
    ctx.set_stroke_style_str(theme::INK);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&6.0.into(), &3.0.into()));
    ctx.begin_path();
    ctx.move_to(x0, py);
    ctx.line_to(x1, py);
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_fill_style_str(theme::INK);
    let _ = ctx.fill_text(label, x0 + dx, py - 3.0);
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

/// Left: the bars of each crash ([`bars`]) and the analysis lines.
fn detection_panel(ctx: &CanvasRenderingContext2d, fig: &Figure<'_>) {
    let (x0, x1) = (36.0, 210.0);
    title(ctx, 8.0, "Detection (periods)");
    let ds = fig.detections;
    let shown = &ds[ds.len().saturating_sub(DETECTIONS_DRAWN_MAX)..];
    let hi = detection_hi(fig, shown);
    let y = Scale::new(0.0, hi, BOTTOM, TOP);
    axis(ctx, x0, x1, &y, hi);
    // Slots as wide as the crashes shown allow (up to three a panel's width), so that a lone
    // crash's four bars are still wide enough to tell filled from outlined.
    let slot = (x1 - x0) / shown.len().clamp(3, DETECTIONS_DRAWN_MAX) as f64;
    for (i, d) in shown.iter().enumerate() {
        let x = x0 + slot * i as f64 + 2.0;
        let bs = bars(d, &fig.compare_detections);
        let w = (slot - 4.0) / bs.len() as f64;
        for (j, (v, colour, outlined)) in bs.into_iter().enumerate() {
            let Some(v) = v else { continue };
            let top = y.map(f64::from(v));
            let bx = x + j as f64 * w;
            if outlined {
                ctx.set_stroke_style_str(colour);
                ctx.set_line_width(1.5);
                ctx.stroke_rect(bx + 0.75, top + 0.75, w - 2.0, BOTTOM - top - 0.75);
            } else {
                ctx.set_fill_style_str(colour);
                ctx.fill_rect(bx, top, w - 0.5, BOTTOM - top);
            }
        }
        ctx.set_fill_style_str(theme::INK_MUTED);
        let _ = ctx.fill_text(&d.member.to_string(), x, BOTTOM + 12.0);
    }
    let e = fig.expected;
    analysis_line(
        ctx,
        (x0, x1),
        y.map(e),
        &format!("analysis: first {e:.2}"),
        2.0,
    );
    if let Some(w) = fig.full_wait {
        let full = e + w as f64;
        let label = format!("full ≥ {full:.2}");
        analysis_line(ctx, (x0, x1), y.map(full), &label, 96.0);
    }
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
    panels: &[(&str, &str)],
) {
    let (x0, x1) = (280.0, WIDTH - 10.0);
    let m = cumulative(main);
    let c = compare.map(|(c, _)| cumulative(c)).unwrap_or_default();
    let x = Scale::new(0.0, main.len().max(1) as f64, x0, x1);
    let band = (BOTTOM - TOP + 14.0) / panels.len() as f64;
    for (i, &(text, colour)) in panels.iter().enumerate() {
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
        // Wider in projector mode, as every mark is.
        ctx.set_line_width(2.0 * crate::shell::teacher::mark_scale());
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
    fn no_crash_is_dead_everywhere_before_the_analysis_floor_and_without_lifeguard_some_come_close()
    {
        use super::super::run::Run;
        use super::super::url;
        // theory::swim's floor: full >= first + W, W = ceil((min + 1)/T) - 1 periods, min the
        // smallest suspicion timeout (n = 32, alpha = 4, T = 8: 48 ticks, W = 6). Three crashes
        // a run; with Lifeguard off every timer is min, so full detection is the floor plus the
        // spread of the death, a few periods.
        let mut slack_off = Vec::new();
        for seed in 1..=4 {
            for lg in ["on", "off"] {
                let link = format!(
                    "?lab=membership&s=custom&n=32&lg={lg}&seed={seed}&a=3c5_6c9_9c20&r=70"
                );
                let (p, _) = url::parse(&link);
                let run = Run::open(p, Vec::new());
                let (w, min) = full_detection_floor(&run.params.run).unwrap();
                assert_eq!((w, min), (6, 48));
                let ds = run.engine().cluster().views().detections();
                assert_eq!(ds.len(), 3);
                for d in ds {
                    let (f, full) = (
                        d.first_detection_periods.unwrap(),
                        d.full_detection_periods.unwrap(),
                    );
                    assert!(u64::from(full) >= u64::from(f) + w, "{link}: {d:?}");
                    if lg == "off" {
                        slack_off.push(u64::from(full) - u64::from(f) - w);
                    }
                }
            }
        }
        assert!(slack_off.iter().min().unwrap() <= &3, "{slack_off:?}");
        let (p, _) = url::parse("?lab=membership&s=custom&sus=0");
        assert_eq!(
            full_detection_floor(&p.run),
            None,
            "basic SWIM: no floor of its own"
        );
    }

    #[test]
    fn the_slow_panel_is_for_runs_with_a_slow_node() {
        use super::super::url;
        let run = |q: &str| url::parse(q).0.run;
        assert!(has_slow_node(&run("?lab=membership&s=slow")));
        assert!(!has_slow_node(&run("?lab=membership&s=detect")));
        assert!(!has_slow_node(&run("?lab=membership&s=swimhb")));
        assert!(has_slow_node(&run("?lab=membership&s=custom&a=4s3.16")));
    }

    #[test]
    fn the_second_runs_bars_are_those_of_the_same_crash() {
        let d = |member, crash_round, first, full| Detection {
            member,
            crash_round,
            first_detection_periods: first,
            full_detection_periods: full,
            restarted: false,
        };
        let main = d(5, 3, Some(2), Some(9));
        let hb = [d(9, 6, Some(4), None), d(5, 3, Some(5), Some(7))];
        let b = bars(&main, &hb);
        assert_eq!(
            b.iter().map(|x| (x.0, x.2)).collect::<Vec<_>>(),
            [
                (Some(2), false),
                (Some(9), false),
                (Some(5), true),
                (Some(7), true)
            ]
        );
        assert_eq!(bars(&main, &hb[..1]).len(), 2, "no bars for another crash");
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
