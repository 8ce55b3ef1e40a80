//! What the report, DOT and diagnostics look like, as snapshots reviewed by a person.

mod common;

use irtop::report::{dot, text};

#[test]
fn pagerank_report() {
    let (ir, a) = common::analysed("pagerank_loop");
    insta::assert_snapshot!(text::render(&ir, &a));
}

#[test]
fn lpa_sweep_report_names_the_hazard() {
    let (ir, a) = common::analysed("lpa_sweep_in_place");
    insta::assert_snapshot!(text::render(&ir, &a));
}

#[test]
fn read_before_write_report() {
    let (ir, a) = common::analysed("neighbor_mean_blend_opt");
    insta::assert_snapshot!(text::render(&ir, &a));
}

#[test]
fn diamond_dot() {
    let (ir, a) = common::analysed("seed_diamond");
    insta::assert_snapshot!(dot::render(&ir, &a));
}
