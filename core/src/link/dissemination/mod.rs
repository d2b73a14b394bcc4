//! The dissemination lab's run as a link names it: what `?s=epidemic&n=200&m=push&a=…` means.
//!
//! A [`Run`] is everything that decides the numbers of a run of the cluster simulator: the
//! scenario it started from, nodes, exchange mode (anti-entropy push, pull, push-pull, or rumor
//! mongering), fanout, loss, latency, gossip interval, rumor mongering's stop rule and `k`, the
//! seed, the tracked key and the recorded actions. [`Run::cluster`] builds the run exactly as
//! the page does (node 0 writes [`RUMOR_KEY`] at tick 0, then the actions are scheduled), and
//! [`Replay`] steps it round by round the way the page's timeline does, so the page and
//! `lab cluster --link` give the same numbers for the same link (an end-to-end test compares
//! the page's CSV with the runner's).
//!
//! This file holds the fields, their limits, the scenarios and [`Run`]; `parse.rs` reads a link
//! into a run ([`parse`]), `replay.rs` steps a run as the page does ([`Replay`], [`is_settled`],
//! [`Ending`]), `repair.rs` names the anti-entropy repair beside the mode ([`RepairStrategy`]),
//! and `tests.rs` tests them together.
//!
//! # Fields
//! | name | meaning | values |
//! |------|---------|--------|
//! | `s` | the scenario, read first: it presets the others | `custom`, `epidemic`, `modes`, `rumor`, `partition`, `bounds` |
//! | `n` | nodes | [`NODES_MIN`] to [`NODES_MAX`] |
//! | `k` | fanout (peers per gossip; rumor mongering uses 1) | 1 to [`FANOUT_MAX`], below `n` |
//! | `m` | mode | `push`, `pull`, `pushpull`, `rumor`, `rumorpull` |
//! | `loss` | message loss, whole percent (0 with rumor mongering) | 0 to [`LOSS_PERCENT_MAX`] |
//! | `lat`, `latmax` | shortest and longest latency, ticks (a round is [`TICKS_PER_ROUND`]) | 1 to [`LATENCY_TICKS_MAX`] |
//! | `gi` | ticks between a node's gossips | 1 to [`GOSSIP_INTERVAL_TICKS_MAX`] |
//! | `stop`, `rk` | rumor mongering's stop rule and its `k` | `feedback-counter`, `feedback-coin`, `blind-counter`, `blind-coin`; 1 to [`RUMOR_K_MAX`] |
//! | `seed` | the seed of every random stream | 0 to 2^64 − 1 |
//! | `key` | the tracked key, when not the rumor (an action must write it) | 1 to [`KEY_BYTES_MAX`] unreserved characters |
//! | `a` | the recorded actions, [`crate::script`] text | at most [`ACTIONS_MAX`] actions, rounds below [`ROUNDS_MAX`] |
//! | `mem` | where each node learns who is alive: the oracle (a perfect failure detector) or its own SWIM view ([`Membership`]) | `oracle` (the default, left out of the canonical link so old links read unchanged), `swim` |
//! | `ae` | anti-entropy repair sessions beside the mode ([`RepairStrategy`], `repair.rs`) | `off` (the default, left out of the canonical link), `full`, `digest`, `merkle`, `rateless` |
//! | `aei` | gossip intervals between a node's repair sessions (only with `ae` on) | [`REPAIR_EVERY_MIN`] to [`REPAIR_EVERY_MAX`], default [`REPAIR_EVERY_DEFAULT`] |
//!
//! # A scenario is a preset, not a promise
//! A scenario's caption describes its own parameters. A link that names a scenario and then
//! changes a parameter the caption depends on (`?s=partition&n=16`) is a custom run: it is
//! read as [`Scenario::Custom`] and a notice says so, as the page does when the same change is
//! made in its fields. Preset actions that no longer fit the cluster are dropped, said once.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

pub use super::ROUNDS_MAX;
use crate::net::{Direction, LinkConfig};
use crate::node::{
    Exchange, MembershipConfig, Mode, NodeConfig, RumorConfig, RumorFeedback, RumorStop, SwimConfig,
};
use crate::script::{self, ScriptLimits};
use crate::sim::{Action, Cluster, ClusterConfig};
use crate::time::Round;

