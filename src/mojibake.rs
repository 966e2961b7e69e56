//! Encoding damage: finding and repairing mojibake.
//!
//! Notes copied between systems are often UTF-8 that was decoded as Mac Roman
//! or Windows-1252 and saved again as UTF-8 (`Identit√©` for `Identité`, `Ã©`
//! for `é`, `üéØ` for 🎯). Such text round-trips exactly: encode each
//! character back to its legacy byte, decode the bytes as UTF-8, and the
//! original text comes back. [`detect`] does that and accepts a repair only
//! when the round trip is exact and the result is less suspicious than the
//! input, so clean French, German, Greek, CJK or emoji text is never flagged.
//!
//! Pure functions only: parse calls [`detect`] to warn, and a repair command
//! can write [`Repair::text`] back. This module reads and writes no file.

use crate::diagnostics::{Diagnostic, Kind, Position};

/// The legacy encoding a text was wrongly decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Windows-1252 (and Latin-1), the Windows default in Western Europe.
    Windows1252,
    /// Mac Roman, the classic Mac OS default.
    MacRoman,
}

impl Encoding {
    /// The encodings tried, in order of preference on ties.
    pub const ALL: [Encoding; 2] = [Encoding::Windows1252, Encoding::MacRoman];

    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Windows1252 => "Windows-1252",
            Encoding::MacRoman => "Mac Roman",
        }
    }

    /// The byte this encoding uses for `c`, if it has one.
    fn byte(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        let table: &[char] = match self {
            Encoding::MacRoman => &MAC_ROMAN,
            Encoding::Windows1252 => {
                if ('\u{A0}'..='\u{FF}').contains(&c) {
                    return Some(c as u32 as u8);
                }
                &CP1252_80
            }
        };
        table.iter().position(|&t| t == c).map(|i| 0x80 + i as u8)
    }
}

/// A repaired line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedLine {
    /// 1-based line number.
    pub line: usize,
    /// The line as found (without its line ending).
    pub before: String,
    /// The line repaired.
    pub after: String,
}

/// What [`detect`] found: the encoding, the whole repaired text and the lines it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The encoding the UTF-8 text was wrongly decoded with.
    pub encoding: Encoding,
    /// The full text, repaired (line endings and a BOM kept as they were).
    pub text: String,
    /// Every changed line, in order.
    pub lines: Vec<FixedLine>,
}

/// Looks for mojibake in `text`. Returns the repair when the whole text, or
/// else some of its lines, round-trip exactly to valid, less suspicious UTF-8.
pub fn detect(text: &str) -> Option<Repair> {
    if text.is_ascii() || !has_sequence(text) {
        return None;
    }
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let (encoding, repaired) = match best_repair(body) {
        Some(found) => found,
        None => repair_lines(body)?,
    };
    let lines = body
        .lines()
        .zip(repaired.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| FixedLine {
            line: i + 1,
            before: a.to_string(),
            after: b.to_string(),
        })
        .collect();
    Some(Repair {
        encoding,
        text: format!("{bom}{repaired}"),
        lines,
    })
}

/// Whether two neighbouring characters encode, in one of the encodings, to
/// a UTF-8 lead byte and a continuation byte. Mojibake always has such a
/// pair (valid UTF-8 with a byte above 0x7F has one), so a text without any
/// cannot be repaired and the costlier checks are skipped; clean text rarely
/// has one (`’é` in Mac Roman).
fn has_sequence(text: &str) -> bool {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii() {
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let found = Encoding::ALL.into_iter().any(|e| {
                matches!(e.byte(p), Some(0xC2..=0xF4)) && matches!(e.byte(c), Some(0x80..=0xBF))
            });
            if found {
                return true;
            }
        }
        prev = Some(c);
    }
    false
}

/// Repairs line by line (a note where only some lines were damaged). All
/// repaired lines must agree on one encoding: the most frequent wins.
fn repair_lines(body: &str) -> Option<(Encoding, String)> {
    let per_line: Vec<Option<(Encoding, String)>> = body
        .split_inclusive('\n')
        .map(|l| if l.is_ascii() { None } else { best_repair(l) })
        .collect();
    let count = |e: Encoding| per_line.iter().flatten().filter(|(x, _)| *x == e).count();
    let encoding = Encoding::ALL
        .into_iter()
        .filter(|&e| count(e) > 0)
        .max_by_key(|&e| count(e))?;
    let mut out = String::with_capacity(body.len());
    for (line, fix) in body.split_inclusive('\n').zip(per_line) {
        match fix {
            Some((e, fixed)) if e == encoding => out.push_str(&fixed),
            _ => out.push_str(line),
        }
    }
    Some((encoding, out))
}

