(function () {
  "use strict";
  var here = location.pathname.replace(/^\//, "");
  if (here === "" || here.endsWith("/")) here += "index.html";
  try { here = decodeURIComponent(here); } catch (e) {}
  var overlay = null, panel = null, retry = 250;
  // The version of the files this page came from, stamped by the server.
  var version = "__ISOKB_VERSION__";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function style() {
    if (document.getElementById("isokb-live-style")) return;
    var s = el("style");
    s.id = "isokb-live-style";
    s.textContent =
      "#isokb-overlay{position:fixed;inset:0;z-index:99999;background:rgba(20,0,0,.88);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto}" +
      "#isokb-overlay h2{color:#ff8a8a;margin:0 0 1rem;font:bold 18px sans-serif}#isokb-overlay li{margin:.4rem 0;white-space:pre-wrap}" +
      "#isokb-warnings{position:fixed;right:1rem;bottom:1rem;z-index:99998;max-width:32rem;background:#fff8e1;color:#3d2c00;border:1px solid #e0b000;border-radius:8px;padding:.75rem 2.5rem .75rem 1rem;font:13px/1.4 sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)}" +
      "#isokb-warnings button{position:absolute;top:.3rem;right:.4rem;border:0;background:none;font-size:18px;cursor:pointer;color:inherit}#isokb-warnings ul{margin:.3rem 0 0;padding-left:1.2rem}";
    document.head.appendChild(s);
  }
  function line(d) {
    return d.file + (d.line ? ":" + d.line + ":" + d.col : "") + ": " + d.message;
  }
  function showStatus(st) {
    style();
    if (overlay) { overlay.remove(); overlay = null; }
    if (st.errors && st.errors.length) {
      overlay = el("div");
      overlay.id = "isokb-overlay";
      overlay.setAttribute("role", "alert");
      overlay.appendChild(el("h2", null, "isokb: the last rebuild failed; this page is the last good version"));
      var ul = el("ul");
      st.errors.forEach(function (d) { ul.appendChild(el("li", null, line(d))); });
      overlay.appendChild(ul);
      document.body.appendChild(overlay);
    }
    if (panel) { panel.remove(); panel = null; }
    var mine = (st.warnings || {})[here];
    if (mine && mine.length) {
      panel = el("div");
      panel.id = "isokb-warnings";
      panel.setAttribute("role", "status");
      var close = el("button", null, "\u00d7");
      close.setAttribute("aria-label", "Dismiss");
      close.onclick = function () { panel.remove(); panel = null; };
      panel.appendChild(close);
      panel.appendChild(el("strong", null, mine.length + " warning" + (mine.length > 1 ? "s" : "") + " on this note"));
      var list = el("ul");
      mine.forEach(function (d) { list.appendChild(el("li", null, line(d))); });
      panel.appendChild(list);
      document.body.appendChild(panel);
    }
  }
  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = l.href.replace(/[?&]isokb=\d+/, "");
      l.href = u + (u.indexOf("?") < 0 ? "?" : "&") + "isokb=" + Date.now();
    });
  }
  function onReload(m) {
    // Sent before this page was served: already in it.
    if (m.version === version) return;
    version = m.version;
    if (m.renamed && m.renamed[0] === here) { location.href = "/" + m.renamed[1].replace(/index\.html$/, ""); return; }
    if ((m.removed || []).indexOf(here) >= 0) { location.href = "/"; return; }
    if (m.css_only) { swapCss(); return; }
    if ((m.changed || []).indexOf(here) >= 0) location.reload();
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__isokb/ws");
    ws.onopen = function () { retry = 250; };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === "hello") {
        // A rebuild while the page loaded or the socket was down, or a
        // restarted server: the page may be stale.
        if (version.indexOf("__") !== 0 && m.version !== version) location.reload();
      } else if (m.type === "status") showStatus(m);
      else if (m.type === "reload") onReload(m);
    };
    ws.onclose = function () { setTimeout(connect, retry); retry = Math.min(retry * 2, 4000); };
  }
  connect();
})();
