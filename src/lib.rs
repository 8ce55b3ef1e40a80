//! irtop: analyse, run and watch groggy dataflow IR.
//!
//! Data flows one way: a file is loaded into an [`ir::Ir`], [`analysis::analyze`] turns it
//! into an [`analysis::Analysis`] of side tables, and the writers in [`report`] and the
//! binary present it.

pub mod analysis;
pub mod cli;
pub mod exec;
pub mod generate;
pub mod ir;
pub mod report;
pub mod tui;
