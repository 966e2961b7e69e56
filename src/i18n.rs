//! The site's language: the theme's own words, month names and date forms.
//!
//! Each language is a data file, `themes/default/i18n/<code>.toml` (built
//! in: English, French, German, Spanish, Italian, Portuguese). A site adds a
//! language, or changes some words, with a file of the same form in its theme
//! folder (`themes/<theme>/i18n/<code>.toml`); the keys it leaves out come
//! from the built-in file of that language, else English. Without `language`
//! in `site.toml`, the language is the one the notes are written in.
//!
//! A [`Language`] is a handle to words read once per process (a file read
//! again with the same text gives the same handle), so it is `Copy` and its
//! words are `&'static str`.

use crate::diagnostics::{Diagnostic, Kind};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// The languages built in, by code.
pub const BUILT_IN: [&str; 6] = ["en", "fr", "de", "es", "it", "pt"];

/// Their files, in the order of [`BUILT_IN`].
const FILES: [&str; 6] = [
    include_str!("../themes/default/i18n/en.toml"),
    include_str!("../themes/default/i18n/fr.toml"),
    include_str!("../themes/default/i18n/de.toml"),
    include_str!("../themes/default/i18n/es.toml"),
    include_str!("../themes/default/i18n/it.toml"),
    include_str!("../themes/default/i18n/pt.toml"),
];

/// One language's words and date forms.
#[derive(Debug)]
pub struct Translation {
    code: &'static str,
    words: BTreeMap<&'static str, &'static str>,
    months: [&'static str; 12],
    date: &'static str,
    date_time: &'static str,
    first_day: Option<&'static str>,
    group: &'static str,
    decimal: &'static str,
}

/// A language of the site (see the module doc).
#[derive(Clone, Copy)]
pub struct Language(&'static Translation);

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Language({})", self.0.code)
    }
}

impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Language {}

impl Default for Language {
    fn default() -> Self {
        Language::english()
    }
}

/// A language file as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(default)]
    dates: Dates,
    #[serde(default)]
    numbers: Numbers,
    #[serde(default)]
    words: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Numbers {
    group: Option<String>,
    decimal: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Dates {
    months: Option<Vec<String>>,
    date: Option<String>,
    date_time: Option<String>,
    first_day: Option<String>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `file` over `base` (the keys it leaves out are `base`'s).
fn translation(code: &str, file: File, base: Option<&Translation>) -> Translation {
    let mut words = base.map(|b| b.words.clone()).unwrap_or_default();
    for (k, v) in file.words {
        words.insert(leak(k), leak(v));
    }
    let months = match file.dates.months {
        Some(m) if m.len() == 12 => {
            let m: Vec<&'static str> = m.into_iter().map(leak).collect();
            std::array::from_fn(|i| m[i])
        }
        _ => base.map_or([""; 12], |b| b.months),
    };
    let own_date = file.dates.date.is_some();
    let pick = |v: Option<String>, b: Option<&'static str>, d: &'static str| {
        v.map(leak).or(b).unwrap_or(d)
    };
    Translation {
        code: leak(code.to_string()),
        words,
        months,
        date: pick(
            file.dates.date,
            base.map(|b| b.date),
            "{year}-{month}-{day}",
        ),
        date_time: pick(
            file.dates.date_time,
            base.map(|b| b.date_time),
            "{date} {time}",
        ),
        group: pick(file.numbers.group, base.map(|b| b.group), ","),
        decimal: pick(file.numbers.decimal, base.map(|b| b.decimal), "."),
        first_day: match file.dates.first_day {
            Some(f) => Some(leak(f)),
            None if !own_date => base.and_then(|b| b.first_day),
            None => None,
        },
    }
}

/// The built-in languages, read once.
fn built_in() -> &'static [&'static Translation] {
    static ALL: OnceLock<Vec<&'static Translation>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The files are part of the program: a test reads each of them.
        let read = |i: usize| -> File { toml::from_str(FILES[i]).unwrap_or_default() };
        let en: &'static Translation = Box::leak(Box::new(translation("en", read(0), None)));
        let mut all = vec![en];
        for (i, code) in BUILT_IN.iter().enumerate().skip(1) {
            all.push(Box::leak(Box::new(translation(code, read(i), Some(en)))));
        }
        all
    })
}

impl Language {
    /// English, the default words.
    pub fn english() -> Language {
        Language(built_in()[0])
    }

    /// A built-in language by its code (`fr`, `de`).
    pub fn built_in(code: &str) -> Option<Language> {
        built_in()
            .iter()
            .find(|t| t.code.eq_ignore_ascii_case(code))
            .map(|t| Language(t))
    }

