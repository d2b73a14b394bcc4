//! Heartbeat gossip's unit tests: a tiny lossless network, conviction, recovery, limits and bad input.

use super::*;
use crate::rng::{Rng, Stream};
use alloc::vec;
use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest};

// A tiny lossless network: every message takes one tick; `up[i]` false silences node i
// (it neither ticks nor receives).
struct Net {
    nodes: Vec<Heartbeat>,
    rngs: Vec<Rng>,
    up: Vec<bool>,
    in_flight: Vec<(NodeId, NodeId, Vec<u8>)>,
    out: Transmits,
    now: Tick,
}

impl Net {
    fn new(n: u32, config: HeartbeatConfig) -> Net {
        Net {
            nodes: (0..n)
                .map(|id| Heartbeat::new(config, id, 0..n).unwrap())
                .collect(),
            rngs: (0..n)
                .map(|id| Rng::stream(5, Stream::Node, id.into()))
                .collect(),
            up: vec![true; n as usize],
            in_flight: Vec::new(),
            out: Transmits::new(),
            now: Tick::ZERO,
        }
    }

    fn step(&mut self) {
        let t = self.now;
        for (from, to, bytes) in core::mem::take(&mut self.in_flight) {
            if self.up[to as usize] {
                self.nodes[to as usize]
                    .handle_message(t, from, &bytes)
                    .unwrap();
            }
        }
        for id in 0..self.nodes.len() {
            if !self.up[id] {
                continue;
            }
            self.out.clear();
            self.nodes[id].handle_tick(t, &mut self.rngs[id], &mut self.out);
            for (to, bytes) in self.out.iter() {
                self.in_flight.push((id as NodeId, to, bytes.to_vec()));
            }
        }
        self.now = t.next();
    }

    fn run(&mut self, ticks: u64) {
        for _ in 0..ticks {
            self.step();
        }
    }
}

fn config() -> HeartbeatConfig {
    HeartbeatConfig::default()
}

#[test]
fn a_silent_member_is_convicted_after_threshold_times_mean_over_log10_e() {
    let mut net = Net::new(2, config());
    net.run(800);
    // Node 0 heard node 1 every period (4 ticks): 200 intervals, the first the initial 8.
    let v = net.nodes[0].views(net.now).next().unwrap();
    let mean = v.mean_interval_ticks.unwrap();
    assert!((mean - (8.0 + 199.0 * 4.0) / 200.0).abs() < 1e-12, "{mean}");
    let last = v.last_heard.unwrap();
    net.up[1] = false;
    // Convicted at the first period with silence > 8 * mean / log10(e) = 8 ln(10) mean
    // = 74.06 ticks (18.5 periods of 4 ticks).
    let silence_max = 8.0 * mean / core::f64::consts::LOG10_E;
    assert!((silence_max - 74.06).abs() < 0.01, "{silence_max}");
    let mut convicted_at = None;
    for _ in 0..200 {
        let t = net.now;
        net.step();
        if convicted_at.is_none() && net.nodes[0].is_convicted(1) {
            convicted_at = Some(t);
        }
    }
    let at = convicted_at.expect("node 1 was convicted");
    let silence = at.ticks_since(last) as f64;
    assert!(
        silence > silence_max && silence <= silence_max + 4.0,
        "{silence}"
    );
    assert_eq!(at.0 % 4, 0, "judged at a period");
    assert_eq!(net.nodes[0].counters().convictions, 1);
    assert!(net.nodes[0].phi(1, at).unwrap() > 8.0);
    assert!(net.nodes[0].phi(1, Tick(at.0 - 4)).unwrap() <= 8.0);
}

#[test]
fn cassandras_interval_truncation_convicts_live_members_when_heartbeats_are_pushed() {
    // The module docs' table: at N = 100 with intervals above 2 periods dropped, the mean
    // is biased low and ordinary gaps convict live members, who are then heard again.
    let cfg = HeartbeatConfig {
        interval_ticks_max: 8,
        ..config()
    };
    let mut net = Net::new(100, cfg);
    net.run(4 * 150);
    let convictions: u64 = net.nodes.iter().map(|n| n.counters().convictions).sum();
    assert!(convictions > 0);
    let recoveries: u64 = net.nodes.iter().map(|n| n.counters().recoveries).sum();
    assert_eq!(recoveries, convictions, "every one of them was heard again");
}

