//! The command line: argument definitions and the headless subcommands.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::analysis::analyze;
use crate::generate::{Shape, generate};
use crate::ir::{LoadError, Severity, load_file};
use crate::report;

/// irtop: see how parallel a groggy dataflow IR is.
#[derive(Debug, Parser)]
#[command(name = "irtop", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// IR file to show (the terminal UI is coming; for now this prints the report).
    pub file: Option<PathBuf>,
    /// A headless subcommand.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless subcommands for scripts and CI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the text report: levels, critical path, work/span, groups, diagnostics.
    Report {
        /// The IR file.
        file: PathBuf,
    },
    /// Print the plan as JSON (groggy's ParallelExecutionPlan fields plus irtop's).
    Plan {
        /// The IR file.
        file: PathBuf,
    },
    /// Print Graphviz DOT: one rank per level, the critical path bold.
    Dot {
        /// The IR file.
        file: PathBuf,
    },
    /// Write a large generated IR (seeded) to stdout, to measure irtop at scale.
    Gen {
        /// Number of ops.
        #[arg(long, default_value_t = 10_000)]
        ops: usize,
        /// Shape of the dependency graph.
        #[arg(long, value_enum, default_value_t = Shape::Random)]
        shape: Shape,
        /// Ops per layer (layered shape).
        #[arg(long, default_value_t = 100)]
        width: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// A failure of a subcommand: bad input (exit 2) or anything else (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input file is not a valid IR.
    #[error(transparent)]
    Input(#[from] LoadError),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Output(_) => 1,
        }
    }
}

/// Runs the parsed command line, writing data to `out` and findings to stderr.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    match cli.command {
        Some(Command::Report { file }) => emit(&file, out, Format::Report),
        Some(Command::Plan { file }) => emit(&file, out, Format::Plan),
        Some(Command::Dot { file }) => emit(&file, out, Format::Dot),
        Some(Command::Gen { ops, shape, width, seed }) => {
            out.write_all(&generate(shape, ops, width, seed))?;
            out.write_all(b"\n")?;
            Ok(())
        }
        None => match cli.file {
            Some(file) => emit(&file, out, Format::Report),
            None => {
                let sample = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"));
                emit(sample, out, Format::Report)
            }
        },
    }
}

enum Format {
    Report,
    Plan,
    Dot,
}

fn emit(file: &Path, out: &mut dyn Write, format: Format) -> Result<(), CliError> {
    let ir = load_file(file)?;
    let analysis = analyze(&ir);
    match format {
        Format::Report => out.write_all(report::text::render(&ir, &analysis).as_bytes())?,
        Format::Plan => {
            serde_json::to_writer_pretty(&mut *out, &report::plan::PlanDocument::new(&ir, &analysis))
                .map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Dot => out.write_all(report::dot::render(&ir, &analysis).as_bytes())?,
    }
    if !matches!(format, Format::Report) {
        for d in analysis.diagnostics.iter().filter(|d| d.severity >= Severity::Warning) {
            eprintln!("{}: {d}", file.display());
        }
    }
    Ok(())
}