mod lacking;
mod parse;
mod repair;
mod replay;
#[cfg(test)]
mod tests;

pub use lacking::{keys_lacked, Lacking};
pub use parse::parse;
pub use repair::{
    RepairStrategy, REPAIR_EVERY_DEFAULT, REPAIR_EVERY_MAX, REPAIR_EVERY_MIN, REPAIR_MERKLE_SHAPE,
};
pub use replay::{is_settled, Ending, Replay, Row};

/// The smallest cluster.
pub const NODES_MIN: u32 = 2;
/// The largest cluster a link may ask for: what the page draws smoothly.
pub const NODES_MAX: u32 = 10_000;
/// The largest fanout (the fast kernel's limit, which the page's trials band uses).
pub const FANOUT_MAX: u32 = crate::kernel::epidemic::FANOUT_MAX as u32;
/// The largest loss, in whole percent: above it a run barely moves.
pub const LOSS_PERCENT_MAX: u32 = 95;
/// The longest latency, in ticks (four rounds).
pub const LATENCY_TICKS_MAX: u32 = 16;
/// The longest gossip interval, in ticks (four rounds).
pub const GOSSIP_INTERVAL_TICKS_MAX: u32 = 16;
/// The longest tracked key, in bytes.
pub const KEY_BYTES_MAX: usize = 16;
/// The largest loss-of-interest parameter of rumor mongering (the kernel's limit).
pub const RUMOR_K_MAX: u32 = crate::kernel::demers::K_MAX;
/// The most recorded actions a run holds. The one limit for the link's text, the cluster's
/// schedule and the cluster's history ([`ClusterConfig::actions_max`] is set to it), so an
/// action the cluster takes is always one the link can carry.
pub const ACTIONS_MAX: u32 = 4_096;
/// The longest key or value a recorded write may hold, in bytes.
pub const WRITE_BYTES_MAX: u32 = 64;
/// Ticks per round: the core's default, so that a latency of 1 tick and a gossip interval of
/// one round make the engine the synchronous model exactly.
pub const TICKS_PER_ROUND: u32 = 4;
/// The key node 0 writes at round 0: the rumor.
pub const RUMOR_KEY: &str = "rumor";
/// The value it writes.
pub const RUMOR_VALUE: &str = "1";

/// An action and the round at whose start it happens, as the [`crate::script`] codec has them.
pub type TimedAction = (Round, Action);

/// How nodes exchange the rumor: the anti-entropy modes, and rumor mongering (push or pull).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Protocol {
    /// Informed nodes push.
    Push,
    /// Every node pulls.
    Pull,
    /// Both.
    PushPull,
    /// Rumor mongering, infective nodes push, until they lose interest.
    RumorPush,
    /// Rumor mongering, every node pulls from a random peer; infective peers answer.
    RumorPull,
}

impl Protocol {
    /// Every protocol, in picker order.
    pub const ALL: [Protocol; 5] = [
        Protocol::Push,
        Protocol::Pull,
        Protocol::PushPull,
        Protocol::RumorPush,
        Protocol::RumorPull,
    ];

    /// Its name in links (`m=`).
    pub fn key(self) -> &'static str {
        match self {
            Protocol::Push => "push",
            Protocol::Pull => "pull",
            Protocol::PushPull => "pushpull",
            Protocol::RumorPush => "rumor",
            Protocol::RumorPull => "rumorpull",
        }
    }

    /// The protocol named `key`.
    pub fn from_key(key: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Whether this is rumor mongering.
    pub fn is_rumor(self) -> bool {
        matches!(self, Protocol::RumorPush | Protocol::RumorPull)
    }

    /// The exchange of the node engine.
    pub fn exchange(self) -> Exchange {
        match self {
            Protocol::Push | Protocol::RumorPush => Exchange::Push,
            Protocol::Pull | Protocol::RumorPull => Exchange::Pull,
            Protocol::PushPull => Exchange::PushPull,
        }
    }
}

