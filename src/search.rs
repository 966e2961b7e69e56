//! Search data: the files the browser searches with, no server needed.
//!
//! Part of emit (stage 6): a pure function from a [`SiteView`] to file
//! contents; [`crate::emit`] writes them. Only published notes are read, so
//! a draft never reaches the index. No I/O, no HTML.
//!
//! The index is split so that a first query loads little, whatever the size
//! of the vault (the theme's `search.js` reads it):
//!
//! - `search-index.js`, the only file every search loads: the number of
//!   documents, the stop words and the list of term shards with their sizes.
//!   It grows with the vocabulary's prefixes, not with the notes.
//! - `search/t/<prefix>.js`: the postings of every term starting with
//!   `<prefix>` (two letters, or more where a shard would exceed
//!   [`SHARD_BYTES`]), each as delta-coded document ids and weights.
//! - `search/d/<block>.js`: [`DOC_BLOCK`] documents in a row (title, URL,
//!   aliases, headings, tags and the first [`EXCERPT_CHARS`] characters of
//!   text; document `n` is item `n % DOC_BLOCK` of block `n / DOC_BLOCK`),
//!   loaded per result to
//!   show it with its excerpt.
//!
//! Every file is a script calling `window.ISOKB_SEARCH_SHARD(name, data)`, so
//! the site searches from `file://` as well as over HTTP.
//!
//! Words are folded (NFD, combining accents removed, lower case, `œ` → `oe`,
//! `æ` → `ae`), split on anything but letters and digits, and kept from 2 to
//! [`MAX_TERM_CHARS`] characters. Word forms (plurals, common French and
//! English suffixes) are matched by the browser, which compares light stems of
//! the terms in a shard; prefixes are matched there too. [`fold`] and
//! [`terms`] mirror `fold` and `words` in `search.js` exactly.

use crate::paths::{relative_url, LinkStyle};
use crate::view::SiteView;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file every search loads first.
pub const MANIFEST: &str = "search-index.js";
/// A term shard larger than this is split by one more letter.
pub const SHARD_BYTES: usize = 48 * 1024;
/// How much of a note's text its document file keeps for excerpts (the
/// terms index reads all of it): 2,500 characters, a long page's first
/// screens; a match further down shows the note's opening.
pub const EXCERPT_CHARS: usize = 2500;
/// Documents per document file: fewer files to write (an eighth of a file a
/// note, for the hosts that count files), a little more to load per result.
pub const DOC_BLOCK: usize = 8;
/// Longer runs of letters (hashes, run-together URLs) are not indexed.
pub const MAX_TERM_CHARS: usize = 40;

/// Words too common to tell notes apart: indexed only where they occur in a
/// title or an alias, and optional in queries that have other words.
/// Sorted, French and English together.
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "au", "aux", "avec", "be", "but", "by", "ce", "ces", "cette",
    "dans", "de", "des", "du", "elle", "en", "est", "et", "for", "from", "has", "have", "il",
    "ils", "in", "is", "it", "its", "la", "le", "les", "leur", "leurs", "lui", "mais", "ne", "ni",
    "nous", "of", "on", "or", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "son", "sont", "sur", "that", "the", "this", "to", "un", "une", "vous", "was", "were", "which",
    "with",
];

/// Whether a folded term is one of [`STOP_WORDS`] (none is longer than five
/// bytes): its bytes packed in a number, looked up among theirs.
fn is_stop_word(t: &str) -> bool {
    t.len() <= 5 && STOP_CODES.binary_search(&word_code(t.as_bytes())).is_ok()
}

/// A word of at most seven bytes as a number: its length, then its bytes.
const fn word_code(w: &[u8]) -> u64 {
    let mut code = w.len() as u64;
    let mut i = 0;
    while i < w.len() {
        code |= (w[i] as u64) << (8 * (i + 1));
        i += 1;
    }
    code
}

