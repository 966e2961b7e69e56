/* isokb search: the engine over the split index (see src/search.rs) and the
   results list of the header's search box. Loaded by isokb.js the first time
   the box is used. Plain ES2017, no dependencies; the engine also runs under
   Node (module.exports) for tests and benchmarks. */
(function (root) {
  "use strict";

  /* ---------- words: the same folding and splitting as src/search.rs ---------- */

  var WORD = "0-9a-z\\u00b5\\u00df-\\u00f6\\u00f8-\\u02af\\u0370-\\u1fff\\u3040-\\u9fff\\uac00-\\ud7af";
  var SEP = new RegExp("[^" + WORD + "]+");
  var WORD_RUN = new RegExp("[" + WORD + "]+", "g");
  var MARKS = /[\u0300-\u036f]/g;
  var MAX_TERM = 40;

  function fold(s) {
    s = String(s == null ? "" : s);
    if (s.normalize) s = s.normalize("NFD");
    return s.replace(MARKS, "").toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  function words(s) {
    return fold(s).split(SEP).filter(function (w) {
      var n = Array.from(w).length;
      return n >= 2 && n <= MAX_TERM;
    });
  }

  /* Light stemming, French and English: strip the first suffix that leaves at
     least three letters. Only strips, so a stem is always a prefix of its
     word: `audits` → `audit`, `données` → `donn`, `sécurité` → `secur`,
     `organisations` → `organis`, `policies` → `polic`. */
  var SUFFIXES = [
    "issements", "issement", "ements", "ement", "ations", "ation", "ateurs", "ateur",
    "ments", "ment", "euses", "euse", "eurs", "eur", "iques", "ique",
    "ismes", "isme", "istes", "iste", "ables", "able", "ibles", "ible", "ites", "ite",
    "ives", "ive", "ings", "ing", "ers", "ies", "ied", "ees", "ee", "ifs", "if",
    "aux", "eux", "ed", "es", "er", "ez", "al", "e", "y"
  ];

  function stem(w) {
    if (/eaux$/.test(w)) return w.slice(0, -1);
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (w.length - s.length >= 3 && w.slice(-s.length) === s) return w.slice(0, -s.length);
    }
    if (w.length > 3 && w[w.length - 1] === "s" && !/[su]s$/.test(w)) return w.slice(0, -1);
    return w;
  }

  function shardName(key) {
    return key.replace(/[^0-9a-z]/g, function (c) { return "_" + c.charCodeAt(0).toString(16); });
  }

  /* ---------- engine ---------- */

  var MAX_RESULTS = 10;
  // Bytes of shards one query word may load; beyond, it matches less widely.
  var WORD_BUDGET = 200 * 1024;

  // `load(name)` resolves to the data of `search-index.js` ("index"),
  // `search/t/<key>.js` ("t/<key>") or `search/d/<id>.js` ("d/<id>").
  function Engine(load) {
    this.load = load;
    this.cache = {};
    this.meta = null;
    this.stemCache = {};
  }

  Engine.prototype.get = function (name) {
    var c = this.cache;
    if (!c[name]) {
      c[name] = this.load(name).catch(function (e) { delete c[name]; throw e; });
    }
    return c[name];
  };

  Engine.prototype.ready = function () {
    var self = this;
    return this.get("index").then(function (m) {
      self.meta = m;
      self.keys = Object.keys(m.k || {});
      self.stops = {};
      (m.s || []).forEach(function (w) { self.stops[w] = true; });
      return self;
    });
  };

  Engine.prototype.stem = function (t) {
    var s = this.stemCache[t];
    if (s === undefined) s = this.stemCache[t] = stem(t);
    return s;
  };

  // Keys of the shards holding every term that starts with `p`.
  Engine.prototype.shardsFor = function (p) {
    var k = this.meta.k, out = [], best = "";
    for (var n = Math.min(p.length, 12); n >= 1; n--) {
      var pre = p.slice(0, n);
      if (k[pre] !== undefined) { best = pre; break; }
    }
    if (best) out.push(best);
    this.keys.forEach(function (key) {
      if (key.length > p.length && key.lastIndexOf(p, 0) === 0) out.push(key);
    });
    return out;
  };

  Engine.prototype.bytes = function (keys) {
    var k = this.meta.k;
    return keys.reduce(function (a, key) { return a + (k[key] || 0); }, 0);
  };

  // The shards one query word needs: every term sharing its stem (and, for
  // the word being typed, every term it starts), within WORD_BUDGET.
  Engine.prototype.plan = function (w, prefix) {
    var st = this.stem(w);
    var keys = this.shardsFor(st);
    if (this.bytes(keys) <= WORD_BUDGET) return { keys: keys, prefix: prefix, stems: true };
    keys = this.shardsFor(w);
    if (prefix && this.bytes(keys) <= WORD_BUDGET) return { keys: keys, prefix: true, stems: false };
    return { keys: keys.slice(0, 1), prefix: false, stems: false };
  };

  // Per document, the best weight of a term matching `w` (exact form, same
  // stem, or — for the word being typed — any term it starts), times how
  // rare the word is: one idf for all of its matches, so a title match of a
  // common word outranks a rare word in a text.
  Engine.prototype.scoreWord = function (w, plan, shards, matched) {
    var self = this, st = this.stem(w), scores = {}, count = 0;
    shards.forEach(function (shard) {
      for (var t in shard) {
        if (!Object.prototype.hasOwnProperty.call(shard, t)) continue;
        var factor = 0;
        if (t === w) factor = 1;
        else if (plan.stems && t.lastIndexOf(st, 0) === 0 && self.stem(t) === st) factor = 0.8;
        else if (plan.prefix && t.lastIndexOf(w, 0) === 0) factor = 0.6;
        if (!factor) continue;
        matched[t] = true;
        var list = shard[t], d = 0;
        for (var i = 0; i < list.length; i += 2) {
          d += list[i];
          var s = list[i + 1] * factor;
          if (scores[d] === undefined) count++;
          if (!(scores[d] >= s)) scores[d] = s;
        }
      }
    });
    var idf = Math.log(1 + (this.meta.n || 1) / Math.max(count, 1));
    for (var d in scores) scores[d] *= idf;
    return scores;
  };

  // Resolves to { words, terms (matched, folded), hits: [{ id, score }] }.
  Engine.prototype.search = function (query) {
    var self = this;
    var all = words(query);
    var typing = !/[\s\p{P}]$/u.test(query) && all.length > 0;
    var required = all.filter(function (w) { return !self.stops[w]; });
    if (!required.length) required = all;
    var seen = {};
    required = required.filter(function (w) { return seen[w] ? false : (seen[w] = true); });
    if (!required.length) return Promise.resolve({ words: all, terms: [], hits: [] });
    var last = all[all.length - 1];
    var plans = required.map(function (w) { return self.plan(w, typing && w === last); });
    var names = {};
    plans.forEach(function (p) { p.keys.forEach(function (k) { names[k] = true; }); });
    var keys = Object.keys(names);
    return Promise.all(keys.map(function (k) {
      return self.get("t/" + shardName(k)).catch(function () { return {}; });
    })).then(function (loaded) {
      var byKey = {};
      keys.forEach(function (k, i) { byKey[k] = loaded[i]; });
      var matched = {}, total = null;
      required.forEach(function (w, i) {
        var s = self.scoreWord(w, plans[i], plans[i].keys.map(function (k) { return byKey[k]; }), matched);
        if (total === null) {
          total = s;
        } else {
          var next = {};
          for (var d in total) if (s[d] !== undefined) next[d] = total[d] + s[d];
          total = next;
        }
      });
      var hits = Object.keys(total || {}).map(function (d) { return { id: +d, score: total[d] }; });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return { words: required, terms: Object.keys(matched), hits: hits.slice(0, MAX_RESULTS), total: hits.length };
    });
  };

  // Document `id`: item id % b of the file d/<id / b>.
  Engine.prototype.doc = function (id) {
    var b = this.meta.b || 1;
    return this.get("d/" + Math.floor(id / b)).then(function (block) { return block[id % b]; });
  };

  /* ---------- excerpts ---------- */

  // Ranges [start, end) of `text` whose words match the query.
  function matchRanges(text, found, stemOf) {
    var terms = {}, stems = {};
    (found.terms || []).forEach(function (t) { terms[t] = true; });
    (found.words || []).forEach(function (w) { stems[stemOf(w)] = true; });
    var ranges = [], m;
    WORD_RUN.lastIndex = 0;
    // Fold word by word: folding keeps a word's letters, so positions map back.
    var re = /[^\s!-/:-@[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f]+/g;
    while ((m = re.exec(text))) {
      var parts = fold(m[0]).match(WORD_RUN) || [];
      for (var i = 0; i < parts.length; i++) {
        var p = parts[i];
        if (terms[p] || stems[stemOf(p)] && p.length >= 3) {
          ranges.push([m.index, m.index + m[0].length]);
          break;
        }
      }
    }
    return ranges;
  }

  var LEN = 180;

  function excerpt(text, ranges) {
    if (!text) return { text: "", ranges: [], start: 0, end: 0 };
    var start = 0, end = Math.min(text.length, LEN);
    if (ranges.length && ranges[0][1] > LEN - 20) {
      start = Math.max(0, ranges[0][0] - 60);
      var sp = text.indexOf(" ", start);
      if (sp >= 0 && sp < ranges[0][0]) start = sp + 1;
      end = Math.min(text.length, start + LEN);
    }
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > start + LEN / 2) end = back;
    }
    return { text: text, ranges: ranges, start: start, end: end };
  }

  // The text a result shows: the first field holding a match.
  function bestExcerpt(doc, found, stemOf) {
    var fields = [doc.x || ""].concat(doc.h || [], doc.a || [], doc.g || []);
    for (var i = 0; i < fields.length; i++) {
      var r = matchRanges(fields[i], found, stemOf);
      if (r.length) return excerpt(fields[i], r);
    }
    return excerpt(doc.x || "", []);
  }

  // The heading of `doc` the query names, if one does (its id, `doc.i[k]`),
  // for the result to open at that section.
  function bestHeading(doc, found, stemOf) {
    var h = doc.h || [], ids = doc.i || [];
    var want = (found.words || []).length;
    if (!want) return "";
    for (var k = 0; k < h.length; k++) {
      // The title's own heading opens the page at its top anyway.
      if (!ids[k] || (k === 0 && h[k] === doc.t)) continue;
      var hit = {};
      matchRanges(h[k], found, stemOf).forEach(function (r) { hit[fold(h[k].slice(r[0], r[1]))] = true; });
      if (Object.keys(hit).length >= want) return ids[k];
    }
    return "";
  }

  var api = {
    fold: fold,
    words: words,
    stem: stem,
    shardName: shardName,
    Engine: Engine,
    matchRanges: matchRanges,
    bestExcerpt: bestExcerpt,
    bestHeading: bestHeading
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.IsokbSearch = api;

  /* ---------- the search box ---------- */

  var doc = root.document;

  // Scripts calling window.ISOKB_SEARCH_SHARD(name, data): works from file://.
  function scriptLoader(manifestUrl, base) {
    var waiting = {};
    var previous = root.ISOKB_SEARCH_SHARD;
    root.ISOKB_SEARCH_SHARD = function (name, data) {
      var w = waiting[name];
      if (w) { delete waiting[name]; w.resolve(data); }
      else if (typeof previous === "function") previous(name, data);
    };
    return function (name) {
      return new Promise(function (resolve, reject) {
        waiting[name] = { resolve: resolve };
        var s = doc.createElement("script");
        s.src = name === "index" ? manifestUrl : base + "search/" + name + ".js";
        s.async = true;
        s.onload = function () {
          s.parentNode && s.parentNode.removeChild(s);
          if (waiting[name]) { delete waiting[name]; reject(new Error("no data in " + s.src)); }
        };
        s.onerror = function () {
          s.parentNode && s.parentNode.removeChild(s);
          delete waiting[name];
          reject(new Error("cannot load " + s.src));
        };
        doc.head.appendChild(s);
      });
    };
  }

  api.attach = function (input, list, rootUrl, hrefOf) {
    var engine = new Engine(scriptLoader(input.getAttribute("data-index"), rootUrl));
    var ready = engine.ready();
    var form = input.form || input.parentNode;
    var selected = -1, seq = 0;
    var text = function (k, fallback) { return (window.ISOKB_WORDS || {})[k] || input.getAttribute("data-" + k) || fallback; };

    function open() { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    function close() {
      list.hidden = true;
      selected = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function clear() { while (list.firstChild) list.removeChild(list.firstChild); }
    // Announced to screen readers: how many notes match, or why none.
    var status = doc.getElementById("search-status");
    function announce(msg) { if (status && status.textContent !== msg) status.textContent = msg; }

    function note(msg) {
      clear();
      var li = doc.createElement("li");
      li.className = "empty";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.setAttribute("aria-selected", "false");
      li.textContent = msg;
      list.appendChild(li);
      open();
      announce(msg);
    }

    function options() { return list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'); }

    function select(i) {
      var items = options();
      if (!items.length) { selected = -1; input.removeAttribute("aria-activedescendant"); return; }
      if (i < 0) i = items.length - 1;
      if (i >= items.length) i = 0;
      selected = i;
      Array.prototype.forEach.call(items, function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[i].id);
      if (items[i].scrollIntoView) items[i].scrollIntoView({ block: "nearest" });
    }

    function excerptNode(ex) {
      var span = doc.createElement("span");
      span.className = "excerpt";
      var pos = ex.start;
      if (ex.start > 0) span.appendChild(doc.createTextNode("… "));
      ex.ranges.forEach(function (r) {
        var a = Math.max(r[0], pos), b = Math.min(r[1], ex.end);
        if (a >= b) return;
        if (a > pos) span.appendChild(doc.createTextNode(ex.text.slice(pos, a)));
        var m = doc.createElement("mark");
        m.textContent = ex.text.slice(a, b);
        span.appendChild(m);
        pos = b;
      });
      if (pos < ex.end) span.appendChild(doc.createTextNode(ex.text.slice(pos, ex.end)));
      if (ex.end < ex.text.length) span.appendChild(doc.createTextNode(" …"));
      return span;
    }

    // A result's address: its page, at the heading the query names.
    function hrefFor(d, found) {
      var id = bestHeading(d, found, stem);
      return hrefOf(d.u || "") + (id ? "#" + encodeURIComponent(id) : "");
    }

    function fill(a, d, found) {
      var title = doc.createElement("span");
      title.className = "result-title";
      // Long names wrap at their underscores (`10_COURS_ET_INGESTION`).
      String(d.t || d.u).replace(/_/g, "_\n").split("\n").forEach(function (part, k) {
        if (k) title.appendChild(doc.createElement("wbr"));
        title.appendChild(doc.createTextNode(part));
      });
      a.appendChild(title);
      a.href = hrefFor(d, found);
      var ex = bestExcerpt(d, found, stem);
      if (ex.text) a.appendChild(excerptNode(ex));
      a.removeAttribute("aria-busy");
    }

    // "1 résultat", "3 résultats": the word for the count in the page's language.
    var lang = doc.documentElement.lang || undefined;
    var plural = root.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
    function count(n) {
      var one = plural ? plural.select(n) === "one" : n === 1;
      return n.toLocaleString(lang) + "\u00a0" + (one ? text("result", "result") : text("results", "results"));
    }

    // The query whose results are on show, and the search of the query typed.
    var shownQuery = null, latest = null;

    // Each result is a link (middle-click, open in a new tab and copy link
    // work) with the option role, in an item of no role of its own.
    function show(found, mine, query) {
      clear();
      selected = -1;
      shownQuery = query;
      input.removeAttribute("aria-activedescendant");
      if (!found.hits.length) { note(text("empty", "No results")); return; }
      var total = count(found.total || found.hits.length);
      announce(total);
      var head = doc.createElement("li");
      head.className = "result-count";
      head.setAttribute("role", "presentation");
      head.setAttribute("aria-hidden", "true");
      head.textContent = total;
      list.appendChild(head);
      found.hits.forEach(function (hit, i) {
        var li = doc.createElement("li");
        li.setAttribute("role", "presentation");
        li.className = "loading";
        var a = doc.createElement("a");
        a.id = "search-result-" + i;
        a.className = "result";
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.setAttribute("aria-busy", "true");
        a.setAttribute("tabindex", "-1");
        a.addEventListener("mousemove", function () { if (selected !== i) select(i); });
        li.appendChild(a);
        list.appendChild(li);
        engine.doc(hit.id).then(function (d) {
          if (mine !== seq) return;
          li.className = "";
          fill(a, d, found);
        }, function () { li.className = "failed"; a.removeAttribute("aria-busy"); });
      });
      open();
    }

    function run() {
      var query = input.value.trim();
      var mine = ++seq;
      if (!query) { clear(); close(); announce(""); shownQuery = null; latest = null; return; }
      if (!words(query).length) { note(text("hint", "Type at least two letters")); shownQuery = null; return; }
      if (list.hidden || !list.firstChild) note(text("loading", "Searching…"));
      var value = input.value;
      latest = { query: value, found: ready.then(function () { return engine.search(value); }) };
      latest.found.then(function (found) {
        if (mine === seq) show(found, mine, value);
      }, function () {
        if (mine === seq) note(text("failed", "Search is unavailable"));
      });
    }

    function navigate(href, ev) {
      if (!href) return;
      if (ev && (ev.ctrlKey || ev.metaKey || ev.shiftKey)) root.open(href, "_blank", "noopener");
      else root.location.href = href;
    }

    // Enter opens the selected result, else the first one, of the query as
    // typed: when the list on show is for an earlier prefix (typing ahead of
    // the search), the search of the full query is awaited.
    function go(ev) {
      var items = options();
      var q = input.value;
      if (shownQuery === q && items.length) {
        var a = items[selected >= 0 ? selected : 0];
        if (a.getAttribute("href")) { navigate(a.href, ev); return; }
      }
      if (!latest || latest.query !== q) run();
      var mine = latest;
      if (!mine) return;
      var keys = { ctrlKey: ev.ctrlKey, metaKey: ev.metaKey, shiftKey: ev.shiftKey };
      mine.found.then(function (found) {
        if (input.value !== q || !found.hits.length) return;
        return engine.doc(found.hits[0].id).then(function (d) { navigate(hrefFor(d, found), keys); });
      });
    }

    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim()) run(); });
    input.addEventListener("keydown", function (ev) {
      var isOpen = !list.hidden;
      switch (ev.key) {
        case "ArrowDown": case "Down":
          ev.preventDefault();
          if (!isOpen) { run(); return; }
          select(selected + 1);
          break;
        case "ArrowUp": case "Up":
          ev.preventDefault();
          if (!isOpen) { run(); return; }
          select(selected - 1);
          break;
        case "Enter":
          if (ev.isComposing) return;
          ev.preventDefault();
          go(ev);
          break;
        case "Escape": case "Esc":
          if (isOpen) { ev.preventDefault(); close(); }
          else if (input.value) { input.value = ""; run(); }
          else input.blur();
          break;
        default:
      }
    });
    doc.addEventListener("pointerdown", function (ev) {
      if (!list.hidden && form && !form.contains(ev.target)) close();
    });
    doc.addEventListener("focusin", function (ev) {
      if (!list.hidden && form && !form.contains(ev.target)) close();
    });
    if (input.value.trim()) run();
    return { engine: engine, run: run, go: go };
  };
})(typeof window !== "undefined" ? window : this);
