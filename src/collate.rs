//! The order of listings: what a reader expects, not the order of bytes.
//!
//! Titles are compared by the Unicode Collation Algorithm with the CLDR root
//! order (the order of English and French alike: accents count only between
//! words that are otherwise the same, then case), digits by their value
//! (`Chapitre 2` before `Chapitre 10`), through ICU4X's collator. A note's
//! `order` property (a number) puts it before the notes without one, by that
//! number. Listings sort by the key of [`key`], so the explorer, folder and
//! tag pages and previous/next agree.

use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use std::sync::LazyLock;

static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let mut prefs = CollatorPreferences::from(&icu_locale_core::locale!("und"));
    prefs.numeric_ordering = Some(CollationNumericOrdering::True);
    Collator::try_new(prefs, CollatorOptions::default()).ok()
});

/// The sort key of a title, with the note's `order` if it has one: keys
/// compare as bytes in the order listings show.
pub fn key(title: &str, order: Option<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(title.len() * 2 + 10);
    match order.filter(|o| o.is_finite()) {
        Some(o) => {
            out.push(0);
            // An f64's bits, made to compare as unsigned bytes.
            let bits = o.to_bits();
            let sortable = if o.is_sign_negative() {
                !bits
            } else {
                bits | (1 << 63)
            };
            out.extend_from_slice(&sortable.to_be_bytes());
        }
        None => out.push(1),
    }
    match COLLATOR.as_ref() {
        Some(c) => {
            let _ = c.write_sort_key_to(title, &mut out);
        }
        None => out.extend_from_slice(crate::paths::name_key(title).as_bytes()),
    }
    out
}

/// A note's `order` property, when it is a number.
pub fn order_of(properties: &[(String, crate::frontmatter::Value)]) -> Option<f64> {
    properties.iter().find_map(|(k, v)| match v {
        crate::frontmatter::Value::Number(n) if k == "order" => n.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(titles: &[&str]) -> Vec<String> {
        let mut t: Vec<&str> = titles.to_vec();
        t.sort_by_cached_key(|s| key(s, None));
        t.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn french_titles_sort_as_a_french_reader_expects() {
        assert_eq!(
            sorted(&[
                "Systèmes",
                "Évaluation",
                "Série",
                "Carte",
                "cote",
                "côte",
                "Côte",
                "Zèbre",
                "école"
            ]),
            [
                "Carte",
                "cote",
                "côte",
                "Côte",
                "école",
                "Évaluation",
                "Série",
                "Systèmes",
                "Zèbre"
            ]
        );
        assert_eq!(
            sorted(&[
                "Chapitre 10",
                "Chapitre 2",
                "Chapitre 1",
                "10_COURS",
                "2_TD"
            ]),
            [
                "2_TD",
                "10_COURS",
                "Chapitre 1",
                "Chapitre 2",
                "Chapitre 10"
            ]
        );
    }

    #[test]
    fn an_order_comes_first_by_its_value() {
        let mut t = [
            ("Zèbre", Some(1.0)),
            ("Alpha", None),
            ("Moins", Some(-2.5)),
            ("Bêta", Some(10.0)),
        ];
        t.sort_by_cached_key(|(s, o)| key(s, *o));
        let names: Vec<&str> = t.iter().map(|(s, _)| *s).collect();
        assert_eq!(names, ["Moins", "Zèbre", "Bêta", "Alpha"]);
    }
}
