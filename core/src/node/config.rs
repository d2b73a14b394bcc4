//! A node's configuration and its validation: every limit named, checked once, at creation.
//!
//! [`NodeConfig`] holds what every node shares (fanout, gossip interval, store and message
//! limits, queue bounds, tombstone collection, the clock-skew bound) and the [`Mode`], the
//! dissemination protocol with its own parameters (a rumor's are in [`crate::node::rumor`]).
//! [`NodeConfig::validate`] names the first limit that is wrong ([`ConfigError`]); a node
//! is never created from an invalid configuration, so nothing after creation checks again.

use core::fmt;

use crate::codec;
use crate::node::anti_entropy::{AntiEntropyConfig, AntiEntropyConfigError};
use crate::node::membership::heartbeat;
use crate::node::membership::swim::SwimConfigError;
use crate::node::membership::MembershipConfig;
use crate::node::rumor::{RumorConfig, RUMOR_STOP_K_MAX};
use crate::store::{StoreLimits, KEYS_LIMIT, KEY_BYTES_LIMIT, VALUE_BYTES_LIMIT};
use crate::wire::{self, CodecLimits};

/// The largest fanout a node may use.
pub const FANOUT_MAX: u32 = 16;
/// The longest gossip interval.
pub const GOSSIP_INTERVAL_TICKS_MAX: u32 = 1 << 16;
/// Upper bound for [`NodeConfig::outbox_messages_max`].
pub const OUTBOX_MESSAGES_LIMIT: u32 = 1 << 20;
/// Upper bound for [`NodeConfig::events_max`].
pub const EVENTS_LIMIT: u32 = 1 << 20;
/// Upper bound for [`NodeConfig::version_ticks_ahead_max`].
pub const VERSION_TICKS_AHEAD_LIMIT: u32 = 1 << 20;

/// The direction of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Exchange {
    /// Send what we have.
    Push,
    /// Ask for what the peer has.
    Pull,
    /// Both, in one round trip.
    PushPull,
}

/// The dissemination protocol, as configured. It maps one to one to the strategy a node runs,
/// [`crate::node::dissemination::Dissemination`]: this is the part a permalink and the app
/// name, that is the state the node keeps for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Mode {
    /// Full-state anti-entropy with the given exchange.
    AntiEntropy(Exchange),
    /// Rumor mongering.
    Rumor(RumorConfig),
}

/// Everything a node is configured with. All limits are named and validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NodeConfig {
    /// The dissemination protocol.
    pub mode: Mode,
    /// Distinct peers contacted per gossip interval, 1 to [`FANOUT_MAX`].
    pub fanout: u32,
    /// Ticks between gossip exchanges, 1 to [`GOSSIP_INTERVAL_TICKS_MAX`]; a node gossips at
    /// ticks that are multiples of it. A "round" for this node is one interval.
    pub gossip_interval_ticks: u32,
    /// Store limits (`keys_max`, `key_bytes_max`, `value_bytes_max`).
    pub store: StoreLimits,
    /// Longest message sent or accepted, in bytes; must fit one largest entry.
    pub message_bytes_max: u32,
    /// Most entries per message, 1 to [`codec::ENTRIES_PER_MESSAGE_LIMIT`].
    pub entries_per_message_max: u32,
    /// Most messages waiting in the outbox; further messages are dropped and counted.
    pub outbox_messages_max: u32,
    /// Most events waiting; further events are dropped and counted.
    pub events_max: u32,
    /// Tombstones are collected once their *write* is this many gossip intervals old, that is
    /// `tombstone_gc_rounds * gossip_interval_ticks` ticks after the tick in the tombstone's
    /// version, however late a node learned it (see [`crate::store`]). Here a "round" is one
    /// gossip interval of this node; in the simulator it equals a simulator round when
    /// `gossip_interval_ticks == ticks_per_round` (the default of
    /// [`crate::sim::ClusterConfig::new`]), and not otherwise.
    pub tombstone_gc_rounds: u32,
    /// How far ahead of the receiver's clock, in ticks, the tick of a received version may be,
    /// 0 to [`VERSION_TICKS_AHEAD_LIMIT`]. A message carrying a version whose tick (see
    /// [`crate::store::Version::tick`]) is later than `now + version_ticks_ahead_max` is
    /// rejected whole ([`crate::node::Error::VersionAhead`]): a version from the future would
    /// make every later local write jump ahead (to `u64::MAX`, where writes must fail) and keep
    /// a tombstone from expiring.
    /// In the simulator every node reads one shared clock and a message arrives at least one
    /// tick after it was sent, so honest versions are never ahead and any small value works;
    /// the default (16 ticks) leaves room for a deployment's loosely synchronised clocks.
    pub version_ticks_ahead_max: u32,
    /// Where the members come from: the driver's oracle (the default) or SWIM. Missing from a
    /// serialized configuration, it is the oracle.
    #[cfg_attr(feature = "serde", serde(default))]
    pub membership: MembershipConfig,
    /// Anti-entropy sessions beside the dissemination ([`crate::node::anti_entropy`]); `None`
    /// (the default, and what an older configuration without the field reads as) runs none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub anti_entropy: Option<AntiEntropyConfig>,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            mode: Mode::AntiEntropy(Exchange::Push),
            fanout: 1,
            gossip_interval_ticks: 4,
            store: StoreLimits::default(),
            message_bytes_max: 8192,
            entries_per_message_max: 256,
            outbox_messages_max: 1024,
            events_max: 4096,
            tombstone_gc_rounds: 64,
            version_ticks_ahead_max: 16,
            membership: MembershipConfig::Oracle,
            anti_entropy: None,
        }
    }
}

