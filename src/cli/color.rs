//! `--color auto|always|never`: whether an output stream gets colour, as cargo, ripgrep and
//! hyperfine decide it. `auto` colours a stream that is a terminal, unless `NO_COLOR` is set
//! (or `CLICOLOR=0`, or `TERM=dumb`); `always` colours even a pipe and wins over `NO_COLOR`;
//! `never` colours nothing.

use std::ffi::OsString;

use anstream::ColorChoice;

use crate::report::style::Palette;

/// When to colour (`--color WHEN`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour a stream that is a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Colour always, also a pipe or a file, whatever NO_COLOR says.
    Always,
    /// Never colour.
    Never,
}

impl ColorWhen {
    /// Whether `stream` gets colour.
    pub fn colors<S: anstream::stream::RawStream>(self, stream: &S) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            // anstream's own rule: NO_COLOR, CLICOLOR_FORCE, CLICOLOR, a terminal, TERM.
            ColorWhen::Auto => {
                matches!(anstream::AutoStream::choice(stream), ColorChoice::Always | ColorChoice::AlwaysAnsi)
            }
        }
    }

    /// The palette for standard output.
    pub fn stdout(self) -> Palette {
        Palette::new(self.colors(&std::io::stdout()))
    }

    /// The palette for standard error (findings, errors, progress).
    pub fn stderr(self) -> Palette {
        Palette::new(self.colors(&std::io::stderr()))
    }

    /// The `--color` that `args` (program name first) give, read before they are parsed, so
    /// that a parse error and `--help` follow it too: the last `--color WHEN` or
    /// `--color=WHEN` before `--`; `auto` when there is none or its value is not one of the
    /// three (the parse then reports that).
    pub fn from_args(args: &[OsString]) -> ColorWhen {
        let mut when = ColorWhen::Auto;
        let mut args = args.iter().skip(1).map(|a| a.to_str());
        while let Some(arg) = args.next() {
            let value = match arg {
                Some("--") => break,
                Some("--color") => args.next().flatten(),
                Some(a) => a.strip_prefix("--color="),
                None => None,
            };
            when = match value {
                Some("always") => ColorWhen::Always,
                Some("never") => ColorWhen::Never,
                Some("auto") => ColorWhen::Auto,
                _ => when,
            };
        }
        when
    }

    /// clap's own setting for its help and errors.
    pub fn clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }
}

/// The palettes of a command's two streams: data on stdout, findings on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Palettes {
    /// For the data (the text report, the benchmark table).
    pub(crate) stdout: Palette,
    /// For findings and notes.
    pub(crate) stderr: Palette,
}

impl Palettes {
    /// The palettes `when` gives this process's streams.
    pub(crate) fn of(when: ColorWhen) -> Palettes {
        Palettes { stdout: when.stdout(), stderr: when.stderr() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(args: &[&str]) -> ColorWhen {
        let args: Vec<OsString> = std::iter::once("irtop").chain(args.iter().copied()).map(OsString::from).collect();
        ColorWhen::from_args(&args)
    }

    #[test]
    fn the_last_color_flag_counts_and_nothing_after_a_double_dash() {
        assert_eq!(from(&["report", "x.json"]), ColorWhen::Auto);
        assert_eq!(from(&["--color", "always", "report", "x.json"]), ColorWhen::Always);
        assert_eq!(from(&["report", "--color=never", "x.json"]), ColorWhen::Never);
        assert_eq!(from(&["--color", "never", "report", "--color", "always"]), ColorWhen::Always);
        assert_eq!(from(&["--color", "sometimes"]), ColorWhen::Auto);
        assert_eq!(from(&["report", "--", "--color", "always"]), ColorWhen::Auto);
    }

    #[test]
    fn always_and_never_ignore_the_stream() {
        let out = std::io::stdout();
        assert!(ColorWhen::Always.colors(&out));
        assert!(!ColorWhen::Never.colors(&out));
    }
}
