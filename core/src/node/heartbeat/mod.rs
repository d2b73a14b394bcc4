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
//! # Driving it (sans-IO)
//! [`Heartbeat::new`]`(config, self_id, members)` with the members known at the start (a seed
//! list; others are learned from the rows, up to `members_max`). Then:
//! * [`Heartbeat::handle_tick`]`(now, rng, out)` at [`Heartbeat::next_tick`] (calling it more
//!   often changes nothing); it appends the period's messages to `out`, a [`Transmits`] the
//!   caller drains and clears (its buffers are reused, so a running node does not allocate);
//! * [`Heartbeat::handle_message`]`(now, from, bytes)` for every heartbeat message received.
//!
//! Randomness: peer choice only, one [`Rng::sample_distinct`] call per period from the `rng`
//! handed in (the node's own stream when wired into [`crate::node::Node`]). Nothing here reads
//! a clock. A message is validated whole ([`codec::decode`] and the checks of
//! [`HeartbeatError`]) before anything is applied: an error changes nothing but the
//! `messages_rejected` counter.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use crate::node::NodeId;
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::{DecodeError, MessageKind, MESSAGE_BYTES_LIMIT};

pub mod codec;
pub mod phi;

use codec::{HeartbeatLimits, Row};
use phi::{Arrival, ArrivalWindow, WINDOW_INTERVALS_LIMIT};

/// Upper bound for [`HeartbeatConfig::members_max`] (above the simulator's `NODES_MAX`).
pub const MEMBERS_LIMIT: u32 = 1 << 17;
/// Upper bound for [`HeartbeatConfig::fanout`].
pub const FANOUT_LIMIT: u32 = 16;
/// Upper bound for [`HeartbeatConfig::period_ticks`].
pub const PERIOD_TICKS_LIMIT: u32 = 1 << 16;
/// The smallest [`HeartbeatConfig::message_bytes_max`]: room for the largest header (24
/// bytes) and the largest row (25 bytes), so every message can carry at least one row.
pub const MESSAGE_BYTES_MIN: u32 = 64;

/// How heartbeat gossip is configured. Defaults follow Cassandra where it has one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeartbeatConfig {
    /// Ticks between two heartbeats (and gossip rounds) of a node, 1 to
    /// [`PERIOD_TICKS_LIMIT`]; Cassandra's gossip interval is 1 s.
    pub period_ticks: u32,
    /// Members sent the table each period, 1 to [`FANOUT_LIMIT`] (Cassandra: 1 live member).
    pub fanout: u32,
    /// A member is convicted when its `phi` exceeds this, a finite number above 0
    /// (Cassandra's `phi_convict_threshold`, 8).
    pub phi_convict_threshold: f64,
    /// Most inter-arrival times kept per member, 1 to [`WINDOW_INTERVALS_LIMIT`] (Cassandra
    /// keeps 1,000; 4 bytes each per observer and member).
    pub window_intervals_max: u32,
    /// The interval recorded at a member's first heartbeat, in ticks (Cassandra's
    /// `fd_initial_value_ms`: twice the gossip interval).
    pub initial_interval_ticks: u32,
    /// Longer intervals are not recorded, in ticks, at least 1. Cassandra's
    /// `fd_max_interval_ms` defaults to the initial value (2 periods); the default here is 16
    /// periods, because with the table pushed one way that truncation convicts live members
    /// (see "Defaults" in the module docs).
    pub interval_ticks_max: u32,
    /// Most members in the table (this node included), 1 to [`MEMBERS_LIMIT`]; rows about
    /// further members are ignored and counted.
    pub members_max: u32,
    /// Longest message sent or accepted, [`MESSAGE_BYTES_MIN`] to
    /// [`crate::wire::MESSAGE_BYTES_LIMIT`].
    pub message_bytes_max: u32,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        let period_ticks = 4;
        HeartbeatConfig {
            period_ticks,
            fanout: 1,
            phi_convict_threshold: 8.0,
            window_intervals_max: 1000,
            initial_interval_ticks: 2 * period_ticks,
            interval_ticks_max: 16 * period_ticks,
            members_max: 1 << 16,
            message_bytes_max: 8192,
        }
    }
}