/// [`STOP_WORDS`] as [`word_code`]s, sorted.
const STOP_CODES: [u64; STOP_WORDS.len()] = {
    let mut codes = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < codes.len() {
        assert!(STOP_WORDS[i].len() <= 5);
        // Insertion sort: the only sort a constant can run.
        let code = word_code(STOP_WORDS[i].as_bytes());
        let mut j = i;
        while j > 0 && codes[j - 1] > code {
            codes[j] = codes[j - 1];
            j -= 1;
        }
        codes[j] = code;
        i += 1;
    }
    codes
};

/// Field weights of a posting: a word in the title counts most.
const W_TITLE: u32 = 12;
const W_ALIAS: u32 = 8;
const W_HEADING: u32 = 4;
const W_TAG: u32 = 4;
/// Title, alias, heading, tag.
const FIELD_WEIGHTS: [u32; 4] = [W_TITLE, W_ALIAS, W_HEADING, W_TAG];
/// Occurrences in the text count up to this many.
const MAX_TF: u32 = 5;

/// The search files: the manifest and the shards, by site-relative path.
#[derive(Debug, Default)]
pub struct SearchFiles {
    /// `search-index.js`.
    pub manifest: String,
    /// Term shards and document files.
    pub files: Vec<(String, String)>,
}

/// Folds text the way search compares it: accents removed, lower case.
/// `Sécurité` → `securite`, `Œuvre` → `oeuvre`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // A run of ASCII (most of any text) is copied, then lower-cased in place.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        fold_char(c, &mut out);
    }
    out
}

/// One character folded: decomposed, accents dropped, lower-cased, `œ` and
/// `æ` spelt out.
fn fold_char(c: char, out: &mut String) {
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !('\u{300}'..='\u{36f}').contains(&d) {
            for l in d.to_lowercase() {
                match l {
                    'œ' => out.push_str("oe"),
                    'æ' => out.push_str("ae"),
                    l => out.push(l),
                }
            }
        }
    });
}

/// Whether a folded character belongs to a word (the `WORD` class of `search.js`).
pub const fn is_word_char(c: char) -> bool {
    matches!(c,
        '0'..='9' | 'a'..='z' | '\u{b5}' | '\u{df}'..='\u{f6}' | '\u{f8}'..='\u{2af}'
        | '\u{370}'..='\u{1fff}' | '\u{3040}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// Calls `f` with each indexed word of a text, folded, in order.
fn each_term(s: &str, f: impl FnMut(&'_ str)) {
    each_folded_term(&fold(s), f);
}

/// [`each_term`] of a text already folded: the words borrow it.
fn each_folded_term<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) {
    /// Which ASCII bytes are word characters (see [`is_word_char`]).
    const WORD: [bool; 128] = {
        let mut t = [false; 128];
        let mut b = 0;
        while b < 128 {
            t[b] = is_word_char(b as u8 as char);
            b += 1;
        }
        t
    };
    let bytes = folded.as_bytes();
    let mut emit = |start: usize, end: usize, ascii: bool| {
        let w = &folded[start..end];
        // Byte length bounds the character count: skip the count when it can.
        let ok = if ascii {
            (2..=MAX_TERM_CHARS).contains(&w.len())
        } else {
            (2..=MAX_TERM_CHARS).contains(&w.chars().count())
        };
        if ok {
            f(w);
        }
    };
    // Byte by byte through ASCII, a character at a time through the rest.
    let (mut start, mut ascii, mut i) = (0, true, 0);
    while i < bytes.len() {
        let (word, len) = match bytes[i] {
            b @ 0..=0x7f => (WORD[usize::from(b)], 1),
            _ => folded[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (is_word_char(c), c.len_utf8())),
        };
        if !word {
            emit(start, i, ascii);
            (start, ascii) = (i + len, true);
        } else if len > 1 {
            ascii = false;
        }
        i += len;
    }
    emit(start, bytes.len(), ascii);
}

/// The indexed words of a text, folded, in order (repeats kept).
pub fn terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(s, |w| out.push(w.to_string()));
    out
}

/// A shard's file name part: `[0-9a-z]` kept, anything else as `_<hex>`.
pub fn shard_name(key: &str) -> String {
    let mut s = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            s.push(c);
        } else {
            s.push_str(&format!("_{:x}", c as u32));
        }
    }
    s
}

