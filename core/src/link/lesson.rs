//! A lesson's progress as a link holds it: which lesson, which step, and what the student
//! predicted, so that a student can send what they did and a reload keeps it.
//!
//! The fields sit beside a lab's own (`?s=epidemic&n=200&lesson=epidemic&step=2&guess=1.9`):
//! every lab's parser leaves them to this module ([`is_field`]), and this module reads nothing
//! else. The lessons themselves (their steps, questions and checks) belong to the page; the
//! parser is given their names and step counts, so it can validate without knowing them.
//!
//! # Fields
//! | name | meaning | values |
//! |------|---------|--------|
//! | `lesson` | the lesson | a name the page's catalogue lists |
//! | `step` | the step shown, from 1 | 1 to the lesson's steps |
//! | `guess` | the predictions made, joined by `_`: `<step>.<value>` | a number (`12`, `1.5`, at most [`GUESS_CHARS_MAX`] characters, at most [`GUESS_VALUE_MAX`]) or a choice letter `a` to `h`; at most one per step |
//!
//! As everywhere in links, reading never fails: a bad value is ignored with a [`Notice`]
//! (a bad prediction drops that prediction only), and [`Progress::encode`] writes the
//! canonical form, which reads back to the same progress.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{pairs, Fields, Notice};

/// The link's lesson fields, which no lab reads.
pub const FIELDS: [&str; 3] = ["lesson", "step", "guess"];
/// The longest number a prediction may be written with, in characters.
pub const GUESS_CHARS_MAX: usize = 12;
/// The largest number a prediction may be.
pub const GUESS_VALUE_MAX: f64 = 1e9;
/// The choices a prediction may pick from: `a` to `h`.
pub const CHOICES_MAX: u8 = 8;
/// The most steps a lesson may have (so `guess=` holds at most this many predictions).
pub const STEPS_MAX: u32 = 32;

/// Whether `name` is one of the lesson fields (a lab's parser skips it).
pub fn is_field(name: &str) -> bool {
    FIELDS.contains(&name)
}

/// One prediction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Guess {
    /// A number, in the unit the step names: finite, 0 to [`GUESS_VALUE_MAX`].
    Number(f64),
    /// The index of a choice, 0 (`a`) to [`CHOICES_MAX`] − 1.
    Choice(u8),
}

impl Guess {
    /// Reads a prediction's value: a choice letter or a plain decimal number.
    pub fn from_text(v: &str) -> Option<Guess> {
        let b = v.as_bytes();
        if b.len() == 1 && (b'a'..b'a' + CHOICES_MAX).contains(&b[0]) {
            return Some(Guess::Choice(b[0] - b'a'));
        }
        let plain = !v.is_empty()
            && v.len() <= GUESS_CHARS_MAX
            && v.bytes().all(|c| c.is_ascii_digit() || c == b'.')
            && v.bytes().filter(|&c| c == b'.').count() <= 1
            && v.bytes().any(|c| c.is_ascii_digit());
        let x: f64 = if plain { v.parse().ok()? } else { return None };
        (x.is_finite() && x <= GUESS_VALUE_MAX).then_some(Guess::Number(x))
    }

    /// Its canonical text: the shortest decimal that reads back to the number, or the letter.
    pub fn text(self) -> String {
        match self {
            Guess::Number(x) => format!("{x}"),
            Guess::Choice(i) => char::from(b'a' + i).to_string(),
        }
    }
}

/// Where a student is in a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The lesson's name.
    pub lesson: String,
    /// The step shown, from 1.
    pub step: u32,
    /// The predictions made, by step (from 1), in step order, at most one per step.
    pub guesses: Vec<(u32, Guess)>,
}

impl Progress {
    /// The start of lesson `lesson`: step 1, nothing predicted.
    pub fn start(lesson: &str) -> Progress {
        Progress {
            lesson: lesson.to_string(),
            step: 1,
            guesses: Vec::new(),
        }
    }

    /// The prediction made at `step`, if any.
    pub fn guess(&self, step: u32) -> Option<Guess> {
        self.guesses
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, g)| *g)
    }

    /// Records (or replaces) the prediction of `step`, keeping step order.
    pub fn set_guess(&mut self, step: u32, guess: Guess) {
        self.guesses.retain(|(s, _)| *s != step);
        let at = self.guesses.partition_point(|(s, _)| *s < step);
        self.guesses.insert(at, (step, guess));
    }

    /// The canonical fields, without a leading `?` or `&`: `lesson=…&step=…[&guess=…]`.
    pub fn encode(&self) -> String {
        let mut out = format!("lesson={}&step={}", self.lesson, self.step);
        if !self.guesses.is_empty() {
            let items: Vec<String> = self
                .guesses
                .iter()
                .map(|(s, g)| format!("{s}.{}", g.text()))
                .collect();
            out.push_str("&guess=");
            out.push_str(&items.join("_"));
        }
        out
    }
}

/// The progress a link holds, if it names a lesson of `catalogue` (each lesson's name and
/// number of steps), and a notice for every lesson field that could not be used as given.
pub fn parse(link: &str, catalogue: &[(&str, u32)]) -> (Option<Progress>, Vec<Notice>) {
    let pairs = pairs(link);
    let mut f = Fields::default();
    let value = |k: &str| pairs.iter().rev().find(|(x, _)| x == k).map(|(_, v)| v);
    let lesson = value("lesson").and_then(|v| {
        let found = catalogue.iter().find(|(name, _)| name == v).copied();
        if found.is_none() {
            f.note("lesson", v, "", "is not a lesson of Gossip Lab");
        }
        found
    });
    let Some((name, steps)) = lesson else {
        for k in ["step", "guess"] {
            if let Some(v) = value(k) {
                f.note(k, v, "", "belongs to a lesson, and the link names none");
            }
        }
        return (None, f.into_notices());
    };
    let steps = steps.clamp(1, STEPS_MAX);
    let mut progress = Progress::start(name);
    if let Some(v) = value("step") {
        progress.step = f.int("step", v, 1, u64::from(steps), 1) as u32;
    }
    if let Some(v) = value("guess") {
        read_guesses(&mut progress, v, steps, &mut f);
    }
    (Some(progress), f.into_notices())
}

