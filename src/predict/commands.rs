//! The prediction subcommands at the binary's edge: `irtop calibrate` and
//! `irtop bench --all DIR`.

use std::io::Write;
use std::path::Path;

use super::accuracy::{AccuracySettings, bench_sample, samples};
use super::calibrate::{Calibration, cache_path, calibrate as run_calibration, save_to};
use crate::cli::CliError;
use crate::limits::Limits;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `irtop calibrate`: runs the micro-benchmarks, then [`print_and_save`]s them to the cache.
pub fn calibrate(threads: Option<usize>, out: &mut dyn Write) -> Result<(), CliError> {
    let threads = threads.unwrap_or_else(cores).max(1);
    eprintln!("irtop: calibrating on {threads} threads (about 10 s)...");
    let c = run_calibration(threads).map_err(CliError::Usage)?;
    print_and_save(&c, cache_path().as_deref(), out)
}

/// Prints the constants of `c`, saves them to `path` (the cache) and says where. When the
/// cache cannot be written the constants are printed all the same (the seconds of
/// measuring are not lost) and the error names the path.
pub fn print_and_save(c: &Calibration, path: Option<&Path>, out: &mut dyn Write) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, &c.model).map_err(std::io::Error::from)?;
    writeln!(out)?;
    let Some(path) = path else {
        return Err(CliError::Usage(
            "cannot save the calibration: neither XDG_CACHE_HOME nor HOME is set; the constants above are not cached"
                .to_owned(),
        ));
    };
    match save_to(c, path) {
        Ok(()) => writeln!(out, "saved to {}", path.display())?,
        Err(e) => {
            out.flush()?;
            return Err(CliError::Usage(format!(
                "cannot save the calibration to {}: {e}; the constants above are not cached. \
                 Set XDG_CACHE_HOME to a writable directory and run `irtop calibrate` again",
                path.display()
            )));
        }
    }
    Ok(())
}

/// What `irtop bench --all DIR` was asked for.
#[derive(Debug, Clone)]
pub struct AllRequest {
    /// Threads of the parallel modes (default: all cores).
    pub threads: Option<usize>,
    /// Timed rounds per benchmark (default: adaptive).
    pub reps: Option<usize>,
    /// Seconds each benchmark may take.
    pub budget: f64,
    /// R-MAT scales (default: [`super::accuracy::DEFAULT_SCALES`]).
    pub scales: Vec<u32>,
    /// Measure each row twice.
    pub twice: bool,
    /// JSON instead of the table.
    pub json: bool,
}

/// `irtop bench --all DIR`: every IR at every scale, the accuracy table (or the reports as
/// JSON).
pub fn bench_all(dir: &Path, request: &AllRequest, out: &mut dyn Write, limits: &Limits) -> Result<(), CliError> {
    let files = samples(dir).map_err(|e| CliError::Usage(format!("--all {}: {e}", dir.display())))?;
    if files.is_empty() {
        return Err(CliError::Usage(format!("--all {}: no *.json files there", dir.display())));
    }
    let settings = AccuracySettings {
        threads: request.threads.unwrap_or_else(cores).max(1),
        rounds: crate::cli::bench::rounds(request.reps)?,
        budget: crate::cli::args::budget(request.budget).map_err(CliError::Usage)?,
        twice: request.twice,
    };
    let scales =
        if request.scales.is_empty() { super::accuracy::DEFAULT_SCALES.to_vec() } else { request.scales.clone() };
    let mut results = Vec::new();
    for f in &files {
        for &scale in &scales {
            results.push(bench_sample(f, scale, &settings, limits, &|line| eprintln!("irtop: {line}")));
        }
    }
    if request.json {
        serde_json::to_writer_pretty(&mut *out, &results).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        let (_, source) = super::calibrate::active();
        let rounds = request.reps.map_or_else(|| "rounds until steady".to_owned(), |n| format!("{n} rounds"));
        writeln!(out, "{} threads, {rounds}, {}\n", settings.threads, source.label())?;
        out.write_all(crate::report::accuracy_text::render(&results).as_bytes())?;
    }
    Ok(())
}
