//! The strategies against a naive oracle, and bad input against every handler.

use alloc::vec::Vec;
use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest, TestCaseError};

use super::merkle::codec as mcodec;
use super::{
    merkle, reconcile_pair, wire_entries, AbandonReason, Next, ReconcileError, ReconcileLimits,
    Replica, Report, Session, Strategy, TreeShape,
};
use crate::store::{Store, StoreLimits, Version};
use crate::time::Tick;

const NOW: Tick = Tick(100);

fn limits() -> StoreLimits {
    StoreLimits {
        keys_max: 64,
        key_bytes_max: 8,
        value_bytes_max: 8,
    }
}

// One key's state on a side: absent, or the version (counter, origin) it holds. A version names
// one write, as with honest nodes (the store's docs), so the value (or tombstone) is a function
// of the key and version: two sides never hold different values under one version.
pub(super) type Slot = Option<(u64, u32)>;

fn store_of(slots: &[Slot]) -> Store {
    store_in(limits(), 1, slots)
}

// A store of `limits` holding `slots`: key `k` is the first `key_bytes` bytes of `k` as a
// little-endian u16 (the rateless tests use 2 bytes, for more keys than one byte names).
pub(super) fn store_in(limits: StoreLimits, key_bytes: usize, slots: &[Slot]) -> Store {
    let mut s = Store::new(limits);
    for (k, slot) in slots.iter().enumerate() {
        if let Some((counter, origin)) = slot {
            let v = Version {
                counter: *counter,
                origin: *origin,
            };
            let name = k as u64 + counter * 3 + u64::from(*origin);
            let value = (!name.is_multiple_of(3)).then_some(name as u8);
            let key = (k as u16).to_le_bytes();
            s.merge(
                Tick(1),
                &key[..key_bytes],
                v,
                value.as_ref().map(core::slice::from_ref),
            );
        }
    }
    s
}

pub(super) fn slot() -> impl proptest::strategy::Strategy<Value = Slot> {
    proptest::option::of((1u64..4, 0u32..2))
}

const SMALL: TreeShape = TreeShape {
    branching: 2,
    depth: 3,
};
const WIDEISH: TreeShape = TreeShape {
    branching: 8,
    depth: 2,
};

fn strategies() -> [Strategy; 4] {
    [
        Strategy::Full,
        Strategy::Digest,
        Strategy::Merkle(SMALL),
        Strategy::Merkle(WIDEISH),
    ]
}

fn replica(store: Store, strategy: Strategy) -> Replica {
    match strategy {
        Strategy::Merkle(shape) => Replica::with_tree(store, shape).unwrap(),
        _ => Replica::new(store),
    }
}

// Keys whose entries differ between the two stores (the naive difference).
pub(super) fn naive_difference(a: &Store, b: &Store) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = a.iter().chain(b.iter()).map(|(k, _)| k.to_vec()).collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| {
        let (x, y) = (a.get(k), b.get(k));
        x.map(|e| (e.version(), e.value())) != y.map(|e| (e.version(), e.value()))
    });
    keys
}

proptest! {
    #[test]
    fn every_strategy_leaves_both_sides_with_the_merge_of_the_two(
        a in proptest::collection::vec(slot(), 24),
        b in proptest::collection::vec(slot(), 24),
    ) {
        let (sa, sb) = (store_of(&a), store_of(&b));
        let mut oracle = sa.clone();
        oracle.merge_from(NOW, &sb);
        let diff = naive_difference(&sa, &sb);
        for strategy in strategies() {
            let mut ra = replica(sa.clone(), strategy);
            let mut rb = replica(sb.clone(), strategy);
            let report = reconcile_pair(&mut ra, &mut rb, strategy, ReconcileLimits::default(), NOW).unwrap();
            prop_assert!(ra.store().same_content(&oracle), "{:?}", strategy);
            prop_assert!(rb.store().same_content(&oracle), "{:?}", strategy);
            if let Strategy::Merkle(shape) = strategy {
                // The incrementally updated trees are the trees of the merged store.
                ra.refresh_tree();
                rb.refresh_tree();
                let fresh = merkle::MerkleTree::build(shape, &oracle).unwrap();
                prop_assert_eq!(ra.tree().unwrap(), &fresh);
                prop_assert_eq!(rb.tree().unwrap(), &fresh);
            }
            check_exchange(strategy, &sa, &sb, &diff, &report)?;
        }
    }
}

