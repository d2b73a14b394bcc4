//! One side of a rateless session: the initiator streams batches of coded symbols, the
//! responder peels, then the entries cross.
//!
//! ```text
//! initiator -> responder   First:   key:16 batch                 (the reconciliation's ItemKey)
//! responder -> initiator   More:    0:u8                         (not decoded yet)
//! initiator -> responder   Batch:   batch                        (the next symbols)
//!   ... More and Batch until the responder has decoded ...
//! responder -> initiator   Answer:  1:u8 entries count:varint id:u64 LE * count
//!                          (its entries the initiator lacks, the ids it lacks)  last if none
//! initiator -> responder   Entries: entries                      (the ones asked for)  last
//! ```
//! `batch` is [`super::codec`]'s; `entries` is [`crate::reconcile::wire_entries`]'s. Items are
//! `(key, version)` pairs, so a key both hold at different versions is two differences: each
//! side sends its own entry and the merge keeps the newer. The initiator skips an asked-for
//! entry when the answer already brought a newer one for its key (the responder cannot know).
//!
//! # Batches
//! The first batch has [`BATCH_SYMBOLS_FIRST`] symbols (enough for about ten differences);
//! each later batch is as large as everything sent before it, so a difference of `d` costs
//! about `log2(1.35 d / 16)` round trips and at most twice the symbols decoding needed (the
//! surplus is counted in `symbols_sent`). A batch never exceeds `batch_symbols_max`: the
//! session's `items_per_message_max`, and what fits in `message_bytes_max`. The whole stream
//! never exceeds the session's `symbols_max`; a stream that has not decoded by then is
//! abandoned with [`ReconcileError::NeverPeeled`], and one that fails the decoder's checks
//! ([`super::PeelError`]: a forged or corrupted stream, or a local id collision) with
//! [`ReconcileError::Undecodable`], the replicas untouched either way.
//!
//! Measured between two replicas of 2^20 keys differing in `d` keys (each changed key is two
//! differing items; `cargo test --release -p gossip-core --test rateless -- --ignored
//! sessions_between --nocapture`):
//! ```text
//! d       symbols  round trips  entries  unneeded  bytes
//! 1            16       2            1        0       357
//! 10           32       3           16        6       996
//! 100         512       7          166       66    13,181
//! 1,000     4,096      10        1,666      666   110,717
//! 10,000   32,768      13       16,666    6,666   955,378
//! ```
//! `ReconcileLimits::rateless_growth_percent` sets the growth (200, the default, is the
//! doubling above). 200 against 150 (`lab merkle --strategy rateless --keys 65536 --diffs d
//! --trials 20 --rateless-growth P`, means): d = 1: 16 / 16 symbols, 2 / 2 round trips;
//! d = 10: 44.8 / 38.4, 3.4 / 3.4; d = 100: 512 / 364, 7 / 9; d = 1,000: 4,096 / 3,246,
//! 10 / 14.35. So 1.5x saves 20 to 30 % of the symbols from d = 100 on, for 2 to 4 more
//! round trips.
//!
//! (Decoding needed about 1.45, 1.37 and 1.36 symbols per item at d = 100, 1,000 and 10,000;
//! the rest is the doubling's surplus. The unneeded entries are the responder's older entries
//! of keys the initiator holds newer: it sends before it can know.)
//!
//! # Keys and randomness
//! The initiator draws the [`ItemKey`] from `Rng::stream(seed, Stream::RatelessKey, 0)`, where
//! `seed` is what its caller passes to [`crate::reconcile::Session::initiator`] (drawn from
//! the caller's own seeded stream), and sends it in the first message.
//!
//! # Ids between messages
//! Each side keeps its items' ids in its store's key order from the first message on, and maps
//! a wanted id back to its entry by walking the store beside them, re-hashing each candidate:
//! if the store changed in between, an entry that no longer matches is simply not sent (the
//! next reconciliation repairs it), and nothing wrong is ever sent.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::codec::{put_batch, read_batch, BatchLimits, SYMBOL_BYTES_MAX};
use super::{Decoder, Encoder, ItemKey};
use crate::reconcile::wire_entries::{expect_end, put_count, put_entry, ListRef};
use crate::reconcile::{Next, ReconcileError, Role, Turn};
use crate::rng::{Rng, Stream};
use crate::store::{Store, Version};
use crate::wire::{DecodeError, Reader};

