//! Limits that protect the user from an input that would exhaust the machine: an IR file too
//! big to be one, a run that would take hours, a graph that would not fit in memory. Each is
//! checked before the work starts, and a refusal says the number and the flag that raises
//! the limit (`--max-file-mb`, `--max-work`, `--max-graph-gb`).

use std::path::PathBuf;

use crate::exec::kernel::Kernel;
use crate::exec::program::{Program, StepKind};
use crate::ir::op::{CostClass, op_info};

/// The limits of one irtop process. [`Limits::default`] is what irtop uses without flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest IR file read, in bytes. Default [`DEFAULT_MAX_FILE_MB`] MiB.
    pub max_file_bytes: u64,
    /// Most work one run may do, in estimated element operations (see [`estimate_work`]).
    /// Default [`DEFAULT_MAX_WORK`].
    pub max_work: f64,
    /// Most bytes a graph may need while it is built; `None`: the memory available when the
    /// graph is built ([`available_memory`]), or [`FALLBACK_GRAPH_BYTES`] where that is unknown.
    pub max_graph_bytes: Option<u64>,
}

/// Default `--max-file-mb`: 256 MiB. groggy's IRs are kilobytes and `irtop gen --ops 1000000`
/// writes 119 MB, so a real IR is far below it. Memory grows with the file: the analysis
/// holds about 10x the file (1.1 GB for that 119 MB IR), the plan writer about 23x, so
/// 256 MiB keeps irtop within a few GB.
pub const DEFAULT_MAX_FILE_MB: u64 = 256;

/// Default `--max-work`: 1e12 element operations. The executor does about 1e9 of them a
/// second on one core (measured with `irtop bench --mode seq` on R-MAT scale 18: PageRank
/// 1.5e8 in 0.16 s, label propagation 7.1e8 in 0.83 s), so the default allows a run of up to
/// about a quarter of an hour and refuses one of hours.
pub const DEFAULT_MAX_WORK: f64 = 1e12;

/// The graph limit where the available memory cannot be read (not Linux): 16 GiB.
pub const FALLBACK_GRAPH_BYTES: u64 = 16 << 30;

const MIB: f64 = (1u64 << 20) as f64;
const GB: f64 = 1e9;

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: DEFAULT_MAX_FILE_MB << 20, max_work: DEFAULT_MAX_WORK, max_graph_bytes: None }
    }
}

impl Limits {
    /// The graph limit in bytes and where it comes from (`--max-graph-gb` or the memory
    /// available).
    pub fn graph_limit(&self) -> (u64, &'static str) {
        match self.max_graph_bytes {
            Some(b) => (b, "--max-graph-gb"),
            None => match available_memory() {
                Some(b) => (b, "the memory available"),
                None => (FALLBACK_GRAPH_BYTES, "the default limit"),
            },
        }
    }

    /// Refuses a graph of `nodes` nodes and `edges` edges (with weights or not) that would
    /// need more than the graph limit. `what` names the graph (a file, `--rmat 30`).
    pub fn check_graph(&self, what: &str, nodes: u64, edges: u64, weighted: bool) -> Result<(), LimitError> {
        let bytes = graph_bytes(nodes, edges, weighted);
        let (limit, source) = self.graph_limit();
        if bytes <= limit {
            return Ok(());
        }
        Err(LimitError::GraphTooLarge { what: what.to_owned(), nodes, edges, bytes, limit, limit_from: source })
    }

    /// Refuses a run of `program` on a graph of `nodes` nodes and `edges` edges whose
    /// estimated work is above `max_work`.
    pub fn check_work(&self, program: &Program, nodes: usize, edges: usize) -> Result<(), LimitError> {
        let estimate = estimate_work(program, nodes, edges);
        if estimate.total <= self.max_work {
            return Ok(());
        }
        Err(LimitError::TooMuchWork { estimate, limit: self.max_work, nodes, edges })
    }
}

/// Bytes a graph of `nodes` and `edges` needs at its peak while it is built: the edge list
/// (8 bytes an edge, 8 more for a weight), and the two compressed-sparse-row copies with
/// their sort buffers (24 bytes a node, 16 an edge, 16 more for weights).
pub fn graph_bytes(nodes: u64, edges: u64, weighted: bool) -> u64 {
    let per_edge = if weighted { 48 } else { 24 };
    nodes.saturating_mul(24).saturating_add(edges.saturating_mul(per_edge))
}

