//! Reconciliation: two replicas find what each lacks and exchange only that (anti-entropy).
//!
//! Dissemination spreads new writes; reconciliation repairs what a replica missed (a partition,
//! a crash, lost messages). Two replicas run a *session*: a short exchange of messages at the end
//! of which each holds, for every key either held, the newer of the two entries by the store's
//! merge rule ([`crate::store::Store::merge`]). The strategies differ only in how they find the
//! difference, and so in the bytes and round trips they spend:
//! * [`full`]: both sides send every entry (one round trip, `O(n)` bytes): the baseline;
//! * [`digest`]: the initiator sends `key -> version` for everything, the responder answers
//!   with the entries that are newer on its side and asks for the ones it lacks (`O(n)` bytes,
//!   smaller than full state when values are large);
//! * [`merkle`]: both sides keep a hash tree over their keys; they compare roots and descend
//!   only into differing subtrees, level by level, then exchange the entries of differing leaf
//!   buckets (`O(d log(n/d))` hashes for `d` differences, one round trip per level);
//! * [`rateless`]: a stream of coded symbols the
//!   receiver peels until it holds the symmetric difference (`O(d)` symbols).
//!
//! # Driving a session (sans-IO)
//! A session never does I/O and never reads a clock. The caller owns the bytes:
//! ```text
//! let mut a = Session::initiator(strategy, limits, seed)?;   // the one that starts
//! let mut b = Session::responder(strategy, limits)?;          // the one that answers
//! let mut next = a.start(&mut replica_a, now, &mut out)?;     // first message in `out`
//! loop {                       // deliver `out` to the other side, which answers into its buffer
//!     match next { Next::Send => ..., Next::SendLast => ..., Next::Done => break }
//!     next = b.handle(&mut replica_b, now, &received, &mut out)?;
//! }
//! ```
//! Every step takes the received message and the replica ([`Replica`]: the store plus what a
//! strategy keeps beside it, the Merkle tree), **validates the message whole before changing
//! anything**, merges received entries by `Store::merge` (through [`Replica::merge`], which
//! keeps the tree in step), and writes the next message into the caller's `out` (cleared first;
//! reused, so no allocation per message once it has grown). It answers [`Next::Send`] (send
//! `out`, an answer will come), [`Next::SendLast`] (send `out`; this side is finished) or
//! [`Next::Done`] (nothing to send; finished). An error abandons the session: the replica is
//! unchanged by the message that caused it, the error names what was wrong and
//! [`ReconcileError::reason`] gives the field-less [`AbandonReason`] a caller counts. Every
//! message and the whole session are bounded by [`ReconcileLimits`]. [`reconcile_pair`] drives
//! two replicas through real encoded bytes (the tests and the runner use it);
//! [`trace::trace_pair`] does the same and records every turn, for a viewer that steps it.
//!
//! # Messages
//! ```text
//! message = strategy:u8 body      strategy: 1 full, 2 digest, 3 merkle, 4 rateless
//!         | 0:u8 why:u8          a refusal (see [`refusal`])
//! ```
//! The body belongs to the strategy (each module documents its own). A responder that will
//! not take a session answers the first message with a refusal ([`refusal::write`]), on which
//! the initiator abandons at once ([`ReconcileError::Refused`]). These messages are not in
//! [`crate::wire::KINDS`] yet: the cluster integration will append one kind whose body is this
//! message. A session message is a segment of a stream between two peers, not a datagram, so its
//! size limit ([`ReconcileLimits::message_bytes_max`]) may exceed the datagram limit of
//! [`crate::wire`]; full state and digests of large stores need it.
//!
//! # How a strategy plugs in
//! One module per strategy, one arm per strategy in [`Strategy`] and in the private `Inner`
//! enum of [`Session`] (closed sets, no trait objects: see the architecture note). A strategy's
//! module exposes a `Side` type with `initiator(..)`/`responder(..)` constructors and two
//! methods, `start(&mut self, turn: &mut Turn<'_>) -> Result<Next, ReconcileError>` (initiator
//! only) and `handle(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next,
//! ReconcileError>`; [`Turn`] hands it the replica, the time, the limits, its counters and the
//! output buffer (the strategy byte is already written to it and already stripped from `body`).
//! [`Session`] does the framing, checks the strategy byte, the session limits (messages, bytes)
//! and the order of calls, and counts messages and bytes; the strategy counts hashes, symbols
//! and entries.

use alloc::vec::Vec;

use crate::time::Tick;

mod counters;
pub mod digest;
mod error;
pub mod full;
mod limits;
pub mod merkle;
pub mod rateless;
pub mod refusal;
mod replica;
#[cfg(test)]
mod tests;
pub mod trace;
pub mod trial;
mod turn;
pub mod wire_entries;

