//! Suspicion: how long a suspect member has before this node declares it dead, and the side
//! table of running suspicions.
//!
//! SWIM §4.2: a member whose probe failed is suspect, and dead after a timeout unless an alive
//! with a higher incarnation refutes it. Lifeguard §4.2 (memberlist's `suspicion.go`) makes the
//! timeout dynamic: it starts at `max = β * min` and shrinks towards
//! `min = α * max(1, log10 n) * T` as independent confirmations (suspicions of the same member
//! at the same incarnation from other accusers) arrive:
//! `timeout(c) = max(min, max - (max - min) * ln(c + 1) / ln(k + 1))`, k the confirmations
//! expected (`suspicion_confirmations_k`, 0 when n < k + 2: then the timeout is `min`).
//! Without dynamic suspicion the timeout is `min` throughout.
//!
//! The table is bounded (`suspects_max`) and small; it is scanned per tick for expiries, which
//! is O(suspects), not O(members). Who confirmed is kept inline, up to k.

use alloc::vec::Vec;

use crate::node::membership::swim::config::SUSPICION_CONFIRMATIONS_LIMIT;
use crate::node::NodeId;
use crate::time::Tick;

/// `α * max(1, log10 n) * T`, in ticks, floored (memberlist's `suspicionTimeout`).
pub fn min_timeout_ticks(alpha: u32, n: u32, interval_ticks: u32) -> u64 {
    let scale = libm::log10(f64::from(n.max(1))).max(1.0);
    libm::floor(f64::from(alpha) * scale * f64::from(interval_ticks)) as u64
}

/// Lifeguard's timeout after `c` confirmations of `k` expected, between `min` and `max` ticks.
pub fn timeout_ticks(min: u64, max: u64, k: u32, c: u32) -> u64 {
    if k == 0 || max <= min {
        return min;
    }
    let frac = libm::log(f64::from(c) + 1.0) / libm::log(f64::from(k) + 1.0);
    let raw = max as f64 - frac * (max - min) as f64;
    (libm::floor(raw) as u64).max(min)
}

/// One running suspicion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suspicion {
    /// The suspect.
    pub member: NodeId,
    /// The incarnation it is suspected at.
    pub incarnation: u32,
    /// The tick the suspicion started here.
    pub start: Tick,
    /// The tick it is declared dead unless refuted.
    pub deadline: Tick,
    /// Independent confirmations received (at most `k`).
    pub confirmations: u32,
    /// The timeout's bounds in ticks and the confirmations expected.
    pub min_ticks: u64,
    /// See `min_ticks`.
    pub max_ticks: u64,
    /// See `min_ticks`.
    pub k: u32,
    accusers: [NodeId; SUSPICION_CONFIRMATIONS_LIMIT as usize + 1],
}

impl Suspicion {
    /// Who has accused it so far: the first accuser, then each confirmation.
    pub fn accusers(&self) -> &[NodeId] {
        &self.accusers[..self.confirmations as usize + 1]
    }
}

/// The side table (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suspicions {
    list: Vec<Suspicion>,
    max: usize,
}

impl Suspicions {
    pub(crate) fn new(max: u32) -> Suspicions {
        Suspicions {
            list: Vec::new(),
            max: max as usize,
        }
    }

    pub(crate) fn get(&self, member: NodeId) -> Option<&Suspicion> {
        self.list.iter().find(|s| s.member == member)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Suspicion> + '_ {
        self.list.iter()
    }

    /// Starts a suspicion (replacing one of the same member); false if the table is full.
    pub(crate) fn start(
        &mut self,
        member: NodeId,
        incarnation: u32,
        accuser: NodeId,
        now: Tick,
        bounds: (u64, u64, u32),
    ) -> bool {
        self.remove(member);
        if self.list.len() >= self.max {
            return false;
        }
        let (min_ticks, max_ticks, k) = bounds;
        let mut accusers = [0; SUSPICION_CONFIRMATIONS_LIMIT as usize + 1];
        accusers[0] = accuser;
        let timeout = timeout_ticks(min_ticks, max_ticks, k, 0);
        self.list.push(Suspicion {
            member,
            incarnation,
            start: now,
            deadline: Tick(now.0.saturating_add(timeout)),
            confirmations: 0,
            min_ticks,
            max_ticks,
            k,
            accusers,
        });
        debug_assert!(
            self.list.len() <= self.max,
            "the suspicion table is bounded"
        );
        true
    }

