//! Index: every name, slug, alias, tag and link of the vault, resolved.
//!
//! Fourth stage. From all parsed notes and the attachment list it decides
//! which notes are published, gives every page a unique slug, resolves every
//! link (see `resolve`), anchor, alias and tag, and computes backlinks.
//! Rendering, `check` and the graph all read the [`Index`]; none of them
//! resolves anything again. No filesystem, no HTML.

pub mod graph;

use crate::diagnostics::{Diagnostic, Kind, Position};
use crate::ids::{FileId, NoteId};
use crate::markdown::is_valid_tag;
use crate::parse::{LinkRef, Note};
use crate::paths::{name_key, slugify, Slug, UrlPath, VaultPath};
use crate::resolve::{bounded_distance, NameTable, Resolution, Target};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Top-level slugs the site itself uses.
pub const RESERVED: &[&str] = &["tags", "_static", "graph"];

/// Where one link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A published note, with the element id to jump to.
    Note {
        /// The note.
        id: NoteId,
        /// The anchor (`role-et-missions`, `^block`), when it exists in the target.
        fragment: Option<String>,
    },
    /// An attachment.
    File {
        /// The attachment.
        id: FileId,
    },
    /// A note that exists but is not published: shown as plain text.
    Unpublished,
    /// Nothing of that name.
    Broken,
}

/// What the index knows of one note.
#[derive(Debug, Clone)]
pub struct NoteInfo {
    /// The page's slug.
    pub slug: Slug,
    /// Whether the note is part of the site.
    pub published: bool,
    /// Whether the site lists it: published and not `unlisted` (the home
    /// note and folder notes always are). An unlisted note's page is
    /// reachable by its address and by links, and nowhere else: no folder,
    /// tag, backlink, graph, search, feed, sitemap or base shows it.
    pub listed: bool,
    /// The note's resolved body links, parallel to `Note::links`.
    pub links: Vec<Link>,
    /// Resolved links in properties, parallel to `Note::property_links`.
    pub property_links: Vec<Link>,
    /// Tag keys, front matter first, without repeats.
    pub tags: Vec<String>,
    /// Published notes linking or embedding this one, by title.
    pub backlinks: Vec<usize>,
    /// Where it comes in listings ([`crate::collate::key`] of its title and
    /// `order`).
    pub sort_key: Vec<u8>,
    /// Published notes this one links to.
    pub outlinks: Vec<usize>,
    /// The date it is listed under (see [`crate::parse::Note::listed_date`]).
    pub date: Option<String>,
}

/// A tag of the site.
#[derive(Debug, Clone, Default)]
pub struct TagInfo {
    /// The tag as first written (`ISO`, `norme/iso-9001`).
    pub name: String,
    /// Its page's slug (`tags/norme/iso-9001`).
    pub slug: Slug,
    /// Published notes carrying exactly this tag.
    pub notes: Vec<usize>,
    /// Keys of the direct child tags.
    pub children: BTreeSet<String>,
    /// Key of the parent tag.
    pub parent: Option<String>,
}

/// A folder of the vault that holds published notes.
#[derive(Debug, Clone, Default)]
pub struct FolderInfo {
    /// Its page's slug.
    pub slug: Slug,
    /// Display name (the folder's own name).
    pub name: String,
    /// Published notes directly in it (its index note excluded).
    pub notes: Vec<usize>,
    /// Vault paths of its direct subfolders.
    pub children: BTreeSet<String>,
    /// The note that introduces it (`folder/index.md` or `folder.md` beside it).
    pub index_note: Option<usize>,
}

/// An attachment of the site.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// Where it is published.
    pub url: UrlPath,
    /// Its own file name (`Brochure 2024.pdf`), shown for it.
    pub name: String,
    /// Whether a published note links to or embeds it.
    pub used: bool,
    /// Where it is in the vault.
    pub path: String,
}

/// Everything resolved.
#[derive(Debug, Default)]
pub struct Index {
    /// Per note, parallel to the note list.
    pub notes: Vec<NoteInfo>,
    /// Per attachment, parallel to the attachment list.
    pub files: Vec<FileInfo>,
    /// Tags by key (lower case, NFC).
    pub tags: BTreeMap<String, TagInfo>,
    /// Folders by vault path (`""` is the top).
    pub folders: BTreeMap<String, FolderInfo>,
    /// Alias redirect pages: slug and the note they lead to.
    pub redirects: Vec<(Slug, usize)>,
    /// The link graph of the published notes.
    pub graph: graph::Graph,
    /// What [`update_index`] reuses.
    pub memo: Memo,
    /// The home note (`index.md` at the top), if any.
    pub home: Option<usize>,
}

impl Index {
    /// The published notes at most `depth` links away from `seeds`, either way.
    pub fn around(&self, seeds: &BTreeSet<usize>, depth: u8) -> BTreeSet<usize> {
        let mut seen: BTreeSet<usize> = seeds
            .iter()
            .copied()
            .filter(|&i| self.notes.get(i).is_some_and(|n| n.published))
            .collect();
        let mut frontier: Vec<usize> = seen.iter().copied().collect();
        for _ in 0..depth {
            let mut next = Vec::new();
            for i in frontier {
                let n = &self.notes[i];
                for &j in n.outlinks.iter().chain(&n.backlinks) {
                    if self.notes.get(j).is_some_and(|m| m.published) && seen.insert(j) {
                        next.push(j);
                    }
                }
            }
            frontier = next;
        }
        seen
    }

