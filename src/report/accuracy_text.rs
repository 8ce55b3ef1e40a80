//! The `irtop bench --all` table: per sample and mode, the measured speedup and its 95%
//! interval beside groggy's estimate and irtop's static and calibrated predictions, with
//! their relative errors.

use std::fmt::Write;

use crate::predict::accuracy::{SampleResult, relative_error};

/// Renders the accuracy table as Markdown (it goes into the README as is), then the
/// largest absolute relative error of each predictor over the measured modes and how many
/// predictions fall within 10% and 25% of the measured speedup and inside its 95% interval
/// (how far the machine moved the measurement).
pub fn render(results: &[SampleResult]) -> String {
    let mut s = String::new();
    s.push_str(
        "| sample | graph | seq ms | mode | measured | 95% interval | groggy (err) | static (err) | calibrated (err) |\n",
    );
    s.push_str("|---|---|---:|---|---:|---:|---:|---:|---:|\n");
    let mut worst = [0.0f64; 3];
    let mut inside = [0usize; 3];
    let mut errors: [Vec<f64>; 3] = Default::default();
    let mut rows = 0usize;
    let pct = |e: f64| format!("{:+.0}%", e * 100.0);
    for r in results {
        let name =
            r.file.file_name().map_or_else(|| r.file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let Some(report) = &r.report else {
            let _ = writeln!(
                s,
                "| {name} | | | | not run: {} | | | | |",
                r.error.as_deref().unwrap_or("?").replace('|', "/")
            );
            continue;
        };
        let seq_ms = report.measured.modes.first().map_or(0.0, |m| m.median_s) * 1e3;
        for (m, p) in report.rows().filter(|(m, _)| !m.mode.is_seq()) {
            let Some(p) = p else { continue };
            let [low, high] = m.speedup_interval;
            rows += 1;
            for (n, x) in inside.iter_mut().zip([Some(p.groggy), Some(p.static_model), p.calibrated]) {
                if x.is_some_and(|x| (low..=high).contains(&x)) {
                    *n += 1;
                }
            }
            let errs = [
                relative_error(p.groggy, m.speedup),
                relative_error(p.static_model, m.speedup),
                p.calibrated.map_or(f64::NAN, |c| relative_error(c, m.speedup)),
            ];
            for ((w, all), e) in worst.iter_mut().zip(&mut errors).zip(errs) {
                if e.is_finite() {
                    *w = w.max(e.abs());
                    all.push(e.abs());
                }
            }
            let _ = writeln!(
                s,
                "| {name} | rmat {} ef {} | {seq_ms:.1} | {} | {:.2}x | {low:.2}-{high:.2}x | {:.2}x ({}) | {:.2}x ({}) | {} |",
                r.scale,
                r.edge_factor,
                m.mode,
                m.speedup,
                p.groggy,
                pct(errs[0]),
                p.static_model,
                pct(errs[1]),
                p.calibrated.map_or_else(|| "-".to_owned(), |c| format!("{c:.2}x ({})", pct(errs[2]))),
            );
        }
    }
    let within = |limit: f64| errors.each_ref().map(|e| e.iter().filter(|&&e| e <= limit + 1e-12).count());
    let percent = |v: [f64; 3]| v.map(|v| format!("{:.0}%", v * 100.0));
    let of_rows = |n: [usize; 3]| n.map(|n| format!("{n} of {rows}"));
    let medians = errors.each_ref().map(|e| crate::exec::bench::stats::median(e.clone()));
    s.push('\n');
    for (label, [g, st, c]) in [
        ("largest |error|", percent(worst)),
        ("median |error|", percent(medians)),
        ("within 10%", of_rows(within(0.10))),
        ("within 25%", of_rows(within(0.25))),
        ("inside the measured interval", of_rows(inside)),
    ] {
        let _ = writeln!(s, "{label}: groggy {g}, static {st}, calibrated {c}");
    }
    s
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::render;
    use crate::exec::Mode;
    use crate::exec::bench::measurement::{GraphInfo, Measurement, ModeRuns, Stopped};
    use crate::predict::accuracy::SampleResult;
    use crate::predict::{ModePredicted, Predictions};
    use crate::report::bench_report::BenchReport;

    #[test]
    fn rows_show_the_measured_interval_and_count_predictions_inside_it() {
        let levels: Mode = "levels".parse().expect("mode");
        // seq 1 s in every round; levels 0.5 s median, 0.4-0.8 s: speedup 2.00x, interval
        // 1.25-2.50x.
        let runs = vec![
            ModeRuns { mode: Mode::SEQ, threads: 1, times_s: vec![1.0, 1.0, 1.0], max_abs_diff: 0.0 },
            ModeRuns { mode: levels, threads: 2, times_s: vec![0.8, 0.5, 0.4], max_abs_diff: 0.0 },
        ];
        let graph = GraphInfo { nodes: 4, edges: 4, source: "test".into() };
        let measured = Measurement::from_rounds(graph, 2, runs, Stopped::Fixed);
        let predicted = |c: f64| ModePredicted { groggy: 3.0, static_model: 1.5, calibrated: Some(c) };
        let predicted = Predictions {
            groggy: 3.0,
            modes: vec![(Mode::SEQ, predicted(1.0)), (levels, predicted(2.2))],
            curve: Vec::new(),
            costs: String::new(),
            probe: None,
            note: None,
        };
        let report = BenchReport { measured, predicted };
        let results = [
            SampleResult {
                file: PathBuf::from("a.json"),
                scale: 16,
                edge_factor: 16,
                report: Some(report),
                error: None,
            },
            SampleResult {
                file: PathBuf::from("b.json"),
                scale: 16,
                edge_factor: 16,
                report: None,
                error: Some("x|y".into()),
            },
        ];
        let text = render(&results);
        let row = text.lines().find(|l| l.starts_with("| a.json")).expect("a row for a.json");
        assert!(row.contains("| levels | 2.00x | 1.25-2.50x | 3.00x (+50%) | 1.50x (-25%) | 2.20x (+10%) |"), "{row}");
        assert!(text.contains("| b.json | | | | not run: x/y | | | | |"), "{text}");
        assert!(
            text.contains("inside the measured interval: groggy 0 of 1, static 1 of 1, calibrated 1 of 1"),
            "{text}"
        );
        assert!(text.contains("within 10%: groggy 0 of 1, static 0 of 1, calibrated 1 of 1"), "{text}");
        assert!(text.contains("within 25%: groggy 0 of 1, static 1 of 1, calibrated 1 of 1"), "{text}");
        assert!(text.contains("median |error|: groggy 50%, static 25%, calibrated 10%"), "{text}");
    }
}
