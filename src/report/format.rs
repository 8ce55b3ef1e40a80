//! The formats irtop writes data in, one enum for every command (`--format`).

use std::fmt;

/// A format a command can write its data in; which ones a command can write is
/// [`super::export::Kind::formats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people: the report, the benchmark table, the accuracy table.
    Text,
    /// JSON: the plan, a run's values, a benchmark report, the calibration, a generated IR.
    Json,
    /// Comma-separated values: a run's node-map values, a row per node.
    Csv,
    /// Graphviz DOT: the levels and the critical path.
    Dot,
    /// Chrome trace-event JSON: the last round of each benchmarked mode (Perfetto opens it).
    Trace,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [Format::Text, Format::Json, Format::Csv, Format::Dot, Format::Trace];

    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Dot => "dot",
            Format::Trace => "trace",
        }
    }

    /// The format a name stands for.
    pub(crate) fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `text, json or dot`: the names of `formats`, for a message.
pub fn list(formats: &[Format]) -> String {
    match formats {
        [] => String::new(),
        [one] => one.name().to_owned(),
        [rest @ .., last] => {
            format!("{} or {}", rest.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "), last.name())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_lists_read_as_prose() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("xml"), None);
        assert_eq!(list(&[Format::Json]), "json");
        assert_eq!(list(&[Format::Text, Format::Json, Format::Dot]), "text, json or dot");
    }
}
