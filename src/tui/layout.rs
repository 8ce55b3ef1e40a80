//! Where each part of the screen goes: a pure function of the terminal size and a few counts
//! ([`Measures`]), so drawing and mouse hit-testing agree and the geometry is tested on its
//! own. [`Measures::of`] is the only place that looks at the state (how many rows the header,
//! banner and benchmark want); [`areas`] is geometry only.
//!
//! A wide terminal shows every pane at once; a narrow one shows the header, a tab strip and
//! the focused pane. On a wide one the rows go to content that exists ([`share`]): a pane
//! whose content is shorter than its share gives the rest to the panes that need it (the
//! benchmark first), each keeping a minimum.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::app::App;
use super::panes::bench::{BenchPane, Shown};
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
    /// The benchmark pane shows the speedup curve, which grows into rows nobody else fills.
    pub(crate) bench_grows: bool,
    /// Ops on the critical path.
    pub(crate) path_ops: usize,
    /// Rows of the levels list (levels, and those of open bodies).
    pub(crate) level_rows: usize,
    /// Parallel groups (rows of the groups table).
    pub(crate) groups: usize,
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
        let bench = BenchPane::new(app);
        // Only a wide screen has a benchmark pane sized to its content.
        let bench_rows = if is_wide(area) { bench.wanted_height(area.width) } else { 0 };
        let shown = bench.shown(Rect::new(0, 0, area.width, bench_rows));
        Measures {
            header_rows: header::lines(app, area.width).len() as u16,
            banner_rows: banner::lines(app, area.width).len() as u16,
            bench_rows,
            bench_grows: matches!(shown, Some(Shown::Curve | Shown::Both)),
            path_ops: a.critical_path.ops(),
            level_rows: app.level_rows().len(),
            groups: a.groups.len(),
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

/// One pane's claim on a stack of rows: the fewest it is drawn in, the rows its content
/// fills (borders included), and its weight when several want more than there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Claim {
    /// Fewest rows.
    pub(crate) min: u16,
    /// Rows its content fills; more would stay empty.
    pub(crate) want: u16,
    /// Its share, relative to the others', of rows that several want.
    pub(crate) weight: u16,
}

impl Claim {
    fn new(min: u16, want: usize, weight: u16) -> Claim {
        Claim { min, want: (want.min(u16::MAX as usize) as u16).max(min), weight: weight.max(1) }
    }
}

/// Shares `total` rows among `claims`, in order: each first gets its minimum (in claim order
/// while rows last), then the rest go one at a time to the claim that wants more and has the
/// fewest rows for its weight (ties to the earlier claim); rows no claim wants go to `filler`.
/// So the rows always add up to `total`, and no claim gets more than it wants while another
/// still wants more.
///
/// # Complexity
/// O(total x claims).
pub(crate) fn share(total: u16, claims: &[Claim], filler: usize) -> Vec<u16> {
    let mut got = vec![0u16; claims.len()];
    let mut left = total;
    for (g, c) in got.iter_mut().zip(claims) {
        *g = c.min.min(left);
        left -= *g;
    }
    while left > 0 {
        let needy = (0..claims.len())
            .filter(|&i| got[i] < claims[i].want)
            .min_by(|&i, &j| (got[i] as u32 * claims[j].weight as u32).cmp(&(got[j] as u32 * claims[i].weight as u32)));
        match needy {
            Some(i) => {
                got[i] += 1;
                left -= 1;
            }
            None => {
                if let Some(g) = got.get_mut(filler) {
                    *g += left;
                }
                break;
            }
        }
    }
    got
}

/// Fewest rows of the levels pane: borders, column header, two rows.
const LEVELS_MIN: u16 = 5;
/// Fewest rows of the critical path: borders, chain line, two rows.
const PATH_MIN: u16 = 5;
/// Fewest rows of the groups table: borders, header, two rows.
const GROUPS_MIN: u16 = 5;
/// Fewest rows of the benchmark: borders, status line, two rows.
const BENCH_MIN: u16 = 5;
/// Fewest rows of the diagnostics: borders and one.
const DIAGNOSTICS_MIN: u16 = 3;
/// Most rows the diagnostics take on a tiled screen (their list scrolls).
const DIAGNOSTICS_MAX: u16 = 8;

