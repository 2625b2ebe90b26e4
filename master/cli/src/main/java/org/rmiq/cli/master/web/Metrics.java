package org.rmiq.cli.master.web;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.master.Progress;
import org.rmiq.master.WorkerSummary;
import org.rmiq.report.JobProgress;
import org.rmiq.report.StatusReport;

/**
 * {@code /metrics}: the master's counters in the Prometheus text format, through Prometheus's own
 * client library, for small clusters that already run Prometheus. Read at each scrape from the
 * master; nothing is kept here.
 */
public final class Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** The most workers listed by name (the busiest), so a join flood cannot bloat a scrape. */
  static final int MAX_WORKERS = StatusReport.MAX_WORKERS;

  public Metrics(Master master) {
    GaugeWithCallback.builder()
        .name("rmiq_tasks")
        .help("Tasks of every job, by state and task kind")
        .labelNames("state", "kind")
        .callback(
            callback -> {
              Map<String, long[]> byKind = new TreeMap<>();
              for (Job job : master.jobs()) {
                JobProgress p = job.progress();
                long[] counts = byKind.computeIfAbsent(job.spec().kind(), k -> new long[4]);
                counts[0] += p.pending();
                counts[1] += p.leased();
                counts[2] += p.succeeded();
                counts[3] += p.failed();
              }
              byKind.forEach(
                  (kind, c) -> {
                    callback.call((double) c[0], "pending", kind);
                    callback.call((double) c[1], "running", kind);
                    callback.call((double) c[2], "succeeded", kind);
                    callback.call((double) c[3], "failed", kind);
                  });
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("rmiq_queue_depth")
        .help("Tasks waiting for a worker")
        .callback(callback -> callback.call((double) master.progress().pending()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("rmiq_workers_connected")
        .help("Worker sessions connected now")
        .callback(callback -> callback.call((double) master.progress().workersConnected()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("rmiq_jobs")
        .help("Jobs by state")
        .labelNames("state")
        .callback(
            callback -> {
              Map<String, Integer> byState = new TreeMap<>();
              for (Job.State state : Job.State.values()) {
                byState.put(state.name().toLowerCase(java.util.Locale.ROOT), 0);
              }
              for (Job job : master.jobs()) {
                byState.merge(
                    job.state().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
              }
              byState.forEach((state, n) -> callback.call(n, state));
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("rmiq_worker_tasks")
        .help("Tasks each worker completed, by result (the busiest workers)")
        .labelNames("worker", "result")
        .callback(
            callback -> {
              int listed = 0;
              for (WorkerSummary w : master.workers()) {
                if (listed++ >= MAX_WORKERS) {
                  break;
                }
                callback.call((double) w.succeeded(), w.name(), "succeeded");
                callback.call((double) w.failed(), w.name(), "failed");
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("rmiq_results_refused")
        .help("Results refused: duplicates (late or repeated) and forged (never leased)")
        .labelNames("reason")
        .callback(
            callback -> {
              Progress p = master.progress();
              callback.call((double) p.duplicates(), "duplicate");
              callback.call((double) p.forged(), "forged");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("rmiq_connections_refused")
        .help("Connections refused: failed handshakes (wrong token) and busy (pools full)")
        .labelNames("reason")
        .callback(
            callback -> {
              StatusReport s = master.status();
              callback.call((double) s.refusedConnections(), "handshake");
              callback.call((double) s.busyRefusals(), "busy");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("rmiq_addresses_guessing")
        .help("Addresses that showed a wrong class code or teacher key in the last minute")
        .callback(callback -> callback.call(master.status().guessers().size()))
        .register(registry);
  }

  /** The metrics now, in the Prometheus text format. */
  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }
}
