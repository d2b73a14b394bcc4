//! The fast Monte Carlo kernel of epidemic dissemination of one rumor in synchronous rounds.
//!
//! # The model
//!
//! After Demers et al. 1987 and Karp et al. 2000: `n` nodes, one of them (node 0) knows the
//! rumor at round 0. In each round every *acting* node contacts `fanout` distinct peers chosen
//! uniformly among the other `n - 1` nodes, and every exchange of a round reads the state at the
//! start of the round: what a node learns in round `r` it first passes on in round `r + 1`.
//!
//! * **push**: every informed node sends the rumor to each peer it contacts (1 message each).
//!   Uninformed nodes have nothing to push and do not act.
//! * **pull**: every uninformed node sends a request to each peer it contacts (1 message); a
//!   peer that receives a request always replies (1 message), and the reply carries the rumor
//!   if the peer knew it at the start of the round. A pull therefore costs 2 messages, or 1 when
//!   the request is lost. Informed nodes do not pull: in a real system they would keep polling
//!   for *other* rumors, but that traffic is not this rumor's.
//! * **push-pull**: every node acts; an informed node pushes and an uninformed node pulls,
//!   exactly as above, so the messages of push-pull are those of push plus those of pull
//!   (an exchange costs 1 message when the initiator knew the rumor, 2 when it did not).
//!
//! **Loss**: each message (push, request, reply) is lost independently with probability
//! `loss`. A lost request gets no reply.
//!
//! **Counters**, per round and in total:
//! * `messages`: every message sent, lost or not;
//! * `lost`: messages the network dropped;
//! * `duplicates`: delivered messages that carried the rumor to a node that already had it
//!   (at the start of the round, or from an earlier delivery in the same round). It equals the
//!   rumor-carrying deliveries minus the newly informed nodes, so it does not depend on the
//!   order in which deliveries are processed. Empty replies are not duplicates: they carried
//!   nothing, new or old.
//!
//! **Not the protocol engine's counts.** [`crate::node`] and [`crate::sim`] count the same
//! words differently for pull and push-pull, because an engine node gossips about every key
//! and cannot know which nodes "need" one rumor:
//!
//! | | this kernel (one rumor) | engine ([`crate::sim::RoundRecord`]) |
//! |---|---|---|
//! | who acts, pull | uninformed nodes only | every live node, every gossip interval |
//! | who acts, push-pull | every node; informed push, uninformed pull | every live node sends a push-pull |
//! | messages, pull | requests + replies of uninformed nodes | every request and every reply (plus feedback in rumor mode) |
//! | messages, push-pull | 1 per exchange an informed node starts, 2 per one an uninformed node starts | 2 per exchange (push-pull + reply), whoever starts it |
//! | duplicates | rumor-carrying deliveries to a node that had the rumor | delivered data messages with entries, none new to the receiver |
//!
//! So for pull and push-pull the engine's messages and duplicates are larger: once most nodes
//! are informed, an informed node's request and the informed peer's reply are a duplicate
//! round trip in the engine and no traffic at all here. Push counts agree (only holders send,
//! every push carries the rumor). The per-round engine record does not carry a
//! kernel-comparable count: that count is per key, and finding which messages carry which key
//! means decoding every message; a viewer that wants it for one key gets it from
//! [`crate::sim::Cluster::message_views`] (the `cargo` of each message).
//!
//! # Determinism: the exact order in which the stream is consumed
//!
//! A run is a pure function of its [`KernelConfig`] (which holds the seed). It draws from one
//! stream, `Rng::stream(seed, Stream::KernelPeers, 0)`, in this order: rounds in sequence;
//! within a round, acting nodes in increasing id order (in push-pull, first every informed node
//! in id order, pushing, then every uninformed node in id order, pulling); for each acting node,
//! first its peers by [`Rng::sample_distinct`]`(n - 1, fanout)` (a sample index `p` names node
//! `p` if `p < node` and node `p + 1` otherwise, skipping the node itself), then, only when
//! `loss > 0`, for each peer in sample order: one [`Rng::chance`] draw for the push (push), or
//! one for the request and, if the request was delivered, one for the reply (pull). With
//! `fanout == 1` the sample is a single [`Rng::below`]`(n - 1)`, which is what
//! `sample_distinct` draws for one element. [`KernelSpread::step_traced`] reports the messages in
//! exactly this order, so a viewer never needs to replay the stream itself.
//!
//! # Performance
//!
//! The state is two bitsets (start of round and end of round), so a million nodes take 250 KB
//! and stay in a core's L2 cache; peers are drawn into a fixed array; the informed count is
//! maintained from the bits that flip, never recounted; nothing is allocated after
//! [`KernelSpread::new`], and [`Trials`] reuses one [`KernelSpread`]'s buffers across trials. Push walks
//! only the set bits and pull only the clear bits, so early push rounds and late pull rounds
//! cost almost nothing; push-pull runs a push pass then a pull pass, so no per-node branch on
//! the node's own bit is left to mispredict. Fanout 1 without loss, the common case, has its
//! own flat loop with every counter in a register. `core/benches/dissemination.rs` measures it:
//! about 1.7 ns per node per round for push-pull at 10^3 nodes and 1.9 ns at 10^6 (2.6 GHz
//! Xeon), a full push-pull spread over 10^6 nodes in about 30 ms, 1000 trials at 1000 nodes in
//! about 16 ms on one core and 8.4 ms on two ([`Trials::run_range`] splits a sweep without
//! changing a single outcome).
//!
//! Against the vectorised numpy peer of the same model (`core/benches/numpy_peer.py`, numpy
//! 2.4, one core; `make bench-numpy` times both in turns) that is about 2.5 times faster for
//! 1000 trials at 1000 nodes (numpy about 45 ms), under 5 times with two threads, and about
//! 2.5 times at 10^6 nodes (numpy about 78 ms). What bounds the ratio: a node's turn here is
//! roughly 25 instructions (one xoshiro output, Lemire's multiply, the skip over itself, the
//! bit) in about 5 cycles, while numpy, batched over the trials, spends about 5 ns per
//! node-round in a few passes over whole arrays, each a tight compiled loop, which one safe,
//! scalar turn per node cannot beat by more than a few times. Prototypes that drew two or four indices from one 64-bit output, kept a byte per
//! node to make turns branch-free, buffered four xoshiro lanes, ran trials in lock step or
//! replaced a pull by its Bernoulli distribution were at best 15-20 % faster on push-pull and
//! slower on push or with loss, too little to justify a second consumption of the stream; and
//! any exact shortcut of the model (skipping the nodes whose contact changes nothing, or
//! sampling counts instead of nodes) applies to numpy as well, so it does not change the
//! ratio.

