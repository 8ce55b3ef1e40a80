//! The loader's one pass over a file that loads: serde walks the bytes and hands each node,
//! as soon as it is parsed, to the conversion into a [`Node`](super::Node) (strings borrowed
//! from the bytes, no JSON tree). On a big file the parsing and the conversion run on two
//! threads, a batch of nodes at a time; the conversion keeps program order.
//!
//! Any problem makes the pass give up (`None`); the loader then reads the file the careful
//! way to say what is wrong.
//!
//! # Complexity
//! O(file size); memory beyond the IR: a few batches of parsed nodes.

use std::fmt;
use std::path::Path;
use std::sync::mpsc;

use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::format::{FileKey, NodeShape, RawMetadata};
use super::load::{Builder, convert_node};
use super::model::Ir;

/// A node as the one pass reads it: its metadata kept as checked text.
type Shape<'a> = NodeShape<'a, RawMetadata<'a>>;

/// Files at least this big are parsed on one thread and converted on another (a million
/// ops: 119 MB, half the time parsing and half converting).
const PIPELINE_BYTES: usize = 1 << 20;

/// Nodes handed from the parser to the converter at a time.
const BATCH: usize = 2048;

/// Loads a well-formed file in one pass over `bytes`; `None` on any problem.
pub(super) fn one_pass(bytes: &[u8], path: &Path) -> Option<Ir> {
    let mut builder = Builder::new(path, String::new(), None);
    // Every node has an `op_type`: counting them (a fast substring search) sizes the node
    // list once instead of through doubling copies. A count that is off only costs a copy.
    builder.reserve(memchr::memmem::find_iter(bytes, b"\"op_type\"").count());
    let (top, mut builder) = if bytes.len() < PIPELINE_BYTES {
        let mut keep = |shape: Shape<'_>| {
            let node = convert_node(shape, builder.ir.nodes.len(), &mut builder.ir.vars, path);
            node.and_then(|node| builder.push(node)).is_ok()
        };
        let top = parse(bytes, &mut keep)?;
        (top, builder)
    } else {
        parse_and_convert_in_parallel(bytes, builder)?
    };
    builder.ir.name = top.name;
    builder.ir.stats = top.stats;
    Some(builder.ir)
}

/// Parses on this thread and converts on another; the converter owns the builder.
fn parse_and_convert_in_parallel<'p>(bytes: &[u8], mut builder: Builder<'p>) -> Option<(TopLevel, Builder<'p>)> {
    std::thread::scope(|scope| {
        // Two batches in flight at most: the parser waits rather than filling memory.
        let (full, to_convert) = mpsc::sync_channel::<Vec<Shape<'_>>>(2);
        let (emptied, to_refill) = mpsc::channel::<Vec<Shape<'_>>>();
        let converter = scope.spawn(move || {
            for mut batch in to_convert {
                for shape in batch.drain(..) {
                    let node = convert_node(shape, builder.ir.nodes.len(), &mut builder.ir.vars, builder.path);
                    node.and_then(|node| builder.push(node)).ok()?;
                }
                let _ = emptied.send(batch);
            }
            Some(builder)
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut keep = |shape| {
            batch.push(shape);
            if batch.len() < BATCH {
                return true;
            }
            let next = to_refill.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
            full.send(std::mem::replace(&mut batch, next)).is_ok()
        };
        let top = parse(bytes, &mut keep);
        if top.is_some() && !batch.is_empty() {
            let _ = full.send(batch);
        }
        drop(full);
        let builder = converter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Some((top?, builder?))
    })
}

/// The top-level fields other than the nodes.
struct TopLevel {
    name: String,
    stats: Option<Value>,
}

/// Walks the file, giving each node to `keep` (which says whether to go on).
fn parse<'de>(bytes: &'de [u8], keep: &mut dyn FnMut(Shape<'de>) -> bool) -> Option<TopLevel> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let top = de.deserialize_map(FileVisitor { keep }).ok()?;
    de.end().ok()?;
    Some(top)
}

/// The top-level object, read key by key; its `nodes` go to [`NodesVisitor`].
struct FileVisitor<'k, 'de> {
    keep: &'k mut dyn FnMut(Shape<'de>) -> bool,
}

impl<'de> Visitor<'de> for FileVisitor<'_, 'de> {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an IR object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let (mut name, mut nodes, mut stats) = (None, false, None);
        while let Some(key) = map.next_key::<FileKey>()? {
            match key {
                FileKey::Name if name.is_none() => name = Some(map.next_value::<Option<String>>()?.unwrap_or_default()),
                FileKey::Nodes if !nodes => {
                    nodes = true;
                    map.next_value_seed(NodesVisitor { keep: &mut *self.keep })?;
                }
                FileKey::Stats if stats.is_none() => stats = Some(map.next_value::<Option<Value>>()?),
                FileKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => return Err(A::Error::custom("a key given twice")),
            }
        }
        if !nodes {
            return Err(A::Error::custom("no nodes"));
        }
        Ok(TopLevel { name: name.unwrap_or_default(), stats: stats.flatten() })
    }
}

/// The `nodes` list: each node goes to `keep` as soon as it is parsed.
struct NodesVisitor<'k, 'de> {
    keep: &'k mut dyn FnMut(Shape<'de>) -> bool,
}

impl<'de> DeserializeSeed<'de> for NodesVisitor<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for NodesVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(shape) = seq.next_element::<Shape<'de>>()? {
            if !(self.keep)(shape) {
                return Err(A::Error::custom("not a valid node"));
            }
        }
        Ok(())
    }
}
