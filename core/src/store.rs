//! Versioned key/value state of one node: `key -> (value or tombstone, version)`.
//!
//! # Versions and merge
//! A [`Version`] is `(counter, origin)` ordered lexicographically: the counter first, then the
//! id of the node that wrote it. Every node orders any two versions the same way, so concurrent
//! writes to one key resolve identically everywhere (last writer wins, with the origin id as the
//! deterministic tie-break). [`Store::merge`] keeps, per key, the larger of `(version, value)`;
//! comparing the value too only matters if two different values ever carry the same version
//! (which honest nodes never produce) and keeps merge a true join: commutative, associative and
//! idempotent on any input *while the store holds fewer than `keys_max` keys* (the laws are
//! property-tested in `tests/properties.rs`). Once `keys_max` is reached merge is no longer
//! commutative: an entry for a new key is refused, so which keys a full store holds depends on
//! the order the keys arrived in. What still holds on any input (also property-tested, at a
//! tiny `keys_max`): a store never holds more than `keys_max` keys; without tombstone collection
//! it holds exactly the first `keys_max` distinct keys offered to it; and for every key it holds
//! its entry is the join of every entry offered for that key, whatever the order.
//!
//! # The counter is a hybrid logical clock
//! A local write takes `counter = max(highest counter seen + 1, now << 16)`. The first term makes
//! it Lamport-ordered: a write beats every version its writer had seen. The second term (the tick
//! in the high bits) is why a node that restarts *empty* still writes versions newer than
//! anything written before its restart: without it a restarted node would start counting at 1
//! and its new writes would silently lose to its own old ones. The assumption is fewer than 2^16
//! causally chained writes per tick, far above anything a simulation does.
//!
//! # Deletes and tombstone garbage collection
//! A delete is a write of a tombstone (no value) with a fresh version, so it wins over older
//! values by the same rule. A tombstone cannot be kept forever (keys would never be freed), but
//! dropping it is dangerous: a node that still holds the old value and never saw the delete
//! would later gossip the value back to nodes that no longer have the tombstone, and the deleted
//! value would be *resurrected*.
//!
//! The rule ([`Store::collect_tombstones`], applied by [`crate::node::Node`] at every gossip
//! tick): a tombstone is dropped once its *write* is at least `tombstone_gc_rounds` gossip
//! intervals old (`tombstone_gc_rounds * gossip_interval_ticks` ticks after the tick in its
//! version; a "round" here is one gossip interval, which the simulator makes equal to its own
//! round when `gossip_interval_ticks == ticks_per_round`),
//! **and** nodes never pass on a tombstone that old (so it cannot come back to a node that
//! dropped it). The age is read from the tick in the version's counter (see above), which every
//! node reads the same, so all holders drop a tombstone at the same tick. Measuring the age from
//! when each node *learned* the tombstone looks equivalent but is not: the first learner drops
//! it, then receives it again from a later learner and relearns it, and in full-state
//! anti-entropy the tombstone bounces between nodes forever. (The shared clock is free in the
//! simulator; a deployment needs loosely synchronised clocks, as Cassandra's
//! `gc_grace_seconds` does.)
//!
//! The assumption that makes dropping safe is that every live node receives the delete within
//! `tombstone_gc_rounds` gossip intervals of the write. Gossip reaches all connected nodes in O(log n)
//! rounds, so it holds unless a node is cut off (partitioned) for longer than that window: such
//! a node still holds the old value and, once the partition heals, gossips it back to nodes that
//! forgot the delete: the value is *resurrected* (`tests/cluster.rs` demonstrates it).
//! `tombstone_gc_rounds` must exceed the longest partition the deployment must tolerate. A node
//! that crashes and restarts empty holds no old value, so crashes alone cannot resurrect
//! anything.
//!
//! # Limits
//! `keys_max` (tombstones count: they occupy memory), `key_bytes_max` and `value_bytes_max`.
//! A local write that would exceed one returns a [`StoreError`] and leaves the store unchanged.
//! A remote entry for a *new* key when the store already holds `keys_max` keys is refused
//! ([`Merged::Refused`]); updates to keys already held are always accepted.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use crate::node::NodeId;
use crate::time::Tick;

