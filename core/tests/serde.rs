//! With the `serde` feature, records, configurations, actions and links round-trip through JSON
//! under the names the crate docs give ("Serde" in `src/lib.rs`): struct fields by their Rust
//! names, enum variants in snake case, externally tagged. Run by
//! `cargo test -p gossip-core --all-features` (`make unit`).
#![cfg(feature = "serde")]

use gossip_core::kernel::epidemic::{KernelConfig, KernelMode};
use gossip_core::link::dissemination::{
    self as link, Protocol, RepairStrategy, Run, Scenario, StopRule,
};
use gossip_core::link::Notice;
use gossip_core::net::{Direction, LinkConfig};
use gossip_core::node::{Exchange, Mode, RumorConfig, RumorFeedback, RumorStop};
use gossip_core::rng::Probability;
use gossip_core::sim::{Action, Cluster, ClusterConfig, RoundRecord};
use gossip_core::time::Round;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// `x` as JSON, after checking that the JSON reads back as `x`.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(x: &T) -> Value {
    let text = serde_json::to_string(x).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, x, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut n = names.to_vec();
    n.sort_unstable();
    n
}

/// A cluster of rumor mongering that has written, deleted and lost messages.
fn rumor_cluster() -> ClusterConfig {
    let mut config = ClusterConfig::new(20, 77);
    config.node.mode = Mode::Rumor(RumorConfig {
        exchange: Exchange::PushPull,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(3),
    });
    config.net.link.loss = 0.1;
    config
}

#[test]
fn a_round_record_round_trips_under_its_field_names() {
    let mut c = Cluster::new(rumor_cluster()).unwrap();
    c.write(0, b"color", b"red").unwrap();
    c.step_rounds(3);
    let record: &RoundRecord = c.records().last().unwrap();
    assert!(record.messages_sent > 0 && !record.coverage.is_empty());
    let v = round_trip(record);
    assert_eq!(
        keys(&v),
        sorted(&[
            "round",
            "live_nodes",
            "messages_sent",
            "messages_data",
            "bytes_sent",
            "messages_delivered",
            "messages_redundant",
            "messages_lost",
            "messages_cut",
            "messages_overflow",
            "messages_duplicated",
            "messages_to_down",
            "messages_rejected",
            "outbox_dropped",
            "actions_applied",
            "actions_failed",
            "coverage",
            "full_state",
            "rumor",
            "swim",
            "membership",
            "anti_entropy",
        ])
    );
    // Anti-entropy's counters (zero here: it is off), one slot per abandon reason.
    assert_eq!(
        keys(&v["anti_entropy"]),
        sorted(&[
            "sessions_started",
            "sessions_completed",
            "abandoned_timeout",
            "abandoned_by_reason",
            "refused_busy",
            "messages_rejected",
            "bytes_sent",
            "bytes_sent_as_responder",
            "entries_repaired",
            "starts_backed_off",
        ])
    );
    // A round is a plain number, a key an array of its bytes, a version its two fields.
    assert_eq!(v["round"], json!(2));
    let k = &v["coverage"][0];
    assert_eq!(keys(k), ["holders", "key", "tombstone", "version"]);
    assert_eq!(k["key"], json!(b"color"));
    assert_eq!(keys(&k["version"]), ["counter", "origin"]);
    assert_eq!(keys(&v["full_state"]), ["entries_sent"]);
    assert_eq!(keys(&v["rumor"]), ["rumors_removed"]);
    assert!(keys(&v["swim"]).contains(&"probes"));
    assert!(keys(&v["membership"]).contains(&"false_deaths"));
    // The default record (a page's round 0) too.
    round_trip(&RoundRecord::default());
}

#[test]
fn a_cluster_config_round_trips_with_its_mode_tagged_in_snake_case() {
    let config = rumor_cluster();
    let v = round_trip(&config);
    assert_eq!(
        keys(&v),
        sorted(&[
            "seed",
            "nodes",
            "ticks_per_round",
            "node",
            "net",
            "records_max",
            "actions_max",
            "updates_tracked_max",
            "keys_tracked_max",
        ])
    );
    assert_eq!(
        v["node"]["mode"],
        json!({"rumor": {"exchange": "push_pull", "feedback": "feedback", "stop": {"counter": 3}}})
    );
    assert_eq!(
        keys(&v["node"]["store"]),
        ["key_bytes_max", "keys_max", "value_bytes_max"]
    );
    assert_eq!(
        v["net"],
        json!({
            "link": {"loss": 0.1, "duplicate": 0.0, "latency_ticks_min": 1, "latency_ticks_max": 1},
            "in_flight_messages_max": 1 << 20,
        })
    );
    // Anti-entropy: the exchange alone.
    let plain = ClusterConfig::new(8, 1);
    assert_eq!(
        round_trip(&plain)["node"]["mode"],
        json!({"anti_entropy": "push"})
    );
    // A deserialized configuration runs the same numbers as the original.
    let back: ClusterConfig = serde_json::from_value(v).unwrap();
    let mut a = Cluster::new(config).unwrap();
    let mut b = Cluster::new(back).unwrap();
    for c in [&mut a, &mut b] {
        c.write(0, b"k", b"v").unwrap();
        c.step_rounds(10);
    }
    assert!(a.records().eq(b.records()));
}

