//! The bodies of the dissemination protocols' messages: lists of entries, and lists of known
//! versions. Compact, hand-written and frozen, like the framing in [`crate::wire`].
//!
//! Both dissemination strategies of [`crate::node`] (full state and rumor mongering) send the
//! same data messages, whose body is a list of entries: full state sends every entry it holds,
//! rumor mongering only its infective rumors. Rumor mongering alone sends `Feedback`, whose body
//! lists versions without values. A protocol whose bodies have another shape (a digest, a
//! Merkle node, a probe) gets its own body codec beside this one and a row in
//! [`crate::wire::KINDS`]; nothing here assumes that every message is a list of entries.
//!
//! # Format
//! ```text
//! message  = kind:u8 body                                   (see crate::wire)
//! kind     = 1 Push | 2 Request | 3 PushPull | 4 Reply | 5 Feedback
//! Request  body is empty                                   (Body::Nothing)
//! Push, PushPull, Reply body = count:varint entry*count     (Body::Entries)
//! Feedback body              = count:varint known*count     (Body::Versions)
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

use crate::node::NodeId;
use crate::store::Version;
use crate::wire::{self, put_varint, varint_len, Body, Reader};
use crate::wire::{CodecLimits, DecodeError, MessageKind};

/// Upper bound for [`CodecLimits::entries_per_message_max`].
pub const ENTRIES_PER_MESSAGE_LIMIT: u32 = 1 << 16;
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
            r: Reader::new(self.items),
            left: self.count,
            with_value: self.kind.body() == Body::Entries,
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
            // `decode` never yields a heartbeat or a reconcile message (not this codec's), so
            // that arm is dead.
            MessageKind::Request | MessageKind::Heartbeat | MessageKind::Reconcile => {
                Message::Request
            }
            MessageKind::PushPull => Message::PushPull(items),
            MessageKind::Reply => Message::Reply(items),
            MessageKind::Feedback => {
                Message::Feedback(items.into_iter().map(|e| (e.key, e.version)).collect())
            }
            // `decode` never yields a SWIM kind (see `Body::Swim`), so this arm is not reached;
            // an empty request is the harmless answer if it ever were.
            MessageKind::Ping
            | MessageKind::Ack
            | MessageKind::PingReq
            | MessageKind::Nack
            | MessageKind::Sync
            | MessageKind::SyncReply => Message::Request,
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
        let item = read_item(&mut self.r, self.with_value, &UNLIMITED);
        debug_assert!(item.is_ok(), "decode validated every item of this message");
        item.ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left as usize))
    }
}

pub(crate) const UNLIMITED: CodecLimits = CodecLimits {
    message_bytes_max: u32::MAX,
    entries_per_message_max: u32::MAX,
    key_bytes_max: u32::MAX,
    value_bytes_max: u32::MAX,
};

/// Checks `bytes` against the format and `limits`; on success the message can be read without
/// further failure.
pub fn decode<'a>(bytes: &'a [u8], limits: &CodecLimits) -> Result<MessageRef<'a>, DecodeError> {
    let wire::Frame { kind, body } = wire::frame(bytes, limits)?;
    let with_value = match kind.body() {
        // The framing checked that nothing follows the kind byte.
        Body::Nothing => {
            return Ok(MessageRef {
                kind,
                count: 0,
                items: body,
            })
        }
        Body::Entries => true,
        Body::Versions => false,
        // Not a dissemination message: this codec does not read it (its own codec does).
        Body::Heartbeats => return Err(DecodeError::UnknownKind(kind as u8)),
        // A SWIM message is not a dissemination message: the node routes it to
        // `node::membership::swim::codec` before this decoder is asked.
        Body::Swim => return Err(DecodeError::UnknownKind(kind as u8)),
        // A reconciliation message goes to `node::anti_entropy` before this decoder is asked.
        Body::Reconcile => return Err(DecodeError::UnknownKind(kind as u8)),
    };
    let mut r = Reader::new(body);
    let count = r.varint("entry count")?;
    if count > u64::from(limits.entries_per_message_max) {
        return Err(DecodeError::TooManyEntries {
            count,
            max: limits.entries_per_message_max,
        });
    }
    let start = r.pos();
    for _ in 0..count {
        read_item(&mut r, with_value, limits)?;
    }
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes {
            count: r.remaining(),
        });
    }
    Ok(MessageRef {
        kind,
        // Bounded by entries_per_message_max (a u32) above.
        count: count as u32,
        items: r.rest_from(start),
    })
}

/// Reads one entry (or, with `with_value` false, one known version) against `limits`; shared
/// with the entry lists of [`crate::reconcile`].
pub(crate) fn read_item<'a>(
    r: &mut Reader<'a>,
    with_value: bool,
    limits: &CodecLimits,
) -> Result<EntryRef<'a>, DecodeError> {
    let key_len = r.varint("key length")?;
    if key_len > u64::from(limits.key_bytes_max) {
        return Err(DecodeError::KeyTooLong {
            len: key_len,
            max: limits.key_bytes_max,
        });
    }
    let key = r.bytes(key_len, "key")?;
    let counter = r.varint("version counter")?;
    let origin = r.varint("version origin")?;
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
    let value = match r.byte("value tag")? {
        0 => None,
        1 => {
            let len = r.varint("value length")?;
            if len > u64::from(limits.value_bytes_max) {
                return Err(DecodeError::ValueTooLong {
                    len,
                    max: limits.value_bytes_max,
                });
            }
            Some(r.bytes(len, "value")?)
        }
        t => return Err(DecodeError::BadValueTag(t)),
    };
    Ok(EntryRef {
        key,
        version,
        value,
    })
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
    varint_len(key as u64) + key + wire::VARINT_BYTES_MAX + 5 + 1 + varint_len(value as u64) + value
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
