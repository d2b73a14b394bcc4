//! The decoder: the receiver's side, which subtracts its own symbols from the sender's and
//! peels until it holds the whole symmetric difference.
//!
//! For each received symbol `i` it subtracts its own encoder's symbol `i` and the symbol `i` of
//! every item it has already peeled, so what it keeps is always the symbol of the difference
//! not yet found. A pure symbol (count ±1, checksum of its sum) names one item: +1 one that only
//! the sender has, -1 one that only the receiver has. Peeling removes that item from every
//! symbol received so far (which may make others pure) and remembers it, so it is subtracted
//! from every later symbol too. Every item is in symbol 0, so the difference is whole when
//! symbol 0 is empty after peeling ([`Decoder::is_done`]); the paper's §4.2 argues the same.
//!
//! # Bad input
//! A peer's symbols are arbitrary numbers. Checks that an honest stream always passes, so that
//! failing one means the stream is broken and the reconciliation is abandoned: a peeled id is
//! peeled once; an item the receiver "only has" is one it holds, and an item the sender "only
//! has" is not; and peels never outnumber received symbols (each honest peel empties a symbol
//! for good), which also bounds the work of one push. After an error the decoder is spent: every
//! later push returns the same error. It never panics, and it never touches a store.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::fmt;

use super::encoder::Encoder;
use super::hash::ItemKey;
use super::mapping::Mapping;
use super::symbol::CodedSymbol;

/// Why a symbol stream cannot be decoded (see "Bad input"). The decoder is spent; the stores
/// are unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeelError {
    /// The receiver's own items have two equal ids (a 64-bit collision, about 2^-25 at 2^20
    /// items); this key cannot reconcile them, the next reconciliation's key will.
    DuplicateLocalId,
    /// A pure symbol named an id already peeled.
    PeeledTwice,
    /// A pure symbol named as the receiver's own an id the receiver does not hold.
    NotLocal,
    /// A pure symbol named as the sender's alone an id the receiver holds.
    SenderItemIsLocal,
    /// More peels than symbols received.
    TooManyPeels,
}

impl PeelError {
    /// What failed, in words (the `why` of [`crate::reconcile::ReconcileError::Undecodable`]).
    pub fn as_str(&self) -> &'static str {
        match self {
            PeelError::DuplicateLocalId => "two local items share an id",
            PeelError::PeeledTwice => "an id was peeled twice",
            PeelError::NotLocal => "a receiver-only id is not held by the receiver",
            PeelError::SenderItemIsLocal => "a sender-only id is held by the receiver",
            PeelError::TooManyPeels => "more peels than symbols received",
        }
    }
}

impl fmt::Display for PeelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<PeelError> for crate::reconcile::ReconcileError {
    fn from(e: PeelError) -> Self {
        crate::reconcile::ReconcileError::Undecodable { why: e.as_str() }
    }
}

/// The receiver's state of one reconciliation (see the module docs).
#[derive(Clone, Debug)]
pub struct Decoder {
    key: ItemKey,
    local: Encoder,
    local_ids: Vec<u64>,
    peeled: Encoder,
    peeled_ids: BTreeSet<u64>,
    symbols: Vec<CodedSymbol>,
    pending: Vec<usize>,
    sender_only: Vec<u64>,
    receiver_only: Vec<u64>,
    failed: Option<PeelError>,
}