#[test]
fn every_action_round_trips_as_its_documented_json() {
    let link = LinkConfig {
        loss: 0.1,
        duplicate: 0.05,
        latency_ticks_min: 1,
        latency_ticks_max: 3,
    };
    let cases = [
        (
            Action::Write {
                node: 0,
                key: b"k".to_vec(),
                value: b"v".to_vec(),
            },
            json!({"write": {"node": 0, "key": [107], "value": [118]}}),
        ),
        (
            Action::Delete {
                node: 2,
                key: b"k".to_vec(),
            },
            json!({"delete": {"node": 2, "key": [107]}}),
        ),
        (Action::Crash(3), json!({"crash": 3})),
        (Action::Restart(3), json!({"restart": 3})),
        (
            Action::Partition {
                groups: vec![vec![0, 1], vec![2]],
                direction: Direction::OneWay,
            },
            json!({"partition": {"groups": [[0, 1], [2]], "direction": "one_way"}}),
        ),
        (Action::Heal, json!("heal")),
        (
            Action::SetLink {
                from: 1,
                to: 2,
                link,
            },
            json!({"set_link": {"from": 1, "to": 2, "link": {
                "loss": 0.1, "duplicate": 0.05, "latency_ticks_min": 1, "latency_ticks_max": 3,
            }}}),
        ),
        (
            Action::SetDefaultLink(link),
            json!({"set_default_link": {
                "loss": 0.1, "duplicate": 0.05, "latency_ticks_min": 1, "latency_ticks_max": 3,
            }}),
        ),
        (
            Action::Slow {
                node: 3,
                lag_ticks: 8,
            },
            json!({"slow": {"node": 3, "lag_ticks": 8}}),
        ),
    ];
    for (action, expected) in cases {
        assert_eq!(round_trip(&action), expected, "{action:?}");
    }
    assert_eq!(round_trip(&Direction::Both), json!("both"));
}

#[test]
fn a_run_read_from_a_link_round_trips_and_names_its_enums_in_snake_case() {
    let (run, notices) = link::parse(
        "?s=partition&seed=3&stop=blind-coin&rk=2",
        &mut |_, _, _| false,
    );
    assert!(notices.is_empty(), "{notices:?}");
    let v = round_trip(&run);
    assert_eq!(
        keys(&v),
        sorted(&[
            "scenario",
            "nodes",
            "fanout",
            "mode",
            "stop",
            "rumor_k",
            "loss_percent",
            "latency_min",
            "latency_max",
            "gossip_ticks",
            "key",
            "seed",
            "actions",
            "membership",
            "repair",
            "repair_every",
        ])
    );
    // A run saved before the repair fields reads as one without repair.
    let mut old = v.clone();
    old.as_object_mut().unwrap().remove("repair");
    old.as_object_mut().unwrap().remove("repair_every");
    let old: Run = serde_json::from_value(old).unwrap();
    assert_eq!(old, run);
    assert_eq!(v["membership"], json!("oracle"));
    assert_eq!(v["scenario"], json!("partition"));
    assert_eq!(v["mode"], json!("push_pull"));
    assert_eq!(v["stop"], json!("blind_coin"));
    assert_eq!(v["key"], json!("rumor"));
    // Each recorded action is a pair: the round, then the action.
    let first = &v["actions"][0];
    assert_eq!(first[0], json!(3));
    assert_eq!(first[1]["partition"]["direction"], json!("both"));
    // The variants' names, all of them.
    let names = |v: Vec<Value>| -> Vec<String> {
        v.into_iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(Protocol::ALL.iter().map(round_trip).collect()),
        ["push", "pull", "push_pull", "rumor_push", "rumor_pull"]
    );
    assert_eq!(
        names(RepairStrategy::ALL.iter().map(round_trip).collect()),
        ["off", "full", "digest", "merkle", "rateless"]
    );
    assert_eq!(
        names(StopRule::ALL.iter().map(round_trip).collect()),
        [
            "feedback_counter",
            "feedback_coin",
            "blind_counter",
            "blind_coin"
        ]
    );
    assert_eq!(
        names(Scenario::ALL.iter().map(round_trip).collect()),
        [
            "custom",
            "epidemic",
            "push_pull",
            "rumor",
            "partition",
            "repair",
            "bounds"
        ]
    );
    // A deserialized run builds the same link and the same replay.
    let back: Run = serde_json::from_value(v).unwrap();
    assert_eq!(back.encode(), run.encode());
    let rows = |r: &Run| {
        let mut replay = link::Replay::new(r).unwrap();
        (0..8).filter_map(|_| replay.step()).collect::<Vec<_>>()
    };
    let replayed = rows(&back);
    assert_eq!(replayed, rows(&run));
    let row = round_trip(&replayed[0]);
    assert_eq!(keys(&row), ["informed", "record", "round"]);
}