use alloc::vec;
use alloc::vec::Vec;

use crate::rng::{self, Probability, Rng, Stream};

/// The largest fanout a node may use in one round.
pub const FANOUT_MAX: usize = 16;
/// The largest cluster the kernel simulates (16 Mi nodes: 4 MiB of bitsets).
pub const NODES_MAX: u32 = 1 << 24;
/// The largest message loss probability. At higher loss a spread over a large cluster takes
/// thousands of rounds, which is a mistake in an experiment rather than an experiment.
pub const LOSS_MAX: f64 = 0.95;
/// The most trials one [`Trials`] sweep runs.
pub const TRIALS_MAX: u32 = 1_000_000;
/// The largest round limit a [`Trials`] sweep accepts.
pub const ROUNDS_MAX: u32 = 1_000_000;

/// How nodes exchange the rumor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum KernelMode {
    /// Informed nodes send the rumor to the peers they contact.
    Push,
    /// Uninformed nodes ask the peers they contact and learn the rumor from them.
    Pull,
    /// Informed nodes push and uninformed nodes pull, in the same round.
    PushPull,
}

/// What one run simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KernelConfig {
    /// Number of nodes, 2 to [`NODES_MAX`].
    pub nodes: u32,
    /// Distinct peers each acting node contacts per round, 1 to [`FANOUT_MAX`], below `nodes`.
    pub fanout: u32,
    /// The exchange mode.
    pub mode: KernelMode,
    /// Probability that each message is lost, independently; at most [`LOSS_MAX`].
    pub loss: Probability,
    /// The run's seed.
    pub seed: u64,
}

/// A bad configuration; nothing was created and no state changed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KernelConfigError {
    /// `nodes` outside `2..=NODES_MAX`.
    Nodes(u32),
    /// `fanout` outside `1..=FANOUT_MAX` or not below `nodes`.
    Fanout(u32),
    /// `loss` above [`LOSS_MAX`].
    Loss(f64),
    /// A sweep's trial count outside `1..=TRIALS_MAX`.
    Trials(u32),
    /// A sweep's round limit outside `1..=ROUNDS_MAX`.
    Rounds(u32),
}

impl core::fmt::Display for KernelConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            KernelConfigError::Nodes(n) => write!(f, "nodes must be 2 to {NODES_MAX}, got {n}"),
            KernelConfigError::Fanout(k) => {
                write!(
                    f,
                    "fanout must be 1 to {FANOUT_MAX} and below nodes, got {k}"
                )
            }
            KernelConfigError::Loss(p) => write!(f, "loss must be 0 to {LOSS_MAX}, got {p}"),
            KernelConfigError::Trials(t) => write!(f, "trials must be 1 to {TRIALS_MAX}, got {t}"),
            KernelConfigError::Rounds(r) => {
                write!(f, "round limit must be 1 to {ROUNDS_MAX}, got {r}")
            }
        }
    }
}

