//! The model the view draws: one run of the core's epidemic kernel (or of rumor mongering), plus
//! who contacted whom.
//!
//! The view never looks at the kernel directly. It reads a snapshot through [`Engine`]'s
//! accessors (per-node [`NodeState`], this round's [`Contact`]s, counts), so that the backend
//! can later become `gossip_core::sim::Cluster` (which has per-node state and messages in
//! flight of its own) without touching the drawing code.
//!
//! # Why a tracing twin
//!
//! [`Spread`] is the source of truth for every number on the page, but it keeps its contacts to
//! itself (it tallies them and forgets them: that is what makes it fast). To draw messages in
//! flight the engine runs a *twin* of the kernel's peer choice next to it: the kernel documents
//! exactly how it consumes its random stream (`core/src/epidemic.rs`, "Determinism"), so a
//! second generator started from the same stream and consumed in the same order draws the
//! same peers and the same losses. The unit tests check the twin against the kernel round by
//! round; in debug builds every step also asserts that both informed the same number of nodes.
//! When the core grows a `Spread::step_traced` (requested), the twin goes away.
//!
//! # Swapping in the Cluster simulator
//!
//! A third `Kernel` variant holding a `gossip_core::sim::Cluster` is all the view needs: the
//! engine must be `Clone` (checkpoints), step one round (`Cluster::step_round`), say per node
//! whether it is up and whether (and since when) it holds the update being followed
//! (`Cluster::is_up`, `Update::learned_round`), list the round's messages with sender, receiver,
//! kind and whether they were delivered (`Cluster::in_flight` plus the round's deliveries and
//! drops), and take actions at a round (`Cluster::schedule`). [`NodeState`] grows `Down`, and
//! [`Contact`] a send and delivery time within the round so latency can be drawn.

use gossip_core::epidemic::{Mode, RoundRecord, Spread, SpreadConfig, FANOUT_MAX};
use gossip_core::rng::{Probability, Rng, Stream};
use gossip_core::rumor::RumorConfig;

use crate::rumor::RumorRun;

/// What one run simulates: an epidemic spread (push, pull, push-pull) or rumor mongering.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RunConfig {
    /// The core's epidemic kernel.
    Epidemic(SpreadConfig),
    /// Rumor mongering with a stop rule (Demers et al.).
    Rumor(RumorConfig),
}

impl RunConfig {
    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        match self {
            RunConfig::Epidemic(c) => c.nodes,
            RunConfig::Rumor(c) => c.nodes,
        }
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        match self {
            RunConfig::Epidemic(c) => c.seed,
            RunConfig::Rumor(c) => c.seed,
        }
    }

    /// The same run with another seed.
    pub fn with_seed(self, seed: u64) -> RunConfig {
        match self {
            RunConfig::Epidemic(c) => RunConfig::Epidemic(SpreadConfig { seed, ..c }),
            RunConfig::Rumor(c) => RunConfig::Rumor(RumorConfig { seed, ..c }),
        }
    }
}

/// A node's state as drawn. The Cluster backend will add `Down` (crashed) and rumor mongering
/// will add `Removed`; the drawing code already has a cue for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeState {
    /// Has not heard the rumor.
    Susceptible,
    /// Knows the rumor (and, in rumor mongering, still spreads it).
    Informed,
    /// Knows the rumor but has lost interest in spreading it (rumor mongering).
    Removed,
}

/// What a message in flight is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    /// An informed node sends the rumor.
    Push,
    /// An uninformed node asks a peer.
    Request,
    /// The peer's answer to a request (carries the rumor if the peer knew it).
    Reply,
}

/// One message of the round just run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Sender.
    pub from: u32,
    /// Receiver.
    pub to: u32,
    /// What it is.
    pub kind: ContactKind,
    /// False when the network dropped it.
    pub delivered: bool,
    /// Whether it carried the rumor (pushes always do; replies when the peer knew it).
    pub carries: bool,
}

/// Sentinel for "never learned".
pub const NEVER: u32 = u32::MAX;

/// The simulation behind an engine.
#[derive(Clone, Debug)]
enum Kernel {
    /// The epidemic kernel and its tracing twin.
    Epidemic { spread: Spread, twin: Rng },
    /// Rumor mongering, stepped by the web's twin of the core's rumor module.
    Rumor(RumorRun),
}

/// One run: the kernel, and per-node facts the kernel does not keep.
#[derive(Clone, Debug)]
pub struct Engine {
    kernel: Kernel,
    /// Round in which each node learned the rumor (0 for the source), [`NEVER`] if not yet.
    learned: Vec<u32>,
    /// The node whose message first informed each node ([`NEVER`] for the source).
    informer: Vec<u32>,
    /// The messages of the round just run (empty at round 0).
    contacts: Vec<Contact>,
}

