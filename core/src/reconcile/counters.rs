//! What one side of a reconciliation sent and received: the figures the runner and the app
//! compare strategies by.

use super::AbandonReason;

/// One side's counts for one session. Sent figures count what this side wrote; received
/// entries are sorted by what merging them did, so `entries_unneeded` of a side is what its
/// peer sent in vain (keys that only shared a differing bucket, or that it held newer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReconcileCounters {
    /// Messages this side sent.
    pub messages_sent: u64,
    /// Messages this side received.
    pub messages_received: u64,
    /// Bytes of the messages this side sent, strategy byte included.
    pub bytes_sent: u64,
    /// Bytes of the messages this side received.
    pub bytes_received: u64,
    /// Hashes this side sent: tree hashes (Merkle), or the item ids a rateless responder asks
    /// the initiator for (rateless).
    pub hashes_sent: u64,
    /// Coded symbols this side sent (rateless).
    pub symbols_sent: u64,
    /// `(key, version)` pairs without values this side sent (digests, leaf buckets, requests).
    pub versions_sent: u64,
    /// Received `(key, version)` pairs this side held at exactly that version: sent in vain
    /// (in a Merkle session, keys that only shared a differing bucket).
    pub versions_unneeded: u64,
    /// Entries (key, version, value or tombstone) this side sent.
    pub entries_sent: u64,
    /// Received entries that were new here and were merged.
    pub entries_new: u64,
    /// Received entries this side already held, or held newer: sent in vain.
    pub entries_unneeded: u64,
    /// Received entries for new keys refused because the store was full.
    pub entries_refused: u64,
    /// Why the session was abandoned, if it was.
    pub abandoned: Option<AbandonReason>,
}
