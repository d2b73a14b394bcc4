//! [`GradePage`]: the teacher's grading page (`?grade=1`). Static, with no server: a teacher
//! pastes proof links, one per line, presses Check, and the table fills in, row by row, with
//! each link's challenge, pass or fail, the replayed numbers, and whether the link was edited
//! after it was solved (or why a line is not a proof). Every check runs in this page
//! ([`super::grade`], a slice of each animation frame), so nothing leaves the machine and the
//! page answers while it works.

use gloo_render::{request_animation_frame, AnimationFrame};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::grade::{self, Row, LINES_MAX};
use super::work::FRAME_BUDGET_MS;
use crate::shell::dom::{now_ms, window};

/// What the page does.
pub enum Msg {
    /// The textarea changed.
    Text(String),
    /// "Check".
    Check,
    /// An animation frame: a slice of the checks.
    Frame,
}

/// The grading page (see the module docs).
pub struct GradePage {
    text: String,
    rows: Vec<Row>,
    cut: bool,
    frame: Option<AnimationFrame>,
}

impl Component for GradePage {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        if let Some(loading) = window()
            .document()
            .and_then(|d| d.get_element_by_id("loading"))
        {
            loading.remove();
        }
        GradePage {
            text: String::new(),
            rows: Vec::new(),
            cut: false,
            frame: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Text(t) => {
                self.text = t;
                return false;
            }
            Msg::Check => (self.rows, self.cut) = grade::rows(&self.text),
            Msg::Frame => {
                self.frame = None;
                let deadline = now_ms() + FRAME_BUDGET_MS;
                grade::work(&mut self.rows, &mut || now_ms() < deadline);
            }
        }
        if self.frame.is_none() && !self.rows.iter().all(Row::done) {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |_| {
                link.send_message(Msg::Frame)
            }));
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_input = link.callback(|e: InputEvent| {
            Msg::Text(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        });
        let done = self.rows.iter().filter(|r| r.done()).count();
        let passed = self
            .rows
            .iter()
            .filter(|r| r.passed() == Some(true))
            .count();
        let summary = format!(
            "{done} of {} lines checked; {passed} passed.",
            self.rows.len()
        );
        html! {
            <section id="grade" class="group grade" aria-labelledby="grade-title">
                <h2 id="grade-title" class="group-title">{ "Grade proof links" }</h2>
                <p class="caption">{ "Paste the proof links your students sent, one per line, and press Check. Each is replayed and checked again in this page: nothing is sent anywhere." }</p>
                <label for="grade-links" class="visually-hidden">{ "Proof links, one per line" }</label>
                <textarea id="grade-links" rows="8" value={self.text.clone()} oninput={on_input} placeholder="https://…?s=…&ch=…&chv=…&proof=…" />
                <div class="controls">
                    <button id="grade-check" onclick={link.callback(|_| Msg::Check)}>{ "Check" }</button>
                    <p id="grade-summary" class="hint" role="status" aria-live="polite">{ summary }</p>
                </div>
                <div class="host">{ for self.cut.then(|| html! {
                    <p class="notice">{ format!("Only the first {LINES_MAX} lines are checked.") }</p>
                }) }</div>
                <table id="grade-table" class="grade-table">
                    <thead><tr>
                        <th scope="col">{ "#" }</th><th scope="col">{ "Challenge" }</th><th scope="col">{ "Result" }</th>
                        <th scope="col">{ "Replayed" }</th><th scope="col">{ "Link" }</th>
                    </tr></thead>
                    <tbody>{ for self.rows.iter().enumerate().map(|(i, r)| row_view(i, r)) }</tbody>
                </table>
            </section>
        }
    }
}

fn row_view(i: usize, row: &Row) -> Html {
    let [challenge, result, numbers, link] = row.cells();
    let class = classes!(
        row.passed().map(|p| if p { "passed" } else { "failed" }),
        row.edited().then_some("edited"),
    );
    html! {
        <tr class={class}>
            <td>{ i + 1 }</td><td>{ challenge }</td><td class="result">{ result }</td>
            <td>{ numbers }</td><td class="link-check">{ link }</td>
        </tr>
    }
}
