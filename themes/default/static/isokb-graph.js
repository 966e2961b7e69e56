/* isokb graph views: a note's local graph and the global graph page, drawn
   on a canvas with a small force layout (Barnes-Hut repulsion, springs,
   weak gravity) that stops once it settles. Drag a node to move it, drag the
   background to pan, wheel or pinch to zoom, click a node to open it.
   Data: the page's JSON (local) or graph.js calling window.ISOKB_GRAPH
   (global), so it works from file:// too. Plain ES2017, no dependencies. */
(function () {
  "use strict";

  var doc = document;
  var ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/)/i;

  /* ---------- simulation ---------- */

  var THETA2 = 0.81; // Barnes-Hut opening criterion, squared
  var CHARGE = -60;
  var LINK_DISTANCE = 34;
  var GRAVITY = 0.012;
  var DECAY = 0.6;
  var EDGE_BUDGET = 6000;

  // A Barnes-Hut quadtree in flat typed arrays, rebuilt each tick without
  // allocating: cell c covers [x0, x0 + s) × [y0, y0 + s), holds mass m and
  // the sums of its bodies' positions; kid is its first child (four in a
  // row) or -1 for a leaf, body the leaf's body (-1 none, -2 several).
  function Tree() { this.cap = 0; }

  Tree.prototype.reserve = function (cap) {
    if (cap <= this.cap) return;
    this.cap = cap;
    this.x0 = new Float64Array(cap); this.y0 = new Float64Array(cap); this.s = new Float64Array(cap);
    this.m = new Float64Array(cap); this.sx = new Float64Array(cap); this.sy = new Float64Array(cap);
    this.kid = new Int32Array(cap); this.body = new Int32Array(cap);
  };

  Tree.prototype.cell = function (x0, y0, s) {
    var c = this.used++;
    this.x0[c] = x0; this.y0[c] = y0; this.s[c] = s;
    this.m[c] = 0; this.sx[c] = 0; this.sy[c] = 0; this.kid[c] = -1; this.body[c] = -1;
    return c;
  };

  Tree.prototype.build = function (n, x, y) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, i;
    for (i = 0; i < n; i++) {
      if (x[i] < minX) minX = x[i];
      if (x[i] > maxX) maxX = x[i];
      if (y[i] < minY) minY = y[i];
      if (y[i] > maxY) maxY = y[i];
    }
    for (var cap = Math.max(64, 8 * n); ; cap *= 2) {
      this.reserve(cap);
      this.used = 0;
      this.cell(minX - 1, minY - 1, Math.max(maxX - minX, maxY - minY) + 2);
      for (i = 0; i < n; i++) if (!this.insert(i, x[i], y[i], x, y)) break;
      if (i === n) return;
    }
  };

  Tree.prototype.insert = function (i, xi, yi, x, y) {
    var c = 0, depth = 0;
    for (;;) {
      if (this.kid[c] < 0) {
        if (this.m[c] === 0) {
          this.body[c] = i; this.m[c] = 1; this.sx[c] = xi; this.sy[c] = yi;
          return true;
        }
        if (depth > 40) { // coincident bodies
          this.body[c] = -2; this.m[c]++; this.sx[c] += xi; this.sy[c] += yi;
          return true;
        }
        if (this.used + 4 > this.cap) return false;
        var h = this.s[c] / 2, x0 = this.x0[c], y0 = this.y0[c];
        var k = this.cell(x0, y0, h);
        this.cell(x0 + h, y0, h); this.cell(x0, y0 + h, h); this.cell(x0 + h, y0 + h, h);
        this.kid[c] = k;
        var b = this.body[c];
        this.body[c] = -1;
        var kb = k + (x[b] >= x0 + h ? 1 : 0) + (y[b] >= y0 + h ? 2 : 0);
        this.body[kb] = b; this.m[kb] = 1; this.sx[kb] = x[b]; this.sy[kb] = y[b];
      }
      this.m[c]++; this.sx[c] += xi; this.sy[c] += yi;
      var half = this.s[c] / 2;
      c = this.kid[c] + (xi >= this.x0[c] + half ? 1 : 0) + (yi >= this.y0[c] + half ? 2 : 0);
      depth++;
    }
  };

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
    this.tree = new Tree();
    this.stack = new Int32Array(256);
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
    var tr = this.tree, stack = this.stack;
    tr.build(n, x, y);
    if (stack.length < 4 * 64) stack = this.stack = new Int32Array(4 * 64);
    var m = tr.m, sxs = tr.sx, sys = tr.sy, kid = tr.kid, body = tr.body, size = tr.s;
    for (i = 0; i < n; i++) {
      var xi = x[i], yi = y[i], fx = 0, fy = 0, top = 0;
      stack[top++] = 0;
      while (top) {
        var q = stack[--top], mq = m[q];
        if (!mq || body[q] === i) continue;
        var dx = sxs[q] / mq - xi, dy = sys[q] / mq - yi, d2 = dx * dx + dy * dy;
        var kq = kid[q];
        if (kq >= 0 && size[q] * size[q] >= THETA2 * d2) {
          if (top + 4 > stack.length) {
            var bigger = new Int32Array(stack.length * 2);
            bigger.set(stack);
            stack = this.stack = bigger;
          }
          stack[top++] = kq; stack[top++] = kq + 1; stack[top++] = kq + 2; stack[top++] = kq + 3;
          continue;
        }
        if (d2 < 1) { dx = (i % 7) - 3 || 1; dy = (i % 5) - 2 || 1; d2 = dx * dx + dy * dy; }
        var f = CHARGE * mq / d2;
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
    this.found = {};
    this.hiddenGroups = {};
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
    this.draw();
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
      if (!nd.tag && self.hiddenGroups[nd.group]) return;
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

  // Moves the view so that node `k` is in the middle.
  View.prototype.centre = function (k) {
    this.tx = this.w / 2 - this.sim.x[k] * this.k;
    this.ty = this.h / 2 - this.sim.y[k] * this.k;
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
    // Links, in batches (one huge path strokes slowly).
    ctx.lineWidth = 1;
    ctx.strokeStyle = this.c.edge;
    // Dense graphs: fainter links, so nodes stay readable.
    var dense = Math.min(1, 3000 / Math.max(1, s.src.length));
    ctx.globalAlpha = (hov >= 0 ? 0.35 : 0.8) * Math.max(0.15, Math.sqrt(dense));
    // While moving, a large graph draws a sample of its links (software
    // canvases spend most of a frame on them); the full set once still.
    var step = this.moving() ? Math.max(1, Math.ceil(s.src.length / EDGE_BUDGET)) : 1;
    var W = this.w, H = this.h, drawnEdges = 0;
    ctx.beginPath();
    for (var j = 0; j < s.src.length; j += step) {
      var a = s.src[j], b = s.dst[j];
      var ax = s.x[a] * k + tx, ay = s.y[a] * k + ty, bx = s.x[b] * k + tx, by = s.y[b] * k + ty;
      if ((ax < 0 && bx < 0) || (ay < 0 && by < 0) || (ax > W && bx > W) || (ay > H && by > H)) continue;
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      if (++drawnEdges % 1024 === 0) { ctx.stroke(); ctx.beginPath(); }
    }
    ctx.stroke();
    if (step > 1) this.sketchy = true;
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
    // Nodes, one path per colour (and per faded or not).
    var labels = [], batches = {};
    var scale = Math.max(0.35, Math.min(1.6, Math.sqrt(k)));
    for (var i = 0; i < n; i++) {
      var px = s.x[i] * k + tx, py = s.y[i] * k + ty;
      if (px < -20 || py < -20 || px > this.w + 20 || py > this.h + 20) continue;
      var r = this.radius(i) * scale;
      var key = this.color(i) + (hov >= 0 && !near[i] ? "|f" : "");
      (batches[key] || (batches[key] = [])).push(px, py, r);
      var nd = this.model.nodes[this.ids[i]];
      var hit = !!this.found[this.ids[i]];
      if (hit || near[i] || nd.current || n <= 80 || r * k > 5 || k > 1.2) labels.push([i, px, py, r, hit ? 2 : nd.current || near[i] ? 1 : 0]);
    }
    Object.keys(batches).forEach(function (key) {
      var list = batches[key];
      ctx.globalAlpha = key.slice(-2) === "|f" ? 0.3 : 1;
      ctx.fillStyle = key.split("|")[0];
      ctx.beginPath();
      for (var q = 0; q < list.length; q += 3) {
        var rr = list[q + 2];
        if (rr < 2.5) { ctx.rect(list[q] - rr, list[q + 1] - rr, 2 * rr, 2 * rr); continue; }
        ctx.moveTo(list[q] + rr, list[q + 1]);
        ctx.arc(list[q], list[q + 1], rr, 0, 6.2832);
      }
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    for (var ci = 0; ci < labels.length; ci++) {
      var cl = labels[ci];
      var ring = this.found[this.ids[cl[0]]] ? this.c.accent : this.model.nodes[this.ids[cl[0]]].current ? this.c.fg : null;
      if (!ring) continue;
      ctx.strokeStyle = ring;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cl[1], cl[2], cl[3] + 2.5, 0, 6.2832);
      ctx.stroke();
    }
    // Labels: the hovered node's first, then by degree, skipping any that
    // would overlap one already drawn (a coarse grid of occupied cells).
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    labels.sort(function (p, q) { return (q[0] === hov) - (p[0] === hov) || (q[4] - p[4]) || self.sim.deg[q[0]] - self.sim.deg[p[0]]; });
    var taken = {}, CW = 24, CH = 16, drawn = 0;
    for (var li = 0; li < labels.length && drawn < 300; li++) {
      var l = labels[li], nd2 = self.model.nodes[self.ids[l[0]]];
      var text = nd2.tag ? "#" + nd2.title : nd2.title;
      if (text.length > 40 && l[0] !== hov) text = text.slice(0, 38) + "…";
      // Kept inside the canvas: a label near an edge slides in.
      var tw = ctx.measureText(text).width;
      var lx = Math.max(2, Math.min(W - tw - 2, l[1] - tw / 2)), ly = Math.max(2, Math.min(H - 16, l[2] + l[3] + 3));
      var c0 = Math.floor(lx / CW), c1 = Math.floor((lx + tw) / CW), r0 = Math.floor(ly / CH), r1 = Math.floor((ly + 14) / CH);
      var free = true, cx2, cy2;
      for (cx2 = c0; cx2 <= c1 && free; cx2++) for (cy2 = r0; cy2 <= r1; cy2++) if (taken[cx2 + "," + cy2]) { free = false; break; }
      if (!free && l[0] !== hov) continue;
      for (cx2 = c0; cx2 <= c1; cx2++) for (cy2 = r0; cy2 <= r1; cy2++) taken[cx2 + "," + cy2] = true;
      drawn++;
      ctx.globalAlpha = hov >= 0 && !near[l[0]] ? 0.3 : 1;
      ctx.lineWidth = 3;
      ctx.strokeStyle = self.c.bg;
      ctx.strokeText(text, lx + tw / 2, ly);
      ctx.fillStyle = l[0] === hov || self.found[self.ids[l[0]]] ? self.c.fg : self.c.muted;
      ctx.fillText(text, lx + tw / 2, ly);
    }
    ctx.globalAlpha = 1;
  };

  View.prototype.moving = function () {
    return this.running || this.busy > 0;
  };

  // Redraws now, and once more in full when the view has been still a moment.
  View.prototype.touch = function () {
    var self = this;
    this.busy = (this.busy || 0) + 1;
    if (!this.running) this.draw();
    setTimeout(function () {
      if (--self.busy === 0 && !self.running && self.sketchy) { self.sketchy = false; self.draw(); }
    }, 200);
  };

  View.prototype.start = function () {
    if (this.running) return;
    this.running = true;
    var self = this;
    var frame = function () {
      var t0 = performance.now();
      do { self.sim.tick(); } while (!self.sim.settled() && performance.now() - t0 < 12 && self.sim.n < 2000);
      if (self.sim.settled() && self.sim.fixed < 0) {
        self.running = false;
        self.sketchy = false;
        self.draw();
        self.box.setAttribute("data-settled", "true");
        return;
      }
      self.draw();
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
        self.touch();
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
          self.touch();
        }
        return;
      }
      var h = self.at(p.x, p.y);
      if (h !== self.hover) {
        self.hover = h;
        cv.style.cursor = h >= 0 ? "pointer" : "grab";
        cv.title = h >= 0 ? self.model.nodes[self.ids[h]].title : "";
        if (!self.running) self.touch();
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
      if (!drag && self.hover >= 0) { self.hover = -1; if (!self.running) self.touch(); }
    });
    cv.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = local(ev);
      var k = Math.max(0.02, Math.min(8, self.k * Math.exp(-ev.deltaY * 0.0015)));
      self.tx = p.x - (p.x - self.tx) * k / self.k;
      self.ty = p.y - (p.y - self.ty) * k / self.k;
      self.k = k;
      if (!self.running) self.touch();
    }, { passive: false });
  };

  /* ---------- data ---------- */

  // A node's URL from the site root: its folder's prefix, the rest, and the
  // suffix every page URL ends with (`index.html`), which the data says once.
  function urlOf(d, n) {
    var u = (d.p[n[1]] || "") + n[2];
    return u === "" || u.charAt(u.length - 1) === "/" ? u + (d.s || "") : u;
  }

  function groupOf(url, groups) {
    var top = url.split("/")[0];
    if (groups[top] === undefined) groups[top] = Object.keys(groups).length;
    return groups[top];
  }

  // Local graph JSON: {p: [prefixes], n: [[title, prefix, rest, hop]], e: [a, b, …],
  // t: [[name, url, [nodes]]]}, URLs from the site root.
  function localModel(d, root) {
    var nodes = [], links = [], groups = {};
    var href = function (u) { return ABSOLUTE.test(u) ? u : root + u; };
    (d.n || []).forEach(function (n, i) {
      var url = urlOf(d, n);
      nodes.push({ title: n[0], url: href(url), hop: n[3], current: i === 0, group: groupOf(url, groups) });
    });
    for (var i = 0; i + 1 < (d.e || []).length; i += 2) links.push([d.e[i], d.e[i + 1]]);
    (d.t || []).forEach(function (t) {
      var id = nodes.length;
      nodes.push({ title: t[0], url: href(t[1]), tag: true });
      links.push([id, 0]);
      (t[2] || []).forEach(function (m) { if (m !== 0) links.push([id, m]); });
    });
    return { nodes: nodes, links: links };
  }

  // A note's local graph two links deep, from the site's graph (a page
  // carries only the note's neighbours): the same choice as isokb's, the
  // neighbours first, then the best linked notes two links away, 50 at most,
  // in the local JSON's form. `null` when the note is not in it.
  var LOCAL_MAX = 50;
  function localFromGlobal(g, d) {
    var here = urlOf(d, d.n[0]), start = -1, count = g.n.length, i;
    for (i = 0; i < count && start < 0; i++) if (urlOf(g, g.n[i]) === here) start = i;
    if (start < 0) return null;
    var adj = [];
    for (i = 0; i < count; i++) adj.push([]);
    g.e.forEach(function (list, a) { list.forEach(function (b) { adj[a].push(b); adj[b].push(a); }); });
    var rank = function (a, b) { return (adj[b].length - adj[a].length) || (a - b); };
    var hop = {};
    hop[start] = 0;
    var near = adj[start].filter(function (b) { if (hop[b] !== undefined) return false; hop[b] = 1; return true; }).sort(rank);
    var chosen = near.slice(0, LOCAL_MAX - 1);
    if (chosen.length < LOCAL_MAX - 1) {
      var far = [];
      chosen.forEach(function (a) {
        adj[a].forEach(function (b) { if (hop[b] === undefined) { hop[b] = 2; far.push(b); } });
      });
      chosen = chosen.concat(far.sort(rank).slice(0, LOCAL_MAX - 1 - chosen.length));
    }
    var shown = [start].concat(chosen), place = {};
    shown.forEach(function (k, j) { place[k] = j; });
    var out = { s: g.s, p: g.p, n: [], e: [], t: [] };
    shown.forEach(function (k) { out.n.push([g.n[k][0], g.n[k][1], g.n[k][2], hop[k]]); });
    shown.forEach(function (a, j) {
      adj[a].forEach(function (b) { if (place[b] > j) out.e.push(j, place[b]); });
    });
    (g.t || []).forEach(function (t) {
      if (t[2].indexOf(start) < 0) return;
      out.t.push([t[0], t[1], t[2].filter(function (m) { return place[m] !== undefined; }).map(function (m) { return place[m]; })]);
    });
    return out;
  }

  // Global graph.js: {p: [prefixes], n: [[title, prefix, rest]], e: [[higher neighbours]], xy: [...], t: [[name, url, [nodes]]]}.
  function globalModel(d, root) {
    var nodes = [], links = [], groups = {};
    var names = [];
    var href = function (u) { return ABSOLUTE.test(u) ? u : root + u; };
    (d.n || []).forEach(function (n, i) {
      var url = urlOf(d, n);
      nodes.push({ title: n[0], url: href(url), group: groupOf(url, groups), x: d.xy[2 * i], y: d.xy[2 * i + 1] });
    });
    (d.e || []).forEach(function (list, a) { list.forEach(function (b) { links.push([a, b]); }); });
    var noteLinks = links.length;
    (d.t || []).forEach(function (t) {
      var id = nodes.length;
      nodes.push({ title: t[0], url: href(t[1]), tag: true });
      (t[2] || []).forEach(function (m) { links.push([id, m]); });
    });
    Object.keys(groups).forEach(function (g) { names[groups[g]] = g; });
    return { nodes: nodes, links: links, notes: d.n.length, noteLinks: noteLinks, groups: names };
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
    // Search: the notes whose title holds the words typed stand out, and the
    // view centres on the first; Enter opens it.
    var find = scope.querySelector(".graph-find");
    if (find) {
      find.hidden = false;
      var fold = function (t) { t = String(t || ""); if (t.normalize) t = t.normalize("NFD"); return t.replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
      var first = -1;
      find.addEventListener("input", function () {
        var q = fold(find.value).trim();
        view.found = {};
        first = -1;
        if (q.length >= 2) {
          view.model.nodes.forEach(function (nd, i) {
            if (!nd.tag && fold(nd.title).indexOf(q) >= 0) {
              view.found[i] = true;
              if (first < 0) first = i;
            }
          });
        }
        var k = first >= 0 ? view.ids.indexOf(first) : -1;
        if (k >= 0) view.centre(k);
        view.draw();
      });
      find.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && first >= 0) {
          ev.preventDefault();
          var k = view.ids.indexOf(first);
          if (k >= 0) view.open(k, ev.ctrlKey || ev.metaKey);
        }
      });
    }
    // The legend: each folder's colour; a click hides or shows its notes.
    var legend = scope.querySelector(".graph-legend");
    if (legend && view.model.groups) {
      var count = {};
      view.model.nodes.forEach(function (nd) { if (!nd.tag) count[nd.group] = (count[nd.group] || 0) + 1; });
      var order = Object.keys(count).map(Number).sort(function (a, b) { return count[b] - count[a]; }).slice(0, 12);
      order.forEach(function (g) {
        var li = doc.createElement("li");
        var b = doc.createElement("button");
        b.type = "button";
        b.setAttribute("aria-pressed", "true");
        var sw = doc.createElement("span");
        sw.className = "swatch";
        sw.style.background = view.c.palette[g % view.c.palette.length];
        b.appendChild(sw);
        var name = view.model.groups[g] || "";
        b.appendChild(doc.createTextNode((/\.html?$/.test(name) || !name ? "/" : name) + " (" + count[g] + ")"));
        b.addEventListener("click", function () {
          view.hiddenGroups[g] = !view.hiddenGroups[g];
          b.setAttribute("aria-pressed", view.hiddenGroups[g] ? "false" : "true");
          view.rebuild(false);
          view.heat(0.3);
        });
        li.appendChild(b);
        legend.appendChild(li);
      });
      legend.hidden = !order.length;
    }
  }

  var views = [];
  window.IsokbGraph = { views: views };

  Array.prototype.forEach.call(doc.querySelectorAll('.graph-box[data-graph="local"]'), function (box) {
    var section = box.closest("section") || box.parentNode;
    var data;
    try { data = JSON.parse(section.querySelector(".graph-data").textContent); } catch (e) { return; }
    var depth = section.querySelector(".graph-depth");
    var root = (doc.body && doc.body.getAttribute("data-root")) || "";
    var view = new View(box, localModel(data, root), { settleFirst: true, depth: depth ? +depth.value : 1 });
    controls(section, view);
    views.push(view);
    // Two links deep: the site's graph, read once, the first time asked for.
    var widened = false;
    function widen() {
      if (widened || view.depth < 2) return;
      widened = true;
      var before = window.ISOKB_GRAPH;
      window.ISOKB_GRAPH = function (g) {
        window.ISOKB_GRAPH = before;
        var wide = localFromGlobal(g, data);
        if (!wide) return;
        view.model = localModel(wide, root);
        view.rebuild(false);
        view.fit();
        view.heat(0.3);
        box.setAttribute("data-wide", "true");
      };
      var s = doc.createElement("script");
      s.src = box.getAttribute("data-src") || root + "graph.js";
      s.onerror = function () { widened = false; };
      doc.head.appendChild(s);
    }
    if (depth) depth.addEventListener("change", widen);
    widen();
  });

  Array.prototype.forEach.call(doc.querySelectorAll('.graph-box[data-graph="global"]'), function (box) {
    var status = box.querySelector(".graph-status");
    var root = (doc.body && doc.body.getAttribute("data-root")) || "";
    window.ISOKB_GRAPH = function (d) {
      var model = globalModel(d, root);
      if (status) {
        var lang = doc.documentElement.lang || undefined;
        status.textContent = model.notes.toLocaleString(lang) + " " + (box.getAttribute("data-notes") || "notes") + ", " +
          model.noteLinks.toLocaleString(lang) + " " + (box.getAttribute("data-links") || "links");
      }
      var view = new View(box, model, { alpha: model.notes > 2000 ? 0.35 : 1 });
      view.sim.alphaDecay = model.notes > 2000 ? 0.05 : 0.03;
      controls(box.parentNode, view);
      views.push(view);
      box.setAttribute("data-ready", "true");
    };
    var s = doc.createElement("script");
    s.src = box.getAttribute("data-src");
    s.onerror = function () { if (status) status.textContent = box.getAttribute("data-failed") || "The graph could not be loaded."; };
    doc.head.appendChild(s);
  });
})();
