//! The search line in the footer: the query being typed (with a cursor) and the match count,
//! then, once the query is entered, which match is selected and the keys that move on.

use ratatui::text::Span;

use super::super::app::App;

/// The footer's spans for the search, or `None` when no search is active.
pub(crate) fn spans(app: &App) -> Option<Vec<Span<'static>>> {
    let search = &app.view.search;
    if !search.is_active() {
        return None;
    }
    let t = &app.view.theme;
    let n = search.matches.len();
    let count = match (n, search.query.is_empty()) {
        (_, true) => "id, op or variable".to_owned(),
        (0, false) => "no match".to_owned(),
        (n, false) => format!("match {} of {n}", search.current + 1),
    };
    let mut out = vec![Span::styled(format!("/{}", search.query), t.value())];
    if search.typing {
        out.push(Span::styled("█", t.key()));
        out.push(Span::styled(format!("  {count}  "), t.dim()));
        out.extend(hint(app, "Enter", "done"));
        out.extend(hint(app, "Esc", "cancel"));
    } else {
        out.push(Span::styled(format!("  {count}  "), t.dim()));
        out.extend(hint(app, "n/N", "next/prev"));
        out.extend(hint(app, "Esc", "clear"));
        out.extend(hint(app, "/", "new search"));
    }
    Some(out)
}

fn hint(app: &App, key: &str, what: &str) -> [Span<'static>; 2] {
    let t = &app.view.theme;
    [Span::styled(format!(" {key}"), t.key()), Span::styled(format!(" {what} "), t.dim())]
}
