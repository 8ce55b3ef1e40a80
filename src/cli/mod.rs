//! The command line: argument definitions ([`args`]) and the headless subcommands, one
//! module per group: [`analyse`] (`report`, `plan`, `dot`), [`run`](mod@run),
//! [`bench`](mod@bench), [`bench_all`] (`bench --all`) and [`calibrate`](mod@calibrate);
//! `gen` writes what [`crate::generate`] makes.

pub(crate) mod analyse;
pub mod args;
pub(crate) mod bench;
pub(crate) mod bench_all;
pub mod calibrate;
pub(crate) mod error;
pub(crate) mod format;
pub(crate) mod graph_args;
pub(crate) mod lint;
pub(crate) mod prelude;
pub(crate) mod progress;
pub(crate) mod run;
pub(crate) mod sample;
pub mod suggest;

use std::io::Write;

pub use args::{Cli, Command, LimitArgs};
pub use error::CliError;
pub use prelude::threads;
pub use sample::sample_path;

use crate::report::export::{self, Data, Kind};
use crate::report::format::Format;
use analyse::{Options, emit};
use bench::BenchRequest;
use run::RunRequest;

/// For a binary that exits once [`run`] returns: the IR and the analysis of `report`,
/// `plan` and `dot` are then not freed (the OS takes them back at exit, faster).
pub fn leave_memory_to_exit() {
    analyse::leave_memory_to_exit();
}

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
        Some(Command::Report { file, format, fields, pretty, full, lint }) => {
            let format = format::choose(Kind::Analysis, format, "irtop report")?;
            let refuse = |flag: &str, wants: Format| {
                Err(CliError::Usage(format!(
                    "{flag} applies to --format {wants} only; this writes --format {format}. Add --format {wants}"
                )))
            };
            match (fields.is_some() || pretty, full) {
                (true, _) if format != Format::Json => {
                    refuse(if pretty { "--pretty" } else { "--fields" }, Format::Json)
                }
                (_, true) if format != Format::Dot => refuse("--full", Format::Dot),
                _ => {
                    let options = Options { fields: fields.unwrap_or_default(), pretty, full };
                    emit(&file, out, format, options, &limits, lint.deny)
                }
            }
        }
        Some(Command::Plan { file, fields, pretty, lint }) => {
            emit(&file, out, Format::Json, Options { fields, pretty, full: false }, &limits, lint.deny)
        }
        Some(Command::Dot { file, full, lint }) => {
            emit(&file, out, Format::Dot, Options { full, ..Options::default() }, &limits, lint.deny)
        }
        Some(Command::Run { file, graph, mode, threads, vars, format, out: path, no_fuse }) => {
            let limits = cli.limits.limits(&graph);
            // Without --format, the older spelling: an --out name ending in `.csv`.
            let csv_name =
                path.as_deref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
            let format = format::choose(Kind::Values, format.or(csv_name.then_some(Format::Csv)), "irtop run")?;
            let request = RunRequest { mode, threads, vars: &vars, format, path: path.as_deref(), fuse: !no_fuse };
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
            format,
            json,
            trace,
            no_fuse,
        }) => {
            let limits = cli.limits.limits(&graph);
            // `--json` is the older spelling of `--format json`.
            let format = format.or(json.then_some(Format::Json));
            match (all, file) {
                (Some(dir), _) => {
                    let format = format::choose(Kind::Accuracy, format, "irtop bench --all")?;
                    let threads = prelude::threads(threads)?;
                    let request = bench_all::AllRequest { threads, reps, budget, scales, twice, format };
                    bench_all::bench_all(&dir, &request, out, &limits)
                }
                (None, Some(file)) => {
                    let format = format::choose(Kind::Bench, format, "irtop bench")?;
                    let request =
                        BenchRequest { threads, reps, budget, modes, format, trace: trace.as_deref(), fuse: !no_fuse };
                    bench::bench(&file, &graph.spec(), request, out, &limits)
                }
                (None, None) => Err(CliError::Usage("bench needs an IR file or --all DIR".into())),
            }
        }
        Some(Command::Calibrate { threads, format }) => {
            let format = format::choose(Kind::Calibration, format, "irtop calibrate")?;
            let threads = prelude::threads(threads)?;
            limits.check_memory(
                &format!("calibrating on {threads} threads (a few copies of a 64 MB map per thread)"),
                crate::limits::calibration_bytes(threads),
                "start",
                "Pass a smaller --threads",
            )?;
            calibrate::calibrate(threads, format, out)
        }
        Some(Command::Gen { ops, shape, width, seed, format }) => {
            let format = format::choose(Kind::Ir, format, "irtop gen")?;
            crate::generate::check_ops(ops, &limits)?;
            export::write(out, Data::Ir(&crate::generate::generate(shape, ops, width, seed)), format)?;
            Ok(())
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "irtop", out);
            Ok(())
        }
        None => emit(&cli.file.unwrap_or_else(sample_path), out, Format::Text, Options::default(), &limits, None),
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
