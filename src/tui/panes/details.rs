//! The details overlay: everything about one op (inputs, outputs, metadata, dependencies by
//! kind both ways, level, cost), read from the analysis of the scope it lives in.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::analysis::{DepKind, Dependency};
use crate::ir::{Ir, NodeId};

use super::super::app::App;
use super::super::format::{cost, plural};
use super::super::rows::{Located, locate};
use super::centered;

/// The details overlay widget.
pub struct Details<'a> {
    /// The state to show.
    pub app: &'a App,
    /// The op's file id.
    pub id: &'a str,
}

const KINDS: [DepKind; 4] =
    [DepKind::ReadAfterWrite, DepKind::WriteAfterRead, DepKind::WriteAfterWrite, DepKind::SideEffectOrder];

/// Most names listed in one line of the overlay; the rest are counted (an op with a million
/// inputs would otherwise take seconds to wrap on every draw).
pub(crate) const MAX_LISTED: usize = 100;

/// `items` joined by commas, at most [`MAX_LISTED`] of them, then `… and N more`.
fn capped(items: impl ExactSizeIterator<Item = String>) -> String {
    let total = items.len();
    let mut text = items.take(MAX_LISTED).collect::<Vec<_>>().join(", ");
    if total > MAX_LISTED {
        text.push_str(&format!(", … and {} more", total - MAX_LISTED));
    }
    text
}

fn edge_list(ir: &Ir, edges: &[&Dependency], other: impl Fn(&Dependency) -> NodeId) -> String {
    capped(edges.iter().map(|d| match d.var {
        Some(v) => format!("{} ({})", ir.node(other(d)).id, ir.var(v)),
        None => ir.node(other(d)).id.clone(),
    }))
}

/// The overlay's text.
pub(crate) fn lines<'a>(app: &'a App, id: &str) -> Vec<Line<'a>> {
    let t = &app.view.theme;
    let s = &app.model.snapshot;
    let Some(Located { ir, analysis: a, node: n, parents }) = locate(&s.ir, &s.analysis, id) else {
        return vec![Line::from(Span::styled(format!("{id} is no longer in the IR (it changed on reload)."), t.bad()))];
    };
    let node = ir.node(n);
    let key = |k: &str| Span::styled(format!("{k:<12}"), t.heading());
    let names = |vars: &[crate::ir::VarId]| {
        if vars.is_empty() { "-".to_owned() } else { capped(vars.iter().map(|&v| ir.var(v).to_owned())) }
    };
    let mut out = Vec::new();
    out.push(Line::from(vec![
        key("op"),
        Span::styled(node.op.to_string(), t.domain(&node.domain).patch(t.value())),
        Span::styled(format!("  (domain {})", node.domain.as_str()), t.dim()),
    ]));
    let mut level = format!("{}", a.levels.level(n));
    for (owner, iterations) in parents.iter().rev() {
        level.push_str(&format!(" in the body of {owner} (×{iterations})"));
    }
    out.push(Line::from(vec![key("level"), Span::raw(level)]));
    let c = a.costs[n.index()];
    let on_path = a.critical_path.nodes.contains(&n);
    let mut cost_spans =
        vec![key("cost"), Span::raw(format!("{} · work {} · span {}", c.class.label(), cost(c.work), cost(c.span)))];
    if on_path {
        let share = 100.0 * c.span / a.critical_path.cost.max(f64::MIN_POSITIVE);
        cost_spans.push(Span::styled(format!(" · on the critical path, {share:.1}% of its cost"), t.critical_mark()));
    }
    out.push(Line::from(cost_spans));
    out.push(Line::from(vec![key("inputs"), Span::raw(names(&node.inputs))]));
    out.push(Line::from(vec![key("output"), Span::raw(node.output.map_or("-".to_owned(), |v| ir.var(v).to_owned()))]));
    for r in &node.implicit_reads {
        out.push(Line::from(vec![key("also reads"), Span::raw(format!("{} (from {})", ir.var(r.var), r.source))]));
    }
    let fx = a.effects.of(n);
    if fx.reads != node.inputs.as_slice() || node.body.is_some() {
        out.push(Line::from(vec![key("reads"), Span::raw(names(fx.reads))]));
        out.push(Line::from(vec![key("writes"), Span::raw(names(fx.writes))]));
    }
    if fx.side_effect {
        out.push(Line::from(vec![key("effects"), Span::raw("writes outside the IR: keeps its program order")]));
    }
    if let (Some(body), Some(ba)) = (&node.body, a.body(n)) {
        out.push(Line::from(vec![
            key("body"),
            Span::raw(format!(
                "{} × {}; per iteration {}, critical path {} (cost {}), work {}; Space in Levels opens it",
                body.iterations(),
                plural(body.ir().len(), "op"),
                plural(ba.levels.len(), "level"),
                plural(ba.critical_path.ops(), "op"),
                cost(ba.critical_path.cost),
                cost(ba.work)
            )),
        ]));
    }
    if node.metadata.is_empty() {
        out.push(Line::from(vec![key("metadata"), Span::styled("(none)", t.dim())]));
    } else {
        out.push(Line::from(key("metadata")));
        for (k, v) in &node.metadata {
            let mut text = v.to_string();
            if text.len() > 400 {
                text.truncate(text.floor_char_boundary(400));
                text.push('…');
            }
            out.push(Line::from(vec![Span::styled(format!("  {k} = "), t.dim()), Span::raw(text)]));
        }
    }
    let incoming: Vec<&Dependency> = a.deps.incoming(n).iter().collect();
    let outgoing: Vec<&Dependency> = a.deps.outgoing(n).collect();
    for (title, edges, other) in [
        ("depends on", incoming, (|d: &Dependency| d.from) as fn(&Dependency) -> NodeId),
        ("needed by", outgoing, |d: &Dependency| d.to),
    ] {
        out.push(Line::from(Span::styled(format!("{title} ({})", edges.len()), t.heading())));
        if edges.is_empty() {
            out.push(Line::from(Span::styled("  nothing", t.dim())));
        }
        for kind in KINDS {
            let of_kind: Vec<&Dependency> = edges.iter().copied().filter(|d| d.kind == kind).collect();
            if !of_kind.is_empty() {
                out.push(Line::from(vec![
                    Span::styled(format!("  {:<19}", kind.as_str()), t.dim()),
                    Span::raw(edge_list(ir, &of_kind, other)),
                ]));
            }
        }
    }
    let notes: Vec<_> = s.analysis.diagnostics.iter().filter(|d| d.node.as_deref() == Some(id)).collect();
    if !notes.is_empty() {
        out.push(Line::from(Span::styled("findings", t.heading())));
        if notes.len() > MAX_LISTED {
            let more = notes.len() - MAX_LISTED;
            out.push(Line::from(Span::styled(
                format!("  ({more} more below the first {MAX_LISTED}; see the Diagnostics pane)"),
                t.dim(),
            )));
        }
        for d in notes.into_iter().take(MAX_LISTED) {
            out.push(Line::from(vec![
                Span::styled(format!("  {} [{}] ", d.severity, d.code), t.severity(d.severity)),
                Span::raw(d.message.clone()),
            ]));
        }
    }
    out
}

