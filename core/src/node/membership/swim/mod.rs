//! SWIM with Lifeguard: the node finds out for itself who is alive.
//!
//! SWIM (Das, Gupta and Motivala, DSN 2002) as hashicorp/memberlist runs it, with Lifeguard
//! (Dadgar, Phillips and Currey, 2018). Each node keeps its own [`Table`] of every member it
//! has heard of: alive, suspect, dead or left, with an incarnation. Every protocol period it
//! probes one member ([`probe`]): a ping, an ack within the probe timeout, or else ping-reqs
//! to k helpers who ping the target and relay its ack (and, with Lifeguard, nack when it stays
//! silent). A probe without an ack by the end of its period makes the target suspect (or dead
//! in basic SWIM); a suspect is dead after the [`suspicion`] timeout unless it refutes by
//! spreading alive with a higher incarnation. Updates travel piggybacked on pings, acks,
//! ping-reqs and nacks ([`piggyback`]), and whole tables in push-pull syncs (at a join and
//! periodically, with one random live member and, if it holds any dead, one random dead one, so
//! the two sides of a healed partition hear from each other again; a node that knows no other
//! live member asks its join seed again instead). Lifeguard's local health ([`health`]) stretches the node's own timeouts when
//! it seems to be the slow one.
//!
//! # How it is driven
//! Only by the node ([`crate::node::Node`]), which owns the outbox, the events and the
//! counters: `handle_tick` runs [`Swim`]'s timers (period start and end, probe timeout,
//! helpers' nack timeouts, suspicion expiries, syncs), `handle_message` routes the six SWIM
//! kinds here, and `poll_timeout` includes [`Swim::next_deadline`]. Every change of this
//! node's view of a member is an [`crate::node::Event::Member`]. [`Swim::members`] (alive or
//! suspect, cached and rebuilt lazily when it changes) is what dissemination gossips with.
//!
//! # Randomness
//! SWIM draws from its own stream, so switching Lifeguard parts does not move the
//! dissemination's draws: `Rng::stream(s, Stream::Membership, id)`, with `s` the first output
//! of the node's own stream read from a copy (the node's stream is not advanced); see
//! [`crate::rng::Stream::Membership`].
//!
//! # Bad input
//! A message is validated whole before anything is applied ([`codec::decode`], then every
//! update's incarnation jump, the target of a ping or ping-req, the sequence number of an ack
//! or nack); on error nothing changes but the counter of the reason
//! ([`SwimCounters`]`::rejected_*`).

use alloc::vec::Vec;
use core::cell::OnceCell;
use core::fmt;

use crate::node::membership::Members;
use crate::node::outbox::Outbox;
use crate::node::{Counters, Event, Events, NodeId};
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::{put_varint, DecodeError, MessageKind};

pub mod codec;
pub mod config;
pub mod counters;
pub mod health;
pub mod piggyback;
pub mod probe;
pub mod suspicion;
pub mod table;

pub use codec::Update;
pub use config::{LifeguardConfig, ProbeOrder, SwimConfig, SwimConfigError};
pub use counters::SwimCounters;
pub use health::Health;
pub use probe::Probe;
pub use suspicion::Suspicion;
pub use table::{MemberState, MemberView, Table, INCARNATION_LIMIT};

use codec::{SwimLimits, SwimMessage, FLAG_NACK, FLAG_REPLY, HEADER_BYTES_MAX};
use piggyback::Broadcasts;
use probe::{Order, Relay};
use suspicion::Suspicions;

/// Most corrections an ack carries ahead of the queued updates.
pub const CORRECTIONS_MAX: usize = 4;
/// Most running suspicions a ping carries ahead of the queued updates.
pub const SUSPICIONS_ON_PINGS: usize = 2;

/// Why a SWIM message was rejected, or a SWIM call refused. The node's state is unchanged,
/// except the counter of the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwimError {
    /// Malformed.
    Decode(DecodeError),
    /// A member id at or above `members_max`.
    UnknownMember {
        /// The field.
        field: &'static str,
        /// The id read.
        id: u64,
    },
    /// An incarnation above `max` (the limit, or the held incarnation plus
    /// `incarnation_jump_max`).
    Incarnation {
        /// The member it is about.
        member: NodeId,
        /// The incarnation read.
        got: u64,
        /// The most accepted.
        max: u64,
    },
    /// More updates than the kind allows.
    Oversized {
        /// The count on the wire.
        count: u64,
        /// The limit.
        max: u32,
    },
    /// A ping-req whose target is the receiver.
    PingReqForSelf,
    /// A ping for another node.
    NotForMe {
        /// The target it named.
        target: NodeId,
    },
    /// An ack or nack for no outstanding probe or relay (late or duplicate).
    Unexpected {
        /// Its sequence number.
        seq: u32,
    },
    /// A SWIM message or call to a node whose membership is the oracle.
    NotSwim,
}