#[test]
fn live_members_under_no_loss_are_never_convicted() {
    let mut net = Net::new(100, config());
    net.run(4 * 200);
    let convictions: u64 = net.nodes.iter().map(|n| n.counters().convictions).sum();
    assert_eq!(convictions, 0);
    let mut net = Net::new(20, config());
    net.run(4 * 2000);
    for n in &net.nodes {
        assert_eq!(n.counters().convictions, 0);
        assert_eq!(n.len(), 19);
        // Everyone heard from everyone, within the last few periods.
        for v in n.views(net.now) {
            assert!(!v.convicted && v.phi < 8.0, "{v:?}");
            assert!(v.intervals > 100, "{v:?}");
        }
    }
}

#[test]
fn the_bytes_per_member_per_period_are_counted_exactly() {
    let n = 10;
    let mut net = Net::new(n, config());
    net.run(4 * 100);
    for node in &net.nodes {
        let c = node.counters();
        assert_eq!((c.periods, c.messages_sent), (100, 100));
        // Kind, generation, counter (below 128) and count take a byte each; each of the 9
        // rows 3 bytes (id, generation 0, counter below 128): 4 + 3 (N - 1) = 31 bytes.
        assert_eq!(c.bytes_per_period(), 4.0 + 3.0 * f64::from(n - 1));
        assert_eq!(c.rows_sent, 9 * 100);
        assert_eq!(c.rows_left_out, 0);
    }
}

#[test]
fn a_table_too_large_for_one_message_goes_out_in_turns() {
    let cfg = HeartbeatConfig {
        message_bytes_max: 64,
        ..config()
    };
    let mut hb = Heartbeat::new(cfg, 0, 0..31).unwrap();
    let mut rng = Rng::from_seed(1);
    let mut out = Transmits::new();
    let mut seen = Vec::new();
    for p in 0..3u64 {
        out.clear();
        hb.handle_tick(Tick(4 * p), &mut rng, &mut out);
        let (_, bytes) = out.iter().next().unwrap();
        assert!(bytes.len() <= 64);
        let m = codec::decode(bytes, &cfg.limits()).unwrap();
        seen.push(m.rows().map(|r| r.member).collect::<Vec<_>>());
    }
    // Header 4 bytes, rows 3: 20 rows fit; then the other 10; then from the start again.
    assert_eq!(seen[0], (1..=20).collect::<Vec<_>>());
    assert_eq!(seen[1], (21..=30).collect::<Vec<_>>());
    assert_eq!(seen[2], seen[0]);
    assert_eq!(hb.counters().rows_left_out, 10 + 20 + 10);
}

#[test]
fn a_convicted_member_heard_again_recovers_and_a_new_generation_starts_a_new_window() {
    let mut net = Net::new(2, config());
    net.run(400);
    net.up[1] = false;
    net.run(200);
    assert!(net.nodes[0].is_convicted(1));
    // Node 1 restarts with a higher generation and a counter from 0.
    net.nodes[1] = Heartbeat::with_generation(config(), 1, 1, 0..2).unwrap();
    net.up[1] = true;
    net.run(8);
    assert!(!net.nodes[0].is_convicted(1));
    let c = net.nodes[0].counters();
    assert_eq!((c.convictions, c.recoveries), (1, 1));
    let v = net.nodes[0].views(net.now).next().unwrap();
    assert_eq!(v.generation, 1);
    assert!(v.intervals <= 2, "a fresh window: {v:?}");
}

fn table(from_gen: u64, from_counter: u64, rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::new();
    codec::put_header(&mut out, from_gen, from_counter, rows.len() as u64);
    for r in rows {
        codec::put_row(&mut out, r);
    }
    out
}

fn r(member: NodeId, generation: u64, counter: u64) -> Row {
    Row {
        member,
        generation,
        counter,
    }
}

#[test]
fn members_are_learned_from_rows_up_to_the_limit_and_self_rows_are_ignored() {
    let cfg = HeartbeatConfig {
        members_max: 4,
        ..config()
    };
    let mut hb = Heartbeat::new(cfg, 0, [0, 1]).unwrap();
    let msg = table(0, 3, &[r(0, 9, 9), r(2, 0, 5), r(3, 0, 1), r(7, 0, 1)]);
    hb.handle_message(Tick(1), 1, &msg).unwrap();
    let ids: Vec<NodeId> = hb.views(Tick(1)).map(|v| v.member).collect();
    assert_eq!(ids, [1, 2, 3], "members_max 4 with this node");
    let c = hb.counters();
    assert_eq!((c.rows_about_self, c.members_full), (1, 1));
    assert_eq!(
        hb.own_heartbeat(),
        (0, 0),
        "only this node raises its own heartbeat"
    );
    // An older or equal heartbeat changes nothing.
    let before = hb.clone();
    hb.handle_message(Tick(2), 1, &table(0, 3, &[r(2, 0, 4)]))
        .unwrap();
    assert_eq!(
        hb.views(Tick(2)).collect::<Vec<_>>(),
        before.views(Tick(2)).collect::<Vec<_>>()
    );
}

