//! The lists every strategy's messages share: entries (key, version, value or tombstone) and
//! versions (key, version), in [`crate::codec`]'s item format.
//!
//! ```text
//! entries  = count:varint entry*count      entry, known: as in crate::codec
//! versions = count:varint known*count
//! ```
//! [`read_list`] validates a whole list against the limits and hands out a [`ListRef`] that
//! reads it again without failing, so a strategy validates every list of a message before it
//! merges anything.

use crate::codec::{self, EntryRef};
use crate::store::{Entry, Version};
use crate::wire::{put_varint, CodecLimits, DecodeError, Reader};
use alloc::vec::Vec;

/// A validated list, borrowed from the message bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListRef<'a> {
    count: u32,
    items: &'a [u8],
    with_value: bool,
}

impl<'a> ListRef<'a> {
    /// How many items.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The items in wire order (`value` is `None` in a list of versions).
    pub fn iter(&self) -> impl Iterator<Item = EntryRef<'a>> + 'a {
        let mut r = Reader::new(self.items);
        let with_value = self.with_value;
        (0..self.count).map_while(move |_| {
            // Validated by `read_list` with these rules, so this cannot fail; ending early is
            // the non-panicking answer if it somehow did.
            let item = codec::read_item(&mut r, with_value, &codec::UNLIMITED);
            debug_assert!(item.is_ok(), "read_list validated every item");
            item.ok()
        })
    }
}

/// Reads and validates one list (entries if `with_value`, else versions) from `r`.
pub fn read_list<'a>(
    r: &mut Reader<'a>,
    with_value: bool,
    limits: &CodecLimits,
) -> Result<ListRef<'a>, DecodeError> {
    let count = r.varint("item count")?;
    if count > u64::from(limits.entries_per_message_max) {
        return Err(DecodeError::TooManyEntries {
            count,
            max: limits.entries_per_message_max,
        });
    }
    let start = r.pos();
    for _ in 0..count {
        codec::read_item(r, with_value, limits)?;
    }
    Ok(ListRef {
        // Bounded by entries_per_message_max (a u32) above.
        count: count as u32,
        items: r.rest_from(start),
        with_value,
    })
}

/// `Err(TrailingBytes)` unless `r` has read everything.
pub fn expect_end(r: &Reader<'_>) -> Result<(), DecodeError> {
    match r.remaining() {
        0 => Ok(()),
        count => Err(DecodeError::TrailingBytes { count }),
    }
}

/// Appends a list's count.
pub fn put_count(out: &mut Vec<u8>, count: usize) {
    put_varint(out, count as u64);
}

/// Appends one entry.
pub fn put_entry(out: &mut Vec<u8>, key: &[u8], e: &Entry) {
    codec::put_item(out, key, e.version(), e.value(), true);
}

/// Appends one version.
pub fn put_version(out: &mut Vec<u8>, key: &[u8], version: Version) {
    codec::put_item(out, key, version, None, false);
}
