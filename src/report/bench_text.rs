//! The text table `irtop bench` prints: per mode its times, its measured speedup with the
//! 95% interval, and the predictions beside it; then how many rounds ran and why they
//! stopped, and anything the numbers should be read with.

use std::fmt::Write;

use crate::report::bench_report::BenchReport;
use crate::units::duration;

/// Renders `report` as a table.
pub(crate) fn render(report: &BenchReport) -> String {
    let mut out = String::new();
    let m = &report.measured;
    let g = &m.graph;
    let _ = writeln!(
        out,
        "graph {} ({} nodes, {} edges), {} threads, {} round{} ({}) in {}",
        g.source,
        g.nodes,
        g.edges,
        m.threads,
        m.rounds,
        if m.rounds == 1 { "" } else { "s" },
        m.stopped.describe(),
        duration(m.elapsed_s)
    );
    if let Some(why) = &m.scaled {
        let _ = writeln!(out, "note: {why}");
    }
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>10} {:>10} {:>10} {:>8} {:>13} {:>8} {:>8} {:>10} {:>13} {:<8} {:>10}",
        "mode",
        "threads",
        "median",
        "min",
        "max",
        "speedup",
        "95% interval",
        "groggy",
        "static",
        "calibrated",
        "band",
        "verdict",
        "max|diff|"
    );
    let x = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}x"));
    for (row, p) in report.rows() {
        let speedup = format!("{:.2}x{}", row.speedup, if row.noise { "?" } else { "" });
        let [lo, hi] = row.speedup_interval;
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>10} {:>10} {:>10} {:>8} {:>13} {:>8} {:>8} {:>10} {:>13} {:<8} {:>10.3e}",
            row.mode.name(),
            row.threads,
            duration(row.median_s),
            duration(row.min_s),
            duration(row.max_s),
            speedup,
            format!("{lo:.2}-{hi:.2}x"),
            x(Some(p.map_or(report.predicted.groggy, |p| p.groggy))),
            x(p.map(|p| p.static_model)),
            x(p.and_then(|p| p.calibrated)),
            p.filter(|_| !row.mode.is_seq())
                .map_or_else(|| "-".to_owned(), |p| format!("{:.2}-{:.2}x", p.band[0], p.band[1])),
            if row.mode.is_seq() { "-" } else { p.map_or("-", |p| p.verdict.label()) },
            row.max_abs_diff
        );
    }
    for row in m.modes.iter().filter(|r| r.noise) {
        let _ = writeln!(
            out,
            "note: {} measured {:.2}x on {} threads, more than the threads can give: the machine's speed changed \
             during the benchmark; run it again",
            row.mode, row.speedup, row.threads
        );
    }
    if !report.predicted.costs.is_empty() {
        let _ = writeln!(out, "predictions: {}", report.predicted.costs);
    }
    if let Some(auto) = &report.predicted.auto {
        let _ = writeln!(out, "auto on {} threads chose:", auto.threads);
        for line in &auto.lines {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
