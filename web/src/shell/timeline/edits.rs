//! Editing a timeline's recorded actions without forking it: insert at the round viewed
//! keeping the later actions, delete one, undo and redo (see "Editing the actions keeps the
//! later ones" in [`super`]). Every edit is a new action list handed to one rebuild,
//! [`Timeline::set_actions`], which recomputes the run from the last checkpoint that the edit
//! leaves valid.

use gossip_core::sim::{edit, Action, ActionError};
use gossip_core::time::Round;

use super::{Edit, Model, TimedAction, Timeline, ROUNDS_LIMIT, UNDO_EDITS_MAX};

impl<M: Model> Timeline<M> {
    /// Takes `action` at the start of the round viewed and keeps every recorded action after
    /// it (the run after it is recomputed). A refused action changes nothing and returns the
    /// model's reason; later actions the edited run cannot take are dropped and returned.
    pub fn insert(&mut self, action: Action) -> Result<Edit, ActionError> {
        self.settle();
        let r = self.round();
        // The action is tried where it happens first, so a refusal names its own reason.
        self.current.clone().act(action.clone())?;
        let mut next = self.actions.clone();
        edit::insert(&mut next, Round(u64::from(r)), action);
        self.edit(next)
    }

    /// Deletes the recorded action at `index` (the run after its round is recomputed); `None`
    /// when there is no such action (nothing changes).
    pub fn delete(&mut self, index: usize) -> Option<Result<Edit, ActionError>> {
        let mut next = self.actions.clone();
        edit::remove(&mut next, index)?;
        Some(self.edit(next))
    }

    /// Whether there is an edit to undo, and one to redo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether an undone edit can be made again.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Takes back the last edit (an insert, a delete or a fork): the actions are exactly those
    /// before it, and so is the run. `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<Result<Edit, ActionError>> {
        let before = self.undo.pop()?;
        let now = self.actions.clone();
        match self.set_actions(before.clone()) {
            Ok(e) => {
                self.redo.push(now);
                Some(Ok(e))
            }
            Err(e) => {
                self.undo.push(before);
                Some(Err(e))
            }
        }
    }

    /// Makes the last undone edit again; `None` when there is none.
    pub fn redo(&mut self) -> Option<Result<Edit, ActionError>> {
        let after = self.redo.pop()?;
        let now = self.actions.clone();
        match self.set_actions(after.clone()) {
            Ok(e) => {
                self.push_undo(now);
                Some(Ok(e))
            }
            Err(e) => {
                self.redo.push(after);
                Some(Err(e))
            }
        }
    }

    /// An edit the user made: the list before it can be undone, and nothing can be redone.
    fn edit(&mut self, next: Vec<TimedAction>) -> Result<Edit, ActionError> {
        let before = self.actions.clone();
        let e = self.set_actions(next)?;
        self.push_undo(before);
        self.redo.clear();
        Ok(e)
    }

    /// Before a fork ([`Timeline::act`]): its list can be undone too.
    pub(super) fn remember(&mut self) {
        let before = self.actions.clone();
        self.push_undo(before);
        self.redo.clear();
    }

    fn push_undo(&mut self, list: Vec<TimedAction>) {
        if self.undo.len() >= UNDO_EDITS_MAX {
            self.undo.remove(0);
        }
        self.undo.push(list);
    }

    /// Makes `next` (in round order) the run's actions, keeping the round viewed: rebuilds
    /// from the last checkpoint before the first round where `next` and the recorded actions
    /// differ, or from [`Model::restarted`] when that is round 0, drops (and returns) the
    /// actions of `next` that the run refuses where they happen, and recomputes up to the
    /// horizon it had (or the last action, if later). No undo entry: the caller's. On an error
    /// (the model's schedule is full) nothing changes.
    pub fn set_actions(&mut self, next: Vec<TimedAction>) -> Result<Edit, ActionError> {
        self.settle();
        let view = self.round();
        let Some(from) = edit::first_difference(&self.actions, &next) else {
            return Ok(Edit::default());
        };
        let from = u32::try_from(from.0).unwrap_or(u32::MAX);
        // The checkpoint at round c < from holds round c's actions, which the edit leaves as
        // they were; at round 0 only the restarted model is before every action.
        let keep = (from > 0)
            .then(|| (((from - 1) / self.spacing) as usize).min(self.checkpoints.len() - 1));
        let mut base = match keep {
            Some(i) => self.checkpoints[i].clone(),
            None => self.current.restarted(),
        };
        let c = base.round();
        base.unschedule_after(c);
        let applied = |round: Round| keep.is_some() && round.0 <= u64::from(c);
        // Each action not yet applied is tried where it happens, on a copy stepped untraced.
        let mut probe = base.clone();
        let (mut kept, mut impossible) = (Vec::new(), Vec::new());
        for (round, action) in next {
            if !applied(round) {
                let r = u32::try_from(round.0).unwrap_or(u32::MAX);
                while probe.round() < r {
                    while probe.step_some(false, &mut || true).is_none() {}
                }
                if let Err(e) = probe.act(action.clone()) {
                    impossible.push(((round, action), e));
                    continue;
                }
            }
            kept.push((round, action));
        }
        drop(probe);
        // The base with the kept actions that are not applied in it: round 0's taken now on
        // the restarted model (as a fresh start applies them), the rest scheduled.
        for (round, action) in kept.iter().filter(|(r, _)| !applied(*r)) {
            if keep.is_none() && round.0 == 0 {
                base.act(action.clone())?;
            } else {
                base.schedule(round.0 as u32, action.clone())?;
            }
        }
        let mut earlier = Vec::new();
        for cp in &self.checkpoints[..keep.unwrap_or(0)] {
            let mut cp = cp.clone();
            let at = cp.round();
            cp.unschedule_after(at);
            for (round, action) in kept.iter().filter(|(r, _)| r.0 > u64::from(at)) {
                cp.schedule(round.0 as u32, action.clone())?;
            }
            earlier.push(cp);
        }
        // Nothing failed: the rebuilt run replaces the old one from round c.
        let horizon = self.horizon();
        let last = kept.last().map_or(0, |(r, _)| r.0 as u32);
        self.actions = kept;
        earlier.push(base.clone());
        self.checkpoints = earlier;
        self.records.truncate(c as usize);
        let lens = self.current.lens();
        self.current = base;
        self.current.set_lens(&lens);
        self.goto(horizon.max(last).min(ROUNDS_LIMIT));
        self.goto(view);
        Ok(Edit { impossible })
    }
}

