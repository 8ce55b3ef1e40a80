//! The `irtop` binary: parse arguments, run, map errors to exit codes (2: bad input,
//! 1: internal failure). `irtop [FILE]` on a terminal opens the TUI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use irtop::cli::{run, sample_path};
use irtop::report::escape::escape_control_keep_lines;
use irtop::tui::{self, Theme, TuiError};

/// Kernels allocate a fresh node map per op; mimalloc keeps freed maps for reuse instead
/// of returning them to the OS, which otherwise costs page faults on every op.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("irtop: cannot install the error reporter: {e}");
    }
    // A file-size limit (`ulimit -f`) makes a write fail with an error, which irtop reports
    // with the file's name, instead of killing the process mid-write.
    // SAFETY: setting a signal's disposition to SIG_IGN runs no code of ours.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let cli = irtop::cli::suggest::try_parse_from(std::env::args_os().collect()).unwrap_or_else(|e| e.exit());
    if cli.command.is_none() && std::io::stdout().is_terminal() {
        if cli.file.as_deref().is_some_and(|f| f.as_os_str() == "-") {
            eprintln!(
                "irtop: error: -: the terminal UI watches a file for saves, and standard input is not one; \
                 save the IR to a file, or pipe it to `irtop report -`"
            );
            return ExitCode::from(2);
        }
        if let Err(e) = cli.limits.check(&cli.graph) {
            eprintln!("irtop: error: {}", escape_control_keep_lines(&e.to_string()));
            return ExitCode::from(2);
        }
        // The TUI reads files only: a pipe would block its reload and benchmark threads.
        let limits = irtop::limits::Limits { regular_files_only: true, ..cli.limits.limits(&cli.graph) };
        let budget = match irtop::cli::args::budget(cli.budget) {
            Ok(b) => b,
            Err(why) => {
                eprintln!("irtop: error: {why}");
                return ExitCode::from(2);
            }
        };
        return run_tui(cli.file.clone().unwrap_or_else(sample_path), cli.graph.spec(), limits, budget);
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
            eprintln!("irtop: error: {}", escape_control_keep_lines(&e.to_string()));
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
) -> ExitCode {
    let options = tui::Options {
        bench: tui::bench_job::executor_runner(graph, limits, budget),
        limits,
        threads: irtop::pipeline::default_threads(),
        theme: Theme::from_env(),
    };
    match tui::run(&path, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(TuiError::Load(e)) => {
            eprintln!("irtop: error: {}", escape_control_keep_lines(&e.to_string()));
            ExitCode::from(2)
        }
        Err(TuiError::Signal(signal)) => {
            eprintln!("irtop: {}; the terminal is restored", TuiError::Signal(signal));
            ExitCode::from(tui::signals::exit_status(signal))
        }
        Err(e) => {
            let report = color_eyre::eyre::Report::new(e).wrap_err("the terminal UI stopped");
            eprintln!("irtop: error: {report:?}");
            ExitCode::from(1)
        }
    }
}

/// `irtop plan x | head` closes the pipe early; that is not a failure.
fn is_broken_pipe(e: &irtop::cli::CliError) -> bool {
    matches!(e, irtop::cli::CliError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
