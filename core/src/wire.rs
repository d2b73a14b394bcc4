//! The framing every message shares: the kind byte, varints, the bounded reader, the decode
//! errors and the limits, and the one frozen table of message kinds.
//!
//! Why hand-written rather than serde + postcard: the byte counts are the bandwidth figures the
//! app shows, so the format must be documented here and never drift with a dependency release;
//! decoding validates a whole message *before* anything is applied and then reads it straight
//! out of the received bytes (no allocation per message); and every error names the field that
//! was wrong. The format is small enough that this costs less than a dependency.
//!
//! # Framing
//! ```text
//! message = kind:u8 body
//! ```
//! The first byte names the kind, from [`KINDS`]; the body's layout belongs to the protocol
//! that sends the kind (the entry lists of the dissemination protocols are in
//! [`crate::codec`]). This module knows of a body only its [`Body`] shape, which is what lets
//! a new protocol add kinds whose bodies are not lists of entries (digests, probes) without
//! touching the framing. [`frame`] checks the length, the kind byte and, for a kind whose body
//! is [`Body::Nothing`], that nothing follows it; a body's own codec checks the rest.
//!
//! # The kind table is frozen
//! A kind's byte, its name and whether it carries data never change once released, because a
//! permalink replays recorded runs byte for byte and the app shows these bytes: [`KINDS`] is
//! only ever appended to, and a test pins every row.
//!
//! # Varints
//! Integers are unsigned LEB128 varints; a varint must be canonical (no redundant trailing zero
//! groups), so each message has exactly one encoding and one size. Decoding never panics: every
//! error is a [`DecodeError`], and decoding changes no state.

use alloc::vec::Vec;
use core::fmt;

/// Upper bound for [`CodecLimits::message_bytes_max`].
pub const MESSAGE_BYTES_LIMIT: u32 = 1 << 20;
/// The most bytes a varint of a `u64` takes.
pub const VARINT_BYTES_MAX: usize = 10;

/// The kind of a message: the first byte on the wire (see [`KINDS`] for what each carries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum MessageKind {
    /// Entries sent without asking for anything back.
    Push = 1,
    /// A request for the receiver's entries (pull); carries nothing.
    Request = 2,
    /// Entries sent together with a request for the receiver's entries.
    PushPull = 3,
    /// The answer to a `Request` or `PushPull`.
    Reply = 4,
    /// Rumor-mongering feedback: the rumors the sender of this message already knew.
    Feedback = 5,
    /// SWIM: a probe of the receiver (sequence number, target, piggybacked updates).
    Ping = 6,
    /// SWIM: the answer to a ping, direct or relayed by a ping-req helper.
    Ack = 7,
    /// SWIM: a request to ping a target on the sender's behalf and relay its ack.
    PingReq = 8,
    /// SWIM (Lifeguard): a ping-req helper's word that the target did not answer in time.
    Nack = 9,
    /// SWIM: a push-pull state sync, part of the sender's member table.
    Sync = 10,
    /// SWIM: the answer to a sync, part of the receiver's member table.
    SyncReply = 11,
    /// Heartbeat gossip: the sender's heartbeat table (see [`crate::node::membership::heartbeat`]).
    Heartbeat = 16,
    /// Anti-entropy: one message of a reconciliation session (see
    /// [`crate::node::anti_entropy`]): `session:varint` then a [`crate::reconcile`] message.
    Reconcile = 17,
}

/// The layout of a kind's body, as far as the framing needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Nothing follows the kind byte.
    Nothing,
    /// A list of entries (key, version, value or tombstone); see [`crate::codec`].
    Entries,
    /// A list of (key, version) pairs without values; see [`crate::codec`].
    Versions,
    /// A heartbeat table (member, generation, counter); see [`crate::node::membership::heartbeat::codec`].
    Heartbeats,
    /// A SWIM message: header fields and membership updates; see
    /// [`crate::node::membership::swim::codec`].
    Swim,
    /// A reconciliation session message: `session:varint` (the initiator's session number
    /// shifted left once, low bit set when the initiator sent it) then the session's message
    /// (strategy byte and body, see [`crate::reconcile`]); see [`crate::node::anti_entropy`].
    Reconcile,
}

