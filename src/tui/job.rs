//! The TUI's one kind of background job, latest wins (gitui's `AsyncSingleJob`): reloads
//! and benchmarks both run on a [`LatestJob`].
//!
//! A job has one worker thread that runs one request at a time. A newer request supersedes
//! the older ones: one that has not started is dropped unrun, and the one running is asked to
//! stop (its cancel flag turns true). The work sends its results to the UI as messages tagged
//! with the request's generation, and `update` uses only the latest generation's.
//!
//! A run may hand back a delivery token: the worker then starts nothing new until the token's
//! last owner drops it (the UI, once the result is on screen or thrown away), which bounds
//! how many large results are alive at once. What the UI hands back with [`LatestJob::free`]
//! is dropped on the worker's thread meanwhile, not on the UI's.

use std::any::Any;
use std::iter;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

/// What a [`LatestJob`] runs.
pub(crate) trait Work: Send + 'static {
    /// What each run is asked to do.
    type Request: Send + 'static;

    /// Runs `request` as `generation` and sends its result. `cancel` turns true when a newer
    /// request arrives or the job is dropped; work that can stop early should look at it.
    /// Returns the result's delivery token, if the next run must wait until it is dropped.
    fn run(&mut self, generation: u64, request: Self::Request, cancel: &AtomicBool) -> Option<Weak<()>>;
}

/// How often the worker looks whether its last result was delivered while it waits to start
/// the next run.
const DELIVERY_POLL: Duration = Duration::from_millis(5);

/// What the handle sends the worker.
enum Command<R> {
    /// Run this request as this generation (unless superseded by then).
    Run(u64, R),
    /// Drop this here.
    Free(Box<dyn Any + Send>),
}

/// What the handle and the worker share.
struct Shared {
    /// The generation that may still run: the latest request, until it is cancelled or the
    /// job is dropped.
    wanted: Option<u64>,
    /// The run in progress and its cancel flag.
    running: Option<(u64, Arc<AtomicBool>)>,
}

/// A latest-wins background job: see the module documentation.
pub struct LatestJob<R> {
    commands: Sender<Command<R>>,
    shared: Arc<Mutex<Shared>>,
}

