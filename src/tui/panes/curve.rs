//! The speedup curve of the benchmark pane: each parallel mode's predicted speedup for 1 to
//! 64 threads (what a bigger machine would give, under the cost model) as a line chart on a
//! log2 thread axis, with the speedups the benchmark measured marked at its thread count.
//! Each mode has its own marker shape, hollow on its predicted curve and filled where it
//! was measured, shown in the legend too, so the chart reads without colour (`NO_COLOR`).

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use crate::exec::Mode;
use crate::report::bench_report::BenchReport;

use super::super::format::{plural, times};
use super::super::theme::Theme;
use super::{key_hint, put_line};

/// Rows of the chart itself when it has the room: 7 of plot (28 Braille dots), the x axis
/// and its labels.
const CHART_ROWS: u16 = 9;

/// Fewest rows worth a chart; a shorter area shows the title and the legend only.
const CHART_MIN_ROWS: u16 = 5;

/// The speedup-curve widget.
pub struct SpeedupCurve<'a> {
    /// The benchmark whose curve (and measured speedups) to draw.
    pub report: &'a BenchReport,
    /// Colours.
    pub theme: &'a Theme,
    /// A key hint for the title's right end (`c timeline`), when the timeline is hidden.
    pub hint: Option<&'a str>,
}

/// The markers of the series, in their order: a shape per mode, hollow on the predicted
/// curve and filled on the measured speedups. No two series share one.
pub(crate) const MARKERS: [Markers; 6] = [
    Markers { predicted: '○', measured: '●' },
    Markers { predicted: '□', measured: '■' },
    Markers { predicted: '△', measured: '▲' },
    Markers { predicted: '◇', measured: '◆' },
    Markers { predicted: '▽', measured: '▼' },
    Markers { predicted: '☆', measured: '★' },
];

/// The two glyphs that mark one mode's series in the chart and the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Markers {
    /// On the predicted curve, at each power-of-two thread count from 2.
    pub(crate) predicted: char,
    /// On a measured speedup.
    pub(crate) measured: char,
}

/// True for a glyph of [`MARKERS`] (a later series' marker may cover an earlier one's).
fn glyph_of_a_marker(c: char) -> bool {
    MARKERS.iter().any(|m| m.predicted == c || m.measured == c)
}

/// One parallel mode: its predicted curve and what the benchmark measured, as
/// `(log2 threads, speedup)` points, and its markers (none past [`MARKERS`]: irtop's curves
/// have five modes).
struct Series<'r> {
    mode: &'r str,
    curve: Vec<(f64, f64)>,
    measured: Vec<(f64, f64)>,
    markers: Option<Markers>,
}

impl Series<'_> {
    /// The curve's points at 2, 4, 8 ... threads (where every mode's is not 1x by
    /// definition), where its marker goes.
    fn marked(&self) -> Vec<(f64, f64)> {
        self.curve.iter().copied().filter(|&(x, _)| x >= 1.0 && (x - x.round()).abs() < 1e-9).collect()
    }
}

/// True when `report` has a curve to draw.
pub(crate) fn has_curve(report: &BenchReport) -> bool {
    !report.predicted.curve.is_empty()
}

/// Most threads on the curve (64 for irtop's reports).
fn max_threads(r: &BenchReport) -> usize {
    r.predicted.curve.iter().map(|p| p.threads).max().unwrap_or(1).max(2)
}

/// The modes of `r`'s curve in the benchmark's mode order (names irtop does not know last).
fn series(r: &BenchReport) -> Vec<Series<'_>> {
    let max_p = max_threads(r);
    let mut modes: Vec<&str> = r.predicted.curve.iter().flat_map(|p| p.speedup.keys().map(String::as_str)).collect();
    modes.sort_by_key(|&m| (Mode::ALL.iter().position(|k| k.name() == m).unwrap_or(Mode::ALL.len()), m));
    modes.dedup();
    modes
        .into_iter()
        .enumerate()
        .map(|(i, mode)| {
            let point = |threads: usize, s: f64| {
                (threads >= 1 && threads <= max_p && s.is_finite()).then(|| ((threads as f64).log2(), s.max(0.0)))
            };
            Series {
                mode,
                curve: r.predicted.curve.iter().filter_map(|p| point(p.threads, p.of(mode)?)).collect(),
                measured: r
                    .measured
                    .modes
                    .iter()
                    .filter(|m| m.mode.name() == mode && !m.noise)
                    .filter_map(|m| point(m.threads, m.speedup))
                    .collect(),
                markers: MARKERS.get(i).copied(),
            }
        })
        .collect()
}

