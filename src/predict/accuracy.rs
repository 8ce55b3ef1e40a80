//! How good the predictions are: every IR in a directory benchmarked at each R-MAT scale
//! asked for, each mode's measured speedup beside groggy's estimate, irtop's static and
//! calibrated predictions and its band (`irtop bench --all DIR`). Each row can be measured
//! twice, to show how far the machine moves a measurement from one run to the next.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::exec::Mode;
use crate::exec::bench::Rounds;
use crate::exec::graph_spec::GraphSpec;
use crate::limits::Limits;
use crate::pipeline::{BenchSettings, Context, GraphSource, Input, Stage, execute};
use crate::report::bench_report::BenchReport;

/// The scales an accuracy run covers when none are asked for: groggy users' graphs.
pub(crate) const DEFAULT_SCALES: [u32; 4] = [14, 16, 18, 20];

/// The edge factor of accuracy runs.
pub(crate) const EDGE_FACTOR: u32 = 16;

/// One IR at one scale: its benchmarks (the second when measured twice), or why it could
/// not run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SampleResult {
    /// The IR file.
    pub file: PathBuf,
    /// The R-MAT scale asked for (the report's graph says what ran, if it was scaled down).
    pub scale: u32,
    /// The benchmark, with predictions.
    pub report: Option<BenchReport>,
    /// The same benchmark run again right after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub again: Option<BenchReport>,
    /// Why it did not run.
    pub error: Option<String>,
}

/// The `*.json` files of `dir`, sorted by name.
pub(crate) fn samples(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// What an accuracy run does per row.
#[derive(Debug, Clone)]
pub(crate) struct AccuracySettings {
    /// Threads of the parallel modes.
    pub threads: usize,
    /// Rounds per benchmark.
    pub rounds: Rounds,
    /// Budget per benchmark.
    pub budget: Duration,
    /// Measure each row twice.
    pub twice: bool,
}

/// Benchmarks `file` on R-MAT `scale` (edge factor [`EDGE_FACTOR`]) in every mode.
/// `progress` hears each stage of each benchmark (for a progress line).
pub(crate) fn bench_sample(
    file: &Path,
    scale: u32,
    settings: &AccuracySettings,
    limits: &Limits,
    progress: &dyn Fn(&Stage),
) -> SampleResult {
    let mut result = SampleResult { file: file.to_owned(), scale, report: None, again: None, error: None };
    let run = || -> Result<(BenchReport, Option<BenchReport>), String> {
        let graphs = GraphSource::new(GraphSpec {
            rmat: Some(scale),
            edge_factor: EDGE_FACTOR,
            seed: 1,
            ..GraphSpec::default()
        });
        let bench = BenchSettings {
            threads: settings.threads,
            modes: Mode::ALL.to_vec(),
            rounds: settings.rounds,
            budget: settings.budget,
            fuse: true,
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let once = || {
            let cx = Context { graphs: &graphs, limits, cancel: &cancel, stage: progress };
            execute(Input::File(file), &bench, &cx).map_err(|e| e.to_string())
        };
        let first = once()?;
        let again = if settings.twice { Some(once()?) } else { None };
        Ok((first, again))
    };
    match run() {
        Ok((report, again)) => {
            result.report = Some(report);
            result.again = again;
        }
        Err(e) => result.error = Some(e),
    }
    result
}

/// `(predicted - measured) / measured`.
pub(crate) fn relative_error(predicted: f64, measured: f64) -> f64 {
    if measured > 0.0 { (predicted - measured) / measured } else { f64::NAN }
}
