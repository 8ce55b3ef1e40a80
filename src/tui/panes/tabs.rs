//! The tab strip shown when the terminal is too narrow for every pane: the panes by number,
//! the focused one highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use super::super::app::App;
use super::super::view::Pane;
use super::put_line;

/// The tab strip widget.
pub(crate) struct Tabs<'a> {
    /// The state to show.
    pub app: &'a App,
}

impl Widget for &Tabs<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = &self.app.view.theme;
        let mut spans = Vec::new();
        for pane in Pane::ALL {
            let text = format!(" {} {} ", pane.number(), pane.title());
            spans.push(if pane == self.app.view.focus {
                Span::styled(text, t.selected().patch(t.title(true)))
            } else {
                Span::styled(text, t.dim())
            });
            spans.push(Span::styled("│", t.dim()));
        }
        spans.pop();
        let hint = "  Tab/Shift-Tab switch";
        let used: usize = spans.iter().map(Span::width).sum();
        if used + hint.len() <= area.width as usize {
            spans.push(Span::styled(hint, t.dim()));
        }
        put_line(buf, area.x, area.y, spans, area.width);
    }
}
