//! The membership lab's run as a link names it: what `?lab=membership&s=detect&n=32&…` means.
//!
//! A [`Run`] is everything that decides the numbers of a run of SWIM on the cluster simulator:
//! the scenario it started from, nodes, the protocol period, loss, indirect probes, suspicion,
//! which parts of Lifeguard are on, the probe order, the seed, whether a second cluster runs
//! beside it (Lifeguard off, or heartbeat gossip instead of SWIM: [`Compare`]), and the
//! recorded actions. [`Run::cluster_config`] builds the
//! cluster exactly as the page does (a period is one round, so the metrics' "periods" are
//! rounds), so a link fully determines the run and the runner could replay it.
//!
//! This file holds the fields, their limits, the scenarios and [`Run`]; `parse.rs` reads a link
//! into a run ([`parse`]) and `tests.rs` tests both (round trips, notices, and that each
//! scenario shows what its caption says).
//!
//! # Fields
//! | name | meaning | values |
//! |------|---------|--------|
//! | `lab` | the lab: `membership` | read by the page |
//! | `s` | the scenario, read first: it presets the others | `custom`, `detect`, `refute`, `slow`, `joinleave`, `swimhb` |
//! | `n` | nodes | [`NODES_MIN`] to [`NODES_MAX`] |
//! | `t`, `pt` | the protocol period T and the direct probe timeout, ticks | 2 to [`PERIOD_TICKS_MAX`]; 1 to `t - 1` |
//! | `loss` | message loss, whole percent | 0 to [`LOSS_PERCENT_MAX`] |
//! | `k` | indirect probes (ping-req helpers) | 0 to [`INDIRECT_MAX`], below `n - 1` |
//! | `sus` | suspicion (1) or basic SWIM (0) | 0 or 1 |
//! | `lg` | the parts of Lifeguard on: `on`, `off`, or letters `h` local health, `n` nack, `d` dynamic suspicion timeout, `b` buddy | e.g. `hd` |
//! | `po` | the probe order | `rr` (randomized round-robin), `uniform` |
//! | `cmp` | the chart's second series: none, the same seed and actions with Lifeguard off, or with heartbeat gossip instead of SWIM ([`Compare`]) | `0`, `1`, `hb` |
//! | `seed` | the seed of every random stream | 0 to 2^64 − 1 |
//! | `a` | the recorded actions, [`crate::script`] text (crash, restart, leave `q`, slow `s`, links) | at most [`ACTIONS_MAX`] |
//!
//! The slow-node scenario (`s=slow`) uses the default k = 3 helpers (it used 1 before): a
//! link of the older scenario names `k=1` and so opens as the custom run it describes (the
//! same numbers), with a notice; a link with `s=slow` alone opens the scenario as it is now.
//!
//! # A scenario is a preset, not a promise
//! As in the dissemination lab: a link that names a scenario and changes a parameter its
//! caption depends on is read as [`Scenario::Custom`], with a notice.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

pub use super::ROUNDS_MAX;
use crate::net::LinkConfig;
use crate::node::{LifeguardConfig, MembershipConfig, ProbeOrder, SwimConfig};
use crate::script::{self, ScriptLimits};
use crate::sim::{Action, Cluster, ClusterConfig};
use crate::time::Round;

mod compare;
mod parse;
#[cfg(test)]
mod tests;

pub use compare::{detector_traffic, Compare};
pub use parse::parse;

/// The smallest cluster.
pub const NODES_MIN: u32 = 2;
/// The largest cluster a link may ask for: every node's view of every member is drawn from
/// (and checkpointed with) the page's cluster, N² entries, so the page stays at a few thousand.
pub const NODES_MAX: u32 = 2_000;
/// The longest protocol period, in ticks.
pub const PERIOD_TICKS_MAX: u32 = 32;
/// The largest loss, in whole percent: above it nearly every probe fails.
pub const LOSS_PERCENT_MAX: u32 = 50;
/// The most indirect probes.
pub const INDIRECT_MAX: u32 = 8;
/// The most recorded actions a run holds (the link's text, the schedule and the history).
pub const ACTIONS_MAX: u32 = 4_096;
/// The default protocol period, in ticks (SWIM's default [`SwimConfig`]).
pub const PERIOD_TICKS_DEFAULT: u32 = 8;

