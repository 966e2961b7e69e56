//! Evaluation of Bases expressions against one file of the site: note
//! properties, file properties, formulas, `this`, and every documented
//! function and method (Help › Bases › Functions). A failure inside an
//! expression is a [`Value::Error`], shown in its cell; nothing panics.

use super::expr::{Expr, Op};
use super::value::{
    compare, date_field, equal, moment_format, parse_date, parse_duration, shift, Link, Row, Value,
    DAYS,
};
use super::vault::Vault;
use chrono::NaiveDateTime;
use std::cell::RefCell;
use std::cmp::Ordering;

/// The global functions implemented.
pub const FUNCTIONS: &[&str] = &[
    "date",
    "duration",
    "escapeHTML",
    "file",
    "html",
    "icon",
    "if",
    "image",
    "link",
    "list",
    "max",
    "min",
    "now",
    "number",
    "random",
    "today",
];

/// The methods implemented, on any type of value.
pub const METHODS: &[&str] = &[
    "abs",
    "asFile",
    "asLink",
    "ceil",
    "contains",
    "containsAll",
    "containsAny",
    "date",
    "endsWith",
    "filter",
    "flat",
    "floor",
    "format",
    "hasLink",
    "hasProperty",
    "hasTag",
    "inFolder",
    "isEmpty",
    "isTruthy",
    "isType",
    "join",
    "keys",
    "linksTo",
    "lower",
    "map",
    "matches",
    "max",
    "mean",
    "median",
    "min",
    "reduce",
    "relative",
    "repeat",
    "replace",
    "reverse",
    "round",
    "slice",
    "sort",
    "split",
    "startsWith",
    "sum",
    "time",
    "title",
    "toFixed",
    "toString",
    "trim",
    "unique",
    "upper",
    "values",
];

/// The formulas of a base, parsed once.
#[derive(Debug, Default)]
pub struct Formulas {
    /// Name and expression (or why it could not be read), in written order.
    pub list: Vec<(String, Result<Expr, String>)>,
}

impl Formulas {
    fn find(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|(n, _)| n == name)
    }
}

/// What evaluation needs besides the row: the site, the formulas, `this`
/// and the moment `now()` stands for.
pub struct Env<'a> {
    /// The site.
    pub vault: Vault<'a>,
    /// The base's formulas.
    pub formulas: &'a Formulas,
    /// The file `this` is: the embedding note, or the base itself.
    pub this: Row,
    /// `now()`.
    pub now: NaiveDateTime,
    /// The folder `link("name")` resolves from.
    pub folder: &'a str,
}

/// One row being evaluated: its file and the formulas worked out so far.
pub struct RowEval {
    /// The file.
    pub row: Row,
    cache: RefCell<Vec<Option<Value>>>,
    busy: RefCell<Vec<bool>>,
}

impl RowEval {
    /// A row with nothing worked out yet.
    pub fn new(row: Row, formulas: &Formulas) -> Self {
        RowEval {
            row,
            cache: RefCell::new(vec![None; formulas.list.len()]),
            busy: RefCell::new(vec![false; formulas.list.len()]),
        }
    }
}

/// Names bound inside list methods and summaries (`value`, `index`, `acc`, `values`).
pub type Locals<'l> = [(&'l str, Value)];

fn site_collate(a: &str, b: &str) -> Ordering {
    crate::collate::key(a, None).cmp(&crate::collate::key(b, None))
}

/// Orders two values for sorting: by value where they compare, nulls last,
/// else by type name.
pub fn order(a: &Value, b: &Value) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    compare(a, b, &site_collate).unwrap_or_else(|| a.type_name().cmp(b.type_name()))
}

