//! A regular file mapped read-only into memory, for the commands that load an IR once and
//! exit (`report`, `plan`, `dot`): the loader reads the page cache in place, instead of
//! the kernel copying 119 MB into a buffer it first had to zero (about a tenth of
//! `irtop report`'s CPU time on a million ops).
//!
//! A mapped file that another program cuts short while it is read makes the next read of
//! a page past its new end raise SIGBUS, which would kill irtop with "Bus error". While a
//! [`SigbusMessage`] is alive, SIGBUS instead prints an `irtop: error:` line naming the file
//! and exits with status 2 (bad input), as any other unreadable file does. The terminal UI
//! does not map files: it reloads while editors write, and it must restore the terminal.

use std::ffi::c_int;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// The bytes of a file, mapped read-only; unmapped when dropped.
pub(crate) struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
}

// SAFETY: the mapping is read-only and owned by this value; sharing or moving a pointer to
// immutable memory between threads is sound.
unsafe impl Send for Mapping {}
// SAFETY: as above: nothing writes through the pointer.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps the first `len` bytes of `file` (`len` > 0), its pages read in at once.
    pub(crate) fn new(file: &File, len: usize) -> std::io::Result<Mapping> {
        // SAFETY: a fresh private read-only mapping of an open file descriptor; the kernel
        // checks the arguments and returns MAP_FAILED on error, which is checked below.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Mapping { ptr, len })
    }
}

impl std::ops::Deref for Mapping {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` is a live mapping of `len` readable bytes until `drop`; the bytes are
        // never written through it (a file changed by another program is the SIGBUS case
        // the module documentation covers).
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the region `new` mapped, once; no slice of it outlives
        // `self` (they borrow it).
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// The message the SIGBUS handler writes (leaked, so the handler may read it at any time).
static MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);

/// The SIGBUS action before the first live [`SigbusMessage`], and how many are alive.
static INSTALLED: Mutex<(usize, Option<libc::sigaction>)> = Mutex::new((0, None));

/// While alive, a SIGBUS (a mapped file cut short) prints an error naming `path` and exits
/// with status 2.
pub(crate) struct SigbusMessage(());

impl SigbusMessage {
    /// Installs the handler for a mapping of `path`.
    pub(crate) fn new(path: &Path) -> SigbusMessage {
        let text = format!(
            "irtop: error: {}: the file was cut short while irtop read it (another program is \
             writing it); run the command again once the file is saved\n",
            path.display()
        );
        let text: &'static mut [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        MESSAGE_LEN.store(text.len(), Ordering::SeqCst);
        MESSAGE.store(text.as_mut_ptr(), Ordering::SeqCst);
        let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
        if installed.0 == 0 {
            // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; the handler
            // only calls async-signal-safe functions (write, _exit). sigaction fills `old`.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(libc::SIGBUS, &action, &mut old) == 0 {
                    installed.1 = Some(old);
                }
            }
        }
        installed.0 += 1;
        SigbusMessage(())
    }
}

impl Drop for SigbusMessage {
    fn drop(&mut self) {
        let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
        installed.0 -= 1;
        if installed.0 == 0
            && let Some(old) = installed.1.take()
        {
            // SAFETY: puts back the action `new` replaced.
            unsafe { libc::sigaction(libc::SIGBUS, &old, std::ptr::null_mut()) };
        }
    }
}

extern "C" fn on_sigbus(_: c_int) {
    let (ptr, len) = (MESSAGE.load(Ordering::SeqCst), MESSAGE_LEN.load(Ordering::SeqCst));
    // SAFETY: `ptr` and `len` describe a leaked, never freed buffer (or are null and 0);
    // write and _exit are async-signal-safe.
    unsafe {
        if !ptr.is_null() {
            libc::write(2, ptr.cast(), len);
        }
        libc::_exit(2);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::Command;

    use super::*;

    #[test]
    fn a_mapping_reads_the_file() {
        let path = std::env::temp_dir().join(format!("irtop-map-{}.txt", std::process::id()));
        std::fs::write(&path, b"{\"nodes\": []}").unwrap();
        let file = File::open(&path).unwrap();
        let map = Mapping::new(&file, 13).unwrap();
        assert_eq!(&map[..], b"{\"nodes\": []}");
        std::fs::remove_file(&path).unwrap();
    }

    /// Run in a child process (the test binary again): maps a file, cuts it short and reads
    /// past the new end.
    #[test]
    fn a_file_cut_short_while_mapped_is_an_error_naming_it_not_a_crash() {
        let path = std::env::temp_dir().join(format!("irtop-cut-{}.json", std::process::id()));
        if let Some(child_path) = std::env::var_os("IRTOP_TEST_CUT_SHORT") {
            let path = Path::new(&child_path);
            let mut file = File::create(path).unwrap();
            file.write_all(&vec![b' '; 1 << 20]).unwrap();
            let file = File::open(path).unwrap();
            let map = Mapping::new(&file, 1 << 20).unwrap();
            let _message = SigbusMessage::new(path);
            File::create(path).unwrap();
            let byte = std::hint::black_box(&map[..])[1 << 19];
            panic!("read {byte} past the end of a file cut short");
        }
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "mapped_file::tests::a_file_cut_short_while_mapped_is_an_error_naming_it_not_a_crash"])
            .env("IRTOP_TEST_CUT_SHORT", &path)
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("irtop: error: {}: the file was cut short while irtop read it", path.display())),
            "{stderr}"
        );
    }
}
