//! SWIM's analysis: what its failure detector should measure, to set the simulations against.
//!
//! Sources: Das, Gupta and Motivala, "SWIM: Scalable Weakly-consistent Infection-style Process
//! Group Membership Protocol", DSN 2002 (§3.1 detection time, §4.3 round-robin probing);
//! Dadgar, Phillips and Currey, "Lifeguard: Local Health Awareness for More Accurate Failure
//! Detection", 2018, as hashicorp/memberlist implements it (`suspicion.go`, `util.go`). Pure
//! arithmetic through `libm`, so the crate stays `no_std`. Time is counted in protocol periods
//! `T`; a function that takes ticks says so.
//!
//! # First detection with uniform probing (SWIM §3.1)
//! A group of `N` members; one crashes at the start of a period, so `N - 1` live members
//! remain. Each period every live member probes one member drawn uniformly from the `N - 1`
//! others (its own view still holds the crashed one). A given live member picks the crashed
//! member with probability `1/(N - 1)`, independently of the others and of earlier periods, so
//! some live member picks it in a period with probability
//!
//! ```text
//! p(N) = 1 - (1 - 1/(N - 1))^(N - 1)            (p(2) = 1; p(N) -> 1 - 1/e as N -> inf)
//! ```
//!
//! and the crash is detected at the end of that period (the probe, its timeout and the
//! ping-reqs all fit in one period). The number `D` of periods up to and including the period
//! of first detection is geometric on `{1, 2, ...}`: `P(D = d) = (1 - p)^(d - 1) p`, hence
//!
//! ```text
//! E[D] = 1/p,   Var[D] = (1 - p)/p^2,   P(D <= d) = 1 - (1 - p)^d,
//! ```
//!
//! and `E[D] -> 1/(1 - 1/e) = e/(e - 1) ~ 1.582` periods for large `N` (the paper's figure).
//! At `N = 10, 100, 1000`: `E[D] = 1.5301, 1.5773, 1.5815`.
//!
//! # Round-robin probing (SWIM §4.3)
//! Each member walks its list of the other members in order and shuffles it at each wrap. With
//! a fixed membership of `M = N - 1` targets, a target probed first in one pass and last in the
//! next is probed again after `(M - 1) + M = 2M - 1 = 2N - 3` periods, the longest possible
//! gap; the paper states the bound as `2N - 1` periods, which also holds while members join (a
//! new member is inserted at a random position, lengthening a pass by one).
//!
//! *Expected first detection under randomized round-robin* (derived here, not in the paper).
//! Let `t` be how many periods of its current pass a live member has completed when the crash
//! happens (`0 <= t < M`), `i` the crashed member's position in the current pass and `j` its
//! position in the next (both uniform on `1..=M`, independent: the lists are shuffled
//! independently). The member's next probe of the crashed member is `R` periods later:
//! `R = i - t` if `i > t`, else `R = (M - t) + j`. So, for `r >= 1`,
//!
//! ```text
//! P(R >= r | t) = (M - r + 1)/M                      for r <= M - t,
//!               = (t/M) (2M - t - r + 1)/M           for M - t < r <= 2M - t.
//! ```
//!
//! Given the phases, the `N - 1` members are independent, and first detection is the smallest
//! of their `R`s: `E[D | phases] = sum_{r >= 1} prod_k P(R_k >= r | t_k)`. Two cases:
//! * *in phase* (every member started its passes at the same period, as in a simulation where
//!   all nodes start together with equal lists): all `t_k = t`, so
//!   `E[D | t] = sum_r P(R >= r | t)^(N - 1)` ([`round_robin_first_detection_mean_in_phase`]);
//!   at `t = 0` `R` is uniform on `1..=M` and `E[D | 0] = sum_{r=1}^{M} ((M - r + 1)/M)^M`;
//! * *independent phases* (each `t_k` uniform and independent, the stationary state of members
//!   that started at different times): `P(R >= r) = (1/M) sum_t P(R >= r | t)` and
//!   `E[D] = sum_r P(R >= r)^(N - 1)` ([`round_robin_first_detection_mean`]).
//!
//! In both, `P(R >= r) ~ 1 - (r - 1)/M` for `r << M`, so `P(R >= r)^(N - 1) -> e^-(r - 1)` and
//! `E[D] -> sum_r e^-(r - 1) = e/(e - 1)`, the same limit as uniform probing; round-robin
//! changes the tail (at most `2N - 1` periods), not the mean for large `N`. At `N = 10, 100,
//! 1000`: 1.4879, 1.5721, 1.5810 periods with independent phases, 1.4824, 1.5720, 1.5810 in
//! phase 0, a little below uniform probing's 1.5301, 1.5773, 1.5815 (a member cannot probe
//! the same target twice in a pass). The unit tests check both sums against a direct
//! simulation of shuffled passes (at `N = 10` the gap to uniform probing is about 10 standard
//! errors of that simulation).
//!
//! # False failures under message loss (basic SWIM)
//! One probe of a live member by a requester, with `k` indirect probes, each message lost
//! independently with probability `q`. Assumptions, stated exactly so an implementation can be
//! held to them:
//! 1. every message that is not lost arrives before any timeout that waits for it (latency below
//!    the probe timeout, and the indirect round trip within the period), so a lost message is the
//!    only way an ack fails to count; an ack that is not lost is never late;
//! 2. the direct probe is one ping and one ack; ping-reqs are sent only if its ack did not come;
//! 3. the `k` helpers are distinct, live, not slow, and not the requester or the target; each
//!    path requester -> helper -> target -> helper -> requester (ping-req, ping, ack, relayed
//!    ack) is four messages, and the paths share no message;
//! 4. no nack, no retransmission, no other route (memberlist's TCP fallback ping is off);
//! 5. the probe fails ("false failure": suspect with suspicion, dead in basic SWIM) exactly when
//!    no ack reaches the requester by the end of the period.
//!
//! The implementation (`node::membership::swim`) matches them with the simulator's defaults
//! (1 tick a hop, probe timeout 2 ticks, period 8): the direct ack arrives at tick 2, before
//! the timeout is checked in that tick; the indirect round trip ends at tick 6; the probe is
//! judged at tick 7, the period's last, so the judgement falls in the period it judges. A direct
//! ack that comes after the timeout still counts until then (as in memberlist), which the
//! assumptions make moot. Helpers are drawn from the requester's own view (members it holds
//! alive or suspect), so assumption 3 holds when no member has crashed, the setting of the
//! false-failure test (`core/tests/literature_swim.rs`).
//!
//! The direct probe fails with `1 - (1 - q)^2`; each path succeeds with `(1 - q)^4`; the paths
//! are independent of each other and of the direct probe, so
//!
//! ```text
//! P_false(q, k) = (1 - (1 - q)^2) (1 - (1 - q)^4)^k.
//! ```
//!
//! At `q = 0.05`: `k = 0`: 0.0975; `k = 1`: 0.018086; `k = 3`: 0.00062229.
//!
//! # Lifeguard's suspicion timeout and memberlist's retransmit limit
//! memberlist's `suspicionTimeout` and `remainingSuspicionTime`: with `alpha` its
//! `SuspicionMult` (4 on a LAN), `beta` its `SuspicionMaxTimeoutMult` (6) and `n` the members
//! it knows, `min = alpha * max(1, log10 n) * T`, `max = beta * min`, and after `c` independent
//! confirmations of `k` expected (`SuspicionMult - 2`, or 0 if fewer members than that could
//! confirm) the timeout is `max(min, max - (max - min) ln(c + 1)/ln(k + 1))`, and `min` at once
//! when `k = 0`. memberlist floors the result to whole milliseconds; the tick versions here
//! floor to whole ticks. Each gossip update is sent at most `lambda * ceil(log10(n + 1))` times
//! (`RetransmitMult`, 4 by default).
//!
//! # Full detection with suspicion: a floor (derived here)
//! The paper gives no distribution for the time until every live member holds a crashed member
//! dead, and none is derived here: it is the first detection, then the suspicion timeout, then
//! the spread of the death by piggybacking, and the last two depend on confirmations and on
//! who probes whom. What holds in every run is a floor. With suspicion, a member is declared
//! dead only when a suspicion timer runs out, and no timer runs shorter than Lifeguard's
//! smallest timeout `min` ticks (`min = floor(alpha * max(1, log10 n) * T)`, `n` the members the
//! accuser holds live, itself included: `N` for a group's first crash); the first timer starts
//! when the first live member suspects it, in the period of first detection. Counting periods
//! from the crash's (at the start of period 1) and ticks within them from 0, first detection
//! `f` puts that start at tick `>= (f - 1) T`, so the first "dead" is at tick `>= (f - 1) T +
//! min`; full detection `F` counts the periods until one that ends (at its last tick, `F T - 1`)
//! with the member dead everywhere, so `F T - 1 >= (f - 1) T + min`, and
//!
//! ```text
//! F >= f + ceil((min + 1)/T) - 1 =: f + W,     hence E[F] >= E[f] + W.
//! ```
//!
//! ([`full_detection_wait_periods_min`] is `W`.) Dynamic suspicion starts timers at up to
//! `beta * min`, and the death must still spread, so full detection is usually well above the
//! floor; without dynamic suspicion (and with prompt confirmations) it comes within a few
//! periods of it. Basic SWIM (no suspicion) declares the death at first detection: `W = 0`.
//!
//! # Messages per member per period
//! Without loss each live member sends one ping per period and answers every ping it receives
//! with one ack; the `N - 1` pings of a period land on `N - 1` members, one per member on
//! average, so a member sends 2 messages per period on average, independently of `N` (ping-reqs,
//! and the pings and acks they cause, only follow a missed ack). With uniform probing the acks a
//! member sends in a period are `Binomial(N - 1, 1/(N - 1))`: mean 1, variance
//! `1 - 1/(N - 1)`.

