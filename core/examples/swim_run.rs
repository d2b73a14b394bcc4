//! A whole SWIM run at scale, for its time and peak memory:
//! `cargo run --release -p gossip-core --example swim_run -- <nodes> <periods> [push-pull
//! ticks]` (defaults 10,000, 1,000 and memberlist's 240 = 30 periods before scaling; 0 turns
//! periodic syncs off), under `/usr/bin/time -v` for the peak. 1 % loss, one crash at period
//! 10; prints the time per member per period and what the cluster saw.

use std::time::Instant;

use gossip_core::node::{MembershipConfig, SwimConfig};
use gossip_core::sim::{Cluster, ClusterConfig};

fn main() {
    let arg = |i: usize, default: u32| {
        std::env::args()
            .nth(i)
            .map_or(default, |s| s.parse().expect("a number"))
    };
    let (nodes, periods) = (arg(1, 10_000), arg(2, 1000).max(11));
    let swim = SwimConfig {
        push_pull_interval_ticks: arg(3, SwimConfig::default().push_pull_interval_ticks),
        ..SwimConfig::default()
    };
    let mut config = ClusterConfig::new(nodes, 1);
    config.ticks_per_round = swim.probe_interval_ticks;
    config.node.gossip_interval_ticks = swim.probe_interval_ticks;
    config.node.membership = MembershipConfig::Swim(swim);
    config.net.link.loss = 0.01;
    config.keys_tracked_max = 1;
    let start = Instant::now();
    let mut c = Cluster::new(config).expect("a valid configuration");
    c.step_rounds(10);
    c.crash(nodes / 2).expect("the node is up");
    c.step_rounds(periods - 10);
    let secs = start.elapsed().as_secs_f64();
    let per = secs * 1e6 / (f64::from(nodes) * f64::from(periods));
    let sum = |f: fn(&gossip_core::sim::RoundRecord) -> u64| c.records().map(f).sum::<u64>();
    let cells = f64::from(nodes) * f64::from(periods.min(4096));
    println!("{nodes} nodes, {periods} periods: {secs:.2} s, {per:.3} us per member per period");
    println!(
        "messages per member per period {:.3}, bytes {:.1}",
        sum(|r| r.swim.messages_sent) as f64 / cells,
        sum(|r| r.swim.bytes_sent) as f64 / cells
    );
    println!(
        "false suspicions {}, false deaths {}, detections {:?}",
        sum(|r| r.membership.false_suspicions),
        sum(|r| r.membership.false_deaths),
        c.views().detections()
    );
}
