//! The bodies of SWIM's messages: how they are laid out, written and validated.
//!
//! ```text
//! ping       = 6  seq:varint target:varint flags updates   flags bit 0: relayed (a helper's)
//! ack        = 7  seq:varint flags               updates   flags bit 0: relayed (by a helper)
//! ping-req   = 8  seq:varint target:varint flags updates   flags bit 0: send a nack
//! nack       = 9  seq:varint                     updates
//! sync       = 10 flags                          updates   flags bit 0: reply wanted
//! sync-reply = 11                                updates
//! updates    = count:varint update*count
//! update     = member:varint state:u8 incarnation:varint [accuser:varint if state = suspect]
//! ```
//! Varints are canonical ([`crate::wire`]); `state` is [`MemberState::code`]. A sequence
//! number fits a `u32`, so a late or duplicate ack is recognised by it.
//!
//! [`decode`] validates the whole message before anything is applied and borrows the updates
//! from the bytes (no allocation): a member or accuser id at or above `members_max` is an
//! unknown member, an incarnation above [`INCARNATION_LIMIT`] an impossible one, more updates
//! than the kind's limit an oversized piggyback, and any other flaw a [`DecodeError`].

use alloc::vec::Vec;

use crate::node::membership::swim::table::{MemberState, MemberView, INCARNATION_LIMIT};
use crate::node::membership::swim::SwimError;
use crate::node::NodeId;
use crate::wire::{self, put_varint, DecodeError, MessageKind, Reader};

/// The most bytes one update takes on the wire (3 varints of a `u32` and the state byte).
pub const UPDATE_BYTES_MAX: usize = 16;
/// The most bytes a header takes (kind, seq, target, flags, count).
pub const HEADER_BYTES_MAX: usize = 1 + 5 + 5 + 1 + 5;

/// One membership update: `member` is `state` at `incarnation`; `accuser` is who suspected it
/// (suspect updates only, for Lifeguard's independent confirmations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Update {
    /// The member it is about.
    pub member: NodeId,
    /// Its state.
    pub state: MemberState,
    /// Its incarnation.
    pub incarnation: u32,
    /// Who suspected it (equal to nobody in particular, 0, for other states).
    pub accuser: NodeId,
}

impl Update {
    /// The view it states (`state` at `incarnation`).
    #[inline]
    pub fn view(&self) -> MemberView {
        MemberView {
            state: self.state,
            incarnation: self.incarnation,
        }
    }

    /// Appends its wire form.
    pub fn put(&self, out: &mut Vec<u8>) {
        let mut buf = [0; UPDATE_BYTES_MAX];
        let n = self.encode(&mut buf);
        push_encoded(out, &buf, n);
    }

    /// Writes its wire form into `buf`; returns its length ([`Update::len`]). Into a fixed
    /// buffer, so a sync or a piggyback writes each update with one copy and measures it
    /// without a second pass.
    #[inline]
    pub fn encode(&self, buf: &mut [u8; UPDATE_BYTES_MAX]) -> usize {
        let n = encode_plain(buf, self.member, self.state.code(), self.incarnation);
        if self.state == MemberState::Suspect {
            return put_varint_u32(buf, n, self.accuser);
        }
        n
    }

    /// Its length on the wire.
    pub fn len(&self) -> usize {
        let accuser = if self.state == MemberState::Suspect {
            wire::varint_len(u64::from(self.accuser))
        } else {
            0
        };
        wire::varint_len(u64::from(self.member))
            + 1
            + wire::varint_len(u64::from(self.incarnation))
            + accuser
    }

