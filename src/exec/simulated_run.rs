//! The engine's schedules on a virtual clock: the same regions, release rules and split
//! offers as [`super::engine`], with each step taking the time its [`StepCost`] says. The
//! mock executor runs on it, and the predictions are makespans from it.
//!
//! Members behave as the engine's do: the one that starts the run works at once; others are
//! recruited when work is first offered and start after [`Overheads::recruit_s`]; an idle
//! member spins for [`Overheads::spin_s`], then parks, and an offer wakes it after
//! [`Overheads::wake_s`]. A split step is work that every member working on it shares; a
//! member joins it while chunks are left, and once shared it costs each member
//! [`Overheads::split_s`] more. Members working at the same time slow each other
//! down by their steps' contention (`1 + c (k - 1)` with k members busy). With a
//! [`CacheFootprint`], a step that starts with input maps pushed out of the cache by the
//! steps before it pays for the misses it has beyond seq's.
//!
//! # Complexity
//! O(events x members), with an event per step started or ended and per member arriving or
//! parking; a loop of many iterations runs a few and extrapolates when nothing else runs.

use std::collections::VecDeque;

use super::cache_footprint::{CacheFootprint, Residency};
use super::executor::Schedule;
use super::plan::RunPlan;
use super::program::{Program, Step, StepKind};
use super::span::OpSpan;

/// What one step costs on the virtual clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepCost {
    /// Seconds on one thread, alone on the machine.
    pub seconds: f64,
    /// Node chunks it splits into (1: it cannot split).
    pub chunks: usize,
    /// Slowdown per other busy member while it runs whole: `1 + c (k - 1)`.
    pub contention: f64,
    /// The same while it is split over several members.
    pub split_contention: f64,
}

impl StepCost {
    /// A step of `seconds` that neither splits nor slows others down.
    pub fn fixed(seconds: f64) -> StepCost {
        StepCost { seconds, chunks: 1, contention: 0.0, split_contention: 0.0 }
    }
}

/// The machine's parallel overheads, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overheads {
    /// From the first offer of work to a newly recruited member starting it.
    pub recruit_s: f64,
    /// From an offer to a parked member starting it.
    pub wake_s: f64,
    /// How long an idle member spins before it parks.
    pub spin_s: f64,
    /// What a split costs each member that shares it, beyond its share of the work: taking
    /// chunks from a shared counter and waiting for the last one at the join.
    pub split_s: f64,
    /// What the member that offers work pays for each member it recruits.
    pub recruit_call_s: f64,
    /// What the member that offers work pays for waking parked members.
    pub wake_call_s: f64,
}

impl Overheads {
    /// No overheads: for hand-built cost tables with known makespans.
    pub const NONE: Overheads = Overheads {
        recruit_s: 0.0,
        wake_s: 0.0,
        spin_s: f64::INFINITY,
        split_s: 0.0,
        recruit_call_s: 0.0,
        wake_call_s: 0.0,
    };
}

/// A run on the virtual clock.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedRun {
    /// When the last step ended, in seconds.
    pub(crate) makespan_s: f64,
    /// Per member, what ran when (when traced).
    pub spans: Vec<OpSpan>,
    /// Per region and step, the input maps it found out of the cache (the mean over its
    /// runs; empty without a [`CacheFootprint`]).
    pub(crate) misses: Vec<Vec<f64>>,
}

/// Iterations of a long loop run on the clock before the rest are extrapolated.
const SAMPLED_ITERATIONS: u64 = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Item {
    region: usize,
    step: usize,
    helper: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Not recruited yet.
    Absent,
    /// Recruited or woken; starts at this time.
    Arriving(f64),
    /// Looking for work since this time (spinning).
    Idle(f64),
    /// Parked until an offer wakes it.
    Parked,
    /// Working on this work.
    Busy(usize),
}

struct Work {
    item: Item,
    cost: StepCost,
    /// Seconds of single-thread work left.
    left: f64,
    /// Members on it, with when each joined.
    workers: Vec<(usize, f64)>,
    split: bool,
    /// How many works started before it: completions are handled in this order.
    started: u64,
}

struct Region<'p> {
    program: &'p Program,
    schedule: Schedule,
    split: Vec<bool>,
    parent: Option<(usize, usize)>,
    span_level: Option<u32>,
    iterations: u64,
    iteration: u64,
    iteration_started: f64,
    pending: Vec<usize>,
    level_of: Vec<usize>,
    level_left: Vec<usize>,
    remaining: usize,
    child: Vec<Option<usize>>,
}

