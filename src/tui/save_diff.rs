//! What each save changed: after a reload brings a new version of the file, a one-line diff
//! against the previous version (ops added, removed and changed by id, levels, critical path,
//! work/span, groggy's estimate; irtop's prediction and the measured time once a benchmark
//! ran on both), and against a baseline the user pins with `p` (`P` unpins).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use rayon::prelude::*;

use crate::ir::{Body, Ir, Node, VarId};

use super::app::App;
use super::clock::WallTime;
use super::model::Snapshot;

/// The numbers of one version of the file that the diff line compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VersionSummary {
    /// Its [`super::model::Model::version`]: the benchmarks of it are found by it.
    pub version: u64,
    /// When it was loaded.
    pub at: WallTime,
    /// Top-level ops.
    pub ops: usize,
    /// Execution levels.
    pub levels: usize,
    /// Ops on the critical path.
    pub(crate) critical_ops: usize,
    /// The critical path's static cost.
    pub(crate) critical_cost: f64,
    /// Work / span.
    pub parallelism: f64,
    /// groggy's estimated speedup.
    pub estimated_speedup: f64,
}

impl VersionSummary {
    /// The summary of `s`, version `version`.
    pub fn of(s: &Snapshot, version: u64) -> VersionSummary {
        let a = &s.analysis;
        VersionSummary {
            version,
            at: s.loaded_at,
            ops: s.ir.len(),
            levels: a.levels.len(),
            critical_ops: a.critical_path.ops(),
            critical_cost: a.critical_path.cost,
            parallelism: a.parallelism(),
            estimated_speedup: a.estimated_speedup,
        }
    }
}

/// What changed from one version to another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VersionDiff {
    /// Ops (by id, top level) only in the newer version.
    pub added: usize,
    /// Ops only in the older version.
    pub removed: usize,
    /// Ops in both whose op, domain, inputs, output, metadata or body differ.
    pub changed: usize,
    /// The older version.
    pub before: VersionSummary,
    /// The newer version.
    pub after: VersionSummary,
}

impl VersionDiff {
    /// Compares `old` (version `versions.0`) with `new` (version `versions.1`).
    ///
    /// # Complexity
    /// O(V) expected (a hash map of the old ids that are not where the new version has them),
    /// plus the size of the bodies compared; the ops in place are compared on every core.
    pub fn between(old: &Snapshot, new: &Snapshot, versions: (u64, u64)) -> VersionDiff {
        let (olds, news) = (&old.ir.nodes, &new.ir.nodes);
        // An edit usually keeps every op in its place: ops at the same position with the same
        // id are compared directly, and only the rest go through a hash map of ids.
        let aligned = olds.iter().zip(news).take_while(|(a, b)| a.id == b.id).count();
        let mut changed = olds[..aligned]
            .par_iter()
            .zip(&news[..aligned])
            .filter(|(a, b)| !same_node(&old.ir, a, &new.ir, b))
            .count();
        let (old_rest, new_rest) = (&olds[aligned..], &news[aligned..]);
        let old_ids: hashbrown::HashMap<&str, &Node> = old_rest.iter().map(|n| (n.id.as_str(), n)).collect();
        let mut seen = 0;
        let mut added = 0;
        for node in new_rest {
            match old_ids.get(node.id.as_str()) {
                Some(before) => {
                    seen += 1;
                    if !same_node(&old.ir, before, &new.ir, node) {
                        changed += 1;
                    }
                }
                None => added += 1,
            }
        }
        VersionDiff {
            added,
            removed: old_ids.len() - seen.min(old_ids.len()),
            changed,
            before: VersionSummary::of(old, versions.0),
            after: VersionSummary::of(new, versions.1),
        }
    }

    /// True when the ops are the same.
    pub(crate) fn is_unchanged(&self) -> bool {
        self.added == 0 && self.removed == 0 && self.changed == 0
    }
}

/// True when `a` (of `ai`) and `b` (of `bi`) are the same op: variables are compared by name,
/// since each version interns its own.
fn same_node(ai: &Ir, a: &Node, bi: &Ir, b: &Node) -> bool {
    let same_vars =
        |x: &[VarId], y: &[VarId]| x.len() == y.len() && x.iter().zip(y).all(|(&v, &w)| ai.var(v) == bi.var(w));
    a.op == b.op
        && a.domain == b.domain
        && same_vars(&a.inputs, &b.inputs)
        && same_vars(a.output.as_slice(), b.output.as_slice())
        && a.metadata == b.metadata
        && same_body(a.body.as_deref(), b.body.as_deref())
}

fn same_body(a: Option<&Body>, b: Option<&Body>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (ai, bi) = (a.ir(), b.ir());
            a.iterations() == b.iterations()
                && ai.nodes.len() == bi.nodes.len()
                && ai.nodes.iter().zip(&bi.nodes).all(|(x, y)| x.id == y.id && same_node(ai, x, bi, y))
        }
        _ => false,
    }
}

/// One version of the session's history: its numbers, and what changed from the one before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SavedVersion {
    /// Its numbers.
    pub summary: VersionSummary,
    /// Ops added, removed and changed since the version before (`None` for the first).
    pub change: Option<[usize; 3]>,
}

