//! The compact plan written on all cores: the same document as [`super::plan`]'s serde
//! walk, byte for byte, with its long lists (the operations, the groups, the levels, the
//! execution order, groggy's unscheduled nodes) cut into chunks that are serialised side by
//! side, a few at a time, and written in order. A million-op plan is about 190 MB of JSON:
//! serialised on one core, writing it took longer than loading and analysing the IR.
//!
//! Only the compact form is written here (`--pretty` indents by depth, and stays with the
//! serde walk). A test checks that both give the same bytes.
//!
//! # Complexity
//! O(V + E + operands) time, as the serde walk; memory O(chunk x threads) beyond it.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::chunked::format_in_chunks;
use super::escape::to_writer;
use super::plan::{GroupJson, Ids, NodeJson, OperationJson, PathJson, constant_values, edge_json};
use super::plan_fields::{Fields, Section};
use crate::analysis::Analysis;
use crate::ir::{Ir, NodeId, VarId};

/// Writes the plan of `ir` as compact JSON to `out`, as `super::plan::write` does without
/// `--pretty`, its long lists serialised on all cores.
pub(super) fn write_compact(out: &mut impl Write, ir: &Ir, a: &Analysis, fields: Fields) -> io::Result<()> {
    let has = |section| fields.has(section);
    let mut doc = Object::open(out)?;
    doc.entry("name", &ir.name)?;
    if has(Section::Groups) {
        let out = doc.key("groups")?;
        list(
            out,
            &a.groups,
            |g| 1 + g.nodes.len() + g.shared_inputs.len() + g.outputs.len(),
            |buf, g| to_writer(buf, &GroupJson { ir, g }),
        )?;
    }
    if has(Section::SequentialPlan) {
        let out = doc.key("sequential_plan")?;
        write_sequential(out, ir, a, has(Section::LiveRanges))?;
    }
    doc.entry("estimated_speedup", &a.estimated_speedup)?;
    doc.entry("use_parallel", &a.use_parallel)?;
    if has(Section::Levels) {
        let out = doc.key("levels")?;
        levels(out, ir, &a.levels.levels)?;
    }
    if has(Section::CriticalPath) {
        doc.entry("critical_path", &PathJson { ir, path: &a.critical_path })?;
    }
    if has(Section::LongestChain) {
        doc.entry("longest_chain", &PathJson { ir, path: &a.longest_chain })?;
    }
    doc.entry("work", &a.work)?;
    doc.entry("span", &a.span)?;
    doc.entry("parallelism", &a.parallelism())?;
    if has(Section::Edges) {
        let out = doc.key("edges")?;
        list(out, &a.deps.edges, |_| 1, |buf, e| to_writer(buf, &edge_json(ir, e)))?;
    }
    if has(Section::Nodes) {
        let out = doc.key("nodes")?;
        let ids: Vec<NodeId> = ir.node_ids().collect();
        list(out, &ids, |_| 1, |buf, &n| to_writer(buf, &NodeJson { ir, a, n }))?;
    }
    if has(Section::Groggy) {
        let out = doc.key("groggy")?;
        match &a.groggy {
            None => out.write_all(b"null")?,
            Some(g) => {
                let mut groggy = Object::open(out)?;
                let out = groggy.key("levels")?;
                // groggy's levels are few and some hold most of the nodes: each is cut up.
                out.write_all(b"[")?;
                for (k, level) in g.levels.iter().enumerate() {
                    out.write_all(if k == 0 { b"[" } else { b",[" })?;
                    node_ids(out, ir, level)?;
                    out.write_all(b"]")?;
                }
                out.write_all(b"]")?;
                groggy.entry("estimated_speedup", &g.estimated_speedup)?;
                groggy.entry("use_parallel", &g.use_parallel)?;
                let out = groggy.key("unscheduled")?;
                out.write_all(b"[")?;
                node_ids(out, ir, &g.unscheduled)?;
                out.write_all(b"]")?;
                groggy.close()?;
            }
        }
    }
    if has(Section::Diagnostics) {
        doc.entry("diagnostics", &a.diagnostics)?;
    }
    doc.close()
}

/// The `sequential_plan` object.
fn write_sequential(out: &mut impl Write, ir: &Ir, a: &Analysis, live_ranges: bool) -> io::Result<()> {
    let plan = a.sequential(ir);
    let mut m = Object::open(out)?;
    let out = m.key("operations")?;
    list(out, &plan.order, |_| 1, |buf, &n| to_writer(buf, &OperationJson { ir, a, n }))?;
    // Entries of a map: `"name":value`, the name escaped as a string value is.
    let out = m.key("variable_slots")?;
    out.write_all(b"{")?;
    let slotted: Vec<(VarId, u32)> = plan.live_ranges.iter().filter_map(|r| Some((r.var, plan.slot(r.var)?))).collect();
    items(out, &slotted, |_| 1, |buf, &(v, slot)| map_entry(buf, ir.var(v), &slot))?;
    out.write_all(b"}")?;
    let constants = constant_values(ir, a);
    let out = m.key("constant_values")?;
    out.write_all(b"{")?;
    items(out, &constants, |_| 1, |buf, (name, value)| map_entry(buf, name, value))?;
    out.write_all(b"}")?;
    m.entry("max_live_variables", &plan.max_live_variables)?;
    let out = m.key("execution_order")?;
    out.write_all(b"[")?;
    node_ids(out, ir, &plan.order)?;
    out.write_all(b"]")?;
    if live_ranges {
        let out = m.key("live_ranges")?;
        out.write_all(b"{")?;
        items(out, &plan.live_ranges, |_| 1, |buf, r| map_entry(buf, ir.var(r.var), &[r.start, r.end]))?;
        out.write_all(b"}")?;
    }
    m.close()
}

