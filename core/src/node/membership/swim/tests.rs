//! SWIM's behaviour, node by node (messages in, messages out) and in small simulated clusters.

use alloc::vec;
use alloc::vec::Vec;

use crate::net::LinkConfig;
use crate::node::membership::swim::codec::{self, SwimLimits, Update};
use crate::node::*;
use crate::rng::{Rng, Stream};
use crate::sim::{Cluster, ClusterConfig};
use crate::time::Tick;
use crate::wire::{put_varint, MessageKind};

fn swim_node(id: NodeId, swim: SwimConfig, members: u32) -> Node {
    let config = NodeConfig {
        membership: MembershipConfig::Swim(swim),
        ..NodeConfig::default()
    };
    let mut n = Node::new(id, config, Rng::stream(7, Stream::Node, id.into())).unwrap();
    n.set_members(Members::new(0..members));
    n
}

/// A cluster of `nodes` SWIM nodes where a period is a round (8 ticks).
pub(crate) fn swim_cluster(nodes: u32, seed: u64, swim: SwimConfig) -> ClusterConfig {
    let mut c = ClusterConfig::new(nodes, seed);
    c.ticks_per_round = swim.probe_interval_ticks;
    c.node.gossip_interval_ticks = swim.probe_interval_ticks;
    c.node.membership = MembershipConfig::Swim(swim);
    c
}

fn limits() -> SwimLimits {
    SwimLimits {
        message_bytes_max: 8192,
        members_max: SwimConfig::default().members_max,
        piggyback_updates_max: 16,
        sync_updates_per_message_max: 512,
    }
}

// Every SWIM message the node sends: (to, kind, seq, target, updates).
type Sent = (NodeId, MessageKind, u32, NodeId, Vec<Update>);

fn sent(n: &mut Node) -> Vec<Sent> {
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Some(tx) = n.poll_transmit(&mut buf) {
        let m = codec::decode(&buf, &limits()).unwrap();
        out.push((tx.to, m.kind, m.seq, m.target, m.updates().collect()));
    }
    out
}

fn message(kind: MessageKind, seq: u32, target: NodeId, flags: u8, ups: &[Update]) -> Vec<u8> {
    let mut out = Vec::new();
    codec::put_header(&mut out, kind, seq, target, flags);
    put_varint(&mut out, ups.len() as u64);
    for u in ups {
        u.put(&mut out);
    }
    out
}

fn up(member: NodeId, state: MemberState, incarnation: u32, accuser: NodeId) -> Update {
    Update {
        member,
        state,
        incarnation,
        accuser,
    }
}

#[test]
fn a_ping_is_answered_with_an_ack_of_the_same_seq() {
    let mut a = swim_node(1, SwimConfig::default(), 4);
    a.handle_message(Tick(3), 0, &message(MessageKind::Ping, 77, 1, 0, &[]))
        .unwrap();
    let out = sent(&mut a);
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].0, out[0].1, out[0].2), (0, MessageKind::Ack, 77));
}

#[test]
fn a_probe_pings_then_ping_reqs_k_helpers_after_the_timeout_and_suspects_at_period_end() {
    let swim = SwimConfig::default();
    let mut a = swim_node(0, swim, 6);
    a.handle_tick(Tick(0));
    let ping = sent(&mut a);
    assert_eq!(ping.len(), 1);
    let (target, seq) = (ping[0].0, ping[0].2);
    assert_eq!((ping[0].1, ping[0].3), (MessageKind::Ping, target));
    assert_eq!(a.poll_timeout(), Tick(2), "the probe timeout");
    a.handle_tick(Tick(2));
    let reqs = sent(&mut a);
    assert_eq!(reqs.len(), 3, "k = 3 helpers");
    for r in &reqs {
        assert_eq!((r.1, r.2, r.3), (MessageKind::PingReq, seq, target));
        assert!(r.0 != 0 && r.0 != target);
    }
    a.handle_tick(Tick(8));
    let swim_state = a.swim().unwrap();
    assert_eq!(
        swim_state.member(target).unwrap().state,
        MemberState::Suspect
    );
    assert_eq!(a.counters().swim.probes_failed, 1);
    assert_eq!(a.counters().swim.suspicions_started, 1);
    // No nacks came from 3 helpers asked for them: the score rises by 3.
    assert_eq!(swim_state.health(), 3);
    assert!(swim_state.suspicion(target).is_some());
    // The next probe (started at tick 8) waits (3 + 1) times longer for its ack and its period.
    assert_eq!(swim_state.next_probe_tick(), Tick(8 + 4 * 8));
    assert_eq!(swim_state.probe().unwrap().timeout_at, Tick(8 + 4 * 2));
}

