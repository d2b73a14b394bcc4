//! The model the view draws: one run of the core's cluster simulator, [`Cluster`], seen
//! through one key (the *tracked* key, by default the rumor).
//!
//! A run starts with every node empty and node 0 writing the rumor ([`RUMOR_KEY`]) at tick 0;
//! the protocol (anti-entropy push, pull or push-pull, or rumor mongering) then spreads it.
//! The view never reads the cluster's internals: it reads, after each round, the per-node
//! [`NodeView`]s of the tracked key, the tick at which each node learned what it holds, and
//! the messages of the round just run ([`MessageView`]s, collected tick by tick while the round
//! is stepped), so a frame a fraction `f` into the round draws every message and node exactly
//! as they were at tick `start + f * ticks_per_round`.
//!
//! # Why two engines on the page
//! The canvas, the inspector, the actions and "this run" on the chart come from `Cluster`, the
//! real protocol engine: real nodes exchanging encoded messages over a simulated network that
//! can lose, delay, cut and crash. The band of 100 trials and the "Convergence bounds"
//! scenario use the core's fast Monte Carlo kernel ([`super::band`]) instead: it is the same
//! synchronous model at scale (millions of node-rounds per second), and
//! `core/tests/cluster.rs` checks that the engine agrees with it, in distribution, when the
//! engine is configured as the synchronous model (one gossip per round, `2 L < T`).

use gossip_core::link::dissemination::Lacking;
use gossip_core::net::LinkConfig;
use gossip_core::node::{Exchange, Mode, NodeConfig, RumorConfig, RumorFeedback, RumorStop};
use gossip_core::sim::{
    Action, ActionError, Cluster, ClusterConfig, Holding, KeyCoverage, MessageView, NodeView,
    RoundRecord, Spread,
};
use gossip_core::stats::EvenSample;
use gossip_core::time::{Round, Tick};

pub use crate::shell::timeline::TimedAction;
use crate::shell::timeline::{Model, Timeline};
pub use gossip_core::link::dissemination::{RUMOR_KEY, TICKS_PER_ROUND};

/// Messages the engine keeps for animating one round; beyond this a round is still run, but
/// only the first ones are drawn (a crowded disc shows no more anyway).
pub const ROUND_MESSAGES_MAX: usize = 50_000;
/// Messages dropped when sent (lost, cut, over the in-flight limit) the engine keeps for
/// drawing one round: an even sample of them when there are more ([`EvenSample`]);
/// kept apart from [`ROUND_MESSAGES_MAX`] so that a lossy cluster's drops never crowd out the
/// messages that do travel. More marks than this would bury the cluster they are drawn on.
pub const ROUND_DROPS_MAX: usize = 1_000;

/// Everything a run is made of, besides its actions: the cluster's configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunConfig {
    /// The cluster simulator's configuration.
    pub cluster: ClusterConfig,
}

/// How a protocol is set up on the engine; see [`RunConfig::new`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Protocol {
    /// Anti-entropy or rumor mongering.
    pub mode: Mode,
    /// Peers per gossip.
    pub fanout: u32,
    /// Ticks between a node's gossips.
    pub gossip_interval_ticks: u32,
    /// Loss per message, 0 to 1.
    pub loss: f64,
    /// Shortest latency in ticks.
    pub latency_ticks_min: u32,
    /// Longest latency in ticks.
    pub latency_ticks_max: u32,
}

impl RunConfig {
    /// A cluster of `nodes` with `protocol`, seeded with `seed`.
    pub fn new(nodes: u32, seed: u64, protocol: Protocol) -> RunConfig {
        let mut c = ClusterConfig::new(nodes, seed);
        c.ticks_per_round = TICKS_PER_ROUND;
        c.node = NodeConfig {
            mode: protocol.mode,
            fanout: protocol.fanout,
            gossip_interval_ticks: protocol.gossip_interval_ticks,
            ..c.node
        };
        c.net.link = LinkConfig {
            loss: protocol.loss,
            duplicate: 0.0,
            latency_ticks_min: protocol.latency_ticks_min,
            latency_ticks_max: protocol.latency_ticks_max,
        };
        // The timeline keeps its own records; the cluster needs only the last one.
        c.records_max = 4;
        RunConfig { cluster: c }
    }

    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        self.cluster.nodes
    }

    /// Whether this is rumor mongering.
    pub fn is_rumor(&self) -> bool {
        matches!(self.cluster.node.mode, Mode::Rumor(_))
    }
}