    /// The BCP 47 code (`fr`, `pt-BR`).
    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// Every word, by key (`t` in templates).
    pub fn words(self) -> &'static BTreeMap<&'static str, &'static str> {
        &self.0.words
    }

    /// The month names, January first.
    pub fn months(self) -> &'static [&'static str; 12] {
        &self.0.months
    }

    /// One word (`""` when the key is unknown).
    pub fn word(self, key: &str) -> &'static str {
        self.0.words.get(key).copied().unwrap_or("")
    }

    /// A date as its readers write it (`March 15, 2024`, `1er mars 2024`),
    /// with `time` (`10:30`) after it when there is one.
    pub fn date(self, day: u32, month0: usize, year: i32, time: Option<&str>) -> String {
        let t = self.0;
        let d = match (day, t.first_day) {
            (1, Some(first)) => first.to_string(),
            _ => day.to_string(),
        };
        let date = t
            .date
            .replace("{day}", &d)
            .replace("{month}", t.months.get(month0).copied().unwrap_or(""))
            .replace("{year}", &year.to_string());
        match time {
            None => date,
            Some(time) => t.date_time.replace("{date}", &date).replace("{time}", time),
        }
    }
}

impl Language {
    /// A number written in a note (`18500`, `-1234567.5`) as its readers
    /// write it (`18 500`, `18,500`, `18.500`): digits grouped by three from
    /// five digits on (years stay `2024`), the language's decimal mark.
    /// Anything else (`1e6`, `0x1F`, `1_000`) is kept as written.
    pub fn number(self, text: &str) -> String {
        let t = text.trim();
        let (sign, rest) = match t.strip_prefix(['-', '+']) {
            Some(r) => (&t[..1], r),
            None => ("", t),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (rest.contains('.') && frac.is_empty())
        {
            return text.to_string();
        }
        let mut out = String::from(sign);
        if int.len() >= 5 {
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push_str(self.0.group);
                }
                out.push(c);
            }
        } else {
            out.push_str(int);
        }
        if !frac.is_empty() {
            out.push_str(self.0.decimal);
            out.push_str(frac);
        }
        out
    }
}

impl Language {
    /// The locale link previews name (`og:locale`): `fr_FR`, `pt_BR`; the
    /// region is the tag's own, else the language's main one; `None` for a
    /// language without a known region.
    pub fn og_locale(self) -> Option<String> {
        let mut parts = self.0.code.split('-');
        let lang = parts.next()?.to_ascii_lowercase();
        let region = parts
            .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_ascii_uppercase)
            .or_else(|| {
                let r = match lang.as_str() {
                    "en" => "US",
                    "fr" => "FR",
                    "de" => "DE",
                    "es" => "ES",
                    "it" => "IT",
                    "pt" => "PT",
                    "nl" => "NL",
                    _ => return None,
                };
                Some(r.to_string())
            })?;
        Some(format!("{lang}_{region}"))
    }
}

/// Whether `code` has the shape of a language tag (`fr`, `pt-BR`, `zh-Hant`).
pub fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The site's language: `code` (from `site.toml`) with the site's own file
/// for it when its theme folder has one, else the language the notes'
/// `texts` are written in.
pub fn resolve<'t>(
    root: &Path,
    theme: &str,
    code: Option<&str>,
    texts: impl Iterator<Item = &'t str>,
) -> Result<Language, Diagnostic> {
    let code = match code {
        Some(c) => c.to_string(),
        None => detect(texts).to_string(),
    };
    let file = root
        .join("themes")
        .join(theme)
        .join("i18n")
        .join(format!("{code}.toml"));
    let shown = format!("themes/{theme}/i18n/{code}.toml");
    match std::fs::read_to_string(&file) {
        Ok(text) => from_site_file(&code, &text, &shown),
        Err(_) => Language::built_in(&code).ok_or_else(|| {
            Diagnostic::new(
                Kind::Config,
                crate::config::CONFIG_FILE,
                format!(
                    "isokb has no words for the language `{code}` (built in: {})",
                    BUILT_IN.join(", ")
                ),
            )
            .help(format!(
                "write them in `{shown}`, in the form of isokb's `en.toml` (see the README), or set a built-in `language`"
            ))
        }),
    }
}

