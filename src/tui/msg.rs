//! Every event the TUI reacts to, on one channel: terminal input, file changes, and the
//! results of background jobs.

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent};

use crate::report::bench_report::BenchReport;

use super::model::{FileProblem, Snapshot};

/// One event for [`super::app::update`].
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event (wheel, click).
    Mouse(MouseEvent),
    /// The terminal is now `(columns, rows)`.
    Resize(u16, u16),
    /// The watched file changed, appeared or disappeared (debounced).
    FileChanged,
    /// The watcher could not be set up or stopped working; live reload is off.
    WatchFailed(String),
    /// A reload finished.
    Analysed {
        /// The reload's generation; older generations are ignored.
        generation: u64,
        /// The new snapshot, or why there is none.
        outcome: Result<Snapshot, FileProblem>,
    },
    /// A benchmark reports progress.
    BenchProgress {
        /// The run's generation.
        generation: u64,
        /// 0 to 1.
        fraction: f32,
        /// Where it is: the graph being built, the round and mode running, the time left.
        label: String,
    },
    /// A benchmark finished (or failed).
    BenchFinished {
        /// The run's generation.
        generation: u64,
        /// The report (boxed: it is by far the largest message), or why there is none.
        outcome: Result<Box<BenchReport>, String>,
    },
    /// The session history (`w`) was written to this path, or why it was not.
    HistoryWritten(Result<std::path::PathBuf, String>),
    /// `$EDITOR` exited (or could not start).
    EditorClosed(Result<(), String>),
    /// Terminal input cannot be read any more; the TUI quits.
    InputFailed(String),
    /// The process got a termination signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT: its number);
    /// the TUI restores the terminal and exits.
    Signal(i32),
    /// The process was asked to stop (SIGTSTP: `kill -TSTP`, or Ctrl-Z while not in raw
    /// mode): restore the terminal and stop, as Ctrl-Z does.
    Suspend,
    /// The process was continued (SIGCONT: `fg`, `kill -CONT`): take the terminal again and
    /// redraw everything.
    Continued,
    /// Time passed while something animates (the spinner).
    Tick,
}

impl Msg {
    /// The message for a terminal event, if the TUI cares about it (key presses, not
    /// releases; mouse; resizes).
    pub(crate) fn from_terminal(event: Event) -> Option<Msg> {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
            Event::Mouse(m) => Some(Msg::Mouse(m)),
            Event::Resize(w, h) => Some(Msg::Resize(w, h)),
            _ => None,
        }
    }
}
