//! The anti-entropy lab: one pair of replicas that differ in `d` keys, their Merkle trees side
//! by side, and their repair stepped message by message, with the differing subtrees
//! highlighted level by level as the session descends, the entries that cross drawn with their
//! direction, and the running counts read from the sessions; the same pair repaired by every
//! strategy in a table; bytes against `d` for the four strategies in a log-log chart.
//!
//! [`AntiEntropyLab`] is the component: one struct, one [`Msg`] enum, two canvases and a
//! `requestAnimationFrame` loop that plays the repair and computes the chart a slice at a time.
//! The pair and its recorded repair are [`model::Pair`] (host-tested, over the core's
//! `reconcile::trace`), the link [`url`] (over the core's `link::anti_entropy`), the rows of a
//! level [`rows`], the trees' drawing [`draw`], the table [`compare`], the chart's trials
//! [`sweep`] and its drawing [`chart`], the words [`caption`], the markup [`view`], the
//! shortcuts [`keys`], the figure for a post and its embed code [`embed`].

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::labs::LabProps;
use crate::shell::canvas::Canvas;
use crate::shell::dom::{now_ms, window};
use crate::shell::embed::{Command, Embed};
use crate::shell::notices::{NoticeList, Notices};
use crate::shell::share::{self, AddressBar};
use crate::shell::start::start;

pub mod caption;
pub mod chart;
pub mod compare;
pub mod draw;
pub mod embed;
pub mod keys;
pub mod model;
pub mod rows;
pub mod sweep;
pub mod url;
pub mod view;

use model::Pair;
use sweep::Sweep;
use url::Params;

/// Playing shows one turn this often.
pub const PLAY_TURN_MS: f64 = 700.0;
/// The chart's trials get this much of a frame.
pub const SWEEP_BUDGET_MS_PER_FRAME: f64 = 8.0;

/// What the user (or the clock) can do.
pub enum Msg {
    /// One turn forward.
    Step,
    /// One turn back.
    Back,
    /// Start or stop playing.
    TogglePlay,
    /// Back to before the repair.
    Reset,
    /// Show this turn, paused (the embed's parent, `shell::embed`).
    Seek(u32),
    /// The page around the embed asks to play, pause, step or seek.
    Embed(Command),
    /// Show or hide the embed code.
    EmbedCode,
    /// Change a link field (validated as the link is).
    Param(&'static str, String),
    /// An animation frame.
    Frame(f64),
    /// Hide the notices.
    DismissNotices,
}

/// The lab.
pub struct AntiEntropyLab {
    params: Params,
    pair: Result<Pair, String>,
    table: Vec<compare::Row>,
    sweep: Sweep,
    notices: Notices,
    playing: bool,
    played_ms: f64,
    trees: Canvas,
    chart: Canvas,
    address: AddressBar,
    embed: Option<Embed>,
    embed_code_shown: bool,
    frame: Option<AnimationFrame>,
    _keys: Option<EventListener>,
}

impl Component for AntiEntropyLab {
    type Message = Msg;
    type Properties = LabProps;

