//! Calibration: micro-benchmarks of the real kernels on a synthetic graph (a few seconds),
//! fitted into a [`CostModel`] and cached in the user's cache directory
//! (`$XDG_CACHE_HOME/irtop/calibration.json`, else `~/.cache/irtop/calibration.json`).
//! A cache of another [`CALIBRATION_VERSION`] is ignored.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::cost_model::CostModel;
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, BinOp, Kernel, Par};
use crate::exec::synthetic::rmat;
use crate::exec::value::Value;

/// Version of the cache file's format and of the benchmarks behind it.
pub const CALIBRATION_VERSION: u32 = 3;

/// Scale of the calibration graph (R-MAT, edge factor 16): maps of 2 MB, larger than a
/// typical L2 cache, like the graphs benchmarks run on.
pub const CALIBRATION_SCALE: u32 = 18;

/// Size (log2 of the node count) of the maps streaming kernels are calibrated on: 64 MB,
/// twice a 32 MB L3 cache, like the maps of the accuracy runs.
pub const STREAM_SCALE: u32 = 23;

/// A calibration run's result, as cached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// [`CALIBRATION_VERSION`] when written.
    pub version: u32,
    /// When it ran, seconds since the Unix epoch.
    pub created_unix: u64,
    /// Threads it measured parallel behaviour with.
    pub threads: usize,
    /// The graph it ran on.
    pub graph: String,
    /// The fitted constants.
    pub model: CostModel,
}

/// Where the constants the predictions use come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CostSource {
    /// A calibration run on this machine, at this Unix time.
    Calibrated(u64),
    /// [`CostModel::default`]: no (valid) calibration cache.
    Default,
}

impl CostSource {
    /// `calibrated 11:02` (UTC) or `default costs`.
    pub fn label(&self) -> String {
        match self {
            CostSource::Calibrated(at) => {
                let s = at % 86_400;
                format!("calibrated {:02}:{:02}", s / 3600, s / 60 % 60)
            }
            CostSource::Default => "default costs".to_owned(),
        }
    }
}

/// The cache file: `$XDG_CACHE_HOME/irtop/calibration.json`, else
/// `$HOME/.cache/irtop/calibration.json`; `None` when neither variable is set.
pub fn cache_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("irtop").join("calibration.json"))
}

/// The cached calibration, when there is one of this version.
pub fn load() -> Option<Calibration> {
    let text = std::fs::read(cache_path()?).ok()?;
    let c: Calibration = serde_json::from_slice(&text).ok()?;
    (c.version == CALIBRATION_VERSION).then_some(c)
}

/// Writes `c` to the cache; returns where.
pub fn save(c: &Calibration) -> std::io::Result<PathBuf> {
    let path = cache_path().ok_or_else(|| std::io::Error::other("neither XDG_CACHE_HOME nor HOME is set"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, serde_json::to_vec_pretty(c).map_err(std::io::Error::other)?)?;
    Ok(path)
}

/// The model predictions use: the cached calibration's (read once per process), else the
/// defaults.
pub fn active() -> &'static (CostModel, CostSource) {
    static ACTIVE: OnceLock<(CostModel, CostSource)> = OnceLock::new();
    ACTIVE.get_or_init(|| match load() {
        Some(c) => (c.model, CostSource::Calibrated(c.created_unix)),
        None => (CostModel::default(), CostSource::Default),
    })
}

/// Median seconds of `reps` calls of `f` after one warm-up call.
fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// The median over `reps` of `variant`'s time divided by `base`'s, the two run back to
/// back each time (after one warm-up of each): a ratio of neighbours in time, so a load
/// that comes and goes on a shared machine cancels out instead of landing on one side.
fn paired_ratio(reps: usize, mut base: impl FnMut(), mut variant: impl FnMut()) -> f64 {
    base();
    variant();
    let mut r: Vec<f64> = (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            base();
            let t1 = Instant::now();
            variant();
            let t2 = Instant::now();
            (t2 - t1).as_secs_f64() / (t1 - t0).as_secs_f64().max(1e-12)
        })
        .collect();
    r.sort_by(f64::total_cmp);
    r[r.len() / 2]
}

