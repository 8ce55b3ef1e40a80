//! Reductions over all nodes and the normalisations built on them.
//!
//! Sums run over fixed chunks of [`CHUNK`](super::CHUNK) nodes whose partial results are
//! combined in chunk order, on one thread or many: every mode gets the same bits.
//!
//! # Complexity
//! O(V) work, O(V / threads + V / CHUNK) time split over threads.

use std::sync::{Arc, Mutex};

use super::work::{ChunkedMap, KernelError, NodePass, PerChunk, chunk_count, chunk_range};
use crate::exec::kernel::{Agg, Norm};
use crate::exec::value::Value;

/// A chunk's partial results: (sum, min, max).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Partial {
    /// Sum of the values, added in node order from 0.0.
    pub sum: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Partial {
    /// Nothing summed yet.
    pub(crate) const EMPTY: Partial = Partial { sum: 0.0, min: f64::INFINITY, max: f64::NEG_INFINITY };

    /// Adds `values`, in order.
    #[inline]
    pub(crate) fn add_all(self, values: &[f64]) -> Partial {
        values.iter().fold(self, |p, &x| Partial { sum: p.sum + x, min: p.min.min(x), max: p.max.max(x) })
    }

    /// Adds `x` `count` times, as [`Partial::add_all`] of that many copies would.
    pub(crate) fn add_repeated(self, x: f64, count: usize) -> Partial {
        (0..count).fold(self, |p, _| Partial { sum: p.sum + x, min: p.min.min(x), max: p.max.max(x) })
    }

    /// Chunk partials combined in chunk order.
    pub(crate) fn combine(parts: impl Iterator<Item = Partial>) -> Partial {
        parts.fold(Partial::EMPTY, |a, p| Partial { sum: a.sum + p.sum, min: a.min.min(p.min), max: a.max.max(p.max) })
    }

    /// `reduce_scalar`'s result over `n` nodes: 0.0 for no nodes.
    pub(crate) fn result(self, agg: Agg, n: usize) -> Result<f64, String> {
        if n == 0 {
            return Ok(0.0);
        }
        Ok(match agg {
            Agg::Sum => self.sum,
            Agg::Mean => self.sum / n as f64,
            Agg::Min => self.min,
            Agg::Max => self.max,
            Agg::Mode => return Err("reduce_scalar has no mode".into()),
        })
    }
}

/// `normalize_sum` / `normalize`: x / sum, x / max, or (x - min) / (max - min); fails when
/// the divisor's magnitude is at most 1e-9. Two passes: the chunk partials, then the
/// division.
pub(crate) struct NormalizePass {
    method: Norm,
    x: Arc<Value>,
    partials: Mutex<PerChunk<Partial>>,
    scale: Mutex<(f64, f64)>,
    out: ChunkedMap,
}

impl NormalizePass {
    /// The normalisation of `x` (checked: a node map).
    pub(crate) fn new(method: Norm, x: Arc<Value>) -> Result<NormalizePass, String> {
        let Value::Map(m) = &*x else {
            return Err(format!("normalize needs a node map, got {}", x.kind()));
        };
        let n = m.values.len();
        Ok(NormalizePass {
            method,
            partials: Mutex::new(PerChunk::new(chunk_count(n))),
            scale: Mutex::new((0.0, 1.0)),
            out: ChunkedMap::new(n),
            x,
        })
    }

    fn values(&self) -> &[f64] {
        match &*self.x {
            Value::Map(m) => &m.values,
            _ => &[],
        }
    }
}

impl NodePass for NormalizePass {
    fn passes(&self) -> usize {
        2
    }

    fn chunks(&self) -> usize {
        chunk_count(self.values().len())
    }

    fn run(&self, pass: usize, chunk: usize) -> Result<(), KernelError> {
        let values = self.values();
        let r = chunk_range(values.len(), chunk);
        if pass == 0 {
            let p = Partial::EMPTY.add_all(&values[r]);
            self.partials.lock().unwrap_or_else(|e| e.into_inner()).set(chunk, p);
        } else {
            let (offset, scale) = *self.scale.lock().unwrap_or_else(|e| e.into_inner());
            // SAFETY: the scheduler hands each chunk to one caller, once per pass.
            let out = unsafe { self.out.chunk_mut(chunk) };
            out.iter_mut().zip(&values[r]).for_each(|(o, &x)| *o = (x - offset) / scale);
        }
        Ok(())
    }

    fn between(&self, pass: usize) -> Result<(), KernelError> {
        if pass != 0 {
            return Ok(());
        }
        let parts = self.partials.lock().unwrap_or_else(|e| e.into_inner()).take_all();
        let p = Partial::combine(parts.into_iter().flatten());
        let (offset, scale, what) = match self.method {
            Norm::Sum => (0.0, p.sum, "sum"),
            Norm::Max => (0.0, p.max, "maximum"),
            Norm::MinMax => (p.min, p.max - p.min, "range"),
        };
        if self.values().is_empty() || scale.abs() <= 1e-9 {
            return Err(format!("cannot normalize: the {what} is {scale}").into());
        }
        *self.scale.lock().unwrap_or_else(|e| e.into_inner()) = (offset, scale);
        Ok(())
    }

    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError> {
        Ok(vec![Some(Value::float_map(self.out.take()))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::kernels::CHUNK;

    #[test]
    fn partials_add_in_node_order_and_combine_in_chunk_order() {
        let v: Vec<f64> = (0..3 * CHUNK + 5).map(|i| ((i * 7919) % 1000) as f64 / 7.0).collect();
        let whole = Partial::combine(v.chunks(CHUNK).map(|c| Partial::EMPTY.add_all(c)));
        let by_halves = Partial::combine(v.chunks(CHUNK).map(|c| {
            let (a, b) = c.split_at(c.len() / 2);
            Partial::EMPTY.add_all(a).add_all(b)
        }));
        assert_eq!(whole, by_halves);
        assert_eq!(Partial::EMPTY.add_repeated(0.1, 3), Partial::EMPTY.add_all(&[0.1, 0.1, 0.1]));
    }

    #[test]
    fn results_of_no_nodes_are_zero() {
        assert_eq!(Partial::EMPTY.result(Agg::Mean, 0), Ok(0.0));
        assert!(Partial::EMPTY.result(Agg::Mode, 3).is_err());
    }
}