/// A site's language file, read once per text.
fn from_site_file(code: &str, text: &str, shown: &str) -> Result<Language, Diagnostic> {
    static SEEN: OnceLock<Mutex<HashMap<(String, String), &'static Translation>>> = OnceLock::new();
    let key = (code.to_string(), text.to_string());
    if let Some(t) = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .ok()
        .and_then(|m| m.get(&key).copied())
    {
        return Ok(Language(t));
    }
    let file: File = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(Kind::Config, shown, e.message().trim().to_string());
        d.pos = e
            .span()
            .map(|s| crate::diagnostics::Position::of_offset(text, s.start));
        d.help("a language file holds `[dates]` and `[words]`, as isokb's own `en.toml`")
    })?;
    let base = Language::built_in(code)
        .or_else(|| Language::built_in(code.split('-').next().unwrap_or("")))
        .unwrap_or_else(Language::english);
    let t: &'static Translation = Box::leak(Box::new(translation(code, file, Some(base.0))));
    if let Ok(mut m) = SEEN.get_or_init(Mutex::default).lock() {
        m.insert(key, t);
    }
    Ok(Language(t))
}

/// Words frequent in each built-in language and rare in the others.
const MARKERS: [(&str, &[&str]); 6] = [
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "with", "this", "that", "for", "are", "it", "be",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "et", "est", "une", "du", "dans", "pour", "qui", "sur", "au",
            "aux", "pas",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "ein", "eine", "den", "von", "zu",
            "auf", "sich", "für",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "es", "por", "con", "para", "del", "una", "se", "lo", "como",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "è", "per", "non", "con", "della", "sono", "gli", "una", "nel",
            "alla", "delle",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "e", "não", "uma", "com", "do", "da", "em", "é", "para", "dos", "das", "ao",
        ],
    ),
];

