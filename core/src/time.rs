//! Time as nodes and the simulator see it: [`Tick`]s and [`Round`]s, never wall-clock time.
//!
//! A tick is the unit of the simulated clock: a message takes a whole number of ticks to cross a
//! link, and a node acts only when the driver hands it a tick. A round is `ticks_per_round`
//! ticks; one round is one gossip interval in the simulator, so a latency of one tick is shorter
//! than a round and a request and its reply can both complete inside one round (which is what
//! makes the synchronous-round model of the literature reproducible; see [`crate::node`]).
//!
//! Both types are plain `u64` counters so arithmetic is exact on every platform. Operations
//! saturate instead of overflowing: a run would need 2^64 ticks to reach the end.

use core::fmt;

/// The largest `ticks_per_round` a configuration may choose. Rounds longer than this only slow
/// the simulator down without showing anything new.
pub const TICKS_PER_ROUND_MAX: u32 = 1024;

/// A point on the simulated clock, counted from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tick(pub u64);

/// A round number, counted from 0. Round `r` covers ticks `r * ticks_per_round` up to
/// `(r + 1) * ticks_per_round - 1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Round(pub u64);

impl Tick {
    /// The first tick.
    pub const ZERO: Tick = Tick(0);

    /// The tick `ticks` later (saturating).
    #[inline]
    pub const fn after(self, ticks: u64) -> Tick {
        Tick(self.0.saturating_add(ticks))
    }

    /// The next tick.
    #[inline]
    pub const fn next(self) -> Tick {
        self.after(1)
    }

    /// Ticks elapsed since `earlier`, or 0 if `earlier` is not earlier.
    #[inline]
    pub const fn ticks_since(self, earlier: Tick) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The round this tick belongs to. A `ticks_per_round` of 0 is treated as 1 so the function
    /// is total; configurations reject 0 before it can get here.
    #[inline]
    pub const fn round(self, ticks_per_round: u32) -> Round {
        Round(self.0 / max1(ticks_per_round))
    }

    /// Whether this tick is the first tick of its round.
    #[inline]
    pub const fn is_round_start(self, ticks_per_round: u32) -> bool {
        self.0.is_multiple_of(max1(ticks_per_round))
    }
}

impl Round {
    /// The first round.
    pub const ZERO: Round = Round(0);

    /// The first tick of this round.
    #[inline]
    pub const fn first_tick(self, ticks_per_round: u32) -> Tick {
        Tick(self.0.saturating_mul(max1(ticks_per_round)))
    }

    /// The next round.
    #[inline]
    pub const fn next(self) -> Round {
        Round(self.0.saturating_add(1))
    }
}

const fn max1(x: u32) -> u64 {
    if x == 0 {
        1
    } else {
        x as u64
    }
}

impl fmt::Display for Tick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tick {}", self.0)
    }
}

impl fmt::Display for Round {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "round {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_map_to_rounds_and_back() {
        assert_eq!(Tick(0).round(4), Round(0));
        assert_eq!(Tick(3).round(4), Round(0));
        assert_eq!(Tick(4).round(4), Round(1));
        assert_eq!(Round(3).first_tick(4), Tick(12));
        assert!(Tick(8).is_round_start(4));
        assert!(!Tick(9).is_round_start(4));
    }

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(Tick(u64::MAX).next(), Tick(u64::MAX));
        assert_eq!(Tick(3).ticks_since(Tick(5)), 0);
        assert_eq!(Round(u64::MAX).first_tick(4), Tick(u64::MAX));
    }

    #[test]
    fn zero_ticks_per_round_is_treated_as_one() {
        assert_eq!(Tick(7).round(0), Round(7));
    }
}