/// `p(N)`: the probability that some live member probes a member that crashed at the start of
/// the period, under uniform probing (module docs). 0 when `n < 2` (nobody is left to probe).
pub fn uniform_detection_per_period(n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let others = (n - 1) as f64;
    1.0 - libm::pow(1.0 - 1.0 / others, others)
}

/// Mean periods to first detection under uniform probing, `1/p(N)`, the detecting period
/// counted (so at least 1); infinite when `n < 2`. Tends to `e/(e - 1)` (SWIM §3.1).
pub fn uniform_first_detection_mean(n: u64) -> f64 {
    1.0 / uniform_detection_per_period(n)
}

/// Variance of the periods to first detection under uniform probing, `(1 - p)/p^2`.
pub fn uniform_first_detection_variance(n: u64) -> f64 {
    let p = uniform_detection_per_period(n);
    (1.0 - p) / (p * p)
}

/// `P(D <= periods)`: the probability that a crash is first detected within `periods` periods
/// under uniform probing, `1 - (1 - p)^periods`.
pub fn uniform_first_detection_cdf(n: u64, periods: u64) -> f64 {
    let p = uniform_detection_per_period(n);
    1.0 - libm::pow(1.0 - p, periods as f64)
}

/// The `q`-quantile of the periods to first detection under uniform probing: the smallest `d`
/// with `P(D <= d) >= q` (so the p95 is `..._quantile(n, 0.95)`). `u64::MAX` when `n < 2` or
/// `q >= 1`; 1 when `q <= 0` or detection is certain in the first period.
pub fn uniform_first_detection_quantile(n: u64, q: f64) -> u64 {
    let p = uniform_detection_per_period(n);
    if p <= 0.0 || q >= 1.0 || q.is_nan() {
        return u64::MAX;
    }
    if q <= 0.0 || p >= 1.0 {
        return 1;
    }
    // Smallest d with 1 - (1 - p)^d >= q, i.e. d >= ln(1 - q) / ln(1 - p); the loop corrects
    // a ceiling that rounding put one off.
    let mut d = libm::ceil(libm::log(1.0 - q) / libm::log(1.0 - p)).max(1.0) as u64;
    while d > 1 && uniform_first_detection_cdf(n, d - 1) >= q {
        d -= 1;
    }
    while uniform_first_detection_cdf(n, d) < q {
        d += 1;
    }
    d
}

