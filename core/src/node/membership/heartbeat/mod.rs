//! Heartbeat gossip with a phi accrual failure detector: Cassandra's way of learning who is
//! alive, kept beside SWIM so the lab can set the two side by side on the same faults and seeds.
//!
//! # The protocol
//! Every node keeps a heartbeat table: for each member it knows, the newest heartbeat
//! `(generation, counter)` it has heard (compared as a pair: a restart raises the generation,
//! and within a generation the member raises its counter once a period). Each period
//! (`period_ticks`) a node raises its own counter and sends its table to `fanout` members
//! drawn uniformly from the members it does not hold convicted (all others if it holds every
//! one convicted), in one [`MessageKind::Heartbeat`] message (format in [`codec`]). A receiver
//! takes every row newer than the one it holds, and each time a member's heartbeat advances it
//! records the interval since the previous advance in that member's arrival window
//! ([`phi::ArrivalWindow`]). Once a period, before gossiping, it computes every member's
//! `phi` (the exponential form, as Cassandra's `FailureDetector` does; [`phi`] says why) and
//! convicts a member whose `phi` exceeds `phi_convict_threshold` (Cassandra's default 8). A
//! newer heartbeat of a convicted member clears the conviction. A member is judged only after
//! its first heartbeat was heard; a new generation starts a fresh window.
//!
//! This is Cassandra's failure detection without its three-way digest exchange (`SYN`, `ACK`,
//! `ACK2`): the table itself is pushed, so its cost is plain to see. A message grows with the
//! table (about 5 bytes a member at small ids and counters); when the table does not fit
//! `message_bytes_max`, a message carries the sender's own heartbeat and the ascending run of
//! rows that fits, starting after the last row the previous message carried, so every row goes
//! out in turn ([`HeartbeatCounters::rows_left_out`] counts what waited).
//!
//! # Defaults, and one that differs from Cassandra's
//! Period 4 ticks (a simulator round), fanout 1, threshold 8, a window of 1,000 intervals and
//! an initial interval of 2 periods are Cassandra's. Cassandra also ignores intervals longer
//! than the initial value (`fd_max_interval_ms`, "we'd rather mark it down quickly instead of
//! adapting"); its gossip is a push-pull digest exchange, which refreshes a member's heartbeat
//! at every observer about once a period. Pushed one way, heartbeats reach an observer less
//! regularly (mean interval 10.7 ticks = 2.7 periods at N = 100, 11.3 at N = 1,000), and
//! dropping every interval above 2 periods biases the mean down to about 4.7 ticks, so a
//! normal gap convicts. Measured without loss or faults (seed 1, 400 periods, one member
//! crashed at period 200, window 1,000):
//!
//! | N     | `interval_ticks_max` | live members convicted | first / last observer convicts the crashed one |
//! |-------|----------------------|------------------------|-------------------------------------------------|
//! | 100   | 8 (Cassandra's)      | 8                      | 84 / 144 ticks                                   |
//! | 100   | 64 (default here)    | 0                      | 184 / 264 ticks                                  |
//! | 1,000 | 8 (Cassandra's)      | 871                    | 76 / 164 ticks                                   |
//! | 1,000 | 64 (default here)    | 32, all in the first 50 periods (windows still near the initial value) | 168 / 320 ticks |
//!
//! So the default keeps 16 periods: no false conviction once windows hold real intervals, at
//! about twice the detection time. Set it to `2 * period_ticks` to run Cassandra's value.
//!
//! # As a membership source
//! With [`crate::node::MembershipConfig::Heartbeat`] the node holds a [`HeartbeatSource`]
//! ([`source`]): its tick runs [`Heartbeat::handle_tick`], every [`MessageKind::Heartbeat`]
//! message goes to [`Heartbeat::handle_message`], and its peers for dissemination are
//! [`Heartbeat::members`] (this node and every member not convicted). Each change of the view
//! is a [`Change`] and becomes an [`crate::node::Event::Member`] in SWIM's terms, which map
//! onto two of SWIM's states: a convicted member is `Dead`, any other `Alive`, and the
//! incarnation is the member's generation (held at `u32::MAX` above it). A change is reported
//! when a member is learned, convicted, heard again after a conviction, or heard at a new
//! generation (a restart). There is no suspicion, so the simulator's first detection is the
//! first conviction, and no graceful leave. SWIM's precedence (dead beats alive at one
//! incarnation) does not hold here: a live member falsely convicted comes back alive at the
//! same generation, so the simulator's update-spread metric is SWIM's only; its views,
//! detection times and false deaths are exact for both.
//!
//! [`Heartbeat::seed`] takes the driver's starting membership once, silently (every member
//! alive at generation 0, as the simulator's seeded views assume); [`Heartbeat::join`] adds
//! one seed member instead; [`Heartbeat::set_generation`] starts a restarted node's new life.
//!
//! # Driving it (sans-IO)
//! [`Heartbeat::new`]`(config, self_id, members)` with the members known at the start (a seed
//! list; others are learned from the rows, up to `members_max`). Then:
//! * [`Heartbeat::handle_tick`]`(now, rng, out)` at [`Heartbeat::next_tick`] (calling it more
//!   often changes nothing); it appends the period's messages to `out`, a [`Transmits`] the
//!   caller drains and clears (its buffers are reused, so a running node does not allocate);
//! * [`Heartbeat::handle_message`]`(now, from, bytes)` for every heartbeat message received.
//!
//! Randomness: peer choice only, one [`Rng::sample_distinct`] call per period from the `rng`
//! handed in (wired into [`crate::node::Node`], the membership stream SWIM would use,
//! `Rng::stream(s, Stream::Membership, id)`: only one source runs). Nothing here reads
//! a clock. A message is validated whole ([`codec::decode`] and the checks of
//! [`HeartbeatError`]) before anything is applied: an error changes nothing but the
//! `messages_rejected` counter.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use crate::node::membership::swim::{MemberState, MemberView as View};
use crate::node::membership::Members;
use crate::node::NodeId;
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::{DecodeError, MessageKind};

