//! The footer: the last status message, or the keys that matter in the focused pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use super::super::app::App;
use super::super::view::Pane;
use super::put_line;

/// The footer widget.
pub(crate) struct Footer<'a> {
    /// The state to show.
    pub app: &'a App,
}

/// The focused pane's most useful keys, then the global ones.
fn hints(pane: Pane) -> &'static [(&'static str, &'static str)] {
    match pane {
        Pane::Levels => &[("↑↓", "level"), ("←→", "op"), ("Enter", "details"), ("Space", "open loop")],
        Pane::CriticalPath => &[("↑↓", "op"), ("Enter", "details")],
        Pane::Groups => &[("↑↓", "group"), ("s/S", "sort"), ("Enter", "show level")],
        Pane::Bench => &[("b", "run"), ("Esc", "cancel"), ("+/-", "threads"), ("m", "mode"), ("c", "curve")],
        Pane::Diagnostics => &[("↑↓", "finding"), ("Enter", "its op")],
    }
}

/// The global keys a narrow footer leaves out, first to last (`z`, help and quit stay).
const DROP_FIRST: [&str; 4] = ["r", "e", "b", "Tab"];

/// The keys that work in every pane, after the focused pane's: `z` says which way it goes.
fn global(zoomed: bool) -> [(&'static str, &'static str); 7] {
    let z = if zoomed { ("z/Esc", "back") } else { ("z", "expand") };
    [("Tab", "pane"), z, ("b", "bench"), ("e", "edit"), ("r", "reload"), ("?", "help"), ("q", "quit")]
}

impl Widget for &Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = &self.app.view.theme;
        // The search line while a query is typed; after that, a status message goes first.
        if let Some(spans) = super::search_bar::spans(self.app)
            && (self.app.view.search.typing || self.app.view.status.is_none())
        {
            put_line(buf, area.x, area.y, spans, area.width);
            return;
        }
        if let Some(status) = &self.app.view.status {
            put_line(buf, area.x, area.y, vec![Span::styled(status.clone(), t.status())], area.width);
            return;
        }
        // A window is open: only its keys work.
        if self.app.view.overlay.is_some() {
            let keys = [("Esc", "close"), ("↑↓", "scroll"), ("PgUp/PgDn", "page"), ("q", "close")];
            let spans = keys
                .iter()
                .flat_map(|(k, w)| [Span::styled(format!(" {k}"), t.key()), Span::styled(format!(" {w} "), t.dim())]);
            put_line(buf, area.x, area.y, spans.collect(), area.width);
            return;
        }
        let pane = hints(self.app.view.focus);
        let mut keys: Vec<(&str, &str)> = pane.to_vec();
        // Global keys the pane does not already list, the least needed dropped until the
        // line fits.
        let mut global: Vec<(&str, &str)> =
            global(self.app.view.zoomed).into_iter().filter(|(k, _)| !pane.iter().any(|(h, _)| h == k)).collect();
        let width =
            |ks: &[(&str, &str)]| ks.iter().map(|(k, w)| k.chars().count() + w.chars().count() + 3).sum::<usize>();
        for drop in DROP_FIRST {
            if width(&keys) + width(&global) <= area.width as usize {
                break;
            }
            global.retain(|(k, _)| *k != drop);
        }
        keys.extend(global);
        let mut spans = Vec::new();
        for (key, what) in keys {
            spans.push(Span::styled(format!(" {key}"), t.key()));
            spans.push(Span::styled(format!(" {what} "), t.dim()));
        }
        put_line(buf, area.x, area.y, spans, area.width);
    }
}
