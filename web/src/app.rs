//! The shell component, [`App`]: the header, the lab picker, the help dialog and the keys that
//! belong to the page rather than to a lab. It reads the link only to route it to a lab
//! ([`Lab::from_query`]) and to know whether the page is an embed; the lab parses the rest.
//!
//! The shell knows a lab through [`Lab`] alone: its title, its help rows, whether a link embeds
//! it, and its view given [`LabProps`] (the embed flag and the keyboard switch). A lab owns its
//! run, its timeline, its playback and its own shortcuts; the shell turns those shortcuts off
//! while the help dialog is open (see `shell::keys` and `shell::help`).
//!
//! A lesson ([`crate::lessons`]) is the shell's too: a link that names one, or the bare page
//! (the first minute), shows the lesson panel above the lesson's lab. The shell holds the
//! progress, keeps it in the address bar after the lab's own fields, and on a new step puts the
//! step's setup link in the address bar and mounts the lab afresh, so the lab reads the step's
//! run exactly as it reads any link.
//!
//! A teacher's fields of the link (`shell::teacher`: locks, hides, playing on load, projector
//! mode, the notes) are read here once, before the lab is created, for the lab the link opens;
//! their notices show above the lab, the notes panel (`notes=1`) beside the lesson or the
//! challenge, and the header's Projector button and the `P` key switch projector mode. The
//! catalogue page (`catalogue=1`) lists every lesson and challenge for a teacher.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use gossip_core::link::lesson::{self, Progress};

use crate::labs::{Lab, LabProps};
use crate::lessons::challenges::grade_page::GradePage;
use crate::lessons::{self, catalogue::CataloguePage, format::Lesson, player::LessonPlayer};
use crate::shell::dom::{element, window};
use crate::shell::help::{HelpDialog, CLOSE_ID};
use crate::shell::keys::{self, Keys};
use crate::shell::teacher;

/// What the shell does.
pub enum Msg {
    /// Open or close the help dialog.
    ToggleHelp,
    /// Show another lab (the picker).
    Pick(String),
    /// The lesson's progress changed: a prediction, another step or another lesson.
    Lesson(Progress),
    /// Switch projector mode (the header's button, `P`).
    ToggleProjector,
    /// Hide the notices of the teacher's fields.
    DismissTeacher,
}

/// The lesson shown, if any: the lesson, where the student is, and what the link's lesson
/// fields said that could not be used.
struct Shown {
    lesson: &'static Lesson,
    progress: Progress,
    notices: Vec<String>,
}