#[test]
fn an_ack_in_time_makes_the_probe_a_success_and_a_late_one_is_rejected() {
    let mut a = swim_node(0, SwimConfig::default(), 3);
    a.handle_tick(Tick(0));
    let ping = sent(&mut a);
    let seq = ping[0].2;
    a.handle_message(
        Tick(2),
        ping[0].0,
        &message(MessageKind::Ack, seq, 0, 0, &[]),
    )
    .unwrap();
    a.handle_tick(Tick(2));
    assert!(sent(&mut a).is_empty(), "acked: no ping-req");
    let before = *a.counters();
    let err = a
        .handle_message(Tick(3), 1, &message(MessageKind::Ack, seq + 5, 0, 0, &[]))
        .unwrap_err();
    assert_eq!(err, Error::Swim(SwimError::Unexpected { seq: seq + 5 }));
    assert_eq!(a.counters().swim.rejected_unexpected, 1);
    let mut after = *a.counters();
    after.swim.rejected_unexpected = 0;
    assert_eq!(after, before);
    a.handle_tick(Tick(8));
    assert_eq!(a.counters().swim.probes_acked, 1);
}

#[test]
fn a_helper_pings_the_target_relays_its_ack_and_nacks_when_it_is_silent() {
    let mut h = swim_node(2, SwimConfig::default(), 4);
    h.handle_message(Tick(3), 0, &message(MessageKind::PingReq, 9, 3, 1, &[]))
        .unwrap();
    let ping = sent(&mut h);
    assert_eq!((ping[0].0, ping[0].1, ping[0].3), (3, MessageKind::Ping, 3));
    h.handle_message(Tick(4), 3, &message(MessageKind::Ack, ping[0].2, 0, 0, &[]))
        .unwrap();
    let relayed = sent(&mut h);
    assert_eq!(
        (relayed[0].0, relayed[0].1, relayed[0].2),
        (0, MessageKind::Ack, 9)
    );
    // A second ping-req whose target stays silent: a nack after the helper's timeout.
    h.handle_message(Tick(10), 0, &message(MessageKind::PingReq, 10, 1, 1, &[]))
        .unwrap();
    sent(&mut h);
    h.handle_tick(Tick(12));
    let nack: Vec<_> = sent(&mut h)
        .into_iter()
        .filter(|m| m.1 == MessageKind::Nack)
        .collect();
    assert_eq!((nack[0].0, nack[0].2), (0, 10));
}

#[test]
fn a_suspicion_of_oneself_is_refuted_with_a_higher_incarnation() {
    let mut a = swim_node(1, SwimConfig::default(), 4);
    let s = up(1, MemberState::Suspect, 0, 2);
    a.handle_message(Tick(1), 0, &message(MessageKind::Ping, 5, 1, 0, &[s]))
        .unwrap();
    let swim = a.swim().unwrap();
    assert_eq!(swim.incarnation(), 1);
    assert_eq!(swim.health(), 1, "a refutation costs a point of health");
    let ack = sent(&mut a);
    // The ack carries the refutation at once.
    assert!(ack[0].4.contains(&up(1, MemberState::Alive, 1, 0)));
    assert_eq!(a.counters().swim.refutations, 1);
}

