//! The core over real sockets: three nodes on 127.0.0.1 UDP, ticked by the wall clock, spread
//! one write to all of them (the driver is the `udp` example's).

#[path = "../examples/udp/driver.rs"]
#[allow(dead_code)]
mod driver;

use std::time::Duration;

use gossip_core::node::NodeConfig;

use driver::UdpCluster;

#[test]
fn a_write_reaches_every_node_over_real_udp_sockets() {
    // 5 ms ticks, gossip every 4 ticks: push anti-entropy among 3 nodes needs a few rounds
    // (tens of milliseconds); a second is a generous bound for a loaded machine.
    let tick = Duration::from_millis(5);
    let mut c = UdpCluster::bind(3, NodeConfig::default(), 7, tick).unwrap();
    let mut learned = Vec::new();
    let mut record = |_, id, ev: &gossip_core::node::Event| {
        if let gossip_core::node::Event::Learned { key, .. } = ev {
            learned.push((id, key.clone()));
        }
    };
    c.write(0, b"k", b"v", &mut record).unwrap();
    let all_hold = |c: &UdpCluster| (0..3).all(|id| c.node(id).store().value(b"k").is_some());
    let done = c.run_for(Duration::from_secs(1), &mut record, &mut |c| all_hold(c));
    assert!(done, "not every node learned the write: {:?}", c.counters());
    for id in 0..3 {
        assert_eq!(c.node(id).store().value(b"k"), Some(&b"v"[..]));
    }
    // Nodes 1 and 2 learned it from a datagram; nothing was malformed.
    let mut learners: Vec<u32> = learned.iter().map(|(id, _)| *id).collect();
    learners.sort_unstable();
    learners.dedup();
    assert_eq!(learners, [1, 2]);
    assert!(c.counters().datagrams_received > 0);
    assert_eq!(c.counters().datagrams_rejected, 0);
    assert_eq!(c.counters().socket_errors, 0);
}

#[path = "../examples/udp/swim.rs"]
#[allow(dead_code)]
mod swim;

#[test]
fn swim_nodes_join_through_the_first_and_every_live_one_declares_the_killed_one_dead() {
    // A 40 ms period (5 ms ticks): joins take a few periods, a death about 5 to 25 (SWIM's
    // suspicion timeout at 4 members is 4 to 24 periods); the scenario's own bounds (100
    // periods to join, 200 to detect, 4 s and 8 s here) are generous for a loaded machine.
    let scenario = swim::Scenario {
        nodes: 4,
        period: Duration::from_millis(40),
        kill: 2,
        seed: 11,
        verbose: false,
    };
    let out = swim::run(scenario).unwrap();
    assert!(out.joined, "{out:?}");
    assert!(out.detected, "{out:?}");
    let mut declared: Vec<u32> = out.declared.iter().map(|&(id, _)| id).collect();
    declared.sort_unstable();
    declared.dedup();
    assert_eq!(declared, [0, 1, 3], "every live node declared node 2 dead");
    let killed = out.killed_at.unwrap();
    assert!(out.declared.iter().all(|&(_, t)| t > killed));
    assert_eq!(out.false_deaths, [], "no live node declared dead");
}
