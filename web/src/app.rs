//! The Yew component: one [`App`] struct, one [`Msg`] enum, two canvases behind `NodeRef`s and
//! one `requestAnimationFrame` loop that turns wall-clock time into model rounds through the
//! speed (RaftScope's design). The model is the [`Timeline`]; everything drawn is derived from
//! it and from [`Params`], which the link encodes.

use gloo_events::{EventListener, EventListenerOptions};
use gloo_render::{request_animation_frame, AnimationFrame};
use gossip_core::link::dissemination::Ending;
use gossip_core::net::Direction;
use gossip_core::node::RumorState;
use gossip_core::sim::Action;
use gossip_core::time::Round;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlInputElement,
    HtmlSelectElement, KeyboardEvent, PointerEvent,
};
use yew::prelude::*;

use crate::labs::dissemination::band::{Band, BandPoint, KernelConfig, BAND_TRIALS};
use crate::labs::dissemination::bounds::Sweep;
use crate::labs::dissemination::draw;
use crate::labs::dissemination::model::{
    self, informed_series, Engine, NodeState, RUMOR_KEY, TICKS_PER_ROUND,
};
use crate::labs::dissemination::params::{
    kernel_mode, mode_title, Params, Protocol, Scenario, StopRule, GOSSIP_INTERVAL_TICKS_MAX,
    LATENCY_TICKS_MAX, NODES_MAX, RUMOR_K_MAX, SPEEDS,
};
use crate::labs::dissemination::url;
use crate::layout::{Layout, Point};
use crate::select;
use crate::shell::timeline::{Timeline, ROUNDS_LIMIT};

/// "New seed" draws a seed from 1 to this: nine digits keep a link short.
const SEED_NEW_MAX: u64 = 1_000_000_000;
/// Canvas sizes in canvas pixels (CSS scales them to the page width).
const CANVAS_WIDTH_PX: u32 = 640;
const CANVAS_HEIGHT_PX: u32 = 480;
const CANVAS_MARGIN_PX: f64 = 24.0;
const CHART_WIDTH_PX: u32 = 640;
/// How long the messages of a round take to travel after a manual step.
const STEP_ANIMATION_MS: f64 = 600.0;
/// Above this playback rate messages are not animated: nobody can follow them, and skipping
/// them keeps large clusters at frame rate.
const ANIMATED_ROUNDS_PER_S_MAX: f64 = 12.0;
/// Rounds one frame may compute while playing, whatever the budget below allows.
const ROUNDS_PER_FRAME_MAX: u32 = 8;
/// Wall-clock time one animation frame may spend stepping the model while playing. A frame at
/// 60 fps lasts 16.7 ms; drawing and the DOM need the rest. When the model cannot keep up with
/// the chosen speed (10,000 nodes at 64x), the rounds owed are dropped, not carried over, so
/// the page keeps its frame rate and plays slower than asked, and the page says so.
const MODEL_BUDGET_MS_PER_FRAME: f64 = 8.0;
/// Frames in a row that must keep up before "Speed limited" goes away (about half a second): a
/// model near its budget keeps up in some frames and not in others, and the notice must not
/// flicker with them.
const LIMITED_CLEAR_FRAMES: u32 = 30;
/// A frame longer than this (a hidden tab, a debugger) counts as this long.
const FRAME_GAP_MAX_MS: f64 = 250.0;
/// Time a frame may spend on the trials band.
const BAND_BUDGET_MS: f64 = 6.0;
/// Frame times kept for `window.gossipLabStats`.
const STATS_FRAMES_MAX: u32 = 4000;
/// Theory curves are computed this far; the chart shows a prefix.
const THEORY_ROUNDS_MAX: usize = 5_000;
/// The address bar is updated at most this often while stepping or scrubbing.
const URL_SYNC_INTERVAL_MS: f64 = 250.0;
/// The x axis shows at least this many rounds.
const CHART_ROUNDS_MIN: u32 = 10;

