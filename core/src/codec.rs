//! The wire format of every protocol message: compact, hand-written, and frozen.
//!
//! Why hand-written rather than serde + postcard: the byte counts are the bandwidth figures the
//! app shows, so the format must be documented here and never drift with a dependency release;
//! decoding validates a whole message *before* anything is applied and then iterates entries
//! straight out of the received bytes (no allocation per message); and every error names the
//! field that was wrong. The format is small enough that this costs less than a dependency.
//!
//! # Format
//! Integers are unsigned LEB128 varints ("varint"); a varint must be canonical (no redundant
//! trailing zero groups) so each message has exactly one encoding and one size.
//!
//! ```text
//! message  = kind:u8 body
//! kind     = 1 Push | 2 Request | 3 PushPull | 4 Reply | 5 Feedback
//! Request  body is empty
//! Push, PushPull, Reply body = count:varint entry*count
//! Feedback body              = count:varint known*count
//! entry    = key_len:varint key counter:varint origin:varint tag:u8 [value_len:varint value]
//!            (tag 0 = tombstone with no value, 1 = value follows)
//! known    = key_len:varint key counter:varint origin:varint
//! ```
//!
//! Decoding never panics. [`decode`] checks the whole message against [`CodecLimits`]
//! (`message_bytes_max`, `entries_per_message_max`, `key_bytes_max`, `value_bytes_max`) and
//! returns a [`DecodeError`] naming what was wrong; only a message that passed is handed out, so
//! a receiver that decodes first and applies second never half-applies a bad message.

use alloc::vec::Vec;
use core::fmt;

use crate::node::NodeId;
use crate::store::Version;

/// Upper bound for [`CodecLimits::message_bytes_max`].
pub const MESSAGE_BYTES_LIMIT: u32 = 1 << 20;
/// Upper bound for [`CodecLimits::entries_per_message_max`].
pub const ENTRIES_PER_MESSAGE_LIMIT: u32 = 1 << 16;
/// The most bytes a varint of a `u64` takes.
pub const VARINT_BYTES_MAX: usize = 10;

/// The kind of a message: the first byte on the wire.
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
}

impl MessageKind {
    /// The kind for a wire byte, if it names one.
    pub fn from_byte(b: u8) -> Option<MessageKind> {
        Some(match b {
            1 => MessageKind::Push,
            2 => MessageKind::Request,
            3 => MessageKind::PushPull,
            4 => MessageKind::Reply,
            5 => MessageKind::Feedback,
            _ => return None,
        })
    }

    /// Whether messages of this kind carry entries (and can teach the receiver something).
    pub fn carries_entries(self) -> bool {
        matches!(
            self,
            MessageKind::Push | MessageKind::PushPull | MessageKind::Reply
        )
    }

    /// A short lowercase name, for display.
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::Push => "push",
            MessageKind::Request => "request",
            MessageKind::PushPull => "push-pull",
            MessageKind::Reply => "reply",
            MessageKind::Feedback => "feedback",
        }
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

/// One entry as it appears in a received message, borrowed from the message bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryRef<'a> {
    /// The key.
    pub key: &'a [u8],
    /// The version.
    pub version: Version,
    /// The value; `None` for a tombstone (and always `None` in feedback items).
    pub value: Option<&'a [u8]>,
}

/// A validated message, borrowed from its bytes. Produced only by [`decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageRef<'a> {
    kind: MessageKind,
    count: u32,
    items: &'a [u8],
}

impl<'a> MessageRef<'a> {
    /// The message kind.
    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    /// How many entries or feedback items it carries.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether it carries no entries or feedback items.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The entries (or feedback items, whose `value` is `None`), in wire order.
    pub fn entries(&self) -> Entries<'a> {
        Entries {
            r: Reader {
                buf: self.items,
                pos: 0,
            },
            left: self.count,
            with_value: self.kind != MessageKind::Feedback,
        }
    }

    /// An owned copy, for tests and tools.
    pub fn to_message(&self) -> Message {
        let items = self
            .entries()
            .map(|e| WireEntry {
                key: e.key.to_vec(),
                version: e.version,
                value: e.value.map(<[u8]>::to_vec),
            })
            .collect();
        match self.kind {
            MessageKind::Push => Message::Push(items),
            MessageKind::Request => Message::Request,
            MessageKind::PushPull => Message::PushPull(items),
            MessageKind::Reply => Message::Reply(items),
            MessageKind::Feedback => {
                Message::Feedback(items.into_iter().map(|e| (e.key, e.version)).collect())
            }
        }
    }
}

/// Iterator over the items of a validated message.
#[derive(Clone, Debug)]
pub struct Entries<'a> {
    r: Reader<'a>,
    left: u32,
    with_value: bool,
}

impl<'a> Iterator for Entries<'a> {
    type Item = EntryRef<'a>;

    fn next(&mut self) -> Option<EntryRef<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // The message was validated by `decode` with these same rules, so this cannot fail; if
        // it somehow did, ending the iteration is the non-panicking answer.
        self.r.item(self.with_value, &UNLIMITED).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left as usize))
    }
}

