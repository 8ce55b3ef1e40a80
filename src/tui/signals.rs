//! Signals while the TUI is up. In raw mode Ctrl-C, Ctrl-\ and Ctrl-Z arrive as keys, but
//! `kill`, a closed terminal (SIGHUP), a service manager (SIGTERM) or a shell's job control
//! send signals, whose default actions would end or stop the process with the terminal
//! still raw and on the alternate screen.
//!
//! - The first SIGTERM, SIGHUP, SIGINT or SIGQUIT becomes a [`Msg::Signal`], so the loop quits
//!   and the guard restores the terminal; a second one (the loop is stuck) restores the
//!   terminal from the signal thread and exits at once.
//! - SIGTSTP becomes [`Msg::Suspend`]: the loop restores the terminal and stops the process,
//!   as any full-screen program does; SIGCONT (after `fg`, or a `kill -STOP` and `-CONT`)
//!   becomes [`Msg::Continued`]: the loop takes the terminal again and redraws.
//! - While `$EDITOR` runs ([`ForegroundChild`]) the terminal is the editor's: SIGINT and
//!   SIGQUIT typed there reach it directly and are not a quit; SIGTERM and SIGHUP are passed
//!   on to it and the TUI quits once it has exited (a second one kills it, so it is never
//!   left behind); SIGTSTP stops irtop with it, so that the shell sees the job stop.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGKILL, SIGQUIT, SIGSTOP, SIGTERM, SIGTSTP};
use signal_hook::iterator::{Handle, Signals};

use super::msg::Msg;
use super::terminal;

/// The signals the TUI turns into a quit.
pub(crate) const QUIT_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// The pid of the editor the TUI waits for, [`STARTING`] while it is being started, or 0.
static CHILD: AtomicI32 = AtomicI32::new(0);

/// [`CHILD`] while the editor is being spawned: its pid is not known yet, but a signal
/// already belongs to it (it may be running before `spawn` returns).
const STARTING: i32 = -1;

/// Forwarding is on while this lives; dropping it restores the default handling.
pub struct SignalForwarder {
    handle: Handle,
}

/// Marks the editor as the process the terminal belongs to until dropped.
pub(crate) struct ForegroundChild(());

impl ForegroundChild {
    /// An editor is about to be started: signals wait for [`ForegroundChild::started`] (or
    /// the drop, if it cannot start) to know where they go.
    pub(crate) fn starting() -> ForegroundChild {
        CHILD.store(STARTING, Ordering::SeqCst);
        ForegroundChild(())
    }

    /// The editor `pid` has the terminal now.
    pub(crate) fn started(&self, pid: u32) {
        CHILD.store(i32::try_from(pid).unwrap_or(0), Ordering::SeqCst);
    }
}

/// The editor's pid, or 0; waits out the moment between the fork and `spawn` returning.
fn foreground_child() -> i32 {
    loop {
        match CHILD.load(Ordering::SeqCst) {
            STARTING => std::thread::yield_now(),
            pid => return pid,
        }
    }
}

impl Drop for ForegroundChild {
    fn drop(&mut self) {
        CHILD.store(0, Ordering::SeqCst);
    }
}

/// The exit status of a process ended by signal `signal`, as a shell reports it.
pub fn exit_status(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

/// The signal's name (`SIGTERM`), or its number.
pub fn name(signal: i32) -> String {
    match signal {
        SIGTERM => "SIGTERM".into(),
        SIGHUP => "SIGHUP".into(),
        SIGINT => "SIGINT".into(),
        SIGQUIT => "SIGQUIT".into(),
        other => format!("signal {other}"),
    }
}

/// Sends `signal` to process `pid`.
fn kill(pid: i32, signal: i32) {
    // SAFETY: kill only sends a signal; a stale pid at worst gets an error back.
    unsafe { libc::kill(pid, signal) };
}

/// Starts forwarding signals to `tx` as described in the module documentation.
pub fn forward(tx: Sender<Msg>) -> std::io::Result<SignalForwarder> {
    let mut signals = Signals::new(QUIT_SIGNALS.iter().copied().chain([SIGTSTP, SIGCONT]))?;
    let handle = signals.handle();
    std::thread::Builder::new().name("irtop-signals".into()).spawn(move || {
        let mut quits = 0;
        let mut editor_quits = 0;
        for signal in signals.forever() {
            let child = foreground_child();
            match signal {
                SIGTSTP if child != 0 => {
                    // The editor stops on its own (Ctrl-Z reached the whole job): stop too.
                    let _ = signal_hook::low_level::raise(SIGSTOP);
                }
                SIGTSTP => drop(tx.send(Msg::Suspend)),
                SIGCONT => drop(tx.send(Msg::Continued)),
                SIGINT | SIGQUIT if child != 0 => {}
                _ if child != 0 => {
                    editor_quits += 1;
                    kill(child, if editor_quits > 1 { SIGKILL } else { signal });
                    if editor_quits == 1 {
                        let _ = tx.send(Msg::Signal(signal));
                    }
                }
                _ => {
                    quits += 1;
                    if quits + editor_quits > 1 || tx.send(Msg::Signal(signal)).is_err() {
                        terminal::restore();
                        std::process::exit(i32::from(exit_status(signal)));
                    }
                }
            }
        }
    })?;
    Ok(SignalForwarder { handle })
}

impl Drop for SignalForwarder {
    fn drop(&mut self) {
        self.handle.close();
    }
}
