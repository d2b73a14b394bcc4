//! Tests of the link's run: reading, scenarios, limits and the replay.

use super::*;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

use crate::sim::Action;
use crate::time::Round;

fn quiet(link: &str) -> Run {
    let (run, notices) = parse(link, &mut |_, _, _| false);
    assert!(notices.is_empty(), "{link}: {notices:?}");
    run
}

fn said(link: &str) -> Vec<String> {
    let (_, notices) = parse(link, &mut |_, _, _| false);
    notices.iter().map(|n| n.to_string()).collect()
}

#[test]
fn a_canonical_link_reads_back_as_the_run_it_encodes() {
    for s in Scenario::ALL {
        let mut run = Run::preset(s);
        run.seed = 77;
        assert_eq!(quiet(&run.encode().unwrap()), run, "{s:?}");
    }
    let run = Run {
        nodes: 50,
        fanout: 3,
        mode: Protocol::Pull,
        loss_percent: 20,
        latency_min: 2,
        latency_max: 5,
        gossip_ticks: 6,
        key: "colour".into(),
        actions: vec![
            (Round(2), Action::Crash(4)),
            (
                Round(3),
                Action::Write {
                    node: 1,
                    key: b"colour".to_vec(),
                    value: b"red".to_vec(),
                },
            ),
        ],
        ..Run::default()
    };
    assert_eq!(quiet(&run.encode().unwrap()), run);
}

#[test]
fn a_scenario_presets_the_run_and_later_fields_override_it() {
    let run = quiet("?s=epidemic&seed=9");
    assert_eq!(
        (run.scenario, run.nodes, run.seed),
        (Scenario::Epidemic, 200, 9)
    );
    // The partition scenario's actions come with it.
    assert_eq!(quiet("?s=partition").actions, partition_actions(64));
    // Changing what its caption invites keeps the scenario.
    assert_eq!(quiet("?s=rumor&rk=3").scenario, Scenario::Rumor);
    assert_eq!(quiet("?s=modes&m=pull").scenario, Scenario::PushPull);
}

#[test]
fn a_link_that_changes_a_scenarios_parameters_is_a_custom_run_and_says_so() {
    // Found trying the page: `?s=partition&n=16` kept the scenario's title and caption about
    // 64 nodes while its actions no longer applied.
    let (run, notices) = parse("?s=partition&n=16", &mut |_, _, _| false);
    assert_eq!(run.scenario, Scenario::Custom);
    assert_eq!(run.nodes, 16);
    assert!(
        run.actions.is_empty(),
        "the preset's actions name nodes 16 to 63"
    );
    let params: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
    assert_eq!(params, ["s", "a"]);
    assert!(
        notices[0].to_string().contains("s=partition"),
        "{}",
        notices[0]
    );
    // A change the preset's actions survive keeps them.
    let run = quiet_custom("?s=partition&k=3");
    assert_eq!(run.actions, partition_actions(64));
    // A custom run of the same link reads back quietly.
    assert_eq!(quiet(&run.encode().unwrap()), run);
}

fn quiet_custom(link: &str) -> Run {
    let (run, notices) = parse(link, &mut |_, _, _| false);
    assert_eq!(run.scenario, Scenario::Custom);
    assert!(notices.iter().all(|n| n.param == "s"), "{notices:?}");
    run
}

#[test]
fn unknown_parameters_are_offered_to_the_caller_then_ignored_with_a_notice() {
    let mut seen = Vec::new();
    let (_, notices) = parse("?speed=2&n=5&zz=1", &mut |k, v, _| {
        seen.push(format!("{k}={v}"));
        k == "speed"
    });
    assert_eq!(seen, ["speed=2", "zz=1"]);
    assert_eq!(notices.len(), 1);
    assert_eq!(
        notices[0].to_string(),
        "Parameter zz=1 is not a parameter of Gossip Lab; ignored."
    );
}

#[test]
fn limits_and_dependent_fields_are_checked_with_notices() {
    assert_eq!(
        said("?n=50000&k=40&m=rumor&loss=30"),
        [
            "Parameter n=50000 is above the limit 10000; using 10000.",
            "Parameter k=40 is above the limit 16; using 16.",
            "Parameter loss=30 does not apply to rumor mongering, which runs without message loss; using 0.",
        ]
    );
    assert_eq!(quiet("?n=3").fanout, 1);
    assert_eq!(quiet("?lat=3").latency_max, 3);
    assert_eq!(
        said("?key=nokey"),
        ["Parameter key=nokey is written by no action in the link, so no node would ever hold it; using rumor."]
    );
}

