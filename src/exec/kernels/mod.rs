//! The kernels behind each op, grouped by how they touch the graph.

pub mod elementwise;
pub mod neighbor;
pub mod reduce;

use rayon::prelude::*;

use super::kernel::Par;

/// Nodes per task when a kernel runs data-parallel; also the fixed chunk of reductions,
/// so that every mode adds the same partial sums in the same order.
pub const CHUNK: usize = 4096;

/// `f(0), f(1), ..., f(n-1)`, on one thread or split over the rayon pool.
pub fn tabulate<T: Send>(n: usize, par: Par, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    match par {
        Par::Seq => (0..n).map(f).collect(),
        Par::Data => (0..n).into_par_iter().with_min_len(CHUNK).map(f).collect(),
    }
}

/// `f(x)` for each element, on one thread or split over the rayon pool.
pub fn map1(a: &[f64], par: Par, f: impl Fn(f64) -> f64 + Sync + Send) -> Vec<f64> {
    match par {
        Par::Seq => a.iter().map(|&x| f(x)).collect(),
        Par::Data => a.par_iter().with_min_len(CHUNK).map(|&x| f(x)).collect(),
    }
}

/// `f(x, y)` for each pair of elements of two equally long slices.
pub fn map2(a: &[f64], b: &[f64], par: Par, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> Vec<f64> {
    match par {
        Par::Seq => a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect(),
        Par::Data => a.par_iter().zip(b).with_min_len(CHUNK).map(|(&x, &y)| f(x, y)).collect(),
    }
}

/// groggy's comparison epsilon: f64 machine epsilon.
pub const EPS: f64 = f64::EPSILON;