/// The memory the OS says is available (`MemAvailable` in `/proc/meminfo`), when known.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// The estimated work of one run and where most of it is.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkEstimate {
    /// Element operations of the whole run.
    pub total: f64,
    /// The costliest top-level loop: `(node id, iterations, body steps, its work)`.
    pub heaviest_loop: Option<(String, u64, usize, f64)>,
}

/// Estimates the element operations of one run of `program` on a graph of `nodes` nodes
/// and `edges` edges: a scalar op is 1, a pass over the nodes is `nodes`, a pass over the
/// edges `nodes + edges` (16 times that for a list op), and a loop `iterations x (1 + its body's work)` (the 1: an
/// iteration of an empty body still costs something). Computed in `f64`, so an absurd
/// count is a huge number rather than an overflow.
///
/// # Complexity
/// O(steps), loop bodies included.
pub fn estimate_work(program: &Program, nodes: usize, edges: usize) -> WorkEstimate {
    let (v, e) = (nodes as f64, edges as f64);
    let mut heaviest_loop: Option<(String, u64, usize, f64)> = None;
    let mut total = 0.0;
    for step in &program.steps {
        let w = step_work(step, v, e);
        if let StepKind::Loop(lp) = &step.kind
            && heaviest_loop.as_ref().is_none_or(|h| w > h.3)
        {
            heaviest_loop = Some((step.id.clone(), lp.iterations, lp.body.steps.len(), w));
        }
        total += w;
    }
    WorkEstimate { total, heaviest_loop }
}

fn scope_work(program: &Program, v: f64, e: f64) -> f64 {
    program.steps.iter().map(|s| step_work(s, v, e)).sum()
}

/// How much slower than a neighbour sum a list op is, per element: `map_nodes`,
/// `collect_neighbor_values` and `mode_list` build and count lists (measured: groggy's label
/// propagation runs at 1/17 of PageRank's element rate).
const LIST_OP_FACTOR: f64 = 16.0;

fn step_work(step: &crate::exec::program::Step, v: f64, e: f64) -> f64 {
    match &step.kind {
        StepKind::Loop(lp) => lp.iterations as f64 * (1.0 + scope_work(&lp.body, v, e)),
        StepKind::Kernel(Kernel::MapNodes(..) | Kernel::CollectNeighbors(_) | Kernel::ModeList(_)) => {
            LIST_OP_FACTOR * (v + e)
        }
        StepKind::Kernel(_) => match op_info(&step.op).cost {
            CostClass::Scalar => 1.0,
            CostClass::Edges => v + e,
            CostClass::Nodes | CostClass::Unknown | CostClass::Nested => v.max(1.0),
        },
        StepKind::Fused(f) => f.members.iter().map(|m| step_work(m, v, e)).sum(),
    }
}

/// An input refused by a [`Limits`] check. Each message gives the number, the limit, and
/// the flag that raises it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    /// The IR file is larger than `--max-file-mb`.
    #[error(
        "{path}: the file is {}{} MiB, over the limit of {} MiB for an IR file (groggy's IRs are kilobytes); \
         irtop did not read it. Pass --max-file-mb {} to read it anyway",
        if *cut_off { "more than " } else { "" }, mib(*bytes), mib(*limit), (*bytes as f64 / MIB).ceil() as u64
    )]
    FileTooLarge {
        /// The file.
        path: PathBuf,
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
        "{what}: a graph of {nodes} nodes and {edges} edges needs about {} GB to build, more than {limit_from} ({} GB); \
         irtop did not build it. Pass --max-graph-gb {} if it fits",
        gb(*bytes), gb(*limit), (*bytes as f64 / GB).ceil() as u64
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
        /// Where the limit comes from: `--max-graph-gb` or `the memory available`.
        limit_from: &'static str,
    },
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
            format!(" (loop {id}: {iterations} iterations x {steps} steps on {nodes} nodes and {edges} edges)")
        }
        _ => format!(" (on {nodes} nodes and {edges} edges)"),
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
