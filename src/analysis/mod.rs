//! Analyses of an [`Ir`]: functions from the IR to side tables, gathered in [`Analysis`].

pub(crate) mod cost;
pub(crate) mod critical_path;
pub mod dependencies;
pub(crate) mod effects;
pub mod groggy;
pub mod groggy_view;
pub mod groups;
pub(crate) mod levels;
pub(crate) mod sequential;

pub use cost::NodeCost;
pub use critical_path::CriticalPath;
pub use dependencies::{DepKind, Dependency, DependencyGraph};
pub use effects::{EffectTable, NodeEffects};
pub use groggy_view::GroggyView;
pub use groups::ParallelGroup;
pub use levels::LevelPlan;
pub use sequential::{LiveRange, SequentialPlan};

use crate::ir::op::is_sequential_sweep;
use crate::ir::{Body, Diagnostic, Domain, Ir, NodeId, Severity};

/// Everything irtop knows about one IR (or one loop or block body).
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What each node reads and writes.
    pub effects: EffectTable,
    /// Dependency edges with kinds and variables.
    pub deps: DependencyGraph,
    /// Execution levels.
    pub levels: LevelPlan,
    /// Static cost of each node.
    pub costs: Vec<NodeCost>,
    /// The heaviest path by node span.
    pub critical_path: CriticalPath,
    /// The longest path by op count (its length is the number of levels).
    pub longest_chain: CriticalPath,
    /// Sum of all nodes' work.
    pub work: f64,
    /// Cost of the critical path: the time on unlimited threads.
    pub span: f64,
    /// One parallel group per level, with groggy's factors.
    pub groups: Vec<ParallelGroup>,
    /// groggy's speedup formula applied to irtop's groups.
    pub estimated_speedup: f64,
    /// groggy's 1.2x threshold applied to `estimated_speedup`.
    pub use_parallel: bool,
    /// The sequential fallback plan: built with the rest, or on first use ([`Analysis::sequential`]).
    pub(crate) sequential: std::sync::OnceLock<SequentialPlan>,
    /// Analysis of each loop or block body, by node index.
    pub bodies: Vec<Option<Box<Analysis>>>,
    /// What groggy's analyzer concludes (top level only).
    pub groggy: Option<GroggyView>,
    /// Findings, most severe first, then in program order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Analyses a whole IR.
///
/// # Complexity
/// O(V + E + operands), bodies included, plus sorting in the groups and the plan.
pub fn analyze(ir: &Ir) -> Analysis {
    analyze_with(ir, SequentialPlanBuild::WithTheRest)
}

/// When the analysis builds its sequential plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequentialPlanBuild {
    /// With the other passes, side by side with them (what `irtop plan` writes).
    WithTheRest,
    /// When [`Analysis::sequential`] is first called: `irtop report` and the terminal UI never
    /// read it, and a million ops' plan costs about 0.2 s of CPU and its memory.
    OnFirstUse,
}

/// Analyses a whole IR, building the sequential plan `when` it says.
pub fn analyze_with(ir: &Ir, when: SequentialPlanBuild) -> Analysis {
    analyze_scope(ir, true, when)
}

impl Analysis {
    /// The sequential fallback plan of `ir`, which must be the IR (or body) this analysis is
    /// of; built on the first call when the analysis left it for later.
    pub fn sequential(&self, ir: &Ir) -> &SequentialPlan {
        self.sequential.get_or_init(|| SequentialPlan::build(ir, &self.effects))
    }
}

