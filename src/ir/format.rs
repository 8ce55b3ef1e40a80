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

/// A top-level node, an execution block's body node, or (after a rebuild) a loop.
#[derive(Deserialize, Default)]
pub(crate) struct NodeShape<'a> {
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
    pub metadata: Option<Map<String, Value>>,
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
