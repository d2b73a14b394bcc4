//! What is done to a cluster from outside: [`Action`], and why one was refused ([`ActionError`]).
//!
//! Every action is applied at a round start, scheduled ([`Cluster::schedule`]) or directly
//! ([`Cluster::apply`] and its shorthands), and every applied action is kept in the history, so
//! a session can always be replayed. A refused action changes nothing: each error says so. New
//! kinds of action (reads, sessions, injected bytes) are added here, and a letter for each in
//! [`crate::script`] (letters are frozen once released).

use alloc::vec::Vec;
use core::fmt;

use crate::net::{self, Direction, LinkConfig, PartitionError};
use crate::node::{Members, Node, NodeId};
use crate::rng::{Rng, Stream};
use crate::sim::Cluster;
use crate::store::StoreError;
use crate::time::{Round, Tick};

/// Something done to the cluster from outside.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Action {
    /// A client writes `value` under `key` at `node`.
    Write {
        /// The node written to.
        node: NodeId,
        /// The key.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
    },
    /// A client deletes `key` at `node`.
    Delete {
        /// The node written to.
        node: NodeId,
        /// The key.
        key: Vec<u8>,
    },
    /// `node` crashes, losing its state.
    Crash(NodeId),
    /// `node` comes back, empty.
    Restart(NodeId),
    /// The network is cut into groups.
    Partition {
        /// The groups (see [`crate::net`]).
        groups: Vec<Vec<NodeId>>,
        /// Which directions are cut.
        direction: Direction,
    },
    /// The partition is removed.
    Heal,
    /// The directed link `from -> to` gets its own behaviour.
    SetLink {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
        /// Its loss, duplication and latency.
        link: LinkConfig,
    },
    /// Every link without its own behaviour gets this one.
    SetDefaultLink(LinkConfig),
    /// `node` handles its messages and timers `lag_ticks` late from now on (0 = it catches up
    /// and keeps up again); see [`crate::sim::slow`]. At most
    /// [`SLOW_LAG_TICKS_MAX`](crate::sim::SLOW_LAG_TICKS_MAX).
    Slow {
        /// The slow node.
        node: NodeId,
        /// How many ticks behind the real clock its clock runs.
        lag_ticks: u32,
    },
    /// `node` leaves the cluster gracefully (SWIM only, [`crate::node::Node::leave`]): it
    /// tells others it left and stops probing, but stays up and answers.
    Leave(NodeId),
}

/// A rejected action. Every variant leaves the cluster unchanged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ActionError {
    /// No node has this id. State unchanged.
    NoSuchNode(NodeId),
    /// The node is crashed (for writes and crashes). State unchanged.
    NodeDown(NodeId),
    /// The node is already running (for restarts). State unchanged.
    NodeUp(NodeId),
    /// The write was over a store limit. State unchanged.
    Store(StoreError),
    /// The partition was malformed. State unchanged.
    Partition(PartitionError),
    /// The link setting was malformed. State unchanged.
    Link(net::ConfigError),
    /// The schedule already holds `actions_max` actions. State unchanged.
    ScheduleFull {
        /// The limit.
        max: u32,
    },
    /// The history already holds `actions_max` applied actions. State unchanged.
    HistoryFull {
        /// The limit.
        max: u32,
    },
    /// The write is of a key never written before and `keys_tracked_max` distinct keys have
    /// been written already. State unchanged.
    KeysTrackedFull {
        /// The limit.
        max: u32,
    },
    /// A slow node's lag above [`SLOW_LAG_TICKS_MAX`](crate::sim::SLOW_LAG_TICKS_MAX).
    /// State unchanged.
    LagTooLarge {
        /// The lag asked for.
        lag_ticks: u32,
        /// The limit.
        max: u32,
    },
    /// The action needs SWIM and the membership is the oracle. State unchanged.
    NotSwim,
    /// The round has already started. State unchanged.
    RoundPassed {
        /// The round asked for.
        round: Round,
        /// The current tick.
        now: Tick,
    },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NoSuchNode(n) => write!(f, "no node {n}"),
            ActionError::NodeDown(n) => write!(f, "node {n} is down"),
            ActionError::NodeUp(n) => write!(f, "node {n} is already up"),
            ActionError::Store(e) => write!(f, "{e}"),
            ActionError::Partition(e) => write!(f, "{e}"),
            ActionError::Link(e) => write!(f, "{e}"),
            ActionError::ScheduleFull { max } => {
                write!(f, "the schedule already holds actions_max = {max} actions")
            }
            ActionError::HistoryFull { max } => {
                write!(f, "the history already holds actions_max = {max} actions")
            }
            ActionError::KeysTrackedFull { max } => write!(
                f,
                "keys_tracked_max = {max} distinct keys have been written; nothing written"
            ),
            ActionError::LagTooLarge { lag_ticks, max } => {
                write!(
                    f,
                    "a lag of {lag_ticks} ticks is more than the limit of {max}"
                )
            }
            ActionError::NotSwim => write!(f, "the membership is the oracle, not SWIM"),
            ActionError::RoundPassed { round, now } => {
                write!(f, "{round} has already started ({now})")
            }
        }
    }
}

