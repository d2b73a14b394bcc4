//! A sans-IO gossip node: bytes and ticks in, bytes and events out.
//!
//! A [`Node`] owns no clock, no socket and no global randomness. The driver (the simulator in
//! [`crate::sim`], or a real program with real sockets) feeds it:
//! * [`Node::handle_tick`]`(now)` on every tick (or at least on every gossip tick),
//! * [`Node::handle_message`]`(now, from, bytes)` for every datagram received,
//! * [`Node::write`] / [`Node::delete`] for local updates,
//! * [`Node::set_members`] with the current membership,
//!
//! and after **every** input drains [`Node::poll_transmit`] (datagrams to send) and
//! [`Node::poll_event`] (what happened). That is the one invariant the driver must keep: the
//! queues are bounded (`outbox_messages_max`, `events_max`) and whatever does not fit is dropped
//! and counted in [`Counters`], so a driver that does not drain loses messages.
//!
//! # Membership
//! Membership is an oracle for now: the driver tells each node the live members
//! ([`Members`], shared cheaply between nodes), as a perfect failure detector would. A later
//! SWIM module will replace the oracle; nothing else in the node depends on how the list is
//! obtained.
//!
//! # Modes
//! Every `gossip_interval_ticks` (at ticks that are multiples of it) a node picks `fanout`
//! distinct peers uniformly among the *other* live members, with its own random stream
//! `Rng::stream(seed, Stream::Node, index)`, and exchanges with each:
//! * **Anti-entropy** ([`Mode::AntiEntropy`]): full-state exchange, the baseline for later Merkle
//!   work. Push sends every entry; pull sends a `Request` answered by a `Reply` with every entry;
//!   push-pull does both in one round trip.
//! * **Rumor mongering** ([`Mode::Rumor`], Demers et al. 1987): each update is a rumor; a node is
//!   *susceptible* (does not know it), *infective* (spreads it) or *removed* (knows it, stopped).
//!   Only infective rumors are sent. Pull sends a `Request` and the responder replies with its
//!   infective rumors; push-pull does both. With *feedback* the recipient of a rumor answers
//!   with a `Feedback` message listing the rumors it already knew, "already" meaning learned
//!   before the tick the rumor arrived (so two copies that reach a node in the same tick are
//!   both useful, whatever their order of delivery); *blind* ignores what the recipient knew.
//!
//! ## Losing interest: the counter counts cycles
//! The rule is the one of [`crate::kernel::demers`] that reproduces Demers et al.'s Tables 1 to 3, with
//! a node's gossip interval as the cycle. For each rumor a node counts, during a cycle, the
//! *contacts* (each peer it sent the rumor to: push, push-pull or reply) and the *unnecessary*
//! ones (each `Feedback` naming the rumor). The cycle is judged at the node's next gossip tick,
//! before it chooses peers, once the feedback of the cycle has had time to come back:
//! * a cycle with an unnecessary contact and no useful one (with feedback: at least one
//!   feedback and as many as contacts; blind: any contact) is *counted*: *counter(k)* advances
//!   the rumor's counter by one and removes the rumor when it reaches k, *coin(k)* removes it
//!   with probability 1/k (one draw from the node's stream, rumors in key order);
//! * a cycle with a useful contact (with feedback: fewer feedbacks than contacts) resets the
//!   counter to 0;
//! * a cycle without contacts changes nothing.
//!
//! A contact is counted when the rumor is put in a message for a peer, before the outbox
//! accepts it: a message the full outbox drops (counted in [`Counters::outbox_dropped`]) still
//! counts as a contact, like a message the network loses, and for blind counting it counts
//! towards losing interest. The node could tell (the outbox knows), but the drop is a local
//! overload the driver is told about through the counter, and counting it keeps the rule the
//! same whether the message is lost in the outbox or on the wire.
//!
//! A removed rumor is not sent from then on, so a rumor judged at tick `(r + 1)T` still went out
//! in every exchange of cycle `r`, as in the synchronous model where removal takes effect at
//! the end of the cycle. A contact is counted as useful when no feedback names it: without loss
//! that is exact, and with loss a lost push or a lost feedback looks useful (the sender cannot
//! tell). The feedback of cycle `r` arrives by the next gossip tick when the messages of the
//! exchange fit in the interval: `2L < T` for push, `3L < T` for pull (request, reply, feedback);
//! feedback that arrives later is judged with the following cycle.
//!
//! # Counting messages: engine and kernel
//! [`Counters`] (and the simulator's per-round records built from them) count what a node
//! really sends. In pull and push-pull *every* node acts every gossip interval, informed or
//! not, because a node gossips about every key and cannot know it holds all there is: pull
//! sends a `Request` and gets a `Reply` (2 messages), push-pull sends a `PushPull` and gets a
//! `Reply` (2 messages). A data message (push, push-pull, reply) with entries, none of them new
//! to its receiver, is a duplicate. The kernel of [`crate::kernel::epidemic`] models one rumor: only
//! uninformed nodes pull, an informed node's push-pull costs 1 message, and a duplicate is a
//! rumor-carrying delivery to a node that had the rumor. Push is counted the same way in both;
//! for pull and push-pull the engine's messages and duplicates are larger (the table in
//! [`crate::kernel::epidemic`] sets the two definitions side by side).
//!
//! # Synchronous rounds
//! The literature's model is synchronous: all exchanges of round r use the state at the start
//! of round r, so what a node learns in round r it first passes on in round r + 1. The node
//! realises this with one rule: **a message sent at tick t carries only entries learned before
//! tick t** (its own writes count from the tick they were made). Because of that rule, nothing
//! learned in tick t is sent in tick t whatever the order of delivery, and the store at the end
//! of the tick does not depend on that order either (merge keeps the larger version). The order
//! of delivery within one tick still matters in these cases, which is why the simulator fixes
//! it (send order, see [`crate::sim`]):
//! * a key held before tick t and overwritten *in* tick t by a newer version: a store keeps one
//!   version per key, so a reply made before the overwrite carries the old version (and, in
//!   rumor mode, counts a contact for it) and a reply made after carries nothing for that key;
//! * the order of events and of queued messages, and so which ones a full queue drops;
//! * which of two copies of one entry arriving in one tick is counted as new and which as
//!   redundant (`entries_new`, `data_messages_redundant`); the feedback does not depend on it;
//! * once `keys_max` is reached, which new key is refused.
//!
//! With one rumor about a key nobody held before (the literature's setting) no held entry is
//! ever overwritten, so there message contents and rumor states do not depend on the order. With a gossip interval
//! of one round of `T` ticks and a *fixed* latency of `L` ticks, every message of round r
//! arrives at tick `rT + L` and every reply at `rT + 2L`; replies sent at `rT + L` therefore
//! carry exactly the start-of-round state, and everything learned in round r is passed on in
//! round r + 1 when `2L < T` (push alone needs `L < T`). Then the simulation *is* the
//! synchronous model (the default is `T = 4`, `L = 1`). With a latency range, or `2L >= T`,
//! some messages of round r arrive during later rounds, or a reply carries something learned
//! during the round, and the model becomes asynchronous, as real networks are.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use crate::codec::{self, MessageRef};
use crate::rng::{Probability, Rng};
use crate::store::{
    Merged, Store, StoreError, StoreLimits, Version, KEYS_LIMIT, KEY_BYTES_LIMIT, VALUE_BYTES_LIMIT,
};
use crate::time::Tick;
use crate::wire::{self, Body, CodecLimits, DecodeError, MessageKind};

