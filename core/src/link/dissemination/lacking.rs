//! What each node lacks: the newest versions it does not hold, counted against the truth.
//!
//! "Newest" is the merge of every write made so far, as the cluster tracks it
//! ([`Cluster::newest`]: per key, the newest version written that some live node holds or a
//! message in flight carries), never any one node's view. A live node *lacks* a key when it
//! does not hold exactly that version (it holds an older one, or nothing); a crashed node lacks
//! nothing, it is drawn as down. So a run [`Cluster::is_converged`] exactly when no node lacks
//! anything ([`Lacking::nodes_lacking`] is 0).
//!
//! The page shades each node by its count, its inspector lists the keys, and its chart draws
//! the nodes lacking at least one over the rounds; `lab cluster` prints the same count per
//! round, so the two can be compared. Cost: one store look-up per live node and tracked key.

use alloc::vec::Vec;

use crate::node::NodeId;
use crate::sim::Cluster;

/// For every node, how many newest versions it lacks, at one moment of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lacking {
    /// Per node id: newest versions it lacks (0 for a crashed node).
    pub per_node: Vec<u32>,
    /// Keys tracked: the most any node can lack.
    pub keys: u32,
}

impl Lacking {
    /// The counts of `cluster` now.
    pub fn of(cluster: &Cluster) -> Lacking {
        let newest: Vec<_> = cluster.newest().collect();
        let per_node = (0..cluster.len() as NodeId)
            .map(|id| match cluster.node(id) {
                None => 0,
                Some(n) => newest
                    .iter()
                    .filter(|(key, v, _)| n.store().get(key).map(|e| e.version()) != Some(*v))
                    .count() as u32,
            })
            .collect();
        Lacking {
            per_node,
            keys: newest.len() as u32,
        }
    }

    /// Live nodes lacking at least one newest version.
    pub fn nodes_lacking(&self) -> u32 {
        self.per_node.iter().filter(|&&c| c > 0).count() as u32
    }

    /// Newest versions node `id` lacks (0 for an id out of range).
    pub fn count(&self, id: NodeId) -> u32 {
        self.per_node.get(id as usize).copied().unwrap_or(0)
    }
}

/// The keys whose newest version node `id` lacks, in key order (none for a crashed node).
pub fn keys_lacked(cluster: &Cluster, id: NodeId) -> Vec<&[u8]> {
    let Some(n) = cluster.node(id) else {
        return Vec::new();
    };
    cluster
        .newest()
        .filter(|(key, v, _)| n.store().get(key).map(|e| e.version()) != Some(*v))
        .map(|(key, _, _)| key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ClusterConfig;

    #[test]
    fn a_node_lacks_the_newest_versions_it_does_not_hold_and_the_counts_agree_with_convergence() {
        let mut c = Cluster::new(ClusterConfig::new(4, 1)).unwrap();
        c.write(0, b"a", b"1").unwrap();
        c.write(1, b"b", b"1").unwrap();
        let l = Lacking::of(&c);
        assert_eq!(l.keys, 2);
        assert_eq!(l.per_node, [1, 1, 2, 2]);
        assert_eq!(l.nodes_lacking(), 4);
        assert_eq!(keys_lacked(&c, 2), [b"a".as_slice(), b"b".as_slice()]);
        assert_eq!(keys_lacked(&c, 0), [b"b".as_slice()]);
        // An older version is lacking too: node 0 overwrites `a`, the others' copies are old.
        c.run_until_converged(100).unwrap();
        assert_eq!(Lacking::of(&c).nodes_lacking(), 0);
        c.write(0, b"a", b"2").unwrap();
        assert_eq!(Lacking::of(&c).per_node, [0, 1, 1, 1]);
        assert_eq!(keys_lacked(&c, 3), [b"a".as_slice()]);
        assert!(!c.is_converged());
    }
}