struct Clock<'p, 'c> {
    regions: Vec<Region<'p>>,
    costs: &'c dyn Fn(usize, usize, &Step) -> StepCost,
    ov: Overheads,
    t: f64,
    members: Vec<State>,
    next: Vec<Option<Item>>,
    queue: VecDeque<Item>,
    works: Vec<Option<Work>>,
    /// Works started so far.
    started: u64,
    /// Scratch list of the works that end at an event: `(started, slot)`.
    done: Vec<(u64, usize)>,
    /// The running split work of a step, for helpers: `(region, step) -> work`.
    active: std::collections::HashMap<(usize, usize), usize>,
    finished: bool,
    trace: bool,
    spans: Vec<OpSpan>,
    cache: Option<&'c CacheFootprint>,
    residency: Residency,
    /// Per region and step: input maps missed, and runs started.
    misses: Vec<Vec<(usize, usize)>>,
}

/// Runs `program` following `plan` on `members` members on the virtual clock, each step
/// costing `costs(region, index, step)` (regions numbered as [`super::plan::regions`]),
/// plus its extra cache misses when `cache` is given.
pub fn simulate(
    program: &Program,
    plan: &RunPlan,
    members: usize,
    costs: &dyn Fn(usize, usize, &Step) -> StepCost,
    ov: &Overheads,
    cache: Option<&CacheFootprint>,
    trace: bool,
) -> SimulatedRun {
    let mut regions = Vec::new();
    add_region(&mut regions, program, None, None, 1);
    for (r, p) in regions.iter_mut().zip(&plan.regions) {
        r.schedule = p.schedule;
        r.split.clone_from(&p.split);
    }
    let misses = match cache {
        Some(_) => regions.iter().map(|r| vec![(0, 0); r.program.steps.len()]).collect(),
        None => Vec::new(),
    };
    let mut members_state = vec![State::Absent; members.max(1)];
    members_state[0] = State::Idle(0.0);
    let mut clock = Clock {
        regions,
        costs,
        ov: *ov,
        t: 0.0,
        members: members_state,
        next: vec![None; members.max(1)],
        queue: VecDeque::new(),
        works: Vec::new(),
        started: 0,
        done: Vec::new(),
        active: std::collections::HashMap::new(),
        finished: false,
        trace,
        spans: Vec::new(),
        cache,
        residency: Residency::new(if cache.is_some() { program.var_count } else { 0 }),
        misses,
    };
    clock.reset(0);
    if program.steps.is_empty() {
        clock.finished = true;
    } else {
        clock.release_roots(0, 0);
    }
    clock.run();
    let misses = match cache {
        Some(_) => clock
            .misses
            .iter()
            .map(|r| r.iter().map(|&(missed, runs)| if runs > 0 { missed as f64 / runs as f64 } else { 0.0 }).collect())
            .collect(),
        None => Vec::new(),
    };
    SimulatedRun { makespan_s: clock.t, spans: clock.spans, misses }
}

