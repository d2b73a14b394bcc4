//! Peer choice: which members a node gossips with at a gossip tick.
//!
//! Uniform today: `fanout` distinct peers among the *other* members, drawn from the node's own
//! stream with [`Rng::sample_distinct`]. The draw is part of the frozen stream order (every
//! permalink replays it), so a later bias (towards the holders of hot keys, say) is a new
//! choice made by configuration beside this one, never a change to it.

use crate::node::{NodeId, FANOUT_MAX};
use crate::rng::Rng;

/// Writes `fanout` distinct peers, uniform among the members other than `me`, into `out`, and
/// returns how many it wrote (fewer when there are fewer other members). `members` is sorted
/// and may or may not contain `me`.
pub(crate) fn sample(
    rng: &mut Rng,
    members: &[NodeId],
    me: NodeId,
    fanout: u32,
    out: &mut [NodeId; FANOUT_MAX as usize],
) -> usize {
    // `members` is sorted by construction (`Members::new`); checking it here would cost a
    // pass over every member at every gossip tick of every node.
    let pos = members.binary_search(&me);
    let others = members.len() - usize::from(pos.is_ok());
    let mut idx = [0u32; FANOUT_MAX as usize];
    let n = rng.sample_distinct(others as u32, fanout as usize, &mut idx);
    for (o, &i) in out.iter_mut().zip(&idx[..n]) {
        // Index among the others: skip over ourselves.
        let i = match pos {
            Ok(p) if i as usize >= p => i as usize + 1,
            _ => i as usize,
        };
        *o = members[i];
    }
    debug_assert!(
        out[..n].iter().all(|&p| p != me),
        "a node never gossips with itself"
    );
    n
}

#[cfg(test)]
mod tests {
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::time::Tick;
    use alloc::vec::Vec;

    #[test]
    fn fanout_peers_are_distinct_and_never_self() {
        let config = NodeConfig {
            fanout: 3,
            ..NodeConfig::default()
        };
        let mut a = node_with(2, config, 4);
        a.write(Tick(0), b"k", b"v").unwrap();
        for t in 0..50 {
            a.handle_tick(Tick(t * 4));
            let mut to: Vec<NodeId> = sent(&mut a).into_iter().map(|(t, _)| t).collect();
            to.sort_unstable();
            assert_eq!(to, [0, 1, 3]);
        }
    }
}
