//! Properties of the permalink script (`gossip_core::script`): every valid action list
//! round-trips exactly, the text is canonical, and no input whatsoever makes the decoder panic.
//! Plus the end-to-end promise: a run replayed from its script is the same run.

use gossip_core::net::{Direction, LinkConfig, GROUPS_MAX, LATENCY_TICKS_LIMIT};
use gossip_core::node::NodeId;
use gossip_core::script::{decode, encode, is_unreserved, ScriptLimits};
use gossip_core::sim::{Action, Cluster, ClusterConfig};
use gossip_core::time::Round;
use proptest::prelude::*;

const NODES: u32 = 40;

fn limits() -> ScriptLimits {
    ScriptLimits::for_cluster(&ClusterConfig::new(NODES, 0))
}

/// Every f64 in [0, 1] is reachable (its bit pattern is below that of 1.0), subnormals
/// included, with the two ends and short decimals weighted up.
fn probability() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1.0),
        (0u32..1000).prop_map(|k| f64::from(k) / 1000.0),
        (0u64..=1.0f64.to_bits()).prop_map(f64::from_bits),
    ]
}

fn link() -> impl Strategy<Value = LinkConfig> {
    (
        probability(),
        probability(),
        1..=LATENCY_TICKS_LIMIT,
        0..LATENCY_TICKS_LIMIT,
    )
        .prop_map(|(loss, duplicate, min, extra)| LinkConfig {
            loss,
            duplicate,
            latency_ticks_min: min,
            latency_ticks_max: (min + extra).min(LATENCY_TICKS_LIMIT),
        })
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..=max),
        "[a-z0-9.-]{0,12}".prop_map(String::into_bytes),
    ]
}

fn node() -> impl Strategy<Value = NodeId> {
    0..NODES
}

/// A partition: each node in no group or one of `groups` groups, in ascending order (so runs
/// become ranges) or shuffled (so the order given must be kept).
fn partition() -> impl Strategy<Value = Action> {
    (
        2..=GROUPS_MAX.min(6),
        proptest::collection::vec(0..=6usize, NODES as usize),
        any::<bool>(),
        Just((0..NODES).collect::<Vec<NodeId>>()).prop_shuffle(),
        any::<bool>(),
    )
        .prop_map(|(count, slot, sorted, order, one_way)| {
            let mut groups = vec![Vec::new(); count];
            for n in if sorted { (0..NODES).collect() } else { order } {
                let g = slot[n as usize];
                if g > 0 && g <= count {
                    groups[g - 1].push(n);
                }
            }
            Action::Partition {
                groups,
                direction: if one_way {
                    Direction::OneWay
                } else {
                    Direction::Both
                },
            }
        })
}

fn action() -> impl Strategy<Value = Action> {
    let l = limits();
    prop_oneof![
        (node(), bytes(l.key_bytes_max as usize), bytes(20))
            .prop_map(|(node, key, value)| Action::Write { node, key, value }),
        (node(), bytes(l.key_bytes_max as usize))
            .prop_map(|(node, key)| Action::Delete { node, key }),
        node().prop_map(Action::Crash),
        node().prop_map(Action::Restart),
        partition(),
        Just(Action::Heal),
        (node(), node(), link()).prop_map(|(from, to, link)| Action::SetLink { from, to, link }),
        link().prop_map(Action::SetDefaultLink),
        (node(), 0u32..=gossip_core::sim::SLOW_LAG_TICKS_MAX)
            .prop_map(|(node, lag_ticks)| Action::Slow { node, lag_ticks }),
    ]
}

fn script() -> impl Strategy<Value = Vec<(Round, Action)>> {
    proptest::collection::vec((0u64..3, action()), 0..30).prop_map(|steps| {
        let mut round = 0;
        steps
            .into_iter()
            .map(|(gap, a)| {
                // Gaps of 0 (same round) are common; occasionally a long jump.
                round += if gap == 2 { 997 } else { gap };
                (Round(round), a)
            })
            .collect()
    })
}

