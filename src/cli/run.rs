//! `irtop run`: one run of the IR, its values written as JSON or CSV.

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::prelude::{refuse_output_onto_input, threads};
use crate::exec::graph_spec::GraphSpec;
use crate::exec::{Executor, Mode, Retain, RunOptions, Scheduler};
use crate::ir::VarId;
use crate::limits::Limits;
use crate::output_file::{Special, write_atomically};
use crate::pipeline::Compiled;
use crate::report::escape::escape_control;
use crate::report::results::{self, Format};

/// What `irtop run` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub struct RunRequest<'a> {
    /// The scheduling mode.
    pub mode: Mode,
    /// Worker threads of a parallel mode (default: one per core).
    pub threads: Option<usize>,
    /// The variables to write (default: all).
    pub vars: &'a [String],
    /// The file to write (`.csv` for CSV, else JSON); stdout when `None`. It is replaced
    /// whole once the run is done (a temporary file renamed over it), never rewritten in place.
    pub path: Option<&'a Path>,
    /// Fuse element-wise chains.
    pub fuse: bool,
}

/// Runs `file` once on the graph `graph` describes and writes the values to `request.path`
/// or `out`.
pub fn run_once(
    file: &Path,
    graph: &GraphSpec,
    request: &RunRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let threads = threads(request.threads)?;
    let threads = if request.mode == Mode::SEQ { 1 } else { threads };
    if let Some(path) = request.path {
        refuse_output_onto_input(path, "--out", file, graph)?;
    }
    let Compiled { ir, program, .. } = Compiled::load(file, limits)?;
    let wanted: Vec<VarId> = request
        .vars
        .iter()
        .map(|name| {
            ir.vars.get(name).ok_or_else(|| {
                CliError::Usage(format!(
                    "--var {}: no variable of that name in {}",
                    escape_control(name),
                    file.display()
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let retain = if wanted.is_empty() { Retain::All } else { Retain::Vars(wanted.clone()) };
    let g = graph.build_with(limits)?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let scheduler = if request.mode == Mode::AUTO {
        // The plan from the cost model (calibrated constants when there are): no run has
        // measured this IR's ops yet.
        let (model, _) = crate::predict::calibrate::active();
        let plan = crate::pipeline::auto_plan(&program, &g, request.fuse, threads, model, &[]);
        let team = crate::exec::Team::new(threads).map_err(|why| crate::exec::ExecError::Threads { threads, why })?;
        Scheduler::planned(std::sync::Arc::new(plan.plan), std::sync::Arc::new(team))
    } else {
        Scheduler::new(request.mode, threads)?
    };
    let outcome = scheduler.run(&program, &g, &RunOptions { fuse: request.fuse, ..RunOptions::keeping(retain) })?;
    let requested = !wanted.is_empty();
    let ids: Vec<VarId> = if requested { wanted } else { (0..ir.vars.len() as u32).map(VarId).collect() };
    let columns: results::Columns =
        ids.iter().filter_map(|&v| Some((ir.var(v), outcome.values[v.index()].as_ref()?))).collect();
    let csv = request.path.is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    let format = if csv { Format::Csv } else { Format::Json };
    let left_out = results::check_columns(format, &columns, requested).map_err(CliError::Usage)?;
    if let (Some(path), false) = (request.path, left_out.is_empty()) {
        eprintln!(
            "irtop: note: {} has no column for {} (scalars and lists have no value per node); JSON output holds them",
            path.display(),
            left_out.join(", ")
        );
    }
    let nodes = g.node_count();
    let write = |w: &mut dyn Write| match format {
        Format::Csv => results::write_csv(w, nodes, &columns),
        Format::Json => results::write_json(w, nodes, &columns),
    };
    match request.path {
        Some(path) => write_atomically(path, Special::WriteInto, write).map_err(|source| CliError::WriteFile {
            path: path.to_owned(),
            flag: "--out",
            source,
        }),
        None => Ok(write(out)?),
    }
}
