//! Challenges: a goal set on a lab's run, checked by replaying the student's own run (and, for a
//! robust challenge, the same choices on seeds the student did not see), with no server.
//!
//! A run is a pure function of its link ([`crate::link`]), so a result can be checked anywhere by
//! replaying it: the page checks a student's run as they make it, a proof link carries the run
//! and a digest of what it showed ([`proof`]), and a teacher's grading page (or `lab challenge
//! --check`) replays every proof and checks it again. This module holds what all of them share:
//! * [`Challenge`]: a lab's base run, what the student may change ([`Freedom`]: a field, the
//!   seed, at most so many actions of given kinds), the [`goal::Goal`], and for a robust
//!   challenge the fresh seeds ([`Robust`]); the catalogue [`CHALLENGES`], each with a frozen
//!   `id` and a `version` that changes whenever its definition does (a proof names both, so an
//!   old proof is never judged by a new rule);
//! * [`goal`]: what is measured on a replay, round by round, and when it is decided;
//! * [`check`]: the check itself, incremental (at most so many rounds a call) so a page can
//!   spread the many replays of a robust challenge over frames and never freeze;
//! * [`proof`]: the proof link and its digest.
//!
//! # Fresh seeds
//! Seed `i` of a robust challenge is `rng::derive(exam_seed, Stream::Trial, i)`, with the
//! challenge's own `exam_seed`: frozen, so every grader replays the same seeds; not shown on the
//! page, so a run tuned to its own seed's luck does not pass. (Anyone who reads this source can
//! compute them: the point is that a lucky seed is not enough, not secrecy.)

pub mod check;
pub mod goal;
pub mod proof;
#[cfg(test)]
mod tests;

use alloc::format;
use alloc::string::String;

use crate::link::dissemination::{Protocol, Run, Scenario, StopRule};
use crate::rng::{self, Stream};
use crate::sim::Action;
use goal::Goal;

/// The most fresh seeds a robust challenge may ask for: each is a whole replay.
pub const SEEDS_MAX: u32 = 1_000;
/// The most actions a challenge may allow: the link's own limit is far above, but a challenge is
/// about a few well-chosen actions.
pub const ACTIONS_MAX: u32 = 16;

/// The kinds of action a challenge may allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// `Crash`.
    Crash,
    /// `Restart`.
    Restart,
    /// `Partition`.
    Partition,
    /// `Heal`.
    Heal,
}

impl ActionKind {
    /// The kind of `action`, if a challenge can allow it at all.
    pub fn of(action: &Action) -> Option<ActionKind> {
        match action {
            Action::Crash(_) => Some(ActionKind::Crash),
            Action::Restart(_) => Some(ActionKind::Restart),
            Action::Partition { .. } => Some(ActionKind::Partition),
            Action::Heal => Some(ActionKind::Heal),
            _ => None,
        }
    }

    /// Its name in sentences.
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Crash => "crash",
            ActionKind::Restart => "restart",
            ActionKind::Partition => "partition",
            ActionKind::Heal => "heal",
        }
    }
}

/// What the student may change in the base run; everything else must stay as the challenge set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freedom {
    /// The fanout (`k=`).
    pub fanout: bool,
    /// The seed (`seed=`). A robust challenge replays fresh seeds whatever the student chose.
    pub seed: bool,
    /// At most this many actions (0: none), up to [`ACTIONS_MAX`].
    pub actions_max: u32,
    /// Of these kinds only.
    pub action_kinds: &'static [ActionKind],
}

impl Freedom {
    /// The fanout and the seed, no actions: a choice of parameter, as "the smallest fanout".
    pub const FANOUT_ONLY: Freedom = Freedom {
        fanout: true,
        seed: true,
        actions_max: 0,
        action_kinds: &[],
    };
}

/// A robust challenge: the student's choices must also meet the goal on `pass_percent` % of
/// `seeds` fresh seeds (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Robust {
    /// Fresh seeds replayed, 1 to [`SEEDS_MAX`].
    pub seeds: u32,
    /// Of them, at least this percent must meet the goal.
    pub pass_percent: u32,
    /// The base of the fresh seeds.
    pub exam_seed: u64,
    /// The goal asks for the *smallest* fanout: the fanout one lower must fail this same test
    /// (meet the goal on fewer than `pass_percent` % of the seeds).
    pub smallest_fanout: bool,
}

impl Robust {
    /// Fresh seed `i`.
    pub fn seed(&self, i: u32) -> u64 {
        rng::derive(self.exam_seed, Stream::Trial, u64::from(i))
    }

    /// Whether `met` of the seeds is enough.
    pub fn passes(&self, met: u32) -> bool {
        u64::from(met) * 100 >= u64::from(self.pass_percent) * u64::from(self.seeds)
    }
}

/// One challenge of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Challenge {
    /// Its name in links (`ch=`), frozen.
    pub id: &'static str,
    /// Changes whenever anything below does; a proof names it (`chv=`).
    pub version: u32,
    /// Its title.
    pub title: &'static str,
    /// What to do, in plain words.
    pub brief: &'static str,
    /// The run it starts from.
    pub base: fn() -> Run,
    /// What the student may change.
    pub freedom: Freedom,
    /// What must be met.
    pub goal: Goal,
    /// For a robust challenge, the fresh seeds.
    pub robust: Option<Robust>,
}

