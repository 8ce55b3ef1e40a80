//! Per-op costs from an op's kernel and the graph's size, and the overheads parallel
//! execution pays. The constants come from `irtop calibrate` on this machine
//! ([`super::calibrate`]) or fall back to [`CostModel::default`].

use serde::{Deserialize, Serialize};

use crate::exec::kernel::{Agg, Kernel};
use crate::exec::kernels::CHUNK;

/// What an op's cost is proportional to: the classes the model prices separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpClass {
    /// Constant work: a constant, a count, an alias (values are shared, not copied).
    Scalar,
    /// Element-wise over the nodes: one pass that streams each operand map and the result.
    Elementwise,
    /// A synthetic attribute: a hash per node.
    Attr,
    /// A reduction over the nodes (and `normalize`: a reduction and a pass).
    Reduce,
    /// A gather over the edges: neighbour aggregation, `map_nodes` sum/mean, out-degree.
    Gather,
    /// A mode over neighbour lists: `map_nodes` mode, `mode_list`, `collect_neighbor_values`.
    Mode,
}

impl OpClass {
    /// The class of `kernel`.
    pub fn of(kernel: &Kernel) -> OpClass {
        use Kernel as K;
        match kernel {
            K::Constant(_) | K::NodeCount | K::EdgeCount | K::Attach(_) | K::Copy => OpClass::Scalar,
            K::InitNodes(_)
            | K::InitIndex
            | K::Binary(_)
            | K::Unary(_)
            | K::Recip(_)
            | K::Clip(..)
            | K::Compare(_)
            | K::Where
            | K::Broadcast
            | K::FusedAxpy
            | K::FusedMadd => OpClass::Elementwise,
            K::LoadAttr(_) => OpClass::Attr,
            K::Reduce(_) | K::Normalize(_) => OpClass::Reduce,
            K::Degree | K::NeighborAgg(..) | K::FusedNeighborMulAgg => OpClass::Gather,
            K::MapNodes(Agg::Mode, _) | K::CollectNeighbors(_) | K::ModeList(_) => OpClass::Mode,
            K::MapNodes(..) => OpClass::Gather,
        }
    }

    /// Short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            OpClass::Scalar => "scalar",
            OpClass::Elementwise => "elementwise",
            OpClass::Attr => "attr",
            OpClass::Reduce => "reduce",
            OpClass::Gather => "gather",
            OpClass::Mode => "mode",
        }
    }
}

