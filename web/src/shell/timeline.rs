//! A run as a pure function of (configuration, seed, actions), and time travel over it: the
//! [`Timeline`] of any lab's [`Model`].
//!
//! RaftScope's lesson: never store pictures of the past, store what is needed to recompute it.
//! The timeline keeps a clone of the model (for the labs of today, a lens over a `Cluster`
//! clone) every `spacing` rounds, [`CHECKPOINT_EVERY_ROUNDS`] at first; going to round `r`
//! restores the nearest checkpoint at or before `r` and replays, and the cluster applies the
//! scheduled actions as it replays. Because a run is deterministic, the replayed state is
//! identical to the one first computed, so rewinding is exact (the tests compare node by node
//! and message by message).
//!
//! # Checkpoints share one memory limit
//! A checkpoint of 10,000 nodes is a full cluster (about 8 MB), and a long lossy run passes
//! hundreds of them, so all checkpoints together may hold at most [`CHECKPOINT_NODES_MAX`]
//! nodes ([`Model::nodes`] each). When the next checkpoint would pass that limit, the spacing
//! doubles and every other checkpoint is dropped (those not on the new spacing). Memory then
//! stays bounded whatever the run's length, a seek still replays at most `spacing` rounds, and
//! the checkpoints kept are the same rounds' states as before, so rewinding stays exact.
//!
//! # Acting forks the timeline
//! An action taken while viewing round `r` happens at the start of round `r` (it shows at once).
//! The computed future beyond `r` was a future without it, so it is thrown away: its records,
//! its checkpoints, and every recorded action scheduled after `r` (the caller tells the user how
//! many). Checkpoints at or before `r` stay valid once their pending schedule is cut the same
//! way and given the new action, so rewinding past the fork stays cheap. A checkpoint that
//! refuses the action (a model bug: it is the same run) is dropped, never kept without it, so
//! a rewind recomputes from an earlier one rather than diverge.
//!
//! # Editing the actions keeps the later ones
//! [`Timeline::insert`] takes an action while viewing round `r` and keeps every recorded action
//! after `r` (the core's [`gossip_core::sim::edit::insert`]); [`Timeline::delete`] removes one; both, and
//! [`Timeline::undo`] and [`Timeline::redo`] (the action lists before and after each edit,
//! [`UNDO_EDITS_MAX`] of them), go through one rebuild: from the last checkpoint before the
//! first round the edit changes ([`gossip_core::sim::edit::first_difference`]), or from the model restarted
//! with no action at all ([`Model::restarted`]) when that round is 0. A later action that the
//! edited run can no longer take (a crash of a node an earlier action already crashed) is
//! found by trying each action in turn on a copy, dropped, and returned by name in
//! [`Edit::impossible`], never silently. The run is then recomputed to where it was computed
//! before (or to its last action), so the slider and its marks still reach every action, and
//! the view returns to the round it showed. The state reached is exactly a from-scratch replay
//! of the edited actions (tested node by node). [`Timeline::act`] stays the explicit fork.
//!
//! # How a lab drives it
//! A lab implements [`Model`] for its lens over the cluster and builds a timeline from a model at
//! round 0 (with the link's actions scheduled and round 0's applied); the shell's playback calls
//! [`Timeline::advance`] with its frame budget, the transport calls [`Timeline::step_forward`],
//! [`Timeline::step_back`] and [`Timeline::goto`], and the lab's actions go through
//! [`Timeline::insert`] (or [`Timeline::act`] to fork). A link opened at a late round is reached by [`Timeline::catch_up`], a
//! frame's budget at a time, and gives exactly what `goto` would have.

use core::fmt::Debug;

use gossip_core::sim::{Action, ActionError};
use gossip_core::time::Round;

mod edits;

/// An action and the round at whose start it happens, as the core's `script` codec has them.
pub type TimedAction = (Round, Action);

