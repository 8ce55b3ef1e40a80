//! How good the predictions are: every sample in a directory benchmarked at a graph size
//! where its ops take milliseconds, each mode's measured speedup beside groggy's estimate
//! and the static and calibrated predictions (`irtop bench --all DIR`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::exec::bench::Rounds;
use crate::exec::graph_spec::GraphArgs;
use crate::exec::synthetic::rmat;
use crate::exec::{Executor, Mode, Retain, RunOptions, Scheduler};
use crate::limits::Limits;
use crate::pipeline::{BenchSettings, Compiled, GraphSource};
use crate::report::bench_report::BenchReport;

/// Smallest R-MAT scale tried.
pub const MIN_SCALE: u32 = 16;
/// Largest R-MAT scale tried (16 M nodes). Above [`FULL_EDGES_SCALE`] the edge factor
/// halves per scale, so that samples made of element-wise ops get maps big enough to
/// take milliseconds per op while the graph stays at 16 M edges.
pub const MAX_SCALE: u32 = 24;
/// Largest scale run with edge factor 16 (16 M edges).
pub const FULL_EDGES_SCALE: u32 = 20;

/// The edge factor used at `scale`: 16 up to [`FULL_EDGES_SCALE`], then halving.
pub fn edge_factor_at(scale: u32) -> u32 {
    (16u32 >> scale.saturating_sub(FULL_EDGES_SCALE)).max(1)
}
/// The graph grows until one sequential run takes at least this long...
pub const TARGET_SEQ_S: f64 = 0.05;
/// ... and its typical op (the median over the ops that touch the graph) this long...
pub const TARGET_OP_S: f64 = 0.002;
/// ... unless a sequential run would then take longer than this (an IR of thousands of ops).
pub const MAX_SEQ_S: f64 = 3.0;

/// Time each sample's benchmark may take: accuracy runs want steady numbers.
pub const ACCURACY_BUDGET: std::time::Duration = std::time::Duration::from_secs(120);

/// One sample's benchmark, or why it could not run.
#[derive(Debug, Clone, Serialize)]
pub struct SampleResult {
    /// The IR file.
    pub file: PathBuf,
    /// The R-MAT scale it ran at.
    pub scale: u32,
    /// The R-MAT edge factor it ran at ([`edge_factor_at`] the scale).
    pub edge_factor: u32,
    /// The benchmark, with predictions.
    pub report: Option<BenchReport>,
    /// Why it did not run.
    pub error: Option<String>,
}

/// The `*.json` files of `dir`, sorted by name.
pub fn samples(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Benchmarks `file` on `threads` threads, `reps` repetitions per mode, on the smallest
/// R-MAT graph (scale [`MIN_SCALE`]..=[`MAX_SCALE`], edge factor [`edge_factor_at`] the
/// scale) on which one sequential run takes [`TARGET_SEQ_S`] and its typical op
/// [`TARGET_OP_S`], short of runs longer than [`MAX_SEQ_S`]. `progress` gets a line per step.
pub fn bench_sample(
    file: &Path,
    threads: usize,
    rounds: Rounds,
    limits: &Limits,
    progress: &dyn Fn(&str),
) -> SampleResult {
    let mut result =
        SampleResult { file: file.to_owned(), scale: MIN_SCALE, edge_factor: 16, report: None, error: None };
    let run = || -> Result<(u32, BenchReport), String> {
        let compiled = Compiled::load(file, limits).map_err(|e| e.to_string())?;
        let program = &compiled.program;
        let graph_ops = super::graph_op_ids(program);
        let mut scale = MIN_SCALE;
        let g = loop {
            let g = rmat(scale, edge_factor_at(scale), 1);
            limits.check_work(program, g.node_count(), g.edge_count()).map_err(|e| e.to_string())?;
            let opts = RunOptions { trace: true, ..RunOptions::keeping(Retain::Sinks) };
            let seq = Scheduler::new(Mode::SEQ, 1).map_err(|e| e.to_string())?;
            let once = || seq.run(program, &g, &opts).map_err(|e| e.to_string());
            once()?;
            let outcome = once()?;
            let t = outcome.elapsed.as_secs_f64();
            let op = super::typical_op_seconds(&outcome.spans, &graph_ops);
            progress(&format!(
                "{}: scale {scale}: seq {:.1} ms, typical op {:.2} ms",
                file.display(),
                t * 1e3,
                op * 1e3
            ));
            // Work grows about 2x per scale; jump to where both targets are reached, as far
            // as the longest run allows.
            let short = (TARGET_SEQ_S / t.max(1e-6)).max(TARGET_OP_S / op.max(1e-7));
            let room = (MAX_SEQ_S / t.max(1e-6)).log2().floor().max(0.0) as u32;
            let steps = (short.log2().ceil().max(1.0) as u32).min(room);
            if (t >= TARGET_SEQ_S && op >= TARGET_OP_S) || scale >= MAX_SCALE || steps == 0 {
                break g;
            }
            scale = (scale + steps).min(MAX_SCALE);
        };
        drop(g);
        let graphs = GraphSource::new(GraphArgs {
            rmat: Some(scale),
            edge_factor: edge_factor_at(scale),
            seed: 1,
            ..GraphArgs::default()
        });
        let settings =
            BenchSettings { threads, modes: Mode::ALL.to_vec(), rounds, budget: ACCURACY_BUDGET, fuse: true };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let groggy = compiled.analysis.estimated_speedup;
        let report = crate::pipeline::bench(program, groggy, &graphs, &settings, limits, &cancel, &|_| {})
            .map_err(|e| e.to_string())?;
        Ok((scale, report))
    };
    match run() {
        Ok((scale, report)) => {
            result.scale = scale;
            result.edge_factor = edge_factor_at(scale);
            result.report = Some(report);
        }
        Err(e) => result.error = Some(e),
    }
    result
}

/// `(predicted - measured) / measured`.
pub fn relative_error(predicted: f64, measured: f64) -> f64 {
    if measured > 0.0 { (predicted - measured) / measured } else { f64::NAN }
}