/// One searchable note.
#[derive(Serialize)]
struct Doc<'a> {
    t: &'a str,
    u: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    a: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    h: Vec<&'a str>,
    /// The headings' ids, in the same order as `h`: a result opens at the
    /// heading the query names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    i: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    g: Vec<&'a str>,
    x: &'a str,
}

/// The weight of each term of one document, in no particular order.
#[cfg(test)]
fn doc_terms(
    title: &str,
    aliases: &[String],
    headings: &[&str],
    tags: &[&str],
    text: &str,
) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    each_doc_term(title, aliases, headings, tags, text, |t, w| {
        out.push((t.to_string(), w));
    });
    out
}

/// Calls `f` with each term of one document and its weight, in no
/// particular order. The terms borrow the folded text: a caller that keeps
/// them copies only those it has not seen yet.
fn each_doc_term(
    title: &str,
    aliases: &[String],
    headings: &[&str],
    tags: &[&str],
    text: &str,
    mut f: impl FnMut(&str, u32),
) {
    #[derive(Default)]
    struct Acc {
        fields: u32,
        tf: u32,
    }
    // Folded once; the map's keys point into these.
    let fields: Vec<(String, u32)> = std::iter::once((fold(title), 1))
        .chain(aliases.iter().map(|a| (fold(a), 2)))
        .chain(headings.iter().map(|h| (fold(h), 4)))
        .chain(tags.iter().map(|g| (fold(g), 8)))
        .collect();
    let text = fold(text);
    // About one distinct term per dozen bytes of text: sized once, not regrown.
    let room = (text.len() / 12 + 16).min(4096);
    let mut acc: HashMap<&str, Acc> = HashMap::with_capacity_and_hasher(room, Default::default());
    // One bit per field, in the order of `FIELD_WEIGHTS`.
    for (s, bit) in &fields {
        each_folded_term(s, |t| acc.entry(t).or_default().fields |= bit);
    }
    each_folded_term(&text, |t| acc.entry(t).or_default().tf += 1);
    for (t, a) in acc {
        if a.fields & 3 == 0 && is_stop_word(t) {
            continue;
        }
        let fields: u32 = FIELD_WEIGHTS
            .iter()
            .enumerate()
            .filter(|(bit, _)| a.fields & (1 << bit) != 0)
            .map(|(_, w)| w)
            .sum();
        f(t, fields + a.tf.min(MAX_TF));
    }
}

/// Documents a one-shot build can number in a packed posting: 24 bits.
const PACKED_DOCS: usize = (1 << 24) - 1;
/// The largest weight a posting can have: every field plus the text.
const MAX_WEIGHT: u32 = W_TITLE + W_ALIAS + W_HEADING + W_TAG + MAX_TF;
const _: () = assert!(MAX_WEIGHT < 256, "a weight is kept in a byte");

/// A posting in one `u32`: the document above the weight, so that packed
/// postings sort as the pairs do.
fn pack(doc: u32, weight: u32) -> u32 {
    (doc << 8) | weight
}

fn unpack(p: u32) -> (u32, u32) {
    (p >> 8, p & 0xff)
}

/// Builds every search file from the published notes.
pub fn build(v: &SiteView) -> SearchFiles {
    SearchIndex::new(v).files()
}

/// The published notes in the listings' order (collation, then `order`):
/// documents are numbered so, and search breaks ties by number, so equal
/// scores list as the explorer does.
fn in_listing_order(v: &SiteView) -> Vec<usize> {
    let idx = v.index;
    let mut ids: Vec<usize> = (0..v.notes.len())
        .filter(|&i| idx.notes[i].listed)
        .collect();
    ids.sort_by(|&a, &b| {
        idx.notes[a]
            .sort_key
            .cmp(&idx.notes[b].sort_key)
            .then(a.cmp(&b))
    });
    ids
}