/// Symbols in the first batch.
pub const BATCH_SYMBOLS_FIRST: u32 = 16;

/// The responder's tag of a More message.
const TAG_MORE: u8 = 0;
/// The responder's tag of an Answer.
const TAG_ANSWER: u8 = 1;

#[derive(Clone, Debug)]
enum State {
    // Initiator before start; responder before the first message.
    Fresh,
    // Initiator: streaming, waiting for More or the Answer (boxed: a session is held by value
    // in every strategy's enum, and the others are small).
    Streaming(Box<Streaming>),
    // Responder: decoding, waiting for the next batch.
    Decoding(Box<Decoding>),
    // Responder: answered and asked for entries, waiting for them.
    Asked,
    // Finished, or abandoned by the session.
    Over,
}

#[derive(Clone, Debug)]
struct Streaming {
    key: ItemKey,
    encoder: Encoder,
    // The ids of the store's items at the start, in key order.
    ids: Vec<u64>,
}

#[derive(Clone, Debug)]
struct Decoding {
    key: ItemKey,
    decoder: Decoder,
    ids: Vec<u64>,
}

/// One side of a rateless session (see the module docs).
#[derive(Clone, Debug)]
pub struct Side {
    role: Role,
    seed: u64,
    state: State,
}

/// The ids of a store's items under `key`, in key order.
fn ids_of(key: &ItemKey, store: &Store) -> Vec<u64> {
    store
        .iter()
        .map(|(k, e)| key.item_id(k, e.version()))
        .collect()
}

/// Most symbols in one batch under the session's limits (at least 1).
fn batch_symbols_max(turn: &Turn<'_>) -> u32 {
    let fit = (turn.limits.message_bytes_max as usize).saturating_sub(32) / SYMBOL_BYTES_MAX;
    (fit as u32).min(turn.limits.items_per_message_max).max(1)
}

fn batch_limits(turn: &Turn<'_>) -> BatchLimits {
    BatchLimits {
        batch_symbols_max: batch_symbols_max(turn),
        symbols_max: turn.limits.symbols_max,
    }
}

impl Side {
    /// A fresh side; an initiator keys its hashing from `seed` (see the module docs).
    pub fn new(role: Role, seed: u64) -> Side {
        Side {
            role,
            seed,
            state: State::Fresh,
        }
    }

    /// The initiator's first message: the key and the first batch.
    pub fn start(&mut self, turn: &mut Turn<'_>) -> Result<Next, ReconcileError> {
        let key = ItemKey::draw(&mut Rng::stream(self.seed, Stream::RatelessKey, 0));
        let ids = ids_of(&key, turn.replica.store());
        let mut encoder = Encoder::new(key, ids.iter().copied());
        turn.out.extend_from_slice(&key.to_bytes());
        send_batch(turn, &mut encoder, BATCH_SYMBOLS_FIRST)?;
        self.state = State::Streaming(Box::new(Streaming { key, encoder, ids }));
        Ok(Next::Send)
    }

    /// Handles the next message, by role and state.
    pub fn handle(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
        let state = core::mem::replace(&mut self.state, State::Over);
        let (next, state) = match (self.role, state) {
            (Role::Responder, State::Fresh) => first(turn, body)?,
            (Role::Responder, State::Decoding(d)) => decode(turn, &mut Reader::new(body), d)?,
            (Role::Responder, State::Asked) => (entries(turn, body)?, State::Over),
            (Role::Initiator, State::Streaming(st)) => streaming(turn, body, st)?,
            _ => {
                return Err(ReconcileError::OutOfOrder {
                    what: "rateless message in the wrong state",
                })
            }
        };
        self.state = state;
        Ok(next)
    }
}