/// Upper bound for [`StoreLimits::keys_max`].
pub const KEYS_LIMIT: u32 = 1 << 20;
/// Upper bound for [`StoreLimits::key_bytes_max`].
pub const KEY_BYTES_LIMIT: u32 = 1 << 10;
/// Upper bound for [`StoreLimits::value_bytes_max`].
pub const VALUE_BYTES_LIMIT: u32 = 1 << 16;

/// How many low bits of a version counter belong to the logical part of the hybrid clock.
pub const COUNTER_LOGICAL_BITS: u32 = 16;

/// The version of one write: ordered by `counter`, then by `origin`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Version {
    /// Hybrid logical clock value of the write (see the module docs).
    pub counter: u64,
    /// The node that made the write; breaks ties between equal counters.
    pub origin: NodeId,
}

impl Version {
    /// The tick the write was made at, read from the physical part of the counter. Every node
    /// reads the same tick, which is what tombstone collection relies on. (A write that had to
    /// bump the logical part past 2^16 reads as slightly later, never earlier.)
    pub fn tick(&self) -> Tick {
        Tick(self.counter >> COUNTER_LOGICAL_BITS)
    }

    /// Whether a tombstone of this version is past `age_ticks` at `now` (see the module docs).
    pub fn is_expired(&self, now: Tick, age_ticks: u64) -> bool {
        now.ticks_since(self.tick()) >= age_ticks
    }
}

/// Size limits of a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StoreLimits {
    /// Most keys held at once, tombstones included; 1 to [`KEYS_LIMIT`].
    pub keys_max: u32,
    /// Longest key in bytes; 1 to [`KEY_BYTES_LIMIT`].
    pub key_bytes_max: u32,
    /// Longest value in bytes; 0 to [`VALUE_BYTES_LIMIT`].
    pub value_bytes_max: u32,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            keys_max: 1024,
            key_bytes_max: 64,
            value_bytes_max: 256,
        }
    }
}

/// A write that was refused. The store is unchanged in every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The key is longer than `key_bytes_max`. State unchanged.
    KeyTooLong {
        /// Length of the key in bytes.
        len: usize,
        /// The limit.
        max: u32,
    },
    /// The value is longer than `value_bytes_max`. State unchanged.
    ValueTooLong {
        /// Length of the value in bytes.
        len: usize,
        /// The limit.
        max: u32,
    },
    /// The key is new and the store already holds `keys_max` keys. State unchanged.
    Full {
        /// The limit.
        keys_max: u32,
    },
    /// The next version counter does not fit in 64 bits: either `now` is so late that
    /// `now << COUNTER_LOGICAL_BITS` overflows, or the store has seen a counter of `u64::MAX`
    /// (only a crafted message can carry one; [`crate::node::Node`] rejects versions from the
    /// future before they reach the store). Saturating instead would give two writes the same
    /// version and let replicas diverge. State unchanged.
    CounterExhausted {
        /// The highest counter the store has seen.
        clock: u64,
        /// The tick of the write.
        now: Tick,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::KeyTooLong { len, max } => {
                write!(
                    f,
                    "key is {len} bytes, key_bytes_max is {max}; nothing written"
                )
            }
            StoreError::ValueTooLong { len, max } => {
                write!(
                    f,
                    "value is {len} bytes, value_bytes_max is {max}; nothing written"
                )
            }
            StoreError::Full { keys_max } => {
                write!(f, "store holds keys_max = {keys_max} keys; nothing written")
            }
            StoreError::CounterExhausted { clock, now } => write!(
                f,
                "no version counter left after {clock} at {now}; nothing written"
            ),
        }
    }
}

/// What [`Store::merge`] did with an incoming entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merged {
    /// The entry was newer (or the key unknown) and replaced what was held.
    New,
    /// The store already held exactly this version.
    Known,
    /// The store held a newer version; nothing changed.
    Stale,
    /// The key is new but the store is full; nothing changed.
    Refused,
}