/// The paper's bound on the periods between two probes of one target by one member under
/// round-robin probing, `2N - 1` (SWIM §4.3).
pub fn round_robin_probe_gap_periods_max(n: u64) -> u64 {
    (2 * n).saturating_sub(1)
}

/// The longest gap a fixed membership of `n` can produce, `2(N - 1) - 1 = 2N - 3` (first in
/// one pass, last in the next; module docs); 0 below 2 members.
pub fn round_robin_probe_gap_periods_fixed_max(n: u64) -> u64 {
    if n < 2 {
        0
    } else {
        2 * n - 3
    }
}

/// `P(R >= r | t)`: the probability that a member that has completed `t` periods of its
/// current pass over `m = N - 1` targets probes a given target no sooner than `r` periods from
/// now (module docs). `t` is taken modulo `m`.
pub fn round_robin_next_probe_survival(m: u64, t: u64, r: u64) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let (m, t, r) = (m as f64, (t % m) as f64, r as f64);
    if r <= 1.0 {
        1.0
    } else if r <= m - t {
        (m - r + 1.0) / m
    } else if r <= 2.0 * m - t {
        (t / m) * (2.0 * m - t - r + 1.0) / m
    } else {
        0.0
    }
}

/// Mean periods to first detection under randomized round-robin with every live member in
/// phase `t` (all passes started together, `t` periods ago); module docs. Infinite below 2
/// members.
pub fn round_robin_first_detection_mean_in_phase(n: u64, t: u64) -> f64 {
    if n < 2 {
        return f64::INFINITY;
    }
    let m = n - 1;
    let mut sum = 0.0;
    for r in 1..=2 * m {
        sum += libm::pow(round_robin_next_probe_survival(m, t, r), m as f64);
    }
    sum
}

