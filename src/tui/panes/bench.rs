//! The benchmark pane: settings and progress, predicted vs measured speedup (bars in the
//! per-mode table), the history of runs since start (a sparkline), the last parallel run as
//! a per-thread timeline (a Gantt chart), and the predicted speedup curve for 1 to 64
//! threads ([`super::curve`]). A wide pane shows the timeline and the curve side by side, a
//! tall one one above the other; otherwise `c` picks which.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Sparkline, Table, Widget, Wrap};

use crate::exec::Mode;
use crate::exec::span::OpSpan;
use crate::predict::Verdict;
use crate::report::bench_report::BenchReport;
use crate::tui::bench_job::ModeChoice;

use super::super::app::App;
use super::super::clock::Zone;
use super::super::format::{bar, duration, plural, times, truncate};
use super::super::model::{BenchRecord, BenchState};
use super::super::view::{BenchChart, Pane};
use super::auto_choice::{AUTO_ROWS, auto_rows};
use super::curve::{self, SpeedupCurve, has_curve};
use super::header::SPINNER;
use super::{PaneContext, key_hint, pane_block, put_line};

/// The benchmark pane widget.
pub struct BenchPane<'a> {
    /// Colours, focus.
    pub(crate) ctx: PaneContext<'a>,
    /// The settings, the run in flight and the results.
    pub bench: &'a BenchState,
    /// Timeline or curve, where only one fits.
    pub chart: BenchChart,
    /// Spinner frame.
    pub spinner: usize,
    /// The file's name, when the last report was measured on an earlier version of it.
    pub(crate) stale_file: Option<&'a str>,
    /// First row of the body shown, when the body is taller than the pane (`usize::MAX`:
    /// the end).
    pub scroll: usize,
    /// The time zone the saves' times are shown in.
    pub(crate) zone: &'a Zone,
}

impl<'a> BenchPane<'a> {
    /// The pane as `app` shows it.
    pub fn new(app: &'a App) -> BenchPane<'a> {
        BenchPane {
            ctx: PaneContext::of(app, Pane::Bench),
            bench: &app.model.bench,
            chart: app.view.bench_chart,
            spinner: app.view.spinner,
            stale_file: app.model.bench_is_stale().then_some(app.model.file_name.as_str()),
            scroll: app.view.bench_scroll,
            zone: &app.view.zone,
        }
    }
}

/// The timeline to draw: the selected mode's if it has one, else the best parallel mode's,
/// else any parallel one.
pub(crate) fn chosen_timeline(report: &BenchReport, choice: ModeChoice) -> Option<(Mode, &[OpSpan])> {
    let timelines = &report.measured.timelines;
    let named = |m: Mode| timelines.iter().find(|(n, _)| *n == m).map(|(n, t)| (*n, t.as_slice()));
    let asked = match choice {
        ModeChoice::Only(m) => named(m),
        ModeChoice::All => None,
    };
    asked
        .or_else(|| report.best_parallel().and_then(|b| named(b.mode)))
        .or_else(|| timelines.iter().find(|(m, _)| !m.is_seq()).map(|(n, t)| (*n, t.as_slice())))
}

/// Why the rounds stopped, in a word or two (the status line when the full reason does not
/// fit).
fn stopped_short(stopped: crate::exec::bench::measurement::Stopped) -> &'static str {
    use crate::exec::bench::measurement::Stopped;
    match stopped {
        Stopped::Converged => "converged ±2.5%",
        Stopped::Budget => "budget spent",
        Stopped::MaxRounds => "round limit",
        Stopped::Fixed => "rounds as asked",
    }
}

/// Number of worker rows in a timeline.
fn timeline_workers(spans: &[OpSpan]) -> usize {
    spans.iter().map(|s| s.worker + 1).max().unwrap_or(1)
}

/// Body width (inside the borders) from which the table has the timeline or the curve
/// beside it rather than below.
const TWO_COLUMNS: u16 = 120;

/// Body width from which the timeline and the speedup curve stand side by side right of the
/// table; narrower, `c` picks one.
const THREE_COLUMNS: u16 = 150;

/// The key hint in the timeline's title when the curve is hidden, and the other way round.
/// Width of the predicted band's column (`1.20-1.85`).
const BAND_W: u16 = 9;

