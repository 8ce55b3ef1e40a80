//! Runtime values: a scalar, a map with one value per node, or a map of lists.
//!
//! groggy distinguishes Int from Float; the distinction decides a few results (an Int sum
//! stays Int, mode ties break differently) and how values are written out, so every value
//! carries an `int` flag. "No value" (a min over no neighbours) is NaN, written as null.

/// One variable's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One number.
    Scalar(Scalar),
    /// One number per node, by node index.
    Map(NodeMap),
    /// One list of numbers per node (`collect_neighbor_values`).
    Lists(NodeLists),
}

/// A number with groggy's Int/Float type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scalar {
    /// The value.
    pub value: f64,
    /// groggy would hold it as an Int.
    pub int: bool,
}

/// One number per node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMap {
    /// Values by node index; NaN is "no value".
    pub values: Vec<f64>,
    /// Every value is an Int.
    pub int: bool,
}

/// One list per node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLists {
    /// Lists by node index.
    pub lists: Vec<Vec<f64>>,
    /// Every entry is an Int.
    pub int: bool,
}

impl Value {
    /// A Float scalar.
    pub fn float(v: f64) -> Value {
        Value::Scalar(Scalar { value: v, int: false })
    }

    /// A Float map.
    pub fn float_map(values: Vec<f64>) -> Value {
        Value::Map(NodeMap { values, int: false })
    }

    /// Short name of the kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Scalar(_) => "a scalar",
            Value::Map(_) => "a node map",
            Value::Lists(_) => "a map of lists",
        }
    }

    /// Bytes held by the value (for peak-memory accounting).
    pub fn bytes(&self) -> usize {
        match self {
            Value::Scalar(_) => 16,
            Value::Map(m) => 8 * m.values.len(),
            Value::Lists(l) => l.lists.iter().map(|x| 24 + 8 * x.len()).sum(),
        }
    }

    /// Largest absolute difference to `other` (NaN equals NaN; a kind or length mismatch
    /// is infinitely different).
    pub fn max_abs_diff(&self, other: &Value) -> f64 {
        let diff = |a: f64, b: f64| if a.is_nan() && b.is_nan() { 0.0 } else { (a - b).abs() };
        match (self, other) {
            (Value::Scalar(a), Value::Scalar(b)) => diff(a.value, b.value),
            (Value::Map(a), Value::Map(b)) if a.values.len() == b.values.len() => {
                a.values.iter().zip(&b.values).map(|(&x, &y)| diff(x, y)).fold(0.0, f64::max)
            }
            (Value::Lists(a), Value::Lists(b)) if a.lists.len() == b.lists.len() => a
                .lists
                .iter()
                .zip(&b.lists)
                .map(|(x, y)| {
                    if x.len() != y.len() {
                        f64::INFINITY
                    } else {
                        x.iter().zip(y).map(|(&p, &q)| diff(p, q)).fold(0.0, f64::max)
                    }
                })
                .fold(0.0, f64::max),
            _ => f64::INFINITY,
        }
    }
}
