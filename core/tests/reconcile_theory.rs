//! Every strategy's bytes against the byte models of `theory::reconcile` (derived from the wire
//! formats in `core/src/theory/reconcile.rs`), on the pairs `lab merkle` reconciles
//! (`Base::pair` from `Rng::stream(seed, Trial, t)`, repaired by `reconcile_pair`):
//! * full state and digests send a deterministic number of bytes: exactly the model;
//! * Merkle trees: the mean over seeded trials within four standard errors of the expected
//!   bytes, plus the model's own stated slack for varints of random counts
//!   (`merkle_varint_slack`);
//! * rateless: the mean symbols and bytes within four standard errors of the model's (the
//!   larger of the sample's and the model's own, for a few trials that happen to agree), plus
//!   for bytes the model's stated slack for the symbols' count varints (`rateless_varint_slack`),
//!   inside a batch step and at its boundaries.

use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::stats::Summary;
use gossip_core::theory::reconcile::{
    digest_bytes, full_state_bytes, merkle_bytes, merkle_varint_slack, rateless_bytes_moments,
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
fn rateless_symbols_and_bytes_match_the_model_with_its_doubling_batches() {
    // d = 5 and 10 put the need (about 17 and 33 symbols) right at a batch boundary, where one
    // more batch is sent in about half the repairs; the others lie inside one step.
    for (keys, d) in [
        (4096u32, 1u32),
        (4096, 5),
        (4096, 10),
        (4096, 100),
        (4096, 1000),
        (65_536, 100),
        (1000, 1),
        (1000, 30),
    ] {
        let (bytes, symbols) = measure(keys, SHAPES[0], Strategy::Rateless, d, 5);
        let (sent, sent_sd) = rateless_symbols_sent(d);
        // When every trial happens to send the same batches (no spread in the sample), the
        // standard error is the model's own.
        let root = (TRIALS as f64).sqrt();
        let tolerance = 4.0 * symbols.se.max(sent_sd / root);
        assert!(
            (symbols.mean - sent).abs() <= tolerance,
            "symbols keys={keys} d={d}: measured {} (se {:.2}), model {sent:.2} (sd {sent_sd:.2})",
            symbols.mean,
            symbols.se
        );
        let (model, model_sd) = rateless_bytes_moments(keys, d);
        let tolerance = 4.0 * bytes.se.max(model_sd / root) + rateless_varint_slack(keys, d);
        eprintln!(
            "rateless keys={keys} d={d}: symbols {} model {sent:.1}; bytes {} se {:.1} model {model:.1} tol {tolerance:.1}",
            symbols.mean, bytes.mean, bytes.se
        );
        assert!(
            (bytes.mean - model).abs() <= tolerance,
            "keys={keys} d={d}: measured {} (se {}), model {model}",
            bytes.mean,
            bytes.se
        );
    }
}

// The symbols decoding needs for `items` differing ids split between the sides (`common` shared),
// seed `seed`: the measurement behind `theory::reconcile`'s need table.
fn symbols_needed(items: u64, common: u64, seed: u64) -> u64 {
    use gossip_core::reconcile::rateless::{Decoder, Encoder, ItemKey};
    let mut rng = Rng::stream(seed, Stream::Trial, items);
    let key = ItemKey::draw(&mut rng);
    let shared: Vec<u64> = (0..common).map(|_| rng.next_u64()).collect();
    let only_a: Vec<u64> = (0..items.div_ceil(2)).map(|_| rng.next_u64()).collect();
    let only_b: Vec<u64> = (0..items / 2).map(|_| rng.next_u64()).collect();
    let a = shared.iter().chain(&only_a).copied();
    let b: Vec<u64> = shared.iter().chain(&only_b).copied().collect();
    let mut e = Encoder::new(key, a);
    let mut dec = Decoder::new(key, b).unwrap();
    while !dec.is_done() {
        dec.push(e.produce()).unwrap();
    }
    dec.received()
}

/// The table `theory::reconcile::NEED_MEASURED` copies (mean symbols per item, and the
/// standard deviation over sqrt(items)):
/// `cargo test --release -p gossip-core --test reconcile_theory -- --ignored --nocapture`.
#[test]
#[ignore]
fn rateless_need_by_items() {
    println!("items\tper item\tsd/sqrt(items)\ttrials");
    for (m, trials) in [
        (2u64, 4000u64),
        (4, 4000),
        (10, 4000),
        (20, 3000),
        (50, 2000),
        (100, 1000),
        (200, 600),
        (1000, 200),
        (10_000, 30),
    ] {
        let xs: Vec<f64> = (0..trials)
            .map(|s| symbols_needed(m, 50, s) as f64)
            .collect();
        let s = Summary::of(&xs).unwrap();
        println!(
            "{m}\t{:.4}\t{:.3}\t{trials}",
            s.mean / m as f64,
            s.sd / (m as f64).sqrt()
        );
    }
}
