//! A kernel call bound to its input values: either its result at once (scalar ops,
//! copies), or passes over fixed chunks of nodes that one thread runs in order or several
//! threads share, followed by one `finish` that assembles the results.
//!
//! The chunking is the same in every mode ([`CHUNK`] nodes, aligned to node 0), so a
//! reduction adds the same partial sums in the same order whoever computes them: every
//! mode gives the same bits.

use std::sync::Mutex;

use super::CHUNK;
use crate::exec::value::Value;

/// Why a kernel call failed: the message, and which member of a fused group failed (the
/// group's own step otherwise).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KernelError {
    /// Index of the failing member in a fused group's member list.
    pub member: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl From<String> for KernelError {
    fn from(message: String) -> KernelError {
        KernelError { member: None, message }
    }
}

impl From<&str> for KernelError {
    fn from(message: &str) -> KernelError {
        KernelError { member: None, message: message.to_owned() }
    }
}

/// A bound kernel call.
pub(crate) enum Work<'a> {
    /// Computed at once: one value per output of the step (`None`: no value).
    Done(Vec<Option<Value>>),
    /// Passes over node chunks.
    Chunks(Box<dyn NodePass + 'a>),
}

/// Passes over the nodes in chunks of [`CHUNK`]: every chunk of pass `p` is run (in any
/// order, on any thread) before `between(p)`, which runs once before pass `p + 1`; after the
/// last pass, `finish` once. A chunk is run exactly once per pass.
pub(crate) trait NodePass: Send + Sync {
    /// Number of passes (a normalisation needs its sum before it can divide).
    fn passes(&self) -> usize {
        1
    }
    /// Chunks per pass.
    fn chunks(&self) -> usize;
    /// Runs chunk `chunk` of pass `pass`.
    fn run(&self, pass: usize, chunk: usize) -> Result<(), KernelError>;
    /// Runs once after every chunk of `pass` has run, before the next pass.
    fn between(&self, _pass: usize) -> Result<(), KernelError> {
        Ok(())
    }
    /// The results, one per output of the step, after the last pass.
    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError>;
}

impl Work<'_> {
    /// Runs every chunk of every pass in order on this thread and returns the results.
    pub(crate) fn run_to_end(self) -> Result<Vec<Option<Value>>, KernelError> {
        match self {
            Work::Done(values) => Ok(values),
            Work::Chunks(pass) => {
                for p in 0..pass.passes() {
                    for c in 0..pass.chunks() {
                        pass.run(p, c)?;
                    }
                    pass.between(p)?;
                }
                pass.finish()
            }
        }
    }
}

/// Chunks of `n` nodes.
pub(crate) fn chunk_count(n: usize) -> usize {
    n.div_ceil(CHUNK)
}

/// The node range of chunk `c` of `n` nodes.
pub(crate) fn chunk_range(n: usize, c: usize) -> std::ops::Range<usize> {
    let lo = c * CHUNK;
    lo..(lo + CHUNK).min(n)
}

/// An output map written chunk by chunk from several threads at once.
///
/// Each chunk's slice is handed out once per pass by the scheduler's claim protocol, so no
/// two threads ever hold the same elements; the buffer itself is only moved out by
/// [`ChunkedMap::take`] after every chunk has been written.
pub(crate) struct ChunkedMap {
    ptr: *mut f64,
    len: usize,
    buffer: Mutex<Option<Vec<f64>>>,
}

// SAFETY: the raw pointer is only dereferenced through `chunk_mut`, whose contract makes the
// slices of concurrent callers disjoint; the Vec it points into is owned by `buffer` and never
// moved in memory (moving a Vec does not move its heap allocation).
unsafe impl Send for ChunkedMap {}
// SAFETY: as above.
unsafe impl Sync for ChunkedMap {}

impl ChunkedMap {
    /// An output of `n` values, in a recycled buffer ([`crate::exec::buffers`]).
    pub(crate) fn new(n: usize) -> ChunkedMap {
        let mut v = crate::exec::buffers::take(n);
        ChunkedMap { ptr: v.as_mut_ptr(), len: v.len(), buffer: Mutex::new(Some(v)) }
    }

    /// The values of chunk `c`.
    ///
    /// # Safety
    /// At most one caller may hold the slice of a given chunk at a time, and no caller may
    /// hold any slice when [`ChunkedMap::take`] runs.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn chunk_mut(&self, c: usize) -> &mut [f64] {
        let r = chunk_range(self.len, c);
        // SAFETY: `r` lies inside the buffer of `self.len` values, and the caller guarantees
        // that nobody else holds these elements.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(r.start), r.len()) }
    }

    /// The whole buffer, once every chunk is written.
    pub(crate) fn take(&self) -> Vec<f64> {
        self.buffer.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default()
    }
}

impl Drop for ChunkedMap {
    fn drop(&mut self) {
        // A run that failed midway hands its buffer back for reuse.
        if let Some(v) = self.buffer.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            crate::exec::buffers::give(v);
        }
    }
}

/// One value per chunk, each set once by whoever runs that chunk.
pub(crate) struct PerChunk<T> {
    slots: Vec<std::sync::OnceLock<T>>,
}

impl<T> PerChunk<T> {
    /// Empty slots for `chunks` chunks.
    pub(crate) fn new(chunks: usize) -> PerChunk<T> {
        PerChunk { slots: (0..chunks).map(|_| std::sync::OnceLock::new()).collect() }
    }

    /// Sets chunk `c`'s value (a second set is ignored).
    pub(crate) fn set(&self, c: usize, value: T) {
        let _ = self.slots[c].set(value);
    }

    /// Takes every value out, in chunk order.
    pub(crate) fn take_all(&mut self) -> Vec<Option<T>> {
        self.slots.iter_mut().map(std::sync::OnceLock::take).collect()
    }
}

/// The earliest failure seen by any chunk: failures are ordered by (member, node index),
/// so a split run reports the failure a sequential run would have stopped at.
#[derive(Default)]
pub(crate) struct FirstFailure {
    slot: Mutex<Option<((usize, usize), KernelError)>>,
}

impl FirstFailure {
    /// Records a failure at `(member order, node index)`; keeps the smallest.
    pub(crate) fn record(&self, at: (usize, usize), error: KernelError) {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().is_none_or(|(k, _)| at < *k) {
            *slot = Some((at, error));
        }
    }

    /// The earliest failure, if any.
    pub(crate) fn get(&self) -> Option<KernelError> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(_, e)| e.clone())
    }
}
