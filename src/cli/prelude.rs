//! What `run` and `bench` start with: the IR loaded, analysed and compiled, and the
//! default thread count.

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

/// The thread count when none is given: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
