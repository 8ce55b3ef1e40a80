//! Findings about an IR that do not stop the analysis: unknown ops, external inputs,
//! reads before writes, where groggy's own analyzer goes wrong.

use std::fmt;

use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context, e.g. what groggy's analyzer would have said.
    Note,
    /// Probably intended, but worth knowing (an external input, an unknown op).
    Warning,
    /// The IR is very likely wrong; irtop still analyses it as written.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding, tied to a node when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// Stable kebab-case name, for scripts (`external-input`, `read-before-write` ...).
    pub code: &'static str,
    /// What happened and what to do, in a sentence.
    pub message: String,
    /// The node's file id, when the finding is about one node.
    pub node: Option<String>,
}

impl Diagnostic {
    /// A finding about `node`.
    pub fn at(severity: Severity, code: &'static str, node: &str, message: String) -> Self {
        Diagnostic { severity, code, message, node: Some(node.to_owned()) }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity, self.code)?;
        if let Some(node) = &self.node {
            write!(f, " {node}")?;
        }
        write!(f, ": {}", self.message)
    }
}
