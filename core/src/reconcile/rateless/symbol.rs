//! A coded symbol: the xor of the ids mapped to it, the xor of their checksums, and how many.
//!
//! Symbols are linear: the sender's symbol minus the receiver's symbol at the same index is the
//! symbol of the symmetric difference, the sender's items counting +1 and the receiver's -1. A
//! symbol of the difference is *pure* when it holds exactly one item: its count is +1 or -1 and
//! its checksum is the checksum of its sum (a mixture passes that test with probability 2^-64).

use super::hash::ItemKey;

/// One coded symbol (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodedSymbol {
    /// The xor of the ids in it.
    pub sum: u64,
    /// The xor of their checksums.
    pub checksum: u64,
    /// How many items are in it, each signed by the side it came from.
    pub count: i64,
}

impl CodedSymbol {
    /// The symbol that holds nothing.
    pub const EMPTY: CodedSymbol = CodedSymbol {
        sum: 0,
        checksum: 0,
        count: 0,
    };

    /// Adds `sign` copies of the item (`sign` is +1 or -1; xor does not care).
    #[inline]
    pub fn add(&mut self, id: u64, checksum: u64, sign: i64) {
        self.sum ^= id;
        self.checksum ^= checksum;
        // Wrapping: a peer's counts are arbitrary numbers, and this must never panic.
        self.count = self.count.wrapping_add(sign);
    }

    /// Subtracts `other` (index by index, the difference of two sets' symbols).
    #[inline]
    pub fn subtract(&mut self, other: &CodedSymbol) {
        self.sum ^= other.sum;
        self.checksum ^= other.checksum;
        self.count = self.count.wrapping_sub(other.count);
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        *self == CodedSymbol::EMPTY
    }

    /// The sign of its one item if it is pure, else `None`.
    pub fn pure_sign(&self, key: &ItemKey) -> Option<i64> {
        let sign = self.count;
        ((sign == 1 || sign == -1) && key.checksum(self.sum) == self.checksum).then_some(sign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbol_of_one_item_is_pure_and_of_two_is_not() {
        let k = ItemKey::new(1, 2);
        let mut s = CodedSymbol::EMPTY;
        s.add(10, k.checksum(10), 1);
        assert_eq!(s.pure_sign(&k), Some(1));
        s.add(11, k.checksum(11), 1);
        assert_eq!(s.pure_sign(&k), None);
        let mut t = CodedSymbol::EMPTY;
        t.add(10, k.checksum(10), 1);
        s.subtract(&t);
        assert_eq!(s.pure_sign(&k), Some(1));
        s.subtract(&s.clone());
        assert!(s.is_empty());
        // Count -1 is pure too (an item of the receiver); a forged checksum is not.
        let mut r = CodedSymbol::EMPTY;
        r.add(12, k.checksum(12), -1);
        assert_eq!(r.pure_sign(&k), Some(-1));
        r.checksum ^= 1;
        assert_eq!(r.pure_sign(&k), None);
    }

    #[test]
    fn counts_wrap_instead_of_panicking() {
        let mut s = CodedSymbol {
            count: i64::MAX,
            ..CodedSymbol::EMPTY
        };
        s.add(0, 0, 1);
        assert_eq!(s.count, i64::MIN);
        s.subtract(&CodedSymbol {
            count: 1,
            ..CodedSymbol::EMPTY
        });
        assert_eq!(s.count, i64::MAX);
    }
}