const UNLIMITED: CodecLimits = CodecLimits {
    message_bytes_max: u32::MAX,
    entries_per_message_max: u32::MAX,
    key_bytes_max: u32::MAX,
    value_bytes_max: u32::MAX,
};

/// Checks `bytes` against the format and `limits`; on success the message can be read without
/// further failure.
pub fn decode<'a>(bytes: &'a [u8], limits: &CodecLimits) -> Result<MessageRef<'a>, DecodeError> {
    if bytes.len() > limits.message_bytes_max as usize {
        return Err(DecodeError::MessageTooLong {
            len: bytes.len(),
            max: limits.message_bytes_max,
        });
    }
    let (&first, rest) = bytes.split_first().ok_or(DecodeError::Empty)?;
    let kind = MessageKind::from_byte(first).ok_or(DecodeError::UnknownKind(first))?;
    if kind == MessageKind::Request {
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes { count: rest.len() });
        }
        return Ok(MessageRef {
            kind,
            count: 0,
            items: rest,
        });
    }
    let mut r = Reader { buf: rest, pos: 0 };
    let count = r.varint("entry count")?;
    if count > u64::from(limits.entries_per_message_max) {
        return Err(DecodeError::TooManyEntries {
            count,
            max: limits.entries_per_message_max,
        });
    }
    let start = r.pos;
    let with_value = kind != MessageKind::Feedback;
    for _ in 0..count {
        r.item(with_value, limits)?;
    }
    if r.pos != rest.len() {
        return Err(DecodeError::TrailingBytes {
            count: rest.len() - r.pos,
        });
    }
    Ok(MessageRef {
        kind,
        // Bounded by entries_per_message_max (a u32) above.
        count: count as u32,
        items: &rest[start..],
    })
}

#[derive(Clone, Debug)]
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or(DecodeError::Truncated { field })?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self, field: &'static str) -> Result<u64, DecodeError> {
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

    fn bytes(&mut self, len: u64, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let left = (self.buf.len() - self.pos) as u64;
        if len > left {
            return Err(DecodeError::Truncated { field });
        }
        let s = &self.buf[self.pos..self.pos + len as usize];
        self.pos += len as usize;
        Ok(s)
    }

    fn item(
        &mut self,
        with_value: bool,
        limits: &CodecLimits,
    ) -> Result<EntryRef<'a>, DecodeError> {
        let key_len = self.varint("key length")?;
        if key_len > u64::from(limits.key_bytes_max) {
            return Err(DecodeError::KeyTooLong {
                len: key_len,
                max: limits.key_bytes_max,
            });
        }
        let key = self.bytes(key_len, "key")?;
        let counter = self.varint("version counter")?;
        let origin = self.varint("version origin")?;
        let origin = NodeId::try_from(origin).map_err(|_| DecodeError::OutOfRange {
            field: "version origin",
        })?;
        let version = Version { counter, origin };
        if !with_value {
            return Ok(EntryRef {
                key,
                version,
                value: None,
            });
        }
        let value = match self.byte("value tag")? {
            0 => None,
            1 => {
                let len = self.varint("value length")?;
                if len > u64::from(limits.value_bytes_max) {
                    return Err(DecodeError::ValueTooLong {
                        len,
                        max: limits.value_bytes_max,
                    });
                }
                Some(self.bytes(len, "value")?)
            }
            t => return Err(DecodeError::BadValueTag(t)),
        };
        Ok(EntryRef {
            key,
            version,
            value,
        })
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

/// Bytes one entry takes on the wire (with `with_value` false: one feedback item).
#[inline]
pub fn item_len(key: &[u8], version: Version, value: Option<&[u8]>, with_value: bool) -> usize {
    let mut n = varint_len(key.len() as u64)
        + key.len()
        + varint_len(version.counter)
        + varint_len(u64::from(version.origin));
    if with_value {
        n += 1;
        if let Some(v) = value {
            n += varint_len(v.len() as u64) + v.len();
        }
    }
    n
}

/// Appends one entry (or, with `with_value` false, one feedback item).
#[inline]
pub fn put_item(
    out: &mut Vec<u8>,
    key: &[u8],
    version: Version,
    value: Option<&[u8]>,
    with_value: bool,
) {
    put_varint(out, key.len() as u64);
    out.extend_from_slice(key);
    put_varint(out, version.counter);
    put_varint(out, u64::from(version.origin));
    if with_value {
        match value {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                put_varint(out, v.len() as u64);
                out.extend_from_slice(v);
            }
        }
    }
}

/// Bytes the kind and the entry count take in front of the items.
#[inline]
pub const fn header_len(count: u32) -> usize {
    1 + varint_len(count as u64)
}

/// The largest encoded size of one entry under `limits` (used to validate that any single
/// entry fits in a message).
pub fn entry_len_max(limits: &CodecLimits) -> usize {
    let key = limits.key_bytes_max as usize;
    let value = limits.value_bytes_max as usize;
    varint_len(key as u64) + key + VARINT_BYTES_MAX + 5 + 1 + varint_len(value as u64) + value
}

