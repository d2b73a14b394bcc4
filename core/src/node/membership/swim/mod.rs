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
//! periodically, every other one to a member held dead; a node that knows no other live
//! member asks its join seed again). Lifeguard's local health ([`health`]) stretches the node's own timeouts when
//! it seems to be the slow one.
//!
//! # Where each part lives
//! This file holds the [`Swim`] state, its accessors and its entry points; the methods behind
//! them are split by job: `probing.rs` (the probe of each period, ping-req helping),
//! `updates.rs` (applying an update, refuting, correcting), `sync.rs` (push-pull, sending),
//! `sift.rs` (sorting a received message's updates before any is applied), with the
//! state they use in [`probe`], [`table`], [`suspicion`], [`health`] and [`piggyback`].
//!
//! # How it is driven
//! Only by the node ([`crate::node::Node`]), which owns the outbox, the events and the
//! counters: `handle_tick` runs [`Swim`]'s timers (period start and end, probe timeout,
//! helpers' nack timeouts, suspicion expiries, syncs), `handle_message` routes the six SWIM
//! kinds here, and `poll_timeout` includes [`Swim::next_deadline`]. Every change of this
//! node's view of a member is an [`crate::node::Event::Member`]. [`Swim::members`] (alive or
//! suspect, cached and rebuilt lazily when it changes) is what dissemination gossips with.
//!
//! # Beyond memberlist (why, and what it costs)
//! memberlist also gossips its broadcasts to 3 random members every 200 ms; here updates ride
//! on probe traffic only (as the issue and the SWIM paper have it), about 2 to 3 messages per
//! member per period. With that little traffic an update reaches all but a straggler or two
//! now and then, and a straggler still holding a refuted suspicion would declare a live
//! member dead once the refutation has died out. Three small additions close that gap:
//! * an ack carries, ahead of the queue, this node's newer view of anything the ping carried
//!   stale (up to [`CORRECTIONS_MAX`]), and that view is queued again if it is not queued;
//! * a ping carries the sender's oldest running suspicions (up to [`SUSPICIONS_ON_PINGS`]),
//!   so a straggler's stale suspicion is answered by a correction within a period or two;
//! * every other periodic sync goes to a member held dead (up to [`DEAD_DRAWS_MAX`] draws),
//!   as Serf's reconnect does, so two sides that declared each other dead across a healed
//!   partition find each other again.
//!
//! They cost a few bytes a ping (5 per running suspicion) and one sync in two going to a
//! member that may really be dead. Measured at N = 100 with 5 % loss over 1,000 periods:
//! without them Lifeguard left about one false death per run; with them none in 12 seeds.
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

use crate::node::membership::Members;
use crate::node::outbox::Outbox;
use crate::node::{Counters, Event, Events, NodeId};
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::{put_varint, MessageKind};

pub mod codec;
pub mod config;
pub mod counters;
pub mod error;
pub mod health;
pub mod piggyback;
pub mod probe;
mod probing;
mod sift;
pub mod suspicion;
mod sync;
pub mod table;
mod updates;

pub use codec::Update;
pub use config::{LifeguardConfig, ProbeOrder, SwimConfig, SwimConfigError};
pub use counters::SwimCounters;
pub use error::SwimError;
pub use health::Health;
pub use probe::Probe;
pub use suspicion::Suspicion;
pub use table::{MemberState, MemberView, Table, INCARNATION_LIMIT};

use codec::{SwimLimits, SwimMessage, FLAG_NACK, FLAG_RELAYED, FLAG_REPLY, HEADER_BYTES_MAX};
use piggyback::Broadcasts;
use probe::{Order, Relay};
use sift::Sift;
use suspicion::Suspicions;

