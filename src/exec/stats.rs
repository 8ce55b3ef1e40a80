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
        let mut s: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        let median_s = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 };
        Summary { median_s, min_s: s[0], max_s: s[n - 1] }
    }
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
}
