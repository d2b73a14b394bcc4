//! Everything that defines what the page shows: the run (the core's
//! [`gossip_core::link::dissemination::Run`], which the headless runner reads from the same link)
//! and the page's own view of it (speed, the round viewed, the trials band, embedding), plus the
//! captions and titles the page adds to the core's scenarios and modes.

use gossip_core::kernel::demers::{Counting, DemersConfig, Removal, Variant};
use gossip_core::kernel::epidemic::{KernelConfig as EpidemicConfig, KernelMode};
use gossip_core::rng::Probability;

pub use gossip_core::link::dissemination::{
    Protocol, Run, Scenario, StopRule, FANOUT_MAX, GOSSIP_INTERVAL_TICKS_MAX, KEY_BYTES_MAX,
    LATENCY_TICKS_MAX, LOSS_PERCENT_MAX, NODES_MAX, NODES_MIN, RUMOR_K_MAX,
};

use super::band::KernelConfig;
use super::model::{RunConfig, TICKS_PER_ROUND};
use crate::shell::caption::CaptionText;

/// The fast kernel's mode for an anti-entropy protocol (`None` for rumor mongering, which the
/// kernel's Demers rule models instead).
pub fn kernel_mode(mode: Protocol) -> Option<KernelMode> {
    match mode {
        Protocol::Push => Some(KernelMode::Push),
        Protocol::Pull => Some(KernelMode::Pull),
        Protocol::PushPull => Some(KernelMode::PushPull),
        Protocol::RumorPush | Protocol::RumorPull => None,
    }
}

/// The kernel's counting and removal for a stop rule.
fn stop_parts(stop: StopRule) -> (Counting, Removal) {
    let counting = if stop.is_feedback() {
        Counting::Feedback
    } else {
        Counting::Blind
    };
    let removal = match stop {
        StopRule::FeedbackCounter | StopRule::BlindCounter => Removal::Counter,
        StopRule::FeedbackCoin | StopRule::BlindCoin => Removal::Coin,
    };
    (counting, removal)
}

/// Playback speeds, as multiples of [`ROUNDS_PER_S_AT_1X`].
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// Index into [`SPEEDS`] of 1x.
pub const SPEED_INDEX_DEFAULT: usize = 2;
/// Rounds per second at speed 1x: slow enough to follow each message.
pub const ROUNDS_PER_S_AT_1X: f64 = 1.5;

