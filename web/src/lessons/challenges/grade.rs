//! One line of the grading page (and the proof a page opens with): read as a proof link
//! (`gossip_core::challenge::proof::read`), replayed and checked again ([`super::work::Job`]),
//! and described in the table's cells. The verdict always comes from the replay; the digest
//! only says whether the link is as the page wrote it.

use gossip_core::challenge::check::Verdict;
use gossip_core::challenge::proof::{self, Claim};

use super::work::Job;

/// The most lines one paste may hold: each can be hundreds of replays.
pub const LINES_MAX: usize = 200;

/// Where a line's check is.
#[derive(Clone, Debug)]
pub enum State {
    /// Not a proof link: why.
    NotProof(String),
    /// Being replayed.
    Checking(Claim, Box<Job>),
    /// Replayed: the verdict, and whether the digest matched the replay (`None` when the run
    /// broke the rules, so there is no outcome to hash).
    Done(Claim, Verdict, Option<bool>),
}

/// A line and its check.
#[derive(Clone, Debug)]
pub struct Row {
    /// The line as pasted.
    pub line: String,
    /// Its check.
    pub state: State,
}

impl Row {
    /// The row of `line`, its check not started.
    pub fn new(line: &str) -> Row {
        let line = line.trim().to_string();
        let state = match proof::read(&line) {
            Ok(claim) => {
                let job = Job::new(claim.challenge, &claim.run);
                State::Checking(claim, Box::new(job))
            }
            Err(e) => State::NotProof(e.to_string()),
        };
        Row { line, state }
    }

    /// Whether its check is over.
    pub fn done(&self) -> bool {
        !matches!(self.state, State::Checking(..))
    }

    /// Advances its check while `more()` says there is time; returns whether it is over.
    pub fn work(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        let State::Checking(claim, job) = &mut self.state else {
            return true;
        };
        if !job.work(more) {
            return false;
        }
        if let Some(v) = job.verdict().cloned() {
            let matches = v.student.as_ref().map(|o| claim.digest_matches(o));
            self.state = State::Done(claim.clone(), v, matches);
        }
        true
    }

    /// Whether the replay passed (`None` before it ends or for a line that is not a proof).
    pub fn passed(&self) -> Option<bool> {
        match &self.state {
            State::Done(_, v, _) => Some(v.passed),
            _ => None,
        }
    }

    /// Whether the link was edited after it was solved (its digest does not match its replay).
    pub fn edited(&self) -> bool {
        matches!(self.state, State::Done(_, _, Some(false)))
    }

    /// The table's cells: the challenge, the result, the replayed numbers, the link's check.
    pub fn cells(&self) -> [String; 4] {
        match &self.state {
            State::NotProof(why) => [
                String::from("—"),
                String::from("not a proof"),
                format!("This line is not a proof link: {why}."),
                String::new(),
            ],
            State::Checking(claim, job) => {
                let p = job.progress();
                [
                    claim.challenge.id.to_string(),
                    String::from("checking…"),
                    format!(
                        "{} of at most {} replays done",
                        p.replays_done, p.replays_max
                    ),
                    String::new(),
                ]
            }
            State::Done(claim, v, matches) => [
                claim.challenge.id.to_string(),
                String::from(if v.passed { "passed" } else { "failed" }),
                numbers(v),
                match matches {
                    Some(true) => String::from("as solved"),
                    Some(false) => String::from("edited: this link was edited after it was solved"),
                    None => String::from("cannot tell (the run breaks the rules)"),
                },
            ],
        }
    }
}

/// The replayed numbers: the verdict's sentence (what the replay measured, or for a robust
/// challenge the fresh-seed counts, after the student's own run).
fn numbers(v: &Verdict) -> String {
    let sentence = sentence(&v.sentence);
    match (&v.student, v.fresh) {
        (Some(o), Some(_)) => format!("Your run: {}. {sentence}", o.sentence),
        _ => sentence,
    }
}

/// `s` as a sentence: a capital first, a full stop last.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The rows of a paste: one per non-empty line, at most [`LINES_MAX`] (the rest are left out:
/// `true` says some were).
pub fn rows(text: &str) -> (Vec<Row>, bool) {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let rows = lines.iter().take(LINES_MAX).map(|l| Row::new(l)).collect();
    (rows, lines.len() > LINES_MAX)
}

/// Advances the first rows whose checks are not over while `more()` says there is time;
/// returns whether every row is done.
pub fn work(rows: &mut [Row], more: &mut dyn FnMut() -> bool) -> bool {
    for row in rows.iter_mut().filter(|r| !r.done()) {
        if !row.work(more) {
            return false;
        }
        if !more() {
            return rows.iter().all(Row::done);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::challenge::check::Check;
    use gossip_core::challenge::find;
    use gossip_core::link::dissemination::parse;

    /// A proof of apart20 as the page writes it, and one that fails.
    fn proofs() -> (String, String) {
        let ch = find("apart20").unwrap();
        let make = |a: &str| {
            let run = parse(&format!("?s=partition&a={a}"), &mut |_, _, _| false).0;
            let v = Check::new(ch, &run).run_to_end();
            proof::link(ch, &run, v.student.as_ref().unwrap()).unwrap()
        };
        (make("p0-31~32-63_25h"), make("p0-31~32-63_5h"))
    }

    #[test]
    fn a_paste_gives_a_passing_a_failing_an_edited_and_a_garbage_row() {
        let (good, bad) = proofs();
        // Healing later by hand: still a pass on replay, but the digest no longer matches.
        let edited = good.replace("_25h", "_26h");
        assert_ne!(edited, good);
        let text = format!("{good}\n\n  {bad}\n{edited}\nhello there\n");
        let (mut rows, cut) = rows(&text);
        assert!(!cut);
        assert_eq!(rows.len(), 4);
        assert!(!rows[1].done() && rows[3].done());
        // With no time per call, it takes many calls, and each makes progress.
        let mut calls = 0;
        while !work(&mut rows, &mut || false) {
            calls += 1;
            assert!(calls < 10_000);
        }
        assert!(calls > 3, "{calls}");
        assert_eq!(rows[0].passed(), Some(true));
        assert!(!rows[0].edited());
        assert_eq!(rows[0].cells()[3], "as solved");
        assert_eq!(rows[1].passed(), Some(false));
        assert!(!rows[1].edited());
        assert_eq!(rows[2].passed(), Some(true));
        assert!(rows[2].edited());
        assert!(rows[2].cells()[3].starts_with("edited"));
        assert_eq!(rows[3].passed(), None);
        assert_eq!(rows[3].cells()[1], "not a proof");
        assert!(
            rows[3].cells()[2].contains("names no challenge"),
            "{:?}",
            rows[3].cells()
        );
        assert!(
            rows[0].cells()[2].contains("64 of 64 live nodes"),
            "{:?}",
            rows[0].cells()
        );
    }

    #[test]
    fn a_paste_longer_than_the_limit_is_cut_and_says_so() {
        let text = "x\n".repeat(LINES_MAX + 1);
        let (rows, cut) = rows(&text);
        assert_eq!((rows.len(), cut), (LINES_MAX, true));
    }
}
