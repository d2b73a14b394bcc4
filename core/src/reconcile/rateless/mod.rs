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
