//! A mistyped subcommand (`irtop repot x.json`) gets clap's "a similar subcommand exists"
//! tip, as cargo and git give. clap cannot tell by itself: the terminal UI's optional FILE
//! takes `repot` as a file name, and the error is about `x.json`.

use std::ffi::OsString;
use std::path::Path;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use super::Cli;
use super::color::ColorWhen;

/// How alike two names must be (Jaro similarity) to suggest one for the other: clap's own
/// threshold for its suggestions.
const SIMILAR: f64 = 0.7;

/// Parses `args` (program name first) as [`clap::Parser::try_parse_from`] does, but when the first
/// positional argument is not an existing file and looks like a subcommand's name, fails
/// with clap's invalid-subcommand error and the suggestion. Help and errors are coloured as
/// `--color` says ([`ColorWhen::from_args`]).
pub fn try_parse_from(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let color = ColorWhen::from_args(&args).clap();
    let command = || Cli::command().color(color);
    let parsed = command()
        .try_get_matches_from(&args)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches))
        .map_err(|e| e.format(&mut command()));
    let file = match &parsed {
        Ok(cli) if cli.command.is_some() => None,
        Ok(cli) => cli.file.clone(),
        Err(e) if matches!(e.kind(), ErrorKind::UnknownArgument | ErrorKind::InvalidValue) => {
            let lenient = command().ignore_errors(true).try_get_matches_from(&args).ok();
            lenient.and_then(|m| m.get_one::<std::path::PathBuf>("file").cloned())
        }
        Err(_) => None,
    };
    match file.as_deref().and_then(|typed| misspelt_subcommand(typed, command())) {
        Some(error) => Err(error),
        None => parsed,
    }
}

/// The error for `typed`, when it is no file, does not look like one (no `.` or `/`: a
/// missing `x.json` is reported as missing), and a subcommand's name is close to it.
fn misspelt_subcommand(typed: &Path, mut cmd: clap::Command) -> Option<clap::Error> {
    if typed.exists() {
        return None;
    }
    let typed = typed.to_str().filter(|t| !t.contains(['.', '/', '\\']))?;
    let best = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .map(|name| (strsim::jaro(typed, &name), name))
        .filter(|(score, _)| *score > SIMILAR)
        .max_by(|a, b| a.0.total_cmp(&b.0))?
        .1;
    let usage = cmd.render_usage();
    let mut error = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(&cmd);
    error.insert(ContextKind::InvalidSubcommand, ContextValue::String(typed.to_owned()));
    error.insert(ContextKind::SuggestedSubcommand, ContextValue::Strings(vec![best]));
    error.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    Some(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        try_parse_from(std::iter::once("irtop").chain(args.iter().copied()).map(OsString::from).collect())
    }

    #[test]
    fn a_typo_of_a_subcommand_suggests_it() {
        for args in [&["repot", "x.json"][..], &["repot"], &["plna", "x.json"], &["bech", "x.json", "--rmat", "5"]] {
            let e = parse(args).expect_err("a typo must not parse");
            assert_eq!(e.kind(), ErrorKind::InvalidSubcommand, "{args:?}");
            let text = e.to_string();
            assert!(text.contains(&format!("unrecognized subcommand '{}'", args[0])), "{text}");
        }
        assert!(parse(&["repot", "x.json"]).unwrap_err().to_string().contains("'report'"));
        assert!(parse(&["plna"]).unwrap_err().to_string().contains("'plan'"));
    }

    #[test]
    fn files_and_real_subcommands_parse_as_before() {
        assert!(parse(&["report", "x.json"]).is_ok());
        // Nothing like a subcommand: a file to open (the TUI reports it missing).
        assert!(parse(&["pagerank.json"]).expect("a file").file.is_some());
        // An existing file is a file, whatever its name.
        let existing = env!("CARGO_MANIFEST_DIR");
        assert!(parse(&[existing]).is_ok());
    }
}
