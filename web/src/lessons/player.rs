//! The lesson panel: one step at a time, above the lab. It says what to look at, takes the
//! prediction, presses the lab's Play, waits for the step's event on `gossiplab:round`, then
//! shows the prediction beside the measure of the recorded run and the explanation; Back and
//! Next move between steps. The shell owns the progress (it is the link's) and hears every
//! change through `on_go`.
//!
//! Access: the panel is a labelled region; the prediction is a labelled field (Enter runs); the
//! result is a live region, so a screen reader hears it when it appears; "more" and the terms
//! are native `<details>`, reachable by keyboard.

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use gossip_core::link::lesson::{self, Guess, Progress};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::facts::{self, heal_round};
use super::format::{Answer, Lesson, Step, Wait};
use super::glossary::{self, prose};
use super::measure::{event_round, measure, Measure};
use crate::labs::dissemination::url;
use crate::shell::dom::{element, window};
use crate::shell::share;

/// What the shell gives the panel.
#[derive(Properties, PartialEq)]
pub struct LessonProps {
    /// The lesson.
    pub lesson: &'static Lesson,
    /// Where the student is (the link's).
    pub progress: Progress,
    /// What the link's lesson fields said that could not be used.
    pub notices: Vec<String>,
    /// A new progress: a prediction made (same step) or another step or lesson.
    pub on_go: Callback<Progress>,
}

/// What the panel hears.
pub enum Msg {
    /// The prediction field's text.
    Draft(String),
    /// A choice picked.
    Choose(u8),
    /// Predict (if asked) and run.
    Run,
    /// The lab's `gossiplab:round`: the round shown and whether the run is complete.
    Round(u32, bool),
    /// Go to step `n` (from 1).
    Go(u32),
    /// An animation frame: more of the sweep.
    Work,
}

/// Trials of a sweep run per animation frame: a few milliseconds of work.
const SWEEP_TRIALS_PER_FRAME: u32 = 250;

/// The panel.
pub struct LessonPlayer {
    /// The step's facts, as prose shows them (computed once per step).
    facts: Vec<String>,
    draft: String,
    choice: Option<u8>,
    /// Why the prediction was refused.
    refused: Option<&'static str>,
    /// Whether the run was started from this panel.
    running: bool,
    /// The kernel sweep the step's numbers wait for, run over animation frames.
    job: Option<facts::Job>,
    _frame: Option<AnimationFrame>,
    /// The step's event has happened (or the link already held its prediction).
    reached: bool,
    /// The measure of the recorded run, once reached.
    measured: Option<Guess>,
    _round: Option<EventListener>,
}