impl KernelConfig {
    /// Checks every field against its limit.
    pub fn validate(&self) -> Result<(), KernelConfigError> {
        if !(2..=NODES_MAX).contains(&self.nodes) {
            return Err(KernelConfigError::Nodes(self.nodes));
        }
        if self.fanout == 0 || self.fanout as usize > FANOUT_MAX || self.fanout >= self.nodes {
            return Err(KernelConfigError::Fanout(self.fanout));
        }
        if self.loss.as_f64() > LOSS_MAX {
            return Err(KernelConfigError::Loss(self.loss.as_f64()));
        }
        Ok(())
    }
}

/// What a traced message is; see [`KernelSpread::step_traced`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KernelMessageKind {
    /// An informed node sends the rumor.
    Push,
    /// An uninformed node asks a peer.
    Request,
    /// The peer's answer to a delivered request; it carries the rumor if the peer knew it.
    Reply,
}

/// One message of a traced round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelMessage {
    /// Sender.
    pub from: u32,
    /// Receiver.
    pub to: u32,
    /// Push, request or reply.
    pub kind: KernelMessageKind,
    /// False when the network dropped it.
    pub delivered: bool,
    /// Whether it carried the rumor (pushes always do; replies when the peer knew it at the
    /// start of the round).
    pub carries: bool,
}

/// What happened in one round, and where the run stands after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KernelRound {
    /// The round just completed, counting from 1.
    pub round: u32,
    /// Nodes informed at the end of the round.
    pub informed: u32,
    /// Nodes that learned the rumor in this round.
    pub newly_informed: u32,
    /// Messages sent in this round, lost or not.
    pub messages: u64,
    /// Delivered messages of this round that brought the rumor to a node that had it already.
    pub duplicates: u64,
    /// Messages of this round the network dropped.
    pub lost: u64,
}

/// One run of the spread, stepped a round at a time.
#[derive(Clone, Debug)]
pub struct KernelSpread {
    config: KernelConfig,
    rng: Rng,
    round: u32,
    /// Bit `i` is set when node `i` knows the rumor (state at the start of the next round).
    known: Vec<u64>,
    /// Scratch for the state at the end of the round being run; swapped with `known`.
    next: Vec<u64>,
    informed_count: u32,
    messages_total: u64,
    duplicates_total: u64,
    lost_total: u64,
}

impl KernelSpread {
    /// A run at round 0 with node 0 informed.
    pub fn new(config: KernelConfig) -> Result<KernelSpread, KernelConfigError> {
        config.validate()?;
        let words = (config.nodes as usize).div_ceil(64);
        let mut spread = KernelSpread {
            config,
            rng: Rng::stream(config.seed, Stream::KernelPeers, 0),
            round: 0,
            known: vec![0; words],
            next: vec![0; words],
            informed_count: 1,
            messages_total: 0,
            duplicates_total: 0,
            lost_total: 0,
        };
        spread.reset(config.seed);
        Ok(spread)
    }

    /// Restarts the run at round 0 with another seed, keeping the buffers.
    pub fn reset(&mut self, seed: u64) {
        self.config.seed = seed;
        self.rng = Rng::stream(seed, Stream::KernelPeers, 0);
        self.round = 0;
        self.known.fill(0);
        self.known[0] = 1;
        self.informed_count = 1;
        self.messages_total = 0;
        self.duplicates_total = 0;
        self.lost_total = 0;
    }

    /// The configuration of this run.
    pub fn config(&self) -> &KernelConfig {
        &self.config
    }

    /// Rounds completed so far.
    pub fn round(&self) -> u32 {
        self.round
    }

    /// How many nodes know the rumor.
    pub fn informed_count(&self) -> u32 {
        self.informed_count
    }

    /// Whether node `i` knows the rumor (false for ids out of range).
    pub fn is_informed(&self, i: u32) -> bool {
        i < self.config.nodes && self.known[(i / 64) as usize] >> (i % 64) & 1 == 1
    }

    /// Whether every node knows the rumor.
    pub fn is_complete(&self) -> bool {
        self.informed_count == self.config.nodes
    }

    /// Messages sent so far, lost or not.
    pub fn messages(&self) -> u64 {
        self.messages_total
    }

    /// Delivered messages so far that brought the rumor to a node that had it already.
    pub fn duplicates(&self) -> u64 {
        self.duplicates_total
    }

    /// Messages lost so far.
    pub fn lost(&self) -> u64 {
        self.lost_total
    }