impl From<DecodeError> for SwimError {
    fn from(e: DecodeError) -> Self {
        SwimError::Decode(e)
    }
}

impl fmt::Display for SwimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwimError::Decode(e) => write!(f, "{e}"),
            SwimError::UnknownMember { field, id } => {
                write!(f, "{field} names member {id}, at or above members_max")
            }
            SwimError::Incarnation { member, got, max } => {
                write!(f, "incarnation {got} of member {member} is above {max}")
            }
            SwimError::Oversized { count, max } => {
                write!(f, "{count} updates, at most {max} allowed")
            }
            SwimError::PingReqForSelf => write!(f, "a ping-req for the receiver itself"),
            SwimError::NotForMe { target } => write!(f, "a ping for member {target}"),
            SwimError::Unexpected { seq } => {
                write!(f, "an ack or nack with seq {seq} for no outstanding probe")
            }
            SwimError::NotSwim => write!(f, "the membership is the oracle, not SWIM"),
        }
    }
}

impl SwimError {
    // Counts the reason in `c`.
    pub(crate) fn count(&self, c: &mut SwimCounters) {
        let field = match self {
            SwimError::Decode(_) => &mut c.rejected_malformed,
            SwimError::UnknownMember { .. } => &mut c.rejected_unknown_member,
            SwimError::Incarnation { .. } => &mut c.rejected_incarnation,
            SwimError::Oversized { .. } => &mut c.rejected_oversized,
            SwimError::PingReqForSelf => &mut c.rejected_ping_req_self,
            SwimError::NotForMe { .. } => &mut c.rejected_not_for_me,
            SwimError::Unexpected { .. } => &mut c.rejected_unexpected,
            SwimError::NotSwim => &mut c.rejected_not_swim,
        };
        *field += 1;
    }
}

/// The parts of the node SWIM writes to.
pub(crate) struct Out<'a> {
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) events: &'a mut Events,
    pub(crate) counters: &'a mut Counters,
}

impl Out<'_> {
    fn queue(&mut self, kind: MessageKind, body: &[u8], to: NodeId) {
        // `body` starts with the kind byte (written by `codec::put_header`).
        debug_assert_eq!(body.first(), Some(&(kind as u8)));
        let dropped = self.outbox.queue(kind, None, &body[1..], &[to]);
        self.counters.outbox_dropped += dropped;
        // Counted when queued, so the simulator's per-input sums see it.
        if dropped == 0 {
            self.counters.swim.messages_sent += 1;
            self.counters.swim.bytes_sent += body.len() as u64;
        }
    }

    fn changed(&mut self, member: NodeId, view: MemberView, previous: Option<MemberView>) {
        let ev = Event::Member {
            member,
            view,
            previous,
        };
        self.events.emit(&mut self.counters.events_dropped, ev);
    }
}

/// The SWIM state of one node (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Swim {
    id: NodeId,
    config: SwimConfig,
    limits: SwimLimits,
    rng: Rng,
    incarnation: u32,
    left: bool,
    seeded: bool,
    // The member this node joined through, asked again while it knows no other live member.
    join_seed: Option<NodeId>,
    table: Table,
    order: Order,
    probe: Option<Probe>,
    relays: Vec<Relay>,
    suspicions: Suspicions,
    health: Health,
    broadcasts: Broadcasts,
    next_period: Tick,
    next_sync: Tick,
    seq: u32,
    members: OnceCell<Members>,
    // This node's newer view of a member the message being handled carried an older update
    // about: an ack answering it carries the correction first (see `apply`).
    corrections: Vec<Update>,
    // Reused buffers: the message being written and its updates.
    body: Vec<u8>,
    scratch: Vec<u8>,
}

impl Swim {
    /// A node that knows only itself, alive at incarnation 0.
    pub(crate) fn new(id: NodeId, config: SwimConfig, message_bytes_max: u32, rng: Rng) -> Swim {
        let mut table = Table::new();
        table.set(
            id,
            MemberView {
                state: MemberState::Alive,
                incarnation: 0,
            },
        );
        Swim {
            id,
            config,
            limits: SwimLimits {
                message_bytes_max,
                members_max: config.members_max,
                piggyback_updates_max: config.piggyback_updates_max,
                sync_updates_per_message_max: config.sync_updates_per_message_max,
            },
            rng,
            incarnation: 0,
            left: false,
            seeded: false,
            join_seed: None,
            table,
            order: Order::default(),
            probe: None,
            relays: Vec::new(),
            suspicions: Suspicions::new(config.suspects_max),
            health: Health::new(config.health_max),
            broadcasts: Broadcasts::new(config.broadcasts_max),
            next_period: Tick::ZERO,
            next_sync: Tick::ZERO,
            seq: 0,
            members: OnceCell::new(),
            corrections: Vec::new(),
            body: Vec::new(),
            scratch: Vec::new(),
        }
    }