// What was exchanged: full sends everything; digest and Merkle send exactly the differing
// entries; Merkle's only extra keys are those sharing a differing bucket, counted apart.
fn check_exchange(
    strategy: Strategy,
    sa: &Store,
    sb: &Store,
    diff: &[Vec<u8>],
    report: &Report,
) -> Result<(), TestCaseError> {
    match strategy {
        Strategy::Full => {
            prop_assert_eq!(report.entries(), (sa.len() + sb.len()) as u64);
            prop_assert_eq!(report.round_trips(), 1);
        }
        Strategy::Digest => {
            prop_assert_eq!(report.entries(), diff.len() as u64);
            prop_assert_eq!(report.entries_unneeded(), 0);
        }
        Strategy::Merkle(shape) => {
            prop_assert_eq!(report.entries(), diff.len() as u64);
            prop_assert_eq!(report.entries_unneeded(), 0);
            let tree = merkle::MerkleTree::build(shape, sa).unwrap();
            let mut leaves: Vec<u32> = diff.iter().map(|k| tree.leaf_of(k)).collect();
            leaves.sort();
            leaves.dedup();
            let sharing = sa
                .iter()
                .filter(|(k, e)| {
                    leaves.contains(&tree.leaf_of(k))
                        && sb.get(k).map(|f| f.version()) == Some(e.version())
                })
                .count() as u64;
            let unneeded = report.initiator.versions_unneeded + report.responder.versions_unneeded;
            prop_assert_eq!(unneeded, sharing);
            if diff.is_empty() {
                prop_assert_eq!(report.round_trips(), 1);
                prop_assert_eq!(report.hashes(), 1);
            }
        }
        Strategy::Rateless => {}
    }
    Ok(())
}

fn feed_junk(strategy: Strategy, steps: usize, junk: &[u8]) -> Result<(), TestCaseError> {
    let sa = store_of(&[Some((1, 0)), None, Some((2, 1))]);
    let sb = store_of(&[Some((2, 0)), Some((1, 1)), None]);
    feed_junk_between(strategy, 0, sa, sb, steps, junk)
}

