/* isokb default theme script: theme toggle, copy buttons, search.
   Plain ES2017, no dependencies, loaded with defer. */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;
  var fr = /^fr\b/i.test(html.lang || "");

  /* ---------- 1. theme toggle ---------- */

  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function currentTheme() {
    var t = html.getAttribute("data-theme");
    return t === "dark" || t === "light" ? t : systemTheme();
  }

  Array.prototype.forEach.call(doc.querySelectorAll(".theme-toggle"), function (btn) {
    btn.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try { localStorage.setItem("isokb-theme", next); } catch (e) { /* storage disabled */ }
    });
  });

  /* ---------- 2. copy buttons ---------- */

  function copyBySelection(el) {
    var sel = window.getSelection && window.getSelection();
    if (!sel || !doc.createRange) return false;
    try {
      var range = doc.createRange();
      range.selectNodeContents(el);
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = doc.execCommand("copy");
      sel.removeAllRanges();
      return ok;
    } catch (e) {
      return false;
    }
  }

  Array.prototype.forEach.call(doc.querySelectorAll("button.copy-code"), function (btn) {
    var block = btn.closest ? btn.closest(".code-block") : null;
    var code = block && block.querySelector("pre code");
    if (!code) return;
    var label = fr ? "Copier" : (btn.textContent || "Copy");
    var done = fr ? "Copié" : "Copied";
    var timer = 0;
    btn.textContent = label;
    btn.hidden = false;

    function finish(ok) {
      if (!ok) return;
      btn.textContent = done;
      btn.classList.add("copied");
      clearTimeout(timer);
      timer = setTimeout(function () {
        btn.textContent = label;
        btn.classList.remove("copied");
      }, 1500);
    }

    btn.addEventListener("click", function () {
      var text = code.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () { finish(true); },
          function () { finish(copyBySelection(code)); }
        );
      } else {
        finish(copyBySelection(code));
      }
    });
  });

  /* ---------- 3. search ---------- */

  var input = doc.getElementById("search-input");
  var list = doc.getElementById("search-results");
  if (!input || !list) return;

  var form = input.form || input.parentNode;
  var MAX = 10;
  // Characters that make up words once text is folded (lower case, no accents).
  var WORD = "0-9a-z\\u00b5\\u00df-\\u00f6\\u00f8-\\u02af\\u0370-\\u1fff\\u3040-\\u9fff\\uac00-\\ud7af";
  var SEP = new RegExp("[^" + WORD + "]+", "g");
  var IS_WORD = new RegExp("[" + WORD + "]");
  var MARKS = /[\u0300-\u036f]/g;
  var COMBINING = /[\u0300-\u036f]/;

  var state = "idle"; // idle | loading | ready | failed
  var index = null;    // prepared entries
  var results = [];    // current [{e, ...}]
  var selected = -1;

  function fold(s) {
    s = String(s == null ? "" : s);
    if (s.normalize) s = s.normalize("NFD");
    return s.replace(MARKS, "").toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  // Folded string plus, for each of its characters, the index in the original.
  var charCache = {};
  function foldMap(s) {
    var out = "", map = [];
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      var f = charCache[c];
      if (f === undefined) f = charCache[c] = fold(c);
      for (var k = 0; k < f.length; k++) map.push(i);
      out += f;
    }
    map.push(s.length);
    return { s: out, map: map };
  }

  // " word word word " — a query word q is a word prefix iff hay contains " " + q.
  function hay(value) {
    if (Array.isArray(value)) value = value.join(" ");
    return " " + fold(value).replace(SEP, " ").trim() + " ";
  }

  function str(v) { return typeof v === "string" ? v : ""; }
  function arr(v) { return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }) : []; }

  function prepare() {
    var data = Array.isArray(window.ISOKB_SEARCH) ? window.ISOKB_SEARCH : [];
    index = [];
    data.forEach(function (e) {
      if (!e || typeof e !== "object") return;
      var entry = { t: str(e.t), u: str(e.u), a: arr(e.a), h: arr(e.h), g: arr(e.g), x: str(e.x) };
      entry.f = [hay(entry.t), hay(entry.a), hay(entry.h), hay(entry.g), hay(entry.x)];
      index.push(entry);
    });
  }

  function load() {
    if (state !== "idle") return;
    if (Array.isArray(window.ISOKB_SEARCH)) {
      state = "ready";
      prepare();
      return;
    }
    var src = input.getAttribute("data-index");
    if (!src) { state = "failed"; return; }
    state = "loading";
    var s = doc.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = function () {
      state = "ready";
      prepare();
      run();
    };
    s.onerror = function () {
      state = "failed";
      run();
    };
    doc.head.appendChild(s);
  }

  // Title > alias > heading > tag > text: each word scores the best field it is in.
  var WEIGHTS = [16, 8, 4, 2, 1];

  function score(entry, words) {
    var total = 0, inTitle = 0;
    for (var i = 0; i < words.length; i++) {
      var p = " " + words[i], best = 0;
      for (var f = 0; f < 5; f++) {
        var at = entry.f[f].indexOf(p);
        if (at >= 0) {
          best = WEIGHTS[f];
          if (entry.f[f].indexOf(p + " ") >= 0) best += 0.5; // whole word
          if (f === 0) inTitle++;
          break;
        }
      }
      if (!best) return 0;
      total += best;
    }
    if (inTitle === words.length) total += 32;
    if (entry.f[0].indexOf(" " + words.join(" ")) === 0) total += 8; // title starts with the query
    return total;
  }

  function search(query) {
    var words = fold(query).replace(SEP, " ").trim().split(" ").filter(Boolean);
    if (!words.length || !index) return { words: words, hits: [] };
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], words);
      if (s) hits.push({ e: index[i], s: s });
    }
    hits.sort(function (a, b) {
      return b.s - a.s || a.e.t.length - b.e.t.length || (a.e.t < b.e.t ? -1 : a.e.t > b.e.t ? 1 : 0);
    });
    return { words: words, hits: hits.slice(0, MAX) };
  }

  // Ranges [start, end) in `orig` where a query word starts a word.
  function matchRanges(orig, words) {
    var fm = foldMap(orig), s = fm.s, ranges = [];
    words.forEach(function (w) {
      var from = 0, at;
      while ((at = s.indexOf(w, from)) >= 0) {
        from = at + 1;
        if (at > 0 && IS_WORD.test(s[at - 1])) continue;
        var a = fm.map[at], b = fm.map[at + w.length - 1] + 1;
        while (b < orig.length && COMBINING.test(orig[b])) b++;
        ranges.push([a, b]);
      }
    });
    ranges.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function excerptSource(e, words) {
    function has(h) { return words.some(function (w) { return h.indexOf(" " + w) >= 0; }); }
    function first(items) {
      for (var i = 0; i < items.length; i++) if (has(hay(items[i]))) return items[i];
      return "";
    }
    if (e.x && has(e.f[4])) return e.x;
    return (has(e.f[2]) && first(e.h)) || (has(e.f[1]) && first(e.a)) || e.x;
  }

  function excerptNode(text, words) {
    var span = doc.createElement("span");
    span.className = "excerpt";
    if (!text) return span;
    var LEN = 160, ranges = matchRanges(text, words), start = 0, end = text.length;
    if (text.length > LEN) {
      if (ranges.length && ranges[0][0] > 50) {
        start = ranges[0][0] - 50;
        var sp = text.indexOf(" ", start);
        if (sp >= 0 && sp < ranges[0][0]) start = sp + 1;
      }
      end = Math.min(text.length, start + LEN);
      if (end < text.length) {
        var back = text.lastIndexOf(" ", end);
        if (back > start + LEN / 2) end = back;
      }
    }
    var pos = start;
    if (start > 0) span.appendChild(doc.createTextNode("… "));
    ranges.forEach(function (r) {
      var a = Math.max(r[0], pos), b = Math.min(r[1], end);
      if (a >= b) return;
      if (a > pos) span.appendChild(doc.createTextNode(text.slice(pos, a)));
      var m = doc.createElement("mark");
      m.textContent = text.slice(a, b);
      span.appendChild(m);
      pos = b;
    });
    if (pos < end) span.appendChild(doc.createTextNode(text.slice(pos, end)));
    if (end < text.length) span.appendChild(doc.createTextNode(" …"));
    return span;
  }

  var ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/)/i;

  // The site root: body[data-root] (relative), or the folder of an absolute
  // data-index (the 404 page is served at any depth and links absolutely).
  function siteRoot() {
    var src = input.getAttribute("data-index") || "";
    if (ABSOLUTE.test(src) && /search-index\.js$/.test(src)) return src.replace(/search-index\.js$/, "");
    return (doc.body && doc.body.getAttribute("data-root")) || "";
  }

  function hrefOf(u) {
    return ABSOLUTE.test(u) ? u : siteRoot() + u;
  }

  function optionId(i) { return "search-result-" + i; }

  function select(i) {
    var items = list.querySelectorAll('li[role="option"]:not([aria-disabled="true"])');
    if (!items.length) { selected = -1; input.removeAttribute("aria-activedescendant"); return; }
    if (i < 0) i = items.length - 1;
    if (i >= items.length) i = 0;
    selected = i;
    Array.prototype.forEach.call(items, function (li, k) {
      li.setAttribute("aria-selected", k === i ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", items[i].id);
    if (items[i].scrollIntoView) items[i].scrollIntoView({ block: "nearest" });
  }

  function open() {
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    selected = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function clearList() {
    while (list.firstChild) list.removeChild(list.firstChild);
  }

  function run() {
    var query = input.value.trim();
    if (!query) { clearList(); results = []; close(); return; }
    if (state === "idle") load();
    if (state === "loading") return; // runs again on load
    var found = search(query);
    results = found.hits;
    clearList();
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!results.length) {
      var none = doc.createElement("li");
      none.className = "empty";
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.textContent = input.getAttribute("data-empty") || (fr ? "Aucun résultat" : "No results");
      list.appendChild(none);
    }
    results.forEach(function (hit, i) {
      var li = doc.createElement("li");
      li.id = optionId(i);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = doc.createElement("a");
      a.href = hrefOf(hit.e.u);
      a.tabIndex = -1;
      a.textContent = hit.e.t || hit.e.u;
      li.appendChild(a);
      var ex = excerptNode(excerptSource(hit.e, found.words), found.words);
      if (ex.firstChild) li.appendChild(ex);
      li.addEventListener("mousemove", function () { if (selected !== i) select(i); });
      li.addEventListener("click", function (ev) {
        if (ev.target !== a) a.click();
      });
      list.appendChild(li);
    });
    open();
  }

  function go(ev) {
    var items = list.querySelectorAll('li[role="option"]:not([aria-disabled="true"]) a');
    var a = items[selected >= 0 ? selected : 0];
    if (!a) return;
    if (ev && (ev.ctrlKey || ev.metaKey)) window.open(a.href, "_blank", "noopener");
    else window.location.href = a.href;
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  input.addEventListener("focus", function () {
    load();
    if (input.value.trim()) run();
  });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (ev) {
    var isOpen = !list.hidden;
    switch (ev.key) {
      case "ArrowDown":
      case "Down":
        ev.preventDefault();
        if (!isOpen) { run(); if (list.hidden) return; }
        select(selected + 1);
        break;
      case "ArrowUp":
      case "Up":
        ev.preventDefault();
        if (!isOpen) { run(); if (list.hidden) return; }
        select(selected - 1);
        break;
      case "Enter":
        if (ev.isComposing) return;
        ev.preventDefault();
        if (state === "ready" && input.value.trim()) {
          if (list.hidden) run();
          go(ev);
        }
        break;
      case "Escape":
      case "Esc":
        if (isOpen) {
          ev.preventDefault();
          close();
        } else if (input.value) {
          input.value = "";
          run();
        } else {
          input.blur();
        }
        break;
      default:
    }
  });

  function editable(el) {
    if (!el || el === input) return false;
    return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  doc.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || editable(ev.target)) return;
    var slash = ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey;
    var k = (ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && (ev.key === "k" || ev.key === "K");
    if (!slash && !k) return;
    if (slash && ev.target === input) return;
    ev.preventDefault();
    input.focus();
    if (input.select) input.select();
  });

  doc.addEventListener("pointerdown", function (ev) {
    if (!list.hidden && form && !form.contains(ev.target)) close();
  });
  doc.addEventListener("focusin", function (ev) {
    if (!list.hidden && form && !form.contains(ev.target)) close();
  });
})();
