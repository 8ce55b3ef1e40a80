//! The file watcher as editors exercise it: save by rename, delete and recreate, several
//! writes in a row (one debounced message), and no message for reads (irtop's own reloads)
//! or for other files in the directory.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use irtop::tui::Msg;
use irtop::tui::watcher::{DEBOUNCE, FileWatcher, watch};

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn setup(test: &str) -> (Dir, PathBuf, FileWatcher, Receiver<Msg>) {
    let dir = std::env::temp_dir().join(format!("irtop-watch-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ir.json");
    std::fs::write(&file, "{}").unwrap();
    let (tx, rx) = mpsc::channel();
    let watcher = watch(&file, tx, DEBOUNCE).expect("watch");
    (Dir(dir), file, watcher, rx)
}

/// `FileChanged` messages received until `quiet` passes without one.
fn changes(rx: &Receiver<Msg>, quiet: Duration) -> usize {
    let mut n = 0;
    while let Ok(msg) = rx.recv_timeout(quiet) {
        assert!(matches!(msg, Msg::FileChanged), "{msg:?}");
        n += 1;
    }
    n
}

const QUIET: Duration = Duration::from_millis(600);

fn rename_over(file: &Path, text: &str) {
    let tmp = file.with_extension("swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn save_by_rename_is_one_change() {
    let (_dir, file, _w, rx) = setup("rename");
    rename_over(&file, "{\"nodes\": []}");
    assert_eq!(changes(&rx, QUIET), 1);
}

#[test]
fn delete_then_recreate_is_seen_both_times() {
    let (_dir, file, _w, rx) = setup("recreate");
    std::fs::remove_file(&file).unwrap();
    assert_eq!(changes(&rx, QUIET), 1);
    std::fs::write(&file, "{\"nodes\": []}").unwrap();
    assert_eq!(changes(&rx, QUIET), 1);
}

#[test]
fn writes_in_several_chunks_are_debounced() {
    let (_dir, file, _w, rx) = setup("chunks");
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).truncate(true).open(&file).unwrap();
    for chunk in ["{\"nodes\"", ": [", "]}"] {
        f.write_all(chunk.as_bytes()).unwrap();
        f.flush().unwrap();
        std::thread::sleep(DEBOUNCE / 8);
    }
    drop(f);
    let n = changes(&rx, QUIET);
    assert!((1..3).contains(&n), "{n} messages for one chunked save");
}

#[test]
fn reads_and_other_files_are_ignored() {
    let (dir, file, _w, rx) = setup("ignored");
    let _ = std::fs::read(&file).unwrap();
    std::fs::write(dir.0.join("other.json"), "{}").unwrap();
    assert_eq!(changes(&rx, QUIET), 0);
}