/// When a rumor-mongering node loses interest (Demers et al., section 1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum StopRule {
    /// After `k` cycles whose contacts all found nodes that knew.
    FeedbackCounter,
    /// With probability `1/k` after each such cycle.
    FeedbackCoin,
    /// After `k` cycles with a contact, whatever it found.
    BlindCounter,
    /// With probability `1/k` after each cycle with a contact.
    BlindCoin,
}

impl StopRule {
    /// Every rule, in picker order.
    pub const ALL: [StopRule; 4] = [
        StopRule::FeedbackCounter,
        StopRule::FeedbackCoin,
        StopRule::BlindCounter,
        StopRule::BlindCoin,
    ];

    /// Its name in links (`stop=`).
    pub fn key(self) -> &'static str {
        match self {
            StopRule::FeedbackCounter => "feedback-counter",
            StopRule::FeedbackCoin => "feedback-coin",
            StopRule::BlindCounter => "blind-counter",
            StopRule::BlindCoin => "blind-coin",
        }
    }

    /// The rule named `key`.
    pub fn from_key(key: &str) -> Option<StopRule> {
        StopRule::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Its title in the picker.
    pub fn title(self) -> &'static str {
        match self {
            StopRule::FeedbackCounter => "feedback, counter",
            StopRule::FeedbackCoin => "feedback, coin",
            StopRule::BlindCounter => "blind, counter",
            StopRule::BlindCoin => "blind, coin",
        }
    }

    /// Whether only contacts with nodes that knew count.
    pub fn is_feedback(self) -> bool {
        matches!(self, StopRule::FeedbackCounter | StopRule::FeedbackCoin)
    }

    /// The node engine's feedback and stop rule for this rule with parameter `k`.
    pub fn engine_rule(self, k: u32) -> (RumorFeedback, RumorStop) {
        let feedback = if self.is_feedback() {
            RumorFeedback::Feedback
        } else {
            RumorFeedback::Blind
        };
        let stop = match self {
            StopRule::FeedbackCounter | StopRule::BlindCounter => RumorStop::Counter(k),
            StopRule::FeedbackCoin | StopRule::BlindCoin => RumorStop::Coin(k),
        };
        (feedback, stop)
    }
}

/// Where each node of the run learns who is alive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Membership {
    /// The simulator tells every node the live members at once (a perfect failure detector).
    #[default]
    Oracle,
    /// Each node keeps its own SWIM view (Lifeguard on, memberlist's defaults) and gossips
    /// with the members it holds alive or suspect: stale peers after a crash, missing ones
    /// after a false death. Its period is [`swim_period_ticks`] of the latency.
    Swim,
}

impl Membership {
    /// Its name in links (`mem=`).
    pub fn key(self) -> &'static str {
        match self {
            Membership::Oracle => "oracle",
            Membership::Swim => "swim",
        }
    }

    /// The membership named `key`.
    pub fn from_key(key: &str) -> Option<Membership> {
        [Membership::Oracle, Membership::Swim]
            .into_iter()
            .find(|m| m.key() == key)
    }
}

/// SWIM's direct probe timeout with the longest latency `latency_max` ticks: one round trip.
pub fn swim_probe_timeout_ticks(latency_max: u32) -> u32 {
    2 * latency_max
}

/// SWIM's protocol period with the longest latency `latency_max` ticks: room for the direct
/// round trip and then an indirect probe's two (four latencies), and at least two rounds.
pub fn swim_period_ticks(latency_max: u32) -> u32 {
    (swim_probe_timeout_ticks(latency_max) + 4 * latency_max + 1).max(2 * TICKS_PER_ROUND)
}

/// A ready-made experiment: a preset of the run (the page adds a title and a caption).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Scenario {
    /// Parameters chosen by hand.
    Custom,
    /// Push, fanout 1: the classic spread.
    Epidemic,
    /// The three exchange modes compared.
    PushPull,
    /// Rumor mongering: residue against traffic.
    Rumor,
    /// A partition with a write on each side, then a heal.
    Partition,
    /// The theory curves against a band of trials.
    Bounds,
    /// Rumor mongering with Merkle repair: writes on both sides of a partition, a heal, and
    /// repair finishing what the rumors missed.
    Repair,
}