const TIMELINE_HINT: &str = "c curve";
const CURVE_HINT: &str = "c timeline";

/// Fewest rows for the speedup curve under the timeline on a narrow pane; with fewer, `c`
/// picks one.
const CURVE_STACKED_ROWS: u16 = 10;

/// Rows the timeline wants: its title, a row (two for up to 4 threads) per thread up to 16,
/// and the time axis.
fn timeline_rows(pane: &BenchPane<'_>, r: &BenchReport) -> u16 {
    let workers = chosen_timeline(r, pane.bench.mode).map_or(0, |(_, s)| timeline_workers(s));
    if workers == 0 { 1 } else { (2 + workers.min(16) * if workers <= 4 { 2 } else { 1 }) as u16 }
}

/// Which of the timeline and the speedup curve the pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The timeline only.
    Timeline,
    /// The speedup curve only.
    Curve,
    /// Both.
    Both,
}

/// Where the parts of the pane's body (inside the borders, under the status line) go.
struct Parts {
    table: Rect,
    history: Rect,
    timeline: Option<Rect>,
    curve: Option<Rect>,
}

impl Parts {
    fn shown(&self) -> Shown {
        match (self.timeline, self.curve) {
            (Some(_), Some(_)) => Shown::Both,
            (None, Some(_)) => Shown::Curve,
            _ => Shown::Timeline,
        }
    }
}

/// The one of the timeline and the curve shown when there is room for one: the user's pick
/// (`c`), or the timeline when the report has no curve.
fn picked(pane: &BenchPane<'_>, r: &BenchReport) -> Shown {
    match pane.chart {
        BenchChart::Curve if has_curve(r) => Shown::Curve,
        _ => Shown::Timeline,
    }
}

/// The wide body's columns: the table and history, then the timeline and the curve (both
/// when `three`, else whichever is picked).
fn columns(body: Rect, three: bool) -> (Rect, Rect, Rect) {
    if three {
        // The charts get 46 columns each before the table grows past 62 (up to the 102 that
        // show min, max and the predicted band).
        let table = body.width.saturating_sub(2 * 46 + 4).clamp(62, 102);
        let [left, middle, right] = body.layout(
            &Layout::horizontal([Constraint::Length(table), Constraint::Fill(1), Constraint::Fill(1)]).spacing(2),
        );
        (left, middle, right)
    } else {
        let [left, right] =
            body.layout(&Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).spacing(2));
        (left, right, right)
    }
}

/// Rows under the table: the history line, and `auto`'s explanation at `width` in at most
/// `cap` rows (one row at least, as before `auto` ran).
fn history_rows(pane: &BenchPane<'_>, r: &BenchReport, width: u16, cap: usize) -> u16 {
    let auto = r.predicted.auto.as_ref().map_or(0, |a| auto_rows(&a.lines, pane.ctx.theme, width, cap).len());
    1 + auto.max(1) as u16
}

/// The rows `auto`'s explanation may take in `body`: the most (up to [`AUTO_MOST_ROWS`]) with
/// which the whole report still fits, else one, so that a pane that must scroll anyway keeps
/// the history beside the chart.
fn auto_cap(pane: &BenchPane<'_>, r: &BenchReport, body: Rect) -> usize {
    (1..=AUTO_MOST_ROWS).rev().find(|&cap| content_rows(pane, r, body.width, cap) <= body.height).unwrap_or(1)
}

/// Rows `auto`'s explanation takes at most, where the pane has them to spare (it asks for
/// [`AUTO_ROWS`]).
const AUTO_MOST_ROWS: usize = 8;