    /// Adds the tag `key` and its ancestors to `out`.
    pub fn tag_with_ancestors(&self, key: &str, out: &mut BTreeSet<String>) {
        let mut k = Some(key.to_string());
        while let Some(cur) = k {
            k = self.tags.get(&cur).and_then(|t| t.parent.clone());
            out.insert(cur);
        }
    }

    /// The note's page, as a site-relative URL.
    pub fn note_url(&self, id: usize) -> UrlPath {
        self.notes[id].slug.url()
    }
}

/// A broken link: the name's key, where it is, the name as written.
type Broken = (String, Position, String);

impl Index {
    /// The published note a name written in a note of `from_folder` leads
    /// to, as a link `[[name]]` there would (Mermaid's `internal-link`
    /// nodes name notes this way).
    pub fn note_named(&self, name: &str, from_folder: &str) -> Option<usize> {
        match self.memo.table.resolve(name, from_folder) {
            Resolution::Found {
                target: Target::Note(id),
                ..
            } if self.memo.published.get(id.0).copied().unwrap_or(true) => Some(id.0),
            _ => None,
        }
    }
}

impl Index {
    /// The published note or the attachment a name written in a note of
    /// `from_folder` leads to, as a link `[[name]]` there would.
    pub fn target_named(&self, name: &str, from_folder: &str) -> Option<Target> {
        match self.memo.table.resolve(name, from_folder) {
            Resolution::Found {
                target: Target::Note(id),
                ..
            } if !self.memo.published.get(id.0).copied().unwrap_or(true) => None,
            Resolution::Found { target, .. } => Some(target),
            Resolution::Missing => None,
        }
    }
}

/// What an incremental update of the index reuses: the name table, and the
/// findings of each part, kept apart so that the parts done again can replace
/// theirs.
#[derive(Default)]
pub struct Memo {
    table: NameTable,
    published: Vec<bool>,
    slug_diags: Vec<Diagnostic>,
    alias_diags: Vec<Diagnostic>,
    /// Per note: findings of its links (ambiguity, anchors, drafts).
    link_diags: Vec<Vec<Diagnostic>>,
    /// Per note: its links to nothing.
    broken: Vec<Vec<Broken>>,
    /// Per note: its invalid tags.
    tag_diags: Vec<Vec<Diagnostic>>,
    /// "Did you mean" answers by name key (valid while the names stay).
    suggestions: HashMap<String, Option<String>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// Where a note comes in listings: its title, or its `order` first.
pub fn note_key(n: &Note) -> Vec<u8> {
    crate::collate::key(&n.title, crate::collate::order_of(&n.front.properties))
}

impl Index {
    /// Where a folder comes among its siblings: where its folder note would
    /// (its title, its `order`), else by its name.
    pub fn folder_key(&self, f: &FolderInfo) -> Vec<u8> {
        f.index_note.map_or_else(
            || crate::collate::key(&f.name, None),
            |i| self.notes[i].sort_key.clone(),
        )
    }

    /// Sorts notes by title (then by index, so the order is total).
    pub fn sort_by_title(&self, ids: &mut [usize]) {
        let n = &self.notes;
        ids.sort_by(|&x, &y| n[x].sort_key.cmp(&n[y].sort_key).then(x.cmp(&y)));
    }