/// Writes the same files as [`build`] through `put` (site-relative path,
/// contents, handed over), in parallel, keeping only what the step at hand needs: a
/// document file is written as soon as its notes are indexed, a term shard
/// as soon as its postings are merged. For one-shot builds, where nothing
/// is kept for later edits. Returns how many files were written.
pub fn write_all(v: &SiteView, put: &(dyn Fn(&str, Vec<u8>) + Sync)) -> usize {
    let style = v.config.link_style();
    let ids = in_listing_order(v);
    if ids.len() > PACKED_DOCS {
        let files = build(v);
        put(MANIFEST, files.manifest.into_bytes());
        let n = files.files.len();
        for (path, text) in files.files {
            put(&path, text.into_bytes());
        }
        return 1 + n;
    }
    // Document files, and each thread's postings by term, each posting
    // packed in a `u32` (see [`pack`]): half the memory of pairs.
    type Lists = HashMap<String, Vec<u32>>;
    let lists: Lists = ids
        .par_chunks(DOC_BLOCK)
        .enumerate()
        .fold(Lists::default, |mut lists, (b, chunk)| {
            let mut docs = Vec::with_capacity(chunk.len());
            for (k, &i) in chunk.iter().enumerate() {
                let d = (b * DOC_BLOCK + k) as u32;
                docs.push(document_with(v, i, style, |t, w| match lists.get_mut(t) {
                    Some(list) => list.push(pack(d, w)),
                    None => {
                        lists.insert(t.to_string(), vec![pack(d, w)]);
                    }
                }));
            }
            let name = format!("d/{b}");
            put(
                &format!("search/{name}.js"),
                jsonp(&name, &format!("[{}]", docs.join(","))).into_bytes(),
            );
            lists
        })
        .reduce(Lists::default, |a, b| {
            let (mut a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
            for (t, list) in b {
                a.entry(t).or_default().extend(list);
            }
            a
        });
    type Term = (String, Vec<u32>);
    let mut terms: Vec<Term> = lists.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
        .par_iter_mut()
        .for_each(|(_, list)| list.sort_unstable());
    // Terms sharing their first two letters are neighbours once sorted.
    let mut groups: Vec<&[Term]> = Vec::new();
    let mut start = 0;
    while start < terms.len() {
        let key = group_of(&terms[start].0);
        let len = terms[start..]
            .iter()
            .position(|(t, _)| group_of(t) != key)
            .unwrap_or(terms.len() - start);
        groups.push(&terms[start..start + len]);
        start += len;
    }
    let sizes: Vec<Vec<(String, usize)>> = groups
        .par_iter()
        .map(|group| {
            let entries: Vec<(String, String)> = group
                .iter()
                .map(|(t, list)| (t.clone(), posting_entry(t, list.iter().map(|&p| unpack(p)))))
                .collect();
            let mut shards = Vec::new();
            split_shard(&entries, group_of(&group[0].0), &mut shards);
            shards
                .into_iter()
                .map(|(k, body)| {
                    let name = format!("t/{}", shard_name(&k));
                    let js = jsonp(&name, &body);
                    let len = js.len();
                    put(&format!("search/{name}.js"), js.into_bytes());
                    (k, len)
                })
                .collect()
        })
        .collect();
    let shards: usize = sizes.iter().map(Vec::len).sum();
    let sizes: BTreeMap<&str, usize> = sizes
        .iter()
        .flatten()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    put(MANIFEST, manifest_js(ids.len(), &sizes).into_bytes());
    1 + shards + ids.len().div_ceil(DOC_BLOCK)
}

fn manifest_js(docs: usize, sizes: &BTreeMap<&str, usize>) -> String {
    let manifest = serde_json::json!({
        "v": 1,
        "n": docs,
        "k": sizes,
        "s": STOP_WORDS,
        "x": EXCERPT_CHARS,
        "b": DOC_BLOCK,
    });
    jsonp("index", &manifest.to_string())
}

/// A term's postings (document, weight), sorted by document, and their JSON.
type Posting = (Vec<(u32, u32)>, String);

/// The search data kept between rebuilds, so that an edit redoes only the
/// term shards and the document file it touches (`serve`).
pub struct SearchIndex {
    /// Published notes, in document order.
    ids: Vec<usize>,
    doc_of: HashMap<usize, u32>,
    /// Per document: its terms and weights, in no particular order.
    terms: Vec<Vec<(String, u32)>>,
    /// Per document: its JSON.
    docs: Vec<String>,
    /// Per term: its postings (sorted by document) and their JSON entry.
    postings: BTreeMap<String, Posting>,
    /// Per two-letter group: its shards (key, file contents).
    groups: BTreeMap<String, Vec<(String, String)>>,
}

/// The terms and the JSON of note `i`.
fn document(v: &SiteView, i: usize, style: LinkStyle) -> (Vec<(String, u32)>, String) {
    let mut weights = Vec::new();
    let doc = document_with(v, i, style, |t, w| weights.push((t.to_string(), w)));
    (weights, doc)
}

/// The JSON of note `i`, calling `f` with each of its terms and weights.
fn document_with(v: &SiteView, i: usize, style: LinkStyle, f: impl FnMut(&str, u32)) -> String {
    let idx = v.index;
    let n = &v.notes[i];
    let headings: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    let tags: Vec<&str> = idx.notes[i]
        .tags
        .iter()
        .filter_map(|k| idx.tags.get(k).map(|t| t.name.as_str()))
        .collect();
    each_doc_term(&n.title, &n.front.aliases, &headings, &tags, &n.text, f);
    let doc = Doc {
        t: &n.title,
        u: relative_url(0, &idx.note_url(i), style),
        a: &n.front.aliases,
        h: headings,
        i: n.headings.iter().map(|h| h.id.as_str()).collect(),
        g: tags,
        x: n.text
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(n.text.as_str(), |(end, _)| &n.text[..end]),
    };
    serde_json::to_string(&doc).unwrap_or_default()
}

fn group_of(term: &str) -> String {
    term.chars().take(2).collect()
}

impl SearchIndex {
    /// Indexes every published note of `v`.
    pub fn new(v: &SiteView) -> SearchIndex {
        let style = v.config.link_style();
        let ids = in_listing_order(v);
        let (terms, docs): (Vec<_>, Vec<_>) =
            ids.par_iter().map(|&i| document(v, i, style)).unzip();
        let mut lists: HashMap<&str, Vec<(u32, u32)>> = HashMap::default();
        for (d, weights) in terms.iter().enumerate() {
            for (t, w) in weights {
                lists.entry(t.as_str()).or_default().push((d as u32, *w));
            }
        }
        let mut entries: Vec<(String, Posting)> = lists
            .into_par_iter()
            .map(|(t, list)| {
                let e = posting_entry(t, list.iter().copied());
                (t.to_string(), (list, e))
            })
            .collect();
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let postings: BTreeMap<String, Posting> = entries.into_iter().collect();
        let keys: Vec<String> = {
            let mut k: Vec<String> = postings.keys().map(|t| group_of(t)).collect();
            k.dedup();
            k
        };
        let mut me = SearchIndex {
            doc_of: ids
                .iter()
                .enumerate()
                .map(|(d, &i)| (i, d as u32))
                .collect(),
            ids,
            terms,
            docs,
            postings,
            groups: BTreeMap::new(),
        };
        let groups: Vec<(String, Vec<(String, String)>)> = keys
            .into_par_iter()
            .map(|k| {
                let g = me.group(&k);
                (k, g)
            })
            .collect();
        me.groups = groups.into_iter().collect();
        me
    }

    /// The shards of the terms starting with `key`.
    fn group(&self, key: &str) -> Vec<(String, String)> {
        let entries: Vec<(String, String)> = self
            .postings
            .range(key.to_string()..)
            .take_while(|(t, _)| t.starts_with(key))
            .map(|(t, (_, e))| (t.clone(), e.clone()))
            .collect();
        let mut shards = Vec::new();
        if !entries.is_empty() {
            split_shard(&entries, key.to_string(), &mut shards);
        }
        shards
            .into_iter()
            .map(|(k, body)| {
                let name = format!("t/{}", shard_name(&k));
                let js = jsonp(&name, &body);
                (k, js)
            })
            .collect()
    }

    fn manifest(&self) -> String {
        let sizes: BTreeMap<&str, usize> = self
            .groups
            .values()
            .flatten()
            .map(|(k, js)| (k.as_str(), js.len()))
            .collect();
        manifest_js(self.docs.len(), &sizes)
    }

    fn block(&self, b: usize) -> (String, String) {
        let name = format!("d/{b}");
        let end = (b * DOC_BLOCK + DOC_BLOCK).min(self.docs.len());
        let docs: Vec<&str> = self.docs[b * DOC_BLOCK..end]
            .iter()
            .map(String::as_str)
            .collect();
        (
            format!("search/{name}.js"),
            jsonp(&name, &format!("[{}]", docs.join(","))),
        )
    }

    /// Every file.
    pub fn files(&self) -> SearchFiles {
        let mut files: Vec<(String, String)> = self
            .groups
            .values()
            .flatten()
            .map(|(k, js)| (format!("search/t/{}.js", shard_name(k)), js.clone()))
            .collect();
        files.extend((0..self.docs.len().div_ceil(DOC_BLOCK)).map(|b| self.block(b)));
        SearchFiles {
            manifest: self.manifest(),
            files,
        }
    }

    /// Indexes the notes `edited` again and returns the files that changed
    /// (the manifest always), or `None` when the published notes are not
    /// the same any more (then build a new index).
    pub fn update(&mut self, v: &SiteView, edited: &BTreeSet<usize>) -> Option<SearchFiles> {
        // The same published notes in the same order (a title change can
        // move a note in the listings, and so renumber the documents).
        if in_listing_order(v) != self.ids {
            return None;
        }
        let style = v.config.link_style();
        let mut touched_terms: BTreeSet<String> = BTreeSet::new();
        let mut blocks = BTreeSet::new();
        for &i in edited {
            let Some(&d) = self.doc_of.get(&i) else {
                continue;
            };
            let (new_terms, doc) = document(v, i, style);
            let old_terms = std::mem::replace(&mut self.terms[d as usize], new_terms);
            if self.docs[d as usize] != doc {
                self.docs[d as usize] = doc;
                blocks.insert(d as usize / DOC_BLOCK);
            }
            let new_terms = &self.terms[d as usize];
            let old_map: HashMap<&str, u32> =
                old_terms.iter().map(|(t, w)| (t.as_str(), *w)).collect();
            let new_map: HashMap<&str, u32> =
                new_terms.iter().map(|(t, w)| (t.as_str(), *w)).collect();
            for (t, _) in &old_terms {
                if !new_map.contains_key(t.as_str()) {
                    if let Some((list, _)) = self.postings.get_mut(t) {
                        list.retain(|(x, _)| *x != d);
                    }
                    touched_terms.insert(t.clone());
                }
            }
            for (t, w) in new_terms {
                if old_map.get(t.as_str()) == Some(w) {
                    continue;
                }
                let (list, _) = self.postings.entry(t.clone()).or_default();
                match list.binary_search_by(|(x, _)| x.cmp(&d)) {
                    Ok(p) => list[p].1 = *w,
                    Err(p) => list.insert(p, (d, *w)),
                }
                touched_terms.insert(t.clone());
            }
        }
        let mut groups = BTreeSet::new();
        for t in &touched_terms {
            let empty = self
                .postings
                .get(t)
                .is_some_and(|(list, _)| list.is_empty());
            if empty {
                self.postings.remove(t);
            } else if let Some((list, e)) = self.postings.get_mut(t) {
                *e = posting_entry(t, list.iter().copied());
            }
            groups.insert(group_of(t));
        }
        let mut files = Vec::new();
        for g in groups {
            let shards = self.group(&g);
            for (k, js) in &shards {
                files.push((format!("search/t/{}.js", shard_name(k)), js.clone()));
            }
            if shards.is_empty() {
                self.groups.remove(&g);
            } else {
                self.groups.insert(g, shards);
            }
        }
        files.extend(blocks.into_iter().map(|b| self.block(b)));
        Some(SearchFiles {
            manifest: self.manifest(),
            files,
        })
    }
}

/// `"term":[id,w,Δid,w,…]`, ids delta-coded in increasing order.
fn posting_entry(term: &str, list: impl IntoIterator<Item = (u32, u32)>) -> String {
    let mut s = serde_json::to_string(term).unwrap_or_default();
    s.push_str(":[");
    let mut prev = 0;
    let mut num = itoa::Buffer::new();
    for (k, (d, w)) in list.into_iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push_str(num.format(d - prev));
        s.push(',');
        s.push_str(num.format(w));
        prev = d;
    }
    s.push(']');
    s
}