impl<R: Send + 'static> LatestJob<R> {
    /// Starts the worker thread `name` for `work`.
    pub(crate) fn spawn<W: Work<Request = R>>(name: &str, work: W) -> std::io::Result<LatestJob<R>> {
        let (commands, rx) = mpsc::channel();
        let shared = Arc::new(Mutex::new(Shared { wanted: None, running: None }));
        let worker_shared = shared.clone();
        std::thread::Builder::new().name(name.to_owned()).spawn(move || worker(work, &rx, &worker_shared))?;
        Ok(LatestJob { commands, shared })
    }

    /// Asks for `request` as `generation`: the run in progress is asked to stop, and any
    /// request still waiting is dropped unrun.
    pub fn start(&self, generation: u64, request: R) {
        {
            let mut shared = lock(&self.shared);
            shared.wanted = Some(generation);
            if let Some((_, cancel)) = &shared.running {
                cancel.store(true, Ordering::Relaxed);
            }
        }
        let _ = self.commands.send(Command::Run(generation, request));
    }

    /// Cancels request `generation`: stops it if it runs, drops it if it waits; nothing if
    /// a newer one was asked for since.
    pub fn cancel(&self, generation: u64) {
        let mut shared = lock(&self.shared);
        if shared.wanted == Some(generation) {
            shared.wanted = None;
        }
        if let Some((running, cancel)) = &shared.running
            && *running == generation
        {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Drops `value` on the worker's thread (a large result that left the screen, or came too
    /// late to be shown), between runs.
    pub fn free(&self, value: impl Send + 'static) {
        let _ = self.commands.send(Command::Free(Box::new(value)));
    }
}

impl<R> Drop for LatestJob<R> {
    /// Stops the run in progress and drops the waiting requests; the worker then ends.
    fn drop(&mut self) {
        let mut shared = lock(&self.shared);
        shared.wanted = None;
        if let Some((_, cancel)) = &shared.running {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock leaves plain data behind: keep using it.
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// The worker's loop: take the latest request, wait until the last result was delivered,
/// then run it unless it was superseded or cancelled meanwhile.
fn worker<W: Work>(mut work: W, rx: &Receiver<Command<W::Request>>, shared: &Mutex<Shared>) {
    let mut in_flight: Option<Weak<()>> = None;
    // The latest request seen in `commands`, dropping the ones it supersedes and freeing
    // what is handed over.
    let take = |commands: &mut dyn Iterator<Item = Command<W::Request>>, wanted: &mut Option<(u64, W::Request)>| {
        for command in commands {
            match command {
                Command::Run(generation, request) => *wanted = Some((generation, request)),
                Command::Free(value) => drop(value),
            }
        }
    };
    while let Ok(first) = rx.recv() {
        let mut wanted = None;
        take(&mut iter::once(first).chain(rx.try_iter()), &mut wanted);
        if wanted.is_none() {
            continue;
        }
        while in_flight.as_ref().is_some_and(|w| w.strong_count() > 0) {
            match rx.recv_timeout(DELIVERY_POLL) {
                Ok(command) => take(&mut iter::once(command), &mut wanted),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // What the UI handed back as it took the last result is freed before the next run.
        take(&mut rx.try_iter(), &mut wanted);
        let Some((generation, request)) = wanted else { continue };
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut shared = lock(shared);
            if shared.wanted != Some(generation) {
                continue; // Cancelled, or a newer request is on its way.
            }
            shared.running = Some((generation, cancel.clone()));
        }
        in_flight = work.run(generation, request, &cancel);
        let mut shared = lock(shared);
        if shared.running.as_ref().is_some_and(|(g, _)| *g == generation) {
            shared.running = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a hang waits this long, however loaded the machine.
    const HANG: Duration = Duration::from_secs(120);

    /// What the test work reports.
    #[derive(Debug, PartialEq, Eq)]
    enum Event {
        Started(u64),
        Finished { generation: u64, cancelled: bool },
    }

    /// Work that reports when it starts, then waits for the test's go, and reports whether it
    /// was asked to stop meanwhile. It hands back the token the test gives it, if any.
    struct Gated {
        events: Sender<Event>,
        go: Receiver<()>,
        tokens: Receiver<Weak<()>>,
    }

    impl Work for Gated {
        type Request = ();

        fn run(&mut self, generation: u64, _: (), cancel: &AtomicBool) -> Option<Weak<()>> {
            self.events.send(Event::Started(generation)).unwrap();
            self.go.recv_timeout(HANG).expect("the test lets every run finish");
            let cancelled = cancel.load(Ordering::Relaxed);
            self.events.send(Event::Finished { generation, cancelled }).unwrap();
            self.tokens.try_recv().ok()
        }
    }

    /// Says on its channel when it is dropped.
    struct SaysWhenDropped(Sender<()>);

    impl Drop for SaysWhenDropped {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }

    struct Harness {
        job: LatestJob<()>,
        events: Receiver<Event>,
        go: Sender<()>,
        tokens: Sender<Weak<()>>,
    }

    fn harness() -> Harness {
        let (events_tx, events) = mpsc::channel();
        let (go, go_rx) = mpsc::channel();
        let (tokens, tokens_rx) = mpsc::channel();
        let job = LatestJob::spawn("test-job", Gated { events: events_tx, go: go_rx, tokens: tokens_rx }).unwrap();
        Harness { job, events, go, tokens }
    }

    impl Harness {
        fn next(&self) -> Event {
            self.events.recv_timeout(HANG).expect("the worker hung")
        }
    }

    #[test]
    fn a_newer_request_stops_the_running_one_and_drops_the_waiting_ones() {
        let h = harness();
        h.job.start(1, ());
        assert_eq!(h.next(), Event::Started(1));
        h.job.start(2, ());
        h.job.start(3, ());
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 1, cancelled: true });
        assert_eq!(h.next(), Event::Started(3), "2 was superseded before it started");
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 3, cancelled: false });
    }

    #[test]
    fn cancel_stops_a_running_request_and_drops_a_waiting_one() {
        let h = harness();
        h.job.start(1, ());
        assert_eq!(h.next(), Event::Started(1));
        h.job.cancel(7); // Not a request of this job: nothing happens.
        h.job.start(2, ());
        h.job.cancel(2);
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 1, cancelled: true });
        h.job.start(3, ());
        assert_eq!(h.next(), Event::Started(3), "2 never ran");
        h.job.cancel(3);
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 3, cancelled: true });
    }

    #[test]
    fn the_next_run_waits_for_the_last_result_to_be_delivered_freeing_meanwhile() {
        let h = harness();
        let token = Arc::new(());
        h.tokens.send(Arc::downgrade(&token)).unwrap();
        h.job.start(1, ());
        assert_eq!(h.next(), Event::Started(1));
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 1, cancelled: false });
        h.job.start(2, ());
        // Handed back while the worker waits: freed without the token being dropped.
        let (dropped_tx, dropped) = mpsc::channel();
        h.job.free(SaysWhenDropped(dropped_tx));
        dropped.recv_timeout(HANG).expect("freed on the worker");
        assert!(h.events.try_recv().is_err(), "2 started before 1 was delivered");
        drop(token);
        assert_eq!(h.next(), Event::Started(2));
        h.go.send(()).unwrap();
        assert_eq!(h.next(), Event::Finished { generation: 2, cancelled: false });
    }

    #[test]
    fn dropping_the_job_stops_the_running_request() {
        let h = harness();
        h.job.start(1, ());
        assert_eq!(h.next(), Event::Started(1));
        h.job.start(2, ());
        let Harness { job, events, go, .. } = h;
        drop(job);
        go.send(()).unwrap();
        assert_eq!(events.recv_timeout(HANG).unwrap(), Event::Finished { generation: 1, cancelled: true });
        assert!(events.recv_timeout(HANG).is_err(), "2 never ran and the worker ended");
    }
}
