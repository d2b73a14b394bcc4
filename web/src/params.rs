//! Everything that defines what the page shows: the parameters of a run, the scenario it came
//! from, and their limits (each named with its unit last).

use gossip_core::kernel::demers::{Counting, DemersConfig as RumorConfig, Removal, Variant};
use gossip_core::kernel::epidemic::{KernelConfig as SpreadConfig, KernelMode as Mode};
use gossip_core::net::Direction;
use gossip_core::node::{self, Exchange, RumorFeedback, RumorStop};
use gossip_core::rng::Probability;
use gossip_core::sim::Action;
use gossip_core::time::Round;

use crate::band::KernelConfig;
use crate::engine::{self, RunConfig, TimedAction, RUMOR_KEY, TICKS_PER_ROUND};

/// The largest loss-of-interest parameter of rumor mongering (the core's limit).
pub const RUMOR_K_MAX: u32 = gossip_core::kernel::demers::K_MAX;

/// How nodes exchange the rumor: the epidemic modes, and rumor mongering (push or pull).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// Informed nodes push.
    Push,
    /// Uninformed nodes pull.
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

    /// The epidemic kernel's mode, when this is one.
    pub fn epidemic(self) -> Option<Mode> {
        match self {
            Protocol::Push => Some(Mode::Push),
            Protocol::Pull => Some(Mode::Pull),
            Protocol::PushPull => Some(Mode::PushPull),
            Protocol::RumorPush | Protocol::RumorPull => None,
        }
    }

    /// Whether this is rumor mongering.
    pub fn is_rumor(self) -> bool {
        self.epidemic().is_none()
    }
}

/// When a rumor-mongering node loses interest (Demers et al., section 1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// Its name in links.
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

    fn parts(self) -> (Counting, Removal) {
        match self {
            StopRule::FeedbackCounter => (Counting::Feedback, Removal::Counter),
            StopRule::FeedbackCoin => (Counting::Feedback, Removal::Coin),
            StopRule::BlindCounter => (Counting::Blind, Removal::Counter),
            StopRule::BlindCoin => (Counting::Blind, Removal::Coin),
        }
    }

    /// Whether only contacts with nodes that knew count.
    pub fn is_feedback(self) -> bool {
        self.parts().0 == Counting::Feedback
    }
}

/// The smallest cluster.
pub const NODES_MIN: u32 = 2;
/// The largest cluster the page draws: 10,000 dots still fit a 640 x 480 canvas and a frame.
pub const NODES_MAX: u32 = 10_000;
/// The largest fanout (the kernel's own limit).
pub const FANOUT_MAX: u32 = gossip_core::kernel::epidemic::FANOUT_MAX as u32;
/// The largest message loss, in percent (the kernel's limit).
pub const LOSS_PERCENT_MAX: u32 = 95;
/// The longest message latency offered, in ticks (four per round).
pub const LATENCY_TICKS_MAX: u32 = 16;
/// The longest gossip interval offered, in ticks.
pub const GOSSIP_INTERVAL_TICKS_MAX: u32 = 16;
/// The longest key or value a user writes, in bytes.
pub const KEY_BYTES_MAX: usize = 16;
/// Playback speeds, as multiples of [`ROUNDS_PER_S_AT_1X`].
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// Index into [`SPEEDS`] of 1x.
pub const SPEED_INDEX_DEFAULT: usize = 2;
/// Rounds per second at speed 1x: slow enough to follow each message.
pub const ROUNDS_PER_S_AT_1X: f64 = 1.5;