#[test]
fn a_suspect_refuted_by_a_higher_incarnation_is_alive_again_and_its_timer_stops() {
    let mut a = swim_node(0, SwimConfig::default(), 5);
    let s = up(3, MemberState::Suspect, 0, 2);
    a.handle_message(Tick(1), 1, &message(MessageKind::Sync, 0, 0, 0, &[s]))
        .unwrap();
    assert!(a.swim().unwrap().suspicion(3).is_some());
    let alive = up(3, MemberState::Alive, 1, 0);
    a.handle_message(Tick(2), 1, &message(MessageKind::Sync, 0, 0, 0, &[alive]))
        .unwrap();
    let swim = a.swim().unwrap();
    assert_eq!(
        swim.member(3),
        Some(MemberView {
            state: MemberState::Alive,
            incarnation: 1
        })
    );
    assert!(swim.suspicion(3).is_none());
    let events: Vec<Event> = core::iter::from_fn(|| a.poll_event()).collect();
    assert_eq!(events.len(), 2);
}

#[test]
fn a_suspect_not_refuted_is_declared_dead_when_its_timeout_expires() {
    let swim = SwimConfig {
        lifeguard: LifeguardConfig::OFF,
        ..SwimConfig::default()
    };
    let mut a = swim_node(0, swim, 5);
    let s = up(3, MemberState::Suspect, 0, 2);
    a.handle_message(Tick(1), 1, &message(MessageKind::Sync, 0, 0, 0, &[s]))
        .unwrap();
    // min = 4 * max(1, log10 5) * 8 = 32 ticks after tick 1.
    let deadline = a.swim().unwrap().suspicion(3).unwrap().deadline;
    assert_eq!(deadline, Tick(33));
    a.handle_tick(Tick(32));
    assert_eq!(
        a.swim().unwrap().member(3).unwrap().state,
        MemberState::Suspect
    );
    a.handle_tick(Tick(33));
    assert_eq!(
        a.swim().unwrap().member(3).unwrap().state,
        MemberState::Dead
    );
    assert_eq!(a.counters().swim.deaths_declared, 1);
}

#[test]
fn basic_swim_declares_a_silent_target_dead_at_the_end_of_the_period() {
    let swim = SwimConfig {
        suspicion: false,
        indirect_probes: 0,
        lifeguard: LifeguardConfig::OFF,
        ..SwimConfig::default()
    };
    let mut a = swim_node(0, swim, 2);
    a.handle_tick(Tick(0));
    a.handle_tick(Tick(8));
    assert_eq!(
        a.swim().unwrap().member(1).unwrap().state,
        MemberState::Dead
    );
    assert_eq!(a.swim().unwrap().members().as_slice(), [0]);
}

#[test]
fn bad_messages_are_rejected_with_their_reason_and_change_nothing() {
    let mut a = swim_node(0, SwimConfig::default(), 4);
    a.handle_tick(Tick(0));
    sent(&mut a);
    let cases: Vec<(Vec<u8>, SwimError)> = vec![
        (
            message(MessageKind::PingReq, 1, 0, 0, &[]),
            SwimError::PingReqForSelf,
        ),
        (
            message(MessageKind::Ping, 1, 2, 0, &[]),
            SwimError::NotForMe { target: 2 },
        ),
        (
            message(
                MessageKind::Sync,
                0,
                0,
                0,
                &[up(1, MemberState::Alive, 1 << 20, 0)],
            ),
            SwimError::Incarnation {
                member: 1,
                got: 1 << 20,
                max: 1 << 16,
            },
        ),
        (
            message(
                MessageKind::Sync,
                0,
                0,
                0,
                &[up(200_000, MemberState::Alive, 1, 0)],
            ),
            SwimError::UnknownMember {
                field: "update.member",
                id: 200_000,
            },
        ),
        (
            message(
                MessageKind::Ack,
                0,
                0,
                0,
                &[up(1, MemberState::Alive, 0, 0); 17],
            ),
            SwimError::Oversized { count: 17, max: 16 },
        ),
    ];
    for (bytes, want) in cases {
        let (swim, counters) = (a.swim().unwrap().clone(), *a.counters());
        assert_eq!(a.handle_message(Tick(1), 1, &bytes), Err(Error::Swim(want)));
        assert_eq!(a.swim().unwrap(), &swim, "{want:?}");
        assert_eq!(a.counters().swim.rejected(), counters.swim.rejected() + 1);
        assert_eq!(a.poll_event(), None);
    }
    // An oracle node rejects SWIM messages.
    let mut o = crate::node::test_support::node(0, Mode::AntiEntropy(Exchange::Push));
    assert_eq!(
        o.handle_message(Tick(1), 1, &message(MessageKind::Ping, 1, 0, 0, &[])),
        Err(Error::Swim(SwimError::NotSwim))
    );
}