/// One row of the kind table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// The kind; `kind as u8` is its byte on the wire.
    pub kind: MessageKind,
    /// A short lowercase name, for display.
    pub name: &'static str,
    /// The layout of its body.
    pub body: Body,
    /// Whether its messages carry data (entries that can teach the receiver a version). Counted
    /// as `messages_data` in [`crate::sim::RoundRecord`]; a message of a kind without data is
    /// never news for any key, so a viewer need not look inside it.
    pub carries_data: bool,
}

/// Every message kind, in ascending byte order. Appended to, never changed. Bytes 1 to 5 are
/// dissemination's, 6 to 15 SWIM's (12 to 15 free for its later kinds), 16 on heartbeat
/// gossip's, 17 anti-entropy's.
pub const KINDS: [KindSpec; 13] = [
    KindSpec {
        kind: MessageKind::Push,
        name: "push",
        body: Body::Entries,
        carries_data: true,
    },
    KindSpec {
        kind: MessageKind::Request,
        name: "request",
        body: Body::Nothing,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::PushPull,
        name: "push-pull",
        body: Body::Entries,
        carries_data: true,
    },
    KindSpec {
        kind: MessageKind::Reply,
        name: "reply",
        body: Body::Entries,
        carries_data: true,
    },
    KindSpec {
        kind: MessageKind::Feedback,
        name: "feedback",
        body: Body::Versions,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::Ping,
        name: "ping",
        body: Body::Swim,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::Ack,
        name: "ack",
        body: Body::Swim,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::PingReq,
        name: "ping-req",
        body: Body::Swim,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::Nack,
        name: "nack",
        body: Body::Swim,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::Sync,
        name: "sync",
        body: Body::Swim,
        carries_data: false,
    },
    KindSpec {
        kind: MessageKind::SyncReply,
        name: "sync-reply",
        body: Body::Swim,
        carries_data: false,
    },
    // Bytes 12 to 15 are kept for SWIM's later kinds; heartbeat gossip starts at 16.
    KindSpec {
        kind: MessageKind::Heartbeat,
        name: "heartbeat",
        body: Body::Heartbeats,
        carries_data: false,
    },
    // Anti-entropy sessions: their entries are inside the session message, which only
    // `crate::reconcile` reads, so a viewer treats the kind as carrying data.
    KindSpec {
        kind: MessageKind::Reconcile,
        name: "reconcile",
        body: Body::Reconcile,
        carries_data: true,
    },
];

impl MessageKind {
    /// The kind for a wire byte, if it names one.
    pub fn from_byte(b: u8) -> Option<MessageKind> {
        KINDS
            .iter()
            .find(|spec| spec.kind as u8 == b)
            .map(|spec| spec.kind)
    }

    /// Its row of [`KINDS`].
    pub fn spec(self) -> &'static KindSpec {
        // The rows are in ascending byte order, without gaps up to the dissemination kinds, so
        // row `byte - 1` is the one for those; later protocols' blocks of bytes may leave gaps
        // while they are built on separate branches, so the others are searched for.
        let fast = KINDS
            .get(self as usize - 1)
            .filter(|spec| spec.kind == self);
        let spec = fast
            .or_else(|| KINDS.iter().find(|spec| spec.kind == self))
            .unwrap_or(&KINDS[0]);
        debug_assert_eq!(spec.kind, self, "every kind has a row in KINDS");
        spec
    }

    /// Whether messages of this kind carry data (and can teach the receiver something).
    pub fn carries_data(self) -> bool {
        self.spec().carries_data
    }

    /// The layout of its body.
    pub fn body(self) -> Body {
        self.spec().body
    }

    /// A short lowercase name, for display.
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

/// What a decoder accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodecLimits {
    /// Longest message in bytes.
    pub message_bytes_max: u32,
    /// Most entries (or feedback items) in one message.
    pub entries_per_message_max: u32,
    /// Longest key in bytes.
    pub key_bytes_max: u32,
    /// Longest value in bytes.
    pub value_bytes_max: u32,
}

impl Default for CodecLimits {
    fn default() -> Self {
        CodecLimits {
            message_bytes_max: 8192,
            entries_per_message_max: 256,
            key_bytes_max: 64,
            value_bytes_max: 256,
        }
    }
}