fn parts(pane: &BenchPane<'_>, r: &BenchReport, body: Rect, cap: usize) -> Parts {
    let table_h = r.measured.modes.len() as u16 + 2;
    let one = |area: Rect| match picked(pane, r) {
        Shown::Curve => (None, Some(area)),
        _ => (Some(area), None),
    };
    if body.width >= TWO_COLUMNS {
        let three = has_curve(r) && body.width >= THREE_COLUMNS;
        let (left, middle, right) = columns(body, three);
        let history_h = history_rows(pane, r, left.width, cap);
        let [table, history] =
            left.layout(&Layout::vertical([Constraint::Length(table_h), Constraint::Length(history_h)]));
        let (timeline, curve) = if three { (Some(middle), Some(right)) } else { one(right) };
        Parts { table, history, timeline, curve }
    } else {
        let history_h = history_rows(pane, r, body.width, cap);
        let [table, history, rest] = body.layout(&Layout::vertical([
            Constraint::Length(table_h),
            Constraint::Length(history_h),
            Constraint::Fill(1),
        ]));
        let timeline_h = timeline_rows(pane, r);
        if has_curve(r) && rest.height >= timeline_h + 1 + CURVE_STACKED_ROWS {
            let [timeline, _, curve] = rest.layout(&Layout::vertical([
                Constraint::Length(timeline_h),
                Constraint::Length(1),
                Constraint::Fill(1),
            ]));
            return Parts { table, history, timeline: Some(timeline), curve: Some(curve) };
        }
        let (timeline, curve) = one(rest);
        Parts { table, history, timeline, curve }
    }
}

/// The pane's body: inside the borders, under the status line.
fn body_of(pane: Rect) -> Rect {
    let inner = Block::bordered().inner(pane);
    Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner }
}

/// The body as drawn: `body` itself when the report's parts fit in it, else a taller canvas
/// of the rows they need, of which the pane shows a window (see [`BenchPane::scroll`]).
fn canvas_of(pane: &BenchPane<'_>, r: &BenchReport, body: Rect, cap: usize) -> Rect {
    let rows = content_rows(pane, r, body.width, cap);
    if rows > body.height { Rect { height: rows, ..body } } else { body }
}

impl BenchPane<'_> {
    /// What the pane drawn over `pane` shows of the timeline and the curve, if it shows a
    /// benchmark.
    pub fn shown(&self, pane: Rect) -> Option<Shown> {
        let r = self.bench.last.as_ref()?;
        let body = body_of(pane);
        let cap = auto_cap(self, r, body);
        Some(parts(self, r, canvas_of(self, r, body, cap), cap).shown())
    }

    /// Rows the pane needs (borders included) to show the last report at `width` columns.
    pub fn wanted_height(&self, width: u16) -> u16 {
        match &self.bench.last {
            Some(r) => content_rows(self, r, width.saturating_sub(2), AUTO_ROWS) + 3,
            None => 5,
        }
    }

    /// How far the body of the pane drawn over `pane` scrolls: the rows it needs beyond
    /// those on screen (0 when everything fits).
    pub fn max_scroll(&self, pane: Rect) -> usize {
        let Some(r) = &self.bench.last else { return 0 };
        let body = body_of(pane);
        content_rows(self, r, body.width, auto_cap(self, r, body)).saturating_sub(body.height) as usize
    }
}

/// Rows the report's parts need in a body `body_w` columns wide: the table, the history
/// and what `auto` chose, and the timeline or the curve (beside the table from
/// [`TWO_COLUMNS`], else under it).
fn content_rows(pane: &BenchPane<'_>, r: &BenchReport, body_w: u16, cap: usize) -> u16 {
    let t = pane.ctx.theme;
    let table = r.measured.modes.len() as u16 + 2;
    let timeline = timeline_rows(pane, r);
    if body_w >= TWO_COLUMNS {
        let three = has_curve(r) && body_w >= THREE_COLUMNS;
        let (left, middle, right) = columns(Rect::new(0, 0, body_w, 1), three);
        let right = match (three, picked(pane, r)) {
            (true, _) => timeline.max(curve::wanted_rows(r, t, right.width)),
            (false, Shown::Curve) => curve::wanted_rows(r, t, middle.width),
            _ => timeline,
        };
        (table + history_rows(pane, r, left.width, cap)).max(right)
    } else {
        let below = match picked(pane, r) {
            Shown::Curve => curve::wanted_rows(r, t, body_w),
            _ => timeline,
        };
        table + history_rows(pane, r, body_w, cap) + below
    }
}

