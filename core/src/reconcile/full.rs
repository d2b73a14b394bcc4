//! Full-state reconciliation, the baseline: both sides send every entry they hold.
//!
//! ```text
//! initiator -> responder   entries (every entry of the initiator)
//! responder -> initiator   entries (every entry the responder held before merging)   last
//! ```
//! One round trip and `O(n)` bytes whatever the difference; every entry the receiver already
//! held is counted in its `entries_unneeded`. The responder answers with what it held *before*
//! merging, so nothing the initiator sent comes back to it.

use super::wire_entries::{expect_end, put_count, put_entry};
use super::{Next, ReconcileError, Role, Turn};
use crate::wire::Reader;

/// One side of a full-state session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    role: Role,
}

impl Side {
    /// A fresh side.
    pub fn new(role: Role) -> Side {
        Side { role }
    }

    /// The initiator's message: every entry.
    pub fn start(&mut self, turn: &mut Turn<'_>) -> Result<Next, ReconcileError> {
        put_all(turn)?;
        Ok(Next::Send)
    }

    /// The responder answers with every entry it held and merges; the initiator merges.
    pub fn handle(&mut self, turn: &mut Turn<'_>, body: &[u8]) -> Result<Next, ReconcileError> {
        let mut r = Reader::new(body);
        let list = turn.read_entries(&mut r)?;
        expect_end(&r)?;
        let next = match self.role {
            Role::Responder => {
                put_all(turn)?;
                Next::SendLast
            }
            Role::Initiator => Next::Done,
        };
        for e in list.iter() {
            turn.merge(e.key, e.version, e.value);
        }
        Ok(next)
    }
}

fn put_all(turn: &mut Turn<'_>) -> Result<(), ReconcileError> {
    let store = turn.replica.store();
    turn.check_items(store.len())?;
    put_count(turn.out, store.len());
    for (k, e) in store.iter() {
        put_entry(turn.out, k, e);
    }
    turn.counters.entries_sent += store.len() as u64;
    Ok(())
}
