//! The anti-entropy link's round trips and notices, and that a link's pair is the runner's.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::reconcile::{reconcile_pair, ReconcileLimits};
use crate::time::Tick;

fn read(link: &str) -> (Run, Vec<String>) {
    let (run, notices) = parse(link, &mut |k, _, _| k == "lab");
    (run, notices.iter().map(|n| n.to_string()).collect())
}

#[test]
fn a_run_with_every_field_round_trips_through_its_link() {
    for strategy in StrategyKind::ALL {
        let run = Run {
            keys: 4096,
            diffs: 4096,
            strategy,
            shape: TreeShape {
                branching: 16,
                depth: 4,
            },
            seed: u64::MAX,
            source: None,
        };
        let link = run.encode();
        let (back, notices) = read(&link);
        assert!(notices.is_empty(), "{link}: {notices:?}");
        assert_eq!(back, run, "{link}");
    }
    let with_source = Run {
        source: Some(Source {
            link: "s=partition&seed=3&a=2c5".to_string(),
            round: 7,
            a: 3,
            b: 12,
        }),
        ..Run::default()
    };
    let link = with_source.encode();
    assert!(
        link.contains("&src=s%3Dpartition%26seed%3D3%26a%3D2c5&r=7&na=3&nb=12"),
        "{link}"
    );
    assert_eq!(read(&link), (with_source, Vec::new()));
    assert_eq!(read("").0, Run::default());
    assert_eq!(read(&Run::default().encode()), (Run::default(), Vec::new()));
}

#[test]
fn bad_values_are_replaced_and_each_replacement_is_said() {
    let (run, said) = read("?lab=anti-entropy&n=9&d=99&st=gossip&b=1&seed=x&q=1");
    assert_eq!(run.keys, KEYS_MIN);
    assert_eq!(run.diffs, KEYS_MIN);
    assert_eq!(run.strategy, StrategyKind::Merkle);
    assert_eq!(run.shape.branching, 2);
    assert_eq!(
        said,
        [
            "Parameter n=9 is below the minimum 16; using 16.",
            "Parameter st=gossip is not a strategy (merkle, digest, full or rateless); using merkle.",
            "Parameter b=1 is below the minimum 2; using 2.",
            "Parameter seed=x is not a whole number below 2^64; using 1.",
            "Parameter q=1 is not a parameter of the anti-entropy lab; ignored.",
            "Parameter d=99 is above the limit 16; using 16.",
        ]
    );
}

#[test]
fn a_tree_above_the_pages_leaf_cap_is_made_shallower_and_says_why() {
    let (run, said) = read("?b=1024&l=2");
    assert_eq!(run.shape.depth, 1);
    assert_eq!(
        said,
        ["Parameter l=2 gives 1024^2 leaves, above the page's limit 65536; using 1."]
    );
    // The default depth (4) is too deep for a wide tree: said too, though the link names no l.
    let (run, said) = read("?b=64");
    assert_eq!(run.shape.depth, 2);
    assert_eq!(
        said,
        ["Parameter l=4 with b=64 gives more than 65536 leaves; using 2."]
    );
    let (run, said) = read("?b=2&l=30");
    assert_eq!(run.shape.depth, 16);
    assert_eq!(said, ["Parameter l=30 is above the limit 16; using 16."]);
    assert_eq!(depth_max(2), 16);
    assert_eq!(depth_max(1024), 1);
    assert!(run.shape.validate().is_ok());
}

#[test]
fn the_links_pair_is_the_runners_trial_and_differs_in_d_keys() {
    let run = Run {
        diffs: 10,
        ..Run::default()
    };
    let base = run.base().unwrap();
    let (mut a, mut b) = run.pair(&base, run.diffs, 0);
    let differing = a
        .store()
        .iter()
        .filter(|(k, e)| b.store().get(k).map(|x| x.version()) != Some(e.version()))
        .count();
    assert_eq!(differing, 10);
    let r = reconcile_pair(
        &mut a,
        &mut b,
        run.strategy(),
        ReconcileLimits::large(),
        Tick(3),
    )
    .unwrap();
    assert_eq!(r.entries(), 10);
    let versions = |r: &crate::reconcile::Replica| -> Vec<_> {
        r.store()
            .iter()
            .map(|(k, e)| (k.to_vec(), e.version()))
            .collect()
    };
    assert!(
        versions(&a) == versions(&b),
        "the pair differs after repair"
    );
    assert!(run.runner_command().contains("--keys 256 --diffs 10"));
    assert_eq!("merkle".to_string(), run.strategy().name());
}

#[test]
fn a_pair_taken_from_a_cluster_holds_what_those_nodes_held_and_is_repaired() {
    // At round 0 only node 0 holds the rumor it wrote: nodes 0 and 5 differ in that one key.
    let run = Run {
        source: Some(Source {
            link: "n=20&seed=3".to_string(),
            round: 0,
            a: 0,
            b: 5,
        }),
        ..Run::default()
    };
    let (mut a, mut b, round) = run.shown_pair().unwrap();
    assert_eq!(round, Some(0));
    assert_eq!(source::difference(&a, &b), (1, 1));
    let r = reconcile_pair(
        &mut a,
        &mut b,
        run.strategy(),
        ReconcileLimits::large(),
        Tick(3),
    );
    assert_eq!(r.unwrap().responder.entries_new, 1);
    assert_eq!(source::difference(&a, &b), (1, 0));
    // Later in the run both hold it: nothing to repair.
    let later = Run {
        source: Some(Source {
            round: 30,
            ..run.source.clone().unwrap()
        }),
        ..run
    };
    let (a, b, round) = later.shown_pair().unwrap();
    assert!(round.unwrap() <= 30);
    assert_eq!(source::difference(&a, &b), (1, 0));
}

#[test]
fn a_source_with_bad_nodes_or_a_bad_cluster_link_is_said_and_fixed() {
    let (run, said) = read("?src=n%3D8%26k%3D99&na=3&nb=3&r=9999999");
    let s = run.source.unwrap();
    assert_eq!((s.a, s.b, s.round), (3, 0, ROUNDS_MAX));
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(
        said[0].starts_with("Parameter src=k=99 is above the limit 7")
            && said[0].contains("(in the cluster's link)"),
        "{}",
        said[0]
    );
    assert_eq!(
        said[1],
        "Parameter r=9999999 is above the limit 5000; using 5000."
    );
    assert_eq!(
        said[2],
        "Parameter nb=3 is node na: a pair needs two nodes; using 0."
    );
    let (run, said) = read("?na=20&r=1");
    assert!(run.source.is_none());
    assert_eq!(
        said,
        [
            "Parameter r=1 is only read with src (a cluster to take the nodes from); ignored.",
            "Parameter na=20 is only read with src (a cluster to take the nodes from); ignored.",
        ]
    );
    let (run, _) = read("?src=http%3A%2F%2F127.0.0.1%3A8080%2F%3Fs%3Dpartition%23top&na=1");
    assert_eq!(run.source.unwrap().link, "s=partition");
    assert!(read("?src=").0.source.is_none());
    assert_eq!(
        source::percent_encode("a b&c=d/é"),
        "a%20b%26c%3Dd%2F%C3%A9"
    );
}