/// Groups sorted entries sharing `key` into shards of at most [`SHARD_BYTES`]
/// where possible: an oversized group keeps the term equal to its key and
/// splits the rest by the next letter.
fn split_shard(entries: &[(String, String)], key: String, out: &mut Vec<(String, String)>) {
    let size: usize = entries.iter().map(|(_, e)| e.len() + 1).sum();
    let klen = key.chars().count();
    if size <= SHARD_BYTES || entries.len() == 1 {
        out.push((key, object(entries)));
        return;
    }
    let (exact, longer): (Vec<_>, Vec<_>) = entries
        .iter()
        .cloned()
        .partition(|(t, _)| t.chars().count() == klen);
    if !exact.is_empty() {
        out.push((key, object(&exact)));
    }
    let mut start = 0;
    while start < longer.len() {
        let sub: String = longer[start].0.chars().take(klen + 1).collect();
        let end = start
            + longer[start..]
                .iter()
                .position(|(t, _)| !t.starts_with(&sub))
                .unwrap_or(longer.len() - start);
        split_shard(&longer[start..end], sub, out);
        start = end;
    }
}

fn object(entries: &[(String, String)]) -> String {
    let mut s = String::from("{");
    for (k, (_, e)) in entries.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push_str(e);
    }
    s.push('}');
    s
}