/// A ready-made experiment: parameters and a caption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl Scenario {
    /// Every scenario, in picker order.
    pub const ALL: [Scenario; 6] = [
        Scenario::Custom,
        Scenario::Epidemic,
        Scenario::PushPull,
        Scenario::Rumor,
        Scenario::Partition,
        Scenario::Bounds,
    ];

    /// Its name in links.
    pub fn key(self) -> &'static str {
        match self {
            Scenario::Custom => "custom",
            Scenario::Epidemic => "epidemic",
            Scenario::PushPull => "modes",
            Scenario::Rumor => "rumor",
            Scenario::Partition => "partition",
            Scenario::Bounds => "bounds",
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
        }
    }

    /// Why a scenario cannot be chosen yet, if it cannot (every one can now).
    pub fn unavailable(self) -> Option<&'static str> {
        None
    }

    /// The parameters it starts from (the seed is kept by the caller).
    pub fn params(self) -> Params {
        let base = Params::default();
        match self {
            Scenario::Custom => base,
            Scenario::Partition => {
                let nodes = 64;
                let left: Vec<u32> = (0..nodes / 2).collect();
                let right: Vec<u32> = (nodes / 2..nodes).collect();
                let write = |node: u32, value: &str| Action::Write {
                    node,
                    key: RUMOR_KEY.as_bytes().to_vec(),
                    value: value.as_bytes().to_vec(),
                };
                Params {
                    scenario: self,
                    nodes,
                    fanout: 2,
                    mode: Protocol::PushPull,
                    actions: vec![
                        (
                            Round(3),
                            Action::Partition {
                                groups: vec![left, right],
                                direction: Direction::Both,
                            },
                        ),
                        (Round(4), write(16, "east")),
                        (Round(4), write(48, "west")),
                        (Round(12), Action::Heal),
                    ],
                    ..base
                }
            }
            Scenario::Rumor => Params {
                scenario: self,
                nodes: 1000,
                mode: Protocol::RumorPush,
                stop: StopRule::FeedbackCounter,
                rumor_k: 2,
                band: true,
                ..base
            },
            Scenario::Epidemic => Params {
                scenario: self,
                nodes: 200,
                fanout: 1,
                mode: Protocol::Push,
                ..base
            },
            Scenario::PushPull => Params {
                scenario: self,
                nodes: 1000,
                fanout: 1,
                mode: Protocol::PushPull,
                ..base
            },
            Scenario::Bounds => Params {
                scenario: self,
                nodes: 1000,
                fanout: 2,
                mode: Protocol::Push,
                loss_percent: 10,
                band: true,
                ..base
            },
        }
    }

    /// A caption that says what to look for; every number in it follows from the formulas the
    /// chart draws.
    pub fn caption(self) -> &'static str {
        match self {
            Scenario::Custom => CUSTOM_CAPTION,
            Scenario::Epidemic => "One node knows a rumor; every round each informed node pushes it to one peer chosen at random. Pittel (1987) showed all n nodes know it after about log2 n + ln n rounds, about 13 for n = 200, plus a small constant. Watch the slow end: the last few nodes are found only by chance.",
            Scenario::PushPull => "Push is fast while few know the rumor; pull is fast when few do not, because the fraction still uninformed squares every round (p' = p^2). The chart overlays one kernel run of each mode with the same seed: push-pull does both each round and finishes first. Requests count as messages, so pull sends one per node every round; switch the mode to watch each on the canvas.",
            Scenario::Rumor => "Rumor mongering: an infective node pushes to one random peer per cycle and loses interest after k cycles in which its contacts found only nodes that knew (feedback, counter). Demers et al. (1987, Table 1) report a residue (nodes never told) of 0.176, 0.037 and 0.011 at a traffic of 1.74, 3.30 and 4.53 messages per node for k = 1, 2, 3: each step of k costs 1.2 to 1.6 more messages per node and cuts the residue three- to fivefold. The canvas runs the protocol engine (push with feedback messages); the band and its means come from the fast kernel with the same rule. The dashed line is 1 - s from their differential equation s = e^(-(k+1)(1-s)), which lets every contact see earlier infections at once and so predicts more residue (0.060 at k = 2).",
            Scenario::Partition => "Push-pull anti-entropy, fanout 2, on 64 nodes. At round 3 the network is cut between the right half of the ring (nodes 0 to 31) and the left half (32 to 63); at round 4 node 16 writes \"east\" and node 48 writes \"west\" under the same key. Each half converges on its own value in about seven rounds (half of each node's contacts are cut), but only the newer version counts as informed (last writer wins; both writes have the same tick, so the higher node id wins), so the count stalls at the 32 nodes of the left half. At round 12 the partition heals and the newer value replaces the older one everywhere within two or three rounds.",
            Scenario::Bounds => "The lower chart sweeps push without loss over N = 10 to 10,000 and fanout k = 1 to 4 (50 kernel trials per point): markers are the mean rounds until every node knows, dashed lines the estimate log_k N (for k = 1, Pittel's log2 N + ln N, which the means exceed by about a round). For k = 3 and 4 the runs exceed log_k N by a gap that widens from under a round at N = 10 to about two at 10,000, because push needs about log_(k+1) N + ln N / k rounds, the last term its slow end phase (core/tests/literature.rs); for k = 2 the two stay within a round over this range. Above, this run on the cluster simulator is drawn over the grey 5-95 % band of 100 kernel runs of the same synchronous model, which the dashed push recurrence follows, while Serf's dotted logistic curve, a slower continuous model, lags behind.",
        }
    }
}

