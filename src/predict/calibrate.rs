//! Calibration: micro-benchmarks of the real kernels on synthetic data (under a minute),
//! fitted into a [`CostModel`] and cached in the user's cache directory
//! (`$XDG_CACHE_HOME/irtop/calibration.json`, else `~/.cache/irtop/calibration.json`).
//! A cache of another [`CALIBRATION_VERSION`] is ignored.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cost_model::CostModel;
use super::probe::ParallelFit;
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, BinOp, Kernel};
use crate::exec::synthetic::rmat;
use crate::exec::value::Value;
use crate::exec::{Mode, Schedule, Scheduler};

/// Version of the cache file's format and of the benchmarks behind it.
pub const CALIBRATION_VERSION: u32 = 9;

/// Scale of the calibration graph (R-MAT, edge factor 16): maps of 2 MB, larger than a
/// typical L2 cache, like the graphs benchmarks run on.
pub const CALIBRATION_SCALE: u32 = 18;

/// Size (log2 of the node count) of the out-of-cache maps streaming kernels are calibrated
/// on: 64 MB, larger than any current last-level cache.
pub const STREAM_SCALE: u32 = 23;

/// Scale of the graph out-of-cache gathers are calibrated on (R-MAT, edge factor 2): 4 M
/// nodes, 32 MB of values read at random.
pub const GATHER_SCALE: u32 = 22;

/// Size (log2 of the node count) of the in-cache maps for a cache of `cache_bytes`: the
/// largest whose three maps take at most half the cache (2^19, 4 MB maps, for 32 MB), so
/// each call still takes about a millisecond and waking a worker does not dominate it.
pub fn cached_stream_scale(cache_bytes: f64) -> u32 {
    let nodes = cache_bytes / 2.0 / 24.0;
    (nodes.max(1.0).log2().floor() as u32).clamp(14, 22)
}

/// The last-level cache's size from Linux's sysfs (the highest cache index of CPU 0).
pub fn last_level_cache_bytes() -> Option<f64> {
    let dir = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
    let mut best: Option<(u32, f64)> = None;
    let read = |p: std::path::PathBuf| std::fs::read_to_string(p).ok().map(|s| s.trim().to_owned());
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let path = e.path();
        let Some(level) = read(path.join("level")).and_then(|l| l.parse::<u32>().ok()) else { continue };
        let Some(size) = read(path.join("size")).and_then(|s| parse_cache_size(&s)) else { continue };
        if best.is_none_or(|(l, _)| level > l) {
            best = Some((level, size));
        }
    }
    best.map(|(_, s)| s)
}

/// `32768K` or `32M` (sysfs's format) in bytes.
fn parse_cache_size(s: &str) -> Option<f64> {
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: f64 = digits.parse().ok()?;
    Some(match unit {
        "" => n,
        "K" => n * 1024.0,
        "M" => n * 1024.0 * 1024.0,
        _ => return None,
    })
}

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
    /// [`CostModel::default`]: no calibration cache.
    Default,
    /// [`CostModel::default`]: the calibration cache is there but unusable; why (`stream_ns
    /// is -1, not a time per element`).
    Ignored(String),
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
            CostSource::Ignored(why) => format!("default costs (calibration cache ignored: {why})"),
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

/// The cached calibration: `Ok(None)` when there is no cache, `Err(why)` when there is one
/// that cannot be used (unreadable, not a regular file, not JSON, another version, a
/// constant out of range: [`validate`]).
///
/// The file is opened without blocking and must be a regular file: a FIFO in its place
/// would otherwise stall `irtop bench` and the TUI's benchmarks.
pub fn load() -> Result<Option<Calibration>, String> {
    let Some(path) = cache_path() else { return Ok(None) };
    load_from(&path)
}

/// [`load`] from `path`.
pub fn load_from(path: &std::path::Path) -> Result<Option<Calibration>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let shown = path.display();
    let mut file = match std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(format!("{shown} is not a regular file")),
        Err(e) => return Err(format!("{shown}: {e}")),
    }
    let mut text = Vec::new();
    // A calibration is about 1 kB; a larger file is not one.
    Read::by_ref(&mut file).take(1 << 20).read_to_end(&mut text).map_err(|e| format!("{shown}: {e}"))?;
    let version = serde_json::from_slice::<serde_json::Value>(&text)
        .map_err(|e| format!("{shown} is not a calibration ({e})"))?
        .get("version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(CALIBRATION_VERSION)) {
        return Err(format!(
            "{shown} is from another version of irtop ({}, this one reads {CALIBRATION_VERSION})",
            version.map_or("no version".to_owned(), |v| format!("version {v}"))
        ));
    }
    let c: Calibration = serde_json::from_slice(&text).map_err(|e| format!("{shown} is not a calibration ({e})"))?;
    validate(&c.model).map_err(|why| format!("{shown}: {why}"))?;
    Ok(Some(c))
}

