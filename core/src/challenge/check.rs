//! The check of a student's run against a challenge, one bounded piece of work at a time.
//!
//! Driven by [`Check::advance`] (at most so many simulated rounds a call, so a page can give it
//! a slice of each frame) until it reports done, then read with [`Check::verdict`]. The replays,
//! in order: the student's own run; for a robust challenge the same choices on each fresh seed;
//! for a "smallest fanout" challenge the same on the fanout one lower. A group of fresh-seed
//! replays stops as soon as its count decides it (enough met, or too few left to reach it), so a
//! clear result costs far fewer than all the seeds.

use alloc::format;
use alloc::string::String;

use super::goal::{Outcome, Tally};
use super::{Challenge, Robust};
use crate::link::dissemination::{Replay, Run};

/// Which replay of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Student,
    Fresh,
    Smaller,
}

/// How many fresh seeds met the goal, of how many replayed, of how many asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SeedCount {
    /// Seeds on which the goal was met.
    pub met: u32,
    /// Seeds replayed (fewer than `seeds` when the count decided early).
    pub replayed: u32,
    /// Seeds the challenge asks for.
    pub seeds: u32,
}

/// The result of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Verdict {
    /// Whether the challenge is solved.
    pub passed: bool,
    /// The student's own run (absent when it broke the rules or could not start).
    pub student: Option<Outcome>,
    /// A robust challenge's fresh seeds with the student's choices.
    pub fresh: Option<SeedCount>,
    /// A "smallest fanout" challenge's fresh seeds with the fanout one lower.
    pub smaller: Option<SeedCount>,
    /// Why it passed or failed, in a sentence.
    pub sentence: String,
}

/// Progress of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Whether the verdict is ready.
    pub done: bool,
    /// Replays finished.
    pub replays_done: u32,
    /// Replays there may be at most.
    pub replays_max: u32,
}

/// A check in progress; see the module docs.
#[derive(Clone, Debug)]
pub struct Check {
    challenge: &'static Challenge,
    run: Run,
    current: Option<(Role, Replay, Tally)>,
    student: Option<Outcome>,
    fresh: SeedCount,
    smaller: SeedCount,
    verdict: Option<Verdict>,
}

impl Check {
    /// A check of `run` against `challenge`. A run that breaks the challenge's rules gets its
    /// verdict at once.
    pub fn new(challenge: &'static Challenge, run: &Run) -> Check {
        let seeds = challenge.robust.map_or(0, |r| r.seeds);
        let mut check = Check {
            challenge,
            run: run.clone(),
            current: None,
            student: None,
            fresh: SeedCount {
                seeds,
                ..SeedCount::default()
            },
            smaller: SeedCount {
                seeds,
                ..SeedCount::default()
            },
            verdict: None,
        };
        match challenge.admits(run) {
            Ok(()) => check.start(Role::Student, run.clone()),
            Err(why) => check.fail(format!("Not a valid attempt: {why}.")),
        }
        check
    }

    /// The verdict, once [`Check::advance`] has reported done.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// Runs at most `rounds_max` simulated rounds (at least one) of the check's replays.
    pub fn advance(&mut self, rounds_max: u32) -> Progress {
        let mut rounds = 0;
        while self.verdict.is_none() && rounds < rounds_max.max(1) {
            let Some((_, replay, tally)) = self.current.as_mut() else {
                // Every path that ends a replay starts the next or decides; this is not reached.
                self.fail(String::from("The check ended without a verdict."));
                break;
            };
            if tally.outcome().is_none() {
                replay.step();
                rounds += 1;
                tally.observe(replay);
            }
            if let Some(outcome) = tally.outcome().cloned() {
                self.finished(outcome);
            }
        }
        self.progress()
    }

    /// Runs the whole check at once (the runner and tests; a page uses [`Check::advance`]).
    pub fn run_to_end(mut self) -> Verdict {
        // `advance` decides before it reports done (or fails the check when it cannot go on).
        loop {
            self.advance(u32::MAX);
            if let Some(v) = self.verdict.take() {
                return v;
            }
        }
    }

    fn progress(&self) -> Progress {
        let seeds = self.fresh.seeds;
        let groups = 1 + u32::from(self.wants_smaller());
        Progress {
            done: self.verdict.is_some(),
            replays_done: u32::from(self.student.is_some())
                + self.fresh.replayed
                + self.smaller.replayed,
            replays_max: 1 + seeds * groups,
        }
    }

