//! Running an IR for real: the graph, values, kernels, fusion, the scheduler and its
//! threads, and timing.

pub mod bench;
pub mod buffers;
pub mod cache_footprint;
pub mod edge_list;
pub(crate) mod engine;
pub mod env;
pub(crate) mod error;
pub(crate) mod executor;
pub mod fuse;
pub(crate) mod graph;
pub mod graph_spec;
pub mod kernel;
pub(crate) mod kernels;
pub(crate) mod plan;
pub mod program;
pub mod simulated_run;
pub mod span;
pub mod synthetic;
pub(crate) mod team;
pub mod value;
pub(crate) mod work_estimate;

pub use env::Retain;
pub use error::ExecError;
pub use executor::{Executor, Mode, RunOptions, RunOutcome, Schedule, Scheduler};
pub use graph::Graph;
pub use program::Program;
pub use team::Team;
pub use value::Value;
