//! Node-by-node kernels: arithmetic with scalar/map broadcasting both ways, comparisons,
//! `where`, fused multiply-adds, fills and broadcasts.
//!
//! # Complexity
//! O(V) work each, O(V / threads) time data-parallel.

use super::{EPS, map1, map2, tabulate_values};
use crate::exec::buffers;
use crate::exec::kernel::{BinOp, CmpOp, Par, UnOp};
use crate::exec::value::{NodeMap, Scalar, Value};

/// A scalar or a map operand, read by node index.
#[derive(Clone, Copy)]
enum Operand<'a> {
    Scalar(f64),
    Map(&'a [f64]),
}

impl Operand<'_> {
    #[inline]
    fn at(self, i: usize) -> f64 {
        match self {
            Operand::Scalar(s) => s,
            Operand::Map(m) => m[i],
        }
    }
}

fn operand<'a>(v: &'a Value, role: &str) -> Result<(Operand<'a>, bool), String> {
    match v {
        Value::Scalar(s) => Ok((Operand::Scalar(s.value), s.int)),
        Value::Map(m) => Ok((Operand::Map(&m.values), m.int)),
        Value::Lists(_) => Err(format!("{role} is a map of lists; expected a number or a node map")),
    }
}

/// The common node count of the map operands, or an error when maps disagree or there is none.
fn node_count(ops: &[Operand], what: &str) -> Result<usize, String> {
    let mut n = None;
    for o in ops {
        if let Operand::Map(m) = o {
            match n {
                None => n = Some(m.len()),
                Some(k) if k != m.len() => return Err(format!("{what}: maps of {k} and {} nodes", m.len())),
                _ => {}
            }
        }
    }
    n.ok_or_else(|| format!("{what} requires at least one map operand"))
}

/// A map of `n` copies of `s`.
pub fn fill(n: usize, s: Scalar, par: Par) -> Value {
    Value::Map(NodeMap { values: tabulate_values(n, par, |_| s.value), int: s.int })
}

/// The map 0, 1, ..., n-1 (Int).
pub fn index_map(n: usize, par: Par) -> Value {
    Value::Map(NodeMap { values: tabulate_values(n, par, |i| i as f64), int: true })
}

/// `f(x, y)` node by node, one loop per operand shape so each compiles to a tight loop.
fn zip_with(x: Operand, y: Operand, n: usize, par: Par, f: impl Fn(f64, f64) -> f64 + Sync + Send + Copy) -> Vec<f64> {
    match (x, y) {
        (Operand::Map(a), Operand::Map(b)) => map2(a, b, par, f),
        (Operand::Map(a), Operand::Scalar(s)) => map1(a, par, move |v| f(v, s)),
        (Operand::Scalar(s), Operand::Map(b)) => map1(b, par, move |v| f(s, v)),
        (Operand::Scalar(s), Operand::Scalar(t)) => {
            let mut out = buffers::take(n);
            out.fill(f(s, t));
            out
        }
    }
}

/// `a op b` with scalars broadcast over maps.
pub fn binary(op: BinOp, a: &Value, b: &Value, par: Par) -> Result<Value, String> {
    let (x, xi) = operand(a, "left operand")?;
    let (y, yi) = operand(b, "right operand")?;
    let name = format!("{op:?}").to_lowercase();
    let n = node_count(&[x, y], &name)?;
    if op == BinOp::Div {
        let bad = (0..n).find(|&i| y.at(i).abs() <= EPS);
        if let Some(i) = bad {
            return Err(format!("division by {} at node {i}", y.at(i)));
        }
    }
    let values = match op {
        BinOp::Add => zip_with(x, y, n, par, |a, b| a + b),
        BinOp::Sub => zip_with(x, y, n, par, |a, b| a - b),
        BinOp::Mul => zip_with(x, y, n, par, |a, b| a * b),
        BinOp::Div => zip_with(x, y, n, par, |a, b| a / b),
        BinOp::Pow => zip_with(x, y, n, par, f64::powf),
        BinOp::Min => zip_with(x, y, n, par, f64::min),
        BinOp::Max => zip_with(x, y, n, par, f64::max),
    };
    let int = xi && yi && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Min | BinOp::Max);
    Ok(Value::Map(NodeMap { values, int }))
}

/// An element-wise function of a map or scalar.
pub fn unary(op: UnOp, a: &Value, par: Par) -> Result<Value, String> {
    let f = match op {
        UnOp::Neg => |x: f64| -x,
        UnOp::Abs => f64::abs,
        UnOp::Sqrt => f64::sqrt,
        UnOp::Exp => f64::exp,
        UnOp::Log => f64::ln,
    };
    let keeps_int = matches!(op, UnOp::Neg | UnOp::Abs);
    map_values(a, par, f, keeps_int)
}

