//! View state: how the model is shown (focus, selection, scroll, sort, overlays), kept apart
//! from the model so a reload replaces the analysis without losing the user's place.

use super::panes::critical_path::PathState;
use super::panes::groups::GroupsState;
use super::panes::levels::LevelsState;
use super::theme::Theme;

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// One row per level.
    Levels,
    /// The critical path, op by op.
    CriticalPath,
    /// The parallel groups table.
    Groups,
    /// Benchmark results.
    Bench,
    /// The analysis's findings.
    Diagnostics,
}

impl Pane {
    /// Every pane, in Tab order.
    pub const ALL: [Pane; 5] = [Pane::Levels, Pane::CriticalPath, Pane::Groups, Pane::Bench, Pane::Diagnostics];

    /// The pane's title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Levels => "Levels",
            Pane::CriticalPath => "Critical path",
            Pane::Groups => "Groups",
            Pane::Bench => "Benchmark",
            Pane::Diagnostics => "Diagnostics",
        }
    }

    /// 1-based position, the digit that focuses it.
    pub fn number(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0) + 1
    }

    /// The next pane in Tab order.
    pub fn next(self) -> Pane {
        Pane::ALL[self.number() % Pane::ALL.len()]
    }

    /// The previous pane in Tab order.
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.number() + Pane::ALL.len() - 2) % Pane::ALL.len()]
    }
}

/// A window drawn over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key list.
    Help,
    /// Everything about one op, by its file id (`node_3`, `node_11/2`).
    Details(String),
}

/// What the benchmark pane shows beside its table when only one of the timeline and the
/// speedup curve fits (a wide enough pane shows both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BenchChart {
    /// The last parallel run, thread by thread.
    #[default]
    Timeline,
    /// Predicted speedup of each mode for 1 to 64 threads.
    Curve,
}

impl BenchChart {
    /// The other one.
    pub(crate) fn toggled(self) -> BenchChart {
        match self {
            BenchChart::Timeline => BenchChart::Curve,
            BenchChart::Curve => BenchChart::Timeline,
        }
    }
}

/// Columns the groups table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKey {
    /// Group (level) index.
    Index,
    /// Number of ops.
    Ops,
    /// groggy's parallelism factor.
    Factor,
    /// Number of shared inputs.
    Inputs,
    /// Number of outputs.
    Outputs,
}

impl GroupKey {
    /// The sort keys in the order `s` cycles through them.
    pub const ALL: [GroupKey; 5] =
        [GroupKey::Index, GroupKey::Ops, GroupKey::Factor, GroupKey::Inputs, GroupKey::Outputs];

    /// The key after this one.
    pub fn next(self) -> GroupKey {
        let i = GroupKey::ALL.iter().position(|&k| k == self).unwrap_or(0);
        GroupKey::ALL[(i + 1) % GroupKey::ALL.len()]
    }
}

/// How the groups table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSort {
    /// The column.
    pub key: GroupKey,
    /// Largest first.
    pub descending: bool,
}

/// A movement key, the same for every pane: each pane's state says what it means there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Up this many rows.
    Up(usize),
    /// Down this many rows.
    Down(usize),
    /// To the previous item in the row.
    Left,
    /// To the next item in the row.
    Right,
    /// To the first row.
    Home,
    /// To the last row.
    End,
}

/// A list's place: the selected row and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPlace {
    /// Selected row.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

impl ListPlace {
    /// Moves the selection by `delta` within `len` rows and scrolls so it stays within a
    /// window of `height` rows.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = ListPlace::default();
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
        self.offset = visible_offset(self.offset, self.selected, height, len);
    }

    /// A movement key on a list of `len` rows shown `height` at a time (left and right do
    /// nothing).
    pub(crate) fn navigate(&mut self, nav: Nav, len: usize, height: usize) {
        match nav {
            Nav::Up(k) => self.step(-(k as isize), len, height),
            Nav::Down(k) => self.step(k as isize, len, height),
            Nav::Home => self.step(isize::MIN / 2, len, height),
            Nav::End => self.step(isize::MAX / 2, len, height),
            Nav::Left | Nav::Right => {}
        }
    }

    /// Clamps the place to a list of `len` rows.
    pub(crate) fn clamp(&mut self, len: usize, height: usize) {
        self.step(0, len, height);
    }
}

/// The first row to show so that `selected` is visible in `height` rows, moving as little as
/// possible from `offset`, and not scrolling past the end of `len` rows.
pub(crate) fn visible_offset(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    let height = height.max(1);
    let mut offset = offset.min(len.saturating_sub(height));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset
}

/// The selected op in the levels pane: by id, with the row and column as a fallback for when
/// a reload removes the op.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpSelection {
    /// The op's file id.
    pub id: Option<String>,
    /// The row it was on.
    pub row: usize,
    /// Its position in that row.
    pub(crate) col: usize,
    /// First visible row.
    pub offset: usize,
}

/// Everything about how the model is shown. Each pane's own state (selection, scroll,
/// sort, open bodies) is a field, with the keys that change it as its methods.
#[derive(Debug, Clone)]
pub struct ViewState {
    /// The pane keys go to.
    pub focus: Pane,
    /// The levels pane's state: the selected op, the scroll, the open bodies.
    pub levels: LevelsState,
    /// The critical-path pane's state: the selected op and the scroll.
    pub path: PathState,
    /// The groups pane's state: the selected group, the scroll and the sort.
    pub groups: GroupsState,
    /// Selected diagnostic and scroll.
    pub diagnostics: ListPlace,
    /// Timeline or speedup curve, where the benchmark pane has room for one.
    pub bench_chart: BenchChart,
    /// First row of the benchmark pane's body shown, when it is taller than the pane.
    pub bench_scroll: usize,
    /// `z`: the focused pane fills the screen.
    pub zoomed: bool,
    /// The overlay, if one is open.
    pub overlay: Option<Overlay>,
    /// Scroll of the overlay's text.
    pub(crate) overlay_scroll: usize,
    /// Terminal size `(columns, rows)`.
    pub size: (u16, u16),
    /// Where each part of the screen is at `size`, as `update` last computed it (`None`:
    /// too small to draw into). Key and mouse handling read it; drawing computes its own.
    pub layout: Option<super::layout::Areas>,
    /// Spinner frame.
    pub spinner: usize,
    /// A one-line message in the footer until the next key press.
    pub status: Option<String>,
    /// The `/` search: its query and matches.
    pub search: super::search::Search,
    /// Colours.
    pub theme: Theme,
    /// The time zone times are shown in (UTC until the runtime reads the local one).
    pub zone: super::clock::Zone,
}

impl ViewState {
    /// The initial view: levels focused, nothing selected yet, an 80x24 terminal.
    pub fn new(theme: Theme) -> ViewState {
        ViewState {
            focus: Pane::Levels,
            levels: LevelsState::default(),
            path: PathState::default(),
            groups: GroupsState::default(),
            diagnostics: ListPlace::default(),
            bench_chart: BenchChart::default(),
            bench_scroll: 0,
            zoomed: false,
            overlay: None,
            overlay_scroll: 0,
            size: (80, 24),
            layout: None,
            spinner: 0,
            status: None,
            search: Default::default(),
            theme,
            zone: super::clock::Zone::utc(),
        }
    }
}
