//! The diff lines under the header: what the last save changed, and how the version on
//! screen compares with the pinned baseline. Each is one line, cut with `…` when too long.

use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::format::{cost, duration, plural, times, truncate};
use super::super::model::{BenchRecord, Model};
use super::super::save_diff::VersionDiff;

/// The lines at `width` columns: none before the first save and without a baseline. A
/// line whose ops and benchmark parts do not fit the width says them in fewer words (`+1
/// -0 ~1 ops`, no `save`); what still does not fit ends in `…`.
pub(crate) fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = &app.view.theme;
    let saves = &app.model.saves;
    let zone = &app.view.zone;
    let width = width as usize;
    let mut out = Vec::new();
    let mut push = |lead: &str, text: &dyn Fn(bool) -> (String, usize)| {
        let room = width.saturating_sub(lead.chars().count());
        let (full, key) = text(false);
        let text = if key <= room { full } else { text(true).0 };
        out.push(Line::from(vec![
            Span::styled(lead.to_owned(), t.key()),
            Span::styled(truncate(&text, room), t.text()),
        ]));
    };
    if let Some(d) = &saves.last {
        push("Δ ", &|short| {
            let save = if short { "" } else { "save " };
            joined(format!("{save}{}: ", d.after.at.hms(zone)), describe(d, &app.model, short))
        });
    }
    match (&saves.baseline, &saves.vs_baseline) {
        (Some(_), Some(d)) => push("⚑ ", &|short| {
            joined(format!("vs pinned {}: ", d.before.at.hms(zone)), describe(d, &app.model, short))
        }),
        (Some(b), None) => push("⚑ ", &|_| {
            let text = format!(
                "pinned {} as the baseline: later saves are compared with it (P unpins)",
                b.loaded_at.hms(zone)
            );
            (text, 0)
        }),
        _ => {}
    }
    out
}

/// `head` and `parts` joined by ` │ `, with the width of what must fit for the line to be
/// worth its longer wording: the head, the ops and the benchmark's parts.
fn joined(head: String, (parts, key): (Vec<String>, usize)) -> (String, usize) {
    let key_w = head.chars().count() + parts[..key].iter().map(|p| p.chars().count() + 3).sum::<usize>() - 3;
    (head + &parts.join(" │ "), key_w)
}

/// `1 op added, 0 removed, 2 changed │ measured ... │ irtop's pred. ... │ levels 4 → 5 │
/// ...`: the ops by id, the measured time and irtop's prediction when a benchmark ran on
/// both versions, then each number that moved; and how many parts lead (the ops and the
/// benchmark's). `short`: the ops as `+1 -0 ~2 ops`.
pub(crate) fn describe(d: &VersionDiff, model: &Model, short: bool) -> (Vec<String>, usize) {
    let (b, a) = (&d.before, &d.after);
    let mut parts = vec![if d.is_unchanged() {
        "ops unchanged".to_owned()
    } else if short {
        format!("+{} -{} ~{} ops", d.added, d.removed, d.changed)
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
    // What the benchmarks say goes first: it is what a save is tuned for.
    let measuring = model.bench.running.as_ref().is_some_and(|r| r.version == a.version);
    let bench = match (model.run_of(b.version), model.run_of(a.version)) {
        (Some(_), _) if measuring => vec!["measuring…".to_owned()],
        (Some(old), Some(new)) => {
            let mode = new.compared_mode();
            let predicted = |r: &BenchRecord| r.mode(mode).and_then(|m| m.predicted).map(times);
            let mut out: Vec<String> = measured(old, new).into_iter().collect();
            if let (Some(x), Some(y)) = (predicted(old), predicted(new))
                && x != y
            {
                out.push(format!("irtop's pred. {mode} {x} → {y}"));
            }
            out
        }
        _ => Vec::new(),
    };
    let key = 1 + bench.len();
    parts.splice(1..1, bench);
    (parts, key)
}

/// `measured levels 12.3 ms → 10.1 ms (-18%)`: the median time of the mode the newer run
/// compares (the one asked for, else its best) in both runs, with the threads when they
/// differ; `None` when the older run lacks the mode or ran on another graph.
fn measured(old: &BenchRecord, new: &BenchRecord) -> Option<String> {
    let mode = new.compared_mode();
    let (x, y) = (old.mode(mode)?, new.mode(mode)?);
    if old.graph != new.graph || x.median_s <= 0.0 {
        return None;
    }
    let change = 100.0 * (y.median_s - x.median_s) / x.median_s;
    // Under half a percent either way reads `±0%`, never `-0%`.
    let change = if change.abs() < 0.5 { "±0".to_owned() } else { format!("{change:+.0}") };
    let threads =
        |r: &BenchRecord| if old.threads == new.threads { String::new() } else { format!(" ({} thr)", r.threads) };
    Some(format!(
        "measured {mode} {}{} → {}{} ({change}%)",
        duration(x.median_s),
        threads(old),
        duration(y.median_s),
        threads(new)
    ))
}