impl Widget for &BenchPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let b = self.bench;
        let auto = if b.auto_on_save { " · auto-bench on save" } else { "" };
        let block = pane_block(self.ctx, Pane::Bench, format!("threads {} · mode {}{auto}", b.threads, b.mode.name()));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width < 20 {
            return;
        }
        let [status, body] = inner.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
        self.status_line(status, buf);
        let Some(report) = &b.last else {
            let on = if b.graph.is_empty() { String::new() } else { format!(" on {}", b.graph) };
            let text = if b.running.is_some() {
                format!("The result lands here when the run{on} finishes.")
            } else {
                format!("No benchmark yet: b runs one{on} (+/- change threads, m the mode); Esc cancels a run.")
            };
            let rest = Rect { y: body.y + 1, height: body.height.saturating_sub(1), ..body };
            Paragraph::new(Span::styled(text, t.dim())).wrap(Wrap { trim: true }).render(rest, buf);
            return;
        };
        let cap = auto_cap(self, report, body);
        let canvas = canvas_of(self, report, body, cap);
        if canvas.height <= body.height {
            self.parts(report, body, cap, buf);
            return;
        }
        // Too tall for the pane: drawn whole off screen, and the window at the scroll
        // copied in, with where it is in the bottom border.
        let whole = Rect::new(0, 0, canvas.width, canvas.height);
        let mut off = Buffer::empty(whole);
        self.parts(report, whole, cap, &mut off);
        let first = self.scroll.min((canvas.height - body.height) as usize) as u16;
        for y in 0..body.height {
            for x in 0..body.width {
                buf[(body.x + x, body.y + y)] = off[(x, first + y)].clone();
            }
        }
        let below = canvas.height - body.height - first;
        let place = format!(
            " rows {}-{} of {}{} j/k scroll ",
            first + 1,
            first + body.height,
            canvas.height,
            match (first > 0, below > 0) {
                (true, true) => " ↑↓",
                (false, _) => " ↓",
                (true, false) => " ↑",
            }
        );
        let w = place.chars().count() as u16;
        if area.width >= w + 4 {
            buf.set_string(area.right() - w - 2, area.bottom() - 1, place, t.dim());
        }
    }
}

impl BenchPane<'_> {
    /// The table, history, timeline and curve of `report`, laid out in `body`.
    fn parts(&self, report: &BenchReport, body: Rect, cap: usize, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let parts = parts(self, report, body, cap);
        self.table(report, parts.table, buf);
        self.history(parts.history, buf);
        if parts.history.height >= 2 {
            let below = Rect { y: parts.history.y + 1, height: parts.history.height - 1, ..parts.history };
            self.auto_choice(report, below, buf);
        }
        let other = has_curve(report) && parts.shown() != Shown::Both;
        if let Some(area) = parts.timeline {
            self.gantt(report, area, other, buf);
        }
        if let Some(area) = parts.curve {
            (&SpeedupCurve { report, theme: t, hint: other.then_some(CURVE_HINT) }).render(area, buf);
        }
    }
}