/// Checks that every constant is a number `irtop calibrate` can produce: rates and
/// overheads (`*_ns`) from 0 to 1 s, contentions from 0 to 100, serial fractions from 0 to 1,
/// a cache size from 1 byte to 1 TB. A cache edited by hand or damaged (`1e308`, `-1`) is
/// refused with the first constant out of range.
pub fn validate(model: &CostModel) -> Result<(), String> {
    let serde_json::Value::Object(fields) = serde_json::to_value(model).map_err(|e| e.to_string())? else {
        return Err("the constants are not an object".to_owned());
    };
    for (name, value) in &fields {
        // serde_json writes a non-finite float as null.
        let x = value.as_f64().unwrap_or(f64::NAN);
        let (range, what) = if name.ends_with("_ns") {
            (0.0..=1e9, "a time in nanoseconds from 0 to 1e9")
        } else if name.starts_with("serial") {
            (0.0..=1.0, "a fraction from 0 to 1")
        } else if name.contains("contention") {
            (0.0..=100.0, "a slowdown per thread from 0 to 100")
        } else if name == "cache_bytes" {
            (1.0..=1e12, "a cache size from 1 byte to 1e12")
        } else {
            (f64::MIN..=f64::MAX, "a finite number")
        };
        if !range.contains(&x) {
            return Err(format!("`{name}` is {value}, expected {what}; run `irtop calibrate` again"));
        }
    }
    Ok(())
}

/// Writes `c` to the cache; returns where. The file is replaced whole (a temporary file
/// renamed over it), so a reader sees the old calibration or the new one, never a part.
pub fn save(c: &Calibration) -> std::io::Result<PathBuf> {
    let path = cache_path().ok_or_else(|| std::io::Error::other("neither XDG_CACHE_HOME nor HOME is set"))?;
    save_to(c, &path)?;
    Ok(path)
}

/// [`save`] to `path`.
pub fn save_to(c: &Calibration, path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_vec_pretty(c).map_err(std::io::Error::other)?;
    crate::output_file::write_atomically(path, crate::output_file::Special::Replace, |w| w.write_all(&text))
}

