//! Anti-entropy in the cluster: every few gossip intervals a node starts one reconciliation
//! session ([`crate::reconcile`]) with one random live peer, beside (or instead of) the
//! configured dissemination, so that what dissemination missed (a partition, a rumor that
//! died out) is repaired.
//!
//! # How it is driven
//! [`crate::node::Node::handle_tick`] calls [`AntiEntropy::on_gossip_tick`] at every gossip
//! tick: it abandons the sessions older than `session_timeout_ticks` (so a timeout is noticed
//! at the first gossip tick after it) and, every `every_intervals` gossip intervals, starts one
//! session with a peer drawn from the node's own membership view. A received message of kind
//! [`MessageKind::Reconcile`] goes to [`AntiEntropy::on_message`]; the answer is queued in the
//! outbox. Randomness comes from the node's [`Stream::AntiEntropy`] stream only, so turning
//! anti-entropy on does not move dissemination's draws.
//!
//! # Repairs as rumors
//! With [`AntiEntropyConfig::rumor_repairs`] and rumor mongering, every key a session step
//! brought newer than it was held becomes a hot rumor at the node that received it (after the
//! step, in key order, beside its `Learned` event), the combination Demers et al. (1987, §1.5)
//! propose: anti-entropy as the backup that finds what rumors missed, rumor mongering to
//! spread each repair fast. Like any entry learned in a tick, it is sent from the next tick.
//! On a 64-node cluster healed after a partition (digest every 4 intervals) it cuts the rounds
//! to converge from 10.8 to 7.7 (the test in `core/tests/cluster.rs`).
//!
//! # Messages
//! ```text
//! Reconcile = 17, session:varint, message      session = number << 1 | (1 if sent by the initiator)
//! ```
//! `number` is the initiator's own session number; the low bit tells the receiver which of its
//! tables to look in (its own initiator sessions or its responder sessions), so two nodes that
//! start sessions with each other at once never mix them up. A message is checked against
//! `limits.message_bytes_max` (a session message may exceed the datagram limit: it is a stream
//! segment). A message for no open session that is not an initiator's first message, a
//! malformed one, or one that fails the session is rejected with a counted reason; the store
//! is unchanged by it. Sessions keep the node's rule for gossip: a message carrying an entry
//! whose version's tick is more than `version_ticks_ahead_max` after `now` is rejected whole
//! ([`crate::node::Error::VersionAhead`], counted under [`AbandonReason::VersionAhead`]), so a
//! peer cannot plant a version far in the future through reconciliation.
//!
//! # Busy: refusals and back-off
//! A node holds at most `sessions_max` sessions, as initiator and responder together. A first
//! message that would exceed it is answered with a refusal ([`crate::reconcile::refusal`],
//! the session number with the responder's bit, then `0 1`), counted in `refused_busy`; the
//! initiator abandons that session as soon as the refusal arrives, counted under
//! [`AbandonReason::Refused`]. Before refusals existed a busy responder sent nothing, so the
//! initiator held its slot for `session_timeout_ticks`, refusing everyone in turn: with
//! `every_intervals: 1` the cluster stalled (the test
//! `a_busy_cluster_that_starts_every_interval_repairs_a_healed_partition_in_bounded_rounds`).
//!
//! A refusal alone does not end the stall when nodes start in lockstep (every node starts at
//! the same gossip tick, so with `sessions_max: 1` every node is busy with its own session
//! when the others' requests arrive, and every request is refused again at every interval).
//! So an initiator that was refused backs off: after `k` refusals in a row it skips a uniform
//! number of its next due starts, 0 to `2^min(k, BACKOFF_DOUBLINGS_MAX) - 1` (binary
//! exponential back-off, as Ethernet breaks symmetric contention), drawn from its
//! anti-entropy stream; a session it started that finishes resets `k`. Skipped starts are
//! counted in `starts_backed_off`.
//!
//! Old runs replay identically: the refusal and the back-off's draws happen only where a
//! responder was busy. The pinned golden run (`GOLDEN_ANTI_ENTROPY` in `core/tests/golden`)
//! never is (its `refused_busy` is 0 in every round, which it hashes, and it asserts the
//! appended reason slots 0), so its hash is unchanged; a second golden pins a busy run.
//!
//! # The store and the Merkle tree
//! The node's store is a [`Replica`], and every change to it goes through the replica: local
//! writes, dissemination's merges, sessions' merges and collected tombstones. With the Merkle
//! strategy the replica keeps the tree beside the store, updated at each change (one entry
//! hash and the leaf, `O(1)`), and each session step rehashes only the paths above the leaves
//! changed since the last step ([`Replica::refresh_tree`]). Without the Merkle strategy (or
//! without anti-entropy, the default) the replica holds no tree and a change costs what the
//! bare store's does. A test in `core/tests/cluster.rs` checks after every round of a long
//! run (partition, writes, deletes, a crash, loss, collected tombstones) that every node's
//! kept tree equals a fresh build, root, every level, leaves' xors and bucket index.
//!
//! Before, each step moved the store into a fresh replica and built the tree over it, `O(n)`
//! hashes per step. Measured with `core/benches/node_merkle.rs` under callgrind (two nodes,
//! a 16x3 tree, one new key a round, instructions per session, both sides' steps included):
//!
//! | keys   | tree built per step | kept tree |
//! |--------|---------------------|-----------|
//! | 2,000  | 90.8 M              | 35 k      |
//! | 20,000 | 593 M               | 54 k      |
//!
//! The kept tree's cost is the session itself (its messages, the differing buckets, the
//! merges and their paths), no longer growing with the store.

use alloc::vec::Vec;
use core::fmt;