// `after` equals `before` but for the counts of one received, rejected message.
fn unchanged_but_counted(before: &Heartbeat, after: &Heartbeat) -> bool {
    let mut expected = before.clone();
    expected.counters.messages_received += 1;
    expected.counters.messages_rejected += 1;
    &expected == after
}

#[test]
fn a_rejected_message_changes_nothing_but_its_count() {
    let mut hb = Heartbeat::new(config(), 0, 0..3).unwrap();
    hb.handle_message(Tick(1), 1, &table(0, 1, &[r(2, 0, 1)]))
        .unwrap();
    let cases: [(NodeId, Vec<u8>, HeartbeatError); 3] = [
        (0, table(0, 2, &[]), HeartbeatError::FromSelf),
        (
            1,
            table(0, 2, &[r(1, 0, 9)]),
            HeartbeatError::RowAboutSender(1),
        ),
        (
            1,
            vec![16, 0, 2, 1, 2, 0],
            HeartbeatError::Decode(DecodeError::Truncated {
                field: "row counter",
            }),
        ),
    ];
    for (from, bytes, err) in cases {
        let before = hb.clone();
        assert_eq!(hb.handle_message(Tick(2), from, &bytes), Err(err));
        assert!(unchanged_but_counted(&before, &hb), "{err:?}");
    }
}

#[test]
fn a_bad_configuration_is_refused_naming_the_field() {
    let bad = |f: fn(&mut HeartbeatConfig)| {
        let mut c = config();
        f(&mut c);
        c.validate().unwrap_err()
    };
    assert_eq!(bad(|c| c.period_ticks = 0), ConfigError::PeriodTicks(0));
    assert_eq!(bad(|c| c.fanout = 17), ConfigError::Fanout(17));
    assert!(matches!(
        bad(|c| c.phi_convict_threshold = f64::NAN),
        ConfigError::PhiConvictThreshold(_)
    ));
    assert_eq!(
        bad(|c| c.window_intervals_max = 0),
        ConfigError::WindowIntervalsMax(0)
    );
    assert_eq!(
        bad(|c| c.interval_ticks_max = 0),
        ConfigError::IntervalTicksMax(0)
    );
    assert_eq!(bad(|c| c.members_max = 0), ConfigError::MembersMax(0));
    assert_eq!(
        bad(|c| c.message_bytes_max = 63),
        ConfigError::MessageBytesMax(63)
    );
    let small = HeartbeatConfig {
        members_max: 2,
        ..config()
    };
    assert_eq!(
        Heartbeat::new(small, 0, 0..3).unwrap_err(),
        ConfigError::TooManyMembers { count: 3, max: 2 }
    );
}

proptest! {
    #[test]
    fn any_bytes_never_panic_and_a_rejection_changes_nothing(
        bytes in proptest::collection::vec(any::<u8>(), 0..80),
        from in 0u32..6,
        valid_prefix in any::<bool>(),
    ) {
        let mut hb = Heartbeat::new(config(), 0, 0..4).unwrap();
        hb.handle_message(Tick(1), 1, &table(0, 1, &[r(2, 0, 1), r(3, 0, 4)])).unwrap();
        // Half the cases start like a real heartbeat, so the decoder gets deep.
        let mut input = if valid_prefix { vec![16] } else { Vec::new() };
        input.extend(&bytes);
        let before = hb.clone();
        match hb.handle_message(Tick(9), from, &input) {
            Ok(()) => prop_assert_eq!(hb.counters().messages_rejected, 0),
            Err(_) => prop_assert!(unchanged_but_counted(&before, &hb)),
        }
    }
}

// ----- wired into the node and the simulator ---------------------------------------------

mod wired {
    use crate::node::{MemberState, MembershipConfig, NodeId};
    use crate::sim::{Cluster, ClusterConfig};

    use super::HeartbeatConfig;

    fn cluster(nodes: u32, seed: u64) -> Cluster {
        let hb = HeartbeatConfig::default();
        let mut c = ClusterConfig::new(nodes, seed);
        c.ticks_per_round = hb.period_ticks;
        c.node.gossip_interval_ticks = hb.period_ticks;
        c.node.membership = MembershipConfig::Heartbeat(hb);
        Cluster::new(c).unwrap()
    }