    /// Never empty (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Writes the update `member, code, incarnation` without its accuser (so of any state but
/// suspect; `code` is a [`MemberState::code`]) into `buf`; returns its length. What a sync
/// writes from a packed table entry, without making an [`Update`] of it.
#[inline]
pub fn encode_plain(
    buf: &mut [u8; UPDATE_BYTES_MAX],
    member: NodeId,
    code: u8,
    incarnation: u32,
) -> usize {
    let n = put_varint_u32(buf, 0, member);
    buf[n] = code;
    put_varint_u32(buf, n + 1, incarnation)
}

/// Appends the first `len` bytes of an update `encode`d into `buf`. The whole fixed-size
/// buffer is copied and the tail cut off: a copy of a known size is a couple of moves, one of
/// a variable size a call to `memcpy`.
#[inline]
pub fn push_encoded(out: &mut Vec<u8>, buf: &[u8; UPDATE_BYTES_MAX], len: usize) {
    let end = out.len() + len;
    out.extend_from_slice(buf);
    out.truncate(end);
}

// Writes `x` as a varint at `buf[at..]` (at most 5 bytes; the caller leaves room: an update
// is at most 3 of them and the state byte, `UPDATE_BYTES_MAX`); returns the end. Ids below
// 2^14 and small incarnations (nearly every update) take the two straight-line cases, inlined
// into the sync's loop; longer ones the loop, out of line.
#[inline(always)]
fn put_varint_u32(buf: &mut [u8; UPDATE_BYTES_MAX], at: usize, x: u32) -> usize {
    if x < 0x80 {
        buf[at] = x as u8;
        return at + 1;
    }
    if x < 0x4000 {
        buf[at] = (x as u8) | 0x80;
        buf[at + 1] = (x >> 7) as u8;
        return at + 2;
    }
    put_varint_u32_long(buf, at, x)
}

#[inline(never)]
fn put_varint_u32_long(buf: &mut [u8; UPDATE_BYTES_MAX], mut at: usize, mut x: u32) -> usize {
    while x >= 0x80 {
        buf[at] = (x as u8) | 0x80;
        x >>= 7;
        at += 1;
    }
    buf[at] = x as u8;
    at + 1
}

/// A validated SWIM message, borrowed from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwimMessage<'a> {
    /// Its kind (one of the six SWIM kinds).
    pub kind: MessageKind,
    /// Sequence number (ping, ack, ping-req, nack; 0 otherwise).
    pub seq: u32,
    /// The member to ping (ping, ping-req; 0 otherwise).
    pub target: NodeId,
    /// Flags (ping-req: nack wanted; sync: reply wanted).
    pub flags: u8,
    count: u32,
    updates: &'a [u8],
}

/// A ping's or an ack's flag: sent by a ping-req helper on another's behalf (so a viewer can
/// draw the indirect path apart).
pub const FLAG_RELAYED: u8 = 1;
/// A ping-req's flag: the requester wants a nack if the target does not answer.
pub const FLAG_NACK: u8 = 1;
/// A sync's flag: the sender wants the receiver's table back.
pub const FLAG_REPLY: u8 = 1;

/// What the decoder accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwimLimits {
    /// Longest message in bytes.
    pub message_bytes_max: u32,
    /// Ids at or above it are unknown members.
    pub members_max: u32,
    /// Most updates on a ping, ack, ping-req or nack.
    pub piggyback_updates_max: u32,
    /// Most updates on a sync or sync-reply.
    pub sync_updates_per_message_max: u32,
}

impl<'a> SwimMessage<'a> {
    /// How many updates it carries.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether it carries none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether it is a ping or ack of the indirect path (a helper's ping to the target, or
    /// the ack it relays to the requester).
    pub fn relayed(&self) -> bool {
        matches!(self.kind, MessageKind::Ping | MessageKind::Ack) && self.flags & FLAG_RELAYED != 0
    }

    /// Its updates, in wire order (already validated).
    pub fn updates(&self) -> impl Iterator<Item = Update> + 'a {
        let mut r = Reader::new(self.updates);
        (0..self.count).filter_map(move |_| match read_update_fast(r.rest(), u32::MAX) {
            Some((u, len)) => {
                r.advance(len);
                Some(u)
            }
            None => read_update(&mut r, u32::MAX).ok(),
        })
    }
}

/// Whether `kind` is one of SWIM's.
pub fn is_swim(kind: MessageKind) -> bool {
    kind.body() == wire::Body::Swim
}

/// Validates a whole SWIM message (see the module docs). Changes no state.
pub fn decode<'a>(bytes: &'a [u8], limits: &SwimLimits) -> Result<SwimMessage<'a>, SwimError> {
    decode_checked(bytes, limits, |_| Ok(()))
}

/// [`decode`], with `check` called on every update in the same pass (the receiver's
/// incarnation-jump rule), so a large sync is read twice (validated, then applied), not three
/// times.
pub fn decode_checked<'a>(
    bytes: &'a [u8],
    limits: &SwimLimits,
    mut check: impl FnMut(&Update) -> Result<(), SwimError>,
) -> Result<SwimMessage<'a>, SwimError> {
    decode_with(bytes, limits, |buf, count, members_max| {
        read_updates(buf, count, members_max, &mut check)
    })
}

