//! The help overlay (`?`): every key, by what it acts on.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::super::app::App;
use super::centered;

/// Every key the TUI knows, as `(section, keys, what they do)`.
pub const KEYS: &[(&str, &str, &str)] = &[
    ("Anywhere", "q  Ctrl-C", "quit (q first closes an open window)"),
    ("Anywhere", "Ctrl-Z", "suspend to the shell (fg resumes)"),
    ("Anywhere", "?", "this help"),
    ("Anywhere", "Tab  Shift-Tab", "next / previous pane"),
    ("Anywhere", "1 2 3 4 5", "levels, critical path, groups, benchmark, diagnostics"),
    ("Anywhere", "z", "the focused pane fills the screen; z or Esc: back"),
    ("Anywhere", "j k  ↑ ↓", "move the selection"),
    ("Anywhere", "PageUp PageDown", "move a page"),
    ("Anywhere", "g G  Home End", "first / last"),
    ("Anywhere", "mouse", "wheel scrolls the pane under it; click selects the row"),
    ("Anywhere", "/", "search ops by id, op name or variable"),
    ("Anywhere", "n N", "next / previous match (after /)"),
    ("Anywhere", "Esc", "clear the search; else cancel the benchmark or leave z"),
    ("Anywhere", "e", "edit the file in $VISUAL / $EDITOR (else vi)"),
    ("Anywhere", "r", "reload now (saves reload by themselves)"),
    ("Anywhere", "f", "freeze: hold reloads; again: show the latest"),
    ("Anywhere", "p P", "pin the version on screen as baseline / unpin"),
    ("Anywhere", "a", "auto-bench: benchmark each save (again: off)"),
    ("Anywhere", "w", "write the session's history beside the file (JSON)"),
    ("Levels", "h l  ← →", "previous / next op in the level"),
    ("Levels", "Enter", "op details: inputs, outputs, metadata, deps, cost"),
    ("Levels", "Space", "open / close a loop's body levels (ops with ▸)"),
    ("Critical path", "Enter", "op details"),
    ("Groups", "s", "sort by the next column"),
    ("Groups", "S", "reverse the sort"),
    ("Groups", "Enter", "show the group's level in the levels pane"),
    ("Diagnostics", "Enter", "details of the finding's op"),
    ("Benchmark", "b", "run in the background (again: restart)"),
    ("Benchmark", "Esc", "cancel the running benchmark"),
    ("Benchmark", "+ -", "more / fewer threads"),
    ("Benchmark", "m M", "next / previous mode (all, levels, dataflow, ...)"),
    ("Benchmark", "c", "speedup curve for 1-64 threads / timeline (narrow panes)"),
    ("Benchmark", "j k  PageUp PageDown", "scroll a pane too short for the whole report"),
    ("Windows", "Esc  Enter  q", "close details or help"),
];

/// The help overlay widget.
pub struct Help<'a> {
    /// The state to show.
    pub app: &'a App,
}

/// The overlay's text.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.view.theme;
    let mut out = Vec::new();
    let mut section = "";
    for &(s, keys, what) in KEYS {
        if s != section {
            out.push(Line::from(Span::styled(s, t.heading())));
            section = s;
        }
        out.push(Line::from(vec![Span::styled(format!("  {keys:<17}"), t.key()), Span::raw(what)]));
    }
    out.push(Line::from(vec![
        Span::styled("*", t.critical_mark()),
        Span::styled(" marks the critical path; op colours are domains.", t.dim()),
    ]));
    out.push(Line::from(Span::styled("STALE: the file does not load; the last good analysis stays.", t.dim())));
    out
}

/// The popup's place in `area` and the rows of `text` in it, wrapped as the paragraph wraps
/// them (a narrow terminal wraps the long lines rather than cutting them).
fn popup(area: Rect, text: &[Line<'_>]) -> (Rect, usize) {
    let w = 78.min(area.width);
    let rows = Paragraph::new(text.to_vec()).wrap(Wrap { trim: false }).line_count(w.saturating_sub(2).max(1));
    (centered(area, w, (rows as u16).saturating_add(2)), rows)
}

/// The furthest the text scrolls in `area`: its last line at the bottom of the box.
pub(crate) fn max_scroll(app: &App, area: Rect) -> usize {
    let (popup, rows) = popup(area, &lines(app));
    rows.saturating_sub(popup.height.saturating_sub(2) as usize)
}

impl Widget for &Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = &self.app.view.theme;
        let text = lines(self.app);
        let (popup, _) = popup(area, &text);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_style(t.border(true))
            .title(Span::styled(" Keys ", t.title(true)))
            .title_bottom(Span::styled(" ? or Esc closes · ↑↓ scroll ", t.dim()));
        // Stop when the last line is at the bottom, not with the text scrolled out of the box.
        let scroll = self.app.view.overlay_scroll.min(max_scroll(self.app, area)) as u16;
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)).render(popup, buf);
    }
}