    // The simulator's per-member counts equal the live nodes' views recounted from scratch:
    // the events told it every change.
    fn views_match_events(c: &Cluster) {
        let n = c.len() as NodeId;
        for m in 0..n {
            let mut held = [0u32; 4];
            for o in (0..n).filter(|&o| c.is_up(o)) {
                c.node(o).unwrap().membership().for_each_view(|id, v| {
                    if id == m {
                        held[v.state.code() as usize - 1] += 1;
                    }
                });
            }
            assert_eq!(c.views().holders(m), held, "member {m}");
        }
    }

    #[test]
    fn a_crash_is_convicted_by_every_live_node_and_a_restart_comes_back_at_a_new_generation() {
        let mut c = cluster(10, 3);
        c.step_rounds(100);
        views_match_events(&c);
        assert_eq!(c.views().holders(4), [10, 0, 0, 0]);
        c.crash(4).unwrap();
        c.step_rounds(100);
        views_match_events(&c);
        assert_eq!(c.views().holders(4), [0, 0, 9, 0], "all nine hold it dead");
        assert!(
            !c.node(0).unwrap().members().contains(4),
            "no longer a peer"
        );
        let d = c.views().detections()[0];
        assert_eq!(d.member, 4);
        let (first, full) = (d.first_detection_periods.unwrap(), d.full_detection_periods);
        assert!(first >= 1 && full.unwrap() >= first, "{d:?}");
        c.restart(4).unwrap();
        assert_eq!(c.node(4).unwrap().membership().incarnation(), Some(1));
        c.step_rounds(100);
        views_match_events(&c);
        assert_eq!(c.views().holders(4), [10, 0, 0, 0], "back, everywhere");
        for o in 0..10 {
            c.node(o).unwrap().membership().for_each_view(|m, v| {
                assert_eq!(v.state, MemberState::Alive, "{o} sees {m}");
                let generation = u32::from(m == 4);
                assert_eq!(v.incarnation, generation, "{o} sees {m}");
            });
        }
        let false_deaths: u64 = c.records().map(|r| r.membership.false_deaths).sum();
        assert_eq!(false_deaths, 0, "no live member convicted without loss");
    }

    #[test]
    fn a_heartbeat_message_to_a_node_of_another_membership_is_refused_unchanged() {
        use crate::node::{Node, NodeConfig};
        use crate::rng::{Rng, Stream};
        let mut bytes = alloc::vec::Vec::new();
        super::codec::put_header(&mut bytes, 0, 5, 0);
        let mut node =
            Node::new(1, NodeConfig::default(), Rng::stream(1, Stream::Node, 1)).unwrap();
        let before = node.clone();
        assert!(node
            .handle_message(crate::time::Tick(1), 0, &bytes)
            .is_err());
        assert_eq!(alloc::format!("{before:?}"), alloc::format!("{node:?}"));
    }
}

mod wired_bad_input {
    use crate::node::{MembershipConfig, Node, NodeConfig};
    use crate::rng::{Rng, Stream};
    use crate::time::Tick;
    use alloc::vec::Vec;
    use proptest::prelude::{any, prop_assert_eq, proptest};

    use super::HeartbeatConfig;

    proptest! {
        // Through the node: any datagram is handled or rejected whole, and a rejected one
        // leaves everything but heartbeat gossip's own two counts as it was.
        #[test]
        fn any_datagram_to_a_heartbeat_node_never_panics(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            kind_first in any::<bool>(),
        ) {
            let config = NodeConfig {
                membership: MembershipConfig::Heartbeat(HeartbeatConfig::default()),
                ..NodeConfig::default()
            };
            let mut node = Node::new(0, config, Rng::stream(1, Stream::Node, 0)).unwrap();
            node.set_members(crate::node::Members::new(0..4));
            node.handle_tick(Tick(0));
            let mut input: Vec<u8> = if kind_first { alloc::vec![16] } else { Vec::new() };
            input.extend(&bytes);
            let before = node.clone();
            if node.handle_message(Tick(1), 2, &input).is_err() {
                let hb = |n: &Node| *n.heartbeat().unwrap().heartbeat().counters();
                let (b, a) = (hb(&before), hb(&node));
                prop_assert_eq!(node.counters(), before.counters());
                prop_assert_eq!(node.events_len(), before.events_len());
                prop_assert_eq!(node.members(), before.members());
                prop_assert_eq!(a.heartbeats_newer, b.heartbeats_newer);
                prop_assert_eq!(a.messages_rejected - b.messages_rejected, u64::from(input.first() == Some(&16)));
            }
        }
    }
}
