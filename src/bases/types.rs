//! The types a base relies on: a property compared with a number, given
//! to a number method or used in arithmetic is a number; one compared with
//! a date or read as one (`.year`, `.format()`) is a date; one given to a
//! text method is text; one given to a list method is a list. `isokb check`
//! (`property-type`) expects these types where `.obsidian/types.json` says
//! nothing.

use super::expr::{Expr, Op};

/// What a base does with a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// Compared with a number, counted with, rounded.
    Number,
    /// Compared with a date, read as one.
    Date,
    /// Read as text.
    Text,
    /// Read as a list.
    List,
}

/// The property an expression reads directly (`price`, `note.price`,
/// `note["price"]`), if any.
fn property(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n)
            if !matches!(
                n.as_str(),
                "file" | "this" | "note" | "formula" | "value" | "index" | "acc" | "values"
            ) =>
        {
            Some(n)
        }
        Expr::Field(obj, n) if matches!(&**obj, Expr::Name(o) if o == "note") => Some(n),
        Expr::Index(obj, key) if matches!(&**obj, Expr::Name(o) if o == "note") => match &**key {
            Expr::Str(k) => Some(k),
            _ => None,
        },
        _ => None,
    }
}

/// What kind of value an expression surely is.
fn kind(e: &Expr) -> Option<Use> {
    match e {
        Expr::Num(_) => Some(Use::Number),
        Expr::Call(f, _) if matches!(f.as_str(), "date" | "now" | "today") => Some(Use::Date),
        Expr::Binary(Op::Add | Op::Sub, a, _) if kind(a) == Some(Use::Date) => Some(Use::Date),
        _ => None,
    }
}

fn method_use(name: &str) -> Option<Use> {
    Some(match name {
        "abs" | "ceil" | "floor" | "round" | "toFixed" => Use::Number,
        "format" | "relative" | "time" | "date" => Use::Date,
        "lower" | "upper" | "title" | "trim" | "startsWith" | "endsWith" | "repeat" | "split"
        | "replace" => Use::Text,
        "join" | "filter" | "map" | "reduce" | "flat" | "unique" | "sort" => Use::List,
        _ => return None,
    })
}

/// Every (property, use) an expression shows.
pub fn uses(e: &Expr, out: &mut Vec<(String, Use)>) {
    let mut add = |p: Option<&str>, u: Use| {
        if let Some(p) = p {
            out.push((p.to_string(), u));
        }
    };
    match e {
        Expr::Binary(op, a, b) => {
            let comparing = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne);
            let counting = matches!(op, Op::Mul | Op::Div | Op::Rem);
            for (x, y) in [(a, b), (b, a)] {
                match kind(y) {
                    Some(u) if comparing => add(property(x), u),
                    Some(Use::Number) if !matches!(op, Op::And | Op::Or) => {
                        add(property(x), Use::Number)
                    }
                    _ if counting => add(property(x), Use::Number),
                    _ => {}
                }
            }
        }
        Expr::Method(recv, name, _) => {
            if let Some(u) = method_use(name) {
                add(property(recv), u);
            }
        }
        Expr::Field(obj, name)
            if matches!(
                name.as_str(),
                "year" | "month" | "day" | "hour" | "minute" | "second"
            ) =>
        {
            add(property(obj), Use::Date);
        }
        _ => {}
    }
    e.each_child(|c| uses(c, out));
}

/// Every (property, use) of a base's filters, formulas and summaries.
pub fn of_base(src: &str) -> Vec<(String, Use)> {
    use super::file::Filter;
    fn filter(f: &Filter, out: &mut Vec<(String, Use)>) {
        match f {
            Filter::Expr(Ok(e)) => uses(e, out),
            Filter::Expr(Err(_)) => {}
            Filter::And(items) | Filter::Or(items) | Filter::Not(items) => {
                items.iter().for_each(|i| filter(i, out))
            }
        }
    }
    let mut out = Vec::new();
    let Some(base) = super::file::read(src).0 else {
        return out;
    };
    if let Some(f) = &base.filters {
        filter(f, &mut out);
    }
    for v in &base.views {
        if let Some(f) = &v.filters {
            filter(f, &mut out);
        }
    }
    for (_, e) in &base.formulas.list {
        if let Ok(e) = e {
            uses(e, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_are_read_from_comparisons_arithmetic_and_methods() {
        let src = "filters:\n  and:\n    - 'price > 2'\n    - 'note.published < now() - \"7d\"'\n    - 'note[\"x y\"] == 3'\nformulas:\n  a: 'qty * 2'\n  b: 'status.lower()'\n  c: 'genres.join(\", \")'\n  d: 'started.year'\n  e: 'file.size > 10'\n  f: 'label == \"x\"'\n";
        assert_eq!(
            of_base(src),
            vec![
                ("genres".to_string(), Use::List),
                ("price".to_string(), Use::Number),
                ("published".to_string(), Use::Date),
                ("qty".to_string(), Use::Number),
                ("started".to_string(), Use::Date),
                ("status".to_string(), Use::Text),
                ("x y".to_string(), Use::Number),
            ]
        );
    }
}
