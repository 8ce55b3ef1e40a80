//! User text (node ids, op names, variables, the IR's name) in text output: control
//! characters are written as Rust-style escapes (`\u{1b}`, `\n`, `\0`), so an id holding
//! `ESC [2J` cannot clear the user's screen and a NUL cannot end up in a DOT file.

use std::borrow::Cow;

/// `s` with every control character (C0, DEL, C1) escaped; borrowed when there is none.
pub(crate) fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.contains(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape_control`] for a message that may span lines on purpose: newlines and tabs are
/// kept, every other control character is escaped.
pub fn escape_control_keep_lines(s: &str) -> Cow<'_, str> {
    let escaped = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.contains(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON formatter that also escapes DEL and the C1 controls (U+007F to U+009F), which
/// JSON allows raw but a terminal may act on (U+009B is CSI); serde_json escapes the rest.
/// It wraps `F` (compact or pretty) for everything else.
pub(crate) struct EscapeControls<F>(pub F);

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(writer $(, $arg)*)
        }
    )*};
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for EscapeControls<F> {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(|c: char| ('\u{7f}'..='\u{9f}').contains(&c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// Writes `value` as pretty JSON with [`EscapeControls`].
pub(crate) fn to_writer_pretty<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, EscapeControls(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// Writes `value` as compact JSON with [`EscapeControls`].
pub(crate) fn to_writer<T: serde::Serialize + ?Sized>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, EscapeControls(serde_json::ser::CompactFormatter));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_control("node_0"), "node_0");
        assert!(matches!(escape_control("plain ünïcode"), Cow::Borrowed(_)));
        assert_eq!(escape_control("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_control("x\0y\n\u{7f}\u{9b}"), "x\\0y\\n\\u{7f}\\u{9b}");
        assert_eq!(escape_control_keep_lines("one\u{1b}c\ntwo\tthree"), "one\\u{1b}c\ntwo\tthree");
    }

    #[test]
    fn json_escapes_del_and_c1_too() {
        let mut out = Vec::new();
        to_writer(&mut out, &serde_json::json!({"a\u{9b}2J": ["\u{1b}[0m\u{7f}", "ü"]})).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a\u009b2J":["\u001b[0m\u007f","ü"]}"#);
        let mut out = Vec::new();
        to_writer_pretty(&mut out, &serde_json::json!({"k": [1, 2]})).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"k\": [\n    1,\n    2\n  ]\n}");
    }
}
