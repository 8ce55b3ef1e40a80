//! irtop against the best plain Rust at every graph size, measured the way a noisy shared
//! machine allows: in each round every case runs, back to back (the hand-written code on one
//! thread and with rayon, irtop in `seq` and in every parallel mode), each timed on its second
//! of two runs in a row so that it starts from its own data in the cache rather than from
//! whatever the case before it left there; rounds repeat until a time budget is spent; times
//! are medians over rounds and speedups medians of each round's ratio, so a machine that slows
//! down between rounds moves both sides of a ratio.
//!
//! Cases (the targets of the executor's issue):
//! - `pagerank:S`: groggy's `pagerank_loop` IR, 20 iterations, on R-MAT scale S, edge factor
//!   16, against a hand-written PageRank (two fused passes per iteration).
//! - `eight_wide:S`: `samples/eight_wide.json` on R-MAT scale S, edge factor 1, against
//!   eight hand-written chains (chain by chain and node by node; the faster counts).
//!
//! `cargo bench --bench speedup` runs pagerank at 16, 18, 20 and eight_wide at 14, 16, 18,
//! 20 (about 5 minutes on 2 cores). `IRTOP_BENCH_CASES=pagerank:18,eight_wide:14` picks
//! cases, `IRTOP_BENCH_SECONDS` the budget per case (default 20), `IRTOP_BENCH_THREADS` the
//! threads (default: all cores).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

#[path = "common/eight_wide.rs"]
mod eight_wide;
#[path = "common/pagerank.rs"]
mod pagerank;

use irtop::exec::env::recycle;
use irtop::exec::synthetic::rmat;
use irtop::exec::{Executor, Mode, Program, Retain, RunOptions, Scheduler, Team};
use pagerank::{fused_pagerank, pagerank_program};

/// The binary's allocator, so the executor is measured as `irtop bench` runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MIN_ROUNDS: usize = 11;
const MAX_ROUNDS: usize = 301;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|s| !s.is_empty())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// The 25th and 75th percentiles.
fn quartiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.75))
}

fn program(sample: &str) -> Program {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(sample);
    let ir = irtop::ir::load_file(&path).expect("sample");
    Program::compile(&ir, &irtop::analysis::analyze(&ir)).expect("compiles")
}

/// One timed thing of a round.
struct Case<'a> {
    name: String,
    run: Box<dyn FnMut() + 'a>,
    times: Vec<f64>,
}