/// One key's state in a store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    value: Option<Vec<u8>>,
    version: Version,
    learned: Tick,
    // First tick at which the node may pass this entry on: the learning tick for its own writes,
    // the tick after for anything received. This is the synchronous-round rule of `node`.
    ready: Tick,
}

impl Entry {
    /// The value, or `None` for a tombstone.
    pub fn value(&self) -> Option<&[u8]> {
        self.value.as_deref()
    }

    /// Whether this entry records a delete.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }

    /// The version of the write this entry holds.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The tick at which this node wrote or received this version.
    pub fn learned(&self) -> Tick {
        self.learned
    }

    /// The first tick at which this node passes the entry on (see [`crate::node`]).
    pub fn ready(&self) -> Tick {
        self.ready
    }

    fn beats(&self, version: Version, value: Option<&[u8]>) -> core::cmp::Ordering {
        (self.version, self.value.as_deref()).cmp(&(version, value))
    }
}

/// The versioned key/value state of one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    entries: BTreeMap<Vec<u8>, Entry>,
    limits: StoreLimits,
    // Highest counter seen in any write or merge, for the Lamport part of the clock.
    clock: u64,
}

impl Store {
    /// An empty store.
    pub fn new(limits: StoreLimits) -> Store {
        Store {
            entries: BTreeMap::new(),
            limits,
            clock: 0,
        }
    }

    /// The limits this store enforces.
    pub fn limits(&self) -> &StoreLimits {
        &self.limits
    }

    /// The entry of `key`, tombstones included.
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The value of `key`; `None` if absent or deleted.
    pub fn value(&self, key: &[u8]) -> Option<&[u8]> {
        self.entries.get(key).and_then(Entry::value)
    }

