//! The critical-path pane: the heaviest path as a chain of ops, then one row per op with its
//! cost class, span and share of the path's cost.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::analysis::Analysis;
use crate::ir::{Ir, NodeId};

use super::super::app::App;
use super::super::format::{bar, cost, plural, truncate};
use super::super::view::{Nav, OpSelection, Pane, visible_offset};
use super::{PaneContext, pane_block, put_line, row_style};

/// Paths up to this long set their column widths from every op; longer ones from the ops on
/// screen.
const WHOLE_PATH_WIDTHS: usize = 10_000;

/// The critical-path pane's own state: the selected op (by id) and the scroll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathState {
    /// The selected op and the scroll (`col` is unused).
    pub selection: OpSelection,
}

impl PathState {
    /// Moves the selection on `path` (ops of `ir`): `f(index, len)` gives the new index; the
    /// op is kept by id and within `height` rows.
    fn move_to(&mut self, ir: &Ir, path: &[NodeId], height: usize, f: impl FnOnce(usize, usize) -> usize) {
        let sel = &mut self.selection;
        if path.is_empty() {
            *sel = Default::default();
            return;
        }
        let i = sel
            .id
            .as_deref()
            .and_then(|id| path.iter().position(|&n| ir.node(n).id == id))
            .unwrap_or(sel.row.min(path.len() - 1));
        let i = f(i, path.len()).min(path.len() - 1);
        sel.id = Some(ir.node(path[i]).id.clone());
        sel.row = i;
        sel.offset = visible_offset(sel.offset, i, height, path.len());
    }

    /// Finds the selected op again after the analysis or the height changed.
    pub(crate) fn keep_place(&mut self, ir: &Ir, path: &[NodeId], height: usize) {
        self.move_to(ir, path, height, |i, _| i);
    }

    /// A movement key (left and right do nothing here).
    pub(crate) fn navigate(&mut self, ir: &Ir, path: &[NodeId], nav: Nav, height: usize) {
        self.move_to(ir, path, height, |i, len| match nav {
            Nav::Up(n) => i.saturating_sub(n),
            Nav::Down(n) => i + n,
            Nav::Home => 0,
            Nav::End => len,
            Nav::Left | Nav::Right => i,
        });
    }
}

/// The critical-path pane widget.
pub struct CriticalPathPane<'a> {
    /// Colours, focus, staleness.
    pub(crate) ctx: PaneContext<'a>,
    /// The IR on screen.
    pub ir: &'a Ir,
    /// Its analysis (the path, the costs).
    pub analysis: &'a Analysis,
    /// The selected op and the scroll.
    pub selection: &'a OpSelection,
}

impl<'a> CriticalPathPane<'a> {
    /// The pane as `app` shows it.
    pub fn new(app: &'a App) -> CriticalPathPane<'a> {
        let s = &app.model.snapshot;
        CriticalPathPane {
            ctx: PaneContext::of(app, Pane::CriticalPath),
            ir: &s.ir,
            analysis: &s.analysis,
            selection: &app.view.path.selection,
        }
    }
}

impl Widget for &CriticalPathPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let (ir, a) = (self.ir, self.analysis);
        let path = &a.critical_path;
        let block =
            pane_block(self.ctx, Pane::CriticalPath, format!("{}, cost {}", plural(path.ops(), "op"), cost(path.cost)));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width < 10 {
            return;
        }
        if path.nodes.is_empty() {
            put_line(buf, inner.x, inner.y, vec![Span::styled("(no ops)", t.dim())], inner.width);
            return;
        }
        let mut chain = Vec::new();
        let mut used = 0;
        for (i, &n) in path.nodes.iter().enumerate() {
            let node = ir.node(n);
            let text = if i == 0 { node.id.clone() } else { format!(" → {}", node.id) };
            if used + text.chars().count() + 2 > inner.width as usize && i + 1 < path.nodes.len() {
                chain.push(Span::styled(" → …", t.dim()));
                break;
            }
            used += text.chars().count();
            chain.push(Span::styled(text, t.domain(&node.domain).patch(t.critical())));
        }
        put_line(buf, inner.x, inner.y, chain, inner.width);

        let list = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        let total = path.cost.max(f64::MIN_POSITIVE);
        let sel = self.selection.row.min(path.nodes.len() - 1);
        let offset = visible_offset(self.selection.offset, sel, list.height as usize, path.nodes.len());
        // Column widths from the whole path, or from the rows on screen when it is long (a
        // million-op IR's has 57,000 ops: measuring them all took 20 ms a frame).
        let shown = match path.nodes.len() {
            0..=WHOLE_PATH_WIDTHS => &path.nodes[..],
            len => &path.nodes[offset..(offset + list.height as usize).min(len)],
        };
        let id_w = shown.iter().map(|&n| ir.node(n).id.chars().count()).max().unwrap_or(4).clamp(4, 16);
        let op_w = shown.iter().map(|&n| ir.node(n).op.name().chars().count()).max().unwrap_or(2).clamp(2, 18);
        let fixed = id_w + 1 + op_w + 1 + 7 + 1 + 9 + 8;
        let bar_w = (list.width as usize).saturating_sub(fixed).min(30);
        for (i, &n) in path.nodes.iter().enumerate().skip(offset).take(list.height as usize) {
            let node = ir.node(n);
            let c = a.costs[n.index()];
            let share = c.span / total;
            let style = row_style(self.ctx, i == sel);
            let spans = vec![
                Span::styled(format!("{:<id_w$}", truncate(&node.id, id_w)), t.domain(&node.domain).patch(style)),
                Span::styled(format!(" {:<op_w$}", truncate(node.op.name(), op_w)), style),
                Span::styled(format!(" {:<7}", c.class.label()), t.dim()),
                Span::styled(format!(" {:>9}", cost(c.span)), t.text()),
                Span::styled(format!(" {:>5.1}% ", share * 100.0), t.value()),
                Span::styled(bar(share, 1.0, bar_w), t.share_bar()),
            ];
            put_line(buf, list.x, list.y + (i - offset) as u16, spans, list.width);
        }
    }
}
