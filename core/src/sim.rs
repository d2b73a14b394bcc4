//! The deterministic cluster simulator: N sans-IO nodes, one simulated network, one clock.
//!
//! A run is a pure function of `(ClusterConfig, actions)`: the seed in the config names every
//! random stream (each node's `Rng::stream(seed, Stream::Node, id)`, the network's
//! `Rng::stream(seed, Stream::Network, 0)`), and actions are applied at round starts in the
//! order they were scheduled. Replaying the same config and action list gives byte-identical
//! per-round records; that is what lets an app record user actions and share a permalink.
//!
//! # One tick
//! [`Cluster::step_tick`] at tick `t`:
//! 1. if `t` starts round r, apply the actions scheduled for round r, in scheduling order;
//! 2. deliver every message due at `t` in send order, each followed by draining that node's
//!    outbox into the network and its events into the records;
//! 3. call `handle_tick(t)` on every live node in id order, draining each after the call;
//! 4. if `t` was the last tick of its round, append that round's [`RoundRecord`].
//!
//! An action applied directly (e.g. [`Cluster::write`]) between rounds has the effect of
//! scheduling it for the round about to start *ahead of* the actions already scheduled for that
//! round: it applies now, and they apply at the next [`Cluster::step_tick`] (scheduling it
//! instead would put it after them, which differs when, say, both write one key). Every
//! applied action is kept in [`Cluster::history`] with its tick, so a session can always be
//! replayed (in history order).
//!
//! # Coverage
//! Per key the cluster keeps the *newest version held or in flight* and how many live nodes
//! hold it, updated at every change (a write, a `Learned` event, a collected tombstone, a
//! crash), so [`Cluster::holders`], [`Cluster::is_converged`] and the per-round
//! [`KeyCoverage`] cost O(keys), not O(nodes × keys). Debug builds check the counts against a
//! full scan at every round end.
//!
//! "Newest" is the newest version written while some live node holds it. When the last live
//! holder of the tracked version lets it go, the cluster rescans the live nodes once for that
//! key (O(nodes), only at that moment) and tracks instead:
//! * the newest version any live node still holds, with its holders; or
//! * nothing at all: the key is dropped from tracking, from [`Cluster::newest`] and from the
//!   per-round coverage, and no longer counts for [`Cluster::is_converged`].
//!
//! The two ways a tracked version loses its last holder:
//! * **A collected tombstone.** Every holder drops a tombstone at the same gossip tick (see
//!   [`crate::store`]), so after that tick a delete is *covered* by holding nothing: if no live
//!   node holds any version of the key, the key leaves tracking and the cluster can converge.
//!   A live node that never received the delete and still holds an older value makes that
//!   value the tracked newest; the coverage then shows the value being resurrected as it
//!   spreads back, and the cluster converges on it (the hazard `crate::store` describes).
//! * **A lost write.** If every node that held the newest version crashes before it spreads,
//!   the version is lost: the newest version among live nodes (or nothing) is tracked instead,
//!   so [`Cluster::run_until_converged`] can return. A message already in flight may still
//!   bring the lost version back: a node that learns a version newer than the tracked one
//!   makes it the tracked newest, with itself as its one holder.
//!
//! # Views for a renderer
//! [`Cluster::node_views`] and [`Cluster::message_views`] fill caller-owned vectors, so a
//! renderer that keeps them between frames allocates nothing per frame. A node view says, for
//! one chosen key, whether the node is up, whether it holds the newest version, its epidemic
//! state (susceptible, infective, removed) and the round it learned what it holds. A message
//! view says who sends what to whom, when it left and when it arrives, and whether it brings the
//! receiver something new about the key. To animate messages inside a round, step one tick at a
//! time and draw each frame at the fractional tick `now - 1 + f`, where `f` in `[0, 1)` is how
//! far the frame is towards the next [`Cluster::step_tick`] ([`MessageView::progress`]).
//!
//! # Permalinks
//! [`crate::script`] writes the schedule ([`Cluster::scheduled`]) as URL-safe text and reads it
//! back; scheduling the decoded actions on a cluster of the same configuration replays the run.
//!
//! # Crash and restart
//! Membership is an oracle ([`crate::node::Members`]): a crash removes the node from every
//! live node's view at once, so no suspicion or failure detection is modelled yet. A crashed
//! node's state is gone; messages to it are dropped (counted as `messages_to_down`), messages it
//! sent before crashing still arrive. [`Cluster::restart`] brings it back *empty*, drawing from
//! a fresh stream `Rng::stream(seed, Stream::Node, id | incarnation << 32)` (incarnation 0 is the
//! plain node stream), and it relearns everything by gossip.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::codec;
use crate::net::{
    self, Direction, InFlight, LinkConfig, NetConfig, NetCounters, Network, PartitionError, Sent,
};
use crate::node::{self, Event, Members, Node, NodeConfig, NodeId, RumorState};
use crate::rng::{Rng, Stream};
use crate::store::{StoreError, Version};
use crate::time::{Round, Tick, TICKS_PER_ROUND_MAX};
use crate::wire::{CodecLimits, MessageKind};

/// The largest cluster.
pub const NODES_MAX: u32 = 100_000;
/// Upper bound for [`ClusterConfig::records_max`].
pub const RECORDS_LIMIT: u32 = 1 << 20;
/// Upper bound for [`ClusterConfig::actions_max`].
pub const ACTIONS_LIMIT: u32 = 1 << 20;
/// Upper bound for [`ClusterConfig::updates_tracked_max`].
pub const UPDATES_TRACKED_LIMIT: u32 = 1 << 16;
/// Upper bound for `updates_tracked_max * nodes`: every tracked update keeps one learning round
/// (4 bytes) per node, so this caps that table at 64 MiB, whatever a permalink asks for.
pub const TRACKED_CELLS_LIMIT: u64 = 1 << 24;
/// Upper bound for [`ClusterConfig::keys_tracked_max`].
pub const KEYS_TRACKED_LIMIT: u32 = 1 << 16;
/// Upper bound for `records_max * keys_tracked_max`: every kept [`RoundRecord`] copies the
/// coverage of every tracked key, so this caps the kept coverage at about 2^20 entries.
pub const COVERAGE_CELLS_LIMIT: u64 = 1 << 20;

const NEVER: u32 = u32::MAX;