impl<'a> Case<'a> {
    fn new(name: impl Into<String>, run: impl FnMut() + 'a) -> Case<'a> {
        Case { name: name.into(), run: Box::new(run), times: Vec::new() }
    }
}

/// Per-round ratios `a / b`.
fn ratios(a: &Case, b: &Case) -> Vec<f64> {
    a.times.iter().zip(&b.times).map(|(x, y)| x / y).collect()
}

fn main() {
    let threads: usize = env("IRTOP_BENCH_THREADS")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
    let budget: f64 = env("IRTOP_BENCH_SECONDS").and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let cases = env("IRTOP_BENCH_CASES").unwrap_or_else(|| {
        "pagerank:16,pagerank:18,pagerank:20,eight_wide:14,eight_wide:16,eight_wide:18,eight_wide:20".into()
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let team = Arc::new(Team::new(threads).expect("team"));
    let seq = Scheduler::new(Mode::SEQ, 1).expect("seq");
    let parallel: Vec<Scheduler> =
        Mode::ALL.into_iter().filter(|m| !m.is_seq()).map(|m| Scheduler::with_team(m, Arc::clone(&team))).collect();
    let opts = RunOptions::keeping(Retain::Sinks);
    println!("irtop against hand-written Rust, {threads} threads, rounds interleaved, {budget} s per case");
    for case in cases.split(',') {
        let (kind, scale) = case.split_once(':').expect("cases look like pagerank:18");
        let scale: u32 = scale.parse().expect("a scale");
        let (sample, edge_factor) = match kind {
            "pagerank" => ("pagerank_loop.json", 16),
            "eight_wide" => ("eight_wide.json", 1),
            other => panic!("unknown case {other}"),
        };
        let g = rmat(scale, edge_factor, 1);
        let p = if kind == "pagerank" { pagerank_program() } else { program(sample) };
        let (g, p, opts, pool) = (&g, &p, &opts, &pool);
        let irtop = |s: &'static str, sch: &Scheduler| -> Case {
            let sch = sch.clone();
            // Results go back to the buffer pool, as `irtop bench` hands them back: the
            // hand-written code reuses its buffers too.
            Case::new(s, move || black_box(sch.run(p, g, opts).expect("runs")).values.into_iter().for_each(recycle))
        };
        let mut hand: Vec<Case> = Vec::new();
        let mut hand_par: Vec<Case> = Vec::new();
        if kind == "pagerank" {
            hand.push(Case::new("hand-written, 1 thread", move || drop(black_box(fused_pagerank(g, 20, false)))));
            hand_par.push(Case::new(format!("hand-written rayon, {threads} threads"), move || {
                pool.install(|| drop(black_box(fused_pagerank(g, 20, true))))
            }));
        } else {
            let n = g.node_count();
            let mut a = eight_wide::ByChain::new(n);
            let mut b = eight_wide::ByNode::new(n);
            let mut c = eight_wide::ByChain::new(n);
            let mut d = eight_wide::ByNode::new(n);
            hand.push(Case::new("hand-written by chain, 1 thread", move || {
                black_box(a.run(false).len());
            }));
            hand.push(Case::new("hand-written by node, 1 thread", move || {
                black_box(b.run(false).len());
            }));
            hand_par.push(Case::new(format!("hand-written by chain, rayon {threads}"), move || {
                pool.install(|| {
                    black_box(c.run(true).len());
                })
            }));
            hand_par.push(Case::new(format!("hand-written by node, rayon {threads}"), move || {
                pool.install(|| {
                    black_box(d.run(true).len());
                })
            }));
        }
        let mut ours = vec![irtop("irtop seq", &seq)];
        for s in &parallel {
            let name: &'static str = Box::leak(format!("irtop {}", s.mode()).into_boxed_str());
            ours.push(irtop(name, s));
        }
        let mut all: Vec<&mut Case> = hand.iter_mut().chain(hand_par.iter_mut()).chain(ours.iter_mut()).collect();
        let started = Instant::now();
        let mut rounds = 0;
        // One warm-up round, then rounds until the budget is spent.
        for round in 0.. {
            for c in all.iter_mut() {
                (c.run)();
                let t = Instant::now();
                (c.run)();
                if round > 0 {
                    c.times.push(t.elapsed().as_secs_f64());
                }
            }
            rounds = round;
            let spent = started.elapsed().as_secs_f64();
            if round >= MAX_ROUNDS || (round >= MIN_ROUNDS && spent > budget) {
                break;
            }
        }
        drop(all);
        println!(
            "\n{kind} on R-MAT {scale} (edge factor {edge_factor}: {} nodes, {} edges), {rounds} rounds",
            g.node_count(),
            g.edge_count()
        );
        let show = |c: &Case| {
            let (q1, q3) = quartiles(c.times.clone());
            println!(
                "  {:<40} median {:>10.3} ms   (IQR {:.3}-{:.3})",
                c.name,
                median(c.times.clone()) * 1e3,
                q1 * 1e3,
                q3 * 1e3
            );
        };
        hand.iter().chain(&hand_par).chain(&ours).for_each(show);
        // The fastest hand-written code on one thread and in parallel, by median.
        let fastest = |cs: &[Case]| -> usize {
            (0..cs.len())
                .min_by(|&a, &b| median(cs[a].times.clone()).total_cmp(&median(cs[b].times.clone())))
                .expect("a case")
        };
        let (hs, hp) = (&hand[fastest(&hand)], &hand_par[fastest(&hand_par)]);
        let hand_speedup = median(ratios(hs, hp));
        println!("  hand-written speedup: {hand_speedup:.2}x ({} over {})", hs.name, hp.name);
        let irtop_seq = &ours[0];
        let mut best = (0.0f64, String::new());
        let mut worst = f64::INFINITY;
        for c in &ours[1..] {
            let r = ratios(irtop_seq, c);
            let s = median(r.clone());
            let (q1, q3) = quartiles(r);
            println!(
                "  {:<40} speedup {:.2}x (IQR {:.2}-{:.2}) = {:.0}% of the hand-written speedup",
                c.name,
                s,
                q1,
                q3,
                100.0 * s / hand_speedup
            );
            if s > best.0 {
                best = (s, c.name.clone());
            }
            worst = worst.min(s);
        }
        let seq_ratio = median(ratios(irtop_seq, hs));
        let best_case = ours.iter().find(|c| c.name == best.1).expect("best");
        let par_ratio = median(ratios(best_case, hp));
        println!(
            "  summary: irtop seq {seq_ratio:.2}x the hand-written time; best mode ({}) {:.2}x the hand-written rayon time; \
             best speedup {:.0}% of hand-written's; slowest mode {worst:.2}x seq",
            best.1,
            par_ratio,
            100.0 * best.0 / hand_speedup
        );
    }
}