impl Engine {
    /// A run at round 0 with node 0 informed.
    pub fn new(config: RunConfig) -> Result<Engine, String> {
        let kernel = match config {
            RunConfig::Epidemic(c) => Kernel::Epidemic {
                spread: Spread::new(c).map_err(|e| e.to_string())?,
                twin: Rng::stream(c.seed, Stream::KernelPeers, 0),
            },
            RunConfig::Rumor(c) => Kernel::Rumor(RumorRun::new(c)?),
        };
        let n = config.nodes() as usize;
        let mut learned = vec![NEVER; n];
        learned[0] = 0;
        Ok(Engine {
            kernel,
            learned,
            informer: vec![NEVER; n],
            contacts: Vec::new(),
        })
    }

    /// The run's configuration.
    pub fn config(&self) -> RunConfig {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => RunConfig::Epidemic(*spread.config()),
            Kernel::Rumor(r) => RunConfig::Rumor(*r.config()),
        }
    }

    /// Rounds (cycles) completed.
    pub fn round(&self) -> u32 {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.round(),
            Kernel::Rumor(r) => r.cycle(),
        }
    }

    /// Nodes that know the rumor.
    pub fn informed_count(&self) -> u32 {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.informed_count(),
            Kernel::Rumor(r) => r.informed_count(),
        }
    }

    /// Whether nothing further can happen: every node knows the rumor (epidemic), or nobody
    /// spreads it any more (rumor mongering).
    pub fn is_complete(&self) -> bool {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.is_complete(),
            Kernel::Rumor(r) => r.is_done(),
        }
    }

    /// Messages sent so far, lost or not (rumor mongering: rumor-carrying ones).
    pub fn messages(&self) -> u64 {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.messages(),
            Kernel::Rumor(r) => r.messages(),
        }
    }

    /// Nodes still spreading the rumor (rumor mongering only).
    pub fn infective_count(&self) -> Option<u32> {
        match &self.kernel {
            Kernel::Epidemic { .. } => None,
            Kernel::Rumor(r) => Some(r.infective_count()),
        }
    }

    /// Messages lost so far.
    pub fn lost(&self) -> u64 {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.lost(),
            Kernel::Rumor(_) => 0,
        }
    }

    /// Deliveries that brought the rumor to a node that had it already.
    pub fn duplicates(&self) -> u64 {
        match &self.kernel {
            Kernel::Epidemic { spread, .. } => spread.duplicates(),
            Kernel::Rumor(r) => r.duplicates(),
        }
    }

    /// Node `i`'s state (susceptible for ids out of range).
    pub fn state(&self, i: u32) -> NodeState {
        match &self.kernel {
            Kernel::Rumor(r) if r.is_removed(i) => NodeState::Removed,
            _ if self.learned_round(i).is_some() => NodeState::Informed,
            _ => NodeState::Susceptible,
        }
    }

    /// The round in which node `i` learned the rumor, if it has.
    pub fn learned_round(&self, i: u32) -> Option<u32> {
        self.learned
            .get(i as usize)
            .copied()
            .filter(|&r| r != NEVER)
    }

    /// The node whose message first informed node `i`, if any (none for the source).
    pub fn informer(&self, i: u32) -> Option<u32> {
        self.informer
            .get(i as usize)
            .copied()
            .filter(|&r| r != NEVER)
    }

    /// The messages of the round just run, in the order the kernel drew them.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// Runs one round and reports it; the kernel's record is the one returned.
    pub fn step(&mut self) -> RoundRecord {
        let record = match &mut self.kernel {
            Kernel::Rumor(r) => {
                return r.step(&mut self.learned, &mut self.informer, &mut self.contacts)
            }
            Kernel::Epidemic { .. } => {
                self.trace_round();
                match &mut self.kernel {
                    Kernel::Epidemic { spread, .. } => spread.step(),
                    Kernel::Rumor(_) => unreachable!("matched above"),
                }
            }
        };
        debug_assert_eq!(
            record.newly_informed,
            self.learned.iter().filter(|&&r| r == record.round).count() as u32,
            "the tracing twin drifted from the kernel"
        );
        record
    }

    /// Replays the kernel's draws for the round about to run, recording each message and who
    /// learns what. The order of draws is the kernel's documented one: acting nodes in
    /// increasing id order (push-pull: all pushes, then all pulls); per node its peers, then (only with loss) one loss draw per push,
    /// or one per request and, if delivered, one per reply.
    fn trace_round(&mut self) {
        let Kernel::Epidemic { spread, twin } = &mut self.kernel else {
            return;
        };
        let c = *spread.config();
        let n = c.nodes;
        let round = spread.round() + 1;
        let lossy = c.loss != Probability::NEVER;
        self.contacts.clear();
        let mut peers = [0u32; FANOUT_MAX];
        // Push-pull runs every push first and then every pull, as the kernel does.
        let passes: &[bool] = match c.mode {
            Mode::Push => &[true],
            Mode::Pull => &[false],
            Mode::PushPull => &[true, false],
        };
        let turns = passes
            .iter()
            .flat_map(|&pushing| (0..n).map(move |node| (pushing, node)));
        for (pushing, node) in turns {
            // A node acts on what it knew at the start of the round.
            let knew = self.learned[node as usize] < round;
            if knew != pushing {
                continue;
            }
            let got = if c.fanout == 1 {
                peers[0] = twin.below(n - 1);
                1
            } else {
                twin.sample_distinct(n - 1, c.fanout as usize, &mut peers)
            };
            for &p in &peers[..got] {
                let peer = p + u32::from(p >= node);
                if knew {
                    let delivered = !(lossy && twin.chance(c.loss));
                    self.contacts.push(Contact {
                        from: node,
                        to: peer,
                        kind: ContactKind::Push,
                        delivered,
                        carries: true,
                    });
                    if delivered {
                        learn(&mut self.learned, &mut self.informer, peer, node, round);
                    }
                } else {
                    let asked = !(lossy && twin.chance(c.loss));
                    self.contacts.push(Contact {
                        from: node,
                        to: peer,
                        kind: ContactKind::Request,
                        delivered: asked,
                        carries: false,
                    });
                    if !asked {
                        continue;
                    }
                    let answered = !(lossy && twin.chance(c.loss));
                    let carries = self.learned[peer as usize] < round;
                    self.contacts.push(Contact {
                        from: peer,
                        to: node,
                        kind: ContactKind::Reply,
                        delivered: answered,
                        carries,
                    });
                    if answered && carries {
                        learn(&mut self.learned, &mut self.informer, node, peer, round);
                    }
                }
            }
        }
    }
}