/// The constants of the cost model, in nanoseconds (overheads) and nanoseconds per
/// element (per-class rates), plus how each class behaves when threads share the machine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostModel {
    /// One scalar op (a constant, a count, an alias), including the executor's per-op
    /// bookkeeping.
    pub scalar_ns: f64,
    /// Element-wise: per node and per map streamed (each map operand and the result), when
    /// the maps an op streams do not fit in [`CostModel::cache_bytes`].
    pub stream_ns: f64,
    /// The same when they fit in the cache.
    pub stream_cached_ns: f64,
    /// Bytes of the last-level cache: an op streaming at most this much runs at the cached
    /// rates and scales like cached streams.
    pub cache_bytes: f64,
    /// A synthetic attribute: per node.
    pub attr_ns: f64,
    /// A reduction: per node.
    pub reduce_ns: f64,
    /// A gather: per edge (plus one stream per node for the result), when the values it
    /// reads at random do not fit in the cache.
    pub gather_ns: f64,
    /// The same when they fit.
    pub gather_cached_ns: f64,
    /// A mode over neighbour lists: per edge.
    pub mode_ns: f64,
    /// From the first offer of work in a run to a newly recruited thread starting it (a
    /// sleeping pool worker waking up).
    pub recruit_ns: f64,
    /// From an offer of work to a parked thread of the run starting it.
    pub wake_ns: f64,
    /// What recruiting a thread costs the thread that offers the work (handing the pool a
    /// job and waking one of its sleeping workers).
    pub recruit_call_ns: f64,
    /// What waking a parked thread of the run costs the thread that offers the work.
    pub wake_call_ns: f64,
    /// [`CostModel::recruit_ns`] when the pool's worker finished other work less than
    /// [`CostModel::warm_window_ns`] before: it has not gone to sleep yet.
    pub warm_recruit_ns: f64,
    /// [`CostModel::recruit_call_ns`] for such a worker (no system call to wake it).
    pub warm_recruit_call_ns: f64,
    /// How long a pool worker stays awake after its last work: a run that starts within it
    /// recruits at the warm costs.
    pub warm_window_ns: f64,
    /// What sharing an op with another thread costs each thread beyond its share of the
    /// work: claiming chunks and meeting at the join.
    pub split_ns: f64,
    /// How far contention is uncertain either side of its value, relative (the band's
    /// width when no probe ran beside the benchmark).
    pub contention_spread: f64,
    /// Streaming ops (element-wise, attr, reduce) out of cache: slowdown of each thread per
    /// extra thread running at the same time (memory bandwidth is shared): `1 + c (k - 1)`.
    pub contention_stream: f64,
    /// The same for streams that fit in the cache.
    pub contention_stream_cached: f64,
    /// Gathers and modes: the same slowdown for graph traversals.
    pub contention_gather: f64,
    /// The same for gathers whose values fit in the cache.
    pub contention_gather_cached: f64,
    /// Streaming ops out of cache split over k threads: each thread's slowdown, which can
    /// be smaller than [`CostModel::contention_stream`] (one op's halves share pages and
    /// prefetch streams that two independent ops do not).
    pub split_contention_stream: f64,
    /// The same for streams that fit in the cache.
    pub split_contention_stream_cached: f64,
    /// Gathers and modes split over k threads: the same.
    pub split_contention_gather: f64,
    /// The same for gathers whose values fit in the cache.
    pub split_contention_gather_cached: f64,
    /// Streaming ops out of cache: the fraction of a data-parallel kernel that stays on one
    /// thread (or, equivalently, that a second thread cannot speed up).
    pub serial_stream: f64,
    /// The same for streams that fit in the cache.
    pub serial_stream_cached: f64,
    /// Gathers and modes: the same fraction.
    pub serial_gather: f64,
    /// The same for gathers whose values fit in the cache.
    pub serial_gather_cached: f64,
}

impl Default for CostModel {
    /// Defaults for a current x86-64 core with about 10 GB/s of memory bandwidth per core;
    /// `irtop calibrate` replaces them with this machine's numbers.
    ///
    /// - `stream_ns` 0.5: 8 bytes per node per map at ~16 GB/s from memory; 0.2 from a
    ///   16 MB last-level cache.
    /// - `attr_ns` 3: a SplitMix64 hash and a float conversion per node.
    /// - `reduce_ns` 0.6: one streamed read and an add, in fixed chunks.
    /// - `gather_ns` 2.5: a random read of a neighbour's value per edge (R-MAT graphs are
    ///   skewed, so about half hit cache); 1.5 when the values fit in the cache.
    /// - `mode_ns` 25: a small hash map or sort per neighbour list, per edge.
    /// - `recruit_ns` 30000, `wake_ns` 20000: a sleeping thread on a 2-4 core VM takes tens
    ///   of microseconds to run (`examples/wake_latency.rs`).
    /// - `recruit_call_ns` 6000, `wake_call_ns` 3000: handing rayon a job and waking a
    ///   sleeping thread are system calls that a virtual machine makes expensive (`irtop
    ///   calibrate` on a 2-core VM: 6.2 and 3.0 us).
    /// - `warm_recruit_ns` 2000, `warm_recruit_call_ns` 600, `warm_window_ns` 20000: a rayon
    ///   worker that ran a job 20 us ago was still awake and started a new one 1.4 us after a
    ///   0.6 us call; 40 us after, it had gone to sleep (a 2-core VM, measured by hand).
    /// - `split_ns` 3000: a chain of 32 two-chunk ops split over 2 threads took 3-6 us per op
    ///   more than half its seq time (`irtop calibrate` on a 2-core VM).
    /// - `contention_spread` 0.5: contention measured an hour apart on a shared host moved by
    ///   half its value.
    /// - contention 0.35 / 0.2: two streaming threads get ~1.5x one thread's bandwidth
    ///   (0.1 in cache), traversals are more latency-bound and scale better.
    /// - split contention as the contention: no separate measurement.
    /// - serial 0.05 / 0.02: splitting and joining the pieces.
    fn default() -> CostModel {
        CostModel {
            scalar_ns: 300.0,
            stream_ns: 0.5,
            stream_cached_ns: 0.2,
            cache_bytes: 16.0 * 1024.0 * 1024.0,
            attr_ns: 3.0,
            reduce_ns: 0.6,
            gather_ns: 2.5,
            gather_cached_ns: 1.5,
            mode_ns: 25.0,
            recruit_ns: 30_000.0,
            wake_ns: 20_000.0,
            recruit_call_ns: 6_000.0,
            wake_call_ns: 3_000.0,
            warm_recruit_ns: 2_000.0,
            warm_recruit_call_ns: 600.0,
            warm_window_ns: 20_000.0,
            split_ns: default_split_ns(),
            contention_spread: 0.5,
            contention_stream: 0.35,
            contention_stream_cached: 0.1,
            contention_gather: 0.2,
            contention_gather_cached: 0.2,
            split_contention_stream: 0.35,
            split_contention_stream_cached: 0.1,
            split_contention_gather: 0.2,
            split_contention_gather_cached: 0.2,
            serial_stream: 0.05,
            serial_stream_cached: 0.05,
            serial_gather: 0.02,
            serial_gather_cached: 0.02,
        }
    }
}

