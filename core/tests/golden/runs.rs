//! The five golden runs and their pinned hashes, in one file that two test crates include with
//! `#[path]`: `core/tests/golden.rs` (natively) and `web/tests/browser.rs` (compiled to wasm32
//! and run in headless Chromium, where links are opened). Both therefore replay the same runs
//! against the same constants. A folder under `tests/` is not a test crate of its own, so this
//! file is compiled only where it is included.
//!
//! Read the docs of `core/tests/golden.rs` before changing a constant: a changed value means
//! every permalink already shared replays differently.
//!
//! The hash is 64-bit FNV-1a over the fields written out one by one as little-endian integers
//! (floats by their IEEE-754 bits), never over `Debug` text, whose format Rust does not promise
//! to keep. A field added to a record later is therefore not hashed until it is added here.

use gossip_core::kernel::demers::{self, Counting, DemersConfig, Removal, Variant};
use gossip_core::kernel::epidemic::{KernelConfig, KernelMode, Trials};
use gossip_core::node::{AntiEntropyConfig, RumorFeedback, RumorStop};
use gossip_core::node::{Exchange, Mode as NodeMode, RumorConfig as NodeRumor};
use gossip_core::reconcile::Strategy;
use gossip_core::rng::Probability;
use gossip_core::script::{decode, ScriptLimits};
use gossip_core::sim::{Cluster, ClusterConfig};

// The pinned values.
/// (a) [`kernel_sweep`].
pub const GOLDEN_KERNEL: u64 = 0x6446_dd02_8b4e_b58b;
/// (b) [`rumor_runs`].
pub const GOLDEN_RUMOR: u64 = 0xe9c8_f386_f67a_c19e;
/// (c) [`scripted_cluster`].
pub const GOLDEN_CLUSTER: u64 = 0x276c_e81f_fc48_2f2c;
/// (d) [`swim_cluster`].
pub const GOLDEN_SWIM: u64 = 0x1ba3_b539_85fe_86a6;
/// (e) [`anti_entropy_cluster`].
pub const GOLDEN_ANTI_ENTROPY: u64 = 0x90d6_7bc6_e013_3e94;
/// (f) [`busy_anti_entropy_cluster`].
pub const GOLDEN_BUSY_ANTI_ENTROPY: u64 = 0xabee_6ebf_94b0_5ba0;
/// How many abandon reasons (`reconcile::AbandonReason::ALL`) there were when
/// [`GOLDEN_ANTI_ENTROPY`] was pinned; the hash covers those slots only.
pub const REASONS_PINNED: usize = 11;

/// 64-bit FNV-1a (Fowler, Noll, Vo): offset basis and prime as published.
pub struct Fnv(pub u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u64(&mut self, x: u64) {
        self.bytes(&x.to_le_bytes());
    }
    fn f64(&mut self, x: f64) {
        self.u64(x.to_bits());
    }
}

/// (a) The hash of a kernel sweep: push-pull, fanout 2, 10 % loss, 2000 nodes, 5 trials, every
/// round.
pub fn kernel_sweep() -> u64 {
    let config = KernelConfig {
        nodes: 2000,
        fanout: 2,
        mode: KernelMode::PushPull,
        loss: Probability::from_f64(0.1),
        seed: 2024,
    };
    let mut h = Fnv::new();
    let outcomes = Trials::new(config, 5, 1000).unwrap().run_observed(|t, r| {
        h.u64(u64::from(t));
        h.u64(u64::from(r.round));
        h.u64(u64::from(r.informed));
        h.u64(u64::from(r.newly_informed));
        h.u64(r.messages);
        h.u64(r.duplicates);
        h.u64(r.lost);
    });
    for o in &outcomes {
        h.u64(o.seed);
        h.u64(u64::from(o.rounds));
        h.u64(u64::from(o.complete));
    }
    h.0
}

/// (b) The hash of rumor mongering runs: pull, feedback, coin k = 2 on 1000 nodes, 20 trials.
pub fn rumor_runs() -> u64 {
    let config = DemersConfig {
        seed: 1987,
        ..DemersConfig::demers(1000, Variant::Pull, Counting::Feedback, Removal::Coin, 2)
    };
    let mut h = Fnv::new();
    for o in demers::trials(config, 20).unwrap() {
        h.f64(o.residue);
        h.f64(o.traffic);
        h.f64(o.t_ave);
        h.u64(u64::from(o.t_last));
        h.u64(u64::from(o.cycles));
    }
    h.0
}

/// The script of the cluster run: writes, a crash and restart, a partition and its heal, a
/// lossy, duplicating default link with latency 1 to 3 ticks, and a delete.
pub const SCRIPT: &str =
    "w0.color.red_2w5.size.big_4c3_6r3_8p0-9~10-19_12h_13nl0.1d0.05t1-3_14d2.color";

