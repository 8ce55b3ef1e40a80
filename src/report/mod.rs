//! Writers that present an analysis: text report, plan JSON, Graphviz DOT.

pub mod accuracy_text;
pub mod bench_report;
pub mod bench_text;
pub mod dot;
pub mod escape;
pub mod plan;
pub mod plan_fields;
pub mod results;
pub mod text;
pub mod trace;
