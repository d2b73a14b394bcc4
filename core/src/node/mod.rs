//! A sans-IO gossip node: bytes and ticks in, bytes and events out.
//!
//! A [`Node`] owns no clock, no socket and no global randomness. The driver (the simulator in
//! [`crate::sim`], or a real program with real sockets) feeds it:
//! * [`Node::handle_tick`]`(now)` at every tick it asks for: [`Node::poll_timeout`] says the
//!   next one (its next gossip tick); a driver may also tick it every tick, which changes
//!   nothing else, or skip the ticks in between, which saves the calls on idle nodes;
//! * [`Node::handle_message`]`(now, from, bytes)` for every datagram received,
//! * [`Node::write`] / [`Node::delete`] for local updates,
//! * [`Node::set_members`] with the current membership (with SWIM only once, to seed its
//!   table; or [`Node::join`] through a seed member instead),
//!
//! and after **every** input drains [`Node::poll_transmit`] (datagrams to send) and
//! [`Node::poll_event`] (what happened). That is the one invariant the driver must keep: the
//! queues are bounded (`outbox_messages_max`, `events_max`) and whatever does not fit is dropped
//! and counted in [`Counters`], so a driver that does not drain loses messages.
//!
//! # Where each part lives
//! This file is the driver surface only, and owns what every protocol shares: the outbox, the
//! events and the counters. Each protocol lives in one file of its own:
//! * [`config`]: [`NodeConfig`], its limits and their validation;
//! * [`membership`]: who the node believes is alive ([`Membership`]: the oracle, SWIM with
//!   Lifeguard in [`membership::swim`], or heartbeat gossip in [`membership::heartbeat`]; a
//!   detector's timers run in `handle_tick`, its message kinds `handle_message` routes to it,
//!   and its deadline `poll_timeout` includes);
//! * [`peers`]: which members it gossips with at a gossip tick;
//! * [`dissemination`]: the strategy chosen by the configured [`Mode`] ([`Dissemination`]), the
//!   one `match` per entry point, and the synchronous-round rule every strategy keeps;
//! * [`full_state`]: anti-entropy, every entry to every peer;
//! * [`rumor`]: rumor mongering after Demers et al. (1987), with its counters;
//! * [`anti_entropy`]: reconciliation sessions ([`crate::reconcile`]) with a random peer
//!   every few gossip intervals, beside the dissemination (optional, off by default);
//! * `outbox`: the bounded outbox and the writer that splits messages at the limits.
//!
//! # Counting messages: engine and kernel
//! [`Counters`] (and the simulator's per-round records built from them) count what a node
//! really sends. In pull and push-pull *every* node acts every gossip interval, informed or
//! not, because a node gossips about every key and cannot know it holds all there is: pull
//! sends a `Request` and gets a `Reply` (2 messages), push-pull sends a `PushPull` and gets a
//! `Reply` (2 messages). A data message (push, push-pull, reply) with entries, none of them new
//! to its receiver, is a duplicate. The kernel of [`crate::kernel::epidemic`] models one
//! rumor: only uninformed nodes pull, an informed node's push-pull costs 1 message, and a
//! duplicate is a rumor-carrying delivery to a node that had the rumor. Push is counted the same way in both;
//! for pull and push-pull the engine's messages and duplicates are larger (the table in
//! [`crate::kernel::epidemic`] sets the two definitions side by side).
//!

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use crate::codec;
use crate::reconcile::{Replica, Strategy};
use crate::rng::{Rng, Stream};
use crate::store::{Store, StoreError, Version};
use crate::time::Tick;
use crate::wire::{CodecLimits, DecodeError, MessageKind};

pub mod anti_entropy;
pub mod config;
pub mod dissemination;
pub mod full_state;
pub mod membership;
mod outbox;
pub mod peers;
pub mod rumor;
#[cfg(test)]
mod test_support;

pub use anti_entropy::{
    AntiEntropy, AntiEntropyConfig, AntiEntropyConfigError, AntiEntropyCounters, AntiEntropyError,
};
pub use config::{
    ConfigError, Exchange, Mode, NodeConfig, EVENTS_LIMIT, FANOUT_MAX, GOSSIP_INTERVAL_TICKS_MAX,
    OUTBOX_MESSAGES_LIMIT, VERSION_TICKS_AHEAD_LIMIT,
};
pub use dissemination::{Carried, Dissemination};
pub use full_state::{FullState, FullStateCounters};
pub use membership::heartbeat::{HeartbeatConfig, HeartbeatError, HeartbeatSource};
pub use membership::swim::{
    LifeguardConfig, MemberState, MemberView, Probe, ProbeOrder, Swim, SwimConfig, SwimConfigError,
    SwimCounters, SwimError,
};
pub use membership::{Members, Membership, MembershipConfig};
pub use rumor::{
    Rumor, RumorConfig, RumorCounters, RumorFeedback, RumorState, RumorStop, RUMOR_STOP_K_MAX,
};

use dissemination::Ctx;
use outbox::{Outbox, Writer};
use rumor::RumorMongering;

/// A node's address: its index in the cluster.
pub type NodeId = u32;

