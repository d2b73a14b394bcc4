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
