//! The header: file, algorithm, size, levels, critical path, work/span, groggy's estimate,
//! threads, last reload, findings, and what is in flight. Items flow onto as many lines as
//! the width needs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ir::Severity;

use super::super::app::App;
use super::super::format::{cost, plural, times};

/// Spinner frames shown while a job is in flight.
pub(crate) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The header widget.
pub struct Header<'a> {
    /// The state to show.
    pub app: &'a App,
}

/// Below this width the header uses short labels.
const COMPACT_BELOW: u16 = 120;

/// The header's items, each a few spans; `compact` shortens the labels.
fn items(app: &App, compact: bool) -> Vec<Vec<Span<'static>>> {
    let t = &app.view.theme;
    let m = &app.model;
    let (ir, a) = (&m.snapshot.ir, &m.snapshot.analysis);
    let label = |s: &str| Span::styled(s.to_owned(), t.dim());
    let value = |s: String| Span::styled(s, t.value());
    let mut items = vec![vec![Span::styled("irtop", t.brand())]];

    let mut file = vec![value(m.file_name.clone())];
    if m.reload.pending {
        file.push(Span::styled(format!(" {} reloading", SPINNER[app.view.spinner % SPINNER.len()]), t.stale()));
    }
    if m.is_stale() {
        file.push(Span::styled(" STALE", t.stale()));
    }
    if m.freeze.on {
        let what = if m.freeze.missed { " FROZEN, changed on disk" } else { " FROZEN" };
        file.push(Span::styled(what, t.stale()));
    }
    items.push(file);
    let name = if ir.name.is_empty() { "(unnamed)".to_owned() } else { ir.name.clone() };
    items.push(if compact { vec![value(name)] } else { vec![label("algorithm "), value(name)] });
    items.push(vec![value(ir.len().to_string()), label(" ops")]);
    items.push(vec![value(a.levels.len().to_string()), label(" levels")]);
    items.push(vec![
        label(if compact { "crit " } else { "critical path " }),
        value(plural(a.critical_path.ops(), "op")),
        label(if compact { "/" } else { ", cost " }),
        value(cost(a.critical_path.cost)),
    ]);
    items.push(if compact {
        vec![label("work/span "), value(times(a.parallelism()))]
    } else {
        vec![
            label("work/span "),
            value(format!("{}/{}", cost(a.work), cost(a.span))),
            label(" = "),
            value(times(a.parallelism())),
        ]
    });
    items.push(vec![
        // groggy's own estimate, not a measurement or irtop's prediction.
        label(if compact { "groggy est " } else { "groggy's est. speedup " }),
        value(format!("{:.3}x", a.estimated_speedup)),
        label(if compact { " parallel " } else { " use_parallel " }),
        Span::styled(if a.use_parallel { "yes" } else { "no" }, if a.use_parallel { t.good() } else { t.bad() }),
    ]);
    if let Some(r) = m.bench.last.as_ref().filter(|r| !r.predicted.costs.is_empty()) {
        // Where the predictions' cost constants come from: `irtop calibrate` or the defaults.
        items.push(vec![label("predicted with "), value(r.predicted.costs.clone())]);
    }
    items.push(vec![label("threads "), value(m.bench.threads.to_string())]);
    if m.bench.auto_on_save {
        // `a`: each save starts a benchmark (none while frozen: saves are not loaded).
        items.push(vec![Span::styled(if compact { "AUTO-BENCH" } else { "AUTO-BENCH on save" }, t.good())]);
    }
    items.push(vec![label("reloaded "), value(m.snapshot.loaded_at.hms(&app.view.zone))]);
    let (errors, warnings) = (a.count(Severity::Error), a.count(Severity::Warning));
    let style = |n: usize, s| if n > 0 { t.severity(s) } else { t.dim() };
    items.push(vec![
        Span::styled(plural(errors, "error"), style(errors, Severity::Error)),
        label(", "),
        Span::styled(plural(warnings, "warning"), style(warnings, Severity::Warning)),
    ]);
    if let Some(run) = &m.bench.running {
        items.push(vec![Span::styled(
            format!("{} bench {:.0}%", SPINNER[app.view.spinner % SPINNER.len()], run.progress * 100.0),
            t.stale(),
        )]);
    }
    items
}

/// The header's lines at `width` columns: items separated by ` │ `, wrapped between items.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let sep = || Span::styled(" │ ", app.view.theme.dim());
    let width = width as usize;
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for item in items(app, width < COMPACT_BELOW as usize) {
        let w: usize = item.iter().map(Span::width).sum();
        let line = lines.last_mut().expect("at least one line");
        if line.is_empty() {
            used = w;
        } else if used + 3 + w <= width {
            line.push(sep());
            used += 3 + w;
        } else {
            lines.push(Vec::new());
            used = w;
        }
        lines.last_mut().expect("at least one line").extend(item);
    }
    lines.into_iter().map(Line::from).collect()
}

impl Widget for &Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        for (i, line) in lines(self.app, area.width).iter().enumerate().take(area.height as usize) {
            super::put_cut_line(buf, area.x, area.y + i as u16, line, area.width);
        }
    }
}
