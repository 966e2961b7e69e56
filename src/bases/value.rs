//! The values of the Bases language and how they behave as JavaScript's
//! do (Help › Bases › Functions: "Bases functions follow JavaScript
//! behavior"): truthiness, equality, order, text, and date arithmetic with
//! durations.

use chrono::{Datelike, Duration as Span, Months, NaiveDate, NaiveDateTime, Timelike};
use std::cmp::Ordering;

/// A file a value can stand for: a note (a Markdown note or a `.base` file)
/// or an attachment, by its number in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Row {
    /// A note.
    Note(usize),
    /// An attachment.
    File(usize),
}

/// A link: what was written, how it reads, and the file it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The target as written (`Books`, `https://…`).
    pub target: String,
    /// The text to show instead of the target.
    pub display: Option<Value>,
    /// The file it resolves to, when there is one on the site.
    pub to: Option<Row>,
}

/// A length of time: calendar months and a fixed number of milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Duration {
    /// Calendar months (years are twelve).
    pub months: i64,
    /// Milliseconds (weeks, days, hours, minutes, seconds).
    pub ms: i64,
}

/// A compiled regular expression, equal to another with the same source.
#[derive(Debug, Clone)]
pub struct Re(pub regex::Regex);

impl PartialEq for Re {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl std::ops::Deref for Re {
    type Target = regex::Regex;
    fn deref(&self) -> &regex::Regex {
        &self.0
    }
}

/// A value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing: a missing property, `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// Text.
    Str(String),
    /// A date, with whether it carries a time of day.
    Date(NaiveDateTime, bool),
    /// A duration.
    Duration(Duration),
    /// A list.
    List(Vec<Value>),
    /// Keys and values, in order.
    Object(Vec<(String, Value)>),
    /// A link.
    Link(Box<Link>),
    /// A file of the site (`file`, `this`).
    File(Row),
    /// A regular expression, with whether it is global (`g`).
    Regex(Box<Re>, bool),
    /// An image to show (`image()`, a card's cover).
    Image(String),
    /// An icon by its Lucide name.
    Icon(String),
    /// HTML from `html()`, cleaned before it is shown.
    Html(String),
    /// An error, shown in its cell as Obsidian shows one.
    Error(String),
}

impl Value {
    /// An error value.
    pub fn error(msg: impl Into<String>) -> Value {
        Value::Error(msg.into())
    }

    /// The type name `isType` compares with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Date(..) => "date",
            Value::Duration(_) => "duration",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Link(_) => "link",
            Value::File(_) => "file",
            Value::Regex(..) => "regexp",
            Value::Image(_) => "image",
            Value::Icon(_) => "icon",
            Value::Html(_) => "html",
            Value::Error(_) => "error",
        }
    }

    /// JavaScript's truthiness: `null`, `false`, `0`, `NaN` and `""` are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null | Value::Error(_) => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// Whether a cell holding it is empty (the `Empty` summary, `isEmpty`).
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }

    /// The value as a number, when it is one or reads as one.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Date(d, _) => Some(d.and_utc().timestamp_millis() as f64),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// `toString()`: numbers as JavaScript writes them, lists joined by
    /// commas, dates as `YYYY-MM-DD` (and the time when there is one).
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => num_text(*n),
            Value::Str(s) | Value::Html(s) | Value::Image(s) | Value::Icon(s) => s.clone(),
            Value::Date(d, true) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
            Value::Date(d, false) => d.format("%Y-%m-%d").to_string(),
            Value::Duration(d) => duration_text(*d),
            Value::List(items) => items.iter().map(Value::text).collect::<Vec<_>>().join(", "),
            Value::Object(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.text()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Link(l) => match &l.display {
                Some(d) => d.text(),
                None => l.target.clone(),
            },
            Value::File(_) => String::new(),
            Value::Regex(r, g) => format!("/{}/{}", r.as_str(), if *g { "g" } else { "" }),
            Value::Error(e) => format!("Error: {e}"),
        }
    }
}

/// A number as JavaScript writes it (`3`, `2.5`, `0.30000000000000004`).
pub fn num_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{}", n as i128)
    } else {
        format!("{n}")
    }
}