impl Scenario {
    /// Every scenario, in picker order.
    pub const ALL: [Scenario; 7] = [
        Scenario::Custom,
        Scenario::Epidemic,
        Scenario::PushPull,
        Scenario::Rumor,
        Scenario::Partition,
        Scenario::Repair,
        Scenario::Bounds,
    ];

    /// Its name in links (`s=`).
    pub fn key(self) -> &'static str {
        match self {
            Scenario::Custom => "custom",
            Scenario::Epidemic => "epidemic",
            Scenario::PushPull => "modes",
            Scenario::Rumor => "rumor",
            Scenario::Partition => "partition",
            Scenario::Bounds => "bounds",
            Scenario::Repair => "repair",
        }
    }

    /// The scenario named `key` in a link.
    pub fn from_key(key: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Its title in the picker.
    pub fn title(self) -> &'static str {
        match self {
            Scenario::Custom => "Custom",
            Scenario::Epidemic => "Epidemic broadcast",
            Scenario::PushPull => "Push vs pull vs push-pull",
            Scenario::Rumor => "Rumor mongering: residue vs traffic",
            Scenario::Partition => "Network partition and heal",
            Scenario::Bounds => "Convergence bounds",
            Scenario::Repair => "Partition, then repair",
        }
    }

    /// Why a scenario cannot be chosen yet, if it cannot (every one can now).
    pub fn unavailable(self) -> Option<&'static str> {
        None
    }

    /// Whether the page shows the band of trials for this scenario unless the link says.
    pub fn shows_band(self) -> bool {
        matches!(self, Scenario::Rumor | Scenario::Bounds)
    }
}

/// Everything that decides a run's numbers; see the module docs for each field's link name.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Run {
    /// The scenario the run came from.
    pub scenario: Scenario,
    /// Nodes, [`NODES_MIN`] to [`NODES_MAX`].
    pub nodes: u32,
    /// Peers per gossip, 1 to [`FANOUT_MAX`] and below `nodes` (rumor mongering uses 1).
    pub fanout: u32,
    /// Exchange mode.
    pub mode: Protocol,
    /// When rumor-mongering nodes lose interest.
    pub stop: StopRule,
    /// The loss-of-interest parameter `k` of rumor mongering, 1 to [`RUMOR_K_MAX`].
    pub rumor_k: u32,
    /// Message loss in whole percent, 0 to [`LOSS_PERCENT_MAX`] (0 with rumor mongering).
    pub loss_percent: u32,
    /// Shortest message latency in ticks, 1 to [`LATENCY_TICKS_MAX`].
    pub latency_min: u32,
    /// Longest message latency in ticks, `latency_min` to [`LATENCY_TICKS_MAX`].
    pub latency_max: u32,
    /// Ticks between a node's gossips, 1 to [`GOSSIP_INTERVAL_TICKS_MAX`].
    pub gossip_ticks: u32,
    /// The key whose spread is counted ("informed"): the rumor, or a key an action writes.
    pub key: String,
    /// The seed of the run.
    pub seed: u64,
    /// Recorded actions, in round order.
    pub actions: Vec<TimedAction>,
    /// Where each node learns who is alive.
    #[cfg_attr(feature = "serde", serde(default))]
    pub membership: Membership,
    /// Anti-entropy repair sessions beside the mode (off unless the link says `ae=`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub repair: RepairStrategy,
    /// Gossip intervals between a node's repair sessions, [`REPAIR_EVERY_MIN`] to
    /// [`REPAIR_EVERY_MAX`]; [`REPAIR_EVERY_DEFAULT`] while repair is off.
    #[cfg_attr(feature = "serde", serde(default = "repair_every_default"))]
    pub repair_every: u32,
}

#[cfg(feature = "serde")]
fn repair_every_default() -> u32 {
    REPAIR_EVERY_DEFAULT
}

impl Default for Run {
    fn default() -> Run {
        Run {
            scenario: Scenario::Custom,
            nodes: 32,
            fanout: 1,
            mode: Protocol::Push,
            stop: StopRule::FeedbackCounter,
            rumor_k: 1,
            loss_percent: 0,
            latency_min: 1,
            latency_max: 1,
            gossip_ticks: TICKS_PER_ROUND,
            key: RUMOR_KEY.to_string(),
            seed: 1,
            actions: Vec::new(),
            membership: Membership::Oracle,
            repair: RepairStrategy::Off,
            repair_every: REPAIR_EVERY_DEFAULT,
        }
    }
}

