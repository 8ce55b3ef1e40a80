//! The machine's parallel behaviour at the time of a benchmark: between repetitions, the
//! two memory-bound kernel families (a stream, `mul` of a map by a map or by a number,
//! whichever the program's element-wise ops mostly do; a gather, `neighbor_agg` sum) run
//! on the benchmark's own graph alone, as `threads` copies at once and split over the
//! threads.
//!
//! On a shared host the memory bandwidth one thread gets comes and goes with the other
//! tenants: the same data-parallel op measured 1.1x and 1.8x on 2 threads minutes apart.
//! Contention measured by `irtop calibrate` an hour before cannot know that; measured
//! beside the repetitions it moves with them. The calibrated prediction uses it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use super::cost_model::{CostModel, OpClass};
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, BinOp, Kernel};
use crate::exec::program::{Program, StepKind};
use crate::exec::simulated_run::Overheads;
use crate::exec::value::{Scalar, Value};
use crate::exec::{Mode, Schedule, Scheduler, Team};

/// Each probe call repeats its kernel for about this long, so that waking a worker (tens
/// of microseconds) does not dominate a small graph's sample.
pub(crate) const SAMPLE_SECONDS: f64 = 5e-3;

/// One family's times in one sample, as ratios over the kernel alone on one thread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ratios {
    /// `threads` copies at once, each on its own data.
    pub together: f64,
    /// The kernel split over the threads.
    pub split: f64,
}

/// Contention and serial part of one kernel family (see [`CostModel`]'s fields).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParallelFit {
    /// Slowdown per extra concurrent copy: k copies each run at `1 / (1 + c (k - 1))`.
    pub contention: f64,
    /// The same for the kernel split over k threads.
    pub split_contention: f64,
    /// Amdahl's serial part of the kernel split over the threads.
    pub serial: f64,
}

impl ParallelFit {
    /// The fit of a family from the ratios of `threads` copies at once (`together`) and of
    /// the kernel split over the threads (`split`) to one copy alone. A split slower than
    /// the copies' contention explains has a serial part; a faster one has no serial part
    /// and a smaller contention of its own. Either way the fit reproduces both ratios.
    pub fn from_ratios(together: f64, split: f64, threads: usize) -> ParallelFit {
        let p = threads.max(2) as f64;
        let contention = ((together - 1.0) / (p - 1.0)).clamp(0.0, 2.0);
        let g = (1.0 + contention * (p - 1.0)) / p;
        if split < g {
            let split_contention = ((split * p - 1.0) / (p - 1.0)).clamp(0.0, 2.0);
            return ParallelFit { contention, split_contention, serial: 0.0 };
        }
        let serial = if g >= 1.0 { 0.0 } else { ((split - g) / (1.0 - g)).clamp(0.0, 1.0) };
        ParallelFit { contention, split_contention: contention, serial }
    }

    /// The fit of the medians of each ratio over `samples` (at least one).
    pub(crate) fn of_samples(samples: &[Ratios], threads: usize) -> ParallelFit {
        ParallelFit::at_quantile(samples, 0.5, threads)
    }

    /// The fit of quantile `q` of each ratio over `samples` (at least one).
    pub(crate) fn at_quantile(samples: &[Ratios], q: f64, threads: usize) -> ParallelFit {
        let quantile = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[((v.len() - 1) as f64 * q).round() as usize]
        };
        let together = quantile(samples.iter().map(|x| x.together).collect());
        let split = quantile(samples.iter().map(|x| x.split).collect());
        ParallelFit::from_ratios(together, split, threads)
    }
}

/// What a benchmark's probe found: each family's fit (absent where the program has no op
/// of that family), at the median of its samples and at their quartiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProbeFit {
    /// Element-wise ops, reductions and attributes.
    pub stream: Option<ParallelFit>,
    /// Gathers over edges and modes over neighbour lists.
    pub gather: Option<ParallelFit>,
    /// The fits from the lower quartile of each ratio (less contention).
    #[serde(skip)]
    pub low: [Option<ParallelFit>; 2],
    /// The fits from the upper quartile (more contention).
    #[serde(skip)]
    pub high: [Option<ParallelFit>; 2],
    /// How many samples the fits are medians of.
    pub samples: usize,
}

/// Which end of the probe's samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quartile {
    /// The lower quartile of each ratio.
    Low,
    /// The upper quartile.
    High,
}

impl ProbeFit {
    /// `model` with the contention of the probe's lower or upper quartiles.
    pub fn at(&self, model: &CostModel, q: Quartile) -> CostModel {
        let [stream, gather] = match q {
            Quartile::Low => self.low,
            Quartile::High => self.high,
        };
        ProbeFit { stream, gather, ..*self }.apply(model)
    }