impl Env<'_> {
    /// The value of `e` for `row`.
    pub fn eval(&self, e: &Expr, row: &RowEval, locals: &Locals) -> Value {
        match e {
            Expr::Null => Value::Null,
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(p, flags) => regex(p, flags),
            Expr::List(items) => {
                Value::List(items.iter().map(|i| self.eval(i, row, locals)).collect())
            }
            Expr::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.eval(v, row, locals)))
                    .collect(),
            ),
            Expr::Name(n) => self.name(n, row, locals),
            Expr::Field(obj, name) => self.field(obj, name, row, locals),
            Expr::Index(obj, i) => {
                let i = self.eval(i, row, locals);
                if let (Expr::Name(n), Value::Str(key)) = (&**obj, &i) {
                    if !locals.iter().any(|(l, _)| l == n) {
                        match n.as_str() {
                            "note" => return self.vault.property(row.row, key),
                            "formula" => return self.formula(key, row),
                            _ => {}
                        }
                    }
                }
                let v = self.eval(obj, row, locals);
                index(&v, &i, self)
            }
            Expr::Call(name, args) => self.call(name, args, row, locals),
            Expr::Method(recv, name, args) => {
                let v = self.eval(recv, row, locals);
                if let Value::Error(_) = v {
                    return v;
                }
                self.method(v, name, args, row, locals)
            }
            Expr::Unary('!', a) => Value::Bool(!self.eval(a, row, locals).truthy()),
            Expr::Unary(_, a) => match self.eval(a, row, locals) {
                Value::Error(e) => Value::Error(e),
                v => v.as_num().map_or(Value::Num(f64::NAN), |n| Value::Num(-n)),
            },
            Expr::Binary(Op::And, a, b) => {
                let l = self.eval(a, row, locals);
                if l.truthy() {
                    self.eval(b, row, locals)
                } else {
                    l
                }
            }
            Expr::Binary(Op::Or, a, b) => {
                let l = self.eval(a, row, locals);
                if l.truthy() {
                    l
                } else {
                    self.eval(b, row, locals)
                }
            }
            Expr::Binary(op, a, b) => {
                binary(*op, self.eval(a, row, locals), self.eval(b, row, locals))
            }
        }
    }

    fn name(&self, n: &str, row: &RowEval, locals: &Locals) -> Value {
        if let Some((_, v)) = locals.iter().rev().find(|(l, _)| *l == n) {
            return v.clone();
        }
        match n {
            "file" => Value::File(row.row),
            "this" => Value::File(self.this),
            "note" => self.vault.properties(row.row),
            "formula" => Value::Object(
                self.formulas
                    .list
                    .iter()
                    .map(|(k, _)| (k.clone(), self.formula(k, row)))
                    .collect(),
            ),
            _ => self.vault.property(row.row, n),
        }
    }

    fn field(&self, obj: &Expr, name: &str, row: &RowEval, locals: &Locals) -> Value {
        if let Expr::Name(n) = obj {
            if !locals.iter().any(|(l, _)| l == n) {
                match n.as_str() {
                    "note" => return self.vault.property(row.row, name),
                    "formula" => return self.formula(name, row),
                    "file" => {
                        return self
                            .vault
                            .file_field(row.row, name)
                            .unwrap_or_else(|| Value::error(format!("file has no field {name}")))
                    }
                    _ => {}
                }
            }
        }
        let v = self.eval(obj, row, locals);
        field_of(&v, name, self)
    }

    /// Formula `name` for `row`, worked out once; a formula that reads
    /// itself through others is an error, not a loop.
    pub fn formula(&self, name: &str, row: &RowEval) -> Value {
        let Some(i) = self.formulas.find(name) else {
            return Value::error(format!("unknown formula {name}"));
        };
        if let Some(v) = &row.cache.borrow()[i] {
            return v.clone();
        }
        if row.busy.borrow()[i] {
            return Value::error(format!("formula {name} refers to itself"));
        }
        // Formulas reading formulas, at most this deep (a chain of thousands
        // would overflow the stack).
        if row.busy.borrow().iter().filter(|b| **b).count() >= 32 {
            return Value::error(format!("formula {name}: formulas nest too deeply"));
        }
        row.busy.borrow_mut()[i] = true;
        let v = match &self.formulas.list[i].1 {
            Ok(e) => self.eval(e, row, &[]),
            Err(msg) => Value::error(msg.clone()),
        };
        row.busy.borrow_mut()[i] = false;
        row.cache.borrow_mut()[i] = Some(v.clone());
        v
    }
}

fn regex(p: &str, flags: &str) -> Value {
    let mut b = regex::RegexBuilder::new(p);
    b.case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 20);
    match b.build() {
        Ok(r) => Value::Regex(Box::new(super::value::Re(r)), flags.contains('g')),
        Err(_) => Value::error(format!("invalid regular expression /{p}/")),
    }
}

fn index(v: &Value, i: &Value, env: &Env) -> Value {
    match (v, i) {
        (Value::List(items), Value::Num(n)) => {
            let n = *n as i64;
            let k = if n < 0 { items.len() as i64 + n } else { n };
            usize::try_from(k)
                .ok()
                .and_then(|k| items.get(k))
                .cloned()
                .unwrap_or(Value::Null)
        }
        (Value::Str(s), Value::Num(n)) => s
            .chars()
            .nth(*n as usize)
            .map_or(Value::Null, |c| Value::Str(c.to_string())),
        (_, Value::Str(k)) => field_of(v, k, env),
        _ => Value::Null,
    }
}