/// A scenario's caption: what to look for in plain words, then behind "More" the numbers and
/// sources; every number follows from the formulas the chart draws. Written in the glossary's
/// markup ([`crate::shell::caption`]).
pub fn scenario_caption(s: Scenario) -> CaptionText {
    let (plain, more) = match s {
        Scenario::Custom => (CUSTOM_CAPTION, ""),
        Scenario::Epidemic => (
            "One node knows a [rumor]; every [round] each node that knows it [push|pushes] it to one peer chosen at random. The number who know roughly doubles each round at first; the last few nodes are found only by chance, so watch the slow end.",
            "Pittel (1987) showed all n nodes know it after about log2 n + ln n rounds, about 13 for n = 200, plus a small constant.",
        ),
        Scenario::PushPull => (
            "[push|Push] is fast while few know the rumor; [pull] is fast when few do not. [push-pull|Push-pull] does both each round and finishes first. Switch the mode to watch each on the canvas.",
            "With pull the fraction still uninformed squares every round (p' = p^2). The chart overlays one kernel run of each mode with the same seed. Requests count as messages, so pull sends one per node every round.",
        ),
        Scenario::Rumor => (
            "[rumor mongering|Rumor mongering]: a node spreads the rumor while it is hot and gives up after k contacts that already knew it. That saves messages, but some nodes may never hear it: the [residue]. A larger k costs more [traffic] and leaves a smaller residue.",
            "An infective node pushes to one random peer per cycle and loses interest after k cycles in which its contacts found only nodes that knew (feedback, counter). Demers et al. (1987, Table 1) report a residue (nodes never told) of 0.176, 0.037 and 0.011 at a traffic of 1.74, 3.30 and 4.53 messages per node for k = 1, 2, 3: each step of k costs 1.2 to 1.6 more messages per node and cuts the residue three- to fivefold. The canvas runs the protocol engine (push with feedback messages); the band and its means come from the fast kernel with the same rule. The dashed line is 1 - s from their differential equation s = e^(-(k+1)(1-s)), which lets every contact see earlier infections at once and so predicts more residue (0.060 at k = 2).",
        ),
        Scenario::Partition => (
            "[anti-entropy|Anti-entropy] on 64 nodes, cut in two halves by a [partition] at round 3. At round 4 each half gets its own write under the same key. Each half agrees on its own value, but only the newer one counts as informed, so the count stalls at half the nodes. At round 12 the partition heals and the newer value reaches every node within two or three rounds.",
            "Push-pull, fanout 2. The cut is between the right half of the ring (nodes 0 to 31) and the left half (32 to 63); node 16 writes \"east\" and node 48 writes \"west\". Each half converges on its own value in about seven rounds (half of each node's contacts are cut). Last writer wins: both writes have the same tick, so the higher node id wins, and the count stalls at the 32 nodes of the left half.",
        ),
        Scenario::Repair => (
            "48 nodes spread each write by [rumor mongering], which stops early and misses some nodes. Every six rounds each node also compares what it holds with one random peer ([anti-entropy]) and fetches what it lacks. At round 8 the network splits in two; each half then writes three new keys, and both write the key \"both\"; at round 20 it heals. Each node is shaded by how many of the newest versions it lacks: while cut, every node lacks the other side's writes. After the heal the rumors still alive carry part of the news across and then die out, leaving gaps that only anti-entropy fills: with seed 1 the last node catches up at round 45.",
            "Rumor mongering here is push with feedback and counter k = 1, which Demers et al. (1987, Table 1) found to leave about 18 % of nodes unreached. Pushes stopped by the cut bring no feedback, so rumors outlive it: at the heal 21 to 42 of the 48 nodes are still spreading one. Anti-entropy sessions compare Merkle trees (4 children per node, 4 levels) and exchange only the entries of differing leaves; while cut, a session with a node on the other side is stopped by the partition and abandoned after its timeout. All nodes start their sessions on the same rounds, so repair comes in bursts six rounds apart and the count of nodes lacking something falls in steps. Measured over seeds 1 to 100 (core/src/link/dissemination/tests.rs): the last node was repaired 12 to 25 rounds after the heal, 13 in more than half the runs, and anti-entropy sent 56 to 112 kB after the heal (median about 80 kB); of the (node, key) pairs lacking at the heal (about 250), anti-entropy delivered 29 to 61 % (43 % on average) and the surviving rumors the rest. Seed 1 takes 25 rounds and 104 kB, and anti-entropy delivers 125 of its 261 missing pairs. \"Newest\" means the newest version of every key written so far anywhere, not what any node believes; the repair chart shows the nodes lacking at least one, and anti-entropy's bytes per round.",
        ),
        Scenario::Bounds => (
            "How many rounds does it take for every node to know? Below, the rounds measured on clusters of 10 to 10,000 nodes for [fanout] 1 to 4, against the estimate log_k N; above, this run against a band of many runs of the same model. More nodes cost only a few more rounds.",
            "The lower chart sweeps push without loss over N = 10 to 10,000 and fanout k = 1 to 4 (50 kernel trials per point): markers are the mean rounds until every node knows, dashed lines the estimate log_k N (for k = 1, Pittel's log2 N + ln N, which the means exceed by about a round). For k = 3 and 4 the runs exceed log_k N by a gap that widens from under a round at N = 10 to about two at 10,000, because push needs about log_(k+1) N + ln N / k rounds, the last term its slow end phase (core/tests/literature.rs); for k = 2 the two stay within a round over this range. Above, this run on the cluster simulator is drawn over the grey 5-95 % band of 100 kernel runs of the same synchronous model, which the dashed push recurrence follows, while Serf's dotted logistic curve, a slower continuous model, lags behind.",
        ),
    };
    CaptionText { plain, more }
}

/// The Custom scenario's caption after the sentence that says what its mode does (see
/// [`Params::caption`]).
const CUSTOM_CAPTION: &str = "Filled dots hold the newest version; hollow rings do not yet. Click a node to inspect it, crash, restart or write to it; shift-click nodes (on a touch screen, use Select nodes) to select a group and cut it off. Change any parameter and the run restarts from round 0 with the same seed.";

/// Every parameter of a page; the link encodes all of them: the run (the core's, which
/// `lab cluster` reads from the same link) and the page's view of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The run: everything that decides its numbers.
    pub run: Run,
    /// Index into [`SPEEDS`].
    pub speed_index: usize,
    /// The round being viewed.
    pub round: u32,
    /// Whether the chart shows the band of trials.
    pub band: bool,
    /// Compact view for embedding.
    pub embed: bool,
    /// What the embed shows: the cluster, the chart or both (`view=`).
    pub view: EmbedView,
    /// The challenge the page sets (`ch=`, `crate::lessons::challenges`), kept in its link.
    pub challenge: Option<&'static str>,
    /// The link as opened, when it was a proof link (`proof=`): the challenge panel checks it
    /// again. Not written back: a changed run is no longer the proof.
    pub proof: Option<String>,
}

