//! The chart beside the cluster: the run's informed fraction per round against the theory
//! curves ([`Theory`]), the band of trials and the modes' runs ([`Trials`], computed a slice per
//! frame), and messages per round; what is on it, in words ([`note`]). [`paint`] paints it with
//! [`draw::chart()`] whenever the session's `paint` finds its canvas dirty.

use super::band::{Band, BandPoint, KernelConfig, BAND_TRIALS};
use super::bounds::Sweep;
use super::draw;
use super::model::informed_series;
use super::params::{Params, Scenario};
use yew::prelude::*;

use super::run::Run;
use crate::shell::canvas::Canvas;
use crate::shell::dom::now_ms;

/// The chart's canvas width in canvas pixels (CSS scales it to the page width).
pub const CHART_WIDTH_PX: u32 = 640;
/// Time a frame may spend on the trials band (and the sweep, with what the band left).
const BAND_BUDGET_MS: f64 = 6.0;
/// Theory curves are computed this far; the chart shows a prefix.
const THEORY_ROUNDS_MAX: usize = 5_000;
/// The x axis shows at least this many rounds.
const CHART_ROUNDS_MIN: u32 = 10;

/// The theory curves for a run's parameters.
#[derive(Default)]
pub struct Theory {
    /// The synchronous model's recurrence (anti-entropy), informed fraction per round.
    pub recurrence: Vec<f64>,
    /// Serf's logistic curve.
    pub logistic: Vec<f64>,
    /// Rumor mongering's predicted final informed fraction, `1 - s`.
    pub asymptote: Option<f64>,
    /// Rounds until the recurrence is within half a node of everyone (sizes the x axis).
    pub rounds: u32,
}

impl Theory {
    /// The curves for `p`.
    pub fn new(p: &Params) -> Theory {
        let Some(mode) = super::params::kernel_mode(p.run.mode) else {
            // The published residue is for feedback; blind rumor mongering has no such line.
            return Theory {
                asymptote: p
                    .run
                    .stop
                    .is_feedback()
                    .then(|| 1.0 - gossip_core::theory::residue(f64::from(p.run.rumor_k))),
                ..Theory::default()
            };
        };
        let (n, k) = (f64::from(p.run.nodes), f64::from(p.run.fanout));
        let recurrence =
            gossip_core::theory::informed_curve(mode, n, k, p.loss(), THEORY_ROUNDS_MAX);
        // Serf's curve with no failed nodes (crashes are the user's, not the model's).
        let logistic = (0..=THEORY_ROUNDS_MAX)
            .map(|x| gossip_core::theory::serf_logistic(n, k, p.loss(), 0.0, x as f64))
            .collect();
        let target = 1.0 - 0.5 / f64::from(p.run.nodes);
        let rounds = recurrence
            .iter()
            .position(|&f| f >= target)
            .unwrap_or(THEORY_ROUNDS_MAX) as u32;
        Theory {
            recurrence,
            logistic,
            asymptote: None,
            rounds,
        }
    }
}

/// What a slice of [`Trials::work`] changed.
#[derive(Default)]
pub struct Worked {
    /// Whether the DOM must be rendered (a status line moved on).
    pub dom: bool,
    /// Whether the chart repaints (the band grew).
    pub chart: bool,
    /// Whether the sweep's canvas repaints.
    pub bounds: bool,
}

/// The fast kernel's runs: the band of trials, the push/pull scenario's three modes, and the
/// convergence-bounds sweep (the bounds scenario only).
#[derive(Default)]
pub struct Trials {
    /// The band, while shown.
    pub band: Option<Band>,
    /// The band's summary so far.
    pub summary: Vec<BandPoint>,
    /// The push/pull scenario's kernel runs of the three modes (empty otherwise).
    pub modes: Vec<(&'static str, Vec<f64>)>,
    /// The sweep, in the bounds scenario.
    pub sweep: Option<Sweep>,
}

impl Trials {
    /// Recomputes them for `p`; returns whether the sweep was replaced (its canvas repaints).
    pub fn rebuild(&mut self, p: &Params) -> bool {
        self.band = p.band.then(|| Band::new(p.kernel_config(), BAND_TRIALS));
        self.summary.clear();
        self.modes = match (p.run.scenario, p.kernel_config()) {
            (Scenario::PushPull, KernelConfig::Epidemic(c)) => super::band::mode_curves(c),
            _ => Vec::new(),
        };
        // The sweep depends on the seed only; a new seed or another scenario recomputes it.
        let want = (p.run.scenario == Scenario::Bounds).then_some(p.run.seed);
        if self.sweep.as_ref().map(|s| s.seed()) != want {
            self.sweep = want.map(Sweep::new);
            return true;
        }
        false
    }

    /// Starts the band for `p` when `p.band`, or drops it.
    pub fn set_band(&mut self, p: &Params) {
        self.band = p.band.then(|| Band::new(p.kernel_config(), BAND_TRIALS));
        self.summary.clear();
    }

    /// Whether the band or the sweep still has trials to run.
    pub fn working(&self) -> bool {
        self.band.as_ref().is_some_and(|b| !b.is_done())
            || self.sweep.as_ref().is_some_and(|s| !s.is_done())
    }

    /// A slice of the band of trials and of the sweep, started at `t0` (the page's clock).
    pub fn work(&mut self, t0: f64) -> Worked {
        let mut w = Worked::default();
        if let Some(band) = &mut self.band {
            if !band.is_done() {
                let deadline = t0 + BAND_BUDGET_MS;
                let done = band.work(|| now_ms() < deadline);
                self.summary = band.summary();
                w.chart = true;
                w.dom |= done || band.done().is_multiple_of(10);
            }
        }
        if let Some(sweep) = &mut self.sweep {
            if !sweep.is_done() {
                // What the band left of its budget this frame.
                let deadline = t0 + BAND_BUDGET_MS;
                let before = sweep.progress().0;
                let done = sweep.work(|| now_ms() < deadline);
                w.bounds = true;
                w.dom |= done || before / 100 != sweep.progress().0 / 100;
            }
        }
        w
    }

