//! Where each part of the screen goes: a pure function of the terminal size and a few counts
//! ([`Measures`]), so drawing and mouse hit-testing agree and the geometry is tested on its
//! own. [`Measures::of`] is the only place that looks at the state (how many rows the header,
//! banner and benchmark want); [`areas`] is geometry only.
//!
//! A wide terminal shows every pane at once; a narrow one shows the header, a tab strip and
//! the focused pane.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::app::App;
use super::panes::bench::BenchPane;
use super::panes::{banner, header};
use super::view::Pane;

/// Smallest terminal the TUI draws into; below it, a "too small" message.
pub(crate) const MIN_SIZE: (u16, u16) = (60, 15);

/// From this size up, every pane is on screen at once.
pub(crate) const WIDE_SIZE: (u16, u16) = (120, 34);

/// What the layout needs from the state at a given size: the rows the header, the banner
/// and the benchmark pane want, the counts that size the side panes, and the focused pane
/// (the one a narrow screen shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Measures {
    /// Lines of the header at this width.
    pub(crate) header_rows: u16,
    /// Lines of the banner at this width (0 when there is nothing to say).
    pub(crate) banner_rows: u16,
    /// Rows the benchmark pane wants, borders included, at this width (wide screens only).
    pub(crate) bench_rows: u16,
    /// Ops on the critical path.
    pub(crate) path_ops: usize,
    /// Findings.
    pub diagnostics: usize,
    /// The focused pane.
    pub focus: Pane,
    /// `z`: the focused pane alone fills the body.
    pub(crate) zoomed: bool,
}

impl Measures {
    /// The measures of `app` drawn into `area`.
    pub(crate) fn of(app: &App, area: Rect) -> Measures {
        let a = &app.model.snapshot.analysis;
        Measures {
            header_rows: header::lines(app, area.width).len() as u16,
            banner_rows: banner::lines(app, area.width).len() as u16,
            // Only a wide screen has a benchmark pane sized to its content.
            bench_rows: if is_wide(area) { BenchPane::new(app).wanted_height(area.width) } else { 0 },
            path_ops: a.critical_path.ops(),
            diagnostics: a.diagnostics.len(),
            focus: app.view.focus,
            zoomed: app.view.zoomed,
        }
    }
}

/// The screen's regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    /// The summary at the top.
    pub header: Rect,
    /// The error banner (zero height when there is nothing to say).
    pub banner: Rect,
    /// The tab strip (zero height when every pane is shown).
    pub(crate) tabs: Rect,
    /// The panes on screen.
    pub panes: Vec<(Pane, Rect)>,
    /// Key hints and status.
    pub footer: Rect,
}

impl Areas {
    /// The rectangle of `pane`, if it is on screen.
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == pane).map(|&(_, r)| r)
    }

    /// The pane under the terminal cell `(column, row)`.
    pub(crate) fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        self.panes.iter().find(|(_, r)| r.contains(Position::new(column, row))).map(|&(p, _)| p)
    }

    /// Rows of `pane`'s scrolling list (as if focused, when the screen shows one pane at a
    /// time), for paging and keeping the selection in view.
    pub(crate) fn list_height(&self, pane: Pane) -> usize {
        let rect = self.pane(pane).unwrap_or_else(|| self.panes.first().map(|&(_, r)| r).unwrap_or_default());
        // Borders, plus the column header (levels, groups) or the chain line (critical path).
        let chrome = match pane {
            Pane::Levels | Pane::Groups | Pane::CriticalPath => 3,
            Pane::Bench | Pane::Diagnostics => 2,
        };
        (rect.height as usize).saturating_sub(chrome).max(1)
    }
}

/// True when every pane fits side by side in `area`.
pub(crate) fn is_wide(area: Rect) -> bool {
    area.width >= WIDE_SIZE.0 && area.height >= WIDE_SIZE.1
}

/// The regions for `area`, or `None` when it is too small to draw into.
pub(crate) fn areas(area: Rect, m: &Measures) -> Option<Areas> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let wide = is_wide(area);
    let tabs_h = if wide || m.zoomed { 0 } else { 1 };
    let [header, banner, tabs, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(m.header_rows),
        Constraint::Length(m.banner_rows),
        Constraint::Length(tabs_h),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let panes = if wide && !m.zoomed { wide_panes(body, m) } else { vec![(m.focus, body)] };
    Some(Areas { header, banner, tabs, panes, footer })
}

