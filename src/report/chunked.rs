//! Long outputs formatted on all cores: a list cut into chunks of about the same size,
//! each chunk formatted into its own buffer, two per thread at a time, and the buffers
//! written in order. The text report's level listing and the compact plan's long lists
//! (a million ops: tens to hundreds of megabytes) go through it.
//!
//! # Complexity
//! O(items) time; memory O(chunk x threads) beyond the output's own writer.

use std::io;
use std::ops::Range;

/// About how many output items (lines, node ids, operations) one chunk holds.
pub(super) const CHUNK_ITEMS: usize = 1 << 14;

/// Formats `items` in chunks of about [`CHUNK_ITEMS`] by `weight` on all cores: `format`
/// writes the items of one range into an empty buffer, and `write` gets the buffers in
/// order. The first error of either is returned.
pub(super) fn format_in_chunks<T: Sync>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    format: impl Fn(&mut Vec<u8>, Range<usize>) -> io::Result<()> + Sync,
    mut write: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    use rayon::prelude::*;

    let chunks = chunks(items, weight);
    let at_once = 2 * rayon::current_num_threads();
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); at_once.min(chunks.len())];
    for window in chunks.chunks(at_once) {
        buffers.par_iter_mut().zip(window).try_for_each(|(buffer, range)| {
            buffer.clear();
            format(buffer, range.clone())
        })?;
        for buffer in &buffers[..window.len()] {
            write(buffer)?;
        }
    }
    Ok(())
}

/// `items` cut into consecutive ranges of about [`CHUNK_ITEMS`] by `weight`.
fn chunks<T>(items: &[T], weight: impl Fn(&T) -> usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        sum += weight(item);
        if sum >= CHUNK_ITEMS {
            chunks.push(start..i + 1);
            (start, sum) = (i + 1, 0);
        }
    }
    if start < items.len() {
        chunks.push(start..items.len());
    }
    chunks
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn chunks_cover_the_items_in_order() {
        let weights = [CHUNK_ITEMS, 1, CHUNK_ITEMS - 1, 3, 0, CHUNK_ITEMS * 2, 5];
        assert_eq!(chunks(&weights, |&w| w), vec![0..1, 1..3, 3..6, 6..7]);
        assert!(chunks(&[] as &[usize], |&w| w).is_empty());
    }

    #[test]
    fn many_chunks_are_written_in_order_and_errors_come_back() {
        let items: Vec<usize> = (0..10 * CHUNK_ITEMS * rayon::current_num_threads() + 7).collect();
        let mut out = Vec::new();
        let format =
            |buf: &mut Vec<u8>, range: Range<usize>| range.into_iter().try_for_each(|i| writeln!(buf, "{}", items[i]));
        format_in_chunks(&items, |_| 1, format, |b| out.write_all(b)).unwrap();
        let expected: String = items.iter().map(|i| format!("{i}\n")).collect();
        assert!(out == expected.as_bytes());

        let failing = |_: &mut Vec<u8>, range: Range<usize>| match range.start {
            0 => Ok(()),
            _ => Err(io::Error::other("full")),
        };
        let err = format_in_chunks(&items, |_| 1, failing, |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "full");
    }
}
