//! The plan as JSON: groggy's `ParallelExecutionPlan` fields, then irtop's own, written
//! to the output as they are serialised (a million-op plan is never built in memory).
//! The schema is documented in README.md ("`irtop plan` JSON"); [`Fields`] picks the
//! sections.
//!
//! Each op's facts appear once: its metadata only in `sequential_plan.operations`, and the
//! per-edge and per-node tables only when asked for.
//!
//! # Complexity
//! O(V + E + operands) time; memory O(1) beyond the analysis, except `constant_values`
//! (O(constants)) and one group's sorted variable names at a time.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::plan_fields::{Fields, Section};
use crate::analysis::{Analysis, CriticalPath};
use crate::ir::{Body, Ir, Node, NodeId, VarId};

/// Writes the plan of `ir` to `out` with the sections in `fields`, indented with `pretty`.
pub fn write(out: &mut dyn Write, ir: &Ir, a: &Analysis, fields: Fields, pretty: bool) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    // With DEL and the C1 controls escaped too: the IR's strings reach a terminal.
    if pretty {
        super::escape::to_writer_pretty(&mut out, &Plan { ir, a, fields })?;
    } else {
        super::plan_parallel::write_compact(&mut out, ir, a, fields)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}

/// The `irtop plan` document: serialising it walks the analysis.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan<'a> {
    /// The IR.
    pub ir: &'a Ir,
    /// Its analysis.
    pub a: &'a Analysis,
    /// The sections to write.
    pub fields: Fields,
}

impl Serialize for Plan<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (ir, a, has) = (self.ir, self.a, |section| self.fields.has(section));
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &ir.name)?;
        if has(Section::Groups) {
            m.serialize_entry("groups", &Seq(|| a.groups.iter().map(|g| GroupJson { ir, g })))?;
        }
        if has(Section::SequentialPlan) {
            m.serialize_entry("sequential_plan", &SequentialJson { ir, a, live_ranges: has(Section::LiveRanges) })?;
        }
        m.serialize_entry("estimated_speedup", &a.estimated_speedup)?;
        m.serialize_entry("use_parallel", &a.use_parallel)?;
        if has(Section::Levels) {
            m.serialize_entry("levels", &levels(ir, &a.levels.levels))?;
        }
        if has(Section::CriticalPath) {
            m.serialize_entry("critical_path", &PathJson { ir, path: &a.critical_path })?;
        }
        if has(Section::LongestChain) {
            m.serialize_entry("longest_chain", &PathJson { ir, path: &a.longest_chain })?;
        }
        m.serialize_entry("work", &a.work)?;
        m.serialize_entry("span", &a.span)?;
        m.serialize_entry("parallelism", &a.parallelism())?;
        if has(Section::Edges) {
            m.serialize_entry("edges", &Seq(|| a.deps.edges.iter().map(|e| edge_json(ir, e))))?;
        }
        if has(Section::Nodes) {
            m.serialize_entry("nodes", &Seq(|| ir.node_ids().map(|n| NodeJson { ir, a, n })))?;
        }
        if has(Section::Groggy) {
            let groggy = a.groggy.as_ref().map(|g| GroggyJson {
                levels: levels(ir, &g.levels),
                estimated_speedup: g.estimated_speedup,
                use_parallel: g.use_parallel,
                unscheduled: Ids { ir, nodes: &g.unscheduled },
            });
            m.serialize_entry("groggy", &groggy)?;
        }
        if has(Section::Diagnostics) {
            m.serialize_entry("diagnostics", &a.diagnostics)?;
        }
        m.end()
    }
}

/// A JSON list of whatever the closure's iterator yields, produced while it is written.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// A JSON object of the closure's `(key, value)` pairs, produced while it is written.
struct Entries<F>(F);

impl<F, I, K, V> Serialize for Entries<F>
where
    F: Fn() -> I,
    I: IntoIterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map((self.0)())
    }
}

/// Node ids, as a list.
#[derive(Clone, Copy)]
pub(super) struct Ids<'a> {
    pub(super) ir: &'a Ir,
    pub(super) nodes: &'a [NodeId],
}

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.nodes.iter().map(|&n| self.ir.node(n).id.as_str()))
    }
}