fn field_of(v: &Value, name: &str, env: &Env) -> Value {
    match v {
        Value::Error(_) => v.clone(),
        Value::Object(fields) => fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or(Value::Null, |(_, v)| v.clone()),
        Value::File(r) => env
            .vault
            .file_field(*r, name)
            .unwrap_or_else(|| env.vault.property(*r, name)),
        Value::Link(l) => match l.to {
            Some(r) => field_of(&Value::File(r), name, env),
            None => Value::Null,
        },
        Value::Str(s) if name == "length" => Value::Num(s.chars().count() as f64),
        Value::List(l) if name == "length" => Value::Num(l.len() as f64),
        Value::Date(d, _) => date_field(d, name).map_or(Value::Null, Value::Num),
        Value::Null => Value::Null,
        _ => Value::Null,
    }
}

fn binary(op: Op, a: Value, b: Value) -> Value {
    if let Value::Error(_) = a {
        return a;
    }
    if let Value::Error(_) = b {
        return b;
    }
    let cmp = |want: &dyn Fn(Ordering) -> bool| {
        Value::Bool(compare(&a, &b, &site_collate).is_some_and(want))
    };
    match op {
        Op::Eq => Value::Bool(equal(&a, &b)),
        Op::Ne => Value::Bool(!equal(&a, &b)),
        Op::Lt => cmp(&|o| o == Ordering::Less),
        Op::Le => cmp(&|o| o != Ordering::Greater),
        Op::Gt => cmp(&|o| o == Ordering::Greater),
        Op::Ge => cmp(&|o| o != Ordering::Less),
        Op::Add | Op::Sub => add(op == Op::Sub, a, b),
        Op::Mul | Op::Div | Op::Rem => arithmetic(op, a, b),
        Op::And | Op::Or => unreachable_logic(),
    }
}

fn unreachable_logic() -> Value {
    // `&&` and `||` short-circuit in `eval` and never get here.
    Value::Null
}

fn as_duration(v: &Value) -> Option<super::value::Duration> {
    match v {
        Value::Duration(d) => Some(*d),
        Value::Str(s) => parse_duration(s),
        _ => None,
    }
}

fn add(minus: bool, a: Value, b: Value) -> Value {
    let sign = if minus { -1 } else { 1 };
    match (&a, &b) {
        (Value::Date(x, _), Value::Date(y, _)) if minus => {
            Value::Num((*x - *y).num_milliseconds() as f64)
        }
        // A missing value makes the result missing, not an error (an
        // empty cell for the notes without the property).
        (Value::Date(..), Value::Null) | (Value::Null, Value::Date(..)) => Value::Null,
        (Value::Date(d, t), other) => match as_duration(other) {
            Some(dur) => shift(*d, dur, sign).map_or_else(
                || Value::error("date out of range"),
                |n| Value::Date(n, *t || dur.ms % 86_400_000 != 0),
            ),
            None => Value::error(format!("cannot add {} to a date", other.type_name())),
        },
        (Value::Duration(x), other) => match as_duration(other) {
            Some(y) => Value::Duration(super::value::Duration {
                months: x.months + sign * y.months,
                ms: x.ms + sign * y.ms,
            }),
            None => Value::error("a duration adds only to a duration or a date"),
        },
        (Value::Str(_), _) | (_, Value::Str(_)) if !minus => {
            Value::Str(format!("{}{}", a.text(), b.text()))
        }
        (Value::List(x), Value::List(y)) if !minus => {
            Value::List(x.iter().chain(y).cloned().collect())
        }
        _ => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Value::Num(if minus { x - y } else { x + y }),
            _ if matches!(a, Value::Null) || matches!(b, Value::Null) => Value::Null,
            _ => Value::Num(f64::NAN),
        },
    }
}

fn arithmetic(op: Op, a: Value, b: Value) -> Value {
    if let (Value::Duration(d), Some(k)) = (&a, b.as_num()) {
        let scale = |x: i64| -> i64 {
            let r = match op {
                Op::Mul => x as f64 * k,
                _ => x as f64 / k,
            };
            r.round() as i64
        };
        return Value::Duration(super::value::Duration {
            months: scale(d.months),
            ms: scale(d.ms),
        });
    }
    match (a.as_num(), b.as_num()) {
        (Some(x), Some(y)) => Value::Num(match op {
            Op::Mul => x * y,
            Op::Div => x / y,
            _ => x % y,
        }),
        _ if matches!(a, Value::Null) || matches!(b, Value::Null) => Value::Null,
        _ => Value::Num(f64::NAN),
    }
}

