//! What the challenge panel says, as plain functions of the challenge, the student's run and
//! the checks' results (host-tested; [`super::panel`] only lays them out).

use gossip_core::challenge::check::{Progress, Verdict};
use gossip_core::challenge::Challenge;
use gossip_core::link::dissemination::Run;

/// The budget line: actions used of those allowed, of which kinds, and the fields the student
/// may change (everything else is fixed).
pub fn budget(ch: &Challenge, run: &Run) -> String {
    let f = &ch.freedom;
    let kinds: Vec<&str> = f.action_kinds.iter().map(|k| k.name()).collect();
    let actions = if f.actions_max == 0 {
        String::from("Actions: none allowed.")
    } else {
        format!(
            "Actions: {} of {} allowed ({}).",
            run.actions.len(),
            f.actions_max,
            kinds.join(", ")
        )
    };
    let mut free = Vec::new();
    if f.fanout {
        free.push("the fanout");
    }
    if f.seed {
        free.push("the seed");
    }
    let free = if free.is_empty() {
        String::from("Every parameter is fixed.")
    } else {
        format!(
            "Free: {}; every other parameter is fixed.",
            free.join(" and ")
        )
    };
    format!("{actions} {free}")
}

/// The live status of a non-robust challenge, as the run plays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Live {
    /// The replay of the student's run is still being computed.
    Checking,
    /// The run breaks the challenge's rules (the reason), or cannot start.
    Invalid(String),
    /// The goal is decided at a round the page has not shown yet.
    NotYet,
    /// Met, at this round.
    Met(u32, String),
    /// Missed: it can no longer be met.
    Missed(String),
}

/// The live status of `verdict` (the check of the student's run, `None` while it runs) with
/// the page at `round`; `complete` when the page's run can go no further (it shows the end).
pub fn live(verdict: Option<&Verdict>, round: u32, complete: bool) -> Live {
    let Some(v) = verdict else {
        return Live::Checking;
    };
    match &v.student {
        None => Live::Invalid(v.sentence.clone()),
        Some(o) if round < o.round && !complete => Live::NotYet,
        Some(o) if o.met => Live::Met(o.round, o.sentence.clone()),
        Some(o) => Live::Missed(o.sentence.clone()),
    }
}

impl Live {
    /// The status line.
    pub fn line(&self) -> String {
        match self {
            Live::Checking => String::from("Checking your run…"),
            Live::Invalid(why) => why.clone(),
            Live::NotYet => String::from("Not yet: play the run on."),
            Live::Met(r, s) => format!("Met at round {r}: {s}."),
            Live::Missed(s) => format!("Not met: {s}."),
        }
    }

    /// Whether the goal is met and shown.
    pub fn met(&self) -> bool {
        matches!(self, Live::Met(..))
    }
}

/// The robust check's progress, as the bar's value and a line.
pub fn progress_line(p: &Progress) -> String {
    format!(
        "Checking: {} replays done (at most {}).",
        p.replays_done, p.replays_max
    )
}

/// A finished check's verdict, in a line.
pub fn verdict_line(v: &Verdict) -> String {
    let head = if v.passed { "Passed" } else { "Not passed" };
    format!("{head}: {}", v.sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::challenge::check::Check;
    use gossip_core::challenge::find;
    use gossip_core::link::dissemination::parse;

    fn run(link: &str) -> Run {
        parse(link, &mut |_, _, _| false).0
    }

    #[test]
    fn the_budget_counts_the_actions_and_names_the_free_fields() {
        let apart = find("apart20").unwrap();
        assert_eq!(
            budget(apart, &run("?s=partition&a=p0-31~32-63")),
            "Actions: 1 of 2 allowed (partition, heal). Free: the seed; every other parameter is fixed."
        );
        let fanout = find("fanout99").unwrap();
        assert_eq!(
            budget(fanout, &(fanout.base)()),
            "Actions: none allowed. Free: the fanout and the seed; every other parameter is fixed."
        );
        assert!(budget(find("miss10").unwrap(), &run("?s=rumor"))
            .ends_with("Every parameter is fixed."));
    }

    #[test]
    fn the_live_status_waits_for_the_round_that_decides_then_says_met_or_missed() {
        let apart = find("apart20").unwrap();
        let good = Check::new(apart, &run("?s=partition&a=p0-31~32-63_25h")).run_to_end();
        let round = good.student.as_ref().unwrap().round;
        assert_eq!(live(None, 0, false), Live::Checking);
        assert_eq!(live(Some(&good), round - 1, false), Live::NotYet);
        assert!(live(Some(&good), round, false).met());
        // The page's run ended: whatever it shows, the outcome is known.
        assert!(live(Some(&good), 0, true).met());
        let short = Check::new(apart, &run("?s=partition&a=p0-31~32-63_5h")).run_to_end();
        assert!(matches!(live(Some(&short), 200, false), Live::Missed(_)));
        // Too many actions: the rules' reason, not a crash.
        let many = Check::new(apart, &run("?s=partition&a=p0-31~32-63_5h_6h")).run_to_end();
        let l = live(Some(&many), 0, false);
        assert!(
            l.line().contains("the challenge allows at most 2"),
            "{}",
            l.line()
        );
        let fixed = Check::new(apart, &run("?s=partition&n=50&a=")).run_to_end();
        assert!(live(Some(&fixed), 0, false).line().contains("fixes n=64"));
    }
}
