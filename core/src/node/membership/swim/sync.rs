//! Push-pull syncs: a whole table sent to one member, periodically (memberlist's
//! `pushPullScale`), at a join, and every other time to a member held dead; alone, to the
//! join seed again.

use crate::node::membership::swim::*;
use crate::node::NodeId;
use crate::wire::{put_varint, MessageKind};

impl Swim {
    // A periodic sync with one random live member; every other one goes to a member held
    // dead instead, if a few draws find one (as Serf's reconnect does): a member declared dead
    // across a partition that has healed hears of its death, refutes it, and the two sides
    // merge. Without it, nobody would contact a member held dead again.
    pub(super) fn start_sync(&mut self, out: &mut Out<'_>) {
        if self.left {
            return;
        }
        self.syncs = self.syncs.wrapping_add(1);
        let dead = if self.syncs.is_multiple_of(2) {
            self.sample_dead()
        } else {
            None
        };
        let mut one = [0; 16];
        let to = match dead {
            Some(d) => d,
            None if self.sample_helpers(NodeId::MAX, 1, &mut one) == 1 => one[0],
            // Its join was lost (or it holds every other member dead): without another try it
            // would stay alone for good. memberlist leaves this to the application (Consul's
            // `retry_join`); here the node asks its join seed again at its sync interval.
            None => match self.join_seed.filter(|&s| s != self.id) {
                Some(seed) => seed,
                None => return,
            },
        };
        out.counters.swim.syncs_started += 1;
        self.send_table(out, to, MessageKind::Sync, FLAG_REPLY);
    }

    // A member held dead, from up to `DEAD_DRAWS_MAX` uniform draws over the table.
    pub(super) fn sample_dead(&mut self) -> Option<NodeId> {
        let len = self.table.len() as u32;
        (0..DEAD_DRAWS_MAX).find_map(|_| {
            let id = self.rng.below(len);
            let dead = self
                .table
                .get(id)
                .is_some_and(|v| v.state == MemberState::Dead);
            (dead && id != self.id).then_some(id)
        })
    }

    // Sends every known entry to `to`, in as many messages of `kind` as it needs; `flags` go
    // on the first only (a sync asks for one reply).
    pub(super) fn send_table(
        &mut self,
        out: &mut Out<'_>,
        to: NodeId,
        kind: MessageKind,
        flags: u8,
    ) {
        // Past the last member heard of, nothing is sent (every message carries at least one).
        let end = (0..self.table.len())
            .rev()
            .find(|&i| self.table.code_at(i).0 != 0)
            .map_or(0, |i| i + 1);
        let mut first = true;
        let mut i = 0;
        while i < end {
            let (count, next, bytes_end) = self.encode_entries(i, end);
            i = next;
            // The header goes right in front of the entries, in the room left for it, so the
            // message is queued from where it was written (no copy of the entries).
            codec::put_header(&mut self.body, kind, 0, 0, if first { flags } else { 0 });
            put_varint(&mut self.body, count as u64);
            let start = HEADER_BYTES_MAX - self.body.len();
            self.scratch[start..HEADER_BYTES_MAX].copy_from_slice(&self.body);
            out.queue(kind, &self.scratch[start..bytes_end], to);
            first = false;
        }
    }

    // Encodes the entries from `i` (below `end`) that fit one sync message (its count and
    // byte limits) into `self.scratch` after `HEADER_BYTES_MAX` bytes of room for the
    // header; returns (entries, the next entry to send, where the message ends in
    // `self.scratch`). Written from the packed table entries (a sync at N = 10,000 writes
    // 10^4 of them) straight into the buffer, sized once for the largest message and one
    // update more, and never cleared (the bytes past the end are left over, not sent): each
    // entry is written in place (whatever an entry that does not fit wrote is past the end),
    // so the loop makes no capacity check and no copy, and no message pays to zero the
    // buffer. Only a suspect's needs more, its accuser from the side table.
    fn encode_entries(&mut self, mut i: usize, end: usize) -> (usize, usize, usize) {
        let per_message = self.config.sync_updates_per_message_max as usize;
        let bytes_max = (self.limits.message_bytes_max as usize).saturating_sub(HEADER_BYTES_MAX);
        let Swim {
            id,
            table,
            suspicions,
            scratch,
            ..
        } = self;
        let room = HEADER_BYTES_MAX + bytes_max + codec::UPDATE_BYTES_MAX;
        if scratch.len() < room {
            scratch.resize(room, 0);
        }
        let entries = &table.entries()[..end];
        let suspect = MemberState::Suspect.code();
        let mut at = HEADER_BYTES_MAX;
        let mut count = 0;
        while i < end && count < per_message {
            let e = entries[i];
            let code = e.code();
            if code == 0 {
                i += 1;
                continue;
            }
            let member = i as NodeId;
            // In room: `at` is at most `HEADER_BYTES_MAX + bytes_max` here.
            let Some(slot) = scratch
                .get_mut(at..at + codec::UPDATE_BYTES_MAX)
                .and_then(|s| <&mut [u8; codec::UPDATE_BYTES_MAX]>::try_from(s).ok())
            else {
                break;
            };
            let len = if code == suspect {
                let accuser = suspicions.get(member).map_or(*id, |s| s.accusers()[0]);
                let u = Update {
                    member,
                    state: MemberState::Suspect,
                    incarnation: e.incarnation(),
                    accuser,
                };
                u.encode(slot)
            } else {
                codec::encode_plain(slot, member, code, e.incarnation())
            };
            if at - HEADER_BYTES_MAX + len > bytes_max {
                break;
            }
            at += len;
            count += 1;
            i += 1;
        }
        (count, i, at)
    }
}
