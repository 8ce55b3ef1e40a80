//! A deterministic executor: no values, a virtual clock driven by per-op costs, the same
//! schedules as the real one. Statistics, predictions and everything that shows timings
//! are tested on it without timing noise.

use std::time::Duration;

use crate::exec::error::ExecError;
use crate::exec::executor::{Executor, Mode, RunOptions, RunOutcome, Schedule};
use crate::exec::graph::Graph;
use crate::exec::program::{Program, Step, StepKind};
use crate::exec::span::OpSpan;

/// Simulates `mode` on `threads` workers, on the program fused as the real executor would
/// fuse it; an op's cost in seconds is `cost(step)` (a fused step costs its ops' sum, a loop
/// its iterations times its body's sequential cost).
pub struct MockExecutor {
    /// The simulated mode.
    pub mode: Mode,
    /// Simulated workers.
    pub threads: usize,
    /// Seconds one kernel step takes on one thread.
    pub cost: fn(&Step) -> f64,
}

impl MockExecutor {
    fn step_cost(&self, step: &Step) -> f64 {
        match &step.kind {
            StepKind::Kernel(k) => {
                let c = (self.cost)(step);
                if self.mode.data && !k.is_sequential() { c / self.threads as f64 } else { c }
            }
            // A fused step costs what its ops cost.
            StepKind::Fused(f) => {
                let c: f64 = f.members.iter().map(|m| (self.cost)(m)).sum();
                if self.mode.data { c / self.threads as f64 } else { c }
            }
            StepKind::Loop(lp) => lp.iterations as f64 * lp.body.steps.iter().map(|s| self.step_cost(s)).sum::<f64>(),
        }
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
        let threads = self.threads.max(1);
        let costs: Vec<f64> = program.steps.iter().map(|s| self.step_cost(s)).collect();
        let mut spans = Vec::with_capacity(costs.len());
        let mut span = |i: usize, worker: usize, start: f64| {
            let s = &program.steps[i];
            spans.push(OpSpan {
                node: s.id.clone(),
                op: s.op.clone(),
                level: s.level,
                worker,
                start_s: start,
                end_s: start + costs[i],
            });
            start + costs[i]
        };
        let end = match self.mode.schedule {
            Schedule::Sequential => (0..costs.len()).fold(0.0, |t, i| span(i, 0, t)),
            Schedule::Levels => {
                let mut t = 0.0f64;
                for level in &program.levels {
                    // Longest processing time first, each on the least loaded worker.
                    let mut order = level.clone();
                    order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
                    let mut load: Vec<f64> = vec![t; threads];
                    for i in order {
                        let w = (0..threads).min_by(|&a, &b| load[a].total_cmp(&load[b])).unwrap_or(0);
                        load[w] = span(i, w, load[w]);
                    }
                    t = load.into_iter().fold(t, f64::max);
                }
                t
            }
            Schedule::Dataflow => {
                // List scheduling in program order: each op on the worker free first, no
                // earlier than its dependencies' ends.
                let mut finish = vec![0.0f64; costs.len()];
                let mut free = vec![0.0f64; threads];
                for (i, step) in program.steps.iter().enumerate() {
                    let ready = step.deps.iter().map(|&d| finish[d]).fold(0.0, f64::max);
                    let w =
                        (0..threads).min_by(|&a, &b| free[a].max(ready).total_cmp(&free[b].max(ready))).unwrap_or(0);
                    finish[i] = span(i, w, free[w].max(ready));
                    free[w] = finish[i];
                }
                finish.into_iter().fold(0.0, f64::max)
            }
        };
        spans.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
        Ok(RunOutcome {
            values: vec![None; program.var_count],
            spans: if options.trace { spans } else { Vec::new() },
            elapsed: Duration::from_secs_f64(end),
            peak_bytes: 0,
        })
    }
}