/// A rejected [`NodeConfig`]; nothing was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `fanout` outside `1..=FANOUT_MAX`.
    Fanout(u32),
    /// `gossip_interval_ticks` outside `1..=GOSSIP_INTERVAL_TICKS_MAX`.
    GossipIntervalTicks(u32),
    /// `store.keys_max` outside `1..=KEYS_LIMIT`.
    KeysMax(u32),
    /// `store.key_bytes_max` outside `1..=KEY_BYTES_LIMIT`.
    KeyBytesMax(u32),
    /// `store.value_bytes_max` above `VALUE_BYTES_LIMIT`.
    ValueBytesMax(u32),
    /// `message_bytes_max` cannot hold one largest entry, or is above the codec's limit.
    MessageBytesMax {
        /// The configured value.
        got: u32,
        /// The smallest that fits one entry of the largest allowed size.
        min: u32,
    },
    /// `entries_per_message_max` outside `1..=ENTRIES_PER_MESSAGE_LIMIT`.
    EntriesPerMessageMax(u32),
    /// `outbox_messages_max` outside `fanout..=OUTBOX_MESSAGES_LIMIT`.
    OutboxMessagesMax(u32),
    /// `events_max` outside `1..=EVENTS_LIMIT`.
    EventsMax(u32),
    /// `tombstone_gc_rounds` is 0 (a tombstone would be dropped before it could spread).
    TombstoneGcRounds(u32),
    /// The rumor stop parameter `k` is outside `1..=RUMOR_STOP_K_MAX`.
    RumorStopK(u32),
    /// `version_ticks_ahead_max` above `VERSION_TICKS_AHEAD_LIMIT`.
    VersionTicksAheadMax(u32),
    /// The SWIM configuration is wrong.
    Swim(SwimConfigError),
    /// The heartbeat gossip configuration is wrong.
    Heartbeat(heartbeat::ConfigError),
    /// The anti-entropy configuration names this field as wrong.
    AntiEntropy(AntiEntropyConfigError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Fanout(x) => write!(f, "fanout must be 1 to {FANOUT_MAX}, got {x}"),
            ConfigError::GossipIntervalTicks(x) => write!(
                f,
                "gossip_interval_ticks must be 1 to {GOSSIP_INTERVAL_TICKS_MAX}, got {x}"
            ),
            ConfigError::KeysMax(x) => write!(f, "keys_max must be 1 to {KEYS_LIMIT}, got {x}"),
            ConfigError::KeyBytesMax(x) => {
                write!(f, "key_bytes_max must be 1 to {KEY_BYTES_LIMIT}, got {x}")
            }
            ConfigError::ValueBytesMax(x) => {
                write!(
                    f,
                    "value_bytes_max must be at most {VALUE_BYTES_LIMIT}, got {x}"
                )
            }
            ConfigError::MessageBytesMax { got, min } => write!(
                f,
                "message_bytes_max must be {min} to {}, got {got}",
                wire::MESSAGE_BYTES_LIMIT
            ),
            ConfigError::EntriesPerMessageMax(x) => write!(
                f,
                "entries_per_message_max must be 1 to {}, got {x}",
                codec::ENTRIES_PER_MESSAGE_LIMIT
            ),
            ConfigError::OutboxMessagesMax(x) => write!(
                f,
                "outbox_messages_max must be fanout to {OUTBOX_MESSAGES_LIMIT}, got {x}"
            ),
            ConfigError::EventsMax(x) => {
                write!(f, "events_max must be 1 to {EVENTS_LIMIT}, got {x}")
            }
            ConfigError::TombstoneGcRounds(x) => {
                write!(f, "tombstone_gc_rounds must be at least 1, got {x}")
            }
            ConfigError::RumorStopK(x) => {
                write!(f, "rumor stop k must be 1 to {RUMOR_STOP_K_MAX}, got {x}")
            }
            ConfigError::VersionTicksAheadMax(x) => write!(
                f,
                "version_ticks_ahead_max must be at most {VERSION_TICKS_AHEAD_LIMIT}, got {x}"
            ),
            ConfigError::Swim(e) => write!(f, "{e}"),
            ConfigError::Heartbeat(e) => write!(f, "heartbeat: {e}"),
            ConfigError::AntiEntropy(e) => write!(f, "anti_entropy: {e}"),
        }
    }
}

