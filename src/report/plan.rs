//! The plan as JSON: groggy's `ParallelExecutionPlan` fields, then irtop's own.
//! The schema is documented in README.md ("`irtop plan` JSON").

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::analysis::{Analysis, CriticalPath};
use crate::ir::{Body, Diagnostic, Ir};

/// The whole `irtop plan` document.
#[derive(Debug, Serialize)]
pub struct PlanDocument<'a> {
    /// The IR's name.
    pub name: &'a str,
    /// One group per level (groggy's fields).
    pub groups: Vec<GroupJson<'a>>,
    /// The sequential fallback plan (groggy's `BatchExecutionPlan` fields plus live ranges).
    pub sequential_plan: SequentialJson<'a>,
    /// groggy's speedup formula on irtop's groups.
    pub estimated_speedup: f64,
    /// groggy's 1.2x threshold on `estimated_speedup`.
    pub use_parallel: bool,
    /// Node ids of each level.
    pub levels: Vec<Vec<&'a str>>,
    /// The costliest path.
    pub critical_path: PathJson<'a>,
    /// The longest path by op count.
    pub longest_chain: PathJson<'a>,
    /// Total static work.
    pub work: f64,
    /// Static span (cost of the critical path).
    pub span: f64,
    /// work / span.
    pub parallelism: f64,
    /// Every dependency edge.
    pub edges: Vec<EdgeJson<'a>>,
    /// Per-node facts.
    pub nodes: Vec<NodeJson<'a>>,
    /// What groggy's own analyzer concludes about this IR.
    pub groggy: Option<GroggyJson<'a>>,
    /// Findings.
    pub diagnostics: &'a [Diagnostic],
}

/// groggy's own levels and estimate.
#[derive(Debug, Serialize)]
pub struct GroggyJson<'a> {
    /// groggy's levels (node ids).
    pub levels: Vec<Vec<&'a str>>,
    /// groggy's estimate on its own levels.
    pub estimated_speedup: f64,
    /// groggy's decision on its own levels.
    pub use_parallel: bool,
    /// Nodes groggy never schedules.
    pub unscheduled: Vec<&'a str>,
}

/// One parallel group.
#[derive(Debug, Serialize)]
pub struct GroupJson<'a> {
    /// Node ids, in program order.
    pub node_ids: Vec<&'a str>,
    /// Variables read.
    pub shared_inputs: Vec<&'a str>,
    /// Variables written.
    pub outputs: Vec<&'a str>,
    /// Groups feeding this one.
    pub depends_on: &'a [usize],
    /// groggy's factor.
    pub parallelism_factor: f64,
}

/// A path through the graph.
#[derive(Debug, Serialize)]
pub struct PathJson<'a> {
    /// Node ids, first first.
    pub nodes: Vec<&'a str>,
    /// Number of ops.
    pub ops: usize,
    /// Sum of static spans.
    pub cost: f64,
}

/// One dependency edge.
#[derive(Debug, Serialize)]
pub struct EdgeJson<'a> {
    /// Earlier node id.
    pub from: &'a str,
    /// Later node id.
    pub to: &'a str,
    /// `read-after-write`, `write-after-read`, `write-after-write` or `side-effect-order`.
    pub kind: &'static str,
    /// The variable, or null for side-effect order.
    pub var: Option<&'a str>,
}

/// Per-node facts that the groups do not carry.
#[derive(Debug, Serialize)]
pub struct NodeJson<'a> {
    /// File id.
    pub id: &'a str,
    /// `op_type`.
    pub op: &'a str,
    /// Level.
    pub level: u32,
    /// Static cost class.
    pub cost_class: &'static str,
    /// Static work.
    pub work: f64,
    /// Static span.
    pub span: f64,
    /// Variables read (loops: the body's free variables and loop_vars' initial values).
    pub reads: Vec<&'a str>,
    /// Variables written.
    pub writes: Vec<&'a str>,
    /// Body analysis of a loop or block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyJson<'a>>,
}

/// A loop or block body's own analysis, per iteration.
#[derive(Debug, Serialize)]
pub struct BodyJson<'a> {
    /// Times the body runs.
    pub iterations: u64,
    /// Step ids of each body level.
    pub levels: Vec<Vec<&'a str>>,
    /// The body's costliest path, per iteration.
    pub critical_path: PathJson<'a>,
    /// Work of one iteration.
    pub work: f64,
    /// Span of one iteration.
    pub span: f64,
}

/// The sequential plan in groggy's field names.
#[derive(Debug, Serialize)]
pub struct SequentialJson<'a> {
    /// One entry per op: id, op_type, domain, input and output slots, metadata.
    pub operations: Vec<Value>,
    /// Slot of each variable.
    pub variable_slots: BTreeMap<&'a str, u32>,
    /// Constant values by variable.
    pub constant_values: Map<String, Value>,
    /// Number of slots.
    pub max_live_variables: usize,
    /// Node ids in execution order.
    pub execution_order: Vec<&'a str>,
    /// `[first, last]` position of each variable's value.
    pub live_ranges: BTreeMap<&'a str, [usize; 2]>,
}

