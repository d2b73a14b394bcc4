//! Who a node believes is alive: the source of the members it gossips with.
//!
//! A closed set chosen by configuration ([`MembershipConfig`], a field of
//! [`crate::node::NodeConfig`]), held as [`Membership`]:
//! * [`Membership::Oracle`]: the driver tells each node the live members ([`Members`], shared
//!   cheaply between nodes) as a perfect failure detector would, through
//!   [`crate::node::Node::set_members`];
//! * [`Membership::Swim`]: SWIM with Lifeguard ([`swim`]): the node probes, suspects and
//!   declares dead for itself, and learns from others by piggybacked updates and syncs;
//! * [`Membership::Heartbeat`]: heartbeat gossip with a phi accrual failure detector
//!   ([`heartbeat`], Cassandra's way, for comparison): the node pushes its heartbeat table and
//!   convicts members whose heartbeats stop.
//!
//! Both detectors report every change of the node's view of a member as an
//! [`crate::node::Event::Member`] in SWIM's terms ([`swim::MemberView`]), so the simulator's
//! views and detection metrics ([`crate::sim::membership`]) follow either. Heartbeat gossip
//! maps honestly onto two of SWIM's four states: a convicted member is `Dead`, every other
//! member `Alive`, at its generation as the incarnation. It has no suspicion (so its first
//! detection is its conviction) and no graceful leave (no `Left`).
//!
//! Nothing else in the node depends on how the list is obtained: peer choice
//! ([`crate::node::peers`]) and every dissemination strategy read [`Membership::members`] only,
//! so dissemination over SWIM runs on an imperfect view (stale peers after a crash, missing
//! ones after a false death).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::node::NodeId;

pub mod heartbeat;
pub mod swim;

use heartbeat::{HeartbeatConfig, HeartbeatSource};
use swim::{MemberView, Swim, SwimConfig};

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
    /// Heartbeat gossip with a phi accrual failure detector.
    Heartbeat(HeartbeatConfig),
}

/// How a node learns who is alive, and that source's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Membership {
    /// The driver says who is alive ([`crate::node::Node::set_members`]); no failure detection.
    Oracle(Members),
    /// SWIM's own view.
    Swim(Box<Swim>),
    /// Heartbeat gossip's own view.
    Heartbeat(Box<HeartbeatSource>),
}

impl Default for Membership {
    fn default() -> Self {
        Membership::Oracle(Members::default())
    }
}

impl Membership {
    /// The members this node believes alive (it may be one of them): the oracle's list,
    /// SWIM's alive and suspect members, or heartbeat gossip's members not convicted.
    pub fn members(&self) -> &Members {
        match self {
            Membership::Oracle(m) => m,
            Membership::Swim(s) => s.members(),
            Membership::Heartbeat(h) => h.heartbeat().members(),
        }
    }

    /// SWIM's state, if that is the source.
    pub fn swim(&self) -> Option<&Swim> {
        match self {
            Membership::Swim(s) => Some(s),
            _ => None,
        }
    }

    /// Heartbeat gossip's state, if that is the source.
    pub fn heartbeat(&self) -> Option<&HeartbeatSource> {
        match self {
            Membership::Heartbeat(h) => Some(h),
            _ => None,
        }
    }

    /// This node's own incarnation (SWIM's, or heartbeat gossip's generation); `None` with
    /// the oracle.
    pub fn incarnation(&self) -> Option<u32> {
        match self {
            Membership::Oracle(_) => None,
            Membership::Swim(s) => Some(s.incarnation()),
            Membership::Heartbeat(h) => Some(h.heartbeat().incarnation()),
        }
    }

    /// Calls `f` with every member this node holds a view of (itself included), in id order,
    /// in SWIM's terms (see the module docs); nothing with the oracle.
    pub fn for_each_view(&self, mut f: impl FnMut(NodeId, MemberView)) {
        match self {
            Membership::Oracle(_) => {}
            Membership::Swim(s) => s.iter().for_each(|(m, v)| f(m, v)),
            Membership::Heartbeat(h) => h.heartbeat().iter().for_each(|(m, v)| f(m, v)),
        }
    }

    /// The next tick the source needs a tick at (`None` with the oracle).
    pub(crate) fn next_deadline(&self) -> Option<crate::time::Tick> {
        match self {
            Membership::Oracle(_) => None,
            Membership::Swim(s) => Some(s.next_deadline()),
            Membership::Heartbeat(h) => Some(h.next_deadline()),
        }
    }

    /// The driver's view of the live members: the oracle's new list; SWIM and heartbeat
    /// gossip take only the first as their starting table (every member alive at incarnation
    /// or generation 0) and then find out themselves.
    pub(crate) fn set_members(&mut self, members: Members) {
        match self {
            Membership::Oracle(m) => *m = members,
            Membership::Swim(s) => s.seed(&members),
            Membership::Heartbeat(h) => h.seed(&members),
        }
    }
}