/// The built-in language most of `texts` is written in (English when
/// nothing tells): marker words counted over the first 200,000 characters.
pub fn detect<'t>(texts: impl Iterator<Item = &'t str>) -> &'static str {
    let mut counts = [0usize; 6];
    let mut budget = 200_000usize;
    for text in texts {
        if budget == 0 {
            break;
        }
        let end = text
            .char_indices()
            .nth(budget.min(20_000))
            .map_or(text.len(), |(i, _)| i);
        budget = budget.saturating_sub(end);
        for word in text[..end]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && w.len() <= 6)
        {
            let w = word.to_lowercase();
            for (i, (_, marks)) in MARKERS.iter().enumerate() {
                if marks.contains(&w.as_str()) {
                    counts[i] += 1;
                }
            }
        }
    }
    let best = (0..6)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    if counts[best] == 0 {
        "en"
    } else {
        MARKERS[best].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_word_and_twelve_months() {
        for (code, text) in BUILT_IN.iter().zip(FILES) {
            if let Err(e) = toml::from_str::<File>(text) {
                panic!("i18n/{code}.toml: {e}");
            }
        }
        let en = Language::english();
        assert!(en.words().len() > 50);
        for code in BUILT_IN {
            let l = Language::built_in(code).unwrap();
            assert_eq!(l.code(), code);
            for (k, v) in en.words() {
                assert!(
                    l.0.words.get(k).is_some_and(|w| !w.is_empty()),
                    "{code}: `{k}` ({v}) missing"
                );
            }
            assert!(l.0.months.iter().all(|m| !m.is_empty()), "{code} months");
        }
        assert_eq!(Language::built_in("fr").unwrap().word("tags"), "Étiquettes");
        assert_eq!(
            Language::built_in("de").unwrap().word("tags"),
            "Schlagwörter"
        );
    }

    #[test]
    fn numbers_read_as_in_each_language() {
        let l = |c| Language::built_in(c).unwrap();
        assert_eq!(l("fr").number("18500"), "18\u{202f}500");
        assert_eq!(l("fr").number("-1234567.25"), "-1\u{202f}234\u{202f}567,25");
        assert_eq!(l("en").number("18500"), "18,500");
        assert_eq!(l("de").number("18500.5"), "18.500,5");
        assert_eq!(l("en").number("2024"), "2024");
        assert_eq!(l("fr").number("3.5"), "3,5");
        for kept in ["1e6", "0x1F", "1_000", "12.", ".5", "abc", ""] {
            assert_eq!(l("fr").number(kept), kept);
        }
    }

    #[test]
    fn link_previews_name_the_locale_with_a_region() {
        assert_eq!(
            Language::built_in("fr").unwrap().og_locale().as_deref(),
            Some("fr_FR")
        );
        assert_eq!(Language::english().og_locale().as_deref(), Some("en_US"));
        let dir = tempfile::tempdir().unwrap();
        let i18n = dir.path().join("themes/default/i18n");
        std::fs::create_dir_all(&i18n).unwrap();
        std::fs::write(i18n.join("pt-BR.toml"), "[words]\n").unwrap();
        std::fs::write(i18n.join("sv.toml"), "[words]\n").unwrap();
        let br = resolve(dir.path(), "default", Some("pt-BR"), std::iter::empty()).unwrap();
        assert_eq!(br.og_locale().as_deref(), Some("pt_BR"));
        let sv = resolve(dir.path(), "default", Some("sv"), std::iter::empty()).unwrap();
        assert_eq!(sv.og_locale(), None);
    }

    #[test]
    fn dates_read_as_in_each_language() {
        let l = |c| Language::built_in(c).unwrap();
        assert_eq!(l("en").date(15, 2, 2024, None), "March 15, 2024");
        assert_eq!(
            l("fr").date(1, 2, 2024, Some("10:30")),
            "1er mars 2024 à 10:30"
        );
        assert_eq!(l("de").date(5, 11, 2026, None), "5. Dezember 2026");
        assert_eq!(l("es").date(21, 10, 2026, None), "21 de noviembre de 2026");
        assert_eq!(l("pt").date(3, 2, 2025, None), "3 de março de 2025");
        assert_eq!(l("it").date(1, 0, 2025, None), "1º gennaio 2025");
    }

    #[test]
    fn the_language_of_notes_is_detected() {
        for (code, text) in [
            ("fr", "La sécurité de l’information protège les données et les systèmes. Elle est fondée sur une analyse des risques."),
            ("en", "The audit checks that the procedures are applied and that the records are kept."),
            ("de", "Die Sicherheit der Daten ist wichtig, und das Audit prüft, ob die Verfahren eingehalten werden."),
            ("es", "La seguridad de los datos es importante y el auditor revisa los procedimientos con cuidado."),
            ("it", "La sicurezza delle informazioni è importante per il sistema e gli audit non sono facoltativi."),
            ("pt", "A segurança da informação não é opcional e os dados são protegidos com cuidado em cada processo."),
        ] {
            assert_eq!(detect([text].into_iter()), code, "{text}");
        }
        assert_eq!(detect(["12 34", ""].into_iter()), "en");
    }

    #[test]
    fn a_site_file_adds_a_language_over_english_and_changes_words() {
        let dir = tempfile::tempdir().unwrap();
        let i18n = dir.path().join("themes/default/i18n");
        std::fs::create_dir_all(&i18n).unwrap();
        std::fs::write(
            i18n.join("nl.toml"),
            "[words]\ntags = \"Labels\"\n[dates]\nmonths = [\"januari\", \"februari\", \"maart\", \"april\", \"mei\", \"juni\", \"juli\", \"augustus\", \"september\", \"oktober\", \"november\", \"december\"]\ndate = \"{day} {month} {year}\"\n",
        )
        .unwrap();
        std::fs::write(i18n.join("fr.toml"), "[words]\ntags = \"Mots-clés\"\n").unwrap();
        let nl = resolve(dir.path(), "default", Some("nl"), std::iter::empty()).unwrap();
        assert_eq!(
            (nl.code(), nl.word("tags"), nl.word("home")),
            ("nl", "Labels", "Home")
        );
        assert_eq!(nl.date(3, 2, 2025, None), "3 maart 2025");
        let again = resolve(dir.path(), "default", Some("nl"), std::iter::empty()).unwrap();
        assert_eq!(nl, again, "read once");
        let fr = resolve(dir.path(), "default", Some("fr"), std::iter::empty()).unwrap();
        assert_eq!((fr.word("tags"), fr.word("home")), ("Mots-clés", "Accueil"));
        assert_eq!(fr.date(1, 0, 2025, None), "1er janvier 2025");
        let err = resolve(dir.path(), "default", Some("sv"), std::iter::empty()).unwrap_err();
        assert!(err.message.contains("`sv`"), "{}", err.message);
        std::fs::write(i18n.join("xx.toml"), "[words]\ntags = 3\n").unwrap();
        let err = resolve(dir.path(), "default", Some("xx"), std::iter::empty()).unwrap_err();
        assert_eq!(err.path.as_str(), "themes/default/i18n/xx.toml");
        assert!(err.pos.is_some());
        let auto = resolve(
            dir.path(),
            "default",
            None,
            ["Die Daten und das System sind sicher, und die Verfahren sind klar."].into_iter(),
        )
        .unwrap();
        assert_eq!(auto.code(), "de");
    }
}
