//! [`ChallengePanel`]: the challenge beside the dissemination lab (a link with `ch=`). It shows
//! the title, the brief and the budget ([`super::status::budget`]), and a status from checking
//! the student's run as it is now: for a challenge checked on the run alone, a live "met / not
//! yet" that follows the round shown (the run is replayed in the background, a slice of each
//! frame, whenever it changes); for a robust one, a button that checks it on the fresh seeds
//! with a progress bar. Once solved, "Copy proof link" gives the proof
//! (`gossip_core::challenge::proof::link`). Opened from a proof link, the panel first replays
//! and checks that proof ([`super::grade::Row`], as the grading page does) and says whether it
//! passed and whether the link was edited after it was solved.
//!
//! Driven by its own animation frames while a check runs ([`super::work::FRAME_BUDGET_MS`] of
//! each), and by the lab's renders, which give it the run and the round shown.

use gloo_render::{request_animation_frame, AnimationFrame};
use gossip_core::challenge::check::Verdict;
use gossip_core::challenge::{find, proof, Challenge};
use gossip_core::link::dissemination::Run;
use yew::prelude::*;

use super::grade::Row;
use super::status;
use super::work::{Job, FRAME_BUDGET_MS};
use crate::shell::dom::now_ms;
use crate::shell::share;

/// What the lab gives the panel.
#[derive(Clone, Properties, PartialEq)]
pub struct ChallengeProps {
    /// The challenge's id (`ch=`), one of `gossip_core::challenge::CHALLENGES`.
    pub id: &'static str,
    /// The student's run as it is now.
    pub run: Run,
    /// The round the page shows.
    pub round: u32,
    /// Whether the page's run can go no further.
    pub complete: bool,
    /// The link the page opened with, when it was a proof link.
    pub proof: Option<String>,
}

/// What the panel does.
pub enum Msg {
    /// An animation frame: a slice of the checks.
    Frame,
    /// "Check on N fresh seeds".
    Exam,
    /// "Copy proof link".
    CopyProof,
    /// The clipboard took the proof link, or refused it.
    Copied(bool),
}

/// The panel (see the module docs).
pub struct ChallengePanel {
    /// The replay of the student's run (a non-robust challenge), and its verdict once done.
    live: Option<Job>,
    /// The robust check, once asked for.
    exam: Option<Job>,
    /// The proof the page opened with, being checked or checked.
    opened: Option<Row>,
    /// The proof link shown, and whether the clipboard took it.
    proof_link: Option<String>,
    copied: Option<bool>,
    frame: Option<AnimationFrame>,
}