/// The Custom scenario's caption after the sentence that says what its mode does (see
/// [`Params::caption`]).
const CUSTOM_CAPTION: &str = "Filled dots hold the newest version; hollow rings do not yet. Click a node to inspect it, crash, restart or write to it; shift-click nodes (on a touch screen, use Select nodes) to select a group and cut it off. Change any parameter and the run restarts from round 0 with the same seed.";

/// Every parameter of a page; the link encodes all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The scenario the parameters came from.
    pub scenario: Scenario,
    /// Nodes, [`NODES_MIN`] to [`NODES_MAX`].
    pub nodes: u32,
    /// Peers per acting node per round, 1 to [`FANOUT_MAX`] and below `nodes`.
    pub fanout: u32,
    /// Exchange mode.
    pub mode: Protocol,
    /// When rumor-mongering nodes lose interest.
    pub stop: StopRule,
    /// The loss-of-interest parameter `k` of rumor mongering, 1 to [`RUMOR_K_MAX`].
    pub rumor_k: u32,
    /// Message loss in whole percent, 0 to [`LOSS_PERCENT_MAX`].
    pub loss_percent: u32,
    /// Shortest message latency in ticks, 1 to [`LATENCY_TICKS_MAX`].
    pub latency_min: u32,
    /// Longest message latency in ticks, `latency_min` to [`LATENCY_TICKS_MAX`].
    pub latency_max: u32,
    /// Ticks between a node's gossips, 1 to [`GOSSIP_INTERVAL_TICKS_MAX`].
    pub gossip_ticks: u32,
    /// The key the view tracks (status, colours, chart).
    pub key: String,
    /// The seed of the run.
    pub seed: u64,
    /// Index into [`SPEEDS`].
    pub speed_index: usize,
    /// The round being viewed.
    pub round: u32,
    /// Whether the chart shows the band of trials.
    pub band: bool,
    /// Recorded actions.
    pub actions: Vec<TimedAction>,
    /// Compact view for embedding.
    pub embed: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
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
            speed_index: SPEED_INDEX_DEFAULT,
            round: 0,
            band: false,
            actions: Vec::new(),
            embed: false,
        }
    }
}

impl Params {
    /// The caption shown above the canvas: the scenario's, or for Custom one that says what
    /// the chosen mode does.
    pub fn caption(&self) -> String {
        if self.scenario != Scenario::Custom {
            return self.scenario.caption().into();
        }
        let peers = if self.fanout == 1 {
            "one peer".to_string()
        } else {
            format!("{} peers", self.fanout)
        };
        let tpr = crate::engine::TICKS_PER_ROUND;
        let when = if self.gossip_ticks == tpr {
            "every round".to_string()
        } else {
            format!("every {} ticks (a round is {tpr})", self.gossip_ticks)
        };
        let (stop, k) = (self.stop.title(), self.rumor_k);
        let what = match self.mode {
            Protocol::Push => format!("Push gossip on the cluster simulator: {when}, each node that holds the rumor sends it to {peers} chosen at random."),
            Protocol::Pull => format!("Pull gossip on the cluster simulator: {when}, each node asks {peers} chosen at random for what they hold, and learns the rumor from any that has it."),
            Protocol::PushPull => format!("Push-pull gossip on the cluster simulator: {when}, each node exchanges what it holds with {peers} chosen at random, so the rumor travels both ways."),
            Protocol::RumorPush => format!("Rumor mongering (push) on the cluster simulator: a node that learns the rumor becomes infective and, {when}, pushes it to one random peer, until it loses interest ({stop}, k = {k})."),
            Protocol::RumorPull => format!("Rumor mongering (pull) on the cluster simulator: {when}, each node asks one random peer, and an infective peer answers with the rumor until it loses interest ({stop}, k = {k})."),
        };
        format!("{what} {CUSTOM_CAPTION}")
    }