/// What the embed shows (`view=canvas|chart|both`); the full page shows both always.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmbedView {
    /// The cluster canvas (the default).
    #[default]
    Canvas,
    /// The chart instead of the cluster.
    Chart,
    /// The cluster and the chart, side by side where there is room.
    Both,
}

impl EmbedView {
    /// Every view, in the order the link's notice lists them.
    pub const ALL: [EmbedView; 3] = [EmbedView::Canvas, EmbedView::Chart, EmbedView::Both];

    /// Its value in the link.
    pub fn key(self) -> &'static str {
        match self {
            EmbedView::Canvas => "canvas",
            EmbedView::Chart => "chart",
            EmbedView::Both => "both",
        }
    }

    /// Whether it shows the cluster canvas.
    pub fn cluster(self) -> bool {
        self != EmbedView::Chart
    }

    /// Whether it shows the chart.
    pub fn chart(self) -> bool {
        self != EmbedView::Canvas
    }
}

impl Default for Params {
    fn default() -> Params {
        Params::from_run(Run::default())
    }
}

impl Params {
    /// A page showing `run` at round 0, at 1x, with the band its scenario shows.
    pub fn from_run(run: Run) -> Params {
        Params {
            band: run.scenario.shows_band(),
            run,
            speed_index: SPEED_INDEX_DEFAULT,
            round: 0,
            embed: false,
            view: EmbedView::Canvas,
            challenge: None,
            proof: None,
        }
    }

    /// The page a scenario starts from (the seed is kept by the caller).
    pub fn of_scenario(scenario: Scenario) -> Params {
        Params::from_run(Run::preset(scenario))
    }

    /// The caption shown above the canvas, plain part and "More" part: the scenario's, or for
    /// Custom one that says what the chosen mode does.
    pub fn caption(&self) -> (String, &'static str) {
        if self.run.scenario != Scenario::Custom {
            let c = scenario_caption(self.run.scenario);
            return (c.plain.into(), c.more);
        }
        let peers = if self.run.fanout == 1 {
            "one peer".to_string()
        } else {
            format!("{} peers", self.run.fanout)
        };
        let tpr = super::model::TICKS_PER_ROUND;
        let when = if self.run.gossip_ticks == tpr {
            "every round".to_string()
        } else {
            format!("every {} ticks (a round is {tpr})", self.run.gossip_ticks)
        };
        let (stop, k) = (self.run.stop.title(), self.run.rumor_k);
        let what = match self.run.mode {
            Protocol::Push => format!("Push gossip on the cluster simulator: {when}, each node that holds the rumor sends it to {peers} chosen at random."),
            Protocol::Pull => format!("Pull gossip on the cluster simulator: {when}, each node asks {peers} chosen at random for what they hold, and learns the rumor from any that has it."),
            Protocol::PushPull => format!("Push-pull gossip on the cluster simulator: {when}, each node exchanges what it holds with {peers} chosen at random, so the rumor travels both ways."),
            Protocol::RumorPush => format!("Rumor mongering (push) on the cluster simulator: a node that learns the rumor becomes infective and, {when}, pushes it to one random peer, until it loses interest ({stop}, k = {k})."),
            Protocol::RumorPull => format!("Rumor mongering (pull) on the cluster simulator: {when}, each node asks one random peer, and an infective peer answers with the rumor until it loses interest ({stop}, k = {k})."),
        };
        (format!("{what} {CUSTOM_CAPTION}"), "")
    }

    /// The cluster simulator's configuration ([`Run::cluster_config`]); the timeline keeps its
    /// own records, so the cluster keeps only the last few.
    pub fn config(&self) -> RunConfig {
        let mut cluster = self.run.cluster_config();
        cluster.records_max = 4;
        RunConfig { cluster }
    }

    /// Whether the engine is exactly the synchronous-round model of the literature and of the
    /// kernel: one gossip per round and every exchange back within the round (`2 L < T`).
    pub fn is_synchronous(&self) -> bool {
        self.run.gossip_ticks == TICKS_PER_ROUND
            && self.run.latency_min == self.run.latency_max
            && 2 * self.run.latency_max < TICKS_PER_ROUND
    }

