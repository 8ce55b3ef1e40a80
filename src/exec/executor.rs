//! The schedulers behind one [`Executor`] trait: `seq` (one thread, program order),
//! `levels` (the ops of a level at once, a barrier between levels), `dataflow` (each op
//! as soon as its dependencies are done), each optionally with data-parallel kernels.
//! They run on the caller's rayon pool (`pool.install(|| executor.run(..))`).

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::env::{Env, Retain};
use super::error::ExecError;
use super::graph::Graph;
use super::kernel::{Kernel, Par};
use super::program::{LoopProgram, Program, Step, StepKind};
use super::report::OpSpan;
use super::value::Value;
use crate::ir::VarId;

/// How ops are ordered across threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// Program order, one op at a time.
    Sequential,
    /// All ops of a level at once, a barrier between levels.
    Levels,
    /// Each op once its dependencies are done.
    Dataflow,
}

/// A scheduling mode: a schedule, and whether kernels split their nodes over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mode {
    /// Inter-op schedule.
    pub schedule: Schedule,
    /// Intra-op data parallelism.
    pub data: bool,
}

impl Mode {
    /// `seq`.
    pub const SEQ: Mode = Mode { schedule: Schedule::Sequential, data: false };
    /// Every mode `irtop bench` runs, seq first.
    pub const ALL: [Mode; 6] = [
        Mode::SEQ,
        Mode { schedule: Schedule::Levels, data: false },
        Mode { schedule: Schedule::Dataflow, data: false },
        Mode { schedule: Schedule::Sequential, data: true },
        Mode { schedule: Schedule::Levels, data: true },
        Mode { schedule: Schedule::Dataflow, data: true },
    ];

    /// The mode's name: `seq`, `levels`, `dataflow`, `data`, `levels+data`, `dataflow+data`.
    pub fn name(self) -> &'static str {
        match (self.schedule, self.data) {
            (Schedule::Sequential, false) => "seq",
            (Schedule::Levels, false) => "levels",
            (Schedule::Dataflow, false) => "dataflow",
            (Schedule::Sequential, true) => "data",
            (Schedule::Levels, true) => "levels+data",
            (Schedule::Dataflow, true) => "dataflow+data",
        }
    }

    fn par(self) -> Par {
        if self.data { Par::Data } else { Par::Seq }
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Mode, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown mode `{s}`; use one of {}", Mode::ALL.map(Mode::name).join(", ")))
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a run keeps and records.
#[derive(Debug, Clone)]
pub struct RunOptions<'a> {
    /// Which values survive the run.
    pub retain: Retain,
    /// Record a span per op.
    pub trace: bool,
    /// When set, the run stops before its next op with [`ExecError::Cancelled`], so a
    /// benchmark on a big graph cancels within one op rather than one run.
    pub cancel: Option<&'a AtomicBool>,
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    /// Final values by variable index (`None` where freed or never written).
    pub values: Vec<Option<Arc<Value>>>,
    /// One span per op execution, when traced.
    pub spans: Vec<OpSpan>,
    /// Wall time (or virtual time, for the mock).
    pub elapsed: Duration,
    /// Most bytes of values alive at once.
    pub peak_bytes: usize,
}

/// Runs a compiled program on a graph.
pub trait Executor: Sync {
    /// The mode's name, for reports.
    fn name(&self) -> String;
    /// Runs `program` on `graph`.
    fn run(&self, program: &Program, graph: &Graph, options: &RunOptions) -> Result<RunOutcome, ExecError>;
}

/// The real executor for one [`Mode`].
#[derive(Debug, Clone, Copy)]
pub struct Scheduler(pub Mode);

impl Executor for Scheduler {
    fn name(&self) -> String {
        self.0.name().to_owned()
    }

    fn run(&self, program: &Program, graph: &Graph, options: &RunOptions) -> Result<RunOutcome, ExecError> {
        let keep = keep_mask(program, &options.retain);
        let ctx = Ctx {
            env: Env::new(program.var_count, keep),
            graph,
            mode: self.0,
            start: Instant::now(),
            spans: options.trace.then(|| Mutex::new(Vec::new())),
            names: program,
            cancel: options.cancel,
        };
        run_top(&ctx, program)?;
        let elapsed = ctx.start.elapsed();
        let peak_bytes = ctx.env.peak_bytes();
        let spans = ctx.spans.map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner())).unwrap_or_default();
        Ok(RunOutcome { values: ctx.env.into_values(), spans, elapsed, peak_bytes })
    }
}

