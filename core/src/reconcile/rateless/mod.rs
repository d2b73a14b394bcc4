//! Rateless set reconciliation: Rateless IBLT (Yang, Gilad and Alizadeh, "Practical Rateless
//! Set Reconciliation", SIGCOMM 2024).
//!
//! Two replicas hold sets of items, one `(key, version)` per key. The initiator streams coded
//! symbols of its set; the responder subtracts its own and peels until it holds the symmetric
//! difference, after about 1.35 symbols per difference for large differences (the limit of the
//! paper's analysis; `core/tests/rateless.rs` measures ours: 1.37 at d = 1,000, 1.6 to 1.8 for
//! d = 2 to 10, exactly 1 for d = 1), whatever the size of the sets, and without knowing the size of the
//! difference in advance. Then the entries cross. One concept per file:
//! * [`hash`]: the keyed, frozen item ids and checksums (SipHash-2-4, a key per reconciliation);
//! * [`mapping`]: which coded symbols an item goes into (the index sequence, frozen);
//! * [`symbol`]: a coded symbol and its purity test;
//! * [`encoder`]: the symbol stream of a set, produced on demand;
//! * [`decoder`]: subtraction and peeling, with the checks that abandon a broken stream;
//! * [`codec`]: batches of coded symbols on the wire, validated whole;
//! * [`session`]: the strategy's side of a [`crate::reconcile::Session`].
//!
//! # Cost at 2^20 items, and the epoch-key design (measured, not built)
//! A session keys its hashing afresh, so each side hashes and maps every item it holds, at
//! every batch: `O(n)` computation for `O(d)` bytes. Counted under callgrind (instructions
//! repeat on this loaded machine, wall times do not; `core/benches/reconcile_cost.rs`,
//! `valgrind --tool=callgrind <binary> rateless`), one d = 100 session between two 2^20-key
//! replicas costs 9.64e9 instructions in `drive_pair` (about 2 s on one core): 7.79e9 in
//! `Encoder::produce_into` (the initiator's encoder and the decoder's own, each walking every
//! item's index sequence over the 7 doubling batches), 3.90e9 in `Decoder::push_batch`
//! (inclusive of the latter), and only 1.25e9 in the keyed hashes (`item_id`, `checksum`).
//! The target (10 ms, about 5e7 instructions) is 200 times below.
//!
//! The way there is the paper's: keep the prefix of the whole set's coded symbols up to date
//! on every write, so a session only streams it. That needs a key that outlives a session:
//! * a per-node *epoch key*, drawn from the node's anti-entropy stream, rotated every `E`
//!   sessions or on demand (a rotation rebuilds the kept state, `O(n)`, the cost one session
//!   pays today); the first message names the epoch key, and a responder whose own epoch key
//!   differs answers from its kept item ids if it keeps that key, else rebuilds for it once;
//! * kept per node under that key: each item's id and checksum, and the first `M` coded
//!   symbols (`M` = 4,096 covers d of about 3,000 at the paper's 1.35 symbols a difference,
//!   128 KiB at 32 bytes a symbol); a write removes the old `(key, version)` item and adds
//!   the new one: two keyed hashes and about `2 ln M`, 17, symbol updates, about 1e3
//!   instructions, on the write path of every node whether or not it reconciles;
//! * a session then streams the kept prefix (`O(M)`, no pass over the items) and falls back
//!   to today's encoder only beyond `M`.
//!
//! What it gives up against a per-session key: an adversary who learns an epoch key (every
//! peer the node reconciled with during the epoch sees it on the wire) can choose items whose
//! ids collide or whose symbols cancel, hiding a difference from repair or making streams
//! undecodable, until the next rotation; with a per-session key a peer learns the key only as
//! the session starts, too late to choose the items already written. Before the guard layer
//! every peer is trusted anyway (a peer can already write any value it likes and plant
//! versions up to `version_ticks_ahead_max` ahead), so the epoch key widens no hole that is
//! not already open; the guard layer will have to rotate per peer, or go back to per-session
//! keys for untrusted peers. Not built on this branch: it is a new kept structure on every
//! node's write path and a change of the first message, too large to land half-done.

pub mod codec;
pub mod decoder;
pub mod encoder;
pub mod hash;
pub mod mapping;
pub mod session;
pub mod symbol;
#[cfg(test)]
mod tests;

pub use decoder::{Decoder, PeelError};
pub use encoder::Encoder;
pub use hash::ItemKey;
pub use mapping::Mapping;
pub use session::Side;
pub use symbol::CodedSymbol;