/// Levels as lists of node ids.
fn levels(out: &mut impl Write, ir: &Ir, levels: &[Vec<NodeId>]) -> io::Result<()> {
    list(out, levels, |l| 1 + l.len(), |buf, l| to_writer(buf, &Ids { ir, nodes: l }))
}

/// Node ids, comma-separated, without the brackets.
fn node_ids(out: &mut impl Write, ir: &Ir, nodes: &[NodeId]) -> io::Result<()> {
    items(out, nodes, |_| 1, |buf, &n| to_writer(buf, ir.node(n).id.as_str()))
}

/// `"key":value` as compact JSON.
fn map_entry(buf: &mut impl Write, key: &str, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
    to_writer(buf, key)?;
    buf.write_all(b":")?;
    to_writer(buf, value)
}

/// A JSON object being written: `{`, then each entry with the comma it needs, then `}`.
struct Object<'w, W: Write> {
    out: &'w mut W,
    first: bool,
}

impl<'w, W: Write> Object<'w, W> {
    fn open(out: &'w mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Object { out, first: true })
    }

    /// Writes the key of the next entry; the caller writes its value to what it returns.
    fn key(&mut self, key: &str) -> io::Result<&mut W> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        to_writer(&mut *self.out, key)?;
        self.out.write_all(b":")?;
        Ok(&mut *self.out)
    }

    /// Writes an entry whose value is small.
    fn entry(&mut self, key: &str, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
        let out = self.key(key)?;
        to_writer(out, value)
    }

    fn close(self) -> io::Result<()> {
        self.out.write_all(b"}")
    }
}

/// A chunk's buffer as serde writes to it: through a buffered writer, which takes serde's
/// many small writes (quotes, commas, pieces of strings) faster than a growing vector.
type ChunkWriter<'b> = io::BufWriter<&'b mut Vec<u8>>;

/// `items` as a JSON list: `[`, each item as `write_item` writes it, `]`.
fn list<T: Sync>(
    out: &mut impl Write,
    list_items: &[T],
    weight: impl Fn(&T) -> usize,
    write_item: impl Fn(&mut ChunkWriter<'_>, &T) -> io::Result<()> + Sync,
) -> io::Result<()> {
    out.write_all(b"[")?;
    items(out, list_items, weight, write_item)?;
    out.write_all(b"]")
}

/// `items`, each as `write_item` writes it, separated by commas, serialised in chunks on all
/// cores.
fn items<T: Sync>(
    out: &mut impl Write,
    items: &[T],
    weight: impl Fn(&T) -> usize,
    write_item: impl Fn(&mut ChunkWriter<'_>, &T) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let format = |buf: &mut Vec<u8>, range: Range<usize>| {
        let mut chunk = io::BufWriter::with_capacity(1 << 16, buf);
        for (k, item) in items[range].iter().enumerate() {
            if k > 0 {
                chunk.write_all(b",")?;
            }
            write_item(&mut chunk, item)?;
        }
        chunk.flush()
    };
    let mut first = true;
    format_in_chunks(items, weight, format, |chunk| {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(chunk)
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::analyze;
    use crate::generate::{Shape, generate};
    use crate::ir::load_bytes;
    use crate::report::chunked::CHUNK_ITEMS;
    use crate::report::plan::Plan;

    /// The plan written here and by the serde walk, for every set of sections.
    fn both(text: &[u8]) -> Vec<(Fields, Vec<u8>, Vec<u8>)> {
        let ir = load_bytes(text, Path::new("x.json")).expect("loads");
        let a = analyze(&ir);
        let sets = [Fields::default(), Fields::all(), Fields::of(&[Section::Groggy]), Fields::of(&[])];
        sets.into_iter()
            .map(|fields| {
                let (mut here, mut serde) = (Vec::new(), Vec::new());
                write_compact(&mut here, &ir, &a, fields).unwrap();
                to_writer(&mut serde, &Plan { ir: &ir, a: &a, fields }).unwrap();
                (fields, here, serde)
            })
            .collect()
    }

    fn assert_same(text: &[u8]) {
        for (fields, here, serde) in both(text) {
            assert!(
                here == serde,
                "{fields:?}:\n{}\n{}",
                String::from_utf8_lossy(&here),
                String::from_utf8_lossy(&serde)
            );
        }
    }

    #[test]
    fn the_samples_are_written_as_the_serde_walk_writes_them() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                assert_same(&std::fs::read(&path).unwrap());
                seen += 1;
            }
        }
        assert!(seen >= 5, "only {seen} samples");
    }

    #[test]
    fn lists_of_many_chunks_keep_their_order_and_commas() {
        // Enough ops for every long list to span several chunks and several rounds of them.
        let ops = 3 * CHUNK_ITEMS * rayon::current_num_threads().max(2);
        let text = generate(Shape::Random, ops, 100, 7);
        for (_, here, serde) in both(&text) {
            assert_eq!(here.len(), serde.len());
            assert!(here == serde, "the plans differ at byte {:?}", here.iter().zip(&serde).position(|(a, b)| a != b));
        }
    }

    #[test]
    fn strings_with_controls_and_quotes_are_escaped_as_serde_escapes_them() {
        let text = r#"{"name":"n\u009b\"q","nodes":[
            {"id":"a\u007f","op_type":"constant","output":"x\u001b","metadata":{"value":1.5,"k\u0085":"\u009bv"}},
            {"id":"b\\","op_type":"add","inputs":["x\u001b","y\"z"],"output":"w"},
            {"id":"c","op_type":"frob","inputs":["w"],"output":"w"}]}"#;
        assert_same(text.as_bytes());
    }
}
