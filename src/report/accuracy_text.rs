//! The `irtop bench --all` table: per IR, scale and mode, the measured speedup (and the
//! second measurement, when each row ran twice) beside groggy's estimate, irtop's static
//! and calibrated predictions with their relative errors, and irtop's band and verdict;
//! then how the predictors did over every row.

use std::fmt::Write;

use crate::exec::bench::stats::median;
use crate::predict::accuracy::{SampleResult, relative_error};
use crate::report::style::{Palette, paint};

/// How the predictions did over the rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Accuracy {
    /// Rows (IR, scale, parallel mode) with a measurement and predictions.
    pub rows: usize,
    /// Rows whose measured speedup lies inside irtop's band.
    pub(crate) inside_band: usize,
    /// Rows whose calibrated point is within 10% of the measurement.
    pub(crate) within_10: usize,
    /// Median |error| of the calibrated point, groggy's, the static point.
    pub(crate) median_error: [f64; 3],
    /// Largest |error| of the same.
    pub(crate) worst_error: [f64; 3],
    /// Median and largest relative difference of the two measurements of a row.
    pub spread: Option<(f64, f64)>,
}

/// Renders the table as Markdown (it goes into the README as is) and the summary, the
/// verdicts in `palette`'s colours.
pub(crate) fn render(results: &[SampleResult], palette: &Palette) -> String {
    let mut s = String::new();
    let twice = results.iter().any(|r| r.again.is_some());
    s.push_str("| IR | graph | seq | mode | measured |");
    if twice {
        s.push_str(" again |");
    }
    s.push_str(" groggy (err) | static (err) | calibrated (err) | band | verdict |\n");
    s.push_str(if twice {
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n"
    } else {
        "|---|---|---:|---|---:|---:|---:|---:|---:|---|\n"
    });
    let pct = |e: f64| format!("{:+.0}%", e * 100.0);
    for r in results {
        let name =
            r.file.file_name().map_or_else(|| r.file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let Some(report) = &r.report else {
            let why = r.error.as_deref().unwrap_or("?").replace('|', "/");
            let _ = writeln!(s, "| {name} | rmat {} | | | not run: {why} |", r.scale);
            continue;
        };
        let seq = report.measured.modes.first().map_or(0.0, |m| m.median_s);
        for (m, p) in report.rows().filter(|(m, _)| !m.mode.is_seq()) {
            let Some(p) = p else { continue };
            let _ = write!(
                s,
                "| {name} | {} | {} | {} | {:.2}x{} |",
                report.measured.graph.source,
                crate::units::duration(seq),
                m.mode,
                m.speedup,
                if m.noise { "?" } else { "" }
            );
            if twice {
                let again = r.again.as_ref().and_then(|a| a.measured.mode(m.mode)).map(|a| a.speedup);
                let _ = write!(s, " {} |", again.map_or_else(|| "-".to_owned(), |a| format!("{a:.2}x")));
            }
            let cal = p
                .calibrated
                .map_or_else(|| "-".to_owned(), |c| format!("{c:.2}x ({})", pct(relative_error(c, m.speedup))));
            let _ = writeln!(
                s,
                " {:.2}x ({}) | {:.2}x ({}) | {cal} | {:.2}-{:.2}x | {} |",
                p.groggy,
                pct(relative_error(p.groggy, m.speedup)),
                p.static_model,
                pct(relative_error(p.static_model, m.speedup)),
                p.band[0],
                p.band[1],
                paint(palette.verdict(p.verdict), p.verdict.label())
            );
        }
    }
    let a = summarise(results);
    let of = |n: usize| format!("{n} of {} ({:.0}%)", a.rows, 100.0 * n as f64 / a.rows.max(1) as f64);
    let _ = writeln!(s);
    let _ = writeln!(s, "measured speedup inside irtop's band: {}", of(a.inside_band));
    let _ = writeln!(s, "calibrated point within 10%: {}", of(a.within_10));
    let [c, g, st] = a.median_error;
    let _ = writeln!(
        s,
        "median |error|: calibrated {:.1}%, static {:.1}%, groggy {:.1}%",
        c * 100.0,
        st * 100.0,
        g * 100.0
    );
    let [c, g, st] = a.worst_error;
    let _ = writeln!(
        s,
        "largest |error|: calibrated {:.0}%, static {:.0}%, groggy {:.0}%",
        c * 100.0,
        st * 100.0,
        g * 100.0
    );
    if let Some((med, max)) = a.spread {
        let _ = writeln!(
            s,
            "run-to-run spread of the measurement: median {:.1}%, largest {:.0}%",
            med * 100.0,
            max * 100.0
        );
    }
    s
}

/// How the predictions did over `results`.
pub(crate) fn summarise(results: &[SampleResult]) -> Accuracy {
    let mut a = Accuracy::default();
    let mut errors: [Vec<f64>; 3] = Default::default();
    let mut spreads = Vec::new();
    for r in results {
        let Some(report) = &r.report else { continue };
        for (m, p) in report.rows().filter(|(m, _)| !m.mode.is_seq()) {
            let Some(p) = p else { continue };
            a.rows += 1;
            if (p.band[0]..=p.band[1]).contains(&m.speedup) {
                a.inside_band += 1;
            }
            let point = p.calibrated.unwrap_or(p.static_model);
            let e = [
                relative_error(point, m.speedup),
                relative_error(p.groggy, m.speedup),
                relative_error(p.static_model, m.speedup),
            ];
            if e[0].abs() <= 0.10 + 1e-9 {
                a.within_10 += 1;
            }
            for (all, e) in errors.iter_mut().zip(e) {
                if e.is_finite() {
                    all.push(e.abs());
                }
            }
            if let Some(again) = r.again.as_ref().and_then(|x| x.measured.mode(m.mode)) {
                spreads.push(relative_error(again.speedup, m.speedup).abs());
            }
        }
    }
    a.median_error = errors.each_ref().map(|e| median(e.clone()));
    a.worst_error = errors.each_ref().map(|e| e.iter().copied().fold(0.0, f64::max));
    if !spreads.is_empty() {
        a.spread = Some((median(spreads.clone()), spreads.iter().copied().fold(0.0, f64::max)));
    }
    a
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Palette, render, summarise};
    use crate::exec::Mode;
    use crate::exec::bench::measurement::{GraphInfo, Measurement, ModeRuns, Stopped};
    use crate::predict::accuracy::SampleResult;
    use crate::predict::{ModePredicted, Predictions, Verdict};
    use crate::report::bench_report::BenchReport;

    fn report(levels_times: &[f64], calibrated: f64, band: [f64; 2]) -> BenchReport {
        let levels: Mode = "levels".parse().expect("mode");
        let runs = vec![
            ModeRuns { mode: Mode::SEQ, threads: 1, times_s: vec![1.0; levels_times.len()], max_abs_diff: 0.0 },
            ModeRuns { mode: levels, threads: 2, times_s: levels_times.to_vec(), max_abs_diff: 0.0 },
        ];
        let graph = GraphInfo { nodes: 4, edges: 4, source: "rmat:14:16:seed=1".into() };
        let measured = Measurement::from_rounds(graph, 2, runs, Stopped::Fixed);
        let predicted = |c: f64| ModePredicted {
            groggy: 3.0,
            static_model: 1.5,
            calibrated: Some(c),
            band,
            verdict: Verdict::of(band),
        };
        let predicted = Predictions {
            groggy: 3.0,
            modes: vec![(Mode::SEQ, predicted(1.0)), (levels, predicted(calibrated))],
            curve: Vec::new(),
            costs: String::new(),
            probe: None,
            auto: None,
        };
        BenchReport { measured, predicted }
    }

    #[test]
    fn rows_show_each_prediction_and_the_summary_counts_the_band() {
        // seq 1 s, levels 0.5 s: 2.00x measured; calibrated 2.2x (+10%), band 1.8-2.4x.
        let results = [
            SampleResult {
                file: PathBuf::from("a.json"),
                scale: 14,
                report: Some(report(&[0.5, 0.5, 0.5], 2.2, [1.8, 2.4])),
                again: Some(report(&[0.4, 0.4, 0.4], 2.2, [1.8, 2.4])),
                error: None,
            },
            SampleResult {
                file: PathBuf::from("b.json"),
                scale: 16,
                report: None,
                again: None,
                error: Some("x|y".into()),
            },
        ];
        let text = render(&results, &Palette::PLAIN);
        let row = text.lines().find(|l| l.starts_with("| a.json")).expect("a row for a.json");
        assert!(
            row.contains("| levels | 2.00x | 2.50x | 3.00x (+50%) | 1.50x (-25%) | 2.20x (+10%) | 1.80-2.40x | pays |"),
            "{row}"
        );
        assert!(text.contains("| b.json | rmat 16 | | | not run: x/y |"), "{text}");
        let a = summarise(&results);
        assert_eq!((a.rows, a.inside_band, a.within_10), (1, 1, 1));
        assert_eq!(a.spread, Some((0.25, 0.25)));
        assert!(text.contains("measured speedup inside irtop's band: 1 of 1 (100%)"), "{text}");
    }
}
