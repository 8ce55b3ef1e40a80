//! Every colour and style the TUI uses, in one place, with a monochrome variant for
//! `NO_COLOR` (<https://no-color.org>): the same layout, told apart by modifiers and glyphs.

use ratatui::style::{Color, Modifier, Style};

use crate::ir::{Domain, Severity};

/// The palette and text styles of the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// False under `NO_COLOR`: styles use modifiers only.
    pub(crate) color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::colored()
    }
}

impl Theme {
    /// The coloured theme (16 ANSI colours, so it works on any colour terminal).
    pub fn colored() -> Theme {
        Theme { color: true }
    }

    /// The monochrome theme used when `NO_COLOR` is set.
    pub fn no_color() -> Theme {
        Theme { color: false }
    }

    /// [`Theme::no_color`] when the `NO_COLOR` environment variable is set and not empty,
    /// else [`Theme::colored`].
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::no_color(),
            _ => Theme::colored(),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    /// Ordinary text.
    pub fn text(&self) -> Style {
        Style::new()
    }

    /// Secondary text: labels, units, hints.
    pub(crate) fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    /// A value worth reading in the header.
    pub fn value(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The app name in the header.
    pub(crate) fn brand(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// A pane's border.
    pub(crate) fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, true) => Style::new().fg(Color::DarkGray),
            (false, false) => Style::new(),
        }
    }

    /// A pane's title.
    pub fn title(&self, focused: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if focused && self.color { s.fg(Color::Cyan) } else { s }
    }

    /// The selected item of the focused pane.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The selected item of a pane without focus.
    pub(crate) fn selected_unfocused(&self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// An op's text, by domain.
    pub fn domain(&self, d: &Domain) -> Style {
        self.fg(match d {
            Domain::Core => Color::Cyan,
            Domain::Graph => Color::Magenta,
            Domain::Attr => Color::Yellow,
            Domain::Control => Color::Blue,
            Domain::Execution => Color::Green,
            Domain::Other(_) => Color::Gray,
        })
    }

    /// Added to an op on the critical path.
    pub fn critical(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The `*` marking a critical-path op.
    pub(crate) fn critical_mark(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A diagnostic's severity label.
    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Severity::Note => self.fg(Color::Blue),
        }
    }

    /// The banner for a file that no longer loads.
    pub(crate) fn banner_error(&self) -> Style {
        if self.color {
            Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The banner for a deleted file or a failed watcher.
    pub(crate) fn banner_warning(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The `STALE` tag and anything marked out of date.
    pub fn stale(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Good news: a speedup above 1, `use_parallel: yes`.
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Bad news: a speedup below 1, a failed run.
    pub fn bad(&self) -> Style {
        self.fg(Color::Red)
    }

    /// Parallelism-factor bars in the levels pane.
    pub(crate) fn factor_bar(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Cost-share bars in the critical-path pane.
    pub(crate) fn share_bar(&self) -> Style {
        self.fg(Color::Red)
    }

    /// The predicted-speedup bar.
    pub(crate) fn predicted_bar(&self) -> Style {
        self.fg(Color::Blue)
    }

    /// A measured-speedup bar.
    pub(crate) fn measured_bar(&self) -> Style {
        self.fg(Color::Green)
    }

    /// The benchmark progress gauge.
    pub(crate) fn gauge(&self) -> Style {
        if self.color { Style::new().fg(Color::Cyan).bg(Color::DarkGray) } else { Style::new() }
    }

    /// The run-history sparkline.
    pub(crate) fn sparkline(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// Table headers.
    pub(crate) fn table_header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Key names in the help overlay and the footer.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Section headings in overlays.
    pub(crate) fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The status message in the footer.
    pub fn status(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// An op that matches the `/` search (underlined in both themes, so it shows under
    /// `NO_COLOR` too).
    pub(crate) fn search_match(&self) -> Style {
        self.fg(Color::LightYellow).add_modifier(Modifier::UNDERLINED)
    }

    /// A parallel mode's line in the speedup curve and its entry in the legend (monochrome:
    /// the curve's markers tell them apart).
    pub fn mode(&self, mode: &str) -> Style {
        self.fg(match mode {
            "levels" => Color::Cyan,
            "dataflow" => Color::Magenta,
            "data" => Color::Yellow,
            "levels+data" => Color::Green,
            "dataflow+data" => Color::LightBlue,
            _ => Color::Gray,
        })
    }

    /// A measured speedup marked on the speedup curve, in its mode's colour.
    pub(crate) fn measured_mark(&self, mode: &str) -> Style {
        self.mode(mode).add_modifier(Modifier::BOLD)
    }

    /// Axes, ticks and axis titles of a chart.
    pub(crate) fn axis(&self) -> Style {
        self.dim()
    }

    /// Fill glyph and style of a Gantt bar for an op of `level`; `alternate` is every other
    /// op on a thread, so neighbours stay apart. Colours cycle by level (monochrome: glyphs
    /// only).
    pub(crate) fn gantt(&self, level: u32, alternate: bool) -> (&'static str, Style) {
        const COLORS: [Color; 6] = [Color::Cyan, Color::Magenta, Color::Green, Color::Yellow, Color::Blue, Color::Red];
        let glyph = match (alternate, self.color) {
            (false, _) => "█",
            (true, true) => "▓",
            (true, false) => "▒",
        };
        (glyph, self.fg(COLORS[level as usize % COLORS.len()]))
    }

    /// The op label drawn over a Gantt bar.
    pub(crate) fn gantt_label(&self, level: u32) -> Style {
        let (_, bar) = self.gantt(level, false);
        if self.color {
            Style::new().fg(Color::Black).bg(bar.fg.unwrap_or(Color::Reset))
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}
