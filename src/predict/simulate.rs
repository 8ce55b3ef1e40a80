//! Makespans of a program on P threads in each [`Mode`], simulated on a virtual clock from
//! per-step costs and the real plan (its dependencies and levels), with the overheads
//! parallel execution pays.
//!
//! - `seq`: the sum of the costs.
//! - `levels`: each level's ops list-scheduled longest first (LPT) on P workers, then a
//!   barrier; a one-op level runs inline (no spawn, no barrier), as the executor does.
//! - `dataflow`: list scheduling on the dependency graph in program order, each op on a
//!   worker as soon as its dependencies are done.
//! - `data`: ops in order, each kernel split over `min(P, chunks)` threads by Amdahl's law
//!   with the kernel's serial part; sequential kernels (an asynchronous `map_nodes`) stay
//!   on one thread.
//! - `levels+data`, `dataflow+data`: a work-conserving (fluid) approximation: a level (or
//!   the whole graph) takes the larger of its work spread over P threads and its longest
//!   chain of data-parallel ops.
//!
//! Ops running at the same time slow each other down (shared memory bandwidth): with k
//! ops running, an op with contention `c` runs at rate `1 / (1 + c (k - 1) d)`, where d is
//! the share of their memory streams that are distinct (two ops reading the same map
//! stream it once: d = 3/4 for two ops with one shared input and one output each); a
//! kernel split over k threads uses its own (split) contention the same way. A loop runs
//! its body `iterations` times in the same mode and occupies the whole pool while it runs.

use std::collections::{BTreeSet, HashMap};

use super::cost_model::{CostModel, KernelCost};
use crate::exec::program::{Program, Step, StepKind};
use crate::exec::{Mode, Schedule};

/// A program reduced to what the simulator needs: tasks with costs and dependencies, and
/// the levels of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Dag {
    /// Tasks in program order.
    pub tasks: Vec<Task>,
    /// Task indices of each level.
    pub levels: Vec<Vec<usize>>,
}

/// One step of a [`Dag`].
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Indices of the tasks it waits for (earlier in program order).
    pub deps: Vec<usize>,
    /// The node maps it reads (variable indices): tasks running at once that read the same
    /// map share its memory traffic, and slow each other down less.
    pub reads: Vec<usize>,
    /// What it costs.
    pub cost: TaskCost,
}

/// A kernel's cost, or a loop's body.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskCost {
    /// One kernel call.
    Kernel(KernelCost),
    /// A loop: `iterations` runs of `body`.
    Loop {
        /// Times the body runs.
        iterations: u64,
        /// The body.
        body: Box<Dag>,
    },
}

/// The overheads of parallel execution, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overheads {
    /// Starting one task.
    pub spawn_s: f64,
    /// One barrier (end of a level, end of a dataflow scope).
    pub barrier_s: f64,
    /// One chunk of a data-parallel kernel.
    pub chunk_s: f64,
}

impl Overheads {
    /// No overheads at all: for hand-built cost tables with known makespans.
    pub const NONE: Overheads = Overheads { spawn_s: 0.0, barrier_s: 0.0, chunk_s: 0.0 };

    /// The overheads of `model`.
    pub fn of(model: &CostModel) -> Overheads {
        Overheads { spawn_s: model.spawn_ns * 1e-9, barrier_s: model.barrier_ns * 1e-9, chunk_s: model.chunk_ns * 1e-9 }
    }
}

impl Dag {
    /// A dag of `tasks`, with levels computed from the dependencies (a task's level is one
    /// more than its deepest dependency's).
    ///
    /// # Complexity
    /// O(tasks + dependencies).
    pub fn new(tasks: Vec<Task>) -> Dag {
        let mut level = vec![0usize; tasks.len()];
        let mut levels: Vec<Vec<usize>> = Vec::new();
        for (i, t) in tasks.iter().enumerate() {
            level[i] = t.deps.iter().map(|&d| level[d] + 1).max().unwrap_or(0);
            if levels.len() <= level[i] {
                levels.resize(level[i] + 1, Vec::new());
            }
            levels[level[i]].push(i);
        }
        Dag { tasks, levels }
    }