/// The model predictions use: the cached calibration's (read once per process), else the
/// defaults, saying why when a cache is there but unusable ([`CostSource::Ignored`]).
pub fn active() -> &'static (CostModel, CostSource) {
    static ACTIVE: OnceLock<(CostModel, CostSource)> = OnceLock::new();
    ACTIVE.get_or_init(|| match load() {
        Ok(Some(c)) => (c.model, CostSource::Calibrated(c.created_unix)),
        Ok(None) => (CostModel::default(), CostSource::Default),
        Err(why) => (CostModel::default(), CostSource::Ignored(why)),
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

/// Stores a fitted rate and, when measured (more than one thread), the parallel fit in the
/// model's fields: rate, contention, split contention, serial part.
fn set_fit(fields: [&mut f64; 4], rate: f64, fit: Option<ParallelFit>) {
    let [r, c, sc, s] = fields;
    *r = rate;
    if let Some(f) = fit {
        (*c, *sc, *s) = (f.contention, f.split_contention, f.serial);
    }
}

/// Runs the micro-benchmarks (about ten seconds) on `threads` threads and fits the constants.
///
/// Sequential kernel times give the per-element rates; `threads` copies of a kernel at
/// once, each on its own data, give the contention; the kernel split over `threads`
/// threads gives its serial part (Amdahl) or, when it scales better than the copies, its
/// own split contention ([`ParallelFit::from_ratios`]); empty rayon tasks give the spawn and barrier
/// overheads. Streams are measured twice, on maps that fit in the last-level cache
/// ([`cached_stream_scale`]) and on maps that do not (2^[`STREAM_SCALE`]): on this
/// kind of machine one core can take most of the memory bandwidth, so the two scale very
/// differently. With one thread the parallel constants keep their defaults. The per-chunk
/// overhead is set to 0: the split measurements include it, and counting it again made
/// every data-parallel prediction low.
///
/// # Complexity
/// A fixed number of kernel runs on a graph of 2^[`CALIBRATION_SCALE`] nodes and on maps
/// of 2^[`STREAM_SCALE`] nodes (about 1 GB of memory for a moment).
///
/// `progress` hears each phase as it starts, with the fraction of the phases done.
pub fn calibrate(threads: usize, progress: &dyn Fn(&str, f64)) -> Result<Calibration, String> {
    let phases = 6.0;
    progress("building the calibration graph and timing the scalar and per-node kernels", 0.0);
    let g = rmat(CALIBRATION_SCALE, 16, 7);
    let (n, m) = (g.node_count() as f64, g.edge_count() as f64);
    let threads = threads.max(1);
    let mut model = CostModel {
        cache_bytes: last_level_cache_bytes().unwrap_or(CostModel::default().cache_bytes),
        ..CostModel::default()
    };
    let reps = 7;
    let map = |len: usize, salt: usize| {
        Arc::new(Value::float_map((0..len).map(|i| ((i + salt) % 97) as f64 * 0.5 + 1.0).collect()))
    };
    // One input set per thread, so that concurrent copies do not share cache lines.
    let xs: Vec<Arc<Value>> = (0..threads).map(|t| map(g.node_count(), t)).collect();
    let labels = Arc::new(Value::float_map((0..g.node_count()).map(|i| (i % 50) as f64).collect()));
    let run = |k: &Kernel, inputs: &[Arc<Value>], g: &Graph| {
        // Outputs go back to the buffer pool, as the executor's do after their last use.
        k.apply(inputs, g).map(|v| {
            if let Some(Value::Map(m)) = std::hint::black_box(v) {
                crate::exec::buffers::give(m.values);
            }
        })
    };
    let seq = |k: &Kernel, inputs: &[Arc<Value>], g: &Graph| -> Result<f64, String> {
        let mut err = Ok(());
        let t = time(reps, || {
            if let Err(e) = run(k, inputs, g) {
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
            let _ = run(&Kernel::NodeCount, &[], &g);
        }
    }) / scalar_reps as f64;
    // The executor's per-op bookkeeping (input lookups, an Arc, a span) dominates a scalar op.
    model.scalar_ns = (t_scalar * 1e9).max(1.0) + 200.0;
    model.attr_ns = seq(&Kernel::LoadAttr("w".into()), &[], &g)? * 1e9 / n;
    model.reduce_ns = seq(&Kernel::Reduce(Agg::Sum), std::slice::from_ref(&xs[0]), &g)? * 1e9 / n;
    model.mode_ns = seq(&Kernel::MapNodes(Agg::Mode, false), &[labels], &g)? * 1e9 / m;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    let split =
        Scheduler::new(Mode { schedule: Schedule::Sequential, data: true }, threads).map_err(|e| e.to_string())?;
    // (seq time, parallel fit) of `k` on `inputs[t]` for thread t.
    let parallel = |k: &Kernel, inputs: &[Vec<Arc<Value>>], g: &Graph| -> Result<(f64, Option<ParallelFit>), String> {
        let t_seq = seq(k, &inputs[0], g)?;
        if threads == 1 {
            return Ok((t_seq, None));
        }
        // The probe's samples: copies at once, the kernel split (see `probe::ratios`), on
        // maps large enough that the overheads, measured after these, do not matter.
        let none = crate::exec::simulated_run::Overheads::NONE;
        let samples: Vec<_> = (0..15).map(|_| super::probe::ratios(k, inputs, g, &pool, &split, &none)).collect();
        Ok((t_seq, Some(ParallelFit::of_samples(&samples, threads))))
    };
    for (k, (scale, cached)) in
        [(cached_stream_scale(model.cache_bytes), true), (STREAM_SCALE, false)].into_iter().enumerate()
    {
        let what = if cached { "in cache" } else { "out of cache" };
        progress(&format!("element-wise streams {what}"), (1 + k) as f64 / phases);
        let len = 1usize << scale;
        let inputs: Vec<Vec<Arc<Value>>> = (0..threads).map(|t| vec![map(len, t), map(len, t + 7)]).collect();
        let (t, fit) = parallel(&mul, &inputs, &g)?;
        let m = &mut model;
        let fields = if cached {
            [
                &mut m.stream_cached_ns,
                &mut m.contention_stream_cached,
                &mut m.split_contention_stream_cached,
                &mut m.serial_stream_cached,
            ]
        } else {
            [&mut m.stream_ns, &mut m.contention_stream, &mut m.split_contention_stream, &mut m.serial_stream]
        };
        set_fit(fields, t * 1e9 / (3.0 * len as f64), fit);
        crate::exec::buffers::clear();
    }
    // Gathers: values that fit in the cache (the calibration graph) and values that do not
    // (2^GATHER_SCALE nodes, a few random reads per node).
    progress("gathers over edges in cache", 3.0 / phases);
    let big = rmat(GATHER_SCALE, 2, 7);
    let big_xs: Vec<Arc<Value>> = (0..threads).map(|t| map(big.node_count(), t)).collect();
    for (graph, xs, cached) in [(&g, &xs, true), (&big, &big_xs, false)] {
        if !cached {
            progress("gathers over edges out of cache", 4.0 / phases);
        }
        let inputs: Vec<Vec<Arc<Value>>> = xs.iter().map(|x| vec![Arc::clone(x)]).collect();
        let (t_gather, fit) = parallel(&gather, &inputs, graph)?;
        let (gn, gm) = (graph.node_count() as f64, graph.edge_count() as f64);
        let stream = if model.cached(1, graph.node_count()) { model.stream_cached_ns } else { model.stream_ns };
        let ns = ((t_gather * 1e9 - 2.0 * gn * stream) / gm).max(0.01);
        let m = &mut model;
        let fields = if cached {
            [
                &mut m.gather_cached_ns,
                &mut m.contention_gather_cached,
                &mut m.split_contention_gather_cached,
                &mut m.serial_gather_cached,
            ]
        } else {
            [&mut m.gather_ns, &mut m.contention_gather, &mut m.split_contention_gather, &mut m.serial_gather]
        };
        set_fit(fields, ns, fit);
    }
    drop((big, big_xs));
    crate::exec::buffers::clear();
    if threads > 1 {
        progress("recruiting and waking threads, splitting an op", 5.0 / phases);
        let team = crate::exec::Team::new(threads).map_err(|e| e.to_string())?;
        // On a shared machine a batch can land while another process holds the other core
        // for its time slice (milliseconds): the lowest of a few batches' medians is the
        // machine's own cost, and the probe measures the load during a benchmark.
        let (mut recruit, mut wake) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            recruit.extend(crate::exec::engine::measure_recruit(&team, 20, COLD_IDLE));
            wake.push(crate::exec::engine::measure_wake(20));
        }
        let lowest = |xs: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| xs.iter().map(f).reduce(f64::min);
        if let Some(r) = lowest(&recruit, |r| r.0) {
            model.recruit_ns = r * 1e9;
        }
        if let Some(w) = lowest(&wake, |w| w.0) {
            model.wake_ns = w * 1e9;
        }
        // The calls themselves: what the thread that offers work pays for each thread it
        // recruits or wakes.
        if let Some(c) = lowest(&recruit, |r| r.1) {
            model.recruit_call_ns = c * 1e9;
        }
        if let Some(c) = lowest(&wake, |w| w.1) {
            model.wake_call_ns = c * 1e9;
        }
        measure_warm_recruit(&team, &mut model);
        model.split_ns = measure_split(threads, model.recruit_ns * 1e-9)? * 1e9;
    }
    crate::exec::buffers::clear();
    let created_unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Ok(Calibration { version: CALIBRATION_VERSION, created_unix, threads, graph: g.source.clone(), model })
}

/// How long the pool sits idle before a cold recruitment: well past any spin, so its worker
/// sleeps, as between two runs of a benchmark whose runs take milliseconds.
const COLD_IDLE: Duration = Duration::from_micros(300);

/// Idle times at which a recruitment is timed to find how long a pool worker stays awake.
const IDLE_STEPS_US: [u64; 12] = [0, 5, 10, 15, 20, 30, 40, 60, 80, 120, 160, 240];

/// Times recruitment right after the pool's last work (`warm_recruit_ns`, its call), and
/// after each of [`IDLE_STEPS_US`]: the warm window is the longest idle time up to which
/// every step still recruited closer to the warm latency than to `model.recruit_ns`.
fn measure_warm_recruit(team: &crate::exec::Team, model: &mut CostModel) {
    let mut steps: Vec<(f64, f64)> = Vec::with_capacity(IDLE_STEPS_US.len());
    for us in IDLE_STEPS_US {
        let idle = Duration::from_micros(us);
        // The lowest of three batches' medians, as for the cold costs.
        let batches: Vec<(f64, f64)> =
            (0..3).filter_map(|_| crate::exec::engine::measure_recruit(team, 20, idle)).collect();
        let (Some(latency), Some(call)) =
            (batches.iter().map(|b| b.0).reduce(f64::min), batches.iter().map(|b| b.1).reduce(f64::min))
        else {
            return;
        };
        steps.push((latency * 1e9, call * 1e9));
    }
    let (warm, warm_call) = steps[0];
    // A worker still awake both joins sooner and costs no system call to wake.
    let (midpoint, call_midpoint) = ((warm + model.recruit_ns) / 2.0, (warm_call + model.recruit_call_ns) / 2.0);
    let awake = steps.iter().take_while(|s| s.0 < midpoint && s.1 < call_midpoint).count();
    model.warm_recruit_ns = warm.min(model.recruit_ns);
    model.warm_recruit_call_ns = warm_call.min(model.recruit_call_ns);
    model.warm_window_ns = match awake {
        0 => 0.0,
        n => IDLE_STEPS_US[n - 1] as f64 * 1e3,
    };
}

/// Ops in the chain [`measure_split`] runs.
const SPLIT_STEPS: usize = 32;

/// An IR of `steps` multiplications in a chain, each reading the one before.
fn chain_ir(steps: usize) -> String {
    let mut nodes = vec![
        r#"{"id":"n0","op_type":"init_nodes","inputs":[],"output":"v0","metadata":{"default":1.0}}"#.to_owned(),
        r#"{"id":"c","op_type":"constant","inputs":[],"output":"c","metadata":{"value":1.0001}}"#.to_owned(),
    ];
    for k in 1..=steps {
        nodes.push(format!(
            r#"{{"id":"n{k}","op_type":"mul","inputs":["v{}","c"],"output":"v{k}","metadata":{{}}}}"#,
            k - 1
        ));
    }
    format!(r#"{{"nodes":[{}]}}"#, nodes.join(","))
}

/// Seconds a split costs each thread beyond its share of the work, on the executor as it
/// runs: a chain of [`SPLIT_STEPS`] unfused multiplications over one chunk per thread
/// (in cache, so contention is small), split over `threads`, against the same chain in
/// seq; interleaved, medians. The run's one recruitment (`recruit_s`) is taken out.
fn measure_split(threads: usize, recruit_s: f64) -> Result<f64, String> {
    use crate::exec::Executor;
    let ir = crate::ir::load_bytes(chain_ir(SPLIT_STEPS).as_bytes(), std::path::Path::new("<calibration>"))
        .map_err(|e| e.to_string())?;
    let analysis = crate::analysis::analyze(&ir);
    let program = crate::exec::program::Program::compile(&ir, &analysis).map_err(|e| e.to_string())?;
    let g = crate::exec::synthetic::uniform(threads * crate::exec::kernels::CHUNK, 0, 7);
    let team = Arc::new(crate::exec::Team::new(threads).map_err(|e| e.to_string())?);
    let seq = Scheduler::with_team(Mode::SEQ, Arc::clone(&team));
    let split = Scheduler::with_team(Mode { schedule: Schedule::Sequential, data: true }, team);
    let options =
        crate::exec::RunOptions { fuse: false, ..crate::exec::RunOptions::keeping(crate::exec::Retain::Sinks) };
    let (mut t_seq, mut t_split) = (Vec::new(), Vec::new());
    for round in 0..60 {
        for (exec, times) in [(&seq, &mut t_seq), (&split, &mut t_split)] {
            let t0 = std::time::Instant::now();
            let out = exec.run(&program, &g, &options).map_err(|e| e.to_string())?;
            let took = t0.elapsed().as_secs_f64();
            out.values.into_iter().for_each(crate::exec::env::recycle);
            if round > 0 {
                times.push(took);
            }
        }
    }
    let (s, p) = (crate::exec::bench::stats::median(t_seq), crate::exec::bench::stats::median(t_split));
    // The recruitment is a thread's wake-up, which a time slice elsewhere can stretch far
    // beyond the chain itself: never take out more than the split run's excess.
    Ok(((p - recruit_s - s / threads as f64) / SPLIT_STEPS as f64).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::{cached_stream_scale, parse_cache_size};

    #[test]
    fn cached_maps_take_at_most_half_the_cache() {
        assert_eq!(cached_stream_scale(32.0 * 1024.0 * 1024.0), 19);
        assert_eq!(cached_stream_scale(8.0 * 1024.0 * 1024.0), 17);
        assert_eq!(cached_stream_scale(0.0), 14);
    }

    #[test]
    fn sysfs_cache_sizes() {
        assert_eq!(parse_cache_size("32768K"), Some(32.0 * 1024.0 * 1024.0));
        assert_eq!(parse_cache_size("2M"), Some(2.0 * 1024.0 * 1024.0));
        assert_eq!(parse_cache_size("512"), Some(512.0));
        assert_eq!(parse_cache_size("lots"), None);
    }
}
