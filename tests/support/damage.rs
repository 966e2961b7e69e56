//! Makes mojibake the way it happens: UTF-8 bytes read as Mac Roman or as
//! Windows-1252, then saved again as UTF-8. Shared by tests/check.rs and
//! tests/fix.rs (included with `#[path]`).
#![allow(dead_code)]

/// Mac Roman, bytes 0x80 to 0xFF.
const MAC_ROMAN: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{A0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

/// Windows-1252, bytes 0x80 to 0x9F (WHATWG: undefined bytes are C1 controls);
/// 0xA0 to 0xFF are Latin-1.
const CP1252: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";

/// The legacy encodings.
#[derive(Clone, Copy, Debug)]
pub enum Legacy {
    MacRoman,
    Windows1252,
}

/// `text`'s UTF-8 bytes decoded as `enc`.
pub fn damage(text: &str, enc: Legacy) -> String {
    let mac: Vec<char> = MAC_ROMAN.chars().collect();
    let win: Vec<char> = CP1252.chars().collect();
    assert_eq!((mac.len(), win.len()), (128, 32), "encoder tables");
    text.bytes()
        .map(|b| match (b, enc) {
            (0..=0x7F, _) => b as char,
            (_, Legacy::MacRoman) => mac[b as usize - 0x80],
            (0x80..=0x9F, Legacy::Windows1252) => win[b as usize - 0x80],
            (_, Legacy::Windows1252) => char::from(b),
        })
        .collect()
}

/// Clean text in several scripts: never mojibake.
pub const CLEAN: &[(&str, &str)] = &[
    ("Français.md", "# Fiche d'Identité\n\nSiège à Genève, rôle : « normalisation » — œuvre, Noël, ça, déjà vu… coût : 3 € ; 2° ; ±5 %.\n"),
    ("Deutsch.md", "# Größenänderung\n\nFür Übersetzungen: „Ölpreis“ – Straße, Maß, ÄÖÜ äöü ß.\n"),
    ("Ελληνικά.md", "# Οργανισμός Τυποποίησης\n\nΕλληνικά: μαθηματικά π ≈ 3,14.\n"),
    ("中文.md", "# 国际标准化组织\n\n国际标准化组织 (ISO) 日本語のテキスト 한국어 텍스트\n"),
    ("Emoji.md", "# Emoji 🎯\n\n🎯 📚 ✅ ⚠️ 👩‍💻 and symbols ™ © ® ¶ § † ‡ — Ångström, Øresund, Dvořák.\n"),
];
