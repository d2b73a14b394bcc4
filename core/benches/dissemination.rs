//! Criterion benchmarks of the dissemination kernel (`core/src/epidemic.rs`).
//!
//! `cargo bench -p gossip-core --bench dissemination` (add `-- --quick` or a filter to shorten).
//! Throughput is reported in nodes: for `round/*` one element is one node for one round, so
//! criterion's `elem/s` is the inverse of the ns per node per round. `numpy_peer.py` next to this
//! file times the same model in numpy for comparison. Every bench runs on one core except
//! `trials/PushPull/1000x1000/2-threads`, which splits the sweep over two threads.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gossip_core::kernel::epidemic::{KernelConfig, KernelMode, KernelSpread, Trials};
use gossip_core::rng::Probability;

const SIZES: [u32; 3] = [1_000, 100_000, 1_000_000];

fn config(nodes: u32, mode: KernelMode) -> KernelConfig {
    KernelConfig {
        nodes,
        fanout: 1,
        mode,
        loss: Probability::NEVER,
        seed: 42,
    }
}

/// A spread advanced until half the nodes know the rumor: the middle of a run, where push and
/// pull both do real work (every node acts in push-pull whatever the state).
fn half_way(nodes: u32, mode: KernelMode) -> KernelSpread {
    let mut s = KernelSpread::new(config(nodes, mode)).unwrap();
    while s.informed_count() < nodes / 2 {
        s.step();
    }
    s
}

fn one_round(c: &mut Criterion) {
    let mut g = c.benchmark_group("round");
    for mode in [KernelMode::PushPull, KernelMode::Push, KernelMode::Pull] {
        for n in SIZES {
            g.throughput(Throughput::Elements(u64::from(n)));
            let base = half_way(n, mode);
            g.bench_function(format!("{mode:?}/{n}"), |b| {
                // Cloning the state (2 bitsets) is outside the timed routine.
                b.iter_batched_ref(
                    || base.clone(),
                    |s| black_box(s.step()),
                    BatchSize::LargeInput,
                )
            });
        }
    }
    g.finish();
}

fn full_spread(c: &mut Criterion) {
    let mut g = c.benchmark_group("spread");
    for n in SIZES {
        let mut s = KernelSpread::new(config(n, KernelMode::PushPull)).unwrap();
        let mut seed = 0u64;
        g.bench_function(format!("PushPull/{n}"), |b| {
            b.iter(|| {
                seed += 1;
                s.reset(seed);
                assert!(s.run_to_completion(1000));
                black_box(s.round())
            })
        });
    }
    g.finish();
}

fn lab_trials(c: &mut Criterion) {
    let mut g = c.benchmark_group("trials");
    g.bench_function("PushPull/1000x1000", |b| {
        b.iter(|| {
            let mut t = Trials::new(config(1000, KernelMode::PushPull), 1000, 1000).unwrap();
            black_box(t.run())
        })
    });
    // What the lab runner does with `--threads 2`: each thread runs half of the trial indices
    // with its own buffers (`Trials::run_range`), and the outcomes are joined in index order.
    // It uses 2 cores; the numpy peer uses 1.
    g.bench_function("PushPull/1000x1000/2-threads", |b| {
        b.iter(|| {
            let halves = std::thread::scope(|s| {
                let spawn = |range: std::ops::Range<u32>| {
                    s.spawn(move || {
                        let mut t =
                            Trials::new(config(1000, KernelMode::PushPull), 1000, 1000).unwrap();
                        t.run_range(range, |_, _| {})
                    })
                };
                let (a, b) = (spawn(0..500), spawn(500..1000));
                [a.join().unwrap(), b.join().unwrap()]
            });
            black_box(halves)
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = one_round, full_spread, lab_trials
}
criterion_main!(benches);