impl NodeConfig {
    /// The limits the node's decoder enforces.
    pub fn codec_limits(&self) -> CodecLimits {
        CodecLimits {
            message_bytes_max: self.message_bytes_max,
            entries_per_message_max: self.entries_per_message_max,
            key_bytes_max: self.store.key_bytes_max,
            value_bytes_max: self.store.value_bytes_max,
        }
    }

    /// How old, in ticks, a tombstone's write is when it is collected (and from when it is no
    /// longer sent): `tombstone_gc_rounds` gossip intervals.
    pub fn tombstone_age_ticks(&self) -> u64 {
        u64::from(self.tombstone_gc_rounds) * u64::from(self.gossip_interval_ticks)
    }

    /// Checks every limit; the error names the first one that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=FANOUT_MAX).contains(&self.fanout) {
            return Err(ConfigError::Fanout(self.fanout));
        }
        if !(1..=GOSSIP_INTERVAL_TICKS_MAX).contains(&self.gossip_interval_ticks) {
            return Err(ConfigError::GossipIntervalTicks(self.gossip_interval_ticks));
        }
        if !(1..=KEYS_LIMIT).contains(&self.store.keys_max) {
            return Err(ConfigError::KeysMax(self.store.keys_max));
        }
        if !(1..=KEY_BYTES_LIMIT).contains(&self.store.key_bytes_max) {
            return Err(ConfigError::KeyBytesMax(self.store.key_bytes_max));
        }
        if self.store.value_bytes_max > VALUE_BYTES_LIMIT {
            return Err(ConfigError::ValueBytesMax(self.store.value_bytes_max));
        }
        if !(1..=codec::ENTRIES_PER_MESSAGE_LIMIT).contains(&self.entries_per_message_max) {
            return Err(ConfigError::EntriesPerMessageMax(
                self.entries_per_message_max,
            ));
        }
        let min = (codec::header_len(1) + codec::entry_len_max(&self.codec_limits())) as u32;
        if self.message_bytes_max < min || self.message_bytes_max > wire::MESSAGE_BYTES_LIMIT {
            return Err(ConfigError::MessageBytesMax {
                got: self.message_bytes_max,
                min,
            });
        }
        if !(self.fanout..=OUTBOX_MESSAGES_LIMIT).contains(&self.outbox_messages_max) {
            return Err(ConfigError::OutboxMessagesMax(self.outbox_messages_max));
        }
        if !(1..=EVENTS_LIMIT).contains(&self.events_max) {
            return Err(ConfigError::EventsMax(self.events_max));
        }
        if self.tombstone_gc_rounds == 0 {
            return Err(ConfigError::TombstoneGcRounds(0));
        }
        if let Mode::Rumor(r) = self.mode {
            r.validate()?;
        }
        if self.version_ticks_ahead_max > VERSION_TICKS_AHEAD_LIMIT {
            return Err(ConfigError::VersionTicksAheadMax(
                self.version_ticks_ahead_max,
            ));
        }
        match self.membership {
            MembershipConfig::Oracle => {}
            MembershipConfig::Swim(c) => c.validate().map_err(ConfigError::Swim)?,
            MembershipConfig::Heartbeat(c) => c.validate().map_err(ConfigError::Heartbeat)?,
        }
        if let Some(ae) = &self.anti_entropy {
            ae.validate().map_err(ConfigError::AntiEntropy)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::node::test_support::*;
    use crate::node::*;
    use crate::rng::Rng;

    #[test]
    fn bad_configs_name_the_wrong_limit() {
        let bad = |c: NodeConfig| Node::new(0, c, Rng::from_seed(0)).unwrap_err();
        let d = NodeConfig::default();
        assert_eq!(bad(NodeConfig { fanout: 0, ..d }), ConfigError::Fanout(0));
        assert_eq!(
            bad(NodeConfig {
                message_bytes_max: 10,
                ..d
            }),
            ConfigError::MessageBytesMax { got: 10, min: 341 }
        );
        assert_eq!(
            bad(NodeConfig {
                mode: rumor(Exchange::Push, RumorFeedback::Blind, RumorStop::Coin(0)),
                ..d
            }),
            ConfigError::RumorStopK(0)
        );
        assert_eq!(
            bad(NodeConfig {
                version_ticks_ahead_max: VERSION_TICKS_AHEAD_LIMIT + 1,
                ..d
            }),
            ConfigError::VersionTicksAheadMax(VERSION_TICKS_AHEAD_LIMIT + 1)
        );
    }
}
