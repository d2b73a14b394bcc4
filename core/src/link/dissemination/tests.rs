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

#[test]
fn repair_is_two_link_fields_left_out_when_off_so_old_links_read_as_before() {
    for s in Scenario::ALL {
        let run = Run::preset(s);
        let link = run.encode().unwrap();
        if run.repair == RepairStrategy::Off {
            assert!(!link.contains("ae"), "{s:?}: {link}");
            assert_eq!(run.cluster_config().node.anti_entropy, None, "{s:?}");
        }
    }
    let old = quiet(
        "?s=custom&n=32&k=1&m=rumor&loss=0&lat=1&latmax=1&gi=4&stop=feedback-counter&rk=1&seed=5",
    );
    assert_eq!(old.repair, RepairStrategy::Off);
    assert_eq!(old.repair_every, REPAIR_EVERY_DEFAULT);
    assert_eq!(old.cluster_config().node.anti_entropy, None);
    let run = quiet("?m=rumor&ae=merkle&aei=3");
    assert_eq!((run.repair, run.repair_every), (RepairStrategy::Merkle, 3));
    let ae = run.cluster_config().node.anti_entropy.unwrap();
    assert_eq!(
        ae.strategy,
        crate::reconcile::Strategy::Merkle(REPAIR_MERKLE_SHAPE)
    );
    assert_eq!(ae.every_intervals, 3);
    let link = run.encode().unwrap();
    assert!(link.contains("&ae=merkle&aei=3"), "{link}");
    assert_eq!(quiet(&link), run);
    // A strategy without `aei` takes the default gap.
    assert_eq!(quiet("?ae=digest").repair_every, REPAIR_EVERY_DEFAULT);
}

#[test]
fn bad_repair_values_are_replaced_and_each_is_said() {
    assert_eq!(
        said("?ae=merkel"),
        ["Parameter ae=merkel is not an anti-entropy repair (off, full, digest, merkle or rateless); using off."]
    );
    assert_eq!(
        said("?ae=full&aei=0"),
        ["Parameter aei=0 is below the minimum 1; using 1."]
    );
    assert_eq!(
        said("?aei=500&ae=rateless"),
        ["Parameter aei=500 is above the limit 64; using 64."]
    );
    let (run, notices) = parse("?aei=3", &mut |_, _, _| false);
    assert_eq!(run.repair_every, REPAIR_EVERY_DEFAULT);
    assert_eq!(
        notices[0].to_string(),
        "Parameter aei=3 applies only with anti-entropy repair on (ae=full, digest, merkle or rateless); ignored."
    );
    assert_eq!(said("?ae=digest&aei=x").len(), 1);
    assert_eq!(quiet("?ae=digest&aei=x&aei=2").repair_every, 2);
}

#[test]
fn repair_brings_a_spent_rumor_to_every_node_and_the_run_settles_converged() {
    // Rumor mongering with k = 1 leaves a residue (Demers et al. 1987, Table 1: about 18 %);
    // with repair sessions the run only settles once every node holds the rumor.
    let key = RUMOR_KEY.as_bytes();
    let mut bare = Replay::new(&quiet("?m=rumor&n=100&seed=3")).unwrap();
    while bare.step().is_some() {}
    assert!(bare.row().informed < 100, "the bare rumor leaves a residue");
    assert_eq!(Ending::of(bare.cluster(), key), Some(Ending::RumorSpent));
    let mut repaired = Replay::new(&quiet("?m=rumor&n=100&seed=3&ae=merkle&aei=2")).unwrap();
    let mut ae_bytes = 0;
    while let Some(row) = repaired.step() {
        ae_bytes += row.record.unwrap().anti_entropy.bytes_sent;
    }
    assert_eq!(repaired.row().informed, 100);
    assert_eq!(Ending::of(repaired.cluster(), key), Some(Ending::Converged));
    assert!(ae_bytes > 0, "repair sessions sent bytes");
}