/// The best exact round trip of `s`, if one is plausible: it must remove
/// suspicious runs (at least one of them unambiguous), add no odd
/// characters, and produce only characters of the scripts vaults are written in.
fn best_repair(s: &str) -> Option<(Encoding, String)> {
    Encoding::ALL
        .into_iter()
        .filter_map(|e| {
            let fixed = round_trip(s, e)?;
            let (before, strong) = suspicion(s, e);
            let better = strong > 0
                && suspicion(&fixed, e).0 < before
                && weirdness(&fixed) <= weirdness(s)
                && fixed.chars().all(plausible);
            better.then(|| (weirdness(&fixed), suspicion(&fixed, e).0, e, fixed))
        })
        .min_by_key(|(w, s, _, _)| (*w, *s))
        .map(|(_, _, e, fixed)| (e, fixed))
}

/// `s` encoded back to `encoding` and decoded as UTF-8, when both steps are exact.
pub fn round_trip(s: &str, encoding: Encoding) -> Option<String> {
    let bytes: Option<Vec<u8>> = s.chars().map(|c| encoding.byte(c)).collect();
    let fixed = String::from_utf8(bytes?).ok()?;
    (fixed != s).then_some(fixed)
}

/// How many runs of characters spell a multi-byte UTF-8 sequence once
/// encoded in `encoding` (the footprint of mojibake), and how many of them
/// are unambiguous. In Mac Roman, continuation bytes are accented letters,
/// so a run led by punctuation (`’é`, `—à`, `«É`) is common in clean French
/// and does not count as unambiguous.
fn suspicion(s: &str, encoding: Encoding) -> (usize, usize) {
    let bytes: Vec<Option<u8>> = s.chars().map(|c| encoding.byte(c)).collect();
    let (mut count, mut strong) = (0, 0);
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            Some(0xC2..=0xDF) => 2,
            Some(0xE0..=0xEF) => 3,
            Some(0xF0..=0xF4) => 4,
            _ => 0,
        };
        let seq: Option<Vec<u8>> = bytes
            .get(i..i + len)
            .and_then(|w| w.iter().copied().collect());
        if len > 0 && seq.is_some_and(|b| std::str::from_utf8(&b).is_ok()) {
            count += 1;
            let weak_lead = matches!(bytes[i], Some(0xC7..=0xCB | 0xD0..=0xD5));
            strong += usize::from(encoding == Encoding::Windows1252 || !weak_lead);
            i += len;
        } else {
            i += 1;
        }
    }
    (count, strong)
}

/// Whether a repaired character belongs to text people write: Latin, Greek,
/// Cyrillic, punctuation and symbols, CJK, Hangul, emoji. A "repair" that
/// yields Armenian or a stray combining mark out of French is a false alarm.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E
        | 0xA0..=0x24F | 0x370..=0x4FF | 0x1E00..=0x1EFF
        | 0x2000..=0x2BFF | 0x3000..=0x9FFF | 0xAC00..=0xD7AF
        | 0xFB00..=0xFB06 | 0xFE00..=0xFE0F | 0xFF00..=0xFFEF
        | 0x1F000..=0x1FAFF | 0xE0020..=0xE007F)
}

/// Characters that hardly occur in real prose but do in mojibake or in the
/// result of a wrong repair: controls, private use, replacement characters,
/// lone combining marks, IPA letters and spacing modifiers.
fn weirdness(s: &str) -> usize {
    let mut prev_letter = false;
    let mut n = 0;
    for c in s.chars() {
        let weird = match c as u32 {
            0x09 | 0x0A | 0x0D => false,
            0x00..=0x1F | 0x7F..=0x9F => true,
            0x0300..=0x036F => !prev_letter,
            0x0250..=0x02FF | 0xE000..=0xF8FF | 0xFFFD => true,
            _ => false,
        };
        n += usize::from(weird);
        prev_letter = c.is_alphabetic();
    }
    n
}

/// The warning for a note with mojibake: the first damaged line, how many
/// there are, and the repaired line as help.
pub fn diagnostic(path: &str, repair: &Repair) -> Option<Diagnostic> {
    let first = repair.lines.first()?;
    let more = match repair.lines.len() {
        1 => String::new(),
        n => format!(" ({n} lines)"),
    };
    let shown: String = first.after.trim().chars().take(100).collect();
    Some(
        Diagnostic::new(
            Kind::Mojibake,
            path,
            format!(
                "text looks like UTF-8 decoded as {}{more}",
                repair.encoding.name()
            ),
        )
        .at(Position {
            line: first.line,
            col: 1,
        })
        .help(format!("it probably reads `{shown}`")),
    )
}

