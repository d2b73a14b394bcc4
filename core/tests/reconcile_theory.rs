//! Every strategy's bytes against the byte models of `theory::reconcile` (derived from the wire
//! formats in `core/src/theory/reconcile.rs`), on the pairs `lab merkle` reconciles
//! (`Base::pair` from `Rng::stream(seed, Trial, t)`, repaired by `reconcile_pair`):
//! * full state and digests send a deterministic number of bytes: exactly the model;
//! * Merkle trees: the mean over seeded trials within four standard errors of the expected
//!   bytes, plus the model's own stated slack for varints of random counts
//!   (`merkle_varint_slack`);
//! * rateless: exactly the model's symbols, and the mean bytes within four standard errors plus
//!   the model's stated slack for the symbols' count varints (`rateless_varint_slack`), at
//!   differences whose need lies well inside one batch step (d = 1, 100, 1,000: the module
//!   docs say why the mean falls between steps near one).

use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::stats::Summary;
use gossip_core::theory::reconcile::{
    digest_bytes, full_state_bytes, merkle_bytes, merkle_varint_slack, rateless_bytes,
    rateless_symbols_sent, rateless_varint_slack,
};
use gossip_core::time::Tick;

const TRIALS: u64 = 20;

// Bytes and symbols of `TRIALS` repairs of pairs differing in `d` keys.
fn measure(
    keys: u32,
    shape: TreeShape,
    strategy: Strategy,
    d: u32,
    seed: u64,
) -> (Summary, Summary) {
    let base = Base::new(keys, Some(shape)).unwrap();
    let (mut bytes, mut symbols) = (Vec::new(), Vec::new());
    for t in 0..TRIALS {
        let (mut a, mut b) = base.pair(d, &mut Rng::stream(seed, Stream::Trial, t));
        let r =
            reconcile_pair(&mut a, &mut b, strategy, ReconcileLimits::large(), Tick(3)).unwrap();
        assert!(a.store().same_content(b.store()));
        bytes.push(r.bytes() as f64);
        symbols.push((r.initiator.symbols_sent + r.responder.symbols_sent) as f64);
    }
    (Summary::of(&bytes).unwrap(), Summary::of(&symbols).unwrap())
}

const SHAPES: [TreeShape; 2] = [
    TreeShape {
        branching: 2,
        depth: 12,
    },
    TreeShape {
        branching: 16,
        depth: 3,
    },
];

#[test]
fn full_state_and_digest_bytes_equal_their_exact_models() {
    for keys in [16u32, 1000, 4096] {
        for d in [0u32, 1, 2, 3, 10, 100, 1000, 4096] {
            let d = d.min(keys);
            let (full, _) = measure(keys, SHAPES[0], Strategy::Full, d, 3);
            let (digest, _) = measure(keys, SHAPES[0], Strategy::Digest, d, 3);
            assert_eq!(
                full.mean,
                full_state_bytes(keys, d) as f64,
                "full keys={keys} d={d}"
            );
            assert_eq!(full.sd, 0.0);
            assert_eq!(
                digest.mean,
                digest_bytes(keys, d) as f64,
                "digest keys={keys} d={d}"
            );
            assert_eq!(digest.sd, 0.0);
        }
    }
}

#[test]
fn merkle_bytes_match_the_expected_byte_model() {
    for (i, shape) in SHAPES.into_iter().enumerate() {
        for (keys, d) in [
            (4096u32, 1u32),
            (4096, 10),
            (4096, 100),
            (4096, 1000),
            (1000, 50),
        ] {
            let (bytes, _) = measure(keys, shape, Strategy::Merkle(shape), d, 11 + i as u64);
            let model = merkle_bytes(shape, keys, d);
            let tolerance = 4.0 * bytes.se + merkle_varint_slack(shape, d);
            eprintln!(
                "merkle {shape:?} keys={keys} d={d}: measured {} se {:.1} model {model:.1} tol {tolerance:.1}",
                bytes.mean, bytes.se
            );
            assert!(
                (bytes.mean - model).abs() <= tolerance,
                "{shape:?} keys={keys} d={d}: measured {} (se {}), model {model}, tolerance {tolerance}",
                bytes.mean,
                bytes.se
            );
        }
    }
}

#[test]
fn rateless_bytes_match_the_model_with_its_doubling_batches() {
    for (keys, d) in [
        (4096u32, 1u32),
        (4096, 100),
        (4096, 1000),
        (65_536, 100),
        (1000, 1),
    ] {
        let (bytes, symbols) = measure(keys, SHAPES[0], Strategy::Rateless, d, 5);
        let sent = rateless_symbols_sent(d);
        assert_eq!(symbols.mean, sent as f64, "symbols keys={keys} d={d}");
        let model = rateless_bytes(keys, d);
        let tolerance = 4.0 * bytes.se + rateless_varint_slack(keys, d);
        assert!(
            (bytes.mean - model).abs() <= tolerance,
            "keys={keys} d={d}: measured {} (se {}), model {model}",
            bytes.mean,
            bytes.se
        );
        eprintln!(
            "rateless keys={keys} d={d}: measured {} se {:.2} model {model:.1} tol {tolerance:.1}",
            bytes.mean, bytes.se
        );
    }
}