/// One entry of an owned [`Message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireEntry {
    /// The key.
    pub key: Vec<u8>,
    /// The version.
    pub version: Version,
    /// The value; `None` for a tombstone.
    pub value: Option<Vec<u8>>,
}

/// An owned message, for tests and tools; nodes encode and decode without building one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Entries, no reply wanted.
    Push(Vec<WireEntry>),
    /// A pull request.
    Request,
    /// Entries, reply wanted.
    PushPull(Vec<WireEntry>),
    /// The answer to a request.
    Reply(Vec<WireEntry>),
    /// The rumors the sender already knew.
    Feedback(Vec<(Vec<u8>, Version)>),
}

impl Message {
    /// The kind of this message.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::Push(_) => MessageKind::Push,
            Message::Request => MessageKind::Request,
            Message::PushPull(_) => MessageKind::PushPull,
            Message::Reply(_) => MessageKind::Reply,
            Message::Feedback(_) => MessageKind::Feedback,
        }
    }

    /// Appends the encoding of this message to `out` (no limits are checked here).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind() as u8);
        match self {
            Message::Request => {}
            Message::Push(es) | Message::PushPull(es) | Message::Reply(es) => {
                put_varint(out, es.len() as u64);
                for e in es {
                    put_item(out, &e.key, e.version, e.value.as_deref(), true);
                }
            }
            Message::Feedback(items) => {
                put_varint(out, items.len() as u64);
                for (k, v) in items {
                    put_item(out, k, *v, None, false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn v(counter: u64, origin: u32) -> Version {
        Version { counter, origin }
    }

    #[test]
    fn messages_round_trip_and_sizes_match_the_formula() {
        let msgs = [
            Message::Request,
            Message::Push(vec![WireEntry {
                key: b"k".to_vec(),
                version: v(300, 2),
                value: Some(b"hello".to_vec()),
            }]),
            Message::Reply(vec![WireEntry {
                key: b"gone".to_vec(),
                version: v(1 << 40, 70_000),
                value: None,
            }]),
            Message::PushPull(vec![]),
            Message::Feedback(vec![(b"k".to_vec(), v(5, 1))]),
        ];
        for m in msgs {
            let mut out = Vec::new();
            m.encode(&mut out);
            let d = decode(&out, &CodecLimits::default()).unwrap();
            assert_eq!(d.to_message(), m);
        }
        // kind, count, key_len, 'k', counter 300 (2 bytes), origin, tag, len, "hello"
        let mut out = Vec::new();
        Message::Push(vec![WireEntry {
            key: b"k".to_vec(),
            version: v(300, 2),
            value: Some(b"hello".to_vec()),
        }])
        .encode(&mut out);
        assert_eq!(out.len(), 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 5);
        assert_eq!(
            item_len(b"k", v(300, 2), Some(b"hello"), true) + header_len(1),
            out.len()
        );
    }

    #[test]
    fn varint_len_matches_put_varint() {
        for x in [0u64, 1, 127, 128, 16_383, 16_384, u64::MAX / 2, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, x);
            assert_eq!(out.len(), varint_len(x), "{x}");
        }
    }

    #[test]
    fn errors_name_what_was_wrong() {
        let l = CodecLimits::default();
        assert_eq!(decode(&[], &l), Err(DecodeError::Empty));
        assert_eq!(decode(&[9], &l), Err(DecodeError::UnknownKind(9)));
        assert_eq!(
            decode(&[1], &l),
            Err(DecodeError::Truncated {
                field: "entry count"
            })
        );
        assert_eq!(
            decode(&[1, 0x80, 0x00], &l),
            Err(DecodeError::VarintNotCanonical {
                field: "entry count"
            })
        );
        assert_eq!(
            decode(&[2, 0], &l),
            Err(DecodeError::TrailingBytes { count: 1 })
        );
        assert_eq!(
            decode(&[1, 1, 1, b'k', 1, 1, 7], &l),
            Err(DecodeError::BadValueTag(7))
        );
        assert_eq!(
            decode(&[1, 1, 100], &l),
            Err(DecodeError::KeyTooLong { len: 100, max: 64 })
        );
        let mut big = vec![1u8];
        big.extend_from_slice(&[0xff; 9]);
        big.push(0x02);
        assert_eq!(
            decode(&big, &l),
            Err(DecodeError::VarintOverflow {
                field: "entry count"
            })
        );
        let origin_too_big = [5, 1, 1, b'k', 1, 0x80, 0x80, 0x80, 0x80, 0x10];
        assert_eq!(
            decode(&origin_too_big, &l),
            Err(DecodeError::OutOfRange {
                field: "version origin"
            })
        );
        let long = vec![2u8; 8193];
        assert_eq!(
            decode(&long, &l),
            Err(DecodeError::MessageTooLong {
                len: 8193,
                max: 8192
            })
        );
    }

    #[test]
    fn the_largest_u64_varint_decodes_and_one_more_bit_overflows() {
        let mut out = vec![5u8, 1, 1, b'k'];
        put_varint(&mut out, u64::MAX);
        out.push(0);
        let d = decode(&out, &CodecLimits::default()).unwrap();
        assert_eq!(d.entries().next().unwrap().version.counter, u64::MAX);
    }
}
