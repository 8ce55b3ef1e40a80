//! What `run` and `bench` start with: the IR loaded, analysed and compiled, and a thread
//! pool of the size asked for.

use std::path::Path;

use super::CliError;
use crate::analysis::{Analysis, analyze};
use crate::exec::Program;
use crate::ir::{Ir, load_file_with};
use crate::limits::Limits;

/// Loads, analyses and compiles `file`.
pub fn load_program(file: &Path, limits: &Limits) -> Result<(Ir, Analysis, Program), CliError> {
    let ir = load_file_with(file, limits)?;
    let analysis = analyze(&ir);
    let program = Program::compile(&ir, &analysis)?;
    Ok((ir, analysis, program))
}

/// A rayon pool of `threads` workers (default: all cores).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {} threads: {e}", threads.unwrap_or(0))))
}
