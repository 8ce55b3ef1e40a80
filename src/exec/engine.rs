//! One scheduler for every mode. A run is a set of regions (the program, and each loop
//! body, reset for each iteration); a step becomes ready by its schedule's rule (`seq` and
//! `data`: after the step before it; `levels`: when its level starts; `dataflow`: when its
//! dependencies are done); a ready step's kernel is bound to its inputs and run over node
//! chunks, which the other members help with in the `+data` modes.
//!
//! The member that finishes a step takes the first step it releases itself (its inputs are
//! still in that core's cache) and offers the rest; idle members take offered work, spin
//! for a moment when there is none, and then park until more is offered. Members are
//! recruited from the team's pool only when work is offered, so a run with nothing to share
//! never wakes a thread.
//!
//! # Complexity
//! O(steps + chunks) scheduling work per run (loop bodies once per iteration), a few atomic
//! operations per chunk.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::env::Env;
use super::error::ExecError;
use super::executor::Schedule;
use super::graph::Graph;
use super::kernel::Kernel;
use super::kernels::work::{KernelError, NodePass, Work};
use super::plan::RunPlan;
use super::program::{FusedStep, LoopProgram, Program, Step, StepKind};
use super::span::OpSpan;
use super::team::{Crew, Team};
use super::value::Value;

/// How long an idle member spins before it parks: about what waking a parked thread costs
/// on a virtual machine (10-60 µs), so that waiting never costs more than twice the best.
pub(crate) const SPIN: Duration = Duration::from_micros(100);

/// A ready step (or an offer to help with one already running).
#[derive(Debug, Clone, Copy)]
struct Item {
    region: u32,
    step: u32,
    helper: bool,
}

/// The program or a loop body, with the counters of its current iteration.
struct Region<'a> {
    program: &'a Program,
    /// How its steps are ordered across threads.
    schedule: Schedule,
    /// Per step: split over the threads.
    split: Vec<bool>,
    /// The loop step that runs this body: (region, step).
    parent: Option<(usize, usize)>,
    /// The top-level level its spans carry (a loop body's: its loop's).
    span_level: Option<u32>,
    iterations: u64,
    iteration: AtomicU64,
    /// Dependencies not yet done, per step (`dataflow`).
    pending: Vec<AtomicUsize>,
    /// Each step's level index.
    level_of: Vec<usize>,
    /// Steps not yet done, per level (`levels`).
    level_left: Vec<AtomicUsize>,
    /// Steps not yet done in this iteration.
    remaining: AtomicUsize,
    /// The running op of each step that others may help with.
    active: Vec<Mutex<Option<Arc<Active<'a>>>>>,
    /// The body region of each loop step.
    child: Vec<Option<usize>>,
}

/// A kernel call in progress: its passes and the claim counters of its chunks.
struct Active<'a> {
    pass: Box<dyn NodePass + 'a>,
    passes: usize,
    chunks: usize,
    /// `(pass << 32) | next chunk to claim`.
    next: AtomicUsize,
    /// Chunks of the current pass done.
    done: AtomicUsize,
}

/// Idle members: spin, then park on a condition variable until work is offered.
struct Idle {
    sleepers: AtomicUsize,
    lock: Mutex<()>,
    cv: Condvar,
}

impl Idle {
    fn wait(&self, ready: impl Fn() -> bool) {
        let t0 = Instant::now();
        while t0.elapsed() < SPIN {
            for _ in 0..32 {
                if ready() {
                    return;
                }
                std::hint::spin_loop();
            }
        }
        let guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.sleepers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if !ready() {
            // The timeout only guards against a wake-up lost to a bug; offers notify.
            let _ = self.cv.wait_timeout(guard, Duration::from_millis(10));
        }
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
    }

    fn wake(&self) {
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.cv.notify_all();
        }
    }
}

