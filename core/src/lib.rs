//! # gossip-core
//!
//! Gossip protocols as pure state machines, and a deterministic simulator that drives them.
//! No I/O, no clock, no global randomness: time, randomness (a seed) and messages go in;
//! messages, events and metrics come out. The same seed and the same inputs give the same run on
//! every platform, which is what lets a shared link replay exactly.
//!
//! Where to look:
//! * [`rng`]: the seeded random streams every other module draws from (a frozen algorithm).
//! * [`kernel`]: the fast Monte Carlo kernels of one rumor in synchronous rounds, used for
//!   statistics at scale and by the app: [`kernel::epidemic`] (push, pull, push-pull with
//!   fanout) and [`kernel::demers`] (rumor mongering after Demers et al. 1987).
//! * [`time`]: ticks and rounds, the only notion of time in the crate.
//! * [`store`]: the versioned key/value state of a node (last writer wins, tombstones and
//!   their garbage collection).
//! * [`wire`]: the framing every message shares (kind byte, varints, the reader, decode errors,
//!   limits) and the one frozen table of message kinds, each saying whether it carries data.
//! * [`codec`]: the bodies of the dissemination protocols' messages (lists of entries and of
//!   known versions); decoding never panics.
//! * [`node`]: the sans-IO protocol node (anti-entropy and rumor mongering): `handle_*` in,
//!   `poll_*` out.
//! * [`net`]: the simulated network (loss, latency, duplication, partitions, messages in flight).
//! * [`sim`]: the deterministic, replayable cluster simulator that drives nodes over the network.
//! * [`script`]: a run's actions as short URL-safe text, for permalinks that replay it exactly.
//!
//! The crate is `no_std` with `alloc`; the `std` feature only adds host conveniences.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod codec;
pub mod kernel;
pub mod net;
pub mod node;
pub mod rng;
pub mod script;
pub mod sim;
pub mod stats;
pub mod store;
pub mod theory;
pub mod time;
pub mod wire;
