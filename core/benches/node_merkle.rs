//! What one Merkle anti-entropy session costs a node, in instructions (counted, not timed: the
//! machine this project runs on is shared and loaded, and callgrind's count does not care).
//!
//! ```text
//! cargo bench -p gossip-core --bench node_merkle --no-run        # prints the binary's path
//! valgrind --tool=callgrind <binary> 20000 0   # keys, rounds: the setup alone
//! valgrind --tool=callgrind <binary> 20000 10  # the setup and 10 rounds
//! ```
//! Two nodes with Merkle anti-entropy (16x3 tree) every gossip interval; node 0 writes `keys`
//! keys, a first sync copies them to node 1, then each round node 0 writes one new key and
//! both nodes start one session (so 2 sessions a round, 20 in 10 rounds). Only reconcile
//! messages are delivered, so every repair is anti-entropy's. Compare the inclusive counts of
//! `reconcile::Session::step` and `reconcile::merkle::tree::MerkleTree::build`
//! (`callgrind_annotate --inclusive=yes`) between the two runs and divide by the sessions; the
//! program total also counts dissemination's rumor sends, which never stop here (no message
//! of theirs is delivered) and are not anti-entropy's cost. The figures are in the module docs
//! of `gossip_core::node::anti_entropy`.

use gossip_core::node::*;
use gossip_core::reconcile::{ReconcileLimits, Strategy, TreeShape};
use gossip_core::rng::{Rng, Stream};
use gossip_core::store::StoreLimits;
use gossip_core::time::Tick;
use gossip_core::wire::MessageKind;

fn main() {
    // `cargo bench` passes `--bench`; only numbers are read.
    let args: Vec<u64> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let keys = args.first().copied().unwrap_or(20_000);
    let rounds = args.get(1).copied().unwrap_or(10);
    let mut nodes = pair();
    for k in 0..keys {
        let key = format!("key{k:08}");
        nodes[0].write(Tick(0), key.as_bytes(), b"value").unwrap();
    }
    let mut t = 0;
    // The first sync: both sides' first sessions.
    for _ in 0..2 {
        round(&mut nodes, &mut t);
    }
    assert!(nodes[0].store().same_content(nodes[1].store()));
    let started = |nodes: &[Node]| -> u64 {
        let c = nodes
            .iter()
            .map(|n| n.counters().anti_entropy.sessions_started);
        c.sum()
    };
    let before = started(&nodes);
    for r in 0..rounds {
        let key = format!("new{r:08}");
        nodes[0].write(Tick(t), key.as_bytes(), b"v").unwrap();
        round(&mut nodes, &mut t);
    }
    assert!(nodes[0].store().same_content(nodes[1].store()));
    let sessions = started(&nodes) - before;
    println!("keys {keys}, rounds {rounds}, sessions measured {sessions}");
}

fn pair() -> Vec<Node> {
    let config = NodeConfig {
        mode: Mode::Rumor(RumorConfig {
            exchange: Exchange::Push,
            feedback: RumorFeedback::Feedback,
            stop: RumorStop::Counter(1),
        }),
        store: StoreLimits {
            keys_max: 1 << 20,
            ..StoreLimits::default()
        },
        anti_entropy: Some(AntiEntropyConfig {
            strategy: Strategy::Merkle(TreeShape {
                branching: 16,
                depth: 3,
            }),
            every_intervals: 1,
            limits: ReconcileLimits::large(),
            ..AntiEntropyConfig::default()
        }),
        ..NodeConfig::default()
    };
    (0..2)
        .map(|id| {
            let mut n = Node::new(id, config, Rng::stream(7, Stream::Node, id.into())).unwrap();
            n.set_members(Members::new(0..2));
            n
        })
        .collect()
}

// One round (one gossip interval of 4 ticks); reconcile messages are delivered in the tick
// they are sent until none is left, every other message is dropped.
fn round(nodes: &mut [Node], t: &mut u64) {
    let mut buf = Vec::new();
    for _ in 0..4 {
        let now = Tick(*t);
        let mut flying = Vec::new();
        for n in nodes.iter_mut() {
            n.handle_tick(now);
            drain(n, &mut buf, &mut flying);
        }
        while !flying.is_empty() {
            for (from, to, bytes) in std::mem::take(&mut flying) {
                let n = &mut nodes[to as usize];
                n.handle_message(now, from, &bytes).unwrap();
                drain(n, &mut buf, &mut flying);
            }
        }
        *t += 1;
    }
}

fn drain(n: &mut Node, buf: &mut Vec<u8>, flying: &mut Vec<(NodeId, NodeId, Vec<u8>)>) {
    while let Some(tx) = n.poll_transmit(buf) {
        if tx.kind == MessageKind::Reconcile {
            flying.push((n.id(), tx.to, buf.clone()));
        }
    }
    while n.poll_event().is_some() {}
}
