//! The reload worker holds memory to one analysis beyond the one on screen: while a result
//! it sent has not been taken by the UI, it builds no other, and once the UI takes it or
//! throws it away, the next one follows.

mod tui_support;

use std::sync::mpsc;
use std::time::Duration;

use irtop::limits::Limits;
use irtop::tui::reload_job;
use irtop::tui::{Msg, update};

/// A chain IR named `name`.
fn chain(name: &str) -> String {
    format!(
        r#"{{"name": "{name}", "nodes": [
            {{"id": "a", "op_type": "init_nodes", "output": "x", "metadata": {{"default": 1.0}}}},
            {{"id": "b", "op_type": "add", "inputs": ["x", "x"], "output": "y"}}]}}"#
    )
}

fn analysed(msg: &Msg) -> (u64, String) {
    match msg {
        Msg::Analysed { generation, outcome: Ok(s) } => (*generation, s.ir.name.clone()),
        other => panic!("expected an analysis, got {other:?}"),
    }
}

#[test]
fn a_reload_waits_until_the_last_result_is_taken() {
    let dir = std::env::temp_dir().join(format!("irtop-reload-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ir.json");
    std::fs::write(&file, chain("first")).unwrap();
    let mut app = tui_support::app("diamond", 80, 24);
    let (tx, rx) = mpsc::channel();
    let reloader = reload_job::spawn(file.clone(), tx, Limits::default()).expect("reload worker");

    let g1 = app.model.reload.start();
    reloader.start(g1, ());
    let first = rx.recv_timeout(Duration::from_secs(30)).expect("the first result");

    // The file changes again while the first result waits, untaken, in the channel.
    std::fs::write(&file, chain("second")).unwrap();
    let g2 = app.model.reload.start();
    reloader.start(g2, ());
    // A chain of two ops loads in microseconds: a worker that did not wait would have sent
    // the second result long before this.
    assert!(rx.recv_timeout(Duration::from_millis(500)).is_err(), "a second analysis was built meanwhile");

    // The UI takes the first (now superseded, so it is thrown away), and the second follows.
    let (generation, name) = analysed(&first);
    assert_eq!((generation, name.as_str()), (g1, "first"));
    update(&mut app, first);
    let second = rx.recv_timeout(Duration::from_secs(30)).expect("the second result once the first is taken");
    update(&mut app, second);
    assert_eq!(app.model.snapshot.ir.name, "second");
    assert!(!app.model.reload.pending);
    let _ = std::fs::remove_dir_all(&dir);
}
