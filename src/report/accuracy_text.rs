//! The `irtop bench --all` table: per sample and mode, the measured speedup and its range
//! over the repetitions beside groggy's estimate and irtop's static and calibrated
//! predictions, with their relative errors.

use std::fmt::Write;

use crate::predict::accuracy::{SampleResult, relative_error};

/// Renders the accuracy table as Markdown (it goes into the README as is), then the
/// largest absolute relative error of each predictor over the measured modes and how many
/// predictions fall within 10% and 25% of the measured speedup and inside the measured
/// range. The range is the lowest and highest of the repetitions' own speedups (seq's time
/// over the mode's in the same repetition): how far the machine moved the measurement.
pub fn render(results: &[SampleResult]) -> String {
    let mut s = String::new();
    s.push_str(
        "| sample | graph | seq ms | mode | measured | range | groggy (err) | static (err) | calibrated (err) |\n",
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
        let seq_s = report.modes.first().map_or(0.0, |m| m.median_s);
        let seq_ms = seq_s * 1e3;
        for m in report.modes.iter().filter(|m| m.mode != "seq") {
            let Some(p) = &m.predicted else { continue };
            let (low, high) = range(report.modes.first().map_or(&[][..], |b| &b.times_s), m, seq_s);
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
    let medians = errors.each_ref().map(|e| crate::exec::stats::median(e.clone()));
    s.push('\n');
    for (label, [g, st, c]) in [
        ("largest |error|", percent(worst)),
        ("median |error|", percent(medians)),
        ("within 10%", of_rows(within(0.10))),
        ("within 25%", of_rows(within(0.25))),
        ("inside the measured range", of_rows(inside)),
    ] {
        let _ = writeln!(s, "{label}: groggy {g}, static {st}, calibrated {c}");
    }
    s
}

/// The lowest and highest speedup of a single repetition of `mode` over seq's run in the
/// same repetition; seq's median over the mode's slowest and fastest run when the
/// repetitions' times are not there.
fn range(seq_times: &[f64], mode: &crate::exec::report::ModeResult, seq_s: f64) -> (f64, f64) {
    let ratios: Vec<f64> = seq_times.iter().zip(&mode.times_s).filter(|(_, m)| **m > 0.0).map(|(s, m)| s / m).collect();
    if ratios.is_empty() {
        return (seq_s / mode.max_s.max(1e-12), seq_s / mode.min_s.max(1e-12));
    }
    (ratios.iter().copied().fold(f64::INFINITY, f64::min), ratios.iter().copied().fold(0.0, f64::max))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::render;
    use crate::exec::report::{BenchReport, GraphInfo, ModePredicted, ModeResult, Predicted};
    use crate::predict::accuracy::SampleResult;

    fn mode(name: &str, times: &[f64], calibrated: Option<f64>) -> ModeResult {
        let summary = crate::exec::stats::median(times.to_vec());
        ModeResult {
            mode: name.into(),
            threads: 2,
            median_s: summary,
            min_s: times.iter().copied().fold(f64::INFINITY, f64::min),
            max_s: times.iter().copied().fold(0.0, f64::max),
            times_s: times.to_vec(),
            speedup: 1.0 / summary,
            max_abs_diff: 0.0,
            predicted: Some(ModePredicted { groggy: 3.0, static_model: 1.5, calibrated }),
        }
    }

    #[test]
    fn rows_show_the_measured_range_and_count_predictions_inside_it() {
        let report = BenchReport {
            graph: GraphInfo { nodes: 4, edges: 4, source: "test".into() },
            threads: 2,
            // seq 1 s in every repetition; levels 0.5 s median, 0.4-0.8 s: speedup 2.00x,
            // range 1.25-2.50x.
            modes: vec![mode("seq", &[1.0, 1.0, 1.0], Some(1.0)), mode("levels", &[0.8, 0.5, 0.4], Some(2.2))],
            predicted: Predicted { groggy: 3.0 },
            curve: Vec::new(),
            costs: String::new(),
            probe: None,
            note: None,
            timelines: Vec::new(),
            seq_spans: Vec::new(),
        };
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
        assert!(text.contains("inside the measured range: groggy 0 of 1, static 1 of 1, calibrated 1 of 1"), "{text}");
        assert!(text.contains("within 10%: groggy 0 of 1, static 0 of 1, calibrated 1 of 1"), "{text}");
        assert!(text.contains("within 25%: groggy 0 of 1, static 1 of 1, calibrated 1 of 1"), "{text}");
        assert!(text.contains("median |error|: groggy 50%, static 25%, calibrated 10%"), "{text}");
    }
}
