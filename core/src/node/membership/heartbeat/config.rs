//! How heartbeat gossip is configured: [`HeartbeatConfig`], its limits and their validation.
//! The defaults and the one that differs from Cassandra's are explained in the parent module.

use core::fmt;

use super::codec::HeartbeatLimits;
use super::phi::WINDOW_INTERVALS_LIMIT;
use crate::wire::MESSAGE_BYTES_LIMIT;

/// Upper bound for [`HeartbeatConfig::members_max`] (above the simulator's `NODES_MAX`).
pub const MEMBERS_LIMIT: u32 = 1 << 17;
/// Upper bound for [`HeartbeatConfig::fanout`].
pub const FANOUT_LIMIT: u32 = 16;
/// Upper bound for [`HeartbeatConfig::period_ticks`].
pub const PERIOD_TICKS_LIMIT: u32 = 1 << 16;
/// The smallest [`HeartbeatConfig::message_bytes_max`]: room for the largest header (24
/// bytes) and the largest row (25 bytes), so every message can carry at least one row.
pub const MESSAGE_BYTES_MIN: u32 = 64;

/// How heartbeat gossip is configured. Defaults follow Cassandra where it has one.
///
/// Equality compares `phi_convict_threshold` by its bits, so it is total (a NaN equals
/// itself) and the configuration can sit in [`crate::node::MembershipConfig`], which is `Eq`.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HeartbeatConfig {
    /// Ticks between two heartbeats (and gossip rounds) of a node, 1 to
    /// [`PERIOD_TICKS_LIMIT`]; Cassandra's gossip interval is 1 s.
    pub period_ticks: u32,
    /// Members sent the table each period, 1 to [`FANOUT_LIMIT`] (Cassandra: 1 live member).
    pub fanout: u32,
    /// A member is convicted when its `phi` exceeds this, a finite number above 0
    /// (Cassandra's `phi_convict_threshold`, 8).
    pub phi_convict_threshold: f64,
    /// Most inter-arrival times kept per member, 1 to [`WINDOW_INTERVALS_LIMIT`] (Cassandra
    /// keeps 1,000; 4 bytes each per observer and member).
    pub window_intervals_max: u32,
    /// The interval recorded at a member's first heartbeat, in ticks (Cassandra's
    /// `fd_initial_value_ms`: twice the gossip interval).
    pub initial_interval_ticks: u32,
    /// Longer intervals are not recorded, in ticks, at least 1. Cassandra's
    /// `fd_max_interval_ms` defaults to the initial value (2 periods); the default here is 16
    /// periods, because with the table pushed one way that truncation convicts live members
    /// (see "Defaults" in the module docs).
    pub interval_ticks_max: u32,
    /// Most members in the table (this node included), 1 to [`MEMBERS_LIMIT`]; rows about
    /// further members are ignored and counted.
    pub members_max: u32,
    /// Longest message sent or accepted, [`MESSAGE_BYTES_MIN`] to
    /// [`crate::wire::MESSAGE_BYTES_LIMIT`].
    pub message_bytes_max: u32,
}

impl PartialEq for HeartbeatConfig {
    fn eq(&self, other: &Self) -> bool {
        let key = |c: &HeartbeatConfig| {
            (
                c.period_ticks,
                c.fanout,
                c.phi_convict_threshold.to_bits(),
                c.window_intervals_max,
                c.initial_interval_ticks,
                c.interval_ticks_max,
                c.members_max,
                c.message_bytes_max,
            )
        };
        key(self) == key(other)
    }
}

impl Eq for HeartbeatConfig {}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        let period_ticks = 4;
        HeartbeatConfig {
            period_ticks,
            fanout: 1,
            phi_convict_threshold: 8.0,
            window_intervals_max: 1000,
            initial_interval_ticks: 2 * period_ticks,
            interval_ticks_max: 16 * period_ticks,
            members_max: 1 << 16,
            message_bytes_max: 8192,
        }
    }
}

