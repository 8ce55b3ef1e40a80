//! The JSON shapes groggy 0.5.2's `IRGraph.to_json()` writes, as serde structs.
//!
//! Every field is optional here so that the loader, not serde, decides what a missing
//! field means and says so with the node id.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// `{"name", "nodes", "stats"}`; nodes stay raw so that an error inside one can name it.
#[derive(Deserialize)]
pub(crate) struct FileShape<'a> {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(borrow)]
    pub nodes: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    pub stats: Option<Value>,
}

/// A top-level node, an execution block's body node, or (after a rebuild) a loop.
#[derive(Deserialize, Default)]
pub(crate) struct NodeShape {
    pub id: Option<String>,
    pub domain: Option<String>,
    pub op_type: Option<String>,
    pub inputs: Option<Vec<String>>,
    pub output: Option<String>,
    pub metadata: Option<Map<String, Value>>,
    pub iterations: Option<Value>,
    pub body: Option<Vec<Map<String, Value>>>,
    pub loop_vars: Option<Vec<(String, String)>>,
    pub mode: Option<String>,
    pub target: Option<String>,
}

/// Just enough of a node to name it in an error about the rest.
#[derive(Deserialize)]
pub(crate) struct NodeIdShape {
    pub id: Option<Value>,
}
