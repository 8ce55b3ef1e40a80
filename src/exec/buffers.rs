//! Recycled node-map buffers: a value freed after its last use hands its `Vec<f64>` back
//! here and the next kernel writing a map of the same length takes it.
//!
//! Without it each op gets fresh memory from the allocator. When a map is allocated on one
//! worker and freed on another (every parallel mode), the allocator does not hand that
//! memory back to the first worker soon, so parallel runs keep touching new pages that
//! sequential runs never see; on memory-bound ops that made the parallel modes slower
//! than seq. Fresh memory also costs a page fault per page on first touch, which on a
//! virtual machine can take longer than the op itself and varies from run to run; with
//! every map recycled, a benchmark's repetitions after the warm-up touch no new memory.
//! Buffers are process-wide and bounded ([`max_pooled_bytes`]); a benchmark empties the
//! pool when it ends ([`clear`]).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Maps shorter than this are not worth recycling (they come from the allocator's caches).
pub const MIN_POOLED_LEN: usize = 1 << 14;

/// Most bytes kept for reuse when the memory available is unknown.
pub(crate) const FALLBACK_MAX_POOLED_BYTES: usize = 1 << 30;

/// Most bytes kept for reuse at once (a quarter of the memory available when first asked,
/// at least [`FALLBACK_MAX_POOLED_BYTES`]); buffers given beyond it are freed. Enough to
/// hold every map of a run on a graph that fits comfortably, so that a benchmark's
/// repetitions do not page in new memory.
pub(crate) fn max_pooled_bytes() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        crate::memory::available_memory()
            .map_or(FALLBACK_MAX_POOLED_BYTES, |a| usize::try_from(a / 4).unwrap_or(usize::MAX))
            .max(FALLBACK_MAX_POOLED_BYTES)
    })
}

/// The buffers kept, by length, and their total size: taking and giving are O(1) however
/// many buffers a run of thousands of ops leaves behind.
#[derive(Default)]
struct Pool {
    by_len: HashMap<usize, Vec<Vec<f64>>>,
    bytes: usize,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

fn with_pool<T>(f: impl FnOnce(&mut Pool) -> T) -> T {
    let mut guard = POOL.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(Pool::default))
}

/// A buffer of `n` values for a kernel to overwrite entirely: a recycled one of that length
/// (holding stale values), else a new zeroed one.
pub fn take(n: usize) -> Vec<f64> {
    if n >= MIN_POOLED_LEN
        && let Some(b) = with_pool(|p| {
            let b = p.by_len.get_mut(&n)?.pop()?;
            p.bytes -= 8 * n;
            Some(b)
        })
    {
        return b;
    }
    vec![0.0; n]
}

/// Hands `buffer` back for reuse (or frees it when the pool is full or it is small).
pub fn give(buffer: Vec<f64>) {
    if buffer.len() < MIN_POOLED_LEN {
        return;
    }
    let bytes = 8 * buffer.len();
    let rejected = with_pool(|p| {
        if p.bytes + bytes > max_pooled_bytes() {
            return Some(buffer);
        }
        p.bytes += bytes;
        p.by_len.entry(buffer.len()).or_default().push(buffer);
        None
    });
    // Freed outside the lock.
    drop(rejected);
}

/// Frees every pooled buffer.
pub fn clear() {
    let drained = with_pool(std::mem::take);
    drop(drained);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_buffer_comes_back_for_the_same_length_only() {
        // Lengths no other test in this process uses, so parallel tests do not interfere.
        let n = MIN_POOLED_LEN + 17;
        let mut b = take(n);
        b[0] = 42.0;
        let ptr = b.as_ptr();
        give(b);
        let other = take(n + 1);
        assert_ne!(other.as_ptr(), ptr);
        assert_eq!(other[0], 0.0);
        let again = take(n);
        assert_eq!(again.as_ptr(), ptr, "the freed buffer is reused");
        assert_eq!(again.len(), n);
    }

    #[test]
    fn small_buffers_are_not_kept() {
        give(vec![1.0; 8]);
        assert_eq!(take(8), vec![0.0; 8]);
    }
}
