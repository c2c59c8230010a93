// The animated panels, drawn on canvases in the browser (a Streamlit v2 component).
//
// Python sends the paths once per scene (viz/canvas.py: paths_payload); everything that moves —
// Play, Pause, Replay, the step scrubber, hover read-outs — happens here, without a round trip.
// Each panel keeps a pre-drawn static layer (surface image, axes, faint whole path, start and
// minima); a frame copies it and draws the trails and current points on top.
//
// The host element carries what tests and benchmarks read: data-frame (the step shown), data-draws
// (how many frames were shown), data-signature (changes with the data), data-playing; each panel its
// data-paints (how often its canvas was painted: new data repaints only the panels whose runs changed).
// pageTop() and watchPage() come from page.js, which paths_canvas.py puts before this file.

const DASHES = {
  solid: [],
  dash: [9, 5],
  dot: [2, 4],
  dashdot: [9, 4, 2, 4],
  longdash: [16, 6],
  longdashdot: [16, 5, 2, 5],
};
const MARGIN = { left: 48, right: 16, top: 8, bottom: 30 };  // left: the least; each panel widens it
const INK = "#1f2933";
const GRID_GAP = { row: 10, col: 14 };  // .pp-grid's gap (paths_canvas.css)
// What takes its own keys: the keyboard's shortcuts (see View.watchKeys) leave them alone, and Space to what
// it presses (a focused button, an expander's title, a link).
const CONTROLS = 'input, textarea, select, [contenteditable="true"], [role="slider"], [role="combobox"]';
const PRESSED = 'button, summary, a, [role="button"]';
const AXIS = "#9aa5b1";
const DECODER = new TextDecoder();

// The canvas height at which a panel's plot is as wide as its cell, at equal scales (left margin: the least).
function naturalHeight(cell, aspect) {
  return Math.max(160, (cell - MARGIN.left - MARGIN.right) / aspect + MARGIN.top + MARGIN.bottom);
}

function niceStep(span, target) {
  const raw = span / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

export function ticks(lo, hi, px) {
  const step = niceStep(hi - lo, px / 70);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { values: out, step, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

// A tick's label: fixed-point while it has at most eight characters (the panels' left margin widens to
// the widest); longer, the shortest scientific form that still tells the tick from its neighbours
// (2.5e-5, -1.5e9).
export function tickLabel(v, t) {
  if (v === 0) return "0";
  const fixed = v.toFixed(t.decimals);
  if (fixed.length <= 8) return fixed.replace("e+", "e"); // toFixed writes 1e21 and beyond as 1e+21
  for (let p = 0; p < 15; p++) {
    const s = v.toExponential(p);
    if (Math.abs(Number(s) - v) <= t.step * 1e-6) return s.replace("e+", "e");
  }
  return fixed;
}

// m · 10^k written whole: 0.002, 50, 1e-7, 5e12.
function logLabel(m, k) {
  if (k >= -3 && k <= 4) return String(Number((m * Math.pow(10, k)).toPrecision(6)));
  return `${m}e${k}`;
}

// Ticks of a log axis over [lo, hi] (log10 units) on an axis px pixels long, as [value, label] pairs: the
// powers of ten while at least two fit, else 1, 2 and 5 (or 1 and 3) times them, else (under about half a
// decade) evenly spaced values. Every label is the tick's whole value: with powers of ten alone a range of a
// decade or less (ten steps, a run that barely moves) had one label or none.
export function logTicks(lo, hi, px) {
  const room = Math.max(2, Math.floor(px / 28));
  const every = Math.max(1, Math.ceil((hi - lo) / room));
  const decades = [];
  for (let k = Math.ceil(lo); k <= Math.floor(hi); k++) if (k % every === 0) decades.push([Math.pow(10, k), logLabel(1, k)]);
  if (decades.length >= 2) return decades;
  for (const mults of [[1, 2, 5], [1, 3]]) {
    const out = [];
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of mults) {
        const e = k + Math.log10(m);
        if (e >= lo - 1e-9 && e <= hi + 1e-9) out.push([m * Math.pow(10, k), logLabel(m, k)]);
      }
    }
    if (out.length >= 2 && out.length <= room) return out;
  }
  const t = ticks(Math.pow(10, lo), Math.pow(10, hi), px * 1.3);
  return t.values.filter((v) => v > 0).map((v) => [v, tickLabel(v, t)]);
}

function marker(ctx, symbol, x, y, r) {
  ctx.beginPath();
  switch (symbol) {
    case "square":
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      break;
    case "diamond":
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.15); ctx.lineTo(x - r, y); ctx.closePath();
      break;
    case "triangle-up":
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.05, y + r * 0.8); ctx.lineTo(x - r * 1.05, y + r * 0.8); ctx.closePath();
      break;
    case "triangle-down":
      ctx.moveTo(x, y + r * 1.15); ctx.lineTo(x + r * 1.05, y - r * 0.8); ctx.lineTo(x - r * 1.05, y - r * 0.8); ctx.closePath();
      break;
    case "star":
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5, rr = i % 2 ? r * 0.45 : r * 1.2;
        ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
      ctx.closePath();
      break;
    case "hexagon":
      for (let i = 0; i < 6; i++) ctx.lineTo(x + r * Math.cos((i * Math.PI) / 3), y + r * Math.sin((i * Math.PI) / 3));
      ctx.closePath();
      break;
    case "x":
    case "cross": {
      const d = symbol === "x" ? Math.SQRT1_2 : 1, w = r * 0.38;
      const arm = (ux, uy) => {
        const px = -uy * w, py = ux * w;
        return [[x + ux * r * 1.1 + px, y + uy * r * 1.1 + py], [x + ux * r * 1.1 - px, y + uy * r * 1.1 - py]];
      };
      const dirs = symbol === "x" ? [[d, d], [-d, d], [-d, -d], [d, -d]] : [[1, 0], [0, 1], [-1, 0], [0, -1]];
      for (const [ux, uy] of dirs) for (const [px, py] of arm(ux, uy)) ctx.lineTo(px, py);
      ctx.closePath();
      break;
    }
    default:
      ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

// The part of segment (ax, ay)–(bx, by) inside box [x0, x1, y0, y1] as [x, y, x, y], or null (Liang–Barsky).
function clipSegment(ax, ay, bx, by, [x0, x1, y0, y1]) {
  const dx = bx - ax, dy = by - ay;
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[-dx, ax - x0], [dx, x1 - ax], [-dy, ay - y0], [dy, y1 - ay]]) {
    if (p === 0) { if (q < 0) return null; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
  }
  return [ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy];
}