/// Median seconds from offering work to a parked member (as the engine parks them) until it
/// runs, and median seconds the offering thread spends in the wake-up call itself, over
/// `samples` tries: what calibration prices a wake-up at.
pub(crate) fn measure_wake(samples: usize) -> (f64, f64) {
    let idle = std::sync::Arc::new(Idle { sleepers: AtomicUsize::new(0), lock: Mutex::new(()), cv: Condvar::new() });
    let offered = std::sync::Arc::new(AtomicU64::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<f64>();
    let epoch = Instant::now();
    let (i2, o2) = (std::sync::Arc::clone(&idle), std::sync::Arc::clone(&offered));
    let waiter = std::thread::spawn(move || {
        for _ in 0..samples {
            // Park as an idle member does, until an offer arrives.
            loop {
                i2.wait(|| o2.load(Ordering::Acquire) != 0);
                if o2.load(Ordering::Acquire) != 0 {
                    break;
                }
            }
            let at = o2.swap(0, Ordering::AcqRel);
            let now = epoch.elapsed().as_nanos() as u64;
            if tx.send(now.saturating_sub(at) as f64 * 1e-9).is_err() {
                return;
            }
        }
    });
    let mut times = Vec::with_capacity(samples);
    let mut calls = Vec::with_capacity(samples);
    for _ in 0..samples {
        // Longer than the spin: the member has parked.
        std::thread::sleep(SPIN * 3);
        offered.store((epoch.elapsed().as_nanos() as u64).max(1), Ordering::Release);
        let call = Instant::now();
        idle.wake();
        calls.push(call.elapsed().as_secs_f64());
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(t) => times.push(t),
            Err(_) => break,
        }
    }
    let _ = waiter.join();
    (crate::exec::bench::stats::median(times), crate::exec::bench::stats::median(calls))
}

/// Median seconds from recruiting a member into a run to its first work, and median seconds
/// the recruiting thread spends in the call itself, over `samples` tries, when the pool's
/// worker finished its last work `idle` before (the calling thread keeps busy meanwhile, as
/// a benchmark does between runs); `None` on one thread. A worker that has gone to sleep
/// costs a system call and a wake-up; one still awake costs neither.
pub(crate) fn measure_recruit(team: &Team, samples: usize, idle: Duration) -> Option<(f64, f64)> {
    if team.size() < 2 {
        return None;
    }
    let mut times = Vec::with_capacity(samples);
    let calls = Mutex::new(Vec::with_capacity(samples));
    // The first try only puts the worker in the state every later one finds it in.
    for sample in 0..=samples {
        let idle_from = Instant::now();
        while idle_from.elapsed() < idle {
            std::hint::spin_loop();
        }
        let joined = AtomicU64::new(0);
        let t0 = Instant::now();
        team.run(&|k, crew| {
            if k == 0 {
                let call = Instant::now();
                crew.recruit(1);
                let took = call.elapsed().as_secs_f64();
                if sample > 0 {
                    calls.lock().unwrap_or_else(|e| e.into_inner()).push(took);
                }
                let give_up = Instant::now() + Duration::from_secs(1);
                while joined.load(Ordering::Acquire) == 0 && Instant::now() < give_up {
                    std::hint::spin_loop();
                }
            } else if joined.load(Ordering::Acquire) == 0 {
                joined.store((t0.elapsed().as_nanos() as u64).max(1), Ordering::Release);
            }
        });
        let at = joined.load(Ordering::Acquire);
        if at > 0 && sample > 0 {
            times.push(at as f64 * 1e-9);
        }
    }
    let calls = calls.into_inner().unwrap_or_else(|e| e.into_inner());
    Some((crate::exec::bench::stats::median(times), crate::exec::bench::stats::median(calls)))
}

/// One run.
pub(crate) struct Engine<'a> {
    graph: &'a Graph,
    env: &'a Env,
    members: usize,
    regions: Vec<Region<'a>>,
    queue: Mutex<VecDeque<Item>>,
    queued: AtomicUsize,
    finished: AtomicBool,
    error: Mutex<Option<ExecError>>,
    idle: Idle,
    /// Spans recorded, one list per member (no lock is shared between threads).
    spans: Option<Vec<Mutex<Vec<OpSpan>>>>,
    start: Instant,
    cancel: Option<&'a AtomicBool>,
    deadline: Option<Instant>,
    /// Steps of the top level still to touch each variable.
    users: Vec<AtomicUsize>,
}

/// What [`Engine::new`] needs besides the program.
pub(crate) struct RunSetup<'a> {
    pub graph: &'a Graph,
    pub env: &'a Env,
    pub plan: &'a RunPlan,
    pub members: usize,
    pub trace: bool,
    pub cancel: Option<&'a AtomicBool>,
    pub(crate) deadline: Option<Instant>,
}

