//! Who a node believes is alive: the source of the members it gossips with.
//!
//! A closed set chosen by configuration ([`MembershipConfig`], a field of
//! [`crate::node::NodeConfig`]), held as [`Membership`]:
//! * [`Membership::Oracle`]: the driver tells each node the live members ([`Members`], shared
//!   cheaply between nodes) as a perfect failure detector would, through
//!   [`crate::node::Node::set_members`];
//! * [`Membership::Swim`]: SWIM with Lifeguard ([`swim`]): the node probes, suspects and
//!   declares dead for itself, and learns from others by piggybacked updates and syncs.
//!
//! Nothing else in the node depends on how the list is obtained: peer choice
//! ([`crate::node::peers`]) and every dissemination strategy read [`Membership::members`] only,
//! so dissemination over SWIM runs on an imperfect view (stale peers after a crash, missing
//! ones after a false death).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::node::NodeId;

pub mod swim;

use swim::{Swim, SwimConfig};

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

/// How a node learns who is alive, as configured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum MembershipConfig {
    /// The driver says who is alive; no failure detection (the default: every run before SWIM).
    #[default]
    Oracle,
    /// SWIM with Lifeguard.
    Swim(SwimConfig),
}

/// How a node learns who is alive, and that source's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Membership {
    /// The driver says who is alive ([`crate::node::Node::set_members`]); no failure detection.
    Oracle(Members),
    /// SWIM's own view.
    Swim(Box<Swim>),
}

impl Default for Membership {
    fn default() -> Self {
        Membership::Oracle(Members::default())
    }
}

impl Membership {
    /// The members this node believes alive (it may be one of them): the oracle's list, or
    /// SWIM's alive and suspect members.
    pub fn members(&self) -> &Members {
        match self {
            Membership::Oracle(m) => m,
            Membership::Swim(s) => s.members(),
        }
    }

    /// SWIM's state, if that is the source.
    pub fn swim(&self) -> Option<&Swim> {
        match self {
            Membership::Oracle(_) => None,
            Membership::Swim(s) => Some(s),
        }
    }

    /// The driver's view of the live members: the oracle's new list; SWIM takes only the first
    /// as its starting table (every member alive at incarnation 0) and then finds out itself.
    pub(crate) fn set_members(&mut self, members: Members) {
        match self {
            Membership::Oracle(m) => *m = members,
            Membership::Swim(s) => s.seed(&members),
        }
    }
}
