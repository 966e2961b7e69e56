//! Running a view: the files its filters keep, their values, sorted,
//! limited, grouped and summarised (Help › Bases › Views, Table view).

use super::eval::{order, Env, RowEval};
use super::file::{Base, Filter, View};
use super::methods::median;
use super::value::{equal, Duration, Row, Value};
use rayon::prelude::*;
use std::cmp::Ordering;

/// A column: its property and its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// `note.x`, `file.x` or `formula.x`.
    pub key: String,
    /// The header: the display name, else the property's name.
    pub label: String,
}

/// One file of the result with its values, one per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The file.
    pub row: Row,
    /// Its values, parallel to the columns.
    pub values: Vec<Value>,
    /// Cards: the cover.
    pub image: Value,
}

/// Rows that share the grouped property's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The shared value (`None` when the view is not grouped).
    pub value: Option<Value>,
    /// The rows, in order.
    pub lines: Vec<Line>,
    /// The group's summaries, parallel to the columns.
    pub summaries: Vec<Option<Value>>,
}

/// What a view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The columns.
    pub columns: Vec<Column>,
    /// The groups (one, without value, when the view is not grouped).
    pub groups: Vec<Group>,
    /// Summaries over every row, parallel to the columns.
    pub summaries: Vec<Option<Value>>,
    /// How many rows.
    pub count: usize,
}

/// Whether a filter keeps a file.
pub fn keeps(f: &Filter, env: &Env, row: &RowEval) -> bool {
    match f {
        Filter::Expr(Ok(e)) => env.eval(e, row, &[]).truthy(),
        Filter::Expr(Err(_)) => false,
        Filter::And(items) => items.iter().all(|i| keeps(i, env, row)),
        Filter::Or(items) => items.is_empty() || items.iter().any(|i| keeps(i, env, row)),
        Filter::Not(items) => !items.iter().any(|i| keeps(i, env, row)),
    }
}

/// The value of a property (`note.x`, `file.x`, `formula.x`) for a row.
pub fn value_of(env: &Env, key: &str, row: &RowEval) -> Value {
    if let Some(f) = key.strip_prefix("formula.") {
        env.formula(f, row)
    } else if let Some(f) = key.strip_prefix("file.") {
        env.vault.file_field(row.row, f).unwrap_or(Value::Null)
    } else {
        let name = key.strip_prefix("note.").unwrap_or(key);
        env.vault.property(row.row, name)
    }
}

/// A column's header: the display name, else the property's own name.
pub fn label(base: &Base, key: &str, file_name: &str) -> String {
    if let Some((_, n)) = base.names.iter().find(|(k, _)| k == key) {
        return n.clone();
    }
    if key == "file.name" {
        return file_name.to_string();
    }
    key.split_once('.').map_or(key, |(_, n)| n).to_string()
}

/// A row a view keeps, with what sorts and groups it.
struct Kept {
    line: Line,
    sort: Vec<Key>,
    group: Value,
    name: Option<Vec<u8>>,
    row: Row,
}

/// The order of two kept rows: the view's sort keys, then file names.
fn in_order(a: &Kept, b: &Kept, view: &View, env: &Env) -> Ordering {
    for (i, (_, desc)) in view.sort.iter().enumerate() {
        let o = a.sort[i].cmp(&b.sort[i], *desc);
        if o != Ordering::Equal {
            return o;
        }
    }
    match (&a.name, &b.name) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => crate::collate::key(file_name_of(env, a.row), None)
            .cmp(&crate::collate::key(file_name_of(env, b.row), None)),
    }
}

/// The kept rows in one group, or in groups by their group value (`desc`:
/// the groups' order), each in the rows' order.
fn group(kept: Vec<Kept>, desc: Option<bool>) -> Vec<Group> {
    let Some(desc) = desc else {
        return vec![Group {
            value: None,
            lines: kept.into_iter().map(|k| k.line).collect(),
            summaries: Vec::new(),
        }];
    };
    let mut keyed: Vec<(Value, Vec<Line>)> = Vec::new();
    for k in kept {
        match keyed.iter_mut().find(|(v, _)| equal(v, &k.group)) {
            Some((_, lines)) => lines.push(k.line),
            None => keyed.push((k.group, vec![k.line])),
        }
    }
    keyed.sort_by(|a, b| sorted(&a.0, &b.0, desc));
    keyed
        .into_iter()
        .map(|(v, lines)| Group {
            value: Some(v),
            lines,
            summaries: Vec::new(),
        })
        .collect()
}

