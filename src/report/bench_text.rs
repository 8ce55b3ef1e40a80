//! The text table `irtop bench` prints: per mode its times, its measured speedup with the
//! 95% interval, and the predictions beside it; then how many rounds ran and why they
//! stopped, and anything the numbers should be read with.

use std::fmt::Write;

use crate::report::bench_report::BenchReport;
use crate::report::style::{Palette, paint};
use crate::units::{count, duration};

/// Renders `report` as a table, the column names and the verdicts in `palette`'s styles.
pub(crate) fn render(report: &BenchReport, palette: &Palette) -> String {
    let mut out = String::new();
    let m = &report.measured;
    let g = &m.graph;
    let _ = writeln!(
        out,
        "graph {} ({} nodes, {} edges), {}, {} ({}) in {}",
        g.source,
        g.nodes,
        g.edges,
        count(m.threads, "thread"),
        count(m.rounds, "round"),
        m.stopped.describe(),
        duration(m.elapsed_s)
    );
    if let Some(why) = &m.scaled {
        let _ = writeln!(out, "{}: {why}", paint(palette.note, "note"));
    }
    let columns = format!(
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
    let _ = writeln!(out, "{}", paint(palette.header, columns));
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
            match p.filter(|_| !row.mode.is_seq()) {
                Some(p) => paint(palette.verdict(p.verdict), format!("{:<8}", p.verdict.label())).to_string(),
                None => "-".to_owned(),
            },
            row.max_abs_diff
        );
    }
    for row in m.modes.iter().filter(|r| r.noise) {
        let _ = writeln!(
            out,
            "{}: {} measured {:.2}x on {}, more than the threads can give: the machine's speed changed \
             during the benchmark; run it again",
            paint(palette.note, "note"),
            row.mode,
            row.speedup,
            count(row.threads, "thread")
        );
    }
    if !report.predicted.costs.is_empty() {
        let _ = writeln!(out, "predictions: {}", report.predicted.costs);
    }
    if let Some(auto) = &report.predicted.auto {
        let _ = writeln!(out, "auto on {} chose:", count(auto.threads, "thread"));
        for line in &auto.lines {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