fn keep_mask(program: &Program, retain: &Retain) -> Vec<bool> {
    let mut keep = vec![matches!(retain, Retain::All); program.var_count];
    let list: &[crate::ir::VarId] = match retain {
        Retain::All => &[],
        Retain::Sinks => &program.sinks,
        Retain::Vars(v) => v,
    };
    for v in list {
        keep[v.index()] = true;
    }
    keep
}

/// Shared state of one run.
struct Ctx<'a> {
    env: Env,
    graph: &'a Graph,
    mode: Mode,
    start: Instant,
    spans: Option<Mutex<Vec<OpSpan>>>,
    names: &'a Program,
    cancel: Option<&'a AtomicBool>,
}

impl Ctx<'_> {
    fn record(&self, step: &Step, level: u32, t0: Instant) {
        if let Some(spans) = &self.spans {
            let end = self.start.elapsed().as_secs_f64();
            let span = OpSpan {
                node: step.id.clone(),
                op: step.op.clone(),
                level,
                worker: rayon::current_thread_index().unwrap_or(0),
                start_s: (t0 - self.start).as_secs_f64(),
                end_s: end,
            };
            spans.lock().unwrap_or_else(|e| e.into_inner()).push(span);
        }
    }

    fn failed(&self, step: &Step, message: String) -> ExecError {
        ExecError::Failed { node: step.id.clone(), op: step.op.clone(), message }
    }
}

/// Runs the top-level program, releasing values after their last use.
fn run_top(ctx: &Ctx, p: &Program) -> Result<(), ExecError> {
    let release = |done: &[usize]| {
        for &i in done {
            for &v in &p.touches[i] {
                if p.last_use[v.index()] == Some(i) {
                    ctx.env.release(v);
                }
            }
        }
    };
    match ctx.mode.schedule {
        Schedule::Sequential => {
            for (i, step) in p.steps.iter().enumerate() {
                run_step(ctx, step, step.level)?;
                release(&[i]);
            }
        }
        Schedule::Levels => {
            // A variable's last user in program order can sit at a shallower level than an
            // earlier user, so a level releases what no deeper level touches.
            let mut last_level: Vec<Option<usize>> = vec![None; p.var_count];
            for (k, level) in p.levels.iter().enumerate() {
                for &v in level.iter().flat_map(|&i| &p.touches[i]) {
                    last_level[v.index()] = Some(k);
                }
            }
            let mut release_after: Vec<Vec<VarId>> = vec![Vec::new(); p.levels.len()];
            for (v, k) in last_level.iter().enumerate() {
                if let Some(k) = *k {
                    release_after[k].push(VarId(v as u32));
                }
            }
            for (level, done) in p.levels.iter().zip(&release_after) {
                run_level(ctx, p, level, None)?;
                for &v in done {
                    ctx.env.release(v);
                }
            }
        }
        Schedule::Dataflow => {
            let users: Vec<AtomicUsize> = (0..p.var_count).map(|_| AtomicUsize::new(0)).collect();
            for t in &p.touches {
                for v in t {
                    users[v.index()].fetch_add(1, Ordering::Relaxed);
                }
            }
            let on_done = |i: usize| {
                for &v in &p.touches[i] {
                    if users[v.index()].fetch_sub(1, Ordering::AcqRel) == 1 {
                        ctx.env.release(v);
                    }
                }
            };
            run_dataflow(ctx, p, None, &on_done)?;
        }
    }
    Ok(())
}

/// Runs the steps of one level concurrently (a loop body's level when `top_level` is set):
/// each worker takes the next step in the level's order (heaviest first) when it is free,
/// which is longest-processing-time list scheduling. (Splitting the level in halves, as a
/// parallel iterator does, can leave one worker a long op at the end of its half while the
/// other waits at the barrier.)
fn run_level(ctx: &Ctx, p: &Program, level: &[usize], top_level: Option<u32>) -> Result<(), ExecError> {
    if level.len() == 1 {
        let step = &p.steps[level[0]];
        return run_step(ctx, step, top_level.unwrap_or(step.level));
    }
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().min(level.len());
    (0..workers).into_par_iter().try_for_each(|_| {
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&i) = level.get(k) else { return Ok(()) };
            if let Err(e) = run_step(ctx, &p.steps[i], top_level.unwrap_or(p.steps[i].level)) {
                // The other workers take nothing more.
                next.store(level.len(), Ordering::Relaxed);
                return Err(e);
            }
        }
    })
}

