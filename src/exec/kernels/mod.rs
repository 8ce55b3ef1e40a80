//! The kernels behind each op: what each computes per node ([`elementwise`],
//! [`neighbor`]), the per-node program that runs them over blocks of nodes ([`eval`]),
//! reductions ([`reduce`]), and the chunked passes every kernel call becomes ([`work`]).

pub(crate) mod elementwise;
pub(crate) mod eval;
pub(crate) mod neighbor;
pub(crate) mod reduce;
pub(crate) mod work;

/// Nodes per chunk: the unit a kernel's work is split into over threads, and the fixed
/// chunk of reductions, so that every mode adds the same partial sums in the same order.
pub(crate) const CHUNK: usize = 4096;

/// groggy's comparison epsilon: f64 machine epsilon.
pub(crate) const EPS: f64 = f64::EPSILON;
