//! Aliases' addresses as the static host's own redirect rules (`redirects`
//! in `site.toml`), instead of a page at each alias, and the alias table the
//! 404 page reads to send the reader on where the host has no rule.
//!
//! With `pages` (the default) each alias has its page and nothing here is
//! written. Otherwise: Netlify's and Cloudflare's `_redirects`, Vercel's
//! `vercel.json`, or no rules (`none`); in every case `_static/aliases/*.js`,
//! the aliases shared out by a hash of their address, so that the 404 page
//! loads one small file to find where an alias leads.

use super::Emitter;
use crate::config::Redirects;

/// Rules Cloudflare Pages reads from `_redirects` (static ones).
pub const CLOUDFLARE_MAX: usize = 2000;
/// Redirects `vercel.json` takes.
pub const VERCEL_MAX: usize = 1024;
/// Aliases per file of the 404 page's table.
const PER_SHARD: usize = 2000;
/// Where the table's files are.
pub const ALIASES_DIR: &str = "_static/aliases";

/// FNV-1a over the address's bytes: the table's file for an alias (the 404
/// page's script computes the same).
pub fn shard_of(address: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in address.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards.max(1)
}

/// How many files the alias table has (none with `pages`).
pub fn shards(mode: Redirects, aliases: usize) -> usize {
    match mode {
        Redirects::Pages => 0,
        _ => aliases.div_ceil(PER_SHARD).max(1),
    }
}

/// The path of the site's root on its host, from `base_url` (`/kb/`), or `/`.
fn base_path(base_url: Option<&str>) -> String {
    let path = base_url
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut p = path.trim_end_matches('/').to_string();
    p.push('/');
    p
}

impl Emitter<'_> {
    /// The aliases: each address (`old-name/`) and where it leads (`a/note/`).
    fn alias_pairs(&self) -> Vec<(String, String)> {
        let idx = self.v.index;
        idx.redirects
            .iter()
            .map(|(slug, id)| {
                (
                    slug.url().as_str().to_string(),
                    idx.note_url(*id).as_str().to_string(),
                )
            })
            .collect()
    }

    /// The host's rules and the 404 page's alias table.
    pub(super) fn redirect_files(&self) -> Vec<(String, Vec<u8>)> {
        let c = self.v.config;
        if c.redirects == Redirects::Pages {
            return Vec::new();
        }
        let pairs = self.alias_pairs();
        let base = base_path(c.base_url.as_deref());
        let abs = |p: &str| format!("{base}{}", crate::paths::encode_path(p));
        let mut out = Vec::new();
        let rules = |max: usize| {
            pairs
                .iter()
                .take(max)
                .map(|(from, to)| (abs(from), abs(to)))
        };
        match c.redirects {
            Redirects::Netlify | Redirects::Cloudflare => {
                let max = match c.redirects {
                    Redirects::Cloudflare => CLOUDFLARE_MAX,
                    _ => usize::MAX,
                };
                let mut text = String::from("# Aliases of notes, written by isokb.\n");
                for (from, to) in rules(max) {
                    text.push_str(&format!("{from} {to} 301\n"));
                }
                out.push(("_redirects".to_string(), text.into_bytes()));
            }
            Redirects::Vercel => {
                let redirects: Vec<serde_json::Value> = rules(VERCEL_MAX)
                    .map(|(from, to)| {
                        serde_json::json!({"source": from, "destination": to, "permanent": true})
                    })
                    .collect();
                let json = serde_json::json!({ "redirects": redirects });
                let text = serde_json::to_string_pretty(&json).unwrap_or_default();
                out.push(("vercel.json".to_string(), text.into_bytes()));
            }
            Redirects::None | Redirects::Pages => {}
        }
        let n = shards(c.redirects, pairs.len());
        let mut tables: Vec<serde_json::Map<String, serde_json::Value>> =
            vec![serde_json::Map::new(); n];
        for (from, to) in pairs {
            tables[shard_of(&from, n)].insert(from, serde_json::Value::String(to));
        }
        for (k, table) in tables.into_iter().enumerate() {
            let json = serde_json::to_string(&table)
                .unwrap_or_default()
                .replace('<', "\\u003c");
            out.push((
                format!("{ALIASES_DIR}/{k}.js"),
                format!("window.ISOKB_ALIASES&&window.ISOKB_ALIASES({json});\n").into_bytes(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_comes_from_base_url() {
        assert_eq!(base_path(None), "/");
        assert_eq!(base_path(Some("https://x.org")), "/");
        assert_eq!(base_path(Some("https://x.org/")), "/");
        assert_eq!(base_path(Some("https://x.github.io/kb")), "/kb/");
        assert_eq!(base_path(Some("https://x.github.io/kb/?a#b")), "/kb/");
    }

    #[test]
    fn aliases_are_shared_out_as_the_404_script_does() {
        // The script's FNV-1a over the same bytes (checked by hand once).
        assert_eq!(shard_of("", 7), 0x811c_9dc5 % 7);
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert_eq!(shards(Redirects::Pages, 10), 0);
        assert_eq!(shards(Redirects::None, 0), 1);
        assert_eq!(shards(Redirects::Netlify, 4001), 3);
    }
}
