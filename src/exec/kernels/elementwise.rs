//! What each element-wise op computes for one node, defined once: the per-node program
//! ([`super::eval`]) runs these for a single op and for a fused chain alike, so fusing
//! never changes a bit.
//!
//! # Complexity
//! O(1) per node.

use super::EPS;
use crate::exec::kernel::{BinOp, CmpOp, UnOp};

/// An operand over a block of nodes: a slice, or one number for every node.
#[derive(Clone, Copy)]
pub(crate) enum Operand<'a> {
    /// One value per node of the block.
    Slice(&'a [f64]),
    /// The same value for every node.
    Const(f64),
}

impl Operand<'_> {
    /// The value at position `i` of the block.
    #[inline]
    pub(crate) fn at(self, i: usize) -> f64 {
        match self {
            Operand::Slice(s) => s[i],
            Operand::Const(c) => c,
        }
    }
}

/// `out[i] = f(x[i])`, one tight loop per operand shape.
#[inline]
fn map1(out: &mut [f64], x: Operand, f: impl Fn(f64) -> f64) {
    match x {
        Operand::Slice(a) => out.iter_mut().zip(a).for_each(|(o, &a)| *o = f(a)),
        Operand::Const(a) => out.fill(f(a)),
    }
}

/// `out[i] = f(x[i], y[i])`, one tight loop per operand shape.
#[inline]
fn map2(out: &mut [f64], x: Operand, y: Operand, f: impl Fn(f64, f64) -> f64) {
    match (x, y) {
        (Operand::Slice(a), Operand::Slice(b)) => {
            out.iter_mut().zip(a).zip(b).for_each(|((o, &a), &b)| *o = f(a, b));
        }
        (Operand::Slice(a), Operand::Const(b)) => out.iter_mut().zip(a).for_each(|(o, &a)| *o = f(a, b)),
        (Operand::Const(a), Operand::Slice(b)) => out.iter_mut().zip(b).for_each(|(o, &b)| *o = f(a, b)),
        (Operand::Const(a), Operand::Const(b)) => out.fill(f(a, b)),
    }
}

/// `a op b`. Division by a divisor of magnitude at most [`EPS`] is refused before this
/// runs ([`first_zero_divisor`]).
pub(crate) fn binary(op: BinOp, out: &mut [f64], x: Operand, y: Operand) {
    match op {
        BinOp::Add => map2(out, x, y, |a, b| a + b),
        BinOp::Sub => map2(out, x, y, |a, b| a - b),
        BinOp::Mul => map2(out, x, y, |a, b| a * b),
        BinOp::Div => map2(out, x, y, |a, b| a / b),
        BinOp::Pow => map2(out, x, y, f64::powf),
        BinOp::Min => map2(out, x, y, f64::min),
        BinOp::Max => map2(out, x, y, f64::max),
    }
}

/// The first position whose divisor has magnitude at most [`EPS`], with the divisor.
pub(crate) fn first_zero_divisor(y: Operand, len: usize) -> Option<(usize, f64)> {
    match y {
        Operand::Slice(b) => b.iter().position(|v| v.abs() <= EPS).map(|i| (i, b[i])),
        Operand::Const(c) => (c.abs() <= EPS && len > 0).then_some((0, c)),
    }
}

/// True when `op` applied to Int operands gives an Int (groggy keeps sums of Ints Int).
pub(crate) fn binary_keeps_int(op: BinOp) -> bool {
    matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Min | BinOp::Max)
}

/// The function of one number behind a unary op.
pub(crate) fn unary_fn(op: UnOp) -> fn(f64) -> f64 {
    match op {
        UnOp::Neg => |x| -x,
        UnOp::Abs => f64::abs,
        UnOp::Sqrt => f64::sqrt,
        UnOp::Exp => f64::exp,
        UnOp::Log => f64::ln,
    }
}

