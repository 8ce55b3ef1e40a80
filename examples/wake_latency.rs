//! What waking a worker costs on this machine, the reason irtop's runs keep their threads
//! in the run instead of entering a rayon pool per op (see `src/exec/team.rs`).
//!
//! Measures, after idle gaps of 0 µs to 5 ms: a `rayon::join` inside a two-thread pool
//! whose second half must be stolen by the other worker; `pool.install` from outside the
//! pool; and the same small split op run by irtop's scheduler (`data` mode, 2 threads) on
//! 16 chunks. Medians of 200 tries each.
//!
//! `cargo run --release --example wake_latency`

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use irtop::exec::kernel::{BinOp, Kernel};
use irtop::exec::synthetic::uniform;
use irtop::exec::{Mode, Schedule, Scheduler, Value};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn busy(d: Duration) {
    let t = Instant::now();
    while t.elapsed() < d {
        std::hint::spin_loop();
    }
}

fn main() {
    let tries = 200;
    let gaps = [0u64, 10, 50, 100, 1000, 5000];
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    println!(
        "{:>8}  {:>22}  {:>22}  {:>26}",
        "idle gap", "rayon join (stolen)", "rayon install", "irtop split op (data, 2)"
    );
    let n = 16 * 4096;
    let g = uniform(n, 0, 1);
    let x = Arc::new(Value::float_map((0..n).map(|i| i as f64).collect()));
    let inputs = [Arc::clone(&x), Arc::new(Value::float(2.0))];
    let data = Scheduler::new(Mode { schedule: Schedule::Sequential, data: true }, 2).expect("team");
    let seq = Scheduler::new(Mode::SEQ, 1).expect("seq");
    let mul = Kernel::Binary(BinOp::Mul);
    for gap in gaps {
        let gap = Duration::from_micros(gap);
        let join = pool.install(|| {
            median(
                (0..tries)
                    .map(|_| {
                        busy(gap);
                        let done = AtomicBool::new(false);
                        let t = Instant::now();
                        rayon::join(
                            || {
                                let t1 = Instant::now();
                                while !done.load(Ordering::Acquire) && t1.elapsed() < Duration::from_micros(500) {
                                    std::hint::spin_loop();
                                }
                            },
                            || done.store(true, Ordering::Release),
                        );
                        t.elapsed().as_secs_f64() * 1e6
                    })
                    .collect(),
            )
        });
        let install = median(
            (0..tries)
                .map(|_| {
                    busy(gap);
                    let t = Instant::now();
                    pool.install(|| black_box(1));
                    t.elapsed().as_secs_f64() * 1e6
                })
                .collect(),
        );
        let time = |s: &Scheduler| {
            median(
                (0..tries)
                    .map(|_| {
                        busy(gap);
                        let t = Instant::now();
                        black_box(s.run_kernel(&mul, &inputs, &g).expect("runs"));
                        t.elapsed().as_secs_f64() * 1e6
                    })
                    .collect(),
            )
        };
        let (split, alone) = (time(&data), time(&seq));
        println!(
            "{:>6} µs  {:>19.1} µs  {:>19.1} µs  {:>9.1} µs (1 thread {:>5.1} µs)",
            gap.as_micros(),
            join,
            install,
            split,
            alone
        );
    }
}
