//! The lesson format: plain data, so that a lesson reads as a script and a challenge can reuse
//! its parts. A [`Lesson`] is a sequence of [`Step`]s over one lab. A step says in plain words
//! what to look at, sets up its run with a link (the lab's own fields: a step is exactly what a
//! student could have opened by hand), may ask for a prediction first ([`Predict`]), runs, waits
//! for an event of the model ([`Wait`]), and then shows the prediction beside what the run
//! measured ([`crate::lessons::measure::Measure`], a function of the recorded run) with one
//! sentence of explanation. Formulas and citations sit in `more`, behind a toggle.
//!
//! Prose is written with two marks: `{0}`, `{1}`, … stand for the step's [`Fact`]s (every
//! number a step states is computed by the engine, the kernel or the theory module, never
//! typed: a test checks that no prose holds a digit), and `[term]` links a term to the glossary
//! ([`crate::lessons::glossary`]).

use crate::labs::Lab;
use crate::lessons::facts::Fact;
use crate::lessons::measure::Measure;

/// A short sequence of steps over one lab.
#[derive(Debug, PartialEq)]
pub struct Lesson {
    /// Its name in links (`lesson=`).
    pub key: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The lab every step runs in.
    pub lab: Lab,
    /// The steps, in order.
    pub steps: &'static [Step],
}

/// One step: look, (predict,) run, compare, explain.
#[derive(Debug, PartialEq)]
pub struct Step {
    /// A few words naming the step.
    pub title: &'static str,
    /// What to look at, in plain words.
    pub look: &'static str,
    /// The run: the lab's link for this step (`?s=epidemic&speed=4`).
    pub setup: &'static str,
    /// The prediction asked before running, if any.
    pub predict: Option<Predict>,
    /// When the result is shown.
    pub wait: Wait,
    /// What the run is measured by.
    pub measure: Measure,
    /// One sentence that explains the result.
    pub explain: &'static str,
    /// Formulas and citations (behind "more").
    pub more: &'static str,
    /// The numbers the prose states, `{0}` first.
    pub facts: &'static [Fact],
}

/// A question asked before the run.
#[derive(Debug, PartialEq)]
pub struct Predict {
    /// The question.
    pub question: &'static str,
    /// How it is answered.
    pub answer: Answer,
}

/// How a prediction is given.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// A number in a unit ("rounds", "% of the nodes").
    Number {
        /// The unit, shown after the field and the result.
        unit: &'static str,
    },
    /// One of a few choices (at most `link::lesson::CHOICES_MAX`), written `a`, `b`, … in the
    /// link.
    Choice(&'static [&'static str]),
}

/// The event of the model a step waits for before it shows its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// The run is complete: nothing more can happen without an action.
    Complete,
    /// The run has reached this round.
    Round(u32),
    /// The partition of the step's run has healed (the round of its heal action is reached).
    Healed,
    /// The round at which the event the step measures happened (a suspicion, a death) is
    /// reached ([`crate::lessons::measure::event_round`]).
    Event,
}