/// The rumor-mongering mode for an exchange, feedback and stop rule.
pub fn rumor_mode(exchange: Exchange, feedback: RumorFeedback, stop: RumorStop) -> Mode {
    Mode::Rumor(RumorConfig {
        exchange,
        feedback,
        stop,
    })
}

/// A node's state as drawn, for the tracked key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeState {
    /// Crashed.
    Down,
    /// Holds nothing for the key.
    Susceptible,
    /// Holds an older version than the newest written.
    Older,
    /// Holds the newest version and spreads it.
    Informed,
    /// Holds the newest version and has stopped spreading it (rumor mongering).
    Removed,
}

/// One run at a round boundary, and what the view needs of the round just run.
#[derive(Clone, Debug)]
pub struct Engine {
    cluster: Cluster,
    key: Vec<u8>,
    views: Vec<NodeView>,
    /// The tick each node learned the version of the key it holds (`u64::MAX`: holds none).
    learned_tick: Vec<u64>,
    /// Messages of the round just run: in flight at its start, or sent during it.
    round_messages: Vec<MessageView>,
    /// The first tick of the round just run.
    round_start: u64,
    /// Messages of the round just run that the network dropped when they were sent.
    round_drops: EvenSample<MessageView>,
    /// The round in progress (see [`Engine::step_some`]): its messages and drops so far and
    /// its first tick.
    building: Vec<MessageView>,
    building_drops: EvenSample<MessageView>,
    building_start: u64,
    messages: u64,
    messages_data: u64,
    lost: u64,
    cut: u64,
    duplicates: u64,
    /// With repair on, the newest versions each node lacks now (see [`Engine::lacking`]).
    lacking: Option<Lacking>,
    /// With repair on, live nodes lacking at least one newest version at rounds
    /// `0..=round()`, as the view shows each round (after its actions).
    lacking_series: Vec<u32>,
}

impl Engine {
    /// A run at round 0 with node 0 holding the rumor and `actions` scheduled (they must be in
    /// round order, as the script codec gives them).
    pub fn new(config: RunConfig, actions: &[TimedAction]) -> Result<Engine, String> {
        // The core's start rule, the one `lab cluster` replays a link with.
        let cluster = gossip_core::link::dissemination::start_cluster(config.cluster, actions)?;
        let mut e = Engine {
            cluster,
            key: RUMOR_KEY.as_bytes().to_vec(),
            views: Vec::new(),
            learned_tick: Vec::new(),
            round_messages: Vec::new(),
            round_start: 0,
            round_drops: EvenSample::new(ROUND_DROPS_MAX),
            building: Vec::new(),
            building_drops: EvenSample::new(ROUND_DROPS_MAX),
            building_start: 0,
            messages: 0,
            messages_data: 0,
            lost: 0,
            cut: 0,
            duplicates: 0,
            lacking: None,
            lacking_series: Vec::new(),
        };
        e.refresh();
        Ok(e)
    }

    /// The simulator, for reading (the inspector reads nodes' stores and counters).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Nodes in the cluster.
    pub fn nodes(&self) -> u32 {
        self.cluster.len() as u32
    }

    /// Rounds completed (a round in progress is not counted).
    pub fn round(&self) -> u32 {
        self.cluster.round().0 as u32
    }

    /// The tracked key.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// Tracks another key from now on.
    pub fn set_key(&mut self, key: &[u8]) {
        if self.key != key {
            self.key = key.to_vec();
            self.refresh();
        }
    }

    /// Live nodes holding the newest version of the tracked key: the "informed" of the status.
    pub fn informed_count(&self) -> u32 {
        self.cluster.holders(&self.key)
    }

