//! Reads an IR file into an [`Ir`]: groggy's node format, its loop-body step format and
//! its execution blocks, with errors that say where and what to do.
//!
//! A file that loads is read once: by the hand-written reader of the usual shape
//! ([`super::fast_scan`]), or when that is unsure, by serde ([`super::one_pass`]), which
//! walks the bytes and makes each node a [`Node`] as soon as it is parsed, with no JSON
//! tree in between. A file that does not load is read once more by [`explain`], which
//! checks the whole text first and then parses it node by node, so that the error is the
//! first problem in the file, with its `line:column` and node id.
//!
//! # Complexity
//! O(file size): one pass over the text (up to three for a file with an error).

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::error::{LoadError, shown};
use super::format::{FileShape, LoaderKeys, NodeIdShape, NodeShape, RawMetadata};
use super::metadata::Metadata;
use super::model::{BlockBody, Body, Domain, ImplicitRead, Ir, LoopBody, LoopVar, Node, VarTable};
use super::op::Op;
use super::step::parse_step;
use crate::input_file::{InputBytes, InputKind, ReadError, map_input, read_input};
use crate::limits::{LOAD_BYTES_PER_FILE_BYTE, Limits};

/// Reads and loads the IR file at `path` within the default [`Limits`].
pub fn load_file(path: &Path) -> Result<Ir, LoadError> {
    load_file_with(path, &Limits::default())
}

/// Reads and loads the IR file at `path` (`-`: standard input), refusing a file over `limits.max_file_bytes`
/// before reading it (and reading at most one byte more, so a file that grows meanwhile or
/// a pipe that goes on is refused too). Refuses, before reading, a file whose loading would need more memory than irtop may use
/// ([`Limits::memory_limit`]; [`LOAD_BYTES_PER_FILE_BYTE`] per byte), and a device, or a
/// pipe where [`Limits::regular_files_only`].
pub(crate) fn load_file_with(path: &Path, limits: &Limits) -> Result<Ir, LoadError> {
    let bytes = read_input(path, limits, IR_INPUT).map_err(|e| load_error(path, e))?;
    load_bytes(&bytes, source_name(path))
}

/// [`load_file_with`], and a hash of the bytes it loaded: the TUI tells a file written again
/// as it was (an editor left without writing, a `touch`) from a change by it.
pub(crate) fn load_file_hashed(path: &Path, limits: &Limits) -> Result<(Ir, u64), LoadError> {
    let bytes = read_input(path, limits, IR_INPUT).map_err(|e| load_error(path, e))?;
    // std's hasher has fixed keys, so two loads of the same bytes hash alike.
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        bytes[..].hash(&mut h);
        h.finish()
    };
    Ok((load_bytes(&bytes, source_name(path))?, hash))
}

/// An IR file, for the input reader's messages and memory check.
const IR_INPUT: InputKind = InputKind {
    kind: "an IR file (groggy's IRs are kilobytes)",
    doing: "loading and analysing it",
    memory_per_byte: LOAD_BYTES_PER_FILE_BYTE,
};

/// A failure to read the IR file at `path`, as a load error.
fn load_error(path: &Path, e: ReadError) -> LoadError {
    match e {
        ReadError::Io(source) => LoadError::Io { path: path.to_owned(), source },
        ReadError::Limit(e) => LoadError::Limit(e),
    }
}

/// The name errors give the input: what came on standard input is `<stdin>`, not a file
/// called `-`.
fn source_name(path: &Path) -> &Path {
    if crate::input_file::is_stdin(path) { Path::new("<stdin>") } else { path }
}

/// [`load_file_with`] for a command that loads once and exits (`report`, `plan`, `dot`): a
/// regular file is mapped rather than copied into memory ([`crate::mapped_file`]; a file
/// cut short meanwhile ends the process with an error naming it). A file whose size changed
/// while it was loaded (it grew: the map ends at the old size) is read again the usual way.
pub(crate) fn load_file_mapped(path: &Path, limits: &Limits) -> Result<Ir, LoadError> {
    let bytes = map_input(path, limits, IR_INPUT).map_err(|e| load_error(path, e))?;
    let InputBytes::Mapped(map) = bytes else { return load_bytes(&bytes, source_name(path)) };
    let loaded = {
        let _message = crate::mapped_file::SigbusMessage::new(path);
        load_bytes(&map, path)
    };
    let mapped = map.len() as u64;
    drop(map);
    match std::fs::metadata(path) {
        Ok(m) if m.len() == mapped => loaded,
        _ => load_file_with(path, limits),
    }
}

