//! The wire format of coded symbols: a batch is a start index, a count and the symbols.
//!
//! ```text
//! batch  = start:varint count:varint symbol*count
//! symbol = sum:u64 LE checksum:u64 LE count:zigzag-varint
//! ```
//! Sums and checksums are uniformly random words, so they are sent whole (a varint would only
//! grow them); a count is a small signed number (the sender's own symbols count its items, about
//! `2n / (i + 2)` at index `i`), zigzag-coded (`(c << 1) ^ (c >> 63)`) into a varint. A symbol
//! takes 17 to 26 bytes, about 19 for sets of 10^4 to 10^6 items.
//!
//! [`read_batch`] validates the whole batch against [`BatchLimits`] before it hands out any
//! symbol: a count of 1 to `batch_symbols_max`, and `start + count` at most `symbols_max` (the
//! whole reconciliation's symbol budget, after which a stream that has not peeled is abandoned).
//! Decoding never panics; every error is a [`DecodeError`] naming the field.

use alloc::vec::Vec;

use super::symbol::CodedSymbol;
use crate::wire::{put_varint, DecodeError, Reader};

/// Most bytes one symbol takes on the wire (two words and a ten-byte varint).
pub const SYMBOL_BYTES_MAX: usize = 16 + crate::wire::VARINT_BYTES_MAX;

/// What a received batch may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchLimits {
    /// Most symbols in one batch.
    pub batch_symbols_max: u32,
    /// Most symbols in one reconciliation: no batch may reach past this index.
    pub symbols_max: u64,
}

/// A validated batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// The index of its first symbol.
    pub start: u64,
    /// Its symbols, at `start`, `start + 1`, ...
    pub symbols: Vec<CodedSymbol>,
}

const fn zigzag(c: i64) -> u64 {
    ((c << 1) ^ (c >> 63)) as u64
}

const fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Appends one symbol.
pub fn put_symbol(out: &mut Vec<u8>, s: &CodedSymbol) {
    out.extend_from_slice(&s.sum.to_le_bytes());
    out.extend_from_slice(&s.checksum.to_le_bytes());
    put_varint(out, zigzag(s.count));
}

/// Appends a batch of symbols starting at index `start`.
pub fn put_batch(out: &mut Vec<u8>, start: u64, symbols: &[CodedSymbol]) {
    put_varint(out, start);
    put_varint(out, symbols.len() as u64);
    for s in symbols {
        put_symbol(out, s);
    }
}

fn read_word(r: &mut Reader<'_>, field: &'static str) -> Result<u64, DecodeError> {
    let b = r.bytes(8, field)?;
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    Ok(u64::from_le_bytes(w))
}

/// Reads one symbol.
pub fn read_symbol(r: &mut Reader<'_>) -> Result<CodedSymbol, DecodeError> {
    let sum = read_word(r, "symbol sum")?;
    let checksum = read_word(r, "symbol checksum")?;
    let count = unzigzag(r.varint("symbol count")?);
    Ok(CodedSymbol {
        sum,
        checksum,
        count,
    })
}

/// Reads and validates a whole batch (see the module docs); nothing is handed out on error.
pub fn read_batch(r: &mut Reader<'_>, limits: &BatchLimits) -> Result<Batch, DecodeError> {
    let start = r.varint("batch start")?;
    let count = r.varint("batch count")?;
    if count == 0 {
        return Err(DecodeError::OutOfRange {
            field: "batch count",
        });
    }
    if count > u64::from(limits.batch_symbols_max) {
        return Err(DecodeError::TooManyEntries {
            count,
            max: limits.batch_symbols_max,
        });
    }
    if start.saturating_add(count) > limits.symbols_max {
        return Err(DecodeError::OutOfRange {
            field: "batch start",
        });
    }
    // At least 17 bytes a symbol: a short message is refused before anything is allocated.
    if (r.remaining() as u64) < count * 17 {
        return Err(DecodeError::Truncated { field: "symbol" });
    }
    let mut symbols = Vec::with_capacity(count as usize);
    for _ in 0..count {
        symbols.push(read_symbol(r)?);
    }
    Ok(Batch { start, symbols })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::{any, prop_assert_eq, proptest};

    const LIMITS: BatchLimits = BatchLimits {
        batch_symbols_max: 64,
        symbols_max: 1000,
    };

    #[test]
    fn zigzag_round_trips_the_extremes() {
        for c in [0i64, 1, -1, 2, -2, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(c)), c);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }

    #[test]
    fn a_batch_round_trips_and_its_layout_is_frozen() {
        let s = CodedSymbol {
            sum: 0x0102_0304_0506_0708,
            checksum: 9,
            count: -2,
        };
        let mut out = Vec::new();
        put_batch(&mut out, 300, &[s]);
        assert_eq!(
            out,
            vec![0xac, 0x02, 1, 8, 7, 6, 5, 4, 3, 2, 1, 9, 0, 0, 0, 0, 0, 0, 0, 3]
        );
        let mut r = Reader::new(&out);
        let b = read_batch(&mut r, &LIMITS).unwrap();
        assert_eq!(
            b,
            Batch {
                start: 300,
                symbols: vec![s]
            }
        );
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn batches_past_their_limits_are_refused() {
        let one = [CodedSymbol::EMPTY];
        let mut out = Vec::new();
        put_batch(&mut out, 999, &one);
        assert!(read_batch(&mut Reader::new(&out), &LIMITS).is_ok());
        out.clear();
        put_batch(&mut out, 1000, &one);
        assert_eq!(
            read_batch(&mut Reader::new(&out), &LIMITS),
            Err(DecodeError::OutOfRange {
                field: "batch start"
            })
        );
        out.clear();
        put_batch(&mut out, 0, &[CodedSymbol::EMPTY; 65]);
        assert_eq!(
            read_batch(&mut Reader::new(&out), &LIMITS),
            Err(DecodeError::TooManyEntries { count: 65, max: 64 })
        );
        out.clear();
        put_batch(&mut out, 0, &[]);
        assert_eq!(
            read_batch(&mut Reader::new(&out), &LIMITS),
            Err(DecodeError::OutOfRange {
                field: "batch count"
            })
        );
        // A count that promises more symbols than the bytes hold.
        assert_eq!(
            read_batch(&mut Reader::new(&[0, 3, 1, 2]), &LIMITS),
            Err(DecodeError::Truncated { field: "symbol" })
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = read_batch(&mut Reader::new(&bytes), &LIMITS);
        }

        #[test]
        fn every_batch_round_trips(
            start in 0u64..900,
            raw in proptest::collection::vec((any::<u64>(), any::<u64>(), any::<i64>()), 1..40),
        ) {
            let symbols: Vec<CodedSymbol> = raw
                .iter()
                .map(|&(sum, checksum, count)| CodedSymbol { sum, checksum, count })
                .collect();
            let mut out = Vec::new();
            put_batch(&mut out, start, &symbols);
            let mut r = Reader::new(&out);
            prop_assert_eq!(read_batch(&mut r, &LIMITS), Ok(Batch { start, symbols }));
            prop_assert_eq!(r.remaining(), 0);
        }
    }
}
