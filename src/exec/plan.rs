//! How each part of a program runs: the schedule of each region (the program, then each
//! loop body, depth first) and which of its steps split their nodes over the threads. A
//! fixed mode is the same choice everywhere; `auto`'s choices come from the cost model
//! ([`crate::predict::auto`]), made at the edge and handed to the executor.

use super::executor::{Mode, Schedule};
use super::program::{Program, StepKind};

/// One region's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPlan {
    /// How its steps are ordered across threads (never [`Schedule::Auto`]).
    pub schedule: Schedule,
    /// Per step: split its nodes over the threads.
    pub split: Vec<bool>,
}

/// The choices for every region of one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlan {
    /// In the order of [`regions`].
    pub regions: Vec<RegionPlan>,
}

/// The regions of `program`: itself, then each loop's body, depth first in program order.
pub(crate) fn regions(program: &Program) -> Vec<&Program> {
    let mut out = vec![program];
    for s in &program.steps {
        if let StepKind::Loop(lp) = &s.kind {
            out.extend(regions(&lp.body));
        }
    }
    out
}

impl RunPlan {
    /// `mode` everywhere: its schedule in every region, and every step split in the `+data`
    /// modes. `auto` without a plan from the model runs as `dataflow+data`.
    pub fn uniform(program: &Program, mode: Mode) -> RunPlan {
        let schedule = match mode.schedule {
            Schedule::Auto => Schedule::Dataflow,
            s => s,
        };
        RunPlan {
            regions: regions(program)
                .into_iter()
                .map(|r| RegionPlan { schedule, split: vec![mode.data; r.steps.len()] })
                .collect(),
        }
    }

    /// True when the plan fits `program` (a region per region, a flag per step).
    pub fn fits(&self, program: &Program) -> bool {
        let rs = regions(program);
        rs.len() == self.regions.len() && rs.iter().zip(&self.regions).all(|(r, p)| r.steps.len() == p.split.len())
    }
}
