//! The dissemination strategies, a closed set chosen by configuration, and what they share.
//!
//! Every `gossip_interval_ticks` (at ticks that are multiples of it) a node picks `fanout`
//! distinct peers uniformly among the *other* live members ([`crate::node::peers`]), with its
//! own random stream `Rng::stream(seed, Stream::Node, index)`, and exchanges with each. What
//! it sends and what it does with what it receives is its [`Dissemination`], built from the
//! configured [`Mode`] (one variant each, one to one):
//! * [`Dissemination::FullState`] ([`crate::node::full_state`]): anti-entropy, every entry;
//! * [`Dissemination::Rumor`] ([`crate::node::rumor`]): rumor mongering, infective rumors only.
//!
//! This file holds the one `match` per entry point (`on_write`, `on_gossip_tick`,
//! `on_message`, what a message carries about a key, quiescence) and the parts both
//! strategies share: the data messages (push, push-pull, reply: lists of entries, see
//! [`crate::codec`]), how a received one is merged into the store (`absorb`), and the rule
//! below on what may be sent. A new strategy (digest, Merkle) is a new file and one arm in each
//! `match` here.
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
//! ever overwritten, so there message contents and rumor states do not depend on the order.
//! With a gossip interval of one round of `T` ticks and a *fixed* latency of `L` ticks, every
//! message of round r arrives at tick `rT + L` and every reply at `rT + 2L`; replies sent at
//! `rT + L` therefore carry exactly the start-of-round state, and everything learned in round
//! r is passed on in round r + 1 when `2L < T` (push alone needs `L < T`). Then the simulation *is* the
//! synchronous model (the default is `T = 4`, `L = 1`). With a latency range, or `2L >= T`,
//! some messages of round r arrive during later rounds, or a reply carries something learned
//! during the round, and the model becomes asynchronous, as real networks are.

use crate::codec::{self, MessageRef};
use crate::node::config::{Exchange, Mode, NodeConfig};
use crate::node::full_state::FullState;
use crate::node::membership::Membership;
use crate::node::outbox::{Outbox, Writer};
use crate::node::rumor::{Rumor, RumorMongering, RumorState};
use crate::node::{peers, Counters, Event, Events, NodeId, FANOUT_MAX};
use crate::reconcile::Replica;
use crate::rng::Rng;
use crate::store::{Entry, Merged, Version};
use crate::time::Tick;
use crate::wire::{CodecLimits, MessageKind};

/// The node's state a strategy works on, borrowed apart from the strategy's own state.
pub(crate) struct Ctx<'a> {
    pub(crate) id: NodeId,
    pub(crate) config: &'a NodeConfig,
    pub(crate) limits: &'a CodecLimits,
    pub(crate) members: &'a Membership,
    pub(crate) rng: &'a mut Rng,
    pub(crate) replica: &'a mut Replica,
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) writer: &'a mut Writer,
    pub(crate) events: &'a mut Events,
    pub(crate) counters: &'a mut Counters,
}

/// How a node disseminates updates (see the module docs).
#[derive(Clone, Debug)]
pub enum Dissemination {
    /// Full-state anti-entropy.
    FullState(FullState),
    /// Rumor mongering.
    Rumor(RumorMongering),
}

/// What a message carries about one key, read from its bytes (for a viewer; see
/// [`crate::node::Node::carried`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carried {
    /// No entries at all: a kind without data, an empty push or reply, or bytes that do not
    /// decode (only a message corrupted on purpose).
    Nothing,
    /// Entries, none of them for the key.
    OtherKeys,
    /// This version of the key.
    Key(Version),
}

/// Whether an entry may be sent at `now`: learned before `now` (see "Synchronous rounds"), and
/// not a tombstone old enough (`age` ticks) to be collected. A collected tombstone passed on
/// would be relearned by a node that already dropped it, and bounce around forever (see
/// [`crate::store`]).
pub(crate) fn sendable(e: &Entry, now: Tick, age: u64) -> bool {
    e.ready() <= now && !(e.is_tombstone() && e.version().is_expired(now, age))
}

impl Dissemination {
    /// The strategy for `mode`, with no state yet.
    pub fn new(mode: Mode) -> Dissemination {
        match mode {
            Mode::AntiEntropy(x) => Dissemination::FullState(FullState::new(x)),
            Mode::Rumor(r) => Dissemination::Rumor(RumorMongering::new(r)),
        }
    }

    /// Push, pull or push-pull.
    pub fn exchange(&self) -> Exchange {
        match self {
            Dissemination::FullState(f) => f.exchange(),
            Dissemination::Rumor(r) => r.exchange(),
        }
    }

