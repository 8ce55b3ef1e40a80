//! The loader's fast path: a hand-written reader for the shape groggy and `irtop gen`
//! write (string ids, op types, domains and outputs without escapes, lists of input
//! names, metadata objects), which turns each ordinary node into a [`Node`] with none of
//! serde's per-field work. A node of another shape (a loop, a block, a key this reader does
//! not know) is cut out of the text and handed to serde and the loader's usual conversion.
//!
//! Whenever it is not sure, the reader gives up (`None`) and the loader runs its serde
//! pass ([`super::one_pass`]), so a file that loads here loads to the same [`Ir`] there:
//! nothing this reader accepts would be refused or read differently by serde.
//!
//! On a big file the reading and the conversion run on two threads, a batch of nodes at a
//! time: the reader makes each node but for its variables (ids, ops, domains and metadata
//! are allocated there), the converter interns the variables and keeps program order.
//!
//! # Complexity
//! O(file size); memory beyond the IR: a few batches of nodes.

use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

use serde_json::Value;

use super::format::{LoaderKeys, NodeShape, RawMetadata};
use super::load::{Builder, convert_node};
use super::metadata::{Metadata, validate};
use super::model::{Domain, Ir, Node};
use super::op::Op;

/// A node as serde reads it: its metadata kept as checked text.
type Shape<'a> = NodeShape<'a, RawMetadata<'a>>;

/// Files at least this big are read on one thread and converted on another.
const PIPELINE_BYTES: usize = 1 << 20;

/// Nodes handed from the reader to the converter at a time.
const BATCH: usize = 4096;

/// Values nested deeper than this make the reader give up: serde's limit (128 levels,
/// counted from the file's top) then decides, as it always did.
const MAX_DEPTH: usize = 100;

/// Loads `bytes` if it has the usual shape; `None` when the serde pass must decide.
pub(super) fn fast_scan(bytes: &[u8], path: &Path) -> Option<Ir> {
    // Checked once here, every slice of the text is a `str`; serde checks the same.
    let text = std::str::from_utf8(bytes).ok()?;
    let mut builder = Builder::new(path, String::new(), None);
    builder.reserve(memchr::memmem::find_iter(bytes, b"\"op_type\"").count());
    let mut reader = Reader { text, bytes, pos: 0 };
    let (top, builder) = if bytes.len() < PIPELINE_BYTES {
        let (mut batch, mut converted) = (Batch::default(), true);
        let top = reader.file(&mut |item, names| {
            batch.push(item, names);
            converted = converted && convert_batch(&mut batch, &mut builder);
            converted
        });
        (top?, builder)
    } else {
        read_and_convert_in_parallel(reader, builder)?
    };
    let mut ir = builder.ir;
    ir.name = top.name;
    ir.stats = top.stats;
    Some(ir)
}

/// Reads on this thread and converts on another; the converter owns the builder.
fn read_and_convert_in_parallel<'t, 'p>(
    mut reader: Reader<'t>,
    mut builder: Builder<'p>,
) -> Option<(TopLevel, Builder<'p>)> {
    std::thread::scope(|scope| {
        // Two batches in flight at most: the reader waits rather than filling memory.
        let (full, to_convert) = mpsc::sync_channel::<Batch<'t>>(2);
        let (emptied, to_refill) = mpsc::channel::<Batch<'t>>();
        let converter = scope.spawn(move || {
            for mut batch in to_convert {
                if !convert_batch(&mut batch, &mut builder) {
                    return None;
                }
                let _ = emptied.send(batch);
            }
            Some(builder)
        });
        let mut batch = Batch::with_capacity();
        let mut keep = |node, names: &[&'t str]| {
            batch.push(node, names);
            if batch.items.len() < BATCH {
                return true;
            }
            let next = to_refill.try_recv().unwrap_or_else(|_| Batch::with_capacity());
            full.send(std::mem::replace(&mut batch, next)).is_ok()
        };
        let top = reader.file(&mut keep);
        if top.is_some() && !batch.items.is_empty() {
            let _ = full.send(batch);
        }
        drop(full);
        let builder = converter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Some((top?, builder?))
    })
}

/// Nodes on their way to the converter, with the variable names of the ordinary ones.
#[derive(Default)]
struct Batch<'t> {
    items: Vec<Item<'t>>,
    names: Vec<&'t str>,
}

impl<'t> Batch<'t> {
    fn with_capacity() -> Self {
        Batch { items: Vec::with_capacity(BATCH), names: Vec::with_capacity(3 * BATCH) }
    }

