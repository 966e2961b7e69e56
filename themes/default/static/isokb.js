/* isokb default theme script: theme toggle, copy buttons, search box (the
   engine, search.js, loads on first use), link previews, explorer.
   Plain ES2017, no dependencies, loaded with defer. */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;
  var self = doc.currentScript && doc.currentScript.src;
  // The site's words for what this script writes (written at the head of
  // this file; a theme's page may still give them as `data-copy` … on the body).
  var WORDS = window.ISOKB_WORDS || {};
  function said(k, d) { return WORDS[k] || (doc.body && doc.body.getAttribute("data-" + k)) || d; }

  /* ---------- 1. theme toggle ---------- */

  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function currentTheme() {
    var t = html.getAttribute("data-theme");
    return t === "dark" || t === "light" ? t : systemTheme();
  }

  var toggles = doc.querySelectorAll(".theme-toggle");
  function showTheme() {
    var dark = currentTheme() === "dark" ? "true" : "false";
    Array.prototype.forEach.call(toggles, function (b) { b.setAttribute("aria-pressed", dark); });
  }
  Array.prototype.forEach.call(toggles, function (btn) {
    btn.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try { localStorage.setItem("isokb-theme", next); } catch (e) { /* storage disabled */ }
      showTheme();
    });
  });
  showTheme();
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", showTheme);
  }

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
    var label = said("copy", btn.textContent || "Copy");
    var done = said("copied", "Copied");
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

  /* ---------- 3. search box ---------- */

  var ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/)/i;
  var input = doc.getElementById("search-input");
  var list = doc.getElementById("search-results");

  // The site root: body[data-root] (relative), or the folder of an absolute
  // data-index (the 404 page is served at any depth and links absolutely).
  function siteRoot() {
    var src = (input && input.getAttribute("data-index")) || "";
    if (ABSOLUTE.test(src) && /search-index\.js$/.test(src)) return src.replace(/search-index\.js$/, "");
    return (doc.body && doc.body.getAttribute("data-root")) || "";
  }

  function hrefOf(u) { return ABSOLUTE.test(u) ? u : siteRoot() + u; }

  var searchState = "idle";
  // Enter pressed before the search code has loaded: acted on once it has.
  var pendingEnter = null;
  function startSearch() {
    if (searchState !== "idle" || !input || !list || !self) return;
    searchState = "loading";
    var s = doc.createElement("script");
    s.src = self.replace(/isokb\.js(\?.*)?$/, "search.js");
    s.onload = function () {
      searchState = "ready";
      var box = window.IsokbSearch && window.IsokbSearch.attach(input, list, siteRoot(), hrefOf);
      if (box && pendingEnter && box.go) box.go(pendingEnter);
      pendingEnter = null;
    };
    s.onerror = function () { searchState = "idle"; };
    doc.head.appendChild(s);
  }

  if (input && list) {
    input.addEventListener("focus", startSearch);
    input.addEventListener("input", startSearch);
    input.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" || searchState === "ready" || ev.isComposing) return;
      ev.preventDefault();
      pendingEnter = { ctrlKey: ev.ctrlKey, metaKey: ev.metaKey, shiftKey: ev.shiftKey };
      startSearch();
    });
  }

  function editable(el) {
    if (!el || el === input) return false;
    return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  doc.addEventListener("keydown", function (ev) {
    if (!input || ev.defaultPrevented || editable(ev.target)) return;
    var slash = ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey;
    var k = (ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && (ev.key === "k" || ev.key === "K");
    if (!slash && !k) return;
    if (slash && ev.target === input) return;
    ev.preventDefault();
    input.focus();
    if (input.select) input.select();
  });

  /* ---------- 4. link previews (over HTTP: a page cannot read file:// pages) ---------- */

  var canFetch = /^https?:$/.test(location.protocol) && window.fetch && window.DOMParser;
  var pages = {};
  var card = null, showTimer = 0, hideTimer = 0, anchor = null;

  // The page at `u` (no fragment), parsed once.
  function docOf(u) {
    if (!pages[u]) {
      pages[u] = fetch(u, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok || !/html/.test(r.headers.get("content-type") || "")) throw new Error(r.status);
        return r.text();
      }).then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
      pages[u].catch(function () { /* remembered as failed */ });
    }
    return pages[u];
  }

  // The elements a preview shows: from the linked heading to the next one of
  // its level or above, the linked block, or the note from its start.
  function partOf(d, hash) {
    var body = d.querySelector(".note-body");
    var at = hash ? d.getElementById(decodeURIComponent(hash)) : null;
    if (at && body && body.contains(at)) {
      var h = /^H([1-6])$/.exec(at.tagName);
      if (!h) return [at];
      var out = [at];
      for (var n = at.nextElementSibling; n; n = n.nextElementSibling) {
        var m = /^H([1-6])$/.exec(n.tagName);
        if (m && +m[1] <= +h[1]) break;
        out.push(n);
      }
      return out;
    }
    return body ? Array.prototype.slice.call(body.children) : [];
  }

  function pageOf(href) {
    var parts = href.split("#");
    var u = parts[0];
    return docOf(u).then(function (d) {
      var title = d.querySelector(".note-title, main h1");
      var els = partOf(d, parts[1] || "");
      if (!title && !els.length) throw new Error("no note");
      var out = doc.createElement("div");
      if (title) {
        var h = doc.createElement("p");
        h.className = "preview-title";
        h.textContent = title.textContent;
        out.appendChild(h);
      }
      var size = 0;
      els.forEach(function (el) {
        if (size > 1500 || /^(SCRIPT|STYLE)$/.test(el.tagName) || (el.tagName === "H1" && !parts[1])) return;
        var c = doc.importNode(el, true);
        Array.prototype.forEach.call(c.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
        c.removeAttribute("id");
        Array.prototype.forEach.call(c.querySelectorAll("a, button, input, iframe, video, audio, details"), function (x) {
          x.setAttribute("tabindex", "-1");
        });
        Array.prototype.forEach.call(c.querySelectorAll(".heading-anchor"), function (x) { x.parentNode.removeChild(x); });
        Array.prototype.forEach.call(c.querySelectorAll("img[src], source[src]"), function (x) {
          x.setAttribute("src", new URL(x.getAttribute("src"), absolute(u)).href);
        });
        size += (el.textContent || "").length;
        out.appendChild(c);
      });
      return out;
    });
  }

  function absolute(u) { return new URL(u, location.href).href; }

  function hide() {
    clearTimeout(showTimer);
    if (card) card.hidden = true;
    if (anchor) anchor.removeAttribute("aria-describedby");
    anchor = null;
  }

  function place(a) {
    var rect = a.getBoundingClientRect();
    var w = Math.min(400, window.innerWidth - 16);
    card.style.width = w + "px";
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - w - 8));
    var below = window.innerHeight - rect.bottom;
    card.style.left = left + window.scrollX + "px";
    card.hidden = false;
    var h = card.offsetHeight;
    var top = below >= h + 12 || rect.top < h + 12 ? rect.bottom + 8 : rect.top - h - 8;
    card.style.top = top + window.scrollY + "px";
  }

  function show(a) {
    pageOf(a.href).then(function (content) {
      if (anchor !== a) return;
      if (!card) {
        card = doc.createElement("div");
        card.className = "preview";
        card.id = "isokb-preview";
        card.setAttribute("role", "tooltip");
        card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
        card.addEventListener("mouseleave", function () { hideTimer = setTimeout(hide, 200); });
        doc.body.appendChild(card);
      }
      while (card.firstChild) card.removeChild(card.firstChild);
      card.appendChild(content.cloneNode(true));
      a.setAttribute("aria-describedby", card.id);
      place(a);
    }, function () { /* no preview for this link */ });
  }

  function previewable(a) {
    // Links in the text and the backlinks; not the explorer's, the pager's
    // or the header's, which the reader uses to move around.
    if (!a || !a.matches(".content a.internal, .backlinks a.internal") || a.classList.contains("file")) return false;
    var h = a.getAttribute("href") || "";
    if (!h || h[0] === "#" || ABSOLUTE.test(h)) return false;
    return a.href.split("#")[0] !== location.href.split("#")[0];
  }

  if (canFetch) {
    var over = function (ev) {
      var a = ev.target.closest && ev.target.closest("a");
      if (!previewable(a) || a === anchor) return;
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      hide();
      anchor = a;
      showTimer = setTimeout(function () { show(a); }, ev.type === "focusin" ? 500 : 300);
    };
    var out = function (ev) {
      var a = ev.target.closest && ev.target.closest("a");
      if (!a || a !== anchor) return;
      clearTimeout(showTimer);
      hideTimer = setTimeout(hide, 200);
    };
    doc.addEventListener("mouseover", over);
    doc.addEventListener("mouseout", out);
    doc.addEventListener("focusin", over);
    doc.addEventListener("focusout", out);
    doc.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
    window.addEventListener("scroll", function () { if (card && !card.hidden && anchor) place(anchor); }, { passive: true });
  }

  /* ---------- 5. explorer: folder state, the current note in view ---------- */

  var explorer = doc.querySelector(".explorer");
  var FOLDERS = "isokb-folders";

  // Folders the reader opened or closed, by their page's address, kept for
  // the visit (sessionStorage): the current page's folders open regardless.
  function folderStates() {
    try { return JSON.parse(sessionStorage.getItem(FOLDERS) || "{}") || {}; } catch (e) { return {}; }
  }
  function folderKey(d) {
    var a = d.previousElementSibling;
    return a && a.href ? a.href.split("#")[0] : "";
  }
  if (explorer) {
    var saved = folderStates();
    Array.prototype.forEach.call(explorer.querySelectorAll("details"), function (d) {
      var k = folderKey(d);
      var holdsHere = !!d.querySelector('[aria-current="page"]') || (d.previousElementSibling && d.previousElementSibling.getAttribute("aria-current") === "page");
      if (k && Object.prototype.hasOwnProperty.call(saved, k) && !holdsHere) d.open = !!saved[k];
      // Only the reader's own folding counts (the parser fires `toggle` for
      // folders drawn open).
      var byReader = false;
      d.firstElementChild.addEventListener("click", function () { byReader = true; });
      d.addEventListener("toggle", function () {
        if (!byReader) return;
        byReader = false;
        var all = folderStates();
        if (k) all[k] = d.open;
        try { sessionStorage.setItem(FOLDERS, JSON.stringify(all)); } catch (e) { /* storage disabled */ }
      });
    });
  }

  function showCurrent() {
    var here = explorer && explorer.querySelector('[aria-current="page"]');
    var box = explorer && (explorer.parentNode && explorer.parentNode.classList && explorer.parentNode.classList.contains("drawer") ? explorer.parentNode : explorer);
    if (!here || !box || box.scrollHeight <= box.clientHeight) return;
    var y = here.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop = Math.max(0, box.scrollTop + y - box.clientHeight / 3);
  }
  showCurrent();

  /* ---------- 6. the menu: a drawer on narrow screens ---------- */

  var menu = doc.querySelector(".menu-toggle");
  var header = doc.querySelector(".header-inner");
  var drawer = null, backdrop = null, home = null;
  var wide = window.matchMedia ? window.matchMedia("(min-width: 1270px)") : null;
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 899.98px)") : null;

  function buildDrawer() {
    drawer = doc.createElement("div");
    drawer.className = "drawer";
    drawer.id = "drawer";
    drawer.hidden = true;
    drawer.setAttribute("role", "dialog");
    drawer.setAttribute("aria-modal", "true");
    drawer.setAttribute("aria-label", menu.getAttribute("aria-label") || "Menu");
    var head = doc.createElement("div");
    head.className = "drawer-head";
    var title = doc.querySelector(".header-inner .site-title");
    if (title) head.appendChild(title.cloneNode(true));
    var close = doc.createElement("button");
    close.type = "button";
    close.className = "drawer-close icon-button";
    close.setAttribute("aria-label", menu.getAttribute("data-close") || "Close");
    close.title = close.getAttribute("aria-label");
    close.innerHTML = '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>';
    close.addEventListener("click", function () { closeDrawer(true); });
    head.appendChild(close);
    drawer.appendChild(head);
    var nav = doc.querySelector(".header-inner .site-nav");
    if (nav) drawer.appendChild(nav.cloneNode(true));
    backdrop = doc.createElement("div");
    backdrop.className = "drawer-backdrop";
    backdrop.hidden = true;
    backdrop.addEventListener("click", function () { closeDrawer(true); });
    doc.body.appendChild(backdrop);
    doc.body.appendChild(drawer);
    menu.setAttribute("aria-controls", "drawer");
  }

  function openDrawer() {
    if (!drawer) buildDrawer();
    var old = drawer.querySelector(".toc");
    if (old) drawer.removeChild(old);
    var toc = narrow && narrow.matches && doc.querySelector(".sidebar .toc");
    if (toc) {
      var copy = toc.cloneNode(true);
      copy.addEventListener("click", function (ev) { if (ev.target.closest("a")) closeDrawer(false); });
      drawer.insertBefore(copy, drawer.querySelector(".site-nav") ? drawer.querySelector(".site-nav").nextSibling : drawer.children[1] || null);
    }
    if (explorer && explorer.parentNode !== drawer) {
      home = doc.createComment("explorer");
      explorer.parentNode.insertBefore(home, explorer);
      drawer.appendChild(explorer);
    }
    drawer.hidden = false;
    backdrop.hidden = false;
    html.classList.add("drawer-open");
    menu.setAttribute("aria-expanded", "true");
    showCurrent();
    var first = drawer.querySelector('[aria-current="page"]') || drawer.querySelector(".drawer-close");
    if (first) first.focus();
  }

  function closeDrawer(focusMenu) {
    if (!drawer || drawer.hidden) return;
    drawer.hidden = true;
    backdrop.hidden = true;
    html.classList.remove("drawer-open");
    menu.setAttribute("aria-expanded", "false");
    if (home && explorer) {
      home.parentNode.insertBefore(explorer, home);
      home.parentNode.removeChild(home);
      home = null;
    }
    if (focusMenu) menu.focus();
  }

  if (menu) {
    menu.addEventListener("click", function () {
      if (drawer && !drawer.hidden) closeDrawer(true); else openDrawer();
    });
    doc.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && drawer && !drawer.hidden) { ev.preventDefault(); closeDrawer(true); }
      // Tab stays inside the open drawer.
      if (ev.key === "Tab" && drawer && !drawer.hidden) {
        var f = drawer.querySelectorAll("a[href], button, summary, select, input");
        var items = Array.prototype.filter.call(f, function (x) { return x.offsetParent !== null; });
        if (!items.length) return;
        var first = items[0], last = items[items.length - 1];
        if (ev.shiftKey && doc.activeElement === first) { ev.preventDefault(); last.focus(); }
        else if (!ev.shiftKey && doc.activeElement === last) { ev.preventDefault(); first.focus(); }
      }
    });
    if (wide) {
      var onWide = function () { if (wide.matches) closeDrawer(false); };
      if (wide.addEventListener) wide.addEventListener("change", onWide);
    }
  }

  /* ---------- 7. search on phones: the box opens in the header ---------- */

  var searchToggle = doc.querySelector(".search-toggle");
  if (searchToggle && header && input) {
    searchToggle.addEventListener("click", function () {
      header.classList.add("searching");
      input.focus();
    });
    input.addEventListener("blur", function () {
      setTimeout(function () {
        if (!input.value && doc.activeElement !== input && !(list && list.contains(doc.activeElement))) header.classList.remove("searching");
      }, 150);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !input.value) {
        header.classList.remove("searching");
        searchToggle.focus();
      }
    });
  }

  /* ---------- 8. the table of contents marks the section in view ---------- */

  var tocLinks = doc.querySelectorAll(".sidebar .toc a[href^='#']");
  if (tocLinks.length && window.IntersectionObserver) {
    var byId = {}, heads = [];
    Array.prototype.forEach.call(tocLinks, function (a) {
      var h = doc.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (h) { byId[h.id] = a; heads.push(h); }
    });
    var visible = {};
    var mark = function () {
      // The last heading above the upper third of the screen, else the first in view.
      var line = window.innerHeight / 3, current = null;
      heads.forEach(function (h) { if (h.getBoundingClientRect().top <= line) current = h; });
      if (!current) current = heads.filter(function (h) { return visible[h.id]; })[0] || null;
      Array.prototype.forEach.call(tocLinks, function (a) { a.classList.remove("active"); a.removeAttribute("aria-current"); });
      if (current && byId[current.id]) {
        byId[current.id].classList.add("active");
        byId[current.id].setAttribute("aria-current", "location");
      }
    };
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      mark();
    });
    heads.forEach(function (h) { io.observe(h); });
    window.addEventListener("scroll", function () {
      if (mark.pending) return;
      mark.pending = true;
      requestAnimationFrame(function () { mark.pending = false; mark(); });
    }, { passive: true });
  }

  /* ---------- 9. the 404 page: an alias goes on to its note, else a search ---------- */

  if (doc.body && doc.body.classList.contains("kind-404") && input && location.protocol !== "file:") {
    var searchAsked = function () {
      var asked = decodeURIComponent(location.pathname.replace(/\/(index\.html?)?$/, "").split("/").pop() || "")
        .replace(/\.html?$/, "").replace(/[-_+.]+/g, " ").trim();
      if (asked.length >= 2) {
        input.value = asked;
        if (header) header.classList.add("searching");
        startSearch();
      }
    };
    // With an alias table, the 404 page's own script looks the address up
    // first and says when it is no alias.
    if (!doc.getElementById("alias-table") || window.ISOKB_ALIAS_MISS) searchAsked();
    else window.ISOKB_ON_ALIAS_MISS = searchAsked;
  }

  /* ---------- 10. long lists (all the tags, a big folder) get a filter box ---------- */

  function folded(t) {
    t = String(t || "");
    if (t.normalize) t = t.normalize("NFD");
    return t.replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  Array.prototype.forEach.call(doc.querySelectorAll("input.list-filter[data-filter]"), function (box) {
    var target = doc.getElementById(box.getAttribute("data-filter"));
    if (!target) return;
    var items = Array.prototype.map.call(target.querySelectorAll("li"), function (li) {
      var a = li.querySelector("a");
      return { li: li, text: folded(a ? a.textContent : li.textContent) };
    });
    box.hidden = false;
    box.addEventListener("input", function () {
      var q = folded(box.value).trim();
      items.forEach(function (it) { it.li.hidden = !!q && it.text.indexOf(q) < 0; });
    });
  });

  /* ---------- 10b. bases: one view at a time; tables sort and filter ---------- */

  function baseRows(table) {
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (tb) {
      Array.prototype.forEach.call(tb.rows, function (tr) {
        if (!tr.classList.contains("base-group") && !tr.classList.contains("base-summary")) rows.push(tr);
      });
    });
    return rows;
  }
  function sortBase(table, col, th) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var lang = html.getAttribute("lang") || undefined;
    var sign = dir === "ascending" ? 1 : -1;
    function key(tr) {
      var td = tr.cells[col];
      if (!td) return { empty: true };
      var n = td.getAttribute("data-sort");
      var t = td.textContent.trim();
      return { empty: !t && n === null, num: n === null ? null : Number(n), text: t };
    }
    Array.prototype.forEach.call(table.tBodies, function (tb) {
      var rows = Array.prototype.filter.call(tb.rows, function (tr) {
        return !tr.classList.contains("base-group") && !tr.classList.contains("base-summary");
      });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        // Empty cells last, whichever the direction.
        if (x.empty || y.empty) return x.empty === y.empty ? 0 : x.empty ? 1 : -1;
        if (x.num !== null && y.num !== null) return sign * (x.num - y.num);
        return sign * x.text.localeCompare(y.text, lang, { numeric: true, sensitivity: "base" });
      });
      rows.forEach(function (tr) { tb.appendChild(tr); });
    });
  }
  Array.prototype.forEach.call(doc.querySelectorAll("div.base"), function (base) {
    var views = Array.prototype.slice.call(base.querySelectorAll(".base-view"));
    var tabs = Array.prototype.slice.call(base.querySelectorAll(".base-tabs a"));
    function select(id) {
      views.forEach(function (v) { v.hidden = v.id !== id; });
      tabs.forEach(function (a) { a.setAttribute("aria-current", a.getAttribute("href") === "#" + id ? "true" : "false"); });
    }
    if (tabs.length > 1) {
      var wanted = decodeURIComponent(location.hash.slice(1));
      select(views.some(function (v) { return v.id === wanted; }) ? wanted : views[0].id);
      tabs.forEach(function (a) {
        a.addEventListener("click", function (e) {
          e.preventDefault();
          select(a.getAttribute("href").slice(1));
          try { history.replaceState(null, "", a.getAttribute("href")); } catch (err) { /* file:// */ }
        });
      });
    }
    views.forEach(function (v) {
      var table = v.querySelector("table.base-table");
      if (!table || !table.tHead) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        var b = doc.createElement("button");
        b.type = "button";
        while (th.firstChild) b.appendChild(th.firstChild);
        th.appendChild(b);
        b.addEventListener("click", function () { sortBase(table, col, th); });
      });
      var rows = baseRows(table);
      if (rows.length < 2) return;
      var box = doc.createElement("input");
      box.type = "search";
      box.className = "base-filter";
      box.placeholder = base.getAttribute("data-filter") || "";
      box.setAttribute("aria-label", box.placeholder);
      var head = v.querySelector(".base-head");
      if (head) head.appendChild(box);
      var texts = rows.map(function (tr) { return folded(tr.textContent); });
      box.addEventListener("input", function () {
        var q = folded(box.value).trim();
        rows.forEach(function (tr, i) { tr.hidden = !!q && texts[i].indexOf(q) < 0; });
        // A group with no row left hides its heading and summary.
        Array.prototype.forEach.call(table.tBodies, function (tb) {
          var any = Array.prototype.some.call(tb.rows, function (tr) {
            return rows.indexOf(tr) >= 0 && !tr.hidden;
          });
          Array.prototype.forEach.call(tb.rows, function (tr) {
            if (rows.indexOf(tr) < 0) tr.hidden = !any;
          });
        });
      });
    });
  });

  /* ---------- 11. diagrams and canvases open full screen, to pan and zoom ---------- */

  var viewer = null;
  function openDiagram(box, from) {
    var svgs = box.querySelectorAll(":scope > svg");
    var shown = Array.prototype.filter.call(svgs, function (x) { return getComputedStyle(x).display !== "none"; })[0] || svgs[0];
    if (!shown) return;
    var copy = shown.cloneNode(true);
    var vb = (shown.getAttribute("viewBox") || "").split(/[\s,]+/);
    if (vb.length === 4) { copy.setAttribute("width", vb[2]); copy.setAttribute("height", vb[3]); }
    copy.style.maxWidth = "none";
    copy.style.minWidth = "0";
    openViewer(copy, from);
  }
  function openViewer(copy, from) {
    if (!viewer) {
      viewer = doc.createElement("div");
      viewer.className = "diagram-viewer";
      viewer.setAttribute("role", "dialog");
      viewer.setAttribute("aria-modal", "true");
      viewer.setAttribute("aria-label", said("expand", "Expand"));
      viewer.innerHTML = '<div class="diagram-viewer-bar"><button type="button" data-z="1.25">+</button><button type="button" data-z="0.8">\u2212</button><button type="button" data-z="fit"></button><button type="button" data-z="close"></button></div><div class="diagram-viewer-stage"><div></div></div>';
      var bar = viewer.firstChild.children;
      bar[0].setAttribute("aria-label", said("zoom-in", "Zoom in"));
      bar[1].setAttribute("aria-label", said("zoom-out", "Zoom out"));
      bar[2].textContent = said("fit", "Fit");
      bar[3].textContent = said("close", "Close");
      doc.body.appendChild(viewer);
      var stage = viewer.lastChild, inner = stage.firstChild;
      var view = { x: 0, y: 0, k: 1 };
      var apply = function () { inner.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.k + ")"; };
      var zoomAt = function (f, cx, cy) {
        var k = Math.max(0.1, Math.min(20, view.k * f));
        view.x = cx - (cx - view.x) * (k / view.k);
        view.y = cy - (cy - view.y) * (k / view.k);
        view.k = k;
        apply();
      };
      viewer.fit = function () {
        var w = inner.scrollWidth || 1, h = inner.scrollHeight || 1;
        var r = stage.getBoundingClientRect();
        view.k = Math.min(r.width / w, r.height / h) * 0.95;
        view.x = (r.width - w * view.k) / 2;
        view.y = (r.height - h * view.k) / 2;
        apply();
      };
      viewer.close = function () {
        viewer.hidden = true;
        html.classList.remove("drawer-open");
        if (viewer.from) viewer.from.focus();
      };
      viewer.firstChild.addEventListener("click", function (ev) {
        var z = ev.target.closest("button") && ev.target.closest("button").getAttribute("data-z");
        var r = stage.getBoundingClientRect();
        if (z === "close") viewer.close();
        else if (z === "fit") viewer.fit();
        else if (z) zoomAt(+z, r.width / 2, r.height / 2);
      });
      stage.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        var r = stage.getBoundingClientRect();
        zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
      }, { passive: false });
      var pointers = {}, last = null;
      stage.addEventListener("pointerdown", function (ev) {
        // A link in a canvas stays a link.
        if (ev.target.closest && ev.target.closest("a")) return;
        stage.setPointerCapture(ev.pointerId);
        pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
      });
      stage.addEventListener("pointermove", function (ev) {
        var p = pointers[ev.pointerId];
        if (!p) return;
        var ids = Object.keys(pointers);
        if (ids.length === 1) {
          view.x += ev.clientX - p.x;
          view.y += ev.clientY - p.y;
          apply();
        } else if (ids.length === 2) {
          var o = pointers[ids[0] == ev.pointerId ? ids[1] : ids[0]];
          var d = Math.hypot(ev.clientX - o.x, ev.clientY - o.y);
          var r = stage.getBoundingClientRect();
          if (last) zoomAt(d / last, (ev.clientX + o.x) / 2 - r.left, (ev.clientY + o.y) / 2 - r.top);
          last = d;
        }
        pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY };
      });
      var up = function (ev) { delete pointers[ev.pointerId]; last = null; };
      stage.addEventListener("pointerup", up);
      stage.addEventListener("pointercancel", up);
      doc.addEventListener("keydown", function (ev) {
        if (viewer.hidden) return;
        if (ev.key === "Escape") { ev.preventDefault(); viewer.close(); }
        else if (ev.key === "+" || ev.key === "=") zoomAt(1.25, stage.clientWidth / 2, stage.clientHeight / 2);
        else if (ev.key === "-") zoomAt(0.8, stage.clientWidth / 2, stage.clientHeight / 2);
      });
    }
    var inner2 = viewer.lastChild.firstChild;
    while (inner2.firstChild) inner2.removeChild(inner2.firstChild);
    // The page keeps its ids: the copy has none.
    Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
    inner2.appendChild(copy);
    viewer.from = from;
    viewer.hidden = false;
    html.classList.add("drawer-open");
    viewer.fit();
    viewer.firstChild.lastChild.focus();
  }
  Array.prototype.forEach.call(doc.querySelectorAll("div.mermaid"), function (box) {
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "diagram-expand";
    b.textContent = said("expand", "Expand");
    b.addEventListener("click", function () { openDiagram(box, b); });
    // Beside the diagram, not in it: the diagram scrolls sideways, the button stays.
    var wrap = doc.createElement("div");
    wrap.className = "diagram";
    box.parentNode.insertBefore(wrap, box);
    wrap.appendChild(box);
    wrap.appendChild(b);
  });

  /* ---------- 12. canvases: drag to pan in place, or open full screen ---------- */

  Array.prototype.forEach.call(doc.querySelectorAll("figure.canvas"), function (fig) {
    var port = fig.querySelector(".canvas-viewport"), board = fig.querySelector(".canvas-board");
    if (!port || !board) return;
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "canvas-expand";
    b.textContent = said("expand", "Expand");
    b.addEventListener("click", function () {
      var copy = board.cloneNode(true);
      copy.classList.add("canvas", "canvas-copy");
      openViewer(copy, b);
    });
    // Over the board's corner, so nothing moves when it appears.
    fig.appendChild(b);
    // Dragging the board's background scrolls it; nodes keep their text
    // selectable and their links.
    var drag = null;
    port.addEventListener("pointerdown", function (ev) {
      var t = ev.target;
      if (ev.button !== 0 || ev.pointerType === "touch") return;
      if (t.closest(".canvas-node") && !t.closest(".canvas-group > .canvas-node-content")) return;
      drag = { x: ev.clientX, y: ev.clientY, l: port.scrollLeft, t: port.scrollTop };
      port.setPointerCapture(ev.pointerId);
      port.classList.add("canvas-dragging");
    });
    port.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      port.scrollLeft = drag.l - (ev.clientX - drag.x);
      port.scrollTop = drag.t - (ev.clientY - drag.y);
    });
    var stop = function () { drag = null; port.classList.remove("canvas-dragging"); };
    port.addEventListener("pointerup", stop);
    port.addEventListener("pointercancel", stop);
  });
})();
