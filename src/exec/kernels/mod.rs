//! The kernels behind each op: what each computes per node ([`elementwise`],
//! [`neighbor`]), the per-node program that runs them over blocks of nodes ([`eval`]),
//! reductions ([`reduce`]), and the chunked passes every kernel call becomes ([`work`]).

pub mod elementwise;
pub mod eval;
pub mod neighbor;
pub mod reduce;
pub mod work;

/// Nodes per chunk: the unit a kernel's work is split into over threads, and the fixed
/// chunk of reductions, so that every mode adds the same partial sums in the same order.
pub const CHUNK: usize = 4096;

/// groggy's comparison epsilon: f64 machine epsilon.
pub const EPS: f64 = f64::EPSILON;
