//! The widgets, one per pane or overlay, each with `impl Widget for &Pane`: drawing reads
//! the state and changes nothing. The five panes hold only what they draw (a
//! [`PaneContext`], the analysis or benchmarks, and their own view state), built from the
//! [`App`] by their `new`; the header, banner, footer and overlays read the [`App`].

pub(crate) mod auto_choice;
pub(crate) mod banner;
pub mod bench;
pub mod critical_path;
pub mod curve;
pub(crate) mod details;
pub mod diagnostics;
pub(crate) mod footer;
pub mod groups;
pub mod header;
pub mod help;
pub mod levels;
pub(crate) mod save_line;
pub(crate) mod search_bar;
pub(crate) mod tabs;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::app::App;
use super::theme::Theme;
use super::view::Pane;

/// What every pane's frame needs from the state: the colours, whether the pane has the
/// focus, and whether the analysis on screen is stale. Panes get this and the data they
/// draw, not the whole [`App`].
#[derive(Debug, Clone, Copy)]
pub struct PaneContext<'a> {
    /// Colours.
    pub theme: &'a Theme,
    /// The pane has the focus.
    pub(crate) focused: bool,
    /// The analysis on screen no longer matches the file.
    pub stale: bool,
}

impl<'a> PaneContext<'a> {
    /// The context of `pane` in `app`.
    pub fn of(app: &'a App, pane: Pane) -> PaneContext<'a> {
        PaneContext { theme: &app.view.theme, focused: app.view.focus == pane, stale: app.model.is_stale() }
    }
}

/// The bordered block around `pane`: its number and title, extra title text, and the focus
/// colour. A stale analysis says so in every pane that shows it.
pub(crate) fn pane_block<'a>(ctx: PaneContext<'_>, pane: Pane, extra: String) -> Block<'a> {
    let theme = ctx.theme;
    let focused = ctx.focused;
    let mut title = vec![
        Span::styled(format!(" {} ", pane.number()), theme.dim()),
        Span::styled(pane.title().to_owned(), theme.title(focused)),
    ];
    if !extra.is_empty() {
        title.push(Span::styled(format!(" · {extra}"), theme.text()));
    }
    title.push(Span::raw(" "));
    if ctx.stale && pane != Pane::Bench {
        title.push(Span::styled("STALE ", theme.stale()));
    }
    Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(theme.border(focused))
        .title(Line::from(title))
}

/// Writes `spans` from `(x, y)` in at most `width` cells; a line too long for them ends in
/// `…`, so a cut is never silent.
pub(crate) fn put_line(buf: &mut Buffer, x: u16, y: u16, spans: Vec<Span<'_>>, width: u16) {
    put_cut_line(buf, x, y, &Line::from(spans), width);
}

/// Writes `line` from `(x, y)` in at most `width` cells, ending in `…` (in the style of the
/// cell it replaces) when the line is wider.
pub(crate) fn put_cut_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, width: u16) {
    if width == 0 {
        return;
    }
    if line.width() <= width as usize {
        buf.set_line(x, y, line, width);
        return;
    }
    let (end, _) = buf.set_line(x, y, line, width - 1);
    // A wide character that did not fit leaves its cell blank; the `…` goes right after
    // what was written.
    let at = end.min(x + width - 1);
    let style = if at > x { buf[(at - 1, y)].style() } else { ratatui::style::Style::new() };
    buf.set_string(at, y, "…", style);
}

/// `text` (a key and what it does) at the right end of `area`'s first row, when it fits
/// after the `used` cells of the title there.
pub(crate) fn key_hint(theme: &super::theme::Theme, text: &str, area: Rect, used: u16, buf: &mut Buffer) {
    let w = text.chars().count() as u16;
    if area.height > 0 && area.width >= used + 2 + w {
        put_line(buf, area.right() - w, area.y, vec![Span::styled(text.to_owned(), theme.key())], w);
    }
}

/// A rectangle of `width` x `height` centred in `area` (clamped to it).
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// The style of a list row: selected (focused or not) or plain.
pub(crate) fn row_style(ctx: PaneContext<'_>, selected: bool) -> Style {
    match (selected, ctx.focused) {
        (true, true) => ctx.theme.selected(),
        (true, false) => ctx.theme.selected_unfocused(),
        _ => Style::new(),
    }
}