/// Runs `p`'s steps as a dataflow graph: each once its dependencies are done.
fn run_dataflow(
    ctx: &Ctx,
    p: &Program,
    top_level: Option<u32>,
    on_done: &(dyn Fn(usize) + Sync),
) -> Result<(), ExecError> {
    let pending: Vec<AtomicUsize> = p.steps.iter().map(|s| AtomicUsize::new(s.deps.len())).collect();
    let flow = Flow { ctx, p, pending: &pending, error: Mutex::new(None), top_level, on_done };
    rayon::scope(|s| {
        for (i, step) in p.steps.iter().enumerate() {
            if step.deps.is_empty() {
                let flow = &flow;
                s.spawn(move |s| flow.go(s, i));
            }
        }
    });
    let error = flow.error;
    match error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The shared state of one dataflow run.
struct Flow<'s> {
    ctx: &'s Ctx<'s>,
    p: &'s Program,
    pending: &'s [AtomicUsize],
    error: Mutex<Option<ExecError>>,
    top_level: Option<u32>,
    on_done: &'s (dyn Fn(usize) + Sync),
}

impl<'s> Flow<'s> {
    /// Runs step `i`, then spawns every dependant whose last dependency it was.
    fn go(&'s self, scope: &rayon::Scope<'s>, i: usize) {
        if self.error.lock().map(|e| e.is_some()).unwrap_or(true) {
            return;
        }
        let step = &self.p.steps[i];
        if let Err(e) = run_step(self.ctx, step, self.top_level.unwrap_or(step.level)) {
            if let Ok(mut slot) = self.error.lock() {
                slot.get_or_insert(e);
            }
            return;
        }
        (self.on_done)(i);
        for &d in &self.p.dependants[i] {
            if self.pending[d].fetch_sub(1, Ordering::AcqRel) == 1 {
                scope.spawn(move |s| self.go(s, d));
            }
        }
    }
}

/// Runs one step; `level` is the top-level level it belongs to (for spans).
fn run_step(ctx: &Ctx, step: &Step, level: u32) -> Result<(), ExecError> {
    if ctx.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(ExecError::Cancelled);
    }
    match &step.kind {
        StepKind::Loop(lp) => run_loop(ctx, step, lp, level),
        StepKind::Kernel(kernel) => {
            let t0 = Instant::now();
            let inputs: Vec<Arc<Value>> = step
                .inputs
                .iter()
                .map(|&v| {
                    ctx.env.get(v).ok_or_else(|| {
                        ctx.failed(
                            step,
                            format!(
                                "reads `{}`, which has no value (an external input the IR never writes?)",
                                ctx.names.var_name(v)
                            ),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            if let (Kernel::Copy, Some(v), Some(source)) = (kernel, step.output, inputs.first()) {
                // Values are immutable once written: an alias or in-place copy shares them.
                ctx.env.set(v, Arc::clone(source));
                ctx.record(step, level, t0);
                return Ok(());
            }
            let refs: Vec<&Value> = inputs.iter().map(Arc::as_ref).collect();
            let par = if kernel.is_sequential() { Par::Seq } else { ctx.mode.par() };
            let out = kernel.apply(&refs, ctx.graph, par).map_err(|m| ctx.failed(step, m))?;
            if let (Some(v), Some(value)) = (step.output, out) {
                ctx.env.set(v, Arc::new(value));
            }
            ctx.record(step, level, t0);
            Ok(())
        }
    }
}

/// Runs a loop: seeds its loop variables once, then runs the body `iterations` times with
/// the run's schedule.
fn run_loop(ctx: &Ctx, step: &Step, lp: &LoopProgram, level: u32) -> Result<(), ExecError> {
    for &(initial, logical) in &lp.init {
        let value = ctx.env.get(initial).ok_or_else(|| {
            ctx.failed(step, format!("loop variable seed `{}` has no value", ctx.names.var_name(initial)))
        })?;
        ctx.env.set(logical, value);
    }
    let body = &lp.body;
    for _ in 0..lp.iterations {
        match ctx.mode.schedule {
            Schedule::Sequential => {
                for s in &body.steps {
                    run_step(ctx, s, level)?;
                }
            }
            Schedule::Levels => {
                for l in &body.levels {
                    run_level(ctx, body, l, Some(level))?;
                }
            }
            Schedule::Dataflow => run_dataflow(ctx, body, Some(level), &|_| {})?,
        }
    }
    Ok(())
}