    /// Live nodes.
    pub fn live_count(&self) -> u32 {
        self.cluster.members().len() as u32
    }

    /// Nodes still spreading the tracked key (rumor mongering only).
    pub fn infective_count(&self) -> Option<u32> {
        matches!(self.cluster.config().node.mode, Mode::Rumor(_)).then(|| {
            self.views
                .iter()
                .filter(|v| v.spread_of_newest() == Spread::Infective)
                .count() as u32
        })
    }

    /// Whether nothing further can happen without a new action: no actions are pending, and
    /// every live node holds every newest version (anti-entropy: messages in flight can only
    /// bring what everyone holds), or no node spreads any rumor and no message in flight
    /// carries one (rumor mongering, which may leave a residue).
    pub fn is_complete(&self) -> bool {
        gossip_core::link::dissemination::is_settled(&self.cluster)
    }

    /// Messages sent so far (lost or not).
    pub fn messages(&self) -> u64 {
        self.messages
    }

    /// Messages sent so far that can carry entries (pushes and replies; not requests and
    /// feedback): rumor mongering's traffic.
    pub fn data_messages(&self) -> u64 {
        self.messages_data
    }

    /// Messages lost by links so far.
    pub fn lost(&self) -> u64 {
        self.lost
    }

    /// Messages dropped by a partition so far.
    pub fn cut(&self) -> u64 {
        self.cut
    }

    /// Delivered data messages that brought nothing new.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Per node, its view of the tracked key (index = node id).
    pub fn views(&self) -> &[NodeView] {
        &self.views
    }

    /// Node `i`'s drawn state.
    pub fn state(&self, i: u32) -> NodeState {
        match self.views.get(i as usize) {
            None => NodeState::Susceptible,
            Some(v) if !v.up => NodeState::Down,
            Some(v) => match (v.holding, v.spread) {
                (Holding::Nothing, _) => NodeState::Susceptible,
                (Holding::Older, _) => NodeState::Older,
                (Holding::Newest, Spread::Removed) => NodeState::Removed,
                (Holding::Newest, _) => NodeState::Informed,
            },
        }
    }

    /// The tick at which node `i` learned the version it holds, if it holds one.
    pub fn learned_tick(&self, i: u32) -> Option<u64> {
        self.learned_tick
            .get(i as usize)
            .copied()
            .filter(|&t| t != u64::MAX)
    }

    /// The messages of the round just run, with send and delivery ticks.
    pub fn round_messages(&self) -> &[MessageView] {
        &self.round_messages
    }

    /// The messages of the round just run that the network dropped when they were sent (see
    /// `gossip_core::sim::MessageView::fate`), traced or not, in send order. A round that drops
    /// more than [`ROUND_DROPS_MAX`] keeps an even sample (every 2nd, 4th, ... drop), so the
    /// marks drawn stay spread over the whole cluster and the whole round rather than being the
    /// first nodes' of the first tick.
    pub fn round_drops(&self) -> &[MessageView] {
        self.round_drops.items()
    }

    /// The first tick of the round just run; with [`TICKS_PER_ROUND`] it maps an animation
    /// phase `f` in `[0, 1)` to the fractional tick `start + f * T`.
    pub fn round_start_tick(&self) -> u64 {
        self.round_start
    }

    /// Applies now the actions scheduled for the round about to run, so the view shows them.
    pub fn apply_due(&mut self) {
        let before = self.cluster.history().len();
        self.cluster.apply_due();
        if self.cluster.history().len() != before || self.cluster.last_action_error().is_some() {
            self.refresh();
        }
    }

    /// Schedules `action` for the round about to run and applies it now; an action the
    /// cluster refuses (a crashed node written to, say) is returned as an error and stays in
    /// the schedule, where it fails the same way on every replay.
    pub fn act(&mut self, action: Action) -> Result<(), ActionError> {
        let round = self.cluster.round();
        self.cluster.schedule(round, action)?;
        // Only this call's failures: an equal failure earlier in the round is not this one.
        let failed = self.cluster.apply_due();
        self.refresh();
        match failed.last() {
            Some(e) => Err(*e),
            None => Ok(()),
        }
    }

