//! `irtop bench --all DIR`: every IR of a directory benchmarked at each scale, and how far
//! the predictions were from the measurements.

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::color::Palettes;
use super::progress::ProgressLine;
use crate::limits::Limits;
use crate::predict::accuracy::{AccuracySettings, DEFAULT_SCALES, bench_sample, samples};
use crate::report::export::{self, Data};
use crate::report::format::Format;
use crate::units::count;

/// What `irtop bench --all DIR` was asked for.
#[derive(Debug, Clone)]
pub(crate) struct AllRequest {
    /// Threads of the parallel modes.
    pub threads: usize,
    /// Timed rounds per benchmark (default: adaptive).
    pub reps: Option<usize>,
    /// Seconds each benchmark may take.
    pub budget: f64,
    /// R-MAT scales (default: [`DEFAULT_SCALES`]).
    pub scales: Vec<u32>,
    /// Measure each row twice.
    pub twice: bool,
    /// Text (the accuracy table) or JSON (every report).
    pub format: Format,
    /// The table's colours (`--color`).
    pub colors: Palettes,
}

/// `irtop bench --all DIR`: every IR at every scale, the accuracy table (or the reports as
/// JSON).
pub(crate) fn bench_all(
    dir: &Path,
    request: &AllRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let files = samples(dir).map_err(|e| CliError::Usage(format!("--all {}: {e}", dir.display())))?;
    if files.is_empty() {
        return Err(CliError::Usage(format!("--all {}: no *.json files there", dir.display())));
    }
    let settings = AccuracySettings {
        threads: request.threads,
        rounds: super::bench::rounds(request.reps)?,
        budget: super::args::budget(request.budget).map_err(CliError::Usage)?,
        twice: request.twice,
    };
    let scales = if request.scales.is_empty() { DEFAULT_SCALES.to_vec() } else { request.scales.clone() };
    let mut results = Vec::new();
    let line = ProgressLine::new();
    let jobs = files.len() * scales.len();
    for (i, f) in files.iter().enumerate() {
        let name = f.file_name().map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into_owned());
        for (j, &scale) in scales.iter().enumerate() {
            let what = format!("{name} on R-MAT {scale}");
            let k = i * scales.len() + j;
            results.push(bench_sample(f, scale, &settings, limits, &|stage| line.show_job(k, jobs, &what, stage)));
        }
    }
    line.done();
    let (_, source) = crate::predict::calibrate::active();
    let rounds = request.reps.map_or_else(|| "rounds until steady".to_owned(), |n| count(n, "round"));
    let header = format!("{}, {rounds}, {}\n\n", count(settings.threads, "thread"), source.label());
    let data = Data::Accuracy { header: &header, results: &results };
    export::write_styled(out, data, request.format, &request.colors.stdout)?;
    Ok(())
}