const MAC_ROMAN: [char; 128] = [
    '\u{00C4}', '\u{00C5}', '\u{00C7}', '\u{00C9}', '\u{00D1}', '\u{00D6}', '\u{00DC}', '\u{00E1}',
    '\u{00E0}', '\u{00E2}', '\u{00E4}', '\u{00E3}', '\u{00E5}', '\u{00E7}', '\u{00E9}', '\u{00E8}',
    '\u{00EA}', '\u{00EB}', '\u{00ED}', '\u{00EC}', '\u{00EE}', '\u{00EF}', '\u{00F1}', '\u{00F3}',
    '\u{00F2}', '\u{00F4}', '\u{00F6}', '\u{00F5}', '\u{00FA}', '\u{00F9}', '\u{00FB}', '\u{00FC}',
    '\u{2020}', '\u{00B0}', '\u{00A2}', '\u{00A3}', '\u{00A7}', '\u{2022}', '\u{00B6}', '\u{00DF}',
    '\u{00AE}', '\u{00A9}', '\u{2122}', '\u{00B4}', '\u{00A8}', '\u{2260}', '\u{00C6}', '\u{00D8}',
    '\u{221E}', '\u{00B1}', '\u{2264}', '\u{2265}', '\u{00A5}', '\u{00B5}', '\u{2202}', '\u{2211}',
    '\u{220F}', '\u{03C0}', '\u{222B}', '\u{00AA}', '\u{00BA}', '\u{03A9}', '\u{00E6}', '\u{00F8}',
    '\u{00BF}', '\u{00A1}', '\u{00AC}', '\u{221A}', '\u{0192}', '\u{2248}', '\u{2206}', '\u{00AB}',
    '\u{00BB}', '\u{2026}', '\u{00A0}', '\u{00C0}', '\u{00C3}', '\u{00D5}', '\u{0152}', '\u{0153}',
    '\u{2013}', '\u{2014}', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{00F7}', '\u{25CA}',
    '\u{00FF}', '\u{0178}', '\u{2044}', '\u{20AC}', '\u{2039}', '\u{203A}', '\u{FB01}', '\u{FB02}',
    '\u{2021}', '\u{00B7}', '\u{201A}', '\u{201E}', '\u{2030}', '\u{00C2}', '\u{00CA}', '\u{00C1}',
    '\u{00CB}', '\u{00C8}', '\u{00CD}', '\u{00CE}', '\u{00CF}', '\u{00CC}', '\u{00D3}', '\u{00D4}',
    '\u{F8FF}', '\u{00D2}', '\u{00DA}', '\u{00DB}', '\u{00D9}', '\u{0131}', '\u{02C6}', '\u{02DC}',
    '\u{00AF}', '\u{02D8}', '\u{02D9}', '\u{02DA}', '\u{00B8}', '\u{02DD}', '\u{02DB}', '\u{02C7}',
];

