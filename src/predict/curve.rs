//! The speedup curve: predicted speedup of each mode for P from 1 to 64 threads, what the user
//! would get on a bigger machine under the cost model.

use std::collections::BTreeMap;

use serde::Serialize;

use super::simulate::{CostTable, speedup};
use crate::exec::simulated_run::Overheads;
use crate::exec::{Mode, Program};

/// Largest thread count of the curve.
pub const CURVE_MAX_THREADS: usize = 64;

/// Thread counts of the curve: every count up to 4, then about 1.5x apart up to
/// [`CURVE_MAX_THREADS`] (a simulation on 64 members of a 10k-op program takes tens of
/// milliseconds, and a benchmark's predictions are paid from its budget).
pub const CURVE_THREADS: [usize; 12] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, CURVE_MAX_THREADS];

/// One point of the curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Threads.
    #[serde(rename = "P")]
    pub threads: usize,
    /// Predicted speedup over seq, per parallel mode's name.
    pub speedup: BTreeMap<String, f64>,
}

impl CurvePoint {
    /// The predicted speedup of `mode` at this point.
    pub fn of(&self, mode: &str) -> Option<f64> {
        self.speedup.get(mode).copied()
    }
}

/// The curve of every parallel mode over [`CURVE_THREADS`]. A point is the best speedup
/// at up to P threads (a user with P threads can always use fewer), so the curve never
/// falls: list scheduling alone can get slower with more workers (Graham's anomalies), and
/// contention can outweigh an extra thread.
///
/// # Complexity
/// O(|CURVE_THREADS| x modes x simulate), see [`super::simulate::makespan`].
pub fn curve(program: &Program, table: &CostTable, ov: &Overheads) -> Vec<CurvePoint> {
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    CURVE_THREADS
        .iter()
        .map(|&p| {
            for m in Mode::FIXED.iter().filter(|m| !m.is_seq()) {
                let s = speedup(program, table, *m, p, ov, None);
                let e = best.entry(m.name().to_owned()).or_insert(s);
                *e = e.max(s);
            }
            CurvePoint { threads: p, speedup: best.clone() }
        })
        .collect()
}