/// Why a received message was rejected. (A local write fails only with a
/// [`StoreError`]: it decodes nothing and reads no clock but the caller's.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The message was malformed or over a limit. The node's state is unchanged.
    Decode(DecodeError),
    /// A well-formed message carried a version from the future: the tick of `field` is later
    /// than `now + version_ticks_ahead_max`. The whole message was rejected, before anything
    /// was applied; the node's state (counters included) is unchanged, except for a reconcile
    /// message (see [`anti_entropy`]): its session is abandoned and counted under
    /// [`crate::reconcile::AbandonReason::VersionAhead`], the store still unchanged.
    VersionAhead {
        /// The field that was too far ahead (`"version.counter"`).
        field: &'static str,
        /// The tick read from it.
        tick: Tick,
        /// The receiver's tick.
        now: Tick,
        /// The configured `version_ticks_ahead_max`.
        max: u32,
    },
    /// A SWIM message was rejected: malformed, or naming an unknown member, an impossible
    /// incarnation, too many updates, this node as a ping-req's target, another node as a
    /// ping's, or no outstanding probe. The node's state is unchanged except the counter of
    /// the reason in [`Counters::swim`] (none for [`SwimError::NotSwim`]).
    Swim(SwimError),
    /// A heartbeat message was rejected (malformed, from this node itself, or with a row
    /// about its sender), or arrived at a node whose membership is not heartbeat gossip. The
    /// node's state is unchanged except heartbeat gossip's `messages_rejected` count.
    Heartbeat(HeartbeatError),
    /// A reconcile message was rejected (see [`anti_entropy`]): the store is unchanged; only
    /// anti-entropy's counters count the reason.
    AntiEntropy(AntiEntropyError),
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Decode(e) => write!(f, "bad message ({e}); state unchanged"),
            Error::VersionAhead {
                field,
                tick,
                now,
                max,
            } => write!(
                f,
                "{field} is at {tick}, more than version_ticks_ahead_max = {max} ticks after {now}; message rejected, state unchanged"
            ),
            Error::Swim(e) => write!(f, "bad SWIM message ({e}); state unchanged"),
            Error::Heartbeat(e) => write!(f, "bad heartbeat message ({e}); state unchanged"),
            Error::AntiEntropy(e) => write!(f, "reconcile message rejected ({e:?})"),
        }
    }
}

/// A datagram to send; its bytes were written into the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Destination.
    pub to: NodeId,
    /// Message kind (also the first byte).
    pub kind: MessageKind,
    /// Length of the datagram in bytes.
    pub len_bytes: usize,
}

/// Something that happened inside the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A newer version of `key` arrived from `from`.
    Learned {
        /// The key.
        key: Vec<u8>,
        /// The version now held.
        version: Version,
        /// The sender of the message that carried it.
        from: NodeId,
    },
    /// The node stopped spreading a rumor.
    RumorRemoved {
        /// The key.
        key: Vec<u8>,
        /// The rumor's version.
        version: Version,
    },
    /// A tombstone was garbage-collected.
    TombstoneCollected {
        /// The key.
        key: Vec<u8>,
        /// The tombstone's version.
        version: Version,
    },
    /// This node's view of `member` changed (SWIM only): it is now `view`, and was
    /// `previous` (`None`: never heard of).
    Member {
        /// The member.
        member: NodeId,
        /// How this node sees it now.
        view: MemberView,
        /// How it saw it before.
        previous: Option<MemberView>,
    },
}

/// Running totals of what a node did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Counters {
    /// Messages handed out by `poll_transmit`.
    pub messages_sent: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Messages accepted by `handle_message`.
    pub messages_received: u64,
    /// Their bytes.
    pub bytes_received: u64,
    /// Accepted messages that carry entries (push, push-pull, reply).
    pub data_messages_received: u64,
    /// Of those, the ones that carried entries but nothing new: duplicates. An empty reply
    /// carried nothing, new or old, and is not counted (as in the kernel of
    /// [`crate::kernel::epidemic`]); but the kernel counts duplicates per rumor and lets only
    /// uninformed nodes pull, so for pull and push-pull the two counts differ (see "Counting
    /// messages" in the module docs).
    pub data_messages_redundant: u64,
    /// Entries that were new.
    pub entries_new: u64,
    /// Entries for new keys refused because the store was full.
    pub entries_refused: u64,
    /// Messages dropped because the outbox was full.
    pub outbox_dropped: u64,
    /// Events dropped because the event queue was full.
    pub events_dropped: u64,
    /// Tombstones collected.
    pub tombstones_collected: u64,
    /// What full-state anti-entropy did (all zero in rumor mongering).
    pub full_state: FullStateCounters,
    /// What rumor mongering did (all zero in full state).
    pub rumor: RumorCounters,
    /// What SWIM did (all zero with the oracle).
    pub swim: SwimCounters,
    /// What anti-entropy did (all zero without it).
    pub anti_entropy: AntiEntropyCounters,
}

// The bounded event queue: an event that does not fit is dropped and counted.
#[derive(Clone, Debug)]
pub(crate) struct Events {
    queue: VecDeque<Event>,
    max: usize,
}