/// Variable names in alphabetical order, as groggy lists them.
pub fn sorted_names<'a>(ir: &'a Ir, vars: &[crate::ir::VarId]) -> Vec<&'a str> {
    let mut names: Vec<&str> = vars.iter().map(|&v| ir.var(v)).collect();
    names.sort_unstable();
    names
}

fn path<'a>(ir: &'a Ir, p: &CriticalPath) -> PathJson<'a> {
    PathJson { nodes: p.nodes.iter().map(|&n| ir.node(n).id.as_str()).collect(), ops: p.ops(), cost: p.cost }
}

fn levels<'a>(ir: &'a Ir, a: &Analysis) -> Vec<Vec<&'a str>> {
    a.levels.levels.iter().map(|l| l.iter().map(|&n| ir.node(n).id.as_str()).collect()).collect()
}

impl<'a> PlanDocument<'a> {
    /// Assembles the document from an IR and its analysis.
    pub fn new(ir: &'a Ir, a: &'a Analysis) -> Self {
        let id = |n: crate::ir::NodeId| ir.node(n).id.as_str();
        let groups = a
            .groups
            .iter()
            .map(|g| GroupJson {
                node_ids: g.nodes.iter().map(|&n| id(n)).collect(),
                shared_inputs: sorted_names(ir, &g.shared_inputs),
                outputs: sorted_names(ir, &g.outputs),
                depends_on: &g.depends_on,
                parallelism_factor: g.parallelism_factor,
            })
            .collect();
        let edges = a
            .deps
            .edges
            .iter()
            .map(|e| EdgeJson { from: id(e.from), to: id(e.to), kind: e.kind.as_str(), var: e.var.map(|v| ir.var(v)) })
            .collect();
        let nodes = ir
            .node_ids()
            .map(|n| {
                let node = ir.node(n);
                let fx = a.effects.of(n);
                let cost = a.costs[n.index()];
                let body = match (&node.body, a.body(n)) {
                    (Some(b), Some(ba)) => Some(BodyJson {
                        iterations: b.iterations(),
                        levels: levels(b.ir(), ba),
                        critical_path: path(b.ir(), &ba.critical_path),
                        work: ba.work,
                        span: ba.span,
                    }),
                    _ => None,
                };
                NodeJson {
                    id: &node.id,
                    op: &node.op,
                    level: a.levels.level(n),
                    cost_class: cost.class.label(),
                    work: cost.work,
                    span: cost.span,
                    reads: fx.reads.iter().map(|&v| ir.var(v)).collect(),
                    writes: fx.writes.iter().map(|&v| ir.var(v)).collect(),
                    body,
                }
            })
            .collect();
        PlanDocument {
            name: &ir.name,
            groups,
            sequential_plan: sequential(ir, a),
            estimated_speedup: a.estimated_speedup,
            use_parallel: a.use_parallel,
            levels: levels(ir, a),
            critical_path: path(ir, &a.critical_path),
            longest_chain: path(ir, &a.longest_chain),
            work: a.work,
            span: a.span,
            parallelism: a.parallelism(),
            edges,
            nodes,
            groggy: a.groggy.as_ref().map(|g| GroggyJson {
                levels: g.levels.iter().map(|l| l.iter().map(|&n| id(n)).collect()).collect(),
                estimated_speedup: g.estimated_speedup,
                use_parallel: g.use_parallel,
                unscheduled: g.unscheduled.iter().map(|&n| id(n)).collect(),
            }),
            diagnostics: &a.diagnostics,
        }
    }
}

fn sequential<'a>(ir: &'a Ir, a: &Analysis) -> SequentialJson<'a> {
    let plan = &a.sequential;
    let slot = |v| plan.slot(v).map_or(-1, i64::from);
    let operations = plan
        .order
        .iter()
        .map(|&n| {
            let node = ir.node(n);
            let fx = a.effects.of(n);
            let mut metadata = node.metadata.clone();
            if let Some(Body::Loop(l)) = &node.body {
                metadata.insert("iterations".into(), l.iterations.into());
                metadata.insert(
                    "loop_vars".into(),
                    l.loop_vars.iter().map(|lv| Value::from(vec![ir.var(lv.initial), ir.var(lv.logical)])).collect(),
                );
                metadata.insert("body_ops".into(), l.body.nodes.len().into());
            }
            serde_json::json!({
                "id": node.id,
                "op_type": node.op,
                "domain": node.domain.as_str(),
                "inputs": fx.reads.iter().map(|&v| slot(v)).collect::<Vec<_>>(),
                "outputs": fx.writes.iter().map(|&v| slot(v)).collect::<Vec<_>>(),
                "metadata": metadata,
            })
        })
        .collect();
    SequentialJson {
        operations,
        variable_slots: plan.live_ranges.iter().filter_map(|r| Some((ir.var(r.var), plan.slot(r.var)?))).collect(),
        constant_values: plan.constants.iter().map(|(v, val)| (ir.var(*v).to_owned(), val.clone())).collect(),
        max_live_variables: plan.max_live_variables,
        execution_order: plan.order.iter().map(|&n| ir.node(n).id.as_str()).collect(),
        live_ranges: plan.live_ranges.iter().map(|r| (ir.var(r.var), [r.start, r.end])).collect(),
    }
}
