//! What `run` and `bench` share: the checks before they start (the thread count asked for,
//! the output files against the inputs) and running the pipeline with a progress line.

use std::path::Path;

use super::CliError;
use crate::exec::graph_spec::GraphSpec;
use crate::limits::Limits;
use crate::output_file::same_file;
use crate::pipeline::{Context, GraphSource, Input, PipelineError, Task, default_threads, execute};

use super::progress::ProgressLine;

/// Worker threads: `--threads` checked against the limits (1 to
/// [`crate::limits::MAX_THREADS`]; 0 is refused, not read as "all cores"), else one per core.
pub fn threads(threads: Option<usize>) -> Result<usize, CliError> {
    match threads {
        Some(t) => Ok(Limits::check_threads(t, "--threads")?),
        None => Ok(default_threads()),
    }
}

/// Refuses an output file (`flag` names it) that is the IR file being read or the graph's
/// edge list: writing it would replace the input (`irtop run x.json --out x.json`, a typo).
pub(crate) fn refuse_output_onto_input(
    output: &Path,
    flag: &str,
    ir: &Path,
    graph: &GraphSpec,
) -> Result<(), CliError> {
    let inputs =
        [(Some(ir), "the IR file being run"), (graph.graph.as_deref(), "the edge list the graph is read from")];
    for (input, what) in inputs {
        if let Some(input) = input
            && same_file(output, input)
        {
            return Err(CliError::Usage(format!(
                "{flag} {}: that is {what}; writing there would replace it. Give {flag} another file",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Runs `task` on the IR in `file` and the graph `graph` asks for, within `limits`, showing
/// each stage (building the graph can take seconds: R-MAT 20 takes 1.5 s) on a progress line
/// that is erased once the work is done.
pub(crate) fn execute_with_progress<T: Task>(
    file: &Path,
    task: &T,
    graph: &GraphSpec,
    limits: &Limits,
) -> Result<T::Output, PipelineError> {
    let line = ProgressLine::new();
    let cx = Context {
        graphs: &GraphSource::new(graph.clone()),
        limits,
        cancel: &std::sync::atomic::AtomicBool::new(false),
        stage: &|stage| line.show(stage),
    };
    let outcome = execute(Input::File(file), task, &cx);
    line.done();
    outcome
}