/// Windows-1252 bytes 0x80-0x9F (WHATWG mapping: the five undefined bytes
/// map to the C1 controls of the same value). 0xA0-0xFF are Latin-1.
const CP1252_80: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Damages `s` the way the issue describes: UTF-8 bytes read as `e`.
    fn damage(s: &str, e: Encoding) -> String {
        s.bytes()
            .map(|b| match (b, e) {
                (0..=0x7F, _) => b as char,
                (_, Encoding::MacRoman) => MAC_ROMAN[b as usize - 0x80],
                (0x80..=0x9F, Encoding::Windows1252) => CP1252_80[b as usize - 0x80],
                (_, Encoding::Windows1252) => b as char,
            })
            .collect()
    }

    const CLEAN: &[&str] = &[
        "Fiche d'Identité, siège à Genève, rôle : « normalisation » — œuvre, Noël, ça.",
        "L'ÉTÉ» est là. Où ? Déjà vu… 25 000 normes ; coût : 3 € ; 2° ; ±5 %",
        "Größenänderung für Übersetzungen: „Ölpreis“ – Straße, Maß, ÄÖÜ äöü ß",
        "Ελληνικά: Οργανισμός Τυποποίησης, μαθηματικά π ≈ 3,14",
        "国际标准化组织 (ISO) 日本語のテキスト 한국어 텍스트",
        "Emoji 🎯 📚 ✅ ⚠️ 👩‍💻 and symbols ™ © ® ¶ § † ‡",
        "São Paulo, Ñandú, Ångström, Æsir, Øresund, Þór, ŁÓDŹ, Dvořák",
        "Mathematik: ∑ ∫ √2 ∞ ≤ ≥ ≠ ∂ ∆ Ω µ",
        "## Comment on l’élabore — “Économie” —à ‘é’ «École» d’équivalence",
    ];

    #[test]
    fn clean_text_in_many_scripts_is_never_flagged() {
        for s in CLEAN {
            assert_eq!(detect(s), None, "{s}");
            assert_eq!(detect(&format!("---\ntitle: x\n---\n{s}\n{s}\n")), None);
        }
        assert_eq!(detect(&CLEAN.join("\n")), None);
        assert_eq!(detect("plain ascii"), None);
    }

    #[test]
    fn french_apostrophe_before_an_accent_is_not_mojibake_issue_3() {
        // Found in content/: `’é` spells D5 8E in Mac Roman, a valid UTF-8
        // sequence (Armenian `Վ`), and the line round-trips exactly.
        assert_eq!(detect("## Comment on l’élabore\n"), None);
        assert_eq!(detect("## Pas de table d’équivalence\n"), None);
        assert_eq!(detect("“Économie” —à l’île"), None);
    }

    #[test]
    fn mac_roman_damage_is_repaired_exactly() {
        assert_eq!(damage("Identité", Encoding::MacRoman), "Identit√©");
        assert_eq!(damage("🎯", Encoding::MacRoman), "\u{f8ff}üéØ");
        for s in CLEAN {
            let bad = damage(s, Encoding::MacRoman);
            let r = detect(&bad).unwrap_or_else(|| panic!("not found: {bad}"));
            assert_eq!(r.text, *s);
            assert_eq!(r.encoding, Encoding::MacRoman, "{s}");
        }
    }

    #[test]
    fn windows_1252_damage_is_repaired_exactly() {
        assert_eq!(damage("é", Encoding::Windows1252), "Ã©");
        for s in CLEAN {
            let bad = damage(s, Encoding::Windows1252);
            let r = detect(&bad).unwrap_or_else(|| panic!("not found: {bad}"));
            assert_eq!(r.text, *s, "{bad}");
            assert_eq!(r.encoding, Encoding::Windows1252, "{s}");
        }
    }

    #[test]
    fn the_seed_card_is_found_with_its_lines() {
        let text = "---\ntags: [iso]\n---\n# ISO\r\n\r\n> [!user] Fiche d'Identit√©\r\n> * **Si√®ge** : Gen√®ve\r\n## \u{f8ff}üéØ Missions\r\n";
        let r = detect(text).unwrap();
        assert_eq!(r.encoding, Encoding::MacRoman);
        assert!(r
            .text
            .contains("Fiche d'Identité\r\n> * **Siège** : Genève\r\n## 🎯 Missions"));
        let lines: Vec<usize> = r.lines.iter().map(|l| l.line).collect();
        assert_eq!(lines, [6, 7, 8]);
        assert_eq!(r.lines[0].after, "> [!user] Fiche d'Identité");
        let d = diagnostic("n.md", &r).unwrap();
        assert_eq!(d.pos, Some(Position { line: 6, col: 1 }));
        assert!(d.message.contains("Mac Roman (3 lines)"), "{}", d.message);
        assert_eq!(
            d.help.as_deref(),
            Some("it probably reads `> [!user] Fiche d'Identité`")
        );
    }

    #[test]
    fn partly_damaged_notes_repair_only_the_damaged_lines() {
        let text = "\u{feff}Déjà écrit correctement.\nPuis copi√© depuis un Mac.\nEt Ã©crit sous Windows.\nEncore √† la fin.\n";
        let r = detect(text).unwrap();
        assert_eq!(r.lines.len(), 2, "{:?}", r.lines);
        assert_eq!(r.lines[1].after, "Encore à la fin.");
        assert!(r
            .text
            .starts_with("\u{feff}Déjà écrit correctement.\nPuis copié"));
        assert!(
            r.text.contains("Ã©crit"),
            "one encoding per repair: the most frequent"
        );
    }

    #[test]
    fn ambiguous_round_trips_prefer_the_plausible_one() {
        // `Ã©` round-trips in both encodings (Mac Roman gives `f` + U+0329);
        // on a tie Windows-1252 comes first.
        let r = detect("Caf\u{00C3}\u{00A9}").unwrap();
        assert_eq!(
            (r.encoding, r.text.as_str()),
            (Encoding::Windows1252, "Café")
        );
        assert_eq!(round_trip("abc", Encoding::MacRoman), None);
    }
}
