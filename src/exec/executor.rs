//! The modes behind one [`Executor`] trait: `seq` (one thread, program order), `levels`
//! (the ops of a level at once, a barrier between levels), `dataflow` (each op as soon as
//! its dependencies are done), each optionally with kernels split over the threads
//! (`+data`). One scheduler ([`super::engine`]) runs them all on a [`Team`], on the program
//! as fused for the run ([`super::fuse`]).

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::engine::{Engine, RunSetup};
use super::env::{Env, Retain};
use super::error::ExecError;
use super::graph::Graph;
use super::plan::RunPlan;
use super::program::Program;
use super::span::OpSpan;
use super::team::Team;
use super::value::Value;

/// How ops are ordered across threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// Program order, one op at a time.
    Sequential,
    /// All ops of a level at once, a barrier between levels.
    Levels,
    /// Each op once its dependencies are done.
    Dataflow,
    /// Per loop body and per op, what the cost model predicts is fastest
    /// ([`super::plan::RunPlan`]).
    Auto,
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
    /// `auto`: the model's plan.
    pub const AUTO: Mode = Mode { schedule: Schedule::Auto, data: true };
    /// The fixed modes, seq first.
    pub const FIXED: [Mode; 6] = [
        Mode::SEQ,
        Mode { schedule: Schedule::Levels, data: false },
        Mode { schedule: Schedule::Dataflow, data: false },
        Mode { schedule: Schedule::Sequential, data: true },
        Mode { schedule: Schedule::Levels, data: true },
        Mode { schedule: Schedule::Dataflow, data: true },
    ];
    /// Every mode `irtop bench` runs: the fixed ones, then `auto`.
    pub const ALL: [Mode; 7] =
        [Mode::FIXED[0], Mode::FIXED[1], Mode::FIXED[2], Mode::FIXED[3], Mode::FIXED[4], Mode::FIXED[5], Mode::AUTO];

    /// The mode's name: `seq`, `levels`, `dataflow`, `data`, `levels+data`, `dataflow+data`,
    /// `auto`.
    pub fn name(self) -> &'static str {
        match (self.schedule, self.data) {
            (Schedule::Auto, _) => "auto",
            (Schedule::Sequential, false) => "seq",
            (Schedule::Levels, false) => "levels",
            (Schedule::Dataflow, false) => "dataflow",
            (Schedule::Sequential, true) => "data",
            (Schedule::Levels, true) => "levels+data",
            (Schedule::Dataflow, true) => "dataflow+data",
        }
    }

    /// True for `seq`, the baseline: one thread, no splitting.
    pub fn is_seq(self) -> bool {
        self == Mode::SEQ
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

impl serde::Serialize for Mode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
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
    /// When set, the run stops like a cancelled one once this moment has passed (a
    /// benchmark's warm-up that would not fit its time budget).
    pub deadline: Option<std::time::Instant>,
    /// Fuse element-wise chains into one pass over the nodes ([`super::fuse`]); the
    /// results are the same bits either way.
    pub fuse: bool,
}

impl RunOptions<'_> {
    /// Keep `retain`, fused, untraced, not cancellable.
    pub fn keeping(retain: Retain) -> RunOptions<'static> {
        RunOptions { retain, trace: false, cancel: None, deadline: None, fuse: true }
    }
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    /// Final values by variable index (`None` where freed or never written).
    pub values: Vec<Option<Arc<Value>>>,
    /// One span per op execution (per thread, for an op split over threads), when traced.
    pub spans: Vec<OpSpan>,
    /// Wall time (or virtual time, for the mock).
    pub elapsed: Duration,
    /// Most bytes of values alive at once.
    pub peak_bytes: usize,
}

/// Runs a compiled program on a graph.
pub trait Executor: Sync {
    /// Runs `program` on `graph`.
    fn run(&self, program: &Program, graph: &Graph, options: &RunOptions) -> Result<RunOutcome, ExecError>;
}

