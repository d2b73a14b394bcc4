//! The heartbeat message: the sender's own heartbeat and (part of) its heartbeat table.
//!
//! # Format
//! ```text
//! message    = 16:u8 generation:varint counter:varint count:varint row*count
//! row        = member:varint generation:varint counter:varint
//! ```
//! The kind byte is [`MessageKind::Heartbeat`] in [`crate::wire::KINDS`]; varints are the
//! canonical LEB128 of [`crate::wire`]. The header's `(generation, counter)` is the sender's own
//! heartbeat (the receiver knows the sender from the transport); the rows are other members'
//! heartbeats as the sender holds them, in strictly ascending member order (so a message has
//! one encoding and names a member at most once). A member id fits 32 bits.
//!
//! [`decode`] checks the whole message against [`HeartbeatLimits`] (`message_bytes_max`,
//! `rows_max`) before anything is handed out, and never panics; a [`HeartbeatRef`] exists only
//! for a message that passed, so a receiver that decodes first and applies second never
//! half-applies a bad one.

use alloc::vec::Vec;

use crate::node::NodeId;
use crate::wire::{self, put_varint, varint_len, CodecLimits, DecodeError, MessageKind, Reader};

/// The limits a heartbeat message is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatLimits {
    /// Longest message, in bytes.
    pub message_bytes_max: u32,
    /// Most rows in one message.
    pub rows_max: u32,
}

/// One row of a heartbeat table: `member`'s heartbeat `(generation, counter)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The member.
    pub member: NodeId,
    /// Its generation (raised at every restart).
    pub generation: u64,
    /// Its heartbeat counter within that generation.
    pub counter: u64,
}

/// A validated heartbeat message, borrowed from its bytes. Produced only by [`decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatRef<'a> {
    /// The sender's own generation.
    pub generation: u64,
    /// The sender's own counter.
    pub counter: u64,
    count: u32,
    rows: &'a [u8],
}

impl<'a> HeartbeatRef<'a> {
    /// How many rows it carries.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether it carries no rows (the sender's own heartbeat only).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The rows, in wire (ascending member) order.
    pub fn rows(&self) -> Rows<'a> {
        Rows {
            r: Reader::new(self.rows),
            left: self.count,
        }
    }
}

/// Iterator over the rows of a validated message.
#[derive(Clone, Debug)]
pub struct Rows<'a> {
    r: Reader<'a>,
    left: u32,
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // `decode` validated every row with these same rules, so this cannot fail; if it did,
        // ending the iteration is the non-panicking answer.
        let row = read_row(&mut self.r);
        debug_assert!(row.is_ok(), "decode validated every row of this message");
        row.ok()
    }
}

fn read_row(r: &mut Reader<'_>) -> Result<Row, DecodeError> {
    let member = r.varint("member")?;
    let member =
        NodeId::try_from(member).map_err(|_| DecodeError::OutOfRange { field: "member" })?;
    Ok(Row {
        member,
        generation: r.varint("row generation")?,
        counter: r.varint("row counter")?,
    })
}

/// Checks `bytes` against the format and `limits`; on success the rows can be read without
/// further failure.
pub fn decode<'a>(
    bytes: &'a [u8],
    limits: &HeartbeatLimits,
) -> Result<HeartbeatRef<'a>, DecodeError> {
    let framing = CodecLimits {
        message_bytes_max: limits.message_bytes_max,
        ..CodecLimits::default()
    };
    let wire::Frame { kind, body } = wire::frame(bytes, &framing)?;
    if kind != MessageKind::Heartbeat {
        return Err(DecodeError::UnknownKind(kind as u8));
    }
    let mut r = Reader::new(body);
    let generation = r.varint("generation")?;
    let counter = r.varint("counter")?;
    let count = r.varint("row count")?;
    if count > u64::from(limits.rows_max) {
        return Err(DecodeError::TooManyEntries {
            count,
            max: limits.rows_max,
        });
    }
    let start = r.pos();
    let mut previous: Option<NodeId> = None;
    for _ in 0..count {
        let row = read_row(&mut r)?;
        if previous.is_some_and(|p| p >= row.member) {
            return Err(DecodeError::OutOfRange {
                field: "member (rows must be in strictly ascending member order)",
            });
        }
        previous = Some(row.member);
    }
    if r.remaining() > 0 {
        return Err(DecodeError::TrailingBytes {
            count: r.remaining(),
        });
    }
    Ok(HeartbeatRef {
        generation,
        counter,
        // At most rows_max, a u32.
        count: count as u32,
        rows: r.rest_from(start),
    })
}

/// Bytes of the message header for `count` rows (kind byte included).
pub fn header_len(generation: u64, counter: u64, count: u64) -> usize {
    1 + varint_len(generation) + varint_len(counter) + varint_len(count)
}

/// Bytes of one row.
pub fn row_len(row: &Row) -> usize {
    varint_len(row.member.into()) + varint_len(row.generation) + varint_len(row.counter)
}

