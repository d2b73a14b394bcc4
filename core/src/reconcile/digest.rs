//! Version-digest reconciliation: versions of everything, then only the newer entries.
//!
//! ```text
//! initiator -> responder   versions (key -> version of every key, ascending keys)
//! responder -> initiator   entries (newer here, or unknown to the initiator)
//!                          versions (keys the initiator holds newer: "send me these")
//!                                                          last if it asks for nothing
//! initiator -> responder   entries (the ones asked for)                              last
//! ```
//! `O(n)` versions and exactly the `d` differing entries: cheaper than full state when values
//! are larger than versions. The digest must list its keys in strictly ascending order, which is
//! what lets the responder find the keys the initiator lacks in one merge-join walk over both
//! key orders; a digest out of order is refused before anything changes.
//!
//! Comparing versions alone assumes what the store assumes of honest nodes: a version names
//! one write, so two replicas never hold different values under one version (the Merkle
//! strategy's leaves exchange versions the same way).

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::wire_entries::{expect_end, put_count, put_entry, put_version, read_list, ListRef};
use super::{Next, ReconcileCounters, ReconcileError, ReconcileLimits, Role, Turn};
use crate::store::{Store, Version};
use crate::wire::Reader;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    // Initiator: digest sent, waiting for the answer. Responder: waiting for the digest.
    First,
    // Responder: asked for entries, waiting for them.
    Asked,
}

/// One side of a digest session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    role: Role,
    phase: Phase,
}

impl Side {
    /// A fresh side.
    pub fn new(role: Role) -> Side {
        Side {
            role,
            phase: Phase::First,
        }
    }

    /// The initiator's digest.
    pub fn start(&mut self, turn: &mut Turn<'_>) -> Result<Next, ReconcileError> {
        let store = turn.replica.store();
        turn.check_items(store.len())?;
        put_count(turn.out, store.len());
        for (k, e) in store.iter() {
            put_version(turn.out, k, e.version());
        }
        turn.counters.versions_sent += store.len() as u64;
        Ok(Next::Send)
    }

    /// Handles the digest, the answer or the asked-for entries, by role and phase.
    pub fn handle(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
        match (self.role, self.phase) {
            (Role::Responder, Phase::First) => self.answer(turn, body),
            (Role::Initiator, Phase::First) => answered(turn, body),
            (Role::Responder, Phase::Asked) => handle_entries(turn, &mut Reader::new(body)),
            (Role::Initiator, Phase::Asked) => Err(ReconcileError::OutOfOrder {
                what: "digest initiator got a message after the answer",
            }),
        }
    }

    // The responder compares the digest with its store in one walk over both key orders.
    fn answer(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
        let limits = turn.codec_limits();
        let mut r = Reader::new(body);
        let digest = read_list(&mut r, false, &limits)?;
        expect_end(&r)?;
        check_ascending(digest)?;
        let store = turn.replica.store();
        let mine = store.iter().map(|(k, e)| (k, e.version()));
        let theirs = digest.iter().map(|t| (t.key, t.version));
        let mut diff = Difference::default();
        diff.walk(mine, theirs);
        let asked = put_answer(turn.out, turn.counters, turn.limits, store, &diff)?;
        if !asked {
            return Ok(Next::SendLast);
        }
        self.phase = Phase::Asked;
        Ok(Next::Send)
    }
}

// The initiator merges the newer entries and sends the ones asked for.
fn answered(turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
    handle_answer(turn, &mut Reader::new(body))
}

/// Reads an answer (entries, then keys asked for) whole, writes the entries asked for into
/// `turn.out` (after what is already there), then merges the entries. `Next::Done` if nothing
/// was asked for.
pub(crate) fn handle_answer(
    turn: &mut Turn<'_>,
    r: &mut Reader<'_>,
) -> Result<Next, ReconcileError> {
    let entries = turn.read_entries(r)?;
    let asked = read_list(r, false, &turn.codec_limits())?;
    expect_end(r)?;
    let store = turn.replica.store();
    let found = asked.iter().filter(|a| store.get(a.key).is_some()).count();
    put_count(turn.out, found);
    for a in asked.iter() {
        if let Some(e) = store.get(a.key) {
            put_entry(turn.out, a.key, e);
        }
    }
    turn.counters.entries_sent += found as u64;
    merge_all(turn, entries);
    Ok(if asked.is_empty() {
        Next::Done
    } else {
        Next::SendLast
    })
}