/// Applies `f` to a scalar or to every node of a map.
fn map_values(a: &Value, par: Par, f: impl Fn(f64) -> f64 + Sync + Send, keeps_int: bool) -> Result<Value, String> {
    match a {
        Value::Scalar(s) => Ok(Value::Scalar(Scalar { value: f(s.value), int: s.int && keeps_int })),
        Value::Map(m) => {
            let values = map1(&m.values, par, f);
            Ok(Value::Map(NodeMap { values, int: m.int && keeps_int }))
        }
        Value::Lists(_) => Err("expected a number or a node map, got a map of lists".into()),
    }
}

/// groggy's reciprocal: `1 / (sign(x) * max(|x|, eps))`, with sign(-0.0) = -1.
pub fn recip(a: &Value, eps: f64, par: Par) -> Result<Value, String> {
    map_values(
        a,
        par,
        move |x| {
            let sign = if x.is_sign_negative() { -1.0 } else { 1.0 };
            1.0 / (sign * x.abs().max(eps))
        },
        false,
    )
}

/// Clamps to `[lo, hi]`.
pub fn clip(a: &Value, lo: f64, hi: f64, par: Par) -> Result<Value, String> {
    map_values(a, par, move |x| x.max(lo).min(hi), false)
}

/// 1.0 where `left op right` holds, else 0.0. `left` must be a map.
pub fn compare(op: CmpOp, left: &Value, right: &Value, par: Par) -> Result<Value, String> {
    let Value::Map(l) = left else {
        return Err(format!("compare's left operand must be a node map, got {}", left.kind()));
    };
    let (r, _) = operand(right, "compare's right operand")?;
    let n = node_count(&[Operand::Map(&l.values), r], "compare")?;
    let test: fn(f64, f64) -> bool = match op {
        CmpOp::Eq => |a, b| (a - b).abs() < EPS,
        CmpOp::Ne => |a, b| (a - b).abs() >= EPS,
        CmpOp::Lt => |a, b| a < b,
        CmpOp::Le => |a, b| a <= b,
        CmpOp::Gt => |a, b| a > b,
        CmpOp::Ge => |a, b| a >= b,
    };
    let to_float = move |a: f64, b: f64| if test(a, b) { 1.0 } else { 0.0 };
    let values = zip_with(Operand::Map(&l.values), r, n, par, to_float);
    Ok(Value::float_map(values))
}

/// `if_true` where `|mask| > EPS`, else `if_false`; branches are maps or scalars.
pub fn select(mask: &Value, if_true: &Value, if_false: &Value, par: Par) -> Result<Value, String> {
    let Value::Map(m) = mask else {
        return Err(format!("where's mask must be a node map, got {}", mask.kind()));
    };
    let (t, ti) = operand(if_true, "if_true")?;
    let (f, fi) = operand(if_false, "if_false")?;
    let n = node_count(&[Operand::Map(&m.values), t, f], "where")?;
    let mask = &m.values;
    let values = match (t, f) {
        (Operand::Map(a), Operand::Map(b)) => {
            tabulate_values(n, par, |i| if mask[i].abs() > EPS { a[i] } else { b[i] })
        }
        (Operand::Map(a), Operand::Scalar(s)) => map2(mask, a, par, move |k, v| if k.abs() > EPS { v } else { s }),
        (Operand::Scalar(s), Operand::Map(b)) => map2(mask, b, par, move |k, v| if k.abs() > EPS { s } else { v }),
        (Operand::Scalar(s), Operand::Scalar(u)) => map1(mask, par, move |k| if k.abs() > EPS { s } else { u }),
    };
    Ok(Value::Map(NodeMap { values, int: ti && fi }))
}

/// A map with the reference map's nodes, each holding the scalar (type kept).
pub fn broadcast(scalar: &Value, reference: &Value, par: Par) -> Result<Value, String> {
    let Value::Scalar(s) = scalar else {
        return Err(format!("broadcast_scalar's first input must be a scalar, got {}", scalar.kind()));
    };
    let n = match reference {
        Value::Map(m) => m.values.len(),
        Value::Lists(l) => l.lists.len(),
        Value::Scalar(_) => return Err("broadcast_scalar's reference must be a node map".into()),
    };
    Ok(fill(n, *s, par))
}

/// `a * x + b * y`.
pub fn axpy(a: &Value, x: &Value, b: &Value, y: &Value, par: Par) -> Result<Value, String> {
    let ops = [operand(a, "a")?.0, operand(x, "x")?.0, operand(b, "b")?.0, operand(y, "y")?.0];
    let n = node_count(&ops, "fused_axpy")?;
    let [a, x, b, y] = ops;
    Ok(Value::float_map(tabulate_values(n, par, |i| a.at(i) * x.at(i) + b.at(i) * y.at(i))))
}

