//! Terminal input on its own thread, turned into [`Msg`]s. It can be paused so that
//! `$EDITOR` gets every key while it runs.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;

use ratatui::crossterm::event;

use super::msg::Msg;
use super::panic_message;

/// How long a poll for input waits before checking for a pause request. The thread sleeps
/// in the kernel meanwhile, so this costs no CPU; it bounds how long a pause takes.
const POLL: Duration = Duration::from_millis(200);

enum Control {
    Pause(Sender<()>),
    Resume,
}

/// The input thread's handle; dropping it stops the thread.
pub(crate) struct Input {
    control: Sender<Control>,
}

impl Input {
    /// Starts reading terminal events and sending them on `tx`. If reading fails, sends
    /// [`Msg::InputFailed`] and stops.
    pub(crate) fn spawn(tx: Sender<Msg>) -> std::io::Result<Input> {
        let (control, rx) = mpsc::channel();
        std::thread::Builder::new().name("irtop-input".into()).spawn(move || {
            let failed = tx.clone();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_loop(&rx, &tx)));
            let why = match result {
                Ok(Ok(())) => return,
                Ok(Err(e)) => e.to_string(),
                Err(p) => panic_message(&p),
            };
            let _ = failed.send(Msg::InputFailed(why));
        })?;
        Ok(Input { control })
    }

    /// Stops reading input; returns once the thread has stopped.
    pub(crate) fn pause(&self) {
        let (ack, acked) = mpsc::channel();
        if self.control.send(Control::Pause(ack)).is_ok() {
            let _ = acked.recv_timeout(POLL * 4);
        }
    }

    /// Reads input again after [`Input::pause`].
    pub(crate) fn resume(&self) {
        let _ = self.control.send(Control::Resume);
    }
}

fn read_loop(control: &Receiver<Control>, tx: &Sender<Msg>) -> std::io::Result<()> {
    loop {
        match control.try_recv() {
            Ok(Control::Pause(ack)) => {
                let _ = ack.send(());
                loop {
                    match control.recv() {
                        Ok(Control::Resume) => break,
                        Ok(Control::Pause(ack)) => {
                            let _ = ack.send(());
                        }
                        Err(_) => return Ok(()),
                    }
                }
            }
            Ok(Control::Resume) | Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => return Ok(()),
        }
        if event::poll(POLL)?
            && let Some(msg) = Msg::from_terminal(event::read()?)
            && tx.send(msg).is_err()
        {
            return Ok(());
        }
    }
}