/// Appends the header of a message with `count` rows to `out`.
pub fn put_header(out: &mut Vec<u8>, generation: u64, counter: u64, count: u64) {
    out.push(MessageKind::Heartbeat as u8);
    put_varint(out, generation);
    put_varint(out, counter);
    put_varint(out, count);
}

/// Appends one row to `out`; rows must be put in strictly ascending member order.
pub fn put_row(out: &mut Vec<u8>, row: &Row) {
    put_varint(out, row.member.into());
    put_varint(out, row.generation);
    put_varint(out, row.counter);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const LIMITS: HeartbeatLimits = HeartbeatLimits {
        message_bytes_max: 64,
        rows_max: 4,
    };

    fn message(generation: u64, counter: u64, rows: &[Row]) -> Vec<u8> {
        let mut out = Vec::new();
        put_header(&mut out, generation, counter, rows.len() as u64);
        for r in rows {
            put_row(&mut out, r);
        }
        out
    }

    fn row(member: NodeId, generation: u64, counter: u64) -> Row {
        Row {
            member,
            generation,
            counter,
        }
    }

    #[test]
    fn a_message_round_trips_and_its_size_is_predicted() {
        let rows = [row(1, 0, 7), row(5, 2, 300), row(70_000, 1, u64::MAX)];
        let bytes = message(3, 129, &rows);
        let predicted = header_len(3, 129, 3) + rows.iter().map(row_len).sum::<usize>();
        assert_eq!(bytes.len(), predicted);
        assert_eq!(bytes[..4], [16, 3, 0x81, 0x01]);
        let m = decode(&bytes, &LIMITS).unwrap();
        assert_eq!((m.generation, m.counter, m.len()), (3, 129, 3));
        assert_eq!(m.rows().collect::<Vec<_>>(), rows);
    }

    #[test]
    fn bad_messages_name_what_was_wrong() {
        let l = &LIMITS;
        assert_eq!(decode(&[], l), Err(DecodeError::Empty));
        assert_eq!(decode(&[1, 0], l), Err(DecodeError::UnknownKind(1)));
        assert_eq!(decode(&[99], l), Err(DecodeError::UnknownKind(99)));
        assert_eq!(
            decode(&[16, 0, 0], l),
            Err(DecodeError::Truncated { field: "row count" })
        );
        assert_eq!(
            decode(&[16, 0x80, 0x00, 0, 0], l),
            Err(DecodeError::VarintNotCanonical {
                field: "generation"
            })
        );
        assert_eq!(
            decode(&message(0, 0, &[row(0, 0, 0); 5]), l),
            Err(DecodeError::TooManyEntries { count: 5, max: 4 })
        );
        assert_eq!(
            decode(&message(0, 0, &[row(2, 0, 0), row(2, 0, 1)]), l),
            Err(DecodeError::OutOfRange {
                field: "member (rows must be in strictly ascending member order)"
            })
        );
        let mut wide = vec![16, 0, 0, 1];
        put_varint(&mut wide, 1 << 32);
        wide.extend([0, 0]);
        assert_eq!(
            decode(&wide, l),
            Err(DecodeError::OutOfRange { field: "member" })
        );
        let mut trailing = message(0, 0, &[row(1, 0, 0)]);
        trailing.push(0);
        assert_eq!(
            decode(&trailing, l),
            Err(DecodeError::TrailingBytes { count: 1 })
        );
        assert_eq!(
            decode(&[16; 65], l),
            Err(DecodeError::MessageTooLong { len: 65, max: 64 })
        );
        assert_eq!(
            decode(&[16, 0, 0, 1, 1, 0], l),
            Err(DecodeError::Truncated {
                field: "row counter"
            })
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use alloc::collections::BTreeMap;
    use proptest::prelude::{any, prop_assert_eq, proptest};

    proptest! {
        #[test]
        fn every_table_round_trips(
            own in (any::<u64>(), any::<u64>()),
            table in proptest::collection::btree_map(any::<u32>(), (any::<u64>(), any::<u64>()), 0..40),
        ) {
            let table: BTreeMap<NodeId, (u64, u64)> = table;
            let rows: Vec<Row> = table
                .iter()
                .map(|(&member, &(generation, counter))| Row { member, generation, counter })
                .collect();
            let mut bytes = Vec::new();
            put_header(&mut bytes, own.0, own.1, rows.len() as u64);
            rows.iter().for_each(|r| put_row(&mut bytes, r));
            let predicted = header_len(own.0, own.1, rows.len() as u64)
                + rows.iter().map(row_len).sum::<usize>();
            prop_assert_eq!(bytes.len(), predicted);
            let limits = HeartbeatLimits { message_bytes_max: 4096, rows_max: 64 };
            let m = decode(&bytes, &limits).unwrap();
            prop_assert_eq!((m.generation, m.counter), own);
            prop_assert_eq!(m.rows().collect::<Vec<_>>(), rows);
        }
    }
}
