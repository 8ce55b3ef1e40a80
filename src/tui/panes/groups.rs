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
use super::super::view::{GroupKey, GroupSort, Nav, Pane, visible_offset};
use super::{PaneContext, pane_block};

/// The groups pane widget.
pub struct GroupsPane<'a> {
    /// Colours, focus, staleness.
    pub(crate) ctx: PaneContext<'a>,
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
            sort: app.view.groups.sort,
            selected: app.view.groups.selected,
            offset: app.view.groups.offset,
        }
    }
}

/// The groups pane's own state: the selected group, the scroll and the sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupsState {
    /// The selected group, as its level index.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// The table's order.
    pub sort: GroupSort,
}

impl Default for GroupsState {
    fn default() -> GroupsState {
        GroupsState { selected: 0, offset: 0, sort: GroupSort { key: GroupKey::Index, descending: false } }
    }
}

impl GroupsState {
    /// Moves the selection by `delta` rows in the table's order, within `height` rows.
    fn step(&mut self, groups: &[ParallelGroup], delta: isize, height: usize) {
        let order = sorted(groups, self.sort);
        if order.is_empty() {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        let at = order.iter().position(|&g| g == self.selected).unwrap_or(0);
        let at = at.saturating_add_signed(delta).min(order.len() - 1);
        self.selected = order[at];
        self.offset = visible_offset(self.offset, at, height, order.len());
    }

    /// Keeps the selection on a group of `groups` and in view after they or the height
    /// changed.
    pub(crate) fn keep_place(&mut self, groups: &[ParallelGroup], height: usize) {
        self.selected = self.selected.min(groups.len().saturating_sub(1));
        self.step(groups, 0, height);
    }

    /// A movement key (left and right do nothing here).
    pub(crate) fn navigate(&mut self, groups: &[ParallelGroup], nav: Nav, height: usize) {
        let delta = match nav {
            Nav::Up(n) => -(n as isize),
            Nav::Down(n) => n as isize,
            Nav::Home => isize::MIN / 2,
            Nav::End => isize::MAX / 2,
            Nav::Left | Nav::Right => return,
        };
        self.step(groups, delta, height);
    }

    /// A click on table row `row` (in the table's order) selects that group; rows past the
    /// end do nothing.
    pub(crate) fn click_row(&mut self, groups: &[ParallelGroup], row: usize, height: usize) {
        let order = sorted(groups, self.sort);
        if let Some(&g) = order.get(row) {
            self.selected = g;
            self.step(groups, 0, height);
        }
    }

    /// `s`: sort by the next column (largest first, except by index).
    pub(crate) fn next_sort(&mut self, groups: &[ParallelGroup], height: usize) {
        self.sort.key = self.sort.key.next();
        self.sort.descending = self.sort.key != GroupKey::Index;
        self.step(groups, 0, height);
    }

    /// `S`: reverse the sort.
    pub(crate) fn reverse_sort(&mut self, groups: &[ParallelGroup], height: usize) {
        self.sort.descending = !self.sort.descending;
        self.step(groups, 0, height);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups with these op counts (nothing else differs).
    fn groups(ops: &[usize]) -> Vec<ParallelGroup> {
        ops.iter()
            .map(|&n| ParallelGroup {
                nodes: (0..n as u32).map(crate::ir::NodeId).collect(),
                shared_inputs: Vec::new(),
                outputs: Vec::new(),
                depends_on: Vec::new(),
                parallelism_factor: 1.0,
            })
            .collect()
    }

    #[test]
    fn sorting_keeps_the_selected_group_and_scrolls_to_it() {
        let g = groups(&[1, 5, 2, 9, 3, 4]);
        let mut state = GroupsState::default();
        state.navigate(&g, Nav::Down(1), 2);
        assert_eq!((state.selected, state.offset), (1, 0));
        // By ops, largest first: 3, 1, 5, 4, 2, 0; group 1 is the second row.
        state.next_sort(&g, 2);
        assert_eq!(sorted(&g, state.sort), [3, 1, 5, 4, 2, 0]);
        assert_eq!((state.selected, state.offset), (1, 0));
        // Reversed, it is the fifth row, so the window of 2 rows moves to show it.
        state.reverse_sort(&g, 2);
        assert_eq!(sorted(&g, state.sort), [0, 2, 4, 5, 1, 3]);
        assert_eq!((state.selected, state.offset), (1, 3));
        state.navigate(&g, Nav::End, 2);
        assert_eq!(state.selected, 3);
        state.navigate(&g, Nav::Left, 2);
        assert_eq!(state.selected, 3, "left and right do nothing in the table");
    }

    #[test]
    fn fewer_groups_after_a_reload_keep_the_selection_on_one_of_them() {
        let mut state = GroupsState { selected: 5, offset: 4, ..GroupsState::default() };
        state.keep_place(&groups(&[1, 1, 1]), 2);
        assert_eq!((state.selected, state.offset), (2, 1));
        state.keep_place(&[], 2);
        assert_eq!((state.selected, state.offset), (0, 0));
    }
}