impl<'p> Clock<'p, '_> {
    fn run(&mut self) {
        while !self.finished {
            self.dispatch();
            if self.finished {
                break;
            }
            let Some(dt) = self.next_event() else { break };
            self.advance(dt);
        }
    }

    /// Gives every idle member work while there is some.
    fn dispatch(&mut self) {
        let mut progress = true;
        while progress && !self.finished {
            progress = false;
            for m in 0..self.members.len() {
                if matches!(self.members[m], State::Idle(_)) && self.take_work(m) {
                    progress = true;
                }
            }
        }
    }

    /// Member `m` takes its next item or one from the queue; true when it took something.
    fn take_work(&mut self, m: usize) -> bool {
        loop {
            let Some(item) = self.next[m].take().or_else(|| self.queue.pop_front()) else { return false };
            if item.helper {
                let Some(&w) = self.active.get(&(item.region, item.step)) else { continue };
                let work = self.works[w].as_ref().expect("active works exist");
                let chunk = work.cost.seconds / work.cost.chunks.max(1) as f64;
                // Only while chunks are left that nobody has claimed.
                if work.left > chunk * work.workers.len() as f64 {
                    let (t, split_s) = (self.t, self.ov.split_s);
                    let work = self.works[w].as_mut().expect("active");
                    work.workers.push((m, t));
                    // Sharing costs every member on it the coordination of the split.
                    work.left += split_s * work.workers.len() as f64;
                    self.members[m] = State::Busy(w);
                    return true;
                }
                continue;
            }
            let program: &'p Program = self.regions[item.region].program;
            let step = &program.steps[item.step];
            if let StepKind::Loop(lp) = &step.kind {
                let (iterations, empty) = (lp.iterations, lp.body.steps.is_empty());
                let child = self.regions[item.region].child[item.step].expect("loops have regions");
                if iterations == 0 || empty {
                    self.complete(item, m);
                } else {
                    self.regions[child].iteration = 0;
                    self.reset(child);
                    self.release_roots(child, m);
                }
                return true;
            }
            let mut cost = (self.costs)(item.region, item.step, step);
            if let Some(cache) = self.cache {
                let missed = self.residency.start(cache, step);
                let record = &mut self.misses[item.region][item.step];
                *record = (record.0 + missed, record.1 + 1);
                if cost.seconds > 0.0 {
                    cost.seconds = (cost.seconds + cache.extra_s(item.region, item.step, missed)).max(0.0);
                }
            }
            if cost.seconds <= 0.0 {
                self.complete(item, m);
                return true;
            }
            let split = self.regions[item.region].split[item.step] && cost.chunks > 1 && self.members.len() > 1;
            // A finished work's slot is reused, so the list stays as long as the works running.
            let work =
                Some(Work { item, cost, left: cost.seconds, workers: vec![(m, self.t)], split, started: self.started });
            self.started += 1;
            let w = match self.works.iter().position(Option::is_none) {
                Some(free) => {
                    self.works[free] = work;
                    free
                }
                None => {
                    self.works.push(work);
                    self.works.len() - 1
                }
            };
            self.members[m] = State::Busy(w);
            if split {
                self.active.insert((item.region, item.step), w);
                let helpers = (self.members.len() - 1).min(cost.chunks - 1);
                for _ in 0..helpers {
                    self.queue.push_back(Item { helper: true, ..item });
                }
                self.offered(helpers, m);
            }
            return true;
        }
    }

    /// Member `by` offered work: parked members wake, and up to `count` absent ones are
    /// recruited; the calls that do it delay `by` (as the engine's offering thread makes
    /// them before it goes on).
    fn offered(&mut self, count: usize, by: usize) {
        if count == 0 {
            return;
        }
        let (t, ov) = (self.t, self.ov);
        let (mut recruits, mut woke) = (count, false);
        let mut calls = 0.0;
        for s in &mut self.members {
            match *s {
                State::Parked => {
                    *s = State::Arriving(t + ov.wake_s);
                    woke = true;
                }
                State::Absent if recruits > 0 => {
                    *s = State::Arriving(t + ov.recruit_s);
                    recruits -= 1;
                    calls += ov.recruit_call_s;
                }
                _ => {}
            }
        }
        // One wake-up call reaches every parked member.
        if woke {
            calls += ov.wake_call_s;
        }
        if calls > 0.0 {
            match self.members[by] {
                State::Idle(_) => self.members[by] = State::Arriving(t + calls),
                State::Arriving(at) => self.members[by] = State::Arriving(at + calls),
                State::Busy(w) => {
                    if let Some(work) = self.works[w].as_mut() {
                        work.left += calls;
                    }
                }
                State::Absent | State::Parked => {}
            }
        }
    }

    /// Each busy member's progress per second on its work.
    fn rate(w: &Work, busy: usize) -> f64 {
        let c = if w.workers.len() > 1 { w.cost.split_contention } else { w.cost.contention };
        1.0 / (1.0 + c * (busy.saturating_sub(1)) as f64)
    }

    /// Time to the next event: a work ending, a member arriving, an idle member parking.
    fn next_event(&self) -> Option<f64> {
        let busy = self.members.iter().filter(|s| matches!(s, State::Busy(_))).count();
        let mut dt = f64::INFINITY;
        for w in self.works.iter().flatten() {
            dt = dt.min(w.left / (Self::rate(w, busy) * w.workers.len() as f64));
        }
        let has_work = busy > 0 || !self.queue.is_empty();
        for s in &self.members {
            match *s {
                State::Arriving(at) => dt = dt.min((at - self.t).max(0.0)),
                State::Idle(since) if has_work && self.ov.spin_s.is_finite() => {
                    dt = dt.min((since + self.ov.spin_s - self.t).max(0.0));
                }
                _ => {}
            }
        }
        dt.is_finite().then_some(dt)
    }

    fn advance(&mut self, dt: f64) {
        let busy = self.members.iter().filter(|s| matches!(s, State::Busy(_))).count();
        self.t += dt;
        let t = self.t;
        for w in self.works.iter_mut().flatten() {
            w.left -= dt * Self::rate(w, busy) * w.workers.len() as f64;
        }
        for s in &mut self.members {
            match *s {
                State::Arriving(at) if at <= t + 1e-15 => *s = State::Idle(t),
                State::Idle(since) if since + self.ov.spin_s <= t + 1e-15 => *s = State::Parked,
                _ => {}
            }
        }
        // Works that ended, in the order they started (slots are reused, so that is not
        // the slots' order).
        let mut done = std::mem::take(&mut self.done);
        done.clear();
        done.extend(self.works.iter().enumerate().filter_map(|(w, x)| {
            x.as_ref().filter(|x| x.left <= 1e-12 * x.cost.seconds.max(1e-12)).map(|x| (x.started, w))
        }));
        done.sort_unstable();
        for &(_, w) in &done {
            let work = self.works[w].take().expect("a finished work");
            if work.split {
                self.active.remove(&(work.item.region, work.item.step));
            }
            for &(m, joined) in &work.workers {
                self.members[m] = State::Idle(t);
                if self.trace {
                    self.span(work.item, m, joined);
                }
            }
            let finisher = work.workers[0].0;
            self.complete(work.item, finisher);
        }
        self.done = done;
        while self.works.last().is_some_and(Option::is_none) {
            self.works.pop();
        }
    }

    fn span(&mut self, item: Item, member: usize, start: f64) {
        let region = &self.regions[item.region];
        let step = &region.program.steps[item.step];
        self.spans.push(OpSpan {
            node: step.id.clone(),
            op: step.op.clone(),
            level: region.span_level.unwrap_or(step.level),
            worker: member,
            start_s: start,
            end_s: self.t,
        });
    }

    /// Offers `items`: the first becomes member `m`'s next unless it has one.
    fn ready(&mut self, items: impl IntoIterator<Item = Item>, m: usize) {
        let mut offered = 0;
        for item in items {
            if self.next[m].is_none() {
                self.next[m] = Some(item);
            } else {
                self.queue.push_back(item);
                offered += 1;
            }
        }
        self.offered(offered, m);
    }

    fn reset(&mut self, r: usize) {
        let region = &mut self.regions[r];
        let p = region.program;
        for (pending, step) in region.pending.iter_mut().zip(&p.steps) {
            *pending = step.deps.len();
        }
        for (left, level) in region.level_left.iter_mut().zip(&p.levels) {
            *left = level.len();
        }
        region.remaining = p.steps.len();
        region.iteration_started = self.t;
    }

    fn release_roots(&mut self, r: usize, m: usize) {
        let p = self.regions[r].program;
        let item = |step: usize| Item { region: r, step, helper: false };
        match self.regions[r].schedule {
            Schedule::Sequential => self.ready([item(0)], m),
            Schedule::Levels => self.ready(p.levels[0].iter().map(|&s| item(s)), m),
            Schedule::Dataflow | Schedule::Auto => {
                let roots: Vec<Item> =
                    p.steps.iter().enumerate().filter(|(_, s)| s.deps.is_empty()).map(|(i, _)| item(i)).collect();
                self.ready(roots, m);
            }
        }
    }

    fn complete(&mut self, item: Item, m: usize) {
        let (r, i) = (item.region, item.step);
        let p = self.regions[r].program;
        let at = |s: usize| Item { region: r, step: s, helper: false };
        match self.regions[r].schedule {
            Schedule::Sequential => {
                if i + 1 < p.steps.len() {
                    self.ready([at(i + 1)], m);
                }
            }
            Schedule::Levels => {
                let l = self.regions[r].level_of[i];
                self.regions[r].level_left[l] -= 1;
                if self.regions[r].level_left[l] == 0 && l + 1 < p.levels.len() {
                    self.ready(p.levels[l + 1].iter().map(|&s| at(s)), m);
                }
            }
            Schedule::Dataflow | Schedule::Auto => {
                let mut released = Vec::new();
                for &d in &p.dependants[i] {
                    self.regions[r].pending[d] -= 1;
                    if self.regions[r].pending[d] == 0 {
                        released.push(at(d));
                    }
                }
                self.ready(released, m);
            }
        }
        self.regions[r].remaining -= 1;
        if self.regions[r].remaining == 0 {
            self.iteration_done(r, m);
        }
    }

    fn iteration_done(&mut self, r: usize, m: usize) {
        let region = &mut self.regions[r];
        region.iteration += 1;
        let took = self.t - region.iteration_started;
        let left = region.iterations.saturating_sub(region.iteration);
        // A long loop with nothing else running repeats itself: take the last iteration's
        // time for the rest.
        let alone = self.works.iter().all(Option::is_none) && self.queue.is_empty();
        if left > 0 && region.iteration >= SAMPLED_ITERATIONS && alone {
            self.t += took * left as f64;
            region.iteration = region.iterations;
            for s in &mut self.members {
                if let State::Idle(since) = s {
                    *since = self.t;
                }
            }
        }
        let region = &self.regions[r];
        if region.iteration < region.iterations {
            self.reset(r);
            return self.release_roots(r, m);
        }
        match region.parent {
            None => self.finished = true,
            Some((pr, ps)) => self.complete(Item { region: pr, step: ps, helper: false }, m),
        }
    }
}

fn add_region<'p>(
    regions: &mut Vec<Region<'p>>,
    program: &'p Program,
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
        iteration: 0,
        iteration_started: 0.0,
        pending: vec![0; n],
        level_of,
        level_left: vec![0; program.levels.len()],
        remaining: 0,
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