/// The real executor for one [`Mode`] on a team of threads.
#[derive(Debug, Clone)]
pub struct Scheduler {
    mode: Mode,
    team: Arc<Team>,
    /// `auto`'s plan for the program it runs (made by the model at the edge); without one,
    /// `auto` runs as `dataflow+data`.
    plan: Option<Arc<RunPlan>>,
}

impl Scheduler {
    /// `mode` on `threads` threads (`seq` always on one).
    pub fn new(mode: Mode, threads: usize) -> Result<Scheduler, ExecError> {
        let threads = if mode.is_seq() { 1 } else { threads.max(1) };
        let team = Team::new(threads).map_err(|why| ExecError::Threads { threads, why })?;
        Ok(Scheduler { mode, team: Arc::new(team), plan: None })
    }

    /// `mode` on an existing team (several modes of a benchmark share one).
    pub fn with_team(mode: Mode, team: Arc<Team>) -> Scheduler {
        Scheduler { mode, team, plan: None }
    }

    /// `auto` following `plan` (for the program fused for the run; see
    /// [`crate::predict::auto`]) on `team`.
    pub fn planned(plan: Arc<RunPlan>, team: Arc<Team>) -> Scheduler {
        Scheduler { mode: Mode::AUTO, team, plan: Some(plan) }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Threads it runs on.
    pub fn threads(&self) -> usize {
        if self.mode.is_seq() { 1 } else { self.team.size() }
    }
}

impl Scheduler {
    /// Runs one kernel call on `inputs` in this mode (split over the team in the `+data`
    /// modes) and returns its result: what calibration and the benchmark's probe time.
    pub fn run_kernel(
        &self,
        kernel: &super::kernel::Kernel,
        inputs: &[Arc<Value>],
        graph: &Graph,
    ) -> Result<Option<Value>, ExecError> {
        let program = Program::single(kernel.clone(), inputs.len());
        let plan = RunPlan::uniform(&program, self.mode);
        let env = Env::new(program.var_count, vec![true; program.var_count]);
        for (i, v) in inputs.iter().enumerate() {
            env.set(crate::ir::VarId(i as u32), Arc::clone(v));
        }
        let setup = RunSetup {
            graph,
            env: &env,
            plan: &plan,
            members: self.threads(),
            trace: false,
            cancel: None,
            deadline: None,
        };
        Engine::new(&program, setup).run(&self.team)?;
        let mut values = env.into_values();
        Ok(values.pop().flatten().map(|v| Arc::try_unwrap(v).unwrap_or_else(|a| (*a).clone())))
    }
}

impl Executor for Scheduler {
    fn run(&self, program: &Program, graph: &Graph, options: &RunOptions) -> Result<RunOutcome, ExecError> {
        let keep = keep_mask(program, &options.retain);
        let fused;
        let plan: &Program = if options.fuse {
            fused = program.fused(&keep);
            &fused
        } else {
            program
        };
        let env = Env::new(program.var_count, keep);
        let uniform;
        let run_plan: &RunPlan = match &self.plan {
            Some(p) if p.fits(plan) => p,
            _ => {
                uniform = RunPlan::uniform(plan, self.mode);
                &uniform
            }
        };
        let setup = RunSetup {
            graph,
            env: &env,
            plan: run_plan,
            members: self.threads(),
            trace: options.trace,
            cancel: options.cancel,
            deadline: options.deadline,
        };
        let engine = Engine::new(plan, setup);
        let start = engine.started();
        let spans = engine.run(&self.team)?;
        let elapsed = start.elapsed();
        let peak_bytes = env.peak_bytes();
        Ok(RunOutcome { values: env.into_values(), spans, elapsed, peak_bytes })
    }
}

/// Which variables a run keeps to the end.
pub(crate) fn keep_mask(program: &Program, retain: &Retain) -> Vec<bool> {
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
