//! The groups pane: groggy's parallel groups (one per level) as a sortable table: ops,
//! factor, shared inputs, outputs, and the groups each depends on.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState, Widget};

use crate::analysis::{Analysis, ParallelGroup};
use crate::ir::{Ir, VarId};

use super::super::app::App;
use super::super::format::truncate;
use super::super::view::{GroupKey, GroupSort, Pane, visible_offset};
use super::{PaneContext, pane_block};

/// The groups pane widget.
pub struct GroupsPane<'a> {
    /// Colours, focus, staleness.
    pub ctx: PaneContext<'a>,
    /// The IR on screen (for variable names).
    pub ir: &'a Ir,
    /// Its analysis (the groups).
    pub analysis: &'a Analysis,
    /// The table's order.
    pub sort: GroupSort,
    /// The selected group (its level index).
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

impl<'a> GroupsPane<'a> {
    /// The pane as `app` shows it.
    pub fn new(app: &'a App) -> GroupsPane<'a> {
        let s = &app.model.snapshot;
        GroupsPane {
            ctx: PaneContext::of(app, Pane::Groups),
            ir: &s.ir,
            analysis: &s.analysis,
            sort: app.view.group_sort,
            selected: app.view.group,
            offset: app.view.group_offset,
        }
    }
}

/// Group indices in the table's order under `sort` (ties in index order).
pub fn sorted(groups: &[ParallelGroup], sort: GroupSort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        let (ga, gb) = (&groups[a], &groups[b]);
        let o = match sort.key {
            GroupKey::Index => a.cmp(&b),
            GroupKey::Ops => ga.nodes.len().cmp(&gb.nodes.len()),
            GroupKey::Factor => ga.parallelism_factor.total_cmp(&gb.parallelism_factor),
            GroupKey::Inputs => ga.shared_inputs.len().cmp(&gb.shared_inputs.len()),
            GroupKey::Outputs => ga.outputs.len().cmp(&gb.outputs.len()),
        };
        let o = if sort.descending { o.reverse() } else { o };
        o.then(a.cmp(&b))
    });
    order
}

/// `3: a, b, c` (count, then names in variable order) in at most `width` cells: whole names
/// only, then `…` for the ones left out (a single name too long for the column is cut with `…`).
fn names(ir: &Ir, vars: &[VarId], width: usize) -> String {
    if vars.is_empty() {
        return "-".into();
    }
    let mut out = format!("{}: ", vars.len());
    for (i, &v) in vars.iter().enumerate() {
        let name = ir.var(v);
        let sep = if i > 0 { ", " } else { "" };
        let more = if i + 1 < vars.len() { ", …".chars().count() } else { 0 };
        if out.chars().count() + sep.len() + name.chars().count() + more > width {
            if i == 0 {
                return truncate(&format!("{out}{name}"), width);
            }
            out.push_str(", …");
            return out;
        }
        out.push_str(sep);
        out.push_str(name);
    }
    out
}

impl Widget for &GroupsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let (ir, a) = (self.ir, self.analysis);
        let sort = self.sort;
        let block = pane_block(self.ctx, Pane::Groups, format!("{} · s sort, S reverse", a.groups.len()));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 {
            return;
        }
        let arrow = |k: GroupKey, name: &str| {
            if sort.key == k {
                format!("{name}{}", if sort.descending { "↓" } else { "↑" })
            } else {
                name.to_owned()
            }
        };
        let header = Row::new(vec![
            Cell::from(arrow(GroupKey::Index, "#")),
            Cell::from(arrow(GroupKey::Ops, "ops")),
            Cell::from(arrow(GroupKey::Factor, "factor")),
            Cell::from("deps on"),
            Cell::from(arrow(GroupKey::Inputs, "shared inputs")),
            Cell::from(arrow(GroupKey::Outputs, "outputs")),
        ])
        .style(t.table_header());
        let widths = [
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ];
        // The columns' widths, fixed here so that long lists are cut at a name, with `…`.
        let columns = Layout::horizontal(widths).spacing(1).split(inner);
        let widths: Vec<Constraint> = columns.iter().map(|c| Constraint::Length(c.width)).collect();
        let cell_w = |i: usize| columns[i].width as usize;
        let order = sorted(&a.groups, sort);
        let height = inner.height.saturating_sub(1) as usize;
        let at = order.iter().position(|&g| g == self.selected).unwrap_or(0);
        let offset = visible_offset(self.offset, at, height, order.len());
        let rows: Vec<Row> = order
            .iter()
            .skip(offset)
            .take(height)
            .map(|&k| {
                let g = &a.groups[k];
                let deps = g.depends_on.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
                Row::new(vec![
                    Cell::from(k.to_string()),
                    Cell::from(g.nodes.len().to_string()),
                    Cell::from(Span::styled(format!("{:.3}", g.parallelism_factor), t.factor_bar())),
                    Cell::from(if deps.is_empty() { "-".to_owned() } else { truncate(&deps, cell_w(3)) }),
                    Cell::from(names(ir, &g.shared_inputs, cell_w(4))),
                    Cell::from(names(ir, &g.outputs, cell_w(5))),
                ])
            })
            .collect();
        let highlight = if self.ctx.focused { t.selected() } else { t.selected_unfocused() };
        let table = Table::new(rows, widths).header(header).column_spacing(1).row_highlight_style(highlight);
        let mut state = TableState::default().with_selected(Some(at - offset));
        StatefulWidget::render(table, inner, buf, &mut state);
    }
}