#[cfg(test)]
mod tests {
    use super::super::TimedAction;
    use super::*;
    use crate::labs::dissemination::model::{
        start, Engine, NodeState, Protocol, RunConfig, TICKS_PER_ROUND,
    };
    use gossip_core::node::{Exchange, Mode};

    /// A lossy push run of 300 nodes: slow enough to pass two checkpoints.
    fn config() -> RunConfig {
        RunConfig::new(
            300,
            11,
            Protocol {
                mode: Mode::AntiEntropy(Exchange::Push),
                fanout: 1,
                gossip_interval_ticks: TICKS_PER_ROUND,
                loss: 0.85,
                latency_ticks_min: 1,
                latency_ticks_max: 2,
            },
        )
    }

    /// Everything the view shows of an engine, node by node.
    type Picture = (u32, u32, u64, Vec<NodeState>, Vec<Option<u64>>, String);

    fn picture(e: &Engine) -> Picture {
        let n = e.nodes();
        (
            e.round(),
            e.informed_count(),
            e.messages(),
            (0..n).map(|i| e.state(i)).collect(),
            (0..n).map(|i| e.learned_tick(i)).collect(),
            format!("{:?}", e.round_messages()),
        )
    }

    /// Checks `t` against a run started from scratch with `t`'s actions: every record, and the
    /// state node by node at each of `rounds` (then returns to the round `t` viewed).
    fn equals_a_fresh_replay(t: &mut Timeline<Engine>, rounds: &[u32]) {
        let view = t.round();
        let mut fresh = start(config(), t.actions().to_vec()).unwrap();
        fresh.goto(t.horizon());
        assert!(fresh.records() == t.records(), "the records differ");
        for &r in rounds {
            t.goto(r);
            fresh.goto(r);
            assert!(picture(t.model()) == picture(fresh.model()), "round {r}");
        }
        t.goto(view);
    }