    /// All entries in key order, tombstones included.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> + '_ {
        self.entries.iter().map(|(k, e)| (k.as_slice(), e))
    }

    /// Number of keys held, tombstones included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the store holds no key at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The highest version counter this store has seen.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// Checks a local write against the limits without changing anything.
    pub fn check_write(&self, key: &[u8], value: Option<&[u8]>) -> Result<(), StoreError> {
        if key.len() > self.limits.key_bytes_max as usize {
            return Err(StoreError::KeyTooLong {
                len: key.len(),
                max: self.limits.key_bytes_max,
            });
        }
        if let Some(v) = value {
            if v.len() > self.limits.value_bytes_max as usize {
                return Err(StoreError::ValueTooLong {
                    len: v.len(),
                    max: self.limits.value_bytes_max,
                });
            }
        }
        if !self.entries.contains_key(key) && self.entries.len() >= self.limits.keys_max as usize {
            return Err(StoreError::Full {
                keys_max: self.limits.keys_max,
            });
        }
        Ok(())
    }

    /// The counter a local write at `now` would take, or why there is none.
    fn next_counter(&self, now: Tick) -> Result<u64, StoreError> {
        let exhausted = StoreError::CounterExhausted {
            clock: self.clock,
            now,
        };
        let physical = now
            .0
            .checked_mul(1 << COUNTER_LOGICAL_BITS)
            .ok_or(exhausted)?;
        let logical = self.clock.checked_add(1).ok_or(exhausted)?;
        Ok(logical.max(physical))
    }

    /// Writes `value` (or a tombstone for `None`) as a new version made by `origin` at `now`,
    /// and returns that version. On error nothing changes.
    ///
    /// Every write gets a counter strictly above every counter the store has seen, so no two
    /// writes of one node ever share a version; when no such counter exists the write fails
    /// with [`StoreError::CounterExhausted`] instead of reusing one.
    pub fn write(
        &mut self,
        now: Tick,
        origin: NodeId,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<Version, StoreError> {
        self.check_write(key, value)?;
        let counter = self.next_counter(now)?;
        self.clock = counter;
        let version = Version { counter, origin };
        let entry = Entry {
            value: value.map(<[u8]>::to_vec),
            version,
            learned: now,
            ready: now,
        };
        self.entries.insert(key.to_vec(), entry);
        Ok(version)
    }

    /// Merges a remote entry received at `now`: keeps the larger `(version, value)`.
    ///
    /// Lengths are not checked here (the decoder enforces them before any entry is merged), nor
    /// is the version's tick: a caller that merges versions from the future makes later local
    /// writes jump ahead (or fail with [`StoreError::CounterExhausted`] near `u64::MAX`) and
    /// delays tombstone collection; [`crate::node::Node`] rejects such messages first.
    pub fn merge(
        &mut self,
        now: Tick,
        key: &[u8],
        version: Version,
        value: Option<&[u8]>,
    ) -> Merged {
        match self.entries.get_mut(key) {
            Some(e) => match e.beats(version, value) {
                core::cmp::Ordering::Equal => Merged::Known,
                core::cmp::Ordering::Greater => Merged::Stale,
                core::cmp::Ordering::Less => {
                    // Reuse the old value's buffer: updates to held keys are the hot path.
                    match (&mut e.value, value) {
                        (Some(old), Some(v)) => {
                            old.clear();
                            old.extend_from_slice(v);
                        }
                        (slot, v) => *slot = v.map(<[u8]>::to_vec),
                    }
                    e.version = version;
                    e.learned = now;
                    e.ready = now.next();
                    self.clock = self.clock.max(version.counter);
                    Merged::New
                }
            },
            None => {
                if self.entries.len() >= self.limits.keys_max as usize {
                    return Merged::Refused;
                }
                self.entries.insert(
                    key.to_vec(),
                    Entry {
                        value: value.map(<[u8]>::to_vec),
                        version,
                        learned: now,
                        ready: now.next(),
                    },
                );
                self.clock = self.clock.max(version.counter);
                Merged::New
            }
        }
    }

    /// Merges every entry of `other` into this store at `now` (a full anti-entropy exchange
    /// with no message in between). Returns how many entries were new here.
    pub fn merge_from(&mut self, now: Tick, other: &Store) -> usize {
        let mut new = 0;
        for (k, e) in other.iter() {
            if self.merge(now, k, e.version, e.value()) == Merged::New {
                new += 1;
            }
        }
        new
    }

    /// Whether both stores hold the same `(key, version, value)` triples, ignoring when each
    /// learned them: the equality the merge laws are stated in.
    pub fn same_content(&self, other: &Store) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((ka, a), (kb, b))| ka == kb && a.version == b.version && a.value == b.value)
    }

    /// Drops every tombstone whose write is at least `age_ticks` ticks old at `now`, calling
    /// `dropped(key, version)` for each (see the module docs for the rule and its hazard).
    /// Returns how many were dropped.
    pub fn collect_tombstones(
        &mut self,
        now: Tick,
        age_ticks: u64,
        mut dropped: impl FnMut(&[u8], Version),
    ) -> usize {
        let before = self.entries.len();
        self.entries.retain(|k, e| {
            let drop = e.value.is_none() && e.version.is_expired(now, age_ticks);
            if drop {
                dropped(k, e.version);
            }
            !drop
        });
        before - self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::new(StoreLimits {
            keys_max: 2,
            key_bytes_max: 4,
            value_bytes_max: 4,
        })
    }

    #[test]
    fn later_counter_wins_and_origin_breaks_ties() {
        let mut s = store();
        let v1 = Version {
            counter: 5,
            origin: 9,
        };
        let v2 = Version {
            counter: 5,
            origin: 10,
        };
        let v3 = Version {
            counter: 6,
            origin: 1,
        };
        assert_eq!(s.merge(Tick(0), b"k", v2, Some(b"b")), Merged::New);
        assert_eq!(s.merge(Tick(0), b"k", v1, Some(b"a")), Merged::Stale);
        assert_eq!(s.merge(Tick(0), b"k", v2, Some(b"b")), Merged::Known);
        assert_eq!(s.merge(Tick(0), b"k", v3, None), Merged::New);
        assert!(s.get(b"k").unwrap().is_tombstone());
    }

    #[test]
    fn a_write_beats_every_version_its_writer_has_seen() {
        let mut s = store();
        let remote = Version {
            counter: 1 << 40,
            origin: 3,
        };
        s.merge(Tick(1), b"k", remote, Some(b"x"));
        let mine = s.write(Tick(2), 1, b"k", Some(b"y")).unwrap();
        assert!(mine > remote);
        assert_eq!(s.value(b"k"), Some(&b"y"[..]));
    }

    #[test]
    fn a_store_restarted_empty_writes_newer_versions_than_before() {
        let mut old = store();
        let before = old.write(Tick(10), 1, b"k", Some(b"a")).unwrap();
        let before2 = old.write(Tick(10), 1, b"k", Some(b"b")).unwrap();
        let mut fresh = store();
        let after = fresh.write(Tick(11), 1, b"k", Some(b"c")).unwrap();
        assert!(after > before2 && before2 > before);
    }

    #[test]
    fn writes_over_limits_are_refused_and_change_nothing() {
        let mut s = store();
        let snapshot = s.clone();
        assert_eq!(
            s.write(Tick(0), 0, b"toolong", Some(b"v")),
            Err(StoreError::KeyTooLong { len: 7, max: 4 })
        );
        assert_eq!(
            s.write(Tick(0), 0, b"k", Some(b"toolong")),
            Err(StoreError::ValueTooLong { len: 7, max: 4 })
        );
        assert_eq!(s, snapshot);
        s.write(Tick(0), 0, b"a", Some(b"1")).unwrap();
        s.write(Tick(0), 0, b"b", None).unwrap();
        let snapshot = s.clone();
        assert_eq!(
            s.write(Tick(0), 0, b"c", Some(b"1")),
            Err(StoreError::Full { keys_max: 2 })
        );
        assert_eq!(s, snapshot);
        // Keys already held can still be overwritten when full.
        assert!(s.write(Tick(0), 0, b"b", Some(b"2")).is_ok());
        assert_eq!(
            s.merge(
                Tick(0),
                b"z",
                Version {
                    counter: 1,
                    origin: 0
                },
                None
            ),
            Merged::Refused
        );
    }

    #[test]
    fn tombstones_are_collected_by_the_age_of_the_write_not_of_the_copy() {
        let mut s = store();
        s.write(Tick(0), 0, b"a", None).unwrap();
        s.write(Tick(5), 0, b"b", Some(b"v")).unwrap();
        // A copy learned much later still expires with the write: every node agrees.
        let mut late = store();
        late.merge(Tick(9), b"a", s.get(b"a").unwrap().version(), None);
        assert_eq!(s.collect_tombstones(Tick(9), 10, |_, _| {}), 0);
        let mut seen = Vec::new();
        assert_eq!(
            s.collect_tombstones(Tick(10), 10, |k, _| seen.push(k.to_vec())),
            1
        );
        assert_eq!(seen, [b"a".to_vec()]);
        assert_eq!(late.collect_tombstones(Tick(10), 10, |_, _| {}), 1);
        assert!(s.get(b"b").is_some(), "values are never collected");
    }

    #[test]
    fn a_write_with_no_counter_left_fails_and_changes_nothing() {
        let mut s = store();
        let max = Version {
            counter: u64::MAX,
            origin: 3,
        };
        s.merge(Tick(1), b"k", max, Some(b"x"));
        let snapshot = s.clone();
        // Saturating would give this write the version `(u64::MAX, 1)`; a second write from
        // node 1 would share it with a different value and replicas would diverge.
        assert_eq!(
            s.write(Tick(2), 1, b"k", Some(b"y")),
            Err(StoreError::CounterExhausted {
                clock: u64::MAX,
                now: Tick(2)
            })
        );
        assert_eq!(s, snapshot);
        // A tick whose physical part overflows fails the same way.
        let mut s = store();
        assert_eq!(
            s.write(Tick(1 << 48), 1, b"k", None),
            Err(StoreError::CounterExhausted {
                clock: 0,
                now: Tick(1 << 48)
            })
        );
        assert!(s.is_empty());
        assert!(s.write(Tick((1 << 48) - 1), 1, b"k", None).is_ok());
    }
}