    fn create(ctx: &Context<Self>) -> Self {
        let search = window().location().search().unwrap_or_default();
        let (params, notices) = url::parse(&search);
        let mut lab = AntiEntropyLab {
            pair: Err(String::new()),
            table: Vec::new(),
            sweep: Sweep::new(params.run.clone()),
            params,
            notices: Notices::default(),
            playing: false,
            played_ms: 0.0,
            trees: Canvas::new(),
            chart: Canvas::new(),
            address: AddressBar::default(),
            embed: None,
            embed_code_shown: false,
            frame: None,
            _keys: None,
        };
        for n in notices {
            lab.notices.push(n.to_string());
        }
        lab.rebuild();
        let started = start(
            ctx,
            keys::accept,
            lab.params.embed,
            ctx.link().callback(Msg::Embed),
        );
        (lab._keys, lab.embed) = (started.keys, started.embed);
        if crate::shell::teacher::starts_playing() {
            ctx.link().send_message(Msg::TogglePlay);
        }
        lab.ensure_loop(ctx);
        lab
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let last = self.last_turn();
        let turn = self.params.turn;
        match msg {
            Msg::Step => self.go(turn.saturating_add(1).min(last)),
            Msg::Back => {
                self.playing = false;
                self.go(turn.saturating_sub(1));
            }
            // In an embed, Play at the end replays the repair from its start.
            Msg::TogglePlay if self.params.embed && !self.playing && turn >= last && last > 0 => {
                self.go(0);
                self.playing = true;
                self.played_ms = now_ms();
            }
            Msg::TogglePlay => {
                self.playing = !self.playing && turn < last;
                self.played_ms = now_ms();
            }
            Msg::Seek(t) => {
                self.playing = false;
                self.go(t.min(last));
            }
            Msg::Embed(c) => match embed::message(c, self.playing) {
                Some(m) => return <Self as Component>::update(self, ctx, m),
                None => return false,
            },
            Msg::EmbedCode => self.embed_code_shown = !self.embed_code_shown,
            Msg::Reset => {
                self.playing = false;
                self.go(0);
            }
            Msg::Param(k, v) => self.apply_param(k, &v),
            Msg::Frame(_) => return self.on_frame(ctx),
            Msg::DismissNotices => self.notices.clear(),
        }
        self.ensure_loop(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let k = self.params.turn;
        let run = &self.params.run;
        let height = draw::Geometry {
            levels: run.shape.depth + 1,
        }
        .height();
        let shown = match &self.pair {
            Ok(p) => html! { <>
                { view::status(p, k) }
                { view::counts(&p.counts(k)) }
                { view::crossed(p, k) }
            </> },
            Err(e) => {
                html! { <p id="status" class="status">{ format!("This pair cannot be repaired: {e}") }</p> }
            }
        };
        let trees = html! {
            <canvas id="trees" ref={self.trees.node.clone()} width="640" height={format!("{height:.0}")}
                aria-label="Both replicas' Merkle trees, level by level, with the nodes the repair named as differing" />
        };
        let chart = html! {
            <canvas id="chart" ref={self.chart.node.clone()} width="640" height="260"
                aria-label="Bytes per repair against differences, log-log, one line per strategy" />
        };
        if self.params.embed {
            return self.embed_view(ctx, trees, chart);
        }
        html! {
            <div class="stage anti-entropy">
                <div class="cluster-column">
                    <section class="viewer" aria-label="The two trees and the repair">
                        { trees }
                        { view::transport(link, k, self.last_turn(), self.playing) }
                        { shown }
                        <p id="tree-note" class="caption">{ tree_note(self) }</p>
                    </section>
                    <div class="host notices-host">
                        <NoticeList notices={self.notices.clone()} restart_note={None::<String>} on_dismiss={link.callback(|_| Msg::DismissNotices)} />
                    </div>
                </div>
                <div class="side">
                    { view::about() }
                    { crate::shell::teacher::group("params", view::parameters(run, link)) }
                    { crate::shell::teacher::group("strategies", view::strategies(&self.table, run.strategy)) }
                    { crate::shell::teacher::group("chart", html! { <section class="chart" aria-label="Bytes against differences">
                        { chart }
                        { view::chart_note(run, &self.sweep) }
                        { view::chart_table(&self.sweep) }
                    </section> }) }
                    { self.embed_code(ctx) }
                </div>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        self.trees.check();
        self.chart.check();
        self.paint();
        let (turn, last) = (self.params.turn, self.last_turn());
        if let Some(e) = &mut self.embed {
            // A turn stands where the other labs' round does; a repair has no round records.
            e.round(turn, turn >= last, &[]);
        }
        self.ensure_loop(ctx);
    }
}

impl AntiEntropyLab {
    fn last_turn(&self) -> u32 {
        self.pair.as_ref().map(Pair::turns).unwrap_or(0)
    }

    fn go(&mut self, turn: u32) {
        self.params.turn = turn.min(self.last_turn());
        self.trees.dirty = true;
        self.address.owe();
    }

    /// The pair, its repair and its table from the parameters; the chart only when the keys,
    /// the shape or the seed changed.
    fn rebuild(&mut self) {
        let run = &self.params.run;
        self.pair = Pair::new(run.clone());
        self.table = compare::by_strategy(run);
        if !self.sweep.is_for(run) {
            self.sweep = Sweep::new(run.clone());
        }
        self.params.turn = self.params.turn.min(self.last_turn());
        self.trees.dirty = true;
        self.chart.dirty = true;
        self.address.owe();
    }

    /// A field changed on the page: read as the link would be, with its notices.
    fn apply_param(&mut self, k: &str, v: &str) {
        let query = format!(
            "{}&{k}={}",
            url::encode(&Params {
                turn: 0,
                ..self.params.clone()
            }),
            js_sys::encode_uri_component(v)
        );
        let (params, notices) = url::parse(&query);
        self.notices.clear();
        for n in notices {
            self.notices.push(n.to_string());
        }
        self.params = params;
        self.playing = false;
        self.rebuild();
    }

    fn on_frame(&mut self, ctx: &Context<Self>) -> bool {
        self.frame = None;
        let t0 = now_ms();
        let mut render = false;
        if self.playing && t0 - self.played_ms >= PLAY_TURN_MS {
            self.played_ms = t0;
            self.go(self.params.turn + 1);
            self.playing = self.params.turn < self.last_turn();
            render = true;
        }
        if self.sweeps() {
            let deadline = t0 + SWEEP_BUDGET_MS_PER_FRAME;
            let before = self.sweep.points().len();
            self.sweep.advance(&mut || now_ms() < deadline);
            if self.sweep.points().len() != before || self.sweep.is_done() {
                self.chart.dirty = true;
                render = true;
            }
        }
        if self.address.is_pending() && self.address.due() {
            let href = format!("{}{}", share::base(), url::encode(&self.params));
            self.address.sync(&href);
        }
        if !render {
            self.paint();
        }
        self.ensure_loop(ctx);
        render
    }

    fn needs_frames(&self) -> bool {
        self.playing || self.sweeps() || self.address.is_pending()
    }

    /// Whether the chart's trials are still to run and the chart is shown (an embed of the
    /// trees alone never computes it).
    fn sweeps(&self) -> bool {
        !self.sweep.is_done() && (!self.params.embed || self.params.view.chart())
    }

    fn ensure_loop(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() && self.needs_frames() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ts| {
                link.send_message(Msg::Frame(ts))
            }));
        }
    }

