//! What a step measures: a function of the recorded run, which is the lab's link (its fields
//! and its actions `a=`) replayed headlessly by the core ([`Replay`], the same stepping the
//! page's timeline does, so the numbers are the page's). A challenge can check a goal the same
//! way, on the student's own run or on fresh seeds.

use gossip_core::link::dissemination::{Lacking, Protocol, Replay, Row, Run};
use gossip_core::link::lesson::Guess;

use crate::labs::dissemination::url;
use crate::lessons::facts::{heal_round, values, Fact};

/// What a step reads off its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Nothing: the step only shows.
    Nothing,
    /// The round at which the run was complete.
    Rounds,
    /// The nodes that never heard, in percent, when the run was complete.
    ResiduePercent,
    /// Messages that could carry the rumor, per node, over the whole run (Demers' traffic).
    TrafficPerNode,
    /// The nodes holding the newest version of the tracked key when the partition healed.
    InformedAtHeal,
    /// Rounds from the heal to the run's completion.
    RoundsAfterHeal,
    /// Live nodes lacking at least one newest version (any key's, [`Lacking`]) when the run
    /// is complete.
    LackingAtEnd,
    /// The rounds that this share (per mille) of kernel runs of the link's run (fresh seeds
    /// derived from its seed) needed at most: the sweep of `facts::Fact::RoundsQuantile`.
    Quantile(u32),
    /// Which exchange is complete first, with this run's seed: `a` push, `b` pull, `c`
    /// push-pull (the first listed on a tie).
    FastestExchange,
    /// Membership lab: rounds (periods) from the first crash until some live node holds the
    /// crashed node suspect.
    SuspectAfter,
    /// Membership lab: rounds from the first crash until every live node holds it dead.
    DeadEverywhereAfter,
}

/// Rounds a membership replay runs at most while it looks for its event.
const MEMBERSHIP_ROUNDS_MAX: u32 = 200;

/// The exchanges [`Measure::FastestExchange`] compares, in choice order.
pub const EXCHANGES: [Protocol; 3] = [Protocol::Push, Protocol::Pull, Protocol::PushPull];

/// The measure of the run `link` names (a lab link, lesson fields ignored); `None` when it
/// measures nothing or the run has no such event (no heal).
pub fn measure(m: Measure, link: &str) -> Option<Guess> {
    if matches!(m, Measure::SuspectAfter | Measure::DeadEverywhereAfter) {
        let (crash, at) = membership_event(m, link)?;
        return Some(Guess::Number(f64::from(at - crash)));
    }
    let run = url::parse(link).0.run;
    let number = |x: f64| Some(Guess::Number(x));
    match m {
        Measure::Nothing => None,
        Measure::Rounds => number(f64::from(replay(&run).last()?.round)),
        Measure::ResiduePercent => {
            let last = replay(&run).pop()?;
            let live = last.record.map_or(run.nodes, |r| r.live_nodes).max(1);
            number(100.0 * (1.0 - f64::from(last.informed) / f64::from(live)))
        }
        Measure::TrafficPerNode => {
            let rows = replay(&run);
            let data: u64 = rows
                .iter()
                .filter_map(|r| r.record.as_ref())
                .map(|r| r.messages_data)
                .sum();
            number(data as f64 / f64::from(run.nodes))
        }
        Measure::InformedAtHeal => {
            let heal = heal_round(&run.actions)?;
            let rows = replay(&run);
            number(f64::from(rows.iter().find(|r| r.round == heal)?.informed))
        }
        Measure::RoundsAfterHeal => {
            let heal = heal_round(&run.actions)?;
            number(f64::from(replay(&run).last()?.round.checked_sub(heal)?))
        }
        Measure::LackingAtEnd => {
            let mut replay = Replay::new(&run).ok()?;
            while replay.step().is_some() {}
            number(f64::from(Lacking::of(replay.cluster()).nodes_lacking()))
        }
        Measure::Quantile(q) => number(values(&[Fact::RoundsQuantile(q)], link)[0]),
        Measure::FastestExchange => {
            let rounds = EXCHANGES.map(|mode| {
                let r = Run {
                    mode,
                    ..run.clone()
                };
                replay(&r).last().map_or(u32::MAX, |row| row.round)
            });
            let best = (0..EXCHANGES.len()).min_by_key(|&i| rounds[i])?;
            Some(Guess::Choice(best as u8))
        }
        Measure::SuspectAfter | Measure::DeadEverywhereAfter => None,
    }
}

/// The round at which the event a step measures happened, for [`super::format::Wait::Event`].
pub fn event_round(m: Measure, link: &str) -> Option<u32> {
    membership_event(m, link).map(|(_, at)| at)
}

/// The membership run `link` names (its own fields only; the page's view fields are ignored).
pub fn membership_run(link: &str) -> gossip_core::link::membership::Run {
    gossip_core::link::membership::parse(link, &mut |_, _, _| true).0
}

/// The round of the first crash in `actions` and the node it crashes.
pub fn first_crash(run: &gossip_core::link::membership::Run) -> Option<(u32, u32)> {
    run.actions.iter().find_map(|(r, a)| match a {
        gossip_core::sim::Action::Crash(node) => Some((r.0 as u32, *node)),
        _ => None,
    })
}

/// The first crash's round and the round of the event `m` looks for, replaying the run.
fn membership_event(m: Measure, link: &str) -> Option<(u32, u32)> {
    let run = membership_run(link);
    let (crash, node) = first_crash(&run)?;
    let mut cluster = run.cluster(run.lifeguard, 8).ok()?;
    // The crash takes one node from the live ones.
    let live = run.nodes.checked_sub(1)?;
    for round in 1..=MEMBERSHIP_ROUNDS_MAX {
        cluster.step_round();
        let [_, suspect, dead, _] = cluster.views().holders(node);
        let found = match m {
            Measure::SuspectAfter => suspect > 0 || dead > 0,
            _ => dead >= live,
        };
        if found && round >= crash {
            return Some((crash, round));
        }
    }
    None
}

/// Every row of the run, round 0 first, until it is complete (or the rounds' limit).
pub fn replay(run: &Run) -> Vec<Row> {
    let Ok(mut replay) = Replay::new(run) else {
        return Vec::new();
    };
    let mut rows = vec![replay.row()];
    while let Some(row) = replay.step() {
        rows.push(row);
    }
    rows
}
