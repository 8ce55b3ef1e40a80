//! The few colours the text outputs use: section headers bold, a verdict green (pays),
//! yellow (marginal) or red (loses), a finding's severity red (error), yellow (warning) or
//! cyan (note). [`Palette::PLAIN`] renders every style as nothing, so plain output is the
//! same bytes as before colour existed; the command line picks the palette (`--color`).

use std::fmt;

use anstyle::{AnsiColor, Style};

use crate::ir::Severity;
use crate::predict::Verdict;

/// The styles of one output: all empty ([`Palette::PLAIN`]) or coloured ([`Palette::COLOR`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// A section's title (`Parallel groups`, the benchmark table's column names).
    pub header: Style,
    /// The verdict `pays`.
    pub pays: Style,
    /// The verdict `marginal`.
    pub marginal: Style,
    /// The verdict `loses`.
    pub loses: Style,
    /// An error (`error` in `error [read-before-write] ...`, `irtop: error:`).
    pub error: Style,
    /// A warning.
    pub warning: Style,
    /// A note.
    pub note: Style,
}

impl Palette {
    /// No colour: every style renders as the empty string.
    pub const PLAIN: Palette = Palette {
        header: Style::new(),
        pays: Style::new(),
        marginal: Style::new(),
        loses: Style::new(),
        error: Style::new(),
        warning: Style::new(),
        note: Style::new(),
    };

    /// ANSI colours of the 16-colour set, which every terminal theme maps to something
    /// readable; bold for headers and errors.
    pub const COLOR: Palette = Palette {
        header: Style::new().bold(),
        pays: Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green))),
        marginal: Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        loses: Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
        error: Style::new().bold().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
        warning: Style::new().bold().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        note: Style::new().bold().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan))),
    };

    /// [`Palette::COLOR`] when `color`, else [`Palette::PLAIN`].
    pub fn new(color: bool) -> Palette {
        if color { Palette::COLOR } else { Palette::PLAIN }
    }

    /// The style of a verdict.
    pub fn verdict(&self, v: Verdict) -> Style {
        match v {
            Verdict::Pays => self.pays,
            Verdict::Marginal => self.marginal,
            Verdict::Loses => self.loses,
        }
    }

    /// The style of a severity.
    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Note => self.note,
        }
    }
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::PLAIN
    }
}

/// `text` in `style`: the style's escape, the text, the reset (nothing around the text when
/// the style is empty). Pad the text before painting it, so that the escapes do not count
/// towards a column's width.
pub fn paint<T: fmt::Display>(style: Style, text: T) -> Painted<T> {
    Painted { style, text }
}

/// What [`paint`] returns.
#[derive(Debug, Clone, Copy)]
pub struct Painted<T> {
    style: Style,
    text: T,
}

impl<T: fmt::Display> fmt::Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.style.render(), self.text, self.style.render_reset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paints_nothing_and_colour_wraps_the_text() {
        assert_eq!(paint(Palette::PLAIN.error, "error").to_string(), "error");
        assert_eq!(paint(Palette::PLAIN.header, "Parallel groups").to_string(), "Parallel groups");
        let red = paint(Palette::COLOR.loses, "loses").to_string();
        assert_eq!(red, "\u{1b}[31mloses\u{1b}[0m");
        assert_ne!(Palette::COLOR.pays, Palette::COLOR.loses);
    }
}