/// What the timeline needs of a lab's model: a deterministic run that steps tick by tick, takes
/// actions at round starts, and can be cloned as a checkpoint.
pub trait Model: Clone {
    /// What one round leaves for the chart and the export (the cluster's round record).
    type Record: Clone + PartialEq + Debug;
    /// What the viewer chose to look at (the tracked key): not part of the run, so it is carried
    /// over when a checkpoint replaces the model.
    type Lens: Clone;
    /// Rounds completed (a round in progress is not counted).
    fn round(&self) -> u32;
    /// What one checkpoint of this model costs, in nodes: the unit of
    /// [`CHECKPOINT_NODES_MAX`] (a cluster's memory grows with its nodes).
    fn nodes(&self) -> u32;
    /// Whether nothing further can happen without a new action.
    fn is_complete(&self) -> bool;
    /// Whether a round was started by [`Model::step_some`] and not finished.
    fn is_mid_round(&self) -> bool;
    /// Runs ticks of the current round while `more()` says so (at least one); once its last
    /// tick has run, applies the next round's due actions and returns the round's record as the
    /// view shows that round (after those actions). `trace` keeps messages for drawing and must
    /// be the same for all the calls of one round.
    fn step_some(&mut self, trace: bool, more: &mut dyn FnMut() -> bool) -> Option<Self::Record>;
    /// Takes `action` now, at the start of the current round; the error is this call's only.
    fn act(&mut self, action: Action) -> Result<(), ActionError>;
    /// Schedules `action` for the start of `round` (not yet started) without applying it.
    fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError>;
    /// Drops pending actions scheduled after `round`; returns how many.
    fn unschedule_after(&mut self, round: u32) -> usize;
    /// Re-reads the parts of the last round's record that an action at its end changed.
    fn amend(&self, record: &mut Self::Record);
    /// The same run at round 0 before any recorded action: nothing scheduled or applied (the
    /// lab's own start, such as the first write of the rumor, done), through the same lens.
    /// An edit at round 0 rebuilds from it, since a checkpoint cannot take back an action.
    fn restarted(&self) -> Self;
    /// The viewer's lens.
    fn lens(&self) -> Self::Lens;
    /// Looks through another lens (the run is unchanged).
    fn set_lens(&mut self, lens: &Self::Lens);
}

/// Rounds between two checkpoints at first. Replaying at most this many rounds keeps a seek
/// short for 10,000 nodes, while checkpoints stay few (a run rarely passes 100 rounds). A run
/// whose checkpoints reach [`CHECKPOINT_NODES_MAX`] doubles it (see the module docs).
pub const CHECKPOINT_EVERY_ROUNDS: u32 = 16;
/// What all the checkpoints of one timeline may hold together, in nodes (the sum over the
/// checkpoints of [`Model::nodes`]). A node costs about 800 bytes in a checkpoint of the
/// dissemination lab (measured: the old page held 114 checkpoints of 10,000 nodes in 881 MiB
/// of wasm memory at round 1,810), so this is about 125 MB: sixteen checkpoints of the largest
/// cluster (10,000 nodes), "a few hundred MB" at most with the rest of the page (152 MiB in
/// all for that run, measured). Sixteen keeps a seek short: at 10,000 nodes a run of 2,000
/// rounds keeps a checkpoint every 128 rounds, about 0.4 s of replay at 3 ms a round. Clusters
/// of up to 1,000 nodes keep the first spacing for 2,500 rounds, so small runs never notice.
pub const CHECKPOINT_NODES_MAX: u32 = 160_000;
/// The longest run the app computes: with 95 % loss a 10,000-node pull still completes in a
/// few hundred rounds, so this bound only stops a run that can never finish.
pub const ROUNDS_LIMIT: u32 = gossip_core::link::ROUNDS_MAX;
/// Edits [`Timeline::undo`] can take back: each keeps one action list (a few hundred bytes
/// for the links of today), and a lesson or a class rarely makes more than a few dozen.
pub const UNDO_EDITS_MAX: usize = 100;

/// What an edit of the actions did besides the edit itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edit {
    /// Later actions the edited run could no longer take, with the reason: dropped from the
    /// actions, for the caller to say by name.
    pub impossible: Vec<(TimedAction, ActionError)>,
}

/// One run and the computed part of its future.
#[derive(Clone, Debug)]
pub struct Timeline<M: Model> {
    current: M,
    /// `checkpoints[i]` is the model at round `i * spacing`, with that round's actions applied
    /// (as the current model always has), for a prefix of `i`; never empty, and together they
    /// hold at most [`CHECKPOINT_NODES_MAX`] nodes (or two checkpoints, whatever their size).
    checkpoints: Vec<M>,
    /// Rounds between two checkpoints: [`CHECKPOINT_EVERY_ROUNDS`] times a power of two.
    spacing: u32,
    /// `records[r - 1]` is round `r`'s record, for every round computed so far.
    records: Vec<M::Record>,
    actions: Vec<TimedAction>,
    /// The action lists before each edit (the last is the latest), and after each undone one.
    undo: Vec<Vec<TimedAction>>,
    redo: Vec<Vec<TimedAction>>,
    /// Whether stepping keeps each round's messages for drawing.
    trace: bool,
}