/// A node's address: its index in the cluster.
pub type NodeId = u32;

/// The largest fanout a node may use.
pub const FANOUT_MAX: u32 = 16;
/// The longest gossip interval.
pub const GOSSIP_INTERVAL_TICKS_MAX: u32 = 1 << 16;
/// Upper bound for [`NodeConfig::outbox_messages_max`].
pub const OUTBOX_MESSAGES_LIMIT: u32 = 1 << 20;
/// Upper bound for [`NodeConfig::events_max`].
pub const EVENTS_LIMIT: u32 = 1 << 20;
/// Upper bound for the `k` of [`RumorStop`].
pub const RUMOR_STOP_K_MAX: u32 = 1 << 16;
/// Upper bound for [`NodeConfig::version_ticks_ahead_max`].
pub const VERSION_TICKS_AHEAD_LIMIT: u32 = 1 << 20;

/// The direction of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exchange {
    /// Send what we have.
    Push,
    /// Ask for what the peer has.
    Pull,
    /// Both, in one round trip.
    PushPull,
}

/// Whether a rumor sender loses interest on what recipients say, or blindly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RumorFeedback {
    /// Lose interest only when a recipient already knew the rumor (needs `Feedback` replies).
    Feedback,
    /// Lose interest on every send, whatever the recipient knew.
    Blind,
}

/// When a rumor sender stops spreading (becomes removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RumorStop {
    /// After `k` occasions (see [`RumorFeedback`]).
    Counter(u32),
    /// With probability `1/k` on each occasion.
    Coin(u32),
}

/// Rumor-mongering parameters (Demers et al. 1987).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RumorConfig {
    /// Push, pull or push-pull.
    pub exchange: Exchange,
    /// Feedback or blind.
    pub feedback: RumorFeedback,
    /// Counter or coin.
    pub stop: RumorStop,
}

/// The dissemination protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Full-state anti-entropy with the given exchange.
    AntiEntropy(Exchange),
    /// Rumor mongering.
    Rumor(RumorConfig),
}

/// Everything a node is configured with. All limits are named and validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeConfig {
    /// The dissemination protocol.
    pub mode: Mode,
    /// Distinct peers contacted per gossip interval, 1 to [`FANOUT_MAX`].
    pub fanout: u32,
    /// Ticks between gossip exchanges, 1 to [`GOSSIP_INTERVAL_TICKS_MAX`]; a node gossips at
    /// ticks that are multiples of it. A "round" for this node is one interval.
    pub gossip_interval_ticks: u32,
    /// Store limits (`keys_max`, `key_bytes_max`, `value_bytes_max`).
    pub store: StoreLimits,
    /// Longest message sent or accepted, in bytes; must fit one largest entry.
    pub message_bytes_max: u32,
    /// Most entries per message, 1 to [`codec::ENTRIES_PER_MESSAGE_LIMIT`].
    pub entries_per_message_max: u32,
    /// Most messages waiting in the outbox; further messages are dropped and counted.
    pub outbox_messages_max: u32,
    /// Most events waiting; further events are dropped and counted.
    pub events_max: u32,
    /// Tombstones are collected once their *write* is this many gossip intervals old, that is
    /// `tombstone_gc_rounds * gossip_interval_ticks` ticks after the tick in the tombstone's
    /// version, however late a node learned it (see [`crate::store`]). Here a "round" is one
    /// gossip interval of this node; in the simulator it equals a simulator round when
    /// `gossip_interval_ticks == ticks_per_round` (the default of
    /// [`crate::sim::ClusterConfig::new`]), and not otherwise.
    pub tombstone_gc_rounds: u32,
    /// How far ahead of the receiver's clock, in ticks, the tick of a received version may be,
    /// 0 to [`VERSION_TICKS_AHEAD_LIMIT`]. A message carrying a version whose tick (see
    /// [`Version::tick`]) is later than `now + version_ticks_ahead_max` is rejected whole
    /// ([`Error::VersionAhead`]): a version from the future would make every later local write
    /// jump ahead (to `u64::MAX`, where writes must fail) and keep a tombstone from expiring.
    /// In the simulator every node reads one shared clock and a message arrives at least one
    /// tick after it was sent, so honest versions are never ahead and any small value works;
    /// the default (16 ticks) leaves room for a deployment's loosely synchronised clocks.
    pub version_ticks_ahead_max: u32,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            mode: Mode::AntiEntropy(Exchange::Push),
            fanout: 1,
            gossip_interval_ticks: 4,
            store: StoreLimits::default(),
            message_bytes_max: 8192,
            entries_per_message_max: 256,
            outbox_messages_max: 1024,
            events_max: 4096,
            tombstone_gc_rounds: 64,
            version_ticks_ahead_max: 16,
        }
    }
}

