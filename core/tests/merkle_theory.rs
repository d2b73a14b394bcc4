//! The Merkle session's hashes against the expected-hash model of `theory::merkle`: for random
//! differences, the mean over seeded trials is within four standard errors of
//! `1 + b * sum_l b^l (1 - (1 - b^-l)^d)` (the derivation is in `core/src/theory/merkle.rs`;
//! the per-level form `b^l (1 - (1 - b^-l)^d)` is the classical occupancy count of `d` balls
//! in `b^l` bins, Feller, *An Introduction to Probability Theory*, vol. 1, ch. II.11).
//! The pairs' unneeded versions (keys sharing a differing leaf) are held to their model too.

use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::stats::Summary;
use gossip_core::theory::merkle::{expected_bucket_sharers, expected_hashes};
use gossip_core::time::Tick;

const KEYS: u32 = 4096;
const TRIALS: u64 = 40;

fn measure(shape: TreeShape, d: u32, seed: u64) -> (Summary, Summary) {
    let base = Base::new(KEYS, Some(shape)).unwrap();
    let strategy = Strategy::Merkle(shape);
    let (mut hashes, mut sharers) = (Vec::new(), Vec::new());
    for t in 0..TRIALS {
        let mut rng = Rng::stream(seed, Stream::Trial, t);
        let (mut a, mut b) = base.pair(d, &mut rng);
        let r =
            reconcile_pair(&mut a, &mut b, strategy, ReconcileLimits::large(), Tick(3)).unwrap();
        assert!(a.store().same_content(b.store()));
        hashes.push(r.hashes() as f64);
        sharers.push((r.initiator.versions_unneeded + r.responder.versions_unneeded) as f64);
    }
    (
        Summary::of(&hashes).unwrap(),
        Summary::of(&sharers).unwrap(),
    )
}

fn within_four_se(what: &str, s: &Summary, expected: f64) {
    // A sample with no spread (every node differs) must hit the model exactly.
    let tolerance = (4.0 * s.se).max(1e-9 * expected);
    assert!(
        (s.mean - expected).abs() <= tolerance,
        "{what}: measured {} (se {}), model {expected}",
        s.mean,
        s.se
    );
}

#[test]
fn merkle_hashes_match_the_expected_hash_model() {
    let shapes = [
        TreeShape {
            branching: 2,
            depth: 12,
        },
        TreeShape {
            branching: 16,
            depth: 3,
        },
    ];
    for (i, shape) in shapes.into_iter().enumerate() {
        for (j, d) in [1u32, 10, 100, 1000].into_iter().enumerate() {
            let (hashes, sharers) = measure(shape, d, 7 + (i * 10 + j) as u64);
            let model = expected_hashes(shape.branching, shape.depth, d.into());
            within_four_se(&format!("hashes {shape:?} d={d}"), &hashes, model);
            let model =
                expected_bucket_sharers(shape.branching, shape.depth, KEYS.into(), d.into());
            within_four_se(&format!("sharers {shape:?} d={d}"), &sharers, model);
        }
    }
}