impl<M: Model> Timeline<M> {
    /// The timeline of `model`, a run at round 0 with `actions` scheduled and round 0's applied.
    pub fn new(model: M, actions: Vec<TimedAction>) -> Timeline<M> {
        assert_eq!(model.round(), 0, "a timeline starts at round 0");
        Timeline {
            checkpoints: vec![model.clone()],
            spacing: CHECKPOINT_EVERY_ROUNDS,
            current: model,
            records: Vec::new(),
            actions,
            undo: Vec::new(),
            redo: Vec::new(),
            trace: true,
        }
    }

    /// The model at the round being viewed.
    pub fn model(&self) -> &M {
        &self.current
    }

    /// The model at round 0 (with round 0's actions applied).
    pub fn start(&self) -> &M {
        &self.checkpoints[0]
    }

    /// Looks through another lens (the view's choice; the run is unchanged).
    pub fn set_lens(&mut self, lens: &M::Lens) {
        self.current.set_lens(lens);
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
    pub fn records(&self) -> &[M::Record] {
        &self.records
    }

    /// The recorded actions, in round order.
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }

    /// Rounds between two checkpoints (the most a seek replays).
    pub fn spacing(&self) -> u32 {
        self.spacing
    }

    /// The rounds of the checkpoints kept, in order.
    pub fn checkpoint_rounds(&self) -> impl Iterator<Item = u32> + '_ {
        self.checkpoints.iter().map(|c| c.round())
    }

    /// Checkpoints the limit allows for this model: [`CHECKPOINT_NODES_MAX`] over its size,
    /// but at least two (round 0's and one more), so thinning always makes room.
    fn checkpoints_max(&self) -> usize {
        let nodes = self.current.nodes().max(1);
        ((CHECKPOINT_NODES_MAX / nodes) as usize).max(2)
    }

    /// Keeps the current model as a checkpoint if its round is on the spacing, first thinning
    /// the checkpoints (double the spacing, drop those off it) while the limit is reached.
    fn checkpoint(&mut self) {
        let r = self.current.round();
        debug_assert_eq!(r % self.spacing, 0);
        debug_assert_eq!(self.checkpoints.len() as u32, r / self.spacing);
        while self.checkpoints.len() >= self.checkpoints_max() {
            self.spacing *= 2;
            // Indices 0, 2, 4, … are the rounds on the doubled spacing.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 1
            });
        }
        if r.is_multiple_of(self.spacing) {
            self.checkpoints.push(self.current.clone());
        }
        debug_assert!(self
            .checkpoint_rounds()
            .enumerate()
            .all(|(i, c)| c == i as u32 * self.spacing));
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
        // The view at round r shows the state after round r's actions (a write, a crash), and
        // so does the record the model returns, which is the chart's point for round r.
        let Some(record) = self.current.step_some(self.trace, more) else {
            return Some(false);
        };
        let r = self.current.round();
        if r > self.horizon() {
            debug_assert_eq!(r, self.horizon() + 1);
            self.records.push(record);
            // Only a round just past the last checkpoint's next slot can be kept (a rewind may
            // have left later checkpoints dropped by a fork's refusal: none are kept after it).
            if r.is_multiple_of(self.spacing) && r / self.spacing == self.checkpoints.len() as u32 {
                self.checkpoint();
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
            let i = ((self.round() / self.spacing) as usize).min(self.checkpoints.len() - 1);
            self.restore(i);
        }
        self.settle();
        let now = self.round();
        if target < now || target - now > self.spacing {
            let i = ((target / self.spacing) as usize).min(self.checkpoints.len() - 1);
            let from = &self.checkpoints[i];
            // Forward from the current state when it is nearer than the checkpoint.
            if target < now || from.round() > now {
                self.restore(i);
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

    /// Moves toward round `target` as [`Timeline::goto`] does, but only while `more()` says so
    /// (at least one tick): returns `true` once the round shown is `target` or the run cannot
    /// go further, and the state is then exactly what `goto(target)` shows (only the last
    /// round's messages are kept); `false` while there is more to do. Opening a link at a late
    /// round catches up this way, a frame's budget at a time, so that the page never blocks.
    pub fn catch_up(&mut self, target: u32, more: &mut dyn FnMut() -> bool) -> bool {
        if !self.current.is_mid_round() && self.round() > target {
            self.goto(target);
            return true;
        }
        let trace = self.trace;
        let done = loop {
            if !self.current.is_mid_round() && self.round() >= target {
                break true;
            }
            // The same for every call of one round, as `step_some` requires.
            self.trace = trace && self.round() + 1 == target;
            match self.advance(more) {
                None => break true,
                Some(false) => break false,
                Some(true) if self.round() >= target => break true,
                Some(true) if !more() => break false,
                Some(true) => {}
            }
        };
        self.trace = trace;
        done
    }

    /// Finishes a round that [`Timeline::catch_up`] toward `target` left in progress, keeping
    /// its messages as that catch-up would (so a cancelled catch-up is at a round boundary).
    pub fn settle_catch_up(&mut self, target: u32) {
        if self.current.is_mid_round() {
            let trace = self.trace;
            self.trace = trace && self.round() + 1 == target;
            self.step_forward();
            self.trace = trace;
        }
    }

    /// Replaces the current model by checkpoint `i`, through the same lens.
    fn restore(&mut self, i: usize) {
        let lens = self.current.lens();
        self.current = self.checkpoints[i].clone();
        self.current.set_lens(&lens);
    }

    /// Takes `action` at the start of the round being viewed, forking the timeline (see the
    /// module docs). Returns how many recorded actions of the old future were dropped; a
    /// refused action changes nothing and returns the model's reason.
    pub fn act(&mut self, action: Action) -> Result<usize, ActionError> {
        self.settle();
        let r = self.round();
        let mut next = self.current.clone();
        next.unschedule_after(r);
        next.act(action.clone())?;
        // Round 0's checkpoint cannot be dropped: if it refuses, nothing changes.
        let mut first = self.checkpoints[0].clone();
        fork(&mut first, r, &action)?;
        self.current = next;
        self.remember();
        let before = self.actions.len();
        self.actions.retain(|(round, _)| round.0 <= u64::from(r));
        let dropped = before - self.actions.len();
        self.actions.push((Round(u64::from(r)), action.clone()));
        self.records.truncate(r as usize);
        if let Some(last) = self.records.last_mut() {
            self.current.amend(last);
        }
        self.checkpoints.truncate((r / self.spacing) as usize + 1);
        for i in 1..self.checkpoints.len() {
            if fork(&mut self.checkpoints[i], r, &action).is_err() {
                // Never keep a checkpoint without the action (a model bug, tested with a toy
                // model): rewinding recomputes from an earlier one instead.
                self.checkpoints.truncate(i);
                break;
            }
        }
        self.checkpoints[0] = first;
        Ok(dropped)
    }
}

/// Cuts `model`'s pending schedule after round `r` and gives it `action` at round `r`: applied
/// now if the model is at round `r` (as on the current model), scheduled otherwise. Neither
/// can fail on a checkpoint of the same run; the result is checked all the same.
fn fork<M: Model>(model: &mut M, r: u32, action: &Action) -> Result<(), ActionError> {
    model.unschedule_after(r);
    if model.round() == r {
        model.act(action.clone())
    } else {
        model.schedule(r, action.clone())
    }
}

/// A toy model for the shell's own tests (the timeline's, the playback's): no cluster at all.
#[cfg(test)]
pub(crate) mod toy {
    use super::*;

    /// A model of nothing but a sum of scheduled additions, whose checkpoint at round 16
    /// refuses to schedule: a stand-in for a model bug that the timeline must not hide.
    #[derive(Clone, Debug)]
    pub(crate) struct Toy {
        pub(crate) round: u32,
        pub(crate) sum: u32,
        pending: Vec<(u32, u32)>,
        /// What a checkpoint of it costs, in nodes (1 unless a test says otherwise).
        pub(crate) nodes: u32,
        /// The round at which it is complete.
        pub(crate) end: u32,
    }

    impl Toy {
        fn apply_due(&mut self) {
            let round = self.round;
            let (due, later) = self.pending.drain(..).partition(|(r, _)| *r == round);
            self.pending = later;
            self.sum += due.iter().map(|(_, x): &(u32, u32)| x).sum::<u32>();
        }
    }

    impl Model for Toy {
        type Record = (u32, u32);
        type Lens = ();
        fn round(&self) -> u32 {
            self.round
        }
        fn nodes(&self) -> u32 {
            self.nodes
        }
        fn is_complete(&self) -> bool {
            self.round >= self.end
        }
        fn is_mid_round(&self) -> bool {
            false
        }
        fn step_some(&mut self, _: bool, _: &mut dyn FnMut() -> bool) -> Option<(u32, u32)> {
            self.round += 1;
            self.apply_due();
            Some((self.round, self.sum))
        }
        fn act(&mut self, action: Action) -> Result<(), ActionError> {
            self.schedule(self.round, action)?;
            self.apply_due();
            Ok(())
        }
        fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError> {
            if self.round == 16 {
                return Err(ActionError::ScheduleFull { max: 0 });
            }
            let Action::Crash(x) = action else {
                unreachable!("the toy adds only")
            };
            self.pending.push((round, x));
            Ok(())
        }
        fn unschedule_after(&mut self, round: u32) -> usize {
            let before = self.pending.len();
            self.pending.retain(|(r, _)| *r <= round);
            before - self.pending.len()
        }
        fn amend(&self, record: &mut (u32, u32)) {
            record.1 = self.sum;
        }
        fn restarted(&self) -> Toy {
            Toy {
                round: 0,
                sum: 0,
                pending: Vec::new(),
                ..self.clone()
            }
        }
        fn lens(&self) {}
        fn set_lens(&mut self, _: &()) {}
    }

    pub(crate) fn toy() -> Toy {
        Toy {
            round: 0,
            sum: 0,
            pending: Vec::new(),
            nodes: 1,
            end: 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::toy::toy;
    use super::*;
    use crate::labs::dissemination::model::{
        informed_series, start, Engine, NodeState, Protocol, RunConfig, TICKS_PER_ROUND,
    };
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
        let mut t = start(push(), Vec::new()).unwrap();
        let mut first = vec![picture(t.model())];
        while t.step_forward() {
            first.push(picture(t.model()));
        }
        let end = t.round();
        assert!(
            end > 2 * CHECKPOINT_EVERY_ROUNDS,
            "the run should pass two checkpoints, ended at {end}"
        );
        for r in [0, 1, 5, 16, 17, 31, 32, 33, end - 1, end, 3, 0] {
            assert_eq!(t.goto(r), r);
            assert_eq!(picture(t.model()), first[r as usize], "round {r}");
        }
    }

    #[test]
    fn rumor_mongering_rewinds_exactly_too() {
        let mode = crate::labs::dissemination::model::rumor_mode(
            Exchange::Pull,
            RumorFeedback::Blind,
            RumorStop::Coin(3),
        );
        let mut t = start(config(mode, 0.0), Vec::new()).unwrap();
        let mut first = vec![picture(t.model())];
        while t.step_forward() {
            first.push(picture(t.model()));
        }
        assert!(t.model().is_complete());
        for r in [t.round(), 2, 0, 7.min(t.round())] {
            t.goto(r);
            assert_eq!(picture(t.model()), first[r as usize], "cycle {r}");
        }
    }

    #[test]
    fn step_back_at_round_zero_does_nothing_and_the_horizon_survives_rewinds() {
        let mut t = start(push(), Vec::new()).unwrap();
        assert!(!t.step_back());
        t.goto(20);
        assert!(t.step_back());
        assert_eq!((t.round(), t.horizon()), (19, 20));
    }

    #[test]
    fn acting_in_the_past_drops_the_later_actions_and_the_computed_future() {
        let mut t = start(push(), Vec::new()).unwrap();
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
        assert_eq!(t.model().state(8), NodeState::Down);
        assert_eq!(
            informed_series(&t, b"rumor")[5],
            t.model().informed_count(),
            "the chart's last point shows the action"
        );
        // The new future never restarts node 7, and replaying from scratch agrees with it.
        t.goto(30);
        assert_eq!(t.model().state(7), NodeState::Down);
        let mut fresh = start(push(), t.actions().to_vec()).unwrap();
        fresh.goto(30);
        assert_eq!(picture(fresh.model()), picture(t.model()));
        t.goto(3);
        fresh.goto(3);
        assert_eq!(picture(fresh.model()), picture(t.model()));
    }

    #[test]
    fn a_round_left_half_run_by_playback_is_finished_or_dropped_exactly() {
        let mut t = start(push(), Vec::new()).unwrap();
        t.goto(5);
        let at5 = picture(t.model());
        t.goto(6);
        let at6 = picture(t.model());
        t.goto(5);
        assert_eq!(t.advance(&mut || false), Some(false), "one tick of round 6");
        assert_eq!(t.round(), 5);
        t.goto(5);
        assert_eq!(
            picture(t.model()),
            at5,
            "going to the same round drops the half round"
        );
        t.advance(&mut || false);
        t.settle();
        assert_eq!(picture(t.model()), at6, "settling finishes it");
    }

    #[test]
    fn a_refused_action_changes_nothing() {
        let mut t = start(push(), Vec::new()).unwrap();
        t.goto(4);
        assert!(t.act(Action::Restart(3)).is_err(), "node 3 is up");
        assert!(t.actions().is_empty());
        assert_eq!(t.horizon(), 4);
    }

    #[test]
    fn a_complete_run_stops_advancing() {
        let mut t = start(
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
        assert!(t.model().is_complete());
        assert!(!t.step_forward());
        assert_eq!(t.round(), end);
    }

    #[test]
    fn a_checkpoint_that_refuses_the_forks_action_is_dropped_so_rewinding_stays_exact() {
        let mut t = Timeline::new(toy(), Vec::new());
        t.goto(40);
        t.act(Action::Crash(5)).unwrap();
        t.goto(50);
        // Back before the fork through the checkpoint at round 16 (which refused the action),
        // then forward past it: the action must happen at round 40 on every path.
        t.goto(20);
        t.goto(36);
        t.goto(41);
        assert_eq!(t.model().sum, 5, "the replay lost the action");
        let mut fresh = toy();
        fresh.schedule(40, Action::Crash(5)).unwrap();
        let mut fresh = Timeline::new(fresh, t.actions().to_vec());
        fresh.goto(41);
        assert_eq!(fresh.records(), &t.records()[..41]);
    }

    /// The dissemination engine with a checkpoint cost that leaves room for three checkpoints
    /// only, so that any run past round 32 thins them.
    #[derive(Clone, Debug)]
    struct Heavy(Engine);

    impl Model for Heavy {
        type Record = <Engine as Model>::Record;
        type Lens = <Engine as Model>::Lens;
        fn round(&self) -> u32 {
            Model::round(&self.0)
        }
        fn nodes(&self) -> u32 {
            CHECKPOINT_NODES_MAX / 3
        }
        fn is_complete(&self) -> bool {
            Model::is_complete(&self.0)
        }
        fn is_mid_round(&self) -> bool {
            Model::is_mid_round(&self.0)
        }
        fn step_some(
            &mut self,
            trace: bool,
            more: &mut dyn FnMut() -> bool,
        ) -> Option<Self::Record> {
            Model::step_some(&mut self.0, trace, more)
        }
        fn act(&mut self, action: Action) -> Result<(), ActionError> {
            Model::act(&mut self.0, action)
        }
        fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError> {
            Model::schedule(&mut self.0, round, action)
        }
        fn unschedule_after(&mut self, round: u32) -> usize {
            Model::unschedule_after(&mut self.0, round)
        }
        fn amend(&self, record: &mut Self::Record) {
            Model::amend(&self.0, record)
        }
        fn restarted(&self) -> Self {
            Heavy(Model::restarted(&self.0))
        }
        fn lens(&self) -> Self::Lens {
            Model::lens(&self.0)
        }
        fn set_lens(&mut self, lens: &Self::Lens) {
            Model::set_lens(&mut self.0, lens)
        }
    }

    /// The checkpoints' total cost in nodes, and whether they sit every `spacing` rounds.
    fn checkpoints_cost<M: Model>(t: &Timeline<M>) -> (u32, bool) {
        let on_spacing = t
            .checkpoint_rounds()
            .enumerate()
            .all(|(i, r)| r == i as u32 * t.spacing());
        let count = t.checkpoint_rounds().count() as u32;
        (count * t.model().nodes(), on_spacing)
    }

    #[test]
    fn checkpoints_stay_within_their_joint_limit_however_long_the_run() {
        let mut toy = toy();
        toy.nodes = CHECKPOINT_NODES_MAX / 5;
        toy.end = 3000;
        let mut t = Timeline::new(toy, Vec::new());
        while t.step_forward() {
            let (cost, on_spacing) = checkpoints_cost(&t);
            assert!(
                cost <= CHECKPOINT_NODES_MAX,
                "round {}: {cost} nodes",
                t.round()
            );
            assert!(
                on_spacing,
                "round {}: {:?}",
                t.round(),
                t.checkpoint_rounds().collect::<Vec<_>>()
            );
        }
        assert_eq!(t.round(), 3000);
        // 3000 rounds in at most five checkpoints: every 1024 rounds.
        assert_eq!(t.spacing(), 1024);
        assert_eq!(t.checkpoint_rounds().collect::<Vec<_>>(), [0, 1024, 2048]);
        // Thinning keeps the last one reachable: a seek replays at most `spacing` rounds.
        for r in [2999, 2048, 2047, 1, 0, 1500] {
            assert_eq!(t.goto(r), r);
            assert_eq!(
                t.records()[..r as usize].last().map(|x| x.0),
                (r > 0).then_some(r)
            );
        }
    }

    #[test]
    fn thinned_checkpoints_rewind_exactly_before_at_and_between_them() {
        let Ok(engine) = start(push(), Vec::new()).map(|t| t.start().clone()) else {
            panic!("the configuration is valid")
        };
        let mut t = Timeline::new(Heavy(engine), Vec::new());
        let mut first = vec![picture(&t.model().0)];
        while t.step_forward() {
            first.push(picture(&t.model().0));
            let (cost, on_spacing) = checkpoints_cost(&t);
            assert!(
                cost <= CHECKPOINT_NODES_MAX && on_spacing,
                "round {}",
                t.round()
            );
        }
        let end = t.round();
        assert!(
            t.spacing() > CHECKPOINT_EVERY_ROUNDS,
            "no thinning by round {end}"
        );
        let kept: Vec<u32> = t.checkpoint_rounds().collect();
        let mut rounds: Vec<u32> = Vec::new();
        for &c in &kept {
            // Before, at and just after each checkpoint, and halfway to the next.
            rounds.extend([c.saturating_sub(1), c, c + 1, c + t.spacing() / 2]);
        }
        rounds.extend([end, 0, end - 1, 1]);
        rounds.extend((0..=end).rev());
        for r in rounds.into_iter().filter(|&r| r <= end) {
            assert_eq!(t.goto(r), r);
            assert_eq!(
                picture(&t.model().0),
                first[r as usize],
                "round {r} (checkpoints {kept:?})"
            );
        }
    }

    #[test]
    fn catching_up_a_few_ticks_at_a_time_shows_exactly_what_goto_shows() {
        let lossy = config(Mode::AntiEntropy(Exchange::Pull), 0.5);
        let end = start(lossy, Vec::new()).unwrap().goto(ROUNDS_LIMIT);
        for target in [0, 1, 17, end - 1, end, end + 40] {
            // What the page showed before: `goto` from round 0, when the link was opened.
            let mut want = start(lossy, vec![(Round(3), Action::Crash(4))]).unwrap();
            want.goto(target);
            let mut t = start(lossy, vec![(Round(3), Action::Crash(4))]).unwrap();
            // Three ticks a call: rounds are split across calls, as frames split them.
            let mut calls = 0;
            loop {
                let mut budget = 3;
                let done = t.catch_up(target, &mut || {
                    budget -= 1;
                    budget > 0
                });
                calls += 1;
                if done {
                    break;
                }
                assert!(calls < 100_000, "never caught up with round {target}");
            }
            assert!(
                target < 2 || calls > 1,
                "round {target} was reached in one call"
            );
            // Not `assert_eq!`: a picture of 300 nodes is too long to print.
            assert!(
                picture(t.model()) == picture(want.model()),
                "round {target}"
            );
            assert!(t.records() == want.records(), "round {target}");
        }
    }

    #[test]
    fn a_cancelled_catch_up_is_left_at_a_round_boundary_of_the_same_run() {
        let mut t = start(push(), Vec::new()).unwrap();
        assert!(!t.catch_up(30, &mut || false), "one tick is not round 30");
        assert!(t.model().is_mid_round());
        t.settle_catch_up(30);
        assert_eq!(t.round(), 1);
        let mut fresh = start(push(), Vec::new()).unwrap();
        fresh.set_trace(false);
        fresh.goto(1);
        assert_eq!(picture(t.model()), picture(fresh.model()));
    }
}