/// Runs `view` of `base`: `file_name` is the header of `file.name`.
pub fn run(base: &Base, view: &View, env: &Env, file_name: &str) -> Shown {
    let order_keys: Vec<String> = if view.order.is_empty() {
        vec!["file.name".to_string()]
    } else {
        view.order.clone()
    };
    let columns: Vec<Column> = order_keys
        .iter()
        .map(|k| Column {
            key: k.clone(),
            label: label(base, k, file_name),
        })
        .collect();
    // Rows are worked out in parallel, and kept in the vault's order.
    let rows: Vec<Row> = env.vault.rows().collect();
    let mut kept: Vec<Kept> = rows
        .into_par_iter()
        .filter_map(|r| {
            let row = RowEval::new(r, env.formulas);
            let pass = base.filters.as_ref().is_none_or(|f| keeps(f, env, &row))
                && view.filters.as_ref().is_none_or(|f| keeps(f, env, &row));
            pass.then(|| Kept {
                row: r,
                sort: view
                    .sort
                    .iter()
                    .map(|(k, _)| Key::of(&value_of(env, k, &row)))
                    .collect(),
                group: view
                    .group_by
                    .as_ref()
                    .map_or(Value::Null, |(k, _)| value_of(env, k, &row)),
                // Without a sort, the file name orders every row: its key is
                // worked out once; with one, only for ties.
                name: view
                    .sort
                    .is_empty()
                    .then(|| crate::collate::key(file_name_of(env, r), None)),
                line: Line {
                    row: r,
                    values: columns
                        .iter()
                        .map(|c| value_of(env, &c.key, &row))
                        .collect(),
                    image: view
                        .image
                        .as_ref()
                        .map_or(Value::Null, |k| value_of(env, k, &row)),
                },
            })
        })
        .collect();
    // Ties, and views without a sort, in file-name order.
    kept.sort_by(|a, b| in_order(a, b, view, env));
    if let Some(l) = view.limit {
        kept.truncate(l);
    }
    let count = kept.len();
    let mut groups = group(kept, view.group_by.as_ref().map(|(_, desc)| *desc));
    let summarize = |lines: &[&Line]| -> Vec<Option<Value>> {
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (_, name) = view.summaries.iter().find(|(k, _)| *k == c.key)?;
                let values: Vec<Value> = lines.iter().map(|l| l.values[i].clone()).collect();
                Some(summary(name, values, base, env))
            })
            .collect()
    };
    let mut all: Vec<&Line> = Vec::new();
    for g in &groups {
        all.extend(g.lines.iter());
    }
    let summaries = summarize(&all);
    let per_group: Vec<Vec<Option<Value>>> = if view.group_by.is_some() {
        groups
            .iter()
            .map(|g| summarize(&g.lines.iter().collect::<Vec<_>>()))
            .collect()
    } else {
        Vec::new()
    };
    for (g, s) in groups.iter_mut().zip(per_group) {
        g.summaries = s;
    }
    Shown {
        columns,
        groups,
        summaries,
        count,
    }
}

fn file_name_of<'a>(env: &Env<'a>, r: Row) -> &'a str {
    let p = env.vault.path(r);
    p.rsplit('/').next().unwrap_or(p)
}

/// A value as it sorts, worked out once per row: numbers and dates by
/// value, text (and what shows as text) by the site's collation.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Num(f64),
    Date(i64),
    Bool(bool),
    Text(Vec<u8>),
    Empty,
}

impl Key {
    fn of(v: &Value) -> Key {
        match v {
            _ if v.is_empty() => Key::Empty,
            Value::Num(n) if !n.is_nan() => Key::Num(*n),
            Value::Date(d, _) => Key::Date(d.and_utc().timestamp_millis()),
            Value::Bool(b) => Key::Bool(*b),
            Value::Num(_) => Key::Empty,
            other => Key::Text(crate::collate::key(&other.text(), None)),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Key::Num(_) => 0,
            Key::Date(_) => 1,
            Key::Bool(_) => 2,
            Key::Text(_) => 3,
            Key::Empty => 4,
        }
    }