/// A rejected [`NodeConfig`]; nothing was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `fanout` outside `1..=FANOUT_MAX`.
    Fanout(u32),
    /// `gossip_interval_ticks` outside `1..=GOSSIP_INTERVAL_TICKS_MAX`.
    GossipIntervalTicks(u32),
    /// `store.keys_max` outside `1..=KEYS_LIMIT`.
    KeysMax(u32),
    /// `store.key_bytes_max` outside `1..=KEY_BYTES_LIMIT`.
    KeyBytesMax(u32),
    /// `store.value_bytes_max` above `VALUE_BYTES_LIMIT`.
    ValueBytesMax(u32),
    /// `message_bytes_max` cannot hold one largest entry, or is above the codec's limit.
    MessageBytesMax {
        /// The configured value.
        got: u32,
        /// The smallest that fits one entry of the largest allowed size.
        min: u32,
    },
    /// `entries_per_message_max` outside `1..=ENTRIES_PER_MESSAGE_LIMIT`.
    EntriesPerMessageMax(u32),
    /// `outbox_messages_max` outside `fanout..=OUTBOX_MESSAGES_LIMIT`.
    OutboxMessagesMax(u32),
    /// `events_max` outside `1..=EVENTS_LIMIT`.
    EventsMax(u32),
    /// `tombstone_gc_rounds` is 0 (a tombstone would be dropped before it could spread).
    TombstoneGcRounds(u32),
    /// The rumor stop parameter `k` is outside `1..=RUMOR_STOP_K_MAX`.
    RumorStopK(u32),
    /// `version_ticks_ahead_max` above `VERSION_TICKS_AHEAD_LIMIT`.
    VersionTicksAheadMax(u32),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Fanout(x) => write!(f, "fanout must be 1 to {FANOUT_MAX}, got {x}"),
            ConfigError::GossipIntervalTicks(x) => write!(
                f,
                "gossip_interval_ticks must be 1 to {GOSSIP_INTERVAL_TICKS_MAX}, got {x}"
            ),
            ConfigError::KeysMax(x) => write!(f, "keys_max must be 1 to {KEYS_LIMIT}, got {x}"),
            ConfigError::KeyBytesMax(x) => {
                write!(f, "key_bytes_max must be 1 to {KEY_BYTES_LIMIT}, got {x}")
            }
            ConfigError::ValueBytesMax(x) => {
                write!(
                    f,
                    "value_bytes_max must be at most {VALUE_BYTES_LIMIT}, got {x}"
                )
            }
            ConfigError::MessageBytesMax { got, min } => write!(
                f,
                "message_bytes_max must be {min} to {}, got {got}",
                wire::MESSAGE_BYTES_LIMIT
            ),
            ConfigError::EntriesPerMessageMax(x) => write!(
                f,
                "entries_per_message_max must be 1 to {}, got {x}",
                codec::ENTRIES_PER_MESSAGE_LIMIT
            ),
            ConfigError::OutboxMessagesMax(x) => write!(
                f,
                "outbox_messages_max must be fanout to {OUTBOX_MESSAGES_LIMIT}, got {x}"
            ),
            ConfigError::EventsMax(x) => {
                write!(f, "events_max must be 1 to {EVENTS_LIMIT}, got {x}")
            }
            ConfigError::TombstoneGcRounds(x) => {
                write!(f, "tombstone_gc_rounds must be at least 1, got {x}")
            }
            ConfigError::RumorStopK(x) => {
                write!(f, "rumor stop k must be 1 to {RUMOR_STOP_K_MAX}, got {x}")
            }
            ConfigError::VersionTicksAheadMax(x) => write!(
                f,
                "version_ticks_ahead_max must be at most {VERSION_TICKS_AHEAD_LIMIT}, got {x}"
            ),
        }
    }
}

impl NodeConfig {
    /// The limits the node's decoder enforces.
    pub fn codec_limits(&self) -> CodecLimits {
        CodecLimits {
            message_bytes_max: self.message_bytes_max,
            entries_per_message_max: self.entries_per_message_max,
            key_bytes_max: self.store.key_bytes_max,
            value_bytes_max: self.store.value_bytes_max,
        }
    }

    /// Checks every limit; the error names the first one that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=FANOUT_MAX).contains(&self.fanout) {
            return Err(ConfigError::Fanout(self.fanout));
        }
        if !(1..=GOSSIP_INTERVAL_TICKS_MAX).contains(&self.gossip_interval_ticks) {
            return Err(ConfigError::GossipIntervalTicks(self.gossip_interval_ticks));
        }
        if !(1..=KEYS_LIMIT).contains(&self.store.keys_max) {
            return Err(ConfigError::KeysMax(self.store.keys_max));
        }
        if !(1..=KEY_BYTES_LIMIT).contains(&self.store.key_bytes_max) {
            return Err(ConfigError::KeyBytesMax(self.store.key_bytes_max));
        }
        if self.store.value_bytes_max > VALUE_BYTES_LIMIT {
            return Err(ConfigError::ValueBytesMax(self.store.value_bytes_max));
        }
        if !(1..=codec::ENTRIES_PER_MESSAGE_LIMIT).contains(&self.entries_per_message_max) {
            return Err(ConfigError::EntriesPerMessageMax(
                self.entries_per_message_max,
            ));
        }
        let min = (codec::header_len(1) + codec::entry_len_max(&self.codec_limits())) as u32;
        if self.message_bytes_max < min || self.message_bytes_max > wire::MESSAGE_BYTES_LIMIT {
            return Err(ConfigError::MessageBytesMax {
                got: self.message_bytes_max,
                min,
            });
        }
        if !(self.fanout..=OUTBOX_MESSAGES_LIMIT).contains(&self.outbox_messages_max) {
            return Err(ConfigError::OutboxMessagesMax(self.outbox_messages_max));
        }
        if !(1..=EVENTS_LIMIT).contains(&self.events_max) {
            return Err(ConfigError::EventsMax(self.events_max));
        }
        if self.tombstone_gc_rounds == 0 {
            return Err(ConfigError::TombstoneGcRounds(0));
        }
        if let Mode::Rumor(r) = self.mode {
            let (RumorStop::Counter(k) | RumorStop::Coin(k)) = r.stop;
            if !(1..=RUMOR_STOP_K_MAX).contains(&k) {
                return Err(ConfigError::RumorStopK(k));
            }
        }
        if self.version_ticks_ahead_max > VERSION_TICKS_AHEAD_LIMIT {
            return Err(ConfigError::VersionTicksAheadMax(
                self.version_ticks_ahead_max,
            ));
        }
        Ok(())
    }
}

