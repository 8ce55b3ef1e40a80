//! Live reload: watch the file's directory (so saves by rename, delete-and-recreate or
//! several writes are all seen), keep only events about the file, debounce them, and send
//! one [`Msg::FileChanged`] per burst.
//!
//! The file may be reached through symbolic links: every directory on the way (the link's
//! and its target's) is watched, so a save to the target is seen, and so is the link being
//! pointed elsewhere. A watched directory can itself go away (editors and sync tools delete
//! and recreate directories): then the watcher polls until it is back, watches it again and
//! reports a change, so the screen catches up with whatever was saved meanwhile.
//! [`FileWatcher::recheck`] (the `r` key) does the same at once.
//!
//! # Complexity
//! Idle, the thread blocks on its channel; only while a watched directory is missing does it
//! wake, every [`RETRY`], to look for it.

use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::msg::Msg;

/// Quiet time after the last event of a burst before the file is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// How often a watcher whose directory is gone looks for it again.
pub(crate) const RETRY: Duration = Duration::from_millis(250);

/// What the watcher thread is told.
enum Control {
    /// An event (or an error) from notify.
    Notify(notify::Result<Event>),
    /// Check the directories now (`r`).
    Recheck,
    /// The [`FileWatcher`] was dropped.
    Stop,
}

/// A running watcher; dropping it stops watching and ends its thread.
pub struct FileWatcher {
    control: Sender<Control>,
}

impl FileWatcher {
    /// Checks now that every directory on the way to the file is watched (and watches it
    /// again if it was replaced); sends [`Msg::FileChanged`] if anything had to be redone.
    pub(crate) fn recheck(&self) {
        let _ = self.control.send(Control::Recheck);
    }
}

impl Drop for FileWatcher {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Stop);
    }
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

/// Where the file is: every name on the way to it (the path given, then each symbolic
/// link's target), each in its directory with links in the directory part resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Route {
    /// The names, as `canonical directory / file name`.
    files: BTreeSet<PathBuf>,
    /// Their directories, canonical, with their identity (device, inode) when they exist.
    dirs: Vec<(PathBuf, Option<(u64, u64)>)>,
}

impl Route {
    fn of(path: &Path) -> Route {
        let mut files = BTreeSet::new();
        let mut dirs: Vec<(PathBuf, Option<(u64, u64)>)> = Vec::new();
        let mut p = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        for _ in 0..40 {
            let dir = directory_of(&p);
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let id = std::fs::metadata(&dir).ok().map(|m| (m.dev(), m.ino()));
            if let Some(name) = p.file_name() {
                files.insert(dir.join(name));
            }
            if !dirs.iter().any(|(d, _)| *d == dir) {
                dirs.push((dir.clone(), id));
            }
            match std::fs::read_link(&p) {
                Ok(target) if target.is_relative() => p = dir.join(target),
                Ok(target) => p = target,
                Err(_) => break,
            }
        }
        Route { files, dirs }
    }

    /// True when `event` is about the file (or a name on the way to it), or about a watched
    /// directory itself (deleted, moved).
    fn concerns(&self, event: &Event) -> bool {
        event.need_rescan()
            || (changes_content(&event.kind) && event.paths.iter().any(|p| self.files.contains(p) || self.is_dir(p)))
    }

    fn is_dir(&self, p: &Path) -> bool {
        self.dirs.iter().any(|(d, _)| d == p)
    }
}

/// A notify watcher on every directory of `route`; fails when one is missing.
fn watch_route(route: &Route, control: &Sender<Control>) -> notify::Result<RecommendedWatcher> {
    let control = control.clone();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<Event>| drop(control.send(Control::Notify(event))))?;
    for (dir, _) in &route.dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// Watches `path` and sends [`Msg::FileChanged`] on `tx` after each burst of changes,
/// once `debounce` has passed without another.
pub fn watch(path: &Path, tx: Sender<Msg>, debounce: Duration) -> notify::Result<FileWatcher> {
    let (control, rx) = mpsc::channel::<Control>();
    let route = Route::of(path);
    let watcher = watch_route(&route, &control)?;
    let state = State { path: path.to_owned(), route, watcher: Some(watcher), control: control.clone(), tx };
    std::thread::Builder::new()
        .name("irtop-watch".into())
        .spawn(move || state.run(&rx, debounce))
        .map_err(notify::Error::io)?;
    Ok(FileWatcher { control })
}

/// The watcher thread's state.
struct State {
    path: PathBuf,
    route: Route,
    /// `None` while a directory on the route is missing.
    watcher: Option<RecommendedWatcher>,
    control: Sender<Control>,
    tx: Sender<Msg>,
}

impl State {
    fn run(mut self, rx: &Receiver<Control>, debounce: Duration) {
        loop {
            let next = if self.watcher.is_some() {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                rx.recv_timeout(RETRY)
            };
            match next {
                Err(RecvTimeoutError::Disconnected) | Ok(Control::Stop) => return,
                Err(RecvTimeoutError::Timeout) | Ok(Control::Recheck) => {
                    if !self.rewatch_if_needed(false) {
                        continue;
                    }
                }
                Ok(Control::Notify(event)) => {
                    let mut force = false;
                    if !self.relevant(&event, &mut force) {
                        continue;
                    }
                    // Debounce: wait for the burst to end.
                    loop {
                        match rx.recv_timeout(debounce) {
                            Ok(Control::Notify(e)) => {
                                self.relevant(&e, &mut force);
                            }
                            Ok(Control::Recheck) => {}
                            Ok(Control::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                            Err(RecvTimeoutError::Timeout) => break,
                        }
                    }
                    // A link may point elsewhere now, a directory may be gone.
                    self.rewatch_if_needed(force);
                }
            }
            if self.tx.send(Msg::FileChanged).is_err() {
                return;
            }
        }
    }

    /// True when `event` may change the file; sets `force` when it is about a watched
    /// directory itself (deleted or moved: its watch is gone) or notify lost track.
    fn relevant(&self, event: &notify::Result<Event>, force: &mut bool) -> bool {
        match event {
            Ok(e) if self.route.concerns(e) => {
                *force |= e.need_rescan() || e.paths.iter().any(|p| self.route.is_dir(p));
                true
            }
            Ok(_) => false,
            Err(_) => {
                *force = true;
                true
            }
        }
    }

    /// Watches the route again when it changed (a link pointed elsewhere, a directory
    /// replaced), when it is not watched (a directory was missing), or when `force`d.
    /// Returns true when that is news: the route is watched anew, or it just went missing.
    fn rewatch_if_needed(&mut self, force: bool) -> bool {
        let route = Route::of(&self.path);
        let was_watching = self.watcher.is_some();
        if was_watching && !force && route == self.route {
            return false;
        }
        // Drop the old watch first: its directory may be the same (recreated) one.
        self.watcher = None;
        self.route = route;
        if self.route.dirs.iter().any(|(_, id)| id.is_none()) {
            return was_watching;
        }
        self.watcher = watch_route(&self.route, &self.control).ok();
        self.watcher.is_some() || was_watching
    }
}
