//! The node's bounded outbox and the writer that fills it, splitting messages at the limits.
//!
//! Driven by the node only: a protocol builds a message with a [`Writer`] item by item
//! ([`Writer::begin`], [`Writer::push`], [`Writer::finish`]), the writer queues each full
//! message in the [`Outbox`] for every peer it is addressed to, and
//! [`crate::node::Node::poll_transmit`] hands the queued datagrams out in order.
//!
//! Bounded, with the drops counted: the outbox holds at most `outbox_messages_max` messages,
//! and a message that does not fit is dropped and counted in
//! [`crate::node::Counters::outbox_dropped`], never queued without limit. Its bytes live in one
//! arena that is reset whenever the queue empties, and a message to several peers is stored
//! once: no allocation per message once the buffers have grown.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::codec;
use crate::node::NodeId;
use crate::store::Version;
use crate::wire::{self, Body, CodecLimits, MessageKind};

/// The most arena bytes an empty outbox keeps.
const ARENA_KEPT_BYTES: usize = 16 * 1024;

#[derive(Clone, Copy, Debug)]
struct Pending {
    to: NodeId,
    kind: MessageKind,
    start: usize,
    len: usize,
}

/// Messages waiting to be sent (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct Outbox {
    pending: VecDeque<Pending>,
    arena: Vec<u8>,
    messages_max: usize,
}

impl Outbox {
    pub(crate) fn new(messages_max: u32) -> Outbox {
        Outbox {
            pending: VecDeque::new(),
            arena: Vec::new(),
            messages_max: messages_max as usize,
        }
    }

    /// Messages waiting.
    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }

    /// Queues the message `kind, count, body` to each of `to`; returns how many were dropped.
    pub(crate) fn queue(
        &mut self,
        kind: MessageKind,
        count: Option<u32>,
        body: &[u8],
        to: &[NodeId],
    ) -> u64 {
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
        debug_assert!(
            self.pending.len() <= self.messages_max,
            "the outbox is bounded"
        );
        (to.len() - fit) as u64
    }

    /// The next message: its bytes replace the contents of `buf`; returns its destination
    /// and kind.
    pub(crate) fn pop(&mut self, buf: &mut Vec<u8>) -> Option<(NodeId, MessageKind)> {
        let p = self.pending.pop_front()?;
        debug_assert!(
            p.start + p.len <= self.arena.len(),
            "a message lies in the arena"
        );
        buf.clear();
        buf.extend_from_slice(&self.arena[p.start..p.start + p.len]);
        if self.pending.is_empty() {
            self.arena.clear();
            // A burst (a SWIM table sync) grows the arena; give the memory back rather than
            // hold it for every node of a large cluster.
            if self.arena.capacity() > ARENA_KEPT_BYTES {
                self.arena.shrink_to(ARENA_KEPT_BYTES);
            }
        }
        Some((p.to, p.kind))
    }
}

/// Builds messages of one kind item by item, splitting them at the size and count limits.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    kind: MessageKind,
    body: Vec<u8>,
    count: u32,
    flushed: bool,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer {
            kind: MessageKind::Push,
            body: Vec::new(),
            count: 0,
            flushed: false,
        }
    }

    pub(crate) fn begin(&mut self, kind: MessageKind) {
        self.kind = kind;
        self.body.clear();
        self.count = 0;
        self.flushed = false;
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
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
        // The configuration guarantees that one largest entry fits in an empty message, so a
        // message never outgrows the limits the receiver's decoder enforces.
        debug_assert!(self.count <= limits.entries_per_message_max);
        debug_assert!(
            codec::header_len(self.count) + self.body.len() <= limits.message_bytes_max as usize
        );
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

    pub(crate) fn finish(
        &mut self,
        ob: &mut Outbox,
        dropped: &mut u64,
        to: &[NodeId],
        send_empty: bool,
    ) {
        if self.count > 0 || (send_empty && !self.flushed) {
            self.flush(ob, dropped, to);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::codec::Message;
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::time::Tick;
    use crate::wire::MessageKind;
    use alloc::vec::Vec;

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
}
