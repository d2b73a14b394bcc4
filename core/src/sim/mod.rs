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
//!    outbox into the network and its events into the records (a message for a slow node is
//!    queued instead);
//! 3. call `handle_tick(t)` on every live node in id order, draining each after the call;
//!    a slow node (see [`slow`]) takes its place in that order but handles its queued
//!    messages and its ticks late, up to its own node time `t - lag`;
//! 4. if `t` was the last tick of its round, append that round's [`RoundRecord`].
//!
//! An action applied directly (e.g. [`Cluster::write`]) between rounds has the effect of
//! scheduling it for the round about to start *ahead of* the actions already scheduled for that
//! round: it applies now, and they apply at the next [`Cluster::step_tick`] (scheduling it
//! instead would put it after them, which differs when, say, both write one key). Every
//! applied action is kept in [`Cluster::history`] with its tick, so a session can always be
//! replayed (in history order).
//!
//! # Where each part lives
//! * this file: the configuration, the [`Cluster`], the phases of a tick, the schedule and the
//!   history;
//! * [`action`]: [`Action`] and [`ActionError`], and how each action is applied;
//! * [`edit`]: editing an action script (insert keeping order, remove, first difference);
//! * [`coverage`]: the newest version of every key and its live holders, kept incrementally;
//! * [`view`]: [`NodeView`] and [`MessageView`], what a renderer draws;
//! * [`record`]: [`RoundRecord`], the common counts of a round plus each protocol's own;
//! * [`slow`]: slow nodes ([`Action::Slow`]), which handle their inputs `D` ticks late and
//!   catch up when the episode ends;
//! * [`membership`]: with SWIM, the truth against every live view, and the detection metrics.
//!
//! The simulator drives nodes only through their sans-IO surface and never decodes protocol
//! bytes itself: what a message carries is the node's answer ([`Node::carried`]), and which
//! kinds carry data is the wire table's ([`crate::wire::KINDS`]).
//!
//! # Permalinks
//! [`crate::script`] writes the schedule ([`Cluster::scheduled`]) as URL-safe text and reads it
//! back; scheduling the decoded actions on a cluster of the same configuration replays the run.
//!
//! # Crash and restart
//! With the oracle (the default, [`crate::node::MembershipConfig::Oracle`]) a crash removes
//! the node from every live node's view at once ([`crate::node::Members`]): no failure
//! detection. With SWIM ([`crate::node::MembershipConfig::Swim`]) every node starts knowing
//! every member alive at incarnation 0 (`Cluster::new` seeds each table once through
//! `Node::set_members`), and after that no node is told anything: a crash changes no view,
//! the nodes find out by probing. A restarted SWIM node starts empty at an incarnation one
//! above the one it crashed with (the simulator keeps it, [`MembershipViews::last_incarnation`])
//! and joins through the lowest-id live node with a push-pull sync. A SWIM node is ticked only
//! at its [`Node::poll_timeout`] (the same run as every tick, with far fewer calls);
//! [`membership`] follows the views and defines the detection metrics. Heartbeat gossip
//! ([`crate::node::MembershipConfig::Heartbeat`]) is run the same way: seeded once, its
//! generation standing for the incarnation (a restart takes the one above), joining through
//! the lowest-id live node by sending it its heartbeats; it has no graceful leave
//! ([`Action::Leave`] fails with [`ActionError::NotSwim`]). A crashed
//! node's state is gone; messages to it are dropped (counted as `messages_to_down`), messages it
//! sent before crashing still arrive. [`Cluster::restart`] brings it back *empty*, drawing from
//! a fresh stream `Rng::stream(seed, Stream::Node, id | incarnation << 32)` (incarnation 0 is the
//! plain node stream), and it relearns everything by gossip.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::net::{self, InFlight, NetConfig, NetCounters, Network};
use crate::node::{self, Event, Members, MembershipConfig, Node, NodeConfig, NodeId};
use crate::rng::{Rng, Stream};
use crate::time::{Round, Tick, TICKS_PER_ROUND_MAX};

pub mod action;
pub mod coverage;
pub mod edit;
pub mod membership;
pub mod record;
pub mod slow;
pub mod view;

pub use action::{Action, ActionError};
pub use coverage::{KeyCoverage, Update};
pub use membership::{Detection, MembershipRound, MembershipViews};
pub use record::RoundRecord;
pub use slow::{SlowCounters, SLOW_LAG_TICKS_MAX};
pub use view::{Cargo, Holding, MessageView, NodeView, Spread};

use coverage::Coverage;

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