fn analyze_scope(ir: &Ir, top_level: bool, when: SequentialPlanBuild) -> Analysis {
    // The dependency graph and the levels are one chain of passes; what reads only the IR
    // (the op checks, groggy's own levels, the bodies and the costs) and the sequential plan
    // (only the effects) run beside it. A million ops: the chain is about 0.3 s on one core.
    let ((effects, deps, levels, (mut diagnostics, sequential_plan)), (classified, groggy_levels, (bodies, costs))) =
        rayon::join(
            || {
                let effects = EffectTable::build(ir);
                let ((deps, levels, diagnostics), sequential_plan) = rayon::join(
                    || {
                        let mut diagnostics = Vec::new();
                        let deps = dependencies::build(ir, &effects, top_level, &mut diagnostics);
                        let levels = LevelPlan::compute(ir.nodes.len(), &deps);
                        (deps, levels, diagnostics)
                    },
                    || (when == SequentialPlanBuild::WithTheRest).then(|| SequentialPlan::build(ir, &effects)),
                );
                (effects, deps, levels, (diagnostics, sequential_plan))
            },
            || {
                let mut classified = Vec::new();
                if top_level {
                    classify_ops(ir, &mut classified);
                }
                let groggy_levels = top_level.then(|| groggy_view::groggy_levels(ir));
                (classified, groggy_levels, bodies_and_costs(ir, when))
            },
        );
    // The op checks come first, as when the passes ran one after the other.
    diagnostics.splice(0..0, classified);

    // The passes below read only the tables above, so they run side by side.
    let mut notes = Vec::new();
    let (((critical_path, longest_chain), groups), groggy) = rayon::join(
        || {
            rayon::join(
                || {
                    let spans: Vec<f64> = costs.iter().map(|c| c.span).collect();
                    rayon::join(
                        || CriticalPath::heaviest(&deps, &spans),
                        || CriticalPath::heaviest(&deps, &vec![1.0; ir.nodes.len()]),
                    )
                },
                || groups::parallel_groups(ir, &effects, &deps, &levels),
            )
        },
        || groggy_levels.map(|g| groggy_view::compare_levels(ir, &deps, &levels, g, &mut notes)),
    );
    // `+ 0.0`: a float sum of no terms is -0.0, which an empty IR would show as `Work: -0`.
    let work = costs.iter().map(|c| c.work).sum::<f64>() + 0.0;
    let span = critical_path.cost;
    let estimated_speedup = groggy::estimated_speedup(groups.iter().map(|g| (g.nodes.len(), g.parallelism_factor)));

    if let Some(view) = &groggy {
        diagnostics.append(&mut notes);
        explain_groggy_estimate(ir, view.levels.len(), &critical_path, &longest_chain, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let sequential = std::sync::OnceLock::new();
    if let Some(plan) = sequential_plan {
        let _ = sequential.set(plan);
    }

    Analysis {
        effects,
        deps,
        levels,
        costs,
        critical_path,
        longest_chain,
        work,
        span,
        groups,
        estimated_speedup,
        use_parallel: groggy::use_parallel(estimated_speedup),
        sequential,
        bodies,
        groggy,
        diagnostics,
    }
}

/// The loop and block bodies' analyses and every node's cost.
fn bodies_and_costs(ir: &Ir, when: SequentialPlanBuild) -> (Vec<Option<Box<Analysis>>>, Vec<NodeCost>) {
    let bodies: Vec<Option<Box<Analysis>>> =
        ir.nodes.iter().map(|n| n.body.as_ref().map(|b| Box::new(analyze_scope(b.ir(), false, when)))).collect();
    let costs: Vec<NodeCost> =
        ir.nodes.iter().zip(&bodies).map(|(n, b)| NodeCost::of(n, b.as_ref().map(|a| (a.work, a.span)))).collect();
    (bodies, costs)
}

impl Analysis {
    /// Work divided by span: the speedup unlimited threads could reach.
    pub fn parallelism(&self) -> f64 {
        if self.span > 0.0 { self.work / self.span } else { 1.0 }
    }

    /// Count of diagnostics at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// The body analysis of node `n`, when it is a loop or block.
    pub fn body(&self, n: NodeId) -> Option<&Analysis> {
        self.bodies[n.index()].as_deref()
    }
}

/// Unknown domains and ops, fused ops whose metadata disagrees with their inputs, and
/// ops that must run as one sequential sweep.
fn classify_ops(ir: &Ir, diagnostics: &mut Vec<Diagnostic>) {
    for node in &ir.nodes {
        if let Domain::Other(d) = &node.domain {
            diagnostics.push(Diagnostic::at(
                Severity::Warning,
                "unknown-domain",
                &node.id,
                format!("domain `{d}` is not one of core, graph, attr, control, execution; kept as written"),
            ));
        }
        if !node.op.info().known {
            diagnostics.push(Diagnostic::at(
                Severity::Warning,
                "unknown-op",
                &node.id,
                format!("op `{}` is unknown to irtop; analysed from its inputs and output, costed like a pass over the nodes", node.op),
            ));
        }
        for r in &node.implicit_reads {
            if r.source == "metadata.fused_inputs" {
                diagnostics.push(Diagnostic::at(
                    Severity::Warning,
                    "fused-inputs-differ",
                    &node.id,
                    format!(
                        "`metadata.fused_inputs` names `{}`, which `inputs` does not; groggy's executor reads fused_inputs, so irtop counts the read",
                        ir.var(r.var)
                    ),
                ));
            }
        }
        if is_sequential_sweep(node) {
            diagnostics.push(Diagnostic::at(
                Severity::Note,
                "sequential-sweep",
                &node.id,
                format!(
                    "{} overwrites its input node by node, so later nodes see earlier results: it runs on one thread (groggy calls it thread-safe)",
                    node.op
                ),
            ));
        }
        if let Some(body) = &node.body {
            for inner in &body.ir().nodes {
                if is_sequential_sweep(inner) {
                    diagnostics.push(Diagnostic::at(
                        Severity::Note,
                        "sequential-sweep",
                        &inner.id,
                        format!("{} in {} overwrites its input node by node: it runs on one thread", inner.op, node.id),
                    ));
                }
            }
        }
    }
}

/// Where groggy's estimate and report mislead: loops counted as one op, and a "critical
/// path" that is the level count.
fn explain_groggy_estimate(
    ir: &Ir,
    groggy_levels: usize,
    critical: &CriticalPath,
    chain: &CriticalPath,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for node in &ir.nodes {
        if let Some(Body::Loop(l)) = node.body.as_deref() {
            diagnostics.push(Diagnostic::at(
                Severity::Note,
                "groggy-loop-as-one-op",
                &node.id,
                format!(
                    "groggy weighs loop {} like one op; its body runs {} x {}",
                    node.id,
                    l.iterations,
                    crate::units::count(l.body.nodes.len(), "step")
                ),
            ));
        }
    }
    if !critical.nodes.is_empty() && (critical.nodes != chain.nodes || critical.ops() != groggy_levels) {
        diagnostics.push(Diagnostic {
            severity: Severity::Note,
            code: "groggy-critical-path",
            message: format!(
                "groggy's report gives its level count ({groggy_levels}) as the critical path length; the costliest path is {} ops (static cost {}): {}",
                critical.ops(),
                critical.cost,
                critical.nodes.iter().map(|&n| ir.node(n).id.as_str()).collect::<Vec<_>>().join(" -> ")
            ),
            node: None,
        });
    }
}
