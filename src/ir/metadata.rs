//! An op's parameters (`metadata` in the file), kept as the JSON text the file wrote and
//! parsed into a map the first time something reads them. A million ops with parameters
//! then cost a million short strings rather than a million maps (about 4 allocations and
//! 200 bytes each), and most are never read: the analysis looks at a few keys, the loader
//! checks those when it reads the file.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::{LazyLock, OnceLock};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// The parameters of one op: derefs to the map of them.
#[derive(Clone, Default)]
pub struct Metadata {
    /// The object as the file wrote it (text that [`validate`] accepted); `None` for `{}`
    /// or no metadata.
    raw: Option<Box<str>>,
    /// The object parsed, once something has read it (or built by the loader).
    parsed: OnceLock<Box<Map<String, Value>>>,
}

/// Two ops have the same parameters when their maps are equal, however the files wrote them.
/// The same text is the same map, so it is not parsed; other text is parsed for the occasion
/// and not kept (comparing two versions of a million ops must not grow either).
impl PartialEq for Metadata {
    fn eq(&self, other: &Metadata) -> bool {
        if let (Some(a), Some(b)) = (&self.raw, &other.raw)
            && a == b
        {
            return true;
        }
        *self.map_for_now() == *other.map_for_now()
    }
}

/// The map of an op without parameters.
static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl Metadata {
    /// Metadata kept as `text`, an object that [`validate`] accepted (so parsing it cannot
    /// fail later).
    pub(crate) fn from_validated(text: &str) -> Metadata {
        let empty = text.trim_start_matches('{').trim_start().starts_with('}');
        Metadata { raw: (!empty).then(|| text.into()), parsed: OnceLock::new() }
    }

    /// The parameters as a map, parsed on first use.
    pub fn map(&self) -> &Map<String, Value> {
        match &self.raw {
            None if self.parsed.get().is_none() => &EMPTY,
            _ => self.parsed.get_or_init(|| Box::new(self.parse())),
        }
    }

    /// The value of `key` without keeping the whole map (for a pass that reads one key of
    /// many ops): the last one, if the object gives the key twice, as the map keeps.
    pub fn field(&self, key: &str) -> Option<Value> {
        match (&self.raw, self.parsed.get()) {
            (_, Some(map)) => map.get(key).cloned(),
            (None, None) => None,
            (Some(raw), None) => {
                let mut de = serde_json::Deserializer::from_str(raw);
                de.deserialize_map(FieldVisitor { key }).unwrap_or(None)
            }
        }
    }

    /// The map, parsed if it was not yet, but not kept.
    fn map_for_now(&self) -> Cow<'_, Map<String, Value>> {
        match (&self.raw, self.parsed.get()) {
            (_, Some(map)) => Cow::Borrowed(map),
            (None, None) => Cow::Borrowed(&EMPTY),
            (Some(_), None) => Cow::Owned(self.parse()),
        }
    }

    fn parse(&self) -> Map<String, Value> {
        // The loader validated the text as a map's, so this does not fail.
        self.raw.as_ref().and_then(|raw| serde_json::from_str(raw).ok()).unwrap_or_default()
    }
}

impl Deref for Metadata {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        self.map()
    }
}

impl From<Map<String, Value>> for Metadata {
    fn from(map: Map<String, Value>) -> Metadata {
        let parsed = OnceLock::new();
        if !map.is_empty() {
            let _ = parsed.set(Box::new(map));
        }
        Metadata { raw: None, parsed }
    }
}

impl FromIterator<(String, Value)> for Metadata {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Metadata {
        Metadata::from(iter.into_iter().collect::<Map<String, Value>>())
    }
}

impl<'a> IntoIterator for &'a Metadata {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.map().iter()
    }
}

impl fmt::Debug for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.map(), f)
    }
}

impl Serialize for Metadata {
    /// As the parsed map would be; text not parsed yet is parsed for the occasion and not
    /// kept (writing a plan must not grow the IR).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.raw, self.parsed.get()) {
            (_, Some(map)) => map.serialize(s),
            (None, None) => EMPTY.serialize(s),
            (Some(_), None) => self.parse().serialize(s),
        }
    }
}