// The next batch's size: what brings the symbols sent so far to `rateless_growth_percent`
// of what they were (at 200, as many as all before), at least the first batch's.
fn next_batch(turn: &Turn<'_>, e: &Encoder) -> u32 {
    let sent = e.next_index();
    let grow = u64::from(turn.limits.rateless_growth_percent.saturating_sub(100));
    let batch = sent.saturating_mul(grow) / 100;
    batch
        .min(u64::from(u32::MAX))
        .max(u64::from(BATCH_SYMBOLS_FIRST)) as u32
}

// Appends the next batch: `wanted` symbols, capped by the batch and session limits.
fn send_batch(turn: &mut Turn<'_>, e: &mut Encoder, wanted: u32) -> Result<(), ReconcileError> {
    let start = e.next_index();
    let left = turn.limits.symbols_max.saturating_sub(start);
    let count = u64::from(wanted.min(batch_symbols_max(turn))).min(left);
    if count == 0 {
        return Err(ReconcileError::NeverPeeled { symbols: start });
    }
    let mut symbols = Vec::new();
    e.produce_into(count as usize, &mut symbols);
    put_batch(turn.out, start, &symbols);
    turn.counters.symbols_sent += count;
    Ok(())
}

// The responder's first message: the key, then decode the first batch.
fn first(turn: &mut Turn<'_>, body: &[u8]) -> Result<(Next, State), ReconcileError> {
    let mut r = Reader::new(body);
    let raw = r.bytes(ItemKey::BYTES as u64, "rateless key")?;
    let mut b = [0u8; ItemKey::BYTES];
    b.copy_from_slice(raw);
    let key = ItemKey::from_bytes(b);
    let ids = ids_of(&key, turn.replica.store());
    let decoder = Decoder::new(key, ids.clone())?;
    decode(turn, &mut r, Box::new(Decoding { key, decoder, ids }))
}

// The responder takes one batch; More if not decoded yet, else the Answer.
fn decode(
    turn: &mut Turn<'_>,
    r: &mut Reader<'_>,
    mut d: Box<Decoding>,
) -> Result<(Next, State), ReconcileError> {
    let batch = read_batch(r, &batch_limits(turn))?;
    expect_end(r)?;
    let decoder = &mut d.decoder;
    if batch.start != decoder.received() {
        return Err(ReconcileError::OutOfOrder {
            what: "rateless batch does not start at the next symbol",
        });
    }
    decoder.push_batch(&batch.symbols)?;
    if decoder.is_done() {
        return answer(turn, &d.key, &d.decoder, &d.ids);
    }
    if decoder.received() >= turn.limits.symbols_max {
        return Err(ReconcileError::NeverPeeled {
            symbols: decoder.received(),
        });
    }
    turn.out.push(TAG_MORE);
    Ok((Next::Send, State::Decoding(d)))
}

// The store's entries whose ids are in `wanted` (sorted), re-hashed to be sure.
fn entries_with_ids<'s>(
    key: &ItemKey,
    store: &'s Store,
    ids: &[u64],
    wanted: &[u64],
) -> Vec<(&'s [u8], &'s crate::store::Entry)> {
    if wanted.is_empty() {
        return Vec::new();
    }
    store
        .iter()
        .zip(ids)
        .filter(|(_, id)| wanted.binary_search(id).is_ok())
        .filter(|((k, e), id)| key.item_id(k, e.version()) == **id)
        .map(|(kv, _)| kv)
        .collect()
}

