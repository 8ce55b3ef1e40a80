//! `--format`: the value parser each subcommand uses (it offers only the formats that
//! command can write, so `--help` and clap's error list them) and the check of a format
//! against what a command writes.

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::CliError;
use crate::report::export::Kind;
use crate::report::format::{Format, list};

/// The `--format` parser of a command that writes `kind`: it takes the names of
/// `kind`'s formats and refuses any other, listing them.
pub(crate) fn parser(kind: Kind) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(kind.formats().iter().map(|f| f.name()))
        .try_map(|name| Format::from_name(&name).ok_or("not a format"))
}

/// The format to write `kind` in: `asked`, or `kind`'s default. `command` (`irtop bench
/// --all`) names the command in the error for a format it cannot write.
pub(crate) fn choose(kind: Kind, asked: Option<Format>, command: &str) -> Result<Format, CliError> {
    let formats = kind.formats();
    match asked {
        None => Ok(formats[0]),
        Some(f) if formats.contains(&f) => Ok(f),
        Some(f) => Err(CliError::Usage(format!("--format {f}: `{command}` writes {}", list(formats)))),
    }
}