    fn paint(&mut self) {
        let run = &self.params.run;
        if self.trees.dirty {
            let h = draw::Geometry {
                levels: run.shape.depth + 1,
            }
            .height();
            if let (Some((_, c, _)), Ok(pair)) = (self.trees.fit(draw::WIDTH, h), &self.pair) {
                draw::paint(&c, pair, self.params.turn);
                self.trees.painted();
            }
        }
        if self.chart.dirty {
            if let Some((_, c, _)) = self.chart.fit(chart::WIDTH, chart::HEIGHT) {
                chart::paint(&c, run.keys, &self.sweep, run.strategy);
                self.chart.painted();
            }
        }
    }
}

/// How the rows are summarised, in words: a level wider than the row shows runs of nodes.
fn tree_note(lab: &AntiEntropyLab) -> String {
    let run = &lab.params.run;
    let s = run.shape;
    let keys = lab.pair.as_ref().map_or(run.keys, |p| p.difference.0);
    let mut parts = vec![format!(
        "The replicas hold {} keys between them, each replica in a tree of branching {} and depth {} ({} leaves). Orange: named as differing by the repair so far; red: by the turn shown; green: a leaf that an entry it lacked crossed into, on that side (the arcs: the entries the turn's message carries).",
        keys,
        s.branching,
        s.depth,
        s.leaves()
    )];
    for l in 0..=s.depth {
        let nodes = s.nodes_at(l).unwrap_or(0);
        let row = rows::Row::new(nodes, &[]);
        if row.per_cell > 1 {
            parts.push(format!(
                "Level {l} has {nodes} nodes: each cell is {} of them, coloured if any is.",
                row.per_cell
            ));
        }
    }
    parts.join(" ")
}
