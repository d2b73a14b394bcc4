//! The model the membership lab draws: one run of the core's cluster simulator with SWIM as
//! every node's membership, and what the view needs of the round just run.
//!
//! After each round (a round is one protocol period) the view reads the truth (which nodes
//! are up, which are slow), how the cluster sees each member (the simulator's
//! [`gossip_core::sim::MembershipViews`]: how many live nodes hold it alive, suspect, dead or
//! left), each node's own table for the matrix and the inspector, and the messages of the round
//! (collected tick by tick while it is stepped), each classified for drawing by [`Kind`]
//! ([`super::classify`]).

use gossip_core::link::membership::Run;
use gossip_core::node::{LifeguardConfig, MemberState, NodeId, Swim};
use gossip_core::sim::{Action, ActionError, Cluster, ClusterConfig, MessageView, RoundRecord};
use gossip_core::time::Round;

use super::classify::{classify, Kind};
use crate::shell::timeline::Model;
pub use crate::shell::timeline::TimedAction;

/// Messages the engine keeps for animating one round; beyond this the round still runs, but
/// only the first ones are drawn.
pub const ROUND_MESSAGES_MAX: usize = 50_000;

/// A checkpoint's cost in the timeline's unit (a dissemination node, about 800 bytes): a SWIM
/// node also holds a table of every member, estimated (not measured) at 16 bytes an entry with
/// its probe order and piggyback state, so a node costs `1 + n / 50` units and a checkpoint
/// `n (1 + n / 50)`: at 1,000 nodes the timeline keeps at most 7 checkpoints, at 2,000 two.
pub fn checkpoint_units(n: u32) -> u32 {
    n.saturating_mul(1 + n / 50)
}

/// One message of the round, as drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drawn {
    /// The message (sender, receiver, ticks, fate).
    pub view: MessageView,
    /// What it is in SWIM's protocol.
    pub kind: Kind,
}

/// One run at a round boundary, and what the view needs of the round just run.
#[derive(Clone, Debug)]
pub struct Engine {
    cluster: Cluster,
    /// Messages of the round just run, classified.
    round_messages: Vec<Drawn>,
    round_start: u64,
    building: Vec<MessageView>,
    building_start: u64,
}

impl Engine {
    /// The run at round 0 with its actions scheduled and round 0's applied, with `lifeguard`
    /// (the run's own, or off for the comparison).
    pub fn new(run: &Run, lifeguard: LifeguardConfig) -> Result<Engine, String> {
        Engine::from_config(run, run.cluster_config_with(lifeguard))
    }

    /// The run at round 0 on `config` (the run's, or its [`Run::compare_config`]), as
    /// [`Engine::new`].
    pub fn from_config(run: &Run, config: ClusterConfig) -> Result<Engine, String> {
        let mut cluster = run.cluster_from(config, 4)?;
        cluster.apply_due();
        Ok(Engine {
            cluster,
            round_messages: Vec::new(),
            round_start: 0,
            building: Vec::new(),
            building_start: 0,
        })
    }