/// Loads an IR from `bytes`; `path` is only used to name the source in errors.
pub fn load_bytes(bytes: &[u8], path: &Path) -> Result<Ir, LoadError> {
    // A UTF-8 byte order mark (some Windows editors write one) is not JSON; skip it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Json {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; an IR file is a JSON object {\"name\": ..., \"nodes\": [...]} \
                      (if an editor is saving it, irtop reloads when the save completes)"
                .into(),
        });
    }
    match super::fast_scan::fast_scan(bytes, path).or_else(|| super::one_pass::one_pass(bytes, path)) {
        Some(ir) => Ok(ir),
        None => explain(bytes, path),
    }
}

/// Loads `bytes` the careful way, to say what is wrong with a file the one pass refused:
/// the whole text is checked as JSON first, then each node is parsed on its own, so an
/// error inside a node names it.
fn explain(bytes: &[u8], path: &Path) -> Result<Ir, LoadError> {
    let shape: FileShape = serde_json::from_slice(bytes).map_err(|e| file_error(path, bytes, &e))?;
    let Some(raw_nodes) = shape.nodes else {
        return Err(LoadError::Json {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "no `nodes` list: an IR file is a JSON object {\"name\": ..., \"nodes\": [...]} \
                      as written by groggy's IRGraph.to_json()"
                .into(),
        });
    };
    let mut builder = Builder::new(path, shape.name.unwrap_or_default(), shape.stats);
    for (index, raw) in raw_nodes.iter().enumerate() {
        let text = raw.get();
        let offset = text.as_ptr() as usize - bytes.as_ptr() as usize;
        let node_shape: NodeShape = serde_json::from_str(text).map_err(|e| {
            // Nodes are skipped as raw values, which serde does without a depth limit.
            let mut err = match too_deep(text.as_bytes()) {
                Some(at) => nesting_error(path, bytes, offset + at),
                None => json_error(path, bytes, offset, &e),
            };
            if let (LoadError::Json { message, .. }, Some(id)) = (&mut err, id_of(text)) {
                *message = format!("node {id}: {message}");
            }
            err
        })?;
        let node = convert_node(node_shape, index, &mut builder.ir.vars, path)?;
        builder.push(node)?;
    }
    Ok(builder.ir)
}

/// The id of a node given as raw JSON, when it has one (shortened to 60 characters: a
/// hostile id can be megabytes of nested lists).
fn id_of(text: &str) -> Option<String> {
    let mut id = match serde_json::from_str::<NodeIdShape>(text).ok()?.id? {
        Value::String(s) => s,
        other => other.to_string(),
    };
    if let Some((cut, _)) = id.char_indices().nth(60) {
        id.truncate(cut);
        id.push('…');
    }
    Some(id)
}

/// Nesting deeper than this is reported as such (serde_json's limit for the values it parses).
const MAX_DEPTH: usize = 128;

/// Explains a serde error about the whole file: nesting too deep, a top level that is not
/// an object, or else [`json_error`].
fn file_error(path: &Path, bytes: &[u8], e: &serde_json::Error) -> LoadError {
    if let Some(at) = too_deep(bytes) {
        return nesting_error(path, bytes, at);
    }
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let found = match bytes.get(start) {
        Some(b'[') => "a list",
        Some(b'"') => "a string",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => return json_error(path, bytes, 0, e),
    };
    let (line, column) = line_column(bytes, start);
    LoadError::Json {
        path: path.to_owned(),
        line,
        column,
        message: format!(
            "the file holds {found}; an IR file is a JSON object {{\"name\": ..., \"nodes\": [...]}} \
             (a list of nodes goes in its `nodes` key)"
        ),
    }
}