/// Why bytes are not a valid message. Decoding changes no state, so neither does any error.
/// One type for the framing and every body codec, so a receiver handles one error whatever
/// the kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes at all.
    Empty,
    /// Longer than `message_bytes_max`.
    MessageTooLong {
        /// Length of the input.
        len: usize,
        /// The limit.
        max: u32,
    },
    /// The first byte names no message kind.
    UnknownKind(u8),
    /// The input ended inside the named field.
    Truncated {
        /// The field being read.
        field: &'static str,
    },
    /// A varint longer than 10 bytes or above `u64::MAX`.
    VarintOverflow {
        /// The field being read.
        field: &'static str,
    },
    /// A varint with redundant zero groups.
    VarintNotCanonical {
        /// The field being read.
        field: &'static str,
    },
    /// A number too large for its field (an origin above `u32::MAX`).
    OutOfRange {
        /// The field being read.
        field: &'static str,
    },
    /// More entries than `entries_per_message_max`.
    TooManyEntries {
        /// The count on the wire.
        count: u64,
        /// The limit.
        max: u32,
    },
    /// A key longer than `key_bytes_max`.
    KeyTooLong {
        /// The length on the wire.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// A value longer than `value_bytes_max`.
    ValueTooLong {
        /// The length on the wire.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// A value tag other than 0 (tombstone) or 1 (value).
    BadValueTag(u8),
    /// Bytes left over after the last entry.
    TrailingBytes {
        /// How many.
        count: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty message"),
            DecodeError::MessageTooLong { len, max } => {
                write!(f, "message is {len} bytes, message_bytes_max is {max}")
            }
            DecodeError::UnknownKind(b) => write!(f, "unknown message kind {b}"),
            DecodeError::Truncated { field } => write!(f, "message ends inside {field}"),
            DecodeError::VarintOverflow { field } => write!(f, "{field} overflows 64 bits"),
            DecodeError::VarintNotCanonical { field } => {
                write!(f, "{field} is not a canonical varint")
            }
            DecodeError::OutOfRange { field } => write!(f, "{field} is out of range"),
            DecodeError::TooManyEntries { count, max } => {
                write!(f, "{count} entries, entries_per_message_max is {max}")
            }
            DecodeError::KeyTooLong { len, max } => {
                write!(f, "key of {len} bytes, key_bytes_max is {max}")
            }
            DecodeError::ValueTooLong { len, max } => {
                write!(f, "value of {len} bytes, value_bytes_max is {max}")
            }
            DecodeError::BadValueTag(t) => write!(f, "value tag {t} is neither 0 nor 1"),
            DecodeError::TrailingBytes { count } => {
                write!(f, "{count} bytes after the last entry")
            }
        }
    }
}

/// A message whose framing is valid: its kind, and its body still to be checked by the body's
/// codec (for [`Body::Nothing`] the body is already known to be empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The kind named by the first byte.
    pub kind: MessageKind,
    /// Every byte after it.
    pub body: &'a [u8],
}

/// Checks the framing of `bytes`: the length against `message_bytes_max`, the kind byte, and
/// that a kind without a body has none. The checks run in that order, so the first error named
/// is the same whatever the body codec.
pub fn frame<'a>(bytes: &'a [u8], limits: &CodecLimits) -> Result<Frame<'a>, DecodeError> {
    if bytes.len() > limits.message_bytes_max as usize {
        return Err(DecodeError::MessageTooLong {
            len: bytes.len(),
            max: limits.message_bytes_max,
        });
    }
    let (&first, body) = bytes.split_first().ok_or(DecodeError::Empty)?;
    let kind = MessageKind::from_byte(first).ok_or(DecodeError::UnknownKind(first))?;
    if kind.body() == Body::Nothing && !body.is_empty() {
        return Err(DecodeError::TrailingBytes { count: body.len() });
    }
    Ok(Frame { kind, body })
}