pub mod codec;
pub mod config;
pub mod counters;
pub mod phi;
pub mod source;

pub use config::{
    ConfigError, HeartbeatConfig, FANOUT_LIMIT, MEMBERS_LIMIT, MESSAGE_BYTES_MIN,
    PERIOD_TICKS_LIMIT,
};
pub use counters::HeartbeatCounters;
pub use source::HeartbeatSource;

use codec::Row;
use phi::{Arrival, ArrivalWindow};

/// A rejected message. Every variant leaves the state unchanged (only
/// [`HeartbeatCounters::messages_rejected`] counts it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeartbeatError {
    /// The bytes are not a valid heartbeat message. State unchanged.
    Decode(DecodeError),
    /// The message claims to come from this node itself. State unchanged.
    FromSelf,
    /// A row is about the sender, whose heartbeat is the header's. State unchanged.
    RowAboutSender(NodeId),
}

impl fmt::Display for HeartbeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeartbeatError::Decode(e) => write!(f, "{e}"),
            HeartbeatError::FromSelf => write!(f, "a heartbeat message from this node itself"),
            HeartbeatError::RowAboutSender(n) => {
                write!(
                    f,
                    "a row about the sender {n}, whose heartbeat is the header's"
                )
            }
        }
    }
}

/// What a node believes about one member, for a renderer or a test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemberView {
    /// The member.
    pub member: NodeId,
    /// The newest heartbeat held.
    pub generation: u64,
    /// The newest heartbeat held.
    pub counter: u64,
    /// Its `phi` now (0 if never heard).
    pub phi: f64,
    /// Whether it is convicted (believed down).
    pub convicted: bool,
    /// Intervals in its window.
    pub intervals: usize,
    /// The mean interval in ticks, if any.
    pub mean_interval_ticks: Option<f64>,
    /// When its heartbeat last advanced.
    pub last_heard: Option<Tick>,
}

