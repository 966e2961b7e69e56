//! Folding the values every page of a build shares into the templates.
//!
//! `site` and `t` (the site's settings and the theme's words) are the same on
//! every page, yet Tera looks each `{{ t.home }}` up anew on every page, and a
//! dotted look-up is the dearest thing it does (it splits and copies the
//! path). Before a build draws its pages, each plain `t.word` or `site.field`
//! of the templates becomes the text it stands for, once; the values stay in
//! the pages' context only if a template still reads them some other way
//! (`t[name]`, a loop over `t`). A name the templates bind themselves (`{% set
//! t = … %}`, a loop or macro variable) is never folded, and neither are
//! macro bodies, which see only their arguments.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::Tera;

/// What a template's expression can read of the shared values.
struct Folder<'a> {
    /// The shared values that may be folded, by name (`t`, `site`).
    values: &'a BTreeMap<String, Value>,
    /// Whether the template being folded escapes what it prints.
    escape: bool,
}

/// Folds `values` into every template of `tera`, and returns the names of the
/// values that some template still reads otherwise.
pub(super) fn fold(tera: &mut Tera, values: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let mut bound = BTreeSet::new();
    for tpl in tera.templates.values() {
        bound_names(&tpl.ast, &mut bound);
        for m in tpl.macros.values() {
            bound.extend(m.args.keys().cloned());
            bound_names(&m.body, &mut bound);
        }
    }
    let foldable: BTreeMap<String, Value> = values
        .iter()
        .filter(|(k, _)| !bound.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let suffixes = tera.autoescape_suffixes.clone();
    for (name, tpl) in tera.templates.iter_mut() {
        let f = Folder {
            values: &foldable,
            escape: suffixes.iter().any(|s| name.ends_with(s)),
        };
        f.nodes(&mut tpl.ast);
        for b in tpl.blocks.values_mut() {
            f.nodes(&mut b.body);
        }
        for defs in tpl.blocks_definitions.values_mut() {
            for (_, b) in defs.iter_mut() {
                f.nodes(&mut b.body);
            }
        }
    }
    let mut read = BTreeSet::new();
    for tpl in tera.templates.values() {
        let mut idents = Vec::new();
        node_idents(&tpl.ast, &mut idents);
        for defs in tpl.blocks_definitions.values() {
            for (_, b) in defs {
                node_idents(&b.body, &mut idents);
            }
        }
        for m in tpl.macros.values() {
            node_idents(&m.body, &mut idents);
            for e in m.args.values().flatten() {
                expr_idents(e, &mut idents);
            }
        }
        read.extend(
            idents
                .iter()
                .map(|i| root(i))
                .filter(|r| values.contains_key(*r))
                .map(str::to_string),
        );
    }
    read
}

/// The first name of a path (`t` of `t.home`, of `t["home"]`).
fn root(ident: &str) -> &str {
    let end = ident.find(['.', '[']).unwrap_or(ident.len());
    &ident[..end]
}

impl Folder<'_> {
    /// The value a plain path stands for (`t.home`), if it can be folded.
    fn value(&self, ident: &str) -> Option<&Value> {
        let ok =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        match ident.split_once('.') {
            Some((root, field)) if ok(root) && ok(field) => self.values.get(root)?.get(field),
            // A plain value by itself (`root`), not a map.
            None => self.values.get(ident).filter(|v| !v.is_object()),
            Some(_) => None,
        }
    }

    fn nodes(&self, nodes: &mut [Node]) {
        for n in nodes.iter_mut() {
            if let Node::VariableBlock(_, e) = n {
                // A plain `{{ t.home }}` becomes its text.
                if let (ExprVal::Ident(i), false, true) = (&e.val, e.negated, e.filters.is_empty())
                {
                    if let Some(Value::String(s)) = self.value(i) {
                        let text = if self.escape {
                            crate::html::escape(s)
                        } else {
                            s.clone()
                        };
                        *n = Node::Text(text);
                        continue;
                    }
                }
            }
            self.node(n);
        }
    }

    fn node(&self, n: &mut Node) {
        match n {
            Node::VariableBlock(_, e) => self.expr(e, false),
            Node::Set(_, s) => self.expr(&mut s.value, false),
            Node::FilterSection(_, s, _) => {
                self.call(&mut s.filter);
                self.nodes(&mut s.body);
            }
            Node::Block(_, b, _) => self.nodes(&mut b.body),
            Node::Forloop(_, f, _) => {
                self.expr(&mut f.container, false);
                self.nodes(&mut f.body);
                if let Some(b) = &mut f.empty_body {
                    self.nodes(b);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &mut i.conditions {
                    self.expr(cond, true);
                    self.nodes(body);
                }
                if let Some((_, body)) = &mut i.otherwise {
                    self.nodes(body);
                }
            }
            // Macro bodies see only their arguments; the rest reads nothing.
            _ => {}
        }
    }

    fn call(&self, c: &mut FunctionCall) {
        for a in c.args.values_mut() {
            self.expr(a, false);
        }
    }

    /// Folds an expression; `test` when only its truth is read (a condition,
    /// a side of `and`/`or`), where an unset value may fold to `false`.
    fn expr(&self, e: &mut Expr, test: bool) {
        let plain = e.filters.is_empty();
        for f in &mut e.filters {
            self.call(f);
        }
        match &mut e.val {
            ExprVal::Ident(i) => match self.value(i) {
                Some(Value::String(s)) => e.val = ExprVal::String(s.clone()),
                Some(Value::Bool(b)) => e.val = ExprVal::Bool(*b),
                Some(Value::Null) if test && plain => e.val = ExprVal::Bool(false),
                _ => {}
            },
            ExprVal::Math(m) => {
                self.expr(&mut m.lhs, false);
                self.expr(&mut m.rhs, false);
            }
            ExprVal::Logic(l) => {
                let both = matches!(
                    l.operator,
                    tera::ast::LogicOperator::And | tera::ast::LogicOperator::Or
                );
                self.expr(&mut l.lhs, test && both);
                self.expr(&mut l.rhs, test && both);
            }
            ExprVal::Test(t) => {
                for a in &mut t.args {
                    self.expr(a, false);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values_mut() {
                    self.expr(a, false);
                }
            }
            ExprVal::FunctionCall(c) => self.call(c),
            ExprVal::Array(items) => {
                for a in items {
                    self.expr(a, false);
                }
            }
            ExprVal::In(i) => {
                self.expr(&mut i.lhs, false);
                self.expr(&mut i.rhs, false);
            }
            // A concatenation is left as written (Tera does not escape it).
            ExprVal::StringConcat(_)
            | ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_) => {}
        }
    }
}

/// Names the templates bind: `set` keys and loop variables.
fn bound_names(nodes: &[Node], out: &mut BTreeSet<String>) {
    for n in nodes {
        match n {
            Node::Set(_, s) => {
                out.insert(s.key.clone());
            }
            Node::Forloop(_, f, _) => {
                out.insert(f.value.clone());
                out.extend(f.key.clone());
                bound_names(&f.body, out);
                if let Some(b) = &f.empty_body {
                    bound_names(b, out);
                }
            }
            Node::Block(_, b, _) => bound_names(&b.body, out),
            Node::FilterSection(_, s, _) => bound_names(&s.body, out),
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    bound_names(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    bound_names(body, out);
                }
            }
            Node::MacroDefinition(_, m, _) => {
                out.extend(m.args.keys().cloned());
                bound_names(&m.body, out);
            }
            _ => {}
        }
    }
}

