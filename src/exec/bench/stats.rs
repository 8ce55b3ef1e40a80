//! Statistics of repeated timings: medians and spreads, and the interval of a speedup.
//!
//! A speedup is the ratio of the baseline's median time to the mode's, so it agrees with
//! the medians printed beside it. Its interval comes from a paired bootstrap: rounds are
//! resampled with replacement, each keeping its baseline and mode times together, and the
//! ratio of medians recomputed; the 2.5th and 97.5th percentiles bound it.

/// Median, fastest and slowest of a set of timings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Summary {
    /// The middle value (mean of the two middle values for an even count).
    pub median_s: f64,
    /// The smallest.
    pub min_s: f64,
    /// The largest.
    pub max_s: f64,
}

impl Summary {
    /// Summarises times in seconds; all zeros for an empty set.
    pub(crate) fn of_seconds(s: &[f64]) -> Summary {
        if s.is_empty() {
            return Summary { median_s: 0.0, min_s: 0.0, max_s: 0.0 };
        }
        let min_s = s.iter().copied().fold(f64::INFINITY, f64::min);
        let max_s = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Summary { median_s: median(s.to_vec()), min_s, max_s }
    }
}

/// The middle value of `values` (mean of the two middle ones for an even count; 0 when empty).
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// The value below which a fraction `q` of `sorted` lies (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// A speedup and its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Speedup {
    /// The baseline's median time over the mode's.
    pub point: f64,
    /// The 2.5th and 97.5th percentiles of the paired bootstrap.
    pub(crate) low: f64,
    /// See `low`.
    pub(crate) high: f64,
}

impl Speedup {
    /// Half the interval's width relative to the point: 0.05 is "within 5%".
    pub(crate) fn relative_half_width(&self) -> f64 {
        if self.point > 0.0 { (self.high - self.low) / (2.0 * self.point) } else { f64::INFINITY }
    }
}

/// Resamples drawn for an interval.
const RESAMPLES: usize = 1000;

/// The speedup of `other` over `baseline`, from times of the same rounds (`baseline[i]`
/// and `other[i]` ran side by side), with its paired-bootstrap 95% interval; 1 with an
/// empty interval of 1 when there are no rounds. Deterministic: the resampling is seeded.
///
/// # Complexity
/// O(RESAMPLES x rounds).
pub(crate) fn speedup(baseline: &[f64], other: &[f64]) -> Speedup {
    let n = baseline.len().min(other.len());
    if n == 0 {
        return Speedup { point: 1.0, low: 1.0, high: 1.0 };
    }
    let ratio = |b: f64, o: f64| if o > 0.0 { b / o } else { f64::INFINITY };
    let point = ratio(median(baseline[..n].to_vec()), median(other[..n].to_vec()));
    if n == 1 {
        return Speedup { point, low: point, high: point };
    }
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ n as u64;
    let mut next = move || {
        // SplitMix64.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    };
    let (mut b, mut o) = (vec![0.0; n], vec![0.0; n]);
    let mut ratios: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            for k in 0..n {
                let i = next();
                b[k] = baseline[i];
                o[k] = other[i];
            }
            ratio(median(b.clone()), median(o.clone()))
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    Speedup { point, low: percentile(&ratios, 0.025), high: percentile(&ratios, 0.975) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_counts() {
        assert_eq!(Summary::of_seconds(&[0.03, 0.01, 0.02]), Summary { median_s: 0.02, min_s: 0.01, max_s: 0.03 });
        assert_eq!(Summary::of_seconds(&[0.04, 0.01, 0.02, 0.03]).median_s, 0.025);
        assert_eq!(Summary::of_seconds(&[]).median_s, 0.0);
    }

    #[test]
    fn the_speedup_is_the_ratio_of_the_medians_printed_beside_it() {
        let seq = [10.0, 12.0, 11.0, 30.0, 10.5];
        let par = [5.0, 5.5, 6.0, 5.2, 20.0];
        let s = speedup(&seq, &par);
        assert_eq!(s.point, median(seq.to_vec()) / median(par.to_vec()));
        assert!(s.low <= s.point && s.point <= s.high, "{s:?}");
    }

    #[test]
    fn steady_timings_give_a_narrow_interval_and_noisy_ones_a_wide_one() {
        let seq: Vec<f64> = (0..30).map(|i| 10.0 + (i % 3) as f64 * 0.01).collect();
        let par: Vec<f64> = (0..30).map(|i| 5.0 + (i % 5) as f64 * 0.01).collect();
        let steady = speedup(&seq, &par);
        assert!(steady.relative_half_width() < 0.01, "{steady:?}");
        let noisy: Vec<f64> = (0..30).map(|i| if i % 2 == 0 { 4.0 } else { 8.0 }).collect();
        let wide = speedup(&seq, &noisy);
        assert!(wide.relative_half_width() > 0.1, "{wide:?}");
        assert_eq!(speedup(&seq, &par), steady, "seeded: the same inputs give the same interval");
    }

    #[test]
    fn no_rounds_is_no_speedup() {
        assert_eq!(speedup(&[], &[]).point, 1.0);
        assert_eq!(speedup(&[2.0], &[1.0]), Speedup { point: 2.0, low: 2.0, high: 2.0 });
    }
}