#[test]
fn a_ping_to_a_suspect_carries_the_suspicion_with_the_buddy_system() {
    for buddy in [true, false] {
        let swim = SwimConfig {
            lifeguard: LifeguardConfig {
                buddy,
                ..LifeguardConfig::OFF
            },
            // A suspicion that outlasts the test.
            suspicion_alpha: 1000,
            ..SwimConfig::default()
        };
        let mut a = swim_node(0, swim, 2);
        let s = up(1, MemberState::Suspect, 0, 0);
        a.handle_message(Tick(0), 1, &message(MessageKind::Sync, 0, 0, 0, &[s]))
            .unwrap();
        // Send the queued update its limit's worth of times so only the buddy can carry it.
        for t in 0..20 {
            a.handle_tick(Tick(8 * t));
            sent(&mut a);
        }
        a.handle_tick(Tick(8 * 21));
        let ping = sent(&mut a);
        let carries = ping[0]
            .4
            .iter()
            .any(|u| u.member == 1 && u.state == MemberState::Suspect);
        assert_eq!(carries, buddy);
    }
}

#[test]
fn a_node_joins_through_a_seed_and_leaves_with_a_higher_incarnation() {
    let mut c = Cluster::new(swim_cluster(5, 3, SwimConfig::default())).unwrap();
    c.step_rounds(2);
    c.crash(4).unwrap();
    c.step_rounds(40);
    assert!((0..4)
        .all(|i| c.node(i).unwrap().swim().unwrap().member(4).unwrap().state == MemberState::Dead));
    c.restart(4).unwrap();
    let inc = c.node(4).unwrap().swim().unwrap().incarnation();
    assert_eq!(inc, 1, "above its previous life");
    c.step_rounds(10);
    for i in 0..5 {
        let v = c.node(i).unwrap().swim().unwrap().member(4).unwrap();
        assert_eq!(
            (v.state, v.incarnation),
            (MemberState::Alive, 1),
            "view of {i}"
        );
        assert_eq!(
            c.node(4).unwrap().swim().unwrap().member(i).unwrap().state,
            MemberState::Alive
        );
    }
    let d = c.views().detections()[0];
    assert_eq!(d.member, 4);
    assert!(d.first_detection_periods.unwrap() >= 1);
    assert!(d.full_detection_periods.unwrap() >= d.first_detection_periods.unwrap());
}

#[test]
fn incarnations_never_decrease_in_any_view_and_views_converge_after_a_chaos_run() {
    for seed in 0..6 {
        chaos_run(seed);
    }
}

