//! Gossip Lab in the browser: a Yew app that steps the `gossip-core` simulator round by round and
//! draws the cluster on a `<canvas>`.
//!
//! Structure (after RaftScope and Yew's examples): the model is the core's [`Spread`], stepped
//! only by messages; the view draws a snapshot of it on the canvas after every render; a timer
//! turns wall-clock time into model rounds while playing.

use gloo_timers::callback::Interval;
use gossip_core::epidemic::{Mode, Spread, SpreadConfig};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

pub mod layout;

/// Nodes in the default cluster.
pub const NODES_DEFAULT: u32 = 32;
/// Peers each node pushes to per round in the default cluster.
pub const FANOUT_DEFAULT: u32 = 1;
/// The seed of the default run.
pub const SEED_DEFAULT: u64 = 1;
/// Milliseconds between rounds while playing.
pub const PLAY_INTERVAL_MS: u32 = 400;

/// Canvas size in CSS pixels.
const CANVAS_WIDTH_PX: u32 = 640;
const CANVAS_HEIGHT_PX: u32 = 480;
const CANVAS_MARGIN_PX: f64 = 24.0;

/// Colours of node states (Okabe-Ito, safe for colour-blind readers): informed nodes are also
/// filled while uninformed ones are hollow rings, so state never rests on colour alone.
const COLOUR_INFORMED: &str = "#D55E00";
const COLOUR_UNINFORMED: &str = "#0072B2";
const COLOUR_BACKGROUND: &str = "#ffffff";

/// What the user can do.
pub enum Msg {
    /// Run one round.
    Step,
    /// Start or stop the timer.
    TogglePlay,
    /// Go back to round 0 with the same seed.
    Reset,
}

/// The whole app: one model, one canvas, one timer.
pub struct App {
    spread: Spread,
    canvas: NodeRef,
    timer: Option<Interval>,
}

fn default_config() -> SpreadConfig {
    SpreadConfig {
        nodes: NODES_DEFAULT,
        fanout: FANOUT_DEFAULT,
        mode: Mode::Push,
        loss: gossip_core::rng::Probability::NEVER,
        seed: SEED_DEFAULT,
    }
}

impl App {
    fn fresh_spread() -> Spread {
        // The default configuration is valid by construction (a unit test checks it).
        Spread::new(default_config()).expect("default config is valid")
    }

    fn draw(&self) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let Ok(Some(ctx)) = canvas.get_context("2d") else {
            return;
        };
        let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else {
            return;
        };
        let (w, h) = (f64::from(CANVAS_WIDTH_PX), f64::from(CANVAS_HEIGHT_PX));
        ctx.set_fill_style_str(COLOUR_BACKGROUND);
        ctx.fill_rect(0.0, 0.0, w, h);
        let n = self.spread.config().nodes;
        let r = layout::dot_radius(n, w, h, CANVAS_MARGIN_PX);
        ctx.set_line_width(2.0);
        for i in 0..n {
            let p = layout::ring(i, n, w, h, CANVAS_MARGIN_PX);
            ctx.begin_path();
            let _ = ctx.arc(p.x, p.y, r, 0.0, core::f64::consts::TAU);
            if self.spread.is_informed(i) {
                ctx.set_fill_style_str(COLOUR_INFORMED);
                ctx.fill();
            } else {
                ctx.set_stroke_style_str(COLOUR_UNINFORMED);
                ctx.stroke();
            }
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        App {
            spread: App::fresh_spread(),
            canvas: NodeRef::default(),
            timer: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Step => {
                if self.spread.is_complete() {
                    // Nothing left to spread: stop playing rather than counting idle rounds.
                    self.timer = None;
                } else {
                    self.spread.step();
                }
            }
            Msg::TogglePlay => {
                if self.timer.is_some() {
                    self.timer = None;
                } else {
                    let link = ctx.link().clone();
                    self.timer = Some(Interval::new(PLAY_INTERVAL_MS, move || {
                        link.send_message(Msg::Step)
                    }));
                }
            }
            Msg::Reset => {
                self.timer = None;
                self.spread = App::fresh_spread();
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let playing = self.timer.is_some();
        let status = format!(
            "Round {} · informed {}/{}",
            self.spread.round(),
            self.spread.informed_count(),
            self.spread.config().nodes
        );
        html! {
            <main class="lab">
                <h1>{ "Gossip Lab" }</h1>
                <p class="caption">
                    { "Push gossip: every round, each informed node tells one peer chosen at random. " }
                    { "Filled orange dots know the rumor; hollow blue rings do not yet." }
                </p>
                <canvas ref={self.canvas.clone()} id="cluster"
                    width={CANVAS_WIDTH_PX.to_string()} height={CANVAS_HEIGHT_PX.to_string()}
                    aria-label="The cluster: one dot per node" role="img" />
                <div class="controls">
                    <button id="step" onclick={link.callback(|_| Msg::Step)}>{ "Step" }</button>
                    <button id="play" onclick={link.callback(|_| Msg::TogglePlay)}>
                        { if playing { "Pause" } else { "Play" } }
                    </button>
                    <button id="reset" onclick={link.callback(|_| Msg::Reset)}>{ "Reset" }</button>
                </div>
                <p id="status" class="status" aria-live="polite">{ status }</p>
            </main>
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        self.draw();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_configuration_is_valid() {
        assert!(Spread::new(default_config()).is_ok());
    }
}