use crate::node::outbox::Outbox;
use crate::node::{Dissemination, Event, Events, NodeId};
use crate::reconcile::{
    refusal::{self, Refusal},
    AbandonReason, Next, ReconcileError, ReconcileLimits, Replica, Role, Session, Strategy,
};
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::{self, MessageKind};

/// Upper bound for [`AntiEntropyConfig::sessions_max`].
pub const SESSIONS_LIMIT: u32 = 1 << 10;
/// Upper bound for [`AntiEntropyConfig::every_intervals`].
pub const EVERY_INTERVALS_LIMIT: u32 = 1 << 16;
/// After `k` refusals in a row a node skips a uniform number of its next due starts, 0 to
/// `2^min(k, BACKOFF_DOUBLINGS_MAX) - 1`: at most 15 with 4.
pub const BACKOFF_DOUBLINGS_MAX: u32 = 4;

/// How a node runs anti-entropy (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AntiEntropyConfig {
    /// How the two sides find their difference.
    pub strategy: Strategy,
    /// A node starts one session every this many gossip intervals; 1 to
    /// [`EVERY_INTERVALS_LIMIT`].
    pub every_intervals: u32,
    /// Most sessions in progress at a node, as initiator and responder together; 1 to
    /// [`SESSIONS_LIMIT`]. A session beyond it is not started, or refused when asked for.
    pub sessions_max: u32,
    /// A session open longer than this many ticks is abandoned (checked at gossip ticks);
    /// at least 1.
    pub session_timeout_ticks: u64,
    /// The bounds on each session.
    pub limits: ReconcileLimits,
    /// With rumor mongering, an entry a session brings that is newer than the one held becomes
    /// a hot rumor here, spread like one just learned from gossip (Demers et al. 1987, §1.5:
    /// anti-entropy backing up rumor mongering, whose repairs are redistributed as rumors).
    /// Off by default: repairs then stay where they land until other sessions carry them on.
    /// No effect with full-state dissemination, which sends everything anyway.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rumor_repairs: bool,
}

impl Default for AntiEntropyConfig {
    fn default() -> Self {
        AntiEntropyConfig {
            strategy: Strategy::Digest,
            every_intervals: 4,
            sessions_max: 8,
            session_timeout_ticks: 64,
            limits: ReconcileLimits::default(),
            rumor_repairs: false,
        }
    }
}

/// Why an [`AntiEntropyConfig`] is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AntiEntropyConfigError {
    /// `every_intervals` out of range.
    EveryIntervals(u32),
    /// `sessions_max` out of range.
    SessionsMax(u32),
    /// `session_timeout_ticks` is 0.
    SessionTimeoutTicks,
    /// The session limits or the strategy (its tree shape) are invalid.
    Reconcile(ReconcileError),
}

impl fmt::Display for AntiEntropyConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EveryIntervals(x) => write!(
                f,
                "every_intervals must be 1 to {EVERY_INTERVALS_LIMIT}, got {x}"
            ),
            Self::SessionsMax(x) => {
                write!(f, "sessions_max must be 1 to {SESSIONS_LIMIT}, got {x}")
            }
            Self::SessionTimeoutTicks => write!(f, "session_timeout_ticks must be at least 1"),
            Self::Reconcile(e) => write!(f, "{e}"),
        }
    }
}

impl AntiEntropyConfig {
    /// Names the first invalid field.
    pub fn validate(&self) -> Result<(), AntiEntropyConfigError> {
        if !(1..=EVERY_INTERVALS_LIMIT).contains(&self.every_intervals) {
            return Err(AntiEntropyConfigError::EveryIntervals(self.every_intervals));
        }
        if !(1..=SESSIONS_LIMIT).contains(&self.sessions_max) {
            return Err(AntiEntropyConfigError::SessionsMax(self.sessions_max));
        }
        if self.session_timeout_ticks == 0 {
            return Err(AntiEntropyConfigError::SessionTimeoutTicks);
        }
        // Building a side checks the limits and the tree shape.
        Session::initiator(self.strategy, self.limits, 0)
            .map(|_| ())
            .map_err(AntiEntropyConfigError::Reconcile)
    }
}

/// What anti-entropy did at a node (running totals, in [`crate::node::Counters`]; per round
/// in [`crate::sim::RoundRecord`]). All zero without anti-entropy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AntiEntropyCounters {
    /// Sessions this node started as initiator.
    pub sessions_started: u64,
    /// Sessions (either role) that finished.
    pub sessions_completed: u64,
    /// Sessions abandoned because they outlived `session_timeout_ticks`.
    pub abandoned_timeout: u64,
    /// Sessions abandoned by an error, by [`AbandonReason`] (`reason as usize`).
    pub abandoned_by_reason: [u64; AbandonReason::ALL.len()],
    /// Sessions not started, or refused when asked for, because `sessions_max` were open.
    pub refused_busy: u64,
    /// Messages rejected before reaching a session: malformed session number, too long, or
    /// for no open session and not an initiator's first message.
    pub messages_rejected: u64,
    /// Bytes of session messages sent (kind byte and session number included).
    pub bytes_sent: u64,
    /// Of `bytes_sent`, the bytes sent as responder (answers to sessions other nodes started);
    /// the rest were sent as initiator.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bytes_sent_as_responder: u64,
    /// Entries received in sessions that were new here: what anti-entropy repaired.
    pub entries_repaired: u64,
    /// Due session starts skipped in the back-off after a refusal (see the module docs).
    #[cfg_attr(feature = "serde", serde(default))]
    pub starts_backed_off: u64,
}