/// `a * b + c`.
pub fn madd(a: &Value, b: &Value, c: &Value, par: Par) -> Result<Value, String> {
    let ops = [operand(a, "a")?.0, operand(b, "b")?.0, operand(c, "c")?.0];
    let n = node_count(&ops, "fused_madd")?;
    let [a, b, c] = ops;
    Ok(Value::float_map(tabulate_values(n, par, |i| a.at(i) * b.at(i) + c.at(i))))
}

/// A deterministic synthetic attribute in [0, 1): a hash of the attribute name and the node
/// index (SplitMix64), so runs without attribute files are reproducible.
pub fn synthetic_attr(name: &str, n: usize, par: Par) -> Value {
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    Value::float_map(tabulate_values(n, par, |i| {
        let mut z = seed.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: &[f64]) -> Value {
        Value::float_map(v.to_vec())
    }

    fn values(v: Value) -> Vec<f64> {
        match v {
            Value::Map(m) => m.values,
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn scalars_broadcast_both_ways() {
        let m = map(&[1.0, 2.0, 4.0]);
        assert_eq!(values(binary(BinOp::Sub, &m, &Value::float(1.0), Par::Seq).unwrap()), [0.0, 1.0, 3.0]);
        assert_eq!(values(binary(BinOp::Sub, &Value::float(1.0), &m, Par::Seq).unwrap()), [0.0, -1.0, -3.0]);
        assert_eq!(values(binary(BinOp::Div, &Value::float(8.0), &m, Par::Data).unwrap()), [8.0, 4.0, 2.0]);
    }

    #[test]
    fn scalar_with_scalar_and_zero_divisors_fail() {
        let err = binary(BinOp::Sub, &Value::float(1.0), &Value::float(1.0), Par::Seq).unwrap_err();
        assert!(err.contains("at least one map operand"), "{err}");
        let err = binary(BinOp::Div, &map(&[1.0, 1.0]), &map(&[1.0, 0.0]), Par::Seq).unwrap_err();
        assert!(err.contains("node 1"), "{err}");
    }

    #[test]
    fn int_stays_int_for_add_but_not_div() {
        let a = Value::Map(NodeMap { values: vec![1.0, 2.0], int: true });
        assert!(matches!(binary(BinOp::Add, &a, &a, Par::Seq).unwrap(), Value::Map(NodeMap { int: true, .. })));
        assert!(matches!(binary(BinOp::Div, &a, &a, Par::Seq).unwrap(), Value::Map(NodeMap { int: false, .. })));
    }

    #[test]
    fn recip_follows_the_sign_of_zero() {
        let r = values(recip(&map(&[0.0, -0.0, 4.0, -2.0]), 1e-9, Par::Seq).unwrap());
        let expected = [1e9, -1e9, 0.25, -0.5];
        assert!(r.iter().zip(expected).all(|(a, b)| ((a - b) / b).abs() < 1e-12), "{r:?}");
    }

    #[test]
    fn compare_eq_uses_machine_epsilon() {
        let r = values(compare(CmpOp::Eq, &map(&[0.0, 1e-17, 1.0]), &Value::float(0.0), Par::Seq).unwrap());
        assert_eq!(r, [1.0, 1.0, 0.0]);
    }

    #[test]
    fn where_takes_any_nonzero_mask() {
        let r = values(select(&map(&[1.0, 0.0, -3.0]), &map(&[7.0, 8.0, 9.0]), &Value::float(0.0), Par::Seq).unwrap());
        assert_eq!(r, [7.0, 0.0, 9.0]);
    }

    #[test]
    fn fused_ops() {
        let one = Value::float(1.0);
        let r = values(axpy(&Value::float(2.0), &map(&[1.0, 2.0]), &one, &map(&[10.0, 20.0]), Par::Seq).unwrap());
        assert_eq!(r, [12.0, 24.0]);
        let r = values(madd(&map(&[1.0, 2.0]), &Value::float(3.0), &one, Par::Seq).unwrap());
        assert_eq!(r, [4.0, 7.0]);
    }

    #[test]
    fn synthetic_attributes_are_reproducible_and_in_range() {
        let a = values(synthetic_attr("weight", 100, Par::Seq));
        assert_eq!(a, values(synthetic_attr("weight", 100, Par::Seq)));
        assert_ne!(a, values(synthetic_attr("age", 100, Par::Seq)));
        assert!(a.iter().all(|&x| (0.0..1.0).contains(&x)));
    }
}
