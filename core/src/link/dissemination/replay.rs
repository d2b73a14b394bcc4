//! A run stepped round by round as the page's timeline steps it, and when (and why) it can go no
//! further: what `lab cluster` prints and what the page's "complete" note says.

use alloc::string::String;

use alloc::vec::Vec;

use super::{Run, ROUNDS_MAX};
use crate::node::Mode;
use crate::sim::{Cluster, RoundRecord};

/// Whether nothing further can happen without a new action: no actions are pending, and every
/// live node holds every newest version (anti-entropy, or any mode with repair sessions:
/// messages in flight can only bring what everyone holds), or no node spreads any rumor and no
/// message in flight carries one (rumor mongering without repair, which may leave a residue).
/// The page's "complete".
pub fn is_settled(cluster: &Cluster) -> bool {
    if cluster.pending_actions() > 0 {
        return false;
    }
    let node = &cluster.config().node;
    if node.anti_entropy.is_some() {
        // Repair never stops (a session starts every few intervals), so a run with it has
        // nothing left to do exactly when nothing is left to repair.
        return cluster.is_converged();
    }
    match node.mode {
        Mode::AntiEntropy(_) => cluster.is_converged(),
        Mode::Rumor(_) => {
            let nodes = cluster.len() as u32;
            (0..nodes).all(|i| cluster.node(i).is_none_or(|n| !n.is_infective()))
                && cluster.is_quiescent()
        }
    }
}

/// Why a settled run (see [`is_settled`]) can go no further, as the page says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Ending {
    /// Every live node holds every newest version.
    Converged,
    /// Rumor mongering: no node spreads any rumor any more (some nodes may never have heard).
    RumorSpent,
    /// No live node holds any version of the tracked key: every node that held it crashed.
    KeyLost,
}

impl Ending {
    /// Why the run settled, for the tracked `key`; `None` while it has not settled.
    pub fn of(cluster: &Cluster, key: &[u8]) -> Option<Ending> {
        if !is_settled(cluster) {
            return None;
        }
        Some(if cluster.holders(key) == 0 {
            Ending::KeyLost
        } else if matches!(cluster.config().node.mode, Mode::Rumor(_))
            && cluster.config().node.anti_entropy.is_none()
        {
            Ending::RumorSpent
        } else {
            Ending::Converged
        })
    }

    /// The sentence the page shows.
    pub fn sentence(self) -> &'static str {
        match self {
            Ending::Converged => "The run is complete: every live node holds the newest version.",
            Ending::RumorSpent => "The run is complete: no node spreads the rumor any more.",
            Ending::KeyLost => {
                "The run is complete: no live node holds the tracked key (every node that held it crashed)."
            }
        }
    }
}

/// One row of a replay: the state the page shows at a round.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Row {
    /// The round: the start of round `round`, after its actions are applied.
    pub round: u32,
    /// Live nodes holding the newest version of the tracked key then.
    pub informed: u32,
    /// The record of the round just run (`None` at round 0).
    pub record: Option<RoundRecord>,
}

/// A run stepped round by round exactly as the page's timeline steps it: the actions of a
/// round are applied at its start, before the round's row is read, and the run stops when it
/// [`is_settled`] or reaches [`ROUNDS_MAX`].
#[derive(Clone, Debug)]
pub struct Replay {
    cluster: Cluster,
    key: Vec<u8>,
}

impl Replay {
    /// The replay of `run`, at round 0 with round 0's actions applied.
    pub fn new(run: &Run) -> Result<Replay, String> {
        // The replay reads each record once, right after its round.
        let mut cluster = run.cluster(4)?;
        cluster.apply_due();
        Ok(Replay {
            cluster,
            key: run.key.as_bytes().to_vec(),
        })
    }

    /// The cluster, for reading.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The row of the current round (no record: the first row, or a row read again).
    pub fn row(&self) -> Row {
        Row {
            round: self.round(),
            informed: self.cluster.holders(&self.key),
            record: None,
        }
    }

    /// The current round.
    pub fn round(&self) -> u32 {
        self.cluster.round().0 as u32
    }

    /// Whether the run can go on: not settled and below [`ROUNDS_MAX`].
    pub fn can_advance(&self) -> bool {
        !is_settled(&self.cluster) && self.round() < ROUNDS_MAX
    }

    /// Runs one round and applies the next round's actions; its row, or `None` when the run
    /// cannot advance.
    pub fn step(&mut self) -> Option<Row> {
        if !self.can_advance() {
            return None;
        }
        self.cluster.step_round();
        self.cluster.apply_due();
        let record = self.cluster.last_record().cloned();
        debug_assert!(record.is_some(), "a round was run, so it has a record");
        Some(Row {
            record,
            ..self.row()
        })
    }
}