fn duration_text(d: Duration) -> String {
    let mut parts = Vec::new();
    let (y, m) = (d.months / 12, d.months % 12);
    let ms = d.ms;
    let (days, rest) = (ms / 86_400_000, ms % 86_400_000);
    for (n, unit) in [
        (y, "y"),
        (m, "M"),
        (days, "d"),
        (rest / 3_600_000, "h"),
        (rest % 3_600_000 / 60_000, "m"),
        (rest % 60_000 / 1000, "s"),
    ] {
        if n != 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() {
        "0s".into()
    } else {
        parts.join(" ")
    }
}

/// Reads a duration: `7d`, `1 day`, `2h 30m`, `-1w`, units as Help › Bases
/// syntax › Date arithmetic lists them.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let mut d = Duration::default();
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let neg = rest.starts_with('-');
        rest = rest.trim_start_matches(['-', '+']).trim_start();
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..num_len].parse().ok()?;
        let n = if neg { -n } else { n };
        rest = rest[num_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start_matches([',', ' ']);
        let ms = |k: f64| (n * k).round() as i64;
        match unit {
            "y" | "year" | "years" => d.months += (n * 12.0).round() as i64,
            "M" | "month" | "months" => d.months += n.round() as i64,
            "w" | "week" | "weeks" => d.ms += ms(604_800_000.0),
            "d" | "day" | "days" => d.ms += ms(86_400_000.0),
            "h" | "hour" | "hours" => d.ms += ms(3_600_000.0),
            "m" | "minute" | "minutes" => d.ms += ms(60_000.0),
            "s" | "second" | "seconds" => d.ms += ms(1000.0),
            "ms" | "millisecond" | "milliseconds" => d.ms += ms(1.0),
            _ => return None,
        }
    }
    Some(d)
}

/// `date + duration` (or minus, with `sign` −1): months on the calendar,
/// the day kept or clamped to the month's end, then the milliseconds.
pub fn shift(date: NaiveDateTime, d: Duration, sign: i64) -> Option<NaiveDateTime> {
    let months = d.months * sign;
    let moved = if months >= 0 {
        date.checked_add_months(Months::new(u32::try_from(months).ok()?))?
    } else {
        date.checked_sub_months(Months::new(u32::try_from(-months).ok()?))?
    };
    moved.checked_add_signed(Span::milliseconds(d.ms * sign))
}

/// Reads a date: `YYYY-MM-DD`, optionally with `T` or a space and
/// `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS`, and a trailing `Z` or offset
/// (dropped: the site shows dates as written).
pub fn parse_date(s: &str) -> Option<(NaiveDateTime, bool)> {
    let s = s.trim();
    let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = s[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some((day.and_hms_opt(0, 0, 0)?, false));
    }
    let rest = rest.trim_end_matches('Z');
    let rest = match rest.rfind(['+', '-']) {
        Some(i) if i >= 5 => &rest[..i],
        _ => rest,
    };
    for f in ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"] {
        if let Ok(t) = chrono::NaiveTime::parse_from_str(rest, f) {
            return Some((day.and_time(t), true));
        }
    }
    None
}

/// `==` as Bases compares: numbers, text, dates, booleans by value; links
/// and files by the file they lead to (links to nothing by their text);
/// lists and objects item by item.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Link(x), Value::Link(y)) => match (x.to, y.to) {
            (Some(p), Some(q)) => p == q,
            _ => x.target == y.target,
        },
        (Value::Link(l), Value::File(r)) | (Value::File(r), Value::Link(l)) => l.to == Some(*r),
        (Value::Link(l), Value::Str(s)) | (Value::Str(s), Value::Link(l)) => l.target == *s,
        (Value::File(x), Value::File(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| p.0 == q.0 && equal(&p.1, &q.1))
        }
        (Value::Date(x, _), Value::Date(y, _)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Num(x), Value::Str(_)) | (Value::Str(_), Value::Num(x)) => {
            let s = if let Value::Str(s) = a {
                s
            } else {
                b.as_str_ref()
            };
            s.trim().parse::<f64>().is_ok_and(|n| n == *x)
        }
        (Value::Duration(x), Value::Duration(y)) => x == y,
        _ => a.text() == b.text() && a.type_name() == b.type_name(),
    }
}

impl Value {
    fn as_str_ref(&self) -> &String {
        static EMPTY: String = String::new();
        match self {
            Value::Str(s) => s,
            _ => &EMPTY,
        }
    }
}

/// How two values compare for `<`, `>` and sorting: numbers and dates by
/// value, text by `collate` (the site's collation), booleans false first;
/// `None` when they cannot be compared.
pub fn compare(a: &Value, b: &Value, collate: &dyn Fn(&str, &str) -> Ordering) -> Option<Ordering> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Date(x, _), Value::Date(y, _)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => {
            Some(x.months.cmp(&y.months).then(x.ms.cmp(&y.ms)))
        }
        (Value::Str(x), Value::Str(y)) => Some(collate(x, y)),
        (Value::Num(_), Value::Str(_)) | (Value::Str(_), Value::Num(_)) => {
            a.as_num()?.partial_cmp(&b.as_num()?)
        }
        (Value::Date(..), Value::Str(s)) => {
            compare(a, &Value::Date(parse_date(s)?.0, false), collate)
        }
        (Value::Str(s), Value::Date(..)) => {
            compare(&Value::Date(parse_date(s)?.0, false), b, collate)
        }
        (Value::Null, _) | (_, Value::Null) => None,
        _ => Some(collate(&a.text(), &b.text())),
    }
}