// A new element with a class.
function el(tag, className) {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

// Size canvases to width × height CSS pixels at this device-pixel ratio. A canvas whose size does not change
// is left alone: assigning its width, even the same one, clears it and reallocates its pixels.
function resizeCanvases(canvases, width, height, ratio) {
  const w = Math.round(width * ratio), h = Math.round(height * ratio);
  for (const c of canvases) {
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
  }
  const cw = width + "px", ch = height + "px";
  if (canvases[0].style.width !== cw) canvases[0].style.width = cw;
  if (canvases[0].style.height !== ch) canvases[0].style.height = ch;
}

// A row of keys (a line swatch in the run's colour and dash, then its label): greyscale-safe.
function legend(box, runs) {
  const text = JSON.stringify(runs.map((r) => [r.label, r.color, r.dash]));
  if (box.dataset.keys === text) return;
  box.dataset.keys = text;
  box.replaceChildren();
  for (const run of runs) {
    const item = el("span", "pp-key");
    const sw = document.createElement("canvas");
    sw.width = 34;
    sw.height = 12;
    const c = sw.getContext("2d");
    c.setLineDash(DASHES[run.dash] || []);
    c.strokeStyle = run.color;
    c.lineWidth = 3;
    c.beginPath(); c.moveTo(1, 6); c.lineTo(33, 6); c.stroke();
    const t = document.createElement("span");
    t.textContent = run.label;
    item.append(sw, t);
    box.append(item);
  }
}

class Panel {
  constructor(view, index) {
    this.view = view;
    this.index = index;
    this.el = el("div", "pp-panel");
    this.title = el("div", "pp-title");
    this.canvas = el("canvas", "pp-canvas");
    this.readout = el("div", "pp-readout");
    this.el.append(this.title, this.canvas, this.readout);
    this.layer = document.createElement("canvas");
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => { this.readout.textContent = ""; });
    this.canvas.addEventListener("click", (e) => this.click(e));
  }

  // Data coordinates <-> canvas pixels (CSS pixels).
  px(x) { return this.left + ((x - this.x0) / (this.x1 - this.x0)) * this.w; }
  py(y) { return MARGIN.top + ((this.y1 - y) / (this.y1 - this.y0)) * this.h; }
  dx(px) { return this.x0 + ((px - this.left) / this.w) * (this.x1 - this.x0); }
  dy(py) { return this.y1 - ((py - MARGIN.top) / this.h) * (this.y1 - this.y0); }

  layout(width, height) {
    const d = this.view.data, ratio = window.devicePixelRatio || 1;
    [[this.x0, this.x1], [this.y0, this.y1]] = d.bounds;
    this.cssW = width;
    this.cssH = height;
    this.h = Math.max(10, height - MARGIN.top - MARGIN.bottom);
    // The left margin holds the widest y label (a window of ±1e6 needs more than the usual 48 px).
    const measure = this.layer.getContext("2d"), ty = ticks(this.y0, this.y1, this.h);
    measure.font = this.font();
    const widest = Math.max(0, ...ty.values.map((v) => measure.measureText(tickLabel(v, ty)).width));
    this.margin = Math.max(MARGIN.left, Math.ceil(widest) + 10);
    this.left = this.margin;
    this.w = Math.max(10, width - this.left - MARGIN.right);
    // Equal scales: wider than the window's shape, the plot narrows to it, centred in its cell; taller (a
    // panel's least height, 160 px, for a long window in a narrow cell), it is shorter, under its title.
    const aspect = d.aspect;
    if (this.w > this.h * aspect + 1) {
      this.left += Math.floor((this.w - this.h * aspect) / 2);
      this.w = this.h * aspect;
    } else if (this.h > this.w / aspect + 1) {
      this.h = this.w / aspect;
    }
    this.ratio = ratio;
    resizeCanvases([this.canvas, this.layer], width, height, ratio);
    // What the static layer shows: redrawn only when it changed (a slider move changes one run's panel).
    const key = [width, height, ratio, this.view.imageState(), d.bounds, d.start, d.minima, d.scale, d.decimals,
      d.hidden, d.rows.length, this.runs().map((r) => r.sig)];
    const text = JSON.stringify(key);
    if (text === this.staticKey) return;
    this.staticKey = text;
    this.shown = null;
    this.drawStatic();
  }

  font() {
    return `${Math.round(12 * Math.min(this.view.data.scale, 1.25))}px Inter, "Source Sans Pro", Helvetica, Arial, sans-serif`;
  }

  runs() {
    const d = this.view.data;
    return d.hidden ? [] : d.runs.filter((r) => r.panel === this.index);
  }

  line(ctx, run, upto, width, dash) {
    const n = Math.min(upto + 1, run.x.length);
    if (n < 1) return;
    // A diverging run's last points can lie millions of pixels away, and dashing such a line costs
    // seconds a frame: a segment that leaves a box three plots wide is cut to the box (Liang–Barsky).
    const box = [this.left - this.w, this.left + 2 * this.w, MARGIN.top - this.h, MARGIN.top + 2 * this.h];
    const inside = (x, y) => x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
    ctx.beginPath();
    let ax = this.px(run.x[0]), ay = this.py(run.y[0]);
    if (inside(ax, ay)) ctx.moveTo(ax, ay);
    for (let i = 1; i < n; i++) {
      const bx = this.px(run.x[i]), by = this.py(run.y[i]);
      if (inside(ax, ay) && inside(bx, by)) ctx.lineTo(bx, by);
      else {
        const c = clipSegment(ax, ay, bx, by, box);
        if (c) { ctx.moveTo(c[0], c[1]); ctx.lineTo(c[2], c[3]); }
      }
      ax = bx;
      ay = by;
    }
    ctx.setLineDash(dash ? (DASHES[run.dash] || []).map((v) => v * Math.max(1, width / 2.5)) : []);
    ctx.lineWidth = width;
    ctx.strokeStyle = run.color;
    ctx.stroke();
    ctx.setLineDash([]);
  }

  drawStatic() {
    const d = this.view.data, s = d.scale, ctx = this.layer.getContext("2d");
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, this.cssW, this.cssH);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, this.cssW, this.cssH);
    const img = this.view.image;
    if (img && img.complete && img.naturalWidth) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(img, this.left, MARGIN.top, this.w, this.h);
    }
    // Axes: frame, ticks and labels.
    ctx.strokeStyle = AXIS;
    ctx.lineWidth = 1;
    ctx.strokeRect(this.left - 0.5, MARGIN.top - 0.5, this.w + 1, this.h + 1);
    ctx.fillStyle = INK;
    ctx.font = this.font();
    const tx = ticks(this.x0, this.x1, this.w), ty = ticks(this.y0, this.y1, this.h);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.beginPath();
    for (const v of tx.values) {
      const x = Math.round(this.px(v)) + 0.5, label = tickLabel(v, tx);
      ctx.moveTo(x, MARGIN.top + this.h); ctx.lineTo(x, MARGIN.top + this.h + 5);
      const half = ctx.measureText(label).width / 2;  // the last label stays on the canvas
      ctx.fillText(label, Math.min(x, this.cssW - half - 1), MARGIN.top + this.h + 7);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    // A label at the bottom corner sits a little above its tick, clear of the x labels' row: a window of
    // ±1e6 put "-1000000" right above the x axis' "-1000000", the two nearly touching.
    const lowest = MARGIN.top + this.h - 4;
    for (const v of ty.values) {
      const y = Math.round(this.py(v)) + 0.5;
      ctx.moveTo(this.left - 5, y); ctx.lineTo(this.left, y);
      ctx.fillText(tickLabel(v, ty), this.left - 7, Math.min(y, lowest));
    }
    ctx.stroke();
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.left, MARGIN.top, this.w, this.h);
    ctx.clip();
    ctx.globalAlpha = 0.35;
    for (const run of this.runs()) this.line(ctx, run, run.x.length - 1, 1, true);
    ctx.globalAlpha = 1;
    const [sx, sy] = d.start;
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = INK;
    marker(ctx, "circle", this.px(sx), this.py(sy), 5 * s);
    ctx.stroke();
    for (const [mx, my] of d.minima) {
      marker(ctx, "star", this.px(mx), this.py(my), 7 * s);
      ctx.fillStyle = "#ffffff";
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = INK;
      ctx.stroke();
    }
    ctx.restore();
  }

  draw(step) {
    const d = this.view.data, s = d.scale;
    // The trails up to this step on the static layer: nothing to do if this panel already shows them.
    const shown = `${this.staticKey}|${step}|${d.lineWidth}`;
    if (shown === this.shown) return;
    this.shown = shown;
    this.paints = (this.paints || 0) + 1;
    this.el.dataset.paints = String(this.paints);  // tests read how often each panel was painted
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer, 0, 0);
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.left, MARGIN.top, this.w, this.h);
    ctx.clip();
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    for (const run of this.runs()) {
      const i = this.view.rowOf(step, run);
      this.line(ctx, run, i, d.lineWidth, true);
      marker(ctx, run.symbol, this.px(run.x[i]), this.py(run.y[i]), 6.5 * s);
      ctx.fillStyle = run.color;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
    ctx.restore();
  }

  nearest(px, py) {
    let best = null, bestD = 64;
    for (const run of this.runs()) {
      const n = this.view.rowOf(this.view.step, run) + 1;
      for (let i = 0; i < n; i++) {
        const ddx = this.px(run.x[i]) - px, ddy = this.py(run.y[i]) - py, dd = ddx * ddx + ddy * ddy;
        if (dd < bestD) { bestD = dd; best = [run, i]; }
      }
    }
    return best;
  }

  inside(e) {
    const r = this.canvas.getBoundingClientRect(), px = e.clientX - r.left, py = e.clientY - r.top;
    const ok = px >= this.left && px <= this.left + this.w && py >= MARGIN.top && py <= MARGIN.top + this.h;
    return ok ? [px, py] : null;
  }

  hover(e) {
    const p = this.inside(e), d = this.view.data;
    if (!p) { this.readout.textContent = ""; return; }
    const f = (v) => v.toFixed(d.decimals);
    this.readout.style.top = `${this.canvas.offsetTop + 2}px`;  // the canvas's top: titles above may differ in height
    const hit = this.nearest(p[0], p[1]);
    if (hit) {
      const [run, i] = hit;
      this.readout.textContent = `${run.label} · step ${d.rows[i]} · (${f(run.x[i])}, ${f(run.y[i])})`;
    } else {
      this.readout.textContent = `(${f(this.dx(p[0]))}, ${f(this.dy(p[1]))})` + (d.clickable ? " · click to start here" : "");
    }
  }

  click(e) {
    const p = this.inside(e), d = this.view.data;
    if (!p || !d.clickable) return;
    const round = (v) => Number(v.toFixed(d.decimals));
    this.view.setTrigger("start", [round(this.dx(p[0])), round(this.dy(p[1]))]);
  }
}