/// [`decode`], with the updates read by `read`: given the bytes after the update count, the
/// count (within the kind's limit) and `members_max`, it validates that many updates and
/// returns the bytes they took (the rest must be empty). What a sync's receiver uses to sift
/// its entries against the table without making an [`Update`] of each
/// ([`super::sift::Sift::sync`]).
pub(crate) fn decode_with<'a>(
    bytes: &'a [u8],
    limits: &SwimLimits,
    read: impl FnOnce(&'a [u8], u64, u32) -> Result<usize, SwimError>,
) -> Result<SwimMessage<'a>, SwimError> {
    let codec_limits = wire::CodecLimits {
        message_bytes_max: limits.message_bytes_max,
        ..wire::CodecLimits::default()
    };
    let frame = wire::frame(bytes, &codec_limits)?;
    if !is_swim(frame.kind) {
        return Err(DecodeError::UnknownKind(frame.kind as u8).into());
    }
    let mut r = Reader::new(frame.body);
    let kind = frame.kind;
    let (seq, target, flags) = read_header(&mut r, kind, limits.members_max)?;
    let count = r.varint("update count")?;
    let max = if matches!(kind, MessageKind::Sync | MessageKind::SyncReply) {
        limits.sync_updates_per_message_max
    } else {
        limits.piggyback_updates_max
    };
    if count > u64::from(max) {
        return Err(SwimError::Oversized { count, max });
    }
    let start = r.pos();
    let len = read(r.rest(), count, limits.members_max)?;
    r.advance(len);
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes {
            count: r.remaining(),
        }
        .into());
    }
    Ok(SwimMessage {
        kind,
        seq,
        target,
        flags,
        count: count as u32,
        updates: r.rest_from(start),
    })
}

// Reads `count` updates from `buf`, calling `check` on each; returns the bytes they took. Its
// own function, not inlined into the message handler around it: the loop keeps its state in
// registers, and the bytes are read from a local slice and position, not through a reader.
#[inline(never)]
fn read_updates(
    buf: &[u8],
    count: u64,
    members_max: u32,
    check: &mut impl FnMut(&Update) -> Result<(), SwimError>,
) -> Result<usize, SwimError> {
    let mut pos = 0;
    for _ in 0..count {
        let (u, end) = read_update_any(buf, pos, members_max)?;
        pos = end;
        check(&u)?;
    }
    Ok(pos)
}

/// The update at `buf[pos..]` (ids below `members_max`) and where it ends: by the fast
/// reader when it takes it, else by the general one, from the same place (the last bytes, a
/// long varint, or bad input it names).
#[inline]
pub(crate) fn read_update_any(
    buf: &[u8],
    pos: usize,
    members_max: u32,
) -> Result<(Update, usize), SwimError> {
    if let Some((u, len)) = buf
        .get(pos..)
        .and_then(|b| read_update_fast(b, members_max))
    {
        return Ok((u, pos + len));
    }
    let mut at = Reader::new(buf);
    at.advance(pos);
    let u = read_update(&mut at, members_max)?;
    Ok((u, at.pos()))
}

/// Whether `head`, the first bytes of a SWIM message (the header suffices: the updates may be
/// cut off), is a ping or an ack of the indirect path, as [`SwimMessage::relayed`] says of the
/// whole message. For a viewer that holds only a message's head (the network keeps no more of
/// a message it dropped); `false` for another kind or bytes that do not start a valid header.
pub fn head_is_relayed(head: &[u8], members_max: u32) -> bool {
    let Some((&first, body)) = head.split_first() else {
        return false;
    };
    let kind = match MessageKind::from_byte(first) {
        Some(k @ (MessageKind::Ping | MessageKind::Ack)) => k,
        _ => return false,
    };
    let mut r = Reader::new(body);
    read_header(&mut r, kind, members_max).is_ok_and(|(_, _, flags)| flags & FLAG_RELAYED != 0)
}

// The fields between the kind and the updates, as `kind` has them: (seq, target, flags), 0
// for a field the kind lacks.
fn read_header(
    r: &mut Reader<'_>,
    kind: MessageKind,
    members_max: u32,
) -> Result<(u32, NodeId, u8), SwimError> {
    let has_seq = matches!(
        kind,
        MessageKind::Ping | MessageKind::Ack | MessageKind::PingReq | MessageKind::Nack
    );
    let seq = if has_seq { u32_field(r, "seq")? } else { 0 };
    let target = if matches!(kind, MessageKind::Ping | MessageKind::PingReq) {
        member_field(r, "target", members_max)?
    } else {
        0
    };
    let flags = if has_flags(kind) {
        let f = r.byte("flags")?;
        if f & !1 != 0 {
            return Err(DecodeError::OutOfRange { field: "flags" }.into());
        }
        f
    } else {
        0
    };
    Ok((seq, target, flags))
}