/// A rejected configuration; nothing was created.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConfigError {
    /// `period_ticks` outside `1..=PERIOD_TICKS_LIMIT`.
    PeriodTicks(u32),
    /// `fanout` outside `1..=FANOUT_LIMIT`.
    Fanout(u32),
    /// `phi_convict_threshold` not finite or not above 0.
    PhiConvictThreshold(f64),
    /// `window_intervals_max` outside `1..=WINDOW_INTERVALS_LIMIT`.
    WindowIntervalsMax(u32),
    /// `interval_ticks_max` is 0.
    IntervalTicksMax(u32),
    /// `members_max` outside `1..=MEMBERS_LIMIT`.
    MembersMax(u32),
    /// `message_bytes_max` outside `MESSAGE_BYTES_MIN..=MESSAGE_BYTES_LIMIT`.
    MessageBytesMax(u32),
    /// More initial members than `members_max`.
    TooManyMembers {
        /// Members given (this node included).
        count: usize,
        /// The limit.
        max: u32,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::PeriodTicks(x) => {
                write!(f, "period_ticks must be 1 to {PERIOD_TICKS_LIMIT}, got {x}")
            }
            ConfigError::Fanout(x) => write!(f, "fanout must be 1 to {FANOUT_LIMIT}, got {x}"),
            ConfigError::PhiConvictThreshold(x) => {
                write!(
                    f,
                    "phi_convict_threshold must be finite and above 0, got {x}"
                )
            }
            ConfigError::WindowIntervalsMax(x) => write!(
                f,
                "window_intervals_max must be 1 to {WINDOW_INTERVALS_LIMIT}, got {x}"
            ),
            ConfigError::IntervalTicksMax(x) => {
                write!(f, "interval_ticks_max must be at least 1, got {x}")
            }
            ConfigError::MembersMax(x) => {
                write!(f, "members_max must be 1 to {MEMBERS_LIMIT}, got {x}")
            }
            ConfigError::MessageBytesMax(x) => write!(
                f,
                "message_bytes_max must be {MESSAGE_BYTES_MIN} to {MESSAGE_BYTES_LIMIT}, got {x}"
            ),
            ConfigError::TooManyMembers { count, max } => {
                write!(f, "{count} initial members, members_max is {max}")
            }
        }
    }
}

impl HeartbeatConfig {
    /// Checks every limit; the error names the first one that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=PERIOD_TICKS_LIMIT).contains(&self.period_ticks) {
            return Err(ConfigError::PeriodTicks(self.period_ticks));
        }
        if !(1..=FANOUT_LIMIT).contains(&self.fanout) {
            return Err(ConfigError::Fanout(self.fanout));
        }
        let t = self.phi_convict_threshold;
        if !(t.is_finite() && t > 0.0) {
            return Err(ConfigError::PhiConvictThreshold(t));
        }
        if !(1..=WINDOW_INTERVALS_LIMIT).contains(&self.window_intervals_max) {
            return Err(ConfigError::WindowIntervalsMax(self.window_intervals_max));
        }
        if self.interval_ticks_max == 0 {
            return Err(ConfigError::IntervalTicksMax(self.interval_ticks_max));
        }
        if !(1..=MEMBERS_LIMIT).contains(&self.members_max) {
            return Err(ConfigError::MembersMax(self.members_max));
        }
        if !(MESSAGE_BYTES_MIN..=MESSAGE_BYTES_LIMIT).contains(&self.message_bytes_max) {
            return Err(ConfigError::MessageBytesMax(self.message_bytes_max));
        }
        Ok(())
    }

    fn limits(&self) -> HeartbeatLimits {
        HeartbeatLimits {
            message_bytes_max: self.message_bytes_max,
            rows_max: self.members_max,
        }
    }
}

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

