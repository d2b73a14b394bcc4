//! The named limits of one reconciliation session.

use super::ReconcileError;

/// Upper bound for [`ReconcileLimits::message_bytes_max`]: a session message is a stream
/// segment, so it may be far larger than a datagram (a digest of 2^20 keys is about 16 MiB).
pub const RECONCILE_MESSAGE_BYTES_LIMIT: u32 = 1 << 28;
/// Upper bound for [`ReconcileLimits::messages_max`].
pub const RECONCILE_MESSAGES_LIMIT: u64 = 1 << 12;
/// The range of [`ReconcileLimits::rateless_growth_percent`].
pub const RATELESS_GROWTH_PERCENT_RANGE: core::ops::RangeInclusive<u32> = 110..=400;

/// Upper bound for [`ReconcileLimits::items_per_message_max`] (twice the store's key limit: a
/// digest answer can carry entries and requests for every key).
pub const ITEMS_PER_MESSAGE_LIMIT: u32 = 2 * crate::store::KEYS_LIMIT;

/// Bounds on one session, checked on every message sent and received; exceeding one abandons
/// the session ([`ReconcileError::LimitExceeded`]) with the replica unchanged by that message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReconcileLimits {
    /// Most messages one side sends (and receives) in a session; 1 to
    /// [`RECONCILE_MESSAGES_LIMIT`]. A Merkle session of depth `L` takes at most `L + 5`
    /// messages in all, so about half of that per side.
    pub messages_max: u64,
    /// Longest message in bytes; 16 to [`RECONCILE_MESSAGE_BYTES_LIMIT`].
    pub message_bytes_max: u32,
    /// Most bytes one side sends (and receives) in a session; at least `message_bytes_max`.
    pub bytes_max: u64,
    /// Most items (entries, versions, hashes, positions) in one message; 1 to
    /// [`ITEMS_PER_MESSAGE_LIMIT`].
    pub items_per_message_max: u32,
    /// Most coded symbols one side accepts in a session (rateless); a stream that has not
    /// peeled by then is abandoned; at least 1.
    pub symbols_max: u64,
    /// How a rateless stream grows while the responder has not decoded: each later batch
    /// brings the symbols sent so far to this percentage of what they were, within
    /// [`RATELESS_GROWTH_PERCENT_RANGE`]. 200 (the default) doubles them: few round trips,
    /// up to twice the symbols decoding needed; 150 sends about a quarter fewer symbols for
    /// d of 100 to 1,000 at 2 to 4 more round trips (see
    /// [`crate::reconcile::rateless::session`], "Batches").
    #[cfg_attr(feature = "serde", serde(default = "rateless_growth_percent_default"))]
    pub rateless_growth_percent: u32,
}

#[cfg(feature = "serde")]
fn rateless_growth_percent_default() -> u32 {
    ReconcileLimits::default().rateless_growth_percent
}

impl Default for ReconcileLimits {
    fn default() -> Self {
        ReconcileLimits {
            messages_max: 64,
            message_bytes_max: 1 << 20,
            bytes_max: 1 << 24,
            items_per_message_max: 1 << 16,
            symbols_max: 1 << 20,
            rateless_growth_percent: 200,
        }
    }
}

impl ReconcileLimits {
    /// Generous limits for two replicas of up to 2^20 keys (the runner's).
    pub fn large() -> ReconcileLimits {
        ReconcileLimits {
            messages_max: 256,
            message_bytes_max: RECONCILE_MESSAGE_BYTES_LIMIT,
            bytes_max: 1 << 32,
            items_per_message_max: ITEMS_PER_MESSAGE_LIMIT,
            symbols_max: 1 << 24,
            ..ReconcileLimits::default()
        }
    }

    /// Checks every limit against its range.
    pub fn validate(&self) -> Result<(), ReconcileError> {
        let bad = |limit| Err(ReconcileError::BadLimits { limit });
        if !(1..=RECONCILE_MESSAGES_LIMIT).contains(&self.messages_max) {
            return bad("messages_max");
        }
        if !(16..=RECONCILE_MESSAGE_BYTES_LIMIT).contains(&self.message_bytes_max) {
            return bad("message_bytes_max");
        }
        if self.bytes_max < u64::from(self.message_bytes_max) {
            return bad("bytes_max");
        }
        if !(1..=ITEMS_PER_MESSAGE_LIMIT).contains(&self.items_per_message_max) {
            return bad("items_per_message_max");
        }
        if self.symbols_max == 0 {
            return bad("symbols_max");
        }
        if !RATELESS_GROWTH_PERCENT_RANGE.contains(&self.rateless_growth_percent) {
            return bad("rateless_growth_percent");
        }
        Ok(())
    }

    /// `Err(LimitExceeded)` if `value` is above `max`.
    pub fn check(&self, limit: &'static str, value: u64, max: u64) -> Result<(), ReconcileError> {
        if value > max {
            return Err(ReconcileError::LimitExceeded { limit, value, max });
        }
        Ok(())
    }
}
