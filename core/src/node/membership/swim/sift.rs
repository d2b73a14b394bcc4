//! Sifting a received message's updates before anything is applied: every update's
//! incarnation jump is checked, the updates that may change the view are kept (in wire
//! order) and the rest are only counted as stale.
//!
//! # How it is driven
//! By [`Swim`](super::Swim)'s `validate`, once per received message, while the decoder reads
//! it: [`Sift::update`] is called for each update of a piggyback, and [`Sift::sync`] reads a
//! push-pull sync's updates itself, from the bytes. Nothing changes while a message is sifted
//! (the table is only read), so "stale now" is "stale when applied": views only get newer.
//!
//! # Why a sync has its own loop
//! A sync is the sender's whole table, and nearly all of it is what the receiver holds
//! already: at N = 10,000 with memberlist's intervals each member merges about 67 entries a
//! period, more than the whole probe traffic costs. So a sync's entries are not decoded into
//! [`Update`]s one by one: each is read from the bytes into registers (the common short
//! varints, as the decoder's fast reader reads them) and compared with the held entry by its
//! packed key ([`table`] lays an entry out so that one shift gives the key). An entry that
//! is no newer, not a suspicion (it may confirm one) and not about this node (it may call for
//! a refutation) is counted and skipped; anything else, and any entry the short reader does
//! not take (a long varint, the last few bytes, bad input), goes to the general reader and
//! [`Sift::update`], so both paths decide alike and errors are named as before. The sender
//! writes its table in ascending ids, so the loop reads the receiver's table forward in one
//! pass; it does not rely on that order (each entry is sifted on its own).

use alloc::vec::Vec;

use crate::node::membership::swim::codec::{self, Update};
use crate::node::membership::swim::table::{self, Entry, MemberState, Table};
use crate::node::membership::swim::SwimError;
use crate::node::NodeId;

/// What a received message's updates are sifted with, and what they sift into.
pub(super) struct Sift<'a> {
    /// The receiver's table (read only).
    pub(super) table: &'a Table,
    /// The updates that may change the view, in wire order.
    pub(super) fresh: &'a mut Vec<Update>,
    /// The receiver.
    pub(super) me: NodeId,
    /// The receiver's own incarnation (the jump rule for updates about itself).
    pub(super) incarnation: u32,
    /// [`super::SwimConfig::incarnation_jump_max`].
    pub(super) jump_max: u32,
    /// Whether the message takes corrections (a piggyback): then every update is kept, so
    /// the answer can correct a stale one.
    pub(super) correct: bool,
    /// Updates dropped as stale.
    pub(super) stale: u64,
}

impl Sift<'_> {
    /// Sifts one decoded update: the jump rule, then kept or counted stale.
    #[inline]
    pub(super) fn update(&mut self, u: &Update) -> Result<(), SwimError> {
        if u.member == self.me {
            check_jump(u, Some(self.incarnation), self.jump_max)?;
            self.fresh.push(*u);
            return Ok(());
        }
        // One read of the table for both the jump rule and staleness.
        let held = self.table.key(u.member);
        check_jump(u, (held != 0).then_some((held >> 3) as u32), self.jump_max)?;
        // The update's key is at least 1 (state codes start at 1), so a held key at least as
        // large is a view this node holds.
        let new = table::key(u.view());
        if !self.correct && u.state != MemberState::Suspect && held >= new {
            self.stale += 1;
        } else {
            self.fresh.push(*u);
        }
        Ok(())
    }

    /// Sifts the `count` updates of a sync at the start of `buf` (ids below `members_max`);
    /// returns the bytes they took. Decides as [`Sift::update`] on every update would.
    pub(super) fn sync(
        &mut self,
        buf: &[u8],
        count: u64,
        members_max: u32,
    ) -> Result<usize, SwimError> {
        // Ids the table holds are below `members_max` too: one bound for both.
        let entries = self.table.entries();
        let held = &entries[..entries.len().min(members_max as usize)];
        let mut pos = 0;
        let mut left = count;
        while left > 0 {
            if !self.correct {
                let rest = buf.get(pos..).unwrap_or_default();
                let (skipped, len) = skip_stale(held, rest, left, self.me);
                self.stale += skipped;
                left -= skipped;
                pos += len;
                if left == 0 {
                    break;
                }
            }
            // The entry the loop stopped at: the general reader and rule.
            let (u, end) = codec::read_update_any(buf, pos, members_max)?;
            self.update(&u)?;
            pos = end;
            left -= 1;
        }
        Ok(pos)
    }
}