    // ----- reading ---------------------------------------------------------------------

    /// Its configuration.
    pub fn config(&self) -> &SwimConfig {
        &self.config
    }

    /// How this node sees `id`.
    pub fn member(&self, id: NodeId) -> Option<MemberView> {
        self.table.get(id)
    }

    /// Every member it has heard of, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, MemberView)> + '_ {
        self.table.iter()
    }

    /// The table itself.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Its own incarnation.
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }

    /// Whether it has left.
    pub fn has_left(&self) -> bool {
        self.left
    }

    /// Its local health score (0 = healthy).
    pub fn health(&self) -> u32 {
        self.health.score()
    }

    /// The probe of the current period, if any.
    pub fn probe(&self) -> Option<&Probe> {
        self.probe.as_ref()
    }

    /// The tick the next probe starts.
    pub fn next_probe_tick(&self) -> Tick {
        self.next_period
    }

    /// The member the next round-robin probe tries first (a member no longer live is skipped
    /// then; with uniform order the next target is drawn then, so `None`).
    pub fn next_probe_target(&self) -> Option<NodeId> {
        match self.config.probe_order {
            ProbeOrder::RoundRobin => self.order.peek(),
            ProbeOrder::Uniform => None,
        }
    }

    /// The running suspicion of `id`, if this node suspects it with a timer.
    pub fn suspicion(&self, id: NodeId) -> Option<&Suspicion> {
        self.suspicions.get(id)
    }

    /// Every running suspicion.
    pub fn suspicions(&self) -> impl Iterator<Item = &Suspicion> + '_ {
        self.suspicions.iter()
    }

    /// Updates waiting to be piggybacked.
    pub fn broadcasts_len(&self) -> usize {
        self.broadcasts.len()
    }

    /// The members it believes alive or suspect, itself included unless it left: what
    /// dissemination gossips with. Rebuilt (O(N)) only after the set changed.
    pub fn members(&self) -> &Members {
        self.members.get_or_init(|| {
            Members::new(
                self.table
                    .iter()
                    .filter(|(_, v)| v.state.is_live())
                    .map(|(id, _)| id),
            )
        })
    }

    /// The next tick at which it has something to do.
    pub fn next_deadline(&self) -> Tick {
        let mut t = self.next_period;
        if let Some(p) = &self.probe {
            if !p.acked && !p.indirect {
                t = t.min(p.timeout_at);
            }
            t = t.min(p.ends);
        }
        for r in &self.relays {
            t = t.min(r.deadline);
        }
        if let Some(d) = self.suspicions.next_deadline() {
            t = t.min(d);
        }
        if self.config.push_pull_interval_ticks > 0 {
            t = t.min(self.next_sync);
        }
        t
    }

    // ----- driven by the node ------------------------------------------------------------

    /// The driver's list of members, once: each alive at incarnation 0 (the simulator starts
    /// every node knowing every member). Later calls change nothing: SWIM finds out itself.
    pub(crate) fn seed(&mut self, members: &Members) {
        if self.seeded {
            return;
        }
        self.seeded = true;
        let alive = MemberView {
            state: MemberState::Alive,
            incarnation: 0,
        };
        let ids = members.as_slice();
        // The simulator's list is every id from 0: one pass fills the table.
        // Sorted and deduplicated, so dense when the last id is len - 1.
        let dense = ids.last().is_none_or(|&l| l as usize + 1 == ids.len());
        if dense {
            let n = (ids.len() as u32).min(self.config.members_max);
            self.table.fill(n, alive);
        } else {
            for &m in ids {
                if m < self.config.members_max && self.table.get(m).is_none() {
                    self.table.set(m, alive);
                }
            }
        }
        self.members = OnceCell::new();
        self.stagger_sync(Tick::ZERO);
    }

    // The first periodic sync at a uniform random tick within one scaled interval from `now`
    // (memberlist's random stagger), so a cluster started at once does not sync at once.
    fn stagger_sync(&mut self, now: Tick) {
        let ticks = self.config.push_pull_ticks(self.table.live());
        let offset = self.rng.below(ticks.clamp(1, u64::from(u32::MAX)) as u32);
        self.next_sync = Tick(now.0.saturating_add(1 + u64::from(offset)));
    }

    /// Raises its own incarnation to `incarnation` (a restart above its previous life); no
    /// event (the driver knows). Lower values change nothing.
    pub(crate) fn set_incarnation(&mut self, incarnation: u32) {
        let inc = incarnation.min(INCARNATION_LIMIT);
        if inc > self.incarnation {
            self.incarnation = inc;
            let state = if self.left {
                MemberState::Left
            } else {
                MemberState::Alive
            };
            self.table.set(
                self.id,
                MemberView {
                    state,
                    incarnation: inc,
                },
            );
        }
    }

    /// Joins through `seed`: sends it this node's table in a sync that asks for its table back,
    /// and queues its own alive for piggybacking.
    pub(crate) fn join(&mut self, out: &mut Out<'_>, now: Tick, seed: NodeId) {
        self.seeded = true;
        self.join_seed = Some(seed);
        self.stagger_sync(now);
        self.broadcasts.push(self.own_update());
        out.counters.swim.syncs_started += 1;
        self.send_table(out, seed, MessageKind::Sync, FLAG_REPLY);
    }

    /// Leaves gracefully: left at a higher incarnation, sent in a sync to up to
    /// `max(1, indirect_probes)` live members and queued for piggybacking. It stops probing.
    pub(crate) fn leave(&mut self, out: &mut Out<'_>) {
        if self.left {
            return;
        }
        self.left = true;
        let previous = self.table.get(self.id);
        self.incarnation = (self.incarnation + 1).min(INCARNATION_LIMIT);
        let view = MemberView {
            state: MemberState::Left,
            incarnation: self.incarnation,
        };
        self.table.set(self.id, view);
        self.members = OnceCell::new();
        out.changed(self.id, view, previous);
        let u = self.own_update();
        self.broadcasts.push(u);
        let mut helpers = [0; config::INDIRECT_PROBES_LIMIT as usize];
        let n = self.sample_helpers(
            NodeId::MAX,
            self.config.indirect_probes.max(1),
            &mut helpers,
        );
        for &h in &helpers[..n] {
            codec::put_header(&mut self.body, MessageKind::Sync, 0, 0, 0);
            put_varint(&mut self.body, 1);
            u.put(&mut self.body);
            out.queue(MessageKind::Sync, &self.body, h);
        }
    }

    /// The passage of time: the timers in the order relays, suspicions, probe timeout, period,
    /// sync.
    pub(crate) fn on_tick(&mut self, out: &mut Out<'_>, now: Tick) {
        self.expire_relays(out, now);
        while let Some(s) = self.suspicions.pop_expired(now) {
            self.suspicion_expired(out, s);
        }
        if let Some(p) = self.probe {
            if !p.acked && !p.indirect && now >= p.timeout_at {
                self.send_ping_reqs(out);
            }
        }
        // The probe is judged at its period's last tick, so the judgement (a suspicion, or a
        // death in basic SWIM) falls in the period it judges (`crate::sim::membership`'s
        // detection periods count that period as 1), not in the next one.
        if self.probe.is_some_and(|p| now >= p.ends) {
            self.finish_probe(out);
        }
        if now >= self.next_period {
            self.finish_probe(out);
            self.start_probe(out, now);
            let interval = u64::from(self.config.probe_interval_ticks) * self.stretch();
            self.next_period = Tick(now.0.saturating_add(interval));
        }
        if self.config.push_pull_interval_ticks > 0 && now >= self.next_sync {
            self.start_sync(out);
            let ticks = self.config.push_pull_ticks(self.table.live());
            self.next_sync = Tick(now.0.saturating_add(ticks));
        }
    }

    /// One received SWIM message (its kind byte is a SWIM kind). Validated whole first; on
    /// error nothing changed (the node counts the reason).
    pub(crate) fn on_message(
        &mut self,
        out: &mut Out<'_>,
        now: Tick,
        from: NodeId,
        bytes: &[u8],
    ) -> Result<(), SwimError> {
        let msg = codec::decode_checked(bytes, &self.limits, |u| self.check_update(u))?;
        self.check(&msg)?;
        self.corrections.clear();
        for u in msg.updates() {
            self.apply(out, now, u);
        }
        match msg.kind {
            MessageKind::Ping => self.answer_ping(out, from, msg.seq),
            MessageKind::Ack => self.on_ack(out, msg.seq),
            MessageKind::PingReq => self.serve_ping_req(out, now, from, &msg),
            MessageKind::Nack => {
                if let Some(p) = self.probe.as_mut() {
                    p.nacks += 1;
                }
                out.counters.swim.nacks_received += 1;
            }
            MessageKind::Sync if msg.flags & FLAG_REPLY != 0 => {
                self.send_table(out, from, MessageKind::SyncReply, 0)
            }
            _ => {}
        }
        Ok(())
    }

    // What can be wrong with a decoded message beyond its updates (checked while decoding),
    // checked before anything changes.
    fn check(&self, msg: &SwimMessage<'_>) -> Result<(), SwimError> {
        match msg.kind {
            MessageKind::Ping if msg.target != self.id => {
                return Err(SwimError::NotForMe { target: msg.target })
            }
            MessageKind::PingReq if msg.target == self.id => return Err(SwimError::PingReqForSelf),
            MessageKind::Ack if !self.expects_ack(msg.seq) => {
                return Err(SwimError::Unexpected { seq: msg.seq })
            }
            MessageKind::Nack
                if !self
                    .probe
                    .is_some_and(|p| p.seq == msg.seq && p.nacks < p.nacks_expected) =>
            {
                return Err(SwimError::Unexpected { seq: msg.seq })
            }
            _ => {}
        }
        Ok(())
    }

    // An update's incarnation may be at most `incarnation_jump_max` above the one held.
    fn check_update(&self, u: &Update) -> Result<(), SwimError> {
        let held = if u.member == self.id {
            Some(self.incarnation)
        } else {
            self.table.get(u.member).map(|v| v.incarnation)
        };
        if let Some(h) = held {
            let max = u64::from(h) + u64::from(self.config.incarnation_jump_max);
            if u64::from(u.incarnation) > max {
                return Err(SwimError::Incarnation {
                    member: u.member,
                    got: u64::from(u.incarnation),
                    max,
                });
            }
        }
        Ok(())
    }

    fn expects_ack(&self, seq: u32) -> bool {
        self.probe.is_some_and(|p| p.seq == seq) || self.relays.iter().any(|r| r.seq == seq)
    }

    // ----- updates -----------------------------------------------------------------------

    fn own_update(&self) -> Update {
        Update {
            member: self.id,
            state: if self.left {
                MemberState::Left
            } else {
                MemberState::Alive
            },
            incarnation: self.incarnation,
            accuser: 0,
        }
    }

    // Applies one validated update: news changes the view (an event), is passed on, and
    // starts or ends a suspicion; an update about this node is refuted if it must be.
    fn apply(&mut self, out: &mut Out<'_>, now: Tick, u: Update) {
        if u.member == self.id {
            return self.about_self(out, u);
        }
        let view = MemberView {
            state: u.state,
            incarnation: u.incarnation,
        };
        let held = self.table.get(u.member);
        if let Some(h) = held.filter(|h| h.overrides(Some(view))) {
            // The sender is behind: the answer tells it (a straggler that missed a refutation
            // would otherwise declare a live member dead once the refutation died out).
            self.note_correction(out, u.member, h);
        }
        if !view.overrides(held) {
            let confirms = u.state == MemberState::Suspect
                && held == Some(view)
                && self.config.lifeguard.dynamic_suspicion
                && u.accuser != self.id
                && self.suspicions.confirm(u.member, u.incarnation, u.accuser);
            if confirms {
                out.counters.swim.confirmations += 1;
                // Passed on, so others hear of the independent suspicion too (memberlist).
                self.enqueue(out, u);
            } else {
                out.counters.swim.updates_stale += 1;
            }
            return;
        }
        out.counters.swim.updates_applied += 1;
        self.set_view(out, now, u);
        self.enqueue(out, u);
    }

    // Sets `u` in the table (precedence checked by the caller): event, probe list,
    // suspicion timer, members cache.
    fn set_view(&mut self, out: &mut Out<'_>, now: Tick, u: Update) {
        let view = MemberView {
            state: u.state,
            incarnation: u.incarnation,
        };
        let previous = self.table.set(u.member, view);
        let was_live = previous.is_some_and(|p| p.state.is_live());
        if was_live != view.state.is_live() {
            self.members = OnceCell::new();
        }
        if view.state.is_live() && !was_live {
            self.order
                .insert(&mut self.table, self.id, u.member, &mut self.rng);
        }
        if view.state == MemberState::Suspect {
            let bounds = self.suspicion_bounds();
            if !self
                .suspicions
                .start(u.member, u.incarnation, u.accuser, now, bounds)
            {
                out.counters.swim.suspicions_untimed += 1;
            }
        } else {
            self.suspicions.remove(u.member);
        }
        out.changed(u.member, view, previous);
    }

    // Notes this node's newer view `v` of `member`, which the message being handled carried
    // an older update about: an ack answering it carries up to `CORRECTIONS_MAX` of them
    // first, and the view is queued again (its sends start over) if it is not queued, so the
    // news reaches a straggler that missed it.
    fn note_correction(&mut self, out: &mut Out<'_>, member: NodeId, v: MemberView) {
        let accuser = self
            .suspicions
            .get(member)
            .map_or(self.id, |s| s.accusers()[0]);
        let u = Update {
            member,
            state: v.state,
            incarnation: v.incarnation,
            accuser,
        };
        if self.corrections.len() < CORRECTIONS_MAX {
            self.corrections.push(u);
        }
        if !self.broadcasts.contains(member) {
            self.enqueue(out, u);
        }
    }

    fn enqueue(&mut self, out: &mut Out<'_>, u: Update) {
        if self.broadcasts.push(u) {
            out.counters.swim.broadcasts_dropped += 1;
        }
    }

    // Someone says something about this node: a suspicion, a death or a departure it did not
    // make (or an old life's higher incarnation) is refuted with a higher incarnation.
    fn about_self(&mut self, out: &mut Out<'_>, u: Update) {
        let against = match u.state {
            MemberState::Alive => u.incarnation > self.incarnation,
            MemberState::Left => !self.left && u.incarnation >= self.incarnation,
            MemberState::Suspect | MemberState::Dead => u.incarnation >= self.incarnation,
        };
        if !against || self.left {
            out.counters.swim.updates_stale += 1;
            if u.state != MemberState::Alive || u.incarnation < self.incarnation {
                let own = self.table.get(self.id);
                if let Some(v) = own {
                    self.note_correction(out, self.id, v);
                }
            }
            return;
        }
        let previous = self.table.get(self.id);
        self.incarnation = (u.incarnation + 1).min(INCARNATION_LIMIT);
        let view = MemberView {
            state: MemberState::Alive,
            incarnation: self.incarnation,
        };
        self.table.set(self.id, view);
        out.changed(self.id, view, previous);
        out.counters.swim.refutations += 1;
        if u.state != MemberState::Alive && self.config.lifeguard.local_health {
            self.health.apply(1);
        }
        let own = self.own_update();
        self.enqueue(out, own);
    }

    // (min, max, k) of a suspicion started now (see `suspicion`).
    fn suspicion_bounds(&self) -> (u64, u64, u32) {
        let n = self.table.live();
        let min = suspicion::min_timeout_ticks(
            self.config.suspicion_alpha,
            n,
            self.config.probe_interval_ticks,
        );
        if !self.config.lifeguard.dynamic_suspicion {
            return (min, min, 0);
        }
        let k = self.config.suspicion_confirmations_k;
        let k = if n < k + 2 { 0 } else { k };
        (min, min * u64::from(self.config.suspicion_beta), k)
    }

    fn suspicion_expired(&mut self, out: &mut Out<'_>, s: Suspicion) {
        let held = self.table.get(s.member);
        let still =
            held.is_some_and(|v| v.state == MemberState::Suspect && v.incarnation == s.incarnation);
        if !still {
            return;
        }
        out.counters.swim.deaths_declared += 1;
        let u = Update {
            member: s.member,
            state: MemberState::Dead,
            incarnation: s.incarnation,
            accuser: 0,
        };
        self.set_view(out, Tick(s.deadline.0), u);
        self.enqueue(out, u);
    }

    // ----- probing ------------------------------------------------------------------------

    // Local health's stretch of this node's own timeouts (1 without it).
    fn stretch(&self) -> u64 {
        if self.config.lifeguard.local_health {
            u64::from(self.health.multiplier())
        } else {
            1
        }
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn start_probe(&mut self, out: &mut Out<'_>, now: Tick) {
        self.probe = None;
        if self.left {
            return;
        }
        let order = self.config.probe_order;
        let Some(target) = self
            .order
            .next(order, &mut self.table, self.id, &mut self.rng)
        else {
            return;
        };
        let seq = self.next_seq();
        let stretch = self.stretch();
        let timeout = u64::from(self.config.probe_timeout_ticks) * stretch;
        let interval = u64::from(self.config.probe_interval_ticks) * stretch;
        self.probe = Some(Probe {
            target,
            seq,
            started: now,
            timeout_at: Tick(now.0.saturating_add(timeout)),
            ends: Tick(now.0.saturating_add(interval.saturating_sub(1))),
            acked: false,
            indirect: false,
            nacks_expected: 0,
            nacks: 0,
        });
        out.counters.swim.probes += 1;
        self.send_ping(out, target, seq);
    }

    fn send_ping(&mut self, out: &mut Out<'_>, target: NodeId, seq: u32) {
        let mut first = [Update {
            member: 0,
            state: MemberState::Alive,
            incarnation: 0,
            accuser: 0,
        }; 1 + SUSPICIONS_ON_PINGS];
        let mut n = 0;
        // The buddy system: a ping to a member held suspect carries the suspicion first.
        if let Some(v) = self.table.get(target) {
            if self.config.lifeguard.buddy && v.state == MemberState::Suspect {
                first[0] = Update {
                    member: target,
                    state: MemberState::Suspect,
                    incarnation: v.incarnation,
                    accuser: self.id,
                };
                n = 1;
            }
        }
        // The oldest running suspicions ride along, so a receiver that heard the refutation
        // answers with it (see `note_correction`): a node the refutation missed learns it
        // before its timer declares a live member dead.
        for sp in self.suspicions.iter().filter(|sp| sp.member != target) {
            if n == first.len() {
                break;
            }
            first[n] = Update {
                member: sp.member,
                state: MemberState::Suspect,
                incarnation: sp.incarnation,
                accuser: sp.accusers()[0],
            };
            n += 1;
        }
        codec::put_header(&mut self.body, MessageKind::Ping, seq, target, 0);
        self.piggyback(&first[..n]);
        out.queue(MessageKind::Ping, &self.body, target);
    }

    // Appends the updates to `self.body` (whose header is written).
    fn piggyback(&mut self, first: &[Update]) {
        let limit = piggyback::retransmit_limit(self.config.retransmit_mult, self.table.live());
        let bytes_max = (self.limits.message_bytes_max as usize).saturating_sub(HEADER_BYTES_MAX);
        self.broadcasts.write(
            &mut self.body,
            &mut self.scratch,
            first,
            limit,
            self.config.piggyback_updates_max,
            bytes_max,
        );
    }

    fn send_ping_reqs(&mut self, out: &mut Out<'_>) {
        let Some(p) = self.probe else { return };
        let mut helpers = [0; config::INDIRECT_PROBES_LIMIT as usize];
        let n = self.sample_helpers(p.target, self.config.indirect_probes, &mut helpers);
        let nack = self.config.lifeguard.nack;
        for &h in &helpers[..n] {
            let flags = if nack { FLAG_NACK } else { 0 };
            codec::put_header(&mut self.body, MessageKind::PingReq, p.seq, p.target, flags);
            self.piggyback(&[]);
            out.queue(MessageKind::PingReq, &self.body, h);
        }
        out.counters.swim.ping_reqs_sent += n as u64;
        if let Some(p) = self.probe.as_mut() {
            p.indirect = true;
            p.nacks_expected = if nack { n as u32 } else { 0 };
        }
    }

    // Up to `k` distinct live members other than this node and `not`, drawn uniformly from
    // the probe list by rejection (bounded tries, so never O(N)).
    fn sample_helpers(&mut self, not: NodeId, k: u32, out: &mut [NodeId; 16]) -> usize {
        let mut n = 0;
        let list_len = self.order.len() as u32;
        if list_len == 0 || k == 0 {
            return 0;
        }
        for _ in 0..(8 * k + 16) {
            if n == k as usize {
                break;
            }
            let Some(id) = self.order.at(self.rng.below(list_len) as usize) else {
                break;
            };
            let live = self.table.get(id).is_some_and(|v| v.state.is_live());
            if live && id != self.id && id != not && !out[..n].contains(&id) {
                out[n] = id;
                n += 1;
            }
        }
        n
    }

    // The end of the period: judges the probe.
    fn finish_probe(&mut self, out: &mut Out<'_>) {
        let Some(p) = self.probe.take() else { return };
        let health = self.config.lifeguard.local_health;
        if p.acked {
            out.counters.swim.probes_acked += 1;
            if health {
                self.health.apply(-1);
            }
            return;
        }
        out.counters.swim.probes_failed += 1;
        if health {
            // Missing nacks point at ourselves (memberlist's awareness rule).
            let delta = if p.nacks_expected > 0 {
                p.nacks_expected.saturating_sub(p.nacks)
            } else {
                1
            };
            self.health.apply(delta as i32);
        }
        let Some(held) = self.table.get(p.target) else {
            return;
        };
        match held.state {
            MemberState::Alive => {}
            // Already suspected by another: this failure is an independent confirmation.
            MemberState::Suspect => {
                let confirmed = self.config.lifeguard.dynamic_suspicion
                    && self.suspicions.confirm(p.target, held.incarnation, self.id);
                if confirmed {
                    out.counters.swim.confirmations += 1;
                    let u = Update {
                        member: p.target,
                        state: MemberState::Suspect,
                        incarnation: held.incarnation,
                        accuser: self.id,
                    };
                    self.enqueue(out, u);
                }
                return;
            }
            MemberState::Dead | MemberState::Left => return,
        }
        let state = if self.config.suspicion {
            out.counters.swim.suspicions_started += 1;
            MemberState::Suspect
        } else {
            out.counters.swim.deaths_declared += 1;
            MemberState::Dead
        };
        let u = Update {
            member: p.target,
            state,
            incarnation: held.incarnation,
            accuser: self.id,
        };
        self.set_view(out, p.ends, u);
        self.enqueue(out, u);
    }

    fn on_ack(&mut self, out: &mut Out<'_>, seq: u32) {
        if let Some(p) = self.probe.as_mut() {
            if p.seq == seq {
                p.acked = true;
                return;
            }
        }
        if let Some(pos) = self.relays.iter().position(|r| r.seq == seq) {
            let r = self.relays.swap_remove(pos);
            codec::put_header(&mut self.body, MessageKind::Ack, r.origin_seq, 0, 0);
            self.piggyback(&[]);
            out.queue(MessageKind::Ack, &self.body, r.origin);
            out.counters.swim.acks_relayed += 1;
        }
    }

    fn answer_ping(&mut self, out: &mut Out<'_>, from: NodeId, seq: u32) {
        codec::put_header(&mut self.body, MessageKind::Ack, seq, 0, 0);
        let corrections = core::mem::take(&mut self.corrections);
        self.piggyback(&corrections);
        self.corrections = corrections;
        self.corrections.clear();
        out.queue(MessageKind::Ack, &self.body, from);
    }

    fn serve_ping_req(
        &mut self,
        out: &mut Out<'_>,
        now: Tick,
        from: NodeId,
        msg: &SwimMessage<'_>,
    ) {
        if self.relays.len() >= self.config.relays_max as usize {
            out.counters.swim.relays_dropped += 1;
            return;
        }
        let seq = self.next_seq();
        self.relays.push(Relay {
            origin: from,
            origin_seq: msg.seq,
            seq,
            deadline: Tick(
                now.0
                    .saturating_add(u64::from(self.config.probe_timeout_ticks)),
            ),
            nack: msg.flags & FLAG_NACK != 0,
        });
        out.counters.swim.ping_reqs_served += 1;
        self.send_ping(out, msg.target, seq);
    }

    fn expire_relays(&mut self, out: &mut Out<'_>, now: Tick) {
        let mut i = 0;
        while i < self.relays.len() {
            if self.relays[i].deadline > now {
                i += 1;
                continue;
            }
            let r = self.relays.swap_remove(i);
            if r.nack {
                codec::put_header(&mut self.body, MessageKind::Nack, r.origin_seq, 0, 0);
                self.piggyback(&[]);
                out.queue(MessageKind::Nack, &self.body, r.origin);
                out.counters.swim.nacks_sent += 1;
            }
        }
    }

    // ----- push-pull ------------------------------------------------------------------------

    // A periodic push-pull sync with one random live member, and one with a random dead
    // member if there is one; a node that knows no other live member asks its join seed again.
    fn start_sync(&mut self, out: &mut Out<'_>) {
        let mut one = [0; 16];
        if self.left {
            return;
        }
        if self.sample_helpers(NodeId::MAX, 1, &mut one) == 0 {
            // Its join was lost (or it holds every other member dead): without another try it
            // would stay alone for good. memberlist leaves this to the application (Consul's
            // `retry_join`); here the node retries at its sync interval.
            if let Some(seed) = self.join_seed.filter(|&s| s != self.id) {
                out.counters.swim.syncs_started += 1;
                self.send_table(out, seed, MessageKind::Sync, FLAG_REPLY);
            }
            return;
        }
        out.counters.swim.syncs_started += 1;
        self.send_table(out, one[0], MessageKind::Sync, FLAG_REPLY);
        self.reconnect(out);
    }

    // A sync with a random member held dead (Serf's reconnect to failed members, which
    // memberlist leaves to its user): after a partition healed, both sides hold the other dead
    // and neither probes it, so without this they would never hear from each other again. The
    // member, if alive, finds itself dead in the table, refutes and replies with its own.
    // O(members), as the sync itself is.
    fn reconnect(&mut self, out: &mut Out<'_>) {
        let dead = |v: &MemberView| v.state == MemberState::Dead;
        let count = self.table.iter().filter(|(_, v)| dead(v)).count() as u32;
        if count == 0 {
            return;
        }
        let pick = self.rng.below(count) as usize;
        let Some((to, _)) = self.table.iter().filter(|(_, v)| dead(v)).nth(pick) else {
            return;
        };
        out.counters.swim.syncs_started += 1;
        self.send_table(out, to, MessageKind::Sync, FLAG_REPLY);
    }

    // Sends every known entry to `to`, in as many messages of `kind` as it needs; `flags` go
    // on the first only (a sync asks for one reply).
    fn send_table(&mut self, out: &mut Out<'_>, to: NodeId, kind: MessageKind, flags: u8) {
        let per_message = self.config.sync_updates_per_message_max as usize;
        let bytes_max = (self.limits.message_bytes_max as usize).saturating_sub(HEADER_BYTES_MAX);
        let mut first = true;
        let mut entries = self.table.iter().peekable();
        while entries.peek().is_some() {
            self.scratch.clear();
            let mut count = 0;
            while let Some(&(member, v)) = entries.peek() {
                let accuser = self
                    .suspicions
                    .get(member)
                    .map_or(self.id, |s| s.accusers()[0]);
                let u = Update {
                    member,
                    state: v.state,
                    incarnation: v.incarnation,
                    accuser,
                };
                if count == per_message || self.scratch.len() + u.len() > bytes_max {
                    break;
                }
                u.put(&mut self.scratch);
                count += 1;
                entries.next();
            }
            codec::put_header(&mut self.body, kind, 0, 0, if first { flags } else { 0 });
            put_varint(&mut self.body, count as u64);
            self.body.extend_from_slice(&self.scratch);
            out.queue(kind, &self.body, to);
            first = false;
        }
    }
}

#[cfg(test)]
mod tests;
