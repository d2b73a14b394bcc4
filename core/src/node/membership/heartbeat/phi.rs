//! The phi accrual failure detector of one member: a bounded window of heartbeat inter-arrival
//! times, and the suspicion level `phi` they give the silence since the last arrival.
//!
//! Hayashibara, Défago, Yared and Katayama, "The φ Accrual Failure Detector", SRDS 2004:
//! instead of a yes/no verdict the detector outputs `phi(t) = -log10 P_later(t - t_last)`, where
//! `P_later(d)` is the probability, under the distribution of past inter-arrival times, that
//! the next heartbeat comes more than `d` after the last one. `phi = 1` means a 10 % chance that
//! the member is still alive and merely late, `phi = 8` one in 10^8.
//!
//! # Which distribution: the exponential form, as Cassandra uses it
//! The paper fits a normal distribution (Akka's `PhiAccrualFailureDetector` does too, with a
//! minimum standard deviation and an acceptable pause). Cassandra's `FailureDetector`
//! (`ArrivalWindow.phi`, CASSANDRA-2597) assumes exponentially distributed inter-arrival times
//! instead: `P_later(d) = e^(-d / mean)`, hence
//!
//! ```text
//! phi(t) = -log10 e^(-(t - t_last)/mean) = (t - t_last) / mean * log10(e)
//! ```
//!
//! (Cassandra computes `(t - t_last) / mean` and multiplies by `PHI_FACTOR = 1/ln 10 =
//! log10 e` before comparing with `phi_convict_threshold`, default 8). We use the exponential
//! form because heartbeats that travel by gossip do not arrive on a regular clock: a member's
//! counter reaches an observer through a random chain of relays, so the intervals are spread
//! out and skewed, which the normal fit with its small variance turns into false convictions
//! (Cassandra's reason for the change), and because it needs only the mean, kept as a running
//! sum. `phi` grows linearly with silence; a member is convicted when `phi > threshold`, that is
//! after a silence of more than `threshold * mean / log10(e) = threshold * ln(10) * mean`
//! (18.4 mean intervals at threshold 8).
//!
//! # The window
//! At most `window_intervals_max` intervals are kept (Cassandra keeps 1,000), the oldest
//! dropped first; the first heartbeat ever heard records a configured initial interval
//! (Cassandra's `fd_initial_value_ms`, twice the gossip interval: "better to err high"), and an
//! interval longer than `interval_ticks_max` (Cassandra's `fd_max_interval_ms`) is not recorded,
//! so a partition that heals does not inflate the mean for ever. Intervals are in ticks, and the
//! mean used for `phi` is at least one tick, the clock's resolution (several heartbeats may
//! arrive in one tick). Memory: 4 bytes per kept interval, grown only as intervals arrive.

use alloc::collections::VecDeque;

use crate::time::Tick;

/// Upper bound for the window of one member, in intervals.
pub const WINDOW_INTERVALS_LIMIT: u32 = 1 << 12;

/// What happened to one arrival (for the counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// The first arrival: the initial interval was recorded.
    First,
    /// An interval was recorded.
    Recorded,
    /// The interval was longer than `interval_ticks_max` and not recorded.
    TooLong,
}

/// The arrival window of one member, as seen by one observer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArrivalWindow {
    intervals: VecDeque<u32>,
    sum_ticks: u64,
    last: Option<Tick>,
}

impl ArrivalWindow {
    /// Records a heartbeat that arrived at `now`. `window_max` is at least 1.
    pub fn record(
        &mut self,
        now: Tick,
        initial_ticks: u32,
        interval_ticks_max: u32,
        window_max: u32,
    ) -> Arrival {
        let arrival = match self.last {
            None => {
                self.push(initial_ticks, window_max);
                Arrival::First
            }
            Some(last) => {
                let d = now.ticks_since(last);
                if d > u64::from(interval_ticks_max) {
                    Arrival::TooLong
                } else {
                    // At most interval_ticks_max, a u32.
                    self.push(d as u32, window_max);
                    Arrival::Recorded
                }
            }
        };
        self.last = Some(now);
        arrival
    }

    fn push(&mut self, ticks: u32, window_max: u32) {
        while self.intervals.len() >= window_max.max(1) as usize {
            if let Some(old) = self.intervals.pop_front() {
                self.sum_ticks -= u64::from(old);
            }
        }
        self.intervals.push_back(ticks);
        self.sum_ticks += u64::from(ticks);
    }

    /// The tick of the last arrival, if any.
    pub fn last(&self) -> Option<Tick> {
        self.last
    }

    /// Intervals kept.
    pub fn len(&self) -> usize {
        self.intervals.len()
    }

    /// Whether no interval is kept (nothing heard yet).
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// The mean kept interval in ticks, if any.
    pub fn mean_ticks(&self) -> Option<f64> {
        (!self.intervals.is_empty()).then(|| self.sum_ticks as f64 / self.intervals.len() as f64)
    }

    /// `phi` at `now` by the exponential form (module docs); 0 before the first arrival (a
    /// member is judged only once it has been heard) and for `now` before the last arrival.
    pub fn phi(&self, now: Tick) -> f64 {
        let (Some(last), Some(mean)) = (self.last, self.mean_ticks()) else {
            return 0.0;
        };
        now.ticks_since(last) as f64 / mean.max(1.0) * core::f64::consts::LOG10_E
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_grows_linearly_with_silence() {
        let mut w = ArrivalWindow::default();
        assert_eq!(w.phi(Tick(100)), 0.0, "never heard: not judged");
        assert_eq!(w.record(Tick(0), 8, 1000, 16), Arrival::First);
        for t in 1..=15 {
            assert_eq!(w.record(Tick(4 * t), 8, 1000, 16), Arrival::Recorded);
        }
        // Window of 16: the initial 8 and fifteen 4s, mean 68/16 = 4.25 ticks.
        assert_eq!(w.mean_ticks(), Some(4.25));
        let last = 60;
        let phi = |d: u64| w.phi(Tick(last + d));
        assert_eq!(phi(0), 0.0);
        for d in [1, 5, 17, 100] {
            let want = d as f64 / 4.25 * core::f64::consts::LOG10_E;
            assert!((phi(d) - want).abs() < 1e-12);
            assert!(
                (phi(2 * d) - 2.0 * phi(d)).abs() < 1e-12,
                "linear in the silence"
            );
        }
        // One more interval pushes the initial one out of the window.
        w.record(Tick(64), 8, 1000, 16);
        assert_eq!(w.mean_ticks(), Some(4.0));
        assert_eq!(w.len(), 16);
    }

    #[test]
    fn an_interval_above_the_maximum_is_not_recorded_but_restarts_the_silence() {
        let mut w = ArrivalWindow::default();
        w.record(Tick(0), 4, 10, 8);
        w.record(Tick(4), 4, 10, 8);
        assert_eq!(w.record(Tick(100), 4, 10, 8), Arrival::TooLong);
        assert_eq!(w.mean_ticks(), Some(4.0));
        assert_eq!(w.last(), Some(Tick(100)));
        assert_eq!(w.phi(Tick(100)), 0.0);
    }

    #[test]
    fn the_mean_is_at_least_one_tick() {
        let mut w = ArrivalWindow::default();
        w.record(Tick(5), 0, 10, 8);
        w.record(Tick(5), 0, 10, 8);
        assert_eq!(w.mean_ticks(), Some(0.0));
        assert!((w.phi(Tick(6)) - core::f64::consts::LOG10_E).abs() < 1e-12);
    }
}
