//! Where each part of the screen goes, as a pure function of the terminal size and the
//! state, so drawing and mouse hit-testing agree.
//!
//! A wide terminal shows every pane at once; a narrow one shows the header, a tab strip and
//! the focused pane.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::app::App;
use super::panes::{banner, bench, header};
use super::view::Pane;

/// Smallest terminal the TUI draws into; below it, a "too small" message.
pub const MIN_SIZE: (u16, u16) = (60, 15);

/// From this size up, every pane is on screen at once.
pub const WIDE_SIZE: (u16, u16) = (120, 34);

/// The screen's regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    /// The summary at the top.
    pub header: Rect,
    /// The error banner (zero height when there is nothing to say).
    pub banner: Rect,
    /// The tab strip (zero height when every pane is shown).
    pub tabs: Rect,
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
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        self.panes.iter().find(|(_, r)| r.contains(Position::new(column, row))).map(|&(p, _)| p)
    }
}

/// True when every pane fits side by side in `area`.
pub fn is_wide(area: Rect) -> bool {
    area.width >= WIDE_SIZE.0 && area.height >= WIDE_SIZE.1
}

/// The regions for `area`, or `None` when it is too small to draw into.
pub fn areas(area: Rect, app: &App) -> Option<Areas> {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return None;
    }
    let header_h = header::lines(app, area.width).len() as u16;
    let banner_h = banner::lines(app, area.width).len() as u16;
    let wide = is_wide(area);
    let tabs_h = if wide { 0 } else { 1 };
    let [header, banner, tabs, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(header_h),
        Constraint::Length(banner_h),
        Constraint::Length(tabs_h),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let panes = if wide { wide_panes(body, app) } else { vec![(app.view.focus, body)] };
    Some(Areas { header, banner, tabs, panes, footer })
}

fn wide_panes(body: Rect, app: &App) -> Vec<(Pane, Rect)> {
    let bench_h = bench::wanted_height(app, body.width).min(body.height / 2);
    let [top, bench] = body.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(bench_h)]));
    let [levels, right] = top.layout(&Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]));
    let a = &app.model.snapshot.analysis;
    let path_h = (a.critical_path.ops() as u16 + 4).clamp(5, (right.height * 2 / 5).max(5));
    let diag_h = (a.diagnostics.len() as u16 + 2).clamp(3, 8);
    let [path, groups, diagnostics] =
        right.layout(&Layout::vertical([Constraint::Length(path_h), Constraint::Fill(1), Constraint::Length(diag_h)]));
    vec![
        (Pane::Levels, levels),
        (Pane::CriticalPath, path),
        (Pane::Groups, groups),
        (Pane::Bench, bench),
        (Pane::Diagnostics, diagnostics),
    ]
}

/// Rows of `pane`'s scrolling list on the current screen (as if focused, when the screen
/// shows one pane at a time), for paging and keeping the selection in view.
pub fn list_height(app: &App, pane: Pane) -> usize {
    let size = Rect::new(0, 0, app.view.size.0, app.view.size.1);
    let Some(areas) = areas(size, app) else { return 1 };
    let rect = areas.pane(pane).unwrap_or_else(|| areas.panes.first().map(|&(_, r)| r).unwrap_or_default());
    // Borders, plus the column header (levels, groups) or the chain line (critical path).
    let chrome = match pane {
        Pane::Levels | Pane::Groups | Pane::CriticalPath => 3,
        Pane::Bench | Pane::Diagnostics => 2,
    };
    (rect.height as usize).saturating_sub(chrome).max(1)
}