impl Component for LessonPlayer {
    type Message = Msg;
    type Properties = LessonProps;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let listener = EventListener::new(&window(), "gossiplab:round", move |e| {
            if let Some((round, complete)) = round_detail(e) {
                link.send_message(Msg::Round(round, complete));
            }
        });
        let mut p = LessonPlayer {
            facts: Vec::new(),
            draft: String::new(),
            choice: None,
            refused: None,
            running: false,
            reached: false,
            measured: None,
            job: None,
            _frame: None,
            _round: Some(listener),
        };
        p.open_step(ctx);
        p
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &LessonProps) -> bool {
        let (new, old) = (&ctx.props().progress, &old.progress);
        if new.lesson != old.lesson || new.step != old.step {
            self.open_step(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let props = ctx.props();
        let step = step_of(props);
        match msg {
            Msg::Draft(s) => self.draft = s,
            Msg::Choose(i) => self.choice = Some(i),
            Msg::Run => return self.run(ctx),
            Msg::Round(round, complete) => {
                if !(self.running || props.progress.guess(props.progress.step).is_some()) {
                    return false;
                }
                // Measured when the event comes, and again when the run is complete (an action
                // taken since may have changed the run); not on every round in between.
                let now = !self.reached && waited(step, round, complete, &lab_link());
                if now || self.reached && complete {
                    self.reached = true;
                    if self.job.is_none() {
                        self.measured = measure(step.measure, &lab_link());
                    }
                }
            }
            Msg::Work => {
                self._frame = None;
                let done = self
                    .job
                    .as_mut()
                    .is_none_or(|j| j.work(SWEEP_TRIALS_PER_FRAME));
                if done {
                    self.job = None;
                    self.fill_facts(step);
                    if self.reached {
                        self.measured = measure(step.measure, &lab_link());
                    }
                } else {
                    self.next_frame(ctx);
                }
            }
            Msg::Go(n) => {
                let mut next = props.progress.clone();
                next.step = n;
                props.on_go.emit(next);
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let (lesson, progress) = (props.lesson, &props.progress);
        let step = step_of(props);
        let n = progress.step;
        let last = lesson.steps.len() as u32;
        let link = ctx.link();
        let notices = props.notices.iter().map(|t| html! { <li>{ t }</li> });
        html! {
            <section id="lesson" class="lesson" aria-labelledby="lesson-title">
                <h2 id="lesson-title">{ lesson.title }</h2>
                <p id="lesson-step" class="hint">{ format!("Step {n} of {last}: {}", step.title) }</p>
                { for (!props.notices.is_empty()).then(|| html! { <ul id="lesson-notices" class="notices">{ for notices }</ul> }) }
                <p id="lesson-look">{ prose(step.look, &self.facts) }</p>
                { self.predict_view(ctx, step) }
                { self.result_view(ctx, step) }
                <details class="more">
                    <summary>{ "More: formulas and sources" }</summary>
                    <p>{ prose(step.more, &self.facts) }</p>
                </details>
                <nav class="controls" aria-label="Lesson steps">
                    <button id="lesson-back" disabled={n <= 1} onclick={link.callback(move |_| Msg::Go(n - 1))}>{ "Back" }</button>
                    <button id="lesson-next" disabled={n >= last} onclick={link.callback(move |_| Msg::Go(n + 1))}>{ "Next" }</button>
                    { next_lesson(props, n >= last) }
                    <a id="lesson-link" href={progress_link(progress)}>{ "Link to your progress" }</a>
                </nav>
                { glossary::list() }
            </section>
        }
    }
}

impl LessonPlayer {
    /// A step opened (or the panel mounted): its facts, its draft from the link, its state.
    fn open_step(&mut self, ctx: &Context<Self>) {
        let props = ctx.props();
        let step = step_of(props);
        let quantile = matches!(step.measure, Measure::Quantile(_));
        self.job = facts::job(step.facts, quantile, step.setup);
        if self.job.is_some() {
            // The quick facts now, the sweep's when it is done.
            self.facts = step
                .facts
                .iter()
                .map(|&f| match facts::needs_sweep(f) {
                    true => "…".to_string(),
                    false => facts::text(f, facts::values(&[f], step.setup)[0]),
                })
                .collect();
            self.next_frame(ctx);
        } else {
            self.fill_facts(step);
        }
        let guess = props.progress.guess(props.progress.step);
        self.draft = match guess {
            Some(Guess::Number(_)) => guess.map(Guess::text).unwrap_or_default(),
            _ => String::new(),
        };
        self.choice = match guess {
            Some(Guess::Choice(i)) => Some(i),
            _ => None,
        };
        self.refused = None;
        self.running = false;
        // A prediction in the link was made and run: its result shows again on opening.
        self.reached = guess.is_some();
        self.measured = (self.reached && self.job.is_none())
            .then(|| measure(step.measure, &lab_link()))
            .flatten();
    }

    /// The step's facts as prose shows them (the sweep, if any, is done).
    fn fill_facts(&mut self, step: &Step) {
        self.facts = facts::values(step.facts, step.setup)
            .into_iter()
            .zip(step.facts)
            .map(|(v, f)| facts::text(*f, v))
            .collect();
    }

    fn next_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self._frame = Some(request_animation_frame(move |_| {
            link.send_message(Msg::Work)
        }));
    }

    /// Records the prediction (it goes into the link) and presses the lab's Play.
    fn run(&mut self, ctx: &Context<Self>) -> bool {
        let props = ctx.props();
        let step = step_of(props);
        if let Some(p) = &step.predict {
            let guess = match p.answer {
                Answer::Number { .. } => Guess::from_text(self.draft.trim()),
                Answer::Choice(_) => self.choice.map(Guess::Choice),
            };
            let Some(guess) = guess else {
                self.refused = Some(match p.answer {
                    Answer::Number { .. } => {
                        "Enter a number first (digits, and a point for a fraction)."
                    }
                    Answer::Choice(_) => "Pick one answer first.",
                });
                return true;
            };
            self.refused = None;
            let mut next = props.progress.clone();
            next.set_guess(next.step, guess);
            props.on_go.emit(next);
        }
        self.running = true;
        self.reached = false;
        press_play();
        true
    }

    fn predict_view(&self, ctx: &Context<Self>, step: &Step) -> Html {
        let Some(p) = &step.predict else {
            return html! {
                <p><button id="lesson-run" onclick={ctx.link().callback(|_| Msg::Run)}>{ "Run" }</button></p>
            };
        };
        let link = ctx.link();
        let field = match p.answer {
            Answer::Number { unit } => html! {
                <p class="predict">
                    <label for="lesson-guess">{ prose(p.question, &self.facts) }</label>{ " " }
                    <input id="lesson-guess" type="text" inputmode="decimal" size="8" autocomplete="off"
                        value={self.draft.clone()} aria-describedby="lesson-unit"
                        oninput={link.callback(|e: InputEvent| Msg::Draft(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
                    <span id="lesson-unit">{ format!(" {unit}") }</span>
                </p>
            },
            Answer::Choice(options) => {
                let radios = options.iter().enumerate().map(|(i, o)| {
                    let i = i as u8;
                    let id = format!("lesson-choice-{}", char::from(b'a' + i));
                    html! {
                        <label for={id.clone()}>
                            <input type="radio" name="lesson-choice" id={id} checked={self.choice == Some(i)}
                                onchange={link.callback(move |_| Msg::Choose(i))} />{ format!(" {o} ") }
                        </label>
                    }
                });
                html! {
                    <fieldset class="predict"><legend>{ prose(p.question, &self.facts) }</legend>{ for radios }</fieldset>
                }
            }
        };
        let submit = link.callback(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Run
        });
        html! {
            <form id="lesson-predict" onsubmit={submit}>
                { field }
                <p><button id="lesson-run" type="submit">{ "Predict and run" }</button>
                { for self.refused.map(|r| html! { <span id="lesson-refused" class="hint" role="alert">{ format!(" {r}") }</span> }) }</p>
            </form>
        }
    }

    fn result_view(&self, ctx: &Context<Self>, step: &Step) -> Html {
        let props = ctx.props();
        let body = if let Some(job) = self.reached.then_some(()).and(self.job.as_ref()) {
            html! { <p class="hint">{ format!("Computing the sweep: {} of {} runs…", job.done(), facts::TRIALS) }</p> }
        } else if self.reached {
            let guess = props.progress.guess(props.progress.step);
            let unit = match step.predict.as_ref().map(|p| &p.answer) {
                Some(Answer::Number { unit }) => *unit,
                _ => "",
            };
            let say = |g: Option<Guess>| match (g, step.predict.as_ref().map(|p| &p.answer)) {
                (Some(Guess::Choice(i)), Some(Answer::Choice(o))) => {
                    o.get(usize::from(i)).copied().unwrap_or("?").to_string()
                }
                (Some(Guess::Number(x)), _) => format!("{} {unit}", shown(x)),
                _ => "nothing".to_string(),
            };
            html! {
                <>
                    <p class="compare">
                        <span id="lesson-predicted">{ format!("You predicted: {}", say(guess)) }</span>{ " · " }
                        <span id="lesson-measured">{ format!("Measured: {}", say(self.measured)) }</span>
                    </p>
                    <p id="lesson-explain">{ prose(step.explain, &self.facts) }</p>
                </>
            }
        } else if self.running {
            html! { <p class="hint">{ waiting(step.wait, step.measure) }</p> }
        } else {
            html! {}
        };
        html! { <div id="lesson-result" role="status" aria-live="polite">{ body }</div> }
    }
}

/// The step shown.
fn step_of(props: &LessonProps) -> &'static Step {
    let steps = props.lesson.steps;
    let i = (props.progress.step.max(1) as usize - 1).min(steps.len() - 1);
    &steps[i]
}

/// Whether the step's event has happened at `round` of the run the lab's `link` names.
fn waited(step: &Step, round: u32, complete: bool, link: &str) -> bool {
    match step.wait {
        Wait::Complete => complete,
        Wait::Round(r) => round >= r || complete,
        Wait::Healed => heal_round(&url::parse(link).0.run.actions).is_none_or(|h| round >= h),
        Wait::Event => event_round(step.measure, link).is_none_or(|r| round >= r),
    }
}

/// What the panel says while the run plays.
fn waiting(wait: Wait, m: Measure) -> String {
    let when = match wait {
        Wait::Complete => "when the run is complete".to_string(),
        Wait::Round(r) => format!("at round {r}"),
        Wait::Healed => "when the partition heals".to_string(),
        Wait::Event => "when it happens".to_string(),
    };
    let what = if m == Measure::Nothing {
        "The explanation"
    } else {
        "The result"
    };
    format!("Running… {what} appears {when}.")
}

/// A number as a result shows it: whole, or to one decimal.
fn shown(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

/// The lab's own link: the address bar without the lesson fields.
fn lab_link() -> String {
    lesson::strip(&window().location().search().unwrap_or_default())
}

/// The link that reopens this run at this progress.
fn progress_link(progress: &Progress) -> String {
    let lab = lab_link();
    let sep = if lab.is_empty() { "?" } else { "&" };
    format!("{}{lab}{sep}{}", share::base(), progress.encode())
}

/// At the last step, the way on to the next lesson.
fn next_lesson(props: &LessonProps, at_end: bool) -> Html {
    let all = super::LESSONS;
    let here = all.iter().position(|l| l.key == props.lesson.key);
    let Some(next) = here.and_then(|i| all.get(i + 1)).filter(|_| at_end) else {
        return html! {};
    };
    let go = props.on_go.reform(move |_| Progress::start(next.key));
    html! { <button id="lesson-next-lesson" onclick={go}>{ format!("Next lesson: {}", next.title) }</button> }
}

/// Presses the lab's Play (the shared transport's `#play`) when it would start the run.
fn press_play() {
    if let Some(play) = element("play") {
        if !play.has_attribute("disabled") && play.inner_text() == "Play" {
            play.click();
        }
    }
}

/// `{ round, complete }` of a `gossiplab:round` event.
fn round_detail(e: &web_sys::Event) -> Option<(u32, bool)> {
    let detail = e.dyn_ref::<web_sys::CustomEvent>()?.detail();
    let get = |k: &str| js_sys::Reflect::get(&detail, &k.into()).ok();
    let round = get("round")?.as_f64()? as u32;
    let complete = get("complete")?.as_bool()?;
    Some((round, complete))
}
