#!/usr/bin/env node
/* Search benchmark over a built site: bytes of index loaded and latency.

     node scripts/search_bench.js SITE_DIR [--json] [QUERY ...]

   Runs the browser's own engine (themes/default/static/search.js) with a
   loader that reads the site's files. For each query, from a cold cache:
   - first: bytes loaded until the first result can be shown (manifest, term
     shards, the first result's document file);
   - page: bytes once the ten results of the page are shown;
   - typed: bytes loaded while typing the query letter by letter (every
     prefix searched in turn, the cache kept, as in the browser);
   - cold_ms / warm_ms: time of the search (files read and parsed / cached).
   Default queries mix accents, plurals and prefixes. */
"use strict";
const fs = require("fs");
const path = require("path");
const S = require(path.join(__dirname, "..", "themes", "default", "static", "search.js"));

const args = process.argv.slice(2);
const json = args.includes("--json");
const rest = args.filter((a) => a !== "--json");
const dir = rest[0];
if (!dir) {
  console.error("usage: node scripts/search_bench.js SITE_DIR [--json] [QUERY ...]");
  process.exit(2);
}
const queries = rest.length > 1 ? rest.slice(1) : ["securite", "sécurité", "audits internes", "procédure achat", "fournisseurs", "revue de direction", "norm"];

function engine() {
  const log = [];
  const load = (name) => new Promise((resolve, reject) => {
    const file = name === "index" ? path.join(dir, "search-index.js") : path.join(dir, "search", name + ".js");
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      reject(e);
      return;
    }
    log.push([name, Buffer.byteLength(text)]);
    let got;
    new Function("window", text)({ ISOKB_SEARCH_SHARD: (n, d) => { got = d; } });
    resolve(got);
  });
  return { e: new S.Engine(load), log };
}

const sum = (log) => log.reduce((a, [, b]) => a + b, 0);

async function measure(q) {
  const cold = engine();
  const t0 = process.hrtime.bigint();
  await cold.e.ready();
  const found = await cold.e.search(q);
  const t1 = process.hrtime.bigint();
  let first = sum(cold.log);
  let top = null;
  if (found.hits.length) {
    top = await cold.e.doc(found.hits[0].id);
    first = sum(cold.log);
    await Promise.all(found.hits.map((h) => cold.e.doc(h.id)));
  }
  const page = sum(cold.log);
  const t2 = process.hrtime.bigint();
  await cold.e.search(q);
  const t3 = process.hrtime.bigint();
  // Typing letter by letter, one engine for the whole query.
  const typed = engine();
  await typed.e.ready();
  for (let n = 1; n <= q.length; n++) {
    const part = q.slice(0, n);
    if (!S.words(part).length) continue;
    const f = await typed.e.search(part);
    if (f.hits.length) await typed.e.doc(f.hits[0].id);
  }
  return {
    query: q,
    results: found.total || 0,
    top: top ? top.t : null,
    manifest: cold.log.length ? cold.log[0][1] : 0,
    first,
    page,
    typed: sum(typed.log),
    files: cold.log.length,
    cold_ms: Number(t1 - t0) / 1e6,
    warm_ms: Number(t3 - t2) / 1e6,
  };
}

(async () => {
  const out = [];
  for (const q of queries) out.push(await measure(q));
  if (json) {
    console.log(JSON.stringify(out));
    return;
  }
  const kb = (b) => (b / 1024).toFixed(1) + " KB";
  console.log("query                  results  manifest   first     page      typed     cold ms  warm ms  top");
  for (const r of out) {
    console.log(
      r.query.padEnd(22), String(r.results).padStart(7), kb(r.manifest).padStart(9), kb(r.first).padStart(9),
      kb(r.page).padStart(9), kb(r.typed).padStart(9), r.cold_ms.toFixed(1).padStart(8), r.warm_ms.toFixed(1).padStart(8),
      " " + (r.top || "-"),
    );
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