/// The page.
pub struct App {
    lab: Lab,
    /// The link asks for the grading page (`grade=1`) instead of a lab.
    grade: bool,
    /// The link asks for the catalogue page (`catalogue=1`) instead of a lab.
    catalogue: bool,
    /// What the teacher's fields said that could not be used (an unknown name, a bad flag).
    teacher_notices: Vec<String>,
    /// The challenge the link sets (`ch=`), whose notes `notes=1` shows outside a lesson.
    challenge: Option<String>,
    embed: bool,
    help: bool,
    /// The lab's shortcuts, off while the help is open.
    keys: Keys,
    /// Where the focus was before the help opened, and whether focus must move after the next
    /// render (into the help when it opened, back when it closed).
    focus_before: Option<web_sys::HtmlElement>,
    focus_pending: bool,
    lesson: Option<Shown>,
    /// Changes whenever a lesson step mounts its lab afresh.
    lab_mount: u32,
    _keys: Option<EventListener>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let search = window().location().search().unwrap_or_default();
        let mut lab = Lab::from_query(&search);
        let embed = lab.is_embed(&search);
        let opens_lesson = !embed && lessons::opens_lesson(&search);
        if opens_lesson {
            lab = lesson_of(&search).0.lab;
        }
        // Before the lesson writes the address bar, which carries the teacher's fields too.
        let teacher_notices = teacher::open(&search, lab.teacher_names());
        let lesson = opens_lesson.then(|| open_lesson(&search));
        let listener = window().document().map(|doc| {
            let link = ctx.link().clone();
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&doc, "keydown", options, move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    if let Some(msg) = page_key(e, embed) {
                        link.send_message(msg);
                    }
                }
            })
        });
        App {
            lab,
            grade: is_page(&search, "grade"),
            catalogue: is_page(&search, "catalogue"),
            teacher_notices,
            challenge: gossip_core::link::pairs(&search)
                .into_iter()
                .rev()
                .find(|(k, _)| k == "ch")
                .map(|(_, v)| v),
            embed,
            help: false,
            keys: Keys::new(),
            focus_before: None,
            focus_pending: false,
            lesson,
            lab_mount: 0,
            _keys: listener,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::ToggleHelp => {
                self.help = !self.help;
                if self.help {
                    self.focus_before = window()
                        .document()
                        .and_then(|d| d.active_element())
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                }
                self.keys.set(!self.help);
                self.focus_pending = true;
                true
            }
            Msg::Pick(key) => match Lab::ALL.into_iter().find(|l| l.key() == key) {
                Some(lab) if lab != self.lab => {
                    // Another lab ends the lesson, and the teacher's locks of the old one.
                    self.lesson = None;
                    teacher::switch_lab(lab.teacher_names());
                    crate::shell::share::set_lesson_fields("");
                    // The new lab reads the address bar as its link: the old lab's fields would
                    // each be a notice there, so it starts from the lab's own bare link.
                    if let Ok(h) = window().history() {
                        let href = format!("{}{}", crate::shell::share::base(), lab.bare_link());
                        let _ =
                            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
                    }
                    self.lab = lab;
                    true
                }
                _ => false,
            },
            Msg::Lesson(progress) => {
                let Some(lesson) = lessons::find(&progress.lesson) else {
                    return false;
                };
                let Some(shown) = &mut self.lesson else {
                    return false;
                };
                let moved = shown.progress.lesson != progress.lesson
                    || shown.progress.step != progress.step;
                let lab_link = if moved {
                    self.lab_mount += 1;
                    self.lab = lesson.lab;
                    step_setup(lesson, &progress).to_string()
                } else {
                    lesson::strip(&window().location().search().unwrap_or_default())
                };
                show_progress(&lab_link, &progress);
                self.challenge = None;
                *shown = Shown {
                    lesson,
                    progress,
                    notices: Vec::new(),
                };
                true
            }
            Msg::ToggleProjector => {
                teacher::set_projector(!teacher::projector());
                show_teacher_fields();
                true
            }
            Msg::DismissTeacher => {
                self.teacher_notices.clear();
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = LabProps {
            embed: self.embed,
            keys: self.keys.clone(),
            projector: teacher::projector(),
        };
        if self.embed {
            return html! { <main class="lab embed">{ self.lab.view(props) }</main> };
        }
        let link = ctx.link();
        if self.grade {
            return html! {
                <main class="lab">
                    <header><h1>{ "Gossip Lab" }</h1></header>
                    <GradePage />
                </main>
            };
        }
        if self.catalogue {
            return html! {
                <main class="lab">
                    <header><h1>{ "Gossip Lab" }</h1></header>
                    <CataloguePage />
                </main>
            };
        }
        // One lab today: the picker appears with the second.
        let picker = (Lab::ALL.len() > 1).then(|| {
            let options = Lab::ALL.into_iter().map(|l| {
                html! { <option value={l.key()} selected={l == self.lab}>{ l.title() }</option> }
            });
            let pick = link.callback(|ev: Event| {
                Msg::Pick(ev.target_unchecked_into::<HtmlSelectElement>().value())
            });
            html! { <select id="lab" aria-label="Lab" onchange={pick}>{ for options }</select> }
        });
        let close = link.callback(|_| Msg::ToggleHelp);
        html! {
            <main class="lab">
                <header>
                    <h1>{ "Gossip Lab" }</h1>
                    { for picker }
                    <button id="proj-button" class="small" aria-pressed={teacher::projector().to_string()} onclick={link.callback(|_| Msg::ToggleProjector)} aria-keyshortcuts="P">{ "Projector (P)" }</button>
                    <button id="help-button" class="small" onclick={link.callback(|_| Msg::ToggleHelp)} aria-keyshortcuts="?">{ "Keys (?)" }</button>
                </header>
                { self.teacher_notice_list(ctx) }
                { for self.lesson.as_ref().map(|s| html! {
                    <LessonPlayer lesson={s.lesson} progress={s.progress.clone()}
                        notices={s.notices.clone()} on_go={link.callback(Msg::Lesson)} />
                }) }
                { for teacher::notes().then(|| crate::lessons::notes::panel(self.notes_key())) }
                <div class="lab-mount" key={self.lab_mount.to_string()}>{ self.lab.view(props) }</div>
                <div class="host">{ for self.help.then(|| html! {
                    <HelpDialog rows={self.lab.help()} link_rows={self.lab.link_help()} on_close={close} />
                }) }</div>
            </main>
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        if std::mem::take(&mut self.focus_pending) {
            // The help is a modal dialog: focus goes into it, and back where it was on closing.
            let target = if self.help {
                element(CLOSE_ID)
            } else {
                self.focus_before
                    .take()
                    .filter(|e| e.is_connected())
                    .or_else(|| element("help-button"))
            };
            if let Some(t) = target {
                // Focusing a connected element cannot fail in a way the page could act on.
                let _ = t.focus();
            }
        }
    }
}

impl App {
    /// The notices of the teacher's fields, above the lab (the lab's own box is the lab's).
    fn teacher_notice_list(&self, ctx: &Context<Self>) -> Html {
        if self.teacher_notices.is_empty() {
            return html! {};
        }
        html! {
            <div id="teacher-notices" class="notices" role="status">
                <ul>{ for self.teacher_notices.iter().map(|n| html! { <li class="notice">{ n }</li> }) }</ul>
                <button class="small" onclick={ctx.link().callback(|_| Msg::DismissTeacher)}>{ "Dismiss" }</button>
            </div>
        }
    }

    /// The lesson or challenge whose notes `notes=1` shows.
    fn notes_key(&self) -> Option<&str> {
        match &self.lesson {
            Some(s) => Some(s.lesson.key),
            None => self.challenge.as_deref(),
        }
    }
}

/// Whether the link `search` asks for the page `name` (`grade=1`, `catalogue=1`) instead of a lab.
fn is_page(search: &str, name: &str) -> bool {
    gossip_core::link::pairs(search)
        .iter()
        .any(|(k, v)| k == name && v == "1")
}

/// Writes the teacher's fields, as they are now, into the address bar after the rest of it.
fn show_teacher_fields() {
    let search = window().location().search().unwrap_or_default();
    let own = gossip_core::link::teacher::strip(&lesson::strip(&search));
    let href =
        crate::shell::share::with_lesson_fields(&format!("{}{own}", crate::shell::share::base()));
    if let Ok(h) = window().history() {
        // A refused replaceState (a sandboxed frame) leaves the old address; the page goes on.
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
    }
}

/// The lesson a link opens (the first when it names none or an unknown one), with the lesson
/// fields' notices; when the link holds no run of its own, the step's setup is put in the
/// address bar for the lab to read.
fn open_lesson(search: &str) -> Shown {
    let (lesson, progress, notices) = lesson_of(search);
    let own = lesson::strip(search);
    let lab_link = if own.is_empty() {
        step_setup(lesson, &progress).to_string()
    } else {
        own
    };
    show_progress(&lab_link, &progress);
    Shown {
        lesson,
        progress,
        notices: notices.iter().map(|n| n.to_string()).collect(),
    }
}

/// The lesson a link opens (the first when it names none or an unknown one), where the link
/// says the student is, and the lesson fields' notices.
fn lesson_of(search: &str) -> (&'static Lesson, Progress, Vec<gossip_core::link::Notice>) {
    let (progress, notices) = lesson::parse(search, &lessons::catalogue());
    let progress = progress.unwrap_or_else(|| Progress::start(lessons::LESSONS[0].key));
    let lesson = lessons::find(&progress.lesson).unwrap_or(lessons::LESSONS[0]);
    (lesson, progress, notices)
}

/// The setup link of the step `progress` is at.
fn step_setup(lesson: &Lesson, progress: &Progress) -> &'static str {
    let i = (progress.step.max(1) as usize - 1).min(lesson.steps.len() - 1);
    lesson.steps[i].setup
}