impl<'a> Engine<'a> {
    /// A run of `program` (already fused or not) as `setup` says.
    pub(crate) fn new(program: &'a Program, setup: RunSetup<'a>) -> Engine<'a> {
        let mut regions = Vec::new();
        add_region(&mut regions, program, None, None, 1);
        for (region, plan) in regions.iter_mut().zip(&setup.plan.regions) {
            region.schedule = plan.schedule;
            region.split.clone_from(&plan.split);
        }
        let users = (0..program.var_count).map(|_| AtomicUsize::new(0)).collect::<Vec<_>>();
        for t in &program.touches {
            for v in t {
                users[v.index()].fetch_add(1, Ordering::Relaxed);
            }
        }
        Engine {
            graph: setup.graph,
            env: setup.env,
            members: setup.members.max(1),
            regions,
            queue: Mutex::new(VecDeque::new()),
            queued: AtomicUsize::new(0),
            finished: AtomicBool::new(false),
            error: Mutex::new(None),
            idle: Idle { sleepers: AtomicUsize::new(0), lock: Mutex::new(()), cv: Condvar::new() },
            spans: setup.trace.then(|| (0..setup.members.max(1)).map(|_| Mutex::new(Vec::new())).collect()),
            start: Instant::now(),
            cancel: setup.cancel,
            deadline: setup.deadline,
            users,
        }
    }

    /// Runs to the end on `team` (this thread first); the spans recorded, or the first error.
    pub(crate) fn run(self, team: &Team) -> Result<Vec<OpSpan>, ExecError> {
        if self.members > 1 && team.size() > 1 {
            team.run(&|k, crew| self.member(k, Some(crew)));
        } else {
            self.member(0, None);
        }
        if let Some(e) = self.error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        let mut spans: Vec<OpSpan> =
            self.spans.into_iter().flatten().flat_map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
        spans.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
        Ok(spans)
    }

    /// When the run started.
    pub(crate) fn started(&self) -> Instant {
        self.start
    }

    fn member(&self, k: usize, crew: Option<&Crew>) {
        let mut next: Option<Item> = None;
        if k == 0 {
            self.reset(0);
            if self.regions[0].program.steps.is_empty() {
                self.finish_run();
            } else {
                self.release_roots(0, &mut next, crew);
            }
        }
        loop {
            if self.finished.load(Ordering::Acquire) {
                return;
            }
            match next.take().or_else(|| self.pop()) {
                Some(item) => {
                    if let Err(p) = catch_unwind(AssertUnwindSafe(|| self.execute(item, k, &mut next, crew))) {
                        let step = self.step(item);
                        self.fail(ExecError::Failed {
                            node: step.id.clone(),
                            op: step.op.clone(),
                            message: format!("irtop panicked running it: {}", panic_text(&p)),
                        });
                    }
                }
                None => {
                    self.idle.wait(|| self.queued.load(Ordering::Acquire) > 0 || self.finished.load(Ordering::Acquire))
                }
            }
        }
    }

    fn step(&self, item: Item) -> &'a Step {
        &self.regions[item.region as usize].program.steps[item.step as usize]
    }

    fn pop(&self) -> Option<Item> {
        if self.queued.load(Ordering::Acquire) == 0 {
            return None;
        }
        let item = self.queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        if item.is_some() {
            self.queued.fetch_sub(1, Ordering::AcqRel);
        }
        item
    }

    /// Offers `items`: the first becomes this member's next unless it has one.
    fn ready(&self, items: impl IntoIterator<Item = Item>, next: &mut Option<Item>, crew: Option<&Crew>) {
        let mut offered = 0;
        let mut queue = None;
        for item in items {
            if next.is_none() {
                *next = Some(item);
                continue;
            }
            queue.get_or_insert_with(|| self.queue.lock().unwrap_or_else(|e| e.into_inner())).push_back(item);
            offered += 1;
        }
        drop(queue);
        if offered > 0 {
            self.offered(offered, crew);
        }
    }

    fn offered(&self, count: usize, crew: Option<&Crew>) {
        self.queued.fetch_add(count, Ordering::AcqRel);
        self.idle.wake();
        if let Some(crew) = crew {
            crew.recruit(count.min(crew.room()));
        }
    }

    /// Offers the other members a share of a split op's chunks.
    fn offer_help(&self, item: Item, chunks: usize, crew: Option<&Crew>) {
        let helpers = (self.members - 1).min(chunks.saturating_sub(1));
        if helpers == 0 {
            return;
        }
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..helpers {
            queue.push_back(Item { helper: true, ..item });
        }
        drop(queue);
        self.offered(helpers, crew);
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn fail(&self, e: ExecError) {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
        self.finish_run();
    }

    /// Fails the run with a kernel's error, naming the fused member that failed when known.
    fn fail_step(&self, step: &Step, e: KernelError) {
        let named = match (&step.kind, e.member) {
            (StepKind::Fused(f), Some(m)) => f.members.get(m).unwrap_or(step),
            _ => step,
        };
        self.fail(ExecError::Failed { node: named.id.clone(), op: named.op.clone(), message: e.message });
    }

    fn finish_run(&self) {
        self.finished.store(true, Ordering::Release);
        self.idle.wake();
    }

    fn span(&self, item: Item, member: usize, t0: Instant) {
        if let Some(spans) = &self.spans {
            let step = self.step(item);
            let region = &self.regions[item.region as usize];
            let span = OpSpan {
                node: step.id.clone(),
                op: step.op.clone(),
                level: region.span_level.unwrap_or(step.level),
                worker: member,
                start_s: (t0 - self.start).as_secs_f64(),
                end_s: self.start.elapsed().as_secs_f64(),
            };
            if let Some(list) = spans.get(member) {
                list.lock().unwrap_or_else(|e| e.into_inner()).push(span);
            }
        }
    }

    /// The values of `vars`, or the error naming the first that has none.
    fn values(&self, step: &Step, vars: &[crate::ir::VarId]) -> Result<Vec<Arc<Value>>, ExecError> {
        vars.iter()
            .map(|&v| {
                self.env.get(v).ok_or_else(|| ExecError::Failed {
                    node: step.id.clone(),
                    op: step.op.clone(),
                    message: format!(
                        "reads `{}`, which has no value (an external input the IR never writes?)",
                        self.regions[0].program.var_name(v)
                    ),
                })
            })
            .collect()
    }

    fn set_outputs(&self, step: &Step, values: Vec<Option<Value>>) {
        for (&v, value) in step.outputs.iter().zip(values) {
            if let Some(value) = value {
                self.env.set(v, Arc::new(value));
            }
        }
    }

    fn execute(&self, item: Item, member: usize, next: &mut Option<Item>, crew: Option<&Crew>) {
        let region = &self.regions[item.region as usize];
        let i = item.step as usize;
        let step = &region.program.steps[i];
        if item.helper {
            let active = region.active[i].lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(active) = active {
                self.work_on(&active, item, member, next, crew);
            }
            return;
        }
        if self.cancelled() {
            self.fail(ExecError::Cancelled);
            return;
        }
        let t0 = Instant::now();
        let work = match &step.kind {
            StepKind::Loop(lp) => return self.start_loop(item, lp, next, crew),
            StepKind::Kernel(Kernel::Copy) => {
                // Values are immutable once written: an alias or in-place copy shares them.
                match self.values(step, &step.inputs) {
                    Ok(v) => {
                        if let (Some(&out), Some(value)) = (step.outputs.first(), v.into_iter().next()) {
                            self.env.set(out, value);
                        }
                    }
                    Err(e) => return self.fail(e),
                }
                self.span(item, member, t0);
                return self.complete(item, next, crew);
            }
            StepKind::Kernel(kernel) => match self.values(step, &step.inputs) {
                Ok(inputs) => kernel.bind(inputs, self.graph),
                Err(e) => return self.fail(e),
            },
            StepKind::Fused(f) => {
                match self.values(step, &step.inputs).ok().map(|inputs| f.program.bind(inputs, self.graph)) {
                    Some(Ok(work)) => Ok(work),
                    // Not what fusion expected: the members one by one say what is wrong.
                    _ => return self.run_members(f, item, member, t0, next, crew),
                }
            }
        };
        match work {
            Err(e) => self.fail_step(step, e),
            Ok(Work::Done(values)) => {
                self.set_outputs(step, values);
                self.span(item, member, t0);
                self.complete(item, next, crew);
            }
            Ok(Work::Chunks(pass)) => {
                let (passes, chunks) = (pass.passes(), pass.chunks());
                let active =
                    Arc::new(Active { pass, passes, chunks, next: AtomicUsize::new(0), done: AtomicUsize::new(0) });
                if chunks == 0 {
                    return self.finish_empty(&active, item, member, t0, next, crew);
                }
                if region.split[i] && chunks > 1 && self.members > 1 {
                    *region.active[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&active));
                    self.offer_help(item, chunks, crew);
                }
                self.work_on(&active, item, member, next, crew);
            }
        }
    }

    /// A pass over no nodes: only its between-pass steps and its results.
    fn finish_empty(
        &self,
        a: &Active,
        item: Item,
        member: usize,
        t0: Instant,
        next: &mut Option<Item>,
        crew: Option<&Crew>,
    ) {
        let step = self.step(item);
        for p in 0..a.passes {
            if let Err(e) = a.pass.between(p) {
                return self.fail_step(step, e);
            }
        }
        self.span(item, member, t0);
        self.finish_op(a, item, next, crew);
    }

    /// Claims and runs chunks of `a` until none are left; the member that runs the last
    /// chunk of a pass starts the next pass or finishes the op.
    fn work_on(&self, a: &Arc<Active>, item: Item, member: usize, next: &mut Option<Item>, crew: Option<&Crew>) {
        let step = self.step(item);
        let t0 = Instant::now();
        let mut ran = false;
        loop {
            if self.finished.load(Ordering::Relaxed) {
                break;
            }
            let claim = a.next.fetch_add(1, Ordering::AcqRel);
            let (pass, chunk) = (claim >> 32, claim & 0xffff_ffff);
            if chunk >= a.chunks {
                break;
            }
            if self.cancelled() {
                self.fail(ExecError::Cancelled);
                break;
            }
            if let Err(e) = a.pass.run(pass, chunk) {
                self.fail_step(step, e);
                break;
            }
            ran = true;
            if a.done.fetch_add(1, Ordering::AcqRel) + 1 < a.chunks {
                continue;
            }
            // The last chunk of this pass.
            if pass + 1 < a.passes {
                if let Err(e) = a.pass.between(pass) {
                    self.fail_step(step, e);
                    break;
                }
                a.done.store(0, Ordering::Release);
                a.next.store((pass + 1) << 32, Ordering::Release);
                if self.regions[item.region as usize].split[item.step as usize] && self.members > 1 {
                    self.offer_help(item, a.chunks, crew);
                }
                continue;
            }
            self.span(item, member, t0);
            return self.finish_op(a, item, next, crew);
        }
        if ran {
            self.span(item, member, t0);
        }
    }

    fn finish_op(&self, a: &Active, item: Item, next: &mut Option<Item>, crew: Option<&Crew>) {
        let step = self.step(item);
        *self.regions[item.region as usize].active[item.step as usize].lock().unwrap_or_else(|e| e.into_inner()) = None;
        match a.pass.finish() {
            Ok(values) => {
                self.set_outputs(step, values);
                self.complete(item, next, crew);
            }
            Err(e) => self.fail_step(step, e),
        }
    }

    /// Runs a fused step's members one by one, as unfused kernels (their inputs were not
    /// what fusion expected), then drops the values only the group used.
    fn run_members(
        &self,
        f: &FusedStep,
        item: Item,
        member: usize,
        t0: Instant,
        next: &mut Option<Item>,
        crew: Option<&Crew>,
    ) {
        let step = self.step(item);
        for m in &f.members {
            let StepKind::Kernel(kernel) = &m.kind else { continue };
            let inputs = match self.values(m, &m.inputs) {
                Ok(v) => v,
                Err(e) => return self.fail(e),
            };
            match kernel.bind(inputs, self.graph).and_then(Work::run_to_end) {
                Ok(values) => self.set_outputs(m, values),
                Err(e) => return self.fail_step(m, e),
            }
        }
        for m in &f.members {
            for v in &m.outputs {
                if !step.outputs.contains(v) {
                    self.env.release(*v);
                }
            }
        }
        self.span(item, member, t0);
        self.complete(item, next, crew);
    }

    /// Seeds a loop's variables and releases its body's first steps (or completes it at
    /// once when it runs no step).
    fn start_loop(&self, item: Item, lp: &LoopProgram, next: &mut Option<Item>, crew: Option<&Crew>) {
        let step = self.step(item);
        for &(initial, logical) in &lp.init {
            let Some(value) = self.env.get(initial) else {
                return self.fail(ExecError::Failed {
                    node: step.id.clone(),
                    op: step.op.clone(),
                    message: format!("loop variable seed `{}` has no value", self.regions[0].program.var_name(initial)),
                });
            };
            self.env.set(logical, value);
        }
        let Some(c) = self.regions[item.region as usize].child[item.step as usize] else { return };
        if lp.iterations == 0 || lp.body.steps.is_empty() {
            return self.complete(item, next, crew);
        }
        self.regions[c].iteration.store(0, Ordering::Release);
        self.reset(c);
        self.release_roots(c, next, crew);
    }

    /// Resets region `r`'s counters for a new iteration.
    fn reset(&self, r: usize) {
        let region = &self.regions[r];
        let p = region.program;
        for (pending, step) in region.pending.iter().zip(&p.steps) {
            pending.store(step.deps.len(), Ordering::Release);
        }
        for (left, level) in region.level_left.iter().zip(&p.levels) {
            left.store(level.len(), Ordering::Release);
        }
        region.remaining.store(p.steps.len(), Ordering::Release);
    }

    fn item(r: usize, step: usize) -> Item {
        Item { region: r as u32, step: step as u32, helper: false }
    }

    fn release_roots(&self, r: usize, next: &mut Option<Item>, crew: Option<&Crew>) {
        let p = self.regions[r].program;
        match self.regions[r].schedule {
            Schedule::Sequential => self.ready([Self::item(r, 0)], next, crew),
            Schedule::Levels => self.ready(p.levels[0].iter().map(|&i| Self::item(r, i)), next, crew),
            Schedule::Dataflow | Schedule::Auto => self.ready(
                p.steps.iter().enumerate().filter(|(_, s)| s.deps.is_empty()).map(|(i, _)| Self::item(r, i)),
                next,
                crew,
            ),
        }
    }

    /// Step `item` is done: free what the top level no longer needs, release what its
    /// schedule lets start, and end the iteration after its last step.
    fn complete(&self, item: Item, next: &mut Option<Item>, crew: Option<&Crew>) {
        let (r, i) = (item.region as usize, item.step as usize);
        let region = &self.regions[r];
        let p = region.program;
        if r == 0 {
            for v in &p.touches[i] {
                if self.users[v.index()].fetch_sub(1, Ordering::AcqRel) == 1 {
                    self.env.release(*v);
                }
            }
        }
        match region.schedule {
            Schedule::Sequential => {
                if i + 1 < p.steps.len() {
                    self.ready([Self::item(r, i + 1)], next, crew);
                }
            }
            Schedule::Levels => {
                let l = region.level_of[i];
                if region.level_left[l].fetch_sub(1, Ordering::AcqRel) == 1 && l + 1 < p.levels.len() {
                    self.ready(p.levels[l + 1].iter().map(|&s| Self::item(r, s)), next, crew);
                }
            }
            Schedule::Dataflow | Schedule::Auto => {
                let released =
                    p.dependants[i].iter().copied().filter(|&d| region.pending[d].fetch_sub(1, Ordering::AcqRel) == 1);
                let released: Vec<usize> = released.collect();
                self.ready(released.into_iter().map(|d| Self::item(r, d)), next, crew);
            }
        }
        if region.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.iteration_done(r, next, crew);
        }
    }

    fn iteration_done(&self, r: usize, next: &mut Option<Item>, crew: Option<&Crew>) {
        let region = &self.regions[r];
        let done = region.iteration.fetch_add(1, Ordering::AcqRel) + 1;
        if done < region.iterations {
            self.reset(r);
            if self.cancelled() {
                return self.fail(ExecError::Cancelled);
            }
            return self.release_roots(r, next, crew);
        }
        match region.parent {
            None => self.finish_run(),
            Some((pr, ps)) => self.complete(Self::item(pr, ps), next, crew),
        }
    }
}

/// Adds the region of `program` and, recursively, of its loops' bodies; returns its index.
fn add_region<'a>(
    regions: &mut Vec<Region<'a>>,
    program: &'a Program,
    parent: Option<(usize, usize)>,
    span_level: Option<u32>,
    iterations: u64,
) -> usize {
    let n = program.steps.len();
    let level_of = program.level_of_steps();
    let id = regions.len();
    regions.push(Region {
        program,
        schedule: Schedule::Sequential,
        split: vec![false; n],
        parent,
        span_level,
        iterations,
        iteration: AtomicU64::new(0),
        pending: (0..n).map(|_| AtomicUsize::new(0)).collect(),
        level_of,
        level_left: program.levels.iter().map(|_| AtomicUsize::new(0)).collect(),
        remaining: AtomicUsize::new(0),
        active: (0..n).map(|_| Mutex::new(None)).collect(),
        child: vec![None; n],
    });
    for (i, s) in program.steps.iter().enumerate() {
        if let StepKind::Loop(lp) = &s.kind {
            let level = span_level.unwrap_or(s.level);
            let c = add_region(regions, &lp.body, Some((id, i)), Some(level), lp.iterations);
            regions[id].child[i] = Some(c);
        }
    }
    id
}

/// A panic's message.
fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