/// Records that `node` learned the rumor from `from` in `round`, unless it knew already.
fn learn(learned: &mut [u32], informer: &mut [u32], node: u32, from: u32, round: u32) {
    let i = node as usize;
    if learned[i] == NEVER {
        learned[i] = round;
        informer[i] = from;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(nodes: u32, fanout: u32, mode: Mode, loss: f64, seed: u64) -> SpreadConfig {
        SpreadConfig {
            nodes,
            fanout,
            mode,
            loss: Probability::from_f64(loss),
            seed,
        }
    }

    #[test]
    fn the_twin_agrees_with_the_kernel_node_for_node_and_message_for_message() {
        for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
            for (nodes, fanout, loss) in [(2, 1, 0.0), (70, 1, 0.0), (130, 3, 0.2), (1000, 2, 0.5)]
            {
                for seed in [1, 7, 99] {
                    let c = config(nodes, fanout, mode, loss, seed);
                    let mut e = Engine::new(RunConfig::Epidemic(c)).unwrap();
                    let mut reference = Spread::new(c).unwrap();
                    for _ in 0..40 {
                        let got = e.step();
                        let want = reference.step();
                        assert_eq!(got, want);
                        let sent = e.contacts().len() as u64;
                        let lost = e.contacts().iter().filter(|c| !c.delivered).count() as u64;
                        assert_eq!((sent, lost), (want.messages, want.lost), "{mode:?} {seed}");
                        for i in 0..nodes {
                            assert_eq!(
                                e.learned_round(i).is_some(),
                                reference.is_informed(i),
                                "{mode:?} n={nodes} node {i}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_informed_node_but_the_source_has_an_informer_that_knew_before_it() {
        let mut e =
            Engine::new(RunConfig::Epidemic(config(300, 2, Mode::PushPull, 0.1, 3))).unwrap();
        for _ in 0..30 {
            e.step();
        }
        for i in 1..300 {
            if let Some(r) = e.learned_round(i) {
                let by = e.informer(i).expect("an informer");
                assert!(e.learned_round(by).unwrap() < r);
            }
        }
        assert_eq!(e.informer(0), None);
        assert_eq!(e.learned_round(0), Some(0));
    }

    #[test]
    fn a_clone_steps_exactly_like_the_original() {
        let mut a = Engine::new(RunConfig::Epidemic(config(500, 1, Mode::Pull, 0.3, 5))).unwrap();
        for _ in 0..4 {
            a.step();
        }
        let mut b = a.clone();
        for _ in 0..6 {
            assert_eq!(a.step(), b.step());
            assert_eq!(a.contacts(), b.contacts());
        }
    }
}