/// Puts `lab_link` and the progress in the address bar, and keeps the progress there when the
/// lab writes its own link.
fn show_progress(lab_link: &str, progress: &Progress) {
    let fields = progress.encode();
    crate::shell::share::set_lesson_fields(&fields);
    let href = crate::shell::share::with_lesson_fields(&format!(
        "{}{lab_link}",
        crate::shell::share::base()
    ));
    if let Ok(h) = window().history() {
        // A refused replaceState (a sandboxed frame) leaves the old address; the lesson goes on.
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
    }
}

/// The page's own keys: `?` opens and closes the help (not in the embed, which has none), `P`
/// switches projector mode;
/// while it is open, Escape closes it and Tab stays on its Close button, and every other key is
/// left to the dialog (Space or Enter on Close press it) while the lab's shortcuts are off.
fn page_key(e: &KeyboardEvent, embed: bool) -> Option<Msg> {
    let open = element(CLOSE_ID);
    if e.key() == "Tab" {
        if let Some(close) = open {
            e.prevent_default();
            let _ = close.focus();
        }
        return None;
    }
    let key = keys::shortcut(e)?;
    let msg = match key.as_str() {
        "?" if !embed => Msg::ToggleHelp,
        "Escape" if open.is_some() => Msg::ToggleHelp,
        // Not while the help holds the keyboard: there every other key is the dialog's.
        "p" | "P" if !embed && open.is_none() => Msg::ToggleProjector,
        _ => return None,
    };
    e.prevent_default();
    // The page took this key: the lab's handler (registered after this one, on the same
    // document) must not see it too. Yew may run the update, and so turn the lab's keys back
    // on, before the lab's handler is called, so the switch alone cannot stop it.
    e.stop_immediate_propagation();
    Some(msg)
}