    /// The simulator, for reading.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        self.cluster.len() as u32
    }

    /// Rounds (periods) completed.
    pub fn round(&self) -> u32 {
        self.cluster.round().0 as u32
    }

    /// Ticks per round (the protocol period).
    pub fn period_ticks(&self) -> u32 {
        self.cluster.config().ticks_per_round
    }

    /// Whether node `i` is up.
    pub fn is_up(&self, i: NodeId) -> bool {
        self.cluster.is_up(i)
    }

    /// Whether node `i` is slow now, and its lag in ticks.
    pub fn lag_ticks(&self, i: NodeId) -> Option<u32> {
        Some(self.cluster.lag_ticks(i)).filter(|&l| l > 0)
    }

    /// Node `i`'s SWIM state, if it is up.
    pub fn swim(&self, i: NodeId) -> Option<&Swim> {
        self.cluster.node(i).and_then(|n| n.swim())
    }

    /// How many live nodes hold member `i` alive, suspect, dead and left.
    pub fn holders(&self, i: NodeId) -> [u32; 4] {
        self.cluster.views().holders(i)
    }

    /// How observer `o` holds member `m` (`None`: `o` is down, or has never heard of `m`).
    pub fn cell(&self, o: NodeId, m: NodeId) -> Option<MemberState> {
        let s = self.swim(o)?;
        if o == m {
            return Some(if s.has_left() {
                MemberState::Left
            } else {
                MemberState::Alive
            });
        }
        s.member(m).map(|v| v.state)
    }

    /// The messages of the round just run.
    pub fn round_messages(&self) -> &[Drawn] {
        &self.round_messages
    }

    /// The first tick of the round just run.
    pub fn round_start_tick(&self) -> u64 {
        self.round_start
    }

    /// Whether a round was started and not finished.
    pub fn is_mid_round(&self) -> bool {
        !self
            .cluster
            .now()
            .is_round_start(self.cluster.config().ticks_per_round)
    }

    fn step_some(&mut self, trace: bool, more: &mut dyn FnMut() -> bool) -> Option<RoundRecord> {
        let tpr = self.cluster.config().ticks_per_round;
        if !self.is_mid_round() {
            self.building.clear();
            self.building_start = self.cluster.now().0;
            if trace {
                self.cluster.message_views(b"", &mut self.building);
            }
        }
        loop {
            let t = self.cluster.now();
            self.cluster.step_tick();
            if trace && self.building.len() < ROUND_MESSAGES_MAX {
                self.cluster.message_views_since(b"", t, &mut self.building);
            }
            for d in self.cluster.dropped_views() {
                if trace && self.building.len() < ROUND_MESSAGES_MAX {
                    self.building.push(d);
                }
            }
            self.cluster.clear_dropped();
            if self.cluster.now().is_round_start(tpr) {
                break;
            }
            if !more() {
                return None;
            }
        }
        self.building.truncate(ROUND_MESSAGES_MAX);
        self.building.sort_by_key(|m| m.sent);
        self.round_messages = classify(&self.building);
        self.round_start = self.building_start;
        self.cluster.last_record().cloned()
    }
}

/// The timeline's view of the engine: a round's record, then the next round's actions.
impl Model for Engine {
    type Record = RoundRecord;
    type Lens = ();

    fn round(&self) -> u32 {
        Engine::round(self)
    }

    fn nodes(&self) -> u32 {
        checkpoint_units(Engine::nodes(self))
    }

    /// SWIM never settles: every node probes every period for ever.
    fn is_complete(&self) -> bool {
        false
    }

    fn is_mid_round(&self) -> bool {
        Engine::is_mid_round(self)
    }

    fn step_some(&mut self, trace: bool, more: &mut dyn FnMut() -> bool) -> Option<RoundRecord> {
        let record = Engine::step_some(self, trace, more)?;
        self.cluster.apply_due();
        Some(record)
    }

    fn act(&mut self, action: Action) -> Result<(), ActionError> {
        let round = self.cluster.round();
        self.cluster.schedule(round, action)?;
        match self.cluster.apply_due().last() {
            Some(e) => Err(*e),
            None => Ok(()),
        }
    }

    fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError> {
        self.cluster.schedule(Round(u64::from(round)), action)
    }

    fn unschedule_after(&mut self, round: u32) -> usize {
        self.cluster.unschedule_after(Round(u64::from(round)))
    }

    fn amend(&self, _record: &mut RoundRecord) {}

    /// The same configuration at period 0 with no action scheduled.
    fn restarted(&self) -> Engine {
        let cluster = Cluster::new(*self.cluster.config())
            .expect("this configuration started this engine's cluster");
        Engine {
            cluster,
            round_messages: Vec::new(),
            round_start: 0,
            building: Vec::new(),
            building_start: 0,
        }
    }

    fn lens(&self) {}

    fn set_lens(&mut self, _lens: &()) {}
}
