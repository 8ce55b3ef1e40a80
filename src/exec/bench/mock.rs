//! A deterministic executor: no values, the engine's schedules on the virtual clock
//! ([`crate::exec::simulated_run`]) with per-op costs the caller gives. Statistics,
//! predictions and everything that shows timings are tested on it without timing noise.

use std::time::Duration;

use crate::exec::error::ExecError;
use crate::exec::executor::{Executor, Mode, RunOptions, RunOutcome};
use crate::exec::graph::Graph;
use crate::exec::plan::RunPlan;
use crate::exec::program::{Program, Step, StepKind};
use crate::exec::simulated_run::{Overheads, StepCost, simulate};

/// Simulates `mode` on `threads` members without overheads, on the program fused as the
/// real executor would fuse it; an op's cost in seconds is `cost(step)` (a fused step costs
/// its ops' sum); in the `+data` modes a step splits into `threads` equal chunks.
pub struct MockExecutor {
    /// The simulated mode.
    pub mode: Mode,
    /// Simulated members.
    pub threads: usize,
    /// Seconds one kernel step takes on one thread.
    pub cost: fn(&Step) -> f64,
}

impl MockExecutor {
    fn step_cost(&self, step: &Step) -> StepCost {
        let (seconds, splits) = match &step.kind {
            StepKind::Kernel(k) => ((self.cost)(step), !k.is_sequential()),
            StepKind::Fused(f) => (f.members.iter().map(|m| (self.cost)(m)).sum(), true),
            StepKind::Loop(_) => (0.0, false),
        };
        StepCost { chunks: if splits { self.threads.max(1) } else { 1 }, ..StepCost::fixed(seconds) }
    }
}

impl Executor for MockExecutor {
    fn run(&self, program: &Program, _graph: &Graph, options: &RunOptions) -> Result<RunOutcome, ExecError> {
        if options.cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
            return Err(ExecError::Cancelled);
        }
        // The plan the real executor would run.
        let fused;
        let program = if options.fuse {
            fused = program.fused(&crate::exec::executor::keep_mask(program, &options.retain));
            &*fused
        } else {
            program
        };
        let members = if self.mode.is_seq() { 1 } else { self.threads.max(1) };
        let plan = RunPlan::uniform(program, self.mode);
        let run =
            simulate(program, &plan, members, &|_, _, s| self.step_cost(s), &Overheads::NONE, None, options.trace);
        Ok(RunOutcome {
            values: vec![None; program.var_count],
            spans: run.spans,
            elapsed: Duration::from_secs_f64(run.makespan_s),
            peak_bytes: 0,
        })
    }
}