    /// A suspicion of `member` at `incarnation` by `accuser`: counts it if it is a new,
    /// independent one (up to k) and shortens the deadline; returns whether it counted.
    pub(crate) fn confirm(&mut self, member: NodeId, incarnation: u32, accuser: NodeId) -> bool {
        let Some(s) = self.list.iter_mut().find(|s| s.member == member) else {
            return false;
        };
        if s.incarnation != incarnation || s.confirmations >= s.k {
            return false;
        }
        if s.accusers().contains(&accuser) {
            return false;
        }
        s.confirmations += 1;
        s.accusers[s.confirmations as usize] = accuser;
        let timeout = timeout_ticks(s.min_ticks, s.max_ticks, s.k, s.confirmations);
        s.deadline = Tick(s.start.0.saturating_add(timeout));
        true
    }

    pub(crate) fn remove(&mut self, member: NodeId) -> Option<Suspicion> {
        let pos = self.list.iter().position(|s| s.member == member)?;
        Some(self.list.swap_remove(pos))
    }

    /// Removes and returns one suspicion whose deadline is at or before `now` (the earliest).
    pub(crate) fn pop_expired(&mut self, now: Tick) -> Option<Suspicion> {
        let (pos, _) = self
            .list
            .iter()
            .enumerate()
            .filter(|(_, s)| s.deadline <= now)
            .min_by_key(|(_, s)| (s.deadline, s.member))?;
        Some(self.list.swap_remove(pos))
    }

    pub(crate) fn next_deadline(&self) -> Option<Tick> {
        self.list.iter().map(|s| s.deadline).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_is_alpha_log10_n_periods() {
        assert_eq!(min_timeout_ticks(4, 5, 8), 32, "max(1, log10 5) = 1");
        assert_eq!(min_timeout_ticks(4, 100, 8), 64);
        assert_eq!(min_timeout_ticks(4, 1000, 1), 12);
        assert_eq!(min_timeout_ticks(5, 10_000, 10), 200);
    }

    #[test]
    fn lifeguard_timeout_shrinks_from_max_to_min_with_confirmations() {
        // min 10, max 60, k 3: 60 - 50 * ln(c + 1) / ln 4.
        assert_eq!(timeout_ticks(10, 60, 3, 0), 60);
        assert_eq!(timeout_ticks(10, 60, 3, 1), 35, "60 - 50 * 0.5");
        assert_eq!(timeout_ticks(10, 60, 3, 2), 20, "60 - 50 * 0.792 = 20.4");
        assert_eq!(timeout_ticks(10, 60, 3, 3), 10);
        assert_eq!(timeout_ticks(10, 60, 3, 9), 10, "never below min");
        assert_eq!(timeout_ticks(10, 60, 0, 0), 10, "k = 0: min");
    }

    #[test]
    fn confirmations_count_once_per_accuser_and_move_the_deadline() {
        let mut s = Suspicions::new(2);
        assert!(s.start(7, 1, 0, Tick(100), (10, 60, 2)));
        assert_eq!(s.get(7).unwrap().deadline, Tick(160));
        assert!(!s.confirm(7, 1, 0), "the first accuser again");
        assert!(!s.confirm(7, 0, 3), "another incarnation");
        assert!(s.confirm(7, 1, 3));
        assert!(!s.confirm(7, 1, 3));
        assert!(s.confirm(7, 1, 4));
        assert!(!s.confirm(7, 1, 5), "at most k");
        let t = s.get(7).unwrap();
        assert_eq!((t.deadline, t.accusers()), (Tick(110), &[0, 3, 4][..]));
        assert!(s.start(8, 0, 0, Tick(0), (5, 5, 0)));
        assert!(!s.start(9, 0, 0, Tick(0), (5, 5, 0)), "bounded");
        assert_eq!(s.next_deadline(), Some(Tick(5)));
        assert_eq!(s.pop_expired(Tick(4)), None);
        assert_eq!(s.pop_expired(Tick(200)).unwrap().member, 8);
        assert_eq!(s.pop_expired(Tick(200)).unwrap().member, 7);
    }
}
