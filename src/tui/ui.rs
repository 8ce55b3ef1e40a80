//! Drawing the whole screen: a pure function of the [`App`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::App;
use super::layout::{MIN_SIZE, Measures, areas};
use super::panes::banner::Banner;
use super::panes::bench::BenchPane;
use super::panes::critical_path::CriticalPathPane;
use super::panes::details::Details;
use super::panes::diagnostics::DiagnosticsPane;
use super::panes::footer::Footer;
use super::panes::groups::GroupsPane;
use super::panes::header::Header;
use super::panes::help::Help;
use super::panes::levels::LevelsPane;
use super::panes::tabs::Tabs;
use super::view::{Overlay, Pane};

/// Draws `app` into `frame`.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Draws `app` into `buf` over `area` (what [`draw`] does, for callers without a frame).
pub fn render(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let Some(areas) = areas(area, &Measures::of(app, area)) else {
        too_small(app, area, buf);
        return;
    };
    (&Header { app }).render(areas.header, buf);
    (&Banner { app }).render(areas.banner, buf);
    (&Tabs { app }).render(areas.tabs, buf);
    for &(pane, rect) in &areas.panes {
        match pane {
            Pane::Levels => (&LevelsPane::new(app)).render(rect, buf),
            Pane::CriticalPath => (&CriticalPathPane::new(app)).render(rect, buf),
            Pane::Groups => (&GroupsPane::new(app)).render(rect, buf),
            Pane::Bench => (&BenchPane::new(app)).render(rect, buf),
            Pane::Diagnostics => (&DiagnosticsPane::new(app)).render(rect, buf),
        }
    }
    (&Footer { app }).render(areas.footer, buf);
    match &app.view.overlay {
        Some(Overlay::Help) => (&Help { app }).render(area, buf),
        Some(Overlay::Details(id)) => (&Details { app, id }).render(area, buf),
        None => {}
    }
}

fn too_small(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let t = &app.view.theme;
    let text = vec![
        Line::from(Span::styled("Terminal too small", t.stale())),
        Line::from(format!("{}x{}; irtop needs {}x{}.", area.width, area.height, MIN_SIZE.0, MIN_SIZE.1)),
        Line::from(Span::styled("Enlarge the window, or press q to quit.", t.dim())),
    ];
    Paragraph::new(text).wrap(Wrap { trim: true }).centered().render(area, buf);
}
