//! What a challenge measures on a replay and when it is decided.
//!
//! A [`Tally`] is fed the replay after round 0's actions and after every round
//! ([`Tally::observe`]); it decides as soon as the goal is met or can no longer be, and at the
//! latest when the replay cannot advance ([`crate::link::dissemination::Replay::can_advance`]:
//! settled, or at [`crate::link::ROUNDS_MAX`]). "Informed" is the page's count: live nodes
//! holding the newest version of the tracked key; "live" counts the nodes that are up.

use alloc::format;
use alloc::string::String;

use crate::link::dissemination::Replay;
use crate::net::{Direction, Network, GROUPS_MAX};

/// What must be met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// When the run can go no further (the rumor has died out), at least `percent` % of the
    /// live nodes are not informed.
    Miss {
        /// Percent of the live nodes, 1 to 100.
        percent: u32,
    },
    /// At the end of some round `<= rounds`, at least `percent` % of the live nodes are informed.
    InformWithin {
        /// Percent of the live nodes, 1 to 100.
        percent: u32,
        /// The last round that counts.
        rounds: u32,
    },
    /// The cluster is *apart* for at least `apart_rounds` rounds in a row, and afterwards, by the
    /// end of round `informed_by_round`, every live node is informed. Apart, at the end of a
    /// round: a partition cuts both ways, every node is in one of its groups (a node in none
    /// would bridge them), and its two largest groups each hold at least `side_percent` % of
    /// the nodes.
    ApartThenSpread {
        /// Rounds in a row.
        apart_rounds: u32,
        /// Percent of all nodes each side holds at least.
        side_percent: u32,
        /// The last round by which every live node must be informed.
        informed_by_round: u32,
    },
}

/// How a replay ended against its goal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    /// Whether the goal was met.
    pub met: bool,
    /// The round at which it was decided.
    pub round: u32,
    /// Informed live nodes then.
    pub informed: u32,
    /// Live nodes then.
    pub live: u32,
    /// The longest run of rounds in a row the cluster was apart (0 unless the goal counts it).
    pub apart_rounds: u32,
    /// What was measured, in a sentence.
    pub sentence: String,
}

/// The measuring of one replay against a goal.
#[derive(Clone, Debug)]
pub struct Tally {
    goal: Goal,
    apart_now: u32,
    apart_best: u32,
    outcome: Option<Outcome>,
}

impl Tally {
    /// A tally of `goal`, nothing observed yet.
    pub fn new(goal: Goal) -> Tally {
        Tally {
            goal,
            apart_now: 0,
            apart_best: 0,
            outcome: None,
        }
    }

    /// The outcome, once decided.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Observes `replay` at its current round; decides if it can. Nothing changes once decided.
    pub fn observe(&mut self, replay: &Replay) {
        if self.outcome.is_some() {
            return;
        }
        let cluster = replay.cluster();
        let round = replay.round();
        let informed = replay.row().informed;
        let live = (0..cluster.len() as u32)
            .filter(|&n| cluster.is_up(n))
            .count() as u32;
        let ended = !replay.can_advance();
        if let Goal::ApartThenSpread { side_percent, .. } = self.goal {
            self.note_apart(cluster.network(), cluster.len() as u32, side_percent);
        }
        let at = |met, sentence| Outcome {
            met,
            round,
            informed,
            live,
            apart_rounds: self.apart_best,
            sentence,
        };
        self.outcome = match self.goal {
            Goal::Miss { percent } => ended.then(|| {
                let missed = live - informed.min(live);
                let met = u64::from(missed) * 100 >= u64::from(percent) * u64::from(live);
                at(
                    met,
                    format!(
                        "the rumor died out at round {round} missing {missed} of {live} live nodes"
                    ),
                )
            }),
            Goal::InformWithin { percent, rounds } => {
                let met = u64::from(informed) * 100 >= u64::from(percent) * u64::from(live);
                (met || ended || round >= rounds).then(|| {
                    at(
                        met && round <= rounds,
                        format!("{informed} of {live} live nodes informed at round {round}"),
                    )
                })
            }
            Goal::ApartThenSpread {
                apart_rounds,
                informed_by_round,
                ..
            } => {
                let spread =
                    self.apart_best >= apart_rounds && informed == live && self.apart_now == 0;
                (spread || ended || round >= informed_by_round).then(|| {
                    let met = spread && round <= informed_by_round;
                    let best = self.apart_best;
                    at(met, format!("apart for {best} rounds in a row; {informed} of {live} live nodes informed at round {round}"))
                })
            }
        };
    }

    fn note_apart(&mut self, net: &Network, nodes: u32, side_percent: u32) {
        if is_apart(net, nodes, side_percent) {
            self.apart_now += 1;
            self.apart_best = self.apart_best.max(self.apart_now);
        } else {
            self.apart_now = 0;
        }
    }
}

/// Whether `net` keeps two sides of at least `side_percent` % of its `nodes` apart (see
/// [`Goal::ApartThenSpread`]).
pub fn is_apart(net: &Network, nodes: u32, side_percent: u32) -> bool {
    if !net.is_partitioned() || net.direction() != Direction::Both {
        return false;
    }
    let mut sizes = [0u32; GROUPS_MAX + 1];
    for n in 0..nodes {
        sizes[net.group(n) as usize] += 1;
    }
    if sizes[0] > 0 {
        return false;
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let enough = |s: u32| u64::from(s) * 100 >= u64::from(side_percent) * u64::from(nodes);
    enough(sizes[0]) && enough(sizes[1])
}