    /// Runs one synchronous round and reports it.
    pub fn step(&mut self) -> KernelRound {
        self.next.copy_from_slice(&self.known);
        let mut tally = Tally::default();
        if self.config.loss == Probability::NEVER && self.config.fanout == 1 {
            self.run_round_lossless_fanout_1(&mut tally);
        } else if self.config.loss == Probability::NEVER {
            self.run_round::<false, _>(&mut tally, |_| {});
        } else {
            self.run_round::<true, _>(&mut tally, |_| {});
        }
        self.finish_round(tally)
    }

    /// Runs one synchronous round like [`KernelSpread::step`], calling `on_message` with every
    /// message in the order the kernel draws them (see "Determinism" in the module docs). The
    /// run is the same as with `step`: tracing only watches. It takes the general path even for
    /// fanout 1, so it is a few times slower than `step`; it is meant for drawing a round, not
    /// for statistics.
    pub fn step_traced(&mut self, on_message: impl FnMut(&KernelMessage)) -> KernelRound {
        self.next.copy_from_slice(&self.known);
        let mut tally = Tally::default();
        if self.config.loss == Probability::NEVER {
            self.run_round::<false, _>(&mut tally, on_message);
        } else {
            self.run_round::<true, _>(&mut tally, on_message);
        }
        self.finish_round(tally)
    }

    fn finish_round(&mut self, tally: Tally) -> KernelRound {
        core::mem::swap(&mut self.known, &mut self.next);
        let duplicates = tally.deliveries - u64::from(tally.newly);
        self.informed_count += tally.newly;
        self.messages_total += tally.messages;
        self.duplicates_total += duplicates;
        self.lost_total += tally.lost;
        self.round += 1;
        debug_assert!(self.informed_count <= self.config.nodes);
        KernelRound {
            round: self.round,
            informed: self.informed_count,
            newly_informed: tally.newly,
            messages: tally.messages,
            duplicates,
            lost: tally.lost,
        }
    }

    /// Steps until every node knows the rumor or `rounds_max` rounds have run; returns whether
    /// the spread completed.
    pub fn run_to_completion(&mut self, rounds_max: u32) -> bool {
        while !self.is_complete() && self.round < rounds_max {
            self.step();
        }
        self.is_complete()
    }

    /// The common case, written out flat: fanout 1 and no loss, so a node's turn is one draw
    /// and one bit, the messages are known in advance (1 per push, 2 per pull), and every
    /// counter is a local the compiler keeps in a register. It consumes the stream exactly as
    /// [`KernelSpread::run_round`] does (checked by a unit test), only faster: the general path keeps
    /// its peers in an array and its counters in a struct, which put a store and a reload on
    /// every node's path.
    fn run_round_lossless_fanout_1(&mut self, tally: &mut Tally) {
        let n = self.config.nodes;
        let others = n - 1;
        let mode = self.config.mode;
        let mut rng = self.rng.clone();
        let known = &self.known[..];
        let next = &mut self.next[..];
        let mut newly = 0u32;
        let mut deliveries = 0u64;
        let mut messages = 0u64;
        if matches!(mode, KernelMode::Push | KernelMode::PushPull) {
            for (w, &bits) in known.iter().enumerate() {
                let base = (w * 64) as u32;
                let mut set = bits;
                messages += u64::from(set.count_ones());
                while set != 0 {
                    let node = base + set.trailing_zeros();
                    let p = rng.below(others);
                    let peer = p + u32::from(p >= node);
                    let word = &mut next[(peer / 64) as usize];
                    let mask = 1u64 << (peer % 64);
                    newly += u32::from(*word & mask == 0);
                    *word |= mask;
                    set &= set - 1;
                }
            }
            deliveries += messages;
        }
        if matches!(mode, KernelMode::Pull | KernelMode::PushPull) {
            for w in 0..known.len() {
                let base = (w * 64) as u32;
                let valid = if base + 64 <= n {
                    u64::MAX
                } else {
                    (1u64 << (n - base)) - 1
                };
                let mut clear = !known[w] & valid;
                messages += 2 * u64::from(clear.count_ones());
                let mut learned = 0u64;
                while clear != 0 {
                    let b = clear.trailing_zeros();
                    let node = base + b;
                    let p = rng.below(others);
                    let peer = p + u32::from(p >= node);
                    let knew = known[(peer / 64) as usize] >> (peer % 64) & 1;
                    deliveries += knew;
                    learned |= knew << b;
                    clear &= clear - 1;
                }
                let word = &mut next[w];
                newly += (learned & !*word).count_ones();
                *word |= learned;
            }
        }
        self.rng = rng;
        *tally = Tally {
            messages,
            lost: 0,
            deliveries,
            newly,
        };
    }

