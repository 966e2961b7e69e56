/* isokb graph views: a note's local graph and the global graph page, drawn
   on a canvas with a small force layout (Barnes-Hut repulsion, springs,
   weak gravity) that stops once it settles. Drag a node to move it, drag the
   background to pan, wheel or pinch to zoom, click a node to open it.
   Data: the page's JSON (local) or graph.js calling window.ISOKB_GRAPH
   (global), so it works from file:// too. Plain ES2017, no dependencies. */
(function () {
  "use strict";

  var doc = document;
  var fr = /^fr\b/i.test(doc.documentElement.lang || "");
  var ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/)/i;

  /* ---------- simulation ---------- */

  var THETA2 = 0.81; // Barnes-Hut opening criterion, squared
  var CHARGE = -60;
  var LINK_DISTANCE = 34;
  var GRAVITY = 0.012;
  var DECAY = 0.6;

  function Quad(x0, y0, size) {
    this.x0 = x0; this.y0 = y0; this.s = size;
    this.m = 0; this.cx = 0; this.cy = 0; this.body = -1; this.kids = null;
  }

  function quadInsert(q, i, x, y, depth) {
    for (;;) {
      if (!q.kids && q.m === 0) {
        q.body = i; q.m = 1; q.cx = x[i]; q.cy = y[i];
        return;
      }
      q.cx = (q.cx * q.m + x[i]) / (q.m + 1);
      q.cy = (q.cy * q.m + y[i]) / (q.m + 1);
      q.m++;
      if (!q.kids) {
        if (depth > 40) return; // coincident bodies: counted in the mass only
        var h = q.s / 2;
        q.kids = [new Quad(q.x0, q.y0, h), new Quad(q.x0 + h, q.y0, h),
          new Quad(q.x0, q.y0 + h, h), new Quad(q.x0 + h, q.y0 + h, h)];
        var b = q.body;
        q.body = -1;
        var kb = q.kids[(x[b] >= q.x0 + h ? 1 : 0) + (y[b] >= q.y0 + h ? 2 : 0)];
        kb.body = b; kb.m = 1; kb.cx = x[b]; kb.cy = y[b];
      }
      var half = q.s / 2;
      q = q.kids[(x[i] >= q.x0 + half ? 1 : 0) + (y[i] >= q.y0 + half ? 2 : 0)];
      depth++;
    }
  }

  function Sim(n) {
    this.n = n;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    this.fixed = -1;
    this.alpha = 1;
    this.alphaDecay = 0.03;
    this.src = [];
    this.dst = [];
    this.deg = new Float64Array(n);
  }

  Sim.prototype.setLinks = function (src, dst) {
    this.src = src; this.dst = dst;
    this.deg.fill(0);
    for (var k = 0; k < src.length; k++) { this.deg[src[k]]++; this.deg[dst[k]]++; }
  };

  Sim.prototype.tick = function () {
    var n = this.n, x = this.x, y = this.y, vx = this.vx, vy = this.vy, a = this.alpha, i;
    if (!n) return;
    // Repulsion.
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (i = 0; i < n; i++) {
      if (x[i] < minX) minX = x[i];
      if (x[i] > maxX) maxX = x[i];
      if (y[i] < minY) minY = y[i];
      if (y[i] > maxY) maxY = y[i];
    }
    var root = new Quad(minX - 1, minY - 1, Math.max(maxX - minX, maxY - minY) + 2);
    for (i = 0; i < n; i++) quadInsert(root, i, x, y, 0);
    var stack = [];
    for (i = 0; i < n; i++) {
      var xi = x[i], yi = y[i], fx = 0, fy = 0;
      stack.length = 0;
      stack.push(root);
      while (stack.length) {
        var q = stack.pop();
        if (!q.m || q.body === i) continue;
        var dx = q.cx - xi, dy = q.cy - yi, d2 = dx * dx + dy * dy;
        if (q.kids && q.s * q.s >= THETA2 * d2) {
          for (var c = 0; c < 4; c++) if (q.kids[c].m) stack.push(q.kids[c]);
          continue;
        }
        if (d2 < 1) { dx = (i % 7) - 3 || 1; dy = (i % 5) - 2 || 1; d2 = dx * dx + dy * dy; }
        var f = CHARGE * q.m / d2;
        fx += dx * f; fy += dy * f;
      }
      vx[i] += fx * a; vy[i] += fy * a;
    }
    // Springs.
    var src = this.src, dst = this.dst, deg = this.deg;
    for (var k = 0; k < src.length; k++) {
      var s = src[k], t = dst[k];
      var ex = x[t] + vx[t] - x[s] - vx[s], ey = y[t] + vy[t] - y[s] - vy[s];
      var l = Math.sqrt(ex * ex + ey * ey) || 1;
      var str = 1 / Math.min(deg[s], deg[t]);
      var g = (l - LINK_DISTANCE) / l * a * str;
      var bias = deg[s] / (deg[s] + deg[t]);
      vx[t] -= ex * g * bias; vy[t] -= ey * g * bias;
      vx[s] += ex * g * (1 - bias); vy[s] += ey * g * (1 - bias);
    }
    // Gravity, velocity, position.
    for (i = 0; i < n; i++) {
      vx[i] -= x[i] * GRAVITY * a;
      vy[i] -= y[i] * GRAVITY * a;
      if (i === this.fixed) { vx[i] = vy[i] = 0; continue; }
      vx[i] *= DECAY; vy[i] *= DECAY;
      x[i] += vx[i]; y[i] += vy[i];
    }
    this.alpha += (0 - this.alpha) * this.alphaDecay;
  };

  Sim.prototype.settled = function () { return this.alpha < 0.004; };

  /* ---------- view ---------- */

  var PALETTE_LIGHT = ["#0969da", "#1a7f37", "#bc4c00", "#8250df", "#bf3989", "#0a7d86", "#9a6700", "#cf222e"];
  var PALETTE_DARK = ["#58a6ff", "#3fb950", "#f0883e", "#bc8cff", "#f778ba", "#39c5cf", "#d29922", "#ff7b72"];

  function cssVar(el, name, fallback) {
    var v = getComputedStyle(el).getPropertyValue(name).trim();
    return v || fallback;
  }

  function View(box, model, opts) {
    var self = this;
    this.box = box;
    this.canvas = box.querySelector("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.model = model;
    this.opts = opts;
    this.k = 1; this.tx = 0; this.ty = 0;
    this.hover = -1;
    this.running = false;
    this.pointers = {};
    this.showTags = false;
    this.depth = opts.depth || 2;
    this.rebuild(true);
    this.colors();
    this.resize();
    this.fit();
    this.bind();
    if ("ResizeObserver" in window) new ResizeObserver(function () { self.resize(); self.draw(); }).observe(box);
    new MutationObserver(function () { self.colors(); self.draw(); })
      .observe(doc.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", function () { self.colors(); self.draw(); });
    }
    this.start();
  }

  View.prototype.colors = function () {
    var el = this.box;
    var dark = (getComputedStyle(doc.documentElement).colorScheme || "").indexOf("dark") >= 0;
    this.c = {
      bg: cssVar(el, "--bg", "#fff"),
      fg: cssVar(el, "--fg", "#1f2328"),
      muted: cssVar(el, "--muted", "#57606a"),
      edge: cssVar(el, "--border", "#d0d7de"),
      accent: cssVar(el, "--accent", "#5b3cc4"),
      tag: cssVar(el, "--tag-fg", "#5b3cc4"),
      palette: dark ? PALETTE_DARK : PALETTE_LIGHT
    };
  };

  // The active nodes and links: notes within the depth, tags when shown.
  View.prototype.rebuild = function (first) {
    var m = this.model, self = this;
    var old = this.sim, oldIds = this.ids;
    var ids = [];
    m.nodes.forEach(function (nd, i) {
      if (nd.tag ? self.showTags : (nd.hop === undefined || nd.hop <= self.depth)) ids.push(i);
    });
    var pos = {};
    ids.forEach(function (id, k) { pos[id] = k; });
    var src = [], dst = [];
    m.links.forEach(function (l) {
      if (pos[l[0]] !== undefined && pos[l[1]] !== undefined) { src.push(pos[l[0]]); dst.push(pos[l[1]]); }
    });
    var sim = new Sim(ids.length);
    sim.setLinks(src, dst);
    var prev = {};
    if (old) oldIds.forEach(function (id, k) { prev[id] = k; });
    ids.forEach(function (id, k) {
      var nd = m.nodes[id];
      if (old && prev[id] !== undefined) {
        sim.x[k] = old.x[prev[id]]; sim.y[k] = old.y[prev[id]];
      } else if (nd.x !== undefined) {
        sim.x[k] = nd.x; sim.y[k] = nd.y;
      } else {
        // Next to a placed neighbour, else on a small spiral.
        var a = k * 2.39996, r = 10 * Math.sqrt(k + 1);
        sim.x[k] = r * Math.cos(a); sim.y[k] = r * Math.sin(a);
        for (var j = 0; j < src.length; j++) {
          var o = src[j] === k ? dst[j] : dst[j] === k ? src[j] : -1;
          if (o >= 0 && o < k) { sim.x[k] = sim.x[o] + 8 * Math.cos(a); sim.y[k] = sim.y[o] + 8 * Math.sin(a); break; }
        }
      }
    });
    this.sim = sim;
    this.ids = ids;
    this.neighbours = null;
    this.hover = -1;
    sim.alpha = first ? (this.opts.alpha || 1) : 0.5;
    if (this.opts.settleFirst) {
      for (var t = 0; t < 300 && !sim.settled(); t++) sim.tick();
    }
  };

  View.prototype.resize = function () {
    var r = this.canvas.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    this.w = Math.max(1, r.width); this.h = Math.max(1, r.height);
    this.canvas.width = Math.round(this.w * dpr);
    this.canvas.height = Math.round(this.h * dpr);
    this.dpr = dpr;
  };

  View.prototype.fit = function () {
    var s = this.sim, n = s.n;
    if (!n) return;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < n; i++) {
      minX = Math.min(minX, s.x[i]); maxX = Math.max(maxX, s.x[i]);
      minY = Math.min(minY, s.y[i]); maxY = Math.max(maxY, s.y[i]);
    }
    var pad = 24;
    var k = Math.min((this.w - 2 * pad) / Math.max(maxX - minX, 1), (this.h - 2 * pad) / Math.max(maxY - minY, 1));
    this.k = Math.max(0.02, Math.min(k, 3));
    this.tx = this.w / 2 - this.k * (minX + maxX) / 2;
    this.ty = this.h / 2 - this.k * (minY + maxY) / 2;
  };

  View.prototype.radius = function (k) {
    var nd = this.model.nodes[this.ids[k]];
    return nd.tag ? 3.5 : 3 + Math.min(7, Math.sqrt(this.sim.deg[k]) * 0.9);
  };

  View.prototype.color = function (k) {
    var nd = this.model.nodes[this.ids[k]];
    if (nd.tag) return this.c.tag;
    if (nd.current) return this.c.accent;
    return this.c.palette[(nd.group || 0) % this.c.palette.length];
  };

  View.prototype.draw = function () {
    var ctx = this.ctx, s = this.sim, n = s.n, k = this.k, tx = this.tx, ty = this.ty, self = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.h);
    var hov = this.hover, near = {};
    if (hov >= 0) {
      near[hov] = true;
      for (var e = 0; e < s.src.length; e++) {
        if (s.src[e] === hov) near[s.dst[e]] = true;
        else if (s.dst[e] === hov) near[s.src[e]] = true;
      }
    }
    // Links.
    ctx.lineWidth = 1;
    ctx.strokeStyle = this.c.edge;
    ctx.globalAlpha = hov >= 0 ? 0.35 : 0.8;
    ctx.beginPath();
    for (var j = 0; j < s.src.length; j++) {
      var a = s.src[j], b = s.dst[j];
      ctx.moveTo(s.x[a] * k + tx, s.y[a] * k + ty);
      ctx.lineTo(s.x[b] * k + tx, s.y[b] * k + ty);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    if (hov >= 0) {
      ctx.strokeStyle = this.c.accent;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (var h = 0; h < s.src.length; h++) {
        if (s.src[h] !== hov && s.dst[h] !== hov) continue;
        ctx.moveTo(s.x[s.src[h]] * k + tx, s.y[s.src[h]] * k + ty);
        ctx.lineTo(s.x[s.dst[h]] * k + tx, s.y[s.dst[h]] * k + ty);
      }
      ctx.stroke();
    }
    // Nodes.
    var labels = [];
    var scale = Math.max(0.35, Math.min(1.6, Math.sqrt(k)));
    for (var i = 0; i < n; i++) {
      var px = s.x[i] * k + tx, py = s.y[i] * k + ty;
      if (px < -20 || py < -20 || px > this.w + 20 || py > this.h + 20) continue;
      var r = this.radius(i) * scale;
      ctx.globalAlpha = hov >= 0 && !near[i] ? 0.3 : 1;
      ctx.fillStyle = this.color(i);
      if (r < 1.5) {
        ctx.fillRect(px - 1, py - 1, 2, 2);
      } else {
        ctx.beginPath();
        ctx.arc(px, py, r, 0, 6.2832);
        ctx.fill();
      }
      var nd = this.model.nodes[this.ids[i]];
      if (nd.current) {
        ctx.strokeStyle = this.c.fg;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(px, py, r + 2.5, 0, 6.2832);
        ctx.stroke();
      }
      if (near[i] || nd.current || (n <= 80) || r * k > 5 || (k > 1.2 && s.deg[i] >= 3)) labels.push([i, px, py, r]);
    }
    ctx.globalAlpha = 1;
    // Labels, the hovered node's last so it is on top.
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    labels.sort(function (p, q) { return (p[0] === hov) - (q[0] === hov) || self.sim.deg[q[0]] - self.sim.deg[p[0]]; });
    if (labels.length > 250) labels = labels.slice(0, 249).concat(labels.filter(function (l) { return l[0] === hov; }));
    labels.forEach(function (l) {
      var nd = self.model.nodes[self.ids[l[0]]];
      var text = nd.tag ? "#" + nd.title : nd.title;
      if (text.length > 40 && l[0] !== hov) text = text.slice(0, 38) + "…";
      ctx.globalAlpha = hov >= 0 && !near[l[0]] ? 0.3 : 1;
      ctx.lineWidth = 3;
      ctx.strokeStyle = self.c.bg;
      ctx.strokeText(text, l[1], l[2] + l[3] + 3);
      ctx.fillStyle = l[0] === hov ? self.c.fg : self.c.muted;
      ctx.fillText(text, l[1], l[2] + l[3] + 3);
    });
    ctx.globalAlpha = 1;
  };

  View.prototype.start = function () {
    if (this.running) return;
    this.running = true;
    var self = this;
    var frame = function () {
      var t0 = performance.now();
      do { self.sim.tick(); } while (!self.sim.settled() && performance.now() - t0 < 12 && self.sim.n < 2000);
      self.draw();
      if (self.sim.settled() && self.sim.fixed < 0) {
        self.running = false;
        self.box.setAttribute("data-settled", "true");
        return;
      }
      requestAnimationFrame(frame);
    };
    this.box.removeAttribute("data-settled");
    requestAnimationFrame(frame);
  };

  View.prototype.heat = function (a) {
    this.sim.alpha = Math.max(this.sim.alpha, a);
    this.start();
  };

  View.prototype.at = function (px, py) {
    var s = this.sim, best = -1, bestD = Infinity;
    var scale = Math.max(0.35, Math.min(1.6, Math.sqrt(this.k)));
    for (var i = 0; i < s.n; i++) {
      var dx = s.x[i] * this.k + this.tx - px, dy = s.y[i] * this.k + this.ty - py;
      var d = dx * dx + dy * dy, r = this.radius(i) * scale + 4;
      if (d <= r * r && d < bestD) { best = i; bestD = d; }
    }
    return best;
  };

  // Screen position of a node (for tests and keyboard helpers).
  View.prototype.screen = function (i) {
    var r = this.canvas.getBoundingClientRect();
    return { x: r.left + this.sim.x[i] * this.k + this.tx, y: r.top + this.sim.y[i] * this.k + this.ty };
  };

  View.prototype.open = function (i, newTab) {
    var nd = this.model.nodes[this.ids[i]];
    if (!nd || !nd.url) return;
    if (newTab) window.open(nd.url, "_blank", "noopener");
    else location.href = nd.url;
  };

  View.prototype.bind = function () {
    var self = this, cv = this.canvas;
    var drag = null;
    function local(ev) {
      var r = cv.getBoundingClientRect();
      return { x: ev.clientX - r.left, y: ev.clientY - r.top };
    }
    cv.addEventListener("pointerdown", function (ev) {
      var p = local(ev);
      self.pointers[ev.pointerId] = p;
      cv.setPointerCapture(ev.pointerId);
      var ids = Object.keys(self.pointers);
      if (ids.length === 2) {
        var a = self.pointers[ids[0]], b = self.pointers[ids[1]];
        drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), k: self.k, tx: self.tx, ty: self.ty, cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2 };
        self.sim.fixed = -1;
        return;
      }
      var hit = self.at(p.x, p.y);
      drag = { node: hit, x: p.x, y: p.y, tx: self.tx, ty: self.ty, moved: 0 };
      if (hit >= 0) { self.sim.fixed = hit; self.heat(0.2); }
    });
    cv.addEventListener("pointermove", function (ev) {
      var p = local(ev);
      if (self.pointers[ev.pointerId]) self.pointers[ev.pointerId] = p;
      if (drag && drag.pinch) {
        var ids = Object.keys(self.pointers);
        if (ids.length < 2) return;
        var a = self.pointers[ids[0]], b = self.pointers[ids[1]];
        var k = Math.max(0.02, Math.min(8, drag.k * Math.hypot(a.x - b.x, a.y - b.y) / (drag.pinch || 1)));
        self.tx = drag.cx - (drag.cx - drag.tx) * k / drag.k;
        self.ty = drag.cy - (drag.cy - drag.ty) * k / drag.k;
        self.k = k;
        self.draw();
        return;
      }
      if (drag) {
        drag.moved = Math.max(drag.moved, Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y));
        if (drag.node >= 0) {
          self.sim.x[drag.node] = (p.x - self.tx) / self.k;
          self.sim.y[drag.node] = (p.y - self.ty) / self.k;
          self.heat(0.2);
        } else {
          self.tx = drag.tx + p.x - drag.x;
          self.ty = drag.ty + p.y - drag.y;
          self.draw();
        }
        return;
      }
      var h = self.at(p.x, p.y);
      if (h !== self.hover) {
        self.hover = h;
        cv.style.cursor = h >= 0 ? "pointer" : "grab";
        cv.title = h >= 0 ? self.model.nodes[self.ids[h]].title : "";
        if (!self.running) self.draw();
      }
    });
    function end(ev) {
      delete self.pointers[ev.pointerId];
      if (!drag) return;
      var d = drag;
      drag = null;
      self.sim.fixed = -1;
      if (d.node >= 0 && d.moved < 5 && ev.type === "pointerup") self.open(d.node, ev.ctrlKey || ev.metaKey);
    }
    cv.addEventListener("pointerup", end);
    cv.addEventListener("pointercancel", end);
    cv.addEventListener("pointerleave", function () {
      if (!drag && self.hover >= 0) { self.hover = -1; if (!self.running) self.draw(); }
    });
    cv.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = local(ev);
      var k = Math.max(0.02, Math.min(8, self.k * Math.exp(-ev.deltaY * 0.0015)));
      self.tx = p.x - (p.x - self.tx) * k / self.k;
      self.ty = p.y - (p.y - self.ty) * k / self.k;
      self.k = k;
      if (!self.running) self.draw();
    }, { passive: false });
  };

  /* ---------- data ---------- */

  function groupOf(url, groups) {
    var top = url.split("/")[0];
    if (groups[top] === undefined) groups[top] = Object.keys(groups).length;
    return groups[top];
  }

  // Local graph JSON: {n: [[title, url, hop]], e: [a, b, …], t: [[name, url, [nodes]]]}.
  function localModel(d) {
    var nodes = [], links = [], groups = {};
    (d.n || []).forEach(function (n, i) {
      nodes.push({ title: n[0], url: n[1], hop: n[2], current: i === 0, group: groupOf(n[1].replace(/^(\.\.\/)+/, ""), groups) });
    });
    for (var i = 0; i + 1 < (d.e || []).length; i += 2) links.push([d.e[i], d.e[i + 1]]);
    (d.t || []).forEach(function (t) {
      var id = nodes.length;
      nodes.push({ title: t[0], url: t[1], tag: true });
      links.push([id, 0]);
      (t[2] || []).forEach(function (m) { if (m !== 0) links.push([id, m]); });
    });
    return { nodes: nodes, links: links };
  }

  // Global graph.js: {p: [prefixes], n: [[title, prefix, rest]], e: [[higher neighbours]], xy: [...], t: [[name, url, [nodes]]]}.
  function globalModel(d, root) {
    var nodes = [], links = [], groups = {};
    var href = function (u) { return ABSOLUTE.test(u) ? u : root + u; };
    (d.n || []).forEach(function (n, i) {
      var url = (d.p[n[1]] || "") + n[2];
      nodes.push({ title: n[0], url: href(url), group: groupOf(url, groups), x: d.xy[2 * i], y: d.xy[2 * i + 1] });
    });
    (d.e || []).forEach(function (list, a) { list.forEach(function (b) { links.push([a, b]); }); });
    var noteLinks = links.length;
    (d.t || []).forEach(function (t) {
      var id = nodes.length;
      nodes.push({ title: t[0], url: href(t[1]), tag: true });
      (t[2] || []).forEach(function (m) { links.push([id, m]); });
    });
    return { nodes: nodes, links: links, notes: d.n.length, noteLinks: noteLinks };
  }

  function controls(scope, view) {
    var tags = scope.querySelector(".graph-tags");
    if (tags) tags.addEventListener("change", function () {
      view.showTags = tags.checked;
      view.rebuild(false);
      if (view.opts.settleFirst) view.fit();
      view.heat(0.5);
    });
    var depth = scope.querySelector(".graph-depth");
    if (depth) {
      view.depth = +depth.value || 1;
      depth.addEventListener("change", function () {
        view.depth = +depth.value || 1;
        view.rebuild(false);
        view.fit();
        view.heat(0.3);
      });
    }
    var fit = scope.querySelector(".graph-fit");
    if (fit) fit.addEventListener("click", function () { view.fit(); view.draw(); });
  }

  var views = [];
  window.IsokbGraph = { views: views };

  Array.prototype.forEach.call(doc.querySelectorAll('.graph-box[data-graph="local"]'), function (box) {
    var section = box.closest("section") || box.parentNode;
    var data;
    try { data = JSON.parse(section.querySelector(".graph-data").textContent); } catch (e) { return; }
    var depth = section.querySelector(".graph-depth");
    var view = new View(box, localModel(data), { settleFirst: true, depth: depth ? +depth.value : 2 });
    controls(section, view);
    views.push(view);
  });

  Array.prototype.forEach.call(doc.querySelectorAll('.graph-box[data-graph="global"]'), function (box) {
    var status = box.querySelector(".graph-status");
    var root = (doc.body && doc.body.getAttribute("data-root")) || "";
    window.ISOKB_GRAPH = function (d) {
      var model = globalModel(d, root);
      if (status) {
        status.textContent = model.notes.toLocaleString() + (fr ? " notes, " : " notes, ") +
          model.noteLinks.toLocaleString() + (fr ? " liens" : " links");
      }
      var view = new View(box, model, { alpha: model.notes > 2000 ? 0.35 : 1 });
      view.sim.alphaDecay = model.notes > 2000 ? 0.05 : 0.03;
      controls(box.parentNode, view);
      views.push(view);
      box.setAttribute("data-ready", "true");
    };
    var s = doc.createElement("script");
    s.src = box.getAttribute("data-src");
    s.onerror = function () { if (status) status.textContent = fr ? "Graphe indisponible." : "The graph could not be loaded."; };
    doc.head.appendChild(s);
  });
})();
