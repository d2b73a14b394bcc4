//! A run as a pure function of (configuration, seed, actions), and time travel over it.
//!
//! RaftScope's lesson: never store pictures of the past, store what is needed to recompute it.
//! The timeline keeps a clone of the engine every [`CHECKPOINT_EVERY_ROUNDS`] rounds; going to
//! round `r` restores the nearest checkpoint at or before `r` and replays. Because a run is
//! deterministic, the replayed state is identical to the one first computed, so rewinding is
//! exact (the tests compare node by node and message by message).
//!
//! Actions (crash, restart, write, partition) are recorded at their round in the model and in
//! the link, but the epidemic kernel cannot perform them: the timeline keeps them and reports
//! them as not applied until the backend is the Cluster simulator, where acting in the past
//! will truncate the future and fork the timeline.

use gossip_core::epidemic::RoundRecord;

use crate::engine::{Engine, RunConfig};

/// Rounds between two checkpoints. Replaying at most this many rounds keeps a seek under a
/// millisecond for 10,000 nodes, while checkpoints stay few (a run rarely passes 100 rounds).
pub const CHECKPOINT_EVERY_ROUNDS: u32 = 16;
/// The longest run the app computes: with 95 % loss a 10,000-node pull still completes in a
/// few hundred rounds, so this bound only stops a run that can never finish.
pub const ROUNDS_LIMIT: u32 = 5_000;

/// Something done to the cluster from outside: the Cluster simulator's own action type, so a
/// recorded list needs no translation when that engine arrives.
pub use gossip_core::sim::Action;

/// An action and the round at whose start it happens, as the core's `script` codec has them.
pub type TimedAction = (gossip_core::time::Round, Action);

/// One run and the computed part of its future.
#[derive(Clone, Debug)]
pub struct Timeline {
    current: Engine,
    /// `checkpoints[i]` is the engine at round `i * CHECKPOINT_EVERY_ROUNDS`.
    checkpoints: Vec<Engine>,
    /// `records[r - 1]` is round `r`'s record, for every round computed so far.
    records: Vec<RoundRecord>,
    actions: Vec<TimedAction>,
}

impl Timeline {
    /// A run of `config` at round 0.
    pub fn new(config: RunConfig, actions: Vec<TimedAction>) -> Result<Timeline, String> {
        let engine = Engine::new(config)?;
        Ok(Timeline {
            checkpoints: vec![engine.clone()],
            current: engine,
            records: Vec::new(),
            actions,
        })
    }

    /// The engine at the round being viewed.
    pub fn engine(&self) -> &Engine {
        &self.current
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

    /// The recorded actions (kept, not applied: see the module docs).
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }

    /// Whether the run can go further: not complete and below [`ROUNDS_LIMIT`].
    pub fn can_advance(&self) -> bool {
        !self.current.is_complete() && self.round() < ROUNDS_LIMIT
    }

    /// Runs one round forward if the run can advance; returns whether it did.
    pub fn step_forward(&mut self) -> bool {
        if !self.can_advance() {
            return false;
        }
        let record = self.current.step();
        let r = record.round;
        if r > self.horizon() {
            debug_assert_eq!(r, self.horizon() + 1);
            self.records.push(record);
            if r.is_multiple_of(CHECKPOINT_EVERY_ROUNDS) {
                self.checkpoints.push(self.current.clone());
            }
        } else {
            debug_assert_eq!(self.records[r as usize - 1], record, "a replay diverged");
        }
        true
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
    /// [`ROUNDS_LIMIT`]); returns the round reached.
    pub fn goto(&mut self, target: u32) -> u32 {
        let now = self.round();
        if target < now || target - now > CHECKPOINT_EVERY_ROUNDS {
            let i = ((target / CHECKPOINT_EVERY_ROUNDS) as usize).min(self.checkpoints.len() - 1);
            let from = &self.checkpoints[i];
            // Forward from the current state when it is nearer than the checkpoint.
            if target < now || from.round() > now {
                self.current = from.clone();
            }
        }
        while self.round() < target && self.step_forward() {}
        self.round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::NodeState;
    use gossip_core::epidemic::{Mode, SpreadConfig};
    use gossip_core::rng::Probability;

    fn config() -> RunConfig {
        RunConfig::Epidemic(spread())
    }

    fn spread() -> SpreadConfig {
        SpreadConfig {
            nodes: 2000,
            fanout: 1,
            mode: Mode::Push,
            loss: Probability::from_f64(0.8),
            seed: 11,
        }
    }

    /// Everything the view can show of an engine.
    fn picture(e: &Engine) -> (u32, u32, u64, u64, Vec<NodeState>, Vec<Option<u32>>, String) {
        let n = e.config().nodes();
        (
            e.round(),
            e.informed_count(),
            e.messages(),
            e.lost(),
            (0..n).map(|i| e.state(i)).collect(),
            (0..n).map(|i| e.informer(i)).collect(),
            format!("{:?}", e.contacts()),
        )
    }

    #[test]
    fn going_back_to_any_round_gives_exactly_the_state_first_computed() {
        let mut t = Timeline::new(config(), Vec::new()).unwrap();
        let mut first = vec![picture(t.engine())];
        while t.step_forward() {
            first.push(picture(t.engine()));
        }
        let end = t.round();
        assert!(
            end > 2 * CHECKPOINT_EVERY_ROUNDS,
            "the run should pass two checkpoints"
        );
        for r in [0, 1, 5, 16, 17, 31, 32, 33, end - 1, end, 3, 0] {
            assert_eq!(t.goto(r), r);
            assert_eq!(picture(t.engine()), first[r as usize], "round {r}");
        }
    }

    #[test]
    fn rumor_mongering_rewinds_exactly_too() {
        use gossip_core::rumor::{Counting, Removal, RumorConfig, Variant};
        let mut c = RumorConfig::demers(3000, Variant::Pull, Counting::Blind, Removal::Coin, 3);
        c.seed = 8;
        let mut t = Timeline::new(RunConfig::Rumor(c), Vec::new()).unwrap();
        let mut first = vec![picture(t.engine())];
        while t.step_forward() {
            first.push(picture(t.engine()));
        }
        assert!(t.engine().is_complete() && t.round() > CHECKPOINT_EVERY_ROUNDS);
        for r in [t.round(), 2, CHECKPOINT_EVERY_ROUNDS + 1, 0, 7] {
            t.goto(r);
            assert_eq!(picture(t.engine()), first[r as usize], "cycle {r}");
        }
    }

    #[test]
    fn rewinding_five_rounds_and_coming_back_is_identity() {
        let mut t = Timeline::new(config(), Vec::new()).unwrap();
        t.goto(9);
        let at_nine = picture(t.engine());
        t.goto(14);
        t.goto(9);
        assert_eq!(picture(t.engine()), at_nine);
        assert_eq!(t.horizon(), 14);
    }

    #[test]
    fn step_back_at_round_zero_does_nothing_and_the_horizon_survives_rewinds() {
        let mut t = Timeline::new(config(), Vec::new()).unwrap();
        assert!(!t.step_back());
        t.goto(20);
        assert!(t.step_back());
        assert_eq!((t.round(), t.horizon()), (19, 20));
    }

    #[test]
    fn a_complete_run_stops_advancing() {
        let mut t = Timeline::new(
            RunConfig::Epidemic(SpreadConfig {
                nodes: 8,
                loss: Probability::NEVER,
                ..spread()
            }),
            Vec::new(),
        )
        .unwrap();
        let end = t.goto(ROUNDS_LIMIT);
        assert!(t.engine().is_complete());
        assert!(!t.step_forward());
        assert_eq!(t.round(), end);
    }
}
