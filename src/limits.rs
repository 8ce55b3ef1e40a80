//! Limits that protect the user from an input that would exhaust the machine: an IR file too
//! big to be one, a run that would take hours, a graph that would not fit in memory. Each is
//! checked before the work starts, and a refusal says the number and the flag that raises
//! the limit (`--max-file-mb`, `--max-work`, `--max-graph-gb`).

use crate::units::count;
use std::path::{Path, PathBuf};

/// The limits of one irtop process. [`Limits::default`] is what irtop uses without flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest IR file read, in bytes. Default [`DEFAULT_MAX_FILE_MB`] MiB.
    pub max_file_bytes: u64,
    /// Most work one run may do, in estimated element operations (see [`Workload`]).
    /// Default [`DEFAULT_MAX_WORK`].
    pub max_work: f64,
    /// Most bytes a graph may need while it is built; `None`: the memory limit
    /// ([`Limits::memory_limit`]).
    pub max_graph_bytes: Option<u64>,
    /// Most bytes one step (loading an IR, writing its plan, generating one, calibrating)
    /// may plan to use; `None`: what the OS allows ([`crate::memory::budget`]: the memory
    /// available, `RLIMIT_AS`/`RLIMIT_DATA` and the cgroup's limit), or
    /// [`FALLBACK_GRAPH_BYTES`] where that is unknown.
    pub max_memory_bytes: Option<u64>,
    /// Refuse input files that are not regular files (pipes, devices) instead of reading
    /// them: the terminal UI sets it, since a read from a pipe with no writer never returns
    /// and would stall its reload or benchmark thread.
    pub regular_files_only: bool,
}

/// Default `--max-file-mb`: 256 MiB. groggy's IRs are kilobytes and `irtop gen --ops 1000000`
/// writes 119 MB, so a real IR is far below it. Memory grows with the file: the analysis
/// holds about 10x the file (1.1 GB for that 119 MB IR), the plan writer about 23x, so
/// 256 MiB keeps irtop within a few GB.
pub(crate) const DEFAULT_MAX_FILE_MB: u64 = 256;

/// Default `--max-work`: 1e12 element operations. The executor does about 1e9 of them a
/// second on one core (measured with `irtop bench --mode seq` on R-MAT scale 18: PageRank
/// 1.5e8 in 0.16 s, label propagation 7.1e8 in 0.83 s), so the default allows a run of up to
/// about a quarter of an hour and refuses one of hours.
pub(crate) const DEFAULT_MAX_WORK: f64 = 1e12;

/// The memory limit where the available memory cannot be read (not Linux): 16 GiB.
pub(crate) const FALLBACK_GRAPH_BYTES: u64 = 16 << 30;

/// Bytes of memory loading and analysing an IR takes per byte of its file, at the peak.
/// Measured on `irtop gen --ops 200000` (23.5 MB): `irtop report` peaks at 243 MB resident
/// (10.3 bytes a byte), and under `ulimit -v` needs between 160 and 260 MB of address space
/// beyond the 150 MB the process has mapped when it starts.
pub(crate) const LOAD_BYTES_PER_FILE_BYTE: u64 = 12;

/// The same for writing the plan, which holds the analysis and the whole JSON document:
/// `irtop plan` on that file peaks at 586 MB resident (25 bytes a byte).
pub(crate) const PLAN_BYTES_PER_FILE_BYTE: u64 = 26;

/// Most worker threads irtop starts (`--threads`, the TUI's `+`): more than any machine
/// irtop runs on has cores, and far fewer than the thread limits of a user session.
pub(crate) const MAX_THREADS: usize = 256;

/// Most ops `irtop gen` writes: 10 million ops make a 1.2 GB file, far over what irtop
/// reads by default (`--max-file-mb`).
pub(crate) const MAX_GEN_OPS: usize = 10_000_000;

const MIB: f64 = (1u64 << 20) as f64;
const GB: f64 = 1e9;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_MB << 20,
            max_work: DEFAULT_MAX_WORK,
            max_graph_bytes: None,
            max_memory_bytes: None,
            regular_files_only: false,
        }
    }
}

impl Limits {
    /// The memory one step may use and where that comes from, as a message says it:
    /// `--max-memory-gb (8.0 GB)`, `the memory available (24.7 GB)`, `the 2.8 GB that
    /// RLIMIT_AS leaves (ulimit -v 4.0 GB, 1.2 GB mapped)`.
    pub(crate) fn memory_limit(&self) -> (u64, String) {
        match self.max_memory_bytes {
            Some(b) => (b, format!("--max-memory-gb ({} GB)", gb(b))),
            None => match crate::memory::budget() {
                Some(b) => (b.bytes, b.source),
                None => (FALLBACK_GRAPH_BYTES, format!("the default limit ({} GB)", gb(FALLBACK_GRAPH_BYTES))),
            },
        }
    }

