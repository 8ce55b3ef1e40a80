//! Save-to-redraw time on the 10k-op sample, through the real watcher and reload worker:
//! rename a new version over the file, wait for the analysis message, apply it and draw a
//! 160x48 frame. Prints the times (`cargo test --release --test tui_reload_latency --
//! --nocapture` for the numbers that matter); it checks what is drawn, never how fast (the
//! machine may be loaded).

mod tui_support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use irtop::limits::Limits;
use irtop::tui::reload_job;
use irtop::tui::watcher::{DEBOUNCE, watch};
use irtop::tui::{Effect, Msg, update};
use tui_support::{app, screen};

#[test]
fn save_to_redraw_on_10k_ops() {
    let dir = std::env::temp_dir().join(format!("irtop-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("large.json");
    let text = std::fs::read_to_string(tui_support::sample("large_layered_10k")).unwrap();
    std::fs::write(&file, &text).unwrap();

    let mut app = app("large_layered_10k", 160, 48);
    app.model.path = file.clone();
    let (tx, rx) = mpsc::channel();
    let _watcher = watch(&file, tx.clone(), DEBOUNCE).expect("watch");
    let reloader = reload_job::spawn(file.clone(), tx, Limits::default()).expect("reload worker");

    for round in 0..3 {
        let changed = text.replacen("\"layered_10000\"", &format!("\"layered_10000_v{round}\""), 1);
        let tmp = dir.join("large.json.tmp");
        std::fs::write(&tmp, &changed).unwrap();
        let saved = Instant::now();
        std::fs::rename(&tmp, &file).unwrap();
        let mut noticed = None;
        let drawn = loop {
            // Only a hang takes two minutes.
            let msg = rx.recv_timeout(Duration::from_secs(120)).expect("no message within 120 s");
            let analysed = matches!(msg, Msg::Analysed { .. });
            if let Some(Effect::Reload { generation }) = update(&mut app, msg) {
                noticed.get_or_insert(saved.elapsed());
                reloader.start(generation, ());
            }
            if analysed && !app.model.reload.pending {
                let analysed_at = saved.elapsed();
                let s = screen(&app);
                assert!(s.contains(&format!("layered_10000_v{round}")), "{s}");
                break (analysed_at, saved.elapsed());
            }
        };
        let noticed = noticed.expect("the watcher saw the save");
        println!(
            "round {round}: watcher {:?} (debounce {DEBOUNCE:?}), analysed {:?}, drawn {:?}",
            noticed, drawn.0, drawn.1
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