    fn at(r: u64, a: Action) -> TimedAction {
        (Round(r), a)
    }

    #[test]
    fn inserting_at_a_past_round_keeps_the_later_actions_and_equals_a_fresh_replay() {
        let mut t = start(config(), Vec::new()).unwrap();
        t.goto(3);
        t.insert(Action::Crash(7)).unwrap();
        t.goto(8);
        t.insert(Action::Restart(7)).unwrap();
        t.goto(40);
        let at8 = {
            t.goto(8);
            picture(t.model())
        };
        t.goto(5);
        let e = t.insert(Action::Crash(8)).unwrap();
        assert!(e.impossible.is_empty());
        assert_eq!(
            t.actions(),
            &[
                at(3, Action::Crash(7)),
                at(5, Action::Crash(8)),
                at(8, Action::Restart(7))
            ]
        );
        assert_eq!(
            (t.round(), t.horizon()),
            (5, 40),
            "the view and the horizon stay"
        );
        assert_eq!(t.model().state(8), NodeState::Down, "it shows at once");
        t.goto(8);
        assert_eq!(
            t.model().state(7),
            NodeState::Susceptible,
            "the restart is kept"
        );
        assert_ne!(picture(t.model()), at8, "round 8 was recomputed");
        equals_a_fresh_replay(&mut t, &[0, 3, 4, 5, 6, 8, 16, 17, 33, 40]);
    }

    #[test]
    fn a_later_action_the_edit_makes_impossible_is_dropped_and_named() {
        let mut t = start(config(), Vec::new()).unwrap();
        t.goto(20);
        t.insert(Action::Crash(7)).unwrap();
        t.goto(25);
        t.insert(Action::Crash(9)).unwrap();
        t.goto(3);
        let e = t.insert(Action::Crash(7)).unwrap();
        assert_eq!(
            e.impossible,
            vec![(at(20, Action::Crash(7)), ActionError::NodeDown(7))]
        );
        assert_eq!(
            t.actions(),
            &[at(3, Action::Crash(7)), at(25, Action::Crash(9))]
        );
        assert_eq!(t.round(), 3);
        equals_a_fresh_replay(&mut t, &[3, 19, 20, 21, 25]);
    }

    #[test]
    fn a_refused_insert_changes_nothing() {
        let mut t = start(config(), vec![at(2, Action::Crash(4))]).unwrap();
        t.goto(6);
        assert_eq!(t.insert(Action::Crash(4)), Err(ActionError::NodeDown(4)));
        assert_eq!(t.actions(), &[at(2, Action::Crash(4))]);
        assert_eq!((t.round(), t.horizon(), t.can_undo()), (6, 6, false));
    }

    #[test]
    fn deleting_an_action_recomputes_from_before_it_and_equals_a_fresh_replay() {
        let actions = vec![
            at(0, Action::Crash(3)),
            at(9, Action::Crash(5)),
            at(18, Action::Restart(5)),
        ];
        let mut t = start(config(), actions).unwrap();
        t.goto(30);
        t.goto(12);
        // The crash at round 9: the restart at 18 of a node that is up is now impossible.
        let e = t.delete(1).unwrap().unwrap();
        assert_eq!(
            e.impossible,
            vec![(at(18, Action::Restart(5)), ActionError::NodeUp(5))]
        );
        assert_eq!(t.actions(), &[at(0, Action::Crash(3))]);
        assert_eq!((t.round(), t.horizon()), (12, 30));
        equals_a_fresh_replay(&mut t, &[0, 8, 9, 12, 18, 30]);
        // Round 0's action: no checkpoint is before it, the run restarts without it.
        t.delete(0).unwrap().unwrap();
        assert!(t.actions().is_empty());
        assert_ne!(t.model().state(3), NodeState::Down);
        equals_a_fresh_replay(&mut t, &[0, 1, 12, 30]);
        assert!(t.delete(0).is_none(), "no such action");
    }