impl Run {
    /// The run a scenario starts from (seed 1; the page keeps its own seed).
    pub fn preset(scenario: Scenario) -> Run {
        let base = Run {
            scenario,
            ..Run::default()
        };
        match scenario {
            Scenario::Custom => base,
            Scenario::Partition => Run {
                nodes: 64,
                fanout: 2,
                mode: Protocol::PushPull,
                actions: partition_actions(64),
                ..base
            },
            Scenario::Rumor => Run {
                nodes: 1000,
                mode: Protocol::RumorPush,
                stop: StopRule::FeedbackCounter,
                rumor_k: 2,
                ..base
            },
            Scenario::Repair => Run {
                nodes: REPAIR_NODES,
                mode: Protocol::RumorPush,
                stop: StopRule::FeedbackCounter,
                rumor_k: 1,
                repair: RepairStrategy::Merkle,
                repair_every: REPAIR_SCENARIO_EVERY,
                actions: repair_actions(REPAIR_NODES),
                ..base
            },
            Scenario::Epidemic => Run { nodes: 200, ..base },
            Scenario::PushPull => Run {
                nodes: 1000,
                mode: Protocol::PushPull,
                ..base
            },
            Scenario::Bounds => Run {
                nodes: 1000,
                fanout: 2,
                loss_percent: 10,
                ..base
            },
        }
    }

    /// Whether the run is still the one its scenario's caption describes: the preset, up to
    /// the seed, the actions and what the scenario invites changing (the exchange in "Push vs
    /// pull vs push-pull", `k` in the rumor scenario).
    pub fn fits_scenario(&self) -> bool {
        let mut own = Run::preset(self.scenario);
        if self.scenario == Scenario::PushPull && !self.mode.is_rumor() {
            own.mode = self.mode;
        }
        if self.scenario == Scenario::Rumor {
            own.rumor_k = self.rumor_k;
        }
        own.seed = self.seed;
        own.key = self.key.clone();
        own.actions = self.actions.clone();
        // The membership is the viewer's to choose: each caption is about the spread.
        own.membership = self.membership;
        own.cluster_config() == self.cluster_config()
    }

    /// Loss as a fraction.
    pub fn loss(&self) -> f64 {
        f64::from(self.loss_percent) / 100.0
    }

    /// The node engine's mode.
    pub fn engine_mode(&self) -> Mode {
        let exchange = self.mode.exchange();
        if !self.mode.is_rumor() {
            return Mode::AntiEntropy(exchange);
        }
        let (feedback, stop) = self.stop.engine_rule(self.rumor_k);
        Mode::Rumor(RumorConfig {
            exchange,
            feedback,
            stop,
        })
    }

    /// The cluster simulator's configuration; valid whenever the fields are within their
    /// limits. Rumor mongering contacts one peer per gossip and has no loss (as the kernel's
    /// Demers rule that the page's band comes from).
    pub fn cluster_config(&self) -> ClusterConfig {
        let rumor = self.mode.is_rumor();
        let mut c = ClusterConfig::new(self.nodes, self.seed);
        c.ticks_per_round = TICKS_PER_ROUND;
        c.node = NodeConfig {
            mode: self.engine_mode(),
            fanout: if rumor { 1 } else { self.fanout },
            gossip_interval_ticks: self.gossip_ticks,
            ..c.node
        };
        c.net.link = LinkConfig {
            loss: if rumor { 0.0 } else { self.loss() },
            duplicate: 0.0,
            latency_ticks_min: self.latency_min,
            latency_ticks_max: self.latency_max.max(self.latency_min),
        };
        c.actions_max = ACTIONS_MAX;
        c.node.anti_entropy = self.repair.engine_config(self.repair_every);
        if self.membership == Membership::Swim {
            let latency_max = c.net.link.latency_ticks_max;
            c.node.membership = MembershipConfig::Swim(SwimConfig {
                probe_interval_ticks: swim_period_ticks(latency_max),
                probe_timeout_ticks: swim_probe_timeout_ticks(latency_max),
                ..SwimConfig::default()
            });
        }
        c
    }

