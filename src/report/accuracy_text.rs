//! The `irtop bench --all` table: per sample and mode, the measured speedup beside groggy's
//! estimate and irtop's static and calibrated predictions, with their relative errors.

use std::fmt::Write;

use crate::predict::accuracy::{SampleResult, relative_error};

/// Renders the accuracy table as Markdown (it goes into the README as is), then the
/// largest absolute relative error of each predictor over the measured modes.
pub fn render(results: &[SampleResult]) -> String {
    let mut s = String::new();
    s.push_str("| sample | graph | seq ms | mode | measured | groggy (err) | static (err) | calibrated (err) |\n");
    s.push_str("|---|---|---:|---|---:|---:|---:|---:|\n");
    let mut worst = [0.0f64; 3];
    let pct = |e: f64| format!("{:+.0}%", e * 100.0);
    for r in results {
        let name =
            r.file.file_name().map_or_else(|| r.file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let Some(report) = &r.report else {
            let _ = writeln!(
                s,
                "| {name} | | | | not run: {} | | | |",
                r.error.as_deref().unwrap_or("?").replace('|', "/")
            );
            continue;
        };
        let seq_ms = report.modes.first().map_or(0.0, |m| m.median_s * 1e3);
        for m in report.modes.iter().filter(|m| m.mode != "seq") {
            let Some(p) = &m.predicted else { continue };
            let errs = [
                relative_error(p.groggy, m.speedup),
                relative_error(p.static_model, m.speedup),
                p.calibrated.map_or(f64::NAN, |c| relative_error(c, m.speedup)),
            ];
            for (w, e) in worst.iter_mut().zip(errs) {
                if e.is_finite() {
                    *w = w.max(e.abs());
                }
            }
            let _ = writeln!(
                s,
                "| {name} | rmat {} ef {} | {seq_ms:.1} | {} | {:.2}x | {:.2}x ({}) | {:.2}x ({}) | {} |",
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
    let _ = writeln!(
        s,
        "\nlargest |error|: groggy {:.0}%, static {:.0}%, calibrated {:.0}%",
        worst[0] * 100.0,
        worst[1] * 100.0,
        worst[2] * 100.0
    );
    s
}