/// An action and the round at whose start it happens, as the [`crate::script`] codec has them.
pub type TimedAction = (Round, Action);

/// A ready-made experiment: a preset of the run (the page adds a title and a caption).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Scenario {
    /// Parameters chosen by hand.
    Custom,
    /// One crash, found by probing: suspect, then dead.
    Detect,
    /// Loss makes live members suspect; they refute.
    Refute,
    /// One slow node, with Lifeguard and without: healthy members declared dead against the
    /// slow node itself.
    Slow,
    /// A node joins, another leaves.
    JoinLeave,
    /// The same crash under loss found by SWIM and by heartbeat gossip with phi accrual.
    SwimHeartbeat,
}

impl Scenario {
    /// Every scenario, in picker order.
    pub const ALL: [Scenario; 6] = [
        Scenario::Custom,
        Scenario::Detect,
        Scenario::Refute,
        Scenario::Slow,
        Scenario::JoinLeave,
        Scenario::SwimHeartbeat,
    ];

    /// Its name in links (`s=`).
    pub fn key(self) -> &'static str {
        match self {
            Scenario::Custom => "custom",
            Scenario::Detect => "detect",
            Scenario::Refute => "refute",
            Scenario::Slow => "slow",
            Scenario::JoinLeave => "joinleave",
            Scenario::SwimHeartbeat => "swimhb",
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
            Scenario::Detect => "Failure detection (SWIM)",
            Scenario::Refute => "Suspicion and refutation under loss",
            Scenario::Slow => "A slow node (Lifeguard)",
            Scenario::JoinLeave => "Join and leave",
            Scenario::SwimHeartbeat => "SWIM vs heartbeats with phi accrual",
        }
    }
}

/// The parts of Lifeguard in the link's letters (`lg=`).
pub fn lifeguard_key(l: LifeguardConfig) -> String {
    if l == LifeguardConfig::ON {
        return "on".into();
    }
    if l == LifeguardConfig::OFF {
        return "off".into();
    }
    let mut s = String::new();
    for (on, c) in [
        (l.local_health, 'h'),
        (l.nack, 'n'),
        (l.dynamic_suspicion, 'd'),
        (l.buddy, 'b'),
    ] {
        if on {
            s.push(c);
        }
    }
    s
}

/// The parts of Lifeguard named by `key` (`on`, `off` or a set of the letters `hndb`).
pub fn lifeguard_from_key(key: &str) -> Option<LifeguardConfig> {
    match key {
        "on" => return Some(LifeguardConfig::ON),
        "off" => return Some(LifeguardConfig::OFF),
        "" => return None,
        _ => {}
    }
    let mut l = LifeguardConfig::OFF;
    for c in key.chars() {
        let part = match c {
            'h' => &mut l.local_health,
            'n' => &mut l.nack,
            'd' => &mut l.dynamic_suspicion,
            'b' => &mut l.buddy,
            _ => return None,
        };
        if *part {
            return None;
        }
        *part = true;
    }
    Some(l)
}

/// The probe order's name in links (`po=`).
pub fn probe_order_key(p: ProbeOrder) -> &'static str {
    match p {
        ProbeOrder::RoundRobin => "rr",
        ProbeOrder::Uniform => "uniform",
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
    /// The protocol period T in ticks (one round), 2 to [`PERIOD_TICKS_MAX`].
    pub period_ticks: u32,
    /// The direct probe timeout in ticks, 1 to `period_ticks - 1`.
    pub probe_timeout_ticks: u32,
    /// Message loss in whole percent, 0 to [`LOSS_PERCENT_MAX`].
    pub loss_percent: u32,
    /// k: ping-req helpers, 0 to [`INDIRECT_MAX`] and below `nodes - 1`.
    pub indirect: u32,
    /// Suspicion (SWIM §4.2) or basic SWIM.
    pub suspicion: bool,
    /// The parts of Lifeguard that are on.
    pub lifeguard: LifeguardConfig,
    /// The probe order.
    pub probe_order: ProbeOrder,
    /// The chart's second series: none, Lifeguard off, or heartbeat gossip.
    pub compare: Compare,
    /// The seed of the run.
    pub seed: u64,
    /// Recorded actions, in round order.
    pub actions: Vec<TimedAction>,
}