// Crashes, restarts, two partitions and 10 % loss for 100 rounds, then none; the invariant
// is checked every round, the convergence at the end. A failure names its seed.
fn chaos_run(seed: u64) {
    let swim = SwimConfig::default();
    let mut cfg = swim_cluster(12, seed, swim);
    cfg.net.link = LinkConfig {
        loss: 0.1,
        ..cfg.net.link
    };
    let mut c = Cluster::new(cfg).unwrap();
    let mut rng = Rng::from_seed(seed);
    let mut seen = vec![vec![0u32; 12]; 12];
    for round in 0..150u32 {
        if round % 10 == 5 && round < 100 {
            let n = rng.below(12);
            if c.is_up(n) && c.members().len() > 6 {
                c.crash(n).unwrap();
            } else if !c.is_up(n) {
                c.restart(n).unwrap();
            }
        }
        if round == 30 || round == 70 {
            let cut = 1 + rng.below(11);
            let (a, b): (Vec<NodeId>, Vec<NodeId>) = (0..12).partition(|&n| n < cut);
            c.partition(&[a, b], crate::net::Direction::Both).unwrap();
        }
        if round == 55 || round == 100 {
            c.heal().unwrap();
        }
        if round == 100 {
            for n in 0..12 {
                if !c.is_up(n) {
                    c.restart(n).unwrap();
                }
            }
        }
        c.step_round();
        for (o, row) in seen.iter_mut().enumerate() {
            let Some(node) = c.node(o as NodeId) else {
                row.iter_mut().for_each(|x| *x = 0);
                continue;
            };
            for (m, v) in node.swim().unwrap().iter() {
                assert!(
                    v.incarnation >= row[m as usize],
                    "round {round}: {o} sees {m}"
                );
                row[m as usize] = v.incarnation;
            }
        }
    }
    assert!(c.records().map(|r| r.swim.probes).sum::<u64>() > 0);
    // After the faults stop (every node up and the partition healed since round 100, loss off
    // now), every live view converges to every member alive.
    c.apply(crate::sim::Action::SetDefaultLink(LinkConfig::default()))
        .unwrap();
    c.step_rounds(200);
    for o in 0..12 {
        for m in 0..12 {
            let v = c.node(o).unwrap().swim().unwrap().member(m).unwrap();
            assert_eq!(v.state, MemberState::Alive, "seed {seed}: {o} sees {m}");
            let own = c.node(m).unwrap().swim().unwrap().incarnation();
            assert_eq!(v.incarnation, own, "seed {seed}: {o} sees {m}");
        }
    }
}

#[test]
fn the_rounds_swim_counts_sum_to_the_nodes_own() {
    let mut c = Cluster::new(swim_cluster(10, 4, SwimConfig::default())).unwrap();
    c.step_rounds(3);
    c.crash(9).unwrap();
    c.step_rounds(20);
    c.restart(9).unwrap();
    c.step_rounds(20);
    let by_rounds: u64 = c.records().map(|r| r.swim.messages_sent).sum();
    let by_nodes: u64 = (0..9)
        .map(|id| c.node(id).unwrap().counters().swim.messages_sent)
        .sum();
    let before_crash = c
        .records()
        .take(3)
        .map(|r| r.swim.messages_sent)
        .sum::<u64>();
    let nine_now = c.node(9).unwrap().counters().swim.messages_sent;
    // Node 9's first life sent part of the first three rounds and up to its crash; its second
    // life is counted by its own counters.
    assert!(by_rounds >= by_nodes + nine_now);
    assert!(by_rounds <= by_nodes + nine_now + before_crash);
    assert!(c.records().map(|r| r.membership.live_probes).sum::<u64>() > 0);
}

#[test]
fn an_ack_corrects_a_sender_that_is_behind() {
    let mut a = swim_node(1, SwimConfig::default(), 6);
    let alive = up(5, MemberState::Alive, 1, 0);
    a.handle_message(Tick(1), 2, &message(MessageKind::Sync, 0, 0, 0, &[alive]))
        .unwrap();
    // Drain the queue so only the correction can carry the news.
    for t in 0..10 {
        a.handle_tick(Tick(8 * t));
        sent(&mut a);
    }
    let stale = up(5, MemberState::Suspect, 0, 3);
    a.handle_message(Tick(90), 4, &message(MessageKind::Ping, 8, 1, 0, &[stale]))
        .unwrap();
    let ack = sent(&mut a);
    assert_eq!(ack[0].1, MessageKind::Ack);
    assert_eq!(ack[0].4[0], alive);
}