    /// The dag of `program`, each kernel step costed by `cost` (loop bodies included).
    ///
    /// # Complexity
    /// O(steps + dependencies), loop bodies included, plus the calls of `cost`.
    pub fn from_program(program: &Program, cost: &mut dyn FnMut(&Step) -> KernelCost) -> Dag {
        let scalar = super::scalar_vars(program);
        Dag::from_steps(program, &scalar, cost)
    }

    /// [`Dag::from_program`] for a program or loop body, with the scalar variables known.
    fn from_steps(program: &Program, scalar: &[bool], cost: &mut dyn FnMut(&Step) -> KernelCost) -> Dag {
        let tasks = program
            .steps
            .iter()
            .map(|s| Task {
                deps: s.deps.clone(),
                reads: s
                    .inputs
                    .iter()
                    .map(|v| v.index())
                    .filter(|&v| !scalar.get(v).copied().unwrap_or(false))
                    .collect(),
                cost: match &s.kind {
                    StepKind::Kernel(_) | StepKind::Fused(_) => TaskCost::Kernel(cost(s)),
                    StepKind::Loop(lp) => TaskCost::Loop {
                        iterations: lp.iterations,
                        body: Box::new(Dag::from_steps(&lp.body, scalar, cost)),
                    },
                },
            })
            .collect();
        Dag { tasks, levels: program.levels.clone() }
    }

    /// Total work: the time of a sequential run (loops: iterations x body work).
    pub fn work(&self) -> f64 {
        self.tasks.iter().map(|t| t.work()).sum()
    }

    /// Span: the longest chain of dependent tasks (loops: iterations x body span), the time
    /// on unlimited threads without data parallelism or overheads.
    ///
    /// # Complexity
    /// O(tasks + dependencies), loop bodies included.
    pub fn span(&self) -> f64 {
        let mut finish = vec![0.0f64; self.tasks.len()];
        for (i, t) in self.tasks.iter().enumerate() {
            let ready = t.deps.iter().map(|&d| finish[d]).fold(0.0, f64::max);
            let own = match &t.cost {
                TaskCost::Kernel(k) => k.seconds,
                TaskCost::Loop { iterations, body } => *iterations as f64 * body.span(),
            };
            finish[i] = ready + own;
        }
        finish.into_iter().fold(0.0, f64::max)
    }
}

impl Task {
    fn work(&self) -> f64 {
        match &self.cost {
            TaskCost::Kernel(k) => k.seconds,
            TaskCost::Loop { iterations, body } => *iterations as f64 * body.work(),
        }
    }
}

/// Seconds one kernel takes split over up to `threads` threads (Amdahl, with the slowdown
/// of the threads sharing the machine and the per-chunk and spawn overheads).
pub fn data_parallel_time(k: &KernelCost, threads: usize, ov: &Overheads) -> f64 {
    let ways = threads.min(k.chunks).max(1);
    if !k.splittable || ways <= 1 {
        return k.seconds;
    }
    let w = ways as f64;
    let parallel = k.seconds * (1.0 - k.serial) * (1.0 + k.split_contention * (w - 1.0)) / w;
    k.seconds * k.serial + parallel + k.chunks as f64 * ov.chunk_s / w + ov.spawn_s * (w - 1.0)
}