/// Every path the nodes read.
fn node_idents(nodes: &[Node], out: &mut Vec<String>) {
    for n in nodes {
        match n {
            Node::VariableBlock(_, e) => expr_idents(e, out),
            Node::Set(_, s) => expr_idents(&s.value, out),
            Node::FilterSection(_, s, _) => {
                call_idents(&s.filter, out);
                node_idents(&s.body, out);
            }
            Node::Block(_, b, _) => node_idents(&b.body, out),
            Node::Forloop(_, f, _) => {
                expr_idents(&f.container, out);
                node_idents(&f.body, out);
                if let Some(b) = &f.empty_body {
                    node_idents(b, out);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    expr_idents(cond, out);
                    node_idents(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    node_idents(body, out);
                }
            }
            Node::MacroDefinition(_, m, _) => {
                node_idents(&m.body, out);
                for e in m.args.values().flatten() {
                    expr_idents(e, out);
                }
            }
            _ => {}
        }
    }
}

fn call_idents(c: &FunctionCall, out: &mut Vec<String>) {
    for a in c.args.values() {
        expr_idents(a, out);
    }
}

fn expr_idents(e: &Expr, out: &mut Vec<String>) {
    for f in &e.filters {
        call_idents(f, out);
    }
    match &e.val {
        ExprVal::Ident(i) => out.push(i.clone()),
        ExprVal::Math(m) => {
            expr_idents(&m.lhs, out);
            expr_idents(&m.rhs, out);
        }
        ExprVal::Logic(l) => {
            expr_idents(&l.lhs, out);
            expr_idents(&l.rhs, out);
        }
        ExprVal::Test(t) => {
            out.push(t.ident.clone());
            for a in &t.args {
                expr_idents(a, out);
            }
        }
        ExprVal::MacroCall(m) => {
            for a in m.args.values() {
                expr_idents(a, out);
            }
        }
        ExprVal::FunctionCall(c) => call_idents(c, out),
        ExprVal::Array(items) => {
            for a in items {
                expr_idents(a, out);
            }
        }
        ExprVal::StringConcat(c) => {
            for v in &c.values {
                if let ExprVal::Ident(i) = v {
                    out.push(i.clone());
                }
            }
        }
        ExprVal::In(i) => {
            expr_idents(&i.lhs, out);
            expr_idents(&i.rhs, out);
        }
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::templates::{Shared, Theme};

    /// Each template drawn with the values folded in and drawn the plain way
    /// (the values in its context), with which values the pages still carry.
    fn both(templates: &[(&str, &str)]) -> Vec<(String, String, bool)> {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&t).unwrap();
        for (name, src) in templates {
            std::fs::write(t.join(name), src).unwrap();
        }
        let theme = Theme::load(dir.path(), "default").unwrap();
        let words = serde_json::json!({"home": "Accueil & co", "tags": "Étiquettes"});
        let site = serde_json::json!({"title": "Base « ISO »", "base_url": null});
        let shared = Shared::default().with("t", &words).with("site", &site);
        let pages = theme.pages(&shared, &Shared::default());
        let ctx = serde_json::json!({"page": {"kind": "note", "tags": ["a", "b"]}, "t": words, "site": site});
        templates
            .iter()
            .map(|(name, _)| {
                let folded = pages.render(name, &ctx, name).unwrap();
                let plain = theme.render_bytes(name, &ctx, name).unwrap();
                (
                    String::from_utf8(folded).unwrap(),
                    String::from_utf8(plain).unwrap(),
                    pages.shared.is_some(),
                )
            })
            .collect()
    }

    #[test]
    fn folded_templates_draw_what_they_drew() {
        let cases: &[(&str, &str, &str, bool)] = &[
            // Printed, escaped, in a filter, a concatenation, a condition,
            // a macro argument; an unset value in a condition.
            (
                "a.html",
                "{% import \"m.html\" as m %}{{ t.home }}|{{ t.tags | upper }}|{{ t.home ~ \"!\" }}|{% if t.home and page.kind == \"note\" %}y{% endif %}|{{ m::w(x=t.tags) }}|{% if site.base_url %}u{% else %}n{% endif %}|{{ site.title }}",
                "Accueil &amp; co|ÉTIQUETTES|Accueil & co!|y|Étiquettes|n|Base « ISO »",
                // The concatenation still reads `t`.
                true,
            ),
            ("m.html", "{% macro w(x) %}{{ x }}{% endmacro %}", "", true),
            (
                "b.html",
                "{{ t.home }}{% if site.base_url %}u{% endif %}",
                "Accueil &amp; co",
                true,
            ),
        ];
        let templates: Vec<(&str, &str)> = cases.iter().map(|c| (c.0, c.1)).collect();
        for ((folded, plain, kept), case) in both(&templates).into_iter().zip(cases) {
            assert_eq!(folded, plain, "{}", case.0);
            assert_eq!(folded, case.2, "{}", case.0);
            assert_eq!(kept, case.3, "{}", case.0);
        }
    }

    #[test]
    fn values_read_otherwise_stay_and_bound_names_are_not_folded() {
        // `t` read by subscript: still in the context.
        let r = both(&[("a.html", "{{ t.home }} {{ t[\"tags\"] }}")]);
        assert_eq!(r[0].0, "Accueil &amp; co Étiquettes");
        assert_eq!(r[0].0, r[0].1);
        assert!(r[0].2);
        // A loop variable named `t` hides the words inside the loop: nothing
        // named `t` is folded, and the words stay in the context.
        let src = "{% for t in page.tags %}{{ t }}{% endfor %} {{ t.home }}";
        let r = both(&[("a.html", src)]);
        assert_eq!(r[0].0, "ab Accueil &amp; co");
        assert_eq!(r[0].0, r[0].1);
        assert!(r[0].2);
    }
}

#[cfg(test)]
mod default_theme {
    use crate::templates::{Shared, Theme};

    #[test]
    fn the_default_theme_reads_the_words_and_site_only_folded() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        for base in [Some("https://example.org/kb/"), None] {
            let site = serde_json::json!({"title": "T", "description": "", "lang": "fr", "base_url": base, "custom_callouts": false, "locale": "fr_FR"});
            let shared = Shared::default()
                .with("site", &site)
                .with("t", crate::i18n::Language::built_in("fr").unwrap().words());
            let pages = theme.pages(&shared, &Shared::default());
            let kept: Vec<String> = pages
                .shared
                .map(|c| c.into_json().as_object().unwrap().keys().cloned().collect())
                .unwrap_or_default();
            assert_eq!(
                kept,
                if base.is_some() {
                    vec![]
                } else {
                    vec!["site".to_string()]
                }
            );
        }
    }
}