// What a test can observe of a node: SWIM's state, the counters without the rejection
// counts, the queues.
fn observe(n: &Node) -> (Swim, Counters, usize, usize) {
    let mut c = *n.counters();
    c.swim.rejected_malformed = 0;
    c.swim.rejected_unknown_member = 0;
    c.swim.rejected_incarnation = 0;
    c.swim.rejected_oversized = 0;
    c.swim.rejected_ping_req_self = 0;
    c.swim.rejected_not_for_me = 0;
    c.swim.rejected_unexpected = 0;
    c.swim.rejected_not_swim = 0;
    (n.swim().unwrap().clone(), c, n.outbox_len(), n.events_len())
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_a_swim_node_and_an_error_changes_nothing(
        kind in 6u8..=11,
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
        from in 0u32..8,
    ) {
        let mut a = swim_node(0, SwimConfig::default(), 8);
        // A probe in flight, so acks and nacks with its seq are plausible.
        a.handle_tick(Tick(0));
        a.handle_tick(Tick(2));
        let mut bytes = vec![kind];
        bytes.extend_from_slice(&body);
        let before = observe(&a);
        let rejected = a.counters().swim.rejected();
        match a.handle_message(Tick(3), from, &bytes) {
            Ok(()) => proptest::prop_assert_eq!(a.counters().swim.rejected(), rejected),
            Err(_) => {
                proptest::prop_assert_eq!(observe(&a), before);
                proptest::prop_assert_eq!(a.counters().swim.rejected(), rejected + 1);
            }
        }
    }
}

#[test]
fn ticking_a_swim_node_only_at_poll_timeout_gives_the_same_run_as_every_tick() {
    let run = |every: bool| {
        let mut a = swim_node(0, SwimConfig::default(), 6);
        let mut out = Vec::new();
        for t in 0..200u64 {
            // Only node 1 answers, and only at some ticks: probes fail and succeed.
            if t % 16 == 1 {
                let s = up(2, MemberState::Suspect, 0, 3);
                a.handle_message(Tick(t), 3, &message(MessageKind::Sync, 0, 0, 0, &[s]))
                    .unwrap();
            }
            if every || Tick(t) >= a.poll_timeout() {
                a.handle_tick(Tick(t));
            }
            out.extend(sent(&mut a).into_iter().map(|m| (t, m)));
        }
        (out, a.swim().unwrap().clone())
    };
    let (every, sparse) = (run(true), run(false));
    assert!(!every.0.is_empty());
    assert!(every == sparse);
}

#[test]
fn dissemination_gossips_over_the_swim_view_and_drops_a_dead_peer() {
    let mut cfg = swim_cluster(8, 5, SwimConfig::default());
    cfg.node.mode = Mode::AntiEntropy(Exchange::PushPull);
    let mut c = Cluster::new(cfg).unwrap();
    c.write(0, b"k", b"v").unwrap();
    c.step_rounds(6);
    assert!((0..8).all(|i| c.node(i).unwrap().store().get(b"k").is_some()));
    c.crash(7).unwrap();
    c.step_rounds(40);
    for i in 0..7 {
        let members = c.node(i).unwrap().members().clone();
        assert!(
            !members.contains(7),
            "{i} still gossips with the dead member"
        );
        assert_eq!(members.len(), 7);
    }
}

#[test]
fn a_swim_cluster_needs_room_for_swim_events() {
    let mut cfg = swim_cluster(4, 1, SwimConfig::default());
    cfg.node.events_max = 2400;
    assert!(matches!(
        Cluster::new(cfg),
        Err(crate::sim::ConfigError::EventsMax {
            got: 2400,
            min: 3842
        })
    ));
}

