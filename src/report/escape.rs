//! User text (node ids, op names, variables, the IR's name) in text output: control
//! characters are written as Rust-style escapes (`\u{1b}`, `\n`, `\0`), so an id holding
//! `ESC [2J` cannot clear the user's screen and a NUL cannot end up in a DOT file.

use std::borrow::Cow;

/// `s` with every control character (C0, DEL, C1) escaped; borrowed when there is none.
pub(crate) fn escape_control(s: &str) -> Cow<'_, str> {
    if !may_hold_control(s) || !s.contains(char::is_control) {
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

/// Whether `s` has a byte that starts a control character in UTF-8: C0 and DEL are single
/// bytes, C1 starts with 0xc2 (as do U+00A0..U+00BF). A byte test is much cheaper than
/// decoding, and reports write millions of ids.
fn may_hold_control(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2)
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
        // DEL is the byte 0x7f and U+0080..U+009F are 0xc2 0x80..0x9f in UTF-8: a byte
        // search finds them without decoding the fragment (plans hold millions of strings).
        let bytes = fragment.as_bytes();
        let mut written = 0;
        for at in memchr::memchr2_iter(0x7f, 0xc2, bytes) {
            let c = match (bytes[at], bytes.get(at + 1)) {
                (0x7f, _) => 0x7f,
                (_, Some(&next @ 0x80..=0x9f)) => u32::from(next),
                _ => continue,
            };
            writer.write_all(&bytes[written..at])?;
            write!(writer, "\\u{c:04x}")?;
            written = at + if c == 0x7f { 1 } else { 2 };
        }
        writer.write_all(&bytes[written..])
    }
}

/// Writes `value` as pretty JSON with [`EscapeControls`].
pub(crate) fn to_writer_pretty<W: std::io::Write + ?Sized, T: serde::Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, EscapeControls(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// Writes `value` as compact JSON with [`EscapeControls`].
pub(crate) fn to_writer<W: std::io::Write + ?Sized, T: serde::Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> std::io::Result<()> {
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
        assert!(matches!(escape_control("no\u{a0}break"), Cow::Borrowed(_)));
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
        to_writer(&mut out, &serde_json::json!(["\u{a0}x\u{85}\u{9f}\u{7f}\u{7f}y"])).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[\"\u{a0}x\\u0085\\u009f\\u007f\\u007fy\"]");
        let mut out = Vec::new();
        to_writer_pretty(&mut out, &serde_json::json!({"k": [1, 2]})).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"k\": [\n    1,\n    2\n  ]\n}");
    }
}