#[test]
fn the_links_action_limit_is_the_clusters() {
    assert_eq!(
        script_limits(10).actions_max,
        Run::default().cluster_config().actions_max
    );
    let actions: Vec<TimedAction> = (0..ACTIONS_MAX)
        .map(|i| (Round(u64::from(i / 4)), Action::Crash(i % 10)))
        .collect();
    let run = Run {
        nodes: 10,
        actions,
        ..Run::default()
    };
    // A full list encodes and reads back whole; one more action is refused up front.
    assert_eq!(quiet(&run.encode().unwrap()), run);
    let next = Action::Restart(1);
    assert!(run.can_record(Round(1024), &next).is_err());
    let fewer = Run {
        actions: run.actions[..10].to_vec(),
        ..run.clone()
    };
    assert!(fewer.can_record(Round(1024), &next).is_ok());
}

#[test]
fn a_replay_applies_each_rounds_actions_before_its_row() {
    // Crash the only informed node at round 0: nobody holds the rumor from the first row on,
    // and nothing more can happen.
    let run = quiet("?n=20&a=c0");
    let replay = Replay::new(&run).unwrap();
    assert_eq!(replay.row().informed, 0);
    assert!(!replay.can_advance());
    // Found trying the page: `?s=epidemic&a=c0` said "every live node holds the newest
    // version" with 0 of 200 informed.
    let lost = Ending::of(replay.cluster(), RUMOR_KEY.as_bytes());
    assert_eq!(lost, Some(Ending::KeyLost));
    assert!(lost.unwrap().sentence().contains("no live node holds"));
    // The epidemic scenario spreads to all 200 nodes, then settles.
    let mut replay = Replay::new(&quiet("?s=epidemic")).unwrap();
    assert_eq!(replay.row().informed, 1);
    let mut last = None;
    while let Some(row) = replay.step() {
        last = Some(row);
    }
    let last = last.unwrap();
    assert_eq!(last.informed, 200);
    assert!(last.record.is_some());
    assert!(is_settled(replay.cluster()));
    let key = RUMOR_KEY.as_bytes();
    assert_eq!(Ending::of(replay.cluster(), key), Some(Ending::Converged));
    let mut rumor = Replay::new(&quiet("?m=rumor&n=100")).unwrap();
    assert_eq!(Ending::of(rumor.cluster(), key), None);
    while rumor.step().is_some() {}
    assert_eq!(Ending::of(rumor.cluster(), key), Some(Ending::RumorSpent));
}

#[test]
fn the_membership_is_a_link_field_left_out_for_the_oracle() {
    let (run, notices) = parse("?s=epidemic&mem=swim", &mut |_, _, _| false);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(run.membership, Membership::Swim);
    assert_eq!(
        run.scenario,
        Scenario::Epidemic,
        "the membership is the viewer's choice"
    );
    let link = run.encode().unwrap();
    assert!(link.contains("&mem=swim"), "{link}");
    assert_eq!(parse(&link, &mut |_, _, _| false).0, run);
    let oracle = Run::preset(Scenario::Epidemic).encode().unwrap();
    assert!(
        !oracle.contains("mem="),
        "old links stay as they were: {oracle}"
    );
    let (run, notices) = parse("?mem=heartbeat", &mut |_, _, _| false);
    assert_eq!(run.membership, Membership::Oracle);
    assert_eq!(
        notices[0].to_string(),
        "Parameter mem=heartbeat is not a membership (oracle or swim); using oracle."
    );
}

#[test]
fn with_swim_the_rumor_still_reaches_every_live_node_after_a_crash() {
    let (run, _) = parse("?s=epidemic&n=64&mem=swim&a=2c9", &mut |_, _, _| false);
    assert!(matches!(
        run.cluster_config().node.membership,
        crate::node::MembershipConfig::Swim(_)
    ));
    let mut c = run.cluster(64).unwrap();
    c.step_rounds(60);
    assert!(c.is_swim());
    assert_eq!(
        c.holders(RUMOR_KEY.as_bytes()),
        63,
        "every live node holds the rumor"
    );
}