    /// Empty values last whichever the direction.
    fn cmp(&self, other: &Key, desc: bool) -> Ordering {
        let o = match (self, other) {
            (Key::Empty, Key::Empty) => return Ordering::Equal,
            (Key::Empty, _) => return Ordering::Greater,
            (_, Key::Empty) => return Ordering::Less,
            (Key::Num(a), Key::Num(b)) => a.total_cmp(b),
            (Key::Date(a), Key::Date(b)) => a.cmp(b),
            (Key::Bool(a), Key::Bool(b)) => a.cmp(b),
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    }
}

/// Sort order: empty values last whichever the direction.
fn sorted(a: &Value, b: &Value, desc: bool) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if desc => order(b, a),
        _ => order(a, b),
    }
}

/// A summary of a column's values: a built-in one by name (Help › Bases
/// syntax › Default summary formulas), else a formula of the base's
/// `summaries` over `values`.
pub fn summary(name: &str, values: Vec<Value>, base: &Base, env: &Env) -> Value {
    let nums = || -> Vec<f64> {
        values
            .iter()
            .filter_map(|v| match v {
                Value::Num(n) => Some(*n),
                _ => None,
            })
            .collect()
    };
    let dates = || -> Vec<chrono::NaiveDateTime> {
        values
            .iter()
            .filter_map(|v| match v {
                Value::Date(d, _) => Some(*d),
                _ => None,
            })
            .collect()
    };
    let num = |o: Option<f64>| o.map_or(Value::Null, Value::Num);
    let count = |n: usize| Value::Num(n as f64);
    match name {
        "Sum" => Value::Num(nums().iter().sum()),
        "Average" => {
            let n = nums();
            num((!n.is_empty()).then(|| n.iter().sum::<f64>() / n.len() as f64))
        }
        "Min" => num(nums().into_iter().reduce(f64::min)),
        "Max" => num(nums().into_iter().reduce(f64::max)),
        "Median" => num(median(nums())),
        "Stddev" => {
            let n = nums();
            num((!n.is_empty()).then(|| {
                let mean = n.iter().sum::<f64>() / n.len() as f64;
                (n.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n.len() as f64).sqrt()
            }))
        }
        "Range" => {
            let d = dates();
            if !d.is_empty() && nums().is_empty() {
                let (lo, hi) = (d.iter().min(), d.iter().max());
                match (lo, hi) {
                    (Some(lo), Some(hi)) => Value::Duration(Duration {
                        months: 0,
                        ms: (*hi - *lo).num_milliseconds(),
                    }),
                    _ => Value::Null,
                }
            } else {
                let n = nums();
                num(n
                    .iter()
                    .copied()
                    .reduce(f64::max)
                    .zip(n.iter().copied().reduce(f64::min))
                    .map(|(a, b)| a - b))
            }
        }
        "Earliest" => dates()
            .into_iter()
            .min()
            .map_or(Value::Null, |d| Value::Date(d, false)),
        "Latest" => dates()
            .into_iter()
            .max()
            .map_or(Value::Null, |d| Value::Date(d, false)),
        "Checked" => count(
            values
                .iter()
                .filter(|v| matches!(v, Value::Bool(true)))
                .count(),
        ),
        "Unchecked" => count(
            values
                .iter()
                .filter(|v| matches!(v, Value::Bool(false)))
                .count(),
        ),
        "Empty" => count(values.iter().filter(|v| v.is_empty()).count()),
        "Filled" => count(values.iter().filter(|v| !v.is_empty()).count()),
        "Unique" => {
            let mut seen: Vec<&Value> = Vec::new();
            for v in values.iter().filter(|v| !v.is_empty()) {
                if !seen.iter().any(|s| equal(s, v)) {
                    seen.push(v);
                }
            }
            count(seen.len())
        }
        custom => match base.summaries.iter().find(|(n, _)| n == custom) {
            Some((_, Ok(e))) => {
                let row = RowEval::new(env.this, env.formulas);
                env.eval(e, &row, &[("values", Value::List(values))])
            }
            Some((_, Err(msg))) => Value::error(msg.clone()),
            None => Value::error(format!("unknown summary {custom}")),
        },
    }
}
