//! SWIM's configuration: every parameter and limit, its validation, and its defaults with their
//! source.
//!
//! Time is in ticks of the node's clock. The defaults follow hashicorp/memberlist's
//! `DefaultLANConfig` and the Lifeguard paper (Dadgar, Phillips and Currey, 2018), scaled to the
//! simulator, where one network hop takes one tick by default:
//!
//! | parameter | default | source |
//! |---|---|---|
//! | `probe_interval_ticks` (T) | 8 | memberlist `ProbeInterval` = 1 s; here it must hold a direct round trip (2 hops) after which the indirect path (4 hops) still ends inside the period |
//! | `probe_timeout_ticks` | 2 | memberlist `ProbeTimeout` = 500 ms, "the RTT"; one round trip at 1 tick a hop |
//! | `indirect_probes` (k) | 3 | memberlist `IndirectChecks` = 3 |
//! | `suspicion_alpha` (α) | 4 | memberlist `SuspicionMult` = 4 |
//! | `suspicion_beta` (β) | 6 | memberlist `SuspicionMaxTimeoutMult` = 6 |
//! | `suspicion_confirmations_k` | 2 | memberlist: `SuspicionMult - 2` independent confirmations expected |
//! | `retransmit_mult` (λ) | 4 | memberlist `RetransmitMult` = 4 |
//! | `health_max` | 8 | memberlist `AwarenessMaxMultiplier` = 8 (memberlist caps the score at 7, here the score runs 0 to 8 as the issue asks, so a timeout is stretched at most 9 times) |
//! | `push_pull_interval_ticks` | 240 (30 T) | memberlist `PushPullInterval` = 30 s with a 1 s probe interval |
//!
//! A helper's nack timeout is `probe_timeout_ticks` (memberlist sends the nack after its
//! `ProbeTimeout`), shorter than what the requester has left of its period.

use core::fmt;

use crate::node::membership::swim::table::INCARNATION_LIMIT;

/// Upper bound for [`SwimConfig::probe_interval_ticks`].
pub const PROBE_INTERVAL_TICKS_LIMIT: u32 = 1 << 16;
/// Upper bound for [`SwimConfig::indirect_probes`].
pub const INDIRECT_PROBES_LIMIT: u32 = 16;
/// Upper bound for [`SwimConfig::suspicion_confirmations_k`] (the side table keeps who
/// confirmed, up to k, inline).
pub const SUSPICION_CONFIRMATIONS_LIMIT: u32 = 8;
/// Upper bound for [`SwimConfig::health_max`].
pub const HEALTH_LIMIT: u32 = 64;
/// Upper bound for [`SwimConfig::members_max`]: the simulator's largest cluster.
pub const MEMBERS_LIMIT: u32 = 100_000;
/// Upper bound for the bounded queues ([`SwimConfig::broadcasts_max`],
/// [`SwimConfig::suspects_max`], [`SwimConfig::relays_max`]).
pub const QUEUE_LIMIT: u32 = 1 << 16;
/// Upper bound for the updates in one message ([`SwimConfig::piggyback_updates_max`],
/// [`SwimConfig::sync_updates_per_message_max`]).
pub const UPDATES_PER_MESSAGE_LIMIT: u32 = 1 << 12;

/// How the member to probe each period is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ProbeOrder {
    /// A shuffled list walked in order, reshuffled at each wrap, a new member inserted at a
    /// random position (memberlist; SWIM §4.3): two probes of one member are at most 2N - 1
    /// periods apart.
    RoundRobin,
    /// A uniform random member each period (the analysis of SWIM §3.1).
    Uniform,
}

/// The parts of Lifeguard, each switchable so its effect can be measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LifeguardConfig {
    /// Local health: a score 0 to `health_max` that stretches the node's own probe timeout and
    /// interval (`x (score + 1)`) after missed acks and refutations (Lifeguard §4.1).
    pub local_health: bool,
    /// Helpers of an indirect probe send a nack when the target does not answer in time, so the
    /// requester can tell a slow self from a dead target (Lifeguard §4.1).
    pub nack: bool,
    /// The suspicion timeout starts at `beta * min` and shrinks towards `min` as independent
    /// confirmations arrive (Lifeguard §4.2); off, it is `min` throughout (memberlist before
    /// Lifeguard).
    pub dynamic_suspicion: bool,
    /// A ping to a suspect member carries the suspicion, so the member refutes at once
    /// (Lifeguard §4.3).
    pub buddy: bool,
}

impl LifeguardConfig {
    /// Every part on (memberlist's behaviour).
    pub const ON: LifeguardConfig = LifeguardConfig {
        local_health: true,
        nack: true,
        dynamic_suspicion: true,
        buddy: true,
    };
    /// Every part off: SWIM with suspicion as in the 2002 paper.
    pub const OFF: LifeguardConfig = LifeguardConfig {
        local_health: false,
        nack: false,
        dynamic_suspicion: false,
        buddy: false,
    };
}

