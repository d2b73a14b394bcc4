//! The membership link's round trips and notices, and each scenario's caption checked on the
//! engine (what the page's captions promise, with the preset seed).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::node::{LifeguardConfig, ProbeOrder};

fn read(link: &str) -> (Run, Vec<String>) {
    let (run, notices) = parse(link, &mut |k, _, _| k == "lab");
    (run, notices.iter().map(|n| n.to_string()).collect())
}

#[test]
fn every_scenario_round_trips_through_its_link() {
    for s in Scenario::ALL {
        let run = Run {
            seed: 77,
            ..Run::preset(s)
        };
        let link = run.encode().unwrap();
        let (back, notices) = read(&link);
        assert!(notices.is_empty(), "{link}: {notices:?}");
        assert_eq!(back, run, "{link}");
    }
}

#[test]
fn a_custom_run_with_every_field_round_trips() {
    let run = Run {
        nodes: 100,
        period_ticks: 10,
        probe_timeout_ticks: 3,
        loss_percent: 7,
        indirect: 2,
        suspicion: false,
        lifeguard: LifeguardConfig {
            nack: false,
            buddy: false,
            ..LifeguardConfig::ON
        },
        probe_order: ProbeOrder::Uniform,
        compare: true,
        seed: u64::MAX,
        actions: alloc::vec![
            (Round(2), Action::Crash(4)),
            (
                Round(3),
                Action::Slow {
                    node: 7,
                    lag_ticks: 9
                }
            ),
            (Round(9), Action::Leave(8)),
        ],
        ..Run::default()
    };
    let link = run.encode().unwrap();
    assert!(link.contains("lg=hd&po=uniform"), "{link}");
    let (back, notices) = read(&link);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, run);
}

#[test]
fn bad_values_are_replaced_and_said() {
    let (run, notices) = read("?lab=membership&n=1&t=4&pt=9&k=50&lg=xyz&po=up&sus=2&wat=1");
    assert_eq!(run.nodes, NODES_MIN);
    assert_eq!(run.probe_timeout_ticks, 3);
    assert_eq!(run.indirect, 0, "a cluster of 2 has no helper");
    assert_eq!(run.lifeguard, LifeguardConfig::ON);
    assert_eq!(run.probe_order, ProbeOrder::RoundRobin);
    assert!(run.suspicion);
    assert_eq!(
        notices,
        [
            "Parameter n=1 is below the minimum 2; using 2.",
            "Parameter lg=xyz is not on, off or a set of the letters h, n, d, b; using on.",
            "Parameter po=up is not a probe order (rr or uniform); using rr.",
            "Parameter sus=2 is not 0 or 1; using 1.",
            "Parameter wat=1 is not a parameter of the membership lab; ignored.",
            "Parameter pt=9 is above the limit 3; using 3.",
            "Parameter k=50 is above the limit 0; using 0.",
        ]
    );
}

#[test]
fn a_changed_scenario_is_custom_and_its_foreign_actions_are_dropped() {
    let (run, notices) = read("?s=detect&n=4");
    assert_eq!(run.scenario, Scenario::Custom);
    assert!(run.actions.is_empty(), "node 5 is not in a cluster of 4");
    assert_eq!(notices.len(), 2, "{notices:?}");
    let (run, notices) = read("?s=detect&seed=9&cmp=1");
    assert_eq!(
        (run.scenario, run.seed, run.compare),
        (Scenario::Detect, 9, true)
    );
    assert!(notices.is_empty());
    let (_, notices) = read("?s=nope");
    assert_eq!(
        notices,
        ["Parameter s=nope is not a scenario of the membership lab; using custom."]
    );
}

#[test]
fn lifeguard_letters_read_back() {
    for l in [LifeguardConfig::ON, LifeguardConfig::OFF] {
        assert_eq!(lifeguard_from_key(&lifeguard_key(l)), Some(l));
    }
    let l = lifeguard_from_key("bh").unwrap();
    assert!(l.buddy && l.local_health && !l.nack && !l.dynamic_suspicion);
    assert_eq!(lifeguard_from_key("hh"), None);
}

