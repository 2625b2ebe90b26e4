// The speed-up chart: the work time of the same job (same spec, options included) against how
// many workers did it, from this lesson's own jobs, with the ideal line (perfect sharing) and, for
// sum jobs, Amdahl's fit. run-experiment.sh's results.csv can be added from the teacher's disk.

/** Finished jobs grouped by spec: only specs run with at least two numbers of workers. */
function speedupGroups(jobs) {
  const bySpec = new Map();
  for (const j of jobs) {
    if (j.state !== 'FINISHED' || j.workMillis <= 0 || j.workers <= 0) continue;
    if (!bySpec.has(j.spec)) bySpec.set(j.spec, []);
    bySpec.get(j.spec).push({ workers: j.workers, seconds: j.workMillis / 1000, job: j.id });
  }
  return [...bySpec.entries()]
    .filter(([, runs]) => new Set(runs.map(r => r.workers)).size >= 2)
    .sort((a, b) => b[1].length - a[1].length);
}

/** Least squares of T = a + b / n: the serial part a and the parallel part b (Amdahl). */
function amdahlFit(runs) {
  const xs = runs.map(r => 1 / r.workers), ys = runs.map(r => r.seconds);
  const n = xs.length, mx = xs.reduce((s, v) => s + v, 0) / n, my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = Math.max(0, my - b * mx);
  return { serial: a, parallel: Math.max(0, b) };
}

/** The chart's datasets for {@code runs} (and experiment rows, if any). */
function speedupDatasets(spec, runs, experiment) {
  const fewest = runs.reduce((m, r) => r.workers < m.workers
    || (r.workers === m.workers && r.seconds < m.seconds) ? r : m, runs[0]);
  const maxN = Math.max(...runs.map(r => r.workers), ...(experiment || []).map(r => r.workers));
  const ns = [];
  for (let n = 1; n <= maxN; n++) ns.push(n);
  const sets = [
    { type: 'scatter', label: 'this lesson: ' + spec, data: runs.map(r => ({ x: r.workers, y: r.seconds })),
      backgroundColor: '#3867d6', pointRadius: 6 },
    { type: 'line', label: 'ideal (n times faster)', borderDash: [6, 4], borderColor: '#2e7d32', pointRadius: 0,
      data: ns.filter(n => n >= fewest.workers).map(n => ({ x: n, y: fewest.seconds * fewest.workers / n })) }
  ];
  if (spec.startsWith('sum ')) {
    const fit = amdahlFit(runs);
    const p = fit.parallel / (fit.serial + fit.parallel || 1);
    sets.push({ type: 'line', label: "Amdahl's fit (" + Math.round(p * 100) + '% parallel)',
      borderColor: '#c62828', pointRadius: 0,
      data: ns.map(n => ({ x: n, y: fit.serial + fit.parallel / n })) });
  }
  if (experiment && experiment.length) {
    sets.push({ type: 'scatter', label: 'run-experiment.sh', backgroundColor: '#ef6c00', pointRadius: 5,
      pointStyle: 'triangle', data: experiment.map(r => ({ x: r.workers, y: r.seconds })) });
  }
  return sets;
}

/** Reads run-experiment.sh's results.csv (workers,run,seconds,speedup). */
function parseExperiment(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [workers, , seconds] = line.split(',');
    const n = Number(workers), s = Number(seconds);
    if (Number.isFinite(n) && Number.isFinite(s) && n > 0 && s > 0) rows.push({ workers: n, seconds: s });
  }
  return rows;
}

/** A Chart.js chart for speed-up on {@code canvas}, to feed with {@link speedupDatasets}. */
function speedupChart(canvas) {
  return new Chart(canvas, {
    data: { datasets: [] },
    options: { animation: false, maintainAspectRatio: false,
      scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'workers' } },
        y: { beginAtZero: true, title: { display: true, text: 'work time (s)' } } } }
  });
}