    /// Schedules `action` for the start of `round` (not yet started) without applying it.
    pub fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError> {
        self.cluster.schedule(Round(u64::from(round)), action)
    }

    /// Drops pending actions scheduled after `round`; returns how many.
    pub fn unschedule_after(&mut self, round: u32) -> usize {
        self.cluster.unschedule_after(Round(u64::from(round)))
    }

    /// Runs one round. With `trace`, the round's messages are kept for drawing (it costs a
    /// pass over the messages in flight per tick, so playback too fast to follow skips it).
    pub fn step(&mut self, trace: bool) -> RoundRecord {
        loop {
            if let Some(record) = self.step_some(trace, &mut || true) {
                return record;
            }
        }
    }

    /// Whether a round has been started by [`Engine::step_some`] and not finished: the views
    /// and [`Engine::round`] still show the last completed round.
    pub fn is_mid_round(&self) -> bool {
        !self
            .cluster
            .now()
            .is_round_start(self.cluster.config().ticks_per_round)
    }

    /// Runs ticks of the current round while `more()` says so (at least one); returns the
    /// round's record once its last tick has run. A viewer with a time budget per frame steps
    /// a large cluster this way, a few ticks per frame, and never blocks a frame for a whole
    /// round. `trace` must be the same for all the calls of one round.
    pub fn step_some(
        &mut self,
        trace: bool,
        more: &mut dyn FnMut() -> bool,
    ) -> Option<RoundRecord> {
        let tpr = self.cluster.config().ticks_per_round;
        if !self.is_mid_round() {
            self.building.clear();
            self.building_drops.clear();
            self.building_start = self.cluster.now().0;
            if trace {
                self.cluster.message_views(&self.key, &mut self.building);
            }
        }
        loop {
            let t = self.cluster.now();
            self.cluster.step_tick();
            if trace && self.building.len() < ROUND_MESSAGES_MAX {
                self.cluster
                    .message_views_since(&self.key, t, &mut self.building);
            }
            for d in self.cluster.dropped_views() {
                self.building_drops.push(d);
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
        core::mem::swap(&mut self.round_messages, &mut self.building);
        core::mem::swap(&mut self.round_drops, &mut self.building_drops);
        self.round_start = self.building_start;
        let record = self
            .cluster
            .last_record()
            .cloned()
            .expect("a round was completed");
        self.messages += record.messages_sent;
        self.messages_data += record.messages_data;
        self.lost += record.messages_lost;
        self.cut += record.messages_cut;
        self.duplicates += record.messages_redundant;
        self.refresh();
        Some(record)
    }

    /// With repair sessions on (`ae=`), how many of the newest versions (every key's, in the
    /// truth: `gossip_core::link::dissemination::Lacking`) each node lacks now; `None` without
    /// repair, where the canvas shades by the tracked key instead. Counted at every round
    /// boundary and action, one store look-up per live node and key.
    pub fn lacking(&self) -> Option<&Lacking> {
        self.lacking.as_ref()
    }

    /// With repair on, live nodes lacking at least one newest version at rounds
    /// `0..=round()` (empty without repair). A clone of the engine carries it, so the model at
    /// round `r` always holds the series up to `r`, however it got there.
    pub fn lacking_series(&self) -> &[u32] {
        &self.lacking_series
    }

    /// The keys whose newest version node `i` lacks, in key order.
    pub fn keys_lacked(&self, i: u32) -> Vec<&[u8]> {
        gossip_core::link::dissemination::keys_lacked(&self.cluster, i)
    }

    /// Re-counts what each node lacks, and the current round's entry of the series.
    fn recount_lacking(&mut self) {
        if self.cluster.config().node.anti_entropy.is_none() {
            return;
        }
        let lacking = Lacking::of(&self.cluster);
        self.lacking_series.truncate(self.round() as usize);
        self.lacking_series.push(lacking.nodes_lacking());
        self.lacking = Some(lacking);
    }

    /// Re-reads the views of the tracked key.
    fn refresh(&mut self) {
        self.recount_lacking();
        self.cluster.node_views(&self.key, &mut self.views);
        let key = &self.key;
        let c = &self.cluster;
        self.learned_tick.clear();
        self.learned_tick.extend((0..c.len() as u32).map(|i| {
            c.node(i)
                .and_then(|n| n.store().get(key))
                .map_or(u64::MAX, |e| e.learned().0)
        }));
    }

    /// The round a tick belongs to.
    pub fn round_of(&self, tick: u64) -> u32 {
        Tick(tick).round(self.cluster.config().ticks_per_round).0 as u32
    }
}

/// The timeline's view of the engine: a round's record is read after the next round's actions
/// are applied, with the coverage they changed re-read, since the view of round `r` shows them.
impl Model for Engine {
    type Record = RoundRecord;
    type Lens = Vec<u8>;

    fn round(&self) -> u32 {
        Engine::round(self)
    }

    /// A checkpoint is a clone of the whole cluster, whose size grows with its nodes.
    fn nodes(&self) -> u32 {
        Engine::nodes(self)
    }

    fn is_complete(&self) -> bool {
        Engine::is_complete(self)
    }

    fn is_mid_round(&self) -> bool {
        Engine::is_mid_round(self)
    }

    fn step_some(&mut self, trace: bool, more: &mut dyn FnMut() -> bool) -> Option<RoundRecord> {
        let mut record = Engine::step_some(self, trace, more)?;
        self.apply_due();
        self.amend(&mut record);
        Some(record)
    }

    fn act(&mut self, action: Action) -> Result<(), ActionError> {
        Engine::act(self, action)
    }

    fn schedule(&mut self, round: u32, action: Action) -> Result<(), ActionError> {
        Engine::schedule(self, round, action)
    }

    fn unschedule_after(&mut self, round: u32) -> usize {
        Engine::unschedule_after(self, round)
    }

    /// Re-reads a round's per-key coverage from the engine, which is at the round's end with
    /// the next round's actions applied.
    fn amend(&self, record: &mut RoundRecord) {
        let c = &self.cluster;
        for cov in &mut record.coverage {
            cov.holders = c.holders(&cov.key);
        }
        for (key, version, tombstone) in c.newest() {
            match record.coverage.iter_mut().find(|x| x.key == key) {
                Some(x) => {
                    x.version = version;
                    x.tombstone = tombstone;
                }
                None => record.coverage.push(KeyCoverage {
                    key: key.to_vec(),
                    version,
                    tombstone,
                    holders: c.holders(key),
                }),
            }
        }
    }

    /// The lab's start rule (node 0 writes the rumor) on the same configuration, no action.
    fn restarted(&self) -> Engine {
        let config = RunConfig {
            cluster: *self.cluster.config(),
        };
        let mut e = Engine::new(config, &[]).expect("this configuration started this engine");
        e.set_key(&self.key);
        e
    }

    fn lens(&self) -> Vec<u8> {
        self.key.clone()
    }

    fn set_lens(&mut self, key: &Vec<u8>) {
        self.set_key(key);
    }
}

/// The timeline of a run of `config` with `actions` scheduled (in round order), at round 0.
pub fn start(config: RunConfig, actions: Vec<TimedAction>) -> Result<Timeline<Engine>, String> {
    let mut engine = Engine::new(config, &actions)?;
    engine.apply_due();
    Ok(Timeline::new(engine, actions))
}

/// Live nodes holding the newest version of `key` at rounds `0..=horizon`, after each round's
/// actions (as the view shows that round).
pub fn informed_series(t: &Timeline<Engine>, key: &[u8]) -> Vec<u32> {
    let first = t.start().cluster().holders(key);
    let later = t.records().iter().map(|r| {
        r.coverage
            .iter()
            .find(|c| c.key == key)
            .map_or(0, |c| c.holders)
    });
    core::iter::once(first).chain(later).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::net::{Direction, Sent};

    fn push(nodes: u32, seed: u64) -> RunConfig {
        lossy(nodes, seed, Exchange::Push, 0.0)
    }

    fn lossy(nodes: u32, seed: u64, exchange: Exchange, loss: f64) -> RunConfig {
        RunConfig::new(
            nodes,
            seed,
            Protocol {
                mode: Mode::AntiEntropy(exchange),
                fanout: 1,
                gossip_interval_ticks: TICKS_PER_ROUND,
                loss,
                latency_ticks_min: 1,
                latency_ticks_max: 1,
            },
        )
    }

    /// Not a test: prints the cost of a round at 10,000 nodes (`cargo test --release -p
    /// gossip-web round_cost -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn round_cost_at_ten_thousand_nodes() {
        let mut e = Engine::new(push(10_000, 1), &[]).unwrap();
        let t0 = std::time::Instant::now();
        for _ in 0..20 {
            e.step(false);
        }
        let plain = t0.elapsed().as_secs_f64() / 20.0;
        let t0 = std::time::Instant::now();
        for _ in 0..20 {
            e.step(true);
        }
        let traced = t0.elapsed().as_secs_f64() / 20.0;
        let t0 = std::time::Instant::now();
        let c = e.clone();
        let clone = t0.elapsed().as_secs_f64();
        println!(
            "per round: {:.2} ms, traced {:.2} ms; clone {:.2} ms; informed {}",
            plain * 1e3,
            traced * 1e3,
            clone * 1e3,
            c.informed_count()
        );
    }

    #[test]
    fn a_run_starts_with_node_zero_informed_and_spreads_to_everyone() {
        let mut e = Engine::new(push(50, 3), &[]).unwrap();
        assert_eq!((e.round(), e.informed_count()), (0, 1));
        assert_eq!(e.state(0), NodeState::Informed);
        assert_eq!(e.state(1), NodeState::Susceptible);
        let mut informed = 1;
        while !e.is_complete() {
            e.step(true);
            assert!(e.informed_count() >= informed);
            informed = e.informed_count();
            assert!(e.round() < 100);
        }
        assert_eq!(informed, 50);
    }

    #[test]
    fn traced_messages_are_those_of_the_round_and_tracing_changes_nothing() {
        let mut a = Engine::new(push(200, 9), &[]).unwrap();
        let mut b = a.clone();
        for _ in 0..6 {
            let ra = a.step(true);
            let rb = b.step(false);
            assert_eq!(ra, rb);
            let start = a.round_start_tick();
            assert_eq!(a.round_messages().len() as u64, ra.messages_sent);
            for m in a.round_messages() {
                assert!(m.sent.0 >= start && m.sent.0 < start + u64::from(TICKS_PER_ROUND));
            }
        }
    }

    #[test]
    fn a_lossy_round_traces_every_message_sent_as_travelling_or_dropped() {
        // Push-pull: every node sends every round, so every round loses some.
        let mut e = Engine::new(lossy(200, 4, Exchange::PushPull, 0.3), &[]).unwrap();
        for _ in 0..4 {
            let r = e.step(true);
            let start = e.round_start_tick();
            assert!(r.messages_lost > 0, "{r:?}");
            assert_eq!(e.round_drops().len() as u64, r.messages_lost);
            let traced = e.round_messages().len() + e.round_drops().len();
            assert_eq!(traced as u64, r.messages_sent);
            for m in e.round_drops() {
                assert_eq!(m.fate, Sent::Lost);
                assert!(m.sent.0 >= start && m.sent.0 < start + u64::from(TICKS_PER_ROUND));
            }
        }
        // A cluster dropping more than the limit in a round keeps an even sample of them, every
        // stride-th drop of the round for the least power-of-two stride that fits, so from
        // every part of the cluster; and it still traces every message that travels.
        let mut e = Engine::new(lossy(4_000, 4, Exchange::PushPull, 0.95), &[]).unwrap();
        let mut c = e.cluster().clone();
        let mut all = Vec::new();
        for _ in 0..TICKS_PER_ROUND {
            c.step_tick();
            all.extend(c.dropped_views());
        }
        let r = e.step(true);
        assert_eq!(all.len() as u64, r.messages_lost);
        assert!(all.len() > 2 * ROUND_DROPS_MAX, "{r:?}");
        let mut stride = 1;
        while all.len().div_ceil(stride) > ROUND_DROPS_MAX {
            stride *= 2;
        }
        let want: Vec<MessageView> = all.into_iter().step_by(stride).collect();
        assert_eq!(e.round_drops(), want.as_slice());
        assert!(e.round_drops().iter().any(|d| d.from >= 3_000));
        assert_eq!(
            e.round_messages().len() as u64,
            r.messages_sent - r.messages_lost
        );
    }

    #[test]
    fn a_round_stepped_a_tick_at_a_time_is_the_round_stepped_whole() {
        for config in [push(300, 5), lossy(3_000, 5, Exchange::PushPull, 0.5)] {
            stepped_a_tick_at_a_time(config);
        }
    }

    fn stepped_a_tick_at_a_time(config: RunConfig) {
        let mut a = Engine::new(config, &[]).unwrap();
        let mut b = a.clone();
        for _ in 0..5 {
            let whole = a.step(true);
            let mut calls = 0;
            let parts = loop {
                assert_eq!(
                    b.round(),
                    a.round() - 1,
                    "a round in progress is not counted"
                );
                if let Some(r) = b.step_some(true, &mut || false) {
                    break r;
                }
                calls += 1;
                assert!(b.is_mid_round());
            };
            assert_eq!(calls, TICKS_PER_ROUND - 1);
            assert_eq!(whole, parts);
            assert_eq!(a.round_messages(), b.round_messages());
            assert_eq!(a.round_drops(), b.round_drops());
            assert_eq!(whole.messages_lost > 0, !a.round_drops().is_empty());
        }
    }

    #[test]
    fn a_crashed_node_is_down_and_not_informed_and_comes_back_empty() {
        let mut e = Engine::new(push(20, 1), &[]).unwrap();
        for _ in 0..10 {
            e.step(false);
        }
        assert_eq!(e.informed_count(), 20);
        e.act(Action::Crash(3)).unwrap();
        assert_eq!(e.state(3), NodeState::Down);
        assert_eq!(e.informed_count(), 19);
        assert!(
            e.act(Action::Crash(3)).is_err(),
            "crashing a down node fails"
        );
        e.act(Action::Restart(3)).unwrap();
        assert_eq!(e.state(3), NodeState::Susceptible);
        for _ in 0..30 {
            e.step(false);
        }
        assert_eq!(e.informed_count(), 20);
    }

    #[test]
    fn a_refused_action_that_repeats_an_earlier_failure_of_the_round_is_refused_again() {
        let mut e = Engine::new(push(20, 1), &[]).unwrap();
        e.step(false);
        e.act(Action::Crash(3)).unwrap();
        assert!(e.act(Action::Crash(3)).is_err(), "node 3 is down");
        // The same failure at the same round: the cluster's last error does not change, and
        // it must still be reported as this call's.
        assert!(
            e.act(Action::Crash(3)).is_err(),
            "a repeated refusal was reported as accepted"
        );
    }

    #[test]
    fn scheduled_partition_keeps_the_cut_side_uninformed_until_heal() {
        let half: Vec<u32> = (0..10).collect();
        let other: Vec<u32> = (10..20).collect();
        let actions = vec![
            (
                Round(0),
                Action::Partition {
                    groups: vec![half, other],
                    direction: Direction::Both,
                },
            ),
            (Round(15), Action::Heal),
        ];
        let mut e = Engine::new(push(20, 2), &actions).unwrap();
        e.apply_due();
        for _ in 0..15 {
            e.step(false);
        }
        assert!(e.informed_count() <= 10);
        assert!(!e.is_complete(), "the heal is still to come");
        for _ in 0..30 {
            e.step(false);
        }
        assert_eq!(e.informed_count(), 20);
    }
}