// The Answer: the responder's entries the initiator lacks, and the ids it lacks.
fn answer(
    turn: &mut Turn<'_>,
    key: &ItemKey,
    decoder: &Decoder,
    ids: &[u64],
) -> Result<(Next, State), ReconcileError> {
    let mut mine = decoder.receiver_only().to_vec();
    mine.sort_unstable();
    let store = turn.replica.store();
    let send = entries_with_ids(key, store, ids, &mine);
    let asked = decoder.sender_only();
    turn.check_items(send.len())?;
    turn.check_items(asked.len())?;
    turn.out.push(TAG_ANSWER);
    put_count(turn.out, send.len());
    for (k, e) in &send {
        put_entry(turn.out, k, e);
    }
    put_count(turn.out, asked.len());
    for id in asked {
        turn.out.extend_from_slice(&id.to_le_bytes());
    }
    turn.counters.entries_sent += send.len() as u64;
    // The asked-for ids are item hashes on the wire.
    turn.counters.hashes_sent += asked.len() as u64;
    if asked.is_empty() {
        Ok((Next::SendLast, State::Over))
    } else {
        Ok((Next::Send, State::Asked))
    }
}

// The initiator: More (send the next batch) or the Answer.
fn streaming(
    turn: &mut Turn<'_>,
    body: &[u8],
    mut st: Box<Streaming>,
) -> Result<(Next, State), ReconcileError> {
    let mut r = Reader::new(body);
    match r.byte("rateless tag")? {
        TAG_MORE => {
            expect_end(&r)?;
            let wanted = next_batch(turn, &st.encoder);
            send_batch(turn, &mut st.encoder, wanted)?;
            Ok((Next::Send, State::Streaming(st)))
        }
        TAG_ANSWER => Ok((answered(turn, &mut r, &st.key, &st.ids)?, State::Over)),
        _ => Err(ReconcileError::Decode(DecodeError::OutOfRange {
            field: "rateless tag",
        })),
    }
}

// Reads the asked-for ids whole (at most `items_per_message_max`), sorted.
fn read_ids(turn: &Turn<'_>, r: &mut Reader<'_>) -> Result<Vec<u64>, ReconcileError> {
    let count = r.varint("asked count")?;
    let max = turn.limits.items_per_message_max;
    if count > u64::from(max) {
        return Err(DecodeError::TooManyEntries { count, max }.into());
    }
    if (r.remaining() as u64) < count * 8 {
        return Err(DecodeError::Truncated { field: "asked id" }.into());
    }
    let mut ids = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let b = r.bytes(8, "asked id")?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        ids.push(u64::from_le_bytes(w));
    }
    ids.sort_unstable();
    Ok(ids)
}

// The initiator reads the Answer whole, sends what was asked for, then merges.
fn answered(
    turn: &mut Turn<'_>,
    r: &mut Reader<'_>,
    key: &ItemKey,
    ids: &[u64],
) -> Result<Next, ReconcileError> {
    let got = turn.read_entries(r)?;
    let asked = read_ids(turn, r)?;
    expect_end(r)?;
    let newer: BTreeMap<&[u8], Version> = got.iter().map(|e| (e.key, e.version)).collect();
    let store = turn.replica.store();
    let send: Vec<_> = entries_with_ids(key, store, ids, &asked)
        .into_iter()
        .filter(|(k, e)| newer.get(k).is_none_or(|v| *v < e.version()))
        .collect();
    put_count(turn.out, send.len());
    for (k, e) in &send {
        put_entry(turn.out, k, e);
    }
    turn.counters.entries_sent += send.len() as u64;
    merge_all(turn, got);
    Ok(if asked.is_empty() {
        Next::Done
    } else {
        Next::SendLast
    })
}

// The responder merges the entries it asked for.
fn entries(turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
    let mut r = Reader::new(body);
    let got = turn.read_entries(&mut r)?;
    expect_end(&r)?;
    merge_all(turn, got);
    Ok(Next::Done)
}

fn merge_all(turn: &mut Turn<'_>, list: ListRef<'_>) {
    for e in list.iter() {
        turn.merge(e.key, e.version, e.value);
    }
}