/// Steps `rounds` rounds; returns, per round, the crashed node's holders after it.
fn holders_by_round(run: &Run, member: u32, rounds: u32) -> Vec<[u32; 4]> {
    let mut c = run.cluster(run.lifeguard, 8).unwrap();
    let mut out = Vec::new();
    for _ in 0..rounds {
        c.step_round();
        out.push(c.views().holders(member));
    }
    out
}

#[test]
fn failure_detection_shows_the_crashed_node_suspect_then_dead() {
    let run = Run::preset(Scenario::Detect);
    let h = holders_by_round(&run, SCENARIO_CRASHED, 60);
    let suspect = h.iter().position(|x| x[1] > 0);
    let all_dead = h.iter().position(|x| x[2] == run.nodes - 1);
    let (s, d) = (suspect.unwrap(), all_dead.unwrap());
    // Crash at the start of round 3 (index 3); first suspicion within a few periods, every
    // live node holds it dead within the longest suspicion timeout (β·α·log10 n periods).
    assert!((3..3 + 8).contains(&s), "first suspect after round {s}");
    assert!(d > s && d < 3 + 40, "all dead after round {d}");
}

#[test]
fn the_slow_node_scenario_kills_fewer_healthy_members_with_lifeguard_from_period_60() {
    // What the caption says: close for the first 50 periods, then Lifeguard's false deaths
    // grow more slowly, 131 against 230 by period 120 (seed 1).
    let run = Run::preset(Scenario::Slow);
    let summed = |l: LifeguardConfig| {
        let mut c = run.cluster(l, 400).unwrap();
        c.step_rounds(200);
        let mut s = 0u64;
        c.records()
            .map(|r| {
                s += r.membership.false_deaths;
                s
            })
            .collect::<Vec<_>>()
    };
    let (with, without) = (summed(LifeguardConfig::ON), summed(LifeguardConfig::OFF));
    assert_eq!((with[119], without[119]), (131, 230));
    for p in 60..200 {
        assert!(
            with[p - 1] < without[p - 1],
            "period {p}: {} against {}",
            with[p - 1],
            without[p - 1]
        );
    }
}

#[test]
fn refutation_under_loss_suspects_live_members_and_kills_none() {
    let run = Run::preset(Scenario::Refute);
    let mut c = run.cluster(run.lifeguard, 200).unwrap();
    c.step_rounds(60);
    let sus: u64 = c.records().map(|r| r.membership.false_suspicions).sum();
    let deaths: u64 = c.records().map(|r| r.membership.false_deaths).sum();
    std::println!("refute: false suspicions {sus}, false deaths {deaths}");
    assert!(sus > 0 && deaths == 0, "suspicions {sus}, deaths {deaths}");
}

#[test]
fn join_and_leave_shows_the_join_spread_and_the_leave_marked_left() {
    let run = Run::preset(Scenario::JoinLeave);
    let h = holders_by_round(&run, SCENARIO_CRASHED, 60);
    let live = run.nodes - 1;
    assert_eq!(
        h[10][2], live,
        "node 5, down from the start, is dead everywhere by period 11"
    );
    // Every node, the joiner included, holds it alive.
    let alive = h.iter().skip(12).position(|x| x[0] == run.nodes);
    assert!(
        alive.is_some_and(|p| p < 10),
        "joined everywhere after {alive:?} periods"
    );
    let l = holders_by_round(&run, SCENARIO_LEAVER, 60);
    assert!(l[..24].iter().all(|x| x[1] == 0 && x[2] == 0 && x[3] == 0));
    // Every node, the leaver included (it stays up and holds itself left).
    let left = l.iter().skip(24).position(|x| x[3] == run.nodes);
    assert!(
        left.is_some_and(|p| p < 10),
        "left everywhere after {left:?} periods"
    );
    assert!(
        l[24..].iter().all(|x| x[1] == 0),
        "a leaver is never suspected"
    );
}
