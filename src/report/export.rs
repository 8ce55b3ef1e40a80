//! Every command's data written in the format asked for, dispatched in one place
//! ([`write()`]): which formats each kind of data has ([`Kind::formats`]) and which writer
//! makes each one. The writers themselves are this module's siblings.

use std::io::{self, Write};

use super::format::Format;
use super::plan_fields::Fields;
use super::results::Columns;
use super::style::Palette;
use super::{accuracy_text, bench_report::BenchReport, bench_text, dot, escape, plan, results, text, trace};
use crate::analysis::Analysis;
use crate::ir::Ir;
use crate::predict::accuracy::SampleResult;
use crate::predict::cost_model::CostModel;

/// What a command writes, known before its work starts, so that a format it cannot write is
/// refused before then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An IR's analysis (`report`).
    Analysis,
    /// A run's values (`run`).
    Values,
    /// A benchmark report (`bench FILE`).
    Bench,
    /// An accuracy run (`bench --all`).
    Accuracy,
    /// Calibrated constants (`calibrate`).
    Calibration,
    /// A generated IR (`gen`).
    Ir,
}

impl Kind {
    /// The formats this data can be written in; the first is the default.
    pub(crate) fn formats(self) -> &'static [Format] {
        match self {
            Kind::Analysis => &[Format::Text, Format::Json, Format::Dot],
            Kind::Values => &[Format::Json, Format::Csv],
            Kind::Bench => &[Format::Text, Format::Json, Format::Trace],
            Kind::Accuracy => &[Format::Text, Format::Json],
            Kind::Calibration | Kind::Ir => &[Format::Json],
        }
    }
}

/// A command's data, ready to write.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Data<'a> {
    /// An IR's analysis: the text report, the plan as JSON (`fields`, `pretty`) or DOT (`full`:
    /// every op of a large IR too).
    Analysis {
        /// The IR.
        ir: &'a Ir,
        /// Its analysis.
        analysis: &'a Analysis,
        /// The plan's sections.
        fields: Fields,
        /// Indent the plan.
        pretty: bool,
        /// Draw every op.
        full: bool,
    },
    /// A run's values on a graph of `nodes` nodes.
    Values {
        /// Nodes of the graph.
        nodes: usize,
        /// The variables, in order.
        columns: &'a Columns<'a>,
    },
    /// A benchmark report.
    Bench(&'a BenchReport),
    /// An accuracy run: the line above the table, and every row.
    Accuracy {
        /// The line above the table (threads, rounds, costs).
        header: &'a str,
        /// The rows.
        results: &'a [SampleResult],
    },
    /// Calibrated constants.
    Calibration(&'a CostModel),
    /// A generated IR, already JSON.
    Ir(&'a [u8]),
}

impl Data<'_> {
    /// What kind of data this is.
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Data::Analysis { .. } => Kind::Analysis,
            Data::Values { .. } => Kind::Values,
            Data::Bench(_) => Kind::Bench,
            Data::Accuracy { .. } => Kind::Accuracy,
            Data::Calibration(_) => Kind::Calibration,
            Data::Ir(_) => Kind::Ir,
        }
    }
}

/// Writes `data` to `out` as `format`. Returns a note for stderr, if any (the DOT of a large
/// IR says its levels were collapsed). A format the data has not ([`Kind::formats`]) is an
/// `InvalidInput` error; commands refuse it before they start.
pub(crate) fn write(out: &mut dyn Write, data: Data<'_>, format: Format) -> io::Result<Option<String>> {
    write_styled(out, data, format, &Palette::PLAIN)
}

/// [`write()`], the text formats in `palette`'s colours (the others have none).
pub(crate) fn write_styled(
    out: &mut dyn Write,
    data: Data<'_>,
    format: Format,
    palette: &Palette,
) -> io::Result<Option<String>> {
    match (data, format) {
        (Data::Analysis { ir, analysis, .. }, Format::Text) => text::write_styled(out, ir, analysis, palette)?,
        (Data::Analysis { ir, analysis, fields, pretty, .. }, Format::Json) => {
            plan::write(out, ir, analysis, fields, pretty)?
        }
        (Data::Analysis { ir, analysis, full, .. }, Format::Dot) => {
            return Ok(dot::write(out, ir, analysis, full)?.collapsed_note());
        }
        (Data::Values { nodes, columns }, Format::Json) => results::write_json(out, nodes, columns)?,
        (Data::Values { nodes, columns }, Format::Csv) => results::write_csv(out, nodes, columns)?,
        (Data::Bench(report), Format::Text) => out.write_all(bench_text::render(report, palette).as_bytes())?,
        (Data::Bench(report), Format::Json) => {
            escape::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")?;
        }
        (Data::Bench(report), Format::Trace) => escape::to_writer(out, &trace::to_trace(report))?,
        (Data::Accuracy { header, results }, Format::Text) => {
            out.write_all(header.as_bytes())?;
            out.write_all(accuracy_text::render(results, palette).as_bytes())?;
        }
        (Data::Accuracy { results, .. }, Format::Json) => {
            serde_json::to_writer_pretty(&mut *out, results).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        (Data::Calibration(model), Format::Json) => {
            serde_json::to_writer_pretty(&mut *out, model).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        (Data::Ir(json), Format::Json) => {
            out.write_all(json)?;
            out.write_all(b"\n")?;
        }
        (data, format) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{:?} data cannot be written as {format}", data.kind()),
            ));
        }
    }
    Ok(None)
}
