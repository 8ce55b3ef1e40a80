//! The executor against hand-written code on R-MAT scale 20 (1M nodes, 16.7M edges):
//! - `neighbor_agg` sum (irtop's kernel) vs a plain CSR pull loop;
//! - groggy's `pagerank_loop` IR (20 iterations) in `seq` vs a hand-written fused PageRank;
//! - the best parallel mode on 2 threads vs a hand-written rayon PageRank.
//!
//! `cargo bench --bench exec` (about 4 minutes). Set `IRTOP_BENCH_SCALE` for another scale.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/pagerank.rs"]
mod pagerank;
use irtop::exec::kernel::{Agg, Kernel};
use irtop::exec::synthetic::rmat;
use irtop::exec::{Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Value};
use pagerank::{fused_pagerank, pagerank_program};

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

fn run(scheduler: &Scheduler, program: &Program, g: &Graph) -> Vec<Option<std::sync::Arc<Value>>> {
    scheduler.run(program, g, &RunOptions::keeping(Retain::Sinks)).expect("runs").values
}

fn benches(c: &mut Criterion) {
    let g = rmat(scale(), 16, 1);
    let x: Vec<f64> = (0..g.node_count()).map(|v| (v % 7) as f64).collect();
    let xv = [std::sync::Arc::new(Value::float_map(x.clone()))];
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let gather = Kernel::NeighborAgg(Agg::Sum, false);

    let mut group = c.benchmark_group(format!("neighbor_sum_rmat{}", scale()));
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("hand_written_pull", |b| b.iter(|| black_box(pull_sum(&g, &x))));
    group.bench_function("irtop_kernel", |b| b.iter(|| black_box(gather.apply(&xv, &g).expect("kernel"))));
    group.finish();

    let program = pagerank_program();
    let mut group = c.benchmark_group(format!("pagerank20_rmat{}", scale()));
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("hand_written_fused_seq", |b| b.iter(|| black_box(fused_pagerank(&g, 20, false))));
    let seq = Scheduler::new(Mode::SEQ, 1).expect("seq");
    group.bench_function("irtop_ir_seq", |b| b.iter(|| black_box(run(&seq, &program, &g))));
    group.bench_function("hand_written_rayon_1_thread", |b| {
        b.iter(|| one.install(|| black_box(fused_pagerank(&g, 20, true))))
    });
    group.bench_function("hand_written_rayon_2_threads", |b| {
        b.iter(|| two.install(|| black_box(fused_pagerank(&g, 20, true))))
    });
    for mode in [Mode::ALL[3], Mode::ALL[4], Mode::ALL[5]] {
        let s = Scheduler::new(mode, 2).expect("team");
        group.bench_function(format!("irtop_ir_{}_2_threads", mode.name()), |b| {
            b.iter(|| black_box(run(&s, &program, &g)))
        });
    }
    group.finish();
}

criterion_group!(exec, benches);
criterion_main!(exec);