/// Finds one key's value in a JSON object, skipping the others.
struct FieldVisitor<'k> {
    key: &'k str,
}

impl<'de> Visitor<'de> for FieldVisitor<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.key {
                found = Some(map.next_value::<Value>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// How deep a metadata object may nest for the loader's one pass to keep it as text (the
/// careful pass, which allows a little more, handles deeper ones).
pub(crate) const MAX_RAW_DEPTH: usize = 100;

/// Checks that `text` is an object that would parse into a `Map<String, Value>`: numbers in
/// range, strings valid, nested at most [`MAX_RAW_DEPTH`] deep. Allocates nothing.
pub(crate) fn validate(text: &str) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Check { depth: 1 })?;
    de.end()
}

/// Walks any JSON value the way `Value` does, keeping nothing.
#[derive(Clone, Copy)]
struct Check {
    depth: usize,
}

impl Check {
    fn deeper<E: de::Error>(self) -> Result<Check, E> {
        if self.depth >= MAX_RAW_DEPTH {
            Err(E::custom("nested too deep"))
        } else {
            Ok(Check { depth: self.depth + 1 })
        }
    }
}

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::value::RawValue;

    use super::*;

    fn kept(text: &str) -> Metadata {
        let raw: Box<RawValue> = serde_json::from_str(text).expect("JSON");
        validate(raw.get()).expect("an object");
        Metadata::from_validated(raw.get())
    }

    #[test]
    fn a_key_given_twice_reads_as_its_last_value_both_ways() {
        let m = kept(r#"{"value": 1.0, "agg": "sum", "value": 2.5}"#);
        assert_eq!(m.field("value"), Some(Value::from(2.5)));
        assert_eq!(m.field("missing"), None);
        assert_eq!(m.get("value"), Some(&Value::from(2.5)));
        assert_eq!(m.field("value"), Some(Value::from(2.5)), "after parsing, from the map");
    }

    #[test]
    fn writing_kept_text_gives_the_map_and_keeps_nothing_parsed() {
        let m = kept(r#"{ "b": [1, {"c": null}], "a": "x" }"#);
        let written = serde_json::to_string(&m).expect("serialize");
        assert!(m.parsed.get().is_none(), "serializing must not grow the IR");
        let map: Map<String, Value> = serde_json::from_str(r#"{"b": [1, {"c": null}], "a": "x"}"#).unwrap();
        assert_eq!(written, serde_json::to_string(&map).unwrap());
    }

    #[test]
    fn comparing_gives_map_equality_and_keeps_nothing_parsed() {
        let a = kept(r#"{"value": 1.0, "agg": "sum"}"#);
        let same_text = kept(r#"{"value": 1.0, "agg": "sum"}"#);
        let spaced = kept(r#"{ "value" : 1.0 , "agg" : "sum" }"#);
        let other = kept(r#"{"value": 2.0, "agg": "sum"}"#);
        assert!(a == same_text && a == spaced);
        assert!(a != other && other != spaced && a != Metadata::default());
        assert!(Metadata::default() == kept("{}"));
        for m in [&a, &same_text, &spaced, &other] {
            assert!(m.parsed.get().is_none(), "comparing must not grow the IR (a save diff compares every op)");
        }
        let built: Metadata =
            [("value".to_owned(), Value::from(1.0)), ("agg".to_owned(), Value::from("sum"))].into_iter().collect();
        assert!(built == a);
    }

    #[test]
    fn empty_objects_keep_no_text() {
        for text in ["{}", "{ }", "{\n}"] {
            let m = kept(text);
            assert!(m.raw.is_none() && m.is_empty(), "{text}");
        }
    }

    #[test]
    fn validate_refuses_what_a_map_would_refuse() {
        for text in ["[1]", "3", r#"{"a": 1e999}"#] {
            let raw: Box<RawValue> = serde_json::from_str(text).expect("JSON");
            assert!(validate(raw.get()).is_err(), "{text}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(MAX_RAW_DEPTH), "]".repeat(MAX_RAW_DEPTH));
        let raw: Box<RawValue> = serde_json::from_str(&deep).expect("JSON");
        assert!(validate(raw.get()).is_err());
    }
}
