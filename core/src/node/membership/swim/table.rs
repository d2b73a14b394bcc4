//! The member table: how this node sees every member, one compact entry per member id.
//!
//! The table is indexed by [`NodeId`], so a view of N members is N entries, and a simulator of
//! N nodes holds N^2 of them (10^8 at N = 10,000): an entry is one `u32`, 4 bytes, so that
//! costs 400 MB. Its bits: the incarnation in the top 28 ([`INCARNATION_LIMIT`]), the state
//! code in the next 3 (0 = never heard of), and whether the member is in the probe list in
//! the lowest. So the entry shifted right by one is the view's key, `(incarnation, state)` as
//! one number in the order "Precedence" gives: a received sync's entries are compared with
//! the held ones in one shift and one compare each (the module `sift`). Per-suspect data
//! (start, confirmations) is in the small side table of [`super::suspicion`].
//!
//! # Precedence
//! An update `(state, incarnation)` replaces the held one when it is newer in the order
//! `(incarnation, rank)` with `Alive < Suspect < Dead < Left`: a higher incarnation always
//! wins (a refutation, a rejoin), and at one incarnation suspicion overrides alive and death
//! overrides suspicion (SWIM §4.2). A total order, so every view converges whatever order the
//! updates arrive in, and no view's incarnation of a member ever decreases.

use alloc::vec::Vec;

use crate::node::NodeId;

/// The largest incarnation a member can have (28 bits; a message carrying more is rejected).
pub const INCARNATION_LIMIT: u32 = (1 << 28) - 1;

/// What a node believes about a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum MemberState {
    /// Answering probes.
    Alive,
    /// A probe failed; dead after the suspicion timeout unless it refutes.
    Suspect,
    /// Declared dead.
    Dead,
    /// Left gracefully.
    Left,
}

impl MemberState {
    /// Its wire code (1 to 4; 0 is "never heard of" in the table).
    #[inline]
    pub fn code(self) -> u8 {
        // The declaration order is the wire order: one add, not a jump table (every update
        // decoded or compared makes a code).
        self as u8 + 1
    }

    /// The state of a wire code.
    pub fn from_code(c: u8) -> Option<MemberState> {
        // A lookup, not a match: every table read decodes a state.
        const STATES: [Option<MemberState>; 8] = [
            None,
            Some(MemberState::Alive),
            Some(MemberState::Suspect),
            Some(MemberState::Dead),
            Some(MemberState::Left),
            None,
            None,
            None,
        ];
        STATES.get(usize::from(c)).copied().flatten()
    }

    /// Whether the member counts as a member to gossip with and to probe (alive or suspect).
    pub fn is_live(self) -> bool {
        matches!(self, MemberState::Alive | MemberState::Suspect)
    }
}

/// One member as this node sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberView {
    /// Its state.
    pub state: MemberState,
    /// Its incarnation.
    pub incarnation: u32,
}

impl MemberView {
    /// Whether `self` replaces `held` (see "Precedence" in the module docs).
    pub fn overrides(self, held: Option<MemberView>) -> bool {
        match held {
            None => true,
            Some(h) => (self.incarnation, self.state) > (h.incarnation, h.state),
        }
    }
}

/// `(incarnation, state)` as one number, ordered as "Precedence" orders views: 28 bits of
/// incarnation above 3 of state code, whose order is the states' (`Alive < Suspect < Dead <
/// Left`); at least 1.
#[inline]
pub(crate) fn key(v: MemberView) -> u64 {
    u64::from(v.incarnation) << 3 | u64::from(v.state.code())
}

const INCARNATION_SHIFT: u32 = 4;
const STATE_SHIFT: u32 = 1;
const STATE_MASK: u32 = 0b111;
const LISTED_BIT: u32 = 1;

// One entry: see the module docs for its bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry(u32);

impl Entry {
    #[inline]
    fn new(code: u8, incarnation: u32, listed: u32) -> Entry {
        Entry(incarnation << INCARNATION_SHIFT | u32::from(code) << STATE_SHIFT | listed)
    }

    /// Its state code (0 = never heard of).
    #[inline]
    pub(crate) fn code(self) -> u8 {
        (self.0 >> STATE_SHIFT & STATE_MASK) as u8
    }

    /// Its incarnation.
    #[inline]
    pub(crate) fn incarnation(self) -> u32 {
        self.0 >> INCARNATION_SHIFT
    }