/// The offset of the first `[` or `{` nested more than [`MAX_DEPTH`] deep (one pass, no recursion).
fn too_deep(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn nesting_error(path: &Path, bytes: &[u8], offset: usize) -> LoadError {
    let (line, column) = line_column(bytes, offset);
    LoadError::Json {
        path: path.to_owned(),
        line,
        column,
        message: format!("values are nested more than {MAX_DEPTH} deep; an IR file nests a few levels at most"),
    }
}

/// The 1-based line and column of byte `offset` in `bytes`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    (line, before.len() - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1)
}

/// Turns a serde error at `offset` in `bytes` into a file:line:column error with a hint.
fn json_error(path: &Path, bytes: &[u8], offset: usize, e: &serde_json::Error) -> LoadError {
    let (base_line, base_col) = line_column(bytes, offset);
    let (line, column) = if e.line() <= 1 {
        (base_line, base_col + e.column().saturating_sub(1))
    } else {
        (base_line + e.line() - 1, e.column())
    };
    let full = e.to_string();
    let text = full.split(" at line ").next().unwrap_or(&full);
    // serde names the loader's own type; the user wrote a node.
    let text = &text.replace("struct NodeShape", "a node (a JSON object)");
    let message = match e.classify() {
        serde_json::error::Category::Eof => {
            format!("{text}: the JSON ends early; the file looks truncated (is an editor still saving it?)")
        }
        serde_json::error::Category::Syntax if text.contains("recursion limit") => {
            format!("{text}: values are nested more than 128 deep; an IR file nests a few levels at most")
        }
        serde_json::error::Category::Syntax if text.contains("unicode") || text.contains("UTF-8") => {
            format!("{text}: the file is not UTF-8 text; save it as UTF-8")
        }
        serde_json::error::Category::Syntax => format!("{text}: this is not valid JSON"),
        _ => format!("{text}; see the IR format in README.md"),
    };
    LoadError::Json { path: path.to_owned(), line, column: column.max(1), message }
}

/// Collects nodes and rejects duplicate ids.
pub(super) struct Builder<'p> {
    pub(super) path: &'p Path,
    pub(super) ir: Ir,
    /// Indices of the nodes so far, hashed by id (the ids are not copied).
    ids: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl<'p> Builder<'p> {
    pub(super) fn new(path: &'p Path, name: String, stats: Option<Value>) -> Self {
        let ir = Ir { name, stats, ..Ir::default() };
        Builder { path, ir, ids: hashbrown::HashTable::new(), hasher: Default::default() }
    }

    /// Makes room for `nodes` nodes, and as many variables (most ops write a new one).
    pub(super) fn reserve(&mut self, nodes: usize) {
        self.ir.nodes.reserve_exact(nodes);
        self.ir.vars.reserve(nodes);
        let (nodes_so_far, hasher) = (&self.ir.nodes, &self.hasher);
        self.ids.reserve(nodes, |&i| hasher.hash_one(nodes_so_far[i as usize].id.as_str()));
    }

    pub(super) fn push(&mut self, node: Node) -> Result<(), LoadError> {
        let index = self.ir.nodes.len();
        let (nodes, hasher) = (&self.ir.nodes, &self.hasher);
        let entry = self.ids.entry(
            hasher.hash_one(node.id.as_str()),
            |&i| nodes[i as usize].id == node.id,
            |&i| hasher.hash_one(nodes[i as usize].id.as_str()),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(first) => {
                let first = *first.get();
                return Err(node_error(
                    self.path,
                    &node.id,
                    format!("duplicate node id (nodes #{first} and #{index} both use it); give every node a unique id"),
                ));
            }
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(index as u32);
            }
        }
        self.ir.nodes.push(node);
        Ok(())
    }
}

fn node_error(path: &Path, node: &str, message: String) -> LoadError {
    LoadError::Node { path: path.to_owned(), node: node.to_owned(), message }
}

/// How a node's metadata arrives: as checked text (the one pass) or parsed (the careful
/// pass, and block bodies).
pub(super) trait ShapeMetadata<'a> {
    /// The text, when the metadata is kept as such.
    fn text(&self) -> Option<&'a RawValue>;
    /// The metadata as a map.
    fn into_map(self) -> Result<Map<String, Value>, serde_json::Error>;
}

