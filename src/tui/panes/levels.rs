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
use super::super::rows::{LevelRow, OpItem, find_op_near, level_rows};
use super::super::search::Search;
use super::super::view::{OpSelection, Pane, visible_offset};
use super::{PaneContext, pane_block, put_line, row_style};

/// Width of the parallelism-factor bar.
const BAR: usize = 8;
/// The factor that fills the bar: groggy's largest (8 ops, all element-wise, x1.5 heavy).
const BAR_MAX: f64 = 12.0;

/// The levels pane widget.
pub struct LevelsPane<'a> {
    /// Colours, focus, staleness.
    pub ctx: PaneContext<'a>,
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
            expanded: &app.view.expanded,
            selection: &app.view.levels,
            search: &app.view.search,
        }
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
        // `label ` + ` ops ` + bar + ` 1.23x `, as drawn below.
        let prefix_w = label_w + 6 + BAR + 8;

        // Column header, with the domain colour legend.
        let mut head = vec![Span::styled(
            format!("{:<label_w$} {:>4} {:<BAR$} {:>6} ", "lvl", "ops", "factor", ""),
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
                Span::styled(format!(" {:>4} ", row.len()), t.text()),
                Span::styled(format!("{:<BAR$}", bar(factor, BAR_MAX, BAR)), t.factor_bar()),
                Span::styled(format!(" {factor:>5.2}x "), t.dim()),
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
