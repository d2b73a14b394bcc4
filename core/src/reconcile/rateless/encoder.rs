//! The encoder: the stream of coded symbols of a set of item ids, produced on demand.
//!
//! "Rateless": the sender does not know the size of the difference, so it produces symbol 0,
//! 1, 2, ... in batches until the receiver says it has decoded; any prefix of the stream is a
//! valid sketch. Producing the first `m` symbols of `n` items takes about `n (1 + 2 ln(m/2))`
//! mapping steps (the expected number of an item's indices below `m`, `Σ ρ(i)`), done one of
//! two ways with the same result:
//! * a batch ([`Encoder::produce_into`]) walks the items in order and adds each to every
//!   symbol of the batch its mapping reaches: one sequential pass over the items per batch,
//!   the batch's symbols in cache. This is the session's way (batches double, so a stream of
//!   `m` symbols is about `log2 m` passes).
//! * one symbol at a time ([`Encoder::produce`]) keeps the items in a min-queue keyed by their
//!   next index, so a symbol costs only the items in it (the measurements' way, which need the
//!   exact symbol at which decoding ends). At 2^20 items the queue misses the cache on every
//!   step, which is why batches do not use it. The queue is rebuilt (in `O(n)`) after a batch.
//!
//! The same machinery, with signed items added part way through, is the decoder's record of
//! what it has peeled ([`Encoder::add_from`]).

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

use super::hash::ItemKey;
use super::mapping::{Mapping, INDEX_LIMIT, NEVER};
use super::symbol::CodedSymbol;

/// One item of the stream: its id, checksum, sign and where it goes next.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    id: u64,
    checksum: u64,
    sign: i64,
    mapping: Mapping,
}

/// The coded symbol stream of a set of ids (see the module docs).
#[derive(Clone, Debug)]
pub struct Encoder {
    key: ItemKey,
    items: Vec<Item>,
    /// `index << 32 | item`, smallest first: indices are below 2^31 and items below 2^32, so
    /// one `u64` orders by index and then by item, and the queue is one word per item.
    queue: BinaryHeap<Reverse<u64>>,
    // Whether `queue` is stale because a batch moved the mappings on.
    queue_stale: bool,
    next: u64,
}

impl Encoder {
    /// The encoder of these ids, at symbol 0. The caller makes the ids with `key`
    /// ([`ItemKey::item_id`]); each id counts once, with sign +1.
    pub fn new(key: ItemKey, ids: impl IntoIterator<Item = u64>) -> Encoder {
        let mut e = Encoder {
            key,
            items: Vec::new(),
            queue: BinaryHeap::new(),
            queue_stale: false,
            next: 0,
        };
        for id in ids {
            e.push_item(id, key.checksum(id), 1, Mapping::new(id));
        }
        e
    }

    /// How many items it encodes.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it encodes no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The index of the next symbol [`Encoder::produce`] returns.
    pub fn next_index(&self) -> u64 {
        self.next
    }

    /// Adds an item part way through the stream: it counts `sign` times from the symbol
    /// [`Encoder::next_index`] on (`mapping` is the item's, at any index; it is moved on to the
    /// first index not yet produced).
    pub fn add_from(&mut self, id: u64, checksum: u64, sign: i64, mut mapping: Mapping) {
        mapping.advance_to(self.next);
        self.push_item(id, checksum, sign, mapping);
    }

    fn push_item(&mut self, id: u64, checksum: u64, sign: i64, mapping: Mapping) {
        let item = self.items.len() as u64;
        debug_assert!(item < 1 << 32, "at most 2^32 items");
        if mapping.index() != NEVER && !self.queue_stale {
            self.queue.push(Reverse(mapping.index() << 32 | item));
        }
        self.items.push(Item {
            id,
            checksum,
            sign,
            mapping,
        });
    }

    /// The next coded symbol. After [`INDEX_LIMIT`] symbols every symbol is empty.
    pub fn produce(&mut self) -> CodedSymbol {
        if self.queue_stale {
            self.rebuild_queue();
        }
        let index = self.next;
        let mut s = CodedSymbol::EMPTY;
        while let Some(&Reverse(top)) = self.queue.peek() {
            if top >> 32 != index {
                break;
            }
            self.queue.pop();
            let item = &mut self.items[(top & 0xffff_ffff) as usize];
            s.add(item.id, item.checksum, item.sign);
            let next = item.mapping.advance();
            if next != NEVER {
                self.queue.push(Reverse(next << 32 | (top & 0xffff_ffff)));
            }
        }
        self.next = (index + 1).min(INDEX_LIMIT);
        s
    }

    /// Appends the next `count` symbols to `out`, in one pass over the items.
    pub fn produce_into(&mut self, count: usize, out: &mut Vec<CodedSymbol>) {
        let start = self.next;
        let end = start.saturating_add(count as u64).min(INDEX_LIMIT);
        let base = out.len();
        out.resize(base + count, CodedSymbol::EMPTY);
        let batch = &mut out[base..];
        for item in &mut self.items {
            while item.mapping.index() < end {
                let at = (item.mapping.index() - start) as usize;
                batch[at].add(item.id, item.checksum, item.sign);
                item.mapping.advance();
            }
        }
        self.next = end;
        self.queue_stale = true;
    }

    fn rebuild_queue(&mut self) {
        let keys: Vec<Reverse<u64>> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| it.mapping.index() != NEVER)
            .map(|(i, it)| Reverse(it.mapping.index() << 32 | i as u64))
            .collect();
        self.queue = BinaryHeap::from(keys);
        self.queue_stale = false;
    }

    /// The key its checksums are made with.
    pub fn key(&self) -> &ItemKey {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The naive encoder: symbol i is the sum of every item whose mapping reaches i.
    fn naive(key: ItemKey, ids: &[u64], m: u64) -> Vec<CodedSymbol> {
        let mut out = alloc::vec![CodedSymbol::EMPTY; m as usize];
        for &id in ids {
            let mut map = Mapping::new(id);
            while map.index() < m {
                out[map.index() as usize].add(id, key.checksum(id), 1);
                map.advance();
            }
        }
        out
    }

    #[test]
    fn the_stream_equals_the_naive_sum_of_every_mapping() {
        let key = ItemKey::new(5, 6);
        let ids: Vec<u64> = (0..300).map(|i| crate::rng::mix(i + 77)).collect();
        let mut e = Encoder::new(key, ids.iter().copied());
        let mut got = Vec::new();
        e.produce_into(50, &mut got);
        for _ in 0..5 {
            got.push(e.produce());
        }
        e.produce_into(25, &mut got);
        got.push(e.produce());
        assert_eq!(got, naive(key, &ids, 81));
        assert_eq!(got[0].count, 300, "every item is in symbol 0");
        assert_eq!(e.next_index(), 81);
    }

    #[test]
    fn an_item_added_part_way_counts_from_the_next_symbol_on() {
        let key = ItemKey::new(5, 6);
        let id = 0xabcdef;
        let mut late = Encoder::new(key, []);
        let mut skip = Vec::new();
        late.produce_into(7, &mut skip);
        late.add_from(id, key.checksum(id), -1, Mapping::new(id));
        let mut got = Vec::new();
        late.produce_into(20, &mut got);
        late.add_from(5, key.checksum(5), 1, Mapping::new(5));
        late.add_from(5, key.checksum(5), -1, Mapping::new(5));
        for _ in 0..20 {
            got.push(late.produce());
        }
        let mut want = naive(key, &[id], 47).split_off(7);
        for s in &mut want {
            s.count = -s.count;
        }
        assert_eq!(got, want);
    }
}