impl<'a> ShapeMetadata<'a> for RawMetadata<'a> {
    fn text(&self) -> Option<&'a RawValue> {
        Some(self.0)
    }

    fn into_map(self) -> Result<Map<String, Value>, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl<'a> ShapeMetadata<'a> for Map<String, Value> {
    fn text(&self) -> Option<&'a RawValue> {
        None
    }

    fn into_map(self) -> Result<Map<String, Value>, serde_json::Error> {
        Ok(self)
    }
}

/// Converts one node in groggy's node format (top level or inside a block).
///
/// An ordinary op whose metadata has none of the keys the loader acts on keeps it as text
/// ([`Metadata`]); loops, blocks and the rest have it parsed here.
pub(super) fn convert_node<'a, M: ShapeMetadata<'a>>(
    shape: NodeShape<'a, M>,
    index: usize,
    vars: &mut VarTable,
    path: &Path,
) -> Result<Node, LoadError> {
    let Some(id) = shape.id else {
        return Err(node_error(path, &format!("#{index}"), "has no `id`; give every node a unique string id".into()));
    };
    if id.trim().is_empty() {
        // Errors and reports name nodes by id: an empty one would name nothing.
        return Err(node_error(
            path,
            &format!("#{index}"),
            format!("has an empty `id` ({id:?}); give every node a unique string id"),
        ));
    }
    let id = id.into_owned();
    let Some(op) = shape.op_type.as_deref().map(Op::parse) else {
        return Err(node_error(path, &id, "has no `op_type` (e.g. \"mul\", \"neighbor_agg\", \"iter_loop\")".into()));
    };
    let domain = match &shape.domain {
        Some(d) => Domain::parse(d),
        None => op.default_domain(),
    };
    let mut inputs: Vec<_> = shape.inputs.unwrap_or_default().iter().map(|v| vars.intern(v)).collect();
    let mut output = shape.output.as_deref().map(|v| vars.intern(v));
    let ordinary = shape.body.is_none() && !op.is_nested();
    match shape.metadata.as_ref().map(|m| m.text()) {
        None if ordinary => {
            let metadata = Metadata::default();
            return Ok(Node { id, domain, op, inputs, output, implicit_reads: Vec::new(), metadata, body: None });
        }
        Some(Some(text)) if ordinary && LoaderKeys::none_in(text.get()) => {
            let metadata = Metadata::from_validated(text.get());
            return Ok(Node { id, domain, op, inputs, output, implicit_reads: Vec::new(), metadata, body: None });
        }
        _ => {}
    }
    let mut metadata = match shape.metadata {
        None => Map::new(),
        Some(m) => m.into_map().map_err(|e| node_error(path, &id, format!("`metadata` is not an object: {e}")))?,
    };
    let shape_target = shape.target.map(Cow::into_owned);

    let steps = shape.body.or_else(|| take_steps(&mut metadata, "body"));
    let body = if matches!(op, Op::IterLoop | Op::Loop) || steps.is_some() {
        let iterations = shape.iterations.or_else(|| metadata.remove("iterations"));
        let iterations = parse_iterations(iterations.as_ref()).map_err(|m| node_error(path, &id, m))?;
        let loop_vars = match shape.loop_vars {
            Some(lv) => lv,
            None => match metadata.remove("loop_vars") {
                Some(v) => serde_json::from_value(v).map_err(|e| {
                    node_error(path, &id, format!("`loop_vars` must be a list of [initial, name] pairs: {e}"))
                })?,
                None => Vec::new(),
            },
        };
        let mut body = Builder::new(path, format!("{id} body"), None);
        for (i, step) in steps.unwrap_or_default().iter().enumerate() {
            let step_id = format!("{id}/{i}");
            let node =
                parse_step(step, step_id.clone(), &mut body.ir.vars).map_err(|m| node_error(path, &step_id, m))?;
            body.push(node)?;
        }
        let loop_vars = loop_vars
            .iter()
            .map(|(initial, logical)| {
                body.ir.vars.intern(logical);
                LoopVar { initial: vars.intern(initial), logical: vars.intern(logical) }
            })
            .collect();
        Some(Body::Loop(LoopBody { iterations, body: Box::new(adopt(body.ir, vars)), loop_vars }))
    } else if let Some(mode) = op.block_mode() {
        let target = shape_target.or_else(|| metadata.get("target").and_then(Value::as_str).map(str::to_owned));
        let target = target.map(|t| vars.intern(&t));
        let body_nodes = match metadata.remove("body_nodes") {
            None => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(node_error(
                    path,
                    &id,
                    format!("`metadata.body_nodes` must be a list of nodes, found {}", shown(&other)),
                ));
            }
        };
        let mut body = Builder::new(path, format!("{id} body"), None);
        for (i, item) in body_nodes.iter().enumerate() {
            let shape = NodeShape::<Map<String, Value>>::deserialize(item).map_err(|e| {
                node_error(
                    path,
                    &format!("{id}/body_nodes[{i}]"),
                    format!("not a node: {}", e.to_string().replace("struct NodeShape", "a node (a JSON object)")),
                )
            })?;
            let node = convert_node(shape, i, &mut body.ir.vars, path)?;
            body.push(node)?;
        }
        if output.is_none() {
            output = target;
        }
        let mode = shape.mode.map_or_else(|| mode.to_owned(), Cow::into_owned);
        Some(Body::Block(BlockBody { mode, target, body: Box::new(adopt(body.ir, vars)) }))
    } else {
        None
    };

    if body.is_none() && op == Op::UpdateInPlace && output.is_none() {
        output = metadata.get("target").and_then(Value::as_str).map(|t| vars.intern(t));
    }
    let implicit_reads = implicit_reads(&op, &metadata, &inputs, vars);
    if op == Op::MapNodes && inputs.is_empty() {
        // The seed's minimal form: the variables are only named in map_inputs.
        inputs = implicit_reads.iter().map(|r| r.var).collect();
        let metadata = Metadata::from(metadata);
        return Ok(Node {
            id,
            domain,
            op,
            inputs,
            output,
            implicit_reads: Vec::new(),
            metadata,
            body: body.map(Box::new),
        });
    }
    Ok(Node {
        id,
        domain,
        op,
        inputs,
        output,
        implicit_reads,
        metadata: Metadata::from(metadata),
        body: body.map(Box::new),
    })
}

