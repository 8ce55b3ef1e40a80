//! Live reload: watch the file's directory (so saves by rename, delete-and-recreate or
//! several writes are all seen), keep only events about the file, debounce them, and send
//! one [`Msg::FileChanged`] per burst.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::msg::Msg;

/// Quiet time after the last event of a burst before the file is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// A running watcher; dropping it stops watching (and its debounce thread).
pub struct FileWatcher {
    _watcher: RecommendedWatcher,
}

/// True for events that may change what the file contains: not reads, opens, or closes
/// after reading (irtop's own reloads produce those).
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The directory to watch for `path` (its parent, or `.` for a bare file name).
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Watches `path` and sends [`Msg::FileChanged`] on `tx` after each burst of changes,
/// once `debounce` has passed without another.
pub fn watch(path: &Path, tx: Sender<Msg>, debounce: Duration) -> notify::Result<FileWatcher> {
    let name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
    let (raw_tx, raw_rx) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        let relevant = match &event {
            Ok(e) => {
                changes_content(&e.kind)
                    && (e.need_rescan() || e.paths.iter().any(|p| p.file_name() == Some(name.as_os_str())))
            }
            Err(_) => true,
        };
        if relevant {
            let _ = raw_tx.send(());
        }
    })?;
    watcher.watch(&directory_of(path), RecursiveMode::NonRecursive)?;
    std::thread::Builder::new()
        .name("irtop-watch".into())
        .spawn(move || {
            // Blocks while nothing happens; ends when the watcher (and its sender) is dropped.
            while raw_rx.recv().is_ok() {
                loop {
                    match raw_rx.recv_timeout(debounce) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if tx.send(Msg::FileChanged).is_err() {
                    return;
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(FileWatcher { _watcher: watcher })
}
