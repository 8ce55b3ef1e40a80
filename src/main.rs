//! The `irtop` binary: parse arguments, run, map errors to exit codes (2: bad input,
//! 1: internal failure).

use std::process::ExitCode;

use clap::Parser;
use irtop::cli::{Cli, run};

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("irtop: cannot install the error reporter: {e}");
    }
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.exit_code() == 1 && is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("irtop: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// `irtop plan x | head` closes the pipe early; that is not a failure.
fn is_broken_pipe(e: &irtop::cli::CliError) -> bool {
    matches!(e, irtop::cli::CliError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