// Loss against step for every run, under the panels; its cursor follows the animation.
class LossChart {
  constructor(view) {
    this.view = view;
    this.el = el("div", "pp-loss");
    this.title = el("div", "pp-loss-title");
    this.title.textContent = "Loss against step";
    this.canvas = el("canvas", "pp-loss-canvas");
    this.canvas.setAttribute("role", "img");
    this.readout = el("div", "pp-readout pp-loss-readout");
    this.keys = el("div", "pp-legend");
    this.el.append(this.title, this.keys, this.canvas, this.readout);
    this.layer = document.createElement("canvas");
    this.m = { left: 70, right: 16, top: 10, bottom: 40 };
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => { this.readout.textContent = ""; });
  }

  fy(v) { return this.loss.log ? Math.log10(v) : v; }
  px(step) { return this.m.left + (step / Math.max(1, this.steps)) * this.w; }
  py(v) { return this.m.top + (1 - (this.fy(v) - this.lo) / (this.hi - this.lo)) * this.h; }

  layout(width, loss, rows) {
    this.loss = loss;
    this.rows = rows;
    this.steps = rows[rows.length - 1] || 1;
    const ratio = window.devicePixelRatio || 1, height = Math.round(Math.min(300, Math.max(200, width * 0.3)));
    this.cssW = width; this.cssH = height; this.ratio = ratio;
    this.w = Math.max(10, width - this.m.left - this.m.right);
    this.h = Math.max(10, height - this.m.top - this.m.bottom);
    resizeCanvases([this.canvas, this.layer], width, height, ratio);
    // The axis range comes with the data (viz.curves.loss_range: log10 units on a log axis, capped so that a
    // diverging run or one that leaves the picture cannot flatten the other curves).
    [this.lo, this.hi] = loss.range;
    this.canvas.setAttribute("aria-label", `${loss.title} against step for ${loss.runs.map((r) => r.label).join(", ")}.`);
    this.drawStatic();
  }

  yTicks() {
    if (!this.loss.log) {
      const t = ticks(this.lo, this.hi, this.h * 1.3);
      return t.values.map((v) => [v, tickLabel(v, t)]);
    }
    return logTicks(this.lo, this.hi, this.h);
  }

  drawStatic() {
    const ctx = this.layer.getContext("2d"), s = this.view.data.scale;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, this.cssW, this.cssH);
    ctx.font = `${Math.round(12 * Math.min(s, 1.25))}px Inter, "Source Sans Pro", Helvetica, Arial, sans-serif`;
    ctx.strokeStyle = "#e5e8ec";
    ctx.fillStyle = INK;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.beginPath();
    for (const [v, label] of this.yTicks()) {
      const y = Math.round(this.py(v)) + 0.5;
      ctx.moveTo(this.m.left, y); ctx.lineTo(this.m.left + this.w, y);
      ctx.fillText(label, this.m.left - 6, y);
    }
    const tx = ticks(0, this.steps, this.w);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of tx.values) {
      const x = Math.round(this.px(v)) + 0.5;
      ctx.moveTo(x, this.m.top); ctx.lineTo(x, this.m.top + this.h);
      ctx.fillText(v.toFixed(0), x, this.m.top + this.h + 6);
    }
    ctx.stroke();
    ctx.fillText("step", this.m.left + this.w / 2, this.m.top + this.h + 22);
    ctx.save();
    ctx.translate(14, this.m.top + this.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(this.loss.title, 0, 0);
    ctx.restore();
    ctx.strokeStyle = AXIS;
    ctx.strokeRect(this.m.left - 0.5, this.m.top - 0.5, this.w + 1, this.h + 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.m.left, this.m.top, this.w, this.h);
    ctx.clip();
    ctx.lineJoin = "round";
    // Segments are cut where they leave a band just around the chart: a curve that runs off it towards
    // ±1e19 would otherwise be a path billions of pixels long, and Chrome then draws a dashed line solid.
    const top = this.m.top - 4, bottom = this.m.top + this.h + 4;
    const cross = (a, b, edge) => [a[0] + ((edge - a[1]) / (b[1] - a[1])) * (b[0] - a[0]), edge];
    for (const run of this.loss.runs) {
      ctx.beginPath();
      let prev = null;
      for (let i = 0; i < run.y.length; i++) {
        const v = run.y[i];
        if (v === null) { prev = null; continue; }
        const p = [this.px(this.rows[i]), this.py(v)];
        const side = p[1] < top ? -1 : p[1] > bottom ? 1 : 0;
        if (prev === null) {
          if (side === 0) ctx.moveTo(p[0], p[1]);
        } else if (prev.side === 0 && side === 0) {
          ctx.lineTo(p[0], p[1]);
        } else if (prev.side !== side) {  // enters, leaves, or crosses the band
          const a = prev.side === 0 ? prev.p : cross(prev.p, p, prev.side < 0 ? top : bottom);
          const b = side === 0 ? p : cross(prev.p, p, side < 0 ? top : bottom);
          if (prev.side !== 0) ctx.moveTo(a[0], a[1]);
          ctx.lineTo(b[0], b[1]);
        }
        prev = { p, side };
      }
      ctx.setLineDash((DASHES[run.dash] || []).map((v) => v * Math.max(1, this.view.data.lineWidth / 2.5)));
      ctx.strokeStyle = run.color;
      ctx.lineWidth = this.view.data.lineWidth;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.restore();
  }

  draw(step) {
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer, 0, 0);
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    const x = this.px(step);
    ctx.strokeStyle = "rgba(31, 41, 51, 0.45)";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(x, this.m.top); ctx.lineTo(x, this.m.top + this.h); ctx.stroke();
    for (const run of this.loss.runs) {
      const i = this.view.rowOf(step, { x: run.y });
      const v = run.y[i];
      if (v === null || v === undefined) continue;
      marker(ctx, "circle", this.px(this.rows[i]), this.py(v), 4.5);
      ctx.fillStyle = run.color; ctx.fill();
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1.2; ctx.stroke();
    }
  }

  hover(e) {
    const r = this.canvas.getBoundingClientRect(), px = e.clientX - r.left;
    if (px < this.m.left || px > this.m.left + this.w) { this.readout.textContent = ""; return; }
    const step = Math.round(((px - this.m.left) / this.w) * this.steps);
    const parts = this.loss.runs.map((run) => {
      const v = run.y[this.view.rowOf(step, { x: run.y })];
      return `${run.label} ${v === null || v === undefined ? "–" : Number(v).toPrecision(3)}`;
    });
    this.readout.textContent = `step ${step}: ` + parts.join(" · ");
  }
}

