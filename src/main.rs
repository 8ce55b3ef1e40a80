//! The `irtop` binary: parse arguments, run, map errors to exit codes (2: bad input,
//! 3: a finding denied by `--deny`, 1: internal failure). `irtop [FILE]` on a terminal opens
//! the TUI. Every error, clap's included, starts `irtop: error:`.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use irtop::cli::color::ColorWhen;
use irtop::cli::{run, sample_path};
use irtop::report::escape::escape_control_keep_lines;
use irtop::report::style::{Palette, paint};
use irtop::tui::{self, Theme, TuiError};

/// Kernels allocate a fresh node map per op; mimalloc keeps freed maps for reuse instead
/// of returning them to the OS, which otherwise costs page faults on every op.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let when = ColorWhen::from_args(&args);
    // The error and panic reports follow `--color` and `NO_COLOR` as the rest of stderr does.
    let hooks = color_eyre::config::HookBuilder::default();
    let hooks = if when.colors(&std::io::stderr()) { hooks } else { hooks.theme(color_eyre::config::Theme::new()) };
    if let Err(e) = hooks.install() {
        eprintln!("irtop: cannot install the error reporter: {e}");
    }
    // A file-size limit (`ulimit -f`) makes a write fail with an error, which irtop reports
    // with the file's name, instead of killing the process mid-write.
    // SAFETY: setting a signal's disposition to SIG_IGN runs no code of ours.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let cli = match irtop::cli::suggest::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e, when),
    };
    let errors = cli.color.stderr();
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        if cli.file.as_deref().is_some_and(|f| f.as_os_str() == "-") {
            error(
                &errors,
                "-: the terminal UI watches a file for saves, and standard input is not one; \
                 save the IR to a file, or pipe it to `irtop report -`",
            );
            return ExitCode::from(2);
        }
        if let Err(e) = cli.limits.check(&cli.graph) {
            error(&errors, &escape_control_keep_lines(&e.to_string()));
            return ExitCode::from(2);
        }
        // The TUI reads files only: a pipe would block its reload and benchmark threads.
        let limits = irtop::limits::Limits { regular_files_only: true, ..cli.limits.limits(&cli.graph) };
        let budget = match irtop::cli::args::budget(cli.budget) {
            Ok(b) => b,
            Err(why) => {
                error(&errors, &why);
                return ExitCode::from(2);
            }
        };
        // The TUI's colours follow --color too: `never` is its monochrome theme, `always`
        // colours whatever NO_COLOR says, `auto` reads NO_COLOR.
        let theme = match cli.color {
            ColorWhen::Auto => Theme::from_env(),
            ColorWhen::Always => {
                // crossterm drops colours under NO_COLOR by itself; `always` overrides that.
                ratatui::crossterm::style::force_color_output(true);
                Theme::colored()
            }
            ColorWhen::Never => Theme::no_color(),
        };
        let spec = cli.graph.spec();
        // A missing edge list is said now, not when `b` first needs it.
        if let Some(graph) = &spec.graph
            && let Err(e) = std::fs::metadata(graph)
        {
            error(
                &errors,
                &format!(
                    "--graph {}: {e}; benchmarks (b) run on this file: give an existing edge list, \
                     or leave --graph out for the built-in R-MAT graph",
                    escape_control_keep_lines(&graph.display().to_string())
                ),
            );
            return ExitCode::from(2);
        }
        let file = cli.file.clone().unwrap_or_else(sample_path);
        return run_tui(file, spec, limits, budget, theme, &errors);
    }
    // The process ends when the command does.
    irtop::cli::leave_memory_to_exit();
    // Buffered: stdout is line-buffered, and a plan of a big IR has millions of lines.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(irtop::cli::CliError::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.exit_code() == 1 && is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Node ids and names in messages are the file's text: no control characters
            // reach the terminal.
            error(&errors, &escape_control_keep_lines(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// The terminal UI on `path`; a file that does not load exits 2 like the subcommands.
fn run_tui(
    path: PathBuf,
    graph: irtop::exec::graph_spec::GraphSpec,
    limits: irtop::limits::Limits,
    budget: std::time::Duration,
    theme: Theme,
    errors: &Palette,
) -> ExitCode {
    // What `b` will run on, in words, for the benchmark pane before the first run.
    let described = match (graph.nodes(), graph.edges()) {
        (Some(n), Some(m)) if graph.graph.is_none() => format!("{} ({n} nodes, {m} edges)", graph.describe()),
        _ => graph.describe(),
    };
    let options = tui::Options {
        graph: described,
        bench: tui::bench_job::executor_runner(graph, limits, budget),
        limits,
        threads: irtop::pipeline::default_threads(),
        theme,
    };
    match tui::run(&path, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(TuiError::Load(e)) => {
            error(errors, &escape_control_keep_lines(&e.to_string()));
            ExitCode::from(2)
        }
        Err(TuiError::Signal(signal)) => {
            eprintln!("irtop: {}; the terminal is restored", TuiError::Signal(signal));
            ExitCode::from(tui::signals::exit_status(signal))
        }
        Err(e) => {
            let report = color_eyre::eyre::Report::new(e).wrap_err("the terminal UI stopped");
            error(errors, &format!("{report:?}"));
            ExitCode::from(1)
        }
    }
}

/// Writes `irtop: error: MESSAGE` to stderr, `error:` in the palette's colour (as clap
/// paints it in its own errors).
fn error(palette: &Palette, message: &str) {
    eprintln!("irtop: {} {message}", paint(palette.error, "error:"));
}

/// A parse error of clap's, with `irtop: ` in front like irtop's own (`irtop: error:
/// unrecognized subcommand 'repot'`), coloured as `--color` says; `--help` and `--version`
/// print to stdout and exit 0 as clap does.
fn clap_exit(e: &clap::Error, when: ColorWhen) -> ExitCode {
    if !e.use_stderr() {
        e.exit();
    }
    let styled = e.render();
    let text = if when.colors(&std::io::stderr()) { styled.ansi().to_string() } else { styled.to_string() };
    eprint!("irtop: {text}");
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// `irtop plan x | head` closes the pipe early; that is not a failure.
fn is_broken_pipe(e: &irtop::cli::CliError) -> bool {
    matches!(e, irtop::cli::CliError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