/// A cursor over received bytes that never reads past their end: every read either returns
/// what it read or a [`DecodeError`] naming the field.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// How many bytes have been read.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// Skips `n` bytes (at most [`Reader::remaining`]; a fast decoder that read them from
    /// [`Reader::rest`]).
    pub fn advance(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// The bytes from `start` (an earlier [`Reader::pos`]) to the end.
    pub fn rest_from(&self, start: usize) -> &'a [u8] {
        &self.buf[start..]
    }

    /// One byte.
    pub fn byte(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or(DecodeError::Truncated { field })?;
        self.pos += 1;
        Ok(b)
    }

    /// One canonical varint.
    pub fn varint(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        // One byte below 0x80 is the common case (ids, states, small incarnations) and is
        // always canonical: read it without the loop.
        if let Some(&b) = self.buf.get(self.pos) {
            if b & 0x80 == 0 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        let mut x: u64 = 0;
        for i in 0..VARINT_BYTES_MAX {
            let b = self.byte(field)?;
            let low = u64::from(b & 0x7f);
            if i == VARINT_BYTES_MAX - 1 && b > 1 {
                return Err(DecodeError::VarintOverflow { field });
            }
            x |= low << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(DecodeError::VarintNotCanonical { field });
                }
                return Ok(x);
            }
        }
        Err(DecodeError::VarintOverflow { field })
    }

    /// `len` bytes, borrowed from the input.
    pub fn bytes(&mut self, len: u64, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let left = self.remaining() as u64;
        if len > left {
            return Err(DecodeError::Truncated { field });
        }
        let s = &self.buf[self.pos..self.pos + len as usize];
        self.pos += len as usize;
        Ok(s)
    }
}

/// Appends `x` as a canonical varint.
#[inline]
pub fn put_varint(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push((x as u8) | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// Bytes a varint of `x` takes.
#[inline]
pub const fn varint_len(x: u64) -> usize {
    let bits = 64 - (x | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn the_kind_table_is_frozen_bytes_names_bodies_and_data() {
        let rows: Vec<(u8, &str, Body, bool)> = KINDS
            .iter()
            .map(|k| (k.kind as u8, k.name, k.body, k.carries_data))
            .collect();
        // Appending a row is fine; changing one breaks every recorded run.
        assert_eq!(
            rows,
            [
                (1, "push", Body::Entries, true),
                (2, "request", Body::Nothing, false),
                (3, "push-pull", Body::Entries, true),
                (4, "reply", Body::Entries, true),
                (5, "feedback", Body::Versions, false),
                (6, "ping", Body::Swim, false),
                (7, "ack", Body::Swim, false),
                (8, "ping-req", Body::Swim, false),
                (9, "nack", Body::Swim, false),
                (10, "sync", Body::Swim, false),
                (11, "sync-reply", Body::Swim, false),
                (16, "heartbeat", Body::Heartbeats, false),
                (17, "reconcile", Body::Reconcile, true),
            ]
        );
        for (i, k) in KINDS.iter().enumerate() {
            if i > 0 {
                assert!(KINDS[i - 1].kind < k.kind, "row {i} is in byte order");
            }
            assert_eq!(MessageKind::from_byte(k.kind as u8), Some(k.kind));
            assert_eq!(k.kind.spec(), k);
        }
        assert_eq!(MessageKind::from_byte(0), None);
        assert_eq!(MessageKind::from_byte(18), None);
    }

    #[test]
    fn framing_checks_length_then_kind_then_an_empty_body() {
        let l = CodecLimits::default();
        assert_eq!(frame(&[], &l), Err(DecodeError::Empty));
        assert_eq!(frame(&[0], &l), Err(DecodeError::UnknownKind(0)));
        assert_eq!(
            frame(&[2, 0], &l),
            Err(DecodeError::TrailingBytes { count: 1 })
        );
        assert_eq!(
            frame(&vec![9u8; 8193], &l),
            Err(DecodeError::MessageTooLong {
                len: 8193,
                max: 8192
            })
        );
        // A body is not looked at: its codec checks it.
        assert_eq!(
            frame(&[1, 0xff], &l),
            Ok(Frame {
                kind: MessageKind::Push,
                body: &[0xff]
            })
        );
    }

    #[test]
    fn varint_len_matches_put_varint() {
        for x in [0u64, 1, 127, 128, 16_383, 16_384, u64::MAX / 2, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, x);
            assert_eq!(out.len(), varint_len(x), "{x}");
            assert_eq!(Reader::new(&out).varint("x"), Ok(x));
        }
    }
}
