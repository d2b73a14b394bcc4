//! Property tests: the merge laws of the store (against a naive oracle) and the decoders
//! (arbitrary bytes in: an error or a message, never a panic, never a state change on error).

use std::collections::BTreeMap;

use gossip_core::codec::{self, Message, WireEntry};
use gossip_core::node::{
    Exchange, Members, Mode, Node, NodeConfig, RumorConfig, RumorFeedback, RumorStop,
};
use gossip_core::rng::{Rng, Stream};
use gossip_core::store::{Merged, Store, StoreLimits, Version};
use gossip_core::time::Tick;
use gossip_core::wire::CodecLimits;
use proptest::prelude::*;

type Raw = (Vec<u8>, Version, Option<Vec<u8>>);

fn limits() -> StoreLimits {
    StoreLimits {
        keys_max: 1 << 10,
        key_bytes_max: 8,
        value_bytes_max: 8,
    }
}

// Small alphabets so that keys, versions and even (version, value) pairs collide often.
fn raw_entry() -> impl Strategy<Value = Raw> {
    (
        prop::collection::vec(0u8..3, 0..3),
        (0u64..4, 0u32..3),
        prop::option::of(prop::collection::vec(0u8..3, 0..3)),
    )
        .prop_map(|(k, (counter, origin), v)| (k, Version { counter, origin }, v))
}

fn store_of(entries: &[Raw]) -> Store {
    let mut s = Store::new(limits());
    for (k, v, val) in entries {
        s.merge(Tick(0), k, *v, val.as_deref());
    }
    s
}

fn merged(a: &Store, b: &Store) -> Store {
    let mut m = a.clone();
    m.merge_from(Tick(1), b);
    m
}

// The oracle: per key, the largest (version, value) seen anywhere.
fn oracle(entries: &[Raw]) -> BTreeMap<Vec<u8>, (Version, Option<Vec<u8>>)> {
    let mut m: BTreeMap<Vec<u8>, (Version, Option<Vec<u8>>)> = BTreeMap::new();
    for (k, v, val) in entries {
        let cand = (*v, val.clone());
        match m.get(k) {
            Some(cur) if *cur >= cand => {}
            _ => {
                m.insert(k.clone(), cand);
            }
        }
    }
    m
}

fn wire_entry() -> impl Strategy<Value = WireEntry> {
    (
        prop::collection::vec(any::<u8>(), 0..12),
        any::<u64>(),
        any::<u32>(),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..20)),
    )
        .prop_map(|(key, counter, origin, value)| WireEntry {
            key,
            version: Version { counter, origin },
            value,
        })
}

fn message() -> impl Strategy<Value = Message> {
    let es = || prop::collection::vec(wire_entry(), 0..6);
    prop_oneof![
        es().prop_map(Message::Push),
        Just(Message::Request),
        es().prop_map(Message::PushPull),
        es().prop_map(Message::Reply),
        es().prop_map(|es| Message::Feedback(es.into_iter().map(|e| (e.key, e.version)).collect())),
    ]
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::AntiEntropy(Exchange::PushPull)),
        Just(Mode::Rumor(RumorConfig {
            exchange: Exchange::PushPull,
            feedback: RumorFeedback::Feedback,
            stop: RumorStop::Coin(2),
        })),
    ]
}

// Everything observable about a node that a rejected message must not change.
fn observable(n: &Node) -> String {
    format!(
        "{:?} {:?} {:?} {} {}",
        n.store(),
        n.rumors().collect::<Vec<_>>(),
        n.counters(),
        n.outbox_len(),
        n.events_len()
    )
}