/// `window.ISOKB_SEARCH_SHARD("name",{…});` with `<` escaped, so the data
/// stays inert even where the file is misread as HTML.
fn jsonp(name: &str, json: &str) -> String {
    format!(
        "window.ISOKB_SEARCH_SHARD({},{});\n",
        serde_json::to_string(name).unwrap_or_default(),
        json.replace('<', "\\u003c")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_postings_sort_and_read_back_as_pairs() {
        let pairs = [
            (0, 1),
            (0, MAX_WEIGHT),
            (1, 0),
            (7, 12),
            (PACKED_DOCS as u32, MAX_WEIGHT),
        ];
        let mut packed: Vec<u32> = pairs.iter().rev().map(|&(d, w)| pack(d, w)).collect();
        packed.sort_unstable();
        let back: Vec<(u32, u32)> = packed.into_iter().map(unpack).collect();
        assert_eq!(back, pairs);
    }

    #[test]
    fn folding_and_splitting_agree_with_char_by_char_versions() {
        // The plain versions: every character through the slow path.
        let slow_fold = |s: &str| {
            let mut out = String::new();
            s.chars().for_each(|c| fold_char(c, &mut out));
            out
        };
        let slow_terms = |folded: &str| -> Vec<String> {
            folded
                .split(|c: char| !is_word_char(c))
                .filter(|w| (2..=MAX_TERM_CHARS).contains(&w.chars().count()))
                .map(str::to_string)
                .collect()
        };
        let pieces = [
            "Qualité",
            " ",
            "ISO",
            "9001",
            "-",
            "l'",
            "É",
            "œ",
            "Straße",
            "\u{301}",
            "日本語",
            "x",
            "«\u{a0}",
            "’",
            "_",
            "\n",
            "ab",
            "Ω",
            "\u{1F600}",
            "#tag/sous",
        ];
        for s in crate::render::tests::mixed_strings(&pieces, 30, 40, 11) {
            let folded = fold(&s);
            assert_eq!(folded, slow_fold(&s), "{s:?}");
            let mut got = Vec::new();
            each_folded_term(&folded, |w| got.push(w.to_string()));
            assert_eq!(got, slow_terms(&folded), "{s:?}");
        }
        let long = "a".repeat(MAX_TERM_CHARS);
        assert_eq!(terms(&format!("{long} {long}b é{long}")), [long]);
    }

    #[test]
    fn folding_removes_accents_and_case() {
        for (input, want) in [
            ("Sécurité", "securite"),
            ("ÉCOLE", "ecole"),
            ("Œuvre Æther", "oeuvre aether"),
            ("Cafe\u{301}", "cafe"), // NFD input
            ("naïve Straße", "naive straße"),
            ("İstanbul", "istanbul"),
        ] {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn terms_split_on_punctuation_and_skip_single_letters() {
        assert_eq!(
            terms("L’ISO 9001 : non-conformité, a/b #qualité/audit"),
            ["iso", "9001", "non", "conformite", "qualite", "audit"]
        );
        assert!(terms(&"x".repeat(41)).is_empty());
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut s = STOP_WORDS.to_vec();
        s.sort_unstable();
        assert_eq!(s, STOP_WORDS);
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5 && is_stop_word(w)));
        assert!(!is_stop_word("donnees") && !is_stop_word("x"));
        // Neighbours of stop words: prefixes, extensions, other lengths.
        for near in [
            "", "a", "l", "whic", "withs", "lesx", "le ", "thes", "ann", "d",
        ] {
            assert!(!is_stop_word(near), "{near:?}");
        }
    }

    #[test]
    fn weights_favour_titles_and_drop_stop_words_from_text() {
        let w = doc_terms(
            "Sécurité des données",
            &["RGPD".into()],
            &["Accès"],
            &["qualité/audit"],
            "La sécurité des accès et des données. Sécurité.",
        );
        let get = |t: &str| w.iter().find(|(k, _)| k == t).map(|(_, w)| *w);
        assert_eq!(get("securite"), Some(W_TITLE + 2));
        assert_eq!(
            get("des"),
            Some(W_TITLE + 2),
            "stop word kept: in the title"
        );
        assert_eq!(get("la"), None, "stop word only in the text");
        assert_eq!(get("rgpd"), Some(W_ALIAS));
        assert_eq!(get("acces"), Some(W_HEADING + 1));
        assert_eq!(get("audit"), Some(W_TAG));
    }

    #[test]
    fn shard_names_are_safe_file_names() {
        assert_eq!(shard_name("se"), "se");
        assert_eq!(shard_name("ßa"), "_dfa");
        assert_eq!(shard_name("σε"), "_3c3_3b5");
    }

    #[test]
    fn postings_are_delta_coded() {
        assert_eq!(
            posting_entry("audit", [(3, 12), (5, 1), (40, 2)]),
            "\"audit\":[3,12,2,1,35,2]"
        );
    }

    #[test]
    fn oversized_shards_split_by_the_next_letter() {
        let big = "1,1,".repeat(SHARD_BYTES / 6);
        let entries: Vec<(String, String)> = ["se", "sec", "secu", "sel"]
            .iter()
            .map(|t| (t.to_string(), format!("\"{t}\":[{big}1]")))
            .collect();
        let mut out = Vec::new();
        split_shard(&entries, "se".into(), &mut out);
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["se", "sec", "secu", "sel"]);
        let small: Vec<(String, String)> = entries
            .iter()
            .map(|(t, _)| (t.clone(), format!("\"{t}\":[1,1]")))
            .collect();
        let mut out = Vec::new();
        split_shard(&small, "se".into(), &mut out);
        assert_eq!(out.len(), 1);
        assert!(
            out[0].1.starts_with("{\"se\":[1,1],\"sec\""),
            "{}",
            out[0].1
        );
    }
}
