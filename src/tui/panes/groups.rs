//! The groups pane: groggy's parallel groups (one per level) as a sortable table: ops,
//! factor, shared inputs, outputs, and the groups each depends on.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState, Widget};

use crate::ir::{Ir, VarId};

use super::super::app::App;
use super::super::view::{GroupKey, Pane, visible_offset};
use super::pane_block;

/// The groups pane widget.
pub struct GroupsPane<'a> {
    /// The state to show.
    pub app: &'a App,
}

/// `3: a, b, c` (count, then names in variable order).
fn names(ir: &Ir, vars: &[VarId]) -> String {
    if vars.is_empty() {
        return "-".into();
    }
    let list: Vec<&str> = vars.iter().take(40).map(|&v| ir.var(v)).collect();
    format!("{}: {}", vars.len(), list.join(", "))
}

impl Widget for &GroupsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.view.theme;
        let (ir, a) = (&app.model.snapshot.ir, &app.model.snapshot.analysis);
        let sort = app.view.group_sort;
        let block = pane_block(app, Pane::Groups, format!("{} · s sort, S reverse", a.groups.len()));
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
        let order = app.sorted_groups();
        let height = inner.height.saturating_sub(1) as usize;
        let at = order.iter().position(|&g| g == app.view.group).unwrap_or(0);
        let offset = visible_offset(app.view.group_offset, at, height, order.len());
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
                    Cell::from(if deps.is_empty() { "-".to_owned() } else { deps }),
                    Cell::from(names(ir, &g.shared_inputs)),
                    Cell::from(names(ir, &g.outputs)),
                ])
            })
            .collect();
        let widths = [
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ];
        let highlight = if app.view.focus == Pane::Groups { t.selected() } else { t.selected_unfocused() };
        let table = Table::new(rows, widths).header(header).column_spacing(1).row_highlight_style(highlight);
        let mut state = TableState::default().with_selected(Some(at - offset));
        StatefulWidget::render(table, inner, buf, &mut state);
    }
}
