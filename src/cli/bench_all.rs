//! `irtop bench --all DIR`: every IR of a directory benchmarked at each scale, and how far
//! the predictions were from the measurements.

use std::io::Write;
use std::path::Path;

use super::CliError;
use crate::limits::Limits;
use crate::predict::accuracy::{AccuracySettings, DEFAULT_SCALES, bench_sample, samples};
use crate::report::export::{self, Data};
use crate::report::format::Format;

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
    for f in &files {
        for &scale in &scales {
            results.push(bench_sample(f, scale, &settings, limits, &|line| eprintln!("irtop: {line}")));
        }
    }
    let (_, source) = crate::predict::calibrate::active();
    let rounds = request.reps.map_or_else(|| "rounds until steady".to_owned(), |n| format!("{n} rounds"));
    let header = format!("{} threads, {rounds}, {}\n\n", settings.threads, source.label());
    export::write(out, Data::Accuracy { header: &header, results: &results }, request.format)?;
    Ok(())
}
