//! `irtop report`, `irtop plan` and `irtop dot`: load, analyse, write one rendering; the
//! warnings go to stderr.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::CliError;
use super::color::Palettes;
use crate::analysis::{SequentialPlanBuild, analyze_with};
use crate::ir::{Diagnostic, Severity, load_file_mapped};
use crate::limits::{Limits, PLAN_BYTES_PER_FILE_BYTE};
use crate::report::escape::escape_control;
use crate::report::export::{self, Data};
use crate::report::format::Format;
use crate::report::plan_fields::Fields;
use crate::report::style::{Palette, paint};

/// How `report` writes the plan and the DOT drawing (the text report has no options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Options {
    /// The plan's sections (`--fields`).
    pub fields: Fields,
    /// Indent the plan (`--pretty`).
    pub pretty: bool,
    /// Draw every op of a large IR too (`--full`).
    pub full: bool,
    /// The colours of the text report and of the findings on stderr (`--color`).
    pub colors: Palettes,
}

/// Loads and analyses `file` and writes it to `out` as `format` (text: the report; json: the
/// plan; dot: Graphviz) with `options`. The report lists the diagnostics itself; the plan
/// and DOT leave them to stderr. With `deny`, findings at that level fail the command after
/// the output is written.
pub(crate) fn emit(
    file: &Path,
    out: &mut dyn Write,
    format: Format,
    options: Options,
    limits: &Limits,
    deny: Option<super::lint::DenyLevel>,
) -> Result<(), CliError> {
    if format == Format::Json
        && let Ok(meta) = std::fs::metadata(file)
        && meta.is_file()
    {
        // The plan holds the analysis and the whole JSON document: twice what a report needs.
        let hint = "`irtop report` needs half as much. ";
        limits.check_ir_memory(file, meta.len(), PLAN_BYTES_PER_FILE_BYTE, "writing its plan", hint)?;
    }
    let ir = load_file_mapped(file, limits)?;
    // The text report never reads the sequential plan: leave it unbuilt.
    let when = if format == Format::Text { SequentialPlanBuild::OnFirstUse } else { SequentialPlanBuild::WithTheRest };
    let analysis = analyze_with(&ir, when);
    let Options { fields, pretty, full, colors } = options;
    let data = Data::Analysis { ir: &ir, analysis: &analysis, fields, pretty, full };
    if let Some(note) = export::write_styled(out, data, format, &colors.stdout)? {
        eprintln!("{}: {note}", file.display());
    }
    if format != Format::Text {
        write_warnings(file, &analysis.diagnostics, &colors.stderr);
    }
    let checked = super::lint::check(file, &analysis.diagnostics, deny);
    if LEAVE_TO_EXIT.load(Ordering::Relaxed) {
        std::mem::forget((ir, analysis));
    }
    checked
}

/// Set when the process exits right after the command ([`leave_memory_to_exit`]).
static LEAVE_TO_EXIT: AtomicBool = AtomicBool::new(false);

/// Says that the process exits once the command is done, so that `report`, `plan` and `dot`
/// leave the IR and its analysis to the OS rather than free them an allocation at a time
/// (a million ops: millions of allocations, about 0.1 s). For the binary only: a caller
/// that goes on running would keep that memory.
pub(crate) fn leave_memory_to_exit() {
    LEAVE_TO_EXIT.store(true, Ordering::Relaxed);
}

/// Warnings listed per diagnostic code on stderr; the rest are counted (a file with a
/// million external inputs gives one line per input in the report, not on stderr).
pub(crate) const MAX_WARNINGS_PER_CODE: usize = 50;

/// Writes the warnings and errors among `diagnostics` to stderr, at most
/// [`MAX_WARNINGS_PER_CODE`] of each code, in one buffered write, the severities in
/// `palette`'s colours.
fn write_warnings(file: &Path, diagnostics: &[Diagnostic], palette: &Palette) {
    let mut text = String::new();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity >= Severity::Warning) {
        let n = counts.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_WARNINGS_PER_CODE {
            let line = d.to_string();
            let rest = line.strip_prefix(&d.severity.to_string()).unwrap_or(&line);
            let severity = paint(palette.severity(d.severity), d.severity);
            text.push_str(&format!("{}: {severity}{}\n", file.display(), escape_control(rest)));
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
