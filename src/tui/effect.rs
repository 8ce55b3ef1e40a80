//! What [`super::app::update`] asks the runtime to do: the only way the TUI touches the
//! world (files, threads, the terminal, the editor).

/// An effect for the runtime to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load and analyse the file again, off the UI thread; answer with
    /// [`super::msg::Msg::Analysed`] tagged `generation`.
    Reload {
        /// The reload's generation.
        generation: u64,
    },
    /// Cancel any benchmark in flight and start one on the current snapshot.
    StartBench {
        /// The run's generation.
        generation: u64,
        /// Worker threads.
        threads: usize,
        /// The modes to run.
        mode: super::bench_job::ModeChoice,
    },
    /// Cancel benchmark `generation`.
    CancelBench {
        /// The run's generation.
        generation: u64,
    },
    /// Write the session history `text` to `path` (a temporary file in the same directory,
    /// then renamed), then send [`super::msg::Msg::HistoryWritten`].
    WriteHistory {
        /// Where.
        path: std::path::PathBuf,
        /// The JSON.
        text: String,
    },
    /// Suspend the terminal, run `$EDITOR` on the file, restore the terminal, then send
    /// [`super::msg::Msg::EditorClosed`].
    OpenEditor,
    /// Give the terminal back and stop the process (Ctrl-Z, SIGTSTP); once continued, take
    /// the terminal again and redraw.
    Suspend,
    /// Take the terminal again (raw mode, alternate screen) and redraw everything: after
    /// SIGCONT the shell may have reset the terminal and drawn over the screen. A benchmark
    /// that was running while the process was stopped is cancelled (its generation).
    Resume {
        /// The generation of the benchmark run to cancel.
        cancel_bench: Option<u64>,
    },
    /// Leave the TUI.
    Quit,
}