    /// The cluster at round 0: node 0 has written the rumor at tick 0 and every recorded
    /// action is scheduled (none applied yet: [`Replay`] applies round 0's before its first
    /// row, as the page shows them). `records_max` is the cluster's own record memory.
    pub fn cluster(&self, records_max: u32) -> Result<Cluster, String> {
        let mut config = self.cluster_config();
        config.records_max = records_max;
        start_cluster(config, &self.actions)
    }

    /// The run-defining part of the canonical link, `s=…&n=…&…&seed=…` (no `?`), which the page
    /// writes before its view fields.
    pub fn encode_head(&self) -> String {
        format!(
            "s={}&n={}&k={}&m={}&loss={}&lat={}&latmax={}&gi={}&stop={}&rk={}&seed={}",
            self.scenario.key(),
            self.nodes,
            self.fanout,
            self.mode.key(),
            self.loss_percent,
            self.latency_min,
            self.latency_max,
            self.gossip_ticks,
            self.stop.key(),
            self.rumor_k,
            self.seed,
        ) + match self.membership {
            // Left out for the oracle, so every link written before `mem=` reads the same.
            Membership::Oracle => "",
            Membership::Swim => "&mem=swim",
        } + &self.encode_repair()
    }

    /// `&ae=…&aei=…` when repair is on; nothing when off, so every link written before these
    /// fields reads the same.
    fn encode_repair(&self) -> String {
        match self.repair {
            RepairStrategy::Off => String::new(),
            s => format!("&ae={}&aei={}", s.key(), self.repair_every),
        }
    }

    /// The actions and the tracked key, `&a=…&key=…` (each only when needed), which the page
    /// writes after its view fields. Fails, rather than leave `a=` out, when the actions do
    /// not fit the link: a link without them would replay another run.
    pub fn encode_tail(&self) -> Result<String, script::EncodeError> {
        let mut q = String::new();
        if self.actions.is_empty() && !Run::preset(self.scenario).actions.is_empty() {
            // The scenario's own actions were removed: say so, or the link would bring them back.
            q.push_str("&a=");
        } else if !self.actions.is_empty() {
            q.push_str("&a=");
            q.push_str(&script::encode(&self.actions, &script_limits(self.nodes))?);
        }
        if self.key != RUMOR_KEY {
            q.push_str("&key=");
            q.push_str(&self.key);
        }
        Ok(q)
    }

    /// The canonical link of the run alone, `?` + head + tail.
    pub fn encode(&self) -> Result<String, script::EncodeError> {
        Ok(format!("?{}{}", self.encode_head(), self.encode_tail()?))
    }

    /// Whether `action` at `round` can be added to the recorded actions and still be carried
    /// by the link (the count, the text's length, the rounds): the check to make *before*
    /// acting, so an action is refused with a reason rather than dropped from the link later.
    pub fn can_record(&self, round: Round, action: &Action) -> Result<(), script::EncodeError> {
        let mut actions: Vec<TimedAction> = self
            .actions
            .iter()
            .filter(|(r, _)| *r <= round)
            .cloned()
            .collect();
        actions.push((round, action.clone()));
        script::encode(&actions, &script_limits(self.nodes)).map(|_| ())
    }
}

/// How every run of this lab starts, page and runner alike: a cluster of `config` in which node
/// 0 has written [`RUMOR_KEY`] at tick 0, with `actions` (in round order) scheduled.
pub fn start_cluster(config: ClusterConfig, actions: &[TimedAction]) -> Result<Cluster, String> {
    let mut cluster = Cluster::new(config).map_err(|e| e.to_string())?;
    cluster
        .write(0, RUMOR_KEY.as_bytes(), RUMOR_VALUE.as_bytes())
        .map_err(|e| e.to_string())?;
    for (round, action) in actions {
        cluster
            .schedule(*round, action.clone())
            .map_err(|e| e.to_string())?;
    }
    Ok(cluster)
}