    // `LOSSY` is a const parameter so the loss-free hot loop carries no loss branch at all, and
    // the tracer is a type parameter so the untraced round compiles its calls away.
    fn run_round<const LOSSY: bool, F: FnMut(&KernelMessage)>(
        &mut self,
        tally: &mut Tally,
        trace: F,
    ) {
        let n = self.config.nodes;
        // The generator and the counters live in locals for the round: behind a reference into
        // `self` the compiler must store them to memory after every draw, and the next draw
        // waits for that store (a dependency through memory that doubled the cost per node).
        let mut round = Round {
            known: &self.known,
            next: &mut self.next,
            rng: self.rng.clone(),
            others: n - 1,
            fanout: self.config.fanout as usize,
            loss: self.config.loss,
            peers: [0; FANOUT_MAX],
            tally: Tally::default(),
            trace,
        };
        let words = self.known.len();
        let mode = self.config.mode;
        // Push-pull runs as a push pass and then a pull pass rather than one pass that branches
        // on each node's bit: that branch is a coin flip mid-spread, and its mispredictions
        // cost more than all the rest of a node's work at a million nodes.
        if matches!(mode, KernelMode::Push | KernelMode::PushPull) {
            for w in 0..words {
                let base = (w * 64) as u32;
                let mut set = round.known[w];
                while set != 0 {
                    round.push::<LOSSY>(base + set.trailing_zeros());
                    set &= set - 1;
                }
            }
        }
        if matches!(mode, KernelMode::Pull | KernelMode::PushPull) {
            for w in 0..words {
                let base = (w * 64) as u32;
                // Bits past the last node are never set, so they must not act as uninformed.
                let valid = if base + 64 <= n {
                    u64::MAX
                } else {
                    (1u64 << (n - base)) - 1
                };
                let mut clear = !round.known[w] & valid;
                // The word's learners are gathered in a register and stored once: a store per
                // pull into the same word would chain every pull to the previous one's store.
                let mut learned = 0u64;
                while clear != 0 {
                    let b = clear.trailing_zeros();
                    learned |= round.pull::<LOSSY>(base + b) << b;
                    clear &= clear - 1;
                }
                let word = &mut round.next[w];
                round.tally.newly += (learned & !*word).count_ones();
                *word |= learned;
            }
        }
        self.rng = round.rng;
        *tally = round.tally;
    }
}

#[derive(Default)]
struct Tally {
    messages: u64,
    lost: u64,
    /// Delivered messages that carried the rumor.
    deliveries: u64,
    newly: u32,
}

/// The borrowed state of one round in progress.
struct Round<'a, F> {
    known: &'a [u64],
    next: &'a mut [u64],
    rng: Rng,
    others: u32,
    fanout: usize,
    loss: Probability,
    peers: [u32; FANOUT_MAX],
    tally: Tally,
    /// Called with every message as it is drawn.
    trace: F,
}

impl<F: FnMut(&KernelMessage)> Round<'_, F> {
    #[inline(always)]
    fn draw_peers(&mut self, node: u32) -> usize {
        let got = if self.fanout == 1 {
            // What `sample_distinct` draws for one element, without its loop.
            self.peers[0] = self.rng.below(self.others);
            1
        } else {
            self.rng
                .sample_distinct(self.others, self.fanout, &mut self.peers)
        };
        for p in &mut self.peers[..got] {
            *p += u32::from(*p >= node);
        }
        got
    }

    #[inline(always)]
    fn learn(&mut self, node: u32) {
        let word = &mut self.next[(node / 64) as usize];
        let mask = 1u64 << (node % 64);
        self.tally.newly += u32::from(*word & mask == 0);
        *word |= mask;
    }

    #[inline(always)]
    fn knew(&self, node: u32) -> bool {
        self.known[(node / 64) as usize] >> (node % 64) & 1 == 1
    }

    #[inline(always)]
    fn push<const LOSSY: bool>(&mut self, node: u32) {
        let got = self.draw_peers(node);
        self.tally.messages += got as u64;
        for i in 0..got {
            let peer = self.peers[i];
            let delivered = !(LOSSY && self.rng.chance(self.loss));
            (self.trace)(&KernelMessage {
                from: node,
                to: peer,
                kind: KernelMessageKind::Push,
                delivered,
                carries: true,
            });
            if !delivered {
                self.tally.lost += 1;
                continue;
            }
            self.tally.deliveries += 1;
            self.learn(peer);
        }
    }

    /// One uninformed node's pulls; returns 1 if a reply brought it the rumor, else 0.
    #[inline(always)]
    fn pull<const LOSSY: bool>(&mut self, node: u32) -> u64 {
        let got = self.draw_peers(node);
        let mut learned = 0u64;
        for i in 0..got {
            let peer = self.peers[i];
            self.tally.messages += 1;
            let asked = !(LOSSY && self.rng.chance(self.loss));
            (self.trace)(&KernelMessage {
                from: node,
                to: peer,
                kind: KernelMessageKind::Request,
                delivered: asked,
                carries: false,
            });
            if !asked {
                self.tally.lost += 1;
                continue;
            }
            self.tally.messages += 1;
            let answered = !(LOSSY && self.rng.chance(self.loss));
            // Branch-free: whether the peer knew is a coin flip mid-spread, and a mispredicted
            // branch per pull costs more than the pull.
            let knew = self.knew(peer);
            (self.trace)(&KernelMessage {
                from: peer,
                to: node,
                kind: KernelMessageKind::Reply,
                delivered: answered,
                carries: knew,
            });
            if !answered {
                self.tally.lost += 1;
                continue;
            }
            let knew = u64::from(knew);
            self.tally.deliveries += knew;
            learned |= knew;
        }
        learned
    }
}