proptest! {
    #[test]
    fn merge_is_commutative(a in prop::collection::vec(raw_entry(), 0..12),
                            b in prop::collection::vec(raw_entry(), 0..12)) {
        let (a, b) = (store_of(&a), store_of(&b));
        prop_assert!(merged(&a, &b).same_content(&merged(&b, &a)));
    }

    #[test]
    fn merge_is_associative(a in prop::collection::vec(raw_entry(), 0..10),
                            b in prop::collection::vec(raw_entry(), 0..10),
                            c in prop::collection::vec(raw_entry(), 0..10)) {
        let (a, b, c) = (store_of(&a), store_of(&b), store_of(&c));
        prop_assert!(merged(&merged(&a, &b), &c).same_content(&merged(&a, &merged(&b, &c))));
    }

    #[test]
    fn merge_is_idempotent(a in prop::collection::vec(raw_entry(), 0..12)) {
        let a = store_of(&a);
        prop_assert!(merged(&a, &a).same_content(&a));
    }

    #[test]
    fn merge_keeps_the_largest_version_of_every_key_in_any_order(
        mut entries in prop::collection::vec(raw_entry(), 0..20),
        seed in any::<u64>(),
    ) {
        let want = oracle(&entries);
        // Shuffle deterministically: the order of arrival must not matter.
        let mut rng = Rng::from_seed(seed);
        for i in (1..entries.len()).rev() {
            entries.swap(i, rng.below(i as u32 + 1) as usize);
        }
        let s = store_of(&entries);
        let got: BTreeMap<_, _> = s
            .iter()
            .map(|(k, e)| (k.to_vec(), (e.version(), e.value().map(<[u8]>::to_vec))))
            .collect();
        prop_assert_eq!(got, want);
    }

    /// At a tiny `keys_max` merge is no longer commutative (which keys a full store holds
    /// depends on arrival order), but this much holds on any input: the store holds exactly the
    /// first `keys_max` distinct keys offered (no tombstone collection here), never more, and
    /// for each of them the join of every entry offered for it, wherever in the sequence;
    /// every offer of another key is refused.
    #[test]
    fn a_full_store_holds_the_first_keys_max_keys_each_with_the_join_of_its_entries(
        entries in prop::collection::vec(raw_entry(), 0..24),
        keys_max in 1u32..4,
    ) {
        let mut s = Store::new(StoreLimits { keys_max, ..limits() });
        let mut refused = 0;
        for (k, v, val) in &entries {
            if s.merge(Tick(0), k, *v, val.as_deref()) == Merged::Refused {
                refused += 1;
            }
            prop_assert!(s.len() <= keys_max as usize);
        }
        let mut first: Vec<&Vec<u8>> = Vec::new();
        for (k, _, _) in &entries {
            if !first.contains(&k) && first.len() < keys_max as usize {
                first.push(k);
            }
        }
        let joins = oracle(&entries);
        let want: BTreeMap<_, _> = first.iter().map(|&k| (k.clone(), joins[k].clone())).collect();
        let got: BTreeMap<_, _> = s
            .iter()
            .map(|(k, e)| (k.to_vec(), (e.version(), e.value().map(<[u8]>::to_vec))))
            .collect();
        prop_assert_eq!(got, want);
        let others = entries.iter().filter(|(k, _, _)| !first.contains(&k)).count();
        prop_assert_eq!(refused, others);
    }

    #[test]
    fn decode_of_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(m) = codec::decode(&bytes, &CodecLimits::default()) {
            // Whatever was accepted re-encodes to exactly the same bytes (one encoding each).
            let mut out = Vec::new();
            m.to_message().encode(&mut out);
            prop_assert_eq!(out, bytes);
        }
    }

    #[test]
    fn messages_round_trip_through_the_codec(m in message()) {
        let mut out = Vec::new();
        m.encode(&mut out);
        let limits = CodecLimits { key_bytes_max: 64, value_bytes_max: 64, ..CodecLimits::default() };
        let d = codec::decode(&out, &limits).unwrap();
        prop_assert_eq!(d.to_message(), m);
    }

    #[test]
    fn corrupted_messages_never_panic(m in message(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in any::<usize>()) {
        let mut out = Vec::new();
        m.encode(&mut out);
        for (i, x) in flips {
            let n = out.len();
            out[i % n] ^= x;
        }
        let n = out.len();
        out.truncate(cut % (n + 1));
        let _ = codec::decode(&out, &CodecLimits::default());
    }

    #[test]
    fn a_node_rejecting_bytes_is_left_unchanged(
        mode in mode(),
        writes in prop::collection::vec((prop::collection::vec(0u8..4, 1..3), any::<bool>()), 0..5),
        bytes in prop::collection::vec(any::<u8>(), 0..48),
        valid_prefix in message(),
    ) {
        let config = NodeConfig { mode, ..NodeConfig::default() };
        let mut n = Node::new(1, config, Rng::stream(3, Stream::Node, 1)).unwrap();
        n.set_members(Members::new(0..4));
        for (k, del) in &writes {
            if *del { n.delete(Tick(0), k).unwrap(); } else { n.write(Tick(0), k, b"v").unwrap(); }
        }
        // Arbitrary bytes, and a valid message with arbitrary bytes appended (which must be
        // rejected whole, not half-applied).
        let mut glued = Vec::new();
        valid_prefix.encode(&mut glued);
        glued.extend_from_slice(&bytes);
        for input in [&bytes, &glued] {
            let before = observable(&n);
            if n.handle_message(Tick(1), 0, input).is_err() {
                prop_assert_eq!(&before, &observable(&n));
            }
        }
    }
}
