//! Editing a run's action script (the `a=` part of a link, see [`crate::script`]) without
//! losing what it already holds: insert an action at a round keeping every other action and
//! its order, remove one, and find the first round at which two scripts differ.
//!
//! A script is a list of `(round, action)` in application order: rounds never decrease, and
//! actions of one round apply in list order ([`crate::sim::Cluster::schedule`] keeps this
//! order). A viewer that lets the user act in the past calls [`insert`] with the round
//! viewed, [`remove`] to delete one, and [`first_difference`] to know from which round its
//! computed run is no longer the edited script's (everything before it stays valid). All three
//! are pure functions of their arguments, so an edited link replays the edited run.

use alloc::vec::Vec;

use crate::sim::Action;
use crate::time::Round;

/// One action of a script and the round at whose start it applies.
pub type TimedAction = (Round, Action);

/// Inserts `action` at `round`, after every action already at `round` or before it (so it
/// applies last in its round, as an action taken while viewing that round does), keeping every
/// other action and their order. Returns the index it was inserted at. A script out of round
/// order is not one this module writes; the position is then after the last action at or
/// before `round` among the sorted prefix ([`slice::partition_point`]'s rule).
pub fn insert(script: &mut Vec<TimedAction>, round: Round, action: Action) -> usize {
    let at = script.partition_point(|(r, _)| *r <= round);
    script.insert(at, (round, action));
    at
}

/// Removes the action at `index` and returns it, or `None` (script unchanged) when there is no
/// such index.
pub fn remove(script: &mut Vec<TimedAction>, index: usize) -> Option<TimedAction> {
    (index < script.len()).then(|| script.remove(index))
}

/// The earliest round from which replaying `a` and replaying `b` may differ: the round of the
/// first position where they differ (the smaller of the two rounds there, or the round of the
/// longer one's extra action), or `None` when they are equal. Replays of both are identical
/// before this round, because every action before it is the same action at the same round.
pub fn first_difference(a: &[TimedAction], b: &[TimedAction]) -> Option<Round> {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match (a.get(same), b.get(same)) {
        (Some(x), Some(y)) => Some(x.0.min(y.0)),
        (Some(x), None) | (None, Some(x)) => Some(x.0),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn script() -> Vec<TimedAction> {
        vec![
            (Round(3), Action::Crash(1)),
            (Round(3), Action::Crash(2)),
            (Round(8), Action::Restart(1)),
        ]
    }

    #[test]
    fn an_insert_goes_after_the_actions_of_its_round_and_keeps_the_later_ones() {
        let mut s = script();
        assert_eq!(insert(&mut s, Round(3), Action::Heal), 2);
        assert_eq!(s[2], (Round(3), Action::Heal));
        assert_eq!(insert(&mut s, Round(5), Action::Crash(4)), 3);
        assert_eq!(
            s[4],
            (Round(8), Action::Restart(1)),
            "the later action is kept"
        );
        assert_eq!(insert(&mut s, Round(0), Action::Crash(0)), 0);
        assert_eq!(insert(&mut s, Round(9), Action::Crash(9)), 6);
        assert_eq!(s.len(), 7);
    }

    #[test]
    fn removing_a_missing_index_changes_nothing() {
        let mut s = script();
        assert_eq!(remove(&mut s, 3), None);
        assert_eq!(s, script());
        assert_eq!(remove(&mut s, 1), Some((Round(3), Action::Crash(2))));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn the_first_difference_is_the_earliest_round_an_edit_touches() {
        let s = script();
        assert_eq!(first_difference(&s, &s), None);
        let mut t = s.clone();
        insert(&mut t, Round(5), Action::Heal);
        assert_eq!(first_difference(&s, &t), Some(Round(5)));
        assert_eq!(first_difference(&t, &s), Some(Round(5)));
        let mut u = s.clone();
        remove(&mut u, 0);
        assert_eq!(first_difference(&s, &u), Some(Round(3)));
        assert_eq!(first_difference(&s, &s[..2]), Some(Round(8)));
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            (0u32..6).prop_map(Action::Crash),
            (0u32..6).prop_map(Action::Restart),
            Just(Action::Heal),
        ]
    }

    fn arb_script() -> impl Strategy<Value = Vec<TimedAction>> {
        proptest::collection::vec((0u64..20, arb_action()), 0..12).prop_map(|mut v| {
            // Stable: actions of one round keep the order drawn.
            v.sort_by_key(|(r, _)| *r);
            v.into_iter().map(|(r, a)| (Round(r), a)).collect()
        })
    }

    proptest! {
        #[test]
        fn insert_then_remove_gives_the_same_script(
            s in arb_script(), round in 0u64..25, action in arb_action()
        ) {
            let mut edited = s.clone();
            let at = insert(&mut edited, Round(round), action.clone());
            prop_assert!(edited.windows(2).all(|w| w[0].0 <= w[1].0), "{edited:?}");
            // The others keep their order: dropping the inserted one gives the script back.
            prop_assert_eq!(first_difference(&s, &edited), Some(Round(round)));
            prop_assert_eq!(remove(&mut edited, at), Some((Round(round), action)));
            prop_assert_eq!(edited, s);
        }

        #[test]
        fn scripts_agree_before_their_first_difference(a in arb_script(), b in arb_script()) {
            match first_difference(&a, &b) {
                None => prop_assert_eq!(a, b),
                Some(r) => {
                    let before = |s: &[TimedAction]| -> Vec<TimedAction> {
                        s.iter().filter(|x| x.0 < r).cloned().collect()
                    };
                    prop_assert_eq!(before(&a), before(&b));
                }
            }
        }
    }
}