impl Events {
    fn new(max: u32) -> Events {
        Events {
            queue: VecDeque::new(),
            max: max as usize,
        }
    }

    // Queues `ev`, or counts it in `dropped` when the queue is full.
    pub(crate) fn emit(&mut self, dropped: &mut u64, ev: Event) {
        if self.queue.len() >= self.max {
            *dropped += 1;
        } else {
            self.queue.push_back(ev);
        }
        debug_assert!(self.queue.len() <= self.max, "the event queue is bounded");
    }
}

/// One gossip node. See the module docs for the driving loop.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    config: NodeConfig,
    limits: CodecLimits,
    rng: Rng,
    now: Tick,
    // The next gossip tick: the first multiple of the interval after the last tick handled.
    next_gossip: Tick,
    // The store, through the one type that changes it: with the Merkle strategy the replica
    // keeps the tree in step with every write, merge and collected tombstone (see
    // `anti_entropy`, "The store and the Merkle tree"); otherwise it is the bare store.
    replica: Replica,
    membership: Membership,
    // The membership source's next deadline (SWIM's or heartbeat gossip's), kept here (not
    // behind the source's box) so `poll_timeout` reads no other memory: refreshed after
    // every input the source handles.
    swim_deadline: Tick,
    dissemination: Dissemination,
    anti_entropy: Option<AntiEntropy>,
    outbox: Outbox,
    writer: Writer,
    events: Events,
    counters: Counters,
}

impl Node {
    /// A node with an empty store and no members, drawing from `rng` (by convention
    /// `Rng::stream(seed, Stream::Node, id)`). Fails if the configuration is invalid.
    ///
    /// With SWIM the node knows only itself (alive at incarnation 0) until
    /// [`Node::set_members`] seeds its table or [`Node::join`] syncs it with a seed member;
    /// SWIM draws from its own stream, `Rng::stream(rng.clone().next_u64(),
    /// Stream::Membership, id)`, so `rng` itself is not advanced.
    pub fn new(id: NodeId, config: NodeConfig, rng: Rng) -> Result<Node, ConfigError> {
        config.validate()?;
        let membership = match config.membership {
            MembershipConfig::Oracle => Membership::default(),
            MembershipConfig::Swim(c) => {
                let seed = rng.clone().next_u64();
                let swim_rng = Rng::stream(seed, Stream::Membership, u64::from(id));
                let swim = Swim::new(id, c, config.message_bytes_max, swim_rng);
                Membership::Swim(alloc::boxed::Box::new(swim))
            }
            MembershipConfig::Heartbeat(c) => {
                // The same stream SWIM would draw from: one source runs at a time.
                let seed = rng.clone().next_u64();
                let hb_rng = Rng::stream(seed, Stream::Membership, u64::from(id));
                let hb = HeartbeatSource::new(id, c, hb_rng).map_err(ConfigError::Heartbeat)?;
                Membership::Heartbeat(alloc::boxed::Box::new(hb))
            }
        };
        // Its own stream, seeded from a copy like membership's, so `rng` is not advanced.
        let replica = new_replica(&config)?;
        let anti_entropy = config.anti_entropy.map(|c| {
            let seed = rng.clone().next_u64();
            let rng = Rng::stream(seed, Stream::AntiEntropy, u64::from(id));
            AntiEntropy::new(c, config.version_ticks_ahead_max, rng)
        });
        Ok(Node {
            id,
            config,
            limits: config.codec_limits(),
            rng,
            now: Tick::ZERO,
            next_gossip: Tick::ZERO,
            replica,
            membership,
            swim_deadline: Tick::ZERO,
            dissemination: Dissemination::new(config.mode),
            anti_entropy,
            outbox: Outbox::new(config.outbox_messages_max),
            writer: Writer::new(),
            events: Events::new(config.events_max),
            counters: Counters::default(),
        })
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// Its configuration.
    pub fn config(&self) -> &NodeConfig {
        &self.config
    }

    /// The latest tick it was given.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// Its key/value state.
    pub fn store(&self) -> &Store {
        self.replica.store()
    }

    /// Its store as anti-entropy keeps it: with the Merkle strategy, the store and its tree
    /// (whose inner nodes may wait for the next session step's refresh, see
    /// [`Replica::tree`]).
    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    /// Its dissemination strategy and that strategy's state.
    pub fn dissemination(&self) -> &Dissemination {
        &self.dissemination
    }

    /// Its rumor for `key` (rumor mode only; `None` means susceptible).
    pub fn rumor(&self, key: &[u8]) -> Option<&Rumor> {
        self.dissemination.rumor(key)
    }

    /// All its rumors in key order (none in full state).
    pub fn rumors(&self) -> impl Iterator<Item = (&[u8], &Rumor)> + '_ {
        self.dissemination
            .as_rumor()
            .into_iter()
            .flat_map(RumorMongering::rumors)
    }

    /// Whether it is spreading any rumor.
    pub fn is_infective(&self) -> bool {
        self.dissemination.is_infective()
    }

    /// Whether it still spreads `version` of `key` (see [`Dissemination::spreads`]).
    pub fn spreads(&self, key: &[u8], version: Version) -> bool {
        self.dissemination.spreads(key, version)
    }