impl Cluster {
    /// Applies `action` now.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        let now = self.now;
        self.forget_wakes();
        if self.history.len() >= self.config.actions_max as usize {
            return Err(ActionError::HistoryFull {
                max: self.config.actions_max,
            });
        }
        match &action {
            Action::Write { node, key, value } => self.do_write(*node, key, Some(value))?,
            Action::Delete { node, key } => self.do_write(*node, key, None)?,
            Action::Crash(n) => self.do_crash(*n)?,
            Action::Restart(n) => self.do_restart(*n)?,
            Action::Partition { groups, direction } => self
                .net
                .partition(groups, *direction)
                .map_err(ActionError::Partition)?,
            Action::Heal => self.net.heal(),
            Action::SetLink { from, to, link } => {
                self.slot(*from)?;
                self.slot(*to)?;
                self.net
                    .set_link(*from, *to, *link)
                    .map_err(ActionError::Link)?
            }
            Action::SetDefaultLink(link) => self
                .net
                .set_default_link(*link)
                .map_err(ActionError::Link)?,
            Action::Slow { node, lag_ticks } => self.do_slow(*node, *lag_ticks)?,
            Action::Leave(n) => self.swim_leave(*n)?,
        }
        self.current.actions_applied += 1;
        self.history.push((now, action));
        debug_assert!(self.history.len() <= self.config.actions_max as usize);
        Ok(())
    }

    /// A client writes `value` under `key` at `node`, now.
    pub fn write(&mut self, node: NodeId, key: &[u8], value: &[u8]) -> Result<(), ActionError> {
        self.apply(Action::Write {
            node,
            key: key.to_vec(),
            value: value.to_vec(),
        })
    }

    /// A client deletes `key` at `node`, now.
    pub fn delete(&mut self, node: NodeId, key: &[u8]) -> Result<(), ActionError> {
        self.apply(Action::Delete {
            node,
            key: key.to_vec(),
        })
    }

    /// Node `n` crashes now.
    pub fn crash(&mut self, n: NodeId) -> Result<(), ActionError> {
        self.apply(Action::Crash(n))
    }

    /// Node `n` restarts now, empty.
    pub fn restart(&mut self, n: NodeId) -> Result<(), ActionError> {
        self.apply(Action::Restart(n))
    }

    /// Cuts the network into `groups` now.
    pub fn partition<G: AsRef<[NodeId]>>(
        &mut self,
        groups: &[G],
        direction: Direction,
    ) -> Result<(), ActionError> {
        let groups = groups.iter().map(|g| g.as_ref().to_vec()).collect();
        self.apply(Action::Partition { groups, direction })
    }

    /// Removes the partition now (fails only when the history is full).
    pub fn heal(&mut self) -> Result<(), ActionError> {
        self.apply(Action::Heal)
    }

    pub(crate) fn slot(&mut self, n: NodeId) -> Result<&mut Option<Node>, ActionError> {
        self.nodes
            .get_mut(n as usize)
            .ok_or(ActionError::NoSuchNode(n))
    }

    fn do_write(
        &mut self,
        id: NodeId,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(), ActionError> {
        let now = self.now;
        let max = self.config.keys_tracked_max;
        let full = self.coverage.is_full_for(key, max);
        let node = self.slot(id)?.as_mut().ok_or(ActionError::NodeDown(id))?;
        if full {
            return Err(ActionError::KeysTrackedFull { max });
        }
        let held = node.store().get(key).map(|e| e.version());
        let version = match value {
            Some(v) => node.write(now, key, v),
            None => node.delete(now, key),
        };
        // A local write decodes nothing, so a store limit is the only way it can fail.
        let version = version.map_err(ActionError::Store)?;
        let tombstone = value.is_none();
        self.coverage.wrote(id, key, version, held, tombstone);
        let (round, nodes) = (self.round(), self.nodes.len());
        let tracked_max = self.config.updates_tracked_max;
        self.coverage
            .track((id, key, version, tombstone), round, nodes, tracked_max);
        Ok(())
    }

    // Node `n` crashes: its state is gone, and with it what it held.
    fn do_crash(&mut self, n: NodeId) -> Result<(), ActionError> {
        let slot = self.slot(n)?;
        let Some(node) = slot.take() else {
            return Err(ActionError::NodeDown(n));
        };
        self.coverage.forget(&self.nodes, n, &node);
        // What waited in a slow node's queue reached a node that is now down.
        for m in self.slow.crashed(n) {
            self.current.messages_to_down += 1;
            self.net.recycle(m.bytes);
        }
        let round = self.round().0 as u32;
        self.views.crashed(&node, round);
        self.refresh_members();
        Ok(())
    }

    // Node `n` comes back empty, drawing from a fresh stream (see "Crash and restart" in
    // `crate::sim`).
    fn do_restart(&mut self, id: NodeId) -> Result<(), ActionError> {
        if self.slot(id)?.is_some() {
            return Err(ActionError::NodeUp(id));
        }
        self.incarnations[id as usize] += 1;
        let index = u64::from(id) | u64::from(self.incarnations[id as usize]) << 32;
        let rng = Rng::stream(self.config.seed, Stream::Node, index);
        // `Cluster::new` validated this very configuration (it is private and never changes
        // after), and `Node::new` fails only on an invalid one.
        let node = Node::new(id, self.config.node, rng)
            .expect("the node configuration was validated by Cluster::new");
        self.nodes[id as usize] = Some(node);
        self.refresh_members();
        if self.is_swim() {
            self.swim_rejoin(id);
        }
        Ok(())
    }

    fn refresh_members(&mut self) {
        let live = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_some())
            .map(|(i, _)| i as NodeId);
        self.members = Members::new(live);
        // SWIM finds out by itself: only the oracle is told.
        if self.is_swim() {
            return;
        }
        for n in self.nodes.iter_mut().flatten() {
            n.set_members(self.members.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::{Cluster, ClusterConfig};
    use alloc::format;

    #[test]
    fn a_restarted_node_draws_from_a_fresh_stream() {
        let mut c = Cluster::new(ClusterConfig::new(3, 0)).unwrap();
        let first = format!("{:?}", c.node(1).unwrap());
        c.crash(1).unwrap();
        c.restart(1).unwrap();
        // Same id, same (empty) state, different random stream.
        assert_ne!(first, format!("{:?}", c.node(1).unwrap()));
    }
}
