//! The Bases expression language: a lexer and a Pratt parser from the text
//! of a filter, a formula or a summary to an [`Expr`].
//!
//! The grammar is Obsidian's (Help › Bases syntax, Functions): literals
//! (numbers, `'…'` / `"…"` strings, `true`, `false`, `null`, `[lists]`,
//! `{objects}`, `/regular expressions/flags`), names, `a.b` fields,
//! `a[b]` indexing, `f(x)` global calls, `a.f(x)` methods, unary `!` and `-`,
//! and the binary operators `* / %`, `+ -`, `< <= > >=`, `== !=`, `&&`,
//! `||`, from the tightest to the loosest. Nothing is evaluated here.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A quoted string.
    Str(String),
    /// `/pattern/flags`.
    Regex(String, String),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{"a": 1}`.
    Object(Vec<(String, Expr)>),
    /// A bare name: a note property, or `file`, `note`, `formula`, `this`,
    /// and inside list methods `value`, `index`, `acc`; `values` in summaries.
    Name(String),
    /// `a.b`.
    Field(Box<Expr>, String),
    /// `a[b]`.
    Index(Box<Expr>, Box<Expr>),
    /// `f(x, y)`: a global function.
    Call(String, Vec<Expr>),
    /// `a.f(x, y)`: a method of a value.
    Method(Box<Expr>, String, Vec<Expr>),
    /// `!a`, `-a`.
    Unary(char, Box<Expr>),
    /// `a op b`.
    Binary(Op, Box<Expr>, Box<Expr>),
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Rem,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `&&`.
    And,
    /// `||`.
    Or,
}

impl Op {
    fn binding(self) -> u8 {
        match self {
            Op::Or => 1,
            Op::And => 2,
            Op::Eq | Op::Ne => 3,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => 4,
            Op::Add | Op::Sub => 5,
            Op::Mul | Op::Div | Op::Rem => 6,
        }
    }
}

/// A syntax error: what is wrong, and the byte offset where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, in a few words.
    pub message: String,
    /// Byte offset in the expression.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String, String),
    Name(String),
    Punct(&'static str),
    End,
}

const PUNCTS: [&str; 22] = [
    "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", "{", "}", ",", ".", ":", "!", "+", "-",
    "*", "/", "%", "<",
];

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        message: message.into(),
        offset,
    })
}

/// Splits an expression into tokens with their offsets. A `/` where an
/// operand is expected opens a regular expression.
fn lex(src: &str) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let b = src.as_bytes();
    let mut out: Vec<(Tok, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let operand_expected = match out.last() {
            None => true,
            Some((Tok::Punct(p), _)) => !matches!(*p, ")" | "]" | "}"),
            _ => false,
        };
        let start = i;
        if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let n = src[start..i].parse().map_err(|_| SyntaxError {
                message: "invalid number".into(),
                offset: start,
            })?;
            out.push((Tok::Num(n), start));
        } else if c == b'"' || c == b'\'' {
            let (s, end) = string(src, i)?;
            out.push((Tok::Str(s), start));
            i = end;
        } else if c == b'/' && operand_expected {
            let (pattern, end) = regex(src, i)?;
            i = end;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push((Tok::Regex(pattern, src[end..i].to_string()), start));
        } else if c == b'_'
            || c == b'$'
            || c.is_ascii_alphabetic()
            || (c >= 0x80 && src[i..].chars().next().is_some_and(char::is_alphabetic))
        {
            let rest = &src[i..];
            let len = rest
                .char_indices()
                .find(|&(_, ch)| !(ch == '_' || ch == '$' || ch.is_alphanumeric()))
                .map_or(rest.len(), |(j, _)| j);
            out.push((Tok::Name(rest[..len].to_string()), start));
            i += len;
        } else {
            let rest = &src[i..];
            let Some(p) = PUNCTS.iter().chain(&[">"]).find(|p| rest.starts_with(**p)) else {
                let ch = rest.chars().next().unwrap_or(' ');
                return err(format!("unexpected `{ch}`"), start);
            };
            out.push((Tok::Punct(p), start));
            i += p.len();
        }
    }
    out.push((Tok::End, src.len()));
    Ok(out)
}

/// A quoted string starting at `i`: its value and the offset after it.
fn string(src: &str, i: usize) -> Result<(String, usize), SyntaxError> {
    let quote = src.as_bytes()[i] as char;
    let mut s = String::new();
    let mut chars = src[i + 1..].char_indices();
    while let Some((j, ch)) = chars.next() {
        match ch {
            '\\' => match chars.next() {
                Some((_, 'n')) => s.push('\n'),
                Some((_, 't')) => s.push('\t'),
                Some((_, other)) => s.push(other),
                None => break,
            },
            c if c == quote => return Ok((s, i + 1 + j + 1)),
            c => s.push(c),
        }
    }
    err(format!("the string opened by {quote} is never closed"), i)
}

/// A regular expression literal starting at `i` (its `/`): the pattern and
/// the offset after the closing `/`.
fn regex(src: &str, i: usize) -> Result<(String, usize), SyntaxError> {
    let mut s = String::new();
    let mut chars = src[i + 1..].char_indices();
    let mut class = false;
    while let Some((j, ch)) = chars.next() {
        match ch {
            '\\' => {
                s.push('\\');
                if let Some((_, n)) = chars.next() {
                    s.push(n);
                }
            }
            '[' => {
                class = true;
                s.push(ch);
            }
            ']' => {
                class = false;
                s.push(ch);
            }
            '/' if !class => return Ok((s, i + 1 + j + 1)),
            c => s.push(c),
        }
    }
    err("the regular expression opened by / is never closed", i)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// How deep the parse is: nesting stops at [`MAX_DEPTH`].
    depth: usize,
    /// Operators, fields, indexes and methods read so far: at most
    /// [`MAX_CHAIN`], so that no chain (`a + a + …`, `a.b.b…`) makes a tree
    /// too deep to evaluate or drop.
    chained: usize,
}

/// The most operators, fields, indexes and method calls an expression may chain.
pub const MAX_CHAIN: usize = 500;

/// The deepest nesting an expression may have (parentheses, operators,
/// calls): deeper is an error, never an overflow of the stack.
pub const MAX_DEPTH: usize = 200;

/// Parses one expression.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
        chained: 0,
    };
    if p.peek() == &Tok::End {
        return err("empty expression", 0);
    }
    let e = p.expr(0)?;
    match p.peek() {
        Tok::End => Ok(e),
        t => err(format!("unexpected {}", describe(t)), p.offset()),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(_) => "string".into(),
        Tok::Regex(..) => "regular expression".into(),
        Tok::Name(n) => format!("`{n}`"),
        Tok::Punct(p) => format!("`{p}`"),
        Tok::End => "end of the expression".into(),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn offset(&self) -> usize {
        self.toks[self.pos].1
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Tok::Punct(q) if *q == p) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), SyntaxError> {
        if self.eat(p) {
            Ok(())
        } else {
            err(
                format!("expected `{p}`, found {}", describe(self.peek())),
                self.offset(),
            )
        }
    }

    fn binary_op(&self) -> Option<Op> {
        let Tok::Punct(p) = self.peek() else {
            return None;
        };
        Some(match *p {
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "%" => Op::Rem,
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "&&" => Op::And,
            "||" => Op::Or,
            _ => return None,
        })
    }

    fn expr(&mut self, min: u8) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err("the expression nests too deeply", self.offset());
        }
        let e = self.binary(min);
        self.depth -= 1;
        e
    }

    fn chain(&mut self) -> Result<(), SyntaxError> {
        self.chained += 1;
        if self.chained > MAX_CHAIN {
            return err("the expression is too long", self.offset());
        }
        Ok(())
    }

    fn binary(&mut self, min: u8) -> Result<Expr, SyntaxError> {
        let mut left = self.unary()?;
        while let Some(op) = self.binary_op() {
            if op.binding() <= min {
                break;
            }
            self.chain()?;
            self.next();
            let right = self.expr(op.binding())?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        for op in ['!', '-'] {
            if self.eat(if op == '!' { "!" } else { "-" }) {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return err("the expression nests too deeply", self.offset());
                }
                let e = self.unary();
                self.depth -= 1;
                let e = e?;
                return Ok(match (op, e) {
                    ('-', Expr::Num(n)) => Expr::Num(-n),
                    (op, e) => Expr::Unary(op, Box::new(e)),
                });
            }
        }
        let atom = self.atom()?;
        self.postfix(atom)
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr, SyntaxError> {
        loop {
            if matches!(self.peek(), Tok::Punct("." | "[")) {
                self.chain()?;
            }
            if self.eat(".") {
                let at = self.offset();
                let Tok::Name(name) = self.next() else {
                    return err("expected a name after `.`", at);
                };
                e = if self.eat("(") {
                    Expr::Method(Box::new(e), name, self.args(")")?)
                } else {
                    Expr::Field(Box::new(e), name)
                };
            } else if self.eat("[") {
                let i = self.expr(0)?;
                self.expect("]")?;
                e = Expr::Index(Box::new(e), Box::new(i));
            } else {
                return Ok(e);
            }
        }
    }

    /// Comma-separated expressions up to `close` (already past the opener).
    fn args(&mut self, close: &str) -> Result<Vec<Expr>, SyntaxError> {
        let mut args = Vec::new();
        if self.eat(close) {
            return Ok(args);
        }
        loop {
            args.push(self.expr(0)?);
            if self.eat(close) {
                return Ok(args);
            }
            self.expect(",")?;
            // A trailing comma.
            if self.eat(close) {
                return Ok(args);
            }
        }
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.offset();
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(p, f) => Ok(Expr::Regex(p, f)),
            Tok::Name(n) => Ok(match n.as_str() {
                "true" => Expr::Bool(true),
                "false" => Expr::Bool(false),
                "null" => Expr::Null,
                _ if self.eat("(") => Expr::Call(n, self.args(")")?),
                _ => Expr::Name(n),
            }),
            Tok::Punct("(") => {
                let e = self.expr(0)?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Punct("[") => Ok(Expr::List(self.args("]")?)),
            Tok::Punct("{") => self.object(),
            t => err(format!("unexpected {}", describe(&t)), at),
        }
    }

    fn object(&mut self) -> Result<Expr, SyntaxError> {
        let mut fields = Vec::new();
        if self.eat("}") {
            return Ok(Expr::Object(fields));
        }
        loop {
            let at = self.offset();
            let key = match self.next() {
                Tok::Str(s) | Tok::Name(s) => s,
                t => return err(format!("expected a key, found {}", describe(&t)), at),
            };
            self.expect(":")?;
            fields.push((key, self.expr(0)?));
            if self.eat("}") {
                return Ok(Expr::Object(fields));
            }
            self.expect(",")?;
        }
    }
}

impl Expr {
    /// Calls `f` on each expression directly inside this one.
    pub fn each_child(&self, mut f: impl FnMut(&Expr)) {
        match self {
            Expr::List(items) | Expr::Call(_, items) => items.iter().for_each(f),
            Expr::Object(fields) => fields.iter().for_each(|(_, v)| f(v)),
            Expr::Field(a, _) | Expr::Unary(_, a) => f(a),
            Expr::Index(a, b) | Expr::Binary(_, a, b) => {
                f(a);
                f(b);
            }
            Expr::Method(recv, _, args) => {
                f(recv);
                args.iter().for_each(f);
            }
            Expr::Null
            | Expr::Bool(_)
            | Expr::Num(_)
            | Expr::Str(_)
            | Expr::Regex(..)
            | Expr::Name(_) => {}
        }
    }
}

/// Every function and method name an expression calls, with whether it is
/// a method (`a.f()`) or a global function (`f()`), to check them against
/// what is implemented before anything runs.
pub fn calls(e: &Expr, out: &mut Vec<(String, bool)>) {
    match e {
        Expr::Call(name, _) => out.push((name.clone(), false)),
        Expr::Method(_, name, _) => out.push((name.clone(), true)),
        _ => {}
    }
    e.each_child(|c| calls(c, out));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn name(s: &str) -> Box<Expr> {
        Box::new(Expr::Name(s.into()))
    }

    #[test]
    fn precedence_follows_javascript() {
        assert_eq!(
            p("a + b * 2 > 3 && !c || d"),
            Expr::Binary(
                Op::Or,
                Box::new(Expr::Binary(
                    Op::And,
                    Box::new(Expr::Binary(
                        Op::Gt,
                        Box::new(Expr::Binary(
                            Op::Add,
                            name("a"),
                            Box::new(Expr::Binary(Op::Mul, name("b"), Box::new(Expr::Num(2.0))))
                        )),
                        Box::new(Expr::Num(3.0))
                    )),
                    Box::new(Expr::Unary('!', name("c")))
                )),
                name("d")
            )
        );
        // Left to right at one level.
        assert_eq!(
            p("a - b - c"),
            Expr::Binary(
                Op::Sub,
                Box::new(Expr::Binary(Op::Sub, name("a"), name("b"))),
                name("c")
            )
        );
    }

    #[test]
    fn fields_methods_calls_and_indexes_chain() {
        assert_eq!(
            p("file.hasTag(\"book\", 'x')"),
            Expr::Method(
                name("file"),
                "hasTag".into(),
                vec![Expr::Str("book".into()), Expr::Str("x".into())]
            )
        );
        assert_eq!(
            p("note[\"my prop\"][0].length"),
            Expr::Field(
                Box::new(Expr::Index(
                    Box::new(Expr::Index(
                        name("note"),
                        Box::new(Expr::Str("my prop".into()))
                    )),
                    Box::new(Expr::Num(0.0))
                )),
                "length".into()
            )
        );
        assert_eq!(
            p("if(price, price.toFixed(2) + \" dollars\")"),
            Expr::Call(
                "if".into(),
                vec![
                    Expr::Name("price".into()),
                    Expr::Binary(
                        Op::Add,
                        Box::new(Expr::Method(
                            name("price"),
                            "toFixed".into(),
                            vec![Expr::Num(2.0)]
                        )),
                        Box::new(Expr::Str(" dollars".into()))
                    )
                ]
            )
        );
        // A number's method: the dot is not a decimal point.
        assert_eq!(
            p("5.isEmpty()"),
            Expr::Method(Box::new(Expr::Num(5.0)), "isEmpty".into(), vec![])
        );
        assert_eq!(
            p("(2.5).round()"),
            Expr::Method(Box::new(Expr::Num(2.5)), "round".into(), vec![])
        );
        assert_eq!(p("-5"), Expr::Num(-5.0));
    }

    #[test]
    fn literals_lists_objects_and_regexes() {
        assert_eq!(
            p("[1, \"a\", true, null]"),
            Expr::List(vec![
                Expr::Num(1.0),
                Expr::Str("a".into()),
                Expr::Bool(true),
                Expr::Null
            ])
        );
        assert_eq!(
            p("{\"a\": 1, b: 'é'}"),
            Expr::Object(vec![
                ("a".into(), Expr::Num(1.0)),
                ("b".into(), Expr::Str("é".into()))
            ])
        );
        assert_eq!(
            p("\"a:b\".replace(/:/g, \"-\")"),
            Expr::Method(
                Box::new(Expr::Str("a:b".into())),
                "replace".into(),
                vec![Expr::Regex(":".into(), "g".into()), Expr::Str("-".into())]
            )
        );
        // After an operand, `/` divides.
        assert_eq!(
            p("(price / age)"),
            Expr::Binary(Op::Div, name("price"), name("age"))
        );
        assert_eq!(p("'it\\'s'"), Expr::Str("it's".into()));
        assert_eq!(p("é"), Expr::Name("é".into()));
        // A character that is no letter is an error, not an endless name.
        assert_eq!(parse("\u{feff}a").unwrap_err().offset, 0);
        assert!(parse("a \u{a0} b").is_err());
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse("price >").unwrap_err();
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("end of the expression"), "{e:?}");
        assert_eq!(parse("a @ b").unwrap_err().offset, 2);
        assert_eq!(parse("\"open").unwrap_err().offset, 0);
        assert!(parse("f(a b)")
            .unwrap_err()
            .message
            .contains("expected `,`"));
        assert!(parse("").is_err());
        assert!(parse("a.").is_err());
        assert!(parse("{1: 2}").is_err());
        // Deep nesting is an error, not a stack overflow.
        for deep in [
            "(".repeat(100_000),
            "!".repeat(100_000) + "a",
            "-".repeat(100_000) + "1",
            "[".repeat(100_000),
            "f(".repeat(100_000),
            "a".to_string() + &".b".repeat(100_000),
            "a".to_string() + &"[0]".repeat(100_000),
            "a".to_string() + &" + a".repeat(100_000),
        ] {
            assert!(parse(&deep).is_err());
        }
        assert!(parse(&("(".repeat(300) + "1" + &")".repeat(300))).is_err());
        assert!(parse(&("(".repeat(150) + "1" + &")".repeat(150))).is_ok());
    }

    #[test]
    fn calls_are_listed() {
        let mut out = Vec::new();
        calls(&p("if(a, b.foo(c.bar()), list(x))"), &mut out);
        assert_eq!(
            out,
            vec![
                ("if".to_string(), false),
                ("foo".to_string(), true),
                ("bar".to_string(), true),
                ("list".to_string(), false),
            ]
        );
    }
}
