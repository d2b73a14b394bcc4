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
//!
//! # Measured (2026-12-02), and how
//! The machine is shared and loaded, so the figure compared is callgrind's instruction count,
//! which the load does not change; wall time is estimated from it. Built with
//! `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p gossip-core
//! --example swim_run`, then `valgrind --tool=callgrind <target>/release/examples/swim_run
//! 2000 250` (and `10000 100`); `callgrind_annotate --inclusive=yes` for the split.
//!
//! | run | before | after |
//! |---|---|---|
//! | `2000 250`, instructions | 4.11e9 (8.2k per member-period) | 3.80e9 (7.6k) |
//! | `10000 100`, instructions | 2.11e10 (21.1k) | 1.86e10 (18.6k) |
//! | of which once per run (the first probe-list shuffle, 5.4e9; seeding the tables, 1.0e9) | 6.3e9 | 6.4e9 |
//! | so a member-period at N = 10,000 over 1,000 periods, about | 15.5k | 12.9k |
//!
//! Where the saving is, at `2000 250` (9.2M sync entries merged, as many sent): merging a
//! sync took 85 instructions an entry (decoded into an `Update`, checked by a closure) and
//! takes 43 (`sift::skip_stale`: read from the bytes, compared by the packed key); sending
//! took 61 and takes 53 (written in place from the packed entries). What is left at N =
//! 10,000 (memberlist's syncs every 300 periods: about 67 entries sent and 67 merged per
//! member-period, so about 6.4k instructions of syncs): the per-input counter diff
//! (`RoundRecord::add_node`, about 700 a member-period), message decoding and the network,
//! and the probe list's shuffle (about 54 an entry at each wrap, so 540 a member-period over
//! 1,000 periods at N = 10,000).
//!
//! Peak memory, `/usr/bin/time -v swim_run 10000 1000`: 1,617,212 KiB (16.6 bytes per view
//! entry of the 10^8, everything included). Each view entry is 4 bytes in the table
//! (`table::Entry`), 4 in the probe list and 4 in the members cache that dissemination reads
//! (12 bytes); the sync buffers are 8 KiB a node (80 MB). The same run took 41.4 s of user
//! time on this loaded machine (4.1 µs per member-period): the target is not met, because
//! full push-pull syncs (memberlist's, kept by decision) cost about 6k instructions a
//! member-period at this size on their own.

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
