//! Runs one sample many times in one mode, for a profiler (a development aid).
//!
//! `cargo run --release --example profile_run -- samples/eight_wide.json 14 1 seq 2000`
//! (sample, R-MAT scale, edge factor, mode, runs; results recycled as `irtop bench` does).

use irtop::exec::env::recycle;
use irtop::exec::synthetic::rmat;
use irtop::exec::{Executor, Mode, Program, Retain, RunOptions, Scheduler};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, d: &str| args.get(i).cloned().unwrap_or_else(|| d.to_owned());
    let ir = irtop::ir::load_file(std::path::Path::new(&arg(1, "samples/eight_wide.json"))).expect("loads");
    let program = Program::compile(&ir, &irtop::analysis::analyze(&ir)).expect("compiles");
    let g = rmat(arg(2, "14").parse().expect("scale"), arg(3, "1").parse().expect("edge factor"), 1);
    let mode: Mode = arg(4, "seq").parse().expect("mode");
    let runs: usize = arg(5, "2000").parse().expect("runs");
    let s = Scheduler::new(mode, 2).expect("threads");
    let t = std::time::Instant::now();
    for _ in 0..runs {
        s.run(&program, &g, &RunOptions::keeping(Retain::Sinks)).expect("runs").values.into_iter().for_each(recycle);
    }
    println!("{:.1} µs per run", t.elapsed().as_secs_f64() * 1e6 / runs as f64);
}
