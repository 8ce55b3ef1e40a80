//! The text table `irtop bench` prints.

use std::fmt::Write;

use crate::exec::report::BenchReport;

/// Renders `report` as a table: one row per mode with its timings, measured speedup,
/// groggy's predicted speedup and the largest difference from seq's results.
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
        "{:<14} {:>7} {:>10} {:>10} {:>10} {:>8} {:>8} {:>10}",
        "mode", "threads", "median", "min", "max", "speedup", "groggy", "max|diff|"
    );
    for m in &report.modes {
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>10} {:>10} {:>10} {:>7.2}x {:>7.2}x {:>10.3e}",
            m.mode,
            m.threads,
            seconds(m.median_s),
            seconds(m.min_s),
            seconds(m.max_s),
            m.speedup,
            report.predicted.groggy,
            m.max_abs_diff
        );
    }
    out
}

fn seconds(s: f64) -> String {
    if s >= 1.0 { format!("{s:.3} s") } else { format!("{:.2} ms", s * 1e3) }
}