    /// What a message of `kind` with these `bytes`, sent by a node configured with `config`,
    /// carries about `key`: a viewer asks this instead of decoding protocol bytes itself.
    pub fn carried(config: &NodeConfig, kind: MessageKind, bytes: &[u8], key: &[u8]) -> Carried {
        dissemination::carried(&config.codec_limits(), kind, bytes, key)
    }

    /// Whether a message of `kind` with these `bytes`, sent by a node configured with
    /// `config`, carries any entry at all.
    pub fn carries_entries(config: &NodeConfig, kind: MessageKind, bytes: &[u8]) -> bool {
        dissemination::carries_entries(&config.codec_limits(), kind, bytes)
    }

    /// A SWIM message sent by a node configured with `config`, decoded for a viewer (kind,
    /// sequence number, target, whether it is on the indirect path, its updates); `None` for
    /// another kind, an oracle configuration or bytes that are not a valid message.
    pub fn swim_message<'a>(
        config: &NodeConfig,
        bytes: &'a [u8],
    ) -> Option<membership::swim::codec::SwimMessage<'a>> {
        let MembershipConfig::Swim(c) = config.membership else {
            return None;
        };
        let limits = membership::swim::codec::SwimLimits {
            message_bytes_max: config.message_bytes_max,
            members_max: c.members_max,
            piggyback_updates_max: c.piggyback_updates_max,
            sync_updates_per_message_max: c.sync_updates_per_message_max,
        };
        membership::swim::codec::decode(bytes, &limits).ok()
    }

    /// Whether a message whose first bytes are `head` (all of it, or only its header), sent
    /// by a node configured with `config`, is a SWIM ping or ack of the indirect path: a ping
    /// a ping-req helper sends the target, or the ack it relays to the requester. The sender
    /// marks them ([`membership::swim::codec::FLAG_RELAYED`]); `false` for anything else.
    pub fn swim_relayed(config: &NodeConfig, head: &[u8]) -> bool {
        match config.membership {
            MembershipConfig::Swim(c) => {
                membership::swim::codec::head_is_relayed(head, c.members_max)
            }
            _ => false,
        }
    }

    /// Its running totals.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The membership it gossips with.
    pub fn members(&self) -> &Members {
        self.membership.members()
    }

    /// How it learns the membership.
    pub fn membership(&self) -> &Membership {
        &self.membership
    }

    /// Messages waiting in the outbox.
    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// Events waiting.
    pub fn events_len(&self) -> usize {
        self.events.queue.len()
    }

    /// Replaces the membership (the oracle view of live members; it may include this node).
    /// With SWIM only the first call counts: it seeds the table with every member alive at
    /// incarnation 0 (the simulator's start); later calls change nothing.
    pub fn set_members(&mut self, members: Members) {
        self.membership.set_members(members);
        self.refresh_deadline();
    }

    /// Writes `value` under `key` as a new version. On error nothing changed.
    pub fn write(&mut self, now: Tick, key: &[u8], value: &[u8]) -> Result<Version, StoreError> {
        self.update(now, key, Some(value))
    }

    /// Deletes `key` by writing a tombstone. On error nothing changed.
    pub fn delete(&mut self, now: Tick, key: &[u8]) -> Result<Version, StoreError> {
        self.update(now, key, None)
    }

    fn update(
        &mut self,
        now: Tick,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<Version, StoreError> {
        let version = self.replica.write(now, self.id, key, value)?;
        self.now = self.now.max(now);
        self.dissemination.on_write(key, version);
        Ok(version)
    }

    /// The next datagram to send: its bytes replace the contents of `buf`.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let (to, kind) = self.outbox.pop(buf)?;
        debug_assert_eq!(
            buf.first().copied(),
            Some(kind as u8),
            "the kind is the first byte"
        );
        self.counters.messages_sent += 1;
        self.counters.bytes_sent += buf.len() as u64;
        Some(Transmit {
            to,
            kind,
            len_bytes: buf.len(),
        })
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.queue.pop_front()
    }

    /// The next tick at which the node needs [`Node::handle_tick`]: its next gossip tick, the
    /// first multiple of `gossip_interval_ticks` after the last tick it handled (tick 0 before
    /// the first). Between gossip ticks a tick only moves [`Node::now`] forward, so a driver
    /// that ticks a node only at this tick gets the same messages, events and state as one
    /// that ticks it every tick.
    ///
    /// With SWIM it is the earlier of that and SWIM's next deadline ([`Swim::next_deadline`]);
    /// with heartbeat gossip, of that and its next period.
    pub fn poll_timeout(&self) -> Tick {
        match &self.membership {
            Membership::Oracle(_) => self.next_gossip,
            _ => self.next_gossip.min(self.swim_deadline),
        }
    }

    /// Handles one received datagram. A malformed message, or one carrying a version from the
    /// future (see [`NodeConfig::version_ticks_ahead_max`]), is rejected whole, before anything
    /// is applied, and the node's state (counters included) is unchanged.
    ///
    /// A SWIM message (a kind of [`crate::node::membership::swim::codec`]) goes to SWIM; it is
    /// rejected whole on any error ([`Error::Swim`]), and then only the reason's counter
    /// changes.
    pub fn handle_message(&mut self, now: Tick, from: NodeId, bytes: &[u8]) -> Result<(), Error> {
        let first = bytes.first().copied().and_then(MessageKind::from_byte);
        if first.is_some_and(membership::swim::codec::is_swim) {
            return self.handle_swim(now, from, bytes);
        }
        if first == Some(MessageKind::Reconcile) {
            return self.handle_reconcile(now, from, bytes);
        }
        if first == Some(MessageKind::Heartbeat) && self.membership.heartbeat().is_some() {
            return self.handle_heartbeat(now, from, bytes);
        }
        let msg = codec::decode(bytes, &self.limits)?;
        let ahead_max = self.config.version_ticks_ahead_max;
        let latest = Tick(now.0.saturating_add(u64::from(ahead_max)));
        if let Some(e) = msg.entries().find(|e| e.version.tick() > latest) {
            return Err(Error::VersionAhead {
                field: "version.counter",
                tick: e.version.tick(),
                now,
                max: ahead_max,
            });
        }
        self.note_received(now, bytes.len());
        let (dissemination, mut cx) = self.split();
        dissemination.on_message(&mut cx, now, from, &msg);
        Ok(())
    }

    // What every accepted message does to the node's clock and counters, whoever handled it.
    fn note_received(&mut self, now: Tick, len_bytes: usize) {
        self.now = self.now.max(now);
        self.counters.messages_received += 1;
        self.counters.bytes_received += len_bytes as u64;
    }

    fn handle_swim(&mut self, now: Tick, from: NodeId, bytes: &[u8]) -> Result<(), Error> {
        let Node {
            membership,
            outbox,
            events,
            counters,
            ..
        } = self;
        let Membership::Swim(swim) = membership else {
            return Err(Error::Swim(SwimError::NotSwim));
        };
        let mut out = membership::swim::Out {
            outbox,
            events,
            counters,
        };
        if let Err(e) = swim.on_message(&mut out, now, from, bytes) {
            e.count(&mut self.counters.swim);
            return Err(Error::Swim(e));
        }
        self.swim_deadline = swim.next_deadline();
        self.note_received(now, bytes.len());
        Ok(())
    }

    fn handle_reconcile(&mut self, now: Tick, from: NodeId, bytes: &[u8]) -> Result<(), Error> {
        let (ae, mut io, _) = self
            .anti_entropy_io()
            .ok_or(Error::AntiEntropy(AntiEntropyError::Off))?;
        ae.on_message(&mut io, now, from, bytes)
            .map_err(|e| match e {
                // The same error as for gossip: a version from the future is one rule.
                AntiEntropyError::VersionAhead { tick, max } => Error::VersionAhead {
                    field: "version.counter",
                    tick,
                    now,
                    max,
                },
                e => Error::AntiEntropy(e),
            })?;
        self.note_received(now, bytes.len());
        Ok(())
    }

    // Anti-entropy's state, the parts of the node a session step writes to, and the membership
    // its peers come from.
    fn anti_entropy_io(&mut self) -> Option<(&mut AntiEntropy, anti_entropy::Io<'_>, &Membership)> {
        let Node {
            config,
            anti_entropy,
            replica,
            membership,
            dissemination,
            outbox,
            events,
            counters,
            ..
        } = self;
        let ae = anti_entropy.as_mut()?;
        let rumor_repairs = config.anti_entropy.is_some_and(|c| c.rumor_repairs);
        let io = anti_entropy::Io {
            replica,
            outbox,
            outbox_dropped: &mut counters.outbox_dropped,
            counters: &mut counters.anti_entropy,
            events,
            events_dropped: &mut counters.events_dropped,
            rumors: rumor_repairs.then_some(dissemination),
        };
        Some((ae, io, membership))
    }

    /// Its anti-entropy state, if configured.
    pub fn anti_entropy(&self) -> Option<&AntiEntropy> {
        self.anti_entropy.as_ref()
    }

    fn handle_heartbeat(&mut self, now: Tick, from: NodeId, bytes: &[u8]) -> Result<(), Error> {
        let (hb, mut out) = self
            .heartbeat_out()
            .ok_or(Error::Swim(SwimError::NotSwim))?;
        hb.on_message(&mut out, now, from, bytes)
            .map_err(Error::Heartbeat)?;
        self.note_received(now, bytes.len());
        Ok(())
    }

    // Heartbeat gossip's state and the parts of the node it writes to.
    fn heartbeat_out(
        &mut self,
    ) -> Option<(&mut HeartbeatSource, membership::heartbeat::source::Out<'_>)> {
        let Node {
            membership,
            outbox,
            events,
            counters,
            ..
        } = self;
        let Membership::Heartbeat(hb) = membership else {
            return None;
        };
        let out = membership::heartbeat::source::Out {
            outbox,
            events,
            counters,
        };
        Some((hb, out))
    }

    fn refresh_deadline(&mut self) {
        if let Some(t) = self.membership.next_deadline() {
            self.swim_deadline = t;
        }
    }

    /// Heartbeat gossip's state, if that is the membership.
    pub fn heartbeat(&self) -> Option<&HeartbeatSource> {
        self.membership.heartbeat()
    }

    /// SWIM's state, if the membership is SWIM.
    pub fn swim(&self) -> Option<&Swim> {
        self.membership.swim()
    }

    // SWIM's state and the parts of the node it writes to, or `NotSwim`.
    fn swim_out(&mut self) -> Result<(&mut Swim, membership::swim::Out<'_>), SwimError> {
        let Node {
            membership,
            outbox,
            events,
            counters,
            ..
        } = self;
        match membership {
            Membership::Swim(swim) => Ok((
                swim,
                membership::swim::Out {
                    outbox,
                    events,
                    counters,
                },
            )),
            _ => Err(SwimError::NotSwim),
        }
    }

    /// Joins the cluster through `seed`. With SWIM a push-pull sync with it, whose reply
    /// fills this node's table; with heartbeat gossip `seed` becomes a known member, sent this
    /// node's table at its next period (see [`membership::heartbeat::Heartbeat::join`]). Drain
    /// [`Node::poll_transmit`] and [`Node::poll_event`] after it. Fails with the oracle.
    pub fn join(&mut self, now: Tick, seed: NodeId) -> Result<(), SwimError> {
        self.now = self.now.max(now);
        if let Some((hb, mut out)) = self.heartbeat_out() {
            hb.join(&mut out, seed);
            self.refresh_deadline();
            return Ok(());
        }
        let (swim, mut out) = self.swim_out()?;
        swim.join(&mut out, now, seed);
        self.swim_deadline = swim.next_deadline();
        Ok(())
    }

    /// Leaves the cluster gracefully (SWIM only): left at a higher incarnation, told to a few
    /// members and piggybacked on every message after. The node stops probing.
    pub fn leave(&mut self, now: Tick) -> Result<(), SwimError> {
        self.now = self.now.max(now);
        let (swim, mut out) = self.swim_out()?;
        swim.leave(&mut out);
        self.swim_deadline = swim.next_deadline();
        Ok(())
    }

    /// Raises this node's own incarnation to `incarnation` (SWIM; with heartbeat gossip it
    /// sets the generation): a restarted node starts above its previous life, so its alive
    /// overrides the old death. No event. Fails with the oracle.
    pub fn set_incarnation(&mut self, incarnation: u32) -> Result<(), SwimError> {
        if let Some((hb, _)) = self.heartbeat_out() {
            hb.set_generation(u64::from(incarnation));
            return Ok(());
        }
        let (swim, _) = self.swim_out()?;
        swim.set_incarnation(incarnation);
        Ok(())
    }

    /// Handles the passage of time: SWIM's timers (with SWIM), then at every multiple of
    /// `gossip_interval_ticks` it collects old tombstones and starts one exchange with each
    /// of `fanout` random peers.
    pub fn handle_tick(&mut self, now: Tick) {
        self.now = self.now.max(now);
        if let Ok((swim, mut out)) = self.swim_out() {
            swim.on_tick(&mut out, now);
            self.swim_deadline = swim.next_deadline();
        }
        if let Some((hb, mut out)) = self.heartbeat_out() {
            hb.on_tick(&mut out, now);
            self.refresh_deadline();
        }
        let interval = u64::from(self.config.gossip_interval_ticks);
        if now >= self.next_gossip {
            self.next_gossip = Tick(
                (now.0 / interval)
                    .saturating_add(1)
                    .saturating_mul(interval),
            );
        }
        debug_assert!(
            self.next_gossip > now || now.0 == u64::MAX,
            "the next gossip is ahead"
        );
        if !now.0.is_multiple_of(interval) {
            return;
        }
        self.collect_garbage(now);
        let (dissemination, mut cx) = self.split();
        dissemination.on_gossip_tick(&mut cx, now);
        self.anti_entropy_tick(now);
    }

    // Anti-entropy's part of a gossip tick, after dissemination's (so its draws come after).
    fn anti_entropy_tick(&mut self, now: Tick) {
        let id = self.id;
        let Some((ae, mut io, membership)) = self.anti_entropy_io() else {
            return;
        };
        ae.on_gossip_tick(&mut io, now, id, membership.members().as_slice());
    }

    // The strategy, and the rest of the node it works on, borrowed apart.
    fn split(&mut self) -> (&mut Dissemination, Ctx<'_>) {
        let Node {
            id,
            config,
            limits,
            rng,
            replica,
            membership,
            dissemination,
            outbox,
            writer,
            events,
            counters,
            ..
        } = self;
        let cx = Ctx {
            id: *id,
            config,
            limits,
            members: membership,
            rng,
            replica,
            outbox,
            writer,
            events,
            counters,
        };
        (dissemination, cx)
    }

    // Drops tombstones by the rule documented in `crate::store`, and their rumors with them.
    fn collect_garbage(&mut self, now: Tick) {
        let age = self.config.tombstone_age_ticks();
        let Node {
            replica,
            dissemination,
            events,
            counters,
            ..
        } = self;
        replica.collect_tombstones(now, age, |k, version| {
            dissemination.on_collected(k);
            counters.tombstones_collected += 1;
            let ev = Event::TombstoneCollected {
                key: k.to_vec(),
                version,
            };
            events.emit(&mut counters.events_dropped, ev);
        });
    }
}

