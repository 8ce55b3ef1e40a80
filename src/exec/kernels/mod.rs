//! The kernels behind each op, grouped by how they touch the graph.

pub mod elementwise;
pub mod neighbor;
pub mod reduce;

use rayon::prelude::*;

use super::buffers;
use super::kernel::Par;

/// Nodes per task when a kernel runs data-parallel; also the fixed chunk of reductions,
/// so that every mode adds the same partial sums in the same order.
pub const CHUNK: usize = 4096;

/// `f(0), f(1), ..., f(n-1)`, on one thread or split over the rayon pool (for lists and
/// other non-numeric results; numbers go through [`tabulate_values`]).
pub fn tabulate<T: Send>(n: usize, par: Par, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    match par {
        Par::Seq => (0..n).map(f).collect(),
        Par::Data => (0..n).into_par_iter().with_min_len(CHUNK).map(f).collect(),
    }
}

/// `f(0), f(1), ..., f(n-1)` into a recycled buffer ([`crate::exec::buffers`]).
pub fn tabulate_values(n: usize, par: Par, f: impl Fn(usize) -> f64 + Sync + Send) -> Vec<f64> {
    let mut out = buffers::take(n);
    match par {
        Par::Seq => out.iter_mut().enumerate().for_each(|(i, o)| *o = f(i)),
        Par::Data => out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, chunk)| {
            let base = c * CHUNK;
            chunk.iter_mut().enumerate().for_each(|(j, o)| *o = f(base + j));
        }),
    }
    out
}

/// `f(x)` for each element, on one thread or split over the rayon pool.
pub fn map1(a: &[f64], par: Par, f: impl Fn(f64) -> f64 + Sync + Send) -> Vec<f64> {
    let mut out = buffers::take(a.len());
    match par {
        Par::Seq => out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x)),
        Par::Data => out
            .par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .for_each(|(o, a)| o.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x))),
    }
    out
}

/// `f(x, y)` for each pair of elements of two equally long slices.
pub fn map2(a: &[f64], b: &[f64], par: Par, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> Vec<f64> {
    let mut out = buffers::take(a.len().min(b.len()));
    match par {
        Par::Seq => out.iter_mut().zip(a).zip(b).for_each(|((o, &x), &y)| *o = f(x, y)),
        Par::Data => out
            .par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .zip(b.par_chunks(CHUNK))
            .for_each(|((o, a), b)| o.iter_mut().zip(a).zip(b).for_each(|((o, &x), &y)| *o = f(x, y))),
    }
    out
}

/// groggy's comparison epsilon: f64 machine epsilon.
pub const EPS: f64 = f64::EPSILON;
