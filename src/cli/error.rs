//! What a subcommand can fail with, and the exit code each failure gives.

use std::path::PathBuf;

use crate::exec::ExecError;
use crate::exec::graph_spec::GraphError;
use crate::ir::LoadError;
use crate::limits::LimitError;

/// A failure of a subcommand: bad input (exit 2) or anything else (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input file is not a valid IR.
    #[error(transparent)]
    Input(#[from] LoadError),
    /// The graph file is not a valid edge list, or the graph flags describe no graph irtop
    /// can hold.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A run would exceed a limit (`--max-work`).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The IR cannot run, or failed while running.
    #[error("{0}")]
    Exec(#[from] ExecError),
    /// A flag's value is not usable.
    #[error("{0}")]
    Usage(String),
    /// `--deny` found diagnostics at the level it denies (exit 3).
    #[error("{0}")]
    Denied(String),
    /// A file the user named (`--out`, `--trace`) could not be written; the previous file,
    /// if any, is untouched.
    #[error("{}: cannot write the file given to {flag}: {source}; check that its directory exists and is writable", path.display())]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// The flag that named it.
        flag: &'static str,
        /// What the OS said.
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<crate::pipeline::PipelineError> for CliError {
    fn from(e: crate::pipeline::PipelineError) -> CliError {
        use crate::pipeline::PipelineError as P;
        match e {
            P::Load(e) => CliError::Input(e),
            P::Graph(e) => CliError::Graph(e),
            P::Limit(e) => CliError::Limit(e),
            P::Exec(e) => CliError::Exec(e),
            P::Budget(why) => CliError::Usage(why),
            P::UnknownVar(name) => CliError::Usage(format!("--var {name}: no variable of that name in the IR")),
        }
    }
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_)
            | CliError::Graph(_)
            | CliError::Limit(_)
            | CliError::Exec(_)
            | CliError::Usage(_)
            | CliError::WriteFile { .. } => 2,
            CliError::Output(_) => 1,
            CliError::Denied(_) => 3,
        }
    }
}
