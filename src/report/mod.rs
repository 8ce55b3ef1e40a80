//! Writers of what irtop computes: the text report, plan JSON, Graphviz DOT, run values,
//! benchmark and accuracy tables, Chrome traces; [`export`] picks one by [`format::Format`].

pub(crate) mod accuracy_text;
pub mod bench_report;
pub(crate) mod bench_text;
mod chunked;
pub mod dot;
pub mod escape;
pub(crate) mod export;
pub mod format;
pub mod plan;
pub mod plan_fields;
mod plan_parallel;
pub(crate) mod results;
pub mod style;
pub mod text;
pub(crate) mod trace;