impl AntiEntropyCounters {
    /// What was counted since `before` (an earlier copy of these counters).
    pub fn since(&self, before: &AntiEntropyCounters) -> AntiEntropyCounters {
        let mut by_reason = self.abandoned_by_reason;
        for (r, b) in by_reason.iter_mut().zip(before.abandoned_by_reason) {
            *r -= b;
        }
        AntiEntropyCounters {
            sessions_started: self.sessions_started - before.sessions_started,
            sessions_completed: self.sessions_completed - before.sessions_completed,
            abandoned_timeout: self.abandoned_timeout - before.abandoned_timeout,
            abandoned_by_reason: by_reason,
            refused_busy: self.refused_busy - before.refused_busy,
            messages_rejected: self.messages_rejected - before.messages_rejected,
            bytes_sent: self.bytes_sent - before.bytes_sent,
            bytes_sent_as_responder: self.bytes_sent_as_responder - before.bytes_sent_as_responder,
            entries_repaired: self.entries_repaired - before.entries_repaired,
            starts_backed_off: self.starts_backed_off - before.starts_backed_off,
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &AntiEntropyCounters) {
        self.sessions_started += other.sessions_started;
        self.sessions_completed += other.sessions_completed;
        self.abandoned_timeout += other.abandoned_timeout;
        for (r, o) in self
            .abandoned_by_reason
            .iter_mut()
            .zip(other.abandoned_by_reason)
        {
            *r += o;
        }
        self.refused_busy += other.refused_busy;
        self.messages_rejected += other.messages_rejected;
        self.bytes_sent += other.bytes_sent;
        self.bytes_sent_as_responder += other.bytes_sent_as_responder;
        self.entries_repaired += other.entries_repaired;
        self.starts_backed_off += other.starts_backed_off;
    }

    /// Sessions abandoned, every reason (timeouts included) summed.
    pub fn abandoned(&self) -> u64 {
        self.abandoned_timeout + self.abandoned_by_reason.iter().sum::<u64>()
    }
}

// One open session.
#[derive(Clone, Debug)]
struct Open {
    peer: NodeId,
    number: u64,
    started: Tick,
    session: Session,
}

/// A node's anti-entropy state: its configuration, rng and open sessions.
#[derive(Clone, Debug)]
pub struct AntiEntropy {
    config: AntiEntropyConfig,
    // The node's `version_ticks_ahead_max`: every session refuses entries further ahead.
    version_ticks_ahead_max: u32,
    rng: Rng,
    intervals: u64,
    next_number: u64,
    open: Vec<Open>,
    out: Vec<u8>,
    // Refusals received in a row as initiator (reset by a session this node started that
    // finishes), capped at `BACKOFF_DOUBLINGS_MAX`, and the due starts still to skip.
    refusals_in_a_row: u32,
    starts_to_skip: u32,
}

// What a session step works on, borrowed from the node.
pub(crate) struct Io<'a> {
    pub(crate) replica: &'a mut Replica,
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) outbox_dropped: &'a mut u64,
    pub(crate) counters: &'a mut AntiEntropyCounters,
    pub(crate) events: &'a mut Events,
    pub(crate) events_dropped: &'a mut u64,
    // With `rumor_repairs`, the dissemination that turns each repair into a hot rumor.
    pub(crate) rumors: Option<&'a mut Dissemination>,
}

impl Io<'_> {
    // Emits `Learned` for every key a step's merges changed (`keys`, as the replica logged
    // them), in key order, with the version the store now holds: the simulator's coverage and
    // a viewer follow repairs by these events. With `rumor_repairs` each also becomes a rumor
    // (in key order, so the rumor table does not depend on the order of the merges).
    fn learned(&mut self, mut keys: Vec<Vec<u8>>, from: NodeId) {
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let Some(version) = self.replica.store().get(&key).map(|e| e.version()) else {
                continue;
            };
            if let Some(d) = self.rumors.as_deref_mut() {
                d.on_repaired(&key, version);
            }
            let ev = Event::Learned { key, version, from };
            self.events.emit(self.events_dropped, ev);
        }
    }
}

impl AntiEntropy {
    /// Anti-entropy with a valid `config`, drawing from `rng` (the node's
    /// [`crate::rng::Stream::AntiEntropy`] stream); its sessions refuse entries whose version
    /// is more than `version_ticks_ahead_max` ticks ahead (the node's rule for gossip).
    pub fn new(config: AntiEntropyConfig, version_ticks_ahead_max: u32, rng: Rng) -> AntiEntropy {
        AntiEntropy {
            config,
            version_ticks_ahead_max,
            rng,
            intervals: 0,
            next_number: 0,
            open: Vec::new(),
            out: Vec::new(),
            refusals_in_a_row: 0,
            starts_to_skip: 0,
        }
    }

    /// Sessions in progress.
    pub fn sessions_open(&self) -> usize {
        self.open.len()
    }

    /// At a gossip tick: abandons timed-out sessions and, every `every_intervals` intervals,
    /// starts one session with a random member of `members` other than `me`.
    pub(crate) fn on_gossip_tick(
        &mut self,
        io: &mut Io<'_>,
        now: Tick,
        me: NodeId,
        members: &[NodeId],
    ) {
        let timeout = self.config.session_timeout_ticks;
        let before = self.open.len();
        self.open
            .retain(|o| now.0.saturating_sub(o.started.0) <= timeout);
        io.counters.abandoned_timeout += (before - self.open.len()) as u64;
        let due = self
            .intervals
            .is_multiple_of(u64::from(self.config.every_intervals));
        self.intervals += 1;
        if !due {
            return;
        }
        if self.starts_to_skip > 0 {
            self.starts_to_skip -= 1;
            io.counters.starts_backed_off += 1;
            return;
        }
        let others: Vec<NodeId> = members.iter().copied().filter(|&m| m != me).collect();
        if others.is_empty() {
            return;
        }
        let peer = others[self.rng.below(others.len() as u32) as usize];
        if self.open.len() >= self.config.sessions_max as usize {
            io.counters.refused_busy += 1;
            return;
        }
        let seed = self.rng.next_u64();
        self.start(io, now, peer, seed);
    }

