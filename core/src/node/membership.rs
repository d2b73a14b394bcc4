//! Who a node believes is alive: the source of the members it gossips with.
//!
//! A closed set chosen by construction, [`Membership`]: today only the oracle, where the driver
//! tells each node the live members ([`Members`], shared cheaply between nodes) as a perfect
//! failure detector would, through [`crate::node::Node::set_members`].
//!
//! # The seam for SWIM
//! Nothing else in the node depends on how the list is obtained: peer choice
//! ([`crate::node::peers`]) and every dissemination strategy read [`Membership::members`] only.
//! A SWIM variant (`Membership::Swim(..)`) will own its own state (incarnations, suspicions,
//! probe timers), its message bodies (a row of [`crate::wire::KINDS`] each) and its counters,
//! and get arms in the node's entry points beside the dissemination's: a gossip tick to probe,
//! a received probe or ack to answer, its timers in [`crate::node::Node::poll_timeout`]. It
//! exposes the members it believes alive through the same [`Membership::members`].

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::node::NodeId;

/// A membership list: sorted, without duplicates, and cheap to clone (shared), so a cluster of
/// 10,000 nodes does not hold 10,000 copies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Members(Arc<[NodeId]>);

impl Members {
    /// The members in `ids`, sorted and deduplicated.
    pub fn new(ids: impl IntoIterator<Item = NodeId>) -> Members {
        let mut v: Vec<NodeId> = ids.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Members(v.into())
    }

    /// The members in ascending order.
    pub fn as_slice(&self) -> &[NodeId] {
        &self.0
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `id` is a member.
    pub fn contains(&self, id: NodeId) -> bool {
        self.0.binary_search(&id).is_ok()
    }
}

/// How a node learns who is alive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Membership {
    /// The driver says who is alive ([`crate::node::Node::set_members`]); no failure detection.
    Oracle(Members),
}

impl Default for Membership {
    fn default() -> Self {
        Membership::Oracle(Members::default())
    }
}

impl Membership {
    /// The members this node believes alive (it may be one of them).
    pub fn members(&self) -> &Members {
        match self {
            Membership::Oracle(m) => m,
        }
    }

    /// The oracle's new view of the live members.
    pub(crate) fn set_members(&mut self, members: Members) {
        match self {
            Membership::Oracle(m) => *m = members,
        }
    }
}