    fn wants_smaller(&self) -> bool {
        self.challenge.robust.is_some_and(|r| r.smallest_fanout) && self.run.fanout > 1
    }

    fn start(&mut self, role: Role, run: Run) {
        match Replay::new(&run) {
            Ok(replay) => {
                let mut tally = Tally::new(self.challenge.goal);
                tally.observe(&replay);
                self.current = Some((role, replay, tally));
            }
            Err(why) => self.fail(format!("The run cannot start: {why}.")),
        }
    }

    fn fail(&mut self, sentence: String) {
        self.current = None;
        self.verdict = Some(Verdict {
            passed: false,
            student: self.student.clone(),
            fresh: self.challenge.robust.map(|_| self.fresh),
            smaller: self.wants_smaller().then_some(self.smaller),
            sentence,
        });
    }

    // One replay ended with `outcome`: count it, then start the next replay or decide.
    fn finished(&mut self, outcome: Outcome) {
        let Some((role, _, _)) = self.current.take() else {
            return;
        };
        match role {
            Role::Student => self.student = Some(outcome),
            Role::Fresh => count(&mut self.fresh, outcome.met),
            Role::Smaller => count(&mut self.smaller, outcome.met),
        }
        self.next();
    }

    fn next(&mut self) {
        // The student's replay always ends before the others start.
        let Some(student) = self.student.clone() else {
            return self.fail(String::from("The check ended without the student's run."));
        };
        let Some(robust) = self.challenge.robust else {
            return self.decide(student.met, student.sentence.clone());
        };
        if !student.met {
            return self.decide(false, format!("Your run: {}.", student.sentence));
        }
        match decided(&robust, &self.fresh) {
            None => return self.start_fresh(Role::Fresh, &robust, self.run.fanout),
            Some(false) => return self.decide(false, self.fresh_sentence(&robust)),
            Some(true) => {}
        }
        if !self.wants_smaller() {
            return self.decide(true, self.fresh_sentence(&robust));
        }
        match decided(&robust, &self.smaller) {
            None => self.start_fresh(Role::Smaller, &robust, self.run.fanout - 1),
            Some(lower_passes) => {
                let s = self.smaller;
                let sentence = format!(
                    "{} With fanout {} it was met on {} of {} seeds replayed{}",
                    self.fresh_sentence(&robust),
                    self.run.fanout - 1,
                    s.met,
                    s.replayed,
                    if lower_passes {
                        ", also enough: a smaller fanout does it."
                    } else {
                        ": not enough, so yours is the smallest."
                    }
                );
                self.decide(!lower_passes, sentence)
            }
        }
    }

    fn start_fresh(&mut self, role: Role, robust: &Robust, fanout: u32) {
        let replayed = match role {
            Role::Smaller => self.smaller.replayed,
            _ => self.fresh.replayed,
        };
        let run = Run {
            seed: robust.seed(replayed),
            fanout,
            ..self.run.clone()
        };
        self.start(role, run);
    }

    fn fresh_sentence(&self, robust: &Robust) -> String {
        let f = self.fresh;
        format!(
            "Met on {} of {} fresh seeds replayed ({} % of {} needed).",
            f.met, f.replayed, robust.pass_percent, robust.seeds
        )
    }

    fn decide(&mut self, passed: bool, sentence: String) {
        self.verdict = Some(Verdict {
            passed,
            student: self.student.clone(),
            fresh: self.challenge.robust.map(|_| self.fresh),
            smaller: self.wants_smaller().then_some(self.smaller),
            sentence,
        });
    }
}

fn count(c: &mut SeedCount, met: bool) {
    c.replayed += 1;
    c.met += u32::from(met);
}

/// Whether `c` already decides `robust`'s test: `Some(true)` once enough seeds met the goal,
/// `Some(false)` once too few are left to reach it, `None` while open.
pub fn decided(robust: &Robust, c: &SeedCount) -> Option<bool> {
    let left = c.seeds - c.replayed;
    if robust.passes(c.met) {
        Some(true)
    } else if !robust.passes(c.met + left) {
        Some(false)
    } else {
        None
    }
}
