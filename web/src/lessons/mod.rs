//! Guided lessons: predict, observe, explain. A lesson is a short sequence of steps over one
//! lab ([`format`]); each step sets up its run with a link, may ask for a prediction, runs, waits
//! for an event of the model, and shows the prediction beside what the run measured, with one
//! sentence of explanation.
//!
//! How it is driven: the shell ([`crate::app`]) reads the lesson fields of the link
//! (`gossip_core::link::lesson`: lesson, step, predictions) and shows the [`player`] above the
//! lab; the bare page opens the first lesson's first step. The player talks to the lab only
//! through what every lab has: the link (a step's setup is put in the address bar before the
//! lab is mounted, and the lab's own link is what a step's check replays, [`measure`]), the
//! shared transport's Play button (`#play`) and the `gossiplab:round` event
//! (`shell::script_api`). The lesson fields ride along in the address bar
//! (`shell::share::set_lesson_fields`), so a copied link keeps the progress.
//!
//! * [`format`]: the plain data a lesson is (steps, predictions, events to wait for);
//! * [`facts`]: the numbers a step states, computed by the kernel and the theory module;
//! * [`measure`]: what a step reads off the recorded run (a replay of the lab's link);
//! * [`glossary`]: the terms' definitions and the prose markup that links them;
//! * [`player`]: the lesson panel component;
//! * [`challenges`]: the core's challenges (`gossip_core::challenge`) on the page: the panel
//!   beside the lab, proof links and the teacher's grading page;
//! * [`notes`]: the teacher notes of every lesson and challenge, and their panel (`notes=1`);
//! * [`catalogue`]: the catalogue page (`?catalogue=1`), every lesson and challenge with its
//!   links and notes;
//! * the lessons: [`epidemic`], [`modes`], [`rumor`], [`partition`], [`repair`] (the
//!   dissemination lab)
//!   and [`membership`] (the membership lab).

pub mod catalogue;
pub mod challenges;
pub mod epidemic;
pub mod facts;
pub mod format;
pub mod glossary;
pub mod measure;
pub mod membership;
pub mod modes;
pub mod notes;
pub mod partition;
pub mod player;
pub mod repair;
pub mod rumor;

#[cfg(test)]
mod tests;

use format::Lesson;

/// Every lesson, in the order a student meets them; the first is the bare page's.
pub const LESSONS: &[&Lesson] = &[
    &epidemic::LESSON,
    &modes::LESSON,
    &rumor::LESSON,
    &partition::LESSON,
    &repair::LESSON,
    &membership::LESSON,
];

/// Every lesson's name and number of steps, for `gossip_core::link::lesson::parse`.
pub fn catalogue() -> Vec<(&'static str, u32)> {
    LESSONS
        .iter()
        .map(|l| (l.key, l.steps.len() as u32))
        .collect()
}

/// The lesson named `key`.
pub fn find(key: &str) -> Option<&'static Lesson> {
    LESSONS.iter().copied().find(|l| l.key == key)
}

/// Whether a link opens a lesson: it names one, or it is bare (the first minute). A link with
/// any other field opens exactly as it did before lessons existed.
pub fn opens_lesson(search: &str) -> bool {
    let pairs = gossip_core::link::pairs(search);
    pairs.is_empty() || pairs.iter().any(|(k, _)| k == "lesson")
}
