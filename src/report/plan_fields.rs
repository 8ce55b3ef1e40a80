//! Which sections `irtop plan` writes (`--fields`): by default groggy's
//! `ParallelExecutionPlan` fields and irtop's summaries, each op's facts once; the
//! per-edge and per-node tables on request.

use std::fmt;
use std::str::FromStr;

/// A section of the plan that `--fields` can ask for. The scalars (`name`,
/// `estimated_speedup`, `use_parallel`, `work`, `span`, `parallelism`) are always written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// groggy's `levels`: the node ids of each level.
    Levels,
    /// groggy's `groups`.
    Groups,
    /// groggy's `sequential_plan` (operations with their metadata, slots, constants, order).
    SequentialPlan,
    /// irtop's `sequential_plan.live_ranges` (needs `sequential_plan`).
    LiveRanges,
    /// irtop's costliest path.
    CriticalPath,
    /// irtop's longest path by op count.
    LongestChain,
    /// irtop's dependency edges with kinds and variables.
    Edges,
    /// irtop's per-node facts: level, cost, reads, writes, loop bodies.
    Nodes,
    /// What groggy's own analyzer concludes (its levels, estimate, unscheduled nodes).
    Groggy,
    /// irtop's findings.
    Diagnostics,
}

impl Section {
    /// Every section, in the order the plan writes them.
    pub const ALL: [Section; 10] = [
        Section::Groups,
        Section::SequentialPlan,
        Section::LiveRanges,
        Section::Levels,
        Section::CriticalPath,
        Section::LongestChain,
        Section::Edges,
        Section::Nodes,
        Section::Groggy,
        Section::Diagnostics,
    ];

    /// The name `--fields` takes, which is also the JSON key.
    pub fn name(self) -> &'static str {
        match self {
            Section::Levels => "levels",
            Section::Groups => "groups",
            Section::SequentialPlan => "sequential_plan",
            Section::LiveRanges => "live_ranges",
            Section::CriticalPath => "critical_path",
            Section::LongestChain => "longest_chain",
            Section::Edges => "edges",
            Section::Nodes => "nodes",
            Section::Groggy => "groggy",
            Section::Diagnostics => "diagnostics",
        }
    }

    fn bit(self) -> u16 {
        1 << Section::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }
}

/// A set of sections. [`Fields::default`] is groggy's fields (`levels`, `groups`,
/// `sequential_plan`) plus `critical_path`, `longest_chain` and `diagnostics`: about 190
/// bytes per op. `edges` (about 140 bytes per op), `nodes` (about 140), `groggy` and
/// `live_ranges` are added on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields(u16);

impl Default for Fields {
    fn default() -> Fields {
        Fields::of(&[
            Section::Levels,
            Section::Groups,
            Section::SequentialPlan,
            Section::CriticalPath,
            Section::LongestChain,
            Section::Diagnostics,
        ])
    }
}

impl Fields {
    /// Exactly `sections`.
    pub fn of(sections: &[Section]) -> Fields {
        Fields(sections.iter().fold(0, |bits, s| bits | s.bit()))
    }

    /// Every section.
    pub fn all() -> Fields {
        Fields::of(&Section::ALL)
    }

    /// True when `section` is written.
    pub fn has(self, section: Section) -> bool {
        self.0 & section.bit() != 0
    }
}

impl FromStr for Fields {
    type Err = String;

    /// A comma-separated list of section names; `default` stands for the default set and
    /// `all` for every section (`--fields default,edges`).
    fn from_str(s: &str) -> Result<Fields, String> {
        let mut bits = 0;
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            bits |= match word {
                "default" => Fields::default().0,
                "all" => Fields::all().0,
                _ => match Section::ALL.iter().find(|sec| sec.name() == word) {
                    Some(sec) => sec.bit(),
                    None => {
                        let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
                        return Err(format!(
                            "no plan section `{word}`; the sections are {}, or `default` and `all`",
                            names.join(", ")
                        ));
                    }
                },
            };
        }
        if bits & Section::LiveRanges.bit() != 0 && bits & Section::SequentialPlan.bit() == 0 {
            return Err("`live_ranges` is part of `sequential_plan`: ask for both".into());
        }
        Ok(Fields(bits))
    }
}

impl fmt::Display for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Section::ALL.iter().filter(|s| self.has(**s)).map(|s| s.name()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print_back() {
        let f: Fields = "default,edges".parse().expect("parses");
        assert!(f.has(Section::Edges) && f.has(Section::Groups) && !f.has(Section::Nodes));
        assert_eq!(f.to_string().parse::<Fields>(), Ok(f));
        assert_eq!("all".parse::<Fields>(), Ok(Fields::all()));
        assert_eq!("levels".parse::<Fields>(), Ok(Fields::of(&[Section::Levels])));
    }

    #[test]
    fn an_unknown_section_is_refused_with_the_list() {
        let err = "levels,edgez".parse::<Fields>().unwrap_err();
        assert!(err.contains("`edgez`") && err.contains("critical_path") && err.contains("`all`"), "{err}");
        assert!("live_ranges".parse::<Fields>().unwrap_err().contains("sequential_plan"));
    }
}