/// A round step for `labels` evenly spaced labels from 0 that reach `top`: 1, 1.5, 2, 2.5,
/// 3, 4, 5 or 7.5 times a power of ten.
fn y_step(top: f64, labels: usize) -> f64 {
    let intervals = labels.saturating_sub(1).max(1) as f64;
    let raw = (top / intervals).max(1e-9);
    let mut decade = 10f64.powf(raw.log10().floor());
    loop {
        for m in [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5] {
            if m * decade * intervals >= top * (1.0 - 1e-9) {
                return m * decade;
            }
        }
        decade *= 10.0;
    }
}

/// How many y labels a plot of `rows` rows gets: up to 5, at least two rows apart, preferably
/// on whole rows (the chart puts label i on row `i * (rows - 1) / (labels - 1)`, rounded
/// down, so otherwise some sit up to a row low).
fn y_label_count(rows: u16) -> usize {
    let gaps = rows.saturating_sub(1) as usize;
    let fits = |n: &usize| gaps / (n - 1) >= 2;
    (3..=5usize)
        .rev()
        .filter(fits)
        .find(|&n| gaps.is_multiple_of(n - 1))
        .or_else(|| (3..=5usize).rev().find(fits))
        .unwrap_or(2)
}

/// `1.5x`, `0.25x`, `2x`.
fn speedup_label(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}x")
}

/// The legend, as lines of at most `width` cells: each mode's marker and name in its line's
/// colour with its speedup at the most threads, then the filled markers of the measured
/// speedups.
fn legend(r: &BenchReport, all: &[Series<'_>], theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut entries: Vec<Vec<Span<'static>>> = all
        .iter()
        .map(|s| {
            let last = s.curve.last().map_or_else(|| "-".to_owned(), |&(_, v)| times(v));
            let mut entry = Vec::new();
            if let Some(m) = s.markers {
                entry.push(Span::styled(format!("{} ", m.predicted), theme.mode(s.mode)));
            }
            entry.extend([
                Span::styled(s.mode.to_owned(), theme.mode(s.mode)),
                Span::styled(format!(" {last}"), theme.text()),
            ]);
            entry
        })
        .collect();
    if let Some(m) =
        r.measured.modes.iter().find(|m| all.iter().any(|s| s.mode == m.mode.name() && !s.measured.is_empty()))
    {
        let mut entry: Vec<Span<'static>> = all
            .iter()
            .filter(|s| !s.measured.is_empty())
            .filter_map(|s| s.markers.map(|k| Span::styled(k.measured.to_string(), theme.measured_mark(s.mode))))
            .collect();
        if entry.is_empty() {
            entry.push(Span::styled("•", theme.value()));
        }
        entry.push(Span::styled(format!(" measured ({})", plural(m.threads, "thread")), theme.text()));
        entries.push(entry);
    }
    let width = width as usize;
    let mut lines = Vec::new();
    let mut line = vec![Span::styled(format!("at {}: ", max_threads(r)), theme.dim())];
    let mut used = line[0].width();
    let mut first = true;
    for entry in entries {
        let w: usize = entry.iter().map(Span::width).sum();
        if !first && used + 2 + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        } else if !first {
            line.push(Span::raw("  "));
            used += 2;
        }
        first = false;
        used += w;
        line.extend(entry);
    }
    lines.push(Line::from(line));
    lines
}

/// Rows the widget wants at `width` columns: title, legend and chart.
pub(crate) fn wanted_rows(r: &BenchReport, theme: &Theme, width: u16) -> u16 {
    1 + legend(r, &series(r), theme, width).len() as u16 + CHART_ROWS
}

