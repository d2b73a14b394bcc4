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
        };
        let link = run.encode();
        let (back, notices) = read(&link);
        assert!(notices.is_empty(), "{link}: {notices:?}");
        assert_eq!(back, run, "{link}");
    }
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