/// What one kernel call costs on one thread and how it behaves in parallel: the input of
/// the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KernelCost {
    /// Seconds on one thread, alone on the machine.
    pub seconds: f64,
    /// Fraction that stays serial when the kernel is split over threads (Amdahl).
    pub serial: f64,
    /// The kernel splits over node chunks in the data-parallel modes (false for scalar
    /// ops and for sequential sweeps such as an asynchronous `map_nodes`).
    pub splittable: bool,
    /// Number of chunks it splits into (at most this many threads help).
    pub chunks: usize,
    /// Slowdown per extra concurrently running thread (`1 + c (k - 1)`).
    pub contention: f64,
    /// The same when the kernel itself is split over the threads.
    pub split_contention: f64,
}

impl KernelCost {
    /// A kernel of `seconds` that neither splits nor slows others down: for hand-built
    /// cost tables.
    pub fn fixed(seconds: f64) -> KernelCost {
        KernelCost { seconds, serial: 1.0, splittable: false, chunks: 1, contention: 0.0, split_contention: 0.0 }
    }
}

impl CostModel {
    /// The model with every contention (split or not) times `k`.
    pub fn scaled_contention(&self, k: f64) -> CostModel {
        let k = k.max(0.0);
        CostModel {
            contention_stream: self.contention_stream * k,
            contention_stream_cached: self.contention_stream_cached * k,
            contention_gather: self.contention_gather * k,
            contention_gather_cached: self.contention_gather_cached * k,
            split_contention_stream: self.split_contention_stream * k,
            split_contention_stream_cached: self.split_contention_stream_cached * k,
            split_contention_gather: self.split_contention_gather * k,
            split_contention_gather_cached: self.split_contention_gather_cached * k,
            ..*self
        }
    }