// A summary cell's text: numbers to 4 (final loss) or 3 significant digits, trailing zeros kept so a column's
// numbers line up, but an exact 0 written "0" (not "0.000"); whole steps; "–" for none; text as it is.
export function summaryText(v, column) {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (column === "steps to reach") return String(Math.round(v));
  return v === 0 ? "0" : Number(v).toPrecision(column === "final loss" ? 4 : 3);
}

// The summary table (final loss, distance to the nearest minimum, steps to reach it, status).
function summaryTable(box, summary) {
  box.replaceChildren();
  if (!summary) return;
  box.append(el("div", "pp-loss-title"));
  box.firstChild.textContent = "Summary";
  const table = el("table", "pp-table"), head = el("tr", "");
  summary.columns.forEach((c, j) => {
    const th = el("th", "");
    th.textContent = c;
    if (summary.help[j]) th.title = summary.help[j];
    head.append(th);
  });
  table.append(head);
  for (const row of summary.rows) {
    const tr = el("tr", "");
    row.forEach((v, j) => {
      const td = el("td", typeof v === "number" ? "pp-num" : "");
      const c = summary.columns[j];
      td.dataset.label = c;  // a phone shows it before the value (paths_canvas.css)
      td.textContent = summaryText(v, c);
      tr.append(td);
    });
    table.append(tr);
  }
  box.append(table);
}

