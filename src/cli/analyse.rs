//! `irtop report`, `irtop plan` and `irtop dot`: load, analyse, write one rendering; the
//! warnings go to stderr.

use std::io::Write;
use std::path::Path;

use super::CliError;
use crate::analysis::analyze;
use crate::ir::{Diagnostic, Severity, load_file_with};
use crate::limits::{Limits, PLAN_BYTES_PER_FILE_BYTE};
use crate::report;
use crate::report::escape::escape_control;
use crate::report::plan_fields::Fields;

/// What `report`, `plan` and `dot` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The text report.
    Report,
    /// The plan as JSON, with these sections, indented or not.
    Plan {
        /// The sections (`--fields`).
        fields: Fields,
        /// Indented (`--pretty`).
        pretty: bool,
    },
    /// Graphviz DOT; `full` draws every op of a large IR too.
    Dot {
        /// `--full`.
        full: bool,
    },
}

/// Loads and analyses `file` and writes it to `out` as `format`. The report lists the
/// diagnostics itself; the plan and DOT leave them to stderr. With `deny`, findings at that
/// level fail the command after the output is written.
pub fn emit(
    file: &Path,
    out: &mut dyn Write,
    format: Format,
    limits: &Limits,
    deny: Option<super::lint::DenyLevel>,
) -> Result<(), CliError> {
    if matches!(format, Format::Plan { .. })
        && let Ok(meta) = std::fs::metadata(file)
        && meta.is_file()
    {
        // The plan holds the analysis and the whole JSON document: twice what a report needs.
        let hint = "`irtop report` needs half as much. ";
        limits.check_ir_memory(file, meta.len(), PLAN_BYTES_PER_FILE_BYTE, "writing its plan", hint)?;
    }
    let ir = load_file_with(file, limits)?;
    let analysis = analyze(&ir);
    match format {
        Format::Report => report::text::write(out, &ir, &analysis)?,
        Format::Plan { fields, pretty } => report::plan::write(out, &ir, &analysis, fields, pretty)?,
        Format::Dot { full } => {
            let drawn = report::dot::write(out, &ir, &analysis, full)?;
            if let Some(note) = drawn.collapsed_note() {
                eprintln!("{}: {note}", file.display());
            }
        }
    }
    if format != Format::Report {
        write_warnings(file, &analysis.diagnostics);
    }
    super::lint::check(file, &analysis.diagnostics, deny)
}

/// Warnings listed per diagnostic code on stderr; the rest are counted (a file with a
/// million external inputs gives one line per input in the report, not on stderr).
pub const MAX_WARNINGS_PER_CODE: usize = 50;

/// Writes the warnings and errors among `diagnostics` to stderr, at most
/// [`MAX_WARNINGS_PER_CODE`] of each code, in one buffered write.
fn write_warnings(file: &Path, diagnostics: &[Diagnostic]) {
    let mut text = String::new();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity >= Severity::Warning) {
        let n = counts.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_WARNINGS_PER_CODE {
            text.push_str(&format!("{}: {}\n", file.display(), escape_control(&d.to_string())));
        }
    }
    for (code, n) in counts.into_iter().filter(|&(_, n)| n > MAX_WARNINGS_PER_CODE) {
        let more = n - MAX_WARNINGS_PER_CODE;
        text.push_str(&format!(
            "{}: ... and {more} more `{code}` diagnostics (`irtop report` lists them all)\n",
            file.display()
        ));
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
