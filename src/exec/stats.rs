//! Summary statistics of repeated timings.

use std::time::Duration;

/// Median, fastest and slowest of a set of timings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The middle value (mean of the two middle values for an even count).
    pub median_s: f64,
    /// The smallest.
    pub min_s: f64,
    /// The largest.
    pub max_s: f64,
}

impl Summary {
    /// Summarises `times`; all zeros for an empty set.
    pub fn of(times: &[Duration]) -> Summary {
        if times.is_empty() {
            return Summary { median_s: 0.0, min_s: 0.0, max_s: 0.0 };
        }
        let s: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        let min_s = s.iter().copied().fold(f64::INFINITY, f64::min);
        let max_s = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Summary { median_s: median(s), min_s, max_s }
    }
}

/// The middle value of `values` (mean of the two middle ones for an even count; 0 when empty).
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// The median of `baseline[i] / other[i]` over the repetitions both have: a speedup from
/// runs taken side by side, which a slow drift of the machine moves much less than a ratio
/// of two medians (1 when there are none).
pub fn paired_speedup(baseline: &[f64], other: &[f64]) -> f64 {
    let ratios: Vec<f64> = baseline.iter().zip(other).filter(|(_, o)| **o > 0.0).map(|(b, o)| b / o).collect();
    if ratios.is_empty() { 1.0 } else { median(ratios) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn odd_and_even_counts() {
        assert_eq!(Summary::of(&ms(&[30, 10, 20])), Summary { median_s: 0.02, min_s: 0.01, max_s: 0.03 });
        assert_eq!(Summary::of(&ms(&[40, 10, 20, 30])).median_s, 0.025);
        assert_eq!(Summary::of(&[]).median_s, 0.0);
    }

    #[test]
    fn a_paired_speedup_ignores_a_slowdown_that_starts_between_two_runs() {
        // The mode is 2x faster than seq in every repetition, but the machine slows down 3x
        // from the middle of repetition 2 on (after seq's run, before the mode's). The
        // ratio of medians says 0.67x; the ratios of each repetition's pair say 2x.
        let seq = [10.0, 10.0, 10.0, 30.0, 30.0];
        let par = [5.0, 5.0, 15.0, 15.0, 15.0];
        assert!((median(seq.to_vec()) / median(par.to_vec()) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(paired_speedup(&seq, &par), 2.0);
        assert_eq!(paired_speedup(&[], &[]), 1.0);
        assert_eq!(paired_speedup(&[4.0, 9.0, 8.0], &[2.0, 3.0, 0.0]), 2.5);
    }
}