/// Body steps stored in metadata (the form groggy's sequential plan writes).
fn take_steps(metadata: &mut Map<String, Value>, key: &str) -> Option<Vec<Map<String, Value>>> {
    match metadata.get(key)? {
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let Some(Value::Array(items)) = metadata.remove(key) else { return None };
            Some(items.into_iter().filter_map(|v| if let Value::Object(m) = v { Some(m) } else { None }).collect())
        }
        _ => None,
    }
}

fn parse_iterations(value: Option<&Value>) -> Result<u64, String> {
    match value {
        None => Err("loop has no `iterations`; say how many times the body runs, e.g. \"iterations\": 20".into()),
        Some(v) => match (v.as_u64(), v.as_i64(), v.as_f64()) {
            (Some(n), _, _) => Ok(n),
            (None, Some(n), _) => Err(format!("`iterations` is {n}; a loop runs a whole number of times, 0 or more")),
            (None, None, Some(f)) if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 => Ok(f as u64),
            (None, None, Some(f)) if f >= u64::MAX as f64 => Err(format!(
                "`iterations` is {v}, more than a loop can run (at most {}); a loop this long would never end",
                u64::MAX
            )),
            _ => Err(format!("`iterations` must be a whole number of times, found {}", shown(v))),
        },
    }
}

/// Makes every variable of a body known to the outer IR too, so that analyses can relate
/// a body's reads and writes to the outer program.
fn adopt(body: Ir, outer: &mut VarTable) -> Ir {
    for i in 0..body.vars.len() {
        outer.intern(body.vars.name(super::model::VarId(i as u32)));
    }
    body
}

/// The reads hidden in metadata ([`Op::hidden_reads`]) that `inputs` does not list, each
/// once; their variables are made known here, so that compiling finds them.
fn implicit_reads(
    op: &Op,
    metadata: &Map<String, Value>,
    inputs: &[super::model::VarId],
    vars: &mut VarTable,
) -> Vec<ImplicitRead> {
    let mut reads: Vec<ImplicitRead> = Vec::new();
    for hidden in op.hidden_reads(inputs.len(), metadata).reads {
        let var = vars.intern(hidden.name);
        if !inputs.contains(&var) && !reads.iter().any(|r| r.var == var) {
            reads.push(ImplicitRead { var, source: hidden.source });
        }
    }
    reads
}
