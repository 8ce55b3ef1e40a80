//! The command line: argument definitions ([`args`]) and the headless subcommands, one
//! module per group: [`analyse`] (`report`, `plan`, `dot`), [`run`](mod@run),
//! [`bench`](mod@bench), [`bench_all`] (`bench --all`) and [`calibrate`](mod@calibrate);
//! `gen` writes what [`crate::generate`] makes.

pub(crate) mod analyse;
pub mod args;
pub(crate) mod bench;
pub(crate) mod bench_all;
pub mod calibrate;
pub mod color;
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

/// Runs the parsed command line, writing data to `out` (the process's stdout, or a stand-in
/// for it: `--color auto` looks at the real one) and findings to stderr.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    refuse_misplaced(&cli)?;
    let colors = color::Palettes::of(cli.color);
    note_oversubscription(cli.command.as_ref(), &colors.stderr);
    let graph_flags = match &cli.command {
        Some(Command::Run { graph, .. } | Command::Bench { graph, .. }) => graph,
        _ => &cli.graph,
    };
    let (limit_flags, graph_flags) = cli.limits_for(graph_flags);
    limit_flags.check(&graph_flags)?;
    let limits = limit_flags.limits(&graph_flags);
    match cli.command {
        Some(Command::Report { file, format, fields, pretty, full, lint, .. }) => {
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
                    let options = Options { fields: fields.unwrap_or_default(), pretty, full, colors };
                    emit(&file, out, format, options, &limits, lint.deny)
                }
            }
        }
        Some(Command::Plan { file, fields, pretty, lint, .. }) => {
            emit(&file, out, Format::Json, Options { fields, pretty, full: false, colors }, &limits, lint.deny)
        }
        Some(Command::Dot { file, full, lint, .. }) => {
            emit(&file, out, Format::Dot, Options { full, colors, ..Options::default() }, &limits, lint.deny)
        }
        Some(Command::Run { file, mode, threads, vars, format, out: path, no_fuse, .. }) => {
            let graph = graph_flags;
            // Without --format, the older spelling: an --out name ending in `.csv`.
            let csv_name =
                path.as_deref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
            let format = format::choose(Kind::Values, format.or(csv_name.then_some(Format::Csv)), "irtop run")?;
            let path = path.as_deref();
            let request = RunRequest { mode, threads, vars: &vars, format, path, fuse: !no_fuse, colors };
            run::run_once(&file, &graph.spec(), &request, out, &limits)
        }
        Some(Command::Bench {
            file,
            all,
            scales,
            twice,
            threads,
            reps,
            budget,
            modes,
            format,
            json,
            trace,
            no_fuse,
            ..
        }) => {
            let graph = graph_flags;
            // `--json` is the older spelling of `--format json`.
            let format = format.or(json.then_some(Format::Json));
            match (all, file) {
                (Some(dir), _) => {
                    let format = format::choose(Kind::Accuracy, format, "irtop bench --all")?;
                    let threads = prelude::threads(threads)?;
                    let request = bench_all::AllRequest { threads, reps, budget, scales, twice, format, colors };
                    bench_all::bench_all(&dir, &request, out, &limits)
                }
                (None, Some(file)) => {
                    let format = format::choose(Kind::Bench, format, "irtop bench")?;
                    let trace = trace.as_deref();
                    let request = BenchRequest { threads, reps, budget, modes, format, trace, fuse: !no_fuse, colors };
                    bench::bench(&file, &graph.spec(), request, out, &limits)
                }
                (None, None) => Err(CliError::Usage("bench needs an IR file or --all DIR".into())),
            }
        }
        Some(Command::Calibrate { threads, format, .. }) => {
            let format = format::choose(Kind::Calibration, format, "irtop calibrate")?;
            let threads = prelude::threads(threads)?;
            limits.check_memory(
                &format!(
                    "calibrating on {} (a few copies of a 64 MB map per thread)",
                    crate::units::count(threads, "thread")
                ),
                crate::limits::calibration_bytes(threads),
                "start",
                "Pass a smaller --threads",
            )?;
            calibrate::calibrate(threads, format, out)
        }
        Some(Command::Gen { ops, shape, width, seed, format, .. }) => {
            let format = format::choose(Kind::Ir, format, "irtop gen")?;
            if ops == 0 {
                return Err(CliError::Usage("--ops 0: an IR has at least 1 op; pass --ops 1 or more".into()));
            }
            if width == 0 {
                return Err(CliError::Usage("--width 0: a layer holds at least 1 op; pass --width 1 or more".into()));
            }
            crate::generate::check_ops(ops, &limits)?;
            export::write(out, Data::Ir(&crate::generate::generate(shape, ops, width, seed)), format)?;
            Ok(())
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            // clap_complete panics when its writer fails (a closed pipe, a full disk): the
            // script goes to a buffer first, and writing it out fails as any output does.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "irtop", &mut script);
            out.write_all(&script)?;
            out.flush()?;
            Ok(())
        }
        None => {
            let options = Options { colors, ..Options::default() };
            emit(&cli.file.unwrap_or_else(sample_path), out, Format::Text, options, &limits, None)
        }
    }
}

/// Says so on stderr when `--threads` asks for more threads than the machine has cores: they
/// run, taking turns, and no speedup can exceed the cores (a benchmark of 8 threads on 2
/// cores measures time-slicing, not parallelism).
fn note_oversubscription(command: Option<&Command>, palette: &crate::report::style::Palette) {
    let (Some(Command::Run { threads: Some(t), .. } | Command::Bench { threads: Some(t), .. })
    | Some(Command::Calibrate { threads: Some(t), .. })) = command
    else {
        return;
    };
    let cores = crate::pipeline::default_threads();
    if *t > cores && *t <= crate::limits::MAX_THREADS {
        eprintln!(
            "irtop: {}: --threads {t} is more than the {} this machine has: the threads take turns, and no \
             speedup can exceed {cores}x",
            crate::report::style::paint(palette.note, "note"),
            crate::units::count(cores, "core")
        );
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
        (flag, _) if flag.starts_with("--max-") => {
            let (_, takes) = command.limits();
            let takes = if takes.is_empty() { "no limit flags".to_owned() } else { takes.join(", ") };
            format!("{flag} before `{name}`: `{name}` does not apply it (it takes {takes}); leave it out")
        }
        (flag, Command::Run { .. } | Command::Bench { .. }) => {
            format!("{flag} before `{name}`: put the graph flags after the subcommand (`irtop {name} FILE {flag} ...`)")
        }
        (flag, _) => format!(
            "{flag} before `{name}`: `{name}` runs nothing; graph flags belong to `irtop run`, `irtop bench` and the terminal UI"
        ),
    }))
}