/// Reads a list of entries whole and merges it.
pub(crate) fn handle_entries(
    turn: &mut Turn<'_>,
    r: &mut Reader<'_>,
) -> Result<Next, ReconcileError> {
    let entries = turn.read_entries(r)?;
    expect_end(r)?;
    merge_all(turn, entries);
    Ok(Next::Done)
}

fn merge_all(turn: &mut Turn<'_>, entries: ListRef<'_>) {
    for e in entries.iter() {
        turn.merge(e.key, e.version, e.value);
    }
}

fn check_ascending(digest: ListRef<'_>) -> Result<(), ReconcileError> {
    let mut prev: Option<&[u8]> = None;
    for item in digest.iter() {
        if prev.is_some_and(|p| p >= item.key) {
            return Err(ReconcileError::OutOfOrder {
                what: "keys are not strictly ascending",
            });
        }
        prev = Some(item.key);
    }
    Ok(())
}

/// What one side finds comparing its `(key, version)` pairs with the peer's.
#[derive(Debug, Default)]
pub(crate) struct Difference<'a> {
    /// Keys newer here or unknown there: their entries are sent.
    pub send: Vec<&'a [u8]>,
    /// Keys newer there or unknown here, with the peer's version: asked for.
    pub ask: Vec<(&'a [u8], Version)>,
    /// Peer's pairs this side held at exactly that version (sent in vain).
    pub same: u64,
}

impl<'a> Difference<'a> {
    /// Walks two strictly ascending sequences of `(key, version)` together.
    pub fn walk(
        &mut self,
        mine: impl Iterator<Item = (&'a [u8], Version)>,
        theirs: impl Iterator<Item = (&'a [u8], Version)>,
    ) {
        let (mut mine, mut theirs) = (mine.peekable(), theirs.peekable());
        loop {
            let order = match (mine.peek(), theirs.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((k, _)), Some((t, _))) => k.cmp(t),
            };
            match order {
                Ordering::Less => self.send.extend(mine.next().map(|(k, _)| k)),
                Ordering::Greater => self.ask.extend(theirs.next()),
                Ordering::Equal => {
                    if let (Some((k, mv)), Some((_, tv))) = (mine.next(), theirs.next()) {
                        match mv.cmp(&tv) {
                            Ordering::Greater => self.send.push(k),
                            Ordering::Less => self.ask.push((k, tv)),
                            Ordering::Equal => self.same += 1,
                        }
                    }
                }
            }
        }
    }
}

/// Writes an answer (the entries to send, then the keys asked for) and counts it; returns
/// whether it asks for anything.
pub(crate) fn put_answer(
    out: &mut Vec<u8>,
    counters: &mut ReconcileCounters,
    limits: &ReconcileLimits,
    store: &Store,
    diff: &Difference<'_>,
) -> Result<bool, ReconcileError> {
    let max = u64::from(limits.items_per_message_max);
    limits.check(
        "items_per_message_max",
        (diff.send.len() + diff.ask.len()) as u64,
        max,
    )?;
    put_count(out, diff.send.len());
    for k in &diff.send {
        if let Some(e) = store.get(k) {
            put_entry(out, k, e);
        }
    }
    put_count(out, diff.ask.len());
    for (k, v) in &diff.ask {
        put_version(out, k, *v);
    }
    counters.entries_sent += diff.send.len() as u64;
    counters.versions_sent += diff.ask.len() as u64;
    counters.versions_unneeded += diff.same;
    Ok(!diff.ask.is_empty())
}