    /// Its view's [`key`]: 0 if never heard of (such an entry holds no state and no
    /// incarnation; the listed bit is shifted out).
    #[inline]
    pub(crate) fn key(self) -> u32 {
        self.0 >> 1
    }

    fn view(self) -> Option<MemberView> {
        let state = MemberState::from_code(self.code())?;
        Some(MemberView {
            state,
            incarnation: self.incarnation(),
        })
    }
}

/// The table (see the module docs). It also counts the live (alive or suspect) members, so
/// the piggyback limit and the suspicion timeout read n in O(1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    entries: Vec<Entry>,
    live: u32,
}

impl Table {
    /// A table that knows nobody.
    pub fn new() -> Table {
        Table::default()
    }

    /// How this node sees `id`, if it has heard of it.
    pub fn get(&self, id: NodeId) -> Option<MemberView> {
        self.entries.get(id as usize).and_then(|e| e.view())
    }

    /// The incarnation held of `id`, if it has heard of it (from the bits, without the state).
    #[inline]
    pub fn incarnation(&self, id: NodeId) -> Option<u32> {
        let &e = self.entries.get(id as usize)?;
        (e.code() != 0).then_some(e.incarnation())
    }

    /// Members held alive or suspect (this node included).
    pub fn live(&self) -> u32 {
        self.live
    }

    /// One past the largest id heard of.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it knows nobody.
    pub fn is_empty(&self) -> bool {
        self.live == 0 && self.entries.iter().all(|e| e.view().is_none())
    }

