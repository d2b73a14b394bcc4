//! A run as a pure function of (configuration, seed, actions), and time travel over it.
//!
//! RaftScope's lesson: never store pictures of the past, store what is needed to recompute it.
//! The timeline keeps a clone of the engine (a `Cluster` clone) every
//! [`CHECKPOINT_EVERY_ROUNDS`] rounds; going to round `r` restores the nearest checkpoint at or
//! before `r` and replays, and the cluster applies the scheduled actions as it replays. Because
//! a run is deterministic, the replayed state is identical to the one first computed, so
//! rewinding is exact (the tests compare node by node and message by message).
//!
//! # Acting forks the timeline
//! An action taken while viewing round `r` happens at the start of round `r` (it shows at once).
//! The computed future beyond `r` was a future without it, so it is thrown away: its records,
//! its checkpoints, and every recorded action scheduled after `r` (the caller tells the user how
//! many). Checkpoints at or before `r` stay valid once their pending schedule is cut the same
//! way and given the new action, so rewinding past the fork stays cheap.

use gossip_core::sim::{Action, RoundRecord};
use gossip_core::time::Round;

use crate::engine::{Engine, RunConfig, TimedAction};

/// Rounds between two checkpoints. Replaying at most this many rounds keeps a seek short for
/// 10,000 nodes, while checkpoints stay few (a run rarely passes 100 rounds).
pub const CHECKPOINT_EVERY_ROUNDS: u32 = 16;
/// The longest run the app computes: with 95 % loss a 10,000-node pull still completes in a
/// few hundred rounds, so this bound only stops a run that can never finish.
pub const ROUNDS_LIMIT: u32 = 5_000;

/// One run and the computed part of its future.
#[derive(Clone, Debug)]
pub struct Timeline {
    current: Engine,
    /// `checkpoints[i]` is the engine at round `i * CHECKPOINT_EVERY_ROUNDS`, with that round's
    /// actions applied (as the current engine always has).
    checkpoints: Vec<Engine>,
    /// `records[r - 1]` is round `r`'s record, for every round computed so far.
    records: Vec<RoundRecord>,
    actions: Vec<TimedAction>,
    /// Whether stepping keeps each round's messages for drawing.
    trace: bool,
}

impl Timeline {
    /// A run of `config` at round 0 with `actions` scheduled.
    pub fn new(config: RunConfig, actions: Vec<TimedAction>) -> Result<Timeline, String> {
        let mut engine = Engine::new(config, &actions)?;
        engine.apply_due();
        Ok(Timeline {
            checkpoints: vec![engine.clone()],
            current: engine,
            records: Vec::new(),
            actions,
            trace: true,
        })
    }

    /// The engine at the round being viewed.
    pub fn engine(&self) -> &Engine {
        &self.current
    }

    /// Tracks another key (the view's choice; the run is unchanged).
    pub fn set_key(&mut self, key: &[u8]) {
        self.current.set_key(key);
    }

    /// Whether the next rounds stepped keep their messages for drawing.
    pub fn set_trace(&mut self, trace: bool) {
        self.trace = trace;
    }

    /// The round being viewed.
    pub fn round(&self) -> u32 {
        self.current.round()
    }

    /// The furthest round computed so far (the end of the slider).
    pub fn horizon(&self) -> u32 {
        self.records.len() as u32
    }

    /// Records of rounds `1..=horizon`.
    pub fn records(&self) -> &[RoundRecord] {
        &self.records
    }

