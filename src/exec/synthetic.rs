//! Seeded synthetic graphs for runs and benchmarks: Graph500-style R-MAT (skewed, power-law
//! like degrees) and uniform random edges.
//!
//! Edges are generated in fixed-size chunks in parallel, each chunk with its own RNG keyed
//! by `(seed, chunk index)`, so a graph depends only on its parameters and seed, never on
//! the thread count. (It does depend on the `rand` version's `StdRng` and on
//! `CHUNK_EDGES`: changing either changes the graphs.)
//!
//! # Complexity
//! O(E · scale) for R-MAT and O(E) for uniform (divided across threads), plus O(V + E)
//! for [`Graph::from_edges`].

use std::collections::TryReserveError;

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng, rngs::StdRng};
use rayon::prelude::*;

use super::Graph;

/// R-MAT quadrant probabilities (Graph500): top-left, top-right, bottom-left; d = 1 - a - b - c.
const RMAT_A: f64 = 0.57;
const RMAT_B: f64 = 0.19;
const RMAT_C: f64 = 0.19;

/// Edges generated per chunk (per RNG). Part of what a seed means: keep it fixed.
const CHUNK_EDGES: usize = 1 << 16;

/// RNG streams, so the permutation and the edge chunks never share a key.
const STREAM_EDGES: u64 = 0;
const STREAM_PERMUTATION: u64 = 1;

/// Graph500-style R-MAT graph: `2^scale` nodes and `edge_factor * 2^scale` directed edges,
/// each placed by recursively choosing a quadrant of the adjacency matrix with
/// probabilities a = 0.57, b = 0.19, c = 0.19, d = 0.05. Self loops and duplicate edges are
/// kept, as in Graph500; node ids are then relabelled by a seeded random permutation so
/// that degree is not correlated with id. `source` is `rmat:SCALE:EF:seed=S`.
///
/// Panics if `scale > 31` (ids must fit below `u32::MAX`) or the edge count exceeds `u32::MAX`.
pub fn rmat(scale: u32, edge_factor: u32, seed: u64) -> Graph {
    try_rmat(scale, edge_factor, seed).expect("memory for the graph")
}

/// [`rmat`] with its arrays reserved fallibly: an `Err` when the allocator cannot give the
/// memory (instead of aborting the process).
pub(crate) fn try_rmat(scale: u32, edge_factor: u32, seed: u64) -> Result<Graph, TryReserveError> {
    assert!(scale <= 31, "rmat: scale {scale} is above 31; ids must fit in a u32");
    let nodes = 1usize << scale;
    let edge_count = (edge_factor as usize).checked_mul(nodes).filter(|&m| m <= u32::MAX as usize);
    let edge_count = edge_count.unwrap_or_else(|| panic!("rmat: {edge_factor} * 2^{scale} edges is above u32::MAX"));

    // Thresholds on a uniform u32: one draw picks the quadrant at each level.
    let threshold = |p: f64| (p * 4_294_967_296.0) as u64;
    let t_a = threshold(RMAT_A);
    let t_ab = threshold(RMAT_A + RMAT_B);
    let t_abc = threshold(RMAT_A + RMAT_B + RMAT_C);

    let mut permutation: Vec<u32> = Vec::new();
    permutation.try_reserve_exact(nodes)?;
    permutation.extend(0..nodes as u32);
    permutation.shuffle(&mut chunk_rng(seed, STREAM_PERMUTATION, 0));

    let edges = generate(edge_count, seed, |rng| {
        let (mut u, mut v) = (0u32, 0u32);
        let mut bits = 0u64;
        for level in 0..scale {
            // Two 32-bit draws per u64.
            if level.is_multiple_of(2) {
                bits = rng.next_u64();
            } else {
                bits >>= 32;
            }
            let r = bits & 0xFFFF_FFFF;
            // Branch-free quadrant: a = (0, 0), b = (0, 1), c = (1, 0), d = (1, 1).
            let du = u32::from(r >= t_ab);
            let dv = u32::from(r >= t_a && r < t_ab) | u32::from(r >= t_abc);
            u = (u << 1) | du;
            v = (v << 1) | dv;
        }
        (permutation[u as usize], permutation[v as usize])
    })?;
    drop(permutation);
    Graph::try_from_edges(nodes, &edges, None, format!("rmat:{scale}:{edge_factor}:seed={seed}"))
}

/// `edges` directed edges with both endpoints drawn uniformly from `0..nodes` (self loops
/// and duplicates possible): the unskewed baseline. `source` is `uniform:N:M:seed=S`.
///
/// Panics if `nodes` is above `u32::MAX`, `edges` above `u32::MAX`, or `nodes` is 0 while
/// `edges` is not.
pub fn uniform(nodes: usize, edges: usize, seed: u64) -> Graph {
    try_uniform(nodes, edges, seed).expect("memory for the graph")
}

