//! Everything that defines what the page shows: the parameters of a run, the scenario it came
//! from, and their limits (each named with its unit last).

use gossip_core::epidemic::{Mode, SpreadConfig};
use gossip_core::rng::Probability;
use gossip_core::rumor::{Counting, Removal, RumorConfig, Variant};

use crate::engine::RunConfig;
use crate::timeline::TimedAction;

/// The largest loss-of-interest parameter of rumor mongering (the core's limit).
pub const RUMOR_K_MAX: u32 = gossip_core::rumor::K_MAX;

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
pub const FANOUT_MAX: u32 = gossip_core::epidemic::FANOUT_MAX as u32;
/// The largest message loss, in percent (the kernel's limit).
pub const LOSS_PERCENT_MAX: u32 = 95;
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
    /// Partition and heal (needs the Cluster engine; listed, not selectable).
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

    /// Why a scenario cannot be chosen yet, if it cannot.
    pub fn unavailable(self) -> Option<&'static str> {
        match self {
            Scenario::Partition => Some("needs the cluster simulator"),
            _ => None,
        }
    }

    /// The parameters it starts from (the seed is kept by the caller).
    pub fn params(self) -> Params {
        let base = Params::default();
        match self {
            Scenario::Custom | Scenario::Partition => base,
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
            Scenario::Custom => "Push gossip: every round, each informed node tells peers chosen at random. Filled dots know the rumor; hollow rings do not yet. Change any parameter and the run restarts from round 0 with the same seed.",
            Scenario::Epidemic => "One node knows a rumor; every round each informed node pushes it to one peer chosen at random. Pittel (1987) showed all n nodes know it after about log2 n + ln n rounds, about 13 for n = 200, plus a small constant. Watch the slow end: the last few nodes are found only by chance.",
            Scenario::PushPull => "Push is fast while few know the rumor; pull is fast when few do not, because the fraction still uninformed squares every round (p' = p^2). Push-pull does both each round and finishes first. Switch the mode and compare the rounds and messages per round.",
            Scenario::Rumor => "Rumor mongering: an infective node pushes to one random peer per cycle and loses interest after k cycles in which its contacts found only nodes that knew (feedback, counter). Demers et al. (1987, Table 1) report a residue (nodes never told) of 0.176, 0.037 and 0.011 at a traffic of 1.74, 3.30 and 4.53 messages per node for k = 1, 2, 3: each step of k costs 1.2 to 1.6 more messages per node and cuts the residue three- to fivefold. The dashed line is 1 - s from their differential equation s = e^(-(k+1)(1-s)), which lets every contact see earlier infections at once and so predicts more residue (0.060 at k = 2).",
            Scenario::Partition => "A partition splits the cluster; the rumor cannot cross until it heals.",
            Scenario::Bounds => "The grey band is the 5th to 95th percentile of 100 runs with different seeds and the grey line their mean; orange is this run. The dashed line is the mean-field push recurrence p' = p(1 - 1/n)^(k n (1 - p)(1 - loss)) for the fraction p still uninformed, and it follows the runs closely. The dotted line is Serf's logistic curve 1/(1 + (n + 1)e^(-beta x)) with beta = k(1 - loss)/2: a smooth model whose rate is lower than this synchronous push's, so it lags the runs.",
        }
    }
}

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
    /// The run's configuration; valid whenever the fields are within their limits. Rumor
    /// mongering uses the core's Demers rule and has no fanout or loss of its own.
    pub fn config(&self) -> RunConfig {
        match self.mode.epidemic() {
            Some(mode) => RunConfig::Epidemic(SpreadConfig {
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
                RunConfig::Rumor(c)
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

    /// Whether the run-defining parameters (not the view: speed, round, band) are equal.
    pub fn same_run(&self, other: &Params) -> bool {
        self.config() == other.config() && self.actions == other.actions
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
            assert!(
                crate::engine::Engine::new(s.params().config()).is_ok(),
                "{s:?}"
            );
            assert_eq!(Scenario::from_key(s.key()), Some(s));
        }
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
