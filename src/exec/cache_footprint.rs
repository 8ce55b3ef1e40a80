//! Where a step's input maps are when it starts: still in the last-level cache, or pushed
//! out to memory by what ran since. The virtual clock counts the bytes of the maps each step
//! reads and writes as it starts (a least-recently-used stack measured in bytes), and an
//! input map last touched more than a cache's worth of bytes ago is read from memory.
//!
//! A mode that orders steps differently from seq (a level of wide ops run before their
//! consumers, say) keeps more maps alive at once and can push its inputs out of the cache.
//! Seq's own misses are already in its measured times, so a step is charged only for the
//! misses it has beyond the ones it has in seq's order ([`CacheFootprint::seq_misses`]).
//!
//! # Complexity
//! O(reads + writes) per step started; memory: one number per variable.

use super::program::Step;

/// The cache and the sizes the virtual clock prices misses with.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheFootprint {
    /// Bytes of the last-level cache.
    pub cache_bytes: f64,
    /// Bytes of one node map (8 per node).
    pub map_bytes: f64,
    /// Seconds one input map read from memory costs a step more than one read from the cache.
    pub miss_s: f64,
    /// Per variable: it holds a node map (scalars take no room in the cache).
    pub is_map: Vec<bool>,
    /// Per region and step: the input maps it misses in seq's order (the mean over its runs),
    /// which its single-thread time already pays. Empty: charge nothing (seq's own run).
    pub seq_misses: Vec<Vec<f64>>,
}

impl CacheFootprint {
    /// What a step that missed `misses` input maps pays beyond its time in seq's order.
    pub(crate) fn extra_s(&self, region: usize, step: usize, misses: usize) -> f64 {
        match self.seq_misses.get(region).and_then(|r| r.get(step)) {
            Some(&seq) => (misses as f64 - seq) * self.miss_s,
            None => 0.0,
        }
    }

    fn is_map(&self, v: crate::ir::VarId) -> bool {
        self.is_map.get(v.index()).copied().unwrap_or(false)
    }
}

/// The clock's record of when each map was last touched, in bytes touched since the start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Residency {
    /// Bytes of maps touched so far.
    touched: f64,
    /// Per variable, `touched` just after it was last read or written (never: -inf).
    last: Vec<f64>,
}

impl Residency {
    /// A record for `vars` variables, none touched yet.
    pub(crate) fn new(vars: usize) -> Residency {
        Residency { touched: 0.0, last: vec![f64::NEG_INFINITY; vars] }
    }

    /// `step` starts: how many of its input maps are out of the cache; then its reads and
    /// writes become the most recently touched maps.
    pub(crate) fn start(&mut self, cache: &CacheFootprint, step: &Step) -> usize {
        let last = |v: &crate::ir::VarId| self.last.get(v.index()).copied().unwrap_or(f64::NEG_INFINITY);
        let reads = step.reads.iter().filter(|v| cache.is_map(**v));
        let misses = reads.clone().filter(|v| self.touched - last(v) > cache.cache_bytes).count();
        // A map read and written (in place) is one map's bytes.
        let written = step.outputs.iter().filter(|v| cache.is_map(**v) && !step.reads.contains(v));
        self.touched += (reads.count() + written.count()) as f64 * cache.map_bytes;
        for v in step.reads.iter().chain(&step.outputs).filter(|v| cache.is_map(**v)) {
            if let Some(last) = self.last.get_mut(v.index()) {
                *last = self.touched;
            }
        }
        misses
    }
}
