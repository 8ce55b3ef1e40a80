//! `irtop run`: one run of the IR, its values written as JSON or CSV (`--format`).

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::color::Palettes;
use super::prelude::{execute_with_progress, refuse_output_onto_input, threads};
use crate::exec::Mode;
use crate::exec::graph_spec::GraphSpec;
use crate::limits::Limits;
use crate::output_file::{Special, write_atomically};
use crate::pipeline::{PipelineError, RunSettings};
use crate::report::escape::escape_control;
use crate::report::export::{self, Data};
use crate::report::format::Format;
use crate::report::results;
use crate::report::style::paint;

/// What `irtop run` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub(crate) struct RunRequest<'a> {
    /// The scheduling mode.
    pub mode: Mode,
    /// Worker threads of a parallel mode (default: one per core).
    pub threads: Option<usize>,
    /// The variables to write (default: all).
    pub vars: &'a [String],
    /// JSON or CSV.
    pub format: Format,
    /// The file to write; stdout when `None`. It is replaced
    /// whole once the run is done (a temporary file renamed over it), never rewritten in place.
    pub path: Option<&'a Path>,
    /// Fuse element-wise chains.
    pub fuse: bool,
    /// The colours of the notes on stderr (`--color`).
    pub colors: Palettes,
}

/// Runs `file` once on the graph `graph` describes and writes the values to `request.path`
/// or `out`.
pub(crate) fn run_once(
    file: &Path,
    graph: &GraphSpec,
    request: &RunRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let settings = RunSettings {
        mode: request.mode,
        threads: threads(request.threads)?,
        vars: request.vars.to_vec(),
        fuse: request.fuse,
    };
    if let Some(path) = request.path {
        refuse_output_onto_input(path, "--out", file, graph)?;
    }
    let ran = execute_with_progress(file, &settings, graph, limits);
    let ran = ran.map_err(|e| match e {
        PipelineError::UnknownVar(name) => {
            CliError::Usage(format!("--var {}: no variable of that name in {}", escape_control(&name), file.display()))
        }
        e => e.into(),
    })?;
    let requested = !request.vars.is_empty();
    let columns: results::Columns = ran.values.iter().map(|(name, value)| (name.as_str(), value)).collect();
    let format = request.format;
    let left_out = results::check_columns(format, &columns, requested).map_err(CliError::Usage)?;
    if !left_out.is_empty() {
        eprintln!(
            "irtop: {}: {} has no column for {} (scalars and lists have no value per node); JSON output holds them",
            paint(request.colors.stderr.note, "note"),
            request.path.map_or_else(|| "the CSV on stdout".to_owned(), |p| p.display().to_string()),
            left_out.join(", ")
        );
    }
    let data = Data::Values { nodes: ran.nodes, columns: &columns };
    let write = |w: &mut dyn Write| export::write(w, data, format).map(drop);
    match request.path {
        Some(path) => write_atomically(path, Special::WriteInto, write).map_err(|source| CliError::WriteFile {
            path: path.to_owned(),
            flag: "--out",
            source,
        }),
        None => Ok(write(out)?),
    }
}
