//! The levels pane: one row per level (index, op count, a bar for the group's parallelism
//! factor, the ops coloured by domain with the critical path marked `*`), and the body
//! levels of expanded loops under the row that holds them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::ir::{Domain, Ir};

use super::super::app::App;
use super::super::format::{bar, truncate};
use super::super::rows::{LevelRow, OpItem, find_op_near, level_rows, locate};
use super::super::search::Search;
use super::super::view::{Nav, OpSelection, Pane, visible_offset};
use super::{PaneContext, pane_block, put_line, row_style};

/// Width of the parallelism-factor bar.
const BAR: usize = 8;
/// The factor that fills the bar: groggy's largest (8 ops, all element-wise, x1.5 heavy).
const BAR_MAX: f64 = 12.0;

/// The levels pane widget.
pub struct LevelsPane<'a> {
    /// Colours, focus, staleness.
    pub(crate) ctx: PaneContext<'a>,
    /// The IR on screen.
    pub ir: &'a Ir,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// The loops and blocks shown open.
    pub expanded: &'a BTreeSet<String>,
    /// The selected op and the scroll.
    pub selection: &'a OpSelection,
    /// The `/` search, whose matches are marked.
    pub search: &'a Search,
}

impl<'a> LevelsPane<'a> {
    /// The pane as `app` shows it.
    pub fn new(app: &'a App) -> LevelsPane<'a> {
        let s = &app.model.snapshot;
        LevelsPane {
            ctx: PaneContext::of(app, Pane::Levels),
            ir: &s.ir,
            analysis: &s.analysis,
            expanded: &app.view.levels.expanded,
            selection: &app.view.levels.selection,
            search: &app.view.search,
        }
    }
}

/// The levels pane's own state: the selected op, the scroll, and the loops and blocks shown
/// open. Its methods are the pane's keys; each takes the analysis on screen and the list's
/// height.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelsState {
    /// The selected op (by id) and the scroll.
    pub selection: OpSelection,
    /// Loops and blocks whose body levels are shown, by id.
    pub expanded: BTreeSet<String>,
}

