//! The broadcast queue: membership updates waiting to be piggybacked on pings, acks, ping-reqs
//! and nacks.
//!
//! Memberlist's rule (its `TransmitLimitedQueue`): each update is sent at most
//! `λ * ceil(log10(n + 1))` times, n the live members this node knows; a message takes the
//! least-sent updates first (the newest first among equals) that fit its byte and count
//! limits; a newer update about a member replaces the queued one. The queue is bounded
//! (`broadcasts_max`): when a new update does not fit, the most-sent one is dropped and
//! counted. Kept sorted by (sends, newest first), so a message reads a prefix; the queue is
//! short in steady state, and re-sorting it after a send is cheap.

use alloc::vec::Vec;
use core::cmp::Reverse;

use crate::node::membership::swim::codec::{push_encoded, Update, UPDATE_BYTES_MAX};
use crate::node::NodeId;
use crate::wire::put_varint;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    update: Update,
    sent: u32,
    order: u32,
}

/// The queue (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Broadcasts {
    items: Vec<Item>,
    max: usize,
    next_order: u32,
}

/// How many times each update is sent: `λ * ceil(log10(n + 1))` (memberlist's
/// `retransmitLimit`), at least λ.
pub fn retransmit_limit(lambda: u32, n: u32) -> u32 {
    let scale = libm::ceil(libm::log10(f64::from(n) + 1.0)) as u32;
    lambda * scale.max(1)
}

impl Broadcasts {
    pub(crate) fn new(max: u32) -> Broadcasts {
        Broadcasts {
            items: Vec::new(),
            max: max as usize,
            next_order: 0,
        }
    }

    /// Updates waiting.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether an update about `member` is queued.
    pub(crate) fn contains(&self, member: NodeId) -> bool {
        self.items.iter().any(|i| i.update.member == member)
    }

    /// The update queued about `member`, if any.
    #[cfg(test)]
    pub(crate) fn queued(&self, member: NodeId) -> Option<Update> {
        self.items
            .iter()
            .find(|i| i.update.member == member)
            .map(|i| i.update)
    }

    /// Queues `update`, replacing any about the same member; returns whether an older update
    /// was dropped because the queue was full.
    pub(crate) fn push(&mut self, update: Update) -> bool {
        if let Some(pos) = self
            .items
            .iter()
            .position(|i| i.update.member == update.member)
        {
            self.items.remove(pos);
        }
        let mut dropped = false;
        if self.items.len() >= self.max {
            // The last one is the most sent (the oldest among equals).
            self.items.pop();
            dropped = true;
        }
        let order = self.next_order;
        self.next_order = self.next_order.wrapping_add(1);
        self.items.insert(
            0,
            Item {
                update,
                sent: 0,
                order,
            },
        );
        debug_assert!(
            self.items.len() <= self.max,
            "the broadcast queue is bounded"
        );
        dropped
    }

    /// Writes `count:varint update*count` into `out` (appended): `first` (the buddy system's
    /// suspicion, corrections for the receiver; not counted as sends), then the least-sent queued updates that fit
    /// in `bytes_max` bytes and `count_max` updates; each queued one written counts a send,
    /// and one sent `limit` times leaves the queue. Returns the count.
    pub(crate) fn write(
        &mut self,
        out: &mut Vec<u8>,
        scratch: &mut Vec<u8>,
        first: &[Update],
        limit: u32,
        count_max: u32,
        bytes_max: usize,
    ) -> u32 {
        scratch.clear();
        let mut count = 0u32;
        for u in first.iter().take(count_max as usize) {
            u.put(scratch);
            count += 1;
        }
        let mut taken = 0;
        for item in &mut self.items {
            if count >= count_max {
                break;
            }
            if first.iter().any(|u| u.member == item.update.member) {
                continue;
            }
            let mut buf = [0; UPDATE_BYTES_MAX];
            let len = item.update.encode(&mut buf);
            if scratch.len() + len > bytes_max {
                break;
            }
            push_encoded(scratch, &buf, len);
            item.sent += 1;
            count += 1;
            taken += 1;
        }
        if taken > 0 {
            self.items.retain(|i| i.sent < limit);
            self.items
                .sort_unstable_by_key(|i| (i.sent, Reverse(i.order)));
        }
        put_varint(out, u64::from(count));
        out.extend_from_slice(scratch);
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::membership::swim::table::MemberState;

    fn up(member: NodeId, incarnation: u32) -> Update {
        Update {
            member,
            state: MemberState::Alive,
            incarnation,
            accuser: 0,
        }
    }

    #[test]
    fn the_retransmit_limit_is_lambda_times_ceil_log10_n_plus_1() {
        assert_eq!(retransmit_limit(4, 1), 4);
        assert_eq!(retransmit_limit(4, 9), 4);
        assert_eq!(retransmit_limit(4, 10), 8);
        assert_eq!(retransmit_limit(4, 99), 8);
        assert_eq!(retransmit_limit(4, 100), 12);
        assert_eq!(retransmit_limit(4, 10_000), 20);
    }

    #[test]
    fn each_update_is_sent_exactly_limit_times_least_sent_first() {
        let mut q = Broadcasts::new(16);
        q.push(up(1, 0));
        q.push(up(2, 0));
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        let mut sends = [0u32; 3];
        for _ in 0..20 {
            out.clear();
            let n = q.write(&mut out, &mut scratch, &[], 3, 1, 1000);
            if n == 0 {
                break;
            }
            // One update per message: the least sent goes next.
            let member = out[1] as usize;
            sends[member] += 1;
            assert!(sends[member] <= sends[3 - member] + 1);
        }
        assert_eq!(sends, [0, 3, 3]);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn a_newer_update_replaces_the_queued_one_and_the_queue_is_bounded() {
        let mut q = Broadcasts::new(2);
        assert!(!q.push(up(1, 0)));
        assert!(!q.push(up(1, 1)));
        assert_eq!(q.len(), 1);
        assert_eq!(q.queued(1), Some(up(1, 1)));
        assert!(!q.push(up(2, 0)));
        assert!(q.push(up(3, 0)), "full: one dropped");
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn updates_are_cut_at_the_byte_limit_and_the_buddy_goes_first() {
        let mut q = Broadcasts::new(16);
        for m in 0..10 {
            q.push(up(m, 0));
        }
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        let buddy = Update {
            member: 42,
            state: MemberState::Suspect,
            incarnation: 3,
            accuser: 5,
        };
        let n = q.write(&mut out, &mut scratch, &[buddy], 4, 16, 4 + 3 * 3);
        assert_eq!(n, 4, "the buddy (4 bytes) and three updates of 3 bytes");
        assert_eq!(&out[1..5], &[42, 2, 3, 5]);
    }
}