/// The panes read in their number order: levels on the left, the critical path over the
/// groups on the right, then the benchmark and the diagnostics across the whole width.
fn wide_panes(body: Rect, m: &Measures) -> Vec<(Pane, Rect)> {
    let bench_h = m.bench_rows.min(body.height / 2);
    let diag_h = (m.diagnostics as u16 + 2).clamp(3, 8);
    let [top, bench, diagnostics] =
        body.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(bench_h), Constraint::Length(diag_h)]));
    let [levels, right] = top.layout(&Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]));
    let path_h = (m.path_ops as u16 + 4).clamp(5, (right.height * 2 / 5).max(5));
    let [path, groups] = right.layout(&Layout::vertical([Constraint::Length(path_h), Constraint::Fill(1)]));
    vec![
        (Pane::Levels, levels),
        (Pane::CriticalPath, path),
        (Pane::Groups, groups),
        (Pane::Bench, bench),
        (Pane::Diagnostics, diagnostics),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures(focus: Pane) -> Measures {
        Measures { header_rows: 2, banner_rows: 0, bench_rows: 5, path_ops: 3, diagnostics: 1, focus, zoomed: false }
    }

    #[test]
    fn below_the_minimum_there_is_no_layout() {
        let m = measures(Pane::Levels);
        assert_eq!(areas(Rect::new(0, 0, MIN_SIZE.0 - 1, 40), &m), None);
        assert_eq!(areas(Rect::new(0, 0, 100, MIN_SIZE.1 - 1), &m), None);
        assert!(areas(Rect::new(0, 0, MIN_SIZE.0, MIN_SIZE.1), &m).is_some());
    }

    #[test]
    fn a_narrow_screen_shows_the_focused_pane_under_a_tab_strip() {
        let a = areas(Rect::new(0, 0, 80, 24), &measures(Pane::Groups)).unwrap();
        assert_eq!(a.header, Rect::new(0, 0, 80, 2));
        assert_eq!(a.banner.height, 0);
        assert_eq!(a.tabs, Rect::new(0, 2, 80, 1));
        assert_eq!(a.panes, vec![(Pane::Groups, Rect::new(0, 3, 80, 20))]);
        assert_eq!(a.footer, Rect::new(0, 23, 80, 1));
        // Every list is as tall as the one pane on screen, less its chrome.
        assert_eq!(a.list_height(Pane::Levels), 17);
        assert_eq!(a.list_height(Pane::Diagnostics), 18);
    }

    #[test]
    fn a_wide_screen_tiles_every_pane_sized_by_the_counts() {
        let area = Rect::new(0, 0, 160, 48);
        let a = areas(area, &measures(Pane::Levels)).unwrap();
        assert_eq!(a.tabs.height, 0);
        assert_eq!(a.panes.iter().map(|&(p, _)| p).collect::<Vec<_>>(), Pane::ALL.to_vec());
        let body_h = 48 - 2 - 1;
        let total: u32 = a.panes.iter().map(|&(_, r)| r.width as u32 * r.height as u32).sum();
        assert_eq!(total, 160 * body_h as u32, "the panes cover the body without overlapping");
        assert_eq!(a.pane(Pane::Bench).unwrap().height, 5);
        assert_eq!(a.pane(Pane::CriticalPath).unwrap().height, 3 + 4);
        assert_eq!(a.pane(Pane::Diagnostics).unwrap().height, 1 + 2);
        assert_eq!(a.pane_at(0, 2), Some(Pane::Levels));
        assert_eq!(a.pane_at(159, 46), Some(Pane::Diagnostics));
        assert_eq!(a.pane_at(159, 46 - 3), Some(Pane::Bench));
        // Top to bottom, left to right, the panes read 1 2 3 4 5.
        let mut by_place = a.panes.clone();
        by_place.sort_by_key(|&(_, r)| (r.y, r.x));
        assert_eq!(by_place.iter().map(|&(p, _)| p).collect::<Vec<_>>(), Pane::ALL.to_vec());
        assert_eq!(a.pane_at(0, 0), None, "the header is no pane");
    }

    #[test]
    fn a_zoomed_pane_takes_the_whole_body_at_any_size() {
        for (w, h) in [(60, 15), (80, 24), (160, 48)] {
            let m = Measures { zoomed: true, ..measures(Pane::Bench) };
            let a = areas(Rect::new(0, 0, w, h), &m).unwrap();
            assert_eq!(a.tabs.height, 0, "no tab strip: {w}x{h}");
            assert_eq!(a.panes, vec![(Pane::Bench, Rect::new(0, 2, w, h - 3))], "{w}x{h}");
        }
    }

    #[test]
    fn the_benchmark_takes_at_most_half_the_body_and_long_lists_are_capped() {
        let m = Measures { bench_rows: 500, path_ops: 10_000, diagnostics: 10_000, ..measures(Pane::Levels) };
        let a = areas(Rect::new(0, 0, 120, 34), &m).unwrap();
        let body_h = 34 - 2 - 1;
        assert_eq!(a.pane(Pane::Bench).unwrap().height, body_h / 2);
        let right_h = body_h - body_h / 2 - 8;
        assert_eq!(a.pane(Pane::CriticalPath).unwrap().height, (right_h * 2 / 5).max(5));
        assert_eq!(a.pane(Pane::Diagnostics).unwrap().height, 8);
    }
}
