package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmiq.master.Job;
import org.rmiq.master.JobSpec;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/** {@code /metrics} reads the master at each scrape, in Prometheus's text format. */
class MetricsTest {
  private Master master;
  private Metrics metrics;

  @BeforeEach
  void start() throws Exception {
    master = Master.builder().port(0).token(Token.of("metrics-test-token")).build().start();
    metrics = new Metrics(master);
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private String scrape() throws Exception {
    return new String(metrics.scrape(), StandardCharsets.UTF_8);
  }

  @Test
  void anIdleMasterHasEveryFamilyAtZero() throws Exception {
    String text = scrape();
    assertTrue(text.contains("rmiq_queue_depth 0.0"), text);
    assertTrue(text.contains("rmiq_workers_connected 0.0"), text);
    assertTrue(text.contains("rmiq_jobs{state=\"running\"} 0.0"), text);
    assertTrue(text.contains("rmiq_results_refused_total{reason=\"forged\"} 0.0"), text);
    assertTrue(text.contains("rmiq_connections_refused_total{reason=\"handshake\"} 0.0"), text);
    assertTrue(text.contains("rmiq_addresses_guessing 0.0"), text);
    assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
  }

  @Test
  void eachScrapeReadsTheMasterNow() throws Exception {
    Job running = master.startJob(JobSpec.of("sleep 10x3", "sleep", Collections.nCopies(3, "10")));
    Job cancelled =
        master.queueJob(JobSpec.of("square 1..2", "square", java.util.List.of("1", "2")));
    cancelled.cancel("test");
    String text = scrape();
    assertTrue(text.contains("rmiq_tasks{kind=\"sleep\",state=\"pending\"} 3.0"), text);
    assertTrue(text.contains("rmiq_queue_depth 3.0"), text);
    assertTrue(text.contains("rmiq_jobs{state=\"running\"} 1.0"), text);
    assertTrue(text.contains("rmiq_jobs{state=\"cancelled\"} 1.0"), text);
    running.cancel("test");
    String later = scrape();
    assertTrue(later.contains("rmiq_queue_depth 0.0"), later);
    assertTrue(later.contains("rmiq_jobs{state=\"cancelled\"} 2.0"), later);
  }
}
