//! The benchmark job with fake runners: progress is forwarded (throttled), results are
//! tagged with their generation, Esc and a restart cancel the run in flight, and a runner
//! that panics becomes an error message instead of taking the UI down. (How the latest-wins
//! job drops requests superseded before they start is tested in `src/tui/job.rs`.)

mod tui_support;

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use irtop::exec::Mode;
use irtop::exec::bench::{Phase, Progress};
use irtop::pipeline::Stage;
use irtop::tui::bench_job::{self, BenchFn, BenchRequest, ModeChoice};
use irtop::tui::{Msg, update};
use tui_support::{app, bench_report, ch};

/// A benchmark stage `fraction` of the way.
fn at(fraction: f32) -> Stage {
    Stage::Bench(Progress { phase: Phase::Round { round: 1, planned: 5, mode: Mode::SEQ }, fraction, eta: None })
}

fn request() -> BenchRequest {
    let app = app("diamond", 80, 24);
    let s = &app.model.snapshot;
    BenchRequest {
        path: app.model.path.clone(),
        ir: s.ir.clone(),
        analysis: s.analysis.clone(),
        threads: 2,
        mode: ModeChoice::All,
    }
}

/// Waits until run `generation` reports progress: it is running.
fn running(rx: &Receiver<Msg>, generation: u64) {
    loop {
        match rx.recv_timeout(Duration::from_secs(120)).expect("the run never started") {
            Msg::BenchProgress { generation: g, .. } if g == generation => return,
            Msg::BenchFinished { generation: g, .. } if g == generation => panic!("run {g} finished before it ran"),
            _ => {}
        }
    }
}

/// Messages until the run's `BenchFinished`.
fn until_finished(rx: &Receiver<Msg>) -> Vec<Msg> {
    let mut out = Vec::new();
    loop {
        // Only a hang takes two minutes, however loaded the machine.
        let msg = rx.recv_timeout(Duration::from_secs(120)).expect("the run never finished");
        let done = matches!(msg, Msg::BenchFinished { .. });
        out.push(msg);
        if done {
            return out;
        }
    }
}

#[test]
fn progress_is_throttled_and_the_result_lands_in_the_app() {
    let runner: BenchFn = Arc::new(|_, _, progress| {
        for i in 0..=1000 {
            progress(&at(i as f32 / 1000.0));
        }
        Ok(bench_report())
    });
    let (tx, rx) = mpsc::channel();
    let jobs = bench_job::spawn(runner, tx).expect("bench worker");
    let mut app = app("diamond", 80, 24);
    update(&mut app, ch('b'));
    jobs.start(1, request());
    let msgs = until_finished(&rx);
    let progress = msgs.iter().filter(|m| matches!(m, Msg::BenchProgress { .. })).count();
    assert!((50..=102).contains(&progress), "{progress} progress messages");
    for msg in msgs {
        update(&mut app, msg);
    }
    assert_eq!(app.model.bench.last, Some(bench_report()));
    assert_eq!(app.model.bench.history.len(), 1);
}

/// A runner that waits for its cancel flag, recording that it saw it.
fn waits_for_cancel(seen: Arc<Mutex<Vec<String>>>) -> BenchFn {
    Arc::new(move |req, cancel, progress| {
        progress(&at(0.1));
        while !cancel.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(2));
        }
        seen.lock().unwrap().push(req.mode.name().to_owned());
        Err("cancelled".into())
    })
}

#[test]
fn cancel_stops_the_runner() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = mpsc::channel();
    let jobs = bench_job::spawn(waits_for_cancel(seen.clone()), tx).expect("bench worker");
    jobs.start(1, request());
    running(&rx, 1);
    jobs.cancel(1);
    let msgs = until_finished(&rx);
    assert!(matches!(msgs.last(), Some(Msg::BenchFinished { generation: 1, outcome: Err(_) })));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_new_run_cancels_the_one_in_flight() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = mpsc::channel();
    let jobs = bench_job::spawn(waits_for_cancel(seen.clone()), tx).expect("bench worker");
    jobs.start(1, BenchRequest { mode: ModeChoice::Only(Mode::ALL[1]), ..request() });
    running(&rx, 1);
    jobs.start(2, BenchRequest { mode: ModeChoice::Only(Mode::ALL[2]), ..request() });
    let msgs = until_finished(&rx);
    assert!(matches!(msgs.last(), Some(Msg::BenchFinished { generation: 1, .. })), "the first run stops");
    assert_eq!(*seen.lock().unwrap(), ["levels"]);
    running(&rx, 2);
    drop(jobs); // Dropping the jobs cancels the second run too.
    until_finished(&rx);
    assert_eq!(*seen.lock().unwrap(), ["levels", "dataflow"]);
}

#[test]
fn a_panicking_runner_is_an_error_message() {
    let runner: BenchFn = Arc::new(|_, _, _| panic!("kernel exploded"));
    let (tx, rx) = mpsc::channel();
    let jobs = bench_job::spawn(runner, tx).expect("bench worker");
    jobs.start(7, request());
    let msgs = until_finished(&rx);
    let Some(Msg::BenchFinished { generation: 7, outcome: Err(why) }) = msgs.last() else { panic!("{msgs:?}") };
    assert!(why.contains("panicked") && why.contains("kernel exploded"), "{why}");
}
