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

/// `s` cut to `width` characters, ending in `…` when cut.
pub(crate) fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else if width == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
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
