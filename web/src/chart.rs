//! The chart's arithmetic, kept apart from the canvas so it is tested on the host: linear
//! scales and "nice" tick values (1, 2 or 5 times a power of ten).

/// A linear map from a data interval to a pixel interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Data at the start of the range.
    pub d0: f64,
    /// Data at the end of the range.
    pub d1: f64,
    /// Pixel of `d0`.
    pub r0: f64,
    /// Pixel of `d1`.
    pub r1: f64,
}

impl Scale {
    /// Maps `d0..d1` onto `r0..r1`; an empty data interval is widened to 1 so nothing divides
    /// by zero.
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        let d1 = if (d1 - d0).abs() < f64::EPSILON {
            d0 + 1.0
        } else {
            d1
        };
        Scale { d0, d1, r0, r1 }
    }

    /// The pixel of data value `v`.
    pub fn map(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }

    /// The data value at pixel `px` (the inverse of [`Scale::map`]).
    pub fn invert(&self, px: f64) -> f64 {
        self.d0 + (px - self.r0) / (self.r1 - self.r0) * (self.d1 - self.d0)
    }
}

/// At most `count_max` (at least 2) evenly spaced round values covering `lo..=hi`, spaced by 1,
/// 2 or 5 times a power of ten.
pub fn nice_ticks(lo: f64, hi: f64, count_max: usize) -> Vec<f64> {
    let count_max = count_max.max(2);
    if hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / (count_max - 1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| (((hi - lo) / s).floor() as usize) < count_max)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut i = 0.0;
    loop {
        let v = first + i * step;
        if v > hi + step * 1e-9 {
            break;
        }
        // Snap away float noise such as 0.6000000000000001 by printing at the step's precision.
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        out.push(format!("{v:.decimals$}").parse().unwrap_or(v));
        i += 1.0;
    }
    out
}

/// A tick label: integers without a decimal point, fractions with as few digits as needed.
pub fn tick_label(v: f64) -> String {
    if v == v.round() && v.abs() < 1e15 {
        if v.abs() >= 10_000.0 {
            format!("{}k", v / 1000.0)
        } else {
            format!("{v}")
        }
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_maps_its_ends_and_inverts() {
        let s = Scale::new(0.0, 10.0, 100.0, 0.0);
        assert_eq!(s.map(0.0), 100.0);
        assert_eq!(s.map(10.0), 0.0);
        assert_eq!(s.invert(s.map(3.7)), 3.7);
        let flat = Scale::new(5.0, 5.0, 0.0, 10.0);
        assert!(flat.map(5.0).is_finite());
    }

    #[test]
    fn ticks_are_round_numbers_covering_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0, 6), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 17.0, 6), [0.0, 5.0, 10.0, 15.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 3), [0.0, 50.0, 100.0]);
        for hi in [1.0, 3.0, 7.0, 42.0, 999.0, 12345.0] {
            let t = nice_ticks(0.0, hi, 6);
            assert!(t.len() >= 2 && t.len() <= 6, "{hi}: {t:?}");
            assert!(t.windows(2).all(|w| w[1] > w[0]));
        }
        assert_eq!(nice_ticks(3.0, 3.0, 5), [3.0]);
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(tick_label(5.0), "5");
        assert_eq!(tick_label(0.2), "0.2");
        assert_eq!(tick_label(20_000.0), "20k");
    }
}