/// Mean periods to first detection under randomized round-robin with independent, uniformly
/// distributed phases (the stationary case); module docs. Costs `O(N^2)` arithmetic; infinite
/// below 2 members.
pub fn round_robin_first_detection_mean(n: u64) -> f64 {
    if n < 2 {
        return f64::INFINITY;
    }
    let m = n - 1;
    let mut sum = 0.0;
    for r in 1..=2 * m {
        let survival: f64 = (0..m)
            .map(|t| round_robin_next_probe_survival(m, t, r))
            .sum::<f64>()
            / m as f64;
        sum += libm::pow(survival, m as f64);
    }
    sum
}

/// The probability that one probe of a live member ends in a false failure in basic SWIM,
/// `(1 - (1 - q)^2) (1 - (1 - q)^4)^k`, under the assumptions of the module docs.
pub fn false_failure_per_probe(loss: f64, indirect: u32) -> f64 {
    let ok = 1.0 - loss;
    let direct = 1.0 - ok * ok;
    let path = ok * ok * ok * ok;
    direct * libm::pow(1.0 - path, f64::from(indirect))
}

/// Lifeguard's smallest suspicion timeout, `alpha * max(1, log10 n) * period` (memberlist's
/// `suspicionTimeout`), in the unit of `period`.
pub fn suspicion_timeout_min(alpha: f64, n: u64, period: f64) -> f64 {
    let scale = libm::log10((n as f64).max(1.0)).max(1.0);
    alpha * scale * period
}

/// Lifeguard's suspicion timeout after `confirmations` of `expected` independent
/// confirmations: `max(min, max - (max - min) ln(c + 1)/ln(k + 1))`, and `min` when
/// `expected == 0` (memberlist's `remainingSuspicionTime`, before subtracting the time
/// elapsed).
pub fn suspicion_timeout(min: f64, max: f64, confirmations: u32, expected: u32) -> f64 {
    if expected == 0 {
        return min;
    }
    let frac = libm::log(f64::from(confirmations) + 1.0) / libm::log(f64::from(expected) + 1.0);
    (max - (max - min) * frac).max(min)
}