    /// Every finding of the index, from the parts kept in the memo.
    fn diagnostics(&mut self, notes: &[Note]) -> Vec<Diagnostic> {
        let m = &mut self.memo;
        let mut diags: Vec<Diagnostic> = m.slug_diags.clone();
        diags.extend(m.link_diags.iter().flatten().cloned());
        // Wanted notes: one finding per target, at its first use, with a count.
        let mut wanted: BTreeMap<&str, (usize, Position, &str, Vec<usize>)> = BTreeMap::new();
        for (i, list) in m.broken.iter().enumerate() {
            for (key, pos, shown) in list {
                let e = wanted.entry(key).or_insert((i, *pos, shown, Vec::new()));
                e.3.push(i);
            }
        }
        let missing: Vec<&str> = wanted
            .keys()
            .filter(|k| !m.suggestions.contains_key(**k))
            .copied()
            .collect();
        if !missing.is_empty() {
            let names = Names::new(notes);
            let found: Vec<(String, Option<String>)> = missing
                .par_iter()
                .map(|k| (k.to_string(), names.suggest(k)))
                .collect();
            m.suggestions.extend(found);
        }
        for (key, (note, pos, shown, users)) in wanted {
            let files: BTreeSet<usize> = users.iter().copied().collect();
            let mut msg = format!("unresolved link `[[{shown}]]`: no note or file has that name");
            if users.len() > 1 {
                msg.push_str(&format!(
                    " ({} links in {} notes)",
                    users.len(),
                    files.len()
                ));
            }
            let mut d = Diagnostic::new(Kind::BrokenLink, notes[note].path.as_str(), msg).at(pos);
            d.help = Some(match m.suggestions.get(key).cloned().flatten() {
                Some(s) => format!("did you mean `[[{s}]]`?"),
                None => "create the note, or fix the link's spelling".into(),
            });
            diags.push(d);
        }
        diags.extend(m.tag_diags.iter().flatten().cloned());
        diags.extend(m.alias_diags.iter().cloned());
        diags
    }
}

/// Brings the index up to date after the notes `changed` were edited in
/// place, their names, aliases, permalinks, draft state and tags unchanged
/// (the caller checks; otherwise it calls [`build_index`]). Resolves again
/// the links of `redo` (from [`anchored_to`]: those notes and the notes
/// linking to them with an anchor) and returns every finding of the index.
pub fn update_index(
    index: &mut Index,
    notes: &[Note],
    changed: &BTreeSet<usize>,
    redo: &BTreeSet<usize>,
) -> Vec<Diagnostic> {
    for &i in changed {
        index.notes[i].sort_key = note_key(&notes[i]);
        index.notes[i].date = notes[i].listed_date();
    }
    let mut relinked = false;
    let published = std::mem::take(&mut index.memo.published);
    let mut resort: BTreeSet<usize> = BTreeSet::new();
    for &i in redo {
        let (links, props, d, broken) = resolve_links(i, notes, &index.memo.table, &published);
        index.notes[i].links = links;
        index.notes[i].property_links = props;
        index.memo.link_diags[i] = d;
        index.memo.broken[i] = broken;
        if !published[i] {
            continue;
        }
        let out = outlinks_of(&index.notes[i], i);
        let old = std::mem::replace(&mut index.notes[i].outlinks, out.clone());
        relinked |= old != out;
        if !index.notes[i].listed {
            // An unlisted note is in no backlinks.
            continue;
        }
        for t in old.iter().filter(|t| !out.contains(t)) {
            index.notes[*t].backlinks.retain(|&b| b != i);
        }
        for &t in out.iter().filter(|t| !old.contains(t)) {
            index.notes[t].backlinks.push(i);
            resort.insert(t);
        }
        if changed.contains(&i) {
            // Its title may have moved it in the lists it is in.
            resort.extend(out);
        }
    }
    for t in resort {
        let mut b = std::mem::take(&mut index.notes[t].backlinks);
        index.sort_by_title(&mut b);
        index.notes[t].backlinks = b;
    }
    mark_used_files(index, &published);
    index.memo.published = published;
    if relinked {
        index.graph = graph::Graph::new(index);
    }
    for &i in changed {
        index.memo.tag_diags[i] = note_tags(&notes[i]).1;
    }
    index.diagnostics(notes)
}

/// `changed` and the notes whose links reach one of them with an anchor
/// (whether the anchor exists can have changed).
pub fn anchored_to(index: &Index, notes: &[Note], changed: &BTreeSet<usize>) -> BTreeSet<usize> {
    let mut redo = changed.clone();
    for (i, (info, note)) in index.notes.iter().zip(notes).enumerate() {
        let hit = info
            .links
            .iter()
            .zip(&note.links)
            .chain(info.property_links.iter().zip(&note.property_links))
            .any(|(l, r)| {
                matches!(l, Link::Note { id, .. } if changed.contains(&id.0))
                    && r.raw.anchor.is_some()
            });
        if hit {
            redo.insert(i);
        }
    }
    redo
}

/// Builds the index. `drafts` publishes drafts too.
pub fn build_index(notes: &[Note], files: &[VaultPath], drafts: bool) -> (Index, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let published: Vec<bool> = notes.iter().map(|n| drafts || !n.is_draft()).collect();
    let listed: Vec<bool> = notes
        .iter()
        .zip(&published)
        .map(|(n, &p)| p && !n.is_unlisted())
        .collect();
    // The name table, and the folders and slugs, side by side.
    let (table, (folders, (slugs, home))) = rayon::join(
        || {
            NameTable::new(
                notes
                    .iter()
                    .map(|n| (n.path.as_str(), n.front.aliases.as_slice())),
                files.iter().map(VaultPath::as_str),
            )
        },
        || {
            (
                build_folders(notes, &listed),
                assign_slugs(notes, &mut diags),
            )
        },
    );
    let mut index = Index {
        folders,
        home,
        ..Index::default()
    };
    let listed: Vec<bool> = listed
        .iter()
        .enumerate()
        .map(|(i, &l)| l || (published[i] && Some(i) == home))
        .collect();
    index.files = file_urls(files);
    index.notes = notes
        .iter()
        .zip(&slugs)
        .zip(published.iter().zip(&listed))
        .map(|((_, slug), (&published, &listed))| NoteInfo {
            slug: slug.clone(),
            published,
            listed,
            links: Vec::new(),
            property_links: Vec::new(),
            tags: Vec::new(),
            backlinks: Vec::new(),
            outlinks: Vec::new(),
            sort_key: Vec::new(),
            date: None,
        })
        .collect();
    let keys: Vec<(Vec<u8>, Option<String>)> = notes
        .par_iter()
        .map(|n| (note_key(n), n.listed_date()))
        .collect();
    for (info, (key, date)) in index.notes.iter_mut().zip(keys) {
        info.sort_key = key;
        info.date = date;
    }
    let by_slug: HashMap<Slug, String> = index
        .folders
        .iter()
        .map(|(p, f)| (f.slug.clone(), p.clone()))
        .collect();
    for (i, slug) in slugs.iter().enumerate() {
        if !published[i] || Some(i) == home {
            continue;
        }
        if let Some(folder) = by_slug.get(slug).and_then(|p| index.folders.get_mut(p)) {
            if folder.index_note.is_none() {
                folder.index_note = Some(i);
                // A folder's page is listed with its folder.
                index.notes[i].listed = true;
                let parent = notes[i].path.folder().to_string();
                if let Some(f) = index.folders.get_mut(&parent) {
                    f.notes.retain(|&n| n != i);
                }
            }
        }
    }
    index.memo.slug_diags = diags;
    resolve_all(notes, &table, &published, &mut index);
    let (graph, tags) = rayon::join(
        || graph::Graph::new(&index),
        || note_tag_chains(notes, &index),
    );
    index.graph = graph;
    collect_tags(notes, tags, &mut index);
    let mut alias_diags = Vec::new();
    collect_aliases(notes, &mut index, &mut alias_diags);
    index.memo.alias_diags = alias_diags;
    index.memo.table = table;
    index.memo.published = published;
    let diags = index.diagnostics(notes);
    (index, diags)
}

fn build_folders(notes: &[Note], published: &[bool]) -> BTreeMap<String, FolderInfo> {
    let mut folders: BTreeMap<String, FolderInfo> = BTreeMap::new();
    folders.insert(String::new(), FolderInfo::default());
    for (i, n) in notes.iter().enumerate() {
        if !published[i] {
            continue;
        }
        let folder = n.path.folder().to_string();
        let mut path = folder.clone();
        loop {
            let parent = path
                .rfind('/')
                .map_or(String::new(), |j| path[..j].to_string());
            let entry = folders.entry(path.clone()).or_default();
            if entry.name.is_empty() {
                entry.name = path.rsplit('/').next().unwrap_or("").to_string();
                entry.slug = Slug::of_path(&path);
            }
            if path.is_empty() {
                break;
            }
            folders
                .entry(parent.clone())
                .or_default()
                .children
                .insert(path.clone());
            path = parent;
        }
        folders.entry(folder).or_default().notes.push(i);
    }
    folders
}

/// Gives each note a unique slug. Folder notes (`F/index.md`, `F.md` beside
/// `F/`) take their folder's slug; `index.md` at the top is the home page.
fn assign_slugs(notes: &[Note], diags: &mut Vec<Diagnostic>) -> (Vec<Slug>, Option<usize>) {
    let mut taken: HashMap<Slug, usize> = HashMap::new();
    let mut home = None;
    let mut slugs = Vec::with_capacity(notes.len());
    // Each note's own wish, made in parallel; the clashes are settled in order.
    let mut wishes: Vec<Slug> = notes
        .par_iter()
        .map(|n| match &n.front.permalink {
            Some(p) => Slug::of_path(p),
            None if n.path.stem().eq_ignore_ascii_case("index") => Slug::of_path(n.path.folder()),
            None => Slug::of_path(n.path.without_md()),
        })
        .collect();
    // Without `index.md` at the top, a vault's own front page is its home:
    // `Home.md`, else `Accueil.md`, else `README.md`.
    if !wishes.iter().any(|w| w.as_str().is_empty()) {
        let front = ["home", "accueil", "readme"].iter().find_map(|name| {
            notes.iter().position(|n| {
                n.front.permalink.is_none()
                    && n.path.folder().is_empty()
                    && n.path.stem().eq_ignore_ascii_case(name)
            })
        });
        if let Some(i) = front {
            wishes[i] = Slug::of_path("");
        }
    }
    for ((i, n), wanted) in notes.iter().enumerate().zip(wishes) {
        let mut wanted = wanted;
        if wanted.as_str().is_empty() {
            if home.is_none() {
                home = Some(i);
            } else {
                wanted = Slug::from_slugged("index");
            }
        }
        let mut slug = wanted.clone();
        let mut n_try = 2;
        while taken.contains_key(&slug) || is_reserved(&slug) {
            slug = bump(&wanted, n_try);
            n_try += 1;
        }
        if slug != wanted {
            let why = match taken.get(&wanted) {
                Some(&other) => format!(
                    "its URL `{}/` is already used by `{}`",
                    wanted, notes[other].path
                ),
                None => format!("`{wanted}/` is reserved by the site"),
            };
            diags.push(
                Diagnostic::new(
                    Kind::DuplicateSlug,
                    n.path.as_str(),
                    format!("{why}; it is published at `{slug}/`"),
                )
                .help("rename one of the notes, or give it a `permalink` property"),
            );
        }
        taken.insert(slug.clone(), i);
        slugs.push(slug);
    }
    (slugs, home)
}

fn is_reserved(slug: &Slug) -> bool {
    RESERVED.contains(&slug.as_str().split('/').next().unwrap_or(""))
}

/// `wanted` with `-n` on its last segment, or on its first when that one is reserved.
fn bump(wanted: &Slug, n: usize) -> Slug {
    if is_reserved(wanted) {
        let (first, rest) = wanted
            .as_str()
            .split_once('/')
            .unwrap_or((wanted.as_str(), ""));
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!("/{rest}")
        };
        Slug::from_slugged(format!("{first}-{n}{rest}"))
    } else {
        wanted.with_suffix(n)
    }
}