/// [`uniform`] with its arrays reserved fallibly.
pub(crate) fn try_uniform(nodes: usize, edges: usize, seed: u64) -> Result<Graph, TryReserveError> {
    assert!(nodes <= u32::MAX as usize, "uniform: {nodes} nodes is above u32::MAX");
    assert!(edges <= u32::MAX as usize, "uniform: {edges} edges is above u32::MAX");
    assert!(nodes > 0 || edges == 0, "uniform: edges need at least one node");
    let n = nodes as u32;
    let list = generate(edges, seed, |rng| (rng.random_range(0..n), rng.random_range(0..n)))?;
    Graph::try_from_edges(nodes, &list, None, format!("uniform:{nodes}:{edges}:seed={seed}"))
}

/// `count` edges from `edge`, filled in parallel chunks of [`CHUNK_EDGES`], chunk `i`
/// drawing from its own RNG keyed by `(seed, i)`.
fn generate(
    count: usize,
    seed: u64,
    edge: impl Fn(&mut StdRng) -> (u32, u32) + Sync,
) -> Result<Vec<(u32, u32)>, TryReserveError> {
    let mut edges = super::graph::try_filled(count, (0u32, 0u32))?;
    edges.par_chunks_mut(CHUNK_EDGES).enumerate().for_each(|(chunk, slice)| {
        let mut rng = chunk_rng(seed, STREAM_EDGES, chunk as u64);
        for e in slice {
            *e = edge(&mut rng);
        }
    });
    Ok(edges)
}

/// An RNG whose key is `(seed, stream, index)` verbatim: distinct triples, distinct streams.
fn chunk_rng(seed: u64, stream: u64, index: u64) -> StdRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&stream.to_le_bytes());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    StdRng::from_seed(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_degrees(g: &Graph) -> Vec<usize> {
        (0..g.node_count()).map(|v| g.in_neighbors(v).len()).collect()
    }

    #[test]
    fn counts_and_sources() {
        let g = rmat(10, 8, 3);
        assert_eq!((g.node_count(), g.edge_count()), (1024, 8192));
        assert_eq!(g.source, "rmat:10:8:seed=3");
        assert!(!g.has_weights());
        let g = uniform(1000, 5000, 4);
        assert_eq!((g.node_count(), g.edge_count()), (1000, 5000));
        assert_eq!(g.source, "uniform:1000:5000:seed=4");
        let g = uniform(0, 0, 1);
        assert_eq!((g.node_count(), g.edge_count()), (0, 0));
        // More than one chunk, and a partial last chunk.
        let g = uniform(7, CHUNK_EDGES * 2 + 5, 1);
        assert_eq!(g.edge_count(), CHUNK_EDGES * 2 + 5);
    }

    #[test]
    fn same_seed_same_graph_different_seed_different_graph() {
        assert_eq!(rmat(10, 16, 1), rmat(10, 16, 1));
        assert_ne!(rmat(10, 16, 1).in_neighbors(0), rmat(10, 16, 2).in_neighbors(0));
        assert_eq!(uniform(500, 100_000, 1), uniform(500, 100_000, 1));
        assert_ne!(uniform(500, 100_000, 1).out_neighbors(0), uniform(500, 100_000, 2).out_neighbors(0));
    }

    #[test]
    fn independent_of_thread_count() {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| (rmat(12, 16, 7), uniform(1000, 200_000, 7)))
        };
        assert_eq!(run(1), run(3));
    }

    #[test]
    fn rmat_degrees_are_skewed_and_uncorrelated_with_id() {
        let g = rmat(12, 16, 1);
        let deg = in_degrees(&g);
        let mean = g.edge_count() as f64 / g.node_count() as f64;
        let max = *deg.iter().max().unwrap() as f64;
        assert!(max > 20.0 * mean, "max in-degree {max} vs mean {mean}");
        // Uniform edges at the same size stay close to the mean.
        let u = uniform(4096, 65536, 1);
        let umax = *in_degrees(&u).iter().max().unwrap() as f64;
        assert!(umax < 4.0 * mean, "uniform max in-degree {umax} vs mean {mean}");
        // Without the permutation the low half of the ids would get a + c = 76% of the
        // in-edges; with it, about half.
        let low: usize = deg[..g.node_count() / 2].iter().sum();
        let share = low as f64 / g.edge_count() as f64;
        assert!((0.3..0.7).contains(&share), "low-id share of in-edges {share}");
    }
}