impl Env<'_> {
    fn args(&self, args: &[Expr], row: &RowEval, locals: &Locals) -> Vec<Value> {
        args.iter().map(|a| self.eval(a, row, locals)).collect()
    }

    fn call(&self, name: &str, args: &[Expr], row: &RowEval, locals: &Locals) -> Value {
        if name == "if" {
            let Some(cond) = args.first() else {
                return Value::error("if() needs a condition");
            };
            let pick = if self.eval(cond, row, locals).truthy() {
                1
            } else {
                2
            };
            return args
                .get(pick)
                .map_or(Value::Null, |e| self.eval(e, row, locals));
        }
        let a = self.args(args, row, locals);
        if let Some(e) = a.iter().find(|v| matches!(v, Value::Error(_))) {
            return e.clone();
        }
        let first = a.first().cloned().unwrap_or(Value::Null);
        match name {
            "now" => Value::Date(self.now, true),
            "today" => Value::Date(
                self.now.date().and_hms_opt(0, 0, 0).unwrap_or(self.now),
                false,
            ),
            "date" => to_date(&first),
            "duration" => as_duration(&first).map_or_else(
                || Value::error(format!("invalid duration {}", first.text())),
                Value::Duration,
            ),
            "number" => match &first {
                Value::Str(s) => s
                    .trim()
                    .parse()
                    .map_or_else(|_| Value::error(format!("not a number: {s}")), Value::Num),
                v => v.as_num().map_or(Value::Null, Value::Num),
            },
            "list" => match first {
                Value::List(_) => first,
                Value::Null if a.is_empty() => Value::List(Vec::new()),
                v => Value::List(vec![v]),
            },
            "max" | "min" => {
                let nums: Vec<f64> = a.iter().filter_map(Value::as_num).collect();
                let pick = if name == "max" { f64::max } else { f64::min };
                nums.into_iter()
                    .reduce(pick)
                    .map_or(Value::Null, Value::Num)
            }
            "link" => self.make_link(&first, a.get(1).cloned()),
            "file" => match &first {
                Value::File(_) => first,
                Value::Link(l) => l.to.map_or(Value::Null, Value::File),
                v => self
                    .vault
                    .resolve(&v.text(), self.folder)
                    .map_or(Value::Null, Value::File),
            },
            "image" => match &first {
                Value::Link(l) => Value::Image(l.target.clone()),
                Value::File(r) => Value::Image(self.vault.path(*r).to_string()),
                v => Value::Image(v.text()),
            },
            "icon" => Value::Icon(first.text()),
            "html" => Value::Html(first.text()),
            "escapeHTML" => Value::Str(crate::html::escape(&first.text())),
            "random" => Value::Num(random()),
            _ => Value::error(format!("unknown function {name}()")),
        }
    }

    fn make_link(&self, target: &Value, display: Option<Value>) -> Value {
        match target {
            Value::File(r) => Value::Link(Box::new(Link {
                target: crate::paths::strip_md(self.vault.path(*r)).to_string(),
                display,
                to: Some(*r),
            })),
            Value::Link(l) => Value::Link(Box::new(Link {
                display: display.or_else(|| l.display.clone()),
                ..(**l).clone()
            })),
            v => {
                let text = v.text();
                let t = crate::markdown::sole_link(&text)
                    .map_or_else(|| text.trim().to_string(), |(r, _)| r.target);
                let t = t.as_str();
                let to = if t.contains("://") {
                    None
                } else {
                    self.vault.resolve(t, self.folder)
                };
                Value::Link(Box::new(Link {
                    target: t.to_string(),
                    display,
                    to,
                }))
            }
        }
    }
}

fn to_date(v: &Value) -> Value {
    match v {
        Value::Date(..) => v.clone(),
        Value::Num(ms) => chrono::DateTime::from_timestamp_millis(*ms as i64)
            .map_or(Value::Null, |d| Value::Date(d.naive_utc(), true)),
        v => match parse_date(&v.text()) {
            Some((d, t)) => Value::Date(d, t),
            None => Value::error(format!("invalid date {}", v.text())),
        },
    }
}

/// A number in [0, 1): `random()` ("refreshes whenever a view is loaded").
fn random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

