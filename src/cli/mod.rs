//! The command line: argument definitions ([`args`]) and the headless subcommands, one
//! module per group: [`analyse`] (`report`, `plan`, `dot`), [`run`](mod@run),
//! [`bench`](mod@bench), [`bench_all`] (`bench --all`) and [`calibrate`](mod@calibrate);
//! `gen` writes what [`crate::generate`] makes.

pub mod analyse;
pub mod args;
pub mod bench;
pub mod bench_all;
pub mod calibrate;
pub mod error;
pub mod graph_args;
pub mod lint;
pub mod prelude;
pub mod progress;
pub mod run;
pub mod sample;
pub mod suggest;

use std::io::Write;

pub use analyse::MAX_WARNINGS_PER_CODE;
pub use args::{Cli, Command, LimitArgs};
pub use error::CliError;
pub use prelude::threads;
pub use sample::sample_path;

use analyse::{Format, emit};
use bench::BenchRequest;
use run::RunRequest;

/// Runs the parsed command line, writing data to `out` and findings to stderr.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    refuse_misplaced(&cli)?;
    let graph_flags = match &cli.command {
        Some(Command::Run { graph, .. } | Command::Bench { graph, .. }) => graph,
        _ => &cli.graph,
    };
    cli.limits.check(graph_flags)?;
    let limits = cli.limits.limits(&cli.graph);
    match cli.command {
        Some(Command::Report { file, lint }) => emit(&file, out, Format::Report, &limits, lint.deny),
        Some(Command::Plan { file, fields, pretty, lint }) => {
            emit(&file, out, Format::Plan { fields, pretty }, &limits, lint.deny)
        }
        Some(Command::Dot { file, full, lint }) => emit(&file, out, Format::Dot { full }, &limits, lint.deny),
        Some(Command::Run { file, graph, mode, threads, vars, out: path, no_fuse }) => {
            let limits = cli.limits.limits(&graph);
            let request = RunRequest { mode, threads, vars: &vars, path: path.as_deref(), fuse: !no_fuse };
            run::run_once(&file, &graph.spec(), &request, out, &limits)
        }
        Some(Command::Bench {
            file,
            all,
            scales,
            twice,
            graph,
            threads,
            reps,
            budget,
            modes,
            json,
            trace,
            no_fuse,
        }) => {
            let limits = cli.limits.limits(&graph);
            match (all, file) {
                (Some(dir), _) => {
                    let threads = prelude::threads(threads)?;
                    let request = bench_all::AllRequest { threads, reps, budget, scales, twice, json };
                    bench_all::bench_all(&dir, &request, out, &limits)
                }
                (None, Some(file)) => {
                    let request =
                        BenchRequest { threads, reps, budget, modes, json, trace: trace.as_deref(), fuse: !no_fuse };
                    bench::bench(&file, &graph.spec(), request, out, &limits)
                }
                (None, None) => Err(CliError::Usage("bench needs an IR file or --all DIR".into())),
            }
        }
        Some(Command::Calibrate { threads }) => {
            let threads = prelude::threads(threads)?;
            limits.check_memory(
                &format!("calibrating on {threads} threads (a few copies of a 64 MB map per thread)"),
                crate::limits::calibration_bytes(threads),
                "start",
                "Pass a smaller --threads",
            )?;
            calibrate::calibrate(threads, out)
        }
        Some(Command::Gen { ops, shape, width, seed }) => {
            crate::generate::check_ops(ops, &limits)?;
            out.write_all(&crate::generate::generate(shape, ops, width, seed))?;
            out.write_all(b"\n")?;
            Ok(())
        }
        None => emit(&cli.file.unwrap_or_else(sample_path), out, Format::Report, &limits, None),
    }
}

/// Refuses the terminal UI's file and graph flags given before a subcommand, which would
/// otherwise be ignored (`irtop --rmat 12 run x.json` would run on the default graph).
fn refuse_misplaced(cli: &Cli) -> Result<(), CliError> {
    let (misplaced, Some(command)) = (cli.misplaced(), &cli.command) else { return Ok(()) };
    let Some(first) = misplaced.first() else { return Ok(()) };
    let name = command.name();
    Err(CliError::Usage(match (*first, command) {
        ("FILE", _) => format!(
            "a file before `{name}`: `irtop FILE` opens the terminal UI, `irtop {name} ...` is a subcommand; give one of them"
        ),
        (flag, Command::Run { .. } | Command::Bench { .. }) => {
            format!("{flag} before `{name}`: put the graph flags after the subcommand (`irtop {name} FILE {flag} ...`)")
        }
        (flag, _) => format!(
            "{flag} before `{name}`: `{name}` runs nothing; graph flags belong to `irtop run`, `irtop bench` and the terminal UI"
        ),
    }))
}
