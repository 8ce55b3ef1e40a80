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

/// The first `FileChanged` (waiting as long as a loaded machine may take, [`HANG`]), then
/// [`changes`] after it: how many messages one burst of changes gave.
fn burst(rx: &Receiver<Msg>) -> usize {
    match rx.recv_timeout(HANG) {
        Ok(Msg::FileChanged) => 1 + changes(rx, QUIET),
        Ok(other) => panic!("{other:?}"),
        Err(_) => 0,
    }
}

/// Quiet time that ends a burst. A late message under load is counted as a burst of its
/// own, so the counts below are upper bounds that a slow machine cannot raise.
const QUIET: Duration = Duration::from_millis(600);

/// How long to wait for a change that must come: only a hang takes this long.
const HANG: Duration = Duration::from_secs(60);

fn rename_over(file: &Path, text: &str) {
    let tmp = file.with_extension("swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn save_by_rename_is_one_change() {
    let (_dir, file, _w, rx) = setup("rename");
    rename_over(&file, "{\"nodes\": []}");
    assert_eq!(burst(&rx), 1);
}

#[test]
fn delete_then_recreate_is_seen_both_times() {
    let (_dir, file, _w, rx) = setup("recreate");
    std::fs::remove_file(&file).unwrap();
    assert_eq!(burst(&rx), 1);
    std::fs::write(&file, "{\"nodes\": []}").unwrap();
    assert_eq!(burst(&rx), 1);
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
    let n = burst(&rx);
    assert!((1..3).contains(&n), "{n} messages for one chunked save");
}

#[test]
fn reads_and_other_files_are_ignored() {
    let (dir, file, _w, rx) = setup("ignored");
    let _ = std::fs::read(&file).unwrap();
    std::fs::write(dir.0.join("other.json"), "{}").unwrap();
    assert_eq!(changes(&rx, QUIET), 0);
}

#[test]
fn a_directory_deleted_and_recreated_is_watched_again() {
    let (dir, file, _w, rx) = setup("dir-recreated");
    // A sync tool replaces the whole directory.
    std::fs::remove_dir_all(&dir.0).unwrap();
    assert!(burst(&rx) >= 1, "the deletion is reported");
    std::fs::create_dir_all(&dir.0).unwrap();
    std::fs::write(&file, "{\"nodes\": []}").unwrap();
    assert!(burst(&rx) >= 1, "the file in the recreated directory is seen");
    // And later saves too.
    rename_over(&file, "{\"name\": \"again\", \"nodes\": []}");
    assert_eq!(burst(&rx), 1, "a later save in the recreated directory is seen once");
}

#[test]
fn a_file_reached_through_a_symlink_is_watched_where_it_lives() {
    let root = std::env::temp_dir().join(format!("irtop-watch-{}-symlink", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let _guard = Dir(root.clone());
    for d in ["links", "real", "other"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let real = root.join("real/ir.json");
    std::fs::write(&real, "{}").unwrap();
    let link = root.join("links/ir.json");
    std::os::unix::fs::symlink("../real/ir.json", &link).unwrap();
    let (tx, rx) = mpsc::channel();
    let _w = watch(&link, tx, DEBOUNCE).expect("watch");
    // A save to the target, by rename (the link's directory sees nothing of it).
    rename_over(&real, "{\"nodes\": []}");
    assert_eq!(burst(&rx), 1, "a save to the link's target is seen");
    // The link pointed elsewhere: reported, and the new target is watched.
    let other = root.join("other/ir.json");
    std::fs::write(&other, "{}").unwrap();
    let tmp = root.join("links/ir.json.new");
    std::os::unix::fs::symlink(&other, &tmp).unwrap();
    std::fs::rename(&tmp, &link).unwrap();
    assert!(burst(&rx) >= 1, "the link's new target is reported");
    std::fs::write(&other, "{\"nodes\": []}").unwrap();
    assert_eq!(burst(&rx), 1, "a save to the new target is seen");
    // The old target is not watched any more.
    std::fs::write(&real, "{\"name\": \"old\"}").unwrap();
    assert_eq!(changes(&rx, QUIET), 0);
}