/// The simulated makespan of `dag` in `mode` on `threads` threads, in seconds.
///
/// # Complexity
/// O((tasks + dependencies) x threads + tasks log tasks), loop bodies included once each.
pub fn makespan(dag: &Dag, mode: Mode, threads: usize, ov: &Overheads) -> f64 {
    let p = threads.max(1);
    let whole = |t: &Task| task_time(t, mode, p, ov);
    match (mode.schedule, mode.data) {
        (Schedule::Sequential, _) => dag.tasks.iter().map(whole).sum(),
        (Schedule::Levels, false) => dag
            .levels
            .iter()
            .map(|level| match level.as_slice() {
                [one] => whole(&dag.tasks[*one]),
                _ => {
                    let jobs: Vec<Job> = level.iter().map(|&i| job(&dag.tasks[i], mode, p, ov, Vec::new())).collect();
                    let mut order: Vec<usize> = (0..jobs.len()).collect();
                    order.sort_by(|&a, &b| jobs[b].dur.total_cmp(&jobs[a].dur).then(a.cmp(&b)));
                    list_schedule(&jobs, &order, p) + ov.barrier_s
                }
            })
            .sum(),
        (Schedule::Dataflow, false) => {
            let jobs: Vec<Job> = dag.tasks.iter().map(|t| job(t, mode, p, ov, t.deps.clone())).collect();
            let order: Vec<usize> = (0..jobs.len()).collect();
            list_schedule(&jobs, &order, p) + ov.barrier_s
        }
        (Schedule::Levels, true) => dag
            .levels
            .iter()
            .map(|level| match level.as_slice() {
                [one] => whole(&dag.tasks[*one]),
                _ => fluid(dag, level, None, mode, p, ov) + ov.barrier_s,
            })
            .sum(),
        (Schedule::Dataflow, true) => {
            let all: Vec<usize> = (0..dag.tasks.len()).collect();
            fluid(dag, &all, Some(dag), mode, p, ov) + ov.barrier_s
        }
    }
}

/// Predicted speedup of `mode` on `threads` threads over `seq` (the dag's work).
pub fn speedup(dag: &Dag, mode: Mode, threads: usize, ov: &Overheads) -> f64 {
    let t = makespan(dag, mode, threads, ov);
    if t > 0.0 { dag.work() / t } else { 1.0 }
}

/// Brent's bounds on the time of a greedy schedule without data parallelism on `threads`
/// threads: `(max(W/P, S), W/P + S)`.
pub fn brent_bounds(dag: &Dag, threads: usize) -> (f64, f64) {
    let (w, s, p) = (dag.work(), dag.span(), threads.max(1) as f64);
    ((w / p).max(s), w / p + s)
}

/// A task's time when it runs alone on the pool: a kernel (split in the data modes) or a
/// whole loop.
fn task_time(t: &Task, mode: Mode, p: usize, ov: &Overheads) -> f64 {
    match &t.cost {
        TaskCost::Kernel(k) if mode.data => data_parallel_time(k, p, ov),
        TaskCost::Kernel(k) => k.seconds,
        TaskCost::Loop { iterations, body } => *iterations as f64 * makespan(body, mode, p, ov),
    }
}

/// One task as the list scheduler sees it.
struct Job {
    dur: f64,
    contention: f64,
    /// Occupies every worker (a loop running its own parallel body).
    gang: bool,
    deps: Vec<usize>,
    reads: Vec<usize>,
}

fn job(t: &Task, mode: Mode, p: usize, ov: &Overheads, deps: Vec<usize>) -> Job {
    match &t.cost {
        TaskCost::Kernel(k) => {
            Job { dur: k.seconds + ov.spawn_s, contention: k.contention, gang: false, deps, reads: t.reads.clone() }
        }
        TaskCost::Loop { .. } => {
            Job { dur: task_time(t, mode, p, ov) + ov.spawn_s, contention: 0.0, gang: true, deps, reads: Vec::new() }
        }
    }
}

/// The share of the memory streams of tasks running side by side that are distinct: each
/// task streams the maps it reads (`reads`) and the one it writes; a map read by several of
/// them is one stream. 1 when nothing is shared.
fn distinct_share<'a>(reads: impl Iterator<Item = &'a [usize]>) -> f64 {
    let (mut tasks, mut total, mut read) = (0usize, 0usize, Vec::new());
    for r in reads {
        tasks += 1;
        total += r.len() + 1;
        read.extend_from_slice(r);
    }
    read.sort_unstable();
    read.dedup();
    (read.len() + tasks) as f64 / total.max(1) as f64
}