    /// The cluster simulator's configuration; valid whenever the fields are within their
    /// limits. Rumor mongering contacts one peer per gossip and has no loss (as the kernel's
    /// Demers rule that its band comes from).
    pub fn config(&self) -> RunConfig {
        let (feedback, stop) = match self.stop {
            StopRule::FeedbackCounter => {
                (RumorFeedback::Feedback, RumorStop::Counter(self.rumor_k))
            }
            StopRule::FeedbackCoin => (RumorFeedback::Feedback, RumorStop::Coin(self.rumor_k)),
            StopRule::BlindCounter => (RumorFeedback::Blind, RumorStop::Counter(self.rumor_k)),
            StopRule::BlindCoin => (RumorFeedback::Blind, RumorStop::Coin(self.rumor_k)),
        };
        let mode = match self.mode {
            Protocol::Push => node::Mode::AntiEntropy(Exchange::Push),
            Protocol::Pull => node::Mode::AntiEntropy(Exchange::Pull),
            Protocol::PushPull => node::Mode::AntiEntropy(Exchange::PushPull),
            Protocol::RumorPush => engine::rumor_mode(Exchange::Push, feedback, stop),
            Protocol::RumorPull => engine::rumor_mode(Exchange::Pull, feedback, stop),
        };
        let rumor = self.mode.is_rumor();
        RunConfig::new(
            self.nodes,
            self.seed,
            engine::Protocol {
                mode,
                fanout: if rumor { 1 } else { self.fanout },
                gossip_interval_ticks: self.gossip_ticks,
                loss: if rumor { 0.0 } else { self.loss() },
                latency_ticks_min: self.latency_min,
                latency_ticks_max: self.latency_max.max(self.latency_min),
            },
        )
    }

    /// Whether the engine is exactly the synchronous-round model of the literature and of the
    /// kernel: one gossip per round and every exchange back within the round (`2 L < T`).
    pub fn is_synchronous(&self) -> bool {
        self.gossip_ticks == TICKS_PER_ROUND
            && self.latency_min == self.latency_max
            && 2 * self.latency_max < TICKS_PER_ROUND
    }

    /// The fast kernel's configuration of the same model, for the band of trials. Rumor
    /// mongering uses the core's Demers rule and has no fanout or loss of its own.
    pub fn kernel_config(&self) -> KernelConfig {
        match self.mode.epidemic() {
            Some(mode) => KernelConfig::Epidemic(SpreadConfig {
                nodes: self.nodes,
                fanout: self.fanout,
                mode,
                loss: Probability::from_f64(f64::from(self.loss_percent) / 100.0),
                seed: self.seed,
            }),
            None => {
                let variant = if self.mode == Protocol::RumorPull {
                    Variant::Pull
                } else {
                    Variant::Push
                };
                let (counting, removal) = self.stop.parts();
                let mut c =
                    RumorConfig::demers(self.nodes, variant, counting, removal, self.rumor_k);
                c.seed = self.seed;
                KernelConfig::Rumor(c)
            }
        }
    }

    /// Loss as a fraction.
    pub fn loss(&self) -> f64 {
        f64::from(self.loss_percent) / 100.0
    }

    /// Rounds per second of playback.
    pub fn rounds_per_s(&self) -> f64 {
        ROUNDS_PER_S_AT_1X * SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    /// The name of an exported file: scenario (unless custom), mode, nodes, seed and, for a
    /// picture, the round, e.g. `gossip-lab-push-n200-seed1-round5.png`.
    pub fn export_name(&self, round: Option<u32>, ext: &str) -> String {
        let scenario = match self.scenario {
            Scenario::Custom => String::new(),
            s => format!("{}-", s.key()),
        };
        let round = round.map_or(String::new(), |r| format!("-round{r}"));
        format!(
            "gossip-lab-{scenario}{}-n{}-seed{}{round}.{ext}",
            mode_key(self.mode),
            self.nodes,
            self.seed
        )
    }

    /// Comment lines that open the chart's CSV: what was run, and the link that replays it.
    pub fn csv_preamble(&self, link: &str) -> String {
        let mut out = format!(
            "# Gossip Lab chart data\n# scenario={} mode={} nodes={} fanout={} loss_percent={} seed={}",
            self.scenario.key(),
            mode_key(self.mode),
            self.nodes,
            self.fanout,
            self.loss_percent,
            self.seed
        );
        if self.mode.is_rumor() {
            out.push_str(&format!(
                " stop={} rumor_k={}",
                self.stop.key(),
                self.rumor_k
            ));
        }
        out.push_str(&format!(
            " latency_ticks={}-{} gossip_ticks={} key={}\n# link: {link}\n",
            self.latency_min, self.latency_max, self.gossip_ticks, self.key
        ));
        out
    }

    /// Whether the run-defining parameters (not the view: speed, round, band) are equal.
    pub fn same_run(&self, other: &Params) -> bool {
        self.config() == other.config()
            && self.kernel_config() == other.kernel_config()
            && self.actions == other.actions
    }
}

/// The mode's name in links and the picker.
pub fn mode_key(mode: Protocol) -> &'static str {
    match mode {
        Protocol::Push => "push",
        Protocol::Pull => "pull",
        Protocol::PushPull => "pushpull",
        Protocol::RumorPush => "rumor",
        Protocol::RumorPull => "rumorpull",
    }
}