/// Everything a run is made of, besides its actions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterConfig {
    /// The seed every random stream is derived from.
    pub seed: u64,
    /// Number of nodes, 1 to [`NODES_MAX`]; ids are `0..nodes`.
    pub nodes: u32,
    /// Ticks per round, 1 to [`TICKS_PER_ROUND_MAX`].
    pub ticks_per_round: u32,
    /// Configuration of every node.
    pub node: NodeConfig,
    /// Configuration of the network.
    pub net: NetConfig,
    /// Most round records kept; older ones are dropped first.
    pub records_max: u32,
    /// Most actions in the schedule (applied ones included), and most applied actions kept in
    /// the history; an action beyond either is refused, because a history with holes could not
    /// be replayed.
    pub actions_max: u32,
    /// Most updates whose per-node learning round is tracked; later ones are counted only. At
    /// most [`UPDATES_TRACKED_LIMIT`], and `updates_tracked_max * nodes` at most
    /// [`TRACKED_CELLS_LIMIT`].
    pub updates_tracked_max: u32,
    /// Most distinct keys the cluster's clients may write over the whole run (each is tracked
    /// for coverage and copied into every round record); a write of a further new key is
    /// refused ([`ActionError::KeysTrackedFull`]). 1 to [`KEYS_TRACKED_LIMIT`], and
    /// `records_max * keys_tracked_max` at most [`COVERAGE_CELLS_LIMIT`].
    pub keys_tracked_max: u32,
}

impl ClusterConfig {
    /// Defaults for `nodes` nodes: 4 ticks per round, gossip once a round, latency 1 tick, no
    /// loss, push anti-entropy with fanout 1. With these the run is the synchronous-round model
    /// exactly (see [`crate::node`]).
    pub fn new(nodes: u32, seed: u64) -> ClusterConfig {
        let ticks_per_round = 4;
        ClusterConfig {
            seed,
            nodes,
            ticks_per_round,
            node: NodeConfig {
                gossip_interval_ticks: ticks_per_round,
                ..NodeConfig::default()
            },
            net: NetConfig::default(),
            records_max: 4096,
            actions_max: 4096,
            // Within the joint limit for any number of nodes (fewer tracked at 100,000 nodes).
            updates_tracked_max: (TRACKED_CELLS_LIMIT / u64::from(nodes.max(1))).min(1024) as u32,
            keys_tracked_max: (COVERAGE_CELLS_LIMIT / 4096) as u32,
        }
    }
}

/// A rejected configuration; no cluster was created.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConfigError {
    /// `nodes` outside `1..=NODES_MAX`.
    Nodes(u32),
    /// `ticks_per_round` outside `1..=TICKS_PER_ROUND_MAX`.
    TicksPerRound(u32),
    /// The node configuration is wrong.
    Node(node::ConfigError),
    /// The network configuration is wrong.
    Net(net::ConfigError),
    /// `records_max` outside `1..=RECORDS_LIMIT`.
    RecordsMax(u32),
    /// `actions_max` above `ACTIONS_LIMIT`.
    ActionsMax(u32),
    /// `updates_tracked_max` above `UPDATES_TRACKED_LIMIT`.
    UpdatesTrackedMax(u32),
    /// `updates_tracked_max * nodes` above `TRACKED_CELLS_LIMIT`.
    TrackedCells {
        /// The configured `updates_tracked_max`.
        updates_tracked_max: u32,
        /// The configured `nodes`.
        nodes: u32,
    },
    /// `keys_tracked_max` outside `1..=KEYS_TRACKED_LIMIT`.
    KeysTrackedMax(u32),
    /// `records_max * keys_tracked_max` above `COVERAGE_CELLS_LIMIT`.
    CoverageCells {
        /// The configured `records_max`.
        records_max: u32,
        /// The configured `keys_tracked_max`.
        keys_tracked_max: u32,
    },
    /// `node.events_max` is below `min = entries_per_message_max + 2 * keys_max`, the most
    /// events one input can produce; the simulator drains after every input and must never
    /// lose a `Learned` event, or its per-node learning rounds would have holes.
    EventsMax {
        /// The configured value.
        got: u32,
        /// The smallest allowed.
        min: u64,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Nodes(n) => write!(f, "nodes must be 1 to {NODES_MAX}, got {n}"),
            ConfigError::TicksPerRound(n) => write!(
                f,
                "ticks_per_round must be 1 to {TICKS_PER_ROUND_MAX}, got {n}"
            ),
            ConfigError::Node(e) => write!(f, "node: {e}"),
            ConfigError::Net(e) => write!(f, "network: {e}"),
            ConfigError::RecordsMax(n) => {
                write!(f, "records_max must be 1 to {RECORDS_LIMIT}, got {n}")
            }
            ConfigError::ActionsMax(n) => {
                write!(f, "actions_max must be at most {ACTIONS_LIMIT}, got {n}")
            }
            ConfigError::UpdatesTrackedMax(n) => write!(
                f,
                "updates_tracked_max must be at most {UPDATES_TRACKED_LIMIT}, got {n}"
            ),
            ConfigError::TrackedCells {
                updates_tracked_max,
                nodes,
            } => write!(
                f,
                "updates_tracked_max * nodes must be at most {TRACKED_CELLS_LIMIT}, got {updates_tracked_max} * {nodes}"
            ),
            ConfigError::KeysTrackedMax(n) => write!(
                f,
                "keys_tracked_max must be 1 to {KEYS_TRACKED_LIMIT}, got {n}"
            ),
            ConfigError::CoverageCells {
                records_max,
                keys_tracked_max,
            } => write!(
                f,
                "records_max * keys_tracked_max must be at most {COVERAGE_CELLS_LIMIT}, got {records_max} * {keys_tracked_max}"
            ),
            ConfigError::EventsMax { got, min } => write!(
                f,
                "node.events_max must be at least entries_per_message_max + 2 * keys_max = {min}, got {got}"
            ),
        }
    }
}

/// Something done to the cluster from outside.
#[derive(Clone, Debug, PartialEq)]
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
            ActionError::RoundPassed { round, now } => {
                write!(f, "{round} has already started ({now})")
            }
        }
    }
}

/// How far the newest version of one key has spread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCoverage {
    /// The key.
    pub key: Vec<u8>,
    /// Its newest version that some live node holds (see "Coverage" in the module docs).
    pub version: Version,
    /// Whether that version is a delete.
    pub tombstone: bool,
    /// Live nodes holding exactly that version.
    pub holders: u32,
}

/// What happened in one round.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundRecord {
    /// The round.
    pub round: Round,
    /// Live nodes at the end of the round.
    pub live_nodes: u32,
    /// Messages sent by nodes.
    pub messages_sent: u64,
    /// Of those, the ones that can carry entries (push, push-pull, reply); requests and
    /// feedback are not counted. In rumor mongering this is the traffic of Demers et al.
    pub messages_data: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Messages (network copies included) delivered to live nodes.
    pub messages_delivered: u64,
    /// Delivered data messages (push, push-pull, reply) that carried entries, none of them new
    /// to the receiver: duplicates.
    pub messages_redundant: u64,
    /// Messages lost by links.
    pub messages_lost: u64,
    /// Messages dropped by a partition.
    pub messages_cut: u64,
    /// Messages dropped because too many were in flight.
    pub messages_overflow: u64,
    /// Copies made by network duplication.
    pub messages_duplicated: u64,
    /// Messages that arrived at a crashed node.
    pub messages_to_down: u64,
    /// Messages a node rejected as malformed.
    pub messages_rejected: u64,
    /// Messages nodes could not send because their outbox was full (the sum of the nodes'
    /// [`node::Counters::outbox_dropped`] over the round); they never reached the network.
    pub outbox_dropped: u64,
    /// Actions applied this round.
    pub actions_applied: u32,
    /// Scheduled actions that failed this round.
    pub actions_failed: u32,
    /// For each tracked key (in key order), how far its newest version has spread: every key
    /// written, except those no live node holds any version of (see "Coverage" in the module
    /// docs: a tombstone collected everywhere, a write lost with every node that held it).
    pub coverage: Vec<KeyCoverage>,
}

