//! The JSON shapes groggy 0.5.2's `IRGraph.to_json()` writes, as serde structs.
//!
//! Every field is optional here so that the loader, not serde, decides what a missing
//! field means and says so with the node id. Strings borrow from the file's bytes where
//! they hold no escapes, so a node costs no allocation until the loader keeps it.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// `{"name", "nodes", "stats"}`; nodes stay raw so that an error inside one can name it
/// (the loader's careful pass, which explains a file that does not load).
#[derive(Deserialize)]
pub(crate) struct FileShape<'a> {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(borrow)]
    pub nodes: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    pub stats: Option<Value>,
}

/// The keys of the file's top-level object that the loader's one-pass reader looks at.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
pub(crate) enum FileKey {
    Name,
    Nodes,
    Stats,
    #[serde(other)]
    Other,
}

/// A top-level node, an execution block's body node, or (after a rebuild) a loop. `M` is
/// how its metadata is read: as a map (the careful pass, whose type errors are the
/// messages) or kept as checked text ([`RawMetadata`], the one pass).
#[derive(Deserialize, Default)]
#[serde(bound(deserialize = "M: Deserialize<'de>"))]
pub(crate) struct NodeShape<'a, M = Map<String, Value>> {
    #[serde(borrow)]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub domain: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub op_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub inputs: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    pub output: Option<Cow<'a, str>>,
    pub metadata: Option<M>,
    pub iterations: Option<Value>,
    pub body: Option<Vec<Map<String, Value>>>,
    pub loop_vars: Option<Vec<(String, String)>>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub target: Option<Cow<'a, str>>,
}

/// Just enough of a node to name it in an error about the rest.
#[derive(Deserialize)]
pub(crate) struct NodeIdShape {
    pub id: Option<Value>,
}

/// A node's metadata as the one pass keeps it: the object's text, checked to parse as a map
/// later ([`super::metadata::validate`]).
pub(crate) struct RawMetadata<'a>(pub &'a RawValue);

impl<'de: 'a, 'a> Deserialize<'de> for RawMetadata<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'a RawValue>::deserialize(d)?;
        super::metadata::validate(raw.get()).map_err(serde::de::Error::custom)?;
        Ok(RawMetadata(raw))
    }
}

/// Whether a metadata object has any of the keys the loader acts on (a loop's or a block's
/// parts, a target, reads hidden in metadata). An object without them is kept as text.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoaderKeys {
    body: Present,
    iterations: Present,
    loop_vars: Present,
    body_nodes: Present,
    target: Present,
    mask: Present,
    fused_inputs: Present,
    map_inputs: Present,
}

impl LoaderKeys {
    /// True when `text` (an object) has none of the keys; false also when it cannot tell
    /// (a key given twice).
    pub(crate) fn none_in(text: &str) -> bool {
        serde_json::from_str::<LoaderKeys>(text).is_ok_and(|k| {
            ![k.body, k.iterations, k.loop_vars, k.body_nodes, k.target, k.mask, k.fused_inputs, k.map_inputs]
                .iter()
                .any(|p| p.0)
        })
    }
}

/// A key given with any value, `null` included.
#[derive(Default, Clone, Copy)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Present(true))
    }
}