pub use counters::ReconcileCounters;
pub use error::{AbandonReason, ReconcileError};
pub use limits::{
    ReconcileLimits, ITEMS_PER_MESSAGE_LIMIT, RATELESS_GROWTH_PERCENT_RANGE,
    RECONCILE_MESSAGES_LIMIT, RECONCILE_MESSAGE_BYTES_LIMIT,
};
pub use merkle::TreeShape;
pub use replica::Replica;
pub use turn::Turn;

/// How two replicas find their difference (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Strategy {
    /// Both sides send every entry.
    Full,
    /// Versions of everything, then the newer entries.
    Digest,
    /// Compare Merkle trees of this shape, descend into differing subtrees.
    Merkle(TreeShape),
    /// Rateless set reconciliation: coded symbols peeled into the difference.
    Rateless,
}

impl Strategy {
    /// The byte that opens every message of this strategy (frozen).
    pub fn tag(self) -> u8 {
        match self {
            Strategy::Full => 1,
            Strategy::Digest => 2,
            Strategy::Merkle(_) => 3,
            Strategy::Rateless => 4,
        }
    }

    /// A short lowercase name, for display and the runner.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Full => "full",
            Strategy::Digest => "digest",
            Strategy::Merkle(_) => "merkle",
            Strategy::Rateless => "rateless",
        }
    }
}

/// Which end of a session a side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Starts the session ([`Session::start`]).
    Initiator,
    /// Answers the initiator's first message.
    Responder,
}

/// What a side does after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send the output buffer; an answer will come.
    Send,
    /// Send the output buffer; this side is finished.
    SendLast,
    /// Nothing to send; this side is finished.
    Done,
}

// The strategy-specific part of a session: one arm per strategy.
#[derive(Clone, Debug)]
enum Inner {
    Full(full::Side),
    Digest(digest::Side),
    Merkle(merkle::Side),
    Rateless(rateless::Side),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Fresh,
    Open,
    Finished,
    Abandoned,
}

/// One side of one reconciliation (see the module docs for how to drive it).
#[derive(Clone, Debug)]
pub struct Session {
    strategy: Strategy,
    role: Role,
    limits: ReconcileLimits,
    counters: ReconcileCounters,
    phase: Phase,
    inner: Inner,
    version_ticks_ahead_max: Option<u32>,
}

impl Session {
    /// The side that starts. `seed` is drawn by the caller from its own seeded stream (the
    /// rateless strategy keys its hashing with it; the others ignore it). Fails if `limits` are
    /// out of range or the strategy is not built.
    pub fn initiator(
        strategy: Strategy,
        limits: ReconcileLimits,
        seed: u64,
    ) -> Result<Session, ReconcileError> {
        Session::new(strategy, limits, Role::Initiator, seed)
    }

    /// The side that answers.
    pub fn responder(
        strategy: Strategy,
        limits: ReconcileLimits,
    ) -> Result<Session, ReconcileError> {
        Session::new(strategy, limits, Role::Responder, 0)
    }

    fn new(
        strategy: Strategy,
        limits: ReconcileLimits,
        role: Role,
        seed: u64,
    ) -> Result<Session, ReconcileError> {
        limits.validate()?;
        let inner = match strategy {
            Strategy::Full => Inner::Full(full::Side::new(role)),
            Strategy::Digest => Inner::Digest(digest::Side::new(role)),
            Strategy::Merkle(shape) => Inner::Merkle(merkle::Side::new(role, shape)?),
            Strategy::Rateless => Inner::Rateless(rateless::Side::new(role, seed)),
        };
        Ok(Session {
            strategy,
            role,
            limits,
            counters: ReconcileCounters::default(),
            phase: Phase::Fresh,
            inner,
            version_ticks_ahead_max: None,
        })
    }

    /// From now on, a received message carrying an entry whose version's tick is later than
    /// `now + max` is rejected whole ([`ReconcileError::VersionAhead`]) and abandons the
    /// session, the replica unchanged: the rule a node applies to gossip
    /// ([`crate::node::NodeConfig::version_ticks_ahead_max`]), so that a peer cannot plant a
    /// version far in the future through reconciliation either. Without it any version is
    /// accepted (two replicas compared offline, as the runner does).
    pub fn refuse_versions_ahead(mut self, max: u32) -> Session {
        self.version_ticks_ahead_max = Some(max);
        self
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// Which end this is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// What this side sent and received so far.
    pub fn counters(&self) -> &ReconcileCounters {
        &self.counters
    }

    /// With the Merkle strategy, the nodes this side last named as differing (see
    /// [`merkle::Side::frontier`]); `None` for the other strategies.
    pub fn merkle_frontier(&self) -> Option<(u32, &[u64])> {
        match &self.inner {
            Inner::Merkle(s) => s.frontier(),
            _ => None,
        }
    }

    /// Whether this side has finished (successfully).
    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }

    /// The initiator's first message, into `out`.
    pub fn start(
        &mut self,
        replica: &mut Replica,
        now: Tick,
        out: &mut Vec<u8>,
    ) -> Result<Next, ReconcileError> {
        if self.role != Role::Initiator || self.phase != Phase::Fresh {
            return self.abandon(ReconcileError::OutOfOrder {
                what: "start is for a fresh initiator",
            });
        }
        self.phase = Phase::Open;
        self.step(replica, now, None, out)
    }

    /// Handles one received message and writes the answer (if any) into `out`. On error the
    /// replica is unchanged by this message and the session is abandoned.
    pub fn handle(
        &mut self,
        replica: &mut Replica,
        now: Tick,
        msg: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<Next, ReconcileError> {
        let open = match self.role {
            Role::Initiator => self.phase == Phase::Open,
            Role::Responder => matches!(self.phase, Phase::Fresh | Phase::Open),
        };
        if !open {
            return self.abandon(ReconcileError::OutOfOrder {
                what: "message after the session ended",
            });
        }
        self.counters.messages_received += 1;
        self.counters.bytes_received += msg.len() as u64;
        if refusal::is_refusal(msg) {
            return self.abandon(self.refused(msg));
        }
        if let Err(e) = self.check_received(msg) {
            return self.abandon(e);
        }
        self.phase = Phase::Open;
        self.step(replica, now, Some(&msg[1..]), out)
    }

    // What a received refusal means: only an initiator's first answer may be one, and it must
    // be well formed; either way the session ends, the replica untouched.
    fn refused(&self, msg: &[u8]) -> ReconcileError {
        match refusal::read(msg) {
            Err(e) => e,
            Ok(_) if self.role != Role::Initiator => ReconcileError::OutOfOrder {
                what: "a refusal sent to a responder",
            },
            Ok(_) if self.counters.messages_received != 1 => ReconcileError::OutOfOrder {
                what: "a refusal after the first answer",
            },
            Ok(why) => ReconcileError::Refused { why },
        }
    }

    fn check_received(&self, msg: &[u8]) -> Result<(), ReconcileError> {
        let l = &self.limits;
        l.check(
            "messages_max",
            self.counters.messages_received,
            l.messages_max,
        )?;
        l.check(
            "message_bytes_max",
            msg.len() as u64,
            l.message_bytes_max.into(),
        )?;
        l.check("bytes_max", self.counters.bytes_received, l.bytes_max)?;
        let tag = *msg
            .first()
            .ok_or(ReconcileError::Decode(crate::wire::DecodeError::Empty))?;
        if tag != self.strategy.tag() {
            return Err(ReconcileError::WrongStrategy {
                expected: self.strategy.tag(),
                got: tag,
            });
        }
        Ok(())
    }

    fn step(
        &mut self,
        replica: &mut Replica,
        now: Tick,
        body: Option<&[u8]>,
        out: &mut Vec<u8>,
    ) -> Result<Next, ReconcileError> {
        out.clear();
        out.push(self.strategy.tag());
        // Strategies read the tree as fresh; a burst of writes since the last step is paid
        // for here, once.
        replica.refresh_tree();
        let mut turn = Turn {
            replica,
            now,
            limits: &self.limits,
            counters: &mut self.counters,
            out,
            version_ticks_ahead_max: self.version_ticks_ahead_max,
        };
        let result = match (&mut self.inner, body) {
            (Inner::Full(s), None) => s.start(&mut turn),
            (Inner::Full(s), Some(b)) => s.handle(&mut turn, b),
            (Inner::Digest(s), None) => s.start(&mut turn),
            (Inner::Digest(s), Some(b)) => s.handle(&mut turn, b),
            (Inner::Merkle(s), None) => s.start(&mut turn),
            (Inner::Merkle(s), Some(b)) => s.handle(&mut turn, b),
            (Inner::Rateless(s), None) => s.start(&mut turn),
            (Inner::Rateless(s), Some(b)) => s.handle(&mut turn, b),
        };
        match result {
            Ok(next) => self.sent(next, out),
            Err(e) => {
                out.clear();
                self.abandon(e)
            }
        }
    }

    // Counts the message in `out` (if any) against the limits and moves the phase on.
    fn sent(&mut self, next: Next, out: &mut Vec<u8>) -> Result<Next, ReconcileError> {
        if next == Next::Done {
            out.clear();
            self.phase = Phase::Finished;
            return Ok(next);
        }
        self.counters.messages_sent += 1;
        self.counters.bytes_sent += out.len() as u64;
        let l = self.limits;
        let checked = l
            .check("messages_max", self.counters.messages_sent, l.messages_max)
            .and_then(|_| {
                l.check(
                    "message_bytes_max",
                    out.len() as u64,
                    l.message_bytes_max.into(),
                )
            })
            .and_then(|_| l.check("bytes_max", self.counters.bytes_sent, l.bytes_max));
        if let Err(e) = checked {
            out.clear();
            return self.abandon(e);
        }
        if next == Next::SendLast {
            self.phase = Phase::Finished;
        }
        Ok(next)
    }

    fn abandon(&mut self, e: ReconcileError) -> Result<Next, ReconcileError> {
        self.phase = Phase::Abandoned;
        self.counters.abandoned = Some(e.reason());
        Err(e)
    }
}

/// What one reconciliation between two replicas cost, from [`reconcile_pair`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Report {
    /// The initiator's counters.
    pub initiator: ReconcileCounters,
    /// The responder's counters.
    pub responder: ReconcileCounters,
}