/// What one node's heartbeat gossip did, over its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeartbeatCounters {
    /// Periods run (own heartbeats raised).
    pub periods: u64,
    /// Messages sent.
    pub messages_sent: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Rows sent (the sender's own heartbeat not counted).
    pub rows_sent: u64,
    /// Rows of the table that did not fit a period's message (sent in a later one).
    pub rows_left_out: u64,
    /// Messages received (rejected ones included).
    pub messages_received: u64,
    /// Messages rejected ([`HeartbeatError`]).
    pub messages_rejected: u64,
    /// Heartbeats received (rows plus each message's own), in accepted messages.
    pub heartbeats_received: u64,
    /// Of those, the ones newer than what was held.
    pub heartbeats_newer: u64,
    /// Rows about this node itself, ignored (it alone raises its heartbeat).
    pub rows_about_self: u64,
    /// Heartbeats of new members ignored because the table held `members_max` members.
    pub members_full: u64,
    /// Inter-arrival times recorded (first arrivals' initial intervals included).
    pub intervals_recorded: u64,
    /// Intervals longer than `interval_ticks_max`, not recorded.
    pub intervals_too_long: u64,
    /// Members convicted (`phi` above the threshold).
    pub convictions: u64,
    /// Convicted members heard again (the conviction cleared).
    pub recoveries: u64,
}