impl BenchPane<'_> {
    /// Progress while running; else the last failure or what the keys do.
    fn status_line(&self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let b = self.bench;
        let spans = if let Some(run) = &b.running {
            let w = (area.width as usize).saturating_sub(50).clamp(10, 40);
            let filled = bar(run.progress as f64, 1.0, w);
            let pad = w.saturating_sub(filled.chars().count());
            vec![
                Span::styled(format!("{} ", SPINNER[self.spinner % SPINNER.len()]), t.stale()),
                Span::styled(filled, t.gauge()),
                Span::styled("·".repeat(pad), t.dim()),
                Span::styled(format!(" {:>3.0}% ", run.progress * 100.0), t.value()),
                Span::styled(
                    if run.label.is_empty() {
                        format!("{} on {}", run.mode.name(), plural(run.threads, "thread"))
                    } else {
                        run.label.clone()
                    },
                    t.value(),
                ),
                Span::styled(" · Esc cancels", t.dim()),
            ]
        } else if let Some(why) = &b.error {
            vec![Span::styled("last run failed: ", t.bad()), Span::styled(why.clone(), t.text())]
        } else if let Some(r) = &b.last {
            let m = &r.measured;
            let mut spans = Vec::new();
            if let Some(file) = self.stale_file {
                let long = format!("STALE: measured on an earlier version of {file}; b reruns · ");
                let text = if long.chars().count() * 2 <= area.width as usize {
                    long
                } else {
                    "STALE: an earlier version; b reruns · ".to_owned()
                };
                spans.push(Span::styled(text, t.stale()));
            }
            // The fullest wording that fits; what the shortest leaves out ends in `…`.
            let used: usize = spans.iter().map(Span::width).sum();
            let room = (area.width as usize).saturating_sub(used);
            let (nodes, edges, rounds) = (m.graph.nodes, m.graph.edges, plural(m.rounds, "round"));
            let (why, short) = (m.stopped.describe(), stopped_short(m.stopped));
            let threads = plural(m.threads, "thread");
            let wordings = [
                ("last run on ", format!(" ({nodes} nodes, {edges} edges), {threads}, {rounds} ({why})")),
                ("", format!(" ({nodes} nodes, {edges} edges) · {} thr · {rounds}, {short}", m.threads)),
                ("", format!(" · {nodes} nodes · {} thr · {rounds}, {short}", m.threads)),
            ];
            let source_w = m.graph.source.chars().count();
            let fits = |(lead, rest): &(&str, String)| lead.len() + source_w + rest.chars().count() <= room;
            let (lead, rest) = wordings.iter().find(|w| fits(w)).unwrap_or(&wordings[2]).clone();
            if !lead.is_empty() {
                spans.push(Span::styled(lead, t.dim()));
            }
            spans.extend([Span::styled(m.graph.source.clone(), t.text()), Span::styled(rest, t.dim())]);
            let warn = t.severity(crate::ir::Severity::Warning);
            if m.scaled.is_some() {
                spans.push(Span::styled(" · scaled down to fit the budget", warn));
            }

            spans
        } else {
            vec![Span::styled("idle", t.dim())]
        };
        put_line(buf, area.x, area.y, spans, area.width);
    }

    /// One row per mode with irtop's predicted speedup (calibrated when seq ran, else
    /// static) beside the measured one and the measured one as a bar, after a row for
    /// groggy's estimate.
    fn table(&self, r: &BenchReport, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let full = area.width >= 100;
        let max = r.measured.modes.iter().map(|m| m.speedup).fold(r.predicted.groggy, f64::max).max(1.0);
        let mut head = vec!["mode", "thr", "median"];
        if full {
            head.extend(["min", "max"]);
        }
        // The speedup's 95% interval: its bounds when there is room, else its half width.
        head.extend(["max|Δ|", "model"]);
        if full {
            head.push("band");
        }
        head.extend(["speedup", if full { "95%" } else { "±" }, ""]);
        let header = Row::new(head.into_iter().map(Cell::from)).style(t.table_header());
        let mut widths = vec![Constraint::Length(14), Constraint::Length(3), Constraint::Length(9)];
        if full {
            widths.extend([Constraint::Length(9), Constraint::Length(9)]);
        }
        let interval_w: u16 = if full { 9 } else { 3 };
        widths.extend([Constraint::Length(7), Constraint::Length(6)]);
        if full {
            widths.push(Constraint::Length(BAND_W));
        }
        widths.extend([Constraint::Length(7), Constraint::Length(interval_w), Constraint::Fill(1)]);
        let bar_w = {
            let fixed: u16 =
                if full { 14 + 3 + 9 * 3 + 7 + 6 + BAND_W + 1 + 7 + 9 } else { 14 + 3 + 9 + 7 + 6 + 7 + 7 };
            area.width.saturating_sub(fixed + interval_w) as usize
        };
        let mut rows = Vec::with_capacity(r.measured.modes.len() + 1);
        let mut predicted = vec![Cell::from(Span::styled("groggy est.", t.dim())), Cell::from(""), Cell::from("")];
        if full {
            predicted.extend([Cell::from(""), Cell::from("")]);
        }
        predicted.extend([Cell::from(""), Cell::from("")]);
        if full {
            predicted.push(Cell::from(""));
        }
        predicted.extend([
            Cell::from(Span::styled(times(r.predicted.groggy), t.value())),
            Cell::from(""),
            Cell::from(Span::styled(bar(r.predicted.groggy, max, bar_w), t.predicted_bar())),
        ]);
        rows.push(Row::new(predicted));
        for (m, p) in r.rows() {
            let speed_style = if m.noise {
                t.severity(crate::ir::Severity::Warning)
            } else if m.speedup >= 1.0 {
                t.good()
            } else {
                t.bad()
            };
            let mut cells = vec![
                Cell::from(truncate(m.mode.name(), 14)),
                Cell::from(m.threads.to_string()),
                Cell::from(duration(m.median_s)),
            ];
            if full {
                cells.extend([Cell::from(duration(m.min_s)), Cell::from(duration(m.max_s))]);
            }
            let model = p.map(|p| p.calibrated.unwrap_or(p.static_model));
            let [lo, hi] = m.speedup_interval;
            let interval = if m.mode.is_seq() {
                String::new()
            } else if full {
                format!("{lo:.2}-{hi:.2}")
            } else {
                format!("{:.0}%", 100.0 * (hi - lo) / (2.0 * m.speedup.max(1e-9)))
            };
            let speedup = if m.noise { format!("{}?", times(m.speedup)) } else { times(m.speedup) };
            // The prediction takes its verdict's colour: parallel pays, is marginal, loses.
            let verdict = match p.map(|p| p.verdict) {
                _ if m.mode.is_seq() => t.dim(),
                Some(Verdict::Pays) => t.good(),
                Some(Verdict::Loses) => t.bad(),
                Some(Verdict::Marginal) => t.severity(crate::ir::Severity::Warning),
                None => t.dim(),
            };
            cells.extend([
                Cell::from(if m.max_abs_diff == 0.0 { "0".to_owned() } else { format!("{:.1e}", m.max_abs_diff) }),
                Cell::from(Span::styled(model.map_or_else(|| "-".to_owned(), times), verdict)),
            ]);
            if full {
                let band = p.filter(|_| !m.mode.is_seq()).map(|p| format!("{:.2}-{:.2}", p.band[0], p.band[1]));
                cells.push(Cell::from(Span::styled(band.unwrap_or_default(), t.dim())));
            }
            cells.extend([
                Cell::from(Span::styled(speedup, speed_style.patch(t.value()))),
                Cell::from(Span::styled(interval, t.dim())),
                Cell::from(Span::styled(bar(m.speedup, max, bar_w), t.measured_bar())),
            ]);
            rows.push(Row::new(cells));
        }
        Widget::render(Table::new(rows, widths).header(header).column_spacing(1), area, buf);
    }

    /// What `auto` chose and why, wrapped into `area` (see [`auto_rows`]), when it ran.
    fn auto_choice(&self, r: &BenchReport, area: Rect, buf: &mut Buffer) {
        let Some(auto) = &r.predicted.auto else { return };
        let rows = auto_rows(&auto.lines, self.ctx.theme, area.width, area.height as usize);
        for (y, line) in (area.y..).zip(rows) {
            super::put_cut_line(buf, area.x, y, &line, area.width);
        }
    }

    /// The best speedup of every run since start, as a sparkline, with the last and best.
    fn history(&self, area: Rect, buf: &mut Buffer) {
        let t = self.ctx.theme;
        let h = &self.bench.history;
        if h.is_empty() || area.height == 0 {
            return;
        }
        let label = "history ";
        put_line(buf, area.x, area.y, vec![Span::styled(label, t.table_header())], area.width);
        let last = h.last().expect("history is not empty");
        let best = h.iter().max_by(|a, b| a.best_speedup.total_cmp(&b.best_speedup)).expect("history is not empty");
        // A run of a save (not of the version irtop started on) says which save it was.
        let save = |r: &BenchRecord, lead: &str, end: &str| {
            if r.version > 0 { format!("{lead}save {}{end}", r.saved_at.hms(self.zone)) } else { String::new() }
        };
        let summary = format!(
            " {}: last {} ({}, {} thr{}), best {}{}",
            plural(h.len(), "run"),
            times(last.best_speedup),
            last.best_mode,
            last.threads,
            save(last, ", ", ""),
            times(best.best_speedup),
            if std::ptr::eq(last, best) { String::new() } else { save(best, " (", ")") }
        );
        // One column per run, up to a third of the room when the summary does not fit (it
        // is cut with `…` then).
        let room = area.width.saturating_sub(label.len() as u16);
        let runs = h.len().min(u16::MAX as usize) as u16;
        let spark_w = runs.min(room.saturating_sub(summary.chars().count() as u16)).max(runs.min(room / 3)).max(1);
        let start = h.len().saturating_sub(spark_w as usize);
        let data: Vec<u64> = h[start..].iter().map(|r| (r.best_speedup * 100.0).round().max(1.0) as u64).collect();
        let max = data.iter().copied().max().unwrap_or(1);
        let spark = Rect::new(area.x + label.len() as u16, area.y, spark_w, 1);
        Sparkline::default().data(data).max(max).style(t.sparkline()).render(spark, buf);
        put_line(
            buf,
            spark.right(),
            area.y,
            vec![Span::styled(summary, t.dim())],
            area.right().saturating_sub(spark.right()),
        );
    }

    /// Per-worker timeline of the chosen run: a row (two when there is room) per thread,
    /// each op a bar coloured by level and labelled with its id where it fits.
    /// `other`: the speedup curve is not on screen, so the title says which key shows it.
    fn gantt(&self, r: &BenchReport, area: Rect, other: bool, buf: &mut Buffer) {
        let t = self.ctx.theme;
        if area.height < 3 || area.width < 20 {
            return;
        }
        let Some((mode, spans)) = chosen_timeline(r, self.bench.mode) else {
            put_line(buf, area.x, area.y, vec![Span::styled("no timeline recorded", t.dim())], area.width);
            return;
        };
        let end = spans.iter().map(|s| s.end_s).fold(0.0f64, f64::max);
        let workers = timeline_workers(spans);
        let hint_w = if other { TIMELINE_HINT.len() as u16 + 2 } else { 0 };
        let title = format!("{mode}: {} ops on {}, {}", spans.len(), plural(workers, "thread"), duration(end));
        let title = if 9 + title.chars().count() as u16 + hint_w <= area.width {
            title
        } else {
            format!("{mode}, {}", duration(end))
        };
        let used = 9 + title.chars().count() as u16;
        put_line(
            buf,
            area.x,
            area.y,
            vec![Span::styled("timeline ", t.table_header()), Span::styled(title, t.dim())],
            area.width,
        );
        if other {
            key_hint(t, TIMELINE_HINT, area, used, buf);
        }
        // Rows between the title and the time axis.
        let rows = (area.height - 2) as usize;
        let per = if rows >= 2 * workers { 2 } else { 1 };
        let shown = workers.min(rows / per);
        let label_w = format!("T{}", workers - 1).len() as u16 + 1;
        let x0 = area.x + label_w + 1;
        let w = area.right().saturating_sub(x0 + 1);
        if w < 4 {
            return;
        }
        for worker in 0..shown {
            let mut mine: Vec<&OpSpan> = spans.iter().filter(|s| s.worker == worker).collect();
            mine.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
            for row in 0..per {
                let y = area.y + 1 + (worker * per + row) as u16;
                let label = if row == 0 { format!("T{worker}") } else { String::new() };
                buf.set_string(area.x, y, format!("{label:<width$}│", width = label_w as usize), t.dim());
                buf.set_string(x0 + w, y, "│", t.dim());
                if end <= 0.0 {
                    continue;
                }
                for (i, s) in mine.iter().enumerate() {
                    let a = ((s.start_s / end) * w as f64).floor() as u16;
                    let b = (((s.end_s / end) * w as f64).round() as u16).max(a + 1).min(w);
                    let (glyph, style) = t.gantt(s.level, i % 2 == 1);
                    for x in a..b {
                        buf.set_string(x0 + x, y, glyph, style);
                    }
                    let len = b.saturating_sub(a) as usize;
                    if row == 0 && len > s.node.chars().count() {
                        buf.set_string(x0 + a, y, &s.node, t.gantt_label(s.level));
                    }
                }
            }
        }
        let y = area.y + 1 + (shown * per) as u16;
        if shown < workers {
            let text = format!("… {} more threads", workers - shown);
            put_line(buf, area.x, y.min(area.bottom() - 1), vec![Span::styled(text, t.dim())], area.width);
        } else if y < area.bottom() {
            let right = duration(end);
            buf.set_string(x0, y, "0", t.dim());
            let rx = (x0 + w).saturating_sub(right.chars().count() as u16);
            buf.set_string(rx, y, right.clone(), t.dim());
            // What the glyphs mean, between the axis's ends where it fits.
            let (first, _) = t.gantt(0, false);
            let (second, _) = t.gantt(0, true);
            let key = if t.color {
                format!("{first}{second} one op each, coloured by level")
            } else {
                format!("{first}{second} one op each")
            };
            let room = rx.saturating_sub(x0 + 3);
            let kw = key.chars().count() as u16;
            if kw <= room {
                buf.set_string(x0 + 2 + (room - kw) / 2, y, key, t.dim());
            }
        }
    }
}