    /// Every member heard of, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, MemberView)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.view().map(|v| (i as NodeId, v)))
    }

    /// Sets `id` to `v` (the caller checked precedence); returns the view it replaced. The
    /// table grows to `id + 1` entries (the caller checked `id < members_max`).
    pub(crate) fn set(&mut self, id: NodeId, v: MemberView) -> Option<MemberView> {
        debug_assert!(v.incarnation <= INCARNATION_LIMIT);
        let i = id as usize;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, Entry::default());
        }
        let old = self.entries[i];
        let prev = old.view();
        let was_live = prev.is_some_and(|p| p.state.is_live());
        self.live = self.live - u32::from(was_live) + u32::from(v.state.is_live());
        self.entries[i] = Entry::new(v.state.code(), v.incarnation, old.0 & LISTED_BIT);
        prev
    }

    /// The state code ([`MemberState::code`], 0 = never heard of) and the incarnation of the
    /// entry at `i` (`i < len()`), straight from its bits: what a sync encodes.
    #[inline]
    pub(crate) fn code_at(&self, i: usize) -> (u8, u32) {
        let e = self.entries[i];
        (e.code(), e.incarnation())
    }

    /// The entries, indexed by member id: what a received sync is sifted against.
    #[inline]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether the view held of `id` is at least as new as `v` (so `v` changes nothing; see
    /// "Precedence"), in one compare of keys made from the packed bits.
    #[inline]
    pub(crate) fn holds_at_least(&self, id: NodeId, v: MemberView) -> bool {
        let held = self.key(id);
        held != 0 && held >= key(v)
    }

    /// The [`key`] of the view held of `id`, 0 if it has not heard of it (every view's key
    /// is at least 1), straight from the packed bits.
    #[inline]
    pub(crate) fn key(&self, id: NodeId) -> u64 {
        self.entries
            .get(id as usize)
            .map_or(0, |e| u64::from(e.key()))
    }

    /// Members `0..n` not heard of yet become `v` (the simulator's seeded start), in one pass.
    pub(crate) fn fill(&mut self, n: u32, v: MemberView) {
        let entry = Entry::new(v.state.code(), v.incarnation, 0);
        if self.entries.len() < n as usize {
            self.entries.resize(n as usize, Entry::default());
        }
        let mut filled = 0;
        for e in &mut self.entries[..n as usize] {
            // State code 0: never heard of (one compare; this runs N times per node).
            if e.code() == 0 {
                *e = entry;
                filled += 1;
            }
        }
        if v.state.is_live() {
            self.live += filled;
        }
    }

    /// Appends every live member other than `me` to `list`, in id order, and marks each
    /// listed: the probe list's rebuild, in one pass over the entries.
    pub(crate) fn list_live(&mut self, me: NodeId, list: &mut Vec<NodeId>) {
        list.reserve(self.live as usize);
        let (alive, suspect) = (MemberState::Alive.code(), MemberState::Suspect.code());
        for (i, e) in self.entries.iter_mut().enumerate() {
            // Alive or suspect, from the state bits alone.
            let code = e.code();
            if (code == alive || code == suspect) && i as NodeId != me {
                list.push(i as NodeId);
                e.0 |= LISTED_BIT;
            }
        }
    }

    /// Whether `id` is in the probe list.
    pub(crate) fn listed(&self, id: NodeId) -> bool {
        self.entries
            .get(id as usize)
            .is_some_and(|e| e.0 & LISTED_BIT != 0)
    }

    /// Marks whether `id` is in the probe list (the entry exists).
    pub(crate) fn set_listed(&mut self, id: NodeId, listed: bool) {
        if let Some(e) = self.entries.get_mut(id as usize) {
            e.0 = (e.0 & !LISTED_BIT) | if listed { LISTED_BIT } else { 0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_at_most_16_bytes() {
        assert!(core::mem::size_of::<Entry>() <= 16);
        assert_eq!(
            core::mem::size_of::<Entry>(),
            4,
            "4 bytes: 400 MB for 10^8 entries"
        );
    }

    #[test]
    fn state_codes_are_1_to_4_in_order_and_read_back() {
        use MemberState::*;
        for (state, code) in [(Alive, 1), (Suspect, 2), (Dead, 3), (Left, 4)] {
            assert_eq!(state.code(), code);
            assert_eq!(MemberState::from_code(code), Some(state));
        }
        assert_eq!(MemberState::from_code(0), None);
        assert_eq!(MemberState::from_code(5), None);
    }

    #[test]
    fn precedence_is_incarnation_then_alive_suspect_dead_left() {
        let v = |state, incarnation| MemberView { state, incarnation };
        use MemberState::*;
        assert!(v(Suspect, 1).overrides(Some(v(Alive, 1))));
        assert!(!v(Alive, 1).overrides(Some(v(Suspect, 1))));
        assert!(v(Alive, 2).overrides(Some(v(Suspect, 1))));
        assert!(v(Dead, 1).overrides(Some(v(Suspect, 1))));
        assert!(!v(Suspect, 0).overrides(Some(v(Dead, 0))));
        assert!(v(Alive, 3).overrides(Some(v(Dead, 2))), "a rejoin");
        assert!(!v(Alive, 1).overrides(Some(v(Alive, 1))));
        assert!(v(Alive, 0).overrides(None));
    }

    #[test]
    fn the_table_counts_live_members_and_keeps_the_listed_bit() {
        use MemberState::*;
        let mut t = Table::new();
        let alive = MemberView {
            state: MemberState::Alive,
            incarnation: INCARNATION_LIMIT,
        };
        assert_eq!(t.set(3, alive), None);
        t.set_listed(3, true);
        assert_eq!(t.live(), 1);
        let dead = MemberView {
            state: MemberState::Dead,
            incarnation: 5,
        };
        assert_eq!(t.set(3, dead), Some(alive));
        assert_eq!((t.live(), t.get(3), t.listed(3)), (0, Some(dead), true));
        assert_eq!(t.get(2), None);
        assert_eq!((t.incarnation(3), t.incarnation(2)), (Some(5), None));
        // The packed compare agrees with `overrides`.
        for (state, incarnation) in [(Alive, 4), (Alive, 5), (Suspect, 5), (Dead, 5), (Left, 5)] {
            let v = MemberView { state, incarnation };
            assert_eq!(t.holds_at_least(3, v), !v.overrides(t.get(3)), "{v:?}");
            assert!(!t.holds_at_least(2, v) && !t.holds_at_least(99, v));
        }
        assert_eq!(t.iter().count(), 1);
    }

    proptest::proptest! {
        // The layout's promise: the entry shifted right by one is the view's key, whatever
        // the incarnation (the limit included) and the listed bit, and the bits read back.
        #[test]
        fn an_entrys_shift_is_its_key(code in 1u8..=4, incarnation in 0..=INCARNATION_LIMIT, listed in proptest::bool::ANY) {
            let v = MemberView { state: MemberState::from_code(code).unwrap(), incarnation };
            let mut t = Table::new();
            t.set(7, v);
            t.set_listed(7, listed);
            let e = t.entries()[7];
            proptest::prop_assert_eq!(u64::from(e.key()), key(v));
            proptest::prop_assert_eq!(t.code_at(7), (code, incarnation));
            proptest::prop_assert_eq!((t.get(7), t.listed(7)), (Some(v), listed));
            proptest::prop_assert_eq!(t.entries()[6].key(), 0, "never heard of");
        }
    }
}