/// [`suspicion_timeout`] in whole ticks, floored as memberlist floors to milliseconds, and
/// never below `min_ticks`.
pub fn suspicion_timeout_ticks(
    min_ticks: u64,
    max_ticks: u64,
    confirmations: u32,
    expected: u32,
) -> u64 {
    let raw = suspicion_timeout(min_ticks as f64, max_ticks as f64, confirmations, expected);
    (libm::floor(raw) as u64).max(min_ticks)
}

/// `W`, the fewest periods between a crash's first detection and its full detection with
/// suspicion, whose smallest timeout is `min_timeout_ticks` in periods of `period_ticks`:
/// `ceil((min + 1)/T) - 1` (module docs); 0 without suspicion (pass `None`) or for a zero
/// period.
pub fn full_detection_wait_periods_min(min_timeout_ticks: Option<u64>, period_ticks: u32) -> u64 {
    match min_timeout_ticks {
        Some(min) if period_ticks > 0 => (min + 1).div_ceil(u64::from(period_ticks)) - 1,
        _ => 0,
    }
}

/// memberlist's `retransmitLimit`: each update is sent at most `lambda * ceil(log10(n + 1))`
/// times.
pub fn retransmit_limit(lambda: u32, n: u64) -> u32 {
    let scale = libm::ceil(libm::log10(n as f64 + 1.0)) as u32;
    lambda.saturating_mul(scale)
}