    /// Adds `item`; an ordinary node's `names` are its inputs then its output.
    fn push(&mut self, item: Item<'t>, names: &[&'t str]) {
        let item = match item {
            Item::Ordinary(mut node) => {
                let start = self.names.len() as u32;
                self.names.extend_from_slice(names);
                node.names = start..self.names.len() as u32;
                Item::Ordinary(node)
            }
            shape => shape,
        };
        self.items.push(item);
    }
}

/// Converts and keeps every node of `batch`, emptying it; false on a node the loader
/// refuses.
fn convert_batch(batch: &mut Batch<'_>, builder: &mut Builder<'_>) -> bool {
    let converted = convert_items(batch, builder);
    batch.items.clear();
    batch.names.clear();
    converted
}

fn convert_items(batch: &mut Batch<'_>, builder: &mut Builder<'_>) -> bool {
    let names = &batch.names;
    for item in batch.items.drain(..) {
        let node = match item {
            Item::Ordinary(node) => {
                let vars = &mut builder.ir.vars;
                let names = &names[node.names.start as usize..node.names.end as usize];
                let (inputs, output) = match node.has_output {
                    true => names.split_at(names.len() - 1),
                    false => (names, &[][..]),
                };
                // The order convert_node interns in: inputs, then the output.
                let inputs = inputs.iter().map(|v| vars.intern(v)).collect();
                let output = output.first().map(|v| vars.intern(v));
                Node {
                    id: node.id,
                    domain: node.domain,
                    op: node.op,
                    inputs,
                    output,
                    implicit_reads: Vec::new(),
                    metadata: node.metadata,
                    body: None,
                }
            }
            Item::Shape(shape) => {
                match convert_node(*shape, builder.ir.nodes.len(), &mut builder.ir.vars, builder.path) {
                    Ok(node) => node,
                    Err(_) => return false,
                }
            }
        };
        if builder.push(node).is_err() {
            return false;
        }
    }
    true
}

/// One node from the reader.
enum Item<'t> {
    /// A node with no body and no metadata key the loader acts on: made but for its
    /// variables.
    Ordinary(Ordinary),
    /// Any other node, for [`convert_node`] (boxed: a shape is ten times an item's size).
    Shape(Box<Shape<'t>>),
}

/// An ordinary node, its variables still names (in its batch's `names`).
struct Ordinary {
    id: String,
    domain: Domain,
    op: Op,
    metadata: Metadata,
    /// Its inputs, then its output if it has one.
    names: Range<u32>,
    has_output: bool,
}

/// The top-level fields other than the nodes.
struct TopLevel {
    name: String,
    stats: Option<Value>,
}

/// The fields of a node in the usual shape, as slices of the text.
#[derive(Default)]
struct Fields<'t> {
    id: Option<&'t str>,
    domain: Option<&'t str>,
    op_type: Option<&'t str>,
    output: Option<&'t str>,
    metadata: Option<&'t str>,
    /// Whether the node listed its inputs (their names go to the caller's list).
    inputs: bool,
}

