//! The session's history on request: `w` writes every version loaded since start (its
//! numbers and what changed from the one before) with the benchmarks run on it, as JSON next
//! to the IR file (`pagerank.json` → `pagerank.irtop-history.json`). The file is written to a
//! temporary file in the same directory and renamed over the old one, so a full disk or a
//! crash never leaves half a file; the footer says where it went, or why it could not.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::app::App;
use super::effect::Effect;
use super::model::BenchRecord;
use super::save_diff::{SavedVersion, VersionSummary};
use crate::output_file::{Special, write_atomically};

/// Where the history of the session on `ir` goes: beside it, named after it.
pub(crate) fn path_for(ir: &Path) -> PathBuf {
    let stem = ir.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "irtop".to_owned());
    ir.with_file_name(format!("{stem}.irtop-history.json"))
}

/// The history as JSON: `{"file", "zone", "baseline_version", "versions": [{"version",
/// "loaded_at", "loaded_at_local", "ops", ..., "change", "benchmarks": [...]}]}`.
pub(crate) fn to_json(app: &App) -> Value {
    let m = &app.model;
    let zone = &app.view.zone;
    // Before the first save the history holds nothing yet: the version on screen is all.
    let current = [SavedVersion { summary: VersionSummary::of(&m.snapshot, m.version), change: None }];
    let versions = if m.saves.history.is_empty() { &current[..] } else { &m.saves.history[..] };
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            let s = &v.summary;
            let runs: Vec<Value> =
                m.bench.history.iter().filter(|r| r.version == s.version).map(|r| bench_json(r, app)).collect();
            json!({
                "version": s.version,
                "loaded_at": s.at.0,
                "loaded_at_local": s.at.hms(zone),
                "ops": s.ops,
                "levels": s.levels,
                "critical_path_ops": s.critical_ops,
                "critical_path_cost": finite(s.critical_cost),
                "work_over_span": finite(s.parallelism),
                "groggy_estimated_speedup": finite(s.estimated_speedup),
                "change": v.change.map(|[added, removed, changed]| json!({
                    "added": added, "removed": removed, "changed": changed
                })),
                "benchmarks": runs,
            })
        })
        .collect();
    json!({
        "file": m.path.display().to_string(),
        "zone": zone.name,
        "baseline_version": m.saves.baseline.as_ref().map(|_| m.saves.baseline_version),
        "versions": versions,
    })
}

/// One benchmark of a version.
fn bench_json(r: &BenchRecord, app: &App) -> Value {
    let modes: Vec<Value> = r
        .modes
        .iter()
        .map(|m| {
            json!({
                "mode": m.mode.name(),
                "median_s": finite(m.median_s),
                "speedup": finite(m.speedup),
                "irtop_predicted_speedup": m.predicted.and_then(finite),
            })
        })
        .collect();
    json!({
        "started_by": if r.on_save { "save (auto-bench)" } else { "b" },
        "save_at_local": r.saved_at.hms(&app.view.zone),
        "graph": r.graph,
        "threads": r.threads,
        "modes_asked": r.choice.name(),
        "best_mode": r.best_mode.name(),
        "best_speedup": finite(r.best_speedup),
        "groggy_estimated_speedup": finite(r.predicted),
        "modes": modes,
    })
}

/// `x`, or null when it is not a finite number (JSON has no NaN).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// `w`: asks the runtime to write the history beside the IR file.
pub(crate) fn request(app: &mut App) -> Option<Effect> {
    let text = match serde_json::to_string_pretty(&to_json(app)) {
        Ok(text) => text + "\n",
        Err(e) => {
            app.view.status = Some(format!("cannot write the session history: {e}"));
            return None;
        }
    };
    app.view.status = Some("writing the session history…".into());
    Some(Effect::WriteHistory { path: path_for(&app.model.path), text })
}

/// Writes `text` to `path` atomically (the runtime calls this for [`Effect::WriteHistory`]);
/// returns the absolute path written, or a one-line reason naming the path.
pub(crate) fn write(path: &Path, text: &str) -> Result<PathBuf, String> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match write_atomically(&path, Special::WriteInto, |w| w.write_all(text.as_bytes())) {
        Ok(()) => Ok(path),
        // The reason first: an 80-column footer cuts the end, and the path is the long part.
        Err(e) => Err(format!("cannot write the session history: {} ({})", why(&e), path.display())),
    }
}

/// What went wrong, in words a user acts on.
fn why(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            format!("the directory is not writable ({e})")
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => format!("the disk is full ({e})"),
        io::ErrorKind::NotFound => format!("the directory does not exist ({e})"),
        _ => e.to_string(),
    }
}

/// The runtime's answer: the footer says where the history went, or why it did not.
pub(crate) fn written(app: &mut App, outcome: Result<PathBuf, String>) {
    let m = &app.model;
    let versions = m.saves.history.len().max(1);
    app.view.status = Some(match outcome {
        // The file's name first, its directory last: an 80-column footer cuts the end.
        Ok(path) => format!(
            "wrote {} ({}, {}) in {}",
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            crate::units::count(versions, "version"),
            crate::units::count(m.bench.history.len(), "benchmark"),
            path.parent().map_or_else(String::new, |d| d.display().to_string())
        ),
        Err(why) => why,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_goes_beside_the_ir_file() {
        assert_eq!(path_for(Path::new("dir/pagerank.json")), Path::new("dir/pagerank.irtop-history.json"));
        assert_eq!(path_for(Path::new("ir")), Path::new("ir.irtop-history.json"));
    }

    #[test]
    fn an_unwritable_place_is_a_clear_error_and_no_file() {
        let err = write(Path::new("/nonexistent-irtop-dir/x.irtop-history.json"), "{}").unwrap_err();
        assert!(err.contains("/nonexistent-irtop-dir/x.irtop-history.json"), "{err}");
        assert!(err.contains("the directory does not exist"), "{err}");
    }

    #[test]
    fn a_full_disk_says_so() {
        // /dev/full answers every write with ENOSPC.
        let full = Path::new("/dev/full");
        if full.exists() {
            let err = write(full, "{}").unwrap_err();
            assert!(err.contains("the disk is full"), "{err}");
        }
    }
}