    /// The recorded actions, in round order.
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }

    /// Live nodes holding the newest version of `key` at rounds `0..=horizon`, after each
    /// round's actions (as the view shows that round).
    pub fn informed_series(&self, key: &[u8]) -> Vec<u32> {
        let first = self.checkpoints[0].cluster().holders(key);
        let later = self.records.iter().map(|r| {
            r.coverage
                .iter()
                .find(|c| c.key == key)
                .map_or(0, |c| c.holders)
        });
        core::iter::once(first).chain(later).collect()
    }

    /// Whether the run can go further: not complete and below [`ROUNDS_LIMIT`].
    pub fn can_advance(&self) -> bool {
        !self.current.is_complete() && self.round() < ROUNDS_LIMIT
    }

    /// Runs one round forward if the run can advance; returns whether it did.
    pub fn step_forward(&mut self) -> bool {
        self.advance(&mut || true).is_some()
    }

    /// Finishes a round left in progress by [`Timeline::advance`], so that the state shown
    /// is a round boundary again (before the user acts, steps or seeks).
    pub fn settle(&mut self) {
        if self.current.is_mid_round() {
            self.step_forward();
        }
    }

    /// Runs ticks of the next round while `more()` says so (at least one tick): `Some(true)`
    /// when a round was completed, `Some(false)` when it is still in progress, `None` when the
    /// run cannot advance. Playback spends a frame's model budget this way.
    pub fn advance(&mut self, more: &mut dyn FnMut() -> bool) -> Option<bool> {
        if !self.current.is_mid_round() && !self.can_advance() {
            return None;
        }
        let Some(mut record) = self.current.step_some(self.trace, more) else {
            return Some(false);
        };
        self.current.apply_due();
        // The view at round r shows the state after round r's actions (a write, a crash), so
        // the chart's point for round r does too.
        patch_coverage(&mut record, &self.current);
        let r = self.current.round();
        if r > self.horizon() {
            debug_assert_eq!(r, self.horizon() + 1);
            self.records.push(record);
            if r.is_multiple_of(CHECKPOINT_EVERY_ROUNDS) {
                self.checkpoints.push(self.current.clone());
            }
        } else {
            debug_assert_eq!(self.records[r as usize - 1], record, "a replay diverged");
        }
        Some(true)
    }

    /// Goes one round back (from the nearest checkpoint); returns whether it moved.
    pub fn step_back(&mut self) -> bool {
        let r = self.round();
        if r == 0 {
            return false;
        }
        self.goto(r - 1);
        true
    }

    /// Moves to round `target`, computing forward as needed (up to where the run ends or
    /// [`ROUNDS_LIMIT`]); returns the round reached. Replayed rounds keep no messages except
    /// the last one's, which is the one drawn.
    pub fn goto(&mut self, target: u32) -> u32 {
        if self.current.is_mid_round() && target <= self.round() {
            // The checkpoint path below replaces the half-run round.
            let key = self.current.key().to_vec();
            let i =
                ((self.round() / CHECKPOINT_EVERY_ROUNDS) as usize).min(self.checkpoints.len() - 1);
            self.current = self.checkpoints[i].clone();
            self.current.set_key(&key);
        }
        self.settle();
        let now = self.round();
        if target < now || target - now > CHECKPOINT_EVERY_ROUNDS {
            let i = ((target / CHECKPOINT_EVERY_ROUNDS) as usize).min(self.checkpoints.len() - 1);
            let from = &self.checkpoints[i];
            // Forward from the current state when it is nearer than the checkpoint.
            if target < now || from.round() > now {
                let key = self.current.key().to_vec();
                self.current = from.clone();
                self.current.set_key(&key);
            }
        }
        let trace = self.trace;
        while self.round() < target {
            self.trace = trace && self.round() + 1 == target;
            if !self.step_forward() {
                break;
            }
        }
        self.trace = trace;
        self.round()
    }

    /// Takes `action` at the start of the round being viewed, forking the timeline (see the
    /// module docs). Returns how many recorded actions of the old future were dropped; a
    /// refused action changes nothing and returns the cluster's reason.
    pub fn act(&mut self, action: Action) -> Result<usize, String> {
        self.settle();
        let r = self.round();
        let mut next = self.current.clone();
        next.unschedule_after(r);
        next.act(action.clone())?;
        self.current = next;
        let before = self.actions.len();
        self.actions.retain(|(round, _)| round.0 <= u64::from(r));
        let dropped = before - self.actions.len();
        self.actions.push((Round(u64::from(r)), action.clone()));
        self.records.truncate(r as usize);
        if let Some(last) = self.records.last_mut() {
            patch_coverage(last, &self.current);
        }
        self.checkpoints
            .truncate((r / CHECKPOINT_EVERY_ROUNDS) as usize + 1);
        for cp in &mut self.checkpoints {
            cp.unschedule_after(r);
            // Scheduling at a round not yet passed cannot fail, and at the checkpoint's own
            // round the action applies as it did on the current engine.
            if cp.round() == r {
                let _ = cp.act(action.clone());
            } else {
                let _ = cp.schedule(r, action.clone());
            }
        }
        Ok(dropped)
    }
}

