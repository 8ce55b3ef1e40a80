//! The terminal UI: `irtop [FILE]` on a terminal.
//!
//! One loop, one channel (see `STYLE.md`): terminal input, file changes and background
//! results all arrive as a [`msg::Msg`]; [`app::update`] turns each into a new [`app::App`]
//! state and at most one [`effect::Effect`], without I/O; the [`runtime`] carries out the
//! effect and draws the state with [`ui::draw`], a pure function of it.
//!
//! - state: [`model`] (the file, its last good analysis, benchmarks) and [`view`] (focus,
//!   overlays, and each pane's own state: selection by op id, scroll, sort, with the keys
//!   that move them), joined in [`app`];
//! - background work: one latest-wins job type, [`job`], serving [`reload_job`] (load +
//!   analyse) and [`bench_job`] (the benchmark runner the binary supplies), [`watcher`] (debounced notify on
//!   the file's directory), [`input`] (terminal events), [`signals`] (SIGTERM, SIGHUP,
//!   SIGINT and SIGQUIT as a quit message);
//! - drawing: [`layout`] (a function of the terminal size and a few counts), [`panes`]
//!   (each given only what it draws), [`theme`] (all colours, with a `NO_COLOR` variant).

pub(crate) mod app;
pub mod bench_job;
pub mod clock;
pub(crate) mod effect;
pub(crate) mod format;
pub(crate) mod freeze;
pub(crate) mod input;
pub mod job;
pub(crate) mod layout;
pub mod model;
pub(crate) mod msg;
pub mod panes;
pub mod reload_job;
pub(crate) mod rows;
pub(crate) mod runtime;
pub(crate) mod save_diff;
pub(crate) mod search;
pub(crate) mod session_history;
pub mod signals;
pub(crate) mod terminal;
pub(crate) mod theme;
pub mod ui;
pub mod view;
pub mod watcher;

use std::path::Path;

pub use app::{App, update};
pub use bench_job::{BenchFn, BenchRequest};
pub use effect::Effect;
pub use msg::Msg;
pub use theme::Theme;

/// How the binary configures the TUI.
pub struct Options {
    /// Runs benchmarks (the executor's entry point).
    pub bench: BenchFn,
    /// Threads a benchmark uses until the user changes it.
    pub threads: usize,
    /// Colours ([`Theme::from_env`] honours `NO_COLOR`).
    pub theme: Theme,
    /// The file size limit for loads and reloads.
    pub limits: crate::limits::Limits,
    /// The graph benchmarks run on, in words, shown before the first run.
    pub graph: String,
}

/// Why the TUI could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The file does not load (at startup; later failures are shown in the TUI).
    #[error(transparent)]
    Load(#[from] crate::ir::LoadError),
    /// The terminal could not be set up or drawn to.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// Terminal input stopped working.
    #[error("cannot read the terminal: {0}")]
    Input(String),
    /// A signal (SIGTERM, SIGHUP ...) ended the TUI; the terminal is restored.
    #[error("stopped by {}", signals::name(*.0))]
    Signal(i32),
}

/// Shows `path` in the terminal UI until the user quits. The file is loaded before the
/// terminal is touched, so a bad file returns [`TuiError::Load`] with the terminal as it was.
pub fn run(path: &Path, options: Options) -> Result<(), TuiError> {
    runtime::run(path, options)
}

/// The message of a caught panic.
pub(crate) fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
