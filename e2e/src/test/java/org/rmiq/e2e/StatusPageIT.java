package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page in a real browser (the system's headless Chromium), its JSON, the status command,
 * and the master's summary checked against its results file.
 */
class StatusPageIT {
  private static final String TOKEN = "status-token-0123456789abcdef";

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);
  private JvmProcess master;
  private int statusPort;
  private int port;

  @BeforeEach
  void startMasterAndWorker() throws Exception {
    master =
        track(
            JvmProcess.start(
                "master",
                dir,
                JvmProcess.masterJar(),
                TOKEN,
                "--port",
                "0",
                "--status-port",
                "0",
                "--out",
                "status.jsonl",
                "sleep",
                "250x60"));
    port = master.awaitMasterPort();
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    statusPort = Integer.parseInt(m.group(1));
    track(
        JvmProcess.start(
            "worker",
            dir,
            JvmProcess.workerJar(),
            TOKEN,
            "localhost:" + port,
            "--name",
            "browser-worker",
            "--threads",
            "2",
            "--exit-when-done"));
  }

  private JvmProcess track(JvmProcess p) {
    return processes.track(p);
  }

  @Test
  void thePageShowsTheWorkerAndTheDoneCountRisesWithoutAReload() throws Exception {
    try (Browser b = Browser.start(dir, 1200, 1000)) {
      ChromeDriver browser = b.driver;
      browser.get("http://127.0.0.1:" + statusPort + "/");
      await("the worker's name on the page")
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.findElement(By.id("workers")).getText().contains("browser-worker"));
      long first = Long.parseLong(browser.findElement(By.id("done")).getText());
      await("the done count to rise without a reload")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Long.parseLong(browser.findElement(By.id("done")).getText()) > first);
      await("the job as typed in the jobs table, and as the current job")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  browser.findElement(By.id("jobs")).getText().contains("sleep 250x60")
                      && browser
                          .findElement(By.id("current-spec"))
                          .getText()
                          .equals("job 1: sleep 250x60"));
      assertFalse(browser.getPageSource().contains(TOKEN), "the page shows the token");
      assertEquals("0", browser.findElement(By.id("refused")).getText());
      b.screenshot(dir, "status-page.png");
    }
  }

  @Test
  void apiStatusIsTheSamePictureFieldByField() throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + statusPort + "/api/status");
    JsonNode[] seen = new JsonNode[1];
    await("a worker with results in /api/status")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
              assertEquals(200, r.statusCode());
              assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
              assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
              assertTrue(
                  r.headers()
                      .firstValue("Content-Security-Policy")
                      .orElse("")
                      .contains("script-src 'self'"));
              seen[0] = json.readTree(r.body());
              return seen[0].get("workers").size() == 1 && seen[0].get("succeeded").asLong() >= 4;
            });
    JsonNode s = seen[0];
    assertEquals("RUNNING", s.get("phase").asText());
    assertEquals(60, s.get("submitted").asLong());
    assertEquals(
        60,
        s.get("pending").asLong()
            + s.get("leased").asLong()
            + s.get("succeeded").asLong()
            + s.get("failed").asLong());
    assertEquals(0, s.get("failed").asLong());
    assertEquals(0, s.get("duplicates").asLong());
    assertEquals(0, s.get("refusedConnections").asLong());
    assertTrue(s.get("uptimeMillis").asLong() > 0);
    assertTrue(s.get("tasksPerSecond").asDouble() >= 0);
    assertEquals(120, s.get("history").size());
    JsonNode w = s.get("workers").get(0);
    assertEquals("browser-worker", w.get("name").asText());
    assertFalse(w.get("host").asText().isEmpty());
    assertTrue(w.get("connected").asBoolean());
    assertEquals(2, w.get("threads").asInt());
    assertTrue(w.get("done").asLong() >= 4);
    assertEquals(0, w.get("failed").asLong());
    assertTrue(w.get("meanMillis").asDouble() >= 250, w.toString());
    assertTrue(w.get("lastSeenMillisAgo").asLong() < 5000, w.toString());
    JsonNode latest = s.get("recent").get(0);
    assertEquals("sleep", latest.get("kind").asText());
    assertEquals("250", latest.get("input").asText());
    assertTrue(latest.get("ok").asBoolean());
    assertEquals("slept 250 ms", latest.get("text").asText());
    assertEquals("browser-worker", latest.get("worker").asText());
    assertEquals(0, s.get("failures").size());
    JsonNode job = s.get("jobs").get(0);
    assertEquals(1, job.get("id").asInt());
    assertEquals("sleep 250x60", job.get("spec").asText());
    assertEquals("RUNNING", job.get("state").asText());
    assertEquals(60, job.get("submitted").asInt());
    assertEquals("browser-worker", job.get("shares").get(0).get("worker").asText());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode(), "the page is read-only");
  }

  @Test
  void theStatusCommandPrintsTheSamePictureOverTheRmiPort() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().lines().count() >= 2);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            JvmProcess.workerJar().toString(),
            "org.rmiq.cli.worker.StatusMain",
            "127.0.0.1:" + port);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RMIQ_TOKEN", TOKEN);
    Process status = builder.start();
    String printed =
        new String(status.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, status.waitFor(), printed);
    assertTrue(printed.contains("tasks: 60 submitted"), printed);
    assertTrue(printed.contains("browser-worker"), printed);
    assertTrue(printed.contains("connected"), printed);
  }

  @Test
  void theSummaryAgreesWithTheResultsFile() throws Exception {
    assertEquals(0, master.awaitExit(Duration.ofSeconds(90)), master.stderr());
    Map<String, Integer> perWorker = new HashMap<>();
    int ok = 0;
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("status.jsonl"))) {
      JsonNode row = json.readTree(line);
      perWorker.merge(row.get("worker").asText(), 1, Integer::sum);
      if (row.get("status").asText().equals("ok")) {
        ok++;
      }
    }
    String err = master.stderr();
    assertTrue(
        err.contains("rmiq: 60 task(s): " + ok + " ok, 0 failed, 0 cancelled, 0 missing"), err);
    Matcher row =
        Pattern.compile("browser-worker\\s+(\\d+)\\s+([\\d.]+)%\\s+(\\d+)\\s+([\\d.]+)")
            .matcher(err);
    assertTrue(row.find(), err);
    assertEquals(perWorker.get("browser-worker"), Integer.parseInt(row.group(1)));
    assertEquals("100.0", row.group(2));
    assertEquals("0", row.group(3));
    assertTrue(Double.parseDouble(row.group(4)) >= 250, "mean time per task: " + row.group(4));
  }
}