/// Most corrections an ack carries ahead of the queued updates.
pub const CORRECTIONS_MAX: usize = 4;
/// Most draws to find a member held dead for a reconnecting sync.
pub const DEAD_DRAWS_MAX: u32 = 8;
/// Most running suspicions a ping carries ahead of the queued updates.
pub const SUSPICIONS_ON_PINGS: usize = 2;

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
    last_probe: Option<Probe>,
    relays: Vec<Relay>,
    suspicions: Suspicions,
    health: Health,
    broadcasts: Broadcasts,
    next_period: Tick,
    next_sync: Tick,
    // Periodic syncs started, to alternate live and dead targets.
    syncs: u32,
    seq: u32,
    members: OnceCell<Members>,
    // This node's newer view of a member the message being handled carried an older update
    // about: an ack answering it carries the correction first (see `apply`).
    corrections: Vec<Update>,
    // The updates of the message being handled that may change the view, validated (a
    // reused buffer, empty between messages; see `validate`).
    fresh: Vec<Update>,
    // (n, the retransmit limit at n) of the last piggyback (a cache: n changes rarely).
    retransmit: (u32, u32),
    // Reused buffers: the message being written and its piggybacked updates.
    body: Vec<u8>,
    updates: Vec<u8>,
    // The sync message being written: kept at the largest message's size once grown, never
    // cleared (see `encode_entries`).
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
            last_probe: None,
            relays: Vec::new(),
            suspicions: Suspicions::new(config.suspects_max),
            health: Health::new(config.health_max),
            broadcasts: Broadcasts::new(config.broadcasts_max),
            next_period: Tick::ZERO,
            next_sync: Tick::ZERO,
            syncs: 0,
            seq: 0,
            members: OnceCell::new(),
            corrections: Vec::new(),
            fresh: Vec::new(),
            retransmit: (0, piggyback::retransmit_limit(config.retransmit_mult, 0)),
            body: Vec::new(),
            updates: Vec::new(),
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

    /// The last probe judged (its `acked` says how it ended).
    pub fn last_probe(&self) -> Option<&Probe> {
        self.last_probe.as_ref()
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
            t = t.min(p.ends);
            if !p.acked && !p.indirect {
                t = t.min(p.timeout_at);
            }
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
        let result = self.handle(out, now, from, bytes);
        // A scratch buffer: empty between messages, so a rejected message leaves no trace.
        self.fresh.clear();
        result
    }

    fn handle(
        &mut self,
        out: &mut Out<'_>,
        now: Tick,
        from: NodeId,
        bytes: &[u8],
    ) -> Result<(), SwimError> {
        let (msg, stale) = self.validate(bytes)?;
        self.check(&msg)?;
        self.corrections.clear();
        out.counters.swim.updates_stale += stale;
        let correct = takes_corrections(msg.kind);
        let fresh = core::mem::take(&mut self.fresh);
        for &u in &fresh {
            // An earlier update of the same message may have made this one stale (a sync
            // holds each member once, so only a crafted message gets here).
            if !correct && is_plain(self.id, &u) && self.table.holds_at_least(u.member, u.view()) {
                out.counters.swim.updates_stale += 1;
                continue;
            }
            self.apply(out, now, u, correct);
        }
        self.fresh = fresh;
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

    // Decodes `bytes` and sifts its updates in the same pass ([`sift`]): every update's
    // incarnation jump is checked, those that may change the view go into `self.fresh` (in
    // wire order), the rest are only counted (returned, to be added once the message is
    // accepted). A sync's updates are read by the sift itself, against the table in one
    // pass; a piggyback's are decoded and handed to it one by one.
    fn validate<'a>(&mut self, bytes: &'a [u8]) -> Result<(SwimMessage<'a>, u64), SwimError> {
        let kind = bytes.first().copied().and_then(MessageKind::from_byte);
        let correct = kind.is_none_or(takes_corrections);
        let mut sift = Sift {
            table: &self.table,
            fresh: &mut self.fresh,
            me: self.id,
            incarnation: self.incarnation,
            jump_max: self.config.incarnation_jump_max,
            correct,
            stale: 0,
        };
        let msg = if correct {
            codec::decode_checked(bytes, &self.limits, |u| sift.update(u))?
        } else {
            codec::decode_with(bytes, &self.limits, |buf, count, members_max| {
                sift.sync(buf, count, members_max)
            })?
        };
        Ok((msg, sift.stale))
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

    fn expects_ack(&self, seq: u32) -> bool {
        self.probe.is_some_and(|p| p.seq == seq) || self.relays.iter().any(|r| r.seq == seq)
    }
}

// Whether piggybacked updates of a message of `kind` may be answered with corrections: a
// sync's sender gets this node's whole table back (or sent it as the answer to one), so
// only piggybacks call for them.
fn takes_corrections(kind: MessageKind) -> bool {
    !matches!(kind, MessageKind::Sync | MessageKind::SyncReply)
}

// Whether `u` (on a sync) is dropped if this node holds as new a view: not a suspicion (it
// may confirm one) and not about this node (`me`; it may need a refutation).
fn is_plain(me: NodeId, u: &Update) -> bool {
    u.state != MemberState::Suspect && u.member != me
}

#[cfg(test)]
mod tests;