/// The mode named `key`.
pub fn mode_from_key(key: &str) -> Option<Protocol> {
    Protocol::ALL.into_iter().find(|m| mode_key(*m) == key)
}

/// The mode's title.
pub fn mode_title(mode: Protocol) -> &'static str {
    match mode {
        Protocol::Push => "Push",
        Protocol::Pull => "Pull",
        Protocol::PushPull => "Push-pull",
        Protocol::RumorPush => "Rumor mongering, push",
        Protocol::RumorPull => "Rumor mongering, pull",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_selectable_scenario_gives_a_valid_configuration() {
        for s in Scenario::ALL {
            let p = s.params();
            assert!(
                crate::timeline::Timeline::new(p.config(), p.actions).is_ok(),
                "{s:?}"
            );
            assert_eq!(Scenario::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn the_partition_scenario_does_what_its_caption_says() {
        let p = Scenario::Partition.params();
        let mut t = crate::timeline::Timeline::new(p.config(), p.actions.clone()).unwrap();
        t.goto(12);
        let e = t.engine();
        // Before the heal: the left half holds the newer value, the right half the older.
        assert_eq!(e.informed_count(), 32, "the count stalls at the left half");
        for i in 0..32 {
            assert_eq!(e.state(i), crate::engine::NodeState::Older, "node {i}");
        }
        let newest = e
            .cluster()
            .node(40)
            .unwrap()
            .store()
            .value(b"rumor")
            .unwrap();
        assert_eq!(newest, b"west");
        t.goto(30);
        assert!(t.engine().is_complete());
        assert_eq!(t.engine().informed_count(), 64);
        let healed = t.horizon();
        assert!(
            healed <= 12 + 6,
            "converged {healed} rounds in: not a few after the heal"
        );
    }

    #[test]
    fn export_names_and_the_csv_preamble_say_what_was_run() {
        let p = Params {
            nodes: 200,
            seed: 1,
            ..Params::default()
        };
        assert_eq!(p.export_name(None, "csv"), "gossip-lab-push-n200-seed1.csv");
        let modes = Scenario::PushPull.params();
        assert_eq!(
            modes.export_name(Some(5), "png"),
            "gossip-lab-modes-pushpull-n1000-seed1-round5.png"
        );
        let pre = p.csv_preamble("http://x/?n=200");
        assert!(pre.lines().all(|l| l.starts_with("# ")), "{pre}");
        assert!(
            pre.contains("mode=push nodes=200 fanout=1 loss_percent=0 seed=1"),
            "{pre}"
        );
        assert!(pre.ends_with("# link: http://x/?n=200\n"), "{pre}");
    }

    #[test]
    fn the_custom_caption_says_what_the_chosen_mode_does() {
        let mut p = Params::default();
        assert_eq!(p.scenario, Scenario::Custom);
        let starts = [
            (Protocol::Push, "Push gossip"),
            (Protocol::Pull, "Pull gossip"),
            (Protocol::PushPull, "Push-pull gossip"),
            (Protocol::RumorPush, "Rumor mongering (push)"),
            (Protocol::RumorPull, "Rumor mongering (pull)"),
        ];
        for (mode, start) in starts {
            p.mode = mode;
            let c = p.caption();
            assert!(c.starts_with(start) && c.ends_with(CUSTOM_CAPTION), "{c}");
        }
        p.mode = Protocol::Pull;
        p.fanout = 3;
        assert!(
            p.caption().contains("every round, each node asks 3 peers"),
            "{}",
            p.caption()
        );
        p.gossip_ticks = 2;
        assert!(
            p.caption().contains("every 2 ticks (a round is 4)"),
            "{}",
            p.caption()
        );
        p.scenario = Scenario::Epidemic;
        assert_eq!(p.caption(), Scenario::Epidemic.caption());
    }

    #[test]
    fn the_epidemic_caption_quotes_pittel_for_its_own_n() {
        let n = f64::from(Scenario::Epidemic.params().nodes);
        let rounds = gossip_core::theory::pittel_push_rounds(n);
        assert!((rounds - 13.0).abs() < 0.5, "{rounds}");
        assert!(Scenario::Epidemic
            .caption()
            .contains("about 13 for n = 200"));
    }
}