// The node's empty replica: with a tree only when anti-entropy compares Merkle trees, so a
// node without it pays nothing per write or merge. The shape was validated with the config.
fn new_replica(config: &NodeConfig) -> Result<Replica, ConfigError> {
    let store = Store::new(config.store);
    match config.anti_entropy.map(|c| c.strategy) {
        Some(Strategy::Merkle(shape)) => Replica::with_tree(store, shape)
            .map_err(|e| ConfigError::AntiEntropy(AntiEntropyConfigError::Reconcile(e))),
        _ => Ok(Replica::new(store)),
    }
}

#[cfg(test)]
mod tests {
    use crate::codec::{Message, WireEntry};
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::store::Version;
    use crate::time::Tick;
    use crate::wire::{DecodeError, MessageKind};
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn an_entry_received_in_a_tick_is_passed_on_only_from_the_next_tick() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Push));
        a.handle_message(Tick(4), 1, &push_of(b"k", 1, 1)).unwrap();
        a.handle_tick(Tick(4));
        assert!(
            sent(&mut a).is_empty(),
            "learned at tick 4, so not sendable at tick 4"
        );
        a.handle_tick(Tick(8));
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert!(matches!(&out[0].1, Message::Push(es) if es.len() == 1));
    }

    #[test]
    fn a_reply_never_carries_what_arrived_in_the_same_tick_whatever_the_order() {
        let request = [MessageKind::Request as u8];
        for push_first in [true, false] {
            let mut a = node(0, Mode::AntiEntropy(Exchange::Pull));
            let inputs: [(NodeId, &[u8]); 2] = if push_first {
                [(1, &push_of(b"k", 1, 1)), (2, &request)]
            } else {
                [(2, &request), (1, &push_of(b"k", 1, 1))]
            };
            for (from, bytes) in inputs {
                a.handle_message(Tick(5), from, bytes).unwrap();
            }
            assert_eq!(
                sent(&mut a),
                [(2, Message::Reply(vec![]))],
                "push first: {push_first}"
            );
        }
    }

    #[test]
    fn own_writes_are_sent_in_the_tick_they_are_made() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Push));
        a.write(Tick(0), b"k", b"v").unwrap();
        a.handle_tick(Tick(0));
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert_ne!(out[0].0, 0, "a node never gossips with itself");
    }

    #[test]
    fn a_malformed_message_is_rejected_and_changes_nothing() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::PushPull));
        a.write(Tick(0), b"k", b"v").unwrap();
        let before = (
            a.store().clone(),
            *a.counters(),
            a.outbox_len(),
            a.events_len(),
        );
        // A valid first entry followed by a bad value tag: nothing may be applied.
        let mut bad = push_of(b"x", 9, 1);
        bad[1] = 2;
        bad.extend_from_slice(&[1, b'y', 1, 1, 9]);
        let err = a.handle_message(Tick(1), 1, &bad).unwrap_err();
        assert_eq!(err, Error::Decode(DecodeError::BadValueTag(9)));
        assert_eq!(
            before,
            (
                a.store().clone(),
                *a.counters(),
                a.outbox_len(),
                a.events_len()
            )
        );
    }

    #[test]
    fn a_version_from_the_future_is_rejected_whole_and_changes_nothing() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::PushPull));
        a.write(Tick(0), b"k", b"v").unwrap();
        let observe = |a: &Node| {
            (
                a.store().clone(),
                *a.counters(),
                a.outbox_len(),
                a.events_len(),
            )
        };
        let before = observe(&a);
        let ahead = u64::from(a.config().version_ticks_ahead_max);
        // A first entry that is fine, then one near u64::MAX: nothing may be applied.
        let msg = Message::Push(vec![
            WireEntry {
                key: b"a".to_vec(),
                version: Version {
                    counter: 1,
                    origin: 1,
                },
                value: Some(b"1".to_vec()),
            },
            WireEntry {
                key: b"b".to_vec(),
                version: Version {
                    counter: u64::MAX - 1,
                    origin: 1,
                },
                value: None,
            },
        ]);
        let mut bytes = Vec::new();
        msg.encode(&mut bytes);
        let err = a.handle_message(Tick(1), 1, &bytes).unwrap_err();
        assert_eq!(
            err,
            Error::VersionAhead {
                field: "version.counter",
                tick: Tick((u64::MAX - 1) >> 16),
                now: Tick(1),
                max: ahead as u32,
            }
        );
        assert_eq!(before, observe(&a));
        // The boundary: a tick exactly `version_ticks_ahead_max` ahead is accepted, one more
        // is not.
        let at = |tick: u64| push_of(b"c", tick << 16, 1);
        assert!(matches!(
            a.handle_message(Tick(1), 1, &at(2 + ahead)),
            Err(Error::VersionAhead { .. })
        ));
        a.handle_message(Tick(1), 1, &at(1 + ahead)).unwrap();
        // Local writes still get fresh, distinct versions afterwards.
        let v1 = a.write(Tick(1), b"c", b"x").unwrap();
        let v2 = a.write(Tick(1), b"c", b"y").unwrap();
        assert!(v2 > v1);
    }

    #[test]
    fn tombstones_past_the_window_are_collected_and_never_sent() {
        let config = NodeConfig {
            tombstone_gc_rounds: 2,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 2);
        a.delete(Tick(0), b"k").unwrap();
        // A copy of an old tombstone arriving now is applied but not passed on.
        let mut b = node_with(1, config, 2);
        let old = a.store().get(b"k").unwrap().version();
        let mut msg = Vec::new();
        Message::Push(vec![WireEntry {
            key: b"k".to_vec(),
            version: old,
            value: None,
        }])
        .encode(&mut msg);
        b.handle_message(Tick(9), 0, &msg).unwrap();
        b.handle_message(Tick(10), 0, &[MessageKind::Request as u8])
            .unwrap();
        assert_eq!(sent(&mut b), [(0, Message::Reply(vec![]))]);
        a.handle_tick(Tick(4));
        assert!(a.store().get(b"k").is_some(), "1 round old");
        a.handle_tick(Tick(8));
        assert!(a.store().get(b"k").is_none(), "2 rounds old");
        assert_eq!(a.counters().tombstones_collected, 1);
    }

    #[test]
    fn poll_timeout_is_the_next_gossip_tick_after_the_last_tick_handled() {
        let config = NodeConfig {
            gossip_interval_ticks: 4,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 4);
        assert_eq!(a.poll_timeout(), Tick(0), "a new node gossips at tick 0");
        a.handle_tick(Tick(0));
        assert_eq!(a.poll_timeout(), Tick(4));
        a.handle_tick(Tick(1));
        assert_eq!(
            a.poll_timeout(),
            Tick(4),
            "a tick in between changes nothing"
        );
        // A driver that was late (tick 9 instead of 8) is asked for the one after.
        a.handle_tick(Tick(9));
        assert_eq!(a.poll_timeout(), Tick(12));
    }

    // Every datagram of a run (tick, from, to, bytes), every node's events, and their final
    // stores and counters.
    type Run = (
        Vec<(u64, NodeId, NodeId, Vec<u8>)>,
        Vec<Vec<Event>>,
        Vec<(crate::store::Store, Counters)>,
    );

    // Six nodes over a perfect network with a latency of one tick, two writes, 80 ticks; each
    // node is ticked every tick, or only when `poll_timeout` says so. Returns the run and the
    // number of `handle_tick` calls.
    fn drive(mode: Mode, interval: u32, every_tick: bool) -> (Run, u32) {
        let config = NodeConfig {
            mode,
            fanout: 2,
            gossip_interval_ticks: interval,
            ..NodeConfig::default()
        };
        let mut nodes: Vec<Node> = (0..6).map(|id| node_with(id, config, 6)).collect();
        let (mut wire, mut events) = (Vec::new(), vec![Vec::new(); 6]);
        let mut flying: Vec<(NodeId, NodeId, Vec<u8>)> = Vec::new();
        let (mut buf, mut ticks) = (Vec::new(), 0);
        let mut drain = |n: &mut Node, t: u64, flying: &mut Vec<(NodeId, NodeId, Vec<u8>)>| {
            while let Some(tx) = n.poll_transmit(&mut buf) {
                wire.push((t, n.id(), tx.to, buf.clone()));
                flying.push((n.id(), tx.to, buf.clone()));
            }
            while let Some(ev) = n.poll_event() {
                events[n.id() as usize].push(ev);
            }
        };
        for t in 0..80u64 {
            let now = Tick(t);
            for (from, to, bytes) in core::mem::take(&mut flying) {
                let n = &mut nodes[to as usize];
                n.handle_message(now, from, &bytes).unwrap();
                drain(n, t, &mut flying);
            }
            if t == 0 || t == 23 {
                nodes[(t % 5) as usize]
                    .write(now, b"k", &[t as u8])
                    .unwrap();
            }
            for n in nodes.iter_mut() {
                if every_tick || now >= n.poll_timeout() {
                    n.handle_tick(now);
                    ticks += 1;
                    drain(n, t, &mut flying);
                }
            }
        }
        let ends = nodes.iter().map(|n| (n.store().clone(), *n.counters()));
        ((wire, events, ends.collect()), ticks)
    }

    #[test]
    fn ticking_only_at_poll_timeout_gives_the_same_run_as_ticking_every_tick() {
        let rumor_pp = rumor(
            Exchange::PushPull,
            RumorFeedback::Feedback,
            RumorStop::Counter(2),
        );
        let blind_coin = rumor(Exchange::Pull, RumorFeedback::Blind, RumorStop::Coin(2));
        for mode in [Mode::AntiEntropy(Exchange::Pull), rumor_pp, blind_coin] {
            for interval in [1, 3, 4] {
                let (every, every_ticks) = drive(mode, interval, true);
                let (sparse, sparse_ticks) = drive(mode, interval, false);
                assert!(!every.0.is_empty());
                assert!(every == sparse, "{mode:?}, interval {interval}");
                assert_eq!(every_ticks, 6 * 80);
                assert_eq!(sparse_ticks, 6 * 80u32.div_ceil(interval));
            }
        }
    }
}
