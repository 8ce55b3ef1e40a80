//! The text table `irtop bench` prints.

use std::fmt::Write;

use crate::exec::report::BenchReport;

/// Renders `report` as a table: one row per mode with its timings, measured speedup,
/// the predicted speedups (groggy's estimate, irtop's static and calibrated predictions;
/// `-` where there is none) and the largest difference from seq's results, then where
/// the predictions' constants come from.
pub fn render(report: &BenchReport, reps: usize) -> String {
    let mut out = String::new();
    let g = &report.graph;
    let _ = writeln!(
        out,
        "graph {} ({} nodes, {} edges), {} threads, {} repetitions after a warm-up",
        g.source, g.nodes, g.edges, report.threads, reps
    );
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>10} {:>10} {:>10} {:>8} {:>8} {:>8} {:>10} {:>10}",
        "mode", "threads", "median", "min", "max", "speedup", "groggy", "static", "calibrated", "max|diff|"
    );
    let x = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}x"));
    for m in &report.modes {
        let p = m.predicted.as_ref();
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>10} {:>10} {:>10} {:>7.2}x {:>8} {:>8} {:>10} {:>10.3e}",
            m.mode,
            m.threads,
            seconds(m.median_s),
            seconds(m.min_s),
            seconds(m.max_s),
            m.speedup,
            x(Some(p.map_or(report.predicted.groggy, |p| p.groggy))),
            x(p.map(|p| p.static_model)),
            x(p.and_then(|p| p.calibrated)),
            m.max_abs_diff
        );
    }
    if !report.costs.is_empty() {
        let _ = writeln!(out, "predictions: {}", report.costs);
    }
    if let Some(note) = &report.note {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

fn seconds(s: f64) -> String {
    if s >= 1.0 { format!("{s:.3} s") } else { format!("{:.2} ms", s * 1e3) }
}