fn file_urls(files: &[VaultPath]) -> Vec<FileInfo> {
    let mut taken = HashSet::new();
    files
        .iter()
        .map(|f| {
            let folder = Slug::of_path(f.folder());
            let ext = f.extension();
            let stem = slugify(f.stem());
            let stem = if stem.is_empty() {
                "file".to_string()
            } else {
                stem
            };
            let prefix = if folder.as_str().is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            };
            let mut url = format!("{prefix}{stem}.{ext}");
            let mut n = 2;
            while !taken.insert(url.clone()) {
                url = format!("{prefix}{stem}-{n}.{ext}");
                n += 1;
            }
            FileInfo {
                url: UrlPath::new(url),
                name: f
                    .as_str()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                used: false,
                path: f.as_str().to_string(),
            }
        })
        .collect()
}

/// The links of note `i`, resolved: body links, property links, findings
/// and links to nothing.
fn resolve_links(
    i: usize,
    notes: &[Note],
    table: &NameTable,
    published: &[bool],
) -> (Vec<Link>, Vec<Link>, Vec<Diagnostic>, Vec<Broken>) {
    let n = &notes[i];
    let mut d = Vec::new();
    let mut broken = Vec::new();
    let folder_key = name_key(n.path.folder());
    let from = Linking {
        id: i,
        folder_key: &folder_key,
    };
    let mut go = |refs: &[LinkRef]| -> Vec<Link> {
        refs.iter()
            .map(|r| resolve_one(&from, r, notes, table, published, &mut d, &mut broken))
            .collect()
    };
    let links = go(&n.links);
    let props = go(&n.property_links);
    (links, props, d, broken)
}

