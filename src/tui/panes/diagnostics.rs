//! The diagnostics pane: the analysis's findings, most severe first, each with its code and
//! node; Enter opens the node.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::analysis::Analysis;
use crate::ir::Severity;

use super::super::app::App;
use super::super::format::plural;
use super::super::view::{ListPlace, Pane, visible_offset};
use super::{PaneContext, pane_block, put_line, row_style};

/// `text` in lines of at most `width` characters, broken at spaces where possible.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (lw, ww) = (line.chars().count(), word.chars().count());
        if lw > 0 && lw + 1 + ww > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            lines.push(head);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The diagnostics pane widget.
pub struct DiagnosticsPane<'a> {
    /// Colours, focus, staleness.
    pub(crate) ctx: PaneContext<'a>,
    /// The analysis whose findings are listed.
    pub analysis: &'a Analysis,
    /// The selected finding and the scroll.
    pub place: ListPlace,
}

impl<'a> DiagnosticsPane<'a> {
    /// The pane as `app` shows it.
    pub fn new(app: &'a App) -> DiagnosticsPane<'a> {
        DiagnosticsPane {
            ctx: PaneContext::of(app, Pane::Diagnostics),
            analysis: &app.model.snapshot.analysis,
            place: app.view.diagnostics,
        }
    }
}

impl Widget for &DiagnosticsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let a = self.analysis;
        let counts = format!(
            "{}, {}, {}",
            plural(a.count(Severity::Error), "error"),
            plural(a.count(Severity::Warning), "warning"),
            plural(a.count(Severity::Note), "note")
        );
        let block = pane_block(self.ctx, Pane::Diagnostics, counts);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        if a.diagnostics.is_empty() {
            put_line(buf, inner.x, inner.y, vec![Span::styled("No findings.", t.dim())], inner.width);
            return;
        }
        let place = self.place;
        let n = a.diagnostics.len();
        let sel = place.selected.min(n - 1);
        let height = inner.height as usize;
        let width = inner.width as usize;
        // The selected finding is drawn in full (wrapped); the others take one line each.
        let texts: Vec<String> = a
            .diagnostics
            .iter()
            .map(|d| match &d.node {
                Some(node) => format!("{:<7} {} {node}: {}", d.severity.to_string(), d.code, d.message),
                None => format!("{:<7} {}: {}", d.severity.to_string(), d.code, d.message),
            })
            .collect();
        let focused = self.ctx.focused;
        let sel_lines = if focused { wrap(&texts[sel], width).len().min(height) } else { 1 };
        let mut offset = visible_offset(place.offset, sel, height, n);
        while offset < sel && (sel - offset) + sel_lines > height {
            offset += 1;
        }
        let mut y = inner.y;
        for (i, d) in a.diagnostics.iter().enumerate().skip(offset) {
            if y >= inner.bottom() {
                break;
            }
            let style = row_style(self.ctx, i == sel);
            if i == sel && focused {
                let lines = wrap(&texts[i], width);
                for (k, line) in lines.into_iter().enumerate() {
                    if y >= inner.bottom() {
                        break;
                    }
                    let spans = if k == 0 {
                        let (sev, rest) = line.split_at(7.min(line.len()));
                        vec![Span::styled(sev.to_owned(), t.severity(d.severity)), Span::styled(rest.to_owned(), style)]
                    } else {
                        vec![Span::styled(line, style)]
                    };
                    put_line(buf, inner.x, y, spans, inner.width);
                    y += 1;
                }
                continue;
            }
            let mut spans = vec![
                Span::styled(format!("{:<7}", d.severity.to_string()), t.severity(d.severity)),
                Span::styled(format!(" {}", d.code), t.dim()),
            ];
            if let Some(node) = &d.node {
                spans.push(Span::styled(format!(" {node}"), t.value()));
            }
            spans.push(Span::raw(format!(": {}", d.message)));
            put_line(buf, inner.x, y, spans, inner.width);
            y += 1;
        }
    }
}
