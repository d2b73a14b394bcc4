//! The fast Monte Carlo kernels: one rumor in synchronous rounds, at a million nodes.
//!
//! These are not the protocol engine. The engine ([`crate::node`] driven by [`crate::sim`])
//! runs real nodes that exchange encoded messages over a simulated network; a kernel models
//! one rumor with a bitset per round and draws straight from one random stream, so it can run
//! thousands of trials for statistics (the app's bands, the literature tests, the runner).
//! * [`epidemic`]: push, pull and push-pull with fanout and loss (Karp et al. 2000).
//! * [`demers`]: rumor mongering with feedback or blind, counter or coin (Demers et al. 1987).
//!
//! # Why the names carry a prefix
//! The engine and the kernels talk about the same things (a configuration, a round, a message
//! kind, a rumor), and before they had their own place the crate had two `RumorConfig`, two
//! `Rumor`, two `RoundRecord` and two `MessageKind`: a reader (or an import) could not tell
//! which was meant. Every kernel type whose engine counterpart exists is therefore named for
//! its kernel: [`epidemic::KernelConfig`], [`epidemic::KernelRound`], [`epidemic::KernelMode`],
//! [`epidemic::KernelMessage`], [`epidemic::KernelMessageKind`], [`epidemic::KernelSpread`]
//! (the engine's views have a `Spread` too) and [`epidemic::KernelConfigError`];
//! [`demers::DemersConfig`], [`demers::DemersRun`], [`demers::DemersOutcome`] and
//! [`demers::DemersError`]. Names with no counterpart (`Trials`, `TrialOutcome`, `Variant`,
//! `Counting`, `Removal`, `Schedule`, `CounterReset`, `CycleRecord`) are unchanged.
//!
//! The algorithms, the order in which they consume their streams and so every number they
//! produce are exactly those of the files they were moved from (the pinned hashes in
//! `core/tests/golden.rs` hold them to it).

pub mod demers;
pub mod epidemic;