    /// The line under the chart's buttons.
    pub fn status(&self) -> String {
        match &self.band {
            None => String::new(),
            Some(b) if b.is_done() => match b.rumor_means() {
                Some((s, m)) => format!(
                    "{} trials: mean and 5-95 % band; mean residue {s:.4}, traffic {m:.2} messages per node.",
                    b.trials()
                ),
                None => format!("{} trials: mean and 5-95 % band.", b.trials()),
            },
            Some(b) => format!("Running trials: {}/{}…", b.done(), b.trials()),
        }
    }
}

/// Paints the chart of `run` on `canvas`, if it is on the page.
pub fn paint(canvas: &mut Canvas, run: &Run) {
    let Some(c) = canvas.node.cast::<web_sys::HtmlCanvasElement>() else {
        return;
    };
    let width = f64::from(CHART_WIDTH_PX);
    let s = draw::font_scale(width, f64::from(c.client_width()));
    let n = f64::from(run.params.run.nodes);
    let series: Vec<f64> = informed_series(&run.timeline, run.engine().key())
        .into_iter()
        .map(|i| f64::from(i) / n)
        .collect();
    let messages: Vec<u64> = run
        .timeline
        .records()
        .iter()
        .map(|r| r.messages_sent)
        .collect();
    let t = &run.trials;
    let band_len = t
        .modes
        .iter()
        .map(|(_, c)| c.len())
        .chain([t.summary.len()])
        .max()
        .unwrap_or(0)
        .saturating_sub(1) as u32;
    let shown = run
        .timeline
        .horizon()
        .max(band_len)
        .max(run.theory.rounds + 1)
        .max(CHART_ROUNDS_MIN);
    let data = draw::ChartData {
        run: &series,
        messages: &messages,
        round: run.timeline.round(),
        recurrence: &run.theory.recurrence,
        logistic: &run.theory.logistic,
        asymptote: run.theory.asymptote,
        band: t.band.as_ref().map(|_| t.summary.as_slice()),
        rounds_shown: shown,
        modes: &t.modes,
    };
    // Set here, not in the markup, since it depends on the width the canvas is shown at
    // (Yew leaves the attribute alone after the first render).
    let height = f64::from(draw::chart_height_px(width, &data, s));
    let Some((_, ctx, _)) = canvas.fit(width, height) else {
        return;
    };
    draw::chart(&ctx, width, height, &data, s);
    canvas.painted();
}

/// What the chart's curves besides the run are, in words (the legend names them).
pub fn note(theory: &Theory, trials: &Trials) -> String {
    let mut out = String::new();
    if !trials.modes.is_empty() {
        out.push_str("The thin push, pull and push-pull lines are one run of each mode on the fast kernel with the same nodes, fanout, loss and seed; the solid orange line is the selected mode on the cluster simulator. ");
    }
    if !theory.logistic.is_empty() {
        out.push_str("Serf logistic (dotted): the formula of HashiCorp Serf's convergence simulator, 1/(1 + (n + 1)e^(-beta x)) with beta = fanout (1 - loss)(1 - failed)/2 (failed = 0 here), a continuous-time approximation; it rises more slowly than the synchronous push and pull rounds simulated here, so it lags them.");
    }
    out
}

/// The chart's canvas (in the chart group, and alone in an embed that shows the chart).
pub fn canvas(chart: &NodeRef) -> Html {
    html! {
        <canvas ref={chart.clone()} id="chart" width={CHART_WIDTH_PX.to_string()} height={draw::CHART_HEIGHT_MIN_PX.to_string()}
            role="img" aria-label="Chart: informed fraction per round with theory curves, and messages per round" />
    }
}

/// The chart group: the chart behind `chart`, its note, the trials' button (`on_band`) and
/// status, and the convergence-bounds sweep behind `bounds` (the bounds scenario only). A
/// plain view function: the lab paints the canvases after it renders them.
pub fn group(chart: &NodeRef, bounds: &NodeRef, run: &Run, on_band: Callback<MouseEvent>) -> Html {
    let band = run.params.band;
    html! {
        <section class="group chart-group" aria-labelledby="chart-title">
            <h2 id="chart-title" class="group-title">{ "Chart" }</h2>
            { canvas(chart) }
            <p id="chart-note" class="hint">{ note(&run.theory, &run.trials) }</p>
            <div class="controls">
                <button id="band" onclick={on_band}>{ if band { "Hide trials" } else { "Run 100 trials" } }</button>
                <p id="band-status" class="counters">{ run.trials.status() }</p>
            </div>
            <div class="host">{ for run.trials.sweep.as_ref().map(|sw| {
                let (done, all) = sw.progress();
                html! { <>
                    <canvas ref={bounds.clone()} id="bounds" width={CHART_WIDTH_PX.to_string()} height={draw::BOUNDS_HEIGHT_MIN_PX.to_string()}
                        role="img" aria-label="Chart: mean rounds to full coverage against the number of nodes (log scale) for fanout 1 to 4, with the estimates log_k N and, for fanout 1, log2 N + ln N" />
                    <p id="bounds-status" class="counters">{ if sw.is_done() {
                        format!("Convergence sweep done: {all} kernel trials ({} per point).", super::bounds::TRIALS)
                    } else {
                        format!("Convergence sweep: {done}/{all} kernel trials…")
                    } }</p>
                </> }
            }) }</div>
        </section>
    }
}
