//! Reductions over all nodes and the normalisations built on them.
//!
//! Sums run over fixed chunks of [`CHUNK`] nodes whose partial results are combined in
//! order, on one thread or many: every mode gets the same bits.
//!
//! # Complexity
//! O(V) work, O(V / threads + V / CHUNK) time data-parallel.

use rayon::prelude::*;

use super::CHUNK;
use crate::exec::kernel::{Agg, Norm, Par};
use crate::exec::value::{NodeMap, Value};

/// Partial results of one chunk: (sum, min, max).
fn partial(chunk: &[f64]) -> (f64, f64, f64) {
    chunk.iter().fold((0.0, f64::INFINITY, f64::NEG_INFINITY), |(s, lo, hi), &x| (s + x, lo.min(x), hi.max(x)))
}

/// (sum, min, max) of `values` with fixed chunking.
pub fn summarise(values: &[f64], par: Par) -> (f64, f64, f64) {
    let parts: Vec<(f64, f64, f64)> = match par {
        Par::Seq => values.chunks(CHUNK).map(partial).collect(),
        Par::Data => values.par_chunks(CHUNK).map(partial).collect(),
    };
    parts
        .into_iter()
        .fold((0.0, f64::INFINITY, f64::NEG_INFINITY), |(s, lo, hi), (ps, plo, phi)| (s + ps, lo.min(plo), hi.max(phi)))
}

/// `reduce_scalar`: a Float over all nodes; 0.0 for no nodes; a scalar passes through.
pub fn reduce(agg: Agg, x: &Value, par: Par) -> Result<Value, String> {
    let m = match x {
        Value::Scalar(_) => return Ok(x.clone()),
        Value::Map(m) => &m.values,
        Value::Lists(_) => return Err("cannot reduce a map of lists".into()),
    };
    if m.is_empty() {
        return Ok(Value::float(0.0));
    }
    let (sum, lo, hi) = summarise(m, par);
    Ok(Value::float(match agg {
        Agg::Sum => sum,
        Agg::Mean => sum / m.len() as f64,
        Agg::Min => lo,
        Agg::Max => hi,
        Agg::Mode => return Err("reduce_scalar has no mode".into()),
    }))
}

/// `normalize_sum` / `normalize`: x / sum, x / max, or (x - min) / (max - min); fails when
/// the divisor's magnitude is at most 1e-9.
pub fn normalize(method: Norm, x: &Value, par: Par) -> Result<Value, String> {
    let Value::Map(NodeMap { values, .. }) = x else {
        return Err(format!("normalize needs a node map, got {}", x.kind()));
    };
    let (sum, lo, hi) = summarise(values, par);
    let (offset, scale, what) = match method {
        Norm::Sum => (0.0, sum, "sum"),
        Norm::Max => (0.0, hi, "maximum"),
        Norm::MinMax => (lo, hi - lo, "range"),
    };
    if values.is_empty() || scale.abs() <= 1e-9 {
        return Err(format!("cannot normalize: the {what} is {scale}"));
    }
    Ok(Value::float_map(super::tabulate_values(values.len(), par, |i| (values[i] - offset) / scale)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_sums_are_identical_on_one_thread_or_many() {
        let v: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 1000) as f64 / 7.0).collect();
        let m = Value::float_map(v);
        assert_eq!(reduce(Agg::Sum, &m, Par::Seq).unwrap(), reduce(Agg::Sum, &m, Par::Data).unwrap());
    }

    #[test]
    fn empty_and_scalar_inputs() {
        assert_eq!(reduce(Agg::Mean, &Value::float_map(vec![]), Par::Seq).unwrap(), Value::float(0.0));
        assert_eq!(reduce(Agg::Max, &Value::float(3.0), Par::Seq).unwrap(), Value::float(3.0));
    }

    #[test]
    fn normalizations() {
        let m = Value::float_map(vec![1.0, 3.0]);
        assert_eq!(normalize(Norm::Sum, &m, Par::Seq).unwrap(), Value::float_map(vec![0.25, 0.75]));
        assert_eq!(normalize(Norm::MinMax, &m, Par::Seq).unwrap(), Value::float_map(vec![0.0, 1.0]));
        assert!(normalize(Norm::Sum, &Value::float_map(vec![0.0, 0.0]), Par::Seq).is_err());
    }
}
