//! The executor against hand-written code on R-MAT scale 20 (1M nodes, 16.7M edges):
//! - `neighbor_agg` sum (irtop's kernel) vs a plain CSR pull loop;
//! - groggy's `pagerank_loop` IR (20 iterations) in `seq` vs a hand-written fused PageRank;
//! - the best parallel mode on 2 threads vs a hand-written rayon PageRank.
//!
//! `cargo bench --bench exec` (about 4 minutes). Set `IRTOP_BENCH_SCALE` for another scale.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use irtop::analysis::analyze;
use irtop::exec::kernel::{Agg, Par};
use irtop::exec::kernels::neighbor::neighbor_agg;
use irtop::exec::synthetic::rmat;
use irtop::exec::{Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Value};
use rayon::prelude::*;

/// The binary's allocator, so the executor is measured as `irtop bench` runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn scale() -> u32 {
    std::env::var("IRTOP_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(20)
}

/// Sum over in-neighbours, written the plain way.
fn pull_sum(g: &Graph, x: &[f64]) -> Vec<f64> {
    (0..g.node_count()).map(|v| g.in_neighbors(v).iter().map(|&u| x[u as usize]).sum()).collect()
}

/// PageRank with sink redistribution, fused into one pass over nodes and one over edges per
/// iteration; `par` splits both passes over the rayon pool.
fn fused_pagerank(g: &Graph, iterations: usize, par: bool) -> Vec<f64> {
    let n = g.node_count();
    let inv_deg: Vec<f64> = (0..n).map(|v| 1.0 / g.out_neighbors(v).len().max(1) as f64).collect();
    let is_sink: Vec<bool> = (0..n).map(|v| g.out_neighbors(v).is_empty()).collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut contrib = vec![0.0; n];
    for _ in 0..iterations {
        let sink: f64 = if par {
            contrib
                .par_iter_mut()
                .enumerate()
                .for_each(|(v, c)| *c = if is_sink[v] { 0.0 } else { rank[v] * inv_deg[v] });
            (0..n).into_par_iter().filter(|&v| is_sink[v]).map(|v| rank[v]).sum()
        } else {
            for v in 0..n {
                contrib[v] = if is_sink[v] { 0.0 } else { rank[v] * inv_deg[v] };
            }
            (0..n).filter(|&v| is_sink[v]).map(|v| rank[v]).sum()
        };
        let base = 0.15 / n as f64 + 0.85 * sink / n as f64;
        let pull = |v: usize| base + 0.85 * g.in_neighbors(v).iter().map(|&u| contrib[u as usize]).sum::<f64>();
        if par {
            rank.par_iter_mut().enumerate().for_each(|(v, r)| *r = pull(v));
        } else {
            for (v, r) in rank.iter_mut().enumerate() {
                *r = pull(v);
            }
        }
    }
    rank
}

fn pagerank_program() -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pagerank_loop.json");
    let ir = irtop::ir::load_file(&path).expect("sample");
    let a = analyze(&ir);
    Program::compile(&ir, &a).expect("compiles")
}

fn run(program: &Program, g: &Graph, mode: Mode) -> Vec<Option<std::sync::Arc<Value>>> {
    Scheduler(mode).run(program, g, &RunOptions { retain: Retain::Sinks, trace: false }).expect("runs").values
}

fn benches(c: &mut Criterion) {
    let g = rmat(scale(), 16, 1);
    let x: Vec<f64> = (0..g.node_count()).map(|v| (v % 7) as f64).collect();
    let xv = Value::float_map(x.clone());
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");

    let mut group = c.benchmark_group(format!("neighbor_sum_rmat{}", scale()));
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("hand_written_pull", |b| b.iter(|| black_box(pull_sum(&g, &x))));
    group.bench_function("irtop_kernel", |b| {
        b.iter(|| black_box(neighbor_agg(Agg::Sum, false, &xv, &g, Par::Seq).expect("kernel")))
    });
    group.finish();

    let program = pagerank_program();
    let mut group = c.benchmark_group(format!("pagerank20_rmat{}", scale()));
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("hand_written_fused_seq", |b| b.iter(|| black_box(fused_pagerank(&g, 20, false))));
    group.bench_function("irtop_ir_seq", |b| b.iter(|| one.install(|| black_box(run(&program, &g, Mode::SEQ)))));
    group.bench_function("hand_written_rayon_1_thread", |b| {
        b.iter(|| one.install(|| black_box(fused_pagerank(&g, 20, true))))
    });
    group.bench_function("hand_written_rayon_2_threads", |b| {
        b.iter(|| two.install(|| black_box(fused_pagerank(&g, 20, true))))
    });
    for mode in [Mode::ALL[3], Mode::ALL[4], Mode::ALL[5]] {
        group.bench_function(format!("irtop_ir_{}_2_threads", mode.name()), |b| {
            b.iter(|| two.install(|| black_box(run(&program, &g, mode))))
        });
    }
    group.finish();
}

criterion_group!(exec, benches);
criterion_main!(exec);
