//! irtop: analyse, run and watch groggy dataflow IR.
//!
//! Data flows one way: a file is loaded into an [`ir::Ir`], [`analysis::analyze`] turns it
//! into an [`analysis::Analysis`] of side tables, and the writers in [`report`] and the
//! binary present it.
//!
//! ```
//! use std::path::Path;
//!
//! let json = br#"{"name": "diamond", "nodes": [
//!     {"id": "a", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}},
//!     {"id": "b", "op_type": "mul", "inputs": ["x", "x"], "output": "y"},
//!     {"id": "c", "op_type": "add", "inputs": ["x", "x"], "output": "z"},
//!     {"id": "d", "op_type": "add", "inputs": ["y", "z"], "output": "w"}
//! ]}"#;
//! let ir = irtop::ir::load_bytes(json, Path::new("diamond.json")).unwrap();
//! let analysis = irtop::analysis::analyze(&ir);
//! assert_eq!(analysis.levels.len(), 3);
//! assert_eq!(analysis.critical_path.ops(), 3);
//! ```

// Items are `pub(crate)` unless the binary, the tests or the benchmarks use them, so that
// the compiler reports what nothing uses.
#![warn(unreachable_pub)]
// Public docs name the crate-internal items they rely on; contributors read them with
// `cargo doc --document-private-items` (CONTRIBUTING.md), where the links resolve.
#![allow(rustdoc::private_intra_doc_links)]

pub mod analysis;
pub mod cli;
pub mod exec;
pub mod generate;
mod input_file;
pub mod ir;
pub mod limits;
mod mapped_file;
pub(crate) mod memory;
mod output_file;
pub mod pipeline;
pub mod predict;
pub mod report;
pub mod tui;
pub(crate) mod units;