/// The result of one trial of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrialOutcome {
    /// The trial's index in the sweep.
    pub trial: u32,
    /// The trial's seed, `rng::derive(sweep seed, Stream::Trial, trial)`.
    pub seed: u64,
    /// Rounds run: to full coverage if `complete`, else the round limit.
    pub rounds: u32,
    /// Whether every node learned the rumor within the round limit.
    pub complete: bool,
    /// Nodes informed at the end.
    pub informed: u32,
    /// Messages sent, lost or not.
    pub messages: u64,
    /// Delivered messages that brought the rumor to a node that had it already.
    pub duplicates: u64,
    /// Messages lost.
    pub lost: u64,
}

/// A sweep of independent trials of one configuration, each run to full coverage or to a round
/// limit. Trial `t` uses seed `rng::derive(config.seed, Stream::Trial, t)`, so any trial can be
/// replayed alone with [`Trials::trial_config`]. One [`KernelSpread`]'s buffers serve every trial.
#[derive(Clone, Debug)]
pub struct Trials {
    base: KernelConfig,
    spread: KernelSpread,
    trials: u32,
    rounds_max: u32,
}

impl Trials {
    /// A sweep of `trials` trials of `config`, each stopped after at most `rounds_max` rounds.
    pub fn new(
        config: KernelConfig,
        trials: u32,
        rounds_max: u32,
    ) -> Result<Trials, KernelConfigError> {
        if !(1..=TRIALS_MAX).contains(&trials) {
            return Err(KernelConfigError::Trials(trials));
        }
        if !(1..=ROUNDS_MAX).contains(&rounds_max) {
            return Err(KernelConfigError::Rounds(rounds_max));
        }
        Ok(Trials {
            base: config,
            spread: KernelSpread::new(config)?,
            trials,
            rounds_max,
        })
    }

    /// The configuration trial `t` runs, for replaying it alone.
    pub fn trial_config(&self, t: u32) -> KernelConfig {
        KernelConfig {
            seed: rng::derive(self.base.seed, Stream::Trial, u64::from(t)),
            ..self.base
        }
    }

    /// Runs every trial and returns their outcomes in trial order.
    pub fn run(&mut self) -> Vec<TrialOutcome> {
        self.run_observed(|_, _| {})
    }

    /// Runs every trial, calling `on_round(trial, record)` after each round, and returns the
    /// outcomes in trial order.
    pub fn run_observed(&mut self, on_round: impl FnMut(u32, &KernelRound)) -> Vec<TrialOutcome> {
        self.run_range(0..self.trials, on_round)
    }