impl Report {
    /// Messages both ways, halved and rounded up: a round trip is one message and its answer.
    pub fn round_trips(&self) -> u64 {
        (self.initiator.messages_sent + self.responder.messages_sent).div_ceil(2)
    }

    /// Hashes sent both ways.
    pub fn hashes(&self) -> u64 {
        self.initiator.hashes_sent + self.responder.hashes_sent
    }

    /// Coded symbols sent both ways.
    pub fn symbols(&self) -> u64 {
        self.initiator.symbols_sent + self.responder.symbols_sent
    }

    /// Entries sent both ways.
    pub fn entries(&self) -> u64 {
        self.initiator.entries_sent + self.responder.entries_sent
    }

    /// Entries received that the receiver already held or held newer, both ways.
    pub fn entries_unneeded(&self) -> u64 {
        self.initiator.entries_unneeded + self.responder.entries_unneeded
    }

    /// Bytes sent both ways.
    pub fn bytes(&self) -> u64 {
        self.initiator.bytes_sent + self.responder.bytes_sent
    }
}

/// Reconciles `a` (the initiator) with `b` through real encoded messages, at `now`. On error
/// both replicas keep what they had merged before the bad message (each message is applied
/// whole or not at all).
pub fn reconcile_pair(
    a: &mut Replica,
    b: &mut Replica,
    strategy: Strategy,
    limits: ReconcileLimits,
    now: Tick,
) -> Result<Report, ReconcileError> {
    drive_pair(a, b, strategy, limits, now, &mut |_| {})
}

/// What [`drive_pair`] shows its observer after every turn: the side that acted, what its
/// call returned, the message it wrote (meaningful unless `next` is [`Next::Done`]), its
/// replica, and both sessions.
pub(crate) struct TurnSeen<'a> {
    pub side: Role,
    pub next: Next,
    pub out: &'a [u8],
    pub actor: &'a mut Replica,
    pub initiator: &'a Session,
    pub responder: &'a Session,
}

/// The one driver of a pair's session, for [`reconcile_pair`] and [`trace::trace_pair`]:
/// `a` initiates, the sides alternate until both are finished, and `seen` is called after
/// every turn (the initiator's start included).
pub(crate) fn drive_pair(
    a: &mut Replica,
    b: &mut Replica,
    strategy: Strategy,
    limits: ReconcileLimits,
    now: Tick,
    seen: &mut dyn FnMut(TurnSeen<'_>),
) -> Result<Report, ReconcileError> {
    let mut ia = Session::initiator(strategy, limits, 0)?;
    let mut rb = Session::responder(strategy, limits)?;
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    let mut next = ia.start(a, now, &mut out_a)?;
    seen(TurnSeen {
        side: Role::Initiator,
        next,
        out: &out_a,
        actor: a,
        initiator: &ia,
        responder: &rb,
    });
    let mut to_b = true;
    // Each step either ends a side or sends a message, and messages are bounded by
    // `messages_max` on both sides, so this loop ends.
    while next != Next::Done {
        let last = next == Next::SendLast;
        next = if to_b {
            let n = rb.handle(b, now, &out_a, &mut out_b)?;
            seen(TurnSeen {
                side: Role::Responder,
                next: n,
                out: &out_b,
                actor: b,
                initiator: &ia,
                responder: &rb,
            });
            n
        } else {
            let n = ia.handle(a, now, &out_b, &mut out_a)?;
            seen(TurnSeen {
                side: Role::Initiator,
                next: n,
                out: &out_a,
                actor: a,
                initiator: &ia,
                responder: &rb,
            });
            n
        };
        if last && next != Next::Done {
            return Err(ReconcileError::OutOfOrder {
                what: "a side answered a last message",
            });
        }
        to_b = !to_b;
    }
    if !ia.is_finished() || !rb.is_finished() {
        return Err(ReconcileError::OutOfOrder {
            what: "a side stopped before the other finished",
        });
    }
    Ok(Report {
        initiator: *ia.counters(),
        responder: *rb.counters(),
    })
}