/// Everything SWIM is configured with. All limits are named and validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SwimConfig {
    /// The protocol period T: one probe per period. In the simulator a period is a round when
    /// this equals `ticks_per_round` (and the local health score is 0).
    pub probe_interval_ticks: u32,
    /// Ticks to wait for a direct ack before asking `indirect_probes` helpers; below
    /// `probe_interval_ticks`. Also a helper's timeout before it sends a nack.
    pub probe_timeout_ticks: u32,
    /// k: helpers asked to ping the target when the direct ack is late (0 = no indirect probe).
    pub indirect_probes: u32,
    /// Whether a failed probe makes the target suspect (SWIM §4.2) or dead at once (basic SWIM).
    pub suspicion: bool,
    /// α: the shortest suspicion timeout is `α * max(1, log10 n) * T`.
    pub suspicion_alpha: u32,
    /// β: the longest suspicion timeout is `β` times the shortest.
    pub suspicion_beta: u32,
    /// k of Lifeguard's timeout: confirmations after which the timeout reaches its minimum.
    pub suspicion_confirmations_k: u32,
    /// The probe order.
    pub probe_order: ProbeOrder,
    /// Which parts of Lifeguard are on.
    pub lifeguard: LifeguardConfig,
    /// λ: each update is piggybacked at most `λ * ceil(log10(n + 1))` times.
    pub retransmit_mult: u32,
    /// The highest local health score.
    pub health_max: u32,
    /// Ticks between push-pull syncs with one random member before scaling with n
    /// (memberlist's `pushPullScale`); 0 turns periodic syncs off (a join still syncs).
    pub push_pull_interval_ticks: u32,
    /// Members are ids `0..members_max`; a message naming a larger id is rejected.
    pub members_max: u32,
    /// Most updates piggybacked on one ping, ack, ping-req or nack; a message with more is
    /// rejected as oversized.
    pub piggyback_updates_max: u32,
    /// Most updates in one sync message (a table is sent in as many as it needs).
    pub sync_updates_per_message_max: u32,
    /// Most updates waiting in the broadcast queue; the most-sent one is dropped (counted)
    /// when a new one does not fit.
    pub broadcasts_max: u32,
    /// Most suspicions with a running timer; a suspect beyond it is held without a timer
    /// (counted) and dies only when another member declares it dead.
    pub suspects_max: u32,
    /// Most ping-reqs a node serves at once; further ones are dropped (counted).
    pub relays_max: u32,
    /// How far above the incarnation a node holds for a member a received incarnation may be;
    /// beyond it the whole message is rejected as an impossible incarnation.
    pub incarnation_jump_max: u32,
}

impl Default for SwimConfig {
    fn default() -> Self {
        SwimConfig {
            probe_interval_ticks: 8,
            probe_timeout_ticks: 2,
            indirect_probes: 3,
            suspicion: true,
            suspicion_alpha: 4,
            suspicion_beta: 6,
            suspicion_confirmations_k: 2,
            probe_order: ProbeOrder::RoundRobin,
            lifeguard: LifeguardConfig::ON,
            retransmit_mult: 4,
            health_max: 8,
            push_pull_interval_ticks: 240,
            members_max: MEMBERS_LIMIT,
            piggyback_updates_max: 16,
            sync_updates_per_message_max: 512,
            broadcasts_max: 1024,
            suspects_max: 1024,
            relays_max: 64,
            incarnation_jump_max: 1 << 16,
        }
    }
}

/// A rejected [`SwimConfig`]; nothing was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwimConfigError {
    /// `probe_interval_ticks` outside `2..=PROBE_INTERVAL_TICKS_LIMIT`.
    ProbeIntervalTicks(u32),
    /// `probe_timeout_ticks` outside `1..probe_interval_ticks`.
    ProbeTimeoutTicks(u32),
    /// `indirect_probes` above `INDIRECT_PROBES_LIMIT`.
    IndirectProbes(u32),
    /// `suspicion_alpha` is 0 or `suspicion_beta` is 0.
    SuspicionMult(u32),
    /// `suspicion_confirmations_k` above `SUSPICION_CONFIRMATIONS_LIMIT`.
    SuspicionConfirmationsK(u32),
    /// `retransmit_mult` is 0.
    RetransmitMult(u32),
    /// `health_max` above `HEALTH_LIMIT`.
    HealthMax(u32),
    /// `members_max` outside `1..=MEMBERS_LIMIT`.
    MembersMax(u32),
    /// An updates-per-message limit outside `1..=UPDATES_PER_MESSAGE_LIMIT`.
    UpdatesPerMessage(u32),
    /// A queue bound outside `1..=QUEUE_LIMIT`.
    Queue(u32),
    /// `incarnation_jump_max` outside `1..=INCARNATION_LIMIT`.
    IncarnationJumpMax(u32),
}