/// A rejected configuration; nothing was created. Equality compares a threshold by its bits
/// (as [`HeartbeatConfig`]'s does), so it is total and the error can sit in
/// [`crate::node::ConfigError`], which is `Eq`.
#[derive(Clone, Copy, Debug)]
pub enum ConfigError {
    /// `period_ticks` outside `1..=PERIOD_TICKS_LIMIT`.
    PeriodTicks(u32),
    /// `fanout` outside `1..=FANOUT_LIMIT`.
    Fanout(u32),
    /// `phi_convict_threshold` not finite or not above 0.
    PhiConvictThreshold(f64),
    /// `window_intervals_max` outside `1..=WINDOW_INTERVALS_LIMIT`.
    WindowIntervalsMax(u32),
    /// `interval_ticks_max` is 0.
    IntervalTicksMax(u32),
    /// `members_max` outside `1..=MEMBERS_LIMIT`.
    MembersMax(u32),
    /// `message_bytes_max` outside `MESSAGE_BYTES_MIN..=MESSAGE_BYTES_LIMIT`.
    MessageBytesMax(u32),
    /// More initial members than `members_max`.
    TooManyMembers {
        /// Members given (this node included).
        count: usize,
        /// The limit.
        max: u32,
    },
}

impl ConfigError {
    // The variant and its values as integers, for a total equality.
    fn key(&self) -> (u8, u64, u64) {
        match *self {
            ConfigError::PeriodTicks(x) => (0, x.into(), 0),
            ConfigError::Fanout(x) => (1, x.into(), 0),
            ConfigError::PhiConvictThreshold(x) => (2, x.to_bits(), 0),
            ConfigError::WindowIntervalsMax(x) => (3, x.into(), 0),
            ConfigError::IntervalTicksMax(x) => (4, x.into(), 0),
            ConfigError::MembersMax(x) => (5, x.into(), 0),
            ConfigError::MessageBytesMax(x) => (6, x.into(), 0),
            ConfigError::TooManyMembers { count, max } => (7, count as u64, max.into()),
        }
    }
}

impl PartialEq for ConfigError {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for ConfigError {}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::PeriodTicks(x) => {
                write!(f, "period_ticks must be 1 to {PERIOD_TICKS_LIMIT}, got {x}")
            }
            ConfigError::Fanout(x) => write!(f, "fanout must be 1 to {FANOUT_LIMIT}, got {x}"),
            ConfigError::PhiConvictThreshold(x) => {
                write!(
                    f,
                    "phi_convict_threshold must be finite and above 0, got {x}"
                )
            }
            ConfigError::WindowIntervalsMax(x) => write!(
                f,
                "window_intervals_max must be 1 to {WINDOW_INTERVALS_LIMIT}, got {x}"
            ),
            ConfigError::IntervalTicksMax(x) => {
                write!(f, "interval_ticks_max must be at least 1, got {x}")
            }
            ConfigError::MembersMax(x) => {
                write!(f, "members_max must be 1 to {MEMBERS_LIMIT}, got {x}")
            }
            ConfigError::MessageBytesMax(x) => write!(
                f,
                "message_bytes_max must be {MESSAGE_BYTES_MIN} to {MESSAGE_BYTES_LIMIT}, got {x}"
            ),
            ConfigError::TooManyMembers { count, max } => {
                write!(f, "{count} initial members, members_max is {max}")
            }
        }
    }
}

impl HeartbeatConfig {
    /// Checks every limit; the error names the first one that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=PERIOD_TICKS_LIMIT).contains(&self.period_ticks) {
            return Err(ConfigError::PeriodTicks(self.period_ticks));
        }
        if !(1..=FANOUT_LIMIT).contains(&self.fanout) {
            return Err(ConfigError::Fanout(self.fanout));
        }
        let t = self.phi_convict_threshold;
        if !(t.is_finite() && t > 0.0) {
            return Err(ConfigError::PhiConvictThreshold(t));
        }
        if !(1..=WINDOW_INTERVALS_LIMIT).contains(&self.window_intervals_max) {
            return Err(ConfigError::WindowIntervalsMax(self.window_intervals_max));
        }
        if self.interval_ticks_max == 0 {
            return Err(ConfigError::IntervalTicksMax(self.interval_ticks_max));
        }
        if !(1..=MEMBERS_LIMIT).contains(&self.members_max) {
            return Err(ConfigError::MembersMax(self.members_max));
        }
        if !(MESSAGE_BYTES_MIN..=MESSAGE_BYTES_LIMIT).contains(&self.message_bytes_max) {
            return Err(ConfigError::MessageBytesMax(self.message_bytes_max));
        }
        Ok(())
    }

    pub(crate) fn limits(&self) -> HeartbeatLimits {
        HeartbeatLimits {
            message_bytes_max: self.message_bytes_max,
            rows_max: self.members_max,
        }
    }
}