/// The repair scenario's story as numbers, for one seed.
struct Story {
    /// Per round, the live nodes lacking a newest version.
    lacking: Vec<u32>,
    /// Per round (0 at round 0), anti-entropy bytes sent.
    bytes: Vec<u64>,
    /// The round the run settled.
    end: u32,
    /// At the heal: nodes still spreading a rumor, and (node, key) pairs lacking.
    infective_at_heal: usize,
    gaps_at_heal: u32,
    /// Entries anti-entropy delivered new after the heal.
    repaired_after_heal: u64,
}

fn repair_story(seed: u64) -> Story {
    let mut run = Run::preset(Scenario::Repair);
    run.seed = seed;
    let mut replay = Replay::new(&run).unwrap();
    let mut s = Story {
        lacking: vec![Lacking::of(replay.cluster()).nodes_lacking()],
        bytes: vec![0],
        end: 0,
        infective_at_heal: 0,
        gaps_at_heal: 0,
        repaired_after_heal: 0,
    };
    let heal = REPAIR_HEAL_ROUND as u32;
    while let Some(row) = replay.step() {
        let c = replay.cluster();
        let lacking = Lacking::of(c);
        s.lacking.push(lacking.nodes_lacking());
        let record = row.record.unwrap();
        s.bytes.push(record.anti_entropy.bytes_sent);
        if row.round == heal {
            s.infective_at_heal = (0..48)
                .filter(|&i| c.node(i).unwrap().is_infective())
                .count();
            s.gaps_at_heal = lacking.per_node.iter().sum();
        } else if row.round > heal {
            s.repaired_after_heal += record.anti_entropy.entries_repaired;
        }
    }
    s.end = replay.round();
    s
}

#[test]
fn the_repair_scenario_tells_its_captions_story() {
    let heal = REPAIR_HEAL_ROUND as usize;
    let (mut to_repair, mut after_bytes) = (Vec::new(), Vec::new());
    // The caption quotes seeds 1 to 100 (a debug build takes about a minute and a half for
    // those, so the test runs 12): 12 to 25 rounds from the heal to repaired, 13 for more than
    // half; 56 to 112 kB of anti-entropy after the heal, median about 80 kB; 21 to 42 nodes
    // still spreading a rumor at the heal; anti-entropy delivering 29 to 61 % (mean 43 %) of
    // the (node, key) pairs lacking at the heal, the surviving rumors the rest.
    for seed in 1..=12 {
        let s = repair_story(seed);
        // While cut, every node lacks the other side's writes.
        let cut = &s.lacking[heal - 1..=heal];
        assert!(cut.iter().all(|&l| l == 48), "seed {seed}: {:?}", s.lacking);
        assert_eq!(
            *s.lacking.last().unwrap(),
            0,
            "seed {seed}: the run ends repaired"
        );
        // Pushes into the cut bring no feedback, so rumors outlive it.
        assert!(
            (21..=42).contains(&s.infective_at_heal),
            "seed {seed}: {}",
            s.infective_at_heal
        );
        let share = s.repaired_after_heal as f64 / f64::from(s.gaps_at_heal);
        assert!(
            (0.29..=0.61).contains(&share),
            "seed {seed}: anti-entropy's share {share}"
        );
        to_repair.push(s.end as usize - heal);
        after_bytes.push(s.bytes[heal + 1..].iter().sum::<u64>());
    }
    to_repair.sort_unstable();
    after_bytes.sort_unstable();
    assert!(to_repair[0] >= 12 && to_repair[11] <= 25, "{to_repair:?}");
    // Repair comes in bursts, one every six rounds, so the rounds come in steps of about six.
    assert!(
        to_repair.iter().filter(|&&r| r == 13).count() >= 5,
        "{to_repair:?}"
    );
    assert!(
        after_bytes[0] >= 56_000 && after_bytes[11] <= 113_000,
        "{after_bytes:?}"
    );
    // The page's own seed 1.
    let s = repair_story(1);
    assert_eq!(s.end, 45);
    assert_eq!(s.bytes[heal + 1..].iter().sum::<u64>(), 104_468);
    assert_eq!((s.gaps_at_heal, s.repaired_after_heal), (261, 125));
}