/// Levels as lists of node ids.
fn levels<'a>(ir: &'a Ir, levels: &'a [Vec<NodeId>]) -> impl Serialize + 'a {
    Seq(move || levels.iter().map(move |l| Ids { ir, nodes: l }))
}

/// Variable names in alphabetical order, as groggy lists them.
pub fn sorted_names<'a>(ir: &'a Ir, vars: &[VarId]) -> Vec<&'a str> {
    let mut names: Vec<&str> = vars.iter().map(|&v| ir.var(v)).collect();
    names.sort_unstable();
    names
}

/// One parallel group, in groggy's field names.
pub(super) struct GroupJson<'a> {
    pub(super) ir: &'a Ir,
    pub(super) g: &'a crate::analysis::ParallelGroup,
}

impl Serialize for GroupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (ir, g) = (self.ir, self.g);
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("node_ids", &Ids { ir, nodes: &g.nodes })?;
        m.serialize_entry("shared_inputs", &sorted_names(ir, &g.shared_inputs))?;
        m.serialize_entry("outputs", &sorted_names(ir, &g.outputs))?;
        m.serialize_entry("depends_on", &g.depends_on)?;
        m.serialize_entry("parallelism_factor", &g.parallelism_factor)?;
        m.end()
    }
}

/// A path through the graph.
pub(super) struct PathJson<'a> {
    pub(super) ir: &'a Ir,
    pub(super) path: &'a CriticalPath,
}

impl Serialize for PathJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("nodes", &Ids { ir: self.ir, nodes: &self.path.nodes })?;
        m.serialize_entry("ops", &self.path.ops())?;
        m.serialize_entry("cost", &self.path.cost)?;
        m.end()
    }
}

/// One dependency edge.
#[derive(Serialize)]
pub(super) struct EdgeJson<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    var: Option<&'a str>,
}

/// Edge `e` of `ir`'s graph, with node ids and variable names.
pub(super) fn edge_json<'a>(ir: &'a Ir, e: &crate::analysis::Dependency) -> EdgeJson<'a> {
    EdgeJson { from: &ir.node(e.from).id, to: &ir.node(e.to).id, kind: e.kind.as_str(), var: e.var.map(|v| ir.var(v)) }
}

/// groggy's own levels and estimate.
#[derive(Serialize)]
struct GroggyJson<'a, L: Serialize> {
    levels: L,
    estimated_speedup: f64,
    use_parallel: bool,
    unscheduled: Ids<'a>,
}

/// Per-node facts that the groups do not carry.
pub(super) struct NodeJson<'a> {
    pub(super) ir: &'a Ir,
    pub(super) a: &'a Analysis,
    pub(super) n: NodeId,
}

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (ir, a, n) = (self.ir, self.a, self.n);
        let node = ir.node(n);
        let fx = a.effects.of(n);
        let cost = a.costs[n.index()];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &node.id)?;
        m.serialize_entry("op", node.op.name())?;
        m.serialize_entry("level", &a.levels.level(n))?;
        m.serialize_entry("cost_class", cost.class.label())?;
        m.serialize_entry("work", &cost.work)?;
        m.serialize_entry("span", &cost.span)?;
        m.serialize_entry("reads", &Seq(|| fx.reads.iter().map(|&v| ir.var(v))))?;
        m.serialize_entry("writes", &Seq(|| fx.writes.iter().map(|&v| ir.var(v))))?;
        if let (Some(b), Some(ba)) = (&node.body, a.body(n)) {
            m.serialize_entry("body", &BodyJson { ir: b.ir(), iterations: b.iterations(), a: ba })?;
        }
        m.end()
    }
}

/// A loop or block body's own analysis, per iteration.
struct BodyJson<'a> {
    ir: &'a Ir,
    iterations: u64,
    a: &'a Analysis,
}

impl Serialize for BodyJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("iterations", &self.iterations)?;
        m.serialize_entry("levels", &levels(self.ir, &self.a.levels.levels))?;
        m.serialize_entry("critical_path", &PathJson { ir: self.ir, path: &self.a.critical_path })?;
        m.serialize_entry("work", &self.a.work)?;
        m.serialize_entry("span", &self.a.span)?;
        m.end()
    }
}

