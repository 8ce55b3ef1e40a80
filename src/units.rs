//! How quantities read in every output: durations with a unit that keeps three significant
//! digits (µs, ms, s).

/// A duration in seconds: `41.3 µs`, `2.35 ms`, `1.20 s`.
pub(crate) fn duration(s: f64) -> String {
    let a = s.abs();
    if a >= 1.0 {
        format!("{s:.2} s")
    } else if a >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn units_follow_the_size() {
        assert_eq!(super::duration(1.2), "1.20 s");
        assert_eq!(super::duration(0.00235), "2.35 ms");
        assert_eq!(super::duration(4.13e-5), "41.3 µs");
    }
}