    /// Runs the trials whose indices are in `range` (clamped to the sweep's trials), calling
    /// `on_round(trial, record)` after each round, and returns their outcomes in trial order.
    ///
    /// A trial depends only on its index (its seed is derived from it), so a sweep split into
    /// ranges, run in any order or on several threads each with its own [`Trials`], gives
    /// exactly the outcomes of [`Trials::run`]: this is how a host parallelises a sweep
    /// deterministically.
    pub fn run_range(
        &mut self,
        range: core::ops::Range<u32>,
        mut on_round: impl FnMut(u32, &KernelRound),
    ) -> Vec<TrialOutcome> {
        let range = range.start.min(self.trials)..range.end.min(self.trials);
        let mut out = Vec::with_capacity(range.len());
        for t in range {
            let seed = self.trial_config(t).seed;
            let s = &mut self.spread;
            s.reset(seed);
            while !s.is_complete() && s.round() < self.rounds_max {
                let record = s.step();
                on_round(t, &record);
            }
            out.push(TrialOutcome {
                trial: t,
                seed,
                rounds: s.round(),
                complete: s.is_complete(),
                informed: s.informed_count(),
                messages: s.messages(),
                duplicates: s.duplicates(),
                lost: s.lost(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(nodes: u32, fanout: u32, mode: KernelMode) -> KernelConfig {
        KernelConfig {
            nodes,
            fanout,
            mode,
            loss: Probability::NEVER,
            seed: 1,
        }
    }

    /// The obvious implementation the kernel must agree with: byte per node, every node draws
    /// in id order, state copied each round, informed nodes recounted.
    fn naive_run(c: KernelConfig, rounds: u32) -> Vec<(u32, u64, u64, u64)> {
        let n = c.nodes;
        let mut rng = Rng::stream(c.seed, Stream::KernelPeers, 0);
        let mut known = vec![false; n as usize];
        known[0] = true;
        let mut out = Vec::new();
        for _ in 0..rounds {
            let mut next = known.clone();
            let (mut messages, mut lost, mut deliveries) = (0u64, 0u64, 0u64);
            // Push-pull: the informed push first, then the uninformed pull.
            let passes: &[bool] = match c.mode {
                KernelMode::Push => &[true],
                KernelMode::Pull => &[false],
                KernelMode::PushPull => &[true, false],
            };
            let turns = passes
                .iter()
                .flat_map(|&pushing| (0..n).map(move |i| (pushing, i)));
            for (pushing, node) in turns {
                let me = known[node as usize];
                if me != pushing {
                    continue;
                }
                let mut peers = [0u32; FANOUT_MAX];
                let got = rng.sample_distinct(n - 1, c.fanout as usize, &mut peers);
                let lossy = c.loss != Probability::NEVER;
                for &p in &peers[..got] {
                    let peer = if p >= node { p + 1 } else { p } as usize;
                    messages += 1;
                    if lossy && rng.chance(c.loss) {
                        lost += 1;
                        continue;
                    }
                    if me {
                        deliveries += 1;
                        next[peer] = true;
                    } else {
                        messages += 1;
                        if lossy && rng.chance(c.loss) {
                            lost += 1;
                            continue;
                        }
                        if known[peer] {
                            deliveries += 1;
                            next[node as usize] = true;
                        }
                    }
                }
            }
            let before = known.iter().filter(|&&x| x).count() as u64;
            known = next;
            let after = known.iter().filter(|&&x| x).count() as u64;
            out.push((after as u32, messages, deliveries - (after - before), lost));
        }
        out
    }

    #[test]
    fn kernel_matches_the_naive_implementation_draw_for_draw() {
        for mode in [KernelMode::Push, KernelMode::Pull, KernelMode::PushPull] {
            for (nodes, fanout, loss) in [(70, 1, 0.0), (130, 3, 0.0), (130, 2, 0.3), (64, 1, 0.5)]
            {
                let c = KernelConfig {
                    loss: Probability::from_f64(loss),
                    ..config(nodes, fanout, mode)
                };
                let want = naive_run(c, 12);
                let mut s = KernelSpread::new(c).unwrap();
                for (r, w) in want.iter().enumerate() {
                    let got = s.step();
                    assert_eq!(
                        (got.informed, got.messages, got.duplicates, got.lost),
                        *w,
                        "{mode:?} n={nodes} k={fanout} loss={loss} round {}",
                        r + 1
                    );
                }
                let informed = (0..nodes + 5).filter(|&i| s.is_informed(i)).count() as u32;
                assert_eq!(informed, s.informed_count());
            }
        }
    }

    #[test]
    fn fanout_1_fast_path_matches_the_general_path() {
        for mode in [KernelMode::Push, KernelMode::Pull, KernelMode::PushPull] {
            let mut fast = KernelSpread::new(config(777, 1, mode)).unwrap();
            let mut general = fast.clone();
            while !fast.is_complete() {
                let a = fast.step();
                let mut t = Tally::default();
                general.next.copy_from_slice(&general.known);
                general.run_round::<false, _>(&mut t, |_| {});
                core::mem::swap(&mut general.known, &mut general.next);
                assert_eq!(fast.known, general.known, "{mode:?} round {}", a.round);
                assert_eq!((a.messages, a.newly_informed), (t.messages, t.newly));
                assert_eq!(a.duplicates, t.deliveries - u64::from(t.newly));
            }
            assert_eq!(fast.rng, general.rng);
        }
    }

    #[test]
    fn traced_rounds_replay_the_untraced_run_and_account_for_every_message() {
        for (mode, fanout, loss) in [
            (KernelMode::PushPull, 1, 0.0),
            (KernelMode::PushPull, 2, 0.3),
            (KernelMode::Pull, 1, 0.2),
        ] {
            let c = KernelConfig {
                loss: Probability::from_f64(loss),
                ..config(300, fanout, mode)
            };
            let mut plain = KernelSpread::new(c).unwrap();
            let mut traced = KernelSpread::new(c).unwrap();
            while !plain.is_complete() {
                let before: Vec<bool> = (0..300).map(|i| traced.is_informed(i)).collect();
                let want = plain.step();
                let mut messages = Vec::new();
                let got = traced.step_traced(|m| messages.push(*m));
                assert_eq!(got, want, "{mode:?} k={fanout} loss={loss}");
                assert_eq!(messages.len() as u64, want.messages);
                let lost = messages.iter().filter(|m| !m.delivered).count() as u64;
                assert_eq!(lost, want.lost);
                let mut learners: Vec<u32> = messages
                    .iter()
                    .filter(|m| m.delivered && m.carries && !before[m.to as usize])
                    .map(|m| m.to)
                    .collect();
                learners.sort_unstable();
                learners.dedup();
                assert_eq!(learners.len() as u32, want.newly_informed);
                assert!(learners.iter().all(|&i| traced.is_informed(i)));
            }
        }
    }

    #[test]
    fn push_eventually_informs_every_node() {
        let mut s = KernelSpread::new(config(64, 1, KernelMode::Push)).unwrap();
        assert!(
            s.run_to_completion(200),
            "push with 64 nodes took over 200 rounds"
        );
        assert_eq!(s.informed_count(), 64);
    }

    #[test]
    fn push_message_count_is_the_informed_nodes_times_fanout() {
        let mut s = KernelSpread::new(config(1000, 2, KernelMode::Push)).unwrap();
        let mut informed_before = 1u64;
        while !s.is_complete() {
            let r = s.step();
            assert_eq!(r.messages, informed_before * 2);
            assert_eq!(r.lost, 0);
            informed_before = u64::from(r.informed);
        }
    }

    #[test]
    fn heavy_loss_slows_but_does_not_stop_the_spread() {
        let c = KernelConfig {
            loss: Probability::from_f64(0.5),
            ..config(200, 1, KernelMode::PushPull)
        };
        let mut s = KernelSpread::new(c).unwrap();
        assert!(s.run_to_completion(500));
        assert!(s.lost() > 0 && s.lost() < s.messages());
    }

    #[test]
    fn reset_replays_the_same_run() {
        let mut s = KernelSpread::new(config(500, 1, KernelMode::PushPull)).unwrap();
        let first: Vec<KernelRound> = (0..8).map(|_| s.step()).collect();
        s.reset(1);
        let again: Vec<KernelRound> = (0..8).map(|_| s.step()).collect();
        assert_eq!(first, again);
    }

    #[test]
    fn trials_use_derived_seeds_and_match_single_runs() {
        let c = config(300, 1, KernelMode::Pull);
        let mut trials = Trials::new(c, 3, 1000).unwrap();
        let outcomes = trials.run();
        for o in &outcomes {
            assert_eq!(o.seed, rng::derive(1, Stream::Trial, u64::from(o.trial)));
            let mut alone = KernelSpread::new(trials.trial_config(o.trial)).unwrap();
            assert!(alone.run_to_completion(1000));
            assert_eq!((alone.round(), alone.messages()), (o.rounds, o.messages));
        }
        assert_ne!(outcomes[0].seed, outcomes[1].seed);
    }

    #[test]
    fn a_sweep_split_into_ranges_gives_the_outcomes_of_the_whole_sweep() {
        let c = KernelConfig {
            loss: Probability::from_f64(0.1),
            ..config(200, 2, KernelMode::PushPull)
        };
        let whole = Trials::new(c, 7, 1000).unwrap().run();
        let mut parts = Trials::new(c, 7, 1000).unwrap().run_range(4..99, |_, _| {});
        let mut first = Trials::new(c, 7, 1000).unwrap().run_range(0..4, |_, _| {});
        first.append(&mut parts);
        assert_eq!(first, whole);
    }

    #[test]
    fn bad_configs_are_rejected() {
        let c = config(1, 1, KernelMode::Push);
        assert_eq!(
            KernelSpread::new(c).unwrap_err(),
            KernelConfigError::Nodes(1)
        );
        let c = config(10, 10, KernelMode::Push);
        assert_eq!(
            KernelSpread::new(c).unwrap_err(),
            KernelConfigError::Fanout(10)
        );
        let c = KernelConfig {
            loss: Probability::ALWAYS,
            ..config(10, 1, KernelMode::Push)
        };
        assert_eq!(
            KernelSpread::new(c).unwrap_err(),
            KernelConfigError::Loss(1.0)
        );
        assert_eq!(
            Trials::new(config(10, 1, KernelMode::Push), 0, 10).unwrap_err(),
            KernelConfigError::Trials(0)
        );
    }
}