    fn start(&mut self, io: &mut Io<'_>, now: Tick, peer: NodeId, seed: u64) {
        let c = self.config;
        // The configuration was validated, so building a side cannot fail.
        let Ok(session) = Session::initiator(c.strategy, c.limits, seed) else {
            return;
        };
        let mut session = session.refuse_versions_ahead(self.version_ticks_ahead_max);
        let number = self.next_number;
        self.next_number += 1;
        io.counters.sessions_started += 1;
        let mut out = core::mem::take(&mut self.out);
        // The first message merges nothing, so its log is empty.
        let (step, _) = logged(io.replica, |r| session.start(r, now, &mut out));
        let mut open = Open {
            peer,
            number,
            started: now,
            session,
        };
        self.after_step(io, &mut open, step, &out, true);
        self.out = out;
    }

    /// A received [`MessageKind::Reconcile`] message (all of it, kind byte included).
    pub(crate) fn on_message(
        &mut self,
        io: &mut Io<'_>,
        now: Tick,
        from: NodeId,
        bytes: &[u8],
    ) -> Result<(), AntiEntropyError> {
        let (id, msg) = match self.parse(bytes) {
            Ok(x) => x,
            Err(e) => {
                io.counters.messages_rejected += 1;
                return Err(e);
            }
        };
        let (number, by_initiator) = (id >> 1, id & 1 == 1);
        // A message sent by the initiator is for our responder side, and the reverse.
        let our_role = if by_initiator {
            Role::Responder
        } else {
            Role::Initiator
        };
        let at = self
            .open
            .iter()
            .position(|o| o.peer == from && o.number == number && o.session.role() == our_role);
        let mut open = match at {
            Some(i) => self.open.swap_remove(i),
            None => self.new_responder(io, now, from, number, by_initiator)?,
        };
        let mut out = core::mem::take(&mut self.out);
        let (step, merged) = logged(io.replica, |r| open.session.handle(r, now, msg, &mut out));
        io.learned(merged, from);
        let failed = step.as_ref().err().and_then(|&e| match e {
            ReconcileError::VersionAhead { tick, max, .. } => {
                Some(AntiEntropyError::VersionAhead { tick, max })
            }
            // A well-formed refusal is an answer, not a rejected message: counted under its
            // reason, it ends the session here and now.
            ReconcileError::Refused { .. } => None,
            e => Some(AntiEntropyError::Session(e.reason())),
        });
        if matches!(step, Err(ReconcileError::Refused { .. })) {
            self.back_off();
        }
        self.after_step(io, &mut open, step, &out, our_role == Role::Initiator);
        self.out = out;
        failed.map_or(Ok(()), Err)
    }

    fn parse<'a>(&self, bytes: &'a [u8]) -> Result<(u64, &'a [u8]), AntiEntropyError> {
        let max = self.config.limits.message_bytes_max as usize;
        if bytes.len() > max.saturating_add(1 + wire::VARINT_BYTES_MAX) {
            return Err(AntiEntropyError::TooLong { len: bytes.len() });
        }
        let mut r = wire::Reader::new(bytes.get(1..).unwrap_or(&[]));
        let id = r.varint("session").map_err(AntiEntropyError::Decode)?;
        Ok((id, r.rest()))
    }

    fn new_responder(
        &mut self,
        io: &mut Io<'_>,
        now: Tick,
        from: NodeId,
        number: u64,
        by_initiator: bool,
    ) -> Result<Open, AntiEntropyError> {
        if !by_initiator {
            io.counters.messages_rejected += 1;
            return Err(AntiEntropyError::NoSession);
        }
        if self.open.len() >= self.config.sessions_max as usize {
            io.counters.refused_busy += 1;
            // Say so, so that the initiator frees its own slot now rather than after
            // `session_timeout_ticks` (see the module docs: the busy-refusal stall).
            let mut out = core::mem::take(&mut self.out);
            refusal::write(Refusal::Busy, &mut out);
            queue(io, from, number, false, &out);
            self.out = out;
            return Err(AntiEntropyError::Busy);
        }
        let c = self.config;
        let session = Session::responder(c.strategy, c.limits)
            .map_err(|e| AntiEntropyError::Session(e.reason()))?
            .refuse_versions_ahead(self.version_ticks_ahead_max);
        Ok(Open {
            peer: from,
            number,
            started: now,
            session,
        })
    }

    // Sends `out` if the step asks, keeps the session if it is still open, counts the outcome.
    fn after_step(
        &mut self,
        io: &mut Io<'_>,
        open: &mut Open,
        step: Result<Next, ReconcileError>,
        out: &[u8],
        initiator: bool,
    ) {
        let next = match step {
            Ok(n) => n,
            Err(e) => {
                io.counters.abandoned_by_reason[e.reason() as usize] += 1;
                return;
            }
        };
        if next != Next::Done {
            queue(io, open.peer, open.number, initiator, out);
        }
        if next == Next::Send {
            self.open.push(open.clone());
        } else {
            io.counters.sessions_completed += 1;
            io.counters.entries_repaired += open.session.counters().entries_new;
            if initiator {
                self.refusals_in_a_row = 0;
            }
        }
    }

    // After a refusal: skip a uniform number of the next due starts, 0 to 2^k - 1 where k is
    // the refusals in a row (at most `BACKOFF_DOUBLINGS_MAX`). Nodes start sessions at the same
    // gossip ticks, so without it a cluster whose every node is busy with its own session
    // refuses every request again at every interval; the draw splits them into initiators and
    // free responders. Drawn only on a refusal, so a run without one draws as it always did.
    fn back_off(&mut self) {
        self.refusals_in_a_row = (self.refusals_in_a_row + 1).min(BACKOFF_DOUBLINGS_MAX);
        self.starts_to_skip = self.rng.below(1 << self.refusals_in_a_row);
    }
}

