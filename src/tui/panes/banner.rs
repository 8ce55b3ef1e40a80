//! The banner under the header: why the analysis on screen is stale (the file does not load,
//! or was deleted) and whether live reload is off.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::super::app::App;
use super::super::model::FileProblem;

/// The banner widget.
pub(crate) struct Banner<'a> {
    /// The state to show.
    pub app: &'a App,
}

/// The banner's lines at `width` columns (none when all is well). Long messages wrap onto at
/// most three lines.
pub(crate) fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = &app.view.theme;
    let m = &app.model;
    let mut out = Vec::new();
    if let Some(problem) = &m.problem {
        let (style, lead) = match problem {
            FileProblem::Deleted | FileProblem::DanglingLink(_) | FileProblem::NotCreated => (t.banner_warning(), "! "),
            _ => (t.banner_error(), "✖ "),
        };
        let text = match problem {
            // Nothing was loaded yet: there is no earlier analysis on screen.
            FileProblem::NotCreated => format!("{lead}{}.", problem.describe(&m.file_name)),
            _ => format!(
                "{lead}{}. Showing the last good analysis (STALE) until the file loads.",
                problem.describe(&m.file_name)
            ),
        };
        out.extend(wrap(&text, width, 3).into_iter().map(|l| Line::from(Span::styled(l, style))));
    }
    if let Some(why) = &m.watch_error {
        let text = format!("! live reload is off: {why} (press r to reload by hand)");
        out.extend(wrap(&text, width, 2).into_iter().map(|l| Line::from(Span::styled(l, t.banner_warning()))));
    }
    out.extend(super::save_line::lines(app, width));
    out
}

/// `text` split into lines of at most `width` characters (at spaces where possible), at most
/// `max` lines, each padded to the full width so the banner's colour spans the screen.
fn wrap(text: &str, width: u16, max: usize) -> Vec<String> {
    let width = (width as usize).max(1);
    let mut lines = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while !rest.is_empty() && lines.len() < max {
        let mut cut = rest.len().min(width);
        if cut < rest.len()
            && let Some(space) = rest[..cut].iter().rposition(|&c| c == ' ')
            && space > width / 2
        {
            cut = space + 1;
        }
        if lines.len() + 1 == max && cut < rest.len() {
            cut = width.saturating_sub(1);
            let mut s: String = rest[..cut].iter().collect();
            s.push('…');
            lines.push(s);
            break;
        }
        let s: String = rest[..cut].iter().collect();
        lines.push(format!("{:<width$}", s.trim_end()));
        rest.drain(..cut);
    }
    lines
}

impl Widget for &Banner<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        for (i, line) in lines(self.app, area.width).iter().enumerate().take(area.height as usize) {
            super::put_cut_line(buf, area.x, area.y + i as u16, line, area.width);
        }
    }
}