    /// The graph limit in bytes and where it comes from (`--max-graph-gb`, else
    /// [`Limits::memory_limit`]).
    pub(crate) fn graph_limit(&self) -> (u64, String) {
        match self.max_graph_bytes {
            Some(b) => (b, format!("--max-graph-gb ({} GB)", gb(b))),
            None => self.memory_limit(),
        }
    }

    /// Refuses a step that needs `need` bytes when that is over [`Limits::memory_limit`]:
    /// `what` says what would need them, `not_done` what irtop did not do (`read it`), and
    /// `advice` what to change (see [`raise_memory`]).
    pub(crate) fn check_memory(
        &self,
        what: &str,
        need: u64,
        not_done: &'static str,
        advice: &str,
    ) -> Result<(), LimitError> {
        let (limit, limit_from) = self.memory_limit();
        if need <= limit {
            return Ok(());
        }
        Err(LimitError::TooMuchMemory {
            what: what.to_owned(),
            need,
            limit,
            limit_from,
            not_done,
            advice: advice.to_owned(),
        })
    }

    /// Refuses an input file of `bytes` bytes at `path` when `doing` it (`loading and
    /// analysing it`; `per_byte` bytes of memory per byte of file: [`LOAD_BYTES_PER_FILE_BYTE`],
    /// [`PLAN_BYTES_PER_FILE_BYTE`]) would need more memory than [`Limits::memory_limit`];
    /// `hint` goes before the flag in the message.
    pub(crate) fn check_ir_memory(
        &self,
        path: &Path,
        bytes: u64,
        per_byte: u64,
        doing: &str,
        hint: &str,
    ) -> Result<(), LimitError> {
        let need = bytes.saturating_mul(per_byte);
        let what = format!("{}: the file is {} MiB; {doing}", path.display(), mib(bytes));
        self.check_memory(&what, need, "read it", &format!("{hint}{}", raise_memory(need)))
    }

    /// Refuses a graph of `nodes` nodes and `edges` edges (with weights or not) that would
    /// need more than the graph limit. `what` names the graph (a file, `--rmat 30`).
    pub(crate) fn check_graph(&self, what: &str, nodes: u64, edges: u64, weighted: bool) -> Result<(), LimitError> {
        let bytes = graph_bytes(nodes, edges, weighted);
        let (limit, source) = self.graph_limit();
        if bytes <= limit {
            return Ok(());
        }
        Err(LimitError::GraphTooLarge { what: what.to_owned(), nodes, edges, bytes, limit, limit_from: source })
    }

    /// Refuses `--threads N` above [`MAX_THREADS`] or 0 (`flag` names the flag as given).
    pub(crate) fn check_threads(threads: usize, flag: &str) -> Result<usize, LimitError> {
        if (1..=MAX_THREADS).contains(&threads) {
            return Ok(threads);
        }
        Err(LimitError::Flag(if threads == 0 {
            format!(
                "{flag} 0: give at least 1 worker thread (leave {flag} out for one per core: {})",
                std::thread::available_parallelism().map_or(1, usize::from)
            )
        } else {
            format!("{flag} {threads}: at most {MAX_THREADS} worker threads; pass a smaller {flag}")
        }))
    }

    /// Refuses a run of `program` on a graph of `nodes` nodes and `edges` edges whose
    /// estimated work is above `max_work`.
    pub fn check_work(&self, program: &impl Workload, nodes: usize, edges: usize) -> Result<(), LimitError> {
        let estimate = program.estimate_work(nodes, edges);
        if estimate.total <= self.max_work {
            return Ok(());
        }
        Err(LimitError::TooMuchWork { estimate, limit: self.max_work, nodes, edges })
    }
}

/// Bytes a graph of `nodes` and `edges` needs at its peak while it is built: the edge list
/// (8 bytes an edge, 8 more for a weight), and the two compressed-sparse-row copies with
/// their sort buffers (24 bytes a node, 16 an edge, 16 more for weights).
pub(crate) fn graph_bytes(nodes: u64, edges: u64, weighted: bool) -> u64 {
    let per_edge = if weighted { 48 } else { 24 };
    nodes.saturating_mul(24).saturating_add(edges.saturating_mul(per_edge))
}