impl Env<'_> {
    fn method(&self, v: Value, name: &str, args: &[Expr], row: &RowEval, locals: &Locals) -> Value {
        // The list methods that take an expression run it per item.
        if let (Value::List(items), "filter" | "map" | "reduce") = (&v, name) {
            return self.list_lambda(items, name, args, row, locals);
        }
        let a = self.args(args, row, locals);
        if let Some(e) = a.iter().find(|v| matches!(v, Value::Error(_))) {
            return e.clone();
        }
        if let Some(r) = any_method(&v, name, &a) {
            return r;
        }
        // A method of a missing value is missing too: an empty cell where a
        // note lacks the property (`birthday.format(…)`).
        if let Value::Null = v {
            return Value::Null;
        }
        let r = match &v {
            Value::Str(s) => super::methods::string(s, name, &a),
            Value::Num(n) => super::methods::number(*n, name, &a),
            Value::List(items) => super::methods::list(items, name, &a),
            Value::Date(d, t) => super::methods::date(*d, *t, name, &a, self),
            Value::Object(fields) => super::methods::object(fields, name),
            Value::Regex(r, _) => match name {
                "matches" => Some(Value::Bool(
                    r.is_match(&a.first().map(Value::text).unwrap_or_default()),
                )),
                _ => None,
            },
            Value::File(r) => self.file_method(*r, name, &a),
            Value::Link(l) => match name {
                "asFile" => Some(l.to.map_or(Value::Null, Value::File)),
                "linksTo" => Some(Value::Bool(
                    match (l.to, a.first().and_then(|x| self.row_of(x))) {
                        (Some(from), Some(to)) => self.vault.links_to(from, to),
                        _ => false,
                    },
                )),
                // A file's methods when it leads to one, else its text's
                // (`file.embeds[0].containsAny("jpg", "png")`).
                _ => {
                    l.to.and_then(|r| self.file_method(r, name, &a))
                        .or_else(|| super::methods::string(&l.target, name, &a))
                }
            },
            _ => None,
        };
        r.unwrap_or_else(|| Value::error(format!("{name}() does not apply to a {}", v.type_name())))
    }

    fn row_of(&self, v: &Value) -> Option<Row> {
        match v {
            Value::File(r) => Some(*r),
            Value::Link(l) => l.to,
            Value::Str(s) => self.vault.resolve(s, self.folder),
            _ => None,
        }
    }

    fn file_method(&self, r: Row, name: &str, a: &[Value]) -> Option<Value> {
        let first = a.first().cloned().unwrap_or(Value::Null);
        Some(match name {
            "asLink" => self.make_link(&Value::File(r), a.first().cloned()),
            "hasTag" => Value::Bool(a.iter().any(|t| self.vault.has_tag(r, &t.text()))),
            "hasLink" => Value::Bool(
                self.row_of(&first)
                    .is_some_and(|to| self.vault.links_to(r, to)),
            ),
            "hasProperty" => Value::Bool(self.vault.has_property(r, &first.text())),
            "inFolder" => {
                let want = first.text();
                let want = want.trim_matches('/');
                let folder = crate::paths::VaultPath::new(self.vault.path(r))
                    .folder()
                    .to_string();
                Value::Bool(
                    want.is_empty()
                        || crate::paths::name_key(&folder) == crate::paths::name_key(want)
                        || crate::paths::name_key(&folder)
                            .starts_with(&format!("{}/", crate::paths::name_key(want))),
                )
            }
            _ => return None,
        })
    }

    fn list_lambda(
        &self,
        items: &[Value],
        name: &str,
        args: &[Expr],
        row: &RowEval,
        locals: &Locals,
    ) -> Value {
        let Some(body) = args.first() else {
            return Value::error(format!("{name}() needs an expression"));
        };
        let with = |value: &Value, i: usize, acc: Option<&Value>| {
            let mut l: Vec<(&str, Value)> = locals.to_vec();
            l.push(("value", value.clone()));
            l.push(("index", Value::Num(i as f64)));
            if let Some(acc) = acc {
                l.push(("acc", acc.clone()));
            }
            self.eval(body, row, &l)
        };
        match name {
            "filter" => Value::List(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, v)| with(v, *i, None).truthy())
                    .map(|(_, v)| v.clone())
                    .collect(),
            ),
            "map" => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| with(v, i, None))
                    .collect(),
            ),
            _ => {
                let mut acc = args
                    .get(1)
                    .map_or(Value::Null, |e| self.eval(e, row, locals));
                for (i, v) in items.iter().enumerate() {
                    acc = with(v, i, Some(&acc));
                }
                acc
            }
        }
    }
}