/// Messages to send, collected into reused buffers: `(to, bytes)` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transmits {
    bytes: Vec<u8>,
    // (to, start, end) into `bytes`; several may share one range.
    items: Vec<(NodeId, usize, usize)>,
}

impl Transmits {
    /// Empty buffers.
    pub fn new() -> Transmits {
        Transmits::default()
    }

    /// Forgets every message, keeping the buffers.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.items.clear();
    }

    /// How many messages there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The messages, in the order they were produced.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &[u8])> + '_ {
        self.items
            .iter()
            .map(|&(to, start, end)| (to, &self.bytes[start..end]))
    }
}

// One member's row and detector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Member {
    generation: u64,
    counter: u64,
    window: ArrivalWindow,
    convicted: bool,
}

/// One node's heartbeat gossip. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    config: HeartbeatConfig,
    self_id: NodeId,
    generation: u64,
    counter: u64,
    // Every other member known, in id order (deterministic iteration).
    members: BTreeMap<NodeId, Member>,
    next_period: Tick,
    // The first member id the next message's rows start from.
    cursor: NodeId,
    counters: HeartbeatCounters,
    // Reused per period: the peers that may be picked, and the picks.
    candidates: Vec<NodeId>,
    picks: Vec<u32>,
    // View changes not yet taken by `take_changes`, oldest first.
    changes: Vec<Change>,
    // This node and the members not convicted, rebuilt after a change (`members`).
    live: Members,
    // Whether `seed` was called.
    seeded: bool,
}

/// One change of this node's view of a member, in the membership's common terms (see "As a
/// membership source" in the module docs): `(member, view now, view before)`, `None` before
/// for a member just learned.
pub type Change = (NodeId, View, Option<View>);

/// A generation as an incarnation: the membership views count them in `u32`, and a
/// generation above that is held at `u32::MAX` (a restart count no run reaches).
fn incarnation(generation: u64) -> u32 {
    u32::try_from(generation).unwrap_or(u32::MAX)
}

fn view_of(m: &Member) -> View {
    View {
        state: if m.convicted {
            MemberState::Dead
        } else {
            MemberState::Alive
        },
        incarnation: incarnation(m.generation),
    }
}

impl Heartbeat {
    /// A node `self_id` at generation 0 that knows `members` (itself may be among them).
    pub fn new(
        config: HeartbeatConfig,
        self_id: NodeId,
        members: impl IntoIterator<Item = NodeId>,
    ) -> Result<Heartbeat, ConfigError> {
        Heartbeat::with_generation(config, self_id, 0, members)
    }

    /// As [`Heartbeat::new`], at `generation` (a restarted node passes a higher one, so its
    /// heartbeats supersede those of its previous life).
    pub fn with_generation(
        config: HeartbeatConfig,
        self_id: NodeId,
        generation: u64,
        members: impl IntoIterator<Item = NodeId>,
    ) -> Result<Heartbeat, ConfigError> {
        config.validate()?;
        let members: BTreeMap<NodeId, Member> = members
            .into_iter()
            .filter(|&m| m != self_id)
            .map(|m| (m, Member::default()))
            .collect();
        if members.len() >= config.members_max as usize {
            return Err(ConfigError::TooManyMembers {
                count: members.len() + 1,
                max: config.members_max,
            });
        }
        Ok(Heartbeat {
            config,
            self_id,
            generation,
            counter: 0,
            members,
            next_period: Tick::ZERO,
            cursor: 0,
            counters: HeartbeatCounters::default(),
            candidates: Vec::new(),
            picks: Vec::new(),
            changes: Vec::new(),
            live: Members::default(),
            seeded: false,
        }
        .with_live())
    }

    fn with_live(mut self) -> Heartbeat {
        self.refresh_live();
        self
    }

