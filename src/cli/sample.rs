//! The built-in sample `irtop` opens without a file.

use std::path::{Path, PathBuf};

/// The built-in sample: groggy's PageRank loop. It is the repository's
/// `samples/pagerank_loop.json` when that exists, else an embedded copy written to the
/// temporary directory (so an installed binary has it too).
pub fn sample_path() -> PathBuf {
    let in_tree = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"));
    if in_tree.exists() {
        return in_tree.to_owned();
    }
    let copy = std::env::temp_dir().join("irtop-sample").join("pagerank_loop.json");
    let written = std::fs::create_dir_all(copy.parent().unwrap_or(Path::new(".")))
        .and_then(|()| std::fs::write(&copy, include_str!("../../samples/pagerank_loop.json")));
    if written.is_ok() { copy } else { in_tree.to_owned() }
}