/// The claims of the wide screen's two stacks: `[benchmark, levels with the right column,
/// diagnostics]` down the body, and `[critical path, groups]` down the right column.
pub(crate) fn wide_claims(m: &Measures) -> ([Claim; 3], [Claim; 2]) {
    let path = Claim::new(PATH_MIN, m.path_ops + 3, 2);
    let groups = Claim::new(GROUPS_MIN, m.groups + 3, 3);
    let levels = Claim::new(LEVELS_MIN, m.level_rows + 3, 1);
    let top = Claim {
        min: levels.min.max(path.min + groups.min),
        want: levels.want.max(path.want.saturating_add(groups.want)),
        weight: 1,
    };
    let bench = Claim::new(BENCH_MIN, m.bench_rows as usize, 1);
    let diagnostics = Claim::new(DIAGNOSTICS_MIN, (m.diagnostics + 2).min(DIAGNOSTICS_MAX as usize), 1);
    ([bench, top, diagnostics], [path, groups])
}

/// The panes read in their number order: levels on the left, the critical path over the
/// groups on the right, then the benchmark and the diagnostics across the whole width. The
/// rows are [`share`]d: what the levels, the path and the groups do not fill goes to the
/// benchmark, and the other way round. Rows nobody fills go to the benchmark's charts when
/// it has a report, else to the lists.
fn wide_panes(body: Rect, m: &Measures) -> Vec<(Pane, Rect)> {
    let (down, right_claims) = wide_claims(m);
    // The benchmark comes first among equals.
    let rows = share(body.height, &down, if m.bench_grows { 0 } else { 1 });
    let [bench_h, top_h, diag_h] = [rows[0], rows[1], rows[2]];
    let [top, bench, diagnostics] = body.layout(&Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Length(bench_h),
        Constraint::Length(diag_h),
    ]));
    let [levels, right] = top.layout(&Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]));
    let right_rows = share(right.height, &right_claims, 1);
    let [path, groups] =
        right.layout(&Layout::vertical([Constraint::Length(right_rows[0]), Constraint::Length(right_rows[1])]));
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
        Measures {
            header_rows: 2,
            banner_rows: 0,
            bench_rows: 5,
            bench_grows: false,
            path_ops: 3,
            level_rows: 4,
            groups: 4,
            diagnostics: 1,
            focus,
            zoomed: false,
        }
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
        assert_eq!(a.pane(Pane::CriticalPath).unwrap().height, 3 + 3);
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
    fn lists_shorter_than_their_share_give_their_rows_to_the_benchmark() {
        // A small IR (4 levels, 4 groups, 3 path ops) and a benchmark report of 29 rows at
        // 160x48 (45 rows of body, 3 for the diagnostics): the lists keep what their content
        // fills, the benchmark gets all it wants.
        let m = Measures { bench_rows: 29, ..measures(Pane::Bench) };
        let a = areas(Rect::new(0, 0, 160, 48), &m).unwrap();
        assert_eq!(a.pane(Pane::Bench).unwrap().height, 29);
        assert_eq!(a.pane(Pane::CriticalPath).unwrap().height, 3 + 3);
        assert_eq!(a.pane(Pane::Groups).unwrap().height, 4 + 3);
        assert_eq!(a.pane(Pane::Levels).unwrap().height, 6 + 7, "as tall as the right column's content");
        // Rows nobody fills go to the benchmark's charts when it has a report (they grow),
        // else to the lists (no empty benchmark pane).
        let m = Measures { bench_rows: 12, bench_grows: true, ..m };
        let a = areas(Rect::new(0, 0, 160, 48), &m).unwrap();
        assert_eq!(a.pane(Pane::Bench).unwrap().height, 48 - 3 - 13 - 3);
        assert_eq!(a.pane(Pane::Levels).unwrap().height, 13);
        let m = Measures { bench_rows: 5, bench_grows: false, ..m };
        let a = areas(Rect::new(0, 0, 160, 48), &m).unwrap();
        assert_eq!(a.pane(Pane::Bench).unwrap().height, 5);
        assert_eq!(a.pane(Pane::Levels).unwrap().height, 48 - 3 - 5 - 3);
    }

    #[test]
    fn when_every_pane_wants_more_than_there_is_they_share_and_keep_their_minimum() {
        let m = Measures {
            bench_rows: 500,
            path_ops: 10_000,
            level_rows: 10_000,
            groups: 10_000,
            diagnostics: 10_000,
            ..measures(Pane::Levels)
        };
        let a = areas(Rect::new(0, 0, 120, 34), &m).unwrap();
        let h = |p| a.pane(p).unwrap().height;
        // 31 rows: the diagnostics take their most (8), the benchmark and the lists split the
        // rest (the benchmark first), and the path gets 2 of every 5 rows of the right column.
        assert_eq!((h(Pane::Diagnostics), h(Pane::Bench), h(Pane::Levels)), (8, 12, 11));
        assert_eq!((h(Pane::CriticalPath), h(Pane::Groups)), (5, 6));
        for p in Pane::ALL {
            assert!(h(p) >= 5 || (p == Pane::Diagnostics && h(p) >= 3), "{p:?} keeps its minimum");
        }
    }

    fn claim(min: u16, want: u16, weight: u16) -> Claim {
        Claim { min, want: want.max(min), weight: weight.max(1) }
    }

    #[test]
    fn share_gives_minimums_then_weights_then_the_filler() {
        let c = [claim(5, 100, 1), claim(10, 100, 1), claim(3, 8, 1)];
        assert_eq!(share(31, &c, 1), [12, 11, 8]);
        assert_eq!(share(10, &c, 1), [5, 5, 0], "too few rows: minimums in order");
        let c = [claim(5, 7, 2), claim(5, 7, 3)];
        assert_eq!(share(30, &c, 1), [7, 23], "what nobody wants goes to the filler");
        let c = [claim(5, 100, 2), claim(5, 100, 3)];
        assert_eq!(share(30, &c, 1), [12, 18], "2 to 3");
    }

    use proptest::prelude::*;

    fn claims() -> impl Strategy<Value = Vec<Claim>> {
        prop::collection::vec((0u16..20, 0u16..200, 1u16..5).prop_map(|(m, w, k)| claim(m, w, k)), 1..5)
    }

    proptest! {
        #[test]
        fn share_conserves_rows_keeps_minimums_and_fills_no_pane_past_its_content_while_another_needs(
            total in 0u16..400, claims in claims(), filler in 0usize..5,
        ) {
            let filler = filler % claims.len();
            let got = share(total, &claims, filler);
            prop_assert_eq!(got.iter().map(|&g| g as u32).sum::<u32>(), total as u32, "rows are conserved");
            let mins: u32 = claims.iter().map(|c| c.min as u32).sum();
            if mins <= total as u32 {
                for (g, c) in got.iter().zip(&claims) {
                    prop_assert!(*g >= c.min, "{:?} got {}", c, g);
                }
            }
            if got.iter().zip(&claims).any(|(g, c)| *g < c.want) {
                for (g, c) in got.iter().zip(&claims) {
                    prop_assert!(*g <= c.want, "{:?} got {} while another needs rows: {:?}", c, g, got);
                }
            }
        }

        #[test]
        fn a_wide_layout_tiles_the_body_and_gives_no_list_rows_past_its_content_while_the_benchmark_needs_them(
            w in 120u16..260, h in 34u16..90, header in 1u16..4, banner in 0u16..3,
            bench in 0u16..120, grows: bool, path in 0usize..400, levels in 0usize..400,
            groups in 0usize..400, diagnostics in 0usize..40,
        ) {
            let m = Measures {
                header_rows: header,
                banner_rows: banner,
                bench_rows: bench,
                bench_grows: grows,
                path_ops: path,
                level_rows: levels,
                groups,
                diagnostics,
                focus: Pane::Levels,
                zoomed: false,
            };
            let a = areas(Rect::new(0, 0, w, h), &m).unwrap();
            let body_h = h - header - banner - 1;
            let cells: u32 = a.panes.iter().map(|&(_, r)| r.width as u32 * r.height as u32).sum();
            prop_assert_eq!(cells, w as u32 * body_h as u32, "the panes cover the body");
            for (i, &(_, r)) in a.panes.iter().enumerate() {
                for &(_, q) in &a.panes[i + 1..] {
                    prop_assert!(r.intersection(q).is_empty(), "{:?} overlaps {:?}", r, q);
                }
            }
            let ([bench_c, top_c, diag_c], [path_c, groups_c]) = wide_claims(&m);
            let hh = |p| a.pane(p).unwrap().height;
            prop_assert!(hh(Pane::Bench) >= bench_c.min && hh(Pane::Diagnostics) >= diag_c.min);
            prop_assert!(hh(Pane::Levels) >= top_c.min);
            prop_assert!(hh(Pane::CriticalPath) >= path_c.min && hh(Pane::Groups) >= groups_c.min);
            if hh(Pane::Bench) < bench_c.want {
                // The lists are no taller than the taller column's content.
                prop_assert!(hh(Pane::Levels) <= top_c.want);
                prop_assert!(hh(Pane::Diagnostics) <= diag_c.want);
            }
            if hh(Pane::CriticalPath) < path_c.want {
                prop_assert!(hh(Pane::Groups) <= groups_c.want);
            }
            if hh(Pane::Groups) < groups_c.want {
                prop_assert!(hh(Pane::CriticalPath) <= path_c.want);
            }
        }
    }
}