/// Methods every value has.
fn any_method(v: &Value, name: &str, a: &[Value]) -> Option<Value> {
    Some(match name {
        "isTruthy" => Value::Bool(v.truthy()),
        "isType" => {
            let want = a.first().map(Value::text).unwrap_or_default();
            let t = v.type_name();
            Value::Bool(
                t == want || (want == "list" && t == "array") || (want == "array" && t == "list"),
            )
        }
        "toString" => Value::Str(v.text()),
        "isEmpty" => Value::Bool(match v {
            Value::Date(..) => false,
            _ => v.is_empty(),
        }),
        _ => return None,
    })
}

/// A number as `toFixed` writes it.
pub fn fixed(n: f64, digits: usize) -> String {
    format!("{n:.digits$}")
}

/// `date.format(f)` in the site's month names.
pub fn format_date(d: &NaiveDateTime, f: &str, env: &Env) -> String {
    moment_format(d, f, env.vault.months, &DAYS)
}

#[cfg(test)]
mod tests {
    use super::super::expr::parse;
    use super::super::value::MONTHS;
    use super::*;
    use crate::index::build_index;
    use crate::parse::{parse_note, Note};
    use crate::paths::VaultPath;
    use crate::scan::SourceNote;

    const NOTES: &[(&str, &str)] = &[
        (
            "Books/Dune.md",
            "---\ntags: [book, scifi]\nauthor: \"[[Frank Herbert]]\"\nyear: 1965\nprice: 9.5\nage: 2\nread: true\nstarted: 2024-12-01\ngenres: [SF, Classic]\ndetails:\n  pages: 412\n---\nSee [[Frank Herbert]] and ![[cover.png]].\n",
        ),
        ("Frank Herbert.md", "---\ntags: [author/sf]\n---\nWrote [[Dune]].\n"),
        ("Drafts/Secret.md", "---\ndraft: true\n---\nHidden.\n"),
    ];

    fn with_env(f: impl FnOnce(&Env, &RowEval)) {
        let notes: Vec<Note> = NOTES
            .iter()
            .map(|(p, t)| {
                parse_note(&SourceNote {
                    path: VaultPath::new(p),
                    text: t.to_string(),
                    modified: 1_700_000_000,
                })
                .0
            })
            .collect();
        let (index, _) = build_index(&notes, &[VaultPath::new("cover.png")], false);
        let mut formulas = Formulas::default();
        for (n, e) in [
            ("ppu", "price / age"),
            ("twice", "formula.ppu * 2"),
            ("loop", "formula.loop + 1"),
        ] {
            formulas
                .list
                .push((n.to_string(), parse(e).map_err(|e| e.message)));
        }
        let env = Env {
            vault: Vault {
                notes: &notes,
                index: &index,
                files: &[],
                months: &MONTHS,
            },
            formulas: &formulas,
            this: Row::Note(1),
            now: parse_date("2025-06-15 12:00:00").unwrap().0,
            folder: "",
        };
        let row = RowEval::new(Row::Note(0), &formulas);
        f(&env, &row);
    }

