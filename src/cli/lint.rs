//! `--deny warnings|errors` on `report`, `plan` and `dot`: turn the analysis's findings into a
//! failing exit status, as rustc's and clippy's `-D warnings` do, so irtop can gate CI.

use std::collections::BTreeMap;
use std::path::Path;

use crate::ir::{Diagnostic, Severity};

use super::CliError;

/// The lowest severity `--deny` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    /// Warnings and errors (an external input, an unknown op, a read before its write ...).
    Warnings,
    /// Errors only (a read before the write that the IR makes later: `read-before-write`).
    Errors,
}

impl DenyLevel {
    fn severity(self) -> Severity {
        match self {
            DenyLevel::Warnings => Severity::Warning,
            DenyLevel::Errors => Severity::Error,
        }
    }

    fn name(self) -> &'static str {
        match self {
            DenyLevel::Warnings => "warnings",
            DenyLevel::Errors => "errors",
        }
    }
}

/// The `--deny` flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::Args)]
pub struct LintArgs {
    /// Exit with status 3 when the analysis finds a diagnostic at this level or above:
    /// `errors` (read-before-write) or `warnings` (also external inputs, unknown ops ...).
    /// The output is written either way.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
}

/// Fails with [`CliError::Denied`] when `diagnostics` holds a finding at `deny`'s level or
/// above, naming how many of each code and the first node of each.
pub(crate) fn check(file: &Path, diagnostics: &[Diagnostic], deny: Option<DenyLevel>) -> Result<(), CliError> {
    let Some(deny) = deny else { return Ok(()) };
    let mut codes: BTreeMap<&str, (usize, Option<&str>)> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity >= deny.severity()) {
        let entry = codes.entry(d.code).or_default();
        entry.0 += 1;
        entry.1 = entry.1.or(d.node.as_deref());
    }
    if codes.is_empty() {
        return Ok(());
    }
    let total: usize = codes.values().map(|&(n, _)| n).sum();
    let list: Vec<String> = codes
        .iter()
        .map(|(code, (n, node))| match node {
            Some(node) => format!("{n} {code} (first at node {node})"),
            None => format!("{n} {code}"),
        })
        .collect();
    let findings = if total == 1 { "finding" } else { "findings" };
    Err(CliError::Denied(format!(
        "{}: {total} {findings} denied by --deny {}: {}; `irtop report {}` lists them",
        file.display(),
        deny.name(),
        list.join(", "),
        file.display()
    )))
}