/// Parts of a date by name (`year`, `month` 1–12, `day`, `hour`, `minute`,
/// `second`, `millisecond`).
pub fn date_field(d: &NaiveDateTime, name: &str) -> Option<f64> {
    Some(f64::from(match name {
        "year" => d.year(),
        "month" => d.month() as i32,
        "day" => d.day() as i32,
        "hour" => d.hour() as i32,
        "minute" => d.minute() as i32,
        "second" => d.second() as i32,
        "millisecond" => (d.and_utc().timestamp_subsec_millis()) as i32,
        _ => return None,
    }))
}

/// A date written with a Moment.js format (`YYYY-MM-DD`, `D MMMM YYYY`,
/// `ddd HH:mm`, `[text]`), month and day names in `months` / `days`.
pub fn moment_format(d: &NaiveDateTime, fmt: &str, months: &[&str], days: &[&str]) -> String {
    const TOKENS: [&str; 25] = [
        "YYYY", "YY", "MMMM", "MMM", "MM", "M", "DDDD", "DD", "Do", "D", "dddd", "ddd", "d", "HH",
        "H", "hh", "h", "mm", "m", "ss", "s", "SSS", "A", "a", "X",
    ];
    let mut out = String::new();
    let mut rest = fmt;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let end = rest.find(']').unwrap_or(rest.len());
            out.push_str(&rest[1..end]);
            rest = rest.get(end + 1..).unwrap_or("");
            continue;
        }
        let Some(t) = TOKENS.iter().find(|t| rest.starts_with(**t)) else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let month = months.get(d.month0() as usize).copied().unwrap_or("");
        let day = days
            .get(d.weekday().num_days_from_sunday() as usize)
            .copied()
            .unwrap_or("");
        let h12 = match d.hour() % 12 {
            0 => 12,
            h => h,
        };
        let piece = match *t {
            "YYYY" => format!("{:04}", d.year()),
            "YY" => format!("{:02}", d.year().rem_euclid(100)),
            "MMMM" => month.to_string(),
            "MMM" => month.chars().take(3).collect(),
            "MM" => format!("{:02}", d.month()),
            "M" => d.month().to_string(),
            "DDDD" => format!("{:03}", d.ordinal()),
            "DD" => format!("{:02}", d.day()),
            "Do" => ordinal(d.day()),
            "D" => d.day().to_string(),
            "dddd" => day.to_string(),
            "ddd" => day.chars().take(3).collect(),
            "d" => d.weekday().num_days_from_sunday().to_string(),
            "HH" => format!("{:02}", d.hour()),
            "H" => d.hour().to_string(),
            "hh" => format!("{h12:02}"),
            "h" => h12.to_string(),
            "mm" => format!("{:02}", d.minute()),
            "m" => d.minute().to_string(),
            "ss" => format!("{:02}", d.second()),
            "s" => d.second().to_string(),
            "SSS" => format!("{:03}", d.and_utc().timestamp_subsec_millis()),
            "A" => if d.hour() < 12 { "AM" } else { "PM" }.into(),
            "a" => if d.hour() < 12 { "am" } else { "pm" }.into(),
            _ => d.and_utc().timestamp().to_string(),
        };
        out.push_str(&piece);
        rest = &rest[t.len()..];
    }
    out
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// English month names, for `format` where the site gives none.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English day names from Sunday.
pub const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDateTime {
        parse_date(s).unwrap().0
    }

    #[test]
    fn durations_read_every_documented_unit() {
        assert_eq!(
            parse_duration("7d"),
            Some(Duration {
                months: 0,
                ms: 7 * 86_400_000
            })
        );
        assert_eq!(parse_duration("1 day"), parse_duration("1d"));
        assert_eq!(parse_duration("2 weeks"), parse_duration("14d"));
        assert_eq!(parse_duration("1y"), Some(Duration { months: 12, ms: 0 }));
        assert_eq!(parse_duration("1M"), Some(Duration { months: 1, ms: 0 }));
        assert_eq!(
            parse_duration("3m"),
            Some(Duration {
                months: 0,
                ms: 180_000
            })
        );
        assert_eq!(
            parse_duration("4 hours"),
            Some(Duration {
                months: 0,
                ms: 4 * 3_600_000
            })
        );
        assert_eq!(
            parse_duration("10 seconds"),
            Some(Duration {
                months: 0,
                ms: 10_000
            })
        );
        assert_eq!(parse_duration("nonsense"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn date_arithmetic_matches_the_documented_example() {
        // date("2024-12-01") + "1M" + "4h" + "3m" is 2025-01-01 04:03:00.
        let mut d = date("2024-12-01");
        for s in ["1M", "4h", "3m"] {
            d = shift(d, parse_duration(s).unwrap(), 1).unwrap();
        }
        assert_eq!(d, date("2025-01-01 04:03:00"));
        // Month ends clamp, as Moment does.
        assert_eq!(
            shift(date("2025-01-31"), parse_duration("1M").unwrap(), 1),
            Some(date("2025-02-28"))
        );
        assert_eq!(
            shift(date("2025-03-01"), parse_duration("1d").unwrap(), -1),
            Some(date("2025-02-28"))
        );
    }

    #[test]
    fn dates_read_with_and_without_time() {
        assert_eq!(parse_date("2025-05-27").map(|d| d.1), Some(false));
        assert_eq!(parse_date("2025-05-27T10:30").map(|d| d.1), Some(true));
        assert_eq!(
            parse_date("2025-05-27 10:30:15"),
            Some((date("2025-05-27T10:30:15"), true))
        );
        assert_eq!(
            parse_date("2025-05-27T10:30:15.250Z").map(|d| d.1),
            Some(true)
        );
        assert_eq!(
            parse_date("2025-05-27T10:30:15+02:00").map(|d| d.1),
            Some(true)
        );
        assert_eq!(parse_date("27/05/2025"), None);
        assert_eq!(parse_date("2025-02-30"), None);
    }

    #[test]
    fn moment_formats() {
        let d = date("2025-05-07 09:05:03");
        assert_eq!(
            moment_format(&d, "YYYY-MM-DD", &MONTHS, &DAYS),
            "2025-05-07"
        );
        assert_eq!(
            moment_format(&d, "YYYY-MM-DD HH:mm:ss", &MONTHS, &DAYS),
            "2025-05-07 09:05:03"
        );
        assert_eq!(
            moment_format(&d, "dddd, MMMM Do YYYY", &MONTHS, &DAYS),
            "Wednesday, May 7th 2025"
        );
        assert_eq!(
            moment_format(&d, "D MMM YY [at] h A", &MONTHS, &DAYS),
            "7 May 25 at 9 AM"
        );
        let fr = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        assert_eq!(moment_format(&d, "D MMMM YYYY", &fr, &DAYS), "7 mai 2025");
    }

    #[test]
    fn truthiness_and_text_follow_javascript() {
        for (v, t) in [
            (Value::Null, false),
            (Value::Num(0.0), false),
            (Value::Num(f64::NAN), false),
            (Value::Str(String::new()), false),
            (Value::Bool(false), false),
            (Value::Num(1.0), true),
            (Value::Str("0".into()), true),
            (Value::List(vec![]), true),
        ] {
            assert_eq!(v.truthy(), t, "{v:?}");
        }
        assert_eq!(num_text(3.0), "3");
        assert_eq!(num_text(2.5), "2.5");
        assert_eq!(num_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(num_text(-0.0), "0");
        assert_eq!(
            Value::List(vec![Value::Num(1.0), Value::Str("a".into())]).text(),
            "1, a"
        );
        assert_eq!(Value::Date(date("2025-01-02"), false).text(), "2025-01-02");
        assert_eq!(
            Value::Duration(parse_duration("1d 2h").unwrap()).text(),
            "1d 2h"
        );
    }

    #[test]
    fn equality_and_order() {
        let link = |t: &str, to: Option<Row>| {
            Value::Link(Box::new(Link {
                target: t.into(),
                display: None,
                to,
            }))
        };
        assert!(equal(
            &link("A", Some(Row::Note(1))),
            &link("a.md", Some(Row::Note(1)))
        ));
        assert!(!equal(
            &link("A", Some(Row::Note(1))),
            &link("A", Some(Row::Note(2)))
        ));
        assert!(equal(&link("Gone", None), &link("Gone", None)));
        assert!(equal(
            &link("A", Some(Row::Note(3))),
            &Value::File(Row::Note(3))
        ));
        assert!(equal(&Value::Num(3.0), &Value::Str("3".into())));
        assert!(!equal(&Value::Null, &Value::Str(String::new())));
        let by = |a: &str, b: &str| a.cmp(b);
        assert_eq!(
            compare(&Value::Num(2.0), &Value::Num(10.0), &by),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(
                &Value::Date(date("2025-01-02"), false),
                &Value::Str("2025-01-01".into()),
                &by
            ),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&Value::Null, &Value::Num(1.0), &by), None);
    }
}