/// Why an input was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The message was malformed or over a limit. The node's state is unchanged.
    Decode(DecodeError),
    /// A local write was over a store limit. The node's state is unchanged.
    Store(StoreError),
    /// A well-formed message carried a version from the future: the tick of `field` is later
    /// than `now + version_ticks_ahead_max`. The whole message was rejected, before anything
    /// was applied; the node's state (counters included) is unchanged.
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
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Decode(e) => write!(f, "bad message ({e}); state unchanged"),
            Error::Store(e) => write!(f, "{e}"),
            Error::VersionAhead {
                field,
                tick,
                now,
                max,
            } => write!(
                f,
                "{field} is at {tick}, more than version_ticks_ahead_max = {max} ticks after {now}; message rejected, state unchanged"
            ),
        }
    }
}

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

/// Where a node stands with one rumor. A susceptible node has no rumor entry at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RumorState {
    /// Spreading it; `count` is the counter of [`RumorStop::Counter`] so far.
    Infective {
        /// Counted cycles since the rumor was learned or last reset (see "Losing interest" in
        /// the module docs).
        count: u32,
    },
    /// Knows it and no longer spreads it.
    Removed,
}

/// A node's rumor for one key: the version it is about and its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rumor {
    /// The update this rumor spreads.
    pub version: Version,
    /// Infective or removed.
    pub state: RumorState,
}

/// A rumor and its contacts in the current cycle (see "Losing interest" in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tracked {
    rumor: Rumor,
    /// Peers the rumor was sent to in this cycle.
    contacts: u32,
    /// Feedbacks naming it received in this cycle: contacts that were unnecessary.
    unnecessary: u32,
}

impl Tracked {
    fn infective(version: Version) -> Tracked {
        Tracked {
            rumor: Rumor {
                version,
                state: RumorState::Infective { count: 0 },
            },
            contacts: 0,
            unnecessary: 0,
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
}

/// Running totals of what a node did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
    /// Rumors that became removed.
    pub rumors_removed: u64,
    /// Tombstones collected.
    pub tombstones_collected: u64,
}

#[derive(Clone, Copy, Debug)]
struct Pending {
    to: NodeId,
    kind: MessageKind,
    start: usize,
    len: usize,
}

// Messages waiting to be sent. Their bytes live in one arena that is reset whenever the queue
// empties, and a message to several peers is stored once: no allocation per message once the
// buffers have grown.
#[derive(Clone, Debug)]
struct Outbox {
    pending: VecDeque<Pending>,
    arena: Vec<u8>,
    messages_max: usize,
}

impl Outbox {
    // Queues the message `kind, count, body` to each of `to`; returns how many were dropped.
    fn queue(&mut self, kind: MessageKind, count: Option<u32>, body: &[u8], to: &[NodeId]) -> u64 {
        let room = self.messages_max.saturating_sub(self.pending.len());
        if room == 0 {
            return to.len() as u64;
        }
        let start = self.arena.len();
        self.arena.push(kind as u8);
        if let Some(c) = count {
            wire::put_varint(&mut self.arena, u64::from(c));
        }
        self.arena.extend_from_slice(body);
        let len = self.arena.len() - start;
        let fit = to.len().min(room);
        for &t in &to[..fit] {
            self.pending.push_back(Pending {
                to: t,
                kind,
                start,
                len,
            });
        }
        (to.len() - fit) as u64
    }
}

// Builds messages of one kind item by item, splitting them at the size and count limits.
#[derive(Clone, Debug)]
struct Writer {
    kind: MessageKind,
    body: Vec<u8>,
    count: u32,
    flushed: bool,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            kind: MessageKind::Push,
            body: Vec::new(),
            count: 0,
            flushed: false,
        }
    }

    fn begin(&mut self, kind: MessageKind) {
        self.kind = kind;
        self.body.clear();
        self.count = 0;
        self.flushed = false;
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        ob: &mut Outbox,
        dropped: &mut u64,
        limits: &CodecLimits,
        to: &[NodeId],
        key: &[u8],
        version: Version,
        value: Option<&[u8]>,
    ) {
        let with_value = self.kind.body() == Body::Entries;
        let len = codec::item_len(key, version, value, with_value);
        let full = self.count >= limits.entries_per_message_max
            || codec::header_len(self.count + 1) + self.body.len() + len
                > limits.message_bytes_max as usize;
        if self.count > 0 && full {
            self.flush(ob, dropped, to);
        }
        codec::put_item(&mut self.body, key, version, value, with_value);
        self.count += 1;
    }

    fn flush(&mut self, ob: &mut Outbox, dropped: &mut u64, to: &[NodeId]) {
        *dropped += ob.queue(self.kind, Some(self.count), &self.body, to);
        self.body.clear();
        self.count = 0;
        self.flushed = true;
        // A push-pull split over several messages asks for one reply only.
        if self.kind == MessageKind::PushPull {
            self.kind = MessageKind::Push;
        }
    }

    fn finish(&mut self, ob: &mut Outbox, dropped: &mut u64, to: &[NodeId], send_empty: bool) {
        if self.count > 0 || (send_empty && !self.flushed) {
            self.flush(ob, dropped, to);
        }
    }
}

/// One gossip node. See the module docs for the driving loop.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    config: NodeConfig,
    limits: CodecLimits,
    coin: Probability,
    rng: Rng,
    now: Tick,
    store: Store,
    members: Members,
    rumors: BTreeMap<Vec<u8>, Tracked>,
    outbox: Outbox,
    writer: Writer,
    feedback: Writer,
    events: VecDeque<Event>,
    counters: Counters,
}

