// Draws a job's task timeline (a "task stream"): one row per worker thread, grouped by worker,
// one bar per attempt, coloured by what became of it. Plain canvas: no library, works offline.
const TIMELINE_COLOURS = {
  OK: '#2e7d32', FAILED: '#c62828', BACKUP: '#6a1b9a', REDELIVERED: '#ef6c00',
  CANCELLED: '#9e9e9e', DECLINED: '#0277bd'
};
const TIMELINE_NAMES = {
  OK: 'ok', FAILED: 'failed attempt', BACKUP: 'backup copy (won)',
  REDELIVERED: 're-delivered (its worker left or went silent)', CANCELLED: 'cancelled',
  DECLINED: 'declined by the worker'
};

/** Fills an element with the colour legend. */
function timelineLegend(el) {
  el.replaceChildren(...Object.keys(TIMELINE_COLOURS).map(state => {
    const item = document.createElement('span');
    item.className = 'legend';
    const swatch = document.createElement('i');
    swatch.className = 'swatch state-' + state.toLowerCase();
    item.append(swatch, TIMELINE_NAMES[state]);
    return item;
  }));
}

/** The rows: each worker's threads in order, then its "held" row (thread unknown). */
function timelineRows(t) {
  const lanes = new Map();
  for (const s of t.spans) {
    if (!lanes.has(s.worker)) lanes.set(s.worker, new Set());
    lanes.get(s.worker).add(s.lane);
  }
  for (const e of t.ended) if (!lanes.has(e.worker)) lanes.set(e.worker, new Set([-1]));
  const rows = [];
  const index = new Map();
  for (const w of [...lanes.keys()].sort((a, b) => t.workers[a].localeCompare(t.workers[b]))) {
    const ordered = [...lanes.get(w)].sort((a, b) => (a < 0) - (b < 0) || a - b);
    ordered.forEach((lane, i) => {
      index.set(w + ':' + lane, rows.length);
      rows.push({ worker: w, lane, first: i === 0 });
    });
  }
  return { rows, index };
}

/** The API's compact timeline ({@code spans} as arrays) with spans as objects. */
function expandTimeline(c) {
  return { workers: c.workers, ended: c.ended, seen: c.seen, sampled: c.sampled,
    spans: c.spans.map(a => ({ task: a[0], worker: a[1], lane: a[2], startMillis: a[3],
      millis: a[4], state: c.states[a[5]] })) };
}

/**
 * Draws timeline {@code compact} (as /api/jobs/N gives it) on {@code canvas}; returns a sentence
 * about what is shown (how many spans, sampled or not) for the page to print under it.
 */
function drawTimeline(canvas, compact) {
  const t = expandTimeline(compact);
  const { rows, index } = timelineRows(t);
  const rowH = 16, gap = 6, top = 22, gutter = 170;
  let groups = 0;
  rows.forEach(r => { if (r.first) groups++; });
  const height = top + rows.length * rowH + groups * gap + 4;
  const width = canvas.parentElement.clientWidth || 800;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = width + 'px';
  canvas.style.height = height + 'px';
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  let end = 1;
  for (const s of t.spans) end = Math.max(end, s.startMillis + s.millis);
  for (const e of t.ended) end = Math.max(end, e.atMillis);
  const x = ms => gutter + (ms / end) * (width - gutter - 12);
  const ys = [];
  let y = top;
  rows.forEach(r => { if (r.first) y += gap; ys.push(y); y += rowH; });
  // axis: about eight ticks at round seconds
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#5b6475';
  g.strokeStyle = '#eef0f4';
  const step = niceStep(end / 8);
  for (let ms = 0; ms <= end; ms += step) {
    g.beginPath(); g.moveTo(x(ms), top - 4); g.lineTo(x(ms), height); g.stroke();
    g.fillText(seconds(ms), x(ms) + 2, 12);
  }
  // labels
  rows.forEach((r, i) => {
    g.fillStyle = r.first ? '#1d2330' : '#5b6475';
    const name = r.first ? t.workers[r.worker] : '';
    const lane = r.lane < 0 ? 'held' : 'thread ' + r.lane;
    g.fillText(clip(name, 16) + (name ? ' · ' : '  ') + lane, 4, ys[i] + rowH - 4);
  });
  // bars
  for (const s of t.spans) {
    const row = index.get(s.worker + ':' + s.lane);
    if (row === undefined) continue;
    g.fillStyle = TIMELINE_COLOURS[s.state] || '#000';
    const x0 = x(s.startMillis), x1 = x(s.startMillis + s.millis);
    g.fillRect(x0, ys[row] + 2, Math.max(1, x1 - x0 - 0.5), rowH - 4);
  }
  // where workers left: a black line over their rows
  for (const e of t.ended) {
    const mine = rows.map((r, i) => r.worker === e.worker ? i : -1).filter(i => i >= 0);
    if (mine.length === 0) continue;
    const y0 = ys[mine[0]], y1 = ys[mine[mine.length - 1]] + rowH;
    g.strokeStyle = '#1d2330';
    g.lineWidth = 2;
    g.beginPath(); g.moveTo(x(e.atMillis), y0); g.lineTo(x(e.atMillis), y1); g.stroke();
    g.lineWidth = 1;
    g.fillStyle = '#1d2330';
    g.fillText(e.silent ? '✕ went silent' : '✕ left', x(e.atMillis) + 3, y0 + 11);
  }
  const kept = t.spans.length;
  return kept + ' attempt(s) on ' + rows.length + ' row(s)'
    + (t.sampled ? ' — a uniform sample of the ' + t.seen + ' recorded (every failed, re-delivered,'
      + ' backup and cancelled one is kept)' : '');
}

function niceStep(raw) {
  const steps = [100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000,
    600000, 1800000, 3600000];
  return steps.find(s => s >= raw) || 7200000;
}
function seconds(ms) { return ms < 60000 ? (ms / 1000) + ' s' : Math.round(ms / 60000) + ' min'; }
function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '…' : text; }