    /// The rumor-mongering state, if that is the strategy.
    pub fn as_rumor(&self) -> Option<&RumorMongering> {
        match self {
            Dissemination::FullState(_) => None,
            Dissemination::Rumor(r) => Some(r),
        }
    }

    /// The node's rumor for `key` (rumor mongering only; `None` means susceptible).
    pub fn rumor(&self, key: &[u8]) -> Option<&Rumor> {
        self.as_rumor().and_then(|r| r.rumor(key))
    }

    /// Whether it is spreading any rumor (never, in full state: it has no rumors).
    pub fn is_infective(&self) -> bool {
        self.as_rumor().is_some_and(RumorMongering::is_infective)
    }

    /// Whether the node will send no more data without a new input: a rumor monger with no
    /// infective rumor. A full-state node spreads what it holds for ever, so it never is.
    pub fn is_quiescent(&self) -> bool {
        match self {
            Dissemination::FullState(_) => false,
            Dissemination::Rumor(r) => !r.is_infective(),
        }
    }

    /// Whether the node still spreads `version` of `key`, which it holds: every holder does in
    /// full state; in rumor mongering only while its rumor for that version is infective.
    pub fn spreads(&self, key: &[u8], version: Version) -> bool {
        match self {
            Dissemination::FullState(_) => true,
            Dissemination::Rumor(r) => matches!(
                r.rumor(key),
                Some(Rumor { version: v, state: RumorState::Infective { .. } }) if *v == version
            ),
        }
    }

    // A local write of `version` under `key`.
    pub(crate) fn on_write(&mut self, key: &[u8], version: Version) {
        match self {
            Dissemination::FullState(_) => {}
            Dissemination::Rumor(r) => r.on_write(key, version),
        }
    }

    // Anti-entropy brought `version` of `key`, newer than what was held (with
    // `AntiEntropyConfig::rumor_repairs`): in rumor mongering it becomes a hot rumor, as if
    // learned from gossip.
    pub(crate) fn on_repaired(&mut self, key: &[u8], version: Version) {
        match self {
            Dissemination::FullState(_) => {}
            Dissemination::Rumor(r) => r.on_learned(key, version),
        }
    }

    // The tombstone of `key` was collected.
    pub(crate) fn on_collected(&mut self, key: &[u8]) {
        match self {
            Dissemination::FullState(_) => {}
            Dissemination::Rumor(r) => r.on_collected(key),
        }
    }

    // A gossip tick, after tombstone collection: judge the cycle that ends now (rumors), then
    // start one exchange with each of `fanout` random peers.
    pub(crate) fn on_gossip_tick(&mut self, cx: &mut Ctx<'_>, now: Tick) {
        // The cycle that ends now is judged before this one's peers are chosen, so a rumor
        // removed by it is no longer sent.
        if let Dissemination::Rumor(r) = self {
            r.judge_cycle(cx);
        }
        let exchange = self.exchange();
        // A push with nothing to push sends nothing, so skip the peer draw too.
        let nothing = cx.replica.store().is_empty()
            || matches!(self, Dissemination::Rumor(r) if !r.is_infective());
        if exchange == Exchange::Push && nothing {
            return;
        }
        let mut peers = [0 as NodeId; FANOUT_MAX as usize];
        let n = peers::sample(
            cx.rng,
            cx.members.members().as_slice(),
            cx.id,
            cx.config.fanout,
            &mut peers,
        );
        if n == 0 {
            return;
        }
        let peers = &peers[..n];
        match exchange {
            Exchange::Pull => {
                cx.counters.outbox_dropped +=
                    cx.outbox.queue(MessageKind::Request, None, &[], peers);
            }
            Exchange::Push => self.send_state(cx, now, MessageKind::Push, peers, false),
            Exchange::PushPull => self.send_state(cx, now, MessageKind::PushPull, peers, true),
        }
    }

    // A validated message from `from`: merge what it carries, note what it says, answer it.
    pub(crate) fn on_message(
        &mut self,
        cx: &mut Ctx<'_>,
        now: Tick,
        from: NodeId,
        msg: &MessageRef<'_>,
    ) {
        match msg.kind() {
            MessageKind::Push | MessageKind::PushPull | MessageKind::Reply => {
                let rumor = match self {
                    Dissemination::FullState(_) => None,
                    Dissemination::Rumor(r) => Some(r),
                };
                absorb(rumor, cx, now, from, msg);
            }
            // `codec::decode` refuses heartbeats and reconcile messages (not dissemination
            // kinds), so none gets here.
            MessageKind::Request | MessageKind::Heartbeat | MessageKind::Reconcile => {}
            MessageKind::Feedback => match self {
                // Full state never asks for feedback; one that arrives anyway changes nothing.
                Dissemination::FullState(_) => {}
                Dissemination::Rumor(r) => r.on_feedback(msg),
            },
            // `codec::decode` never yields a SWIM kind: the node routes those to membership.
            MessageKind::Ping
            | MessageKind::Ack
            | MessageKind::PingReq
            | MessageKind::Nack
            | MessageKind::Sync
            | MessageKind::SyncReply => {}
        }
        if matches!(msg.kind(), MessageKind::Request | MessageKind::PushPull) {
            self.send_state(cx, now, MessageKind::Reply, &[from], true);
        }
    }

