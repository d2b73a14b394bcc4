//! Issue 10's performance targets counted in instructions under callgrind, beside the timed
//! `reconcile` and `rateless` benches: the machine this project runs on is shared and loaded,
//! so wall times vary several-fold while callgrind's counts repeat.
//!
//! ```text
//! cargo bench -p gossip-core --bench reconcile_cost --no-run      # prints the binary's path
//! valgrind --tool=callgrind --callgrind-out-file=cg.2x20 <binary> merkle 2 20
//! valgrind --tool=callgrind --callgrind-out-file=cg.1024x2 <binary> merkle 1024 2
//! valgrind --tool=callgrind --callgrind-out-file=cg.rateless <binary> rateless
//! callgrind_annotate --inclusive=yes cg.2x20 | grep -E 'MerkleTree::build|update_path|reconcile_pair'
//! ```
//! `merkle B L`: builds two 2^20-key replicas with a `B`x`L` tree each (`Base::new` then
//! `pair`: read the build off `MerkleTree::build`'s inclusive count, divided by its calls),
//! makes 1,000 single writes each refreshed alone (`update_path`'s count over 1,000 is one
//! update), then one d = 100 repair (`reconcile_pair`'s inclusive count). `rateless`: the
//! same pair without a tree and one rateless d = 100 repair.

use gossip_core::reconcile::trial::Base;
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::time::Tick;

const KEYS: u32 = 1 << 20;
const UPDATES: u32 = 1_000;

fn main() {
    // `cargo bench` passes `--bench`; read only the words after the binary.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let num = |i: usize| -> u32 { args.get(i).and_then(|a| a.parse().ok()).unwrap_or(0) };
    match args.first().map(String::as_str) {
        Some("merkle") => {
            let shape = TreeShape {
                branching: num(1),
                depth: num(2),
            };
            let base = Base::new(KEYS, Some(shape)).expect("a valid shape");
            let (mut a, mut b) = base.pair(100, &mut Rng::stream(1, Stream::Trial, 0));
            let report = reconcile_pair(
                &mut a,
                &mut b,
                Strategy::Merkle(shape),
                ReconcileLimits::large(),
                Tick(3),
            )
            .expect("a repair");
            println!("merkle {}x{}: {report:?}", shape.branching, shape.depth);
            let mut k = 0u32;
            for _ in 0..UPDATES {
                k = (k + 7919) % KEYS;
                a.write(Tick(5), 1, &k.to_be_bytes(), Some(&[1; 8]))
                    .expect("a held key");
                a.refresh_tree();
            }
        }
        Some("rateless") => {
            let base = Base::new(KEYS, None).expect("a valid base");
            let (mut a, mut b) = base.pair(100, &mut Rng::stream(1, Stream::Trial, 0));
            let report = reconcile_pair(
                &mut a,
                &mut b,
                Strategy::Rateless,
                ReconcileLimits::large(),
                Tick(3),
            )
            .expect("a repair");
            println!("rateless: {report:?}");
        }
        _ => eprintln!("usage: reconcile_cost merkle B L | rateless"),
    }
}