// Queues one session message `msg` to `peer` (session `number`, sent by the initiator or not),
// counting its bytes.
fn queue(io: &mut Io<'_>, peer: NodeId, number: u64, initiator: bool, msg: &[u8]) {
    let mut body = Vec::with_capacity(msg.len() + wire::VARINT_BYTES_MAX);
    wire::put_varint(&mut body, number << 1 | u64::from(initiator));
    body.extend_from_slice(msg);
    let len = 1 + body.len() as u64;
    io.counters.bytes_sent += len;
    if !initiator {
        io.counters.bytes_sent_as_responder += len;
    }
    *io.outbox_dropped += io
        .outbox
        .queue(MessageKind::Reconcile, None, &body, &[peer]);
}

// Runs `f` (a session step) on the node's replica and returns the keys its merges changed.
// The log is kept only around the step: dissemination merges through the same replica and
// must not grow it.
fn logged(
    replica: &mut Replica,
    f: impl FnOnce(&mut Replica) -> Result<Next, ReconcileError>,
) -> (Result<Next, ReconcileError>, Vec<Vec<u8>>) {
    replica.log_merges();
    let result = f(replica);
    (result, replica.end_merge_log())
}

/// Why a reconcile message was rejected (the store is unchanged by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AntiEntropyError {
    /// The node does not run anti-entropy.
    Off,
    /// The session number was malformed.
    Decode(wire::DecodeError),
    /// Longer than `limits.message_bytes_max` plus its header.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// An answer for no open session.
    NoSession,
    /// A new session asked for while `sessions_max` were open.
    Busy,
    /// The session rejected the message and was abandoned.
    Session(AbandonReason),
    /// The message carried an entry whose version's tick is more than the node's
    /// `version_ticks_ahead_max` ahead: rejected whole, the session abandoned (counted under
    /// [`AbandonReason::VersionAhead`]). The node reports it as [`crate::node::Error::VersionAhead`].
    VersionAhead {
        /// The tick read from the entry's version.
        tick: Tick,
        /// The node's `version_ticks_ahead_max`.
        max: u32,
    },
}

#[cfg(test)]
mod tests {
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::reconcile::{AbandonReason, Strategy, TreeShape};
    use crate::time::Tick;
    use crate::wire::MessageKind;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const STRATEGIES: [Strategy; 4] = [
        Strategy::Full,
        Strategy::Digest,
        Strategy::Merkle(TreeShape {
            branching: 4,
            depth: 3,
        }),
        Strategy::Rateless,
    ];

