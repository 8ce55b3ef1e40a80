//! Parallel speedup on 2 threads, irtop against hand-written rayon, measured the way a
//! noisy shared machine allows: the six runs of one repetition go back to back (hand-written
//! fused PageRank on one thread, the same on two, groggy's `pagerank_loop` IR in `seq` and
//! in each data-parallel mode on two), repetitions round-robin, and the speedups are
//! ratios of medians taken in this one run.
//!
//! `cargo bench --bench speedup` (about 2 minutes on R-MAT 20). `IRTOP_BENCH_SCALE` and
//! `IRTOP_BENCH_REPS` change the scale (default 20) and the repetitions (default 11).

use std::hint::black_box;
use std::time::Instant;

#[path = "common/pagerank.rs"]
mod pagerank;

use irtop::exec::synthetic::rmat;
use irtop::exec::{Executor, Mode, Retain, RunOptions, Scheduler};
use pagerank::{fused_pagerank, pagerank_program};

/// The binary's allocator, so the executor is measured as `irtop bench` runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let scale = env_or("IRTOP_BENCH_SCALE", 20) as u32;
    let reps = env_or("IRTOP_BENCH_REPS", 11).max(1);
    let g = rmat(scale, 16, 1);
    let program = pagerank_program();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let opts = RunOptions { retain: Retain::Sinks, trace: false, cancel: None };
    let (one, two, g, program, opts) = (&one, &two, &g, &program, &opts);
    let irtop = move |pool: &rayon::ThreadPool, mode: Mode| {
        pool.install(|| black_box(Scheduler(mode).run(program, g, opts).expect("runs")));
    };
    let data_modes: Vec<Mode> = Mode::ALL.into_iter().filter(|m| m.data).collect();
    let mut cases: Vec<(String, Box<dyn Fn() + '_>)> = vec![
        (
            "hand-written fused, 1 thread".into(),
            Box::new(|| one.install(|| drop(black_box(fused_pagerank(g, 20, false))))),
        ),
        (
            "hand-written rayon, 2 threads".into(),
            Box::new(|| two.install(|| drop(black_box(fused_pagerank(g, 20, true))))),
        ),
        ("irtop seq".into(), Box::new(move || irtop(one, Mode::SEQ))),
    ];
    for &m in &data_modes {
        cases.push((format!("irtop {}, 2 threads", m.name()), Box::new(move || irtop(two, m))));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for rep in 0..=reps {
        for (i, (_, run)) in cases.iter().enumerate() {
            let t = Instant::now();
            run();
            if rep > 0 {
                times[i].push(t.elapsed().as_secs_f64());
            }
        }
    }
    let med: Vec<f64> = times.into_iter().map(median).collect();
    println!(
        "PageRank, 20 iterations, R-MAT {scale} ({} nodes, {} edges), {reps} interleaved repetitions",
        g.node_count(),
        g.edge_count()
    );
    let hand = med[0] / med[1];
    for (i, (name, _)) in cases.iter().enumerate() {
        let speedup = match i {
            0 | 2 => String::new(),
            1 => format!("speedup {hand:.2}x over the hand-written fused one"),
            _ => {
                let s = med[2] / med[i];
                format!("speedup {s:.2}x over irtop seq = {:.0}% of the hand-written rayon speedup", 100.0 * s / hand)
            }
        };
        println!("{name:<34} median {:>8.1} ms  {speedup}", med[i] * 1e3);
    }
}