    #[test]
    fn undo_restores_the_run_exactly_and_redo_makes_the_edit_again() {
        let mut t = start(
            config(),
            vec![at(4, Action::Crash(1)), at(10, Action::Crash(2))],
        )
        .unwrap();
        t.goto(35);
        let before: Vec<Picture> = (0..=35)
            .map(|r| {
                t.goto(r);
                picture(t.model())
            })
            .collect();
        let records = t.records().to_vec();
        t.goto(7);
        t.insert(Action::Crash(2)).unwrap();
        assert_eq!(t.actions().len(), 2, "the crash at 10 became impossible");
        let edited = t.records().to_vec();
        assert!(t.can_undo() && !t.can_redo());
        assert!(t.undo().unwrap().unwrap().impossible.is_empty());
        assert_eq!(t.round(), 7);
        assert!(t.records() == records.as_slice(), "the records are back");
        for r in [35, 0, 4, 7, 10, 16, 33] {
            t.goto(r);
            assert!(picture(t.model()) == before[r as usize], "round {r}");
        }
        assert!(t.can_redo() && !t.can_undo());
        t.redo().unwrap().unwrap();
        assert!(t.records() == edited.as_slice());
        assert!(t.undo().is_some() && t.undo().is_none());
    }

    /// A property test with a fixed seed (the core's own generator, so it is the same run on
    /// every machine): 24 random edits (crashes and restarts inserted at random rounds, deletes,
    /// undos, redos, forks), each followed by the check that the timeline equals a replay of its
    /// actions from scratch, node by node, and that undo gives back the list before the edit.
    #[test]
    fn any_sequence_of_edits_equals_a_fresh_replay_of_the_edited_actions() {
        let mut rng = gossip_core::rng::Rng::from_seed(2026);
        let mut t = start(config(), Vec::new()).unwrap();
        t.goto(30);
        for step in 0..24 {
            let before = t.actions().to_vec();
            let r = rng.below(30);
            t.goto(r);
            let node = rng.below(12);
            let action = if t.model().state(node) == NodeState::Down {
                Action::Restart(node)
            } else {
                Action::Crash(node)
            };
            let check_undo = match rng.below(6) {
                0 | 1 => t.insert(action).map(|_| true).unwrap(),
                2 if !before.is_empty() => {
                    t.delete(rng.below(before.len() as u32) as usize)
                        .unwrap()
                        .unwrap();
                    true
                }
                // Undo and redo are checked by the replay; the round trip below is for edits.
                3 => t.undo().map(|e| e.unwrap()).is_none(),
                4 => t.redo().map(|e| e.unwrap()).is_none(),
                _ => t.act(action).map(|_| true).unwrap(),
            };
            assert!(
                t.actions().windows(2).all(|w| w[0].0 <= w[1].0),
                "step {step}: out of order"
            );
            equals_a_fresh_replay(&mut t, &[0, r, r + 1, 16, 29]);
            if check_undo && t.actions() != before.as_slice() {
                let after = t.actions().to_vec();
                t.undo().unwrap().unwrap();
                assert_eq!(t.actions(), before.as_slice(), "step {step}: undo");
                t.redo().unwrap().unwrap();
                assert_eq!(t.actions(), after.as_slice(), "step {step}: redo");
            }
        }
        assert!(t.actions().len() >= 3, "the edits left {:?}", t.actions());
    }

    #[test]
    fn a_fork_drops_the_later_actions_and_can_be_undone() {
        let mut t = start(
            config(),
            vec![at(4, Action::Crash(1)), at(10, Action::Crash(2))],
        )
        .unwrap();
        t.goto(20);
        t.goto(6);
        assert_eq!(t.act(Action::Crash(3)), Ok(1));
        assert_eq!(
            t.actions(),
            &[at(4, Action::Crash(1)), at(6, Action::Crash(3))]
        );
        t.undo().unwrap().unwrap();
        assert_eq!(
            t.actions(),
            &[at(4, Action::Crash(1)), at(10, Action::Crash(2))]
        );
        equals_a_fresh_replay(&mut t, &[0, 6, 10, 20]);
    }
}