/// List scheduling on `p` workers: whenever a worker is free, it takes the first ready job
/// in `order`; running jobs slow each other down by their contention, scaled by the share
/// of their streams that are distinct ([`distinct_share`]). Returns the time the last
/// job ends.
///
/// # Complexity
/// O(jobs x p + dependencies + jobs log jobs).
fn list_schedule(jobs: &[Job], order: &[usize], p: usize) -> f64 {
    let mut rank = vec![0usize; jobs.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut dependants: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    let mut pending: Vec<usize> = jobs.iter().map(|j| j.deps.len()).collect();
    for (i, j) in jobs.iter().enumerate() {
        for &d in &j.deps {
            dependants[d].push(i);
        }
    }
    let mut ready: BTreeSet<(usize, usize)> =
        (0..jobs.len()).filter(|&i| pending[i] == 0).map(|i| (rank[i], i)).collect();
    let mut running: Vec<(usize, f64)> = Vec::with_capacity(p);
    let mut t = 0.0f64;
    loop {
        while let Some(&(_, i)) = ready.first() {
            let gang_running = running.iter().any(|&(r, _)| jobs[r].gang);
            if gang_running || running.len() >= p || (jobs[i].gang && !running.is_empty()) {
                break;
            }
            ready.pop_first();
            running.push((i, jobs[i].dur));
        }
        if running.is_empty() {
            break;
        }
        let k = running.len() as f64;
        let distinct = distinct_share(running.iter().map(|&(i, _)| jobs[i].reads.as_slice()));
        let rate = |i: usize| if jobs[i].gang { 1.0 } else { 1.0 / (1.0 + jobs[i].contention * (k - 1.0) * distinct) };
        let (first, dt) = running
            .iter()
            .enumerate()
            .map(|(slot, &(i, left))| (slot, left / rate(i)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("running is not empty");
        t += dt;
        let mut done = Vec::new();
        for (slot, (i, left)) in running.iter_mut().enumerate() {
            *left -= dt * rate(*i);
            if slot == first || *left <= 1e-15 {
                done.push(*i);
            }
        }
        running.retain(|(i, _)| !done.contains(i));
        for i in done {
            for &d in &dependants[i] {
                pending[d] -= 1;
                if pending[d] == 0 {
                    ready.insert((rank[d], d));
                }
            }
        }
    }
    t
}

/// The fluid approximation of `tasks` with data-parallel kernels on `p` threads: the
/// larger of their work (slowed by P threads sharing the machine, as a split kernel is,
/// less where the kernels of a level read the same maps) spread over P, and their
/// longest chain (dependencies inside `deps_of` when given, else none) with each kernel
/// split over all P threads.
///
/// # Complexity
/// O(tasks + dependencies), plus the whole dag's levels once for a dataflow.
fn fluid(dag: &Dag, tasks: &[usize], deps_of: Option<&Dag>, mode: Mode, p: usize, ov: &Overheads) -> f64 {
    let pf = p as f64;
    let mut area = 0.0;
    // Only a chain through dependencies needs the finish times of earlier tasks.
    let mut finish = if deps_of.is_some() { vec![0.0f64; dag.tasks.len()] } else { Vec::new() };
    let mut longest = 0.0f64;
    // Kernels of one level run side by side: the share of their streams that are distinct,
    // per level of `tasks` (the whole dag's levels for a dataflow, else `tasks` is one).
    let mut distinct: HashMap<usize, f64> = HashMap::new();
    let groups: Vec<&[usize]> =
        if deps_of.is_some() { dag.levels.iter().map(Vec::as_slice).collect() } else { vec![tasks] };
    for group in groups {
        let kernels: Vec<usize> =
            group.iter().copied().filter(|&i| matches!(dag.tasks[i].cost, TaskCost::Kernel(_))).collect();
        let d = distinct_share(kernels.iter().map(|&i| dag.tasks[i].reads.as_slice()));
        distinct.extend(kernels.iter().map(|&i| (i, d)));
    }
    for &i in tasks {
        let t = &dag.tasks[i];
        let alone = task_time(t, mode, p, ov);
        area += match &t.cost {
            TaskCost::Kernel(k) => {
                k.seconds * (1.0 + k.split_contention * (pf - 1.0) * distinct.get(&i).copied().unwrap_or(1.0))
                    + k.chunks as f64 * ov.chunk_s
                    + ov.spawn_s
            }
            TaskCost::Loop { .. } => alone * pf,
        };
        let end = match deps_of {
            Some(d) => {
                finish[i] = d.tasks[i].deps.iter().map(|&x| finish[x]).fold(0.0, f64::max) + alone;
                finish[i]
            }
            None => alone,
        };
        longest = longest.max(end);
    }
    (area / pf).max(longest)
}