fn has_flags(kind: MessageKind) -> bool {
    matches!(
        kind,
        MessageKind::Ping | MessageKind::Ack | MessageKind::PingReq | MessageKind::Sync
    )
}

fn u32_field(r: &mut Reader<'_>, field: &'static str) -> Result<u32, SwimError> {
    let x = r.varint(field)?;
    u32::try_from(x).map_err(|_| DecodeError::OutOfRange { field }.into())
}

fn member_field(r: &mut Reader<'_>, field: &'static str, max: u32) -> Result<NodeId, SwimError> {
    let id = r.varint(field)?;
    if id >= u64::from(max) {
        return Err(SwimError::UnknownMember { field, id });
    }
    Ok(id as NodeId)
}

// The common update (ids and incarnations of one or two varint bytes, all valid, at least
// `FAST_BYTES` left) without the general reader; `None` for anything else, which
// `read_update` then reads (or rejects with its exact error) from the same place. Returns the
// update and its length.
#[inline]
fn read_update_fast(buf: &[u8], members_max: u32) -> Option<(Update, usize)> {
    // The longest update read here is 7 bytes; a shorter rest goes the general way.
    let b: &[u8; FAST_BYTES] = buf.get(..FAST_BYTES)?.try_into().ok()?;
    let (member, n) = varint_short(b, 0)?;
    let state = MemberState::from_code(b[n])?;
    let (incarnation, mut n) = varint_short(b, n + 1)?;
    let mut accuser = 0;
    if state == MemberState::Suspect {
        (accuser, n) = varint_short(b, n)?;
        if accuser >= members_max {
            return None;
        }
    }
    if member >= members_max {
        return None;
    }
    let u = Update {
        member,
        state,
        incarnation,
        accuser,
    };
    Some((u, n))
}

// The bytes `read_update_fast` looks at: three varints of at most 2 bytes and the state.
const FAST_BYTES: usize = 7;

// A canonical varint of one or two bytes at `b[at..]` (`at` at most 5; below 2^14, so within
// every limit on incarnations): its value and end; `None` otherwise.
#[inline]
fn varint_short(b: &[u8; FAST_BYTES], at: usize) -> Option<(u32, usize)> {
    let b0 = b[at];
    if b0 < 0x80 {
        return Some((u32::from(b0), at + 1));
    }
    let b1 = b[at + 1];
    // A second byte of 0 would not be canonical; one with its high bit set is longer.
    if b1 == 0 || b1 >= 0x80 {
        return None;
    }
    Some((u32::from(b0 & 0x7f) | u32::from(b1) << 7, at + 2))
}

fn read_update(r: &mut Reader<'_>, members_max: u32) -> Result<Update, SwimError> {
    let member = member_field(r, "update.member", members_max)?;
    let code = r.byte("update.state")?;
    let state = MemberState::from_code(code).ok_or(DecodeError::OutOfRange {
        field: "update.state",
    })?;
    let incarnation = r.varint("update.incarnation")?;
    if incarnation > u64::from(INCARNATION_LIMIT) {
        return Err(SwimError::Incarnation {
            member,
            got: incarnation,
            max: u64::from(INCARNATION_LIMIT),
        });
    }
    let accuser = if state == MemberState::Suspect {
        member_field(r, "update.accuser", members_max)?
    } else {
        0
    };
    Ok(Update {
        member,
        state,
        incarnation: incarnation as u32,
        accuser,
    })
}