#[test]
fn rounds_notices_and_probabilities_are_plain_values() {
    assert_eq!(round_trip(&Round(7)), json!(7));
    let notice = Notice {
        param: "n".into(),
        given: "50000".into(),
        used: "10000".into(),
        why: "is above the limit 10000".into(),
    };
    assert_eq!(
        round_trip(&notice),
        json!({"param": "n", "given": "50000", "used": "10000", "why": "is above the limit 10000"})
    );
    // A probability is the number it stands for, and reads back to the same threshold.
    let config = KernelConfig {
        nodes: 100,
        fanout: 2,
        mode: KernelMode::PushPull,
        loss: Probability::from_f64(0.1),
        seed: 5,
    };
    let v = round_trip(&config);
    // Exactly the threshold's value, 0.1 to 53 bits (0.09999999999999998).
    assert_eq!(v["loss"], json!(config.loss.as_f64()));
    assert!((v["loss"].as_f64().unwrap() - 0.1).abs() < 1e-15);
    assert_eq!(v["mode"], json!("push_pull"));
    for p in [0.0, 1.0, 0.3, 1e-300, 0.999_999_999] {
        round_trip(&Probability::from_f64(p));
    }
    // A number that is no probability is refused, not clamped.
    for bad in ["1.5", "-0.1"] {
        let e = serde_json::from_str::<Probability>(bad).unwrap_err();
        assert!(e.to_string().contains("a probability from 0 to 1"), "{e}");
    }
}

#[test]
fn a_heartbeat_membership_round_trips_tagged_in_snake_case_with_its_fields() {
    use gossip_core::node::{HeartbeatConfig, MembershipConfig};
    let mut config = ClusterConfig::new(10, 3);
    config.node.membership = MembershipConfig::Heartbeat(HeartbeatConfig::default());
    let v = round_trip(&config);
    let hb = &v["node"]["membership"]["heartbeat"];
    assert_eq!(
        keys(hb),
        sorted(&[
            "period_ticks",
            "fanout",
            "phi_convict_threshold",
            "window_intervals_max",
            "initial_interval_ticks",
            "interval_ticks_max",
            "members_max",
            "message_bytes_max",
        ])
    );
    assert_eq!(hb["phi_convict_threshold"], json!(8.0));
}

#[test]
fn a_swim_configuration_round_trips_and_an_old_one_reads_as_the_oracle() {
    use gossip_core::node::{MembershipConfig, ProbeOrder, SwimConfig};
    let mut config = ClusterConfig::new(8, 3);
    config.node.membership = MembershipConfig::Swim(SwimConfig {
        probe_order: ProbeOrder::Uniform,
        ..SwimConfig::default()
    });
    let v = round_trip(&config);
    let swim = &v["node"]["membership"]["swim"];
    assert_eq!(swim["probe_order"], json!("uniform"));
    assert_eq!(swim["lifeguard"]["buddy"], json!(true));
    assert_eq!(swim["probe_interval_ticks"], json!(8));
    // A configuration written before SWIM has no `membership`: it is the oracle.
    let mut old = round_trip(&ClusterConfig::new(8, 3));
    assert_eq!(old["node"]["membership"], json!("oracle"));
    old["node"].as_object_mut().unwrap().remove("membership");
    let back: ClusterConfig = serde_json::from_value(old).unwrap();
    assert_eq!(back.node.membership, MembershipConfig::Oracle);
    // A leave is tagged like the other actions.
    assert_eq!(round_trip(&Action::Leave(2)), json!({"leave": 2}));
}

#[test]
fn a_reconciliation_strategy_and_report_round_trip_in_snake_case() {
    use gossip_core::reconcile::{
        AbandonReason, ReconcileCounters, ReconcileLimits, Report, Strategy, TreeShape,
    };
    assert_eq!(round_trip(&Strategy::Digest), json!("digest"));
    assert_eq!(
        round_trip(&Strategy::Merkle(TreeShape::WIDE)),
        json!({"merkle": {"branching": 1024, "depth": 2}})
    );
    round_trip(&ReconcileLimits::default());
    let report = Report {
        initiator: ReconcileCounters {
            abandoned: Some(AbandonReason::ShapeMismatch),
            ..ReconcileCounters::default()
        },
        responder: ReconcileCounters::default(),
    };
    let v = round_trip(&report);
    assert_eq!(v["initiator"]["abandoned"], json!("shape_mismatch"));
    assert_eq!(v["responder"]["entries_unneeded"], json!(0));
    // The runner names reasons by `name()`: the same as serde's.
    for r in AbandonReason::ALL {
        assert_eq!(round_trip(&r), json!(r.name()));
    }
}
