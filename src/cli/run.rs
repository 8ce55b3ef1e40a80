//! `irtop run`: one run of the IR, its values written as JSON or CSV.

use std::io::Write;
use std::path::Path;

use super::CliError;
use crate::exec::graph_spec::GraphArgs;
use crate::exec::{Executor, Mode, Retain, RunOptions, Scheduler};
use crate::ir::VarId;
use crate::limits::Limits;
use crate::pipeline::{Compiled, default_threads};
use crate::report;

/// What `irtop run` was asked for, besides the file and the graph.
#[derive(Debug, Clone)]
pub struct RunRequest<'a> {
    /// The scheduling mode.
    pub mode: Mode,
    /// Worker threads of a parallel mode (default: all cores).
    pub threads: Option<usize>,
    /// The variables to write (default: all).
    pub vars: &'a [String],
    /// The file to write (`.csv` for CSV, else JSON); stdout when `None`.
    pub path: Option<&'a Path>,
    /// Fuse element-wise chains.
    pub fuse: bool,
}

/// Runs `file` once on the graph `graph` describes and writes the values to `request.path`
/// or `out`.
pub fn run_once(
    file: &Path,
    graph: &GraphArgs,
    request: &RunRequest,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let Compiled { ir, program, .. } = Compiled::load(file, limits)?;
    let wanted: Vec<VarId> = request
        .vars
        .iter()
        .map(|name| {
            ir.vars
                .get(name)
                .ok_or_else(|| CliError::Usage(format!("--var {name}: no variable of that name in {}", file.display())))
        })
        .collect::<Result<_, _>>()?;
    let retain = if wanted.is_empty() { Retain::All } else { Retain::Vars(wanted.clone()) };
    let g = graph.build()?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let threads = request.threads.unwrap_or_else(default_threads);
    let scheduler = if request.mode == Mode::AUTO {
        // The plan from the cost model (calibrated constants when there are): no run has
        // measured this IR's ops yet.
        let (model, _) = crate::predict::calibrate::active();
        let plan = crate::pipeline::auto_plan(&program, &g, request.fuse, threads, model, &[]);
        let team = crate::exec::Team::new(threads).map_err(CliError::Usage)?;
        Scheduler::planned(std::sync::Arc::new(plan.plan), std::sync::Arc::new(team))
    } else {
        Scheduler::new(request.mode, threads)?
    };
    let outcome = scheduler.run(&program, &g, &RunOptions { fuse: request.fuse, ..RunOptions::keeping(retain) })?;
    let ids: Vec<VarId> = if wanted.is_empty() { (0..ir.vars.len() as u32).map(VarId).collect() } else { wanted };
    let columns: report::results::Columns =
        ids.iter().filter_map(|&v| Some((ir.var(v), outcome.values[v.index()].as_ref()?))).collect();
    let csv = request.path.is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    let text = if csv {
        report::results::to_csv(g.node_count(), &columns)
    } else {
        let mut t = serde_json::to_string_pretty(&report::results::to_json(g.node_count(), &columns))
            .map_err(std::io::Error::from)?;
        t.push('\n');
        t
    };
    match request.path {
        Some(p) => std::fs::write(p, text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}