impl LevelsState {
    /// The pane's rows for `ir` with this state's open bodies.
    pub fn rows<'a>(&'a self, ir: &'a Ir, analysis: &'a Analysis) -> Vec<LevelRow<'a>> {
        level_rows(ir, analysis, &self.expanded)
    }

    /// Moves the selection: `f(rows, row, col, sticky col)` gives the new `(row, col)`; the
    /// op there is selected by id and kept within `height` rows.
    fn move_to(
        &mut self,
        ir: &Ir,
        analysis: &Analysis,
        height: usize,
        f: impl FnOnce(&[LevelRow<'_>], usize, usize, usize) -> (usize, usize),
    ) {
        let sel = &self.selection;
        let rows = level_rows(ir, analysis, &self.expanded);
        let picked = (!rows.is_empty()).then(|| {
            let (r, c) = sel.id.as_deref().and_then(|id| find_op_near(&rows, id, sel.row)).unwrap_or_else(|| {
                let r = sel.row.min(rows.len() - 1);
                (r, sel.col.min(rows[r].len().saturating_sub(1)))
            });
            let (r, c) = f(&rows, r, c, sel.col);
            let r = r.min(rows.len() - 1);
            let c = c.min(rows[r].len().saturating_sub(1));
            (c < rows[r].len()).then(|| (rows[r].op(c).id.to_owned(), r))
        });
        let len = rows.len();
        let sel = &mut self.selection;
        match picked.flatten() {
            Some((id, r)) => {
                sel.id = Some(id);
                sel.row = r;
            }
            None => *sel = Default::default(),
        }
        sel.offset = visible_offset(sel.offset, sel.row, height, len);
    }

    /// Finds the selected op again after the analysis, the open bodies or the height changed:
    /// by id where it still exists, else the nearest row.
    pub(crate) fn keep_place(&mut self, ir: &Ir, analysis: &Analysis, height: usize) {
        self.move_to(ir, analysis, height, |_, r, c, _| (r, c));
    }

    /// A movement key: up and down keep the column, left and right move along the level.
    pub(crate) fn navigate(&mut self, ir: &Ir, analysis: &Analysis, nav: Nav, height: usize) {
        self.move_to(ir, analysis, height, |rows, r, c, sticky| match nav {
            Nav::Up(n) => (r.saturating_sub(n), sticky),
            Nav::Down(n) => (r + n, sticky),
            Nav::Left => (r, c.saturating_sub(1)),
            Nav::Right => (r, c + 1),
            Nav::Home => (0, 0),
            Nav::End => (rows.len().saturating_sub(1), 0),
        });
        if matches!(nav, Nav::Left | Nav::Right | Nav::Home | Nav::End) {
            let rows = level_rows(ir, analysis, &self.expanded);
            let sel = &self.selection;
            let col = sel.id.as_deref().and_then(|id| find_op_near(&rows, id, sel.row)).map_or(0, |(_, c)| c);
            self.selection.col = col;
        }
    }

    /// A click on list row `row`: selects the op of that row in the selection's column (the
    /// last one when the row is shorter). Rows past the end do nothing.
    pub(crate) fn click_row(&mut self, ir: &Ir, analysis: &Analysis, row: usize, height: usize) {
        if row < level_rows(ir, analysis, &self.expanded).len() {
            self.move_to(ir, analysis, height, |_, _, _, sticky| (row, sticky));
        }
    }

    /// Space: opens or closes the selected loop's body; on an op inside a body, closes that
    /// body and selects its loop. Returns what to tell the user when the op has no body.
    pub(crate) fn toggle_body(&mut self, ir: &Ir, analysis: &Analysis, height: usize) -> Option<String> {
        let (target, owner) = {
            let rows = level_rows(ir, analysis, &self.expanded);
            let sel = &self.selection;
            let (r, c) = sel.id.as_deref().and_then(|id| find_op_near(&rows, id, sel.row))?;
            let op = rows[r].op(c);
            (op.body.map(|_| op.id.to_owned()), rows[r].owner.map(str::to_owned))
        };
        match (target, owner) {
            (Some(id), _) => {
                if !self.expanded.remove(&id) {
                    self.expanded.insert(id);
                }
            }
            (None, Some(owner)) => {
                self.expanded.remove(&owner);
                self.selection.id = Some(owner);
            }
            (None, None) => {
                return Some("Space opens a loop or block (its ops have ▸); this op has no body".into());
            }
        }
        self.keep_place(ir, analysis, height);
        None
    }

    /// Selects op `id`, opening the loops and blocks around it. False when there is no such op.
    pub(crate) fn select(&mut self, ir: &Ir, analysis: &Analysis, id: &str, height: usize) -> bool {
        let Some(found) = locate(ir, analysis, id) else { return false };
        self.expanded.extend(found.parents.iter().map(|&(p, _)| p.to_owned()));
        self.selection.id = Some(id.to_owned());
        self.keep_place(ir, analysis, height);
        true
    }

    /// Selects the first op of top-level `level` (Enter on a group). False when there is none.
    pub(crate) fn select_level(&mut self, ir: &Ir, analysis: &Analysis, level: usize, height: usize) -> bool {
        let first = {
            let rows = level_rows(ir, analysis, &self.expanded);
            rows.iter().position(|r| r.owner.is_none() && r.level == level).map(|r| (r, rows[r].op(0).id.to_owned()))
        };
        let Some((row, id)) = first else { return false };
        self.selection = OpSelection { id: Some(id), row, col: 0, offset: self.selection.offset };
        self.keep_place(ir, analysis, height);
        true
    }
}

/// The row's label: `L3` at the top level, `node_11 L0` (indented) inside a body.
fn label(row: &LevelRow<'_>) -> String {
    match row.owner {
        None => format!("L{}", row.level),
        Some(owner) => format!("{}↳{owner} L{}", "  ".repeat(row.depth - 1), row.level),
    }
}

/// An op's text: `*node_11 iter_loop ×20 ▸`.
fn op_text(op: &OpItem<'_>) -> String {
    let mark = if op.critical { "*" } else { "" };
    let body = match op.body {
        Some((n, true)) => format!(" ×{n} ▾"),
        Some((n, false)) => format!(" ×{n} ▸"),
        None => String::new(),
    };
    format!("{mark}{} {}{body}", op.id, op.op)
}

/// The first op to draw so that op `sel` of `row` fits in `width` cells (with `… ` before
/// it when ops are skipped, and the `  +N` count of the ops after it), looking only at the
/// ops that fit.
fn first_visible(row: &LevelRow<'_>, sel: usize, width: usize) -> usize {
    let rest = row.len() - sel - 1;
    let more = if rest > 0 { format!("  +{rest}").len() } else { 0 };
    let mut start = sel;
    let mut widths = op_text(&row.op(sel)).chars().count();
    while start > 0 {
        let s = start - 1;
        let with = widths + op_text(&row.op(s)).chars().count();
        let need = with + 2 * (sel - s) + if s > 0 { 2 } else { 0 } + more;
        if need > width {
            break;
        }
        widths = with;
        start = s;
    }
    start
}

impl Widget for &LevelsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let a = self.analysis;
        let rows = level_rows(self.ir, a, self.expanded);
        let expand_hint = if self.expanded.is_empty() { "" } else { ", bodies open" };
        let block = pane_block(
            self.ctx,
            Pane::Levels,
            format!("{}{expand_hint}", super::super::format::plural(a.levels.len(), "level")),
        );
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width < 10 {
            return;
        }
        // Top-level labels are `L<k>`; only the rows of open bodies need measuring.
        let top_w = 1 + a.levels.len().saturating_sub(1).to_string().len();
        let body_w = rows.iter().filter(|r| r.owner.is_some()).map(|r| label(r).chars().count()).max().unwrap_or(0);
        let label_w = top_w.max(body_w).clamp(3, 24);
        // The count and the factor take the widest row's digits, so the op lists start in
        // one column (a level of 10,000 ops or a factor of 100 shift no row).
        let ops_w = rows.iter().map(|r| r.len().to_string().len()).max().unwrap_or(0).max(4);
        let factor_w =
            rows.iter().map(|r| format!("{:.2}", r.group.parallelism_factor).len()).max().unwrap_or(0).max(5);
        // `label ` + ` ops ` + bar + ` 1.23x `, as drawn below.
        let prefix_w = label_w + ops_w + 2 + BAR + factor_w + 3;

        // Column header, with the domain colour legend.
        let mut head = vec![Span::styled(
            format!("{:<label_w$} {:>ops_w$} {:<BAR$} {:>w$} ", "lvl", "ops", "factor", "", w = factor_w + 1),
            t.table_header(),
        )];
        head.push(Span::styled("ops: ", t.dim()));
        head.push(Span::styled("*", t.critical_mark()));
        head.push(Span::styled("critical · ", t.dim()));
        for (i, d) in [Domain::Core, Domain::Graph, Domain::Attr, Domain::Control, Domain::Execution].iter().enumerate()
        {
            if i > 0 {
                head.push(Span::raw(" "));
            }
            head.push(Span::styled(d.as_str().to_owned(), t.domain(d)));
        }
        put_line(buf, inner.x, inner.y, head, inner.width);

        let list = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        let sel = self.selection;
        let selected = sel.id.as_deref().and_then(|id| find_op_near(&rows, id, sel.row));
        let offset = visible_offset(sel.offset, selected.map_or(0, |s| s.0), list.height as usize, rows.len());
        let focused = self.ctx.focused;
        for (i, row) in rows.iter().enumerate().skip(offset).take(list.height as usize) {
            let y = list.y + (i - offset) as u16;
            let sel_here = selected.filter(|s| s.0 == i).map(|s| s.1);
            let factor = row.group.parallelism_factor;
            let label_style = if sel_here.is_some() && focused { t.title(true) } else { t.text() };
            let mut spans = vec![
                Span::styled(format!("{:<label_w$}", truncate(&label(row), label_w)), label_style),
                Span::styled(format!(" {:>ops_w$} ", row.len()), t.text()),
                Span::styled(format!("{:<BAR$}", bar(factor, BAR_MAX, BAR)), t.factor_bar()),
                Span::styled(format!(" {factor:>factor_w$.2}x "), t.dim()),
            ];
            let avail = (list.width as usize).saturating_sub(prefix_w);
            let start = sel_here.map_or(0, |s| first_visible(row, s, avail));
            let mut used = 0;
            if start > 0 {
                spans.push(Span::styled("… ", t.dim()));
                used += 2;
            }
            let mut shown = start;
            for k in start..row.len() {
                let op = row.op(k);
                let text = op_text(&op);
                let width = text.chars().count();
                let gap = if k > start { 2 } else { 0 };
                let rest = row.len() - k - 1;
                let more = if rest > 0 { format!("  +{rest}").len() } else { 0 };
                if used + gap + width + more > avail && !(k == start && sel_here.is_some()) {
                    break;
                }
                if gap > 0 {
                    spans.push(Span::raw("  "));
                }
                let mut style = t.domain(op.domain);
                if op.critical {
                    style = style.patch(t.critical());
                }
                if self.search.is_match(op.id) {
                    style = style.patch(t.search_match());
                }
                let sel_style = row_style(self.ctx, sel_here == Some(k));
                if op.critical {
                    spans.push(Span::styled("*", t.critical_mark().patch(sel_style)));
                }
                let text = if op.critical { text[1..].to_owned() } else { text };
                spans.push(Span::styled(text, style.patch(sel_style)));
                used += gap + width;
                shown = k + 1;
            }
            if shown < row.len() {
                spans.push(Span::styled(format!("  +{}", row.len() - shown), t.dim()));
            }
            put_line(buf, list.x, y, spans, list.width);
        }
        if rows.len() > list.height as usize {
            let end = (offset + list.height as usize).min(rows.len());
            let pos = format!(" {}-{} of {} ", offset + 1, end, rows.len());
            let x = area.x + area.width.saturating_sub(pos.len() as u16 + 2);
            buf.set_string(x, area.y + area.height - 1, pos, t.dim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pagerank() -> (Ir, Analysis) {
        let text = include_bytes!("../../../samples/pagerank_loop.json");
        let ir = crate::ir::load_bytes(text, std::path::Path::new("pagerank_loop.json")).expect("the sample loads");
        let analysis = crate::analysis::analyze(&ir);
        (ir, analysis)
    }

    #[test]
    fn selecting_a_body_op_opens_its_loop_and_space_there_closes_it_onto_the_loop() {
        let (ir, a) = pagerank();
        let mut state = LevelsState::default();
        state.keep_place(&ir, &a, 10);
        let top = state.rows(&ir, &a).len();
        assert!(!state.select(&ir, &a, "no_such_op", 10));
        assert!(state.select(&ir, &a, "node_11/0", 10));
        assert!(state.expanded.contains("node_11"));
        assert!(state.rows(&ir, &a).len() > top);
        assert_eq!(state.selection.id.as_deref(), Some("node_11/0"));
        assert_eq!(state.toggle_body(&ir, &a, 10), None);
        assert_eq!(state.selection.id.as_deref(), Some("node_11"));
        assert_eq!(state.rows(&ir, &a).len(), top);
        state.navigate(&ir, &a, Nav::Home, 10);
        assert_ne!(state.selection.id.as_deref(), Some("node_11"));
        assert!(state.toggle_body(&ir, &a, 10).is_some_and(|why| why.contains("no body")));
    }

    #[test]
    fn the_selection_stays_within_the_height_as_it_moves() {
        let (ir, a) = pagerank();
        let mut state = LevelsState::default();
        state.navigate(&ir, &a, Nav::End, 2);
        let rows = state.rows(&ir, &a).len();
        assert_eq!(state.selection.row, rows - 1);
        assert_eq!(state.selection.offset, rows - 2);
        state.navigate(&ir, &a, Nav::Up(100), 2);
        assert_eq!((state.selection.row, state.selection.offset), (0, 0));
        assert!(state.selection.id.is_some());
    }
}