    /// `model` with the measured contention and serial parts in place of its own (cached
    /// and out-of-cache alike: the probe ran at the benchmark's size).
    pub fn apply(&self, model: &CostModel) -> CostModel {
        let mut m = *model;
        if let Some(f) = self.stream {
            (m.contention_stream, m.contention_stream_cached) = (f.contention, f.contention);
            (m.split_contention_stream, m.split_contention_stream_cached) = (f.split_contention, f.split_contention);
            (m.serial_stream, m.serial_stream_cached) = (f.serial, f.serial);
        }
        if let Some(f) = self.gather {
            (m.contention_gather, m.contention_gather_cached) = (f.contention, f.contention);
            (m.split_contention_gather, m.split_contention_gather_cached) = (f.split_contention, f.split_contention);
            (m.serial_gather, m.serial_gather_cached) = (f.serial, f.serial);
        }
        m
    }
}

/// A probe for one benchmark: its inputs, built once, and the samples taken so far.
pub(crate) struct Probe<'g> {
    graph: &'g Graph,
    threads: usize,
    /// Per thread, the stream's operands (two maps, or a map and a number), when the
    /// program streams.
    stream_inputs: Option<Vec<Vec<Arc<Value>>>>,
    /// Per thread, the gather's map, when the program gathers.
    gather_inputs: Option<Vec<Vec<Arc<Value>>>>,
    /// Copies at once run on this pool, one per thread.
    pool: rayon::ThreadPool,
    /// The kernel split over the threads runs on this.
    split: Scheduler,
    /// The overheads the model prices for the split calls (back to back: the worker is awake).
    overheads: Overheads,
    stream: Vec<Ratios>,
    gather: Vec<Ratios>,
}