    /// The default node with the default anti-entropy of `strategy` (the proptests' node).
    fn default_with(strategy: Strategy) -> NodeConfig {
        NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                strategy,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        }
    }

    fn config(ae: Option<Strategy>) -> NodeConfig {
        NodeConfig {
            // Rumor mongering that dies out quickly: it cannot repair a healed partition.
            mode: rumor(
                Exchange::Push,
                RumorFeedback::Feedback,
                RumorStop::Counter(1),
            ),
            anti_entropy: ae.map(|strategy| AntiEntropyConfig {
                strategy,
                every_intervals: 2,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        }
    }

    // Six nodes, partitioned {0,1,2} | {3,4,5} until tick 60, writes on both sides (one key
    // written on both), then healed; a perfect network of latency 1 tick. Returns the nodes
    // after `ticks` and the naive merge of every write.
    fn partition_run(ae: Option<Strategy>, ticks: u64) -> (Vec<Node>, Store) {
        let (nodes, naive, _) = run(ae, ticks, false);
        (nodes, naive)
    }

    // Every dissemination datagram of a run: (tick, from, to, bytes).
    type Log = Vec<(u64, NodeId, NodeId, Vec<u8>)>;

    // The partition run; with `drop_reconcile` the network drops every reconcile message, and
    // the log holds every other datagram.
    fn run(ae: Option<Strategy>, ticks: u64, drop_reconcile: bool) -> (Vec<Node>, Store, Log) {
        let mut log = Vec::new();
        let mut nodes: Vec<Node> = (0..6).map(|id| node_with(id, config(ae), 6)).collect();
        let mut naive = Store::new(NodeConfig::default().store);
        let mut flying: Vec<(NodeId, NodeId, Vec<u8>)> = Vec::new();
        let mut buf = Vec::new();
        let side = |n: NodeId| n / 3;
        for t in 0..ticks {
            let now = Tick(t);
            for (from, to, bytes) in core::mem::take(&mut flying) {
                let reconcile = bytes[0] == MessageKind::Reconcile as u8;
                if (t < 60 && side(from) != side(to)) || (drop_reconcile && reconcile) {
                    continue;
                }
                if !reconcile {
                    log.push((t, from, to, bytes.clone()));
                }
                let n = &mut nodes[to as usize];
                let _ = n.handle_message(now, from, &bytes);
                while let Some(tx) = n.poll_transmit(&mut buf) {
                    flying.push((to, tx.to, buf.clone()));
                }
            }
            if t == 2 || t == 3 {
                for (w, key) in [
                    (0u32, &b"shared"[..]),
                    (4, b"shared"),
                    (1, b"left"),
                    (5, b"right"),
                ] {
                    let value = [t as u8, w as u8];
                    let v = nodes[w as usize].write(now, key, &value).unwrap();
                    naive.merge(now, key, v, Some(&value));
                }
            }
            for n in nodes.iter_mut() {
                n.handle_tick(now);
                while let Some(tx) = n.poll_transmit(&mut buf) {
                    flying.push((n.id(), tx.to, buf.clone()));
                }
                while n.poll_event().is_some() {}
            }
        }
        (nodes, naive, log)
    }

    #[test]
    fn a_healed_partition_is_repaired_by_every_strategy_and_not_without_it() {
        let (nodes, naive) = partition_run(None, 400);
        assert!(
            nodes.iter().any(|n| !n.store().same_content(&naive)),
            "dead rumors alone must leave the healed partition unrepaired"
        );
        for s in STRATEGIES {
            let (nodes, naive) = partition_run(Some(s), 400);
            assert_eq!(naive.len(), 3);
            for n in &nodes {
                assert!(n.store().same_content(&naive), "{s:?}: node {}", n.id());
                let c = n.counters().anti_entropy;
                assert!(c.sessions_started > 0, "{s:?}");
                // Every node both starts and answers sessions here.
                assert!(c.bytes_sent_as_responder > 0, "{s:?}");
                assert!(c.bytes_sent_as_responder < c.bytes_sent, "{s:?}");
                // No session failed; some were refused: sessions sent across the cut hold
                // their slot until the timeout, so a node is sometimes busy when asked.
                let refused = AbandonReason::Refused as usize;
                assert!(
                    c.abandoned_by_reason
                        .iter()
                        .enumerate()
                        .all(|(r, &x)| x == 0 || r == refused),
                    "{s:?}: node {}",
                    n.id()
                );
            }
            let repaired: u64 = nodes
                .iter()
                .map(|n| n.counters().anti_entropy.entries_repaired)
                .sum();
            assert!(repaired > 0, "{s:?}");
        }
    }

    #[test]
    fn anti_entropy_does_not_shift_dissemination_draws() {
        // With every reconcile message lost, stores change only by dissemination, so its
        // datagrams must be byte for byte those of a run without anti-entropy: its peer
        // choices and coins come from the node's own stream, anti-entropy's from its own.
        let (_, _, without) = run(None, 200, true);
        for s in STRATEGIES {
            let (nodes, _, with) = run(Some(s), 200, true);
            assert!(!without.is_empty());
            assert!(with == without, "{s:?}");
            let started: u64 = nodes
                .iter()
                .map(|n| n.counters().anti_entropy.sessions_started)
                .sum();
            assert!(started > 0);
        }
    }

    #[test]
    fn invalid_anti_entropy_configs_name_the_field() {
        let bad = |ae: AntiEntropyConfig| {
            let c = NodeConfig {
                anti_entropy: Some(ae),
                ..NodeConfig::default()
            };
            Node::new(0, c, crate::rng::Rng::from_seed(0)).unwrap_err()
        };
        let d = AntiEntropyConfig::default();
        assert_eq!(
            bad(AntiEntropyConfig {
                sessions_max: 0,
                ..d
            }),
            ConfigError::AntiEntropy(AntiEntropyConfigError::SessionsMax(0))
        );
        assert_eq!(
            bad(AntiEntropyConfig {
                every_intervals: 0,
                ..d
            }),
            ConfigError::AntiEntropy(AntiEntropyConfigError::EveryIntervals(0))
        );
        assert!(matches!(
            bad(AntiEntropyConfig {
                strategy: Strategy::Merkle(TreeShape {
                    branching: 1,
                    depth: 1
                }),
                ..d
            }),
            ConfigError::AntiEntropy(AntiEntropyConfigError::Reconcile(_))
        ));
    }

    #[test]
    fn a_request_beyond_sessions_max_is_refused_and_counted() {
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                sessions_max: 1,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let mut a = node_with(0, c, 4);
        let mut b = node_with(1, c, 4);
        b.write(Tick(0), b"k", b"v").unwrap();
        // B's first digest message, sent twice as two sessions (numbers 0 and 1).
        b.handle_tick(Tick(0));
        let mut buf = Vec::new();
        while b.poll_transmit(&mut buf).unwrap().kind != MessageKind::Reconcile {}
        let first = buf.clone();
        let mut second = first.clone();
        second[1] = (1 << 1) | 1;
        a.handle_message(Tick(1), 1, &first).unwrap();
        // Digest answers and waits for the last message: one session stays open at A.
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 1);
        let store = a.store().clone();
        assert_eq!(
            a.handle_message(Tick(1), 1, &second),
            Err(Error::AntiEntropy(AntiEntropyError::Busy))
        );
        assert!(a.store().same_content(&store));
        assert_eq!(a.counters().anti_entropy.refused_busy, 1);
        // A says so: its first answer (to session 0) then a refusal of session 1, the
        // responder's bit clear, `0 1`.
        let mut sent = Vec::new();
        while let Some(tx) = a.poll_transmit(&mut buf) {
            assert_eq!((tx.kind, tx.to), (MessageKind::Reconcile, 1));
            sent.push(buf.clone());
        }
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1], [MessageKind::Reconcile as u8, 1 << 1, 0, 1]);
        assert_eq!(
            a.counters().anti_entropy.bytes_sent,
            (sent[0].len() + sent[1].len()) as u64
        );
    }

    #[test]
    fn an_initiator_refused_gives_the_session_up_at_once_and_backs_off() {
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                sessions_max: 1,
                every_intervals: 1,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let mut b = node_with(1, c, 2);
        b.handle_tick(Tick(0));
        let mut buf = Vec::new();
        while b.poll_transmit(&mut buf).unwrap().kind != MessageKind::Reconcile {}
        assert_eq!(b.anti_entropy().unwrap().sessions_open(), 1);
        let store = b.store().clone();
        // Node 0's refusal of B's session 0.
        let refusal = [MessageKind::Reconcile as u8, 0 << 1, 0, 1];
        assert_eq!(b.handle_message(Tick(2), 0, &refusal), Ok(()));
        assert_eq!(
            b.anti_entropy().unwrap().sessions_open(),
            0,
            "the slot is free"
        );
        assert!(b.store().same_content(&store));
        let ae = b.counters().anti_entropy;
        assert_eq!(ae.abandoned_by_reason[AbandonReason::Refused as usize], 1);
        assert_eq!(ae.abandoned(), 1);
        assert_eq!(ae.messages_rejected, 0);
        // A second refusal of the same session is for no open session.
        assert_eq!(
            b.handle_message(Tick(2), 0, &refusal),
            Err(Error::AntiEntropy(AntiEntropyError::NoSession))
        );
        // Backing off, B skips 0 or 1 due starts (one refusal in a row), then starts again.
        let started = |b: &Node| b.counters().anti_entropy.sessions_started;
        let mut t = 4;
        while started(&b) == 1 {
            b.handle_tick(Tick(t));
            while b.poll_transmit(&mut buf).is_some() {}
            t += 4;
        }
        let skipped = b.counters().anti_entropy.starts_backed_off;
        assert!(skipped <= 1, "{skipped}");
        assert_eq!(t, 8 + 4 * skipped);
    }

    #[test]
    fn a_refusal_to_a_responder_or_after_the_first_answer_is_out_of_order() {
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                strategy: Strategy::Merkle(TreeShape {
                    branching: 4,
                    depth: 3,
                }),
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let out_of_order = AbandonReason::OutOfOrder as usize;
        // As a first message from an initiator: a refusal opens no session.
        let mut a = node_with(0, c, 2);
        let to_responder = [MessageKind::Reconcile as u8, 1, 0, 1];
        assert_eq!(
            a.handle_message(Tick(1), 1, &to_responder),
            Err(Error::AntiEntropy(AntiEntropyError::Session(
                AbandonReason::OutOfOrder
            )))
        );
        assert_eq!(
            a.counters().anti_entropy.abandoned_by_reason[out_of_order],
            1
        );
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 0);
        // After a real answer: a Merkle session takes several round trips, so A's session is
        // still open after B's first answer, and a refusal then is out of order.
        let mut b = node_with(1, c, 2);
        b.write(Tick(0), b"k", b"v").unwrap();
        a.handle_tick(Tick(0));
        let mut buf = Vec::new();
        while a.poll_transmit(&mut buf).unwrap().kind != MessageKind::Reconcile {}
        b.handle_message(Tick(1), 0, &buf).unwrap();
        while b.poll_transmit(&mut buf).unwrap().kind != MessageKind::Reconcile {}
        a.handle_message(Tick(2), 1, &buf).unwrap();
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 1);
        let late = [MessageKind::Reconcile as u8, 0, 0, 1];
        assert_eq!(
            a.handle_message(Tick(3), 1, &late),
            Err(Error::AntiEntropy(AntiEntropyError::Session(
                AbandonReason::OutOfOrder
            )))
        );
        assert_eq!(
            a.counters().anti_entropy.abandoned_by_reason[out_of_order],
            2
        );
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 0);
    }

    #[test]
    fn an_unanswered_session_is_abandoned_after_its_timeout() {
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                session_timeout_ticks: 10,
                every_intervals: 100,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let mut a = node_with(0, c, 4);
        a.handle_tick(Tick(0));
        while a.poll_transmit(&mut Vec::new()).is_some() {}
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 1);
        a.handle_tick(Tick(8));
        assert_eq!(
            a.counters().anti_entropy.abandoned_timeout,
            0,
            "8 ticks old"
        );
        a.handle_tick(Tick(12));
        assert_eq!(
            a.counters().anti_entropy.abandoned_timeout,
            1,
            "12 ticks old"
        );
        assert_eq!(a.anti_entropy().unwrap().sessions_open(), 0);
    }

    // Node 0 (anti-entropy with `strategy`, initiating at tick 0) against a hand-driven peer
    // (node 1, a bare responder session that checks no versions) whose replica holds `key` at
    // a version of tick `tick`. Returns the node and the first error it gave, if any.
    fn against_planted_peer(strategy: Strategy, tick: u64) -> (Node, Option<Error>) {
        use crate::reconcile::{Replica, Session};
        use crate::store::Version;
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                strategy,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let mut a = node_with(0, c, 2);
        a.write(Tick(0), b"mine", b"v").unwrap();
        let mut store = Store::new(c.store);
        let planted = Version {
            counter: tick << 16,
            origin: 1,
        };
        store.merge(Tick(0), b"planted", planted, Some(b"x"));
        let mut peer = match strategy {
            Strategy::Merkle(shape) => Replica::with_tree(store, shape).unwrap(),
            _ => Replica::new(store),
        };
        let mut b = Session::responder(strategy, c.anti_entropy.unwrap().limits).unwrap();
        a.handle_tick(Tick(0));
        let (mut buf, mut out) = (Vec::new(), Vec::new());
        for t in 1..20 {
            let Some(_) = core::iter::from_fn(|| a.poll_transmit(&mut buf))
                .find(|tx| tx.kind == MessageKind::Reconcile)
            else {
                return (a, None);
            };
            // Kind byte, then session 0 sent by the initiator (0 << 1 | 1).
            assert_eq!(buf[1], 1);
            if b.handle(&mut peer, Tick(t), &buf[2..], &mut out).is_err() || out.is_empty() {
                return (a, None);
            }
            let mut answer = alloc::vec![MessageKind::Reconcile as u8, 0];
            answer.extend_from_slice(&out);
            if let Err(e) = a.handle_message(Tick(t), 1, &answer) {
                return (a, Some(e));
            }
        }
        (a, None)
    }

    #[test]
    fn a_version_from_the_future_in_a_session_is_refused_whole_by_every_strategy() {
        let max = u64::from(NodeConfig::default().version_ticks_ahead_max);
        for s in STRATEGIES {
            let (a, err) = against_planted_peer(s, 1_000_000);
            let Some(Error::VersionAhead {
                field,
                tick,
                max: m,
                ..
            }) = err
            else {
                panic!("{s:?}: {err:?}");
            };
            assert_eq!(
                (field, tick, u64::from(m)),
                ("version.counter", Tick(1_000_000), max)
            );
            assert!(a.store().get(b"planted").is_none(), "{s:?}");
            assert_eq!(a.store().len(), 1, "{s:?}: the store is unchanged");
            let c = a.counters().anti_entropy;
            let reason = crate::reconcile::AbandonReason::VersionAhead as usize;
            assert_eq!(c.abandoned_by_reason[reason], 1, "{s:?}");
            assert_eq!(c.entries_repaired, 0, "{s:?}");
            assert_eq!(a.anti_entropy().unwrap().sessions_open(), 0, "{s:?}");
            // At the boundary (answered at tick 1 or later, so `1 + max` is never ahead) the
            // same entry is repaired.
            let (a, err) = against_planted_peer(s, 1 + max);
            assert_eq!(err, None, "{s:?}");
            assert!(a.store().get(b"planted").is_some(), "{s:?}");
        }
    }

    #[test]
    fn a_first_message_from_the_future_is_refused_by_the_responder() {
        use crate::reconcile::{Replica, Session};
        use crate::store::Version;
        let c = NodeConfig {
            anti_entropy: Some(AntiEntropyConfig {
                strategy: Strategy::Full,
                ..AntiEntropyConfig::default()
            }),
            ..NodeConfig::default()
        };
        let mut a = node_with(0, c, 2);
        let mut store = Store::new(c.store);
        let v = Version {
            counter: u64::MAX - 1,
            origin: 1,
        };
        store.merge(Tick(0), b"planted", v, None);
        let mut b = Session::initiator(Strategy::Full, c.anti_entropy.unwrap().limits, 0).unwrap();
        let mut out = Vec::new();
        b.start(&mut Replica::new(store), Tick(0), &mut out)
            .unwrap();
        let mut msg = alloc::vec![MessageKind::Reconcile as u8, 1];
        msg.extend_from_slice(&out);
        assert!(matches!(
            a.handle_message(Tick(1), 1, &msg),
            Err(Error::VersionAhead { tick, .. }) if tick == v.tick()
        ));
        assert!(a.store().is_empty());
        assert_eq!(a.counters().messages_received, 0);
        assert!(a.outbox_len() == 0, "no answer to a refused message");
    }

    proptest! {
        // Whatever follows the refusal byte in the answer to an open session: exactly `1`
        // is a refusal (accepted, the session abandoned as refused); anything else is a
        // malformed refusal, rejected and counted as a decode failure. Neither changes the
        // store, and either frees the slot.
        #[test]
        fn a_malformed_refusal_is_rejected_and_counted_and_never_changes_the_store(
            tail in proptest::collection::vec(any::<u8>(), 0..6),
            s in 0usize..4,
        ) {
            let c = default_with(STRATEGIES[s]);
            let mut a = node_with(0, c, 2);
            a.write(Tick(0), b"k", b"v").unwrap();
            a.handle_tick(Tick(0));
            while a.poll_transmit(&mut Vec::new()).is_some() {}
            prop_assert_eq!(a.anti_entropy().unwrap().sessions_open(), 1);
            let before = a.store().clone();
            let mut bytes = alloc::vec![MessageKind::Reconcile as u8, 0, 0];
            bytes.extend_from_slice(&tail);
            let got = a.handle_message(Tick(1), 1, &bytes);
            let ae = a.counters().anti_entropy;
            let refused = ae.abandoned_by_reason[AbandonReason::Refused as usize];
            let decode = ae.abandoned_by_reason[AbandonReason::Decode as usize];
            if tail == [1] {
                prop_assert_eq!(got, Ok(()));
                prop_assert_eq!((refused, decode), (1, 0));
            } else {
                prop_assert_eq!(
                    got,
                    Err(Error::AntiEntropy(AntiEntropyError::Session(AbandonReason::Decode)))
                );
                prop_assert_eq!((refused, decode), (0, 1));
                prop_assert_eq!(a.counters().messages_received, 0);
            }
            prop_assert!(a.store().same_content(&before));
            prop_assert_eq!(a.anti_entropy().unwrap().sessions_open(), 0);
        }

        #[test]
        fn arbitrary_reconcile_bytes_never_change_the_store(
            body in proptest::collection::vec(any::<u8>(), 0..64),
            s in 0usize..4,
        ) {
            let c = default_with(STRATEGIES[s]);
            let mut a = node_with(0, c, 4);
            a.write(Tick(0), b"k", b"v").unwrap();
            let before = a.store().clone();
            let mut bytes = alloc::vec![MessageKind::Reconcile as u8];
            bytes.extend_from_slice(&body);
            if a.handle_message(Tick(1), 1, &bytes).is_err() {
                prop_assert!(a.store().same_content(&before));
                prop_assert_eq!(a.counters().messages_received, 0);
            }
        }
    }
}
