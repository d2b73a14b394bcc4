//! The cost of the protocol engine (`sim::Cluster` driving `node::Node`s over `net::Network`).
//!
//! `cargo bench -p gossip-core --bench engine -- --warm-up-time 1 --measurement-time 3`
//!
//! * `step_round/<protocol>/<nodes>`: one round (4 ticks) from the state in which the newest
//!   version of one key has reached about half the nodes, the busiest moment of a spread. Each
//!   iteration starts from a fresh clone of that state (cloning is not timed).
//! * `spread/anti_entropy_push_pull/1000`: a whole spread, from the write until every node holds
//!   it.
//! * `views/<nodes>`: what a renderer asks for every frame at the same mid-spread state: every
//!   node's view of the key, and every message in flight.
//!
//! The browser's budget is a frame (16.7 ms) for a step and a draw at 60 frames per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use gossip_core::node::{Exchange, Mode, RumorConfig, RumorFeedback, RumorStop};
use gossip_core::sim::{Cluster, ClusterConfig};

const KEY: &[u8] = b"k";

fn push_pull() -> Mode {
    Mode::AntiEntropy(Exchange::PushPull)
}

fn rumor_push() -> Mode {
    Mode::Rumor(RumorConfig {
        exchange: Exchange::Push,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(2),
    })
}

fn written(nodes: u32, mode: Mode) -> Cluster {
    let mut config = ClusterConfig::new(nodes, 42);
    config.node.mode = mode;
    let mut c = Cluster::new(config).expect("a valid configuration");
    c.write(0, KEY, b"value").expect("node 0 is up");
    c
}

/// The cluster at the end of the first round after which at least half the nodes hold the key.
fn half_spread(nodes: u32, mode: Mode) -> Cluster {
    let mut c = written(nodes, mode);
    for _ in 0..200 {
        if c.holders(KEY) >= nodes / 2 {
            return c;
        }
        c.step_round();
    }
    panic!("{mode:?} did not reach half of {nodes} nodes in 200 rounds");
}

fn step_round(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("step_round");
    for (name, mode) in [
        ("anti_entropy_push_pull", push_pull()),
        ("rumor_push", rumor_push()),
    ] {
        for nodes in [1_000u32, 10_000] {
            let start = half_spread(nodes, mode);
            group.bench_function(format!("{name}/{nodes}"), |b| {
                b.iter_batched(
                    || start.clone(),
                    |mut c| {
                        c.step_round();
                        c
                    },
                    BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
}

fn spread(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("spread");
    let start = written(1_000, push_pull());
    group.bench_function("anti_entropy_push_pull/1000", |b| {
        b.iter_batched(
            || start.clone(),
            |mut c| {
                let rounds = c.run_until_converged(100);
                assert!(rounds.is_some());
                (c, rounds)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn views(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("views");
    for nodes in [1_000u32, 10_000] {
        let c = half_spread(nodes, push_pull());
        let mut node_views = Vec::new();
        let mut message_views = Vec::new();
        group.bench_function(format!("nodes/{nodes}"), |b| {
            b.iter(|| {
                c.node_views(black_box(KEY), &mut node_views);
                node_views.len()
            })
        });
        // Messages are in flight only inside a round: look one tick in.
        let mut c = c.clone();
        c.step_tick();
        group.bench_function(format!("messages/{nodes}"), |b| {
            b.iter(|| {
                c.message_views(black_box(KEY), &mut message_views);
                message_views.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, step_round, spread, views);
criterion_main!(benches);
