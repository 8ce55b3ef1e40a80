//! Writing an output file without ever leaving a truncated one: the data goes to a temporary
//! file in the same directory, which is flushed to disk and then renamed over the target, so
//! a full disk, a crash or a signal mid-write leaves the previous file whole (and readers
//! see the old file or the new one, never a part).
//!
//! A symbolic link is written through (its target is replaced, the link stays). A target
//! that exists and is not a regular file is written into directly where it is a device or a
//! pipe the user named (`--out /dev/stdout`), or replaced by a regular file where asked
//! ([`Special::Replace`], for caches).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What to do with a target that exists and is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    /// Write into it (a device or a pipe the user named).
    WriteInto,
    /// Replace it by a regular file (a cache that something else took the place of).
    Replace,
}

/// Writes `path` atomically with what `fill` writes (see the module documentation).
pub(crate) fn write_atomically(
    path: &Path,
    special: Special,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_links(path);
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing
        && !meta.is_file()
        && !meta.is_dir()
        && special == Special::WriteInto
    {
        let mut out = BufWriter::new(OpenOptions::new().write(true).open(&target)?);
        fill(&mut out)?;
        return out.flush();
    }
    let (tmp_path, tmp) = create_temp(&target)?;
    let result = (|| {
        let mut out = BufWriter::new(tmp);
        fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        if let Some(meta) = existing.as_ref().filter(|m| m.is_file()) {
            // Keep the old file's permissions (a results file others may read).
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp_path, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

/// `path` with symbolic links followed to the file they name (which need not exist yet),
/// up to 40 links; `path` itself when it is not a link.
fn resolve_links(path: &Path) -> PathBuf {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(target) => {
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                }
            }
            Err(_) => break,
        }
    }
    p
}

/// A new file beside `target` named `.{name}.irtop-{pid}-{n}.tmp`, created exclusively.
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".to_owned());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.irtop-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).mode(0o666).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// True when `a` and `b` name the same existing file (links followed), so writing one would
/// replace the other.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino() && !x.file_type().is_char_device(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(test: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("irtop-output-file-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn write(path: &Path, text: &str, special: Special) -> io::Result<()> {
        write_atomically(path, special, |w| w.write_all(text.as_bytes()))
    }

    #[test]
    fn the_old_file_is_replaced_whole_never_rewritten_in_place() {
        let d = dir("replace");
        let path = d.join("results.json");
        std::fs::write(&path, "old").unwrap();
        // A second name for the old file's inode: an in-place write would change it too.
        std::fs::hard_link(&path, d.join("old-inode")).unwrap();
        write(&path, "new", Special::WriteInto).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(d.join("old-inode")).unwrap(), "old");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let d = dir("fail");
        let path = d.join("results.json");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, Special::WriteInto, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn links_are_written_through_and_special_files_into_or_replaced() {
        let d = dir("links");
        std::fs::write(d.join("real.json"), "old").unwrap();
        std::os::unix::fs::symlink("real.json", d.join("link.json")).unwrap();
        write(&d.join("link.json"), "new", Special::WriteInto).unwrap();
        assert!(std::fs::symlink_metadata(d.join("link.json")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(d.join("real.json")).unwrap(), "new");
        // A device the user named is written into (and not replaced).
        write(Path::new("/dev/null"), "x", Special::WriteInto).unwrap();
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        // A FIFO in a cache's place is replaced without blocking on it.
        let fifo = d.join("cache.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        write(&fifo, "cached", Special::Replace).unwrap();
        assert_eq!(std::fs::read_to_string(&fifo).unwrap(), "cached");
        assert!(same_file(&d.join("link.json"), &d.join("real.json")));
        assert!(!same_file(&d.join("real.json"), &fifo));
        let _ = std::fs::remove_dir_all(&d);
    }
}