/// Everything a run is made of, besides its actions.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    /// `node.events_max` is below `min = entries_per_message_max + 2 * keys_max` (plus, with
    /// SWIM, `SwimConfig::events_per_input_max`), the most events one input can produce; the simulator drains after every input and must never
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
    coverage: Coverage,
    views: MembershipViews,
    last_action_error: Option<(Tick, ActionError)>,
    // Reused buffers: messages due this tick and the datagram being sent.
    due: Vec<InFlight>,
    buf: Vec<u8>,
    // Slow nodes and their queues (see [`slow`]).
    slow: slow::Slow,
    // Per node, a tick at or before its `poll_timeout` (exact after it was ticked or handed a
    // message, 0 after an action): the tick loop skips a SWIM node that is not due without
    // reading the node itself, one cache miss per node per tick saved at scale.
    wake: Vec<Tick>,
}

impl Cluster {
    /// A cluster at tick 0 with every node up and empty.
    pub fn new(config: ClusterConfig) -> Result<Cluster, ConfigError> {
        validate(&config)?;
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
            coverage: Coverage::default(),
            views: if config.node.membership == MembershipConfig::Oracle {
                MembershipViews::default()
            } else {
                MembershipViews::seeded(config.nodes)
            },
            last_action_error: None,
            due: Vec::new(),
            buf: Vec::new(),
            slow: slow::Slow::default(),
            wake: vec![Tick::ZERO; config.nodes as usize],
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

    /// With SWIM, how the live nodes see each member, and the crash records (all empty with
    /// the oracle); see [`membership`].
    pub fn views(&self) -> &MembershipViews {
        &self.views
    }

    /// Whether the nodes run SWIM.
    pub fn is_swim(&self) -> bool {
        self.config.node.membership != MembershipConfig::Oracle
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

    /// Whether no message in flight carries any entry (requests, feedback and empty pushes or
    /// replies only): with no infective node left as well, rumor mongering can change nothing
    /// more. Costs a read of every data message in flight.
    pub fn is_quiescent(&self) -> bool {
        // The node reads the bytes; the simulator does not decode them itself.
        self.net
            .in_flight()
            .chain(self.slow.queued())
            .all(|m| !Node::carries_entries(&self.config.node, m.kind, &m.bytes))
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
        debug_assert!(self.schedule.len() <= self.config.actions_max as usize);
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
    /// counted and kept in [`Cluster::last_action_error`] as in `step_tick`, and returned: the
    /// failures of this call only, in application order (so a caller can tell its own action's
    /// refusal from an equal one earlier in the round).
    pub fn apply_due(&mut self) -> Vec<ActionError> {
        if self.now.is_round_start(self.config.ticks_per_round) {
            self.run_scheduled(self.round())
        } else {
            Vec::new()
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
            debug_assert_eq!(
                m.deliver, t,
                "the network delivers a message when it is due"
            );
            // A slow node takes its messages in later (see [`slow`]).
            if self.is_up(m.to) && self.slow.is_lagging(m.to) {
                let queued_max = self.config.net.in_flight_messages_max;
                if let Some(dropped) = self.slow.enqueue(m, queued_max) {
                    self.net.recycle(dropped.bytes);
                }
                continue;
            }
            self.handle_delivery(t, m);
        }
        self.due = due;
        for id in 0..self.nodes.len() as NodeId {
            if self.slow.is_lagging(id) {
                self.tick_lagging(id, t);
            } else {
                self.tick_node(id, t);
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

    // Hands `m` to its receiver (if up) with the node's time `now`, drains the node, and
    // recycles the buffer.
    fn handle_delivery(&mut self, now: Tick, m: InFlight) {
        match self.nodes.get_mut(m.to as usize).and_then(Option::as_mut) {
            Some(node) => {
                let before = *node.counters();
                if node.handle_message(now, m.from, &m.bytes).is_err() {
                    self.current.messages_rejected += 1;
                }
                self.current.add_node(&before, node.counters());
                self.current.messages_delivered += 1;
                self.drain(m.to);
                self.note_wake(m.to);
            }
            None => self.current.messages_to_down += 1,
        }
        self.net.recycle(m.bytes);
    }

    // Ticks node `id` (if up) with the node's time `now` and drains it.
    //
    // A SWIM node is ticked only when it asks to be (`Node::poll_timeout`), which gives the
    // same run and saves most calls at scale; the oracle's runs keep the tick of every node at
    // every tick they were recorded with.
    fn tick_node(&mut self, id: NodeId, now: Tick) {
        let on_demand = self.is_swim();
        if on_demand && self.wake[id as usize] > now {
            return;
        }
        let Some(node) = self.nodes[id as usize].as_mut() else {
            return;
        };
        if on_demand && node.poll_timeout() > now {
            self.wake[id as usize] = node.poll_timeout();
            return;
        }
        let before = *node.counters();
        node.handle_tick(now);
        self.current.add_node(&before, node.counters());
        let (after, swim) = (node.counters().swim, node.swim());
        let members = &self.members;
        let up = |p: Option<&node::Probe>| p.is_some_and(|p| members.contains(p.target));
        if after.probes_failed > before.swim.probes_failed {
            self.views
                .probe_failed(up(swim.and_then(|s| s.last_probe())));
        }
        if after.probes > before.swim.probes {
            self.views.probed(up(swim.and_then(|s| s.probe())));
        }
        self.drain(id);
        self.note_wake(id);
    }

    // Notes when node `id` (just ticked or handed a message) is next due.
    fn note_wake(&mut self, id: NodeId) {
        if let Some(node) = &self.nodes[id as usize] {
            self.wake[id as usize] = node.poll_timeout();
        }
    }

    // Any node may have changed outside the tick loop (an action): each is read again at its
    // next tick.
    pub(crate) fn forget_wakes(&mut self) {
        self.wake.fill(Tick::ZERO);
    }

    // Applies the due actions; returns the failures (also counted in the round's record).
    fn run_scheduled(&mut self, round: Round) -> Vec<ActionError> {
        let mut failed = Vec::new();
        while let Some((r, action)) = self.schedule.get(self.next_action) {
            if *r > round {
                break;
            }
            let action = action.clone();
            self.next_action += 1;
            if let Err(e) = self.apply(action) {
                self.current.actions_failed += 1;
                self.last_action_error = Some((self.now, e));
                failed.push(e);
            }
        }
        failed
    }

    // Moves node `id`'s outbox into the network and its events into the records.
    fn drain(&mut self, id: NodeId) {
        let Cluster {
            config,
            now,
            nodes,
            net,
            current,
            coverage,
            views,
            members,
            buf,
            slow,
            ..
        } = self;
        let Some(node) = nodes[id as usize].as_mut() else {
            return;
        };
        while let Some(tx) = node.poll_transmit(buf) {
            current.messages_sent += 1;
            // Which kinds carry data is the wire table's answer, not a list kept here.
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
                Event::Learned { key, version, .. } => coverage.learned(node, round, key, version),
                Event::TombstoneCollected { key, version } => {
                    coverage.let_go(key, version, &mut orphaned)
                }
                Event::RumorRemoved { .. } => {}
                Event::Member {
                    member,
                    view,
                    previous,
                } => {
                    let up = members.contains(member);
                    let lagging = up && slow.is_lagging(member);
                    views.changed(member, view, previous, round, (up, lagging));
                }
            }
        }
        for key in orphaned {
            coverage.retrack(nodes, key);
        }
    }
}

// Checks every limit of `config`; the error names the first one that is wrong.
fn validate(config: &ClusterConfig) -> Result<(), ConfigError> {
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
    if u64::from(config.records_max) * u64::from(config.keys_tracked_max) > COVERAGE_CELLS_LIMIT {
        return Err(ConfigError::CoverageCells {
            records_max: config.records_max,
            keys_tracked_max: config.keys_tracked_max,
        });
    }
    config.node.validate().map_err(ConfigError::Node)?;
    // One input yields at most one event per entry of the message it carries plus one per
    // rumor (blind removals when replying), or one per key twice (tombstone collection and
    // blind removals at a gossip tick).
    // SWIM adds the events of its own largest message or busiest tick (see
    // `SwimConfig::events_per_input_max`).
    let swim_events = match config.node.membership {
        MembershipConfig::Oracle => 0,
        MembershipConfig::Swim(s) => s.events_per_input_max(),
        // A heartbeat message or period changes at most every member's view once, and all
        // ids are below `nodes`.
        MembershipConfig::Heartbeat(_) => u64::from(config.nodes) + 1,
    };
    let events_min = u64::from(config.node.entries_per_message_max)
        + 2 * u64::from(config.node.store.keys_max)
        + swim_events;
    if u64::from(config.node.events_max) < events_min {
        return Err(ConfigError::EventsMax {
            got: config.node.events_max,
            min: events_min,
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn rumor_config(nodes: u32, seed: u64) -> ClusterConfig {
        let mut cfg = ClusterConfig::new(nodes, seed);
        cfg.node.mode = node::Mode::Rumor(node::RumorConfig {
            exchange: node::Exchange::Push,
            feedback: node::RumorFeedback::Feedback,
            stop: node::RumorStop::Counter(2),
        });
        cfg
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