/// The reader's place in the text.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Reader<'t> {
    /// Skips JSON whitespace and returns the next byte.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Consumes `byte` (after whitespace) if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// A string with no escape and no control character; `None` for anything else.
    fn plain_str(&mut self) -> Option<&'t str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.pos;
        let len = self.bytes[start..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        let end = start + len;
        if self.bytes[end] != b'"' {
            return None;
        }
        self.pos = end + 1;
        Some(&self.text[start..end])
    }

    /// The text of the value that starts here (after whitespace), found by matching
    /// brackets outside strings; `None` when it nests deeper than [`MAX_DEPTH`] or ends
    /// early. The value is not checked: serde does that (and a text that serde accepts is
    /// one whole value, so its end was found right).
    fn value_text(&mut self) -> Option<&'t str> {
        self.peek()?;
        let (bytes, start) = (self.bytes, self.pos);
        let end = match bytes[start] {
            b'"' => string_end(bytes, start)?,
            b'{' | b'[' => {
                let (mut depth, mut at) = (0usize, start);
                loop {
                    match *bytes.get(at)? {
                        b'"' => {
                            at = string_end(bytes, at)?;
                            continue;
                        }
                        b'{' | b'[' => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return None;
                            }
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                break at + 1;
                            }
                        }
                        _ => {}
                    }
                    at += 1;
                }
            }
            // A number or a literal runs to the next delimiter.
            _ => {
                let rest = &bytes[start..];
                start + rest.iter().position(|b| b",}] \n\t\r".contains(b)).unwrap_or(rest.len())
            }
        };
        self.pos = end;
        Some(&self.text[start..end])
    }

    /// The whole file: `{"name": ..., "nodes": [...], "stats": ...}`, each node given to
    /// `keep` with its variable names (which says whether to go on).
    fn file(&mut self, keep: &mut dyn FnMut(Item<'t>, &[&'t str]) -> bool) -> Option<TopLevel> {
        let (mut name, mut nodes, mut stats) = (None, false, None);
        if !self.eat(b'{') {
            return None;
        }
        if !self.eat(b'}') {
            loop {
                let key = self.plain_str()?;
                if !self.eat(b':') {
                    return None;
                }
                match key {
                    "name" if name.is_none() => {
                        name = Some(if self.peek() == Some(b'n') && self.bytes[self.pos..].starts_with(b"null") {
                            self.pos += 4;
                            String::new()
                        } else {
                            self.plain_str()?.to_owned()
                        });
                    }
                    "nodes" if !nodes => {
                        nodes = true;
                        self.nodes(keep)?;
                    }
                    "stats" if stats.is_none() => {
                        stats = Some(serde_json::from_str::<Option<Value>>(self.value_text()?).ok()?);
                    }
                    "name" | "nodes" | "stats" => return None,
                    _ => {
                        serde_json::from_str::<serde::de::IgnoredAny>(self.value_text()?).ok()?;
                    }
                }
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        // Nothing but whitespace may follow.
        if !nodes || self.peek().is_some() {
            return None;
        }
        Some(TopLevel { name: name.unwrap_or_default(), stats: stats.flatten() })
    }

    /// The `nodes` list.
    fn nodes(&mut self, keep: &mut dyn FnMut(Item<'t>, &[&'t str]) -> bool) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        let mut names: Vec<&'t str> = Vec::with_capacity(8);
        loop {
            if self.peek() != Some(b'{') {
                return None;
            }
            let start = self.pos;
            names.clear();
            let made = self.fields(&mut names).map(|fields| {
                names.extend(fields.output);
                ordinary(fields)
            });
            let item = match made {
                Some(Ok(node)) => Item::Ordinary(node),
                // Not the usual shape, or not an ordinary node: serde reads it.
                Some(Err(())) | None => {
                    self.pos = start;
                    names.clear();
                    let shape: Shape<'t> = serde_json::from_str(self.value_text()?).ok()?;
                    Item::Shape(Box::new(shape))
                }
            };
            if !keep(item, &names) {
                return None;
            }
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A node in the usual shape: only the keys [`Fields`] has, each once, with string
    /// values (a list of strings for `inputs`, an object for `metadata`); `names` gets the
    /// inputs then the output. `None` for anything else.
    fn fields(&mut self, names: &mut Vec<&'t str>) -> Option<Fields<'t>> {
        let mut f = Fields::default();
        self.pos += 1;
        if self.eat(b'}') {
            return Some(f);
        }
        loop {
            let key = self.plain_str()?;
            if !self.eat(b':') {
                return None;
            }
            let slot = match key {
                "id" => &mut f.id,
                "domain" => &mut f.domain,
                "op_type" => &mut f.op_type,
                "output" => &mut f.output,
                "inputs" if !f.inputs => {
                    f.inputs = true;
                    if !self.eat(b'[') {
                        return None;
                    }
                    if !self.eat(b']') {
                        loop {
                            names.push(self.plain_str()?);
                            if self.eat(b']') {
                                break;
                            }
                            if !self.eat(b',') {
                                return None;
                            }
                        }
                    }
                    if !self.eat(b',') {
                        return self.eat(b'}').then_some(f);
                    }
                    continue;
                }
                "metadata" if f.metadata.is_none() => {
                    if self.peek() != Some(b'{') {
                        return None;
                    }
                    f.metadata = Some(self.value_text()?);
                    if !self.eat(b',') {
                        return self.eat(b'}').then_some(f);
                    }
                    continue;
                }
                _ => return None,
            };
            if slot.is_some() {
                return None;
            }
            *slot = Some(self.plain_str()?);
            if !self.eat(b',') {
                return self.eat(b'}').then_some(f);
            }
        }
    }
}

/// The node `f` describes, made as [`convert_node`] makes an ordinary node; `Err` for a
/// node that is not ordinary (or that the loader refuses), which serde reads instead.
fn ordinary(f: Fields<'_>) -> Result<Ordinary, ()> {
    let (Some(id), Some(op_type)) = (f.id, f.op_type) else { return Err(()) };
    if id.trim().is_empty() {
        return Err(());
    }
    let op = Op::parse(op_type);
    if op.is_nested() {
        return Err(());
    }
    let metadata = match f.metadata {
        None => Metadata::default(),
        Some(text) if validate(text).is_ok() && LoaderKeys::none_in(text) => Metadata::from_validated(text),
        Some(_) => return Err(()),
    };
    let domain = match f.domain {
        Some(d) => Domain::parse(d),
        None => op.default_domain(),
    };
    Ok(Ordinary { id: id.to_owned(), domain, op, metadata, names: 0..0, has_output: f.output.is_some() })
}

/// The end (one past the closing quote) of the string whose opening quote is at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fast_scan` makes of `text`, beside serde's one pass.
    fn both(text: &[u8]) -> (Option<String>, Option<String>) {
        let path = Path::new("x.json");
        let fast = fast_scan(text, path).map(|ir| format!("{ir:?}"));
        let serde = super::super::one_pass::one_pass(text, path).map(|ir| format!("{ir:?}"));
        (fast, serde)
    }

    /// The fast reader loads what serde loads, to the same IR, or leaves the file to serde.
    fn agrees(text: &[u8]) -> Option<String> {
        let (fast, serde) = both(text);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), serde.as_ref(), "{}", String::from_utf8_lossy(text));
        }
        fast
    }

    fn files(dir: &str) -> Vec<Vec<u8>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut paths: Vec<_> = std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").path()).collect();
        paths.sort();
        paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    }

    #[test]
    fn the_usual_shape_loads_here_as_serde_loads_it() {
        let text = br#" { "name" : "t", "stats": {"n": [1, 2.5e3, null]}, "other": [true],
            "nodes" : [ {"id":"a","domain":"core","op_type":"constant","inputs":[],"output":"x","metadata":{"value":0.15000000000000002}},
              { "output" : "y" , "inputs" : [ "x" , "x" ] , "op_type" : "mul" , "id" : "b" , "metadata" : { } },
              {"id":"c","op_type":"frobnicate","domain":"weird","inputs":["y","z"]},
              {"id":"d","op_type":"where","inputs":["x","y"],"output":"w","metadata":{"mask":"m"}},
              {"id":"e","op_type":"iter_loop","inputs":[],"output":"q","metadata":{"iterations":2,"body":[{"type":"core.add","a":"x","b":"y","output":"y"}]}},
              {"id":"f\u0041","op_type":"add","inputs":["x\ty"],"extra":1}
            ] } "#;
        let ir = agrees(text).expect("the usual shape is read here");
        assert!(ir.contains("metadata.mask") && ir.contains("fA"), "{ir}");
    }

    #[test]
    fn every_sample_and_corpus_file_and_their_mutations_agree() {
        let mut loaded = 0;
        for text in files("samples").into_iter().chain(files("tests/fuzz_corpus")) {
            loaded += usize::from(agrees(&text).is_some());
            if text.len() > 20_000 {
                continue;
            }
            // Cut short, a byte dropped or replaced by JSON's own punctuation, at about 150
            // places spread over the file.
            for at in (0..text.len()).step_by(text.len() / 150 + 1) {
                agrees(&text[..at]);
                let mut dropped = text.clone();
                dropped.remove(at);
                agrees(&dropped);
                for b in [b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'n', b'1', 0x1f, 0xc3] {
                    let mut changed = text.clone();
                    changed[at] = b;
                    agrees(&changed);
                }
            }
        }
        assert!(loaded >= 8, "the fast reader loaded only {loaded} files");
    }

    #[test]
    fn deep_values_and_repeated_keys_are_left_to_serde() {
        let deep = format!(r#"{{"nodes":[],"stats":{}1{}}}"#, "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(both(deep.as_bytes()).0, None);
        for text in [
            r#"{"nodes":[],"nodes":[]}"#,
            r#"{"name":"a","name":"b","nodes":[]}"#,
            r#"{"nodes":[{"id":"a","id":"b","op_type":"add"}]}"#,
            r#"{"nodes":[{"id":"a","op_type":"add"},{"id":"a","op_type":"add"}]}"#,
            r#"{"nodes":[{"id":" ","op_type":"add"}]}"#,
            r#"{"nodes":[]} x"#,
        ] {
            assert_eq!(both(text.as_bytes()).0, None, "{text}");
        }
    }
}