/// What the user (or the clock) can do.
pub enum Msg {
    /// Run one round forward.
    Step,
    /// Go one round back.
    Back,
    /// Start or stop playing.
    TogglePlay,
    /// Back to round 0, same parameters and seed.
    Reset,
    /// Go to a round (the timeline slider).
    Seek(u32),
    /// Change a parameter by its link name (validated as the link is).
    Param(&'static str, String),
    /// Pick a scenario.
    Scenario(String),
    /// A fresh random seed.
    NewSeed,
    /// Show or hide the band of trials.
    ToggleBand,
    /// An animation frame at this timestamp (ms).
    Frame(f64),
    /// A key pressed outside form fields.
    Key(String),
    /// A pointer pressed on the cluster canvas, in canvas pixels; whether it is a mouse (which
    /// may draw a lasso) and whether Shift is held.
    PointerDown(f64, f64, bool, bool),
    /// The pointer moved (drawing a lasso while pressed).
    PointerMove(f64, f64),
    /// The pointer released: a click (inspect, or with Shift toggle the node in the group) or
    /// the end of a lasso (add the nodes inside to the group).
    PointerUp(f64, f64, bool),
    /// Crash the inspected node.
    Kill(u32),
    /// Restart the inspected node, empty.
    Revive(u32),
    /// Write the value in the write field under the key in the key field at this node.
    Write(u32),
    /// The key field of the write form.
    WriteKey(String),
    /// The value field of the write form.
    WriteValue(String),
    /// Track another key.
    TrackKey(String),
    /// Cut the selected group off from the rest.
    Cut(Direction),
    /// Remove the partition.
    Heal,
    /// Forget the selected group.
    ClearGroup,
    /// Open or close the help overlay.
    ToggleHelp,
    /// Copy the permalink.
    CopyLink,
    /// The clipboard took the link (`true`) or refused it.
    Copied(bool),
    /// Download the chart data as CSV.
    ExportCsv,
    /// Download the cluster canvas as PNG.
    ExportPng,
    /// Hide the notices.
    DismissNotices,
    /// The window was resized: canvases shown at another size repaint (their text scale).
    Resized,
    /// Turn the select mode on or off: while on, a tap or click adds or removes a node from
    /// the group and any drag (touch too) draws a lasso, so a partition can be drawn by touch.
    ToggleSelectMode,
}

/// The whole app.
pub struct App {
    params: Params,
    notices: Vec<String>,
    restart_note: Option<String>,
    timeline: Timeline<Engine>,
    layout: Layout,
    recurrence: Vec<f64>,
    logistic: Vec<f64>,
    /// Rumor mongering's predicted final informed fraction, `1 - s`.
    asymptote: Option<f64>,
    /// Rounds until the recurrence is within half a node of everyone (sizes the x axis).
    theory_rounds: u32,
    band: Option<Band>,
    band_summary: Vec<BandPoint>,
    /// The push/pull scenario's kernel runs of the three modes (empty otherwise).
    modes: Vec<(&'static str, Vec<f64>)>,
    canvas: NodeRef,
    chart: NodeRef,
    playing: bool,
    /// The part of the next round already elapsed while playing.
    play_acc: f64,
    /// The phase of the current round's message animation, if one is running.
    anim: Option<f64>,
    last_ts: Option<f64>,
    frame: Option<AnimationFrame>,
    reduced_motion: bool,
    help: bool,
    selected: Option<u32>,
    /// Nodes selected for a partition, sorted.
    group: Vec<u32>,
    /// The lasso being drawn (empty when none), and whether a pointer is down.
    lasso: Vec<Point>,
    pointer_down: bool,
    select_mode: bool,
    write_key: String,
    write_value: String,
    /// Whether the last frames had to drop model time (the speed shown is not reached).
    limited: bool,
    /// Frames in a row that kept up since the last one that did not.
    kept_up_frames: u32,
    announce: String,
    link: Option<String>,
    /// What became of the last Copy link: `None` while the clipboard has not answered.
    copied: Option<bool>,
    cluster_dirty: bool,
    chart_dirty: bool,
    /// The canvas elements last painted, and their CSS widths: a render that replaces a canvas
    /// element (or resizes it) leaves it blank, so a different element or size repaints.
    painted_cluster: Option<(HtmlCanvasElement, i32)>,
    painted_chart: Option<(HtmlCanvasElement, i32)>,
    painted_bounds: Option<(HtmlCanvasElement, i32)>,
    /// The convergence-bounds sweep (the bounds scenario only), its canvas and whether it needs
    /// painting.
    sweep: Option<Sweep>,
    bounds_canvas: NodeRef,
    bounds_dirty: bool,
    first_paint_done: bool,
    /// Start of the frame whose DOM update is pending, for the frame-time statistics.
    work_t0: Option<f64>,
    /// Pixel buffer reused by the drawing of large clusters.
    pixels: Vec<u8>,
    stats: Option<js_sys::Object>,
    /// When the address bar was last updated, and whether an update is owed (stepping fast
    /// would otherwise replace the history entry on every key repeat, which browsers throttle).
    url_synced_ms: f64,
    url_pending: bool,
    /// Where the focus was before the help opened, and whether focus must move after the next
    /// render (into the help when it opened, back when it closed).
    focus_before: Option<web_sys::HtmlElement>,
    focus_pending: bool,
    /// A click opened the inspector: bring it into view after the next render if it is below
    /// the fold (on a laptop it opens under the canvas, out of sight).
    reveal_inspector: bool,
    _keys: Option<EventListener>,
    _resize: Option<EventListener>,
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn context(canvas: &NodeRef) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let canvas = canvas.cast::<HtmlCanvasElement>()?;
    let ctx = canvas.get_context("2d").ok()??;
    let ctx = ctx.dyn_into::<CanvasRenderingContext2d>().ok()?;
    Some((canvas, ctx))
}

/// Escapes a form value for splicing into a query string.
fn escape(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '%' | '&' | '=' | '+' | '#' | '?' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

fn set_stat(stats: &js_sys::Object, key: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(stats, &key.into(), v);
}

fn push_stat(stats: &js_sys::Object, key: &str, v: f64) {
    if let Ok(a) = js_sys::Reflect::get(stats, &key.into()) {
        let a: js_sys::Array = a.unchecked_into();
        if a.length() >= STATS_FRAMES_MAX {
            a.shift();
        }
        a.push(&v.into());
    }
}

fn download(href: &str, name: &str) {
    let Some(doc) = window().document() else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let a: HtmlAnchorElement = a.unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
}

impl App {
    fn from_params(params: Params, notices: Vec<String>) -> App {
        // Params from the codec are within their limits, so the configuration is valid; if a
        // bug let a bad one through, the defaults keep the page alive and the notice says so.
        let (params, notices, timeline) =
            match model::start(params.config(), params.actions.clone()) {
                Ok(t) => (params, notices, t),
                Err(e) => {
                    let mut notices = notices;
                    notices.push(format!("{e}; using the defaults."));
                    let d = Params::default();
                    let t = model::start(d.config(), Vec::new()).expect("defaults are valid");
                    (d, notices, t)
                }
            };
        let reduced_motion = window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        let mut app = App {
            layout: Layout::new(
                params.nodes,
                f64::from(CANVAS_WIDTH_PX),
                f64::from(CANVAS_HEIGHT_PX),
                CANVAS_MARGIN_PX,
            ),
            params,
            notices,
            restart_note: None,
            timeline,
            recurrence: Vec::new(),
            logistic: Vec::new(),
            asymptote: None,
            theory_rounds: 0,
            band: None,
            band_summary: Vec::new(),
            modes: Vec::new(),
            canvas: NodeRef::default(),
            chart: NodeRef::default(),
            playing: false,
            play_acc: 0.0,
            anim: None,
            last_ts: None,
            frame: None,
            reduced_motion,
            help: false,
            selected: None,
            group: Vec::new(),
            lasso: Vec::new(),
            pointer_down: false,
            select_mode: false,
            write_key: RUMOR_KEY.to_string(),
            write_value: "2".to_string(),
            limited: false,
            kept_up_frames: 0,
            announce: String::new(),
            link: None,
            copied: None,
            cluster_dirty: true,
            chart_dirty: true,
            painted_cluster: None,
            painted_chart: None,
            painted_bounds: None,
            sweep: None,
            bounds_canvas: NodeRef::default(),
            bounds_dirty: true,
            first_paint_done: false,
            work_t0: None,
            pixels: Vec::new(),
            stats: None,
            url_synced_ms: f64::NEG_INFINITY,
            url_pending: false,
            focus_before: None,
            focus_pending: false,
            reveal_inspector: false,
            _keys: None,
            _resize: None,
        };
        app.rebuild_derived();
        let key = app.params.key.clone();
        app.timeline.set_lens(&key.as_bytes().to_vec());
        app.write_key = key;
        let target = app.params.round;
        let reached = app.timeline.goto(target);
        if reached != target {
            app.notices.push(format!(
                "Parameter r={target}: the run ends at round {reached}; showing round {reached}."
            ));
            app.params.round = reached;
        }
        app
    }

    /// Recomputes what depends on the run's parameters: theory curves and the band.
    fn rebuild_derived(&mut self) {
        let p = &self.params;
        if let Some(mode) = kernel_mode(p.mode) {
            let (n, k) = (f64::from(p.nodes), f64::from(p.fanout));
            self.recurrence =
                gossip_core::theory::informed_curve(mode, n, k, p.loss(), THEORY_ROUNDS_MAX);
            // Serf's curve with no failed nodes (crashes are the user's, not the model's).
            self.logistic = (0..=THEORY_ROUNDS_MAX)
                .map(|x| gossip_core::theory::serf_logistic(n, k, p.loss(), 0.0, x as f64))
                .collect();
            self.asymptote = None;
            let target = 1.0 - 0.5 / f64::from(p.nodes);
            self.theory_rounds = self
                .recurrence
                .iter()
                .position(|&f| f >= target)
                .unwrap_or(THEORY_ROUNDS_MAX) as u32;
        } else {
            // The published residue is for feedback; blind rumor mongering has no such line.
            self.recurrence.clear();
            self.logistic.clear();
            self.asymptote = p
                .stop
                .is_feedback()
                .then(|| 1.0 - gossip_core::theory::residue(f64::from(p.rumor_k)));
            self.theory_rounds = 0;
        }
        self.band = p.band.then(|| Band::new(p.kernel_config(), BAND_TRIALS));
        self.band_summary.clear();
        self.modes = match (p.scenario, p.kernel_config()) {
            (Scenario::PushPull, KernelConfig::Epidemic(c)) => {
                crate::labs::dissemination::band::mode_curves(c)
            }
            _ => Vec::new(),
        };
        // The sweep depends on the seed only; a new seed or another scenario recomputes it.
        let want = (p.scenario == Scenario::Bounds).then_some(p.seed);
        if self.sweep.as_ref().map(|s| s.seed()) != want {
            self.sweep = want.map(Sweep::new);
            self.bounds_dirty = true;
        }
        self.chart_dirty = true;
        self.cluster_dirty = true;
    }

    /// Starts the run again from round 0 with new parameters (same seed unless changed), and
    /// says so on the page.
    fn restart(&mut self, mut params: Params, why: String) {
        params.round = 0;
        params.embed = self.params.embed;
        if params.nodes != self.params.nodes {
            self.layout = Layout::new(
                params.nodes,
                f64::from(CANVAS_WIDTH_PX),
                f64::from(CANVAS_HEIGHT_PX),
                CANVAS_MARGIN_PX,
            );
        }
        match model::start(params.config(), params.actions.clone()) {
            Ok(t) => self.timeline = t,
            Err(e) => {
                self.notices.push(format!("{e}; parameters unchanged."));
                return;
            }
        }
        self.params = params;
        self.playing = false;
        self.anim = None;
        self.selected = None;
        self.group.clear();
        self.rebuild_derived();
        let key = self.params.key.clone();
        self.timeline.set_lens(&key.as_bytes().to_vec());
        self.restart_note = Some(format!(
            "{why}: restarted from round 0 with seed {}.",
            self.params.seed
        ));
        self.sync_url();
    }

    fn engine(&self) -> &Engine {
        self.timeline.model()
    }

    fn status(&self) -> String {
        format!(
            "Round {} · informed {}/{}",
            self.timeline.round(),
            self.engine().informed_count(),
            self.params.nodes
        )
    }

    /// Whether this run can drop messages: it has loss, or its actions cut a partition.
    fn drops_possible(&self) -> bool {
        self.params.loss_percent > 0
            || self
                .params
                .actions
                .iter()
                .any(|(_, a)| matches!(a, Action::Partition { .. }))
    }

    /// Whether the embed's Play is a Replay: the run is complete, past round 0, and not playing.
    fn embed_replays(&self) -> bool {
        self.params.embed
            && !self.playing
            && !self.timeline.can_advance()
            && self.timeline.round() > 0
    }

    fn animate_messages(&self) -> bool {
        !self.reduced_motion
            && (!self.playing || self.params.rounds_per_s() <= ANIMATED_ROUNDS_PER_S_MAX)
    }

    /// After the viewed round changed by a user action.
    fn moved(&mut self, stepped_forward: bool) {
        self.params.round = self.timeline.round();
        self.sync_url_soon();
        self.anim = (stepped_forward && self.animate_messages()).then_some(0.0);
        self.cluster_dirty = true;
        self.chart_dirty = true;
        let e = self.engine();
        self.announce = format!(
            "Round {}: {} of {} nodes informed.",
            e.round(),
            e.informed_count(),
            self.params.nodes
        );
    }

    /// This run's link (see [`url::encode`]), or why its actions cannot be put in one.
    fn permalink(&self, embed: bool) -> Result<String, String> {
        let loc = window().location();
        let base = format!(
            "{}{}",
            loc.origin().unwrap_or_default(),
            loc.pathname().unwrap_or_default()
        );
        let mut p = self.params.clone();
        p.round = self.timeline.round();
        p.embed = embed;
        url::encode(&p)
            .map(|q| format!("{base}{q}"))
            .map_err(|e| format!("this run's actions do not fit in a link ({e})"))
    }

    fn sync_url(&mut self) {
        let href = match self.permalink(self.params.embed) {
            Ok(href) => href,
            Err(e) => {
                self.notices
                    .push(format!("The address bar was not updated: {e}."));
                return;
            }
        };
        if let Ok(h) = window().history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&href));
        }
        self.url_synced_ms = now_ms();
        self.url_pending = false;
    }

    /// Updates the address bar now, or, within [`URL_SYNC_INTERVAL_MS`] of the last update, in
    /// a later frame: stepping, going back and scrubbing keep it following the round.
    fn sync_url_soon(&mut self) {
        if now_ms() - self.url_synced_ms >= URL_SYNC_INTERVAL_MS {
            self.sync_url();
        } else {
            self.url_pending = true;
        }
    }

