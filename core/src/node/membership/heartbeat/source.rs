//! Heartbeat gossip wired into a [`crate::node::Node`] as its membership source
//! ([`crate::node::Membership::Heartbeat`]).
//!
//! [`HeartbeatSource`] holds the [`Heartbeat`] state, its own random stream and the reused
//! buffer of its messages. The node drives it from its entry points: `handle_tick` calls
//! `HeartbeatSource::on_tick`, `handle_message` routes every [`MessageKind::Heartbeat`]
//! message to `HeartbeatSource::on_message`, `poll_timeout` includes
//! [`HeartbeatSource::next_deadline`]. Each call queues the messages in the node's outbox
//! and turns every view change into an [`Event::Member`].

use super::{ConfigError, Heartbeat, HeartbeatConfig, HeartbeatError, Transmits};
use crate::node::outbox::Outbox;
use crate::node::{Counters, Event, Events, NodeId};
use crate::rng::Rng;
use crate::time::Tick;
use crate::wire::MessageKind;

/// The parts of the node heartbeat gossip writes to.
pub(crate) struct Out<'a> {
    pub(crate) outbox: &'a mut Outbox,
    pub(crate) events: &'a mut Events,
    pub(crate) counters: &'a mut Counters,
}

/// Heartbeat gossip as a node's membership source (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeartbeatSource {
    heartbeat: Heartbeat,
    // Peer choice only: `Rng::stream(s, Stream::Membership, id)`, as SWIM's (one source runs).
    rng: Rng,
    out: Transmits,
}

impl HeartbeatSource {
    /// Node `id`'s heartbeat gossip at generation 0, knowing only itself, drawing from `rng`.
    pub fn new(id: NodeId, config: HeartbeatConfig, rng: Rng) -> Result<Self, ConfigError> {
        Ok(HeartbeatSource {
            heartbeat: Heartbeat::new(config, id, [])?,
            rng,
            out: Transmits::new(),
        })
    }

    /// The heartbeat state.
    pub fn heartbeat(&self) -> &Heartbeat {
        &self.heartbeat
    }

    /// The next tick it needs a tick at.
    pub fn next_deadline(&self) -> Tick {
        self.heartbeat.next_tick()
    }

    pub(crate) fn seed(&mut self, members: &crate::node::Members) {
        self.heartbeat.seed(members);
    }

    pub(crate) fn join(&mut self, out: &mut Out<'_>, seed: NodeId) {
        self.heartbeat.join(seed);
        self.report(out);
    }

    pub(crate) fn set_generation(&mut self, generation: u64) {
        self.heartbeat.set_generation(generation);
    }

    pub(crate) fn on_tick(&mut self, out: &mut Out<'_>, now: Tick) {
        self.out.clear();
        self.heartbeat
            .handle_tick(now, &mut self.rng, &mut self.out);
        for (to, bytes) in self.out.iter() {
            // `bytes` starts with the kind byte; the outbox writes it again.
            debug_assert_eq!(bytes.first(), Some(&(MessageKind::Heartbeat as u8)));
            let dropped = out
                .outbox
                .queue(MessageKind::Heartbeat, None, &bytes[1..], &[to]);
            out.counters.outbox_dropped += dropped;
        }
        self.report(out);
    }

    pub(crate) fn on_message(
        &mut self,
        out: &mut Out<'_>,
        now: Tick,
        from: NodeId,
        bytes: &[u8],
    ) -> Result<(), HeartbeatError> {
        self.heartbeat.handle_message(now, from, bytes)?;
        self.report(out);
        Ok(())
    }

    // Every view change of the latest input, as an event.
    fn report(&mut self, out: &mut Out<'_>) {
        for (member, view, previous) in self.heartbeat.take_changes() {
            let ev = Event::Member {
                member,
                view,
                previous,
            };
            out.events.emit(&mut out.counters.events_dropped, ev);
        }
    }
}