    /// The fast kernel's configuration of the same model, for the band of trials. Rumor
    /// mongering uses the core's Demers rule and has no fanout or loss of its own.
    pub fn kernel_config(&self) -> KernelConfig {
        match kernel_mode(self.run.mode) {
            Some(mode) => KernelConfig::Epidemic(EpidemicConfig {
                nodes: self.run.nodes,
                fanout: self.run.fanout,
                mode,
                loss: Probability::from_f64(f64::from(self.run.loss_percent) / 100.0),
                seed: self.run.seed,
            }),
            None => {
                let variant = if self.run.mode == Protocol::RumorPull {
                    Variant::Pull
                } else {
                    Variant::Push
                };
                let (counting, removal) = stop_parts(self.run.stop);
                let mut c = DemersConfig::demers(
                    self.run.nodes,
                    variant,
                    counting,
                    removal,
                    self.run.rumor_k,
                );
                c.seed = self.run.seed;
                KernelConfig::Rumor(c)
            }
        }
    }

    /// Loss as a fraction.
    pub fn loss(&self) -> f64 {
        f64::from(self.run.loss_percent) / 100.0
    }

    /// Rounds per second of playback.
    pub fn rounds_per_s(&self) -> f64 {
        ROUNDS_PER_S_AT_1X * SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    /// The name of an exported file: scenario (unless custom), mode, nodes, seed and, for a
    /// picture, the round, e.g. `gossip-lab-push-n200-seed1-round5.png`.
    pub fn export_name(&self, round: Option<u32>, ext: &str) -> String {
        let scenario = match self.run.scenario {
            Scenario::Custom => String::new(),
            s => format!("{}-", s.key()),
        };
        let round = round.map_or(String::new(), |r| format!("-round{r}"));
        format!(
            "gossip-lab-{scenario}{}-n{}-seed{}{round}.{ext}",
            self.run.mode.key(),
            self.run.nodes,
            self.run.seed
        )
    }

    /// Comment lines that open the chart's CSV: what was run, and the link that replays it.
    pub fn csv_preamble(&self, link: &str) -> String {
        let mut out = format!(
            "# Gossip Lab chart data\n# scenario={} mode={} nodes={} fanout={} loss_percent={} seed={}",
            self.run.scenario.key(),
            self.run.mode.key(),
            self.run.nodes,
            self.run.fanout,
            self.run.loss_percent,
            self.run.seed
        );
        if self.run.mode.is_rumor() {
            out.push_str(&format!(
                " stop={} rumor_k={}",
                self.run.stop.key(),
                self.run.rumor_k
            ));
        }
        if let Some(s) = self.run.repair.strategy() {
            let every = self.run.repair_every;
            out.push_str(&format!(" repair={} repair_every={every}", s.name()));
        }
        out.push_str(&format!(
            " latency_ticks={}-{} gossip_ticks={} key={}\n# link: {link}\n",
            self.run.latency_min, self.run.latency_max, self.run.gossip_ticks, self.run.key
        ));
        out
    }

    /// Whether the run-defining parameters (not the view: speed, round, band) are equal.
    pub fn same_run(&self, other: &Params) -> bool {
        self.config() == other.config()
            && self.kernel_config() == other.kernel_config()
            && self.run.actions == other.run.actions
    }
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
            let p = Params::of_scenario(s);
            assert!(
                crate::labs::dissemination::model::start(p.config(), p.run.actions).is_ok(),
                "{s:?}"
            );
            assert_eq!(Scenario::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn the_partition_scenario_does_what_its_caption_says() {
        let p = Params::of_scenario(Scenario::Partition);
        let mut t =
            crate::labs::dissemination::model::start(p.config(), p.run.actions.clone()).unwrap();
        t.goto(12);
        let e = t.model();
        // Before the heal: the left half holds the newer value, the right half the older.
        assert_eq!(e.informed_count(), 32, "the count stalls at the left half");
        for i in 0..32 {
            assert_eq!(
                e.state(i),
                crate::labs::dissemination::model::NodeState::Older,
                "node {i}"
            );
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
        assert!(t.model().is_complete());
        assert_eq!(t.model().informed_count(), 64);
        let healed = t.horizon();
        assert!(
            healed <= 12 + 6,
            "converged {healed} rounds in: not a few after the heal"
        );
    }

    #[test]
    fn the_repair_scenario_shades_by_what_nodes_lack_as_the_core_counts_it() {
        use gossip_core::link::dissemination::{Lacking, Replay, REPAIR_HEAL_ROUND};
        let p = Params::of_scenario(Scenario::Repair);
        let mut t =
            crate::labs::dissemination::model::start(p.config(), p.run.actions.clone()).unwrap();
        let heal = REPAIR_HEAL_ROUND as u32;
        t.goto(heal - 1);
        let l = t
            .model()
            .lacking()
            .expect("repair is on: counts are kept")
            .clone();
        assert_eq!(
            l.nodes_lacking(),
            48,
            "while cut every node lacks the other side's writes"
        );
        t.goto(200);
        assert!(t.model().is_complete());
        // The caption: with seed 1 the last node catches up at round 45.
        assert_eq!(t.horizon(), 45);
        assert_eq!(t.model().lacking().unwrap().nodes_lacking(), 0);
        // The page's series is the core's count round by round (what `lab cluster` replays).
        let mut replay = Replay::new(&p.run).unwrap();
        let mut core = vec![Lacking::of(replay.cluster()).nodes_lacking()];
        while replay.step().is_some() {
            core.push(Lacking::of(replay.cluster()).nodes_lacking());
        }
        assert_eq!(t.model().lacking_series(), core.as_slice());
        let c = scenario_caption(Scenario::Repair);
        assert!(c.plain.contains("catches up at round 45"));
        assert!(c.more.contains("Seed 1 takes 25 rounds"));
        // Without repair nothing is counted, and the canvas shades by the tracked key.
        let plain = Params::of_scenario(Scenario::Partition);
        let t = crate::labs::dissemination::model::start(plain.config(), Vec::new()).unwrap();
        assert!(t.model().lacking().is_none() && t.model().lacking_series().is_empty());
    }

    #[test]
    fn export_names_and_the_csv_preamble_say_what_was_run() {
        let p = Params::from_run(Run {
            nodes: 200,
            seed: 1,
            ..Run::default()
        });
        assert_eq!(p.export_name(None, "csv"), "gossip-lab-push-n200-seed1.csv");
        let modes = Params::of_scenario(Scenario::PushPull);
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
        assert_eq!(p.run.scenario, Scenario::Custom);
        let starts = [
            (Protocol::Push, "Push gossip"),
            (Protocol::Pull, "Pull gossip"),
            (Protocol::PushPull, "Push-pull gossip"),
            (Protocol::RumorPush, "Rumor mongering (push)"),
            (Protocol::RumorPull, "Rumor mongering (pull)"),
        ];
        for (mode, start) in starts {
            p.run.mode = mode;
            let (c, more) = p.caption();
            assert!(c.starts_with(start) && c.ends_with(CUSTOM_CAPTION), "{c}");
            assert_eq!(more, "");
        }
        p.run.mode = Protocol::Pull;
        p.run.fanout = 3;
        assert!(
            p.caption()
                .0
                .contains("every round, each node asks 3 peers"),
            "{:?}",
            p.caption()
        );
        p.run.gossip_ticks = 2;
        assert!(
            p.caption().0.contains("every 2 ticks (a round is 4)"),
            "{:?}",
            p.caption()
        );
        p.run.scenario = Scenario::Epidemic;
        let c = scenario_caption(Scenario::Epidemic);
        assert_eq!(p.caption(), (c.plain.to_string(), c.more));
    }

    #[test]
    fn the_epidemic_caption_quotes_pittel_for_its_own_n() {
        let n = f64::from(Params::of_scenario(Scenario::Epidemic).run.nodes);
        let rounds = gossip_core::theory::pittel_push_rounds(n);
        assert!((rounds - 13.0).abs() < 0.5, "{rounds}");
        assert!(scenario_caption(Scenario::Epidemic)
            .more
            .contains("about 13 for n = 200"));
    }

    /// Every caption is plain words first, its terms are in the glossary, and its details are
    /// behind "More" (the first minute: formulas and citations are not the first thing
    /// a newcomer reads).
    #[test]
    fn every_caption_links_glossary_terms_and_keeps_formulas_behind_more() {
        for s in Scenario::ALL {
            let c = scenario_caption(s);
            for text in [c.plain, c.more] {
                let errors = crate::shell::caption::markup_errors(text);
                assert!(errors.is_empty(), "{}: {errors:?}", s.key());
            }
            if s == Scenario::Custom {
                continue;
            }
            assert!(c.plain.contains('['), "{}: no term explained", s.key());
            for formal in ["log2", "e^(", "p^2", "et al.", "(19"] {
                assert!(
                    !c.plain.contains(formal),
                    "{}: {formal} before More",
                    s.key()
                );
            }
            assert!(!c.more.is_empty(), "{}: nothing behind More", s.key());
        }
    }
}