impl Default for Run {
    fn default() -> Run {
        let swim = SwimConfig::default();
        Run {
            scenario: Scenario::Custom,
            nodes: 32,
            period_ticks: PERIOD_TICKS_DEFAULT,
            probe_timeout_ticks: swim.probe_timeout_ticks,
            loss_percent: 0,
            indirect: swim.indirect_probes,
            suspicion: true,
            lifeguard: LifeguardConfig::ON,
            probe_order: ProbeOrder::RoundRobin,
            compare: Compare::None,
            seed: 1,
            actions: Vec::new(),
        }
    }
}

/// The node the detection and join-and-leave scenarios crash (or start down).
pub const SCENARIO_CRASHED: u32 = 5;
/// The node the slow-node scenario slows.
pub const SCENARIO_SLOW: u32 = 3;
/// The node the join-and-leave scenario makes leave.
pub const SCENARIO_LEAVER: u32 = 9;

impl Run {
    /// The run a scenario starts from (seed 1; the page keeps its own seed).
    pub fn preset(scenario: Scenario) -> Run {
        let base = Run {
            scenario,
            ..Run::default()
        };
        let at = |r: u64, a: Action| (Round(r), a);
        match scenario {
            Scenario::Custom => base,
            Scenario::Detect => Run {
                actions: vec![at(3, Action::Crash(SCENARIO_CRASHED))],
                ..base
            },
            Scenario::Refute => Run {
                loss_percent: 10,
                indirect: 1,
                ..base
            },
            Scenario::Slow => Run {
                compare: Compare::LifeguardOff,
                actions: vec![at(
                    2,
                    Action::Slow {
                        node: SCENARIO_SLOW,
                        lag_ticks: SLOW_SCENARIO_LAG_TICKS,
                    },
                )],
                ..base
            },
            Scenario::JoinLeave => Run {
                actions: vec![
                    at(0, Action::Crash(SCENARIO_CRASHED)),
                    at(12, Action::Restart(SCENARIO_CRASHED)),
                    at(24, Action::Leave(SCENARIO_LEAVER)),
                ],
                ..base
            },
            Scenario::SwimHeartbeat => Run {
                loss_percent: HEARTBEAT_SCENARIO_LOSS_PERCENT,
                compare: Compare::Heartbeat,
                actions: vec![at(
                    HEARTBEAT_SCENARIO_CRASH_ROUND,
                    Action::Crash(SCENARIO_CRASHED),
                )],
                ..base
            },
        }
    }

    /// Whether the run is still the one its scenario's caption describes: the preset up to the
    /// seed, the actions (recorded after the preset's) and the comparison (except where the
    /// comparison is what the scenario is about).
    pub fn fits_scenario(&self) -> bool {
        let mut own = Run::preset(self.scenario);
        own.seed = self.seed;
        if self.scenario != Scenario::SwimHeartbeat {
            own.compare = self.compare;
        }
        own.actions = self.actions.clone();
        own == *self
    }

    /// The SWIM configuration, with `lifeguard` as given (the comparison passes it off).
    pub fn swim(&self, lifeguard: LifeguardConfig) -> SwimConfig {
        SwimConfig {
            probe_interval_ticks: self.period_ticks,
            probe_timeout_ticks: self.probe_timeout_ticks,
            indirect_probes: self.indirect,
            suspicion: self.suspicion,
            probe_order: self.probe_order,
            lifeguard,
            ..SwimConfig::default()
        }
    }

    /// The cluster simulator's configuration (a period is a round, latency 1 tick), with the
    /// run's Lifeguard or, for the comparison, `lifeguard`.
    pub fn cluster_config_with(&self, lifeguard: LifeguardConfig) -> ClusterConfig {
        let swim = self.swim(lifeguard);
        let mut c = ClusterConfig::new(self.nodes, self.seed);
        c.ticks_per_round = self.period_ticks;
        c.node.gossip_interval_ticks = self.period_ticks;
        c.node.membership = MembershipConfig::Swim(swim);
        c.net.link = LinkConfig {
            loss: f64::from(self.loss_percent) / 100.0,
            ..c.net.link
        };
        c.actions_max = ACTIONS_MAX;
        c
    }

