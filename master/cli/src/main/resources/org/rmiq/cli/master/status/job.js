// A job's own page: its facts, timeline, shares, failures and speed-up, refreshed every 2 s while
// it runs. Values are placed with textContent only.
const $ = id => document.getElementById(id);
const id = Number(location.pathname.split('/').pop());
$('trace').href = '/api/jobs/' + id + '/trace.json';
$('csv').href = '/api/jobs/' + id + '/tasks.csv';
timelineLegend($('timeline-legend'));
const speedup = speedupChart($('speedup'));
function cells(values) {
  const tr = document.createElement('tr');
  for (const [text, cls] of values) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  return tr;
}
async function refresh() {
  let running = true;
  try {
    const answer = await fetch('/api/jobs/' + id, { cache: 'no-store' });
    if (!answer.ok) {
      $('updated').textContent = await answer.text();
      return;
    }
    const page = await answer.json();
    const j = page.job;
    running = j.state === 'RUNNING' || j.state === 'QUEUED';
    document.title = 'rmiq job ' + j.id;
    $('title').textContent = 'Job ' + j.id;
    $('spec').textContent = j.spec;
    $('submitter').textContent = j.submitter || 'a program (the library)';
    $('state').textContent = j.state.toLowerCase();
    const missing = j.submitted - j.succeeded - j.failed - j.cancelled;
    $('counts').textContent = j.submitted + ' = ' + j.succeeded + ' ok + ' + j.failed + ' failed + '
      + j.cancelled + ' cancelled + ' + missing + (running ? ' still to come' : ' missing');
    $('work').textContent = (j.workMillis / 1000).toFixed(2) + ' s on ' + j.workers
      + ' worker(s), after ' + (j.waitMillis / 1000).toFixed(2) + ' s waiting for workers';
    $('rate').textContent = j.workMillis > 0
      ? ((j.succeeded + j.failed) * 1000 / j.workMillis).toFixed(1) + ' tasks/s' : '–';
    const total = j.shares.reduce((s, x) => s + x.tasks, 0) || 1;
    $('shares').replaceChildren(...j.shares.map(x => cells([[x.worker], [x.tasks, 'num'],
      [Math.round(100 * x.tasks / total) + '%', 'num']])));
    $('failures').replaceChildren(...(page.failures.length ? page.failures.map(f => cells([['#' + f.id, 'num'],
      [f.input], [f.error, 'failed'], [f.worker], [f.attempts, 'num']])) : [cells([['none'], [''], [''], [''], ['']])]));
    const t = page.timeline;
    $('timeline-none').hidden = !!t;
    $('timeline-wrap').hidden = !t;
    $('timeline-note').textContent = t ? drawTimeline($('timeline'), t) : '';
    const status = await (await fetch('/api/status', { cache: 'no-store' })).json();
    const group = speedupGroups(status.jobs).find(([spec]) => spec === j.spec);
    $('speedup-none').hidden = !!group;
    $('speedup-wrap').hidden = !group;
    speedup.data.datasets = group ? speedupDatasets(group[0], group[1], []) : [];
    speedup.update();
    $('updated').textContent = running ? 'updated every 2 s' : 'ended';
  } catch (e) {
    $('updated').textContent = 'master not answering (stopped?)';
  } finally {
    if (running) setTimeout(refresh, 2000);
  }
}
refresh();