impl<'g> Probe<'g> {
    /// A probe of the families `program` uses, on `graph`, for `threads` threads; `None`
    /// on one thread (nothing to measure) or when the program has neither family.
    pub(crate) fn new(program: &Program, graph: &'g Graph, threads: usize, model: &CostModel) -> Option<Probe<'g>> {
        if threads < 2 {
            return None;
        }
        let (mut streams, mut gathers) = (false, false);
        // Element-wise ops reading one map and ops reading two or more.
        let (mut one_map, mut more_maps) = (0usize, 0usize);
        let scalar = super::scalar_vars(program);
        program.visit_steps(&mut |s| {
            if let StepKind::Kernel(k) = &s.kind {
                match OpClass::of(k) {
                    OpClass::Elementwise => {
                        streams = true;
                        match s.inputs.iter().filter(|v| !scalar[v.index()]).count() {
                            0 => {}
                            1 => one_map += 1,
                            _ => more_maps += 1,
                        }
                    }
                    OpClass::Attr | OpClass::Reduce => streams = true,
                    OpClass::Gather | OpClass::Mode => gathers = true,
                    OpClass::Scalar => {}
                }
            }
        });
        if !streams && !gathers {
            return None;
        }
        let n = graph.node_count();
        let map = |salt: usize| Value::float_map((0..n).map(|i| ((i + salt) % 97) as f64 * 0.5 + 1.0).collect());
        let one = one_map > more_maps;
        let operand = |salt: usize| if one { Value::Scalar(Scalar { value: 1.5, int: false }) } else { map(salt) };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok()?;
        let team = Arc::new(Team::new(threads).ok()?);
        let split = Scheduler::with_team(Mode { schedule: Schedule::Sequential, data: true }, team);
        Some(Probe {
            graph,
            threads,
            stream_inputs: streams
                .then(|| (0..threads).map(|t| vec![Arc::new(map(t)), Arc::new(operand(t + 7))]).collect()),
            gather_inputs: gathers.then(|| (0..threads).map(|t| vec![Arc::new(map(t))]).collect()),
            pool,
            split,
            overheads: super::overheads_after_idle(model, Some(0.0)),
            stream: Vec::new(),
            gather: Vec::new(),
        })
    }

    /// Takes one sample of each family.
    pub(crate) fn sample(&mut self) {
        if let Some(sets) = &self.stream_inputs {
            let k = Kernel::Binary(BinOp::Mul);
            self.stream.push(ratios(&k, sets, self.graph, &self.pool, &self.split, &self.overheads));
        }
        if let Some(sets) = &self.gather_inputs {
            let k = Kernel::NeighborAgg(Agg::Sum, false);
            self.gather.push(ratios(&k, sets, self.graph, &self.pool, &self.split, &self.overheads));
        }
    }

    /// The fits: medians of each ratio over the samples, and their quartiles (`None`
    /// before the first sample).
    pub(crate) fn fit(&self) -> Option<ProbeFit> {
        let at = |r: &[Ratios], q: f64| (!r.is_empty()).then(|| ParallelFit::at_quantile(r, q, self.threads));
        let samples = self.stream.len().max(self.gather.len());
        (samples > 0).then(|| ProbeFit {
            stream: at(&self.stream, 0.5),
            gather: at(&self.gather, 0.5),
            low: [at(&self.stream, 0.25), at(&self.gather, 0.25)],
            high: [at(&self.stream, 0.75), at(&self.gather, 0.75)],
            samples,
        })
    }
}

/// One sample of `k`: alone on one thread, then one copy per thread at once (thread t on
/// `sets[t]`), then split over the pool; each repeated to about [`SAMPLE_SECONDS`]. The
/// copies start together
/// (each waits until all have been picked up by a worker) and each times itself, so a
/// worker that wakes late does not count as contention.
/// How a timed kernel call runs: on one thread, or split over the team.
#[derive(Clone, Copy)]
enum Par {
    Seq,
    Split,
}

pub(crate) fn ratios(
    k: &Kernel,
    sets: &[Vec<Arc<Value>>],
    graph: &Graph,
    pool: &rayon::ThreadPool,
    split: &Scheduler,
    ov: &Overheads,
) -> Ratios {
    let run = |inputs: &[Arc<Value>], par: Par| {
        let out = match par {
            Par::Seq => k.apply(inputs, graph),
            Par::Split => split.run_kernel(k, inputs, graph).map_err(|e| e.to_string()),
        };
        if let Ok(Some(Value::Map(m))) = out {
            crate::exec::buffers::give(std::hint::black_box(m).values);
        }
    };
    let seconds = |f: &dyn Fn()| {
        let t0 = Instant::now();
        f();
        t0.elapsed().as_secs_f64()
    };
    let calls = |set: &[Arc<Value>], count: usize, par: Par| (0..count).for_each(|_| run(set, par));
    let first = seconds(&|| calls(&sets[0], 1, Par::Seq));
    let inner = (SAMPLE_SECONDS / first.max(1e-9)).ceil().clamp(1.0, 1000.0) as usize;
    let one = seconds(&|| calls(&sets[0], inner, Par::Seq));
    let started = AtomicUsize::new(0);
    let times: Vec<Mutex<f64>> = sets.iter().map(|_| Mutex::new(0.0)).collect();
    pool.install(|| {
        rayon::scope(|s| {
            for (set, time) in sets.iter().zip(&times) {
                let (started, calls, seconds) = (&started, &calls, &seconds);
                s.spawn(move |_| {
                    started.fetch_add(1, Ordering::AcqRel);
                    while started.load(Ordering::Acquire) < sets.len() {
                        std::hint::spin_loop();
                    }
                    *time.lock().unwrap_or_else(|e| e.into_inner()) = seconds(&|| calls(set, inner, Par::Seq));
                })
            }
        })
    });
    let together = times.iter().map(|t| *t.lock().unwrap_or_else(|e| e.into_inner())).fold(0.0, f64::max);
    let split = seconds(&|| calls(&sets[0], inner, Par::Split));
    let one = one.max(1e-12);
    // Each split call is a run of its own: the model prices its recruitment and its split
    // apart, so they are taken out here and not counted twice as a serial part.
    let priced = super::simulate::split_overhead_s(one / inner as f64, ov) * inner as f64;
    let split = (split - priced).max(one / (2.0 * sets.len().max(1) as f64));
    Ratios { together: together / one, split: split / one }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfectly_parallel_kernel_has_no_contention_and_no_serial_part() {
        // Two copies at once take as long as one; split over two threads, half as long.
        let f = ParallelFit::from_ratios(1.0, 0.5, 2);
        assert_eq!(f, ParallelFit { contention: 0.0, split_contention: 0.0, serial: 0.0 });
    }

    #[test]
    fn a_bandwidth_bound_kernel_has_full_contention() {
        // Two copies at once take twice as long: the second thread adds nothing, and the
        // split kernel is no faster either (a serial part is then meaningless: 0).
        let f = ParallelFit::from_ratios(2.0, 1.0, 2);
        assert_eq!(f, ParallelFit { contention: 1.0, split_contention: 1.0, serial: 0.0 });
    }

    #[test]
    fn a_split_slower_than_contention_explains_is_a_serial_part() {
        // Copies at once: 1.5x (contention 0.5, so a perfect split would take 0.75);
        // the split takes 0.875: serial part (0.875 - 0.75) / (1 - 0.75) = 0.5.
        let f = ParallelFit::from_ratios(1.5, 0.875, 2);
        assert!((f.contention - 0.5).abs() < 1e-12 && (f.serial - 0.5).abs() < 1e-12, "{f:?}");
        assert_eq!(f.split_contention, f.contention);
    }

    #[test]
    fn a_split_faster_than_the_copies_has_its_own_contention() {
        // Copies at once: 1.8x (contention 0.8); the split kernel takes 0.6 of one copy,
        // better than the 0.9 that contention implies: split contention 2 x 0.6 - 1 = 0.2.
        let f = ParallelFit::from_ratios(1.8, 0.6, 2);
        assert!((f.contention - 0.8).abs() < 1e-12, "{f:?}");
        assert!((f.split_contention - 0.2).abs() < 1e-12 && f.serial == 0.0, "{f:?}");
    }
}