    // Rebuilds `live` from the table.
    fn refresh_live(&mut self) {
        let others = self.members.iter().filter(|(_, m)| !m.convicted);
        let ids = others.map(|(&id, _)| id).chain([self.self_id]);
        self.live = Members::new(ids);
    }

    // ----- as a membership source ----------------------------------------------------------

    /// This node and the members it does not hold convicted: the peers dissemination gossips
    /// with when heartbeat gossip is the node's membership.
    pub fn members(&self) -> &Members {
        &self.live
    }

    /// This node's generation as an incarnation (see [`Change`]).
    pub fn incarnation(&self) -> u32 {
        incarnation(self.generation)
    }

    /// Every member's view (this node's own, alive at its generation, included), in id
    /// order: convicted is dead, otherwise alive, at the generation held.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, View)> + '_ {
        let own = View {
            state: MemberState::Alive,
            incarnation: self.incarnation(),
        };
        let view = |(&id, m): (&NodeId, &Member)| (id, view_of(m));
        let below = self.members.range(..self.self_id).map(view);
        let above = self.members.range(self.self_id..).map(view);
        below.chain([(self.self_id, own)]).chain(above)
    }

    /// The view changes of the latest input (tick, message or join), oldest first: each
    /// input forgets the previous input's, so they are bounded by the members one input can
    /// touch (`members_max`) without a caller that drains them. The node turns each into an
    /// [`crate::node::Event::Member`] after every input.
    pub fn take_changes(&mut self) -> impl Iterator<Item = Change> + '_ {
        self.changes.drain(..)
    }

    /// The driver's starting membership, taken once (later calls change nothing), with no
    /// change reported: like SWIM's seeded table, every member starts alive at generation 0.
    /// Members beyond `members_max` are left out and counted in `members_full`.
    pub fn seed(&mut self, members: &Members) {
        if core::mem::replace(&mut self.seeded, true) {
            return;
        }
        for &m in members.as_slice() {
            if m == self.self_id || self.members.contains_key(&m) {
                continue;
            }
            if self.members.len() + 1 >= self.config.members_max as usize {
                self.counters.members_full += 1;
                continue;
            }
            self.members.insert(m, Member::default());
        }
        self.refresh_live();
    }

    /// Joins through `seed`: it becomes a known member (alive at generation 0, reported as a
    /// change), so the next period sends it this node's heartbeat and the others learn of
    /// this node from its rows. Nothing happens if it is this node, already known, or the
    /// table is full (counted in `members_full`).
    pub fn join(&mut self, seed: NodeId) {
        if seed == self.self_id || self.members.contains_key(&seed) {
            return;
        }
        if self.members.len() + 1 >= self.config.members_max as usize {
            self.counters.members_full += 1;
            return;
        }
        let m = Member::default();
        self.changes.clear();
        self.changes.push((seed, view_of(&m), None));
        self.members.insert(seed, m);
        self.refresh_live();
    }

    /// Sets this node's generation (a restarted node takes one above its previous life's, so
    /// its heartbeats supersede the old ones), its counter back to 0. No change is reported.
    pub fn set_generation(&mut self, generation: u64) {
        self.generation = generation;
        self.counter = 0;
    }

    // ----- reading -----------------------------------------------------------------------

    /// The configuration.
    pub fn config(&self) -> &HeartbeatConfig {
        &self.config
    }

    /// This node's own heartbeat `(generation, counter)`.
    pub fn own_heartbeat(&self) -> (u64, u64) {
        (self.generation, self.counter)
    }

    /// The counters.
    pub fn counters(&self) -> &HeartbeatCounters {
        &self.counters
    }

    /// The next tick at which [`Heartbeat::handle_tick`] does something.
    pub fn next_tick(&self) -> Tick {
        self.next_period
    }

    /// Members known besides this node.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no other member is known.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// `member`'s `phi` at `now`, if it is known (0 until first heard).
    pub fn phi(&self, member: NodeId, now: Tick) -> Option<f64> {
        self.members.get(&member).map(|m| m.window.phi(now))
    }

    /// Whether `member` is known and convicted.
    pub fn is_convicted(&self, member: NodeId) -> bool {
        self.members.get(&member).is_some_and(|m| m.convicted)
    }

    /// What this node believes about every other member at `now`, in id order.
    pub fn views(&self, now: Tick) -> impl Iterator<Item = MemberView> + '_ {
        self.members.iter().map(move |(&member, m)| MemberView {
            member,
            generation: m.generation,
            counter: m.counter,
            phi: m.window.phi(now),
            convicted: m.convicted,
            intervals: m.window.len(),
            mean_interval_ticks: m.window.mean_ticks(),
            last_heard: m.window.last(),
        })
    }

    // ----- inputs ------------------------------------------------------------------------

    /// At a period (`now >= next_tick()`): raises the own counter, convicts members whose `phi`
    /// exceeds the threshold, and appends the table to `fanout` peers to `out`. Otherwise does
    /// nothing.
    pub fn handle_tick(&mut self, now: Tick, rng: &mut Rng, out: &mut Transmits) {
        self.changes.clear();
        if now < self.next_period {
            return;
        }
        let period = u64::from(self.config.period_ticks);
        self.next_period = Tick((now.0 / period).saturating_add(1).saturating_mul(period));
        self.counter = self.counter.saturating_add(1);
        self.counters.periods += 1;
        if self.convict(now) {
            self.refresh_live();
        }
        self.choose_peers(rng);
        if self.picks.is_empty() {
            return;
        }
        let (start, rows) = self.encode(&mut out.bytes);
        let end = out.bytes.len();
        for i in 0..self.picks.len() {
            let to = self.candidates[self.picks[i] as usize];
            out.items.push((to, start, end));
            self.counters.messages_sent += 1;
            self.counters.bytes_sent += (end - start) as u64;
            self.counters.rows_sent += rows;
        }
    }

    /// A heartbeat message `bytes` from `from` arrived at `now`: validated whole, then every
    /// newer heartbeat is taken (module docs). On error nothing changes but the rejection
    /// count.
    pub fn handle_message(
        &mut self,
        now: Tick,
        from: NodeId,
        bytes: &[u8],
    ) -> Result<(), HeartbeatError> {
        self.counters.messages_received += 1;
        let msg = match self.check(from, bytes) {
            Ok(msg) => msg,
            Err(e) => {
                self.counters.messages_rejected += 1;
                return Err(e);
            }
        };
        self.changes.clear();
        self.take(now, from, msg.generation, msg.counter);
        for row in msg.rows() {
            if row.member == self.self_id {
                self.counters.rows_about_self += 1;
                continue;
            }
            self.take(now, row.member, row.generation, row.counter);
        }
        if !self.changes.is_empty() {
            self.refresh_live();
        }
        Ok(())
    }

    // ----- inside ------------------------------------------------------------------------

    // Every check a message must pass before anything of it is applied.
    fn check<'a>(
        &self,
        from: NodeId,
        bytes: &'a [u8],
    ) -> Result<codec::HeartbeatRef<'a>, HeartbeatError> {
        if from == self.self_id {
            return Err(HeartbeatError::FromSelf);
        }
        let msg = codec::decode(bytes, &self.config.limits()).map_err(HeartbeatError::Decode)?;
        if msg.rows().any(|r| r.member == from) {
            return Err(HeartbeatError::RowAboutSender(from));
        }
        Ok(msg)
    }

    // Takes `member`'s heartbeat `(generation, counter)` heard at `now`, if newer.
    fn take(&mut self, now: Tick, member: NodeId, generation: u64, counter: u64) {
        self.counters.heartbeats_received += 1;
        let full = self.members.len() + 1 >= self.config.members_max as usize;
        if full && !self.members.contains_key(&member) {
            self.counters.members_full += 1;
            return;
        }
        let known = self.members.contains_key(&member);
        let m = self.members.entry(member).or_default();
        let before = view_of(m);
        // Held rows start at (0, 0), below every real heartbeat (a node raises its counter to
        // 1 before its first message), so a row that only names a member is no heartbeat.
        if (generation, counter) <= (m.generation, m.counter) {
            if !known {
                self.changes.push((member, before, None));
            }
            return;
        }
        self.counters.heartbeats_newer += 1;
        if generation > m.generation {
            // A new life: its old intervals say nothing about this one.
            m.window = ArrivalWindow::default();
        }
        m.generation = generation;
        m.counter = counter;
        let c = &self.config;
        match m.window.record(
            now,
            c.initial_interval_ticks,
            c.interval_ticks_max,
            c.window_intervals_max,
        ) {
            Arrival::First | Arrival::Recorded => self.counters.intervals_recorded += 1,
            Arrival::TooLong => self.counters.intervals_too_long += 1,
        }
        if m.convicted {
            m.convicted = false;
            self.counters.recoveries += 1;
        }
        let after = view_of(m);
        if !known {
            self.changes.push((member, after, None));
        } else if after != before {
            self.changes.push((member, after, Some(before)));
        }
    }

    // Convicts every member whose `phi` is above the threshold; returns whether any was.
    fn convict(&mut self, now: Tick) -> bool {
        let threshold = self.config.phi_convict_threshold;
        let mut any = false;
        for (&id, m) in self.members.iter_mut() {
            if !m.convicted && m.window.phi(now) > threshold {
                let before = view_of(m);
                m.convicted = true;
                self.counters.convictions += 1;
                self.changes.push((id, view_of(m), Some(before)));
                any = true;
            }
        }
        any
    }

    // Fills `picks` with up to `fanout` distinct indices into `candidates`: the members not
    // convicted, or all members if every one is.
    fn choose_peers(&mut self, rng: &mut Rng) {
        self.candidates.clear();
        let live = self.members.iter().filter(|(_, m)| !m.convicted);
        self.candidates.extend(live.map(|(&id, _)| id));
        if self.candidates.is_empty() {
            self.candidates.extend(self.members.keys().copied());
        }
        let k = (self.config.fanout as usize).min(self.candidates.len());
        self.picks.clear();
        self.picks.resize(k, 0);
        // At most members_max <= MEMBERS_LIMIT candidates, a u32.
        let n = self.candidates.len() as u32;
        let got = rng.sample_distinct(n, k, &mut self.picks);
        self.picks.truncate(got);
    }

    // Appends one message to `out`: the own heartbeat and the ascending run of rows from the
    // cursor that fits, and moves the cursor past it (to 0 when the run reached the last
    // row). Returns where the message starts and how many rows it carries.
    fn encode(&mut self, out: &mut Vec<u8>) -> (usize, u64) {
        let start = out.len();
        let from = self.cursor;
        let total = self.members.len() as u64;
        // Room for the rows, with the count's varint as long as it could be. The first row
        // always fits (MESSAGE_BYTES_MIN holds the largest header and row), so the cursor
        // always moves on.
        let header = codec::header_len(self.generation, self.counter, total);
        let mut room = (self.config.message_bytes_max as usize).saturating_sub(header);
        let mut count = 0u64;
        let mut next = 0;
        for (&member, m) in self.members.range(from..) {
            let len = codec::row_len(&row(member, m));
            if len > room {
                next = member;
                break;
            }
            room -= len;
            count += 1;
        }
        self.cursor = next;
        codec::put_header(out, self.generation, self.counter, count);
        for (&member, m) in self.members.range(from..).take(count as usize) {
            codec::put_row(out, &row(member, m));
        }
        self.counters.rows_left_out += total - count;
        debug_assert!(out.len() - start <= self.config.message_bytes_max as usize);
        debug_assert_eq!(out[start], MessageKind::Heartbeat as u8);
        (start, count)
    }
}

fn row(member: NodeId, m: &Member) -> Row {
    Row {
        member,
        generation: m.generation,
        counter: m.counter,
    }
}

#[cfg(test)]
mod tests;