/// Re-reads a round's per-key coverage from `engine`, which is at the round's end with the
/// next round's actions applied.
fn patch_coverage(record: &mut RoundRecord, engine: &Engine) {
    let c = engine.cluster();
    for cov in &mut record.coverage {
        cov.holders = c.holders(&cov.key);
    }
    for (key, version, tombstone) in c.newest() {
        match record.coverage.iter_mut().find(|x| x.key == key) {
            Some(x) => {
                x.version = version;
                x.tombstone = tombstone;
            }
            None => record.coverage.push(gossip_core::sim::KeyCoverage {
                key: key.to_vec(),
                version,
                tombstone,
                holders: c.holders(key),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{NodeState, Protocol, TICKS_PER_ROUND};
    use gossip_core::node::{Exchange, Mode, RumorFeedback, RumorStop};

    fn config(mode: Mode, loss: f64) -> RunConfig {
        RunConfig::new(
            300,
            11,
            Protocol {
                mode,
                fanout: 1,
                gossip_interval_ticks: TICKS_PER_ROUND,
                loss,
                latency_ticks_min: 1,
                latency_ticks_max: 2,
            },
        )
    }

    fn push() -> RunConfig {
        config(Mode::AntiEntropy(Exchange::Push), 0.85)
    }

    /// Everything the view can show of an engine.
    type Picture = (u32, u32, u64, u64, Vec<NodeState>, Vec<Option<u64>>, String);

    fn picture(e: &Engine) -> Picture {
        let n = e.nodes();
        (
            e.round(),
            e.informed_count(),
            e.messages(),
            e.lost(),
            (0..n).map(|i| e.state(i)).collect(),
            (0..n).map(|i| e.learned_tick(i)).collect(),
            format!("{:?} {:?}", e.round_messages(), e.round_drops()),
        )
    }

    #[test]
    fn going_back_to_any_round_gives_exactly_the_state_first_computed() {
        let mut t = Timeline::new(push(), Vec::new()).unwrap();
        let mut first = vec![picture(t.engine())];
        while t.step_forward() {
            first.push(picture(t.engine()));
        }
        let end = t.round();
        assert!(
            end > 2 * CHECKPOINT_EVERY_ROUNDS,
            "the run should pass two checkpoints, ended at {end}"
        );
        for r in [0, 1, 5, 16, 17, 31, 32, 33, end - 1, end, 3, 0] {
            assert_eq!(t.goto(r), r);
            assert_eq!(picture(t.engine()), first[r as usize], "round {r}");
        }
    }

    #[test]
    fn rumor_mongering_rewinds_exactly_too() {
        let mode =
            crate::engine::rumor_mode(Exchange::Pull, RumorFeedback::Blind, RumorStop::Coin(3));
        let mut t = Timeline::new(config(mode, 0.0), Vec::new()).unwrap();
        let mut first = vec![picture(t.engine())];
        while t.step_forward() {
            first.push(picture(t.engine()));
        }
        assert!(t.engine().is_complete());
        for r in [t.round(), 2, 0, 7.min(t.round())] {
            t.goto(r);
            assert_eq!(picture(t.engine()), first[r as usize], "cycle {r}");
        }
    }

    #[test]
    fn step_back_at_round_zero_does_nothing_and_the_horizon_survives_rewinds() {
        let mut t = Timeline::new(push(), Vec::new()).unwrap();
        assert!(!t.step_back());
        t.goto(20);
        assert!(t.step_back());
        assert_eq!((t.round(), t.horizon()), (19, 20));
    }

    #[test]
    fn acting_in_the_past_drops_the_later_actions_and_the_computed_future() {
        let mut t = Timeline::new(push(), Vec::new()).unwrap();
        t.goto(2);
        t.act(Action::Crash(7)).unwrap();
        t.goto(10);
        t.act(Action::Restart(7)).unwrap();
        t.goto(25);
        assert_eq!(t.horizon(), 25);
        // Back to round 5: the restart at round 10 belonged to the old future.
        t.goto(5);
        let dropped = t.act(Action::Crash(8)).unwrap();
        assert_eq!(dropped, 1);
        assert_eq!(
            t.actions(),
            &[(Round(2), Action::Crash(7)), (Round(5), Action::Crash(8))]
        );
        assert_eq!((t.round(), t.horizon()), (5, 5));
        assert_eq!(t.engine().state(8), NodeState::Down);
        assert_eq!(
            t.informed_series(b"rumor")[5],
            t.engine().informed_count(),
            "the chart's last point shows the action"
        );
        // The new future never restarts node 7, and replaying from scratch agrees with it.
        t.goto(30);
        assert_eq!(t.engine().state(7), NodeState::Down);
        let mut fresh = Timeline::new(push(), t.actions().to_vec()).unwrap();
        fresh.goto(30);
        assert_eq!(picture(fresh.engine()), picture(t.engine()));
        t.goto(3);
        fresh.goto(3);
        assert_eq!(picture(fresh.engine()), picture(t.engine()));
    }

    #[test]
    fn a_round_left_half_run_by_playback_is_finished_or_dropped_exactly() {
        let mut t = Timeline::new(push(), Vec::new()).unwrap();
        t.goto(5);
        let at5 = picture(t.engine());
        t.goto(6);
        let at6 = picture(t.engine());
        t.goto(5);
        assert_eq!(t.advance(&mut || false), Some(false), "one tick of round 6");
        assert_eq!(t.round(), 5);
        t.goto(5);
        assert_eq!(
            picture(t.engine()),
            at5,
            "going to the same round drops the half round"
        );
        t.advance(&mut || false);
        t.settle();
        assert_eq!(picture(t.engine()), at6, "settling finishes it");
    }

    #[test]
    fn a_refused_action_changes_nothing() {
        let mut t = Timeline::new(push(), Vec::new()).unwrap();
        t.goto(4);
        assert!(t.act(Action::Restart(3)).is_err(), "node 3 is up");
        assert!(t.actions().is_empty());
        assert_eq!(t.horizon(), 4);
    }

    #[test]
    fn a_complete_run_stops_advancing() {
        let mut t = Timeline::new(
            RunConfig::new(
                8,
                1,
                Protocol {
                    mode: Mode::AntiEntropy(Exchange::PushPull),
                    fanout: 1,
                    gossip_interval_ticks: TICKS_PER_ROUND,
                    loss: 0.0,
                    latency_ticks_min: 1,
                    latency_ticks_max: 1,
                },
            ),
            Vec::new(),
        )
        .unwrap();
        let end = t.goto(ROUNDS_LIMIT);
        assert!(t.engine().is_complete());
        assert!(!t.step_forward());
        assert_eq!(t.round(), end);
    }
}