/// The notes a note links to, itself excluded, sorted.
fn outlinks_of(info: &NoteInfo, i: usize) -> Vec<usize> {
    let out: BTreeSet<usize> = info
        .links
        .iter()
        .chain(&info.property_links)
        .filter_map(|l| match l {
            Link::Note { id, .. } if id.0 != i => Some(id.0),
            _ => None,
        })
        .collect();
    out.into_iter().collect()
}

/// Marks the attachments a published note links to or embeds.
fn mark_used_files(index: &mut Index, published: &[bool]) {
    for f in &mut index.files {
        f.used = false;
    }
    for (i, info) in index.notes.iter().enumerate() {
        if !published[i] {
            continue;
        }
        for l in info.links.iter().chain(&info.property_links) {
            if let Link::File { id } = l {
                if let Some(f) = index.files.get_mut(id.0) {
                    f.used = true;
                }
            }
        }
    }
}

fn resolve_all(notes: &[Note], table: &NameTable, published: &[bool], index: &mut Index) {
    let results: Vec<_> = (0..notes.len())
        .into_par_iter()
        .map(|i| resolve_links(i, notes, table, published))
        .collect();
    index.memo.link_diags = Vec::with_capacity(notes.len());
    index.memo.broken = Vec::with_capacity(notes.len());
    for (i, (links, props, d, broken)) in results.into_iter().enumerate() {
        index.notes[i].links = links;
        index.notes[i].property_links = props;
        index.memo.link_diags.push(d);
        index.memo.broken.push(broken);
    }
    // Backlinks and outlinks, from published notes only.
    let mut back: Vec<Vec<usize>> = vec![Vec::new(); notes.len()];
    let outs: Vec<Option<Vec<usize>>> = (0..notes.len())
        .into_par_iter()
        .map(|i| published[i].then(|| outlinks_of(&index.notes[i], i)))
        .collect();
    for (i, out) in outs.into_iter().enumerate() {
        let Some(out) = out else { continue };
        if index.notes[i].listed {
            for &t in &out {
                back[t].push(i);
            }
        }
        index.notes[i].outlinks = out;
    }
    mark_used_files(index, published);
    let by_title = &*index;
    back.par_iter_mut().for_each(|b| by_title.sort_by_title(b));
    for (i, b) in back.into_iter().enumerate() {
        index.notes[i].backlinks = b;
    }
}

/// The note whose links are being resolved.
struct Linking<'a> {
    id: usize,
    /// The key of its folder (`name_key`), shared by all its links.
    folder_key: &'a str,
}

/// Resolves one reference, pushing diagnostics for ambiguity, anchors and drafts.
fn resolve_one(
    linking: &Linking,
    r: &LinkRef,
    notes: &[Note],
    table: &NameTable,
    published: &[bool],
    diags: &mut Vec<Diagnostic>,
    broken: &mut Vec<(String, Position, String)>,
) -> Link {
    let from = linking.id;
    let note = &notes[from];
    let here = || Diagnostic::new(Kind::BrokenLink, note.path.as_str(), String::new()).at(r.pos);
    let target = if r.raw.target.is_empty() {
        Target::Note(NoteId(from))
    } else {
        match table.resolve_from(&r.raw.target, linking.folder_key) {
            Resolution::Missing => {
                broken.push((name_key(&r.raw.target), r.pos, r.raw.target.clone()));
                return Link::Broken;
            }
            Resolution::Found { target, others, .. } => {
                if !others.is_empty() {
                    let name = |t: &Target| match t {
                        Target::Note(i) => format!("`{}`", notes[i.0].path),
                        Target::File(_) => "a file".to_string(),
                    };
                    let list: Vec<String> = others.iter().map(name).collect();
                    let mut d = here();
                    d.kind = Kind::AmbiguousLink;
                    d.message = format!(
                        "`{}` matches several notes; chose {} (same folder first, then shortest path) over {}",
                        r.display(),
                        name(&target),
                        list.join(", ")
                    );
                    d.help = Some("write more of the path, like `[[folder/Note]]`".into());
                    diags.push(d);
                }
                target
            }
        }
    };
    let id = match target {
        Target::File(id) => return Link::File { id },
        Target::Note(id) => id.0,
    };
    if !published[id] {
        let mut d = here();
        d.kind = Kind::UnpublishedLink;
        d.message = format!(
            "`{}` points to the unpublished note `{}`; it is shown as plain text",
            r.display(),
            notes[id].path
        );
        d.help = Some(
            "publish the target (remove `draft: true` / `publish: false`) or remove the link"
                .into(),
        );
        diags.push(d);
        return Link::Unpublished;
    }
    let fragment = r
        .raw
        .anchor
        .as_deref()
        .filter(|a| !a.is_empty())
        .and_then(|anchor| {
            let found = find_anchor(&notes[id], anchor);
            if found.is_none() {
                let mut d = here();
                d.kind = Kind::BrokenAnchor;
                d.message = format!(
                    "`{}`: `{}` has no {} `{}`; the link goes to the top of the note",
                    r.display(),
                    notes[id].path,
                    if anchor.starts_with('^') {
                        "block"
                    } else {
                        "heading"
                    },
                    anchor
                );
                if let Some(h) = closest_heading(&notes[id], anchor) {
                    d.help = Some(format!("the closest heading is `#{h}`"));
                }
                diags.push(d);
            }
            // The title heading is the top of the page, where its title is.
            let title = notes[id].title_is_h1
                && notes[id].headings.first().map(|h| &h.id) == found.as_ref();
            found.filter(|_| !title)
        });
    Link::Note {
        id: NoteId(id),
        fragment,
    }
}