/// Bytes `irtop calibrate` needs on `threads` threads: its two R-MAT graphs (scales 18 and
/// 22, built at once at most 0.5 GB) and, per thread, two 64 MB input maps and the output
/// of each kernel copy running at once (256 MB a thread with
/// room for the allocator).
pub(crate) fn calibration_bytes(threads: usize) -> u64 {
    (512u64 << 20).saturating_add((threads as u64).saturating_mul(256 << 20))
}

/// `Pass --max-memory-gb N if it fits`, N covering `need` bytes.
pub(crate) fn raise_memory(need: u64) -> String {
    format!("Pass --max-memory-gb {} if it fits", (need as f64 / GB).ceil().max(1.0) as u64)
}

/// The estimated work of one run and where most of it is.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkEstimate {
    /// Element operations of the whole run.
    pub total: f64,
    /// The costliest top-level loop: `(node id, iterations, body steps, its work)`.
    pub(crate) heaviest_loop: Option<(String, u64, usize, f64)>,
}

/// What can say how much work one run of it does: the executor's compiled program. The
/// limits sit below the executor, so it estimates its own work and [`Limits::check_work`]
/// only compares.
pub trait Workload {
    /// The element operations of one run on a graph of `nodes` nodes and `edges` edges.
    fn estimate_work(&self, nodes: usize, edges: usize) -> WorkEstimate;
}

/// An input refused by a [`Limits`] check. Each message gives the number, the limit, and
/// the flag that raises it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    /// The IR file is larger than `--max-file-mb`.
    #[error(
        "{path}: the file is {}{} MiB, over the limit of {} MiB for {kind}; \
         irtop did not read it. Pass --max-file-mb {} to read it anyway",
        if *cut_off { "more than " } else { "" }, mib(*bytes), mib(*limit), (*bytes as f64 / MIB).ceil() as u64
    )]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// What it is meant to be: `an IR file (groggy's IRs are kilobytes)`, `an edge list`.
        kind: &'static str,
        /// Its size, or the bytes read before giving up when `cut_off`.
        bytes: u64,
        /// True when the size is unknown (a growing file, a device such as `/dev/zero`) and
        /// reading stopped at the limit.
        cut_off: bool,
        /// The limit.
        limit: u64,
    },
    /// A run would do more than `--max-work` element operations.
    #[error(
        "the run would do about {} element operations{}, over the limit of {} ({} at 1e9 a second); \
         irtop did not start it. Pass --max-work {} to run it anyway",
        sci(estimate.total), loop_detail(estimate, *nodes, *edges), sci(*limit), duration(estimate.total),
        sci_up(estimate.total)
    )]
    TooMuchWork {
        /// The estimate.
        estimate: WorkEstimate,
        /// The limit.
        limit: f64,
        /// Nodes of the graph.
        nodes: usize,
        /// Edges of the graph.
        edges: usize,
    },
    /// A graph would need more memory than `--max-graph-gb` (or than is available).
    #[error(
        "{what}: a graph of {nodes} nodes and {edges} edges needs about {} GB to build, more than {limit_from}; \
         irtop did not build it. Pass --max-graph-gb {} if it fits",
        gb(*bytes), (*bytes as f64 / GB).ceil() as u64
    )]
    GraphTooLarge {
        /// The graph: a file name or the synthetic graph's flags.
        what: String,
        /// Nodes it would have.
        nodes: u64,
        /// Edges it would have.
        edges: u64,
        /// Bytes it would need ([`graph_bytes`]).
        bytes: u64,
        /// The limit.
        limit: u64,
        /// Where the limit comes from, with the number: `--max-graph-gb (8.0 GB)`, `the
        /// memory available (24.7 GB)` ([`Limits::graph_limit`]).
        limit_from: String,
    },
    /// A step would need more memory than irtop may use ([`Limits::memory_limit`]).
    #[error("{what} needs about {} GB, more than {limit_from}; irtop did not {not_done}. {advice}", gb(*need))]
    TooMuchMemory {
        /// What would need it: `big.json: the file is 196.0 MiB; loading and analysing it`.
        what: String,
        /// Bytes it would need.
        need: u64,
        /// The limit.
        limit: u64,
        /// Where the limit comes from, with the number ([`Limits::memory_limit`]).
        limit_from: String,
        /// What irtop did not do: `read it`, `start`.
        not_done: &'static str,
        /// What to change: the flag and its value.
        advice: String,
    },
    /// The input is not a regular file and irtop does not read it: a device (it never
    /// ends), or a pipe where reading would block ([`Limits::regular_files_only`]).
    #[error("{path}: {kind}, not a regular file; {hint}")]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// `a character device`, `a FIFO (named pipe)`, ...
        kind: &'static str,
        /// What irtop reads instead.
        hint: &'static str,
    },
    /// A flag's value is out of range; the message names the flag, the limit and what to do.
    #[error("{0}")]
    Flag(String),
}

