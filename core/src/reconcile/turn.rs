//! What a strategy's step is handed: the replica, the time, the limits, its counters, and the
//! output buffer.

use alloc::vec::Vec;

use super::wire_entries::{read_list, ListRef};
use super::{ReconcileCounters, ReconcileError, ReconcileLimits, Replica};
use crate::time::Tick;
use crate::wire::{CodecLimits, Reader};

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
    /// Entries whose version's tick is later than `now` plus this are refused
    /// ([`Turn::read_entries`]); `None` accepts any version.
    pub version_ticks_ahead_max: Option<u32>,
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

    /// Reads and validates a list of entries to merge: its items against
    /// [`Turn::codec_limits`], and every version against `version_ticks_ahead_max`, so that a
    /// peer cannot plant a version from the future through a session (the rule the node
    /// applies to gossip). Every strategy reads the entries it merges through here.
    pub fn read_entries<'b>(&self, r: &mut Reader<'b>) -> Result<ListRef<'b>, ReconcileError> {
        let list = read_list(r, true, &self.codec_limits())?;
        let Some(max) = self.version_ticks_ahead_max else {
            return Ok(list);
        };
        let latest = Tick(self.now.0.saturating_add(u64::from(max)));
        match list.iter().find(|e| e.version.tick() > latest) {
            Some(e) => Err(ReconcileError::VersionAhead {
                tick: e.version.tick(),
                now: self.now,
                max,
            }),
            None => Ok(list),
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