    /// The cost of one call of `kernel` on a graph of `nodes` nodes and `edges` edges,
    /// reading `map_inputs` node maps.
    pub fn kernel_cost(&self, kernel: &Kernel, map_inputs: usize, nodes: usize, edges: usize) -> KernelCost {
        let class = OpClass::of(kernel);
        let (n, m) = (nodes as f64, edges as f64);
        let stream_ns = if self.cached(map_inputs, nodes) { self.stream_cached_ns } else { self.stream_ns };
        let ns = self.scalar_ns
            + match class {
                OpClass::Scalar => 0.0,
                OpClass::Elementwise => stream_ns * n * (map_inputs + 1) as f64,
                OpClass::Attr => self.attr_ns * n,
                OpClass::Reduce => match kernel {
                    Kernel::Normalize(_) => self.reduce_ns * n + stream_ns * n * 2.0,
                    _ => self.reduce_ns * n,
                },
                OpClass::Gather => match kernel {
                    Kernel::Degree => stream_ns * n * 2.0,
                    _ => {
                        let gather_ns =
                            if self.cached(map_inputs, nodes) { self.gather_cached_ns } else { self.gather_ns };
                        gather_ns * m + stream_ns * n * 2.0
                    }
                },
                OpClass::Mode => self.mode_ns * m,
            };
        self.with_seconds(kernel, ns * 1e-9, map_inputs, nodes)
    }

    /// Whether an op reading `map_inputs` maps of `nodes` values and writing one streams
    /// within the cache.
    pub fn cached(&self, map_inputs: usize, nodes: usize) -> bool {
        8.0 * nodes as f64 * (map_inputs + 1) as f64 <= self.cache_bytes
    }

    /// How `kernel` (reading `map_inputs` maps) behaves in parallel, with a given
    /// single-thread time (a measured one, for calibrated predictions).
    pub fn with_seconds(&self, kernel: &Kernel, seconds: f64, map_inputs: usize, nodes: usize) -> KernelCost {
        let class = OpClass::of(kernel);
        let (contention, split_contention, serial) = match class {
            OpClass::Scalar => (0.0, 0.0, 1.0),
            OpClass::Elementwise | OpClass::Attr | OpClass::Reduce if self.cached(map_inputs, nodes) => {
                (self.contention_stream_cached, self.split_contention_stream_cached, self.serial_stream_cached)
            }
            OpClass::Elementwise | OpClass::Attr | OpClass::Reduce => {
                (self.contention_stream, self.split_contention_stream, self.serial_stream)
            }
            OpClass::Gather | OpClass::Mode if self.cached(map_inputs, nodes) => {
                (self.contention_gather_cached, self.split_contention_gather_cached, self.serial_gather_cached)
            }
            OpClass::Gather | OpClass::Mode => {
                (self.contention_gather, self.split_contention_gather, self.serial_gather)
            }
        };
        let splittable = class != OpClass::Scalar && !kernel.is_sequential();
        KernelCost {
            seconds,
            serial: if splittable { serial } else { 1.0 },
            splittable,
            chunks: nodes.div_ceil(CHUNK).max(1),
            contention,
            split_contention,
        }
    }
}

/// The default split cost (see [`CostModel::default`]).
fn default_split_ns() -> f64 {
    3_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::kernel::BinOp;

    #[test]
    fn streams_that_fit_in_the_cache_use_the_cached_constants() {
        let model = CostModel {
            stream_ns: 1.0,
            stream_cached_ns: 0.25,
            cache_bytes: 3.0 * 8.0 * 1024.0,
            contention_stream: 0.9,
            contention_stream_cached: 0.1,
            scalar_ns: 0.0,
            ..CostModel::default()
        };
        let add = Kernel::Binary(BinOp::Add);
        // Two map inputs and the result: 24 bytes per node; 1024 nodes fit exactly.
        let small = model.kernel_cost(&add, 2, 1024, 0);
        assert!((small.seconds - 0.25e-9 * 3.0 * 1024.0).abs() < 1e-15);
        assert_eq!(small.contention, 0.1);
        let big = model.kernel_cost(&add, 2, 1025, 0);
        assert!((big.seconds - 1e-9 * 3.0 * 1025.0).abs() < 1e-15);
        assert_eq!(big.contention, 0.9);
        // A measured time keeps the size's parallel behaviour.
        assert_eq!(model.with_seconds(&add, 1.0, 2, 1025).contention, 0.9);
        assert_eq!(model.with_seconds(&add, 1.0, 1, 1025).contention, 0.1, "one input: 16 bytes per node fit");
    }
}
