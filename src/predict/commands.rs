//! The prediction subcommands at the binary's edge: `irtop calibrate` and
//! `irtop bench --all DIR`.

use std::io::Write;
use std::path::Path;

use super::accuracy::{bench_sample, samples};
use super::calibrate::{calibrate as run_calibration, save};
use crate::cli::CliError;
use crate::limits::Limits;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `irtop calibrate`: runs the micro-benchmarks, saves them to the cache, prints the
/// constants and where they went.
pub fn calibrate(threads: Option<usize>, out: &mut dyn Write) -> Result<(), CliError> {
    let threads = threads.unwrap_or_else(cores).max(1);
    eprintln!("irtop: calibrating on {threads} threads (about 10 s)...");
    let c = run_calibration(threads).map_err(CliError::Usage)?;
    let path = save(&c)?;
    serde_json::to_writer_pretty(&mut *out, &c.model).map_err(std::io::Error::from)?;
    writeln!(out)?;
    writeln!(out, "saved to {}", path.display())?;
    Ok(())
}

/// `irtop bench --all DIR`: every sample, the accuracy table (or the reports as JSON).
pub fn bench_all(
    dir: &Path,
    threads: Option<usize>,
    reps: Option<usize>,
    json: bool,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let files = samples(dir).map_err(|e| CliError::Usage(format!("--all {}: {e}", dir.display())))?;
    if files.is_empty() {
        return Err(CliError::Usage(format!("--all {}: no *.json files there", dir.display())));
    }
    let threads = threads.unwrap_or_else(cores).max(1);
    let rounds = crate::cli::bench::rounds(reps)?;
    let results: Vec<_> =
        files.iter().map(|f| bench_sample(f, threads, rounds, limits, &|line| eprintln!("irtop: {line}"))).collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &results).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        let (_, source) = super::calibrate::active();
        let rounds = reps.map_or_else(|| "rounds until steady".to_owned(), |n| format!("{n} rounds"));
        writeln!(out, "{threads} threads, {rounds}, {}\n", source.label())?;
        out.write_all(crate::report::accuracy_text::render(&results).as_bytes())?;
    }
    Ok(())
}