impl Widget for &SpeedupCurve<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (r, t) = (self.report, self.theme);
        if area.height == 0 || area.width < 20 {
            return;
        }
        let max_p = max_threads(r);
        let hint_w = self.hint.map_or(0, |h| h.chars().count() + 2);
        let title = format!(" predicted for 1-{max_p} threads ({})", r.predicted.costs);
        let title = if 13 + title.chars().count() + hint_w <= area.width as usize {
            title
        } else {
            format!(" predicted, 1-{max_p} threads")
        };
        let used = 13 + title.chars().count() as u16;
        put_line(
            buf,
            area.x,
            area.y,
            vec![Span::styled("speedup curve", t.table_header()), Span::styled(title, t.dim())],
            area.width,
        );
        if let Some(h) = self.hint {
            key_hint(t, h, area, used, buf);
        }
        if !has_curve(r) {
            let y = area.y + 1;
            if y < area.bottom() {
                put_line(buf, area.x, y, vec![Span::styled("no speedup curve in this report", t.dim())], area.width);
            }
            return;
        }
        let all = series(r);
        let rest = Rect { y: area.y + 1, height: area.height - 1, ..area };
        let lines = legend(r, &all, t, area.width);
        let [key, chart] =
            rest.layout(&Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Fill(1)]));
        for (i, line) in lines.into_iter().enumerate() {
            let y = key.y + i as u16;
            if y < key.bottom() {
                super::put_cut_line(buf, key.x, y, &line, key.width);
            }
        }
        if chart.height >= CHART_MIN_ROWS {
            plot(r, &all, t, chart, buf);
        } else if chart.height > 0 {
            // Never an empty box: say why there is no chart and what gives it room.
            let why = format!(
                "no room for the chart here ({} of the {CHART_MIN_ROWS} rows it needs): z expands this pane",
                chart.height
            );
            put_line(buf, chart.x, chart.y, vec![Span::styled(why, t.dim())], chart.width);
        }
    }
}

/// The chart: a Braille line per mode with its hollow marker at 2, 4, 8 ... threads, its
/// filled marker on each measured speedup, a log2 thread axis labelled in threads and a
/// speedup axis from 0.
fn plot(r: &BenchReport, all: &[Series<'_>], t: &Theme, area: Rect, buf: &mut Buffer) {
    let x_max = (max_threads(r) as f64).log2();
    let top = all.iter().flat_map(|s| s.curve.iter().chain(&s.measured).map(|&(_, v)| v)).fold(1.0f64, f64::max);
    // The plot's rows: the area less the x axis and its labels.
    let labels = y_label_count(area.height - 2);
    let step = y_step(top, labels);
    let y_max = step * (labels - 1) as f64;
    let y_labels: Vec<String> = (0..labels).map(|i| speedup_label(step * i as f64)).collect();
    let datasets: Vec<Dataset<'_>> = all
        .iter()
        .map(|s| {
            Dataset::default().data(&s.curve).marker(Marker::Braille).graph_type(GraphType::Line).style(t.mode(s.mode))
        })
        .collect();
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .title(Span::styled("threads, log2 scale", t.axis()))
                .bounds([0.0, x_max])
                .style(t.axis())
                // Placeholders: the chart spaces its labels evenly, which a log axis is not
                // (the real ones are drawn below, under their thread counts).
                .labels(["", ""]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled("speedup", t.axis()))
                .bounds([0.0, y_max])
                .style(t.axis())
                .labels(y_labels.iter().map(|l| Span::styled(l.clone(), t.axis())))
                .labels_alignment(Alignment::Right),
        );
    chart.render(area, buf);
    // Where the chart put its plot: right of the y labels (at most a third of the width)
    // and the y axis.
    let label_w = y_labels.iter().map(|l| l.chars().count() as u16).max().unwrap_or(0).min(area.width / 3);
    let plot_x = area.x + label_w + 1;
    let plot_w = area.right().saturating_sub(plot_x);
    x_labels(x_max, plot_x, plot_w, area, t, buf);
    // The plot less the x axis and its labels, where the chart drew the lines.
    let plot = Rect::new(plot_x, area.y, plot_w, area.height - 2);
    markers(all, [x_max, y_max], plot, t, buf);
}

