//! What `run` and `bench` start with: the IR loaded, analysed and compiled, a thread pool of
//! the size asked for, and the output files checked against the inputs.

use std::path::Path;

use super::CliError;
use crate::analysis::{Analysis, analyze};
use crate::exec::Program;
use crate::exec::graph_spec::GraphArgs;
use crate::ir::{Ir, load_file_with};
use crate::limits::Limits;
use crate::output_file::same_file;

/// Loads, analyses and compiles `file`.
pub fn load_program(file: &Path, limits: &Limits) -> Result<(Ir, Analysis, Program), CliError> {
    let ir = load_file_with(file, limits)?;
    let analysis = analyze(&ir);
    let program = Program::compile(&ir, &analysis)?;
    Ok((ir, analysis, program))
}

/// Worker threads: `--threads` checked against the limits (1 to
/// [`crate::limits::MAX_THREADS`]; 0 is refused, not read as "all cores"), else one per core.
pub fn threads(threads: Option<usize>) -> Result<usize, CliError> {
    match threads {
        Some(t) => Ok(Limits::check_threads(t, "--threads")?),
        None => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

/// A rayon pool of `threads` workers.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Exec(crate::exec::ExecError::Threads { threads, why: e.to_string() }))
}

/// Refuses an output file (`flag` names it) that is the IR file being read or the graph's
/// edge list: writing it would replace the input (`irtop run x.json --out x.json`, a typo).
pub fn refuse_output_onto_input(output: &Path, flag: &str, ir: &Path, graph: &GraphArgs) -> Result<(), CliError> {
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