/// One tracked write and, per node, the round it learned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// The key.
    pub key: Vec<u8>,
    /// The version the write made (unique to it).
    pub version: Version,
    /// Whether it was a delete.
    pub tombstone: bool,
    /// The round it was written in.
    pub round: Round,
    learned: Vec<u32>,
}

impl Update {
    /// The round in which `node` learned this update (the writer: the round it wrote it), or
    /// `None` if it has not (a crash forgets it).
    pub fn learned_round(&self, node: NodeId) -> Option<Round> {
        match self.learned.get(node as usize) {
            Some(&r) if r != NEVER => Some(Round(u64::from(r))),
            _ => None,
        }
    }

    /// How many nodes have learned it (and not crashed since).
    pub fn learned_count(&self) -> usize {
        self.learned.iter().filter(|&&r| r != NEVER).count()
    }

    /// The last learning round, if every node in `nodes` learned it.
    pub fn complete_round(&self, mut nodes: impl Iterator<Item = NodeId>) -> Option<Round> {
        nodes.try_fold(Round(0), |acc, n| self.learned_round(n).map(|r| acc.max(r)))
    }
}

// ----- views -------------------------------------------------------------------------------

/// Which version of one key a node holds, compared with the newest written anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// No version at all (never learned, collected, or the node is down).
    Nothing,
    /// A version older than the newest.
    Older,
    /// The newest version.
    Newest,
}

/// Where a node stands with the version of one key it holds, in the epidemic vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Holds nothing to spread.
    Susceptible,
    /// Spreads what it holds: in anti-entropy every holder does, for ever; in rumor mongering a
    /// node whose rumor for that version is infective.
    Infective,
    /// Holds it and has stopped spreading it (rumor mongering only).
    Removed,
}

/// One node as a renderer sees it for one chosen key (see [`Cluster::node_views`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// Whether the node is running.
    pub up: bool,
    /// How its version compares with the newest.
    pub holding: Holding,
    /// The version it holds, if any.
    pub version: Option<Version>,
    /// Whether that version is a delete.
    pub tombstone: bool,
    /// Its epidemic state for the version it holds.
    pub spread: Spread,
    /// The round in which it learned (or wrote) the version it holds.
    pub learned: Option<Round>,
}

impl NodeView {
    /// The view of a node that is down.
    pub const DOWN: NodeView = NodeView {
        up: false,
        holding: Holding::Nothing,
        version: None,
        tombstone: false,
        spread: Spread::Susceptible,
        learned: None,
    };

    /// The node's epidemic state for the *newest* version: susceptible unless it holds it.
    /// This is the colour of an SIR picture of the chosen key.
    pub fn spread_of_newest(&self) -> Spread {
        match self.holding {
            Holding::Newest => self.spread,
            Holding::Nothing | Holding::Older => Spread::Susceptible,
        }
    }
}

/// What a message in flight carries, for one chosen key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cargo {
    /// No entries at all: a request, feedback, or an empty push or reply.
    Nothing,
    /// Entries, none of them for the key.
    OtherKeys,
    /// A version of the key that the receiver already holds, or an older one, or the receiver
    /// is down: delivering it changes nothing for the key.
    Known,
    /// A version of the key newer than the one the receiver holds now.
    New,
}

/// One message as a renderer sees it: in flight (see [`Cluster::message_views`]) or dropped
/// by the network when it was sent (see [`Cluster::dropped_views`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageView {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Message kind.
    pub kind: MessageKind,
    /// Tick it was sent at.
    pub sent: Tick,
    /// Tick it will be delivered at (always after `sent`).
    pub deliver: Tick,
    /// Whether it is the network's duplicate of another message.
    pub copy: bool,
    /// What it carries for the chosen key, judged against the receiver's state now
    /// ([`Cargo::Nothing`] for a dropped message, whose bytes are gone).
    pub cargo: Cargo,
    /// [`Sent::InFlight`], or why the network dropped it when it was sent ([`Sent::Lost`],
    /// [`Sent::Cut`], [`Sent::Overflow`]). A dropped message has `deliver = sent + 1`: it
    /// never arrives, and a renderer shows it failing within that tick.
    pub fate: Sent,
}

impl MessageView {
    /// How far along its way the message is at the fractional tick `t`: 0 at `sent`, 1 at
    /// `deliver`, clamped in between. Between the step of tick `now - 1` and the step of `now`,
    /// a frame a fraction `f` of the way draws at `t = now - 1 + f` (see the module docs).
    pub fn progress(&self, t: f64) -> f64 {
        let span = self.deliver.ticks_since(self.sent).max(1) as f64;
        let x = (t - self.sent.0 as f64) / span;
        x.clamp(0.0, 1.0)
    }
}

// The newest version of one key and its live holders.
#[derive(Clone, Copy, Debug)]
struct Newest {
    version: Version,
    tombstone: bool,
    holders: u32,
}

/// The simulator. See the module docs.
#[derive(Clone, Debug)]
pub struct Cluster {
    config: ClusterConfig,
    now: Tick,
    nodes: Vec<Option<Node>>,
    incarnations: Vec<u32>,
    members: Members,
    net: Network,
    schedule: Vec<(Round, Action)>,
    next_action: usize,
    history: Vec<(Tick, Action)>,
    records: VecDeque<RoundRecord>,
    current: RoundRecord,
    net_at_round_start: NetCounters,
    // Per key: its newest version, and how many live nodes hold it, kept up to date at every
    // change (write, learned, tombstone collected, crash) instead of scanning every node.
    newest: BTreeMap<Vec<u8>, Newest>,
    // Every distinct key written by a client, at most `keys_tracked_max`: `newest` only ever
    // holds these keys, so every record's coverage is bounded too.
    keys_written: BTreeSet<Vec<u8>>,
    updates: Vec<Update>,
    update_index: BTreeMap<Version, usize>,
    updates_untracked: u64,
    last_action_error: Option<(Tick, ActionError)>,
    // Reused buffers: messages due this tick and the datagram being sent.
    due: Vec<InFlight>,
    buf: Vec<u8>,
}

