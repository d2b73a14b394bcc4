//! Summaries of a sample of measurements (rounds, messages, residues of many trials), and
//! [`EvenSample`], a bounded, evenly spaced sample of a stream (dropped messages to draw).
//!
//! Percentiles use the **nearest-rank** definition: the `p`-th percentile of `n` sorted values
//! is the value at 1-based rank `ceil(p / 100 * n)` (rank 1 for `p = 0`). It is always one of the
//! observed values, needs no interpolation rule, and is what most load-testing tools report.

use alloc::vec::Vec;

/// Mean, spread and percentiles of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Summary {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (divisor `n - 1`); 0 for fewer than two values.
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)`; 0 for fewer than two values.
    pub se: f64,
    /// Smallest value.
    pub min: f64,
    /// Median, nearest rank.
    pub p50: f64,
    /// 95th percentile, nearest rank.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl Summary {
    /// The summary of `values`, or `None` when it is empty or holds a NaN (neither has a
    /// meaningful mean or order).
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() || values.iter().any(|v| v.is_nan()) {
            return None;
        }
        let n = values.len();
        let mut sorted: Vec<f64> = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / n as f64;
        // Two-pass variance: subtracting the mean first avoids the cancellation of the
        // sum-of-squares formula on values far from 0 (e.g. messages in the millions).
        let sd = if n < 2 {
            0.0
        } else {
            let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
            libm::sqrt(ss / (n - 1) as f64)
        };
        Some(Summary {
            count: n,
            mean,
            sd,
            se: sd / libm::sqrt(n as f64),
            min: sorted[0],
            p50: nearest_rank(&sorted, 50.0),
            p95: nearest_rank(&sorted, 95.0),
            max: sorted[n - 1],
        })
    }
}

/// The `p`-th percentile (`0..=100`) of sorted, non-empty `sorted` by nearest rank.
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let rank = libm::ceil(p / 100.0 * n as f64) as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// A bounded, evenly spaced sample of a stream of items: every `stride`-th item from the first,
/// where `stride` is the smallest power of two that keeps at most `max` of them. It holds every
/// item until there are more than `max`, then keeps every other one and halves its rate, so its
/// memory is bounded and what it keeps stays spread over the whole stream (a prefix would keep
/// only its start, e.g. the first nodes' messages), without drawing any randomness.
#[derive(Clone, Debug, PartialEq)]
pub struct EvenSample<T> {
    items: Vec<T>,
    max: usize,
    seen: u64,
    stride: u64,
}

impl<T> EvenSample<T> {
    /// An empty sample that keeps at most `max` items (at least 1). Nothing is allocated until
    /// the first push.
    pub fn new(max: usize) -> EvenSample<T> {
        EvenSample {
            items: Vec::new(),
            max: max.max(1),
            seen: 0,
            stride: 1,
        }
    }

    /// Offers the next item of the stream.
    pub fn push(&mut self, item: T) {
        if self.seen.is_multiple_of(self.stride) {
            self.items.push(item);
            if self.items.len() > self.max {
                // Keep the items at even positions: those whose index in the stream is a
                // multiple of the doubled stride.
                let mut i = 0usize;
                self.items.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.stride *= 2;
            }
        }
        self.seen += 1;
    }

    /// The items kept, in stream order: those whose index is a multiple of [`Self::stride`].
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many items were offered since the last [`Self::clear`].
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// The spacing of the items kept (1 while every item fits).
    pub fn stride(&self) -> u64 {
        self.stride
    }

    /// Empties the sample for a new stream, keeping its capacity.
    pub fn clear(&mut self) {
        self.items.clear();
        self.seen = 0;
        self.stride = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_one_to_ten_matches_hand_computation() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = Summary::of(&v).unwrap();
        assert_eq!(s.count, 10);
        assert_eq!(s.mean, 5.5);
        // Sample variance of 1..=10 is 55/6.
        assert!((s.sd - libm::sqrt(55.0 / 6.0)).abs() < 1e-12);
        assert!((s.se - s.sd / libm::sqrt(10.0)).abs() < 1e-12);
        // Nearest rank: p50 -> rank ceil(5) = 5, p95 -> rank ceil(9.5) = 10.
        assert_eq!((s.min, s.p50, s.p95, s.max), (1.0, 5.0, 10.0, 10.0));
    }

    #[test]
    fn percentiles_do_not_depend_on_input_order() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.p50, s.max, s.min), (2.0, 3.0, 1.0));
    }

    #[test]
    fn a_single_value_has_no_spread() {
        let s = Summary::of(&[7.0]).unwrap();
        assert_eq!(
            (s.mean, s.sd, s.se, s.p50, s.p95),
            (7.0, 0.0, 0.0, 7.0, 7.0)
        );
    }

    #[test]
    fn empty_or_nan_samples_have_no_summary() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn nearest_rank_extremes_are_min_and_max() {
        let v = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(nearest_rank(&v, 0.0), 10.0);
        assert_eq!(nearest_rank(&v, 100.0), 40.0);
        assert_eq!(nearest_rank(&v, 25.0), 10.0);
        assert_eq!(nearest_rank(&v, 26.0), 20.0);
    }

    #[test]
    fn an_even_sample_keeps_every_stride_th_item_with_the_least_stride_that_fits() {
        for max in [1usize, 2, 7, 10] {
            for n in [0u64, 1, 5, 7, 10, 11, 64, 1000, 3997] {
                let mut s = EvenSample::new(max);
                for x in 0..n {
                    s.push(x);
                }
                let mut stride = 1;
                while n.div_ceil(stride) > max as u64 {
                    stride *= 2;
                }
                let want: Vec<u64> = (0..n).step_by(stride as usize).collect();
                assert_eq!(s.items(), want.as_slice(), "max {max}, n {n}");
                assert_eq!((s.stride(), s.seen()), (stride, n));
                s.clear();
                assert!(s.items().is_empty() && s.seen() == 0 && s.stride() == 1);
            }
        }
    }
}