    /// Each documented function and method, with the documentation's own
    /// examples where it gives one (Help › Bases › Functions), evaluated for
    /// `Books/Dune.md`; the value's text.
    const CASES: &[(&str, &str)] = &[
        // Global.
        ("escapeHTML(\"<b>&</b>\")", "&lt;b&gt;&amp;&lt;/b&gt;"),
        ("date(\"2025-01-01 12:00:00\").hour", "12"),
        ("duration(\"1d\") * 2", "2d"),
        ("now() + (duration('1d') * 2)", "2025-06-17 12:00:00"),
        ("file(\"Frank Herbert\").name", "Frank Herbert.md"),
        ("file(link(\"[[Frank Herbert]]\")).basename", "Frank Herbert"),
        ("html(\"<i>x</i>\")", "<i>x</i>"),
        ("if(price, price.toFixed(2) + \" dollars\")", "9.50 dollars"),
        ("if(missing, \"yes\")", ""),
        ("if(false, 1, 2)", "2"),
        ("image(\"https://obsidian.md/logo.svg\")", "https://obsidian.md/logo.svg"),
        ("icon(\"arrow-right\")", "arrow-right"),
        ("link(\"filename\", \"display\")", "display"),
        ("link(\"Frank Herbert\") == author", "true"),
        ("list(\"value\")", "value"),
        ("list(genres).length", "2"),
        ("list(\"value\").length", "1"),
        ("max(1, 7, 3)", "7"),
        ("min(4, -2, 3)", "-2"),
        ("now().year", "2025"),
        ("number(\"3.4\")", "3.4"),
        ("number(true)", "1"),
        ("number(\"12\") + 1", "13"),
        ("number(date(\"1970-01-02\"))", "86400000"),
        ("today().format(\"YYYY-MM-DD HH:mm\")", "2025-06-15 00:00"),
        ("random() < 1 && random() >= 0", "true"),
        // Any type.
        ("1.isTruthy()", "true"),
        ("\"\".isTruthy()", "false"),
        ("\"example\".isType(\"string\") && true.isType(\"boolean\")", "true"),
        ("123.toString()", "123"),
        // Date.
        ("started.year + started.month + started.day", "2037"),
        ("date(\"2025-05-27 23:59:58\").minute + date(\"2025-05-27 23:59:58\").second", "117"),
        ("date(\"2025-05-27 10:00:00.250\").millisecond", "250"),
        ("date(\"2025-12-31 10:30:00\").date().format(\"YYYY-MM-DD HH:mm:ss\")", "2025-12-31 00:00:00"),
        ("date(\"2025-05-27\").format(\"YYYY-MM-DD\")", "2025-05-27"),
        ("now().time()", "12:00:00"),
        ("date(\"2025-06-12 12:00:00\").relative()", "3 days ago"),
        ("date(\"2025-06-15 15:00:00\").relative()", "in 3 hours"),
        ("started.isEmpty()", "false"),
        ("date(\"2024-12-01\") + \"1M\" + \"4h\" + \"3m\"", "2025-01-01 04:03:00"),
        ("(now() + \"1d\") - now()", "86400000"),
        ("started < now() - \"7d\"", "true"),
        ("missing.format(\"YYYY\")", ""),
        ("now() - missing", ""),
        // String.
        ("\"hello\".length", "5"),
        ("\"hello\".contains(\"ell\")", "true"),
        ("\"hello\".containsAll(\"h\", \"e\")", "true"),
        ("\"hello\".containsAny(\"x\", \"y\", \"e\")", "true"),
        ("\"hello\".endsWith(\"lo\")", "true"),
        ("\"Hello world\".isEmpty()", "false"),
        ("\"\".isEmpty()", "true"),
        ("\"HeLLo\".lower()", "hello"),
        ("\"a:b:c:d\".replace(/:/, \"-\")", "a-b:c:d"),
        ("\"a:b:c:d\".replace(/:/g, \"-\")", "a-b-c-d"),
        ("\"a:b:c:d\".replace(\":\", \"-\")", "a-b-c-d"),
        ("\"John Smith\".replace(/(\\w+) (\\w+)/, \"$2, $1\")", "Smith, John"),
        ("\"123\".repeat(2)", "123123"),
        ("\"hello\".reverse()", "olleh"),
        ("\"hello\".slice(1, 4)", "ell"),
        ("\"hello\".slice(1)", "ello"),
        ("\"a,b,c,d\".split(\",\", 3)", "a, b, c"),
        ("\"a,b,c,d\".split(/,/, 3)", "a, b, c"),
        ("\"hello\".startsWith(\"he\")", "true"),
        ("\"hello world\".title()", "Hello World"),
        ("\"  hi  \".trim()", "hi"),
        // Number.
        ("(-5).abs()", "5"),
        ("(2.1).ceil()", "3"),
        ("(2.9).floor()", "2"),
        ("5.isEmpty()", "false"),
        ("(2.5).round()", "3"),
        ("(2.3333).round(2)", "2.33"),
        ("(3.14159).toFixed(2)", "3.14"),
        ("price / age", "4.75"),
        ("7 % 3 + 2 * 3 - 1", "6"),
        // List.
        ("[1,2,3].length", "3"),
        ("[1,2,3].contains(2)", "true"),
        ("[1,2,3].containsAll(2,3)", "true"),
        ("[1,2,3].containsAny(3,4)", "true"),
        ("[1,2,3,4].filter(value > 2)", "3, 4"),
        ("[1,[2,3]].flat()", "1, 2, 3"),
        ("[1,2,3].isEmpty()", "false"),
        ("[1,2,3].join(\",\")", "1,2,3"),
        ("[1,2,3,4].map(value + 1)", "2, 3, 4, 5"),
        ("[1,2,3].map(value * index)", "0, 2, 6"),
        ("[1,2,3].reduce(acc + value, 0)", "6"),
        ("[3, 9, 4].filter(value.isType(\"number\")).reduce(if(acc == null || value > acc, value, acc), null)", "9"),
        ("[1,2,3].reverse()", "3, 2, 1"),
        ("[1,2,3,4].slice(1,3)", "2, 3"),
        ("[3, 1, 2].sort()", "1, 2, 3"),
        ("[\"c\", \"a\", \"b\"].sort()", "a, b, c"),
        ("[1,2,2,3].unique()", "1, 2, 3"),
        ("[1,2,3,4].mean()", "2.5"),
        ("[3,1,2].median()", "2"),
        ("[1,2,3].sum()", "6"),
        ("[4,9].max() - [4,9].min()", "5"),
        ("\"abc\".upper()", "ABC"),
        ("genres[0]", "SF"),
        // Link.
        ("author.asFile().name", "Frank Herbert.md"),
        ("link(\"[[Frank Herbert]]\").asFile().basename", "Frank Herbert"),
        ("author.linksTo(file)", "true"),
        ("author.linksTo(this)", "false"),
        // File.
        ("file.name", "Dune.md"),
        ("file.basename", "Dune"),
        ("file.path", "Books/Dune.md"),
        ("file.folder", "Books"),
        ("file.ext", "md"),
        ("file.size > 100", "true"),
        ("file.properties.year", "1965"),
        ("file.tags", "#book, #scifi"),
        ("file.links", "Frank Herbert, cover.png"),
        ("file.embeds", "cover.png"),
        ("file.embeds[0].containsAny(\"jpg\", \"png\")", "true"),
        ("file.backlinks", "Frank Herbert"),
        ("file.mtime.year", "2023"),
        ("file.ctime.year", "2023"),
        ("file.asLink()", "Books/Dune"),
        ("file.asLink(\"D\")", "D"),
        ("file.hasLink(this)", "true"),
        ("file.hasLink(\"Frank Herbert\")", "true"),
        ("file.hasLink(\"Nowhere\")", "false"),
        ("file.hasProperty(\"year\") && !file.hasProperty(\"nope\")", "true"),
        ("file.hasTag(\"book\")", "true"),
        ("file.hasTag(\"author\", \"scifi\")", "true"),
        ("this.file.hasTag(\"author\")", "true"),
        ("file.hasTag(\"boo\")", "false"),
        ("file.inFolder(\"Books\")", "true"),
        ("file.inFolder(\"Book\")", "false"),
        ("this.file.folder", "/"),
        ("this.file.name", "Frank Herbert.md"),
        // Object.
        ("{}.isEmpty()", "true"),
        ("details.keys()", "pages"),
        ("details.values()", "412"),
        ("details.pages", "412"),
        ("note[\"details\"][\"pages\"]", "412"),
        ("{\"a\": 1, \"b\": 2}.values()", "1, 2"),
        // Regular expression.
        ("/abc/.matches(\"abcde\")", "true"),
        ("/^x/i.matches(\"Xyz\")", "true"),
        // Properties, formulas, comparisons.
        ("note.year == year && note.read", "true"),
        ("formula.ppu", "4.75"),
        ("formula.twice", "9.5"),
        ("author == this", "true"),
        ("list(author).contains(this)", "true"),
        ("status != \"done\"", "true"),
        ("year >= 1965 && year < 1966 && !(year > 2000)", "true"),
        ("\"a\" < \"b\" || false", "true"),
    ];

