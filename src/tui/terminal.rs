//! The terminal: raw mode, alternate screen and mouse capture on the way in, all undone on
//! the way out by a drop guard and by a panic hook, and suspended around `$EDITOR` and while
//! the process is stopped (Ctrl-Z).
//!
//! The panic hook restores the terminal before the previous hook (color-eyre's) prints, so
//! the report lands on a normal screen. A panic on another thread while the TUI is up is
//! not printed (it would scribble over the screen): the reload and benchmark threads catch
//! their panics and show them in the UI.

use std::io::{self, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{MoveTo, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// True while the terminal is in TUI mode.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The thread that drives the TUI.
static UI_THREAD: Mutex<Option<ThreadId>> = Mutex::new(None);
static HOOK: Once = Once::new();

/// The terminal in TUI mode; dropping it restores the terminal.
pub(crate) struct TerminalGuard {
    /// The ratatui terminal to draw on.
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Installs the panic hook (once), then enters raw mode, the alternate screen and mouse
    /// capture. On failure the terminal is left as it was.
    pub(crate) fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        *UI_THREAD.lock().unwrap_or_else(|p| p.into_inner()) = Some(std::thread::current().id());
        enable()?;
        match Terminal::new(CrosstermBackend::new(stdout())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                leave();
                Err(e)
            }
        }
    }

    /// Gives the terminal back (for `$EDITOR`).
    pub(crate) fn suspend(&mut self) {
        leave();
    }

    /// Takes the terminal again after [`TerminalGuard::suspend`] and redraws from scratch.
    pub(crate) fn resume(&mut self) -> io::Result<()> {
        enable()?;
        self.terminal.clear()
    }

    /// Gives the terminal back and stops the process (SIGSTOP), as Ctrl-Z does in a shell;
    /// returns once the process is continued (`fg`), with the terminal taken again.
    pub(crate) fn stop_process(&mut self) -> io::Result<()> {
        leave();
        let _ = stdout().flush();
        signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
        self.retake()
    }

    /// Takes the terminal again whatever state it is in, and redraws from scratch: after the
    /// process was stopped and continued the shell has used the terminal, maybe reset it to
    /// cooked mode and drawn over the screen, while irtop's own state says TUI mode.
    pub(crate) fn retake(&mut self) -> io::Result<()> {
        // crossterm skips enabling raw mode when it believes it is on: reset its belief.
        let _ = disable_raw_mode();
        ACTIVE.store(false, Ordering::SeqCst);
        enable()?;
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}

fn enable() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture) {
        leave();
        return Err(e);
    }
    Ok(())
}

/// Leaves TUI mode from anywhere (the signal thread, when the loop does not answer);
/// harmless when not in it.
pub(crate) fn restore() {
    leave();
}

/// Leaves TUI mode; harmless when not in it. The alternate screen is cleared first: a
/// terminal that grew while on it (tmux) otherwise carries its last rows over to the normal
/// screen.
fn leave() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ =
            execute!(stdout(), DisableMouseCapture, Clear(ClearType::All), MoveTo(0, 0), LeaveAlternateScreen, Show);
        let _ = disable_raw_mode();
    }
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ACTIVE.load(Ordering::SeqCst) {
                let ui = *UI_THREAD.lock().unwrap_or_else(|p| p.into_inner());
                if ui != Some(std::thread::current().id()) {
                    return;
                }
                leave();
            }
            previous(info);
        }));
    });
}