impl Cluster {
    /// A cluster at tick 0 with every node up and empty.
    pub fn new(config: ClusterConfig) -> Result<Cluster, ConfigError> {
        if !(1..=NODES_MAX).contains(&config.nodes) {
            return Err(ConfigError::Nodes(config.nodes));
        }
        if !(1..=TICKS_PER_ROUND_MAX).contains(&config.ticks_per_round) {
            return Err(ConfigError::TicksPerRound(config.ticks_per_round));
        }
        if !(1..=RECORDS_LIMIT).contains(&config.records_max) {
            return Err(ConfigError::RecordsMax(config.records_max));
        }
        if config.actions_max > ACTIONS_LIMIT {
            return Err(ConfigError::ActionsMax(config.actions_max));
        }
        if config.updates_tracked_max > UPDATES_TRACKED_LIMIT {
            return Err(ConfigError::UpdatesTrackedMax(config.updates_tracked_max));
        }
        if u64::from(config.updates_tracked_max) * u64::from(config.nodes) > TRACKED_CELLS_LIMIT {
            return Err(ConfigError::TrackedCells {
                updates_tracked_max: config.updates_tracked_max,
                nodes: config.nodes,
            });
        }
        if !(1..=KEYS_TRACKED_LIMIT).contains(&config.keys_tracked_max) {
            return Err(ConfigError::KeysTrackedMax(config.keys_tracked_max));
        }
        if u64::from(config.records_max) * u64::from(config.keys_tracked_max) > COVERAGE_CELLS_LIMIT
        {
            return Err(ConfigError::CoverageCells {
                records_max: config.records_max,
                keys_tracked_max: config.keys_tracked_max,
            });
        }
        config.node.validate().map_err(ConfigError::Node)?;
        // One input yields at most one event per entry of the message it carries plus one per
        // rumor (blind removals when replying), or one per key twice (tombstone collection and
        // blind removals at a gossip tick).
        let events_min = u64::from(config.node.entries_per_message_max)
            + 2 * u64::from(config.node.store.keys_max);
        if u64::from(config.node.events_max) < events_min {
            return Err(ConfigError::EventsMax {
                got: config.node.events_max,
                min: events_min,
            });
        }
        let net = Network::new(config.seed, config.nodes, config.net).map_err(ConfigError::Net)?;
        let members = Members::new(0..config.nodes);
        let mut nodes = Vec::with_capacity(config.nodes as usize);
        for id in 0..config.nodes {
            let mut n = Node::new(
                id,
                config.node,
                Rng::stream(config.seed, Stream::Node, id.into()),
            )
            .map_err(ConfigError::Node)?;
            n.set_members(members.clone());
            nodes.push(Some(n));
        }
        Ok(Cluster {
            config,
            now: Tick::ZERO,
            nodes,
            incarnations: vec![0; config.nodes as usize],
            members,
            net,
            schedule: Vec::new(),
            next_action: 0,
            history: Vec::new(),
            records: VecDeque::new(),
            current: RoundRecord::default(),
            net_at_round_start: NetCounters::default(),
            newest: BTreeMap::new(),
            keys_written: BTreeSet::new(),
            updates: Vec::new(),
            update_index: BTreeMap::new(),
            updates_untracked: 0,
            last_action_error: None,
            due: Vec::new(),
            buf: Vec::new(),
        })
    }

    // ----- reading -------------------------------------------------------------------------

    /// The configuration.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The next tick to run.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// The round the next tick belongs to (= rounds completed, between rounds).
    pub fn round(&self) -> Round {
        self.now.round(self.config.ticks_per_round)
    }

