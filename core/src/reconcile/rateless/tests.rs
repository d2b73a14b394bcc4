//! The rateless session against a naive oracle, and bad input at every step.

use alloc::vec::Vec;
use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest, TestCaseError};

use super::codec::put_batch;
use super::{CodedSymbol, ItemKey, PeelError};
use crate::reconcile::tests::{feed_junk_between, naive_difference, slot, store_in, Slot};
use crate::reconcile::{
    reconcile_pair, AbandonReason, Next, ReconcileError, ReconcileLimits, Replica, Session,
    Strategy,
};
use crate::store::{Store, StoreLimits};
use crate::time::Tick;

const NOW: Tick = Tick(100);
const RATELESS: Strategy = Strategy::Rateless;

fn limits() -> StoreLimits {
    StoreLimits {
        keys_max: 512,
        key_bytes_max: 8,
        value_bytes_max: 8,
    }
}

fn store_of(slots: &[Slot]) -> Store {
    store_in(limits(), 2, slots)
}

fn check_pair(sa: &Store, sb: &Store) -> Result<(), TestCaseError> {
    let mut oracle = sa.clone();
    oracle.merge_from(NOW, sb);
    let (mut ra, mut rb) = (Replica::new(sa.clone()), Replica::new(sb.clone()));
    let report = reconcile_pair(&mut ra, &mut rb, RATELESS, ReconcileLimits::default(), NOW)
        .map_err(|e| TestCaseError::fail(alloc::format!("{e}")))?;
    prop_assert!(ra.store().same_content(&oracle));
    prop_assert!(rb.store().same_content(&oracle));
    // Every differing key crosses at least once and at most twice (a key both hold at
    // different versions: the responder's entry always, the initiator's only if newer), and
    // nothing else crosses.
    let diff = naive_difference(sa, sb);
    let both = diff
        .iter()
        .filter(|k| sa.get(k).is_some() && sb.get(k).is_some())
        .count() as u64;
    prop_assert!(report.entries() >= diff.len() as u64);
    prop_assert!(report.entries() <= diff.len() as u64 + both);
    prop_assert_eq!(
        report.entries() - report.entries_unneeded(),
        diff.len() as u64
    );
    prop_assert!(report.symbols() >= 1);
    if diff.is_empty() {
        prop_assert_eq!(report.round_trips(), 1);
        prop_assert_eq!(report.entries(), 0);
    }
    Ok(())
}

proptest! {
    #[test]
    fn rateless_leaves_both_sides_with_the_merge_of_the_two(
        a in proptest::collection::vec(slot(), 40),
        b in proptest::collection::vec(slot(), 40),
    ) {
        check_pair(&store_of(&a), &store_of(&b))?;
    }

    #[test]
    fn large_differences_need_several_batches_and_still_merge(
        a in proptest::collection::vec(slot(), 300),
        b in proptest::collection::vec(slot(), 300),
    ) {
        check_pair(&store_of(&a), &store_of(&b))?;
    }
}

// Runs a real exchange for `steps` messages, then hands the side whose turn it is `junk`
// (after the strategy byte); on error its replica is unchanged and the session abandoned.
fn feed_junk(steps: usize, junk: &[u8]) -> Result<(), TestCaseError> {
    let sa = store_of(&[Some((1, 0)), None, Some((2, 1)), Some((3, 0))]);
    let slots: Vec<Slot> = (0..60).map(|k| (k % 3 != 0).then_some((2, 1))).collect();
    let sb = store_of(&slots);
    feed_junk_between(RATELESS, 3, sa, sb, steps, junk)
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_an_error_changes_nothing(
        junk in proptest::collection::vec(any::<u8>(), 0..120),
        steps in 0usize..8,
    ) {
        feed_junk(steps, &junk)?;
    }
}

#[test]
fn a_difference_larger_than_symbols_max_is_abandoned_as_never_peeled() {
    let sa = store_of(&[Some((1, 0)); 200]);
    let sb = store_of(&[]);
    let (mut ra, mut rb) = (Replica::new(sa.clone()), Replica::new(sb.clone()));
    let l = ReconcileLimits {
        symbols_max: 64,
        ..ReconcileLimits::default()
    };
    let e = reconcile_pair(&mut ra, &mut rb, RATELESS, l, NOW).unwrap_err();
    assert_eq!(e.reason(), AbandonReason::NeverPeeled);
    assert!(ra.store().same_content(&sa));
    assert!(rb.store().same_content(&sb));
}

#[test]
fn the_stream_grows_by_rateless_growth_percent_until_it_decodes() {
    // 200 differing items, which decode from about 280 symbols: the doubling stream sends
    // 512, the 1.5x one 364 (16, 32, 48, 72, 108, 162, 243, 364), three batches more.
    let sa = store_of(&[Some((1, 0)); 200]);
    let sb = store_of(&[]);
    let run = |growth: u32| {
        let (mut ra, mut rb) = (Replica::new(sa.clone()), Replica::new(sb.clone()));
        let l = ReconcileLimits {
            rateless_growth_percent: growth,
            ..ReconcileLimits::default()
        };
        let r = reconcile_pair(&mut ra, &mut rb, RATELESS, l, NOW).unwrap();
        assert!(ra.store().same_content(rb.store()), "growth {growth}");
        r
    };
    // The totals each growth can reach: 16, then each batch brings the total to growth % of
    // what it was (at least 16 more).
    let totals = |growth: u64| {
        let mut t = 16u64;
        core::iter::from_fn(move || {
            let now = t;
            t += (t * (growth - 100) / 100).max(16);
            Some(now)
        })
    };
    let (double, half) = (run(200), run(150));
    for (r, growth) in [(double, 200), (half, 150)] {
        let sent = r.symbols();
        assert!(
            totals(growth).take_while(|&t| t <= sent).any(|t| t == sent),
            "growth {growth}: {sent} symbols is not a total of its batches"
        );
    }
    assert_eq!((double.symbols(), half.symbols()), (512, 364));
    assert!(half.round_trips() > double.round_trips());
}

