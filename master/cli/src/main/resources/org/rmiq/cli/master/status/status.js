// The status page's script. Values are placed with textContent only, so task inputs, worker
// names and errors can never inject markup; the page's policy allows this file and Chart.js only.
const $ = id => document.getElementById(id);
const chart = new Chart($('chart'), {
  type: 'line',
  data: { labels: [], datasets: [{ label: 'tasks/s', data: [], borderColor: '#3867d6',
    backgroundColor: 'rgba(56,103,214,.15)', fill: true, pointRadius: 0, tension: .25 }] },
  options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 12 } } } }
});
const shares = new Chart($('shares'), {
  type: 'bar',
  data: { labels: [], datasets: [{ label: 'tasks', data: [], backgroundColor: '#3867d6' }] },
  options: { animation: false, maintainAspectRatio: false, indexAxis: 'y',
    plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
});
function row(cells, cls) {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  for (const [text, c] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (c) td.className = c;
    tr.appendChild(td);
  }
  return tr;
}
function fill(id, rows) { $(id).replaceChildren(...rows); }
function link(text, href) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}
function jobRow(j) {
  const tr = row([[j.id, 'num'], [j.spec], [j.submitter], [j.state.toLowerCase(),
    j.state === 'FINISHED' ? 'ok' : j.state === 'CANCELLED' ? 'gone' : ''],
    [j.submitted, 'num'], [j.succeeded, 'num'], [j.failed, j.failed ? 'num failed' : 'num'],
    [j.cancelled, 'num'], [secs(j.workMillis), 'num'], [rate(j), 'num'], [j.workers, 'num']]);
  const cell = tr.children[1];
  cell.replaceChildren(link(j.spec, '/jobs/' + j.id));
  return tr;
}
function ago(ms) { return ms < 1000 ? ms + ' ms ago' : Math.round(ms / 1000) + ' s ago'; }
function secs(ms) { return (ms / 1000).toFixed(2) + ' s'; }
function rate(j) { return j.workMillis > 0 ? ((j.succeeded + j.failed) * 1000 / j.workMillis).toFixed(1) : '–'; }
// The timeline of the running job (else the newest), fetched every 2 s: it may hold 25,000 spans.
let timelineKey = '', timelineAt = 0;
async function showTimeline(s) {
  const job = s.jobs.find(j => j.state === 'RUNNING') || s.jobs[0];
  if (!job) return;
  const key = job.id + ':' + job.state, now = Date.now();
  // a running job every 2 s; an ended one once
  if (key === timelineKey && (job.state !== 'RUNNING' || now - timelineAt < 2000)) return;
  timelineKey = key;
  timelineAt = now;
  const page = await (await fetch('/api/jobs/' + job.id, { cache: 'no-store' })).json();
  $('timeline-job').textContent = 'job ' + job.id + ': ' + job.spec;
  $('timeline-job').href = '/jobs/' + job.id;
  const t = page.timeline;
  $('timeline-none').hidden = !!t;
  $('timeline-wrap').hidden = !t;
  $('timeline-note').textContent = t ? drawTimeline($('timeline'), t) : '';
}
// The speed-up chart, redrawn only when the finished jobs change.
const speedup = speedupChart($('speedup'));
let speedupKey = '', experiment = [];
function showSpeedup(s) {
  const groups = speedupGroups(s.jobs);
  $('speedup-none').hidden = groups.length > 0 || experiment.length > 0;
  $('speedup-wrap').hidden = groups.length === 0 && experiment.length === 0;
  $('speedup-controls').hidden = groups.length === 0;
  const select = $('speedup-spec');
  const specs = groups.map(([spec]) => spec);
  if (select.options.length !== specs.length || [...select.options].some((o, i) => o.value !== specs[i])) {
    const chosen = select.value;
    select.replaceChildren(...specs.map(spec => { const o = document.createElement('option');
      o.value = spec; o.textContent = spec; return o; }));
    if (specs.includes(chosen)) select.value = chosen;
  }
  const group = groups.find(([spec]) => spec === select.value) || groups[0];
  const key = JSON.stringify([group, experiment.length]);
  if (key === speedupKey) return;
  speedupKey = key;
  speedup.data.datasets = group ? speedupDatasets(group[0], group[1], experiment)
    : speedupDatasets('run-experiment.sh', [], experiment).slice(2);
  speedup.update();
}
$('speedup-spec').addEventListener('change', () => { speedupKey = ''; });
$('experiment').addEventListener('change', async e => {
  const file = e.target.files[0];
  experiment = file ? parseExperiment(await file.text()) : [];
  speedupKey = '';
});
timelineLegend($('timeline-legend'));
function showCurrent(s) {
  const job = s.jobs.find(j => j.state === 'RUNNING');
  $('current-none').hidden = !!job;
  $('current').hidden = !job;
  if (!job) {
    shares.data.labels = [];
    shares.data.datasets[0].data = [];
    shares.update();
    return;
  }
  const done = job.succeeded + job.failed;
  $('current-spec').textContent = 'job ' + job.id + ': ' + job.spec;
  $('current-bar').style.width = (job.submitted ? 100 * done / job.submitted : 0) + '%';
  $('current-line').textContent = done + ' of ' + job.submitted + ' done (' + job.failed
    + ' failed) · ' + secs(job.workMillis) + ' of work · ' + rate(job) + ' tasks/s · '
    + job.workers + ' worker(s)' + (job.waitMillis >= 100 && job.workMillis === 0
      ? ' · waiting for workers' : '');
  shares.data.labels = job.shares.map(x => x.worker);
  shares.data.datasets[0].data = job.shares.map(x => x.tasks);
  shares.update();
}
async function refresh() {
  try {
    const s = await (await fetch('/api/status', { cache: 'no-store' })).json();
    $('phase').textContent = s.phase === 'FINISHED' ? 'finished' : 'running';
    $('uptime').textContent = Math.round(s.uptimeMillis / 1000) + 's';
    $('done').textContent = s.succeeded + s.failed;
    $('pending').textContent = s.pending;
    $('leased').textContent = s.leased;
    $('failed').textContent = s.failed;
    $('cancelled').textContent = s.cancelled;
    $('rate').textContent = s.tasksPerSecond.toFixed(1);
    $('connected').textContent = s.workers.filter(w => w.connected).length;
    $('refused').textContent = s.refusedConnections;
    $('forged').textContent = s.forged;
    $('notices-box').hidden = s.notices.length === 0;
    fill('notices', s.notices.map(n => { const li = document.createElement('li'); li.textContent = n; return li; }));
    chart.data.labels = s.history.map((_, i) => (i - s.history.length) + 's');
    chart.data.datasets[0].data = s.history;
    chart.update();
    showCurrent(s);
    fill('jobs', s.jobs.map(jobRow));
    showSpeedup(s);
    showTimeline(s).catch(() => {});
    fill('workers', s.workers.map(w => row([[w.name], [w.host],
      [w.connected ? 'connected' : 'gone', w.connected ? 'ok' : 'gone'],
      [w.acceptsCode ? 'accepts code' : 'no shipped code'], [w.threads, 'num'],
      [w.currentJob, 'num'], [w.done, 'num'], [w.failed, 'num'], [w.tasksPerSecond.toFixed(1), 'num'],
      [w.meanMillis.toFixed(1), 'num'], [ago(w.lastSeenMillisAgo), 'num']])));
    $('workers-more').textContent = s.workersTotal > s.workers.length
      ? '… and ' + (s.workersTotal - s.workers.length) + ' more' : '';
    const result = r => row([['#' + r.id], [r.kind + ' ' + r.input], [r.ok ? r.text : 'failed: ' + r.text,
      r.ok ? '' : 'failed'], [r.worker]]);
    $('guessers-box').hidden = s.guessers.length === 0;
    fill('guessers', s.guessers.map(g => row([[g.peer], [g.wrongCodes, 'num'], [g.secondsSinceLast + ' s ago', 'num']])));
    fill('recent', s.recent.map(result));
    fill('failures', s.failures.map(result));
  } catch (e) {
    $('phase').textContent = 'master not answering (stopped?)';
  }
}
refresh();
setInterval(refresh, 1000);
