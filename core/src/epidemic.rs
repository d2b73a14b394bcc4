//! The fast Monte Carlo kernel of epidemic dissemination of one rumor in synchronous rounds.
//!
//! The model (Demers et al. 1987; Karp et al. 2000): `n` nodes, one of them (node 0) knows the
//! rumor at round 0. In each round every node contacts `fanout` *distinct* peers chosen uniformly
//! among the other nodes, and every exchange of a round uses the state at the start of the round:
//! what a node learns in round `r` it first passes on in round `r + 1`.
//! * push: an informed node tells each peer it contacts;
//! * pull: an uninformed node asks each peer it contacts and learns if that peer knew;
//! * push-pull: both.
//!
//! Peer choices for one run come from one stream `Rng::stream(seed, KernelPeers, 0)`, consumed in
//! node-id order within each round (see [`crate::rng`] for the algorithm).

use alloc::vec;
use alloc::vec::Vec;

use crate::rng::{Rng, Stream};

/// The largest fanout a node may use in one round.
pub const FANOUT_MAX: usize = 16;
/// The largest cluster the kernel simulates.
pub const NODES_MAX: u32 = 1 << 24;

/// How nodes exchange the rumor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Informed nodes send the rumor to the peers they contact.
    Push,
    /// Nodes ask the peers they contact and learn the rumor from them.
    Pull,
    /// Both directions in every exchange.
    PushPull,
}

/// What one run simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpreadConfig {
    /// Number of nodes, 2 to [`NODES_MAX`].
    pub nodes: u32,
    /// Distinct peers each node contacts per round, 1 to [`FANOUT_MAX`].
    pub fanout: u32,
    /// The exchange mode.
    pub mode: Mode,
    /// The run's seed.
    pub seed: u64,
}

/// A bad configuration; nothing was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `nodes` outside `2..=NODES_MAX`.
    Nodes(u32),
    /// `fanout` outside `1..=FANOUT_MAX` or not below `nodes`.
    Fanout(u32),
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ConfigError::Nodes(n) => write!(f, "nodes must be 2 to {NODES_MAX}, got {n}"),
            ConfigError::Fanout(k) => {
                write!(
                    f,
                    "fanout must be 1 to {FANOUT_MAX} and below nodes, got {k}"
                )
            }
        }
    }
}

/// One run of the spread, stepped a round at a time.
#[derive(Clone, Debug)]
pub struct Spread {
    config: SpreadConfig,
    rng: Rng,
    round: u32,
    informed: Vec<bool>,
    next: Vec<bool>,
    informed_count: u32,
}

impl Spread {
    /// A run at round 0 with node 0 informed.
    pub fn new(config: SpreadConfig) -> Result<Spread, ConfigError> {
        if !(2..=NODES_MAX).contains(&config.nodes) {
            return Err(ConfigError::Nodes(config.nodes));
        }
        if config.fanout == 0
            || config.fanout as usize > FANOUT_MAX
            || config.fanout >= config.nodes
        {
            return Err(ConfigError::Fanout(config.fanout));
        }
        let n = config.nodes as usize;
        let mut informed = vec![false; n];
        informed[0] = true;
        Ok(Spread {
            config,
            rng: Rng::stream(config.seed, Stream::KernelPeers, 0),
            round: 0,
            next: informed.clone(),
            informed,
            informed_count: 1,
        })
    }

    /// The configuration of this run.
    pub fn config(&self) -> &SpreadConfig {
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
        self.informed.get(i as usize).copied().unwrap_or(false)
    }

    /// Whether every node knows the rumor.
    pub fn is_complete(&self) -> bool {
        self.informed_count == self.config.nodes
    }

    /// Runs one synchronous round.
    pub fn step(&mut self) {
        let n = self.config.nodes;
        let k = self.config.fanout as usize;
        let mut peers = [0u32; FANOUT_MAX];
        self.next.copy_from_slice(&self.informed);
        for node in 0..n {
            let got = self.rng.sample_distinct(n - 1, k, &mut peers);
            let me = self.informed[node as usize];
            for &p in &peers[..got] {
                // Index among the other n - 1 nodes: skip over ourselves.
                let peer = if p >= node { p + 1 } else { p } as usize;
                let push = me && matches!(self.config.mode, Mode::Push | Mode::PushPull);
                let pull = !me && matches!(self.config.mode, Mode::Pull | Mode::PushPull);
                if push {
                    self.next[peer] = true;
                }
                if pull && self.informed[peer] {
                    self.next[node as usize] = true;
                }
            }
        }
        core::mem::swap(&mut self.informed, &mut self.next);
        self.informed_count = self.informed.iter().filter(|&&x| x).count() as u32;
        self.round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_eventually_informs_every_node() {
        let mut s = Spread::new(SpreadConfig {
            nodes: 64,
            fanout: 1,
            mode: Mode::Push,
            seed: 1,
        })
        .unwrap();
        while !s.is_complete() {
            s.step();
            assert!(s.round() < 200, "push with 64 nodes took over 200 rounds");
        }
    }

    #[test]
    fn bad_configs_are_rejected() {
        let c = SpreadConfig {
            nodes: 1,
            fanout: 1,
            mode: Mode::Push,
            seed: 0,
        };
        assert_eq!(Spread::new(c).unwrap_err(), ConfigError::Nodes(1));
        let c = SpreadConfig {
            nodes: 10,
            fanout: 10,
            ..c
        };
        assert_eq!(Spread::new(c).unwrap_err(), ConfigError::Fanout(10));
    }
}