/// Text that is mostly made of the script's own characters, so the parser gets deep.
fn script_like_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[wdcrpohkns]",
            "[0-9]{1,3}",
            "[._~-]",
            "[ltd][0-9.]{1,4}",
            "~[0-9A-Fa-f]{0,2}",
            "[a-zA-Z]",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_valid_list_round_trips_exactly(actions in script()) {
        let l = limits();
        let text = encode(&actions, &l).unwrap();
        prop_assert!(text.chars().all(is_unreserved), "{}", text);
        let back = decode(&text, &l).unwrap();
        prop_assert_eq!(&back, &actions, "{}", text);
        // Exactly: the probabilities are the same bits, not just equal.
        for ((_, a), (_, b)) in actions.iter().zip(&back) {
            if let (Action::SetDefaultLink(x) | Action::SetLink { link: x, .. },
                    Action::SetDefaultLink(y) | Action::SetLink { link: y, .. }) = (a, b) {
                prop_assert_eq!(x.loss.to_bits(), y.loss.to_bits());
                prop_assert_eq!(x.duplicate.to_bits(), y.duplicate.to_bits());
            }
        }
    }

    #[test]
    fn the_decoder_never_panics_and_accepts_only_canonical_text(text in script_like_text()) {
        if let Ok(actions) = decode(&text, &limits()) {
            prop_assert_eq!(encode(&actions, &limits()).unwrap(), text);
        }
    }

    #[test]
    fn the_decoder_never_panics_on_any_string(text in any::<String>()) {
        if let Ok(actions) = decode(&text, &limits()) {
            prop_assert_eq!(encode(&actions, &limits()).unwrap(), text);
        }
    }

    #[test]
    fn a_mutated_valid_text_is_rejected_or_still_canonical(
        actions in script(),
        at in any::<prop::sample::Index>(),
        c in "[a-z0-9._~A-F-]",
        how in 0..3u8,
    ) {
        let l = limits();
        let mut text = encode(&actions, &l).unwrap();
        if !text.is_empty() {
            let i = at.index(text.len());
            match how {
                0 => text.replace_range(i..=i, &c),
                1 => text.insert_str(i, &c),
                _ => { text.remove(i); }
            }
        }
        match decode(&text, &l) {
            Ok(back) => prop_assert_eq!(encode(&back, &l).unwrap(), text),
            Err(e) => {
                prop_assert!(e.offset <= text.len(), "{} in {}", e, text);
                prop_assert!(e.action <= text.matches('_').count(), "{} in {}", e, text);
            }
        }
    }
}

/// The permalink promise end to end: schedule a story, encode it, decode it into a fresh
/// cluster with the same config, and the two runs are identical record by record.
#[test]
fn a_run_replayed_from_its_script_is_the_same_run() {
    let config = ClusterConfig::new(NODES, 77);
    let story = "w0.color.red_3c5_4p0-19~20-39_k1.2l0.5t2-3_9h_10r5_nl0.05d0.1t1-2_12d7.color";
    let actions = decode(story, &ScriptLimits::for_cluster(&config)).unwrap();
    let run = |actions: &[(Round, Action)]| {
        let mut c = Cluster::new(config).unwrap();
        for (round, action) in actions {
            c.schedule(*round, action.clone()).unwrap();
        }
        c.step_rounds(30);
        c
    };
    let first = run(&actions);
    let text = encode(first.scheduled(), &ScriptLimits::for_cluster(&config)).unwrap();
    assert_eq!(text, story);
    let second = run(&decode(&text, &ScriptLimits::for_cluster(&config)).unwrap());
    assert!(first.records().len() == 30);
    assert!(first.records().eq(second.records()));
    assert_eq!(first.history(), second.history());
    assert!(
        first.records().any(|r| r.messages_cut > 0),
        "the partition cut something"
    );
    assert!(
        first.records().any(|r| r.messages_lost > 0),
        "the lossy link lost something"
    );
}

/// The largest inputs the limits allow are refused with the right reason (and quickly: the
/// decoder's work is bounded by the text length and `partition_ids_max`).
#[test]
fn the_largest_hostile_inputs_are_refused_by_their_limits() {
    use gossip_core::script::ErrorKind;
    let l = ScriptLimits::for_cluster(&ClusterConfig::new(100_000, 0));
    let max = l.text_bytes_max as usize;
    let kind = |text: &str| decode(text, &l).unwrap_err().kind;
    // Ten partitions of every node reach partition_ids_max = 2^20 in the eleventh.
    let mut text = String::from("p0-49999~50000-99999");
    for r in 1..12 {
        text.push_str(&format!("_{r}p0-49999~50000-99999"));
    }
    assert_eq!(
        kind(&text),
        ErrorKind::PartitionIdsTooMany {
            max: l.partition_ids_max
        }
    );
    let long_zeros = format!("nl0.{}1", "0".repeat(max - 6));
    assert_eq!(kind(&long_zeros), ErrorKind::ProbabilityNotCanonical);
    let long_ones = format!("nl0.{}", "1".repeat(max - 4));
    assert_eq!(kind(&long_ones), ErrorKind::ProbabilityNotCanonical);
    assert_eq!(kind(&"9".repeat(max)), ErrorKind::NumberTooLarge);
    assert_eq!(
        kind(&"h_".repeat(max / 2)),
        ErrorKind::TooManyActions { max: l.actions_max }
    );
    assert_eq!(
        kind(&"h".repeat(max + 1)),
        ErrorKind::TextTooLong {
            len: max + 1,
            max: l.text_bytes_max
        }
    );
    let escapes = format!("w0.{}.", "~20".repeat(max / 3 - 2));
    assert_eq!(
        kind(&escapes),
        ErrorKind::KeyTooLong {
            max: l.key_bytes_max
        }
    );
}
