//! Code the executor benchmarks share: the hand-written PageRank irtop is measured
//! against, and groggy's `pagerank_loop` IR compiled for running.

use std::path::Path;

use irtop::analysis::analyze;
use irtop::exec::{Graph, Program};
use rayon::prelude::*;

/// PageRank with sink redistribution, fused into one pass over nodes and one over edges per
/// iteration; `par` splits both passes over the rayon pool.
pub fn fused_pagerank(g: &Graph, iterations: usize, par: bool) -> Vec<f64> {
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

pub fn pagerank_program() -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pagerank_loop.json");
    let ir = irtop::ir::load_file(&path).expect("sample");
    let a = analyze(&ir);
    Program::compile(&ir, &a).expect("compiles")
}
