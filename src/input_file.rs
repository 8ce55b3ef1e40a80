//! Reading an input file (an IR, an edge list; `-` is standard input) whole, within [`Limits`]: a regular file is
//! refused by its size before a byte is read; a pipe is read up to the size limit (one byte
//! more tells that it goes on), or refused without blocking where
//! [`Limits::regular_files_only`]; a device such as `/dev/zero` is refused (it never ends).
//! The buffer is reserved fallibly, so a file too big for the memory left is an error.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use crate::limits::{LimitError, Limits};

/// Why an input file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The OS refused (missing file, permissions, a directory).
    Io(std::io::Error),
    /// A limit refused it.
    Limit(LimitError),
}

impl From<LimitError> for ReadError {
    fn from(e: LimitError) -> ReadError {
        ReadError::Limit(e)
    }
}

/// What the input is, for the messages: `kind` as [`LimitError::FileTooLarge`] says it, and
/// the bytes of memory a byte of it takes once loaded (checked against the memory limit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct InputKind {
    /// `an IR file (groggy's IRs are kilobytes)`, `an edge list`.
    pub kind: &'static str,
    /// What irtop does with it, for a memory refusal: `loading and analysing it`.
    pub(crate) doing: &'static str,
    /// Peak bytes of memory per byte of file.
    pub(crate) memory_per_byte: u64,
}

/// The kind of a file that is not a regular one, as a message says it.
fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

/// Whether `path` is `-`, which names standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Opens `path` for reading (`-`: standard input). Where only regular files are read, it opens without blocking
/// (a FIFO with no writer would block `open` itself) and checks the handle, so a file
/// replaced by a FIFO between a check and the open is still refused.
fn open(path: &Path, limits: &Limits) -> Result<File, ReadError> {
    if is_stdin(path) {
        if limits.regular_files_only {
            return Err(ReadError::Limit(LimitError::NotAFile {
                path: path.to_owned(),
                kind: "standard input",
                hint: "the terminal UI watches a file for saves: save the IR to a file, or use `irtop report -`",
            }));
        }
        return open(Path::new("/dev/stdin"), limits);
    }
    let kind = std::fs::metadata(path).ok().and_then(|m| special_kind(m.file_type()));
    let refuse = |kind| {
        let hint = if limits.regular_files_only {
            "the terminal UI reads only regular files (reading a pipe could block it): save the data to a file"
        } else {
            "irtop reads input from a file or a pipe"
        };
        ReadError::Limit(LimitError::NotAFile { path: path.to_owned(), kind, hint })
    };
    match kind {
        Some(k) if limits.regular_files_only || !k.starts_with("a FIFO") => return Err(refuse(k)),
        Some(_) => return File::open(path).map_err(ReadError::Io),
        None => {}
    }
    let mut options = OpenOptions::new();
    options.read(true);
    if limits.regular_files_only {
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    if let Some(k) = file.metadata().ok().and_then(|m| special_kind(m.file_type())) {
        return Err(refuse(k));
    }
    Ok(file)
}

/// Reads the file at `path` whole, as described in the module documentation.
pub(crate) fn read_input(path: &Path, limits: &Limits, what: InputKind) -> Result<Vec<u8>, ReadError> {
    read_opened(open(path, limits)?, path, limits, what)
}

/// Refuses, before reading, a file of `size` bytes over the size limit or the memory limit.
fn check_size(path: &Path, size: u64, limits: &Limits, what: InputKind) -> Result<(), ReadError> {
    let limit = limits.max_file_bytes;
    if size > limit {
        let kind = what.kind;
        return Err(LimitError::FileTooLarge { path: path.to_owned(), kind, bytes: size, cut_off: false, limit }.into());
    }
    limits.check_ir_like(path, size, what)?;
    Ok(())
}

/// [`read_input`] on `file`, already opened from `path`.
fn read_opened(file: File, path: &Path, limits: &Limits, what: InputKind) -> Result<Vec<u8>, ReadError> {
    let limit = limits.max_file_bytes;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    check_size(path, size, limits, what)?;
    let mut bytes = Vec::new();
    // One byte more than the size: a file that grows meanwhile is read to its new end.
    let want = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    bytes.try_reserve_exact(want).map_err(|_| memory_error(path, size, limits))?;
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        let (kind, bytes) = (what.kind, bytes.len() as u64);
        return Err(LimitError::FileTooLarge { path: path.to_owned(), kind, bytes, cut_off: true, limit }.into());
    }
    if bytes.len() as u64 > size {
        // A pipe, or a file that grew: check the memory again for what was read.
        limits.check_ir_like(path, bytes.len() as u64, what)?;
    }
    Ok(bytes)
}

/// The bytes of an input file: mapped (a regular file, see [`crate::mapped_file`]) or read.
pub(crate) enum InputBytes {
    /// A regular file, mapped.
    Mapped(crate::mapped_file::Mapping),
    /// Anything else (standard input, a pipe, an empty file), read whole.
    Read(Vec<u8>),
}

impl std::ops::Deref for InputBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Mapped(map) => map,
            InputBytes::Read(bytes) => bytes,
        }
    }
}

/// Maps the regular file at `path` with the same refusals as [`read_input`], which reads
/// anything else (and a file the OS will not map) from the same handle: a pipe is opened
/// once.
pub(crate) fn map_input(path: &Path, limits: &Limits, what: InputKind) -> Result<InputBytes, ReadError> {
    if is_stdin(path) {
        return read_input(path, limits, what).map(InputBytes::Read);
    }
    let file = open(path, limits)?;
    let size = match file.metadata() {
        Ok(m) if m.is_file() && m.len() > 0 => m.len(),
        _ => return read_opened(file, path, limits, what).map(InputBytes::Read),
    };
    check_size(path, size, limits, what)?;
    match usize::try_from(size).ok().and_then(|len| crate::mapped_file::Mapping::new(&file, len).ok()) {
        Some(map) => Ok(InputBytes::Mapped(map)),
        None => read_opened(file, path, limits, what).map(InputBytes::Read),
    }
}

/// The error for a buffer the allocator refused although the memory check passed.
fn memory_error(path: &Path, size: u64, limits: &Limits) -> ReadError {
    let (limit, limit_from) = limits.memory_limit();
    ReadError::Limit(LimitError::TooMuchMemory {
        what: format!("{}: reading the file", path.display()),
        need: size,
        limit,
        limit_from: format!("what the allocator could give (the limit: {limit_from})"),
        not_done: "read it",
        advice: "Free some memory, or raise the limit".to_owned(),
    })
}

impl Limits {
    /// [`Limits::check_ir_memory`] for any input kind.
    fn check_ir_like(&self, path: &Path, bytes: u64, what: InputKind) -> Result<(), LimitError> {
        self.check_ir_memory(path, bytes, what.memory_per_byte, what.doing, "")
    }
}