/// `x` in scientific notation with up to three significant digits: `1e12`, `2.03e20`.
fn sci(x: f64) -> String {
    let text = format!("{x:.2e}");
    match text.split_once('e') {
        Some((m, e)) => format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.')),
        None => text,
    }
}

/// `x` rounded up to two significant digits, in scientific notation: a `--max-work` that
/// lets the run through (`2.03e20` gives `2.1e20`).
fn sci_up(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return sci(x);
    }
    let exp = x.log10().floor() as i32 - 1;
    let scale = 10f64.powi(exp);
    sci((x / scale).ceil() * scale)
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MIB)
}

fn gb(bytes: u64) -> String {
    let gb = bytes as f64 / GB;
    if gb >= 1.0 { format!("{gb:.1}") } else { format!("{gb:.3}") }
}

/// `" (loop node_11: 20 iterations x 15 steps on 262144 nodes and 4194304 edges)"`.
fn loop_detail(estimate: &WorkEstimate, nodes: usize, edges: usize) -> String {
    match &estimate.heaviest_loop {
        Some((id, iterations, steps, w)) if *w >= estimate.total / 2.0 => {
            let (iterations, steps) = (count(*iterations, "iteration"), count(*steps, "step"));
            format!(" (loop {id}: {iterations} x {steps} on {} and {})", count(nodes, "node"), count(edges, "edge"))
        }
        _ => format!(" (on {} and {})", count(nodes, "node"), count(edges, "edge")),
    }
}

/// A rough duration for `ops` element operations at 1e9 a second.
fn duration(ops: f64) -> String {
    let s = ops / 1e9;
    if s < 1.0 {
        "under a second".to_owned()
    } else if s < 120.0 {
        format!("about {s:.0} seconds")
    } else if s < 7200.0 {
        format!("about {:.0} minutes", s / 60.0)
    } else if s < 86400.0 * 365.0 {
        format!("about {:.0} hours", s / 3600.0)
    } else {
        format!("about {:.1e} years", s / (86400.0 * 365.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_bytes_saturate_instead_of_overflowing() {
        assert_eq!(graph_bytes(10, 100, false), 240 + 2400);
        assert_eq!(graph_bytes(10, 100, true), 240 + 4800);
        assert_eq!(graph_bytes(u64::MAX, u64::MAX, true), u64::MAX);
    }

    #[test]
    fn a_graph_over_the_limit_is_refused_with_the_flag() {
        let limits = Limits { max_graph_bytes: Some(1000), ..Limits::default() };
        assert!(limits.check_graph("g", 10, 10, false).is_ok());
        let e = limits.check_graph("g", 4_294_967_295, 1, false).unwrap_err().to_string();
        assert_eq!(
            e,
            "g: a graph of 4294967295 nodes and 1 edges needs about 103.1 GB to build, more than --max-graph-gb \
             (0.000 GB); irtop did not build it. Pass --max-graph-gb 104 if it fits"
        );
        // Without --max-graph-gb, --max-memory-gb is the limit.
        let limits = Limits { max_memory_bytes: Some(2_000_000_000), ..Limits::default() };
        let e = limits.check_graph("g", 1 << 26, 1 << 30, false).unwrap_err().to_string();
        assert!(e.contains("needs about 27.4 GB to build, more than --max-memory-gb (2.0 GB);"), "{e}");
    }

    #[test]
    fn numbers_in_scientific_notation() {
        assert_eq!(sci(1e12), "1e12");
        assert_eq!(sci(2.03e20), "2.03e20");
        assert_eq!(sci(1.5e12), "1.5e12");
        assert_eq!(sci_up(2.03e20), "2.1e20");
        assert_eq!(sci_up(1e6), "1e6");
        assert_eq!(sci_up(56_500.0), "5.7e4");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(1e8), "under a second");
        assert_eq!(duration(3e10), "about 30 seconds");
        assert_eq!(duration(6e11), "about 10 minutes");
        assert_eq!(duration(3.6e13), "about 10 hours");
        assert!(duration(1e30).ends_with("years"), "{}", duration(1e30));
    }
}
