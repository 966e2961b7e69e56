//! Dates written in notes (`2024-03-15`, `2024-03-15T10:30`), shown in the
//! site's language as Obsidian shows a date property. Pure functions only.

use crate::i18n::Language;
use chrono::{Datelike, NaiveDate, NaiveTime};

/// A date, and maybe a time of day, read from ISO 8601 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate {
    date: NaiveDate,
    time: Option<NaiveTime>,
}

impl IsoDate {
    /// `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM` or
    /// `HH:MM:SS`; nothing else (no zone, no other order).
    pub fn parse(text: &str) -> Option<IsoDate> {
        let t = text.trim();
        let (d, rest) = (t.get(..10)?, &t[10..]);
        if d.len() != 10 || d.as_bytes()[4] != b'-' || d.as_bytes()[7] != b'-' {
            return None;
        }
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
        let time = match rest.strip_prefix(['T', ' ']) {
            None if rest.is_empty() => None,
            None => return None,
            Some(r) => Some(
                NaiveTime::parse_from_str(r, "%H:%M:%S")
                    .or_else(|_| NaiveTime::parse_from_str(r, "%H:%M"))
                    .ok()?,
            ),
        };
        Some(IsoDate { date, time })
    }

    /// The date as readers of `lang` write it: `March 15, 2024`,
    /// `15 mars 2024`, with the time after it when there is one.
    pub fn shown(&self, lang: Language) -> String {
        let (d, m, y) = (
            self.date.day(),
            self.date.month0() as usize,
            self.date.year(),
        );
        let time = self.time.map(|t| t.format("%H:%M").to_string());
        lang.date(d, m, y, time.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_shown_in_each_language() {
        let cases = [
            ("2024-03-15", "March 15, 2024", "15 mars 2024"),
            ("2026-08-01", "August 1, 2026", "1er août 2026"),
            (
                "2024-12-31T09:05",
                "December 31, 2024, 09:05",
                "31 décembre 2024 à 09:05",
            ),
            (
                " 2024-02-29 23:59:30 ",
                "February 29, 2024, 23:59",
                "29 février 2024 à 23:59",
            ),
        ];
        for (text, en, fr) in cases {
            let d = IsoDate::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.shown(Language::english()), en);
            assert_eq!(d.shown(Language::built_in("fr").unwrap()), fr);
        }
        for not in [
            "2023-02-29",
            "2024-13-01",
            "15/03/2024",
            "2024-03-15x",
            "2024-03-15T25:00",
            "2024-3-15",
            "ISO 9001:2015",
            "2024-03-15 et après",
            "",
        ] {
            assert_eq!(IsoDate::parse(not), None, "{not}");
        }
    }
}