// The responder's first message made by hand: the key, then one batch.
fn first_message(key: ItemKey, symbols: &[CodedSymbol]) -> Vec<u8> {
    let mut msg = alloc::vec![RATELESS.tag()];
    msg.extend_from_slice(&key.to_bytes());
    put_batch(&mut msg, 0, symbols);
    msg
}

#[test]
fn a_forged_stream_is_abandoned_with_the_store_unchanged() {
    let s = store_of(&[Some((1, 0)), Some((2, 0))]);
    let mut r = Replica::new(s.clone());
    let mut b = Session::responder(RATELESS, ReconcileLimits::default()).unwrap();
    let key = ItemKey::new(1, 2);
    // Symbol 0 that, minus the responder's two items, is a pure -1 of an id it does not hold.
    let mut forged = CodedSymbol::EMPTY;
    for (k, e) in s.iter() {
        let id = key.item_id(k, e.version());
        forged.add(id, key.checksum(id), 1);
    }
    forged.add(99, key.checksum(99), -1);
    let err = b.handle(&mut r, NOW, &first_message(key, &[forged]), &mut Vec::new());
    // A broken stream is its own reason, not a stream that merely ran out of symbols.
    assert_eq!(
        err,
        Err(ReconcileError::Undecodable {
            why: PeelError::NotLocal.as_str()
        })
    );
    assert!(r.store().same_content(&s));
    assert_eq!(b.counters().abandoned, Some(AbandonReason::Undecodable));
}

#[test]
fn a_batch_out_of_order_or_past_the_limits_is_refused() {
    let mut r = Replica::new(store_of(&[Some((1, 0))]));
    let key = ItemKey::new(1, 2);
    let mut msg = alloc::vec![RATELESS.tag()];
    msg.extend_from_slice(&key.to_bytes());
    put_batch(&mut msg, 5, &[CodedSymbol::EMPTY]);
    let mut b = Session::responder(RATELESS, ReconcileLimits::default()).unwrap();
    assert!(matches!(
        b.handle(&mut r, NOW, &msg, &mut Vec::new()),
        Err(ReconcileError::OutOfOrder { .. })
    ));
    let l = ReconcileLimits {
        items_per_message_max: 4,
        ..ReconcileLimits::default()
    };
    let mut b = Session::responder(RATELESS, l).unwrap();
    let msg = first_message(key, &[CodedSymbol::EMPTY; 5]);
    assert!(matches!(
        b.handle(&mut r, NOW, &msg, &mut Vec::new()),
        Err(ReconcileError::Decode(_))
    ));
}

#[test]
fn the_key_comes_from_the_seed_and_rides_in_the_first_message() {
    let mut r = Replica::new(store_of(&[Some((1, 0))]));
    let first = |seed| {
        let mut a = Session::initiator(RATELESS, ReconcileLimits::default(), seed).unwrap();
        let mut out = Vec::new();
        assert_eq!(a.start(&mut r.clone(), NOW, &mut out), Ok(Next::Send));
        out
    };
    let (one, again, two) = (first(1), first(1), first(2));
    assert_eq!(one, again);
    assert_ne!(one[1..17], two[1..17]);
    let mut rng = crate::rng::Rng::stream(1, crate::rng::Stream::RatelessKey, 0);
    assert_eq!(one[1..17], ItemKey::draw(&mut rng).to_bytes());
    // The first batch follows: start 0 and BATCH_SYMBOLS_FIRST symbols.
    assert_eq!(one[17..19], [0, super::session::BATCH_SYMBOLS_FIRST as u8]);
    let _ = &mut r;
}

#[test]
fn equal_replicas_cost_one_round_trip_and_no_entries() {
    let s = store_of(&[Some((1, 0)), Some((2, 1)), None, Some((3, 0))]);
    let (mut ra, mut rb) = (Replica::new(s.clone()), Replica::new(s));
    let report =
        reconcile_pair(&mut ra, &mut rb, RATELESS, ReconcileLimits::default(), NOW).unwrap();
    assert_eq!(report.round_trips(), 1);
    assert_eq!(report.entries(), 0);
    assert_eq!(report.symbols(), 16);
}

#[test]
fn the_initiator_sends_no_entry_the_answer_superseded() {
    // Keys 0 and 1 are held newer by the responder, key 2 newer by the initiator, key 3 only by
    // the initiator: each key is two differing items, so the responder asks for all four of
    // the initiator's, but the answer already brings newer entries for keys 0 and 1.
    let sa = store_of(&[Some((1, 0)), Some((1, 1)), Some((3, 0)), Some((1, 0))]);
    let sb = store_of(&[Some((2, 0)), Some((3, 1)), Some((1, 0)), None]);
    let (mut ra, mut rb) = (Replica::new(sa), Replica::new(sb));
    let report =
        reconcile_pair(&mut ra, &mut rb, RATELESS, ReconcileLimits::default(), NOW).unwrap();
    assert!(ra.store().same_content(rb.store()));
    // Only keys 2 and 3 cross from the initiator, and the responder needed both.
    assert_eq!(report.initiator.entries_sent, 2);
    assert_eq!(report.responder.entries_unneeded, 0);
    // The responder's old entry of key 2 still crosses: it answers before it can know.
    assert_eq!(report.responder.entries_sent, 3);
    assert_eq!(report.initiator.entries_unneeded, 1);
}