/// Each series' markers, written over the chart in the cells where its Braille line passes
/// through the points: hollow on the curve at 2, 4, 8 ... threads, then filled on the
/// measured speedups (drawn last, so they stay on top).
fn markers(all: &[Series<'_>], [x_max, y_max]: [f64; 2], plot: Rect, t: &Theme, buf: &mut Buffer) {
    if plot.width == 0 || plot.height == 0 || x_max <= 0.0 || y_max <= 0.0 {
        return;
    }
    // The Braille dot of a point, as the chart's canvas rounds it (2x4 dots a cell), in cells.
    let cell = |(x, y): (f64, f64)| {
        let dx = (x / x_max * (2.0 * plot.width as f64 - 1.0)).round().clamp(0.0, 2.0 * plot.width as f64 - 1.0);
        let dy =
            ((y_max - y) / y_max * (4.0 * plot.height as f64 - 1.0)).round().clamp(0.0, 4.0 * plot.height as f64 - 1.0);
        (plot.x + dx as u16 / 2, plot.y + dy as u16 / 4)
    };
    let mut put = |points: &[(f64, f64)], glyph: char, style| {
        for &p in points {
            let (x, y) = cell(p);
            // Over the lines and blank plot, never over an axis title's letters.
            let under = buf[(x, y)].symbol().chars().next().unwrap_or(' ');
            if under == ' ' || ('\u{2800}'..='\u{28ff}').contains(&under) || glyph_of_a_marker(under) {
                buf[(x, y)].set_char(glyph).set_style(style);
            }
        }
    };
    for s in all {
        if let Some(m) = s.markers {
            put(&s.marked(), m.predicted, t.mode(s.mode));
        }
    }
    for s in all {
        put(&s.measured, s.markers.map_or('•', |m| m.measured), t.measured_mark(s.mode));
    }
}

/// Thread counts 1, 2, 4 ... under the x axis at their log2 positions, where they fit (the
/// first and last always).
fn x_labels(x_max: f64, plot_x: u16, plot_w: u16, area: Rect, t: &Theme, buf: &mut Buffer) {
    if plot_w < 4 {
        return;
    }
    let y = area.bottom() - 1;
    let ticks = (x_max + 1e-9).floor() as u32;
    // The Braille column of log2 P, as the chart's canvas rounds it, in cells.
    let cell = |v: f64| plot_x + ((v * (2.0 * plot_w as f64 - 1.0) / x_max).round() as u16) / 2;
    let placed: Vec<(u16, String)> = (0..=ticks)
        .map(|k| {
            let text = (1u64 << k).to_string();
            let len = text.len() as u16;
            let x = cell(k as f64).saturating_sub((len - 1) / 2).min(area.right() - len);
            (x, text)
        })
        .collect();
    let last_x = placed.last().map_or(area.right(), |(x, _)| *x);
    let mut free_from = area.x;
    for (i, (x, text)) in placed.iter().enumerate() {
        let end = x + text.len() as u16;
        let is_last = i + 1 == placed.len();
        if *x < free_from || (!is_last && end + 1 > last_x) {
            continue;
        }
        buf.set_string(*x, y, text, t.axis());
        free_from = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_steps_are_round_and_reach_the_top() {
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(near(y_step(2.45, 4), 1.0));
        assert!(near(y_step(1.06, 4), 0.4));
        assert!(near(y_step(1.0, 5), 0.25));
        assert!(near(y_step(3.4, 5), 1.0));
        assert!(near(y_step(9.0, 5), 2.5));
        assert!(near(y_step(7.1, 2), 7.5));
        assert!(near(y_step(40.0, 3), 20.0));
        for (top, n) in [(0.3, 3), (1.9, 5), (7.7, 4), (63.0, 5), (1.0, 2)] {
            let s = y_step(top, n);
            assert!(s * (n - 1) as f64 >= top, "{top} {n}: {s}");
        }
    }

    #[test]
    fn y_labels_land_on_whole_rows() {
        assert_eq!(y_label_count(7), 4);
        assert_eq!(y_label_count(9), 5);
        assert_eq!(y_label_count(18), 5);
        assert_eq!(y_label_count(3), 2);
        assert_eq!(y_label_count(4), 2);
        assert_eq!(y_label_count(5), 3);
    }

    #[test]
    fn no_two_series_share_a_marker_and_every_mode_of_a_curve_has_one() {
        let glyphs: Vec<char> = MARKERS.iter().flat_map(|m| [m.predicted, m.measured]).collect();
        let mut unique = glyphs.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), glyphs.len(), "{glyphs:?}");
        let parallel = Mode::ALL.iter().filter(|m| !m.is_seq()).count();
        assert!(MARKERS.len() >= parallel, "a marker for each parallel mode");
        for g in glyphs {
            assert_eq!(Span::raw(g.to_string()).width(), 1, "{g} takes one cell");
        }
    }

    #[test]
    fn markers_keep_off_the_axis_titles() {
        let all = [Series {
            mode: "levels",
            curve: vec![(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)],
            measured: vec![(0.0, 1.0)],
            markers: Some(MARKERS[0]),
        }];
        let area = Rect::new(0, 0, 12, 3);
        let mut buf = Buffer::empty(area);
        buf.set_string(0, 0, "speedup", ratatui::style::Style::new());
        markers(&all, [2.0, 1.0], area, &Theme::no_color(), &mut buf);
        let top: String = (0..12).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
        assert_eq!(top, "speedup    ○", "the title stays; the point at 4 threads is marked");
    }

    #[test]
    fn speedup_labels_are_short() {
        assert_eq!(speedup_label(0.0), "0x");
        assert_eq!(speedup_label(0.25), "0.25x");
        assert_eq!(speedup_label(1.5), "1.5x");
        assert_eq!(speedup_label(20.0), "20x");
    }
}