/// Finds the element id of `#Heading`, `#H1#H2` or `#^block` in a note.
pub fn find_anchor(note: &Note, anchor: &str) -> Option<String> {
    if crate::bases::is_base(&note.path) {
        // A base's anchors are its views.
        let id = crate::bases::view_id(anchor);
        return crate::bases::has_view(crate::bases::source_of(note), &id).then_some(id);
    }
    if let Some(block) = anchor.strip_prefix('^') {
        return note
            .block_ids
            .iter()
            .find(|b| b.eq_ignore_ascii_case(block))
            .map(|b| format!("^{b}"));
    }
    let parts: Vec<String> = anchor
        .split('#')
        .map(name_key)
        .filter(|p| !p.is_empty())
        .collect();
    let mut start = 0;
    let mut hit = None;
    for part in &parts {
        let pos = note.headings[start..]
            .iter()
            .position(|h| &name_key(&h.text) == part || h.id == slugify(part))?;
        hit = Some(start + pos);
        start += pos + 1;
    }
    hit.map(|i| note.headings[i].id.clone())
}

fn closest_heading(note: &Note, anchor: &str) -> Option<String> {
    let want = name_key(anchor.rsplit('#').next().unwrap_or(anchor));
    note.headings
        .iter()
        .map(|h| (bounded_distance(&name_key(&h.text), &want, 64), &h.text))
        .min()
        .map(|(_, t)| t.clone())
}

/// Note names and aliases, prepared once for "did you mean" suggestions.
#[derive(Default)]
struct Names {
    by_slug: HashMap<String, String>,
    by_len: HashMap<usize, Vec<(Vec<char>, String)>>,
}

impl Names {
    fn new(notes: &[Note]) -> Self {
        let mut n = Names::default();
        let all = notes.iter().flat_map(|note| {
            let path = note.path.without_md().to_string();
            std::iter::once(note.path.stem().to_string())
                .chain(note.front.aliases.iter().cloned())
                .map(move |name| (name, path.clone()))
        });
        for (name, path) in all {
            let key = name_key(&name);
            n.by_slug
                .entry(slugify(&key))
                .or_insert_with(|| path.clone());
            let chars: Vec<char> = key.chars().collect();
            n.by_len.entry(chars.len()).or_default().push((chars, path));
        }
        n
    }

    /// The closest name within a few edits (accents and punctuation ignored first).
    fn suggest(&self, key: &str) -> Option<String> {
        if let Some(p) = self.by_slug.get(&slugify(key)) {
            return Some(p.clone());
        }
        let want: Vec<char> = key.chars().collect();
        let max = (want.len() / 4).clamp(1, 3);
        (want.len().saturating_sub(max)..=want.len() + max)
            .flat_map(|len| self.by_len.get(&len).into_iter().flatten())
            .filter_map(|(chars, path)| {
                let d = crate::resolve::bounded_distance_chars(chars, &want, max);
                (d <= max).then_some((d, path))
            })
            .min()
            .map(|(_, p)| p.clone())
    }
}

/// A note's valid tags as written (with the position of each), and the
/// findings of its invalid front-matter tags.
fn note_tags(n: &Note) -> (Vec<&str>, Vec<Diagnostic>) {
    let mut tags = Vec::new();
    let mut diags = Vec::new();
    let written = n
        .front_tags
        .iter()
        .map(|(t, p)| (t.trim_start_matches('#'), *p, true));
    let inline = n.inline_tags.iter().map(|(t, p)| (t.as_str(), *p, false));
    for (tag, pos, front) in written.chain(inline) {
        if is_valid_tag(tag) {
            tags.push(tag);
        } else if front {
            diags.push(
                Diagnostic::new(
                    Kind::InvalidTag,
                    n.path.as_str(),
                    format!("`{tag}` is not a valid tag: it is ignored"),
                )
                .at(pos)
                .help("tags hold letters, digits, `_`, `-` and `/`, with at least one non-digit"),
            );
        }
    }
    (tags, diags)
}

