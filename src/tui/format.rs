//! Number formatting shared by the panes.

/// A static cost: integers without decimals, else one decimal.
pub(crate) fn cost(c: f64) -> String {
    if c.fract() == 0.0 && c.abs() < 1e15 { format!("{c:.0}") } else { format!("{c:.1}") }
}

/// A speedup or factor: `2.88x`.
pub(crate) fn times(x: f64) -> String {
    format!("{x:.2}x")
}

pub(crate) use crate::units::duration;

/// `1 op`, `2 ops`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// Terminal cells `s` takes.
fn cells(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}

/// `s` in at most `width` terminal cells: whole when it fits, else its longest start that
/// leaves room for a `…` after it. Every pane cuts text here (or in
/// [`super::panes::put_cut_line`]), so a cut is never silent.
pub(crate) fn truncate(s: &str, width: usize) -> String {
    if cells(s) <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = cells(&s[i..i + c.len_utf8()]);
        if used + w > width - 1 {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    format!("{}…", &s[..end])
}

/// A horizontal bar of `width` cells for `value` out of `max`, in eighths of a cell.
pub(crate) fn bar(value: f64, max: f64, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if width == 0 || max <= 0.0 || !value.is_finite() {
        return String::new();
    }
    let eighths = ((value.max(0.0) / max).min(1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cut_ends_in_an_ellipsis() {
        assert_eq!(truncate("const_1", 7), "const_1");
        assert_eq!(truncate("const_12", 7), "const_…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("日本語", 4), "日…", "wide characters count two cells");
    }

    proptest! {
        #[test]
        fn truncate_keeps_the_text_whole_or_a_start_of_it_ending_in_an_ellipsis(
            s in "[a-z_日é ]{0,30}", width in 0usize..40,
        ) {
            let t = truncate(&s, width);
            prop_assert!(cells(&t) <= width, "{:?} in {}: {:?}", s, width, t);
            if cells(&s) <= width {
                prop_assert_eq!(t, s);
            } else if width > 0 {
                let start = t.strip_suffix('…').expect("a cut ends in …");
                prop_assert!(s.starts_with(start));
                // The longest start that fits: one more character would not.
                let next = s[start.len()..].chars().next().expect("something was cut");
                prop_assert!(cells(start) + cells(&next.to_string()) + 1 > width);
            }
        }
    }
}
