//! Rumor mongering one cycle at a time, for the view.
//!
//! `gossip_core::rumor::Rumor` runs a whole run in one call and keeps its per-node state to
//! itself, which is right for sweeps of thousands of trials but gives the page nothing to draw
//! between cycles. This is a steppable twin of it for the rule the core found to reproduce
//! Demers et al. (`RumorConfig::demers`: synchronous schedule, counter judged per cycle). It
//! follows the core's documented draw order, so it draws the same partners and coins, and the
//! tests check it cycle by cycle against `Rumor::run_observed` (informed and infective counts)
//! and against the run's outcome (residue and traffic). When the core grows a steppable rumor
//! (requested), this module goes away.

use gossip_core::epidemic::RoundRecord;
use gossip_core::rng::{Probability, Rng, Stream};
use gossip_core::rumor::{CounterReset, Counting, Removal, RumorConfig, Schedule, Variant};

use crate::engine::{Contact, ContactKind, NEVER};

/// A rumor run between cycles.
#[derive(Clone, Debug)]
pub struct RumorRun {
    config: RumorConfig,
    coin: Probability,
    rng: Rng,
    cycle: u32,
    /// Cycle at which each node lost interest, [`NEVER`] while it has not.
    removed: Vec<u32>,
    counter: Vec<u32>,
    /// This cycle's contacts per node: bit 0 a counted one, bit 1 a useful one.
    verdict: Vec<u8>,
    touched: Vec<u32>,
    /// Nodes infective at the start of the next cycle, in id order.
    infective: Vec<u32>,
    informed: u32,
    messages_total: u64,
    duplicates_total: u64,
}

impl RumorRun {
    /// A run at cycle 0 with node 0 infective. Only the Demers rule is supported (the core's
    /// `RumorConfig::demers`); other schedules are a configuration error.
    pub fn new(config: RumorConfig) -> Result<RumorRun, String> {
        config.validate().map_err(|e| e.to_string())?;
        if config.schedule != Schedule::Synchronous || config.reset != CounterReset::PerCycle {
            return Err("the page steps only the synchronous, per-cycle rumor rule".into());
        }
        let n = config.nodes as usize;
        Ok(RumorRun {
            config,
            coin: Probability::from_f64(1.0 / f64::from(config.k)),
            rng: Rng::stream(config.seed, Stream::KernelPeers, 0),
            cycle: 0,
            removed: vec![NEVER; n],
            counter: vec![0; n],
            verdict: vec![0; n],
            touched: Vec::new(),
            infective: vec![0],
            informed: 1,
            messages_total: 0,
            duplicates_total: 0,
        })
    }

    /// The run's configuration.
    pub fn config(&self) -> &RumorConfig {
        &self.config
    }

    /// Cycles completed.
    pub fn cycle(&self) -> u32 {
        self.cycle
    }

    /// Nodes that know the rumor.
    pub fn informed_count(&self) -> u32 {
        self.informed
    }

    /// Nodes still spreading it.
    pub fn infective_count(&self) -> u32 {
        self.infective.len() as u32
    }

    /// Whether the run has ended: nobody spreads the rumor any more.
    pub fn is_done(&self) -> bool {
        self.infective.is_empty()
    }

    /// Rumor-carrying messages so far (the paper's traffic times `n`).
    pub fn messages(&self) -> u64 {
        self.messages_total
    }

    /// Rumor-carrying messages so far that reached a node that knew it.
    pub fn duplicates(&self) -> u64 {
        self.duplicates_total
    }

    /// Whether node `i` has lost interest.
    pub fn is_removed(&self, i: u32) -> bool {
        self.removed.get(i as usize).is_some_and(|&r| r != NEVER)
    }

    fn partner(&mut self, node: u32) -> u32 {
        let p = self.rng.below(self.config.nodes - 1);
        p + u32::from(p >= node)
    }

    fn mark(&mut self, sender: u32, knew: bool) {
        let counts = match self.config.counting {
            Counting::Feedback => knew,
            Counting::Blind => true,
        };
        let s = sender as usize;
        if self.verdict[s] == 0 {
            self.touched.push(sender);
        }
        self.verdict[s] |= if counts { 1 } else { 2 };
    }

