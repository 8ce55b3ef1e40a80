//! Termination signals while the TUI is up. In raw mode Ctrl-C and Ctrl-\ arrive as keys,
//! but `kill`, a closed terminal (SIGHUP) or a service manager (SIGTERM) send signals, whose
//! default action would end the process with the terminal still raw and on the alternate
//! screen. Here the first SIGTERM, SIGHUP, SIGINT or SIGQUIT becomes a [`Msg::Signal`] on the
//! TUI's channel, so the loop quits and the guard restores the terminal; a second one (the
//! loop is stuck) restores the terminal from the signal thread and exits at once.

use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

use super::msg::Msg;
use super::terminal;

/// The signals the TUI turns into a quit.
pub const QUIT_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// Forwarding is on while this lives; dropping it restores the default handling.
pub struct SignalForwarder {
    handle: Handle,
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

/// Starts forwarding [`QUIT_SIGNALS`] to `tx` as [`Msg::Signal`].
pub fn forward(tx: Sender<Msg>) -> std::io::Result<SignalForwarder> {
    let mut signals = Signals::new(QUIT_SIGNALS)?;
    let handle = signals.handle();
    std::thread::Builder::new().name("irtop-signals".into()).spawn(move || {
        let mut received = 0;
        for signal in signals.forever() {
            received += 1;
            if received > 1 || tx.send(Msg::Signal(signal)).is_err() {
                terminal::restore();
                std::process::exit(i32::from(exit_status(signal)));
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