/// Reads `guess=`'s items into `progress`; a bad item is ignored with a notice.
fn read_guesses(progress: &mut Progress, v: &str, steps: u32, f: &mut Fields) {
    for item in v.split('_').filter(|s| !s.is_empty()) {
        let parsed = item.split_once('.').and_then(|(s, g)| {
            let step = s.parse::<u32>().ok().filter(|s| (1..=steps).contains(s))?;
            Some((step, Guess::from_text(g)?))
        });
        match parsed {
            Some((step, g)) => progress.set_guess(step, g),
            None => f.note(
                "guess",
                item,
                "",
                format!(
                    "is not <step>.<value> with a step 1 to {steps} and a number or a letter a to h"
                ),
            ),
        }
    }
}

/// The query `link` without its lesson fields, as written (`?…`, or empty when nothing is left):
/// the lab's own link, whose run a step's check replays.
pub fn strip(link: &str) -> String {
    super::without(link, is_field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const CATALOGUE: &[(&str, u32)] = &[("epidemic", 4), ("modes", 3)];

    #[test]
    fn progress_round_trips_through_its_canonical_link() {
        let mut p = Progress::start("epidemic");
        p.step = 3;
        p.set_guess(2, Guess::Choice(1));
        p.set_guess(1, Guess::Number(12.5));
        assert_eq!(p.encode(), "lesson=epidemic&step=3&guess=1.12.5_2.b");
        let (back, notices) = parse(&format!("?s=epidemic&{}", p.encode()), CATALOGUE);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, Some(p));
    }

    #[test]
    fn a_prediction_is_replaced_not_repeated() {
        let (p, _) = parse("?lesson=modes&guess=1.4_1.5_3.a", CATALOGUE);
        let p = p.unwrap();
        assert_eq!(
            p.guesses,
            vec![(1, Guess::Number(5.0)), (3, Guess::Choice(0))]
        );
        assert_eq!(p.guess(2), None);
    }

    #[test]
    fn bad_values_are_ignored_and_each_is_said() {
        let link = "?lesson=epidemic&step=9&guess=1.x_7.3_2.-1_3.1e5_4.b_2.9999999999999";
        let (p, notices) = parse(link, CATALOGUE);
        let p = p.unwrap();
        assert_eq!(p.step, 4, "a step past the last is clamped to it");
        assert_eq!(p.guesses, vec![(4, Guess::Choice(1))]);
        let said: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        assert_eq!(said.len(), 6, "{said:?}");
        assert_eq!(said[0], "Parameter step=9 is above the limit 4; using 4.");
        assert!(said[1].starts_with("Parameter guess=1.x is not <step>.<value>"));
        assert!(said.iter().all(|s| !s.contains("4.b")));
    }

    #[test]
    fn an_unknown_lesson_or_lesson_fields_without_one_are_ignored_with_notices() {
        let (p, notices) = parse("?lesson=nope&step=2", CATALOGUE);
        assert_eq!(p, None);
        assert_eq!(notices.len(), 2);
        assert_eq!(
            notices[0].to_string(),
            "Parameter lesson=nope is not a lesson of Gossip Lab; ignored."
        );
        let (p, notices) = parse("?s=epidemic", CATALOGUE);
        assert_eq!((p, notices.len()), (None, 0));
    }

    #[test]
    fn guesses_read_only_plain_numbers_and_choice_letters() {
        assert_eq!(Guess::from_text("9"), Some(Guess::Number(9.0)));
        assert_eq!(Guess::from_text("0.25"), Some(Guess::Number(0.25)));
        assert_eq!(Guess::from_text("h"), Some(Guess::Choice(7)));
        for bad in [
            "",
            ".",
            "i",
            "1.2.3",
            "inf",
            "NaN",
            "1e3",
            "-2",
            "9999999999999",
        ] {
            assert_eq!(Guess::from_text(bad), None, "{bad}");
        }
        assert_eq!(Guess::Number(12.0).text(), "12");
    }

    #[test]
    fn strip_leaves_the_labs_own_link_as_written() {
        assert_eq!(
            strip("?s=epidemic&lesson=epidemic&n=200&step=2&guess=1.9"),
            "?s=epidemic&n=200"
        );
        assert_eq!(strip("?lesson=epidemic"), "");
        assert_eq!(strip("http://h/?a=3c5_4h&step=1#x"), "?a=3c5_4h");
    }
}

#[cfg(test)]
mod lab_tests {
    #[test]
    fn every_labs_parser_leaves_the_lesson_fields_alone() {
        let lesson = "&lesson=epidemic&step=2&guess=1.9";
        let (plain, _) =
            crate::link::dissemination::parse("?s=epidemic&n=200", &mut |_, _, _| false);
        let (with, notices) = crate::link::dissemination::parse(
            &alloc::format!("?s=epidemic&n=200{lesson}"),
            &mut |_, _, _| false,
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(plain, with);
        let (plain, _) = crate::link::membership::parse("?s=detect", &mut |_, _, _| false);
        let (with, notices) =
            crate::link::membership::parse(&alloc::format!("?s=detect{lesson}"), &mut |_, _, _| {
                false
            });
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(plain, with);
    }
}