impl HeartbeatCounters {
    /// Bytes this node sent per period, on average: the cost of heartbeat gossip per member
    /// per period, to set beside SWIM's.
    pub fn bytes_per_period(&self) -> f64 {
        if self.periods == 0 {
            0.0
        } else {
            self.bytes_sent as f64 / self.periods as f64
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
#[derive(Clone, Debug, Default, PartialEq)]
struct Member {
    generation: u64,
    counter: u64,
    window: ArrivalWindow,
    convicted: bool,
}

/// One node's heartbeat gossip. See the module docs.
#[derive(Clone, Debug, PartialEq)]
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
        })
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
        if now < self.next_period {
            return;
        }
        let period = u64::from(self.config.period_ticks);
        self.next_period = Tick((now.0 / period).saturating_add(1).saturating_mul(period));
        self.counter = self.counter.saturating_add(1);
        self.counters.periods += 1;
        self.convict(now);
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
        self.take(now, from, msg.generation, msg.counter);
        for row in msg.rows() {
            if row.member == self.self_id {
                self.counters.rows_about_self += 1;
                continue;
            }
            self.take(now, row.member, row.generation, row.counter);
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
        let m = self.members.entry(member).or_default();
        // Held rows start at (0, 0), below every real heartbeat (a node raises its counter to
        // 1 before its first message), so a row that only names a member is no heartbeat.
        if (generation, counter) <= (m.generation, m.counter) {
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
    }

    fn convict(&mut self, now: Tick) {
        let threshold = self.config.phi_convict_threshold;
        for m in self.members.values_mut() {
            if !m.convicted && m.window.phi(now) > threshold {
                m.convicted = true;
                self.counters.convictions += 1;
            }
        }
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
mod tests {
    use super::*;
    use crate::rng::{Rng, Stream};
    use alloc::vec;
    use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest};

    // A tiny lossless network: every message takes one tick; `up[i]` false silences node i
    // (it neither ticks nor receives).
    struct Net {
        nodes: Vec<Heartbeat>,
        rngs: Vec<Rng>,
        up: Vec<bool>,
        in_flight: Vec<(NodeId, NodeId, Vec<u8>)>,
        out: Transmits,
        now: Tick,
    }

    impl Net {
        fn new(n: u32, config: HeartbeatConfig) -> Net {
            Net {
                nodes: (0..n)
                    .map(|id| Heartbeat::new(config, id, 0..n).unwrap())
                    .collect(),
                rngs: (0..n)
                    .map(|id| Rng::stream(5, Stream::Node, id.into()))
                    .collect(),
                up: vec![true; n as usize],
                in_flight: Vec::new(),
                out: Transmits::new(),
                now: Tick::ZERO,
            }
        }

        fn step(&mut self) {
            let t = self.now;
            for (from, to, bytes) in core::mem::take(&mut self.in_flight) {
                if self.up[to as usize] {
                    self.nodes[to as usize]
                        .handle_message(t, from, &bytes)
                        .unwrap();
                }
            }
            for id in 0..self.nodes.len() {
                if !self.up[id] {
                    continue;
                }
                self.out.clear();
                self.nodes[id].handle_tick(t, &mut self.rngs[id], &mut self.out);
                for (to, bytes) in self.out.iter() {
                    self.in_flight.push((id as NodeId, to, bytes.to_vec()));
                }
            }
            self.now = t.next();
        }

        fn run(&mut self, ticks: u64) {
            for _ in 0..ticks {
                self.step();
            }
        }
    }

    fn config() -> HeartbeatConfig {
        HeartbeatConfig::default()
    }

    #[test]
    fn a_silent_member_is_convicted_after_threshold_times_mean_over_log10_e() {
        let mut net = Net::new(2, config());
        net.run(800);
        // Node 0 heard node 1 every period (4 ticks): 200 intervals, the first the initial 8.
        let v = net.nodes[0].views(net.now).next().unwrap();
        let mean = v.mean_interval_ticks.unwrap();
        assert!((mean - (8.0 + 199.0 * 4.0) / 200.0).abs() < 1e-12, "{mean}");
        let last = v.last_heard.unwrap();
        net.up[1] = false;
        // Convicted at the first period with silence > 8 * mean / log10(e) = 8 ln(10) mean
        // = 74.06 ticks (18.5 periods of 4 ticks).
        let silence_max = 8.0 * mean / core::f64::consts::LOG10_E;
        assert!((silence_max - 74.06).abs() < 0.01, "{silence_max}");
        let mut convicted_at = None;
        for _ in 0..200 {
            let t = net.now;
            net.step();
            if convicted_at.is_none() && net.nodes[0].is_convicted(1) {
                convicted_at = Some(t);
            }
        }
        let at = convicted_at.expect("node 1 was convicted");
        let silence = at.ticks_since(last) as f64;
        assert!(
            silence > silence_max && silence <= silence_max + 4.0,
            "{silence}"
        );
        assert_eq!(at.0 % 4, 0, "judged at a period");
        assert_eq!(net.nodes[0].counters().convictions, 1);
        assert!(net.nodes[0].phi(1, at).unwrap() > 8.0);
        assert!(net.nodes[0].phi(1, Tick(at.0 - 4)).unwrap() <= 8.0);
    }

    #[test]
    fn cassandras_interval_truncation_convicts_live_members_when_heartbeats_are_pushed() {
        // The module docs' table: at N = 100 with intervals above 2 periods dropped, the mean
        // is biased low and ordinary gaps convict live members, who are then heard again.
        let cfg = HeartbeatConfig {
            interval_ticks_max: 8,
            ..config()
        };
        let mut net = Net::new(100, cfg);
        net.run(4 * 150);
        let convictions: u64 = net.nodes.iter().map(|n| n.counters().convictions).sum();
        assert!(convictions > 0);
        let recoveries: u64 = net.nodes.iter().map(|n| n.counters().recoveries).sum();
        assert_eq!(recoveries, convictions, "every one of them was heard again");
    }

    #[test]
    fn live_members_under_no_loss_are_never_convicted() {
        let mut net = Net::new(100, config());
        net.run(4 * 200);
        let convictions: u64 = net.nodes.iter().map(|n| n.counters().convictions).sum();
        assert_eq!(convictions, 0);
        let mut net = Net::new(20, config());
        net.run(4 * 2000);
        for n in &net.nodes {
            assert_eq!(n.counters().convictions, 0);
            assert_eq!(n.len(), 19);
            // Everyone heard from everyone, within the last few periods.
            for v in n.views(net.now) {
                assert!(!v.convicted && v.phi < 8.0, "{v:?}");
                assert!(v.intervals > 100, "{v:?}");
            }
        }
    }

    #[test]
    fn the_bytes_per_member_per_period_are_counted_exactly() {
        let n = 10;
        let mut net = Net::new(n, config());
        net.run(4 * 100);
        for node in &net.nodes {
            let c = node.counters();
            assert_eq!((c.periods, c.messages_sent), (100, 100));
            // Kind, generation, counter (below 128) and count take a byte each; each of the 9
            // rows 3 bytes (id, generation 0, counter below 128): 4 + 3 (N - 1) = 31 bytes.
            assert_eq!(c.bytes_per_period(), 4.0 + 3.0 * f64::from(n - 1));
            assert_eq!(c.rows_sent, 9 * 100);
            assert_eq!(c.rows_left_out, 0);
        }
    }

    #[test]
    fn a_table_too_large_for_one_message_goes_out_in_turns() {
        let cfg = HeartbeatConfig {
            message_bytes_max: 64,
            ..config()
        };
        let mut hb = Heartbeat::new(cfg, 0, 0..31).unwrap();
        let mut rng = Rng::from_seed(1);
        let mut out = Transmits::new();
        let mut seen = Vec::new();
        for p in 0..3u64 {
            out.clear();
            hb.handle_tick(Tick(4 * p), &mut rng, &mut out);
            let (_, bytes) = out.iter().next().unwrap();
            assert!(bytes.len() <= 64);
            let m = codec::decode(bytes, &cfg.limits()).unwrap();
            seen.push(m.rows().map(|r| r.member).collect::<Vec<_>>());
        }
        // Header 4 bytes, rows 3: 20 rows fit; then the other 10; then from the start again.
        assert_eq!(seen[0], (1..=20).collect::<Vec<_>>());
        assert_eq!(seen[1], (21..=30).collect::<Vec<_>>());
        assert_eq!(seen[2], seen[0]);
        assert_eq!(hb.counters().rows_left_out, 10 + 20 + 10);
    }

    #[test]
    fn a_convicted_member_heard_again_recovers_and_a_new_generation_starts_a_new_window() {
        let mut net = Net::new(2, config());
        net.run(400);
        net.up[1] = false;
        net.run(200);
        assert!(net.nodes[0].is_convicted(1));
        // Node 1 restarts with a higher generation and a counter from 0.
        net.nodes[1] = Heartbeat::with_generation(config(), 1, 1, 0..2).unwrap();
        net.up[1] = true;
        net.run(8);
        assert!(!net.nodes[0].is_convicted(1));
        let c = net.nodes[0].counters();
        assert_eq!((c.convictions, c.recoveries), (1, 1));
        let v = net.nodes[0].views(net.now).next().unwrap();
        assert_eq!(v.generation, 1);
        assert!(v.intervals <= 2, "a fresh window: {v:?}");
    }

    fn table(from_gen: u64, from_counter: u64, rows: &[Row]) -> Vec<u8> {
        let mut out = Vec::new();
        codec::put_header(&mut out, from_gen, from_counter, rows.len() as u64);
        for r in rows {
            codec::put_row(&mut out, r);
        }
        out
    }

    fn r(member: NodeId, generation: u64, counter: u64) -> Row {
        Row {
            member,
            generation,
            counter,
        }
    }

    #[test]
    fn members_are_learned_from_rows_up_to_the_limit_and_self_rows_are_ignored() {
        let cfg = HeartbeatConfig {
            members_max: 4,
            ..config()
        };
        let mut hb = Heartbeat::new(cfg, 0, [0, 1]).unwrap();
        let msg = table(0, 3, &[r(0, 9, 9), r(2, 0, 5), r(3, 0, 1), r(7, 0, 1)]);
        hb.handle_message(Tick(1), 1, &msg).unwrap();
        let ids: Vec<NodeId> = hb.views(Tick(1)).map(|v| v.member).collect();
        assert_eq!(ids, [1, 2, 3], "members_max 4 with this node");
        let c = hb.counters();
        assert_eq!((c.rows_about_self, c.members_full), (1, 1));
        assert_eq!(
            hb.own_heartbeat(),
            (0, 0),
            "only this node raises its own heartbeat"
        );
        // An older or equal heartbeat changes nothing.
        let before = hb.clone();
        hb.handle_message(Tick(2), 1, &table(0, 3, &[r(2, 0, 4)]))
            .unwrap();
        assert_eq!(
            hb.views(Tick(2)).collect::<Vec<_>>(),
            before.views(Tick(2)).collect::<Vec<_>>()
        );
    }

    // `after` equals `before` but for the counts of one received, rejected message.
    fn unchanged_but_counted(before: &Heartbeat, after: &Heartbeat) -> bool {
        let mut expected = before.clone();
        expected.counters.messages_received += 1;
        expected.counters.messages_rejected += 1;
        &expected == after
    }

    #[test]
    fn a_rejected_message_changes_nothing_but_its_count() {
        let mut hb = Heartbeat::new(config(), 0, 0..3).unwrap();
        hb.handle_message(Tick(1), 1, &table(0, 1, &[r(2, 0, 1)]))
            .unwrap();
        let cases: [(NodeId, Vec<u8>, HeartbeatError); 3] = [
            (0, table(0, 2, &[]), HeartbeatError::FromSelf),
            (
                1,
                table(0, 2, &[r(1, 0, 9)]),
                HeartbeatError::RowAboutSender(1),
            ),
            (
                1,
                vec![16, 0, 2, 1, 2, 0],
                HeartbeatError::Decode(DecodeError::Truncated {
                    field: "row counter",
                }),
            ),
        ];
        for (from, bytes, err) in cases {
            let before = hb.clone();
            assert_eq!(hb.handle_message(Tick(2), from, &bytes), Err(err));
            assert!(unchanged_but_counted(&before, &hb), "{err:?}");
        }
    }

    #[test]
    fn a_bad_configuration_is_refused_naming_the_field() {
        let bad = |f: fn(&mut HeartbeatConfig)| {
            let mut c = config();
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert_eq!(bad(|c| c.period_ticks = 0), ConfigError::PeriodTicks(0));
        assert_eq!(bad(|c| c.fanout = 17), ConfigError::Fanout(17));
        assert!(matches!(
            bad(|c| c.phi_convict_threshold = f64::NAN),
            ConfigError::PhiConvictThreshold(_)
        ));
        assert_eq!(
            bad(|c| c.window_intervals_max = 0),
            ConfigError::WindowIntervalsMax(0)
        );
        assert_eq!(
            bad(|c| c.interval_ticks_max = 0),
            ConfigError::IntervalTicksMax(0)
        );
        assert_eq!(bad(|c| c.members_max = 0), ConfigError::MembersMax(0));
        assert_eq!(
            bad(|c| c.message_bytes_max = 63),
            ConfigError::MessageBytesMax(63)
        );
        let small = HeartbeatConfig {
            members_max: 2,
            ..config()
        };
        assert_eq!(
            Heartbeat::new(small, 0, 0..3).unwrap_err(),
            ConfigError::TooManyMembers { count: 3, max: 2 }
        );
    }

    proptest! {
        #[test]
        fn any_bytes_never_panic_and_a_rejection_changes_nothing(
            bytes in proptest::collection::vec(any::<u8>(), 0..80),
            from in 0u32..6,
            valid_prefix in any::<bool>(),
        ) {
            let mut hb = Heartbeat::new(config(), 0, 0..4).unwrap();
            hb.handle_message(Tick(1), 1, &table(0, 1, &[r(2, 0, 1), r(3, 0, 4)])).unwrap();
            // Half the cases start like a real heartbeat, so the decoder gets deep.
            let mut input = if valid_prefix { vec![16] } else { Vec::new() };
            input.extend(&bytes);
            let before = hb.clone();
            match hb.handle_message(Tick(9), from, &input) {
                Ok(()) => prop_assert_eq!(hb.counters().messages_rejected, 0),
                Err(_) => prop_assert!(unchanged_but_counted(&before, &hb)),
            }
        }
    }
}