    /// Number of nodes, up or down.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the cluster has no nodes (never true: a cluster has at least one).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Node `id`, or `None` if it is down or does not exist.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize).and_then(Option::as_ref)
    }

    /// Whether node `id` is up.
    pub fn is_up(&self, id: NodeId) -> bool {
        self.node(id).is_some()
    }

    /// The live nodes, in id order.
    pub fn members(&self) -> &Members {
        &self.members
    }

    /// The network: links, partition, in-flight messages and counters.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// Messages travelling now (from, to, sent tick, deliver tick, kind, bytes).
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> + '_ {
        self.net.in_flight()
    }

    /// Records of completed rounds, oldest first (at most `records_max`).
    pub fn records(&self) -> impl ExactSizeIterator<Item = &RoundRecord> + '_ {
        self.records.iter()
    }

    /// The record of the last completed round.
    pub fn last_record(&self) -> Option<&RoundRecord> {
        self.records.back()
    }

    /// Tracked writes in the order they were made.
    pub fn updates(&self) -> &[Update] {
        &self.updates
    }

    /// The tracked write that made `version`.
    pub fn update(&self, version: Version) -> Option<&Update> {
        self.update_index.get(&version).map(|&i| &self.updates[i])
    }

    /// Writes beyond `updates_tracked_max`, not tracked per node.
    pub fn updates_untracked(&self) -> u64 {
        self.updates_untracked
    }

    /// The tracked newest version of every tracked key (and whether it is a delete), in key
    /// order (see "Coverage" in the module docs).
    pub fn newest(&self) -> impl Iterator<Item = (&[u8], Version, bool)> + '_ {
        self.newest
            .iter()
            .map(|(k, n)| (k.as_slice(), n.version, n.tombstone))
    }

    /// Live nodes holding exactly the newest version of `key`.
    pub fn holders(&self, key: &[u8]) -> u32 {
        self.newest.get(key).map_or(0, |n| n.holders)
    }

    /// Writes one [`NodeView`] per node (index = node id) for `key` into `out`, replacing its
    /// contents. With `out` reused between frames this allocates nothing once it has grown to
    /// the cluster's size; it costs two map lookups per node.
    pub fn node_views(&self, key: &[u8], out: &mut Vec<NodeView>) {
        out.clear();
        let newest = self.newest.get(key).map(|n| n.version);
        let tpr = self.config.ticks_per_round;
        let rumor_mode = matches!(self.config.node.mode, node::Mode::Rumor(_));
        out.extend(self.nodes.iter().map(|slot| {
            let Some(node) = slot else {
                return NodeView::DOWN;
            };
            let Some(e) = node.store().get(key) else {
                return NodeView {
                    up: true,
                    ..NodeView::DOWN
                };
            };
            let version = e.version();
            let spread = if !rumor_mode {
                Spread::Infective
            } else {
                match node.rumor(key) {
                    Some(r) if r.version == version => match r.state {
                        RumorState::Infective { .. } => Spread::Infective,
                        RumorState::Removed => Spread::Removed,
                    },
                    _ => Spread::Removed,
                }
            };
            NodeView {
                up: true,
                holding: if Some(version) == newest {
                    Holding::Newest
                } else {
                    Holding::Older
                },
                version: Some(version),
                tombstone: e.is_tombstone(),
                spread,
                learned: Some(e.learned().round(tpr)),
            }
        }));
    }

    /// Writes one [`MessageView`] per message in flight into `out`, replacing its contents, in
    /// the network's (deterministic) order. `cargo` is judged for `key`: finding it reads the
    /// message's entries, so the cost is linear in the bytes in flight; nothing is allocated
    /// once `out` has grown.
    pub fn message_views(&self, key: &[u8], out: &mut Vec<MessageView>) {
        out.clear();
        let limits = self.config.node.codec_limits();
        out.extend(
            self.net
                .in_flight()
                .map(|m| self.in_flight_view(m, key, &limits)),
        );
    }

    /// Like [`Cluster::message_views`], but appends to `out` only the messages sent at or
    /// after tick `since`. Called after each [`Cluster::step_tick`] with the tick just run, it
    /// collects every message of a round that went into flight exactly once, judged when it
    /// was sent, which is what a renderer needs to replay the round at any fractional tick
    /// (those dropped when sent are in [`Cluster::dropped_views`]).
    pub fn message_views_since(&self, key: &[u8], since: Tick, out: &mut Vec<MessageView>) {
        let limits = self.config.node.codec_limits();
        out.extend(
            self.net
                .in_flight()
                .filter(|m| m.sent >= since)
                .map(|m| self.in_flight_view(m, key, &limits)),
        );
    }

    /// The messages the network dropped when they were sent during the tick just run by
    /// [`Cluster::step_tick`] (lost, cut by a partition or over the in-flight limit; see
    /// [`MessageView::fate`]), in send order: all of them, or beyond [`net::DROPPED_LOG_MAX`]
    /// an even sample of them. Read after each tick, beside [`Cluster::message_views_since`],
    /// they give every drop of a round (or its sample) once. A renderer keeps them apart from
    /// the messages in flight, which they would otherwise crowd out of its budget in a lossy
    /// cluster, and then calls [`Cluster::clear_dropped`].
    pub fn dropped_views(&self) -> impl Iterator<Item = MessageView> + '_ {
        self.net.dropped_at_send().iter().map(|d| MessageView {
            from: d.from,
            to: d.to,
            kind: d.kind,
            sent: d.sent,
            deliver: d.sent.next(),
            copy: false,
            cargo: Cargo::Nothing,
            fate: d.why,
        })
    }

    /// Empties the log behind [`Cluster::dropped_views`] (each [`Cluster::step_tick`] does so
    /// first anyway). A renderer that has read it calls this so that clones of the cluster,
    /// such as a timeline's checkpoints, do not carry up to [`net::DROPPED_LOG_MAX`] stale
    /// entries each.
    pub fn clear_dropped(&mut self) {
        self.net.clear_dropped();
    }

    fn in_flight_view(&self, m: &InFlight, key: &[u8], limits: &CodecLimits) -> MessageView {
        MessageView {
            from: m.from,
            to: m.to,
            kind: m.kind,
            sent: m.sent,
            deliver: m.deliver,
            copy: m.copy,
            cargo: self.cargo(m, key, limits),
            fate: Sent::InFlight,
        }
    }

    fn cargo(&self, m: &InFlight, key: &[u8], limits: &CodecLimits) -> Cargo {
        if !m.kind.carries_data() {
            return Cargo::Nothing;
        }
        // Nodes only send what they can encode, so this fails only for a message corrupted on
        // purpose; it carries nothing usable then.
        let Ok(msg) = codec::decode(&m.bytes, limits) else {
            return Cargo::Nothing;
        };
        if msg.is_empty() {
            return Cargo::Nothing;
        }
        let Some(entry) = msg.entries().find(|e| e.key == key) else {
            return Cargo::OtherKeys;
        };
        let Some(receiver) = self.node(m.to) else {
            return Cargo::Known;
        };
        match receiver.store().get(key) {
            Some(held) if held.version() >= entry.version => Cargo::Known,
            _ => Cargo::New,
        }
    }

    /// Whether no message in flight carries any entry (requests, feedback and empty pushes or
    /// replies only): with no infective node left as well, rumor mongering can change nothing
    /// more. Costs a decode of every data message in flight.
    pub fn is_quiescent(&self) -> bool {
        let limits = self.config.node.codec_limits();
        self.net.in_flight().all(|m| {
            !m.kind.carries_data()
                || codec::decode(&m.bytes, &limits).map_or(true, |msg| msg.is_empty())
        })
    }

    /// Whether every live node holds the tracked newest version of every tracked key; a key
    /// no live node holds any version of is not tracked, and covered by holding nothing (see
    /// "Coverage" in the module docs).
    pub fn is_converged(&self) -> bool {
        let live = self.members.len() as u32;
        self.newest.values().all(|n| n.holders == live)
    }

    /// Every action applied so far, with the tick it was applied at.
    pub fn history(&self) -> &[(Tick, Action)] {
        &self.history
    }

    /// The schedule: every action scheduled, applied or not, in application order.
    pub fn scheduled(&self) -> &[(Round, Action)] {
        &self.schedule
    }

    /// Scheduled actions not applied (or tried) yet.
    pub fn pending_actions(&self) -> usize {
        self.schedule.len() - self.next_action
    }

    /// The last scheduled action that failed, with the tick it was tried at.
    pub fn last_action_error(&self) -> Option<&(Tick, ActionError)> {
        self.last_action_error.as_ref()
    }

    // The naive count that `Newest::holders` keeps incrementally; checked against it in debug
    // builds at every round end.
    fn count_holders(&self, key: &[u8], v: Version) -> u32 {
        self.nodes
            .iter()
            .flatten()
            .filter(|n| n.store().get(key).is_some_and(|e| e.version() == v))
            .count() as u32
    }

    // ----- acting --------------------------------------------------------------------------

    /// Schedules `action` for the start of `round` (after actions already scheduled for it).
    pub fn schedule(&mut self, round: Round, action: Action) -> Result<(), ActionError> {
        if round.first_tick(self.config.ticks_per_round) < self.now {
            return Err(ActionError::RoundPassed {
                round,
                now: self.now,
            });
        }
        if self.schedule.len() >= self.config.actions_max as usize {
            return Err(ActionError::ScheduleFull {
                max: self.config.actions_max,
            });
        }
        let pos = self.schedule.partition_point(|(r, _)| *r <= round);
        self.schedule.insert(pos, (round, action));
        Ok(())
    }

    /// Removes the actions scheduled for rounds after `round` that have not been applied yet,
    /// and returns how many. A viewer that lets the user act in the past forks the timeline
    /// with it: the old future's actions are dropped before the new action is scheduled.
    pub fn unschedule_after(&mut self, round: Round) -> usize {
        let keep = self.schedule[self.next_action..].partition_point(|(r, _)| *r <= round);
        let cut = self.next_action + keep;
        let dropped = self.schedule.len() - cut;
        self.schedule.truncate(cut);
        dropped
    }

    /// At a round start, applies now the actions scheduled for the round about to run, as the
    /// next [`Cluster::step_tick`] would do first; between ticks of a round it does nothing.
    /// A viewer calls it so that an action taken at round `r` shows at once. Failures are
    /// counted and kept in [`Cluster::last_action_error`] as in `step_tick`.
    pub fn apply_due(&mut self) {
        if self.now.is_round_start(self.config.ticks_per_round) {
            self.run_scheduled(self.round());
        }
    }

    /// Applies `action` now.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        let now = self.now;
        if self.history.len() >= self.config.actions_max as usize {
            return Err(ActionError::HistoryFull {
                max: self.config.actions_max,
            });
        }
        match &action {
            Action::Write { node, key, value } => self.do_write(*node, key, Some(value))?,
            Action::Delete { node, key } => self.do_write(*node, key, None)?,
            Action::Crash(n) => {
                let slot = self.slot(*n)?;
                let Some(node) = slot.take() else {
                    return Err(ActionError::NodeDown(*n));
                };
                let mut orphaned = Vec::new();
                for (key, e) in node.store().iter() {
                    if let Some(newest) = self.newest.get_mut(key) {
                        if newest.version == e.version() {
                            newest.holders -= 1;
                            if newest.holders == 0 {
                                orphaned.push(key.to_vec());
                            }
                        }
                    }
                }
                // The node is out of `self.nodes` already, so the rescan skips it.
                for key in orphaned {
                    retrack(&self.nodes, &mut self.newest, key);
                }
                for u in &mut self.updates {
                    u.learned[*n as usize] = NEVER;
                }
                self.refresh_members();
            }
            Action::Restart(n) => {
                let id = *n;
                if self.slot(id)?.is_some() {
                    return Err(ActionError::NodeUp(id));
                }
                self.incarnations[id as usize] += 1;
                let index = u64::from(id) | u64::from(self.incarnations[id as usize]) << 32;
                let rng = Rng::stream(self.config.seed, Stream::Node, index);
                // The config was validated when the cluster was made, so this cannot fail.
                let node = Node::new(id, self.config.node, rng).ok();
                self.nodes[id as usize] = node;
                self.refresh_members();
            }
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
        }
        self.current.actions_applied += 1;
        self.history.push((now, action));
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

    fn slot(&mut self, n: NodeId) -> Result<&mut Option<Node>, ActionError> {
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
        let new_key = !self.keys_written.contains(key);
        let max = self.config.keys_tracked_max;
        let full = new_key && self.keys_written.len() >= max as usize;
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
        if new_key {
            self.keys_written.insert(key.to_vec());
        }
        let tombstone = value.is_none();
        match self.newest.get_mut(key) {
            None => {
                self.newest.insert(
                    key.to_vec(),
                    Newest {
                        version,
                        tombstone,
                        holders: 1,
                    },
                );
            }
            // The writer now holds the only copy of the newest version.
            Some(n) if version > n.version => {
                *n = Newest {
                    version,
                    tombstone,
                    holders: 1,
                }
            }
            // An older write (the writer had not seen the newest): it cannot have held the
            // newest, whose counter its own would have exceeded, but keep the count exact.
            Some(n) => {
                if held == Some(n.version) {
                    n.holders -= 1;
                }
            }
        }
        if self.updates.len() < self.config.updates_tracked_max as usize {
            let mut learned = vec![NEVER; self.nodes.len()];
            let round = self.round();
            learned[id as usize] = round.0 as u32;
            self.update_index.insert(version, self.updates.len());
            self.updates.push(Update {
                key: key.to_vec(),
                version,
                tombstone,
                round,
                learned,
            });
        } else {
            self.updates_untracked += 1;
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
        for n in self.nodes.iter_mut().flatten() {
            n.set_members(self.members.clone());
        }
    }

    // ----- running -------------------------------------------------------------------------

    /// Runs one tick (see the module docs for its phases).
    pub fn step_tick(&mut self) {
        let t = self.now;
        let tpr = self.config.ticks_per_round;
        // The network's log of dropped messages holds this tick's only (it draws nothing).
        self.net.clear_dropped();
        if t.is_round_start(tpr) {
            self.run_scheduled(t.round(tpr));
        }
        let mut due = core::mem::take(&mut self.due);
        self.net.deliver_due(t, &mut due);
        for m in due.drain(..) {
            let to = m.to as usize;
            match self.nodes.get_mut(to).and_then(Option::as_mut) {
                Some(node) => {
                    let before = *node.counters();
                    if node.handle_message(t, m.from, &m.bytes).is_err() {
                        self.current.messages_rejected += 1;
                    }
                    let after = node.counters();
                    self.current.messages_redundant +=
                        after.data_messages_redundant - before.data_messages_redundant;
                    self.current.outbox_dropped += after.outbox_dropped - before.outbox_dropped;
                    self.current.messages_delivered += 1;
                    self.drain(m.to);
                }
                None => self.current.messages_to_down += 1,
            }
            self.net.recycle(m.bytes);
        }
        self.due = due;
        for id in 0..self.nodes.len() {
            if let Some(node) = self.nodes[id].as_mut() {
                let before = node.counters().outbox_dropped;
                node.handle_tick(t);
                self.current.outbox_dropped += node.counters().outbox_dropped - before;
                self.drain(id as NodeId);
            }
        }
        self.now = t.next();
        if self.now.is_round_start(tpr) {
            self.finish_round(t.round(tpr));
        }
    }

    /// Runs ticks up to the end of the current round.
    pub fn step_round(&mut self) {
        loop {
            self.step_tick();
            if self.now.is_round_start(self.config.ticks_per_round) {
                break;
            }
        }
    }

    /// Runs `rounds` rounds.
    pub fn step_rounds(&mut self, rounds: u32) {
        for _ in 0..rounds {
            self.step_round();
        }
    }

    /// Runs rounds until every live node holds every newest version, at most `rounds_max`;
    /// returns the rounds run if it converged.
    pub fn run_until_converged(&mut self, rounds_max: u32) -> Option<u32> {
        for r in 0..=rounds_max {
            if self.is_converged() {
                return Some(r);
            }
            if r < rounds_max {
                self.step_round();
            }
        }
        None
    }

    fn run_scheduled(&mut self, round: Round) {
        while let Some((r, action)) = self.schedule.get(self.next_action) {
            if *r > round {
                break;
            }
            let action = action.clone();
            self.next_action += 1;
            if let Err(e) = self.apply(action) {
                self.current.actions_failed += 1;
                self.last_action_error = Some((self.now, e));
            }
        }
    }

    // Moves node `id`'s outbox into the network and its events into the records.
    fn drain(&mut self, id: NodeId) {
        let Cluster {
            config,
            now,
            nodes,
            net,
            current,
            updates,
            update_index,
            newest,
            buf,
            ..
        } = self;
        let Some(node) = nodes[id as usize].as_mut() else {
            return;
        };
        while let Some(tx) = node.poll_transmit(buf) {
            current.messages_sent += 1;
            if tx.kind.carries_data() {
                current.messages_data += 1;
            }
            current.bytes_sent += tx.len_bytes as u64;
            net.send(*now, id, tx.to, tx.kind, buf);
        }
        let round = now.round(config.ticks_per_round).0 as u32;
        // Keys whose tracked version lost its last live holder (allocates only then).
        let mut orphaned = Vec::new();
        while let Some(ev) = node.poll_event() {
            match ev {
                Event::Learned { key, version, .. } => {
                    if let Some(&i) = update_index.get(&version) {
                        let slot = &mut updates[i].learned[id as usize];
                        if *slot == NEVER {
                            *slot = round;
                        }
                    }
                    // Nothing is newer than the newest, so a node that learns it did not hold
                    // it before. A version newer than the tracked one (or a key not tracked)
                    // is a lost write coming back from the network: no live node held it.
                    match newest.get_mut(&key) {
                        Some(n) if n.version == version => n.holders += 1,
                        Some(n) if n.version > version => {}
                        _ => {
                            let tombstone =
                                node.store().get(&key).is_some_and(|e| e.is_tombstone());
                            newest.insert(
                                key,
                                Newest {
                                    version,
                                    tombstone,
                                    holders: 1,
                                },
                            );
                        }
                    }
                }
                Event::TombstoneCollected { key, version } => {
                    if let Some(n) = newest.get_mut(&key) {
                        if n.version == version {
                            n.holders -= 1;
                            if n.holders == 0 {
                                orphaned.push(key);
                            }
                        }
                    }
                }
                Event::RumorRemoved { .. } => {}
            }
        }
        for key in orphaned {
            retrack(nodes, newest, key);
        }
    }

    fn finish_round(&mut self, round: Round) {
        let c = *self.net.counters();
        let s = self.net_at_round_start;
        self.net_at_round_start = c;
        debug_assert!(
            self.newest
                .iter()
                .all(|(k, n)| n.holders > 0 && n.holders == self.count_holders(k, n.version)),
            "the incremental holder counts differ from a full scan"
        );
        debug_assert!(
            self.nodes.iter().flatten().all(|node| node
                .store()
                .iter()
                .all(|(k, e)| self.newest.get(k).is_some_and(|n| n.version >= e.version()))),
            "a live node holds a version newer than the tracked newest, or an untracked key"
        );
        let coverage = self
            .newest
            .iter()
            .map(|(k, n)| KeyCoverage {
                key: k.clone(),
                version: n.version,
                tombstone: n.tombstone,
                holders: n.holders,
            })
            .collect();
        let record = RoundRecord {
            round,
            live_nodes: self.members.len() as u32,
            messages_lost: c.lost - s.lost,
            messages_cut: c.cut - s.cut,
            messages_overflow: c.overflow - s.overflow,
            messages_duplicated: c.duplicated - s.duplicated,
            coverage,
            ..core::mem::take(&mut self.current)
        };
        if self.records.len() >= self.config.records_max as usize {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }
}

// Called when the tracked newest version of `key` has no live holder left: tracks instead the
// newest version a live node in `nodes` holds, or drops the key if none holds any (see
// "Coverage" in the module docs). One scan of the live nodes.
fn retrack(nodes: &[Option<Node>], newest: &mut BTreeMap<Vec<u8>, Newest>, key: Vec<u8>) {
    let mut best: Option<Newest> = None;
    for e in nodes.iter().flatten().filter_map(|n| n.store().get(&key)) {
        match &mut best {
            Some(b) if b.version == e.version() => b.holders += 1,
            Some(b) if b.version > e.version() => {}
            _ => {
                best = Some(Newest {
                    version: e.version(),
                    tombstone: e.is_tombstone(),
                    holders: 1,
                })
            }
        }
    }
    match best {
        Some(b) => {
            newest.insert(key, b);
        }
        None => {
            newest.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn rumor_config(nodes: u32, seed: u64) -> ClusterConfig {
        let mut cfg = ClusterConfig::new(nodes, seed);
        cfg.node.mode = node::Mode::Rumor(node::RumorConfig {
            exchange: node::Exchange::Push,
            feedback: node::RumorFeedback::Feedback,
            stop: node::RumorStop::Counter(2),
        });
        cfg
    }

    #[test]
    fn node_views_colour_a_rumor_by_its_epidemic_state() {
        let mut c = Cluster::new(rumor_config(50, 3)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.crash(7).unwrap();
        let mut views = Vec::new();
        c.node_views(b"k", &mut views);
        assert_eq!(views.len(), 50);
        assert_eq!(views[7], NodeView::DOWN);
        assert_eq!(views[0].holding, Holding::Newest);
        assert_eq!(views[0].spread, Spread::Infective);
        assert_eq!(views[0].learned, Some(Round(0)));
        assert_eq!(views[1].spread_of_newest(), Spread::Susceptible);
        let mut removed_seen = false;
        for _ in 0..30 {
            c.step_round();
            c.node_views(b"k", &mut views);
            let newest = views
                .iter()
                .filter(|v| v.holding == Holding::Newest)
                .count();
            assert_eq!(newest as u32, c.holders(b"k"));
            removed_seen |= views.iter().any(|v| v.spread == Spread::Removed);
            for (id, v) in views.iter().enumerate() {
                if let Some(r) = v.learned {
                    let u = c.updates()[0].learned_round(id as NodeId);
                    assert_eq!(Some(r), u, "node {id}");
                }
            }
        }
        assert!(removed_seen, "counter(2) with feedback removes rumors");
        // The view of another key: every live node holds nothing.
        c.node_views(b"other", &mut views);
        assert!(views
            .iter()
            .all(|v| v.holding == Holding::Nothing && v.spread_of_newest() == Spread::Susceptible));
        assert_eq!(views.iter().filter(|v| v.up).count(), 49);
    }

    #[test]
    fn node_views_tell_older_versions_from_the_newest() {
        let mut c = Cluster::new(ClusterConfig::new(8, 1)).unwrap();
        c.write(0, b"k", b"old").unwrap();
        assert!(c.run_until_converged(40).is_some());
        c.write(5, b"k", b"new").unwrap();
        let mut views = Vec::new();
        c.node_views(b"k", &mut views);
        let newest: Vec<usize> = views
            .iter()
            .enumerate()
            .filter(|(_, v)| v.holding == Holding::Newest)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(newest, [5]);
        assert!(views
            .iter()
            .enumerate()
            .all(|(i, v)| i == 5 || v.holding == Holding::Older && v.spread == Spread::Infective));
    }

    #[test]
    fn message_views_show_who_sends_what_and_whether_it_is_news() {
        let mut c = Cluster::new(ClusterConfig::new(10, 5)).unwrap();
        c.write(0, b"k", b"v").unwrap();
        c.step_tick();
        let mut msgs = Vec::new();
        c.message_views(b"k", &mut msgs);
        assert_eq!(msgs.len(), 1, "only the writer has something to push");
        let m = msgs[0];
        assert_eq!(
            (m.from, m.kind, m.sent, m.deliver, m.copy),
            (0, MessageKind::Push, Tick(0), Tick(1), false)
        );
        assert_eq!(m.cargo, Cargo::New);
        assert_eq!(m.progress(0.5), 0.5);
        assert_eq!(m.progress(-3.0), 0.0);
        assert_eq!(m.progress(9.0), 1.0);
        c.message_views(b"other", &mut msgs);
        assert_eq!(msgs[0].cargo, Cargo::OtherKeys);
        // Once everyone knows it, pushes of it are no news.
        assert!(c.run_until_converged(40).is_some());
        c.step_tick();
        c.message_views(b"k", &mut msgs);
        assert!(!msgs.is_empty());
        assert!(msgs.iter().all(|m| m.cargo == Cargo::Known));
        // A pull request carries nothing.
        let mut cfg = ClusterConfig::new(10, 5);
        cfg.node.mode = node::Mode::AntiEntropy(node::Exchange::Pull);
        let mut c = Cluster::new(cfg).unwrap();
        c.step_tick();
        c.message_views(b"k", &mut msgs);
        assert_eq!(msgs.len(), 10);
        assert!(msgs
            .iter()
            .all(|m| m.kind == MessageKind::Request && m.cargo == Cargo::Nothing));
    }

    #[test]
    fn dropped_messages_are_viewed_in_the_tick_they_were_sent_with_their_reason() {
        let mut cfg = ClusterConfig::new(12, 3);
        cfg.net.link.loss = 0.4;
        let mut c = Cluster::new(cfg).unwrap();
        for i in 0..12 {
            c.write(i, b"k", &[i as u8]).unwrap();
        }
        c.partition(
            &[(0..6).collect::<Vec<NodeId>>(), (6..12).collect()],
            Direction::Both,
        )
        .unwrap();
        let (mut lost, mut cut) = (0, 0);
        for _ in 0..40 {
            let t = c.now();
            let before = *c.network().counters();
            c.step_tick();
            let after = *c.network().counters();
            let views: Vec<MessageView> = c.dropped_views().collect();
            let fate = |f: Sent| views.iter().filter(|v| v.fate == f).count() as u64;
            // Every drop of the tick is there once, and nothing else; a partition drops only
            // across its cut.
            assert_eq!(fate(Sent::Lost), after.lost - before.lost);
            assert_eq!(fate(Sent::Cut), after.cut - before.cut);
            assert_eq!(fate(Sent::InFlight), 0);
            let mut flying = Vec::new();
            c.message_views_since(b"k", t, &mut flying);
            assert!(flying.iter().all(|v| v.fate == Sent::InFlight));
            for v in &views {
                assert_eq!((v.sent, v.deliver, v.cargo), (t, t.next(), Cargo::Nothing));
                if v.fate == Sent::Cut {
                    assert_ne!(v.from < 6, v.to < 6, "{v:?}");
                }
            }
            lost += fate(Sent::Lost);
            cut += fate(Sent::Cut);
        }
        assert!(lost > 0 && cut > 0, "lost {lost}, cut {cut}");
    }

    #[test]
    fn holder_counts_kept_incrementally_equal_a_full_scan_through_every_kind_of_change() {
        // Crashes (forgetting), restarts, overwrites by nodes that had and had not seen the
        // newest, deletes whose tombstones are collected, and partitions, in both protocols.
        for (mode_rumor, seed) in [(false, 1), (true, 2), (false, 3), (true, 4)] {
            let mut cfg = if mode_rumor {
                rumor_config(30, seed)
            } else {
                ClusterConfig::new(30, seed)
            };
            cfg.node.tombstone_gc_rounds = 3;
            let mut c = Cluster::new(cfg).unwrap();
            let mut rng = Rng::from_seed(seed);
            for round in 0..80u32 {
                let n = rng.below(30);
                let key = [b'k', b'0' + (rng.below(3) as u8)];
                // Failures (writing at a down node, crashing it twice) are fine: the point is
                // that whatever happens, the counts stay exact.
                let _ = match rng.below(8) {
                    0 => c.crash(n),
                    1 => c.restart(n),
                    2 => c.delete(n, &key),
                    3 if round % 20 == 3 => c.partition(
                        &[0..15, 15..30].map(|r| r.collect::<Vec<_>>()),
                        Direction::Both,
                    ),
                    4 if round % 20 == 13 => c.heal(),
                    _ => c.write(n, &key, &[round as u8]),
                };
                for _ in 0..c.config().ticks_per_round {
                    c.step_tick();
                    for (k, version, _) in c.newest() {
                        assert_eq!(
                            c.holders(k),
                            c.count_holders(k, version),
                            "seed {seed} round {round}"
                        );
                    }
                }
            }
            assert!(c.newest().count() > 0);
        }
    }

    #[test]
    fn a_round_is_ticks_per_round_ticks_and_yields_one_record() {
        let mut c = Cluster::new(ClusterConfig::new(3, 0)).unwrap();
        c.step_tick();
        assert_eq!((c.now(), c.round()), (Tick(1), Round(0)));
        assert_eq!(c.records().len(), 0);
        c.step_round();
        assert_eq!((c.now(), c.round()), (Tick(4), Round(1)));
        assert_eq!(c.last_record().unwrap().round, Round(0));
    }

    #[test]
    fn only_the_newest_records_max_records_are_kept() {
        let mut cfg = ClusterConfig::new(3, 0);
        cfg.records_max = 2;
        let mut c = Cluster::new(cfg).unwrap();
        c.step_rounds(5);
        let rounds: Vec<Round> = c.records().map(|r| r.round).collect();
        assert_eq!(rounds, [Round(3), Round(4)]);
    }

    #[test]
    fn an_event_queue_that_could_overflow_in_one_input_is_rejected() {
        let mut cfg = ClusterConfig::new(3, 0);
        cfg.node.events_max = 100;
        assert_eq!(
            Cluster::new(cfg).unwrap_err(),
            ConfigError::EventsMax {
                got: 100,
                min: 256 + 2 * 1024
            }
        );
    }

    #[test]
    fn a_restarted_node_draws_from_a_fresh_stream() {
        let mut c = Cluster::new(ClusterConfig::new(3, 0)).unwrap();
        let first = format!("{:?}", c.node(1).unwrap());
        c.crash(1).unwrap();
        c.restart(1).unwrap();
        // Same id, same (empty) state, different random stream.
        assert_ne!(first, format!("{:?}", c.node(1).unwrap()));
    }

    #[test]
    fn the_schedule_is_bounded_by_actions_max() {
        let mut cfg = ClusterConfig::new(3, 0);
        cfg.actions_max = 1;
        let mut c = Cluster::new(cfg).unwrap();
        c.schedule(Round(1), Action::Heal).unwrap();
        assert_eq!(
            c.schedule(Round(1), Action::Heal),
            Err(ActionError::ScheduleFull { max: 1 })
        );
        assert_eq!(c.scheduled().len(), 1);
        c.write(0, b"k", b"v").unwrap();
        assert_eq!(
            c.write(0, b"k", b"w"),
            Err(ActionError::HistoryFull { max: 1 })
        );
        assert_eq!(c.node(0).unwrap().store().value(b"k"), Some(&b"v"[..]));
    }
}