/// Runs the micro-benchmarks (a few seconds) on `threads` threads and fits the constants.
///
/// Sequential kernel times give the per-element rates; `threads` copies of a kernel at
/// once give the contention; the kernel split over `threads` threads gives its serial part
/// (Amdahl); empty rayon tasks give the spawn and barrier overheads. With one thread the
/// parallel constants keep their defaults. The per-chunk overhead is not measured.
///
/// # Complexity
/// A fixed number of kernel runs on a graph of 2^[`CALIBRATION_SCALE`] nodes.
pub fn calibrate(threads: usize) -> Result<Calibration, String> {
    let g = rmat(CALIBRATION_SCALE, 16, 7);
    let (n, m) = (g.node_count() as f64, g.edge_count() as f64);
    let mut model = CostModel::default();
    let reps = 7;
    let x = Value::float_map((0..g.node_count()).map(|i| (i % 97) as f64 * 0.5).collect());
    // Streaming kernels are timed on maps of 2^STREAM_SCALE nodes (64 MB, out of cache):
    // on maps that fit in cache they scale far better than benchmarks see.
    let big = 1usize << STREAM_SCALE;
    let bx = Value::float_map((0..big).map(|i| (i % 97) as f64 * 0.5).collect());
    let by = Value::float_map((0..big).map(|i| (i % 13) as f64 + 1.0).collect());
    let labels = Value::float_map((0..g.node_count()).map(|i| (i % 50) as f64).collect());
    let run = |k: &Kernel, inputs: &[&Value], g: &Graph, par: Par| {
        // Outputs go back to the buffer pool, as the executor's do after their last use.
        k.apply(inputs, g, par).map(|v| {
            if let Some(Value::Map(m)) = std::hint::black_box(v) {
                crate::exec::buffers::give(m.values);
            }
        })
    };
    let seq = |k: &Kernel, inputs: &[&Value]| -> Result<f64, String> {
        let mut err = Ok(());
        let t = time(reps, || {
            if let Err(e) = run(k, inputs, &g, Par::Seq) {
                err = Err(e);
            }
        });
        err.map(|()| t)
    };
    let mul = Kernel::Binary(BinOp::Mul);
    let gather = Kernel::NeighborAgg(Agg::Sum, false);
    let scalar_reps = 20_000;
    let t_scalar = time(reps, || {
        for _ in 0..scalar_reps {
            let _ = run(&Kernel::NodeCount, &[], &g, Par::Seq);
        }
    }) / scalar_reps as f64;
    // The executor's per-op bookkeeping (input lookups, an Arc, a span) dominates a scalar op.
    model.scalar_ns = (t_scalar * 1e9).max(1.0) + 200.0;
    let t_mul = seq(&mul, &[&bx, &by])?;
    model.stream_ns = t_mul * 1e9 / (3.0 * big as f64);
    model.attr_ns = seq(&Kernel::LoadAttr("w".into()), &[])? * 1e9 / n;
    model.reduce_ns = seq(&Kernel::Reduce(Agg::Sum), &[&x])? * 1e9 / n;
    let t_gather = seq(&gather, &[&x])?;
    model.gather_ns = ((t_gather * 1e9 - 2.0 * n * model.stream_ns) / m).max(0.01);
    model.mode_ns = seq(&Kernel::MapNodes(Agg::Mode, false), &[&labels])? * 1e9 / m;
    if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
        let p = threads as f64;
        let seq_run = |k: &Kernel, inputs: &[&Value]| {
            let _ = run(k, inputs, &g, Par::Seq);
        };
        let together = |k: &Kernel, inputs: &[&Value]| {
            pool.install(|| {
                rayon::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|_| seq_run(k, inputs));
                    }
                })
            })
        };
        let split = |k: &Kernel, inputs: &[&Value]| {
            pool.install(|| {
                let _ = run(k, inputs, &g, Par::Data);
            })
        };
        let par_reps = 15;
        let stream_in: &[&Value] = &[&bx, &by];
        let gather_in: &[&Value] = &[&x];
        let r_together = paired_ratio(par_reps, || seq_run(&mul, stream_in), || together(&mul, stream_in));
        model.contention_stream = ((r_together - 1.0) / (p - 1.0)).clamp(0.0, 2.0);
        let r_together = paired_ratio(par_reps, || seq_run(&gather, gather_in), || together(&gather, gather_in));
        model.contention_gather = ((r_together - 1.0) / (p - 1.0)).clamp(0.0, 2.0);
        let amdahl = |r: f64, c: f64| {
            let g = (1.0 + c * (p - 1.0)) / p;
            if g >= 1.0 { 0.0 } else { ((r - g) / (1.0 - g)).clamp(0.0, 1.0) }
        };
        let r_split = paired_ratio(par_reps, || seq_run(&mul, stream_in), || split(&mul, stream_in));
        model.serial_stream = amdahl(r_split, model.contention_stream);
        let r_split = paired_ratio(par_reps, || seq_run(&gather, gather_in), || split(&gather, gather_in));
        model.serial_gather = amdahl(r_split, model.contention_gather);
        let spawns = 2000;
        model.spawn_ns = time(reps, || {
            pool.install(|| {
                rayon::scope(|s| {
                    for _ in 0..spawns {
                        s.spawn(|_| {
                            std::hint::black_box(0);
                        });
                    }
                })
            })
        }) * 1e9
            / spawns as f64;
        let barriers = 500;
        model.barrier_ns = time(reps, || {
            pool.install(|| {
                for _ in 0..barriers {
                    rayon::join(|| std::hint::black_box(0), || std::hint::black_box(1));
                }
            })
        }) * 1e9
            / barriers as f64;
    }
    crate::exec::buffers::clear();
    let created_unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Ok(Calibration { version: CALIBRATION_VERSION, created_unix, threads, graph: g.source.clone(), model })
}
