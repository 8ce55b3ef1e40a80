//! How quantities read in every output: durations with a unit that keeps three significant
//! digits (ns, µs, ms, s), and counts with their noun in the right number (`1 thread`).

/// A duration in seconds: `410 ns`, `41.3 µs`, `2.35 ms`, `1.20 s`.
pub(crate) fn duration(s: f64) -> String {
    let a = s.abs();
    if a >= 1.0 {
        format!("{s:.2} s")
    } else if a >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else if a >= 1e-6 || a == 0.0 {
        format!("{:.1} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

/// `n` and `noun`, plural unless `n` is 1: `1 thread`, `2 threads`, `0 rounds`. For nouns
/// whose plural adds an `s`.
pub(crate) fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    if n == N::from(1) { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn units_follow_the_size() {
        assert_eq!(super::duration(1.2), "1.20 s");
        assert_eq!(super::duration(0.00235), "2.35 ms");
        assert_eq!(super::duration(4.13e-5), "41.3 µs");
        assert_eq!(super::duration(4.1e-7), "410 ns");
        assert_eq!(super::duration(0.0), "0.0 µs");
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(super::count(1, "thread"), "1 thread");
        assert_eq!(super::count(2, "round"), "2 rounds");
        assert_eq!(super::count(0, "operation"), "0 operations");
    }
}