impl fmt::Display for SwimConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwimConfigError::ProbeIntervalTicks(x) => write!(
                f,
                "swim probe_interval_ticks must be 2 to {PROBE_INTERVAL_TICKS_LIMIT}, got {x}"
            ),
            SwimConfigError::ProbeTimeoutTicks(x) => write!(
                f,
                "swim probe_timeout_ticks must be 1 to probe_interval_ticks - 1, got {x}"
            ),
            SwimConfigError::IndirectProbes(x) => write!(
                f,
                "swim indirect_probes must be at most {INDIRECT_PROBES_LIMIT}, got {x}"
            ),
            SwimConfigError::SuspicionMult(x) => {
                write!(f, "swim suspicion_alpha and suspicion_beta must be at least 1, got {x}")
            }
            SwimConfigError::SuspicionConfirmationsK(x) => write!(
                f,
                "swim suspicion_confirmations_k must be at most {SUSPICION_CONFIRMATIONS_LIMIT}, got {x}"
            ),
            SwimConfigError::RetransmitMult(x) => {
                write!(f, "swim retransmit_mult must be at least 1, got {x}")
            }
            SwimConfigError::HealthMax(x) => {
                write!(f, "swim health_max must be at most {HEALTH_LIMIT}, got {x}")
            }
            SwimConfigError::MembersMax(x) => {
                write!(f, "swim members_max must be 1 to {MEMBERS_LIMIT}, got {x}")
            }
            SwimConfigError::UpdatesPerMessage(x) => write!(
                f,
                "swim updates per message must be 1 to {UPDATES_PER_MESSAGE_LIMIT}, got {x}"
            ),
            SwimConfigError::Queue(x) => {
                write!(f, "swim queue bounds must be 1 to {QUEUE_LIMIT}, got {x}")
            }
            SwimConfigError::IncarnationJumpMax(x) => write!(
                f,
                "swim incarnation_jump_max must be 1 to {INCARNATION_LIMIT}, got {x}"
            ),
        }
    }
}

impl SwimConfig {
    /// Checks every limit; the error names the first one that is wrong.
    pub fn validate(&self) -> Result<(), SwimConfigError> {
        if !(2..=PROBE_INTERVAL_TICKS_LIMIT).contains(&self.probe_interval_ticks) {
            return Err(SwimConfigError::ProbeIntervalTicks(
                self.probe_interval_ticks,
            ));
        }
        if !(1..self.probe_interval_ticks).contains(&self.probe_timeout_ticks) {
            return Err(SwimConfigError::ProbeTimeoutTicks(self.probe_timeout_ticks));
        }
        if self.indirect_probes > INDIRECT_PROBES_LIMIT {
            return Err(SwimConfigError::IndirectProbes(self.indirect_probes));
        }
        for m in [self.suspicion_alpha, self.suspicion_beta] {
            if m == 0 {
                return Err(SwimConfigError::SuspicionMult(m));
            }
        }
        if self.suspicion_confirmations_k > SUSPICION_CONFIRMATIONS_LIMIT {
            return Err(SwimConfigError::SuspicionConfirmationsK(
                self.suspicion_confirmations_k,
            ));
        }
        if self.retransmit_mult == 0 {
            return Err(SwimConfigError::RetransmitMult(0));
        }
        if self.health_max > HEALTH_LIMIT {
            return Err(SwimConfigError::HealthMax(self.health_max));
        }
        if !(1..=MEMBERS_LIMIT).contains(&self.members_max) {
            return Err(SwimConfigError::MembersMax(self.members_max));
        }
        for u in [
            self.piggyback_updates_max,
            self.sync_updates_per_message_max,
        ] {
            if !(1..=UPDATES_PER_MESSAGE_LIMIT).contains(&u) {
                return Err(SwimConfigError::UpdatesPerMessage(u));
            }
        }
        for q in [self.broadcasts_max, self.suspects_max, self.relays_max] {
            if !(1..=QUEUE_LIMIT).contains(&q) {
                return Err(SwimConfigError::Queue(q));
            }
        }
        if !(1..=INCARNATION_LIMIT).contains(&self.incarnation_jump_max) {
            return Err(SwimConfigError::IncarnationJumpMax(
                self.incarnation_jump_max,
            ));
        }
        Ok(())
    }

    /// The most events one input can make a SWIM node emit: one per update of the largest
    /// message, plus the node's own refutation, plus every suspicion expiring in one tick and
    /// the end of a probe.
    pub fn events_per_input_max(&self) -> u64 {
        let per_message = self
            .sync_updates_per_message_max
            .max(self.piggyback_updates_max);
        u64::from(per_message) + u64::from(self.suspects_max) + 2
    }

    /// The push-pull interval for a view of `n` members (memberlist's `pushPullScale`): for
    /// `n > 32`, `interval * (ceil(log2 n - log2 32) + 1)`.
    pub fn push_pull_ticks(&self, n: u32) -> u64 {
        let base = u64::from(self.push_pull_interval_ticks);
        if n <= 32 {
            return base;
        }
        let mult = libm::ceil(libm::log2(f64::from(n)) - 5.0) as u64 + 1;
        base * mult
    }
}