#[test]
fn a_node_that_leaves_is_held_left_by_every_live_node_and_no_longer_probes() {
    let mut c = Cluster::new(swim_cluster(6, 2, SwimConfig::default())).unwrap();
    c.step_rounds(2);
    c.apply(crate::sim::Action::Leave(3)).unwrap();
    let probes = c.node(3).unwrap().counters().swim.probes;
    c.step_rounds(10);
    assert_eq!(c.node(3).unwrap().counters().swim.probes, probes);
    for i in (0..6).filter(|&i| i != 3) {
        let v = c.node(i).unwrap().swim().unwrap().member(3).unwrap();
        assert_eq!(
            (v.state, v.incarnation),
            (MemberState::Left, 1),
            "view of {i}"
        );
    }
    assert_eq!(c.views().holders(3), [0, 0, 0, 6]);
    let mut oracle = Cluster::new(ClusterConfig::new(3, 1)).unwrap();
    assert_eq!(
        oracle.apply(crate::sim::Action::Leave(1)),
        Err(crate::sim::ActionError::NotSwim)
    );
}

#[test]
fn a_viewer_tells_the_indirect_path_from_the_direct_one() {
    let config = NodeConfig {
        membership: MembershipConfig::Swim(SwimConfig::default()),
        ..NodeConfig::default()
    };
    let mut h = swim_node(2, SwimConfig::default(), 4);
    let mut buf = Vec::new();
    let relayed = |n: &mut Node, buf: &mut Vec<u8>| {
        let mut out = Vec::new();
        while let Some(tx) = n.poll_transmit(buf) {
            let m = Node::swim_message(&config, buf).unwrap();
            out.push((tx.kind, m.relayed()));
        }
        out
    };
    h.handle_tick(Tick(0));
    assert_eq!(relayed(&mut h, &mut buf), [(MessageKind::Ping, false)]);
    h.handle_message(Tick(3), 0, &message(MessageKind::PingReq, 9, 3, 1, &[]))
        .unwrap();
    let ping = relayed(&mut h, &mut buf);
    assert_eq!(ping, [(MessageKind::Ping, true)]);
    let seq = h.swim().unwrap().last_seq();
    h.handle_message(Tick(4), 3, &message(MessageKind::Ack, seq, 0, 0, &[]))
        .unwrap();
    assert_eq!(relayed(&mut h, &mut buf), [(MessageKind::Ack, true)]);
    assert!(Node::swim_message(&NodeConfig::default(), &[6, 0, 0, 0, 0]).is_none());
}

#[test]
fn a_crash_probed_in_its_first_period_is_detected_in_one_period() {
    // Two nodes: node 0 probes node 1 every period, so the probe of the crash's own round
    // fails at that round's last tick, and the detection counts that one period.
    let mut c = Cluster::new(swim_cluster(2, 1, SwimConfig::default())).unwrap();
    c.step_rounds(2);
    c.crash(1).unwrap();
    c.step_round();
    let d = c.views().detections()[0];
    assert_eq!((d.crash_round, d.first_detection_periods), (2, Some(1)));
    assert_eq!(
        c.node(0).unwrap().swim().unwrap().member(1).unwrap().state,
        MemberState::Suspect
    );
    assert_eq!(c.last_record().unwrap().membership.first_detections, 1);
}

#[test]
fn two_sides_that_declared_each_other_dead_merge_after_the_partition_heals() {
    let mut c = Cluster::new(swim_cluster(6, 8, SwimConfig::default())).unwrap();
    c.partition(&[vec![0, 1, 2], vec![3, 4, 5]], crate::net::Direction::Both)
        .unwrap();
    c.step_rounds(60);
    let across = c.node(0).unwrap().swim().unwrap().member(4).unwrap();
    assert_eq!(
        across.state,
        MemberState::Dead,
        "declared dead across the cut"
    );
    c.heal().unwrap();
    c.step_rounds(200);
    for o in 0..6 {
        for m in 0..6 {
            let v = c.node(o).unwrap().swim().unwrap().member(m).unwrap();
            assert_eq!(v.state, MemberState::Alive, "{o} sees {m}");
        }
    }
}