// Drives a session of `strategy` (initiator seed `seed`) between `sa` and `sb` through `steps`
// messages of a real exchange, then hands the side whose turn it is `junk` (after the strategy
// byte) instead of the next message; on error its replica is unchanged and the session abandoned.
pub(super) fn feed_junk_between(
    strategy: Strategy,
    seed: u64,
    sa: Store,
    sb: Store,
    steps: usize,
    junk: &[u8],
) -> Result<(), TestCaseError> {
    let (mut ra, mut rb) = (replica(sa, strategy), replica(sb, strategy));
    let l = ReconcileLimits::default();
    let mut a = Session::initiator(strategy, l, seed).unwrap();
    let mut b = Session::responder(strategy, l).unwrap();
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    a.start(&mut ra, NOW, &mut out_a).unwrap();
    // After `steps` real messages, the side whose turn it is gets the junk.
    for step in 0..steps {
        let next = if step.is_multiple_of(2) {
            b.handle(&mut rb, NOW, &out_a, &mut out_b)
        } else {
            a.handle(&mut ra, NOW, &out_b, &mut out_a)
        };
        if next.unwrap() != Next::Send {
            return Ok(());
        }
    }
    let (side, r) = if steps.is_multiple_of(2) {
        (&mut b, &mut rb)
    } else {
        (&mut a, &mut ra)
    };
    let before = r.clone();
    let mut msg = alloc::vec![strategy.tag()];
    msg.extend_from_slice(junk);
    let mut out = Vec::new();
    if side.handle(r, NOW, &msg, &mut out).is_err() {
        prop_assert!(r.store().same_content(before.store()));
        prop_assert_eq!(r.tree(), before.tree());
        prop_assert!(out.is_empty());
        prop_assert!(side.counters().abandoned.is_some());
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_an_error_changes_nothing(
        junk in proptest::collection::vec(any::<u8>(), 0..80),
        steps in 0usize..5,
    ) {
        for strategy in strategies() {
            feed_junk(strategy, steps, &junk)?;
        }
        // Past the Merkle step byte, so every Merkle decoder sees the junk, not only the first.
        for step in [mcodec::ROOT, mcodec::NODES, mcodec::BUCKETS, mcodec::ANSWER, mcodec::ENTRIES] {
            let mut stepped = alloc::vec![step];
            stepped.extend_from_slice(&junk);
            feed_junk(Strategy::Merkle(SMALL), steps, &stepped)?;
        }
    }

    #[test]
    fn mutated_real_messages_never_panic(flip in any::<(usize, u8)>()) {
        // A real first answer with one byte changed: closer to valid than random bytes.
        for strategy in strategies() {
            let sa = store_of(&[Some((1, 0)), Some((3, 0))]);
            let mut ra = replica(sa, strategy);
            let mut rb = replica(store_of(&[None, Some((1, 1))]), strategy);
            let l = ReconcileLimits::default();
            let mut a = Session::initiator(strategy, l, 0).unwrap();
            let mut b = Session::responder(strategy, l).unwrap();
            let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
            a.start(&mut ra, NOW, &mut out_a).unwrap();
            b.handle(&mut rb, NOW, &out_a, &mut out_b).unwrap();
            let i = flip.0 % out_b.len();
            out_b[i] ^= flip.1.max(1);
            let before = ra.clone();
            if a.handle(&mut ra, NOW, &out_b, &mut out_a).is_err() {
                prop_assert!(ra.store().same_content(before.store()));
            }
        }
    }
}

fn two_trees(shape_a: TreeShape, shape_b: TreeShape) -> (Replica, Replica) {
    let sa = store_of(&[Some((1, 0))]);
    let sb = store_of(&[Some((2, 0))]);
    (
        Replica::with_tree(sa, shape_a).unwrap(),
        Replica::with_tree(sb, shape_b).unwrap(),
    )
}

#[test]
fn a_root_of_another_shape_is_refused_and_counted() {
    let (mut ra, mut rb) = two_trees(SMALL, WIDEISH);
    let l = ReconcileLimits::default();
    let mut a = Session::initiator(Strategy::Merkle(SMALL), l, 0).unwrap();
    let mut b = Session::responder(Strategy::Merkle(WIDEISH), l).unwrap();
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    a.start(&mut ra, NOW, &mut out_a).unwrap();
    let before = rb.clone();
    assert_eq!(
        b.handle(&mut rb, NOW, &out_a, &mut out_b),
        Err(ReconcileError::ShapeMismatch {
            ours: WIDEISH,
            theirs: SMALL
        })
    );
    assert_eq!(b.counters().abandoned, Some(AbandonReason::ShapeMismatch));
    assert!(rb.store().same_content(before.store()) && out_b.is_empty());
}

#[test]
fn a_hash_for_a_position_not_asked_about_is_refused() {
    let (mut ra, mut rb) = two_trees(SMALL, SMALL);
    let l = ReconcileLimits::default();
    let mut a = Session::initiator(Strategy::Merkle(SMALL), l, 0).unwrap();
    let mut b = Session::responder(Strategy::Merkle(SMALL), l).unwrap();
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    a.start(&mut ra, NOW, &mut out_a).unwrap();
    assert_eq!(b.handle(&mut rb, NOW, &out_a, &mut out_b), Ok(Next::Send));
    // The responder named the root and offered its two children (level 1). A level below
    // the leaves:
    let mut forged = alloc::vec![Strategy::Merkle(SMALL).tag()];
    mcodec::put_nodes_header(&mut forged, 5, 1);
    mcodec::put_node(&mut forged, 0, &[[0; 32], [0; 32]]);
    assert_eq!(
        b.handle(&mut rb, NOW, &forged, &mut out_b),
        Err(ReconcileError::NoSuchPosition { level: 5, index: 0 })
    );
    // A node that does not exist in its level (level 1 has two):
    let forge = |level, index| {
        let mut forged = alloc::vec![Strategy::Merkle(SMALL).tag()];
        mcodec::put_nodes_header(&mut forged, level, 1);
        mcodec::put_node(&mut forged, index, &[[0; 32], [0; 32]]);
        forged
    };
    let mut b = Session::responder(Strategy::Merkle(SMALL), l).unwrap();
    b.handle(&mut rb, NOW, &out_a, &mut out_b).unwrap();
    assert_eq!(
        b.handle(&mut rb, NOW, &forge(1, 2), &mut out_b),
        Err(ReconcileError::NoSuchPosition { level: 1, index: 2 })
    );
    // A node that exists but was not offered (level 2, when level 1 was asked about):
    let mut b = Session::responder(Strategy::Merkle(SMALL), l).unwrap();
    b.handle(&mut rb, NOW, &out_a, &mut out_b).unwrap();
    let before = rb.clone();
    assert_eq!(
        b.handle(&mut rb, NOW, &forge(2, 0), &mut out_b),
        Err(ReconcileError::NoSuchPosition { level: 2, index: 0 })
    );
    assert!(rb.store().same_content(before.store()) && out_b.is_empty());
    assert_eq!(b.counters().abandoned, Some(AbandonReason::NoSuchPosition));
}

#[test]
fn a_session_over_its_limits_is_abandoned_with_the_limit_named() {
    let sa = store_of(&[Some((1, 0)), Some((1, 0))]);
    let sb = store_of(&[None, None, Some((1, 0))]);
    let strategy = Strategy::Merkle(SMALL);
    let one_message = ReconcileLimits {
        messages_max: 1,
        ..ReconcileLimits::default()
    };
    let (mut ra, mut rb) = (replica(sa.clone(), strategy), replica(sb.clone(), strategy));
    let err = reconcile_pair(&mut ra, &mut rb, strategy, one_message, NOW).unwrap_err();
    assert!(
        matches!(
            err,
            ReconcileError::LimitExceeded {
                limit: "messages_max",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(ra.store().same_content(&sa) && rb.store().same_content(&sb));
    let one_item = ReconcileLimits {
        items_per_message_max: 1,
        ..ReconcileLimits::default()
    };
    let (mut ra, mut rb) = (Replica::new(sa.clone()), Replica::new(sb.clone()));
    let err = reconcile_pair(&mut ra, &mut rb, Strategy::Full, one_item, NOW).unwrap_err();
    assert!(matches!(
        err,
        ReconcileError::LimitExceeded {
            limit: "items_per_message_max",
            ..
        }
    ));
    let tiny = ReconcileLimits {
        message_bytes_max: 16,
        bytes_max: 16,
        ..ReconcileLimits::default()
    };
    let (mut ra, mut rb) = (Replica::new(sa.clone()), Replica::new(sb.clone()));
    let err = reconcile_pair(&mut ra, &mut rb, Strategy::Digest, tiny, NOW).unwrap_err();
    assert!(
        matches!(err, ReconcileError::LimitExceeded { .. }),
        "{err:?}"
    );
    assert!(ra.store().same_content(&sa) && rb.store().same_content(&sb));
}

#[test]
fn another_strategys_message_and_an_unbuilt_strategy_are_refused() {
    let mut r = Replica::new(store_of(&[]));
    let mut b = Session::responder(Strategy::Digest, ReconcileLimits::default()).unwrap();
    let err = b.handle(&mut r, NOW, &[1, 0], &mut Vec::new());
    assert_eq!(
        err,
        Err(ReconcileError::WrongStrategy {
            expected: 2,
            got: 1
        })
    );
    // Rateless is built (reconcile::rateless); its own tests hold it to the oracle.
    assert!(Session::responder(Strategy::Rateless, ReconcileLimits::default()).is_ok());
    let mut tree_less = Replica::new(store_of(&[]));
    let mut a = Session::initiator(Strategy::Merkle(SMALL), ReconcileLimits::default(), 0).unwrap();
    assert_eq!(
        a.start(&mut tree_less, NOW, &mut Vec::new()),
        Err(ReconcileError::TreeMissing { shape: SMALL })
    );
}

#[test]
fn equal_trees_cost_one_hash_and_one_round_trip() {
    let s = store_of(&[Some((1, 0)), Some((2, 1))]);
    let strategy = Strategy::Merkle(TreeShape::BINARY);
    let (mut ra, mut rb) = (replica(s.clone(), strategy), replica(s, strategy));
    let report =
        reconcile_pair(&mut ra, &mut rb, strategy, ReconcileLimits::default(), NOW).unwrap();
    assert_eq!(
        (report.hashes(), report.round_trips(), report.entries()),
        (1, 1, 0)
    );
}

#[test]
fn a_replica_keeps_its_tree_in_step_through_writes_merges_and_collection() {
    let shape = WIDEISH;
    let mut r = Replica::with_tree(store_of(&[Some((1, 0)), Some((2, 1))]), shape).unwrap();
    // Refreshes `r`'s tree and builds one from scratch over its store.
    let fresh = |r: &mut Replica| {
        r.refresh_tree();
        merkle::MerkleTree::build(shape, r.store()).unwrap()
    };
    r.write(Tick(1), 3, &[9], Some(&[1])).unwrap();
    let built = fresh(&mut r);
    assert_eq!(r.tree().unwrap(), &built);
    r.write(Tick(2), 3, &[0], None).unwrap();
    let built = fresh(&mut r);
    assert_eq!(r.tree().unwrap(), &built);
    let newer = Version {
        counter: 1 << 40,
        origin: 0,
    };
    r.merge(Tick(3), &[1], newer, Some(&[7]));
    r.merge(Tick(3), &[1], Version::default(), Some(&[8])); // stale: changes nothing
    let built = fresh(&mut r);
    assert_eq!(r.tree().unwrap(), &built);
    let before = r.tree().unwrap().root();
    assert_eq!(r.collect_tombstones(Tick(1 << 30), 1, |_, _| {}), 1);
    assert!(r.store().get(&[0]).is_none());
    r.refresh_tree();
    assert_ne!(r.tree().unwrap().root(), before);
    let built = fresh(&mut r);
    assert_eq!(r.tree().unwrap(), &built);
}

#[test]
fn the_tree_hash_is_frozen() {
    // Two builds must agree on every hash to compare trees: pinned, never to change.
    let r = Replica::with_tree(store_of(&[Some((1, 0)), Some((2, 1))]), SMALL).unwrap();
    let root = r.tree().unwrap().root();
    let hex: alloc::string::String = root.iter().map(|b| alloc::format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "ac5879876827f8f091b1b665628f08d01cd4be042192a2cf6f960caea08204a5"
    );
}

#[test]
fn limits_out_of_range_are_refused_before_a_session_starts() {
    let bad = |l: ReconcileLimits| Session::initiator(Strategy::Full, l, 0).err();
    let d = ReconcileLimits::default();
    assert_eq!(
        bad(ReconcileLimits {
            messages_max: 0,
            ..d
        }),
        Some(ReconcileError::BadLimits {
            limit: "messages_max"
        })
    );
    assert_eq!(
        bad(ReconcileLimits { bytes_max: 1, ..d }),
        Some(ReconcileError::BadLimits { limit: "bytes_max" })
    );
    assert_eq!(
        bad(ReconcileLimits {
            symbols_max: 0,
            ..d
        }),
        Some(ReconcileError::BadLimits {
            limit: "symbols_max"
        })
    );
    for growth in [100, 109, 401] {
        assert_eq!(
            bad(ReconcileLimits {
                rateless_growth_percent: growth,
                ..d
            }),
            Some(ReconcileError::BadLimits {
                limit: "rateless_growth_percent"
            })
        );
    }
    assert!(Session::initiator(Strategy::Full, ReconcileLimits::large(), 0).is_ok());
}

#[test]
fn a_digest_out_of_key_order_is_refused_and_changes_nothing() {
    let mut r = Replica::new(store_of(&[Some((1, 0)), Some((1, 0))]));
    let before = r.clone();
    let mut msg = alloc::vec![Strategy::Digest.tag()];
    wire_entries::put_count(&mut msg, 2);
    let v = Version::default();
    wire_entries::put_version(&mut msg, &[5], v);
    wire_entries::put_version(&mut msg, &[4], v);
    let mut b = Session::responder(Strategy::Digest, ReconcileLimits::default()).unwrap();
    let mut out = Vec::new();
    assert!(matches!(
        b.handle(&mut r, NOW, &msg, &mut out),
        Err(ReconcileError::OutOfOrder { .. })
    ));
    assert!(r.store().same_content(before.store()) && out.is_empty());
    // A message after the session was abandoned is refused too.
    assert!(matches!(
        b.handle(&mut r, NOW, &msg, &mut out),
        Err(ReconcileError::OutOfOrder { .. })
    ));
}

#[test]
fn the_merkle_frontier_follows_the_descent_one_level_a_message() {
    let (mut ra, mut rb) = two_trees(SMALL, SMALL);
    let l = ReconcileLimits::default();
    let mut a = Session::initiator(Strategy::Merkle(SMALL), l, 0).unwrap();
    let mut b = Session::responder(Strategy::Merkle(SMALL), l).unwrap();
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    a.start(&mut ra, NOW, &mut out_a).unwrap();
    assert_eq!(a.merkle_frontier(), None);
    b.handle(&mut rb, NOW, &out_a, &mut out_b).unwrap();
    assert_eq!(b.merkle_frontier(), Some((0, &[0u64][..])));
    a.handle(&mut ra, NOW, &out_b, &mut out_a).unwrap();
    // One differing key: one node a level, a child of the one before.
    let (level, nodes) = a.merkle_frontier().unwrap();
    assert_eq!((level, nodes.len()), (1, 1));
    b.handle(&mut rb, NOW, &out_a, &mut out_b).unwrap();
    let (level, deeper) = b.merkle_frontier().unwrap();
    assert_eq!((level, deeper.len(), deeper[0] / 2), (2, 1, nodes[0]));
    assert_eq!(
        Session::responder(Strategy::Full, l)
            .unwrap()
            .merkle_frontier(),
        None
    );
}
