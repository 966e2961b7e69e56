//! The methods of strings, numbers, lists, dates and objects (Help ›
//! Bases › Functions), as pure functions of the receiver and the evaluated
//! arguments. `None` means the type has no such method.

use super::eval::{format_date, order, Env};
use super::value::{equal, Value};
use chrono::NaiveDateTime;

fn text_arg(a: &[Value], i: usize) -> String {
    a.get(i).map(Value::text).unwrap_or_default()
}

fn num_arg(a: &[Value], i: usize) -> Option<f64> {
    a.get(i).and_then(Value::as_num)
}

/// JavaScript's `slice` bounds: negative counts from the end, clamped.
fn bounds(len: usize, a: &[Value]) -> (usize, usize) {
    let at = |v: Option<f64>, default: usize| -> usize {
        match v {
            None => default,
            Some(n) if n < 0.0 => len.saturating_sub((-n) as usize),
            Some(n) => (n as usize).min(len),
        }
    };
    let start = at(num_arg(a, 0), 0);
    let end = at(num_arg(a, 1), len);
    (start, end.max(start))
}

/// String methods.
pub fn string(s: &str, name: &str, a: &[Value]) -> Option<Value> {
    let b = Value::Bool;
    Some(match name {
        "contains" => b(s.contains(&text_arg(a, 0))),
        "containsAll" => b(a.iter().all(|v| s.contains(&v.text()))),
        "containsAny" => b(a.iter().any(|v| s.contains(&v.text()))),
        "startsWith" => b(s.starts_with(&text_arg(a, 0))),
        "endsWith" => b(s.ends_with(&text_arg(a, 0))),
        "lower" => Value::Str(s.to_lowercase()),
        "upper" => Value::Str(s.to_uppercase()),
        "trim" => Value::Str(s.trim().to_string()),
        "reverse" => Value::Str(s.chars().rev().collect()),
        "repeat" => {
            let n = num_arg(a, 0).unwrap_or(0.0).max(0.0) as usize;
            // A cell holds at most a million characters.
            if s.len().saturating_mul(n) > 1 << 20 {
                return Some(Value::error("repeat() would make a text too long"));
            }
            Value::Str(s.repeat(n))
        }
        "title" => Value::Str(title_case(s)),
        "slice" => {
            let chars: Vec<char> = s.chars().collect();
            let (start, end) = bounds(chars.len(), a);
            Value::Str(chars[start..end].iter().collect())
        }
        "split" => {
            let parts: Vec<String> = match a.first() {
                Some(Value::Regex(r, _)) => r.split(s).map(str::to_string).collect(),
                _ => {
                    let sep = text_arg(a, 0);
                    if sep.is_empty() {
                        s.chars().map(String::from).collect()
                    } else {
                        s.split(sep.as_str()).map(str::to_string).collect()
                    }
                }
            };
            let n = num_arg(a, 1).map_or(usize::MAX, |n| n.max(0.0) as usize);
            Value::List(parts.into_iter().take(n).map(Value::Str).collect())
        }
        "replace" => Value::Str(match a.first() {
            Some(Value::Regex(r, global)) => {
                let with = text_arg(a, 1);
                if *global {
                    r.replace_all(s, with.as_str()).into_owned()
                } else {
                    r.replace(s, with.as_str()).into_owned()
                }
            }
            _ => s.replace(&text_arg(a, 0), &text_arg(a, 1)),
        }),
        _ => return None,
    })
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// Number methods.
pub fn number(n: f64, name: &str, a: &[Value]) -> Option<Value> {
    Some(Value::Num(match name {
        "abs" => n.abs(),
        "ceil" => n.ceil(),
        "floor" => n.floor(),
        "round" => {
            let digits = num_arg(a, 0).unwrap_or(0.0).clamp(0.0, 15.0) as i32;
            let k = 10f64.powi(digits);
            // JavaScript rounds halves up (towards +∞).
            (n * k + 0.5).floor() / k
        }
        "toFixed" => {
            let digits = num_arg(a, 0).unwrap_or(0.0).clamp(0.0, 100.0) as usize;
            return Some(Value::Str(super::eval::fixed(n, digits)));
        }
        _ => return None,
    }))
}

fn numbers(items: &[Value]) -> Vec<f64> {
    items
        .iter()
        .filter_map(|v| match v {
            Value::Num(n) => Some(*n),
            _ => None,
        })
        .collect()
}

/// The median of numbers (`None` when there are none).
pub fn median(mut nums: Vec<f64>) -> Option<f64> {
    if nums.is_empty() {
        return None;
    }
    nums.sort_by(f64::total_cmp);
    let m = nums.len() / 2;
    Some(if nums.len().is_multiple_of(2) {
        (nums[m - 1] + nums[m]) / 2.0
    } else {
        nums[m]
    })
}

/// List methods (`filter`, `map` and `reduce` are in `eval`: they run an expression).
pub fn list(items: &[Value], name: &str, a: &[Value]) -> Option<Value> {
    let contains = |x: &Value| items.iter().any(|i| equal(i, x));
    let b = Value::Bool;
    Some(match name {
        "contains" => b(contains(a.first().unwrap_or(&Value::Null))),
        "containsAll" => b(a.iter().all(contains)),
        "containsAny" => b(a.iter().any(contains)),
        "join" => Value::Str(
            items
                .iter()
                .map(Value::text)
                .collect::<Vec<_>>()
                .join(&a.first().map_or(",".to_string(), Value::text)),
        ),
        "flat" => Value::List(
            items
                .iter()
                .flat_map(|i| match i {
                    Value::List(inner) => inner.clone(),
                    v => vec![v.clone()],
                })
                .collect(),
        ),
        "reverse" => Value::List(items.iter().rev().cloned().collect()),
        "slice" => {
            let (start, end) = bounds(items.len(), a);
            Value::List(items[start..end].to_vec())
        }
        "sort" => {
            let mut v = items.to_vec();
            v.sort_by(order);
            Value::List(v)
        }
        "unique" => {
            let mut out: Vec<Value> = Vec::new();
            for i in items {
                if !out.iter().any(|o| equal(o, i)) {
                    out.push(i.clone());
                }
            }
            Value::List(out)
        }
        "sum" => Value::Num(numbers(items).iter().sum()),
        "mean" => {
            let n = numbers(items);
            if n.is_empty() {
                Value::Null
            } else {
                Value::Num(n.iter().sum::<f64>() / n.len() as f64)
            }
        }
        "median" => median(numbers(items)).map_or(Value::Null, Value::Num),
        "min" => numbers(items)
            .into_iter()
            .reduce(f64::min)
            .map_or(Value::Null, Value::Num),
        "max" => numbers(items)
            .into_iter()
            .reduce(f64::max)
            .map_or(Value::Null, Value::Num),
        _ => return None,
    })
}

/// Date methods.
pub fn date(d: NaiveDateTime, has_time: bool, name: &str, a: &[Value], env: &Env) -> Option<Value> {
    Some(match name {
        "date" => Value::Date(d.date().and_hms_opt(0, 0, 0).unwrap_or(d), false),
        "time" => Value::Str(d.format("%H:%M:%S").to_string()),
        "format" => Value::Str(format_date(&d, &text_arg(a, 0), env)),
        "relative" => Value::Str(relative(env.now, d, has_time)),
        _ => return None,
    })
}

/// `relative()`: how long ago or from now, as Moment words it in English.
pub fn relative(now: NaiveDateTime, d: NaiveDateTime, _time: bool) -> String {
    let secs = (now - d).num_seconds();
    let s = secs.abs();
    let (n, unit) = match s {
        0..=44 => {
            return if secs >= 0 {
                "a few seconds ago"
            } else {
                "in a few seconds"
            }
            .into()
        }
        45..=89 => (1, "minute"),
        90..=2_699 => ((s + 30) / 60, "minute"),
        2_700..=5_399 => (1, "hour"),
        5_400..=79_199 => ((s + 1_800) / 3_600, "hour"),
        79_200..=129_599 => (1, "day"),
        129_600..=2_203_199 => ((s + 43_200) / 86_400, "day"),
        2_203_200..=3_887_999 => (1, "month"),
        3_888_000..=27_647_999 => ((s + 1_296_000) / 2_592_000, "month"),
        27_648_000..=47_303_999 => (1, "year"),
        _ => ((s + 15_768_000) / 31_536_000, "year"),
    };
    let words = match n {
        1 if unit == "hour" => "an hour".to_string(),
        1 => format!("a {unit}"),
        n => format!("{n} {unit}s"),
    };
    if secs >= 0 {
        format!("{words} ago")
    } else {
        format!("in {words}")
    }
}

/// Object methods.
pub fn object(fields: &[(String, Value)], name: &str) -> Option<Value> {
    Some(match name {
        "keys" => Value::List(fields.iter().map(|(k, _)| Value::Str(k.clone())).collect()),
        "values" => Value::List(fields.iter().map(|(_, v)| v.clone()).collect()),
        _ => return None,
    })
}