/// A tag and its ancestors, up to the root: (key, name, parent key).
type Chain = Vec<(String, String, Option<String>)>;

/// One note's tags, worked out in parallel ([`note_tag_chains`]): their
/// keys, and for a published note each tag's key and chain.
struct NoteTags {
    keys: Vec<String>,
    chains: Vec<(String, Chain)>,
    diags: Vec<Diagnostic>,
}

/// Each note's [`NoteTags`]: the part of [`collect_tags`] that reads the
/// index only, so it can run beside the graph.
fn note_tag_chains(notes: &[Note], index: &Index) -> Vec<NoteTags> {
    notes
        .par_iter()
        .enumerate()
        .map(|(i, n)| {
            let (tags, diags) = note_tags(n);
            let mut keys: Vec<String> = Vec::new();
            let mut chains = Vec::new();
            for tag in tags {
                let key = name_key(tag);
                if !keys.contains(&key) {
                    keys.push(key.clone());
                }
                if !index.notes[i].listed {
                    continue;
                }
                let segs: Vec<&str> = tag.split('/').collect();
                let chain = (1..=segs.len())
                    .rev()
                    .map(|depth| {
                        let name = segs[..depth].join("/");
                        let parent = (depth > 1).then(|| name_key(&segs[..depth - 1].join("/")));
                        (name_key(&name), name, parent)
                    })
                    .collect();
                chains.push((key, chain));
            }
            NoteTags {
                keys,
                chains,
                diags,
            }
        })
        .collect()
}

/// Registers every tag of the notes with its ancestors, and each note's tags.
fn collect_tags(notes: &[Note], per_note: Vec<NoteTags>, index: &mut Index) {
    index.memo.tag_diags = Vec::with_capacity(notes.len());
    for (i, t) in per_note.into_iter().enumerate() {
        index.memo.tag_diags.push(t.diags);
        for (key, chain) in t.chains {
            // Register the tag and its ancestors, keeping the first casing seen.
            let mut child: Option<String> = None;
            for (k, name, parent) in chain {
                let entry = index.tags.entry(k.clone()).or_insert_with(|| TagInfo {
                    slug: Slug::of_path(&format!("tags/{name}")),
                    name,
                    parent,
                    ..TagInfo::default()
                });
                if let Some(c) = child.take() {
                    entry.children.insert(c);
                }
                child = Some(k);
            }
            // Notes come in order: `i` can only be the last one listed.
            let entry = index.tags.entry(key).or_default();
            if entry.notes.last() != Some(&i) {
                entry.notes.push(i);
            }
        }
        index.notes[i].tags = t.keys;
    }
}

fn collect_aliases(notes: &[Note], index: &mut Index, diags: &mut Vec<Diagnostic>) {
    let mut taken: HashSet<&str> = index.notes.iter().map(|n| n.slug.as_str()).collect();
    taken.extend(index.folders.values().map(|f| f.slug.as_str()));
    taken.extend(index.tags.values().map(|t| t.slug.as_str()));
    let mut redirects = Vec::new();
    // Each alias's key and slug, and each note's stem key, made in parallel.
    let keyed: Vec<(String, Vec<(String, Slug)>)> = notes
        .par_iter()
        .map(|n| {
            let aliases = n
                .front
                .aliases
                .iter()
                .map(|a| (name_key(a), Slug::of_path(a)))
                .collect();
            (name_key(n.path.stem()), aliases)
        })
        .collect();
    let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, aliases)) in keyed.iter().enumerate() {
        for (key, _) in aliases {
            owners.entry(key).or_default().push(i);
        }
    }
    let stems: HashMap<&str, usize> = keyed
        .iter()
        .enumerate()
        .map(|(i, (stem, _))| (stem.as_str(), i))
        .collect();
    for (i, n) in notes.iter().enumerate() {
        for (j, (a, (key, slug))) in n.front.aliases.iter().zip(&keyed[i].1).enumerate() {
            let key = key.as_str();
            let pos = n.alias_pos.get(j).copied();
            let users = &owners[key];
            if users.len() > 1 && users[0] == i {
                let others: Vec<String> = users[1..]
                    .iter()
                    .map(|&u| format!("`{}`", notes[u].path))
                    .collect();
                diags.push(
                    Diagnostic::new(Kind::AliasCollision, n.path.as_str(), format!("the alias `{a}` is also an alias of {}; `[[{a}]]` links go to the closest note", others.join(", ")))
                        .at_maybe(pos)
                        .help("keep each alias on one note, or link with the full path"),
                );
            }
            if let Some(&other) = stems.get(key) {
                if other != i {
                    diags.push(
                        Diagnostic::new(Kind::AliasCollision, n.path.as_str(), format!("the alias `{a}` is also the name of the note `{}`, which `[[{a}]]` links reach first", notes[other].path))
                            .at_maybe(pos)
                            .help("remove or rename the alias"),
                    );
                }
            }
            if !index.notes[i].published {
                continue;
            }
            if slug.as_str().is_empty()
                || RESERVED.contains(&slug.as_str().split('/').next().unwrap_or(""))
            {
                continue;
            }
            if taken.insert(slug.as_str()) {
                redirects.push((slug.clone(), i));
            }
        }
    }
    index.redirects = redirects;
}