    #[test]
    fn every_function_gives_what_the_documentation_says() {
        with_env(|env, row| {
            let mut wrong = Vec::new();
            for (src, want) in CASES {
                let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
                let got = env.eval(&e, row, &[]).text();
                if got != *want {
                    wrong.push(format!("{src} → {got:?}, want {want:?}"));
                }
            }
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        });
    }

    #[test]
    fn every_implemented_name_has_a_case() {
        let mut called = Vec::new();
        for (src, _) in CASES {
            super::super::expr::calls(&parse(src).unwrap(), &mut called);
        }
        for name in FUNCTIONS.iter().chain(METHODS) {
            assert!(
                called.iter().any(|(n, _)| n == name),
                "no case calls {name}()"
            );
        }
    }

    #[test]
    fn errors_stay_in_their_cell() {
        with_env(|env, row| {
            for src in [
                "formula.loop",
                "nothing()",
                "\"x\".nope()",
                "number(\"abc\")",
                "date(\"yesterday\")",
                "formula.unknown",
                "file.nonsense",
            ] {
                let v = env.eval(&parse(src).unwrap(), row, &[]);
                assert!(matches!(v, Value::Error(_)), "{src}: {v:?}");
            }
            // An error does not make a filter true.
            assert!(!env.eval(&parse("nothing()").unwrap(), row, &[]).truthy());
        });
    }
}
