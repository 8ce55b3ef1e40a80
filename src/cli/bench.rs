//! `irtop bench FILE`: timed runs in seq and each parallel mode, written as a table or JSON
//! (and optionally a Chrome trace). `irtop bench --all` is [`crate::predict::commands`].

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::prelude::load_program;
use crate::exec::Mode;
use crate::exec::bench::{BenchOptions, run_bench_to_end};
use crate::exec::graph_spec::GraphArgs;
use crate::limits::Limits;
use crate::report;

/// What `irtop bench FILE` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub struct BenchRequest<'a> {
    /// Worker threads of the parallel modes (default: all cores).
    pub threads: Option<usize>,
    /// Timed repetitions per mode (at least 1 is run).
    pub reps: usize,
    /// The modes besides seq (default: all).
    pub modes: Vec<Mode>,
    /// JSON instead of a table.
    pub json: bool,
    /// Where to write the Chrome trace, if anywhere.
    pub trace: Option<&'a Path>,
}

/// Benchmarks `file` on the graph `graph` describes and writes the report to `out`.
pub fn bench(
    file: &Path,
    graph: &GraphArgs,
    request: BenchRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let (_, analysis, program) = load_program(file, limits)?;
    let g = graph.build()?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let threads = request.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let modes = if request.modes.is_empty() { Mode::ALL.to_vec() } else { request.modes };
    let options = BenchOptions { threads, reps: request.reps.max(1), modes, probe: true };
    let report = run_bench_to_end(&program, &g, analysis.estimated_speedup, &options)?;
    if let Some(path) = request.trace {
        std::fs::write(path, serde_json::to_vec(&report::trace::to_trace(&report)).map_err(std::io::Error::from)?)?;
    }
    if request.json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(report::bench_text::render(&report, options.reps).as_bytes())?;
    }
    Ok(())
}