/// The popup's place in `area` and the rows of `text` once word-wrapped in it, exactly as
/// the paragraph wraps them.
fn popup(area: Rect, text: &[Line<'_>]) -> (Rect, usize) {
    let w = (area.width * 4 / 5).max(60.min(area.width));
    let inner_w = w.saturating_sub(2).max(1);
    let rows = Paragraph::new(text.to_vec()).wrap(Wrap { trim: false }).line_count(inner_w);
    let h = (rows as u16).saturating_add(2).min(area.height.saturating_sub(2)).max(5.min(area.height));
    (centered(area, w, h), rows)
}

/// The furthest op `id`'s details scroll in `area`: the last row at the bottom of the box.
pub(crate) fn max_scroll(app: &App, id: &str, area: Rect) -> usize {
    let (popup, rows) = popup(area, &lines(app, id));
    rows.saturating_sub(popup.height.saturating_sub(2) as usize)
}

impl Widget for &Details<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = &self.app.view.theme;
        let text = lines(self.app, self.id);
        let (popup, rows) = popup(area, &text);
        let h = popup.height;
        Clear.render(popup, buf);
        let title = match locate(&self.app.model.snapshot.ir, &self.app.model.snapshot.analysis, self.id) {
            Some(l) => format!(" {} · {} ", self.id, l.ir.node(l.node).op),
            None => format!(" {} ", self.id),
        };
        let block = Block::bordered()
            .border_style(t.border(true))
            .title(Span::styled(title, t.title(true)))
            .title_bottom(Span::styled(" Esc/Enter close · ↑↓ scroll ", t.dim()));
        // Stop when the last row is at the bottom, not with the text scrolled out of the box.
        let last = rows.saturating_sub(h.saturating_sub(2) as usize);
        let scroll = self.app.view.overlay_scroll.min(last) as u16;
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)).render(popup, buf);
    }
}
