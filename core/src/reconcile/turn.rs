//! What a strategy's step is handed: the replica, the time, the limits, its counters, and the
//! output buffer.

use alloc::vec::Vec;

use super::{ReconcileCounters, ReconcileError, ReconcileLimits, Replica};
use crate::time::Tick;
use crate::wire::CodecLimits;

/// One step's context (see "How a strategy plugs in" in the module docs).
pub struct Turn<'a> {
    /// The replica: read it, merge into it through [`Replica::merge`].
    pub replica: &'a mut Replica,
    /// The time of this step (merged entries are learned at it).
    pub now: Tick,
    /// The session's limits.
    pub limits: &'a ReconcileLimits,
    /// This side's counters: the strategy counts hashes, symbols, versions and entries.
    pub counters: &'a mut ReconcileCounters,
    /// The next message: already holds the strategy byte; append the body.
    pub out: &'a mut Vec<u8>,
}

impl Turn<'_> {
    /// The limits a received list of entries or versions is decoded against: the session's
    /// message and item limits and the store's key and value lengths.
    pub fn codec_limits(&self) -> CodecLimits {
        let store = self.replica.store().limits();
        CodecLimits {
            message_bytes_max: self.limits.message_bytes_max,
            entries_per_message_max: self.limits.items_per_message_max,
            key_bytes_max: store.key_bytes_max,
            value_bytes_max: store.value_bytes_max,
        }
    }

    /// `Err(LimitExceeded)` if a message would carry more than `items_per_message_max` items.
    pub fn check_items(&self, count: usize) -> Result<(), ReconcileError> {
        let max = u64::from(self.limits.items_per_message_max);
        self.limits
            .check("items_per_message_max", count as u64, max)
    }

    /// Merges one received entry and counts what it did.
    pub fn merge(&mut self, key: &[u8], version: crate::store::Version, value: Option<&[u8]>) {
        use crate::store::Merged;
        match self.replica.merge(self.now, key, version, value) {
            Merged::New => self.counters.entries_new += 1,
            Merged::Known | Merged::Stale => self.counters.entries_unneeded += 1,
            Merged::Refused => self.counters.entries_refused += 1,
        }
    }
}