/// The sequential plan in groggy's field names (plus irtop's `live_ranges` on request).
struct SequentialJson<'a> {
    ir: &'a Ir,
    a: &'a Analysis,
    live_ranges: bool,
}

impl Serialize for SequentialJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (ir, a) = (self.ir, self.a);
        let plan = a.sequential(ir);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("operations", &Seq(|| plan.order.iter().map(|&n| OperationJson { ir, a, n })))?;
        // In the order the variables first hold a value (groggy writes its slots in the
        // order it assigns them).
        let slots = || plan.live_ranges.iter().filter_map(|r| Some((ir.var(r.var), plan.slot(r.var)?)));
        m.serialize_entry("variable_slots", &Entries(slots))?;
        let constants = constant_values(ir, a);
        m.serialize_entry("constant_values", &Entries(|| constants.iter().copied()))?;
        m.serialize_entry("max_live_variables", &plan.max_live_variables)?;
        m.serialize_entry("execution_order", &Ids { ir, nodes: &plan.order })?;
        if self.live_ranges {
            let ranges = || plan.live_ranges.iter().map(|r| (ir.var(r.var), [r.start, r.end]));
            m.serialize_entry("live_ranges", &Entries(ranges))?;
        }
        m.end()
    }
}

/// Each constant variable's value, in program order; a variable two constants write keeps
/// its first place and the later value.
pub(super) fn constant_values<'a>(ir: &'a Ir, a: &'a Analysis) -> Vec<(&'a str, &'a Value)> {
    let mut place: hashbrown::HashMap<VarId, usize> = hashbrown::HashMap::new();
    let mut values: Vec<(&str, &Value)> = Vec::new();
    for (v, value) in &a.sequential(ir).constants {
        match place.entry(*v) {
            hashbrown::hash_map::Entry::Occupied(at) => values[*at.get()].1 = value,
            hashbrown::hash_map::Entry::Vacant(slot) => {
                slot.insert(values.len());
                values.push((ir.var(*v), value));
            }
        }
    }
    values
}

/// One entry of `sequential_plan.operations`: where the op's metadata is written.
pub(super) struct OperationJson<'a> {
    pub(super) ir: &'a Ir,
    pub(super) a: &'a Analysis,
    pub(super) n: NodeId,
}

impl Serialize for OperationJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (ir, n) = (self.ir, self.n);
        let plan = self.a.sequential(ir);
        let node = ir.node(n);
        let fx = self.a.effects.of(n);
        let slot = |&v: &VarId| plan.slot(v).map_or(-1, i64::from);
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("id", &node.id)?;
        m.serialize_entry("op_type", node.op.name())?;
        m.serialize_entry("domain", node.domain.as_str())?;
        m.serialize_entry("inputs", &Seq(|| fx.reads.iter().map(slot)))?;
        m.serialize_entry("outputs", &Seq(|| fx.writes.iter().map(slot)))?;
        match node.body.as_deref() {
            Some(Body::Loop(_)) => m.serialize_entry("metadata", &loop_metadata(ir, node))?,
            _ => m.serialize_entry("metadata", &node.metadata)?,
        }
        m.end()
    }
}

/// A loop's metadata with its iterations, loop variables and body size, which its node
/// keeps outside metadata.
fn loop_metadata(ir: &Ir, node: &Node) -> Map<String, Value> {
    let mut metadata = node.metadata.map().clone();
    if let Some(Body::Loop(l)) = node.body.as_deref() {
        metadata.insert("iterations".into(), l.iterations.into());
        metadata.insert(
            "loop_vars".into(),
            l.loop_vars.iter().map(|lv| Value::from(vec![ir.var(lv.initial), ir.var(lv.logical)])).collect(),
        );
        metadata.insert("body_ops".into(), l.body.nodes.len().into());
    }
    metadata
}

/// The plan as a `serde_json::Value` (for tests and small IRs; the CLI streams with
/// [`write()`]).
pub fn to_value(ir: &Ir, a: &Analysis, fields: Fields) -> Value {
    serde_json::to_value(Plan { ir, a, fields }).unwrap_or(Value::Null)
}
