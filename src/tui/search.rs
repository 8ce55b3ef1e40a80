//! `/` search, as in less and vim (and k9s's filter): type a query, and the levels pane
//! selects the first op whose id, op name or a variable it reads or writes contains it
//! (case-insensitive; an op whose id is exactly the query comes first). `n`/`N` go to the
//! next/previous match, `Esc` clears. While the query is typed, every key goes to it: no
//! command runs.

use std::collections::HashSet;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::analysis::Analysis;
use crate::ir::Ir;

use super::app::App;

/// The search's state (part of the view state: it only decides what is selected).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// True while the query is being typed: keys edit it instead of running commands.
    pub typing: bool,
    /// The matching ops' ids, in the levels pane's order (each level, then the bodies of
    /// the loops in it).
    pub matches: Vec<String>,
    /// The same ids, to mark matches when drawing.
    pub(crate) matched: HashSet<String>,
    /// Index in `matches` of the selected match.
    pub current: usize,
}

impl Search {
    /// True while a query is typed or its matches are shown.
    pub fn is_active(&self) -> bool {
        self.typing || !self.query.is_empty()
    }

    /// True when op `id` matches the query.
    pub(crate) fn is_match(&self, id: &str) -> bool {
        !self.matched.is_empty() && self.matched.contains(id)
    }
}

/// Ids of the ops of `ir` (bodies included) that match `query`, in the levels pane's order.
///
/// # Complexity
/// O(V x L) for V ops (bodies included) and names of length L.
pub(crate) fn find_matches(ir: &Ir, analysis: &Analysis, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !query.is_empty() {
        scope_matches(ir, analysis, &query.to_lowercase(), &mut out);
    }
    out
}

/// True when `text` contains `lowered_query` ignoring case. ASCII text (ids and op names
/// almost always are) is compared in place; other text is lowered first.
fn contains(text: &str, lowered_query: &str) -> bool {
    if text.is_ascii() && lowered_query.is_ascii() {
        let (t, q) = (text.as_bytes(), lowered_query.as_bytes());
        return q.is_empty() || t.windows(q.len()).any(|w| w.eq_ignore_ascii_case(q));
    }
    text.to_lowercase().contains(lowered_query)
}

/// Whether op `node` of `ir` matches `q` (lowered): its id, its op's name or a variable it
/// reads or writes contains it.
fn node_matches(ir: &Ir, node: &crate::ir::Node, q: &str) -> bool {
    let vars = node.inputs.iter().chain(node.output.iter());
    contains(&node.id, q) || contains(node.op.name(), q) || vars.into_iter().any(|&v| contains(ir.var(v), q))
}

fn scope_matches(ir: &Ir, a: &Analysis, q: &str, out: &mut Vec<String>) {
    for level in &a.levels.levels {
        for &n in level {
            let node = ir.node(n);
            if node_matches(ir, node, q) {
                out.push(node.id.clone());
            }
        }
        for &n in level {
            if let (Some(body), Some(ba)) = (&ir.node(n).body, a.body(n)) {
                scope_matches(body.ir(), ba, q, out);
            }
        }
    }
}

/// Handles `key` if it belongs to the search (any key while typing; `/` to start; `n`, `N`
/// and `Esc` while matches are shown). Returns false for keys it leaves to the panes.
pub(crate) fn on_key(app: &mut App, key: KeyEvent) -> bool {
    let typing = app.view.search.typing;
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if typing {
        match key.code {
            KeyCode::Char(c) if plain => {
                app.view.search.query.push(c);
                refresh(app);
            }
            KeyCode::Backspace => {
                if app.view.search.query.pop().is_none() {
                    app.view.search = Search::default();
                } else {
                    refresh(app);
                }
            }
            KeyCode::Enter => {
                app.view.search.typing = false;
                if app.view.search.query.is_empty() {
                    app.view.search = Search::default();
                } else if app.view.search.matches.is_empty() {
                    app.view.status = Some(format!("no op matches `{}`", app.view.search.query));
                    app.view.search = Search::default();
                }
            }
            KeyCode::Esc => app.view.search = Search::default(),
            _ => {}
        }
        return true;
    }
    match key.code {
        KeyCode::Char('/') if plain => {
            app.view.status = None;
            app.view.search = Search { typing: true, ..Search::default() };
            true
        }
        KeyCode::Char('n') if plain && app.view.search.is_active() => {
            step(app, 1);
            true
        }
        KeyCode::Char('N') if plain && app.view.search.is_active() => {
            step(app, -1);
            true
        }
        KeyCode::Esc if app.view.search.is_active() => {
            app.view.search = Search::default();
            app.view.status = None;
            true
        }
        _ => false,
    }
}

/// Re-runs the query after it changed and selects the best match: an op whose id is the
/// query, else the first.
fn refresh(app: &mut App) {
    let s = &app.model.snapshot;
    let matches = find_matches(&s.ir, &s.analysis, &app.view.search.query);
    let query = &app.view.search.query;
    let current = matches.iter().position(|id| id == query).unwrap_or(0);
    let search = &mut app.view.search;
    search.matched = matches.iter().cloned().collect();
    search.matches = matches;
    search.current = current;
    select_current(app);
}

/// Re-runs the query on a new snapshot, keeping the selected match where it still matches.
pub(crate) fn after_reload(app: &mut App) {
    if app.view.search.query.is_empty() {
        return;
    }
    let keep = app.view.search.matches.get(app.view.search.current).cloned();
    let s = &app.model.snapshot;
    let matches = find_matches(&s.ir, &s.analysis, &app.view.search.query);
    let search = &mut app.view.search;
    search.current = keep.and_then(|id| matches.iter().position(|m| *m == id)).unwrap_or(0);
    search.matched = matches.iter().cloned().collect();
    search.matches = matches;
}

/// `n` (`delta` 1) or `N` (-1): the next or previous match, wrapping round at the ends as
/// vim does, and saying so.
fn step(app: &mut App, delta: isize) {
    let search = &mut app.view.search;
    let len = search.matches.len();
    if len == 0 {
        app.view.status = Some(format!("no op matches `{}`", search.query));
        return;
    }
    let next = search.current as isize + delta;
    search.current = next.rem_euclid(len as isize) as usize;
    app.view.status = match (next < 0, next >= len as isize) {
        (true, _) => Some("search hit the top, continuing at the bottom".into()),
        (_, true) => Some("search hit the bottom, continuing at the top".into()),
        _ => None,
    };
    select_current(app);
}

fn select_current(app: &mut App) {
    if let Some(id) = app.view.search.matches.get(app.view.search.current).cloned() {
        app.select_op(&id);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The in-place ASCII comparison finds what lowering both sides finds.
        #[test]
        fn contains_ignores_case_as_lowering_does(text in "[a-zA-Z_0-9/é]{0,12}", query in "[a-zA-Z_0-9é]{0,4}") {
            let lowered = query.to_lowercase();
            prop_assert_eq!(super::contains(&text, &lowered), text.to_lowercase().contains(&lowered));
        }
    }
}
