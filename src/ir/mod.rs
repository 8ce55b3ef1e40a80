//! The IR: model, loader and diagnostics.

mod diagnostic;
mod error;
mod fast_scan;
mod format;
mod load;
mod metadata;
mod model;
mod one_pass;
pub mod op;
mod step;

pub use diagnostic::{Diagnostic, Severity};
pub use error::LoadError;
pub use load::{load_bytes, load_file};
pub(crate) use load::{load_file_hashed, load_file_mapped, load_file_with};
pub use metadata::Metadata;
pub use model::{BlockBody, Body, Domain, ImplicitRead, Ir, LoopBody, LoopVar, Node, NodeId, VarId, VarTable};