/// Writes a message header (kind, then the fields the kind has) into `out`, cleared first;
/// the caller appends the update count and the updates.
pub fn put_header(out: &mut Vec<u8>, kind: MessageKind, seq: u32, target: NodeId, flags: u8) {
    out.clear();
    out.push(kind as u8);
    if matches!(
        kind,
        MessageKind::Ping | MessageKind::Ack | MessageKind::PingReq | MessageKind::Nack
    ) {
        put_varint(out, u64::from(seq));
    }
    if matches!(kind, MessageKind::Ping | MessageKind::PingReq) {
        put_varint(out, u64::from(target));
    }
    if has_flags(kind) {
        out.push(flags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn limits() -> SwimLimits {
        SwimLimits {
            message_bytes_max: 8192,
            members_max: 100,
            piggyback_updates_max: 4,
            sync_updates_per_message_max: 64,
        }
    }

    fn message(kind: MessageKind, seq: u32, target: NodeId, flags: u8, ups: &[Update]) -> Vec<u8> {
        let mut out = Vec::new();
        put_header(&mut out, kind, seq, target, flags);
        put_varint(&mut out, ups.len() as u64);
        for u in ups {
            u.put(&mut out);
        }
        out
    }

    fn up(member: NodeId, state: MemberState, incarnation: u32) -> Update {
        Update {
            member,
            state,
            incarnation,
            accuser: if state == MemberState::Suspect { 7 } else { 0 },
        }
    }

    #[test]
    fn every_kind_round_trips_with_its_updates() {
        let ups = [
            up(3, MemberState::Suspect, 2),
            up(99, MemberState::Left, INCARNATION_LIMIT),
        ];
        for kind in [
            MessageKind::Ping,
            MessageKind::Ack,
            MessageKind::PingReq,
            MessageKind::Nack,
            MessageKind::Sync,
            MessageKind::SyncReply,
        ] {
            let bytes = message(kind, 300, 42, 1, &ups);
            let m = decode(&bytes, &limits()).unwrap();
            assert_eq!(m.kind, kind);
            assert_eq!(m.updates().collect::<Vec<_>>(), ups);
            let len: usize = ups.iter().map(Update::len).sum();
            assert!(bytes.len() > len);
        }
    }

    #[test]
    fn bad_input_is_named() {
        let l = limits();
        let ping = |ups: &[Update]| message(MessageKind::Ping, 1, 2, 0, ups);
        assert_eq!(
            decode(&message(MessageKind::Ping, 1, 100, 0, &[]), &l),
            Err(SwimError::UnknownMember {
                field: "target",
                id: 100
            })
        );
        let five = [up(1, MemberState::Alive, 0); 5];
        assert_eq!(
            decode(&ping(&five), &l),
            Err(SwimError::Oversized { count: 5, max: 4 })
        );
        let mut big = ping(&[up(1, MemberState::Alive, 0)]);
        let n = big.len();
        big.truncate(n - 1);
        put_varint(&mut big, u64::from(INCARNATION_LIMIT) + 1);
        assert!(matches!(
            decode(&big, &l),
            Err(SwimError::Incarnation { member: 1, .. })
        ));
        let mut bad_state = ping(&[up(1, MemberState::Alive, 0)]);
        let n = bad_state.len();
        bad_state[n - 2] = 9;
        assert_eq!(
            decode(&bad_state, &l),
            Err(SwimError::Decode(DecodeError::OutOfRange {
                field: "update.state"
            }))
        );
        let mut trailing = ping(&[]);
        trailing.push(0);
        assert_eq!(
            decode(&trailing, &l),
            Err(SwimError::Decode(DecodeError::TrailingBytes { count: 1 }))
        );
        assert_eq!(
            decode(&[MessageKind::Push as u8, 0], &l),
            Err(SwimError::Decode(DecodeError::UnknownKind(1)))
        );
        assert_eq!(
            decode(&message(MessageKind::Sync, 0, 0, 2, &[]), &l),
            Err(SwimError::Decode(DecodeError::OutOfRange {
                field: "flags"
            }))
        );
        assert!(decode(&vec![6u8; 8193], &l).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..64), kind in 6u8..=11) {
            let mut b = vec![kind];
            b.extend_from_slice(&bytes);
            if let Ok(m) = decode(&b, &limits()) {
                prop_assert_eq!(m.updates().count(), m.len());
            }
            let _ = decode(&bytes, &limits());
        }

        #[test]
        fn the_fast_update_reader_agrees_with_the_general_one(bytes in proptest::collection::vec(any::<u8>(), 0..12), members_max in 1u32..20_000) {
            // Whatever it accepts, the general reader reads the same way; what it declines,
            // the general reader handles (or rejects with its own error).
            if let Some((u, len)) = read_update_fast(&bytes, members_max) {
                let mut r = Reader::new(&bytes);
                prop_assert_eq!(read_update(&mut r, members_max), Ok(u));
                prop_assert_eq!(r.pos(), len);
            }
        }

        #[test]
        fn encode_writes_what_put_varint_writes(member in any::<u32>(), code in 1u8..=4, incarnation in 0..=INCARNATION_LIMIT, accuser in any::<u32>()) {
            let state = MemberState::from_code(code).unwrap();
            let u = Update { member, state, incarnation, accuser };
            let mut want = Vec::new();
            put_varint(&mut want, u64::from(member));
            want.push(code);
            put_varint(&mut want, u64::from(incarnation));
            if state == MemberState::Suspect {
                put_varint(&mut want, u64::from(accuser));
            }
            let mut got = Vec::new();
            u.put(&mut got);
            prop_assert_eq!(got.len(), u.len());
            prop_assert_eq!(got, want);
        }
    }
}