class View {
  constructor(host) {
    this.host = host;
    this.legend = el("div", "pp-legend");
    this.grid = el("div", "pp-grid");
    this.bar = el("div", "pp-bar");
    const button = (label, title, fn) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "pp-button";
      b.textContent = label;
      b.title = title;
      b.addEventListener("click", fn);
      this.bar.append(b);
      return b;
    };
    this.play = button("▶ Play", "Play the animation (every panel in step)", () => (this.timer ? this.pause() : this.start(false)));
    button("⟲ Replay", "Play from the first step", () => this.start(true));
    this.slider = document.createElement("input");
    this.slider.type = "range";
    this.slider.className = "pp-slider";
    this.slider.setAttribute("aria-label", "step");
    this.slider.addEventListener("input", () => { this.pause(); this.show(this.frames[Number(this.slider.value)]); });
    this.label = el("span", "pp-step");
    this.bar.append(this.slider, this.label);
    this.lossChart = new LossChart(this);
    this.caption = el("div", "pp-caption");
    this.summary = el("div", "pp-summary");
    host.append(this.legend, this.grid, this.bar, this.caption, this.lossChart.el, this.summary);
    this.panels = [];
    this.timer = null;
    this.step = 0;
    this.draws = 0;
    // Redraw when the width changes (a window resize, the sidebar folding); the height follows the width.
    this.resize = new ResizeObserver(() => { if (this.host.clientWidth !== this.width) this.layout(); });
    this.resize.observe(host);
  }

  // Which surface image the panels draw, and whether it has loaded (part of their static layers' keys).
  imageState() {
    const img = this.image;
    return `${this.imageSerial || 0}:${img && img.complete && img.naturalWidth ? 1 : 0}`;
  }

  // The row of `run` shown at `step`: the last row at or before it (a diverged run stops early).
  rowOf(step, run) {
    let lo = 0, hi = Math.min(run.x.length, this.data.rows.length) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.data.rows[mid] <= step) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  update(data, signature) {
    this.pause();
    this.data = data;
    this.frames = data.frames.length ? data.frames : [0];
    this.slider.min = "0";
    this.slider.max = String(this.frames.length - 1);
    this.bar.style.display = data.hidden || !data.runs.length ? "none" : "";
    this.lossChart.el.style.display = data.loss ? "" : "none";
    this.caption.textContent = data.caption || "";
    const summary = JSON.stringify(data.summary);
    if (summary !== this.summaryText) {
      this.summaryText = summary;
      summaryTable(this.summary, data.summary);
    }
    this.host.style.setProperty("--pp-scale", String(data.scale));
    this.host.dataset.signature = signature;
    while (this.panels.length < data.panels.length) this.panels.push(new Panel(this, this.panels.length));
    this.panels.length = data.panels.length;
    if (this.grid.children.length !== this.panels.length || this.panels.some((p, i) => this.grid.children[i] !== p.el)) {
      this.grid.replaceChildren(...this.panels.map((p) => p.el));
    }
    this.panels.forEach((p, i) => {
      const info = data.panels[i], text = JSON.stringify(info);
      if (text === p.info) return;  // unchanged DOM is left alone: less style and layout work per update
      p.info = text;
      p.title.replaceChildren();
      const t = document.createElement("span");
      t.textContent = info.title;
      t.style.color = info.color;
      p.title.append(t);
      if (info.note) {
        const n = el("span", "pp-note");
        n.textContent = info.note;
        p.title.append(n);
      }
      p.canvas.setAttribute("role", "img");
      p.canvas.setAttribute("aria-label", info.aria);
    });
    legend(this.legend, data.overlay ? data.runs : []);
    if (data.loss) legend(this.lossChart.keys, data.loss.runs);
    const ready = () => { this.layout(); this.show(this.frames[this.frames.length - 1]); };
    if (!this.image || this.image.src !== data.image) {
      this.imageSerial = (this.imageSerial || 0) + 1;
      this.image = new Image();
      this.image.onload = ready;
      this.image.src = data.image;
    }
    ready();
  }

  layout() {
    if (!this.data) return;
    const d = this.data, width = this.host.clientWidth || 600, n = d.panels.length;
    this.width = this.host.clientWidth;
    const most = width < 620 ? 1 : Math.min(d.columns, n);
    // Presenting, the panels fill the screen: as many to a row as makes each plot largest (four in a row on a
    // 1024 × 768 projector were 142 px plots above an empty half screen; two rows of two are 210 px).
    const fit = d.fit ? this.fitGrid(width, n, most) : null;
    const cols = fit ? fit.cols : most, rows = Math.ceil(n / cols);
    this.grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    const cell = (width - GRID_GAP.col * (cols - 1)) / cols;
    const natural = naturalHeight(cell, d.aspect);
    let height = Math.min(d.panelPx, natural);
    // Presenting, the panels grow to fill the screen below what is above them (a 1080-pixel projector has
    // room for far more than panelPx); one row stays at least panelPx high where the screen is short.
    if (fit) height = Math.min(natural, rows > 1 ? Math.max(160, fit.rowPx) : Math.max(height, fit.rowPx));
    // One row (the overlay, a single run) grows past panelPx, up to growPx, only as far as the screen has
    // room: its Play bar stays on a laptop's first screen.
    else if (d.growPx && n <= cols) height = Math.max(height, Math.min(natural, d.growPx, this.screenLeft()));
    height = Math.round(height);
    for (const p of this.panels) p.layout(Math.floor(cell), height);
    if (d.fit) {
      // Measured again once laid out: a title that wraps at this width, or a run's "ends outside the picture"
      // line, is taller than screenLeft() could see, and pushed the Play bar off a 720-line projector.
      const over = (pageTop(this.caption) + this.caption.offsetHeight + 16 - window.innerHeight) / rows;
      if (over > 1 && height - over >= 160) {
        height = Math.floor(height - over);
        for (const p of this.panels) p.layout(Math.floor(cell), height);
      }
    }
    if (d.loss) this.lossChart.layout(Math.floor(width), d.loss, d.rows);
    this.show(this.step);
  }

  // Presenting: the grid (at most ``most`` panels to a row, rows as even as they go: 2 + 2, not 3 + 1) that makes
  // each plot largest on the screen left below what stands above them, and the canvas height each row then
  // has. Another row must make the plots a tenth larger: one row shows the comparison at a glance.
  fitGrid(width, n, most) {
    const left = this.screenLeft(), title = this.titleHeight();
    let best = null;
    for (let rows = 1; rows <= n; rows++) {
      const cols = Math.ceil(n / rows);
      if (cols > most || (best && cols === best.cols)) continue;
      const rowPx = (left - (rows - 1) * (title + GRID_GAP.row)) / rows;
      const cell = (width - GRID_GAP.col * (cols - 1)) / cols;
      // the plot's height at equal scales: what the row leaves it, or what the cell's width allows
      const plot = Math.min(rowPx, naturalHeight(cell, this.data.aspect)) - MARGIN.top - MARGIN.bottom;
      if (!best || plot > 1.1 * best.plot) best = { cols, rowPx, plot };
    }
    return best;
  }

  titleHeight() { return Math.max(0, ...this.panels.map((p) => p.title.offsetHeight)) + 6; }

  // The canvas height that keeps the panels' titles, the Play bar and the caption on one screen with what
  // stands above the panels (the lesson's question and its buttons).
  screenLeft() {
    this.fitTop = pageTop(this.grid);
    this.fitScreen = window.innerHeight;
    const title = this.titleHeight();
    const below = this.bar.offsetHeight + 8 + this.caption.offsetHeight + 6 + 16;
    return this.fitScreen - this.fitTop - title - below;
  }

  // Presenting: lay out again when the screen's height changes or what stands above the panels grows or
  // shrinks (a lesson's question, a message).
  watchScreen() {
    if (this.unwatchScreen) return;
    const stop = watchPage(this.host, () => {
      if (!this.data || !this.data.fit) return;
      if (window.innerHeight !== this.fitScreen || Math.abs(pageTop(this.grid) - this.fitTop) > 1) this.layout();
    });
    this.unwatchScreen = () => {
      stop();
      this.unwatchScreen = null;
    };
  }

  // Presenting: the keyboard drives the animation (a lecturer at a laptop or with a clicker): Space plays
  // and pauses, the arrow keys step, Home and End jump to the ends. Keys meant for a control (a focused
  // slider or text box; Space on a button or an expander's title) are left to it.
  watchKeys() {
    if (this.keyWatch) return;
    this.keyWatch = (e) => {
      if (!this.data || !this.data.keys || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target;
      if (target && target.closest && (target.closest(CONTROLS) || (e.key === " " && target.closest(PRESSED)))) return;
      const last = this.frames.length - 1, i = Math.max(0, this.frames.indexOf(this.step));
      const to = { ArrowRight: Math.min(last, i + 1), ArrowLeft: Math.max(0, i - 1), Home: 0, End: last }[e.key];
      if (e.key === " ") {
        if (this.timer) this.pause(); else this.start(false);
      } else if (to !== undefined) {
        this.pause();
        this.show(this.frames[to]);
      } else {
        return;
      }
      e.preventDefault();
    };
    document.addEventListener("keydown", this.keyWatch);
    this.unwatchKeys = () => {
      document.removeEventListener("keydown", this.keyWatch);
      this.keyWatch = this.unwatchKeys = null;
    };
  }

  show(step) {
    this.step = step;
    for (const p of this.panels) p.draw(step);
    if (this.data.loss) this.lossChart.draw(step);
    const i = Math.max(0, this.frames.findIndex((f) => f >= step));
    this.slider.value = String(i);
    this.label.textContent = `step ${step}`;
    this.draws += 1;
    this.host.dataset.frame = String(step);
    this.host.dataset.draws = String(this.draws);
  }

  start(fromStart) {
    this.pause();
    let i = this.frames.indexOf(this.step);
    if (fromStart || i < 0 || i >= this.frames.length - 1) i = 0;
    this.show(this.frames[i]);
    let last = performance.now();
    const tick = (now) => {
      if (now - last >= this.data.frameMs) {
        last = now;
        i += 1;
        this.show(this.frames[i]);
        if (i >= this.frames.length - 1) { this.pause(); return; }
      }
      this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
    this.play.textContent = "❚❚ Pause";
    this.host.dataset.playing = "1";
  }

  pause() {
    if (this.timer) cancelAnimationFrame(this.timer);
    this.timer = null;
    this.play.textContent = "▶ Play";
    this.host.dataset.playing = "0";
  }
}

export default function (component) {
  const { parentElement, setTriggerValue } = component;
  // The page sends the data as UTF-8 JSON bytes (see paths_canvas.py).
  const data = JSON.parse(DECODER.decode(component.data));
  let host = parentElement.querySelector(".pp-host");
  if (!host) {
    host = el("div", "pp-host");
    parentElement.append(host);
    host.__view = new View(host);
  }
  const view = host.__view;
  view.setTrigger = setTriggerValue;
  view.resize.observe(host);
  const signature = data.signature;
  if (host.dataset.signature !== signature) view.update(data, signature);
  if (data.fit) view.watchScreen();
  if (data.keys) view.watchKeys();
  // Asked once per page (the page's first run): say that the panels are on screen, so the page can add
  // what it held back until then.
  if (data.notify_drawn && !host.__notified) {
    host.__notified = true;
    requestAnimationFrame(() => setTriggerValue("drawn", signature));
  }
  return () => {
    view.pause();
    view.resize.disconnect();
    if (view.unwatchScreen) view.unwatchScreen();
    if (view.unwatchKeys) view.unwatchKeys();
  };
}