/// An element-wise function of one operand.
pub(crate) fn unary(op: UnOp, out: &mut [f64], x: Operand) {
    match op {
        UnOp::Neg => map1(out, x, |x| -x),
        UnOp::Abs => map1(out, x, f64::abs),
        UnOp::Sqrt => map1(out, x, f64::sqrt),
        UnOp::Exp => map1(out, x, f64::exp),
        UnOp::Log => map1(out, x, f64::ln),
    }
}

/// True when `op` of an Int is an Int.
pub(crate) fn unary_keeps_int(op: UnOp) -> bool {
    matches!(op, UnOp::Neg | UnOp::Abs)
}

/// groggy's reciprocal of one number: `1 / (sign(x) * max(|x|, eps))`, with sign(-0.0) = -1.
#[inline]
pub(crate) fn recip_of(x: f64, eps: f64) -> f64 {
    let sign = if x.is_sign_negative() { -1.0 } else { 1.0 };
    1.0 / (sign * x.abs().max(eps))
}

/// [`recip_of`] over a block.
pub(crate) fn recip(out: &mut [f64], x: Operand, eps: f64) {
    map1(out, x, |x| recip_of(x, eps));
}

/// `x` clamped to `[lo, hi]`.
#[inline]
pub(crate) fn clip_of(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// [`clip_of`] over a block.
pub(crate) fn clip(out: &mut [f64], x: Operand, lo: f64, hi: f64) {
    map1(out, x, |x| clip_of(x, lo, hi));
}

/// 1.0 where `a op b` holds, else 0.0.
pub(crate) fn compare(op: CmpOp, out: &mut [f64], x: Operand, y: Operand) {
    let to_float = |holds: bool| if holds { 1.0 } else { 0.0 };
    match op {
        CmpOp::Eq => map2(out, x, y, |a, b| to_float((a - b).abs() < EPS)),
        CmpOp::Ne => map2(out, x, y, |a, b| to_float((a - b).abs() >= EPS)),
        CmpOp::Lt => map2(out, x, y, |a, b| to_float(a < b)),
        CmpOp::Le => map2(out, x, y, |a, b| to_float(a <= b)),
        CmpOp::Gt => map2(out, x, y, |a, b| to_float(a > b)),
        CmpOp::Ge => map2(out, x, y, |a, b| to_float(a >= b)),
    }
}

/// `if_true` where `|mask| > EPS`, else `if_false`.
pub(crate) fn select(out: &mut [f64], mask: Operand, if_true: Operand, if_false: Operand) {
    let pick = |k: f64, t: f64, f: f64| if k.abs() > EPS { t } else { f };
    match (if_true, if_false) {
        (Operand::Const(t), Operand::Const(f)) => map1(out, mask, |k| pick(k, t, f)),
        (Operand::Slice(t), Operand::Const(f)) => map2(out, mask, Operand::Slice(t), |k, t| pick(k, t, f)),
        (Operand::Const(t), Operand::Slice(f)) => map2(out, mask, Operand::Slice(f), |k, f| pick(k, t, f)),
        (t, f) => out.iter_mut().enumerate().for_each(|(i, o)| *o = pick(mask.at(i), t.at(i), f.at(i))),
    }
}

/// `a * x + b * y`.
pub(crate) fn axpy(out: &mut [f64], a: Operand, x: Operand, b: Operand, y: Operand) {
    out.iter_mut().enumerate().for_each(|(i, o)| *o = a.at(i) * x.at(i) + b.at(i) * y.at(i));
}

/// `a * b + c`.
pub(crate) fn madd(out: &mut [f64], a: Operand, b: Operand, c: Operand) {
    out.iter_mut().enumerate().for_each(|(i, o)| *o = a.at(i) * b.at(i) + c.at(i));
}

/// Node indices `first, first + 1, ...`.
pub(crate) fn index(out: &mut [f64], first: usize) {
    out.iter_mut().enumerate().for_each(|(i, o)| *o = (first + i) as f64);
}

/// The seed of a synthetic attribute: an FNV-1a hash of its name.
pub(crate) fn attr_seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A deterministic synthetic attribute in [0, 1) for node `i`: SplitMix64 of the name's
/// seed and the index, so runs without attribute files are reproducible.
#[inline]
pub(crate) fn attr_of(seed: u64, i: usize) -> f64 {
    let mut z = seed.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// [`attr_of`] for nodes `first, first + 1, ...`.
pub(crate) fn attr(out: &mut [f64], seed: u64, first: usize) {
    out.iter_mut().enumerate().for_each(|(i, o)| *o = attr_of(seed, first + i));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run2(f: impl Fn(&mut [f64]), len: usize) -> Vec<f64> {
        let mut out = vec![0.0; len];
        f(&mut out);
        out
    }

    #[test]
    fn scalars_broadcast_both_ways() {
        let m = [1.0, 2.0, 4.0];
        let s = Operand::Slice(&m);
        assert_eq!(run2(|o| binary(BinOp::Sub, o, s, Operand::Const(1.0)), 3), [0.0, 1.0, 3.0]);
        assert_eq!(run2(|o| binary(BinOp::Sub, o, Operand::Const(1.0), s), 3), [0.0, -1.0, -3.0]);
        assert_eq!(run2(|o| binary(BinOp::Div, o, Operand::Const(8.0), s), 3), [8.0, 4.0, 2.0]);
    }

    #[test]
    fn zero_divisors_are_found_with_their_position() {
        assert_eq!(first_zero_divisor(Operand::Slice(&[1.0, 1e-17, 0.0]), 3), Some((1, 1e-17)));
        assert_eq!(first_zero_divisor(Operand::Const(0.0), 3), Some((0, 0.0)));
        assert_eq!(first_zero_divisor(Operand::Const(0.0), 0), None);
    }

    #[test]
    fn recip_follows_the_sign_of_zero() {
        let r = [0.0, -0.0, 4.0, -2.0].map(|x| recip_of(x, 1e-9));
        let expected = [1e9, -1e9, 0.25, -0.5];
        assert!(r.iter().zip(expected).all(|(a, b)| ((a - b) / b).abs() < 1e-12), "{r:?}");
    }

    #[test]
    fn compare_eq_uses_machine_epsilon() {
        let r = run2(|o| compare(CmpOp::Eq, o, Operand::Slice(&[0.0, 1e-17, 1.0]), Operand::Const(0.0)), 3);
        assert_eq!(r, [1.0, 1.0, 0.0]);
    }

    #[test]
    fn where_takes_any_nonzero_mask() {
        let r = run2(
            |o| select(o, Operand::Slice(&[1.0, 0.0, -3.0]), Operand::Slice(&[7.0, 8.0, 9.0]), Operand::Const(0.0)),
            3,
        );
        assert_eq!(r, [7.0, 0.0, 9.0]);
    }

    #[test]
    fn fused_ops() {
        let r = run2(
            |o| {
                axpy(
                    o,
                    Operand::Const(2.0),
                    Operand::Slice(&[1.0, 2.0]),
                    Operand::Const(1.0),
                    Operand::Slice(&[10.0, 20.0]),
                )
            },
            2,
        );
        assert_eq!(r, [12.0, 24.0]);
        let r = run2(|o| madd(o, Operand::Slice(&[1.0, 2.0]), Operand::Const(3.0), Operand::Const(1.0)), 2);
        assert_eq!(r, [4.0, 7.0]);
    }

    #[test]
    fn synthetic_attributes_are_reproducible_and_in_range() {
        let a: Vec<f64> = (0..100).map(|i| attr_of(attr_seed("weight"), i)).collect();
        let b: Vec<f64> = (0..100).map(|i| attr_of(attr_seed("age"), i)).collect();
        assert_ne!(a, b);
        assert!(a.iter().all(|&x| (0.0..1.0).contains(&x)));
        let mut block = vec![0.0; 10];
        attr(&mut block, attr_seed("weight"), 90);
        assert_eq!(block, a[90..]);
    }
}
