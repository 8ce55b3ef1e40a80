//! The diff lines under the header: what the last save changed, and how the version on
//! screen compares with the pinned baseline. Each is one line, cut with `…` when too long.

use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::format::{cost, plural, times, truncate};
use super::super::save_diff::VersionDiff;

/// The lines at `width` columns: none before the first save and without a baseline.
pub(crate) fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = &app.view.theme;
    let saves = &app.model.saves;
    let zone = &app.view.zone;
    let width = width as usize;
    let mut out = Vec::new();
    let mut push = |lead: &str, text: String| {
        let lead_w = lead.chars().count();
        out.push(Line::from(vec![
            Span::styled(lead.to_owned(), t.key()),
            Span::styled(truncate(&text, width.saturating_sub(lead_w)), t.text()),
        ]));
    };
    if let Some(d) = &saves.last {
        push("Δ ", format!("save {}: {}", d.after.at.hms(zone), describe(d)));
    }
    match (&saves.baseline, &saves.vs_baseline) {
        (Some(_), Some(d)) => push("⚑ ", format!("vs pinned {}: {}", d.before.at.hms(zone), describe(d))),
        (Some(b), None) => push(
            "⚑ ",
            format!("pinned {} as the baseline: later saves are compared with it (P unpins)", b.loaded_at.hms(zone)),
        ),
        _ => {}
    }
    out
}

/// `+1 op, -0, 2 changed │ levels 4 → 5 │ ...`: the ops by id, then each number that moved.
pub(crate) fn describe(d: &VersionDiff) -> String {
    let (b, a) = (&d.before, &d.after);
    let mut parts = vec![if d.is_unchanged() {
        "ops unchanged".to_owned()
    } else {
        format!("{} added, {} removed, {} changed", plural(d.added, "op"), d.removed, d.changed)
    }];
    let mut moved = |name: &str, before: String, after: String| {
        if before != after {
            parts.push(format!("{name} {before} → {after}"));
        }
    };
    moved("ops", b.ops.to_string(), a.ops.to_string());
    moved("levels", b.levels.to_string(), a.levels.to_string());
    moved(
        "critical path",
        format!("{}/{}", plural(b.critical_ops, "op"), cost(b.critical_cost)),
        format!("{}/{}", plural(a.critical_ops, "op"), cost(a.critical_cost)),
    );
    moved("work/span", times(b.parallelism), times(a.parallelism));
    moved("groggy's est.", format!("{:.3}x", b.estimated_speedup), format!("{:.3}x", a.estimated_speedup));
    if parts.len() == 1 && !d.is_unchanged() {
        parts.push("levels, critical path and estimates unchanged".to_owned());
    }
    parts.join(" │ ")
}