    /// Runs one cycle. `learned` and `informer` are the engine's per-node records (cycle
    /// learned, first sender), which this updates; `contacts` receives the cycle's messages.
    pub fn step(
        &mut self,
        learned: &mut [u32],
        informer: &mut [u32],
        contacts: &mut Vec<Contact>,
    ) -> RoundRecord {
        contacts.clear();
        self.cycle += 1;
        let cycle = self.cycle;
        let n = self.config.nodes;
        let (mut messages, mut duplicates) = (0u64, 0u64);
        let knows = |learned: &[u32], i: u32| learned[i as usize] < cycle;
        match self.config.variant {
            Variant::Push => {
                let acting = core::mem::take(&mut self.infective);
                for &node in &acting {
                    let peer = self.partner(node);
                    messages += 1;
                    let knew = knows(learned, peer);
                    contacts.push(Contact {
                        from: node,
                        to: peer,
                        kind: ContactKind::Push,
                        delivered: true,
                        carries: true,
                    });
                    if knew {
                        duplicates += 1;
                    } else if learned[peer as usize] == NEVER {
                        learned[peer as usize] = cycle;
                        informer[peer as usize] = node;
                    }
                    self.mark(node, knew);
                }
                self.infective = acting;
            }
            Variant::Pull => {
                for node in 0..n {
                    let peer = self.partner(node);
                    let p = peer as usize;
                    // Infective as the synchronous schedule sees it: known before this cycle and
                    // not removed before it.
                    let infective = learned[p] < cycle && self.removed[p] >= cycle;
                    contacts.push(Contact {
                        from: node,
                        to: peer,
                        kind: ContactKind::Request,
                        delivered: true,
                        carries: false,
                    });
                    if !infective {
                        continue;
                    }
                    messages += 1;
                    let knew = knows(learned, node);
                    contacts.push(Contact {
                        from: peer,
                        to: node,
                        kind: ContactKind::Reply,
                        delivered: true,
                        carries: true,
                    });
                    if knew {
                        duplicates += 1;
                    } else if learned[node as usize] == NEVER {
                        learned[node as usize] = cycle;
                        informer[node as usize] = peer;
                    }
                    self.mark(peer, knew);
                }
            }
        }
        // The cycle is judged as a whole, in the order the nodes were first touched.
        for t in 0..self.touched.len() {
            let node = self.touched[t] as usize;
            if core::mem::take(&mut self.verdict[node]) == 1 {
                let lose = match self.config.removal {
                    Removal::Counter => {
                        self.counter[node] += 1;
                        self.counter[node] >= self.config.k
                    }
                    Removal::Coin => self.rng.chance(self.coin),
                };
                if lose && self.removed[node] == NEVER {
                    self.removed[node] = cycle;
                }
            } else {
                self.counter[node] = 0;
            }
        }
        self.touched.clear();
        let mut newly = 0;
        self.infective.clear();
        for (i, (&l, &r)) in learned.iter().zip(&self.removed).enumerate() {
            newly += u32::from(l == cycle);
            if l != NEVER && r == NEVER {
                self.infective.push(i as u32);
            }
        }
        self.informed += newly;
        self.messages_total += messages;
        self.duplicates_total += duplicates;
        RoundRecord {
            round: cycle,
            informed: self.informed,
            newly_informed: newly,
            messages,
            duplicates,
            lost: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::rumor::{CycleRecord, Rumor};

    fn run_both(config: RumorConfig) {
        let mut want = Vec::new();
        let outcome = Rumor::new(config)
            .unwrap()
            .run_observed(config.seed, |c: &CycleRecord| want.push(*c));
        let n = config.nodes as usize;
        let (mut learned, mut informer, mut contacts) = (vec![NEVER; n], vec![NEVER; n], vec![]);
        learned[0] = 0;
        let mut ours = RumorRun::new(config).unwrap();
        for w in &want {
            let r = ours.step(&mut learned, &mut informer, &mut contacts);
            assert_eq!(
                (r.round, r.informed, ours.infective_count()),
                (w.cycle, w.informed, w.infective),
                "{config:?}"
            );
        }
        assert!(ours.is_done());
        let traffic = ours.messages() as f64 / n as f64;
        assert!((traffic - outcome.traffic).abs() < 1e-12, "{config:?}");
        let residue = f64::from(config.nodes - ours.informed_count()) / n as f64;
        assert!((residue - outcome.residue).abs() < 1e-12);
    }

    #[test]
    fn the_twin_matches_the_cores_rumor_cycle_for_cycle() {
        for variant in [Variant::Push, Variant::Pull] {
            for counting in [Counting::Feedback, Counting::Blind] {
                for removal in [Removal::Counter, Removal::Coin] {
                    for (nodes, k) in [(2, 1), (50, 1), (1000, 2), (700, 4)] {
                        for seed in [0, 3] {
                            let mut c = RumorConfig::demers(nodes, variant, counting, removal, k);
                            c.seed = seed;
                            run_both(c);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn other_schedules_are_refused_rather_than_approximated() {
        let mut c = RumorConfig::demers(10, Variant::Push, Counting::Blind, Removal::Coin, 1);
        c.schedule = Schedule::Sequential;
        assert!(RumorRun::new(c).is_err());
    }
}