    /// The cluster simulator's configuration of the run.
    pub fn cluster_config(&self) -> ClusterConfig {
        self.cluster_config_with(self.lifeguard)
    }

    /// The configuration of the second run, if [`Run::compare`] asks for one: Lifeguard off,
    /// or heartbeat gossip at the run's period in place of SWIM (all else the same).
    pub fn compare_config(&self) -> Option<ClusterConfig> {
        match self.compare {
            Compare::None => None,
            Compare::LifeguardOff => Some(self.cluster_config_with(LifeguardConfig::OFF)),
            Compare::Heartbeat => {
                let mut c = self.cluster_config();
                c.node.membership = compare::heartbeat(self.period_ticks);
                Some(c)
            }
        }
    }

    /// The cluster at round 0 with every recorded action scheduled (none applied yet), with
    /// `lifeguard` (the run's own, or off for the comparison).
    pub fn cluster(&self, lifeguard: LifeguardConfig, records_max: u32) -> Result<Cluster, String> {
        self.cluster_from(self.cluster_config_with(lifeguard), records_max)
    }

    /// The cluster of `config` (the run's, or [`Run::compare_config`]) at round 0 with every
    /// recorded action scheduled.
    pub fn cluster_from(
        &self,
        mut config: ClusterConfig,
        records_max: u32,
    ) -> Result<Cluster, String> {
        config.records_max = records_max;
        let mut cluster = Cluster::new(config).map_err(|e| format!("{e}"))?;
        for (round, action) in &self.actions {
            cluster
                .schedule(*round, action.clone())
                .map_err(|e| format!("{e}"))?;
        }
        Ok(cluster)
    }

    /// The run-defining part of the canonical link (no `?`), which the page writes first.
    pub fn encode_head(&self) -> String {
        format!(
            "lab=membership&s={}&n={}&t={}&pt={}&loss={}&k={}&sus={}&lg={}&po={}&cmp={}&seed={}",
            self.scenario.key(),
            self.nodes,
            self.period_ticks,
            self.probe_timeout_ticks,
            self.loss_percent,
            self.indirect,
            u8::from(self.suspicion),
            lifeguard_key(self.lifeguard),
            probe_order_key(self.probe_order),
            self.compare.key(),
            self.seed,
        )
    }

    /// The actions, `&a=…` (an empty `a=` when the scenario's own were removed). Fails rather
    /// than leave them out: a link without them would replay another run.
    pub fn encode_tail(&self) -> Result<String, script::EncodeError> {
        if self.actions.is_empty() && Run::preset(self.scenario).actions.is_empty() {
            return Ok(String::new());
        }
        let text = script::encode(&self.actions, &script_limits(self.nodes))?;
        Ok(format!("&a={text}"))
    }

    /// The canonical link of the run alone, `?` + head + tail.
    pub fn encode(&self) -> Result<String, script::EncodeError> {
        Ok(format!("?{}{}", self.encode_head(), self.encode_tail()?))
    }

    /// Whether `action` at `round` can be recorded and still be carried by the link.
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

/// The slow node's lag in the slow-node scenario: two periods, so every ack it should send
/// or take in comes too late for the probe it belongs to (the CPU-exhaustion case of
/// Lifeguard §2).
pub const SLOW_SCENARIO_LAG_TICKS: u32 = 2 * PERIOD_TICKS_DEFAULT;

/// The loss of the SWIM-vs-heartbeats scenario, in whole percent.
pub const HEARTBEAT_SCENARIO_LOSS_PERCENT: u32 = 5;
/// The round at whose start the SWIM-vs-heartbeats scenario crashes [`SCENARIO_CRASHED`]: late
/// enough that every heartbeat window holds real intervals, not just the initial one.
pub const HEARTBEAT_SCENARIO_CRASH_ROUND: u64 = 40;

/// What the action text of a run of `nodes` nodes may contain.
pub fn script_limits(nodes: u32) -> ScriptLimits {
    let config = Run {
        nodes,
        ..Run::default()
    }
    .cluster_config();
    ScriptLimits {
        rounds_max: u64::from(ROUNDS_MAX),
        ..ScriptLimits::for_cluster(&config)
    }
}