crate::indexed_by!(NoteId => NoteInfo);
crate::indexed_by!(FileId => FileInfo);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;
    use crate::scan::SourceNote;

    fn vault(files: &[(&str, &str)]) -> (Vec<Note>, Index, Vec<Diagnostic>) {
        let notes: Vec<Note> = files
            .iter()
            .map(|(p, t)| {
                parse_note(&SourceNote {
                    path: VaultPath::new(p),
                    text: t.to_string(),
                    modified: 0,
                })
                .0
            })
            .collect();
        let (index, diags) = build_index(&notes, &[VaultPath::new("img/a.png")], false);
        (notes, index, diags)
    }

    #[test]
    fn slugs_are_unique_and_folder_notes_take_the_folder() {
        let (_, index, diags) = vault(&[
            ("index.md", "# Home"),
            ("Qualité/Réunion du 3 mai.md", "x"),
            ("Qualité/index.md", "x"),
            ("a/B.md", "x"),
            ("a/b.md", "x"),
            ("tags.md", "x"),
        ]);
        let slugs: Vec<&str> = index.notes.iter().map(|n| n.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "",
                "qualite/reunion-du-3-mai",
                "qualite",
                "a/b",
                "a/b-2",
                "tags-2"
            ]
        );
        assert_eq!(index.home, Some(0));
        assert_eq!(index.folders["Qualité"].index_note, Some(2));
        assert_eq!(
            diags
                .iter()
                .filter(|d| d.kind == Kind::DuplicateSlug)
                .count(),
            2
        );
    }

    #[test]
    fn links_resolve_with_anchors_and_backlinks() {
        let (_, index, diags) = vault(&[
            (
                "a.md",
                "[[b#Rôle et missions]] [[b#^blk]] [[b#Nope]] [[Wanted]] [[wanted]] ![[a.png]]",
            ),
            ("b.md", "# B\n## Rôle et missions\ntext ^blk\n"),
            ("d.md", "---\ndraft: true\n---\n[[b]]"),
            ("e.md", "[[d]]"),
        ]);
        let l = &index.notes[0].links;
        assert_eq!(
            l[0],
            Link::Note {
                id: NoteId(1),
                fragment: Some("role-et-missions".into())
            }
        );
        assert_eq!(
            l[1],
            Link::Note {
                id: NoteId(1),
                fragment: Some("^blk".into())
            }
        );
        assert_eq!(
            l[2],
            Link::Note {
                id: NoteId(1),
                fragment: None
            }
        );
        assert_eq!(l[3], Link::Broken);
        assert_eq!(l[5], Link::File { id: FileId(0) });
        assert!(index.files[0].used);
        assert_eq!(index.notes[1].backlinks, [0], "drafts are no backlinks");
        assert_eq!(index.notes[4 - 1].links[0], Link::Unpublished);
        let kinds: Vec<Kind> = diags.iter().map(|d| d.kind).collect();
        assert!(kinds.contains(&Kind::BrokenAnchor));
        assert!(kinds.contains(&Kind::UnpublishedLink));
        let broken: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.kind == Kind::BrokenLink)
            .collect();
        assert_eq!(broken.len(), 1, "one finding per wanted note: {broken:?}");
        assert!(
            broken[0].message.contains("2 links in 1 notes"),
            "{}",
            broken[0].message
        );
    }

    #[test]
    fn tags_merge_case_insensitively_and_nest() {
        let (_, index, diags) = vault(&[
            (
                "a.md",
                "---\ntags: [Norme/ISO-9001, '#ISO', 1984]\n---\n#iso text",
            ),
            ("b.md", "#norme"),
        ]);
        assert_eq!(
            index.tags["norme"].children.iter().collect::<Vec<_>>(),
            ["norme/iso-9001"]
        );
        assert_eq!(index.tags["norme"].name, "Norme");
        assert_eq!(index.tags["norme"].notes, [1]);
        assert_eq!(index.tags["iso"].name, "ISO");
        assert_eq!(
            index.tags["norme/iso-9001"].slug.as_str(),
            "tags/norme/iso-9001"
        );
        assert_eq!(index.notes[0].tags, ["norme/iso-9001", "iso"]);
        assert_eq!(
            diags.iter().filter(|d| d.kind == Kind::InvalidTag).count(),
            1
        );
    }

    #[test]
    fn aliases_redirect_and_collisions_are_reported() {
        let (_, index, diags) = vault(&[
            (
                "ISO.md",
                "---\naliases: [International Organization for Standardization, Org]\n---\n",
            ),
            ("Other.md", "---\naliases: [Org, ISO]\n---\n"),
        ]);
        let slugs: Vec<&str> = index.redirects.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            slugs,
            ["international-organization-for-standardization", "org"]
        );
        assert_eq!(
            diags
                .iter()
                .filter(|d| d.kind == Kind::AliasCollision)
                .count(),
            2
        );
    }

    #[test]
    fn broken_links_suggest_the_closest_name() {
        let (_, _, diags) = vault(&[("a.md", "[[Zettel methd]]"), ("Zettel method.md", "")]);
        let d = diags.iter().find(|d| d.kind == Kind::BrokenLink).unwrap();
        assert_eq!(d.help.as_deref(), Some("did you mean `[[Zettel method]]`?"));
        assert_eq!(d.pos.map(|p| (p.line, p.col)), Some((1, 1)));
    }
}