/// (c) The hash of a cluster run of 20 nodes with push-pull rumor mongering, driven by
/// [`SCRIPT`] for 30 rounds, every field of every round record. Panics unless every action of
/// the script applied and none failed.
pub fn scripted_cluster() -> u64 {
    let mut config = ClusterConfig::new(20, 77);
    config.node.mode = NodeMode::Rumor(NodeRumor {
        exchange: Exchange::PushPull,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(3),
    });
    let mut c = Cluster::new(config).unwrap();
    let actions = decode(SCRIPT, &ScriptLimits::for_cluster(&config)).unwrap();
    let count = actions.len() as u32;
    for (round, action) in actions {
        c.schedule(round, action).unwrap();
    }
    c.step_rounds(30);
    // The script really ran: every action applied, none failed.
    let applied: u32 = c.records().map(|r| r.actions_applied).sum();
    let failed: u32 = c.records().map(|r| r.actions_failed).sum();
    assert_eq!((applied, failed), (count, 0));
    assert_eq!(c.records().len(), 30);
    let mut h = Fnv::new();
    for r in c.records() {
        h.u64(r.round.0);
        h.u64(u64::from(r.live_nodes));
        for x in [
            r.messages_sent,
            r.messages_data,
            r.bytes_sent,
            r.messages_delivered,
            r.messages_redundant,
            r.messages_lost,
            r.messages_cut,
            r.messages_overflow,
            r.messages_duplicated,
            r.messages_to_down,
            r.messages_rejected,
            r.outbox_dropped,
        ] {
            h.u64(x);
        }
        h.u64(u64::from(r.actions_applied));
        h.u64(u64::from(r.actions_failed));
        for k in &r.coverage {
            h.u64(k.key.len() as u64);
            h.bytes(&k.key);
            h.u64(k.version.counter);
            h.u64(u64::from(k.version.origin));
            h.u64(u64::from(k.tombstone));
            h.u64(u64::from(k.holders));
        }
    }
    h.0
}

/// The script of the SWIM run: a crash at round 5, node 3 slow by 12 ticks from round 8 to
/// round 40, 5 % loss from round 10 to round 45, the crashed node restarting at round 30.
pub const SWIM_SCRIPT: &str = "5c7_8s3.12_10nl0.05_30r7_40s3.0_45n";

/// (d) The hash of a SWIM cluster run (issue 9): 24 nodes with SWIM and Lifeguard (the
/// defaults, a period being a round of 8 ticks), driven by [`SWIM_SCRIPT`] for 60 rounds: every
/// round's message, SWIM and membership counts, then every node's view (state and incarnation
/// of every member), incarnation and local health, and every crash's detection. Panics unless
/// every action of the script applied.
pub fn swim_cluster() -> u64 {
    use gossip_core::node::{MembershipConfig, SwimConfig};
    let swim = SwimConfig::default();
    let mut config = ClusterConfig::new(24, 2002);
    config.ticks_per_round = swim.probe_interval_ticks;
    config.node.gossip_interval_ticks = swim.probe_interval_ticks;
    config.node.membership = MembershipConfig::Swim(swim);
    let mut c = Cluster::new(config).unwrap();
    let actions = decode(SWIM_SCRIPT, &ScriptLimits::for_cluster(&config)).unwrap();
    let count = actions.len() as u32;
    for (round, action) in actions {
        c.schedule(round, action).unwrap();
    }
    c.step_rounds(60);
    let applied: u32 = c.records().map(|r| r.actions_applied).sum();
    let failed: u32 = c.records().map(|r| r.actions_failed).sum();
    assert_eq!((applied, failed), (count, 0));
    // The faults did something: the crash was detected, and probes failed under loss.
    assert!(c.views().detections()[0].first_detection_periods.is_some());
    assert!(c.records().map(|r| r.swim.probes_failed).sum::<u64>() > 1);
    let mut h = Fnv::new();
    for r in c.records() {
        h.u64(r.round.0);
        h.u64(u64::from(r.live_nodes));
        for x in [
            r.messages_sent,
            r.bytes_sent,
            r.messages_delivered,
            r.messages_lost,
            r.messages_to_down,
            r.messages_rejected,
            r.outbox_dropped,
        ] {
            h.u64(x);
        }
        let s = &r.swim;
        for x in [
            s.probes,
            s.probes_acked,
            s.probes_failed,
            s.ping_reqs_sent,
            s.ping_reqs_served,
            s.relays_dropped,
            s.acks_relayed,
            s.nacks_sent,
            s.nacks_received,
            s.suspicions_started,
            s.suspicions_untimed,
            s.confirmations,
            s.deaths_declared,
            s.refutations,
            s.updates_applied,
            s.updates_stale,
            s.broadcasts_dropped,
            s.syncs_started,
            s.messages_sent,
            s.bytes_sent,
            s.rejected(),
        ] {
            h.u64(x);
        }
        let m = &r.membership;
        for x in [
            m.live_probes,
            m.false_suspicions,
            m.false_deaths,
            m.false_suspicions_of_slow,
            m.false_deaths_of_slow,
            m.first_detections,
            m.full_detections,
            m.updates_spread,
            m.update_spread_periods,
            m.update_spread_periods_max,
        ] {
            h.u64(x);
        }
    }
    for id in 0..24 {
        let Some(s) = c.node(id).and_then(|n| n.swim()) else {
            h.u64(u64::MAX);
            continue;
        };
        h.u64(u64::from(s.incarnation()));
        h.u64(u64::from(s.health()));
        for (member, v) in s.iter() {
            h.u64(u64::from(member));
            h.u64(u64::from(v.state.code()));
            h.u64(u64::from(v.incarnation));
        }
    }
    for d in c.views().detections() {
        h.u64(u64::from(d.member));
        h.u64(u64::from(d.crash_round));
        h.u64(d.first_detection_periods.map_or(u64::MAX, u64::from));
        h.u64(d.full_detection_periods.map_or(u64::MAX, u64::from));
        h.u64(u64::from(d.restarted));
    }
    h.0
}

