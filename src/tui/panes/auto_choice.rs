//! What `auto` chose, under the benchmark pane's history: its plan for each region, then the
//! ops it split or kept whole and why, wrapped at word boundaries into at most
//! [`AUTO_ROWS`] rows (fewer where the pane is short). The last row ends in `…` when there is
//! more, so nothing is cut silently.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::format::truncate;
use super::super::theme::Theme;

/// Most rows the explanation takes.
pub(crate) const AUTO_ROWS: usize = 3;

/// Terminal cells `s` takes.
fn cells(s: &str) -> usize {
    Span::raw(s).width()
}

/// `auto`'s explanation (its `lines`: the plan, then one line per op) as at most `max_rows`
/// rows of at most `width` cells.
pub(crate) fn auto_rows(lines: &[String], theme: &Theme, width: u16, max_rows: usize) -> Vec<Line<'static>> {
    let width = width as usize;
    if lines.is_empty() || width < 2 || max_rows == 0 {
        return Vec::new();
    }
    // Each word with its style: the label, the plan in text, each op's line dimmed.
    let mut words: Vec<(String, Style)> = vec![("auto".into(), theme.table_header())];
    for (i, line) in lines.iter().enumerate() {
        let style = if i == 0 { theme.text() } else { theme.dim() };
        if i > 0 {
            words.push(("·".into(), theme.dim()));
        }
        words.extend(line.split_whitespace().map(|w| (w.to_owned(), style)));
    }
    let mut rows: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    let mut used = 0;
    let mut more = false;
    for (word, style) in words {
        let word = truncate(&word, width);
        let w = cells(&word);
        let row = rows.last_mut().expect("one row at least");
        if !row.is_empty() && used + 1 + w > width {
            if rows.len() == max_rows {
                more = true;
                break;
            }
            rows.push(Vec::new());
            used = 0;
        }
        // A word after the first carries the space before it, so that it goes with it.
        let row = rows.last_mut().expect("one row at least");
        let word = if row.is_empty() { word } else { format!(" {word}") };
        used += cells(&word);
        row.push((word, style));
    }
    if more {
        // Room for ` …` on the last row: its last words go until there is.
        let row = rows.last_mut().expect("one row at least");
        while used + 2 > width && !row.is_empty() {
            let (word, _) = row.pop().expect("not empty");
            used -= cells(&word);
        }
        row.push((" …".into(), theme.dim()));
    }
    rows.into_iter()
        .map(|row| Line::from(row.into_iter().map(|(text, style)| Span::styled(text, style)).collect::<Vec<_>>()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| (*l).to_owned()).collect()
    }

    fn text(rows: &[Line<'_>]) -> Vec<String> {
        rows.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn the_explanation_wraps_at_words_and_ends_in_an_ellipsis_when_it_does_not_fit() {
        let r = lines(&["the program: levels (2 ms)", "  node_6 runs split: 2.1 ms, above its 180 µs grain"]);
        let theme = Theme::colored();
        let wide = text(&auto_rows(&r, &theme, 200, AUTO_ROWS));
        assert_eq!(wide, ["auto the program: levels (2 ms) · node_6 runs split: 2.1 ms, above its 180 µs grain"]);
        let narrow = text(&auto_rows(&r, &theme, 30, AUTO_ROWS));
        assert_eq!(
            narrow,
            ["auto the program: levels (2", "ms) · node_6 runs split: 2.1", "ms, above its 180 µs grain"]
        );
        let tight = text(&auto_rows(&r, &theme, 20, AUTO_ROWS));
        assert_eq!(tight.len(), AUTO_ROWS);
        assert!(tight.last().is_some_and(|l| l.ends_with(" …")), "{tight:?}");
        let one = text(&auto_rows(&r, &theme, 30, 1));
        assert_eq!(one, ["auto the program: levels (2 …"]);
        for row in tight.iter().chain(&narrow) {
            assert!(cells(row) <= 30, "{row}");
        }
    }
}