/// The preset actions of the partition scenario on `nodes` nodes: cut the halves at round 3,
/// write under the rumor key on each side at round 4, heal at round 12.
fn partition_actions(nodes: u32) -> Vec<TimedAction> {
    let left: Vec<u32> = (0..nodes / 2).collect();
    let right: Vec<u32> = (nodes / 2..nodes).collect();
    let write = |node: u32, value: &str| Action::Write {
        node,
        key: RUMOR_KEY.as_bytes().to_vec(),
        value: value.as_bytes().to_vec(),
    };
    let cut = Action::Partition {
        groups: vec![left, right],
        direction: Direction::Both,
    };
    vec![
        (Round(3), cut),
        (Round(4), write(16, "east")),
        (Round(4), write(48, "west")),
        (Round(12), Action::Heal),
    ]
}

/// Nodes of the "Partition, then repair" scenario.
const REPAIR_NODES: u32 = 48;
/// Gossip intervals between a node's repair sessions in that scenario.
const REPAIR_SCENARIO_EVERY: u32 = 6;
/// The round that scenario cuts the halves at, after the rumor's own spread.
pub const REPAIR_CUT_ROUND: u64 = 8;
/// The round it heals at.
pub const REPAIR_HEAL_ROUND: u64 = 20;
/// Writes each side makes while cut.
pub const REPAIR_WRITES_PER_SIDE: u32 = 3;

/// The preset actions of the repair scenario on `nodes` nodes: cut the halves at
/// [`REPAIR_CUT_ROUND`]; then [`REPAIR_WRITES_PER_SIDE`] writes on each side, two rounds
/// apart (a node of the left half writes `left1`, `left2`, …, one of the right half `right1`,
/// …, and at the last write both sides write `both`, so one key has a version on each side);
/// heal at [`REPAIR_HEAL_ROUND`].
fn repair_actions(nodes: u32) -> Vec<TimedAction> {
    let half = nodes / 2;
    let write = |node: u32, key: String, value: &str| Action::Write {
        node,
        key: key.into_bytes(),
        value: value.as_bytes().to_vec(),
    };
    let cut = Action::Partition {
        groups: vec![(0..half).collect(), (half..nodes).collect()],
        direction: Direction::Both,
    };
    let mut actions = vec![(Round(REPAIR_CUT_ROUND), cut)];
    for i in 1..=REPAIR_WRITES_PER_SIDE {
        let round = Round(REPAIR_CUT_ROUND + 2 * u64::from(i));
        // A different writer each time, so no one node's rumor carries them all.
        let (left, right) = (i * 5 % half, half + i * 7 % half);
        actions.push((round, write(left, format!("left{i}"), "L")));
        actions.push((round, write(right, format!("right{i}"), "R")));
    }
    let last = Round(REPAIR_CUT_ROUND + 2 * u64::from(REPAIR_WRITES_PER_SIDE));
    actions.push((last, write(1, "both".into(), "L")));
    actions.push((last, write(half + 1, "both".into(), "R")));
    actions.push((Round(REPAIR_HEAL_ROUND), Action::Heal));
    actions
}

/// What the action text of a run of `nodes` nodes may contain: the cluster's own limits
/// ([`ScriptLimits::for_cluster`]) with the link's rounds and write sizes.
pub fn script_limits(nodes: u32) -> ScriptLimits {
    let config = Run {
        nodes,
        ..Run::default()
    }
    .cluster_config();
    ScriptLimits {
        rounds_max: u64::from(ROUNDS_MAX),
        key_bytes_max: WRITE_BYTES_MAX,
        value_bytes_max: WRITE_BYTES_MAX,
        ..ScriptLimits::for_cluster(&config)
    }
}

/// Whether `key` may be tracked and written from a link: short, and made of characters a
/// link carries unescaped (the script codec's unreserved set).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= KEY_BYTES_MAX && key.chars().all(script::is_unreserved)
}

/// Whether a run with `actions` ever has `key`: the rumor, or a key an action writes or
/// deletes. Tracking any other key would show 0 informed for ever, with nothing to say why.
pub fn key_is_written(key: &str, actions: &[TimedAction]) -> bool {
    key == RUMOR_KEY
        || actions.iter().any(|(_, a)| match a {
            Action::Write { key: k, .. } | Action::Delete { key: k, .. } => k == key.as_bytes(),
            _ => false,
        })
}