impl Challenge {
    /// Whether `run` keeps to the challenge: only the free fields changed, and its actions are
    /// few enough and of allowed kinds. The error says what breaks the rules.
    pub fn admits(&self, run: &Run) -> Result<(), String> {
        let mut expected = (self.base)();
        expected.scenario = run.scenario;
        if self.freedom.fanout {
            expected.fanout = run.fanout;
        }
        if self.freedom.seed {
            expected.seed = run.seed;
        }
        if let Some(field) = first_difference(&expected.encode_head(), &run.encode_head()) {
            return Err(field);
        }
        if expected.key != run.key {
            return Err(format!("the challenge tracks the key {}", expected.key));
        }
        self.admits_actions(run)
    }

    fn admits_actions(&self, run: &Run) -> Result<(), String> {
        let max = self.freedom.actions_max as usize;
        if run.actions.len() > max {
            return Err(format!(
                "the run has {} actions; the challenge allows at most {max}",
                run.actions.len()
            ));
        }
        let allowed = self.freedom.action_kinds;
        match run
            .actions
            .iter()
            .find(|(_, a)| !ActionKind::of(a).is_some_and(|k| allowed.contains(&k)))
        {
            Some((round, _)) => Err(format!(
                "the action at round {} is of a kind the challenge does not allow (allowed: {})",
                round.0,
                kinds_list(allowed)
            )),
            None => Ok(()),
        }
    }
}

// The first `name=value` of `expected` that `got` does not have, as a sentence.
fn first_difference(expected: &str, got: &str) -> Option<String> {
    let got: alloc::vec::Vec<&str> = got.split('&').collect();
    let missing = expected.split('&').find(|p| !got.contains(p))?;
    let name = missing.split('=').next().unwrap_or(missing);
    let had = got
        .iter()
        .find(|p| p.split('=').next() == Some(name))
        .copied()
        .unwrap_or("nothing");
    Some(format!("the challenge fixes {missing} (the run has {had})"))
}

fn kinds_list(kinds: &[ActionKind]) -> String {
    if kinds.is_empty() {
        return String::from("none");
    }
    let names: alloc::vec::Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    names.join(", ")
}

/// The challenge named `id`.
pub fn find(id: &str) -> Option<&'static Challenge> {
    CHALLENGES.iter().find(|c| c.id == id)
}

fn rumor_base() -> Run {
    Run {
        seed: 7,
        ..Run::preset(Scenario::Rumor)
    }
}

fn fanout_base() -> Run {
    Run {
        scenario: Scenario::Custom,
        nodes: 1000,
        fanout: 1,
        mode: Protocol::Push,
        stop: StopRule::FeedbackCounter,
        ..Run::default()
    }
}

// The partition scenario's parameters without its actions, as a custom run: the scenario's
// caption describes its own cut, writes and heal, which this run does not have.
fn partition_base() -> Run {
    Run {
        scenario: Scenario::Custom,
        actions: alloc::vec::Vec::new(),
        ..Run::preset(Scenario::Partition)
    }
}

/// Every challenge, in the order a lesson list shows them. Ids are frozen; a changed
/// definition takes a new `version`.
pub static CHALLENGES: [Challenge; 3] = [
    Challenge {
        id: "miss10",
        version: 1,
        title: "Make the rumor miss one node in ten",
        brief: "Rumor mongering stops by itself and leaves some nodes that never heard. With at \
                most 3 actions (cut a partition, heal, crash, restart), make the rumor miss at \
                least 10 % of the nodes that are up when it dies out.",
        base: rumor_base,
        freedom: Freedom {
            fanout: false,
            seed: false,
            actions_max: 3,
            action_kinds: &[
                ActionKind::Partition,
                ActionKind::Heal,
                ActionKind::Crash,
                ActionKind::Restart,
            ],
        },
        goal: Goal::Miss { percent: 10 },
        robust: None,
    },
    Challenge {
        id: "fanout99",
        version: 1,
        title: "The smallest fanout for 99 % in 10 rounds",
        brief: "Choose the smallest fanout with which push gossip informs at least 99 % of \
                1,000 nodes within 10 rounds, on 95 % of 200 fresh seeds you do not see (so a \
                lucky seed is not enough).",
        base: fanout_base,
        freedom: Freedom::FANOUT_ONLY,
        goal: Goal::InformWithin {
            percent: 99,
            rounds: 10,
        },
        robust: Some(Robust {
            seeds: 200,
            pass_percent: 95,
            exam_seed: 0x6368_616c_6c65_6e67,
            smallest_fanout: true,
        }),
    },
    Challenge {
        id: "apart20",
        version: 1,
        title: "Keep the halves apart for 20 rounds, then heal",
        brief: "With at most 2 actions, cut the cluster into two sides of at least 40 % of the \
                nodes each, keep them apart for 20 rounds in a row, then heal so that every node \
                holds the rumor by round 60.",
        base: partition_base,
        freedom: Freedom {
            fanout: false,
            seed: true,
            actions_max: 2,
            action_kinds: &[ActionKind::Partition, ActionKind::Heal],
        },
        goal: Goal::ApartThenSpread {
            apart_rounds: 20,
            side_percent: 40,
            informed_by_round: 60,
        },
        robust: None,
    },
];