/// The script of the anti-entropy run: a partition {0..9} | {10..19} from round 0, writes on
/// both sides (one key on both), healed at round 10.
pub const ANTI_ENTROPY_SCRIPT: &str =
    "p0-9~10-19_1w0.color.red_2w15.color.blue_3w3.size.big_4w18.shape.round_10h";

/// (e) The hash of an anti-entropy cluster run (issue 10): 20 nodes with push rumor mongering
/// that dies out (counter 1) and digest anti-entropy every 2 gossip intervals, driven by
/// [`ANTI_ENTROPY_SCRIPT`] for 40 rounds: every round's message counts, anti-entropy counts and
/// coverage. Panics unless every live node ends holding every newest version.
pub fn anti_entropy_cluster() -> u64 {
    // No responder is ever busy in this run (`refused_busy` is hashed, 0 in every round), so
    // the refusals and back-off added after it was pinned never act in it.
    anti_entropy_run(
        2,
        AntiEntropyConfig::default().sessions_max,
        REASONS_PINNED,
        false,
    )
}

/// (f) The hash of the same run with a busy cluster (issue 10's busy-refusal stall): sessions
/// every gossip interval and at most one open at a node, so responders refuse, initiators
/// abandon as refused and back off. Hashes every abandon reason and the back-offs too.
pub fn busy_anti_entropy_cluster() -> u64 {
    anti_entropy_run(1, 1, gossip_core::reconcile::AbandonReason::ALL.len(), true)
}

// The run of (e) and (f): `every` gossip intervals between starts, `sessions_max`, hashing the
// first `reasons` abandon reasons (the others must stay 0) and, with `backoffs`, the starts
// backed off.
fn anti_entropy_run(every: u32, sessions_max: u32, reasons: usize, backoffs: bool) -> u64 {
    let mut config = ClusterConfig::new(20, 91);
    config.node.mode = NodeMode::Rumor(NodeRumor {
        exchange: Exchange::Push,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(1),
    });
    config.node.anti_entropy = Some(AntiEntropyConfig {
        strategy: Strategy::Digest,
        every_intervals: every,
        sessions_max,
        ..AntiEntropyConfig::default()
    });
    let mut c = Cluster::new(config).unwrap();
    for (round, action) in decode(ANTI_ENTROPY_SCRIPT, &ScriptLimits::for_cluster(&config)).unwrap()
    {
        c.schedule(round, action).unwrap();
    }
    c.step_rounds(40);
    let last = c.records().last().unwrap();
    assert_eq!(last.coverage.len(), 3);
    assert!(last.coverage.iter().all(|k| k.holders == last.live_nodes));
    let mut h = Fnv::new();
    let mut refused = 0;
    for r in c.records() {
        h.u64(r.round.0);
        for x in [
            r.messages_sent,
            r.bytes_sent,
            r.messages_cut,
            r.messages_rejected,
        ] {
            h.u64(x);
        }
        let a = &r.anti_entropy;
        refused += a.refused_busy;
        for x in [
            a.sessions_started,
            a.sessions_completed,
            a.abandoned_timeout,
            a.refused_busy,
            a.messages_rejected,
            a.bytes_sent,
            a.entries_repaired,
        ] {
            h.u64(x);
        }
        // For (e), the reasons that existed when it was pinned (11); a reason appended since
        // (`Undecodable`, `VersionAhead`, `Refused`) adds a slot, which must stay 0 in that run
        // and is not hashed, so the pinned value keeps holding as reasons are appended.
        let (pinned, appended) = a.abandoned_by_reason.split_at(reasons);
        assert!(appended.iter().all(|&x| x == 0), "{appended:?}");
        for &x in pinned {
            h.u64(x);
        }
        if backoffs {
            h.u64(a.starts_backed_off);
        }
        for k in &r.coverage {
            h.bytes(&k.key);
            h.u64(k.version.counter);
            h.u64(u64::from(k.holders));
        }
    }
    // (e) never refuses; (f) is there to pin refusals.
    assert_eq!(refused > 0, backoffs, "refused_busy {refused}");
    h.0
}
