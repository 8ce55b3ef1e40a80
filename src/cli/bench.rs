//! `irtop bench FILE`: timed runs in seq and each parallel mode, written as a table or JSON
//! (and optionally a Chrome trace). `irtop bench --all` is [`crate::predict::commands`].

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::prelude::{load_program, refuse_output_onto_input, threads};
use crate::exec::Mode;
use crate::exec::bench::{BenchOptions, run_bench_to_end};
use crate::exec::graph_spec::GraphArgs;
use crate::limits::{Limits, MAX_REPS};
use crate::output_file::{Special, write_atomically};
use crate::report;

/// What `irtop bench FILE` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub struct BenchRequest<'a> {
    /// Worker threads of the parallel modes (default: one per core).
    pub threads: Option<usize>,
    /// Timed repetitions per mode (at least 1 is run, at most [`MAX_REPS`]).
    pub reps: usize,
    /// The modes besides seq (default: all).
    pub modes: Vec<Mode>,
    /// JSON instead of a table.
    pub json: bool,
    /// Where to write the Chrome trace, if anywhere (replaced whole, never in place).
    pub trace: Option<&'a Path>,
}

/// Refuses `--reps` above [`MAX_REPS`].
pub fn check_reps(reps: usize) -> Result<usize, CliError> {
    if reps > MAX_REPS {
        return Err(CliError::Usage(format!(
            "--reps {reps}: at most {MAX_REPS} repetitions per mode (each keeps seq's op times); pass a smaller --reps"
        )));
    }
    Ok(reps.max(1))
}

/// Benchmarks `file` on the graph `graph` describes and writes the report to `out`.
pub fn bench(
    file: &Path,
    graph: &GraphArgs,
    request: BenchRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let threads = threads(request.threads)?;
    let reps = check_reps(request.reps)?;
    if let Some(path) = request.trace {
        refuse_output_onto_input(path, "--trace", file, graph)?;
    }
    let (_, analysis, program) = load_program(file, limits)?;
    let g = graph.build_with(limits)?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let modes = if request.modes.is_empty() { Mode::ALL.to_vec() } else { request.modes };
    let options = BenchOptions { threads, reps, modes, probe: true };
    let report = run_bench_to_end(&program, &g, analysis.estimated_speedup, &options)?;
    if let Some(path) = request.trace {
        let trace = report::trace::to_trace(&report);
        write_atomically(path, Special::WriteInto, |w| report::escape::to_writer(w, &trace))
            .map_err(|source| CliError::WriteFile { path: path.to_owned(), flag: "--trace", source })?;
    }
    if request.json {
        report::escape::to_writer_pretty(&mut *out, &report)?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(report::bench_text::render(&report, options.reps).as_bytes())?;
    }
    Ok(())
}