// Skips, from the start of `buf`, up to `count` sync entries that change nothing: alive, dead
// or left (not suspect), no newer than the held entry in `held` (the table, cut at
// `members_max`), about a member other than `me`. Returns (entries skipped, their bytes). It
// stops at the first other entry and at any it does not read in its short form (a member id
// below 2^14, an incarnation below 2^7, 8 bytes left): the caller reads that one the general
// way. Not inlined, and no calls inside: the loop's state stays in registers (about 40
// instructions an entry under callgrind, against 85 for decoding an `Update` and sifting it;
// inlined into the message handler it spilled to the stack).
#[inline(never)]
fn skip_stale(held: &[Entry], buf: &[u8], count: u64, me: NodeId) -> (u64, usize) {
    // An entry is read as the 8 bytes from its start (at most 4 are its own).
    let last = buf.len().saturating_sub(8);
    let mut pos = 0;
    let mut skipped = 0;
    while skipped < count && pos <= last && buf.len() >= 8 {
        let mut word = [0; 8];
        word.copy_from_slice(&buf[pos..pos + 8]);
        let w = u64::from_le_bytes(word);
        // The member: one byte, or two with a canonical second byte (1 to 127).
        let (member, member_len) = if w & 0x80 == 0 {
            ((w & 0x7f) as u32, 1)
        } else {
            let b1 = (w >> 8) & 0xff;
            if b1 == 0 || b1 >= 0x80 {
                break;
            }
            ((w & 0x7f | b1 << 7) as u32, 2)
        };
        let rest = w >> (8 * member_len);
        let code = (rest & 0xff) as u32;
        let incarnation = ((rest >> 8) & 0xff) as u32;
        // Alive (1), dead (3) or left (4) with a one-byte incarnation.
        if !matches!(code, 1 | 3 | 4) || incarnation >= 0x80 {
            break;
        }
        if member == me {
            break;
        }
        // A held key at least as large is as new (and then the jump rule holds too: the
        // incarnation is at most the held one).
        match held.get(member as usize) {
            Some(e) if e.key() >= incarnation << 3 | code => {}
            _ => break,
        }
        skipped += 1;
        pos += member_len + 2;
    }
    (skipped, pos)
}