    // Sends what this strategy sends (every entry, or the infective rumors) that was learned
    // before `now`, to every peer in `to`, as messages of `kind`.
    fn send_state(
        &mut self,
        cx: &mut Ctx<'_>,
        now: Tick,
        kind: MessageKind,
        to: &[NodeId],
        send_empty: bool,
    ) {
        let mut dropped = 0;
        cx.writer.begin(kind);
        match self {
            Dissemination::FullState(f) => f.send(cx, now, to, &mut dropped),
            Dissemination::Rumor(r) => r.send(cx, now, to, &mut dropped),
        }
        cx.writer.finish(cx.outbox, &mut dropped, to, send_empty);
        cx.counters.outbox_dropped += dropped;
    }
}

/// What a message of `kind` with these `bytes` carries about `key`, decoded under `limits`.
/// Only data messages (see [`crate::wire::KindSpec::carries_data`]) carry anything.
pub fn carried(limits: &CodecLimits, kind: MessageKind, bytes: &[u8], key: &[u8]) -> Carried {
    if !kind.carries_data() {
        return Carried::Nothing;
    }
    // Nodes only send what they can encode, so this fails only for a message corrupted on
    // purpose; it carries nothing usable then.
    let Ok(msg) = codec::decode(bytes, limits) else {
        return Carried::Nothing;
    };
    if msg.is_empty() {
        return Carried::Nothing;
    }
    match msg.entries().find(|e| e.key == key) {
        Some(e) => Carried::Key(e.version),
        None => Carried::OtherKeys,
    }
}

/// Whether a message of `kind` with these `bytes` carries any entry, decoded under `limits`.
pub fn carries_entries(limits: &CodecLimits, kind: MessageKind, bytes: &[u8]) -> bool {
    kind.carries_data() && codec::decode(bytes, limits).is_ok_and(|msg| !msg.is_empty())
}

/// Merges the entries of a received data message into the store, shared by both strategies:
/// a new version is learned (an event, and a new rumor in rumor mongering); with feedback, a
/// version known before this tick is named in the `Feedback` answering the message.
pub(crate) fn absorb(
    mut rumor: Option<&mut RumorMongering>,
    cx: &mut Ctx<'_>,
    now: Tick,
    from: NodeId,
    msg: &MessageRef<'_>,
) {
    let wants_feedback = rumor.as_ref().is_some_and(|r| r.wants_feedback());
    if let Some(r) = rumor.as_deref_mut() {
        r.feedback_writer().begin(MessageKind::Feedback);
    }
    let mut dropped = 0;
    let mut new = 0u64;
    for e in msg.entries() {
        match cx.replica.merge(now, e.key, e.version, e.value) {
            Merged::New => {
                new += 1;
                if let Some(r) = rumor.as_deref_mut() {
                    r.on_learned(e.key, e.version);
                }
                let ev = Event::Learned {
                    key: e.key.to_vec(),
                    version: e.version,
                    from,
                };
                cx.events.emit(&mut cx.counters.events_dropped, ev);
            }
            Merged::Known | Merged::Stale => {
                // Only what was known before this tick was "already known": a copy that
                // arrives in the tick another copy taught it is as useful as the first,
                // and the feedback does not depend on the order of delivery.
                let knew = cx
                    .replica
                    .store()
                    .get(e.key)
                    .is_some_and(|held| held.ready() <= now);
                if let (true, true, Some(r)) = (wants_feedback, knew, rumor.as_deref_mut()) {
                    r.feedback_writer().push(
                        cx.outbox,
                        &mut dropped,
                        cx.limits,
                        &[from],
                        e.key,
                        e.version,
                        None,
                    );
                }
            }
            Merged::Refused => cx.counters.entries_refused += 1,
        }
    }
    if let (true, Some(r)) = (wants_feedback, rumor) {
        r.feedback_writer()
            .finish(cx.outbox, &mut dropped, &[from], false);
    }
    debug_assert!(new <= msg.len() as u64, "each entry is new at most once");
    cx.counters.outbox_dropped += dropped;
    cx.counters.entries_new += new;
    cx.counters.data_messages_received += 1;
    if new == 0 && !msg.is_empty() {
        cx.counters.data_messages_redundant += 1;
    }
}
