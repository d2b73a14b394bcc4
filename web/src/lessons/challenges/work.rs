//! A check driven a slice at a time: [`Job`] owns a core
//! [`Check`](gossip_core::challenge::check::Check) and advances it while the caller's clock
//! allows ([`Job::work`]), so a page gives it part of each animation frame and stays
//! responsive however many replays the check needs.

use gossip_core::challenge::check::{Check, Progress, Verdict};
use gossip_core::challenge::Challenge;
use gossip_core::link::dissemination::Run;

/// Simulated rounds per call to `Check::advance` between two looks at the clock: a round of
/// 1,000 nodes takes well under a millisecond, so a few keep the slice's overrun small.
pub const ROUNDS_PER_CALL: u32 = 4;
/// The milliseconds of each animation frame a page gives its checks: about half a 60 Hz
/// frame, so drawing and input keep the rest.
pub const FRAME_BUDGET_MS: f64 = 8.0;

/// A check in progress, and how far it got.
#[derive(Clone, Debug)]
pub struct Job {
    check: Check,
    progress: Progress,
}

impl Job {
    /// The check of `run` against `challenge`, not started (a run that breaks the rules is
    /// decided at once).
    pub fn new(challenge: &'static Challenge, run: &Run) -> Job {
        let check = Check::new(challenge, run);
        let progress = Progress {
            done: check.verdict().is_some(),
            replays_done: 0,
            replays_max: 1,
        };
        Job { check, progress }
    }

    /// Advances the check while `more()` says there is time (at least one call); returns
    /// whether it is done.
    pub fn work(&mut self, more: &mut dyn FnMut() -> bool) -> bool {
        while !self.progress.done {
            self.progress = self.check.advance(ROUNDS_PER_CALL);
            if !more() {
                break;
            }
        }
        self.progress.done
    }

    /// How far it got.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The verdict, once done.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.check.verdict()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::challenge::find;

    #[test]
    fn a_job_advances_only_while_there_is_time_and_ends_with_the_cores_verdict() {
        let ch = find("apart20").unwrap();
        let (run, _) = gossip_core::link::dissemination::parse(
            "?s=partition&a=p0-31~32-63_25h",
            &mut |_, _, _| false,
        );
        let mut job = Job::new(ch, &run);
        // No time at all: one call of ROUNDS_PER_CALL rounds each, not done after the first.
        assert!(!job.work(&mut || false));
        assert!(job.verdict().is_none());
        let mut calls = 1;
        loop {
            calls += 1;
            if job.work(&mut || false) {
                break;
            }
        }
        let whole = Check::new(ch, &run).run_to_end();
        assert_eq!(job.verdict(), Some(&whole));
        // The student's run alone, decided at its round: that many rounds, a call's worth each.
        let rounds = whole.student.as_ref().unwrap().round;
        assert_eq!(
            calls,
            rounds.div_ceil(ROUNDS_PER_CALL),
            "{calls} calls, {rounds} rounds"
        );
        // With time, it finishes in one call.
        let mut again = Job::new(ch, &run);
        assert!(again.work(&mut || true));
        assert!(whole.passed, "{}", whole.sentence);
    }
}
