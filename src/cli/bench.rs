//! `irtop bench FILE`: a benchmark of seq and each parallel mode through the pipeline,
//! written as a table or JSON (and optionally a Chrome trace). `irtop bench --all` is
//! [`super::bench_all`].

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::color::Palettes;
use super::prelude::{execute_with_progress, refuse_output_onto_input, threads};
use crate::exec::Mode;
use crate::exec::bench::{MAX_ROUNDS, Rounds};
use crate::exec::graph_spec::GraphSpec;
use crate::limits::Limits;
use crate::output_file::{Special, write_atomically};
use crate::pipeline::BenchSettings;
use crate::report::export::{self, Data};
use crate::report::format::Format;

/// What `irtop bench FILE` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub(crate) struct BenchRequest<'a> {
    /// Worker threads of the parallel modes (default: one per core).
    pub threads: Option<usize>,
    /// Timed rounds (`None`: adaptive).
    pub reps: Option<usize>,
    /// Seconds the benchmark may take.
    pub budget: f64,
    /// The modes besides seq (default: all).
    pub modes: Vec<Mode>,
    /// Fuse element-wise chains.
    pub fuse: bool,
    /// Text, JSON or a Chrome trace.
    pub format: Format,
    /// Where to write the Chrome trace, if anywhere (replaced whole, never in place).
    pub trace: Option<&'a Path>,
    /// The table's colours (`--color`).
    pub colors: Palettes,
}

/// The rounds `--reps` asks for, or why the number is unusable.
pub(crate) fn rounds(reps: Option<usize>) -> Result<Rounds, CliError> {
    match reps {
        None => Ok(Rounds::Adaptive),
        Some(0) => Err(CliError::Usage("--reps 0: a benchmark times at least 1 round".into())),
        Some(n) if n > MAX_ROUNDS => Err(CliError::Usage(format!(
            "--reps {n}: at most {MAX_ROUNDS} rounds; leave --reps out to stop when the numbers are steady"
        ))),
        Some(n) => Ok(Rounds::Fixed(n)),
    }
}

/// Benchmarks `file` on the graph `graph` describes and writes the report to `out`.
pub(crate) fn bench(
    file: &Path,
    graph: &GraphSpec,
    request: BenchRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let settings = BenchSettings {
        threads: threads(request.threads)?,
        modes: request.modes,
        rounds: rounds(request.reps)?,
        budget: super::args::budget(request.budget).map_err(CliError::Usage)?,
        fuse: request.fuse,
    };
    if let Some(path) = request.trace {
        refuse_output_onto_input(path, "--trace", file, graph)?;
    }
    let report = execute_with_progress(file, &settings, graph, limits);
    let report = report?;
    if let Some(path) = request.trace {
        write_atomically(path, Special::WriteInto, |w| export::write(w, Data::Bench(&report), Format::Trace).map(drop))
            .map_err(|source| CliError::WriteFile { path: path.to_owned(), flag: "--trace", source })?;
    }
    export::write_styled(out, Data::Bench(&report), request.format, &request.colors.stdout)?;
    Ok(())
}