/// The saves seen this session: the last one's diff, and the pinned baseline with the
/// current version's diff against it.
#[derive(Debug, Clone, Default)]
pub struct SaveLog {
    /// The latest reload's diff against the version before it.
    pub last: Option<VersionDiff>,
    /// Every version loaded since start, oldest first (the start included; empty until the
    /// first save).
    pub history: Vec<SavedVersion>,
    /// The pinned version (`p`).
    pub baseline: Option<Snapshot>,
    /// The pinned version's number.
    pub(crate) baseline_version: u64,
    /// The current version against the baseline (`None` right after pinning).
    pub vs_baseline: Option<VersionDiff>,
}

impl SaveLog {
    /// Records that `new` (version `new_version`) replaced `old` (the version before it).
    pub fn saved(&mut self, old: &Snapshot, new: &Snapshot, new_version: u64) {
        let old_version = new_version.saturating_sub(1);
        if self.history.is_empty() {
            self.history.push(SavedVersion { summary: VersionSummary::of(old, old_version), change: None });
        }
        let d = VersionDiff::between(old, new, (old_version, new_version));
        self.history.push(SavedVersion { summary: d.after, change: Some([d.added, d.removed, d.changed]) });
        self.last = Some(d);
        self.vs_baseline =
            self.baseline.as_ref().map(|b| VersionDiff::between(b, new, (self.baseline_version, new_version)));
    }

    /// When version `version` was loaded, if it is in the history.
    pub(crate) fn loaded_at(&self, version: u64) -> Option<WallTime> {
        self.history.iter().find(|v| v.summary.version == version).map(|v| v.summary.at)
    }
}

/// `p` pins the version on screen as the baseline; `P` unpins. Returns false for other keys.
pub(crate) fn on_key(app: &mut App, key: KeyEvent) -> bool {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return false;
    }
    let saves = &mut app.model.saves;
    match key.code {
        KeyCode::Char('p') => {
            let snapshot = app.model.snapshot.clone();
            let at = snapshot.loaded_at.hms(&app.view.zone);
            saves.baseline = Some(snapshot);
            saves.baseline_version = app.model.version;
            saves.vs_baseline = None;
            app.view.status = Some(format!("pinned the version loaded at {at} as the baseline; P unpins"));
            true
        }
        KeyCode::Char('P') => {
            let had = saves.baseline.take().is_some();
            saves.vs_baseline = None;
            app.view.status =
                Some(if had { "baseline unpinned".into() } else { "no baseline is pinned (p pins)".into() });
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn snapshot(nodes: &str) -> Snapshot {
        let json = format!(r#"{{"name": "t", "nodes": [{nodes}]}}"#);
        let ir = crate::ir::load_bytes(json.as_bytes(), Path::new("t.json")).expect("loads");
        let analysis = crate::analysis::analyze(&ir);
        Snapshot::new(ir, analysis, WallTime::now())
    }

    const A: &str = r#"{"id": "a", "op_type": "constant", "output": "x", "metadata": {"value": 1.0}}"#;
    const B: &str = r#"{"id": "b", "op_type": "add", "inputs": ["x", "x"], "output": "y"}"#;
    const C: &str = r#"{"id": "c", "op_type": "mul", "inputs": ["y", "x"], "output": "z"}"#;

    fn counts(old: &str, new: &str) -> (usize, usize, usize) {
        let d = VersionDiff::between(&snapshot(old), &snapshot(new), (0, 1));
        (d.added, d.removed, d.changed)
    }

    #[test]
    fn ops_are_matched_by_id_wherever_they_are() {
        assert_eq!(counts(&format!("{A},{B},{C}"), &format!("{A},{B},{C}")), (0, 0, 0));
        assert_eq!(counts(&format!("{A},{B},{C}"), &format!("{C},{A},{B}")), (0, 0, 0), "moved, not changed");
        assert_eq!(counts(&format!("{A},{B},{C}"), &format!("{A},{C}")), (0, 1, 0));
        assert_eq!(counts(&format!("{A},{C}"), &format!("{B},{A},{C}")), (1, 0, 0));
    }

    #[test]
    fn what_counts_as_a_change() {
        let spaced = r#"{"id": "a", "op_type": "constant", "output": "x", "metadata": { "value" : 1.0 }}"#;
        assert_eq!(counts(A, spaced), (0, 0, 0), "the same parameters written differently");
        for other in [
            r#"{"id": "a", "op_type": "constant", "output": "x", "metadata": {"value": 2.0}}"#,
            r#"{"id": "a", "op_type": "constant", "output": "w", "metadata": {"value": 1.0}}"#,
            r#"{"id": "a", "op_type": "constant", "metadata": {"value": 1.0}}"#,
            r#"{"id": "a", "op_type": "constant", "inputs": ["x"], "metadata": {"value": 1.0}}"#,
        ] {
            assert_eq!(counts(A, other), (0, 0, 1), "{other}");
        }
        let swapped = r#"{"id": "b", "op_type": "add", "inputs": ["x", "y"], "output": "y"}"#;
        assert_eq!(counts(&format!("{A},{B}"), &format!("{A},{swapped}")), (0, 0, 1));
    }
}