impl Decoder {
    /// A decoder for the receiver that holds these ids (made with `key`).
    pub fn new(key: ItemKey, local_ids: Vec<u64>) -> Result<Decoder, PeelError> {
        let mut sorted = local_ids.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(PeelError::DuplicateLocalId);
        }
        Ok(Decoder {
            key,
            local: Encoder::new(key, local_ids),
            local_ids: sorted,
            peeled: Encoder::new(key, []),
            peeled_ids: BTreeSet::new(),
            symbols: Vec::new(),
            pending: Vec::new(),
            sender_only: Vec::new(),
            receiver_only: Vec::new(),
            failed: None,
        })
    }

    /// Takes the sender's next symbol (index [`Decoder::received`]) and peels what it can.
    pub fn push(&mut self, sender: CodedSymbol) -> Result<(), PeelError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let mut s = sender;
        s.subtract(&self.local.produce());
        s.subtract(&self.peeled.produce());
        self.pending.push(self.symbols.len());
        self.symbols.push(s);
        let result = self.peel();
        if let Err(e) = result {
            self.failed = Some(e);
        }
        result
    }

    /// Takes the sender's next symbols (from index [`Decoder::received`] on) and then peels what
    /// it can: the same result as pushing them one by one, except that it may take more symbols
    /// than decoding needed. Its own symbols for the batch are made in one pass over its items
    /// ([`Encoder::produce_into`]), the cheap way for large sets.
    pub fn push_batch(&mut self, batch: &[CodedSymbol]) -> Result<(), PeelError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let (mut local, mut peeled) = (Vec::new(), Vec::new());
        self.local.produce_into(batch.len(), &mut local);
        self.peeled.produce_into(batch.len(), &mut peeled);
        for ((s, l), p) in batch.iter().zip(&local).zip(&peeled) {
            let mut s = *s;
            s.subtract(l);
            s.subtract(p);
            self.pending.push(self.symbols.len());
            self.symbols.push(s);
        }
        let result = self.peel();
        if let Err(e) = result {
            self.failed = Some(e);
        }
        result
    }

    /// Whether the difference is whole: symbol 0 is empty after peeling.
    pub fn is_done(&self) -> bool {
        self.failed.is_none() && self.symbols.first().is_some_and(CodedSymbol::is_empty)
    }

    /// How many symbols it has taken.
    pub fn received(&self) -> u64 {
        self.symbols.len() as u64
    }

    /// The ids only the sender has, in the order peeled.
    pub fn sender_only(&self) -> &[u64] {
        &self.sender_only
    }

    /// The ids only the receiver has, in the order peeled.
    pub fn receiver_only(&self) -> &[u64] {
        &self.receiver_only
    }

    /// Why it failed, if it did.
    pub fn failure(&self) -> Option<PeelError> {
        self.failed
    }

    fn peel(&mut self) -> Result<(), PeelError> {
        while let Some(i) = self.pending.pop() {
            let s = self.symbols[i];
            let Some(sign) = s.pure_sign(&self.key) else {
                continue;
            };
            self.check_peel(s.sum, sign)?;
            self.remove_everywhere(s.sum, s.checksum, sign);
        }
        Ok(())
    }

    fn check_peel(&mut self, id: u64, sign: i64) -> Result<(), PeelError> {
        if self.peeled_ids.len() as u64 >= self.received() {
            return Err(PeelError::TooManyPeels);
        }
        if !self.peeled_ids.insert(id) {
            return Err(PeelError::PeeledTwice);
        }
        let local = self.local_ids.binary_search(&id).is_ok();
        if sign == 1 {
            if local {
                return Err(PeelError::SenderItemIsLocal);
            }
            self.sender_only.push(id);
        } else {
            if !local {
                return Err(PeelError::NotLocal);
            }
            self.receiver_only.push(id);
        }
        Ok(())
    }

    // Takes the item out of every symbol received so far and queues those for a look, then
    // records it so later symbols have it taken out as they arrive.
    fn remove_everywhere(&mut self, id: u64, checksum: u64, sign: i64) {
        let mut m = Mapping::new(id);
        let end = self.received();
        while m.index() < end {
            let i = m.index() as usize;
            self.symbols[i].add(id, checksum, -sign);
            self.pending.push(i);
            m.advance();
        }
        self.peeled.add_from(id, checksum, sign, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::mix;

    fn ids(range: core::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| mix(i + 1000)).collect()
    }

    // Streams the sender's symbols into a receiver's decoder until it is done.
    fn reconcile(sender: &[u64], receiver: &[u64]) -> (Decoder, u64) {
        let key = ItemKey::new(11, 12);
        let mut e = Encoder::new(key, sender.iter().copied());
        let mut d = Decoder::new(key, receiver.to_vec()).unwrap();
        while !d.is_done() {
            d.push(e.produce()).unwrap();
            assert!(d.received() < 10_000, "never decoded");
        }
        let n = d.received();
        (d, n)
    }

    #[test]
    fn the_decoder_finds_both_halves_of_the_difference() {
        let a = ids(0..500);
        let b = ids(20..530);
        let (d, n) = reconcile(&a, &b);
        let mut so = d.sender_only().to_vec();
        so.sort_unstable();
        let mut want = ids(0..20);
        want.sort_unstable();
        assert_eq!(so, want);
        let mut ro = d.receiver_only().to_vec();
        ro.sort_unstable();
        let mut want = ids(500..530);
        want.sort_unstable();
        assert_eq!(ro, want);
        assert!(n < 200, "50 differences took {n} symbols");
    }

    #[test]
    fn batches_decode_what_single_symbols_decode() {
        let key = ItemKey::new(11, 12);
        let a = ids(0..400);
        let b = ids(30..450);
        let mut e = Encoder::new(key, a.iter().copied());
        let mut d = Decoder::new(key, b.clone()).unwrap();
        let (mut size, mut batch) = (4, Vec::new());
        while !d.is_done() {
            batch.clear();
            e.produce_into(size, &mut batch);
            d.push_batch(&batch).unwrap();
            size *= 2;
        }
        let (single, _) = reconcile(&a, &b);
        let sorted = |x: &[u64]| {
            let mut v = x.to_vec();
            v.sort_unstable();
            v
        };
        assert_eq!(sorted(d.sender_only()), sorted(single.sender_only()));
        assert_eq!(sorted(d.receiver_only()), sorted(single.receiver_only()));
        assert_eq!(d.sender_only().len(), 30);
    }

    #[test]
    fn equal_sets_are_done_after_one_symbol_and_one_difference_too() {
        let a = ids(0..100);
        assert_eq!(reconcile(&a, &a).1, 1);
        let (d, n) = reconcile(&a, &a[1..]);
        assert_eq!((d.sender_only(), n), (&a[..1], 1));
        let (d, _) = reconcile(&[], &a[..3]);
        assert_eq!(d.receiver_only().len(), 3);
    }

    #[test]
    fn duplicate_local_ids_are_refused() {
        let key = ItemKey::new(1, 1);
        assert_eq!(
            Decoder::new(key, alloc::vec![5, 6, 5]).err(),
            Some(PeelError::DuplicateLocalId)
        );
    }

    fn pure(key: &ItemKey, id: u64, count: i64) -> CodedSymbol {
        CodedSymbol {
            sum: id,
            checksum: key.checksum(id),
            count,
        }
    }

    // An id whose mapping reaches symbol 1, searched from `from`.
    fn mapped_at_one(from: u64) -> u64 {
        (from..)
            .find(|&id| Mapping::new(id).advance() == 1)
            .unwrap()
    }

    #[test]
    fn a_forged_stream_is_refused_and_the_decoder_stays_spent() {
        let key = ItemKey::new(1, 1);
        // The receiver holds 1 and 2; symbol 0 minus its own is a pure -1 of 99, an id it
        // does not hold.
        let mut d = Decoder::new(key, alloc::vec![1, 2]).unwrap();
        let forged = CodedSymbol {
            sum: 99 ^ 1 ^ 2,
            checksum: key.checksum(99) ^ key.checksum(1) ^ key.checksum(2),
            count: 2 - 1,
        };
        assert_eq!(d.push(forged), Err(PeelError::NotLocal));
        assert!(!d.is_done());
        assert_eq!(d.push(CodedSymbol::EMPTY), Err(PeelError::NotLocal));
        assert_eq!(d.failure(), Some(PeelError::NotLocal));
        // The receiver holds 7; symbol 0 says the sender alone has 7.
        let mut d = Decoder::new(key, alloc::vec![7]).unwrap();
        let forged = CodedSymbol {
            count: 2,
            ..CodedSymbol::EMPTY
        };
        assert_eq!(d.push(forged), Err(PeelError::SenderItemIsLocal));
    }

    #[test]
    fn an_id_peeled_twice_abandons_the_stream() {
        let key = ItemKey::new(1, 1);
        let mut d = Decoder::new(key, alloc::vec![]).unwrap();
        d.push(pure(&key, 7, 1)).unwrap();
        assert!(d.is_done());
        assert_eq!(d.sender_only(), &[7]);
        // Symbol 1 as an honest sender of {7} makes it, plus 7 once more.
        let mut honest = CodedSymbol::EMPTY;
        if Mapping::new(7).advance() == 1 {
            honest.add(7, key.checksum(7), 1);
        }
        honest.add(7, key.checksum(7), 1);
        assert_eq!(d.push(honest), Err(PeelError::PeeledTwice));
    }

    #[test]
    fn peels_never_outnumber_the_symbols_received() {
        let key = ItemKey::new(1, 1);
        let a = mapped_at_one(1);
        let b = mapped_at_one(a + 1);
        let mut d = Decoder::new(key, alloc::vec![]).unwrap();
        // Symbol 0 holds a and b; symbol 1 only a. Peeling a leaves b pure in symbol 0, and
        // peeling b leaves a -1 of b in symbol 1: a third peel from two symbols.
        let mut zero = pure(&key, a, 1);
        zero.add(b, key.checksum(b), 1);
        d.push(zero).unwrap();
        assert_eq!(d.push(pure(&key, a, 1)), Err(PeelError::TooManyPeels));
    }
}