impl Component for ChallengePanel {
    type Message = Msg;
    type Properties = ChallengeProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut panel = ChallengePanel {
            live: None,
            exam: None,
            opened: ctx.props().proof.as_deref().map(Row::new),
            proof_link: None,
            copied: None,
            frame: None,
        };
        panel.restart(ctx);
        panel
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &ChallengeProps) -> bool {
        if ctx.props().run != old.run || ctx.props().id != old.id {
            // The student changed the run: the proof it opened with is not this run any more.
            self.opened = None;
            self.restart(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame => {
                self.frame = None;
                let deadline = now_ms() + FRAME_BUDGET_MS;
                let mut more = || now_ms() < deadline;
                let opened_done = self.opened.as_mut().is_none_or(|r| r.work(&mut more));
                if opened_done {
                    for job in [&mut self.live, &mut self.exam].into_iter().flatten() {
                        job.work(&mut more);
                    }
                }
                self.ensure_frames(ctx);
            }
            Msg::Exam => {
                if let Some(ch) = find(ctx.props().id) {
                    self.exam = Some(Job::new(ch, &ctx.props().run));
                    self.proof_link = None;
                    self.ensure_frames(ctx);
                }
            }
            Msg::CopyProof => self.copy_proof(ctx),
            Msg::Copied(ok) => self.copied = Some(ok),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let Some(ch) = find(ctx.props().id) else {
            return html! {};
        };
        let p = ctx.props();
        let rules = ch.admits(&p.run).err();
        html! {
            <section id="challenge" class="group challenge" aria-labelledby="challenge-title">
                <h2 id="challenge-title" class="group-title">{ "Challenge" }</h2>
                <p id="challenge-name" class="challenge-name">{ ch.title }</p>
                <p id="challenge-brief" class="caption">{ ch.brief }</p>
                <p id="challenge-budget" class="hint">{ status::budget(ch, &p.run) }</p>
                <div class="host">{ for rules.map(|why| html! {
                    <p id="challenge-rules" class="notice">{ format!("Outside the rules: {why}.") }</p>
                }) }</div>
                <div class="host">{ for self.opened.as_ref().map(opened_view) }</div>
                { self.status_view(ctx, ch) }
                { self.proof_view(ctx) }
            </section>
        }
    }
}

impl ChallengePanel {
    /// The run changed: its checks start again (a proof link already given no longer holds).
    fn restart(&mut self, ctx: &Context<Self>) {
        let p = ctx.props();
        self.exam = None;
        self.proof_link = None;
        self.copied = None;
        self.live = find(p.id)
            .filter(|ch| ch.robust.is_none())
            .map(|ch| Job::new(ch, &p.run));
        self.ensure_frames(ctx);
    }

    fn working(&self) -> bool {
        let busy = |j: &Option<Job>| j.as_ref().is_some_and(|j| !j.progress().done);
        busy(&self.live) || busy(&self.exam) || self.opened.as_ref().is_some_and(|r| !r.done())
    }

    fn ensure_frames(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() && self.working() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |_| {
                link.send_message(Msg::Frame)
            }));
        }
    }

    /// The verdict that solves the challenge, when the student's run is solved and shown so.
    fn solved(&self, ctx: &Context<Self>) -> Option<&Verdict> {
        let p = ctx.props();
        match (&self.live, &self.exam) {
            (Some(job), _) => {
                let v = job.verdict()?;
                status::live(Some(v), p.round, p.complete)
                    .met()
                    .then_some(v)
            }
            (None, Some(job)) => job.verdict().filter(|v| v.passed),
            (None, None) => None,
        }
    }

    fn copy_proof(&mut self, ctx: &Context<Self>) {
        let p = ctx.props();
        let (Some(ch), Some(v)) = (find(p.id), self.solved(ctx)) else {
            return;
        };
        let Some(link) = v.student.as_ref().and_then(|o| proof::link(ch, &p.run, o)) else {
            return;
        };
        let link = format!("{}{link}", share::base());
        self.copied = None;
        if share::has_clipboard() {
            share::copy(&link, ctx.link().callback(Msg::Copied));
        } else {
            self.copied = Some(false);
        }
        self.proof_link = Some(link);
    }

    fn status_view(&self, ctx: &Context<Self>, ch: &Challenge) -> Html {
        let p = ctx.props();
        if let Some(job) = &self.live {
            let live = status::live(job.verdict(), p.round, p.complete);
            let class = classes!("challenge-status", live.met().then_some("met"));
            return html! { <p id="challenge-status" class={class} role="status" aria-live="polite">{ live.line() }</p> };
        }
        let seeds = ch.robust.map_or(0, |r| r.seeds);
        let line = match self.exam.as_ref() {
            None => String::from("Not checked yet."),
            Some(job) => match job.verdict() {
                Some(v) => status::verdict_line(v),
                None => status::progress_line(&job.progress()),
            },
        };
        let bar = self.exam.as_ref().map(|job| {
            let pr = job.progress();
            // A count that decides early ends the check before the most replays it may need.
            let done = if pr.done { pr.replays_max } else { pr.replays_done };
            html! { <progress id="exam-progress" aria-label="Replays checked" max={pr.replays_max.to_string()} value={done.to_string()} /> }
        });
        let running = self.exam.as_ref().is_some_and(|j| !j.progress().done);
        let passed = self
            .exam
            .as_ref()
            .and_then(Job::verdict)
            .is_some_and(|v| v.passed);
        html! { <>
            <div class="controls">
                <button id="exam" onclick={ctx.link().callback(|_| Msg::Exam)} disabled={running}>{ format!("Check on {seeds} fresh seeds") }</button>
                { for bar }
            </div>
            <p id="challenge-status" class={classes!("challenge-status", passed.then_some("met"))} role="status" aria-live="polite">{ line }</p>
        </> }
    }

    fn proof_view(&self, ctx: &Context<Self>) -> Html {
        if self.solved(ctx).is_none() {
            return html! {};
        }
        let copied = match self.copied {
            Some(true) => "Copied: the proof link replays your run and checks it again.",
            Some(false) => {
                "This browser did not let the page copy: select the link above and copy it."
            }
            None => "",
        };
        html! { <>
            <div class="controls">
                <button id="copy-proof" onclick={ctx.link().callback(|_| Msg::CopyProof)}>{ "Copy proof link" }</button>
            </div>
            <div class="host">{ for self.proof_link.iter().map(|l| html! { <>
                <input id="proof-link" class="link" type="text" readonly=true value={l.clone()} aria-label="Proof link" />
                <p id="proof-copied" class="hint" role="status">{ copied }</p>
            </> }) }</div>
        </> }
    }
}

/// The check of the proof the page opened with.
fn opened_view(row: &Row) -> Html {
    let [_, _, numbers, link] = row.cells();
    let head = match row.passed() {
        Some(true) => String::from("Proof: passed."),
        Some(false) => String::from("Proof: failed."),
        None if row.done() => String::from("Not a proof."),
        None => String::from("Checking the proof…"),
    };
    html! {
        <div id="proof-result" class={classes!("proof-result", row.passed().map(|p| if p { "met" } else { "failed" }))} role="status" aria-live="polite">
            <p class="challenge-name">{ head }</p>
            <p class="hint">{ numbers }</p>
            <div class="host">{ for row.edited().then(|| html! {
                <p id="proof-edited" class="notice">{ "This link was edited after it was solved: its run is not the one that was checked." }</p>
            }) }</div>
            <div class="host">{ for (row.done() && !row.edited() && !link.is_empty()).then(|| html! {
                <p class="hint">{ format!("Link: {link}.") }</p>
            }) }</div>
        </div>
    }
}
