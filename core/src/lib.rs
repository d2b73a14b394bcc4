//! # gossip-core
//!
//! Gossip protocols as pure state machines, and a deterministic simulator that drives them.
//! No I/O, no clock, no global randomness: time, randomness (a seed) and messages go in;
//! messages, events and metrics come out. The same seed and the same inputs give the same run on
//! every platform, which is what lets a shared link replay exactly.
//!
//! # Module map
//! Every module of the crate is listed here (`core/tests/module_map.rs` fails when one is
//! missing). Foundations:
//! * [`rng`]: the seeded random streams every other module draws from (a frozen algorithm).
//! * [`time`]: ticks and rounds, the only notion of time in the crate.
//! * [`stats`]: summaries of samples (mean, percentiles, even samples) for the kernels' trials.
//! * [`theory`]: closed forms and recurrences from the literature, to draw beside the runs;
//!   [`theory::swim`]: SWIM's failure detection (detection time, false failures, Lifeguard's
//!   suspicion timeout, memberlist's retransmit limit).
//!   [`theory::merkle`]: the expected hashes of a Merkle reconciliation for `d` differences.
//!   [`theory::reconcile`]: the expected bytes of every reconciliation strategy on the trial pair.
//! * [`store`]: the versioned key/value state of a node (last writer wins, tombstones and
//!   their garbage collection).
//!
//! The fast Monte Carlo kernels of one rumor, for statistics at scale and the app's bands:
//! * [`kernel`]: what they are and why their names carry a prefix;
//! * [`kernel::epidemic`]: push, pull and push-pull with fanout and loss;
//! * [`kernel::demers`]: rumor mongering after Demers et al. (1987).
//!
//! The wire:
//! * [`wire`]: the framing every message shares (kind byte, varints, the reader, decode errors,
//!   limits) and the one frozen table of message kinds, each saying whether it carries data.
//! * [`codec`]: the bodies of the dissemination protocols' messages (lists of entries and of
//!   known versions); decoding never panics.
//!
//! The sans-IO protocol node, `handle_*` in, `poll_*` out, one file per protocol:
//! * [`node`]: the driver surface (`handle_message`, `handle_tick`, `poll_transmit`,
//!   `poll_event`, `poll_timeout`), owning the outbox, the events and the counters;
//! * [`node::config`]: the node's configuration and its validation;
//! * [`node::membership`]: who the node believes is alive (the oracle, or SWIM);
//! * [`node::membership::swim`]: SWIM with Lifeguard, the `Swim` state and its entry points,
//!   one concept per file: [`node::membership::swim::config`] (parameters, limits, defaults
//!   and their source), [`node::membership::swim::table`] (the compact member table and its
//!   precedence), [`node::membership::swim::probe`] (probe order and one probe's state),
//!   [`node::membership::swim::suspicion`] (Lifeguard's timeout, confirmations),
//!   [`node::membership::swim::health`] (local health), [`node::membership::swim::piggyback`]
//!   (the broadcast queue), [`node::membership::swim::codec`] (message bodies),
//!   [`node::membership::swim::counters`] and [`node::membership::swim::error`]; the `Swim`
//!   methods are split by job into `node::membership::swim::probing` (private: the probe of
//!   each period, ping-req helping), `node::membership::swim::updates` (private: applying
//!   updates, refutations, corrections), `node::membership::swim::sync` (private:
//!   push-pull syncs, sending) and `node::membership::swim::sift` (private: a received
//!   message's updates sorted before any is applied, a sync's in one pass against the
//!   table); `node::membership::swim::tests` (tests only) tests them node by node
//!   and in small clusters;
//! * [`node::peers`]: which members it gossips with;
//! * [`node::dissemination`]: the strategy chosen by configuration, one `match` per entry point;
//! * [`node::full_state`]: full-state anti-entropy;
//! * [`node::anti_entropy`]: reconciliation sessions ([`reconcile`]) with one random peer every
//!   so many gossip intervals, beside the dissemination: configuration, sessions, counters;
//! * [`node::rumor`]: rumor mongering, its state, its feedback and its counters;
//! * [`node::membership::heartbeat`]: heartbeat gossip with a phi accrual failure detector
//!   (Cassandra's way), the third membership source
//!   ([`crate::node::MembershipConfig::Heartbeat`]); its
//!   [`node::membership::heartbeat::config`], [`node::membership::heartbeat::counters`],
//!   [`node::membership::heartbeat::phi`] (the arrival window and `phi`),
//!   [`node::membership::heartbeat::codec`] (its message) and
//!   [`node::membership::heartbeat::source`] (wired into the node);
//!   `node::membership::heartbeat::tests` (tests only);
//! * `node::outbox` (private): the bounded outbox and the writer that splits messages;
//! * `node::test_support` (tests only): helpers for the node's unit tests.
//!
//! Reconciliation (anti-entropy that sends only the differences), sans-IO sessions driven by the
//! caller, one file or folder per strategy:
//! * [`reconcile`]: what a session is and how it is driven, the strategies, limits, counters,
//!   errors, the [`reconcile::Replica`] (store plus tree) and [`reconcile::reconcile_pair`];
//!   private parts `reconcile::counters`, `reconcile::error`, `reconcile::limits`,
//!   `reconcile::replica` and `reconcile::turn` (what a strategy's step is handed);
//!   `reconcile::tests` (tests only) holds every strategy to a naive oracle and feeds bad bytes;
//! * [`reconcile::wire_entries`]: the lists of entries and versions every strategy sends;
//! * [`reconcile::refusal`]: the message a busy responder answers with instead of a session;
//! * [`reconcile::trial`]: two replicas that differ in `d` random keys (runner, tests, lab);
//! * [`reconcile::trace`]: a session recorded turn by turn (what each message names, what
//!   crossed, the counters after it), for the app's anti-entropy lab;
//! * [`reconcile::full`]: full state, the baseline; [`reconcile::digest`]: version digests;
//! * [`reconcile::merkle`]: Merkle trees, with [`reconcile::merkle::shape`],
//!   [`reconcile::merkle::hash`] (BLAKE3, measured), [`reconcile::merkle::tree`] (incremental),
//!   [`reconcile::merkle::codec`] and [`reconcile::merkle::session`].
//! * [`reconcile::rateless`]: rateless set reconciliation (Rateless IBLT, SIGCOMM 2024), one
//!   concept per file: [`reconcile::rateless::hash`] (keyed, frozen ids and checksums),
//!   [`reconcile::rateless::mapping`] (the frozen index sequence), [`reconcile::rateless::symbol`]
//!   (a coded symbol), [`reconcile::rateless::encoder`] (the symbol stream),
//!   [`reconcile::rateless::decoder`] (peeling), [`reconcile::rateless::codec`] (batches on
//!   the wire) and [`reconcile::rateless::session`] (the strategy's side of a session);
//!   `reconcile::rateless::tests` (tests only) holds it to a naive oracle and feeds bad bytes.
//!
//! The simulator:
//! * [`net`]: the simulated network (loss, latency, duplication, partitions, messages in flight).
//! * [`sim`]: the deterministic, replayable cluster simulator: configuration, the phases of a
//!   tick, the schedule and the history;
//! * [`sim::action`]: what is done to a cluster from outside, and why it was refused;
//! * [`sim::edit`]: editing an action script: insert keeping order, remove, first difference;
//! * [`sim::coverage`]: the newest version of every key and its live holders;
//! * [`sim::view`]: what a renderer draws, nodes and messages for one key;
//! * [`sim::record`]: the record of each round, common counts plus each protocol's own;
//! * [`sim::slow`]: slow nodes, which handle their messages and timers late and catch up;
//! * [`sim::membership`]: with SWIM, the truth against how the cluster sees each member, and
//!   the detection metrics, defined exactly there.
//! * [`script`]: a run's actions as short URL-safe text, for permalinks that replay it exactly.
//!
//! Links, read the same way by the page and by the headless runner (`lab cluster --link`):
//! * [`link`]: a permalink's query string, its notices and typed field readers;
//! * [`link::dissemination`]: the dissemination lab's run as a link names it (fields, limits,
//!   scenarios); `link::dissemination::parse` (private) reads a link into it,
//!   `link::dissemination::replay` (private) replays it round by round as the page steps it,
//!   `link::dissemination::repair` (private) names the anti-entropy repair beside the mode
//!   (`ae=`, `aei=`), `link::dissemination::lacking` (private) counts the newest versions each
//!   node lacks, and `link::dissemination::tests` (tests only) tests them.
//! * [`link::membership`]: the membership lab's run as a link names it (SWIM's fields, limits,
//!   scenarios); `link::membership::parse` (private) reads a link into it,
//!   `link::membership::compare` (private) builds the second run a link asks for (Lifeguard
//!   off, or heartbeat gossip), and `link::membership::tests` (tests only) tests them and each
//!   scenario's caption on the engine.
//! * [`link::anti_entropy`]: the anti-entropy lab's pair of replicas as a link names it (keys,
//!   differences, strategy, tree shape, seed); `link::anti_entropy::parse` (private) reads a
//!   link into it, [`link::anti_entropy::source`] takes the pair from two nodes of a
//!   dissemination run at a round instead, and `link::anti_entropy::tests` (tests only) tests them.
//! * [`link::lesson`]: a lesson's progress as a link holds it (lesson, step, predictions), read
//!   beside any lab's fields.
//! * [`link::teacher`]: a teacher's fields of a link (locked and hidden controls, playing on
//!   load, projector mode, the notes), read beside any lab's fields.
//!
//! Teaching, on top of the links:
//! * [`challenge`]: challenges checked by replaying the student's run (and fresh seeds), the
//!   catalogue; [`challenge::goal`] (what is measured and when it is decided),
//!   [`challenge::check`] (the check, a bounded piece at a time) and [`challenge::proof`] (proof
//!   links and their digest); `challenge::tests` (tests only).
//!
//! The crate is `no_std` with `alloc`; the `std` feature only adds host conveniences.
//!
//! # Serde
//! With the `serde` feature, what a run is made of and what it gives derive `serde`'s
//! `Serialize` and `Deserialize` (without the feature the `no_std` build compiles no serde):
//! * records: [`sim::RoundRecord`] with its [`sim::KeyCoverage`], [`node::FullStateCounters`],
//!   [`node::RumorCounters`], [`node::SwimCounters`] and [`sim::MembershipRound`]; a crash's
//!   [`sim::Detection`]; [`node::MemberState`]; a node's [`node::Counters`]; [`net::NetCounters`]; the
//!   kernels' [`kernel::epidemic::KernelRound`], [`kernel::epidemic::TrialOutcome`],
//!   [`kernel::demers::CycleRecord`] and [`kernel::demers::DemersOutcome`]; [`stats::Summary`];
//! * configurations: [`sim::ClusterConfig`], [`node::NodeConfig`] (its [`node::Mode`],
//!   [`node::Exchange`], [`node::RumorConfig`], [`node::RumorFeedback`], [`node::RumorStop`]
//!   and [`store::StoreLimits`], its [`node::MembershipConfig`] with [`node::SwimConfig`],
//!   [`node::LifeguardConfig`] and [`node::ProbeOrder`]), [`net::NetConfig`], [`net::LinkConfig`],
//!   [`kernel::epidemic::KernelConfig`], [`kernel::demers::DemersConfig`] and their enums;
//! * what is done to a run and when: [`sim::Action`], [`net::Direction`], [`time::Round`],
//!   [`time::Tick`], [`store::Version`];
//! * reconciliation: [`reconcile::Strategy`] with its [`reconcile::TreeShape`],
//!   [`reconcile::ReconcileLimits`], and what a session gives: [`reconcile::Report`],
//!   [`reconcile::ReconcileCounters`] and [`reconcile::AbandonReason`];
//! * links: [`link::Notice`], [`link::dissemination::Run`] with its `Protocol`, `StopRule`,
//!   `Scenario`, `Membership` and `RepairStrategy`, a replay's [`link::dissemination::Row`] and `Ending`, and
//!   [`link::membership::Run`] with its `Scenario`.
//!
//! The names, pinned by `core/tests/serde.rs`: struct fields keep their Rust names (snake case
//! already: `messages_sent`, `latency_ticks_min`); every enum's variants are their Rust names in
//! snake case (`rename_all = "snake_case"`: `push_pull`, `feedback_counter`,
//! `set_default_link`), in serde's default external tagging: a variant without data is a
//! string (`"heal"`), one with data an object of one key (`{"crash": 3}`,
//! `{"anti_entropy": "push"}`, `{"rumor": {"exchange": "pull", "feedback": "blind", "stop":
//! {"coin": 2}}}`). [`time::Round`] and [`time::Tick`] are plain numbers, keys and values
//! (bytes) are arrays of numbers, a [`rng::Probability`] is the number 0 to 1 it stands for,
//! and a run's `(Round, Action)` pairs are arrays of two. These are not a link's names: a
//! link's text (`m=pushpull`, `s=modes`, `stop=feedback-counter`) is its own frozen format,
//! read by [`link::dissemination::parse`] alone. Deserializing checks types, not limits: a
//! configuration is validated where it is used (`Cluster::new`, `Trials::new`), as one built
//! in code is, and a deserialized `Run` is not held to a link's limits.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod challenge;
pub mod codec;
pub mod kernel;
pub mod link;
pub mod net;
pub mod node;
pub mod reconcile;
pub mod rng;
pub mod script;
pub mod sim;
pub mod stats;
pub mod store;
pub mod theory;
pub mod time;
pub mod wire;