/// An update's incarnation may be at most `jump_max` above the one held (`held`, if any).
pub(super) fn check_jump(u: &Update, held: Option<u32>, jump_max: u32) -> Result<(), SwimError> {
    if let Some(h) = held {
        let max = u64::from(h) + u64::from(jump_max);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::membership::swim::codec::{decode_checked, decode_with, put_header};
    use crate::node::membership::swim::table::{MemberView, INCARNATION_LIMIT};
    use crate::node::membership::swim::SwimLimits;
    use crate::wire::{put_varint, MessageKind};
    use proptest::prelude::*;

    const ME: NodeId = 3;

    fn limits() -> SwimLimits {
        SwimLimits {
            message_bytes_max: 8192,
            members_max: 300,
            piggyback_updates_max: 16,
            sync_updates_per_message_max: 512,
        }
    }

    // The incarnations an entry is drawn from: short and long varints, the limit and beyond.
    const INCARNATIONS: [u32; 9] = [0, 1, 5, 127, 128, 200, 20_000, INCARNATION_LIMIT, u32::MAX];

    fn sift<'a>(table: &'a Table, fresh: &'a mut Vec<Update>, jump_max: u32) -> Sift<'a> {
        Sift {
            table,
            fresh,
            me: ME,
            incarnation: 5,
            jump_max,
            correct: false,
            stale: 0,
        }
    }

    proptest! {
        // The sync loop decides as the general reader and `Sift::update` on every update:
        // the same result (message or error), the same kept updates, the same stale count;
        // over tables and syncs with every state code (valid or not), ids below and beyond
        // `members_max`, long varints, the node itself, any order, and trailing bytes.
        #[test]
        fn the_sync_loop_decides_as_the_general_path(
            held in proptest::collection::vec((0u32..320, 1u8..=4, 0usize..9), 0..40),
            entries in proptest::collection::vec((0u32..320, 0u8..=7, 0usize..9, 0u32..320), 0..60),
            jump_max in prop_oneof![Just(2u32), Just(1 << 16)],
            ascending in any::<bool>(),
            trailing in any::<bool>(),
        ) {
            let mut table = Table::new();
            for &(m, code, inc) in &held {
                let state = MemberState::from_code(code).unwrap();
                let incarnation = INCARNATIONS[inc].min(INCARNATION_LIMIT);
                if m < 300 {
                    table.set(m, MemberView { state, incarnation });
                }
            }
            let mut entries = entries;
            if ascending {
                entries.sort_by_key(|e| e.0);
            }
            let mut bytes = Vec::new();
            put_header(&mut bytes, MessageKind::Sync, 0, 0, 0);
            put_varint(&mut bytes, entries.len() as u64);
            for &(m, code, inc, accuser) in &entries {
                put_varint(&mut bytes, u64::from(m));
                bytes.push(code);
                put_varint(&mut bytes, u64::from(INCARNATIONS[inc]));
                if code == MemberState::Suspect.code() {
                    put_varint(&mut bytes, u64::from(accuser));
                }
            }
            if trailing {
                bytes.push(0);
            }
            let (mut fresh_a, mut fresh_b) = (Vec::new(), Vec::new());
            let mut a = sift(&table, &mut fresh_a, jump_max);
            let want = decode_checked(&bytes, &limits(), |u| a.update(u));
            let stale_a = a.stale;
            let mut b = sift(&table, &mut fresh_b, jump_max);
            let got = decode_with(&bytes, &limits(), |buf, count, members_max| {
                b.sync(buf, count, members_max)
            });
            let stale_b = b.stale;
            prop_assert_eq!(got, want);
            if want.is_ok() {
                prop_assert_eq!(stale_b, stale_a);
                prop_assert_eq!(fresh_b, fresh_a);
            }
        }
    }

    #[test]
    fn a_sync_of_what_is_held_is_all_stale_but_suspicions_and_self() {
        let mut table = Table::new();
        for m in 0..200 {
            let state = [MemberState::Alive, MemberState::Dead, MemberState::Suspect][m % 3];
            table.set(
                m as NodeId,
                MemberView {
                    state,
                    incarnation: (m % 7) as u32,
                },
            );
        }
        let mut bytes = Vec::new();
        put_header(&mut bytes, MessageKind::Sync, 0, 0, 0);
        put_varint(&mut bytes, 200);
        for (m, v) in table.iter() {
            Update {
                member: m,
                state: v.state,
                incarnation: v.incarnation,
                accuser: 1,
            }
            .put(&mut bytes);
        }
        let mut fresh = Vec::new();
        let mut s = sift(&table, &mut fresh, 1 << 16);
        let msg = decode_with(&bytes, &limits(), |buf, count, mm| s.sync(buf, count, mm)).unwrap();
        assert_eq!(msg.len(), 200);
        // The 66 suspects (ids 2, 5, ..., 197) and this node (id 3, alive) are kept.
        assert_eq!(s.stale, 200 - 66 - 1);
        assert_eq!(fresh.len(), 67);
        assert!(fresh
            .iter()
            .all(|u| u.state == MemberState::Suspect || u.member == ME));
    }
}