    fn ensure_loop(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ts| {
                link.send_message(Msg::Frame(ts))
            }));
        }
    }

    fn needs_frames(&self) -> bool {
        self.playing
            || self.anim.is_some()
            || self.band.as_ref().is_some_and(|b| !b.is_done())
            || self.sweep.as_ref().is_some_and(|s| !s.is_done())
            || !self.first_paint_done
            || self.url_pending
    }

    /// Marks a canvas dirty when the element on the page is not the one last painted, or its
    /// size changed: either leaves it blank (or stale) whatever the model did.
    fn check_canvases(&mut self) {
        let same = |r: &NodeRef, last: &Option<(HtmlCanvasElement, i32)>| match (
            r.cast::<HtmlCanvasElement>(),
            last,
        ) {
            (Some(c), Some((l, w))) => c == *l && c.client_width() == *w,
            _ => false,
        };
        if !same(&self.canvas, &self.painted_cluster) {
            self.cluster_dirty = true;
        }
        if !same(&self.chart, &self.painted_chart) {
            self.chart_dirty = true;
        }
        if !same(&self.bounds_canvas, &self.painted_bounds) {
            self.bounds_dirty = true;
        }
    }

    fn paint(&mut self) {
        if self.cluster_dirty || self.anim.is_some() {
            if let Some((_, ctx)) = context(&self.canvas) {
                draw::cluster(
                    &ctx,
                    f64::from(CANVAS_WIDTH_PX),
                    f64::from(CANVAS_HEIGHT_PX),
                    &self.layout,
                    self.timeline.model(),
                    &draw::Overlay {
                        phase: self.anim,
                        selected: self.selected,
                        group: &self.group,
                        lasso: &self.lasso,
                        drops_still: self.reduced_motion && !self.playing,
                    },
                    &mut self.pixels,
                );
                self.cluster_dirty = false;
                self.painted_cluster = self
                    .canvas
                    .cast::<HtmlCanvasElement>()
                    .map(|c| (c.clone(), c.client_width()));
            }
        }
        if self.chart_dirty {
            if let Some((c, ctx)) = context(&self.chart) {
                let s = draw::font_scale(f64::from(c.width()), f64::from(c.client_width()));
                let n = f64::from(self.params.nodes);
                let run: Vec<f64> = informed_series(&self.timeline, self.engine().key())
                    .into_iter()
                    .map(|i| f64::from(i) / n)
                    .collect();
                let messages: Vec<u64> = self
                    .timeline
                    .records()
                    .iter()
                    .map(|r| r.messages_sent)
                    .collect();
                let band_len = self
                    .modes
                    .iter()
                    .map(|(_, c)| c.len())
                    .chain([self.band_summary.len()])
                    .max()
                    .unwrap_or(0)
                    .saturating_sub(1) as u32;
                let shown = self
                    .timeline
                    .horizon()
                    .max(band_len)
                    .max(self.theory_rounds + 1)
                    .max(CHART_ROUNDS_MIN);
                let data = draw::ChartData {
                    run: &run,
                    messages: &messages,
                    round: self.timeline.round(),
                    recurrence: &self.recurrence,
                    logistic: &self.logistic,
                    asymptote: self.asymptote,
                    band: self.band.as_ref().map(|_| self.band_summary.as_slice()),
                    rounds_shown: shown,
                    modes: &self.modes,
                };
                // Set here, not in the markup, since it depends on the width the canvas is shown
                // at (Yew leaves the attribute alone after the first render).
                let height = draw::chart_height_px(f64::from(CHART_WIDTH_PX), &data, s);
                if c.height() != height {
                    c.set_height(height);
                }
                draw::chart(&ctx, f64::from(CHART_WIDTH_PX), f64::from(height), &data, s);
                self.chart_dirty = false;
                self.painted_chart = self
                    .chart
                    .cast::<HtmlCanvasElement>()
                    .map(|c| (c.clone(), c.client_width()));
            }
        }
        if self.bounds_dirty {
            if let (Some((c, ctx)), Some(sweep)) = (context(&self.bounds_canvas), &self.sweep) {
                let s = draw::font_scale(f64::from(c.width()), f64::from(c.client_width()));
                let height = draw::bounds_height_px(s);
                if c.height() != height {
                    c.set_height(height);
                }
                draw::bounds(
                    &ctx,
                    f64::from(c.width()),
                    f64::from(height),
                    sweep.points(),
                    s,
                );
                self.bounds_dirty = false;
                self.painted_bounds = Some((c.clone(), c.client_width()));
            }
        }
        if !self.first_paint_done && self.canvas.get().is_some() {
            self.first_paint_done = true;
            if let Some(s) = &self.stats {
                set_stat(s, "firstFrameMs", &now_ms().into());
            }
        }
    }

    /// What the chart's curves besides the run are, in words (the legend names them).
    fn chart_note(&self) -> String {
        let mut out = String::new();
        if !self.modes.is_empty() {
            out.push_str("The thin push, pull and push-pull lines are one run of each mode on the fast kernel with the same nodes, fanout, loss and seed; the solid orange line is the selected mode on the cluster simulator. ");
        }
        if !self.logistic.is_empty() {
            out.push_str("Serf logistic (dotted): the formula of HashiCorp Serf's convergence simulator, 1/(1 + (n + 1)e^(-beta x)) with beta = fanout (1 - loss)(1 - failed)/2 (failed = 0 here), a continuous-time approximation; it rises more slowly than the synchronous push and pull rounds simulated here, so it lags them.");
        }
        out
    }

    fn csv(&self) -> String {
        let n = f64::from(self.params.nodes);
        let link = self
            .permalink(false)
            .unwrap_or_else(|e| format!("(none: {e})"));
        let mut out = self.params.csv_preamble(&link);
        out.push_str(
            "round,informed,informed_fraction,messages,lost,duplicates,recurrence,logistic,band_mean,band_p5,band_p95\n",
        );
        let rows = self
            .timeline
            .horizon()
            .max(self.band_summary.len().saturating_sub(1) as u32);
        let series = informed_series(&self.timeline, self.engine().key());
        for r in 0..=rows {
            let rec = (r >= 1)
                .then(|| self.timeline.records().get(r as usize - 1))
                .flatten();
            let cell = |v: Option<String>| v.unwrap_or_default();
            let informed = series.get(r as usize).copied();
            let b = self.band_summary.get(r as usize);
            out.push_str(&format!(
                "{r},{},{},{},{},{},{},{},{},{},{}\n",
                cell(informed.map(|i| i.to_string())),
                cell(informed.map(|i| format!("{:.6}", f64::from(i) / n))),
                cell(
                    rec.map(|x| x.messages_sent.to_string())
                        .or((r == 0).then(|| "0".into()))
                ),
                cell(
                    rec.map(|x| x.messages_lost.to_string())
                        .or((r == 0).then(|| "0".into()))
                ),
                cell(
                    rec.map(|x| x.messages_redundant.to_string())
                        .or((r == 0).then(|| "0".into()))
                ),
                cell(self.recurrence.get(r as usize).map(|v| format!("{v:.6}"))),
                cell(self.logistic.get(r as usize).map(|v| format!("{v:.6}"))),
                cell(b.map(|p| format!("{:.6}", p.mean))),
                cell(b.map(|p| format!("{:.6}", p.p5))),
                cell(b.map(|p| format!("{:.6}", p.p95))),
            ));
        }
        out
    }

    /// The inspected node's state (keys, versions, learning rounds, rumor state, counters) and
    /// what can be done to it.
    fn inspector(&self, ctx: &Context<Self>) -> Option<Html> {
        let i = self.selected?;
        let link = ctx.link();
        let e = self.engine();
        let c = e.cluster();
        let tpr = c.config().ticks_per_round;
        let round_of = |t: gossip_core::time::Tick| t.round(tpr).0;
        let Some(node) = c.node(i) else {
            return Some(html! {
                <div id="inspector" class="inspector">
                    <p id="inspector-head">{ format!("Node {i}: down (crashed); its state is gone. Restarting brings it back empty, and it relearns by gossip.") }</p>
                    <div class="controls wrap">
                        <button id="revive" onclick={link.callback(move |_| Msg::Revive(i))}>{ "Restart (empty)" }</button>
                    </div>
                </div>
            });
        };
        let key = e.key();
        let name = String::from_utf8_lossy(key).into_owned();
        // What a node holds was either written there (at the round the write was applied) or
        // learned by gossip during a round, counted from 1 like the status line's rounds.
        let when = |entry: &gossip_core::store::Entry| {
            if entry.version().origin == i && entry.learned() == entry.version().tick() {
                format!("wrote it at round {}", round_of(entry.learned()))
            } else {
                format!("learned it in round {}", round_of(entry.learned()) + 1)
            }
        };
        let head = match (e.state(i), node.store().get(key)) {
            (NodeState::Informed | NodeState::Removed, Some(entry)) => {
                if entry.version().origin == i {
                    format!(
                        "Node {i}: the source of the newest {name}: it {}.",
                        when(entry)
                    )
                } else {
                    format!("Node {i}: holds the newest {name}: it {}.", when(entry))
                }
            }
            (NodeState::Older, Some(entry)) => {
                format!(
                    "Node {i}: holds an older {name}, not the newest: it {}.",
                    when(entry)
                )
            }
            _ => format!("Node {i}: not informed yet of {name}."),
        };
        let rumor_mode = matches!(c.config().node.mode, gossip_core::node::Mode::Rumor(_));
        let rows = node.store().iter().map(|(k, entry)| {
            let v = entry.version();
            let value = entry.value().map_or("(deleted)".to_string(), |x| {
                String::from_utf8_lossy(x).into_owned()
            });
            let rumor = match node.rumor(k) {
                _ if !rumor_mode => "anti-entropy: always spread".to_string(),
                Some(r) if r.version == v => match r.state {
                    RumorState::Infective { count } => format!("infective, counter {count}"),
                    RumorState::Removed => "removed".to_string(),
                },
                _ => "removed".to_string(),
            };
            html! {
                <tr>
                    <td>{ String::from_utf8_lossy(k).into_owned() }</td>
                    <td>{ value }</td>
                    <td>{ format!("node {} @ round {}", v.origin, round_of(v.tick())) }</td>
                    <td>{ when(entry) }</td>
                    <td>{ rumor }</td>
                </tr>
            }
        });
        let k = node.counters();
        let counters = format!(
            "Sent {} · received {} ({} data, {} redundant) · new entries {} · rumors removed {}",
            k.messages_sent,
            k.messages_received,
            k.data_messages_received,
            k.data_messages_redundant,
            k.entries_new,
            k.rumor.rumors_removed
        );
        let on_key = link.callback(|ev: Event| {
            Msg::WriteKey(ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        let on_value = link.callback(|ev: Event| {
            Msg::WriteValue(ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        Some(html! {
            <div id="inspector" class="inspector">
                <p id="inspector-head">{ head }</p>
                <table class="store">
                    <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "version: writer @ round" }</th><th>{ "here" }</th><th>{ "rumor" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                <p class="hint">{ counters }</p>
                <div class="controls wrap">
                    <button id="kill" onclick={link.callback(move |_| Msg::Kill(i))}>{ "Crash" }</button>
                    <label>{ "key " }<input id="write-key" type="text" size="8" value={self.write_key.clone()} onchange={on_key} /></label>
                    <label>{ "value " }<input id="write-value" type="text" size="6" value={self.write_value.clone()} onchange={on_value} /></label>
                    <button id="write" onclick={link.callback(move |_| Msg::Write(i))}>{ "Write" }</button>
                </div>
                <p class="hint">{ format!("Actions happen at the start of round {} and are kept in the link; acting at an earlier round than the last computed one discards the later recorded actions.", e.round()) }</p>
            </div>
        })
    }

    /// Records `action` at the round being viewed (forking the timeline if the future was
    /// computed) and says what happened; returns whether the cluster accepted it.
    fn act(&mut self, action: Action, what: String) -> bool {
        self.playing = false;
        // A round half run by playback is finished first, so `r` is the round acted at.
        self.timeline.settle();
        let r = self.timeline.round();
        // An action the link could not carry is refused here, never dropped from the link
        // later (the link, the cluster's schedule and its history share one limit).
        if let Err(e) = self.params.run().can_record(Round(u64::from(r)), &action) {
            self.notices.push(format!(
                "{what} at round {r}: refused, the link cannot hold more actions ({e})."
            ));
            return false;
        }
        let computed = self.timeline.horizon() > r;
        match self.timeline.act(action) {
            Ok(dropped) => {
                if dropped > 0 {
                    self.notices.push(format!(
                        "{what} at round {r}: the timeline forked; {dropped} recorded action(s) after round {r} were discarded."
                    ));
                } else if computed {
                    self.restart_note = Some(format!(
                        "{what} at round {r}: the rounds computed after it were discarded."
                    ));
                }
                self.params.actions = self.timeline.actions().to_vec();
                if !url::key_is_written(&self.params.key, &self.params.actions) {
                    // The fork discarded every write of the tracked key.
                    let old = std::mem::replace(&mut self.params.key, RUMOR_KEY.to_string());
                    self.timeline.set_lens(&RUMOR_KEY.as_bytes().to_vec());
                    self.notices.push(format!(
                        "No recorded action writes \"{old}\" any more, so the view tracks {RUMOR_KEY} again."
                    ));
                }
                self.params.round = r;
                self.anim = None;
                self.cluster_dirty = true;
                self.chart_dirty = true;
                self.announce = format!("{what} at round {r}.");
                self.sync_url();
                true
            }
            Err(e) => {
                self.notices
                    .push(format!("{what} at round {r}: refused ({e})."));
                false
            }
        }
    }

    fn apply_param(&mut self, key: &'static str, value: &str) {
        let base = match url::encode(&self.params) {
            Ok(q) => q,
            Err(e) => {
                self.notices.push(format!("Not changed: {e}."));
                return;
            }
        };
        let q = format!("{base}&{key}={}", escape(value));
        // A run that departs from its scenario's parameters is read as a custom one, and a
        // notice (param "s") says so (`Run::fits_scenario`).
        let (mut p, notices) = url::parse(&q);
        // The page's own link always holds a valid action list; one that no longer decodes
        // names nodes the new cluster lacks, which the one message below says.
        let mut actions_invalid = false;
        for n in notices {
            if n.param == "a" {
                actions_invalid = true;
            } else {
                self.notices.push(url::field_message(&n, key));
            }
        }
        p.round = 0;
        let run_changed = !p.same_run(&self.params);
        if run_changed
            && (actions_invalid
                || (!p.actions.is_empty()
                    && gossip_core::script::encode(&p.actions, &url::script_limits(p.nodes))
                        .is_err()))
        {
            // Fewer nodes than the recorded actions name: the list cannot be replayed (or
            // linked), so it goes, and the page says so, once.
            self.notices.push(format!(
                "Nodes: the {} recorded action(s) name nodes that a cluster of {} does not have; they were dropped.",
                self.params.actions.len(),
                p.nodes
            ));
            p.actions.clear();
        }
        if run_changed {
            let shown = match key {
                "m" => p.mode.key().to_string(),
                "stop" => p.stop.key().to_string(),
                "rk" => p.rumor_k.to_string(),
                "n" => p.nodes.to_string(),
                "k" => p.fanout.to_string(),
                "loss" => format!("{} %", p.loss_percent),
                "seed" => p.seed.to_string(),
                "lat" => format!("{} ticks", p.latency_min),
                "latmax" => format!("{} ticks", p.latency_max),
                "gi" => format!("{} ticks", p.gossip_ticks),
                _ => value.to_string(),
            };
            let name = match key {
                "n" => "nodes",
                "k" => "fanout",
                "m" => "mode",
                "loss" => "loss",
                "seed" => "seed",
                "stop" => "stop rule",
                "rk" => "k",
                "lat" => "shortest latency",
                "latmax" => "longest latency",
                "gi" => "gossip interval",
                other => other,
            };
            self.restart(p, format!("Changed {name} to {shown}"));
        } else {
            let round = self.timeline.round();
            self.params = Params { round, ..p };
            self.sync_url();
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let search = window().location().search().unwrap_or_default();
        let (params, notices) = url::parse(&search);
        let mut app = App::from_params(params, notices.iter().map(|n| n.to_string()).collect());
        let stats = js_sys::Object::new();
        set_stat(&stats, "frameIntervalsMs", &js_sys::Array::new());
        set_stat(&stats, "frameWorkMs", &js_sys::Array::new());
        set_stat(&stats, "firstFrameMs", &JsValue::NULL);
        let _ = js_sys::Reflect::set(&window(), &"gossipLabStats".into(), &stats);
        app.stats = Some(stats);
        if let Some(doc) = window().document() {
            // The page's static "loading" line has done its job.
            if let Some(loading) = doc.get_element_by_id("loading") {
                loading.remove();
            }
            let link = ctx.link().clone();
            let options = EventListenerOptions::enable_prevent_default();
            app._keys = Some(EventListener::new_with_options(
                &doc,
                "keydown",
                options,
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    let key = e.key();
                    // The help is modal: Tab keeps the focus on its one control.
                    if key == "Tab" {
                        let close = window()
                            .document()
                            .and_then(|d| d.get_element_by_id("help-close"))
                            .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
                        if let Some(close) = close {
                            e.prevent_default();
                            let _ = close.focus();
                        }
                        return;
                    }
                    let in_field = e
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .is_some_and(|el| {
                            matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                        });
                    if in_field && key != "Escape" {
                        return;
                    }
                    if matches!(
                        key.as_str(),
                        " " | "ArrowRight"
                            | "ArrowLeft"
                            | "r"
                            | "R"
                            | "?"
                            | "Escape"
                            | "k"
                            | "K"
                            | "w"
                            | "W"
                            | "c"
                            | "C"
                            | "o"
                            | "O"
                            | "h"
                            | "H"
                    ) {
                        // Space would also click a focused button, and arrows scroll.
                        e.prevent_default();
                        link.send_message(Msg::Key(key));
                    }
                },
            ));
        }
        let link = ctx.link().clone();
        app._resize = Some(EventListener::new(&window(), "resize", move |_| {
            link.send_message(Msg::Resized)
        }));
        app.ensure_loop(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if !matches!(msg, Msg::Frame(_) | Msg::PointerMove(..))
            && self.timeline.model().is_mid_round()
        {
            // Playback may have left a round half run; whatever the user does starts from a
            // round boundary.
            self.timeline.settle();
            self.params.round = self.timeline.round();
            self.cluster_dirty = true;
            self.chart_dirty = true;
        }
        let render = match msg {
            Msg::Step => {
                self.playing = false;
                self.limited = false;
                self.timeline.set_trace(!self.reduced_motion);
                if self.timeline.step_forward() {
                    self.moved(true);
                }
                true
            }
            Msg::Back => {
                self.playing = false;
                if self.timeline.step_back() {
                    self.moved(false);
                }
                true
            }
            // The embed has no Reset or Back: there Play (or Space) on a complete run replays it
            // from round 0, or a reader of a post would be left with two dead buttons. (A run
            // complete at round 0 has nothing to replay; after the Reset the round is 0, so the
            // second call takes the plain arm below.)
            Msg::TogglePlay if self.embed_replays() => {
                <Self as Component>::update(self, ctx, Msg::Reset);
                <Self as Component>::update(self, ctx, Msg::TogglePlay)
            }
            Msg::TogglePlay => {
                self.playing = !self.playing && self.timeline.can_advance();
                self.limited = false;
                self.play_acc = 0.0;
                self.last_ts = None;
                if !self.playing {
                    self.params.round = self.timeline.round();
                    self.sync_url();
                }
                true
            }
            Msg::Reset => {
                self.playing = false;
                self.timeline.goto(0);
                self.moved(false);
                self.restart_note = None;
                true
            }
            Msg::Seek(r) => {
                self.playing = false;
                self.timeline.goto(r);
                self.moved(false);
                true
            }
            Msg::Param(key, value) => {
                self.apply_param(key, &value);
                true
            }
            Msg::Scenario(key) => {
                match Scenario::from_key(&key).filter(|s| s.unavailable().is_none()) {
                    Some(s) => {
                        let mut p = Params::of_scenario(s);
                        p.seed = self.params.seed;
                        p.speed_index = self.params.speed_index;
                        self.restart(p, format!("Scenario {}", s.title()));
                    }
                    None => self
                        .notices
                        .push(format!("Scenario {key} is not available yet.")),
                }
                true
            }
            Msg::NewSeed => {
                // The browser's crypto (getrandom), not Math.random: a new seed is the start of
                // a new run, never part of one. Kept to nine digits, so links stay short.
                match getrandom::u64() {
                    Ok(x) => self.apply_param("seed", &(x % SEED_NEW_MAX + 1).to_string()),
                    Err(e) => self.notices.push(format!(
                        "New seed: the browser gave no random numbers ({e})."
                    )),
                }
                true
            }
            Msg::ToggleBand => {
                self.params.band = !self.params.band;
                self.band = self
                    .params
                    .band
                    .then(|| Band::new(self.params.kernel_config(), BAND_TRIALS));
                self.band_summary.clear();
                self.chart_dirty = true;
                self.sync_url();
                true
            }
            Msg::Frame(ts) => {
                self.frame = None;
                let t0 = now_ms();
                let dt = self
                    .last_ts
                    .map(|l| (ts - l).clamp(0.0, FRAME_GAP_MAX_MS))
                    .unwrap_or(0.0);
                let interval = self.last_ts.map(|l| ts - l);
                self.last_ts = Some(ts);
                let mut dom = false;
                if self.playing {
                    self.play_acc += dt / 1000.0 * self.params.rounds_per_s();
                    let trace = self.animate_messages();
                    self.timeline.set_trace(trace);
                    let mut steps = 0;
                    let mut limited = false;
                    let deadline = t0 + MODEL_BUDGET_MS_PER_FRAME;
                    while self.play_acc >= 1.0 {
                        if steps >= ROUNDS_PER_FRAME_MAX || now_ms() >= deadline {
                            limited = true;
                            break;
                        }
                        // Ticks, not whole rounds, so one large round cannot block a frame:
                        // a round that does not fit is finished in the next frames.
                        match self.timeline.advance(&mut || now_ms() < deadline) {
                            Some(true) => {
                                self.play_acc -= 1.0;
                                steps += 1;
                            }
                            Some(false) => {
                                limited = true;
                                break;
                            }
                            None => {
                                self.playing = false;
                                self.play_acc = 0.0;
                                self.params.round = self.timeline.round();
                                self.sync_url();
                                break;
                            }
                        }
                    }
                    if limited {
                        // Drop the rounds owed: the page keeps its frame rate and plays slower.
                        self.play_acc = self.play_acc.min(0.99);
                    }
                    self.kept_up_frames = if limited {
                        0
                    } else {
                        self.kept_up_frames.saturating_add(1)
                    };
                    let shown =
                        limited || (self.limited && self.kept_up_frames < LIMITED_CLEAR_FRAMES);
                    if shown != self.limited {
                        self.limited = shown;
                        dom = true;
                    }
                    if steps > 0 || !self.playing {
                        dom = true;
                        self.params.round = self.timeline.round();
                        self.cluster_dirty = true;
                        self.chart_dirty = true;
                    }
                    self.anim =
                        (self.playing && self.animate_messages() && self.timeline.round() > 0)
                            .then_some(self.play_acc);
                } else if let Some(a) = self.anim {
                    let a = a + dt / STEP_ANIMATION_MS;
                    self.anim = (a < 1.0).then_some(a);
                    self.cluster_dirty = true;
                }
                if let Some(band) = &mut self.band {
                    if !band.is_done() {
                        let deadline = t0 + BAND_BUDGET_MS;
                        let done = band.work(|| now_ms() < deadline);
                        self.band_summary = band.summary();
                        self.chart_dirty = true;
                        dom |= done || band.done().is_multiple_of(10);
                    }
                }
                if let Some(sweep) = &mut self.sweep {
                    if !sweep.is_done() {
                        // What the band left of its budget this frame.
                        let deadline = t0 + BAND_BUDGET_MS;
                        let before = sweep.progress().0;
                        let done = sweep.work(|| now_ms() < deadline);
                        self.bounds_dirty = true;
                        dom |= done || before / 100 != sweep.progress().0 / 100;
                    }
                }
                if self.url_pending
                    && !self.playing
                    && now_ms() - self.url_synced_ms >= URL_SYNC_INTERVAL_MS
                {
                    self.sync_url();
                }
                self.paint();
                if let Some(s) = &self.stats {
                    if let Some(i) = interval {
                        push_stat(s, "frameIntervalsMs", i);
                        if dom {
                            // The DOM update runs after this handler; `rendered` adds it.
                            self.work_t0 = Some(t0);
                        } else {
                            push_stat(s, "frameWorkMs", now_ms() - t0);
                        }
                    }
                    set_stat(s, "round", &self.timeline.round().into());
                    set_stat(s, "playing", &self.playing.into());
                    set_stat(s, "limited", &self.limited.into());
                }
                if self.needs_frames() {
                    self.ensure_loop(ctx);
                } else {
                    self.last_ts = None;
                }
                return dom;
            }
            Msg::Key(key) => {
                let msg = match key.as_str() {
                    " " => Some(Msg::TogglePlay),
                    "ArrowRight" => Some(Msg::Step),
                    "ArrowLeft" => Some(Msg::Back),
                    "r" | "R" => Some(Msg::Reset),
                    "?" => Some(Msg::ToggleHelp),
                    "Escape" if self.help => Some(Msg::ToggleHelp),
                    // Escape otherwise forgets the inspected node and the selected group.
                    "Escape" => {
                        self.selected = None;
                        self.group.clear();
                        self.cluster_dirty = true;
                        return true;
                    }
                    "k" | "K" => self.selected.map(|i| {
                        if self.engine().cluster().is_up(i) {
                            Msg::Kill(i)
                        } else {
                            Msg::Revive(i)
                        }
                    }),
                    "w" | "W" => self.selected.map(Msg::Write),
                    "c" | "C" => Some(Msg::Cut(Direction::Both)),
                    "o" | "O" => Some(Msg::Cut(Direction::OneWay)),
                    "h" | "H" => Some(Msg::Heal),
                    _ => None,
                };
                return match msg {
                    Some(m) => Component::update(self, ctx, m),
                    None => false,
                };
            }
            Msg::PointerDown(x, y, mouse, _shift) => {
                self.pointer_down = true;
                self.lasso.clear();
                // Touch and pen keep their drag for scrolling the page: only a mouse lassos,
                // unless the select mode is on.
                if mouse || self.select_mode {
                    self.lasso.push(Point { x, y });
                }
                false
            }
            Msg::PointerMove(x, y) => {
                if !self.pointer_down || self.lasso.is_empty() {
                    return false;
                }
                select::extend(&mut self.lasso, Point { x, y });
                if select::is_lasso(&self.lasso) {
                    self.cluster_dirty = true;
                    self.paint();
                }
                false
            }
            Msg::PointerUp(x, y, shift) => {
                let was_down = std::mem::take(&mut self.pointer_down);
                let path = std::mem::take(&mut self.lasso);
                self.cluster_dirty = true;
                if was_down && select::is_lasso(&path) {
                    let inside = select::lasso(&self.layout, &path);
                    select::union(&mut self.group, &inside);
                    self.announce = format!("{} nodes selected for a partition.", self.group.len());
                } else {
                    let hit = self.layout.hit(Point { x, y });
                    match (hit, shift || self.select_mode) {
                        (Some(i), true) => select::toggle(&mut self.group, i),
                        (hit, _) => {
                            self.reveal_inspector = hit.is_some();
                            self.selected = hit;
                        }
                    }
                }
                true
            }
            Msg::Kill(i) => {
                self.act(Action::Crash(i), format!("Crashed node {i}"));
                true
            }
            Msg::Revive(i) => {
                self.act(Action::Restart(i), format!("Restarted node {i}, empty"));
                true
            }
            Msg::Write(i) => {
                let (key, value) = (self.write_key.clone(), self.write_value.clone());
                if !url::valid_key(&key) || !url::valid_key(&value) {
                    self.notices.push(format!(
                        "Write at node {i}: the key and the value must each be 1 to {} letters, digits, '-', '.', '_' or '~'.",
                        crate::labs::dissemination::params::KEY_BYTES_MAX
                    ));
                    return true;
                }
                let done = self.act(
                    Action::Write {
                        node: i,
                        key: key.as_bytes().to_vec(),
                        value: value.as_bytes().to_vec(),
                    },
                    format!("Node {i} wrote {key} = {value}"),
                );
                if done {
                    if let Ok(v) = value.parse::<u64>() {
                        self.write_value = (v + 1).to_string();
                    }
                }
                true
            }
            Msg::WriteKey(k) => {
                self.write_key = k;
                false
            }
            Msg::WriteValue(v) => {
                self.write_value = v;
                false
            }
            Msg::TrackKey(k) => {
                if url::valid_key(&k) {
                    self.timeline.set_lens(&k.as_bytes().to_vec());
                    self.params.key = k;
                    self.cluster_dirty = true;
                    self.chart_dirty = true;
                    self.sync_url();
                }
                true
            }
            Msg::Cut(direction) => {
                match select::partition(self.params.nodes, &self.group) {
                    Some(groups) => {
                        let size = self.group.len();
                        let how = match direction {
                            Direction::Both => "both ways",
                            Direction::OneWay => "one way (the rest cannot reach them)",
                        };
                        if self.act(
                            Action::Partition { groups, direction },
                            format!("Cut {size} nodes off, {how}"),
                        ) {
                            self.group.clear();
                        }
                    }
                    None => self.notices.push(
                        "Select some nodes first (shift-click them, or drag a lasso around them), but not all.".to_string(),
                    ),
                }
                true
            }
            Msg::Heal => {
                self.act(Action::Heal, "Healed the partition".to_string());
                true
            }
            Msg::ClearGroup => {
                self.group.clear();
                self.cluster_dirty = true;
                true
            }
            Msg::ToggleHelp => {
                self.help = !self.help;
                if self.help {
                    self.focus_before = window()
                        .document()
                        .and_then(|d| d.active_element())
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                }
                self.focus_pending = true;
                true
            }
            Msg::CopyLink => {
                let link = match self.permalink(false) {
                    Ok(link) => link,
                    Err(e) => {
                        self.notices.push(format!("Copy link: {e}."));
                        return true;
                    }
                };
                // The clipboard exists only in secure contexts (https, localhost) and may refuse
                // (no permission, no focus); the link is shown in a field either way, so neither
                // is an error.
                let navigator = window().navigator();
                let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
                    .is_ok_and(|c| !c.is_undefined() && !c.is_null());
                self.copied = None;
                if has_clipboard {
                    let promise = navigator.clipboard().write_text(&link);
                    let (ok, refused) = (
                        ctx.link().callback(|_: JsValue| Msg::Copied(true)),
                        ctx.link().callback(|_: JsValue| Msg::Copied(false)),
                    );
                    let ok = Closure::once(move |v: JsValue| ok.emit(v));
                    let refused = Closure::once(move |v: JsValue| refused.emit(v));
                    let _ = promise.then2(&ok, &refused);
                    ok.forget();
                    refused.forget();
                } else {
                    self.copied = Some(false);
                }
                self.link = Some(link);
                self.sync_url();
                true
            }
            Msg::Copied(ok) => {
                self.copied = Some(ok);
                true
            }
            Msg::ExportCsv => {
                let parts = js_sys::Array::of1(&JsValue::from_str(&self.csv()));
                let options = web_sys::BlobPropertyBag::new();
                options.set_type("text/csv");
                if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
                {
                    if let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) {
                        download(&href, &self.params.export_name(None, "csv"));
                        let _ = web_sys::Url::revoke_object_url(&href);
                    }
                }
                false
            }
            Msg::ExportPng => {
                // The round was finished above (the model is at a round boundary); draw it
                // finished too, without messages in flight, so the file is the round it names.
                self.anim = None;
                self.cluster_dirty = true;
                self.paint();
                if let Some(c) = self.canvas.cast::<HtmlCanvasElement>() {
                    if let Ok(href) = c.to_data_url() {
                        let name = self.params.export_name(Some(self.timeline.round()), "png");
                        download(&href, &name);
                    }
                }
                true
            }
            Msg::Resized => true,
            Msg::ToggleSelectMode => {
                self.select_mode = !self.select_mode;
                self.announce = if self.select_mode {
                    "Select mode on: tap nodes to add or remove them, or drag around them.".into()
                } else {
                    "Select mode off.".into()
                };
                true
            }
            Msg::DismissNotices => {
                self.notices.clear();
                self.restart_note = None;
                true
            }
        };
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let p = &self.params;
        let playing = self.playing;
        let round = self.timeline.round();
        let e = self.engine();
        // Pointer position in canvas pixels (CSS scales the canvas to the page width).
        let at = {
            let canvas = self.canvas.clone();
            move |ev: &PointerEvent| {
                let c = canvas.cast::<HtmlCanvasElement>()?;
                let rect = c.get_bounding_client_rect();
                if rect.width() <= 0.0 || rect.height() <= 0.0 {
                    return None;
                }
                let x =
                    (f64::from(ev.client_x()) - rect.left()) * f64::from(c.width()) / rect.width();
                let y =
                    (f64::from(ev.client_y()) - rect.top()) * f64::from(c.height()) / rect.height();
                Some((x, y))
            }
        };
        let selecting = self.select_mode;
        let on_down = {
            let at = at.clone();
            link.batch_callback(move |ev: PointerEvent| {
                let (x, y) = at(&ev)?;
                if ev.pointer_type() == "mouse" || selecting {
                    // Keep receiving moves outside the canvas while drawing a lasso.
                    if let Some(t) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                        let _ = t.set_pointer_capture(ev.pointer_id());
                    }
                    ev.prevent_default();
                }
                Some(Msg::PointerDown(
                    x,
                    y,
                    ev.pointer_type() == "mouse",
                    ev.shift_key(),
                ))
            })
        };
        let on_move = {
            let at = at.clone();
            link.batch_callback(move |ev: PointerEvent| {
                at(&ev).map(|(x, y)| Msg::PointerMove(x, y))
            })
        };
        let on_up = link.batch_callback(move |ev: PointerEvent| {
            at(&ev).map(|(x, y)| Msg::PointerUp(x, y, ev.shift_key()))
        });
        let canvas = html! {
            <canvas ref={self.canvas.clone()} id="cluster" class={classes!(self.select_mode.then_some("selecting"))}
                width={CANVAS_WIDTH_PX.to_string()} height={CANVAS_HEIGHT_PX.to_string()}
                onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up}
                aria-label={format!("The cluster: {} nodes, {} informed. Click a node to inspect it; shift-click or drag a lasso to select nodes for a partition.", p.nodes, e.informed_count())}
                role="img" />
        };
        // A complete run (every live node holds every newest version, or no rumor is left to
        // spread) cannot move until the user acts, so Play and Step say so rather than do
        // nothing when pressed.
        let can_advance = self.timeline.can_advance();
        // Why the run cannot advance and how to go on: said in the disabled buttons' titles
        // and on the page too (touch screens never show titles).
        let at_limit = self.timeline.round() >= ROUNDS_LIMIT;
        let why = if at_limit {
            format!("The run stopped at the {ROUNDS_LIMIT}-round limit.")
        } else {
            // Only shown once the run cannot advance, that is when it has settled.
            let e = self.engine();
            Ending::of(e.cluster(), e.key()).map_or_else(String::new, |x| x.sentence().to_string())
        };
        let how = if at_limit {
            "Go Back or press Reset."
        } else {
            "Write a value or restart a crashed node to go on, go Back, or press Reset."
        };
        let done_title = if p.embed {
            why.clone()
        } else {
            format!("{why} {how}")
        };
        let replay = self.embed_replays();
        let done_note = (!playing && !can_advance).then(|| {
            html! { <p id="done" class="hint">{ &done_title }</p> }
        });
        let play = if replay {
            html! {
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)}
                    aria-keyshortcuts="Space"
                    title="Play the run again from round 0 (Space)">{ "Replay" }</button>
            }
        } else {
            html! {
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)}
                    disabled={!playing && !can_advance}
                    aria-keyshortcuts="Space"
                    title={if playing || can_advance { "Play or pause (Space)".to_string() } else { done_title.clone() }}>
                    { if playing { "Pause" } else { "Play" } }
                </button>
            }
        };
        let step = html! {
            <button id="step" onclick={link.callback(|_| Msg::Step)} disabled={!can_advance}
                aria-keyshortcuts="ArrowRight"
                title={if can_advance { "Step forward one round (Right arrow)".to_string() } else { done_title.clone() }}>{ "Step" }</button>
        };
        let notices = (!self.notices.is_empty() || self.restart_note.is_some()).then(|| html! {
            <div id="notices" class="notices" role="status">
                <ul>
                    { for self.notices.iter().map(|n| html! { <li class="notice">{ n }</li> }) }
                    { for self.restart_note.iter().map(|n| html! { <li id="restart-note" class="notice restart">{ n }</li> }) }
                </ul>
                <button class="small" onclick={link.callback(|_| Msg::DismissNotices)}>{ "Dismiss" }</button>
            </div>
        });
        let announce = html! {
            <p id="announce" class="visually-hidden" aria-live="polite">{ &self.announce }</p>
        };
        if p.embed {
            return html! {
                <main class="lab embed">
                    { notices }
                    { canvas }
                    <div class="controls">
                        { play }{ step }
                        <a id="full-link" href={self.permalink(false).unwrap_or_default()} target="_blank" rel="noopener">{ "Open in Gossip Lab" }</a>
                    </div>
                    <p id="status" class="status">{ self.status() }</p>
                    // The embed has no legend; where messages can be dropped, the two marks
                    // that are not obvious are named.
                    <div class="host">{ for self.drops_possible().then(|| html! {
                        <p id="embed-key" class="hint">
                            <span class="sw drop lost">{ "×" }</span>{ " lost on its link · " }
                            <span class="sw drop cut">{ "|" }</span>{ " stopped by a partition" }
                        </p>
                    }) }</div>
                    { announce }
                </main>
            };
        }
        let horizon = self.timeline.horizon().max(round);
        let speed = SPEEDS[p.speed_index.min(SPEEDS.len() - 1)];
        let band_status = match &self.band {
            None => String::new(),
            Some(b) if b.is_done() => match b.rumor_means() {
                Some((s, m)) => format!(
                    "{} trials: mean and 5-95 % band; mean residue {s:.4}, traffic {m:.2} messages per node.",
                    b.trials()
                ),
                None => format!("{} trials: mean and 5-95 % band.", b.trials()),
            },
            Some(b) => format!("Running trials: {}/{}…", b.done(), b.trials()),
        };
        let last = self
            .timeline
            .records()
            .get(round.wrapping_sub(1) as usize)
            .filter(|_| round > 0);
        let counters = match e.infective_count() {
            None => format!(
                "Messages {} (this round {}) · lost {} · cut {} · duplicates {}",
                e.messages(),
                last.map_or(0, |r| r.messages_sent),
                e.lost(),
                e.cut(),
                e.duplicates()
            ),
            Some(infective) => {
                let n = f64::from(p.nodes);
                format!(
                    "Residue {:.4} · traffic {:.2} messages per node · still spreading {infective}",
                    f64::from(p.nodes - e.informed_count()) / n,
                    e.data_messages() as f64 / n,
                )
            }
        };
        let down = p.nodes - e.live_count();
        let partitioned = e.cluster().network().is_partitioned();
        let cluster_line = format!(
            "Live {}/{}{} · {}",
            e.live_count(),
            p.nodes,
            if down > 0 {
                format!(" ({down} down)")
            } else {
                String::new()
            },
            if partitioned {
                "partitioned"
            } else {
                "network whole"
            }
        );
        let mut keys: Vec<String> = vec![RUMOR_KEY.to_string()];
        for (k, _, _) in e.cluster().newest() {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
        keys.extend(
            url::written_keys(self.timeline.actions())
                .map(|k| String::from_utf8_lossy(k).into_owned()),
        );
        keys.push(p.key.clone());
        keys.sort();
        keys.dedup();
        let key_options = keys.into_iter().map(|k| {
            let selected = k == p.key;
            html! { <option value={k.clone()} selected={selected}>{ k }</option> }
        });
        let sync = p.is_synchronous();
        let scenario_options = Scenario::ALL.into_iter().map(|s| {
            let label = match s.unavailable() {
                Some(why) => format!("{} ({why})", s.title()),
                None => s.title().to_string(),
            };
            html! { <option value={s.key()} selected={s == p.scenario} disabled={s.unavailable().is_some()}>{ label }</option> }
        });
        let mode_options = Protocol::ALL.into_iter().map(
            |m| html! { <option value={m.key()} selected={m == p.mode}>{ mode_title(m) }</option> },
        );
        let rumor = p.mode.is_rumor();
        let change = |key: &'static str| {
            link.callback(move |ev: Event| {
                Msg::Param(key, ev.target_unchecked_into::<HtmlInputElement>().value())
            })
        };
        html! {
            <main class="lab">
                <header>
                    <h1>{ "Gossip Lab" }</h1>
                    <button id="help-button" class="small" onclick={link.callback(|_| Msg::ToggleHelp)} aria-keyshortcuts="?">{ "Keys (?)" }</button>
                </header>
                <div class="scenario">
                    <label for="scenario">{ "Scenario " }</label>
                    <select id="scenario" onchange={link.callback(|ev: Event| Msg::Scenario(ev.target_unchecked_into::<HtmlSelectElement>().value()))}>
                        { for scenario_options }
                    </select>
                </div>
                // The caption and notices sit beside the canvas on a wide screen (above it on a
                // phone), so that a long caption never pushes the controls below the fold.
                <div class="stage">
                    <div class="about">
                        <p id="caption" class="caption">{ p.caption() }</p>
                        // Conditional parts sit in fixed wrappers, so showing or hiding them
                        // never shifts (and so recreates) the elements after them, the canvases
                        // among them.
                        <div class="host">{ notices }</div>
                    </div>
                    <div class="left">
                        { canvas }
                        <div class="controls">
                            { play }
                            <button id="back" disabled={round == 0} onclick={link.callback(|_| Msg::Back)} aria-keyshortcuts="ArrowLeft" title="Step back one round (Left arrow)">{ "Back" }</button>
                            { step }
                            <button id="reset" onclick={link.callback(|_| Msg::Reset)} aria-keyshortcuts="R" title="Back to round 0 (R)">{ "Reset" }</button>
                        </div>
                        <div class="host">{ done_note }</div>
                        <label class="slider">{ format!("Round {round}/{horizon} ") }
                            <input id="timeline" type="range" min="0" max={horizon.to_string()} value={round.to_string()}
                                aria-label="Timeline: go to any computed round"
                                oninput={link.callback(|ev: InputEvent| Msg::Seek(ev.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0)))} />
                        </label>
                        <label class="slider">{ format!("Speed {speed}x ") }
                            <input id="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()} value={p.speed_index.to_string()}
                                aria-label="Playback speed" aria-valuetext={format!("{speed}x")}
                                oninput={link.callback(|ev: InputEvent| Msg::Param("speed", SPEEDS[ev.target_unchecked_into::<HtmlInputElement>().value().parse::<usize>().unwrap_or(2).min(SPEEDS.len() - 1)].to_string()))} />
                        </label>
                        <p id="status" class="status">{ self.status() }</p>
                        <div class="host">{ for (self.limited && playing).then(|| html! {
                            <p id="limited" class="notice restart">{ format!("Speed limited: the model cannot compute {speed}x for {} nodes within {MODEL_BUDGET_MS_PER_FRAME} ms a frame, so it plays slower to keep the page smooth.", p.nodes) }</p>
                        }) }</div>
                        <p id="counters" class="counters">{ counters }</p>
                        <p id="cluster-line" class="counters">{ cluster_line }</p>
                        <ul class="legend" aria-label="Legend">
                            <li><span class="sw filled"></span>{ "holds the newest version (filled)" }</li>
                            <li><span class="sw fresh"></span>{ "learned it this round (outlined)" }</li>
                            <li><span class="sw hollow"></span>{ "holds nothing yet (hollow)" }</li>
                            <li><span class="sw older"></span>{ "holds an older version (thick ring)" }</li>
                            { for rumor.then(|| html! { <li><span class="sw removed"></span>{ "knows, stopped spreading (square)" }</li> }) }
                            <li><span class="sw down">{ "×" }</span>{ "crashed (cross)" }</li>
                            <li><span class="sw cut"></span>{ "cut off by a partition (shaded, dashed ring)" }</li>
                            <li><span class="sw msg"></span>{ "message bringing the newest version" }</li>
                            <li><span class="sw msg empty"></span>{ "request, feedback or nothing new" }</li>
                            <li><span class="sw drop lost">{ "×" }</span>{ "message lost on its link (or over the in-flight limit): a short stub and a cross" }</li>
                            <li><span class="sw drop cut">{ "|" }</span>{ "message stopped by a partition: a short stub and a bar" }</li>
                        </ul>
                        <label>{ "Track key " }
                            <select id="track-key" onchange={link.callback(|ev: Event| Msg::TrackKey(ev.target_unchecked_into::<HtmlSelectElement>().value()))}>
                                { for key_options }
                            </select>
                        </label>
                        { announce }
                        <div id="partition" class="controls wrap">
                            <span class="hint">{ if self.group.is_empty() { "Partition: shift-click nodes or drag a lasso (or use Select nodes) to select a group." .to_string() } else { format!("{} selected:", self.group.len()) } }</span>
                            <button class="small" id="select-mode" aria-pressed={self.select_mode.to_string()} onclick={link.callback(|_| Msg::ToggleSelectMode)}
                                title="While on, tapping a node adds or removes it, and dragging draws a lasso (for touch screens)">{ if self.select_mode { "Selecting: done" } else { "Select nodes" } }</button>
                            <button class="small" id="cut-both" disabled={self.group.is_empty()} onclick={link.callback(|_| Msg::Cut(Direction::Both))} title="No messages between the group and the rest">{ "Cut off both ways" }</button>
                            <button class="small" id="cut-oneway" disabled={self.group.is_empty()} onclick={link.callback(|_| Msg::Cut(Direction::OneWay))} title="The rest cannot send to the group; the group can still send out">{ "Cut one way" }</button>
                            <button class="small" id="clear-group" disabled={self.group.is_empty()} onclick={link.callback(|_| Msg::ClearGroup)}>{ "Clear" }</button>
                            <button class="small" id="heal" disabled={!partitioned} onclick={link.callback(|_| Msg::Heal)}>{ "Heal" }</button>
                        </div>
                    </div>
                    // Beside the canvas on a wide screen, so a clicked node's inspector opens in
                    // view; under the cluster's controls on a phone.
                    <div class="host inspect">{ for self.inspector(ctx) }</div>
                    <div class="right">
                        <fieldset class="params">
                            <legend>{ "Parameters" }</legend>
                            <label>{ "Nodes " }<input id="nodes" type="number" min="2" max={NODES_MAX.to_string()} value={p.nodes.to_string()} onchange={change("n")} /></label>
                            <label title={rumor.then_some("Rumor mongering contacts one peer per cycle")}>{ "Fanout " }<input id="fanout" type="number" min="1" max="16" value={p.fanout.to_string()} disabled={rumor} onchange={change("k")} /></label>
                            <label>{ "Mode " }
                                <select id="mode" onchange={link.callback(|ev: Event| Msg::Param("m", ev.target_unchecked_into::<HtmlSelectElement>().value()))}>
                                    { for mode_options }
                                </select>
                            </label>
                            <label title={rumor.then_some("Rumor mongering here has no message loss")}>{ format!("Loss {} % ", p.loss_percent) }<input id="loss" type="range" min="0" max="95" value={p.loss_percent.to_string()} disabled={rumor} onchange={change("loss")} /></label>
                            { for rumor.then(|| html! { <>
                                <label>{ "Stop rule " }
                                    <select id="stop" onchange={link.callback(|ev: Event| Msg::Param("stop", ev.target_unchecked_into::<HtmlSelectElement>().value()))}>
                                        { for StopRule::ALL.into_iter().map(|r| html! { <option value={r.key()} selected={r == p.stop}>{ r.title() }</option> }) }
                                    </select>
                                </label>
                                <label>{ "k " }<input id="rumor-k" type="number" min="1" max={RUMOR_K_MAX.to_string()} value={p.rumor_k.to_string()} onchange={change("rk")} /></label>
                            </> }) }
                            <label title="Ticks a message travels; a round is 4 ticks">{ "Latency " }
                                <input id="lat" type="number" min="1" max={LATENCY_TICKS_MAX.to_string()} value={p.latency_min.to_string()} onchange={change("lat")} />
                                { " to " }
                                <input id="latmax" type="number" min="1" max={LATENCY_TICKS_MAX.to_string()} value={p.latency_max.to_string()} onchange={change("latmax")} />
                                { " ticks" }
                            </label>
                            <label title="Ticks between a node's gossips; a round is 4 ticks">{ "Gossip every " }<input id="gossip" type="number" min="1" max={GOSSIP_INTERVAL_TICKS_MAX.to_string()} value={p.gossip_ticks.to_string()} onchange={change("gi")} />{ " ticks" }</label>
                            <p id="sync-note" class="hint">{ if sync {
                                format!("A round is {TICKS_PER_ROUND} ticks. With one gossip per round and a fixed latency L with 2L < {TICKS_PER_ROUND}, every exchange is back within its round: the engine is exactly the synchronous model of the theory curves and the trials.")
                            } else {
                                format!("Asynchronous: the engine is the synchronous model only with a gossip every {TICKS_PER_ROUND} ticks and a fixed latency L with 2L < {TICKS_PER_ROUND}; here messages cross round boundaries, so the run may differ from the theory curves and the trials, which assume synchronous rounds.")
                            } }</p>
                            <label>{ "Seed " }<input id="seed" type="text" inputmode="numeric" value={p.seed.to_string()} onchange={change("seed")} /></label>
                            <button id="new-seed" onclick={link.callback(|_| Msg::NewSeed)}>{ "New seed" }</button>
                        </fieldset>
                        <canvas ref={self.chart.clone()} id="chart" width={CHART_WIDTH_PX.to_string()} height={draw::CHART_HEIGHT_MIN_PX.to_string()}
                            role="img" aria-label="Chart: informed fraction per round with theory curves, and messages per round" />
                        <p id="chart-note" class="hint">{ self.chart_note() }</p>
                        <div class="controls wrap">
                            <button id="band" onclick={link.callback(|_| Msg::ToggleBand)}>{ if p.band { "Hide trials" } else { "Run 100 trials" } }</button>
                            <button id="export-csv" onclick={link.callback(|_| Msg::ExportCsv)}>{ "Chart CSV" }</button>
                            <button id="export-png" onclick={link.callback(|_| Msg::ExportPng)}>{ "Canvas PNG" }</button>
                            <button id="copy-link" onclick={link.callback(|_| Msg::CopyLink)}>{ "Copy link" }</button>
                        </div>
                        <p id="band-status" class="counters">{ band_status }</p>
                        <div class="host">{ for self.sweep.as_ref().map(|sw| {
                            let (done, all) = sw.progress();
                            html! { <>
                                <canvas ref={self.bounds_canvas.clone()} id="bounds" width={CHART_WIDTH_PX.to_string()} height={draw::BOUNDS_HEIGHT_MIN_PX.to_string()}
                                    role="img" aria-label="Chart: mean rounds to full coverage against the number of nodes (log scale) for fanout 1 to 4, with the estimates log_k N and, for fanout 1, log2 N + ln N" />
                                <p id="bounds-status" class="counters">{ if sw.is_done() {
                                    format!("Convergence sweep done: {all} kernel trials ({} per point).", crate::labs::dissemination::bounds::TRIALS)
                                } else {
                                    format!("Convergence sweep: {done}/{all} kernel trials…")
                                } }</p>
                            </> }
                        }) }</div>
                        <div class="host">{ for self.link.iter().map(|l| html! {
                            <>
                            <input id="link" class="link" type="text" readonly=true value={l.clone()} aria-label="Link to this view" />
                            <p id="copied" class="hint" role="status">{ match self.copied {
                                Some(true) => "Copied to the clipboard: paste it anywhere to share exactly this view.",
                                Some(false) => "This browser did not let the page copy: select the link above and copy it.",
                                None => "",
                            } }</p>
                            </>
                        }) }</div>
                    </div>
                </div>
                <div class="host">{ for self.help.then(|| html! {
                    <div id="help" class="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
                        <h2>{ "Keyboard shortcuts" }</h2>
                        <dl>
                            <dt>{ "Space" }</dt><dd>{ "play or pause" }</dd>
                            <dt>{ "Right arrow" }</dt><dd>{ "step forward one round" }</dd>
                            <dt>{ "Left arrow" }</dt><dd>{ "step back one round" }</dd>
                            <dt>{ "R" }</dt><dd>{ "reset to round 0" }</dd>
                            <dt>{ "?" }</dt><dd>{ "show or hide this help" }</dd>
                            <dt>{ "Escape" }</dt><dd>{ "close this help, or forget the inspected node and the selection" }</dd>
                            <dt>{ "Click" }</dt><dd>{ "inspect a node: crash, restart or write to it" }</dd>
                            <dt>{ "K" }</dt><dd>{ "crash the inspected node, or restart it (empty)" }</dd>
                            <dt>{ "W" }</dt><dd>{ "write the key and value of the inspector at the inspected node" }</dd>
                            <dt>{ "Shift-click, drag" }</dt><dd>{ "select nodes (a lasso) to cut off by a partition" }</dd>
                            <dt>{ "Select nodes" }</dt><dd>{ "the button for touch screens: while on, a tap adds or removes a node and a drag draws a lasso" }</dd>
                            <dt>{ "C" }</dt><dd>{ "cut the selected nodes off, both ways" }</dd>
                            <dt>{ "O" }</dt><dd>{ "cut them off one way (the rest cannot reach them)" }</dd>
                            <dt>{ "H" }</dt><dd>{ "heal the partition" }</dd>
                        </dl>
                        <button id="help-close" onclick={link.callback(|_| Msg::ToggleHelp)}>{ "Close" }</button>
                    </div>
                }) }</div>
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // A changed model repaints, and so does a canvas element that the DOM update replaced or
        // resized (it is blank then): every render leaves both canvases painted. (Checked here
        // and not in every frame's paint: reading a size forces a layout.)
        self.check_canvases();
        self.paint();
        if std::mem::take(&mut self.focus_pending) {
            // The help is a modal dialog: focus goes into it, and back where it was on closing.
            let doc = window().document();
            let target = if self.help {
                doc.and_then(|d| d.get_element_by_id("help-close"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            } else {
                self.focus_before
                    .take()
                    .filter(|e| e.is_connected())
                    .or_else(|| {
                        doc.and_then(|d| d.get_element_by_id("help-button"))
                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    })
            };
            if let Some(t) = target {
                let _ = t.focus();
            }
        }
        if std::mem::take(&mut self.reveal_inspector) {
            reveal(&window(), "inspector", self.reduced_motion);
        }
        if let (Some(t0), Some(s)) = (self.work_t0.take(), &self.stats) {
            push_stat(s, "frameWorkMs", now_ms() - t0);
        }
        if self.needs_frames() {
            self.ensure_loop(ctx);
        }
    }
}

/// Scrolls element `id` into view if its head is out of sight, by the least amount (the
/// browser's "nearest"), smoothly unless the user asked for reduced motion, so the eye can
/// follow where the page went. Does nothing when it is already visible, so a click never makes
/// the page jump needlessly.
fn reveal(window: &web_sys::Window, id: &str, reduced_motion: bool) {
    let Some(e) = window.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let Some(h) = window.inner_height().ok().and_then(|h| h.as_f64()) else {
        return;
    };
    let r = e.get_bounding_client_rect();
    if r.top() >= 0.0 && r.top() + r.height().min(h / 3.0) <= h {
        return;
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_behavior(if reduced_motion {
        web_sys::ScrollBehavior::Instant
    } else {
        web_sys::ScrollBehavior::Smooth
    });
    e.scroll_into_view_with_scroll_into_view_options(&options);
}
