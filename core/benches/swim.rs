//! The cost of SWIM in the simulator: probing, acks, ping-reqs, piggybacking and syncs.
//!
//! `cargo bench -p gossip-core --bench swim -- --warm-up-time 1 --measurement-time 5`
//!
//! * `period/<nodes>`: one protocol period (one round, 8 ticks) of a steady cluster with 1 %
//!   loss (so some probes go indirect and some suspicions are raised and refuted), after a
//!   warm-up of 20 periods that also pays the first probe-list shuffle; the same cluster keeps
//!   running from iteration to iteration.
//! * `run/1000`: a whole run of 300 periods at 1,000 nodes from creation, a crash included.
//!
//! The target (issue 9): about 1 µs per member per period, so 10 ms a period at 10,000
//! nodes. Peak memory of a whole run: `cargo run --release -p gossip-core --example swim_run
//! -- 10000 1000` under `/usr/bin/time -v`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use gossip_core::node::{MembershipConfig, SwimConfig};
use gossip_core::sim::{Cluster, ClusterConfig};

fn config(nodes: u32) -> ClusterConfig {
    let swim = SwimConfig::default();
    let mut c = ClusterConfig::new(nodes, 42);
    c.ticks_per_round = swim.probe_interval_ticks;
    c.node.gossip_interval_ticks = swim.probe_interval_ticks;
    c.node.membership = MembershipConfig::Swim(swim);
    c.net.link.loss = 0.01;
    c.keys_tracked_max = 1;
    c
}

fn period(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("period");
    group.sample_size(20);
    for nodes in [1000, 10_000] {
        let mut c = Cluster::new(config(nodes)).expect("a valid configuration");
        c.step_rounds(20);
        group.bench_function(nodes.to_string(), |b| {
            b.iter(|| {
                c.step_round();
                black_box(c.last_record().map(|r| r.swim.probes))
            })
        });
    }
    group.finish();
}

fn run(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("run");
    group.sample_size(10);
    group.bench_function("1000", |b| {
        b.iter_batched(
            || config(1000),
            |cfg| {
                let mut c = Cluster::new(cfg).expect("a valid configuration");
                c.step_rounds(10);
                c.crash(500).expect("node 500 is up");
                c.step_rounds(290);
                black_box(c.views().detections().len())
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, period, run);
criterion_main!(benches);