impl Node {
    /// A node with an empty store and no members, drawing from `rng` (by convention
    /// `Rng::stream(seed, Stream::Node, id)`). Fails if the configuration is invalid.
    pub fn new(id: NodeId, config: NodeConfig, rng: Rng) -> Result<Node, ConfigError> {
        config.validate()?;
        let coin = match config.mode {
            Mode::Rumor(RumorConfig {
                stop: RumorStop::Coin(k),
                ..
            }) => Probability::from_f64(1.0 / f64::from(k)),
            _ => Probability::NEVER,
        };
        Ok(Node {
            id,
            config,
            limits: config.codec_limits(),
            coin,
            rng,
            now: Tick::ZERO,
            store: Store::new(config.store),
            members: Members::default(),
            rumors: BTreeMap::new(),
            outbox: Outbox {
                pending: VecDeque::new(),
                arena: Vec::new(),
                messages_max: config.outbox_messages_max as usize,
            },
            writer: Writer::new(),
            feedback: Writer::new(),
            events: VecDeque::new(),
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
        &self.store
    }

    /// Its rumor for `key` (rumor mode only; `None` means susceptible).
    pub fn rumor(&self, key: &[u8]) -> Option<&Rumor> {
        self.rumors.get(key).map(|t| &t.rumor)
    }

    /// All its rumors in key order.
    pub fn rumors(&self) -> impl Iterator<Item = (&[u8], &Rumor)> + '_ {
        self.rumors.iter().map(|(k, t)| (k.as_slice(), &t.rumor))
    }

    /// Whether it is spreading any rumor.
    pub fn is_infective(&self) -> bool {
        self.rumors
            .values()
            .any(|t| matches!(t.rumor.state, RumorState::Infective { .. }))
    }

    /// Its running totals.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The membership it gossips with.
    pub fn members(&self) -> &Members {
        &self.members
    }

    /// Messages waiting in the outbox.
    pub fn outbox_len(&self) -> usize {
        self.outbox.pending.len()
    }

    /// Events waiting.
    pub fn events_len(&self) -> usize {
        self.events.len()
    }

    /// Replaces the membership (the oracle view of live members; it may include this node).
    pub fn set_members(&mut self, members: Members) {
        self.members = members;
    }

    /// Writes `value` under `key` as a new version. On error nothing changed.
    pub fn write(&mut self, now: Tick, key: &[u8], value: &[u8]) -> Result<Version, Error> {
        self.update(now, key, Some(value))
    }

    /// Deletes `key` by writing a tombstone. On error nothing changed.
    pub fn delete(&mut self, now: Tick, key: &[u8]) -> Result<Version, Error> {
        self.update(now, key, None)
    }

    fn update(&mut self, now: Tick, key: &[u8], value: Option<&[u8]>) -> Result<Version, Error> {
        let version = self.store.write(now, self.id, key, value)?;
        self.now = self.now.max(now);
        if matches!(self.config.mode, Mode::Rumor(_)) {
            self.rumors
                .insert(key.to_vec(), Tracked::infective(version));
        }
        Ok(version)
    }

    /// The next datagram to send: its bytes replace the contents of `buf`.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let p = self.outbox.pending.pop_front()?;
        buf.clear();
        buf.extend_from_slice(&self.outbox.arena[p.start..p.start + p.len]);
        if self.outbox.pending.is_empty() {
            self.outbox.arena.clear();
        }
        self.counters.messages_sent += 1;
        self.counters.bytes_sent += p.len as u64;
        Some(Transmit {
            to: p.to,
            kind: p.kind,
            len_bytes: p.len,
        })
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Handles one received datagram. A malformed message, or one carrying a version from the
    /// future (see [`NodeConfig::version_ticks_ahead_max`]), is rejected whole, before anything
    /// is applied, and the node's state (counters included) is unchanged.
    pub fn handle_message(&mut self, now: Tick, from: NodeId, bytes: &[u8]) -> Result<(), Error> {
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
        self.now = self.now.max(now);
        self.counters.messages_received += 1;
        self.counters.bytes_received += bytes.len() as u64;
        match msg.kind() {
            MessageKind::Push | MessageKind::PushPull | MessageKind::Reply => {
                self.absorb(now, from, &msg)
            }
            MessageKind::Request => {}
            MessageKind::Feedback => self.apply_feedback(&msg),
        }
        if matches!(msg.kind(), MessageKind::Request | MessageKind::PushPull) {
            self.reply(now, from);
        }
        Ok(())
    }

    /// Handles the passage of time: at every multiple of `gossip_interval_ticks` it collects old
    /// tombstones and starts one exchange with each of `fanout` random peers.
    pub fn handle_tick(&mut self, now: Tick) {
        self.now = self.now.max(now);
        let interval = u64::from(self.config.gossip_interval_ticks);
        if !now.0.is_multiple_of(interval) {
            return;
        }
        self.collect_garbage(now);
        // The cycle that ends now is judged before this one's peers are chosen, so a rumor
        // removed by it is no longer sent.
        self.judge_cycle();
        let (exchange, rumor) = match self.config.mode {
            Mode::AntiEntropy(x) => (x, false),
            Mode::Rumor(r) => (r.exchange, true),
        };
        // A push with nothing to push sends nothing, so skip the peer draw too.
        if exchange == Exchange::Push && (self.store.is_empty() || rumor && !self.is_infective()) {
            return;
        }
        let mut peers = [0 as NodeId; FANOUT_MAX as usize];
        let n = self.sample_peers(&mut peers);
        if n == 0 {
            return;
        }
        let peers = &peers[..n];
        match exchange {
            Exchange::Pull => {
                self.counters.outbox_dropped +=
                    self.outbox.queue(MessageKind::Request, None, &[], peers);
            }
            Exchange::Push => self.send_state(now, MessageKind::Push, peers, false),
            Exchange::PushPull => self.send_state(now, MessageKind::PushPull, peers, true),
        }
    }

    // Writes `fanout` distinct peers, uniform among the other members, into `out`.
    fn sample_peers(&mut self, out: &mut [NodeId; FANOUT_MAX as usize]) -> usize {
        let members = self.members.as_slice();
        let me = members.binary_search(&self.id);
        let others = members.len() - usize::from(me.is_ok());
        let mut idx = [0u32; FANOUT_MAX as usize];
        let n = self
            .rng
            .sample_distinct(others as u32, self.config.fanout as usize, &mut idx);
        for (o, &i) in out.iter_mut().zip(&idx[..n]) {
            // Index among the others: skip over ourselves.
            let i = match me {
                Ok(pos) if i as usize >= pos => i as usize + 1,
                _ => i as usize,
            };
            *o = members[i];
        }
        n
    }

    // Sends what this mode sends (every entry, or the infective rumors) that was learned before
    // `now`, to every peer in `to`.
    fn send_state(&mut self, now: Tick, kind: MessageKind, to: &[NodeId], send_empty: bool) {
        let Node {
            config,
            limits,
            store,
            rumors,
            outbox,
            writer,
            counters,
            ..
        } = self;
        let age = u64::from(config.tombstone_gc_rounds) * u64::from(config.gossip_interval_ticks);
        // Never pass on a tombstone old enough to be collected: a node that already dropped it
        // would relearn it, and it would bounce around forever (see `crate::store`).
        let sendable = |e: &crate::store::Entry| {
            e.ready() <= now && !(e.is_tombstone() && e.version().is_expired(now, age))
        };
        let mut dropped = 0;
        writer.begin(kind);
        match config.mode {
            Mode::AntiEntropy(_) => {
                for (key, e) in store.iter() {
                    if sendable(e) {
                        writer.push(
                            outbox,
                            &mut dropped,
                            limits,
                            to,
                            key,
                            e.version(),
                            e.value(),
                        );
                    }
                }
            }
            Mode::Rumor(_) => {
                for (key, tracked) in rumors.iter_mut() {
                    let RumorState::Infective { .. } = tracked.rumor.state else {
                        continue;
                    };
                    let Some(e) = store.get(key) else { continue };
                    if e.version() != tracked.rumor.version || !sendable(e) {
                        continue;
                    }
                    writer.push(
                        outbox,
                        &mut dropped,
                        limits,
                        to,
                        key,
                        e.version(),
                        e.value(),
                    );
                    // Judged at the end of the cycle (see "Losing interest" in the module docs).
                    tracked.contacts = tracked.contacts.saturating_add(to.len() as u32);
                }
            }
        }
        writer.finish(outbox, &mut dropped, to, send_empty);
        counters.outbox_dropped += dropped;
    }

    fn reply(&mut self, now: Tick, to: NodeId) {
        self.send_state(now, MessageKind::Reply, &[to], true);
    }

    fn absorb(&mut self, now: Tick, from: NodeId, msg: &MessageRef<'_>) {
        let Node {
            config,
            limits,
            store,
            rumors,
            outbox,
            feedback,
            events,
            counters,
            ..
        } = self;
        let (rumor, wants_feedback) = match config.mode {
            Mode::Rumor(r) => (true, r.feedback == RumorFeedback::Feedback),
            Mode::AntiEntropy(_) => (false, false),
        };
        feedback.begin(MessageKind::Feedback);
        let mut dropped = 0;
        let mut new = 0u64;
        for e in msg.entries() {
            match store.merge(now, e.key, e.version, e.value) {
                Merged::New => {
                    new += 1;
                    if rumor {
                        let r = Tracked::infective(e.version);
                        match rumors.get_mut(e.key) {
                            Some(slot) => *slot = r,
                            None => {
                                rumors.insert(e.key.to_vec(), r);
                            }
                        }
                    }
                    let ev = Event::Learned {
                        key: e.key.to_vec(),
                        version: e.version,
                        from,
                    };
                    emit(events, config.events_max, counters, ev);
                }
                Merged::Known | Merged::Stale => {
                    // Only what was known before this tick was "already known": a copy that
                    // arrives in the tick another copy taught it is as useful as the first,
                    // and the feedback does not depend on the order of delivery.
                    let knew = store.get(e.key).is_some_and(|held| held.ready() <= now);
                    if wants_feedback && knew {
                        feedback.push(
                            outbox,
                            &mut dropped,
                            limits,
                            &[from],
                            e.key,
                            e.version,
                            None,
                        );
                    }
                }
                Merged::Refused => counters.entries_refused += 1,
            }
        }
        if wants_feedback {
            feedback.finish(outbox, &mut dropped, &[from], false);
        }
        counters.outbox_dropped += dropped;
        counters.entries_new += new;
        counters.data_messages_received += 1;
        if new == 0 && !msg.is_empty() {
            counters.data_messages_redundant += 1;
        }
    }

    // Counts the contacts a feedback says were unnecessary; they are judged with their cycle.
    fn apply_feedback(&mut self, msg: &MessageRef<'_>) {
        let Mode::Rumor(r) = self.config.mode else {
            return;
        };
        if r.feedback != RumorFeedback::Feedback {
            return;
        }
        for item in msg.entries() {
            let Some(tracked) = self.rumors.get_mut(item.key) else {
                continue;
            };
            if tracked.rumor.version == item.version {
                tracked.unnecessary = tracked.unnecessary.saturating_add(1);
            }
        }
    }

    // Judges the cycle that ends now for every rumor, by the rule in "Losing interest" (module
    // docs), and starts a new one.
    fn judge_cycle(&mut self) {
        let Mode::Rumor(r) = self.config.mode else {
            return;
        };
        let Node {
            config,
            coin,
            rng,
            rumors,
            events,
            counters,
            ..
        } = self;
        for (key, tracked) in rumors.iter_mut() {
            let (contacts, unnecessary) = (tracked.contacts, tracked.unnecessary);
            tracked.contacts = 0;
            tracked.unnecessary = 0;
            let RumorState::Infective { .. } = tracked.rumor.state else {
                continue;
            };
            let counted = match r.feedback {
                RumorFeedback::Feedback => unnecessary > 0 && unnecessary >= contacts,
                RumorFeedback::Blind => contacts > 0,
            };
            if !counted {
                // A useful contact resets the counter; a cycle without contacts keeps it.
                if r.feedback == RumorFeedback::Feedback && contacts > 0 {
                    tracked.rumor.state = RumorState::Infective { count: 0 };
                }
                continue;
            }
            if lose_interest(&mut tracked.rumor, r.stop, *coin, rng) {
                counters.rumors_removed += 1;
                let ev = Event::RumorRemoved {
                    key: key.clone(),
                    version: tracked.rumor.version,
                };
                emit(events, config.events_max, counters, ev);
            }
        }
    }

    fn tombstone_age_ticks(&self) -> u64 {
        u64::from(self.config.tombstone_gc_rounds) * u64::from(self.config.gossip_interval_ticks)
    }

    // Drops tombstones by the rule documented in `crate::store`, and their rumors with them.
    fn collect_garbage(&mut self, now: Tick) {
        let age = self.tombstone_age_ticks();
        let Node {
            store,
            rumors,
            events,
            counters,
            config,
            ..
        } = self;
        store.collect_tombstones(now, age, |k, version| {
            rumors.remove(k);
            counters.tombstones_collected += 1;
            let ev = Event::TombstoneCollected {
                key: k.to_vec(),
                version,
            };
            emit(events, config.events_max, counters, ev);
        });
    }
}

// Counts one cycle towards losing interest; true if the rumor became removed now.
fn lose_interest(rumor: &mut Rumor, stop: RumorStop, coin: Probability, rng: &mut Rng) -> bool {
    let RumorState::Infective { count } = rumor.state else {
        return false;
    };
    let removed = match stop {
        RumorStop::Counter(k) => {
            let c = count.saturating_add(1);
            rumor.state = RumorState::Infective { count: c };
            c >= k
        }
        RumorStop::Coin(_) => rng.chance(coin),
    };
    if removed {
        rumor.state = RumorState::Removed;
    }
    removed
}

fn emit(events: &mut VecDeque<Event>, events_max: u32, counters: &mut Counters, ev: Event) {
    if events.len() >= events_max as usize {
        counters.events_dropped += 1;
    } else {
        events.push_back(ev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{Message, WireEntry};
    use crate::rng::Stream;
    use alloc::vec;

    fn node_with(id: NodeId, config: NodeConfig, members: u32) -> Node {
        let mut n = Node::new(id, config, Rng::stream(7, Stream::Node, id.into())).unwrap();
        n.set_members(Members::new(0..members));
        n
    }

    fn node(id: NodeId, mode: Mode) -> Node {
        node_with(
            id,
            NodeConfig {
                mode,
                ..NodeConfig::default()
            },
            4,
        )
    }

    fn rumor(exchange: Exchange, feedback: RumorFeedback, stop: RumorStop) -> Mode {
        Mode::Rumor(RumorConfig {
            exchange,
            feedback,
            stop,
        })
    }

    fn sent(n: &mut Node) -> Vec<(NodeId, Message)> {
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(tx) = n.poll_transmit(&mut buf) {
            assert_eq!(tx.len_bytes, buf.len());
            let m = codec::decode(&buf, &n.config().codec_limits()).unwrap();
            out.push((tx.to, m.to_message()));
        }
        out
    }

    fn push_of(key: &[u8], counter: u64, origin: NodeId) -> Vec<u8> {
        let mut b = Vec::new();
        Message::Push(vec![WireEntry {
            key: key.to_vec(),
            version: Version { counter, origin },
            value: Some(b"v".to_vec()),
        }])
        .encode(&mut b);
        b
    }

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
    fn a_pull_request_is_answered_with_every_entry_learned_before_it() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Pull));
        a.write(Tick(0), b"a", b"1").unwrap();
        a.write(Tick(0), b"b", b"2").unwrap();
        a.handle_message(Tick(1), 1, &[MessageKind::Request as u8])
            .unwrap();
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, 1);
        assert!(matches!(&out[0].1, Message::Reply(es) if es.len() == 2));
    }

    #[test]
    fn a_pull_node_sends_requests_even_when_empty() {
        let mut a = node(0, Mode::AntiEntropy(Exchange::Pull));
        a.handle_tick(Tick(0));
        let out = sent(&mut a);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].1, Message::Request);
    }

    fn feedback_of(key: &[u8], v: Version) -> Vec<u8> {
        let mut fb = Vec::new();
        Message::Feedback(vec![(key.to_vec(), v)]).encode(&mut fb);
        fb
    }

    #[test]
    fn feedback_counter_removes_a_rumor_after_k_cycles_whose_contacts_already_knew() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(2),
        );
        let mut a = node(0, mode);
        let v = a.write(Tick(0), b"k", b"v").unwrap();
        let fb = feedback_of(b"k", v);
        // Cycle 0: one push, and its recipient already knew.
        a.handle_tick(Tick(0));
        assert_eq!(sent(&mut a).len(), 1);
        a.handle_message(Tick(2), 1, &fb).unwrap();
        assert_eq!(
            a.rumor(b"k").unwrap().state,
            RumorState::Infective { count: 0 },
            "judged at the end of the cycle, not on arrival"
        );
        // Cycle 1 starts by judging cycle 0, and pushes again.
        a.handle_tick(Tick(4));
        assert_eq!(
            a.rumor(b"k").unwrap().state,
            RumorState::Infective { count: 1 }
        );
        assert_eq!(sent(&mut a).len(), 1);
        a.handle_message(Tick(6), 2, &fb).unwrap();
        a.handle_tick(Tick(8));
        assert_eq!(a.rumor(b"k").unwrap().state, RumorState::Removed);
        assert_eq!(
            a.poll_event(),
            Some(Event::RumorRemoved {
                key: b"k".to_vec(),
                version: v
            })
        );
        // Removed at the end of cycle 1, so nothing is pushed in cycle 2.
        assert!(sent(&mut a).is_empty());
    }

    #[test]
    fn a_cycle_with_a_useful_contact_resets_the_counter() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(3),
        );
        let config = NodeConfig {
            mode,
            fanout: 2,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 4);
        let v = a.write(Tick(0), b"k", b"v").unwrap();
        let fb = feedback_of(b"k", v);
        let count = |a: &Node| match a.rumor(b"k").unwrap().state {
            RumorState::Infective { count } => count,
            RumorState::Removed => panic!("removed"),
        };
        // Both recipients knew: counted.
        a.handle_tick(Tick(0));
        a.handle_message(Tick(2), 1, &fb).unwrap();
        a.handle_message(Tick(2), 2, &fb).unwrap();
        a.handle_tick(Tick(4));
        assert_eq!(count(&a), 1);
        // One of the two did not know (no feedback): the cycle was useful.
        a.handle_message(Tick(6), 1, &fb).unwrap();
        a.handle_tick(Tick(8));
        assert_eq!(count(&a), 0);
        // Both knew again: counted from 0.
        a.handle_message(Tick(10), 1, &fb).unwrap();
        a.handle_message(Tick(10), 3, &fb).unwrap();
        a.handle_tick(Tick(12));
        assert_eq!(count(&a), 1);
        assert_eq!(sent(&mut a).len(), 8, "two pushes in each of four cycles");
    }

    #[test]
    fn a_copy_arriving_in_the_tick_another_copy_taught_is_useful() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(1),
        );
        let mut b = node(1, mode);
        b.handle_message(Tick(1), 0, &push_of(b"k", 5, 0)).unwrap();
        b.handle_message(Tick(1), 2, &push_of(b"k", 5, 0)).unwrap();
        assert!(sent(&mut b).is_empty(), "both copies were useful");
        b.handle_message(Tick(2), 3, &push_of(b"k", 5, 0)).unwrap();
        assert_eq!(sent(&mut b).len(), 1, "known since tick 1");
    }

    #[test]
    fn a_recipient_that_already_knew_says_so_in_feedback() {
        let mode = rumor(
            Exchange::Push,
            RumorFeedback::Feedback,
            RumorStop::Counter(2),
        );
        let mut b = node(1, mode);
        b.handle_message(Tick(0), 0, &push_of(b"k", 5, 0)).unwrap();
        assert!(sent(&mut b).is_empty(), "nothing known: no feedback");
        b.handle_message(Tick(1), 2, &push_of(b"k", 5, 0)).unwrap();
        let out = sent(&mut b);
        assert_eq!(
            out,
            [(
                2,
                Message::Feedback(vec![(
                    b"k".to_vec(),
                    Version {
                        counter: 5,
                        origin: 0
                    }
                )])
            )]
        );
    }

    #[test]
    fn blind_counter_removes_a_rumor_after_k_cycles_with_sends() {
        let mode = rumor(Exchange::Push, RumorFeedback::Blind, RumorStop::Counter(3));
        let mut a = node(0, mode);
        a.write(Tick(0), b"k", b"v").unwrap();
        for round in 0..3 {
            a.handle_tick(Tick(round * 4));
            assert!(a.is_infective(), "round {round}");
            assert_eq!(sent(&mut a).len(), 1);
        }
        // The third cycle with a send is judged at the start of the fourth.
        a.handle_tick(Tick(12));
        assert!(!a.is_infective());
        assert!(sent(&mut a).is_empty());
        assert_eq!(a.counters().rumors_removed, 1);
    }

    #[test]
    fn a_full_outbox_drops_and_counts_the_excess() {
        let config = NodeConfig {
            mode: Mode::AntiEntropy(Exchange::Pull),
            fanout: 2,
            outbox_messages_max: 2,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 4);
        a.handle_tick(Tick(0));
        a.handle_tick(Tick(4));
        assert_eq!(a.outbox_len(), 2);
        assert_eq!(a.counters().outbox_dropped, 2);
    }

    #[test]
    fn large_state_is_split_into_messages_within_the_limits() {
        let config = NodeConfig {
            entries_per_message_max: 3,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 2);
        for i in 0..10u8 {
            a.write(Tick(0), &[i], b"v").unwrap();
        }
        a.handle_tick(Tick(0));
        let out = sent(&mut a);
        let sizes: Vec<usize> = out
            .iter()
            .map(|(_, m)| match m {
                Message::Push(es) => es.len(),
                _ => panic!("not a push"),
            })
            .collect();
        assert_eq!(sizes, [3, 3, 3, 1]);
    }

    #[test]
    fn a_split_push_pull_asks_for_one_reply_only() {
        let config = NodeConfig {
            mode: Mode::AntiEntropy(Exchange::PushPull),
            entries_per_message_max: 1,
            ..NodeConfig::default()
        };
        let mut a = node_with(0, config, 2);
        a.write(Tick(0), b"a", b"v").unwrap();
        a.write(Tick(0), b"b", b"v").unwrap();
        a.handle_tick(Tick(0));
        let kinds: Vec<MessageKind> = sent(&mut a).iter().map(|(_, m)| m.kind()).collect();
        assert_eq!(kinds, [MessageKind::PushPull, MessageKind::Push]);
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
    fn bad_configs_name_the_wrong_limit() {
        let bad = |c: NodeConfig| Node::new(0, c, Rng::from_seed(0)).unwrap_err();
        let d = NodeConfig::default();
        assert_eq!(bad(NodeConfig { fanout: 0, ..d }), ConfigError::Fanout(0));
        assert_eq!(
            bad(NodeConfig {
                message_bytes_max: 10,
                ..d
            }),
            ConfigError::MessageBytesMax { got: 10, min: 341 }
        );
        assert_eq!(
            bad(NodeConfig {
                mode: rumor(Exchange::Push, RumorFeedback::Blind, RumorStop::Coin(0)),
                ..d
            }),
            ConfigError::RumorStopK(0)
        );
        assert_eq!(
            bad(NodeConfig {
                version_ticks_ahead_max: VERSION_TICKS_AHEAD_LIMIT + 1,
                ..d
            }),
            ConfigError::VersionTicksAheadMax(VERSION_TICKS_AHEAD_LIMIT + 1)
        );
    }
}