/// Expected messages a live member sends per period without loss: one ping and, on average,
/// one ack (module docs); independent of the group's size.
pub const MESSAGES_PER_MEMBER_PER_PERIOD: f64 = 2.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use alloc::vec::Vec;

    #[test]
    fn full_detection_waits_at_least_the_smallest_suspicion_timeout_in_whole_periods() {
        // n = 32, alpha = 4, T = 8: min = floor(4 * 1.505 * 8) = 48 ticks; a suspicion that
        // starts at the first tick of period f (the earliest) ends at the first tick of period
        // f + 6, so the member is dead everywhere at the end of period f + 6 at the soonest.
        assert_eq!(full_detection_wait_periods_min(Some(48), 8), 6);
        assert_eq!(full_detection_wait_periods_min(Some(47), 8), 5);
        assert_eq!(full_detection_wait_periods_min(Some(7), 8), 0);
        assert_eq!(full_detection_wait_periods_min(Some(8), 8), 1);
        assert_eq!(full_detection_wait_periods_min(None, 8), 0);
        assert_eq!(full_detection_wait_periods_min(Some(8), 0), 0);
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn uniform_detection_tends_to_e_over_e_minus_one_periods() {
        let e = core::f64::consts::E;
        assert_eq!(uniform_first_detection_mean(2), 1.0);
        assert!(close(uniform_first_detection_mean(3), 4.0 / 3.0, 1e-12));
        for (n, want) in [(10, 1.530080), (100, 1.577321), (1000, 1.581516)] {
            assert!(
                close(uniform_first_detection_mean(n), want, 1e-6),
                "n = {n}"
            );
        }
        assert!(close(
            uniform_first_detection_mean(1 << 40),
            e / (e - 1.0),
            1e-6
        ));
        assert_eq!(uniform_first_detection_mean(1), f64::INFINITY);
        assert_eq!(uniform_first_detection_variance(2), 0.0);
        assert!(close(uniform_first_detection_variance(3), 4.0 / 9.0, 1e-12));
    }

    #[test]
    fn the_detection_distribution_is_geometric_and_its_quantiles_invert_it() {
        let n = 100;
        let p = uniform_detection_per_period(n);
        assert!(close(uniform_first_detection_cdf(n, 1), p, 1e-15));
        assert!(close(
            uniform_first_detection_cdf(n, 2),
            1.0 - (1.0 - p) * (1.0 - p),
            1e-15
        ));
        // p = 0.634: P(D <= 2) = 0.866, P(D <= 3) = 0.951, so the p95 is 3 periods.
        assert_eq!(uniform_first_detection_quantile(n, 0.95), 3);
        assert_eq!(uniform_first_detection_quantile(n, 0.5), 1);
        assert_eq!(uniform_first_detection_quantile(2, 0.99), 1);
        assert_eq!(uniform_first_detection_quantile(1, 0.5), u64::MAX);
        for q in [0.1, 0.5, 0.9, 0.95, 0.999] {
            let d = uniform_first_detection_quantile(1000, q);
            assert!(uniform_first_detection_cdf(1000, d) >= q);
            assert!(d == 1 || uniform_first_detection_cdf(1000, d - 1) < q);
        }
    }

    // The detection period of a crash by uniform probing, simulated directly: n - 1 members
    // each pick one of their n - 1 others a period, until one picks the crashed member.
    fn simulated_uniform(n: u32, rng: &mut Rng) -> u64 {
        let mut d = 1;
        loop {
            if (0..n - 1).any(|_| rng.below(n - 1) == 0) {
                return d;
            }
            d += 1;
        }
    }

    #[test]
    fn a_direct_simulation_of_uniform_probing_matches_the_mean_within_four_standard_errors() {
        // SWIM §3.1: E[D] = 1/p(N), e/(e-1) ~ 1.58 for large N.
        let mut rng = Rng::from_seed(9);
        for n in [10u32, 100] {
            let trials = 20_000;
            let xs: Vec<f64> = (0..trials)
                .map(|_| simulated_uniform(n, &mut rng) as f64)
                .collect();
            let mean = xs.iter().sum::<f64>() / trials as f64;
            let sd = libm::sqrt(uniform_first_detection_variance(n.into()));
            let se = sd / libm::sqrt(trials as f64);
            let want = uniform_first_detection_mean(n.into());
            assert!((mean - want).abs() < 4.0 * se, "n = {n}: {mean} vs {want}");
        }
    }

    // One member's periods until it probes target 0 of `m` targets: `t` periods of a shuffled
    // pass done, then the rest of it, then a freshly shuffled pass.
    fn simulated_round_robin_wait(m: u32, t: u32, rng: &mut Rng) -> u64 {
        let pass = |rng: &mut Rng| -> Vec<u32> {
            let mut v: Vec<u32> = (0..m).collect();
            for i in (1..v.len()).rev() {
                let j = rng.below(i as u32 + 1) as usize;
                v.swap(i, j);
            }
            v
        };
        let now = pass(rng);
        if let Some(i) = now[t as usize..].iter().position(|&x| x == 0) {
            return i as u64 + 1;
        }
        let next = pass(rng);
        let j = next.iter().position(|&x| x == 0).unwrap_or(0);
        u64::from(m - t) + j as u64 + 1
    }

    #[test]
    fn round_robin_detection_sums_match_a_direct_simulation() {
        let mut rng = Rng::from_seed(11);
        let n = 10u32;
        let m = n - 1;
        let trials = 20_000;
        let mut run = |phase: &mut dyn FnMut(&mut Rng) -> u32| -> (f64, f64) {
            let xs: Vec<f64> = (0..trials)
                .map(|_| {
                    (0..m)
                        .map(|_| {
                            let t = phase(&mut rng);
                            simulated_round_robin_wait(m, t, &mut rng)
                        })
                        .min()
                        .unwrap_or(0) as f64
                })
                .collect();
            let mean = xs.iter().sum::<f64>() / trials as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / trials as f64;
            (mean, libm::sqrt(var / trials as f64))
        };
        let (mean, se) = run(&mut |_| 3);
        let want = round_robin_first_detection_mean_in_phase(n.into(), 3);
        assert!((mean - want).abs() < 4.0 * se, "in phase: {mean} vs {want}");
        let (mean, se) = run(&mut |rng: &mut Rng| rng.below(m));
        let want = round_robin_first_detection_mean(n.into());
        assert!(
            (mean - want).abs() < 4.0 * se,
            "independent: {mean} vs {want}"
        );
    }

    #[test]
    fn round_robin_survival_is_a_distribution_bounded_by_the_gap() {
        for m in [1u64, 2, 9, 50] {
            for t in 0..m {
                assert_eq!(round_robin_next_probe_survival(m, t, 1), 1.0);
                // Never later than the longest gap, 2M - 1 periods.
                assert_eq!(round_robin_next_probe_survival(m, t, 2 * m), 0.0);
                for r in 1..2 * m {
                    let (a, b) = (
                        round_robin_next_probe_survival(m, t, r),
                        round_robin_next_probe_survival(m, t, r + 1),
                    );
                    assert!(b <= a + 1e-15 && b >= 0.0, "m = {m}, t = {t}, r = {r}");
                }
            }
        }
        assert_eq!(round_robin_probe_gap_periods_max(10), 19);
        assert_eq!(round_robin_probe_gap_periods_fixed_max(10), 17);
        assert_eq!(round_robin_probe_gap_periods_fixed_max(1), 0);
    }

    #[test]
    fn round_robin_detection_tends_to_the_same_limit_as_uniform() {
        let e = core::f64::consts::E;
        // In phase 0, R is uniform on 1..=M: at N = 2 the one survivor probes at once.
        assert_eq!(round_robin_first_detection_mean_in_phase(2, 0), 1.0);
        let limit = e / (e - 1.0);
        let big = round_robin_first_detection_mean_in_phase(100_000, 0);
        assert!(close(big, limit, 1e-3), "{big}");
        let stationary = round_robin_first_detection_mean(1000);
        assert!(close(stationary, limit, 5e-3), "{stationary}");
        // Below the limit at small N, like uniform probing's finite-N form.
        assert!(round_robin_first_detection_mean(10) < limit);
    }

    #[test]
    fn false_failures_at_five_percent_loss() {
        assert!(close(false_failure_per_probe(0.05, 0), 0.0975, 1e-12));
        assert!(close(
            false_failure_per_probe(0.05, 1),
            0.018085640625,
            1e-12
        ));
        assert!(close(
            false_failure_per_probe(0.05, 3),
            0.000622289480,
            1e-12
        ));
        assert_eq!(false_failure_per_probe(0.0, 3), 0.0);
        assert_eq!(false_failure_per_probe(1.0, 3), 1.0);
    }

    #[test]
    fn the_suspicion_timeout_shrinks_from_max_to_min_with_confirmations() {
        // memberlist's LAN defaults: SuspicionMult 4, SuspicionMaxTimeoutMult 6, interval 1.
        let min = suspicion_timeout_min(4.0, 100, 1.0);
        assert!(close(min, 8.0, 1e-12), "log10 100 = 2");
        assert_eq!(
            suspicion_timeout_min(4.0, 5, 1.0),
            4.0,
            "at least one log10 unit"
        );
        let max = 6.0 * min;
        let k = 4 - 2;
        assert_eq!(suspicion_timeout(min, max, 0, k), max);
        assert!(close(suspicion_timeout(min, max, 2, k), min, 1e-12));
        assert_eq!(suspicion_timeout(min, max, 5, k), min, "never below min");
        // One of two: max - (max - min) ln 2 / ln 3.
        let one = max - (max - min) * libm::log(2.0) / libm::log(3.0);
        assert!(close(suspicion_timeout(min, max, 1, k), one, 1e-12));
        assert_eq!(suspicion_timeout(min, max, 0, 0), min);
        assert_eq!(suspicion_timeout_ticks(32, 192, 1, 2), 91);
        assert_eq!(suspicion_timeout_ticks(32, 192, 9, 2), 32);
    }

    #[test]
    fn the_retransmit_limit_grows_with_the_decimal_digits_of_n() {
        assert_eq!(retransmit_limit(4, 1), 4);
        assert_eq!(retransmit_limit(4, 9), 4);
        assert_eq!(retransmit_limit(4, 10), 8);
        assert_eq!(retransmit_limit(4, 99), 8);
        assert_eq!(retransmit_limit(4, 100), 12);
        assert_eq!(retransmit_limit(4, 1000), 16);
        assert_eq!(MESSAGES_PER_MEMBER_PER_PERIOD, 2.0);
    }
}
