//! Why a run could not start or failed, naming the node and op.

/// A failed run. Analysis is never affected by these.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExecError {
    /// The IR uses an op irtop cannot run; found before the run starts.
    #[error("node {node}: irtop cannot run op `{op}`: {why}")]
    Unsupported {
        /// The node's file id.
        node: String,
        /// The op.
        op: String,
        /// What is missing or unsupported.
        why: String,
    },
    /// An op failed while running (a zero divisor, a missing input ...).
    #[error("node {node} ({op}): {message}")]
    Failed {
        /// The node's file id.
        node: String,
        /// The op.
        op: String,
        /// What went wrong.
        message: String,
    },
    /// The worker threads could not be started (the system's limit on threads or
    /// processes, or memory for their stacks).
    #[error(
        "{why}; the system limits the threads a user may run (ulimit -u, or the cgroup's pids.max): \
         pass a smaller --threads than {threads}"
    )]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// What went wrong (`cannot start 511 worker threads: ...`).
        why: String,
    },
    /// The user cancelled the run.
    #[error("cancelled")]
    Cancelled,
}
