package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page as the lesson's blackboard, in the real browser: a job during which a worker is
 * killed shows where that worker's rows stop and its tasks moving to the other worker; the job's
 * own page keeps its timeline after it ended; the same job run with one and then two workers draws
 * the lesson's speed-up chart. Screenshots of each view go to the test folder (and to {@code
 * -Drmiq.screenshots=docs/screenshots} for the docs).
 */
class BlackboardIT {
  private static final String TOKEN = "blackboard-token-0123456789abc";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode get(int port, String path) throws Exception {
    return json.readTree(
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** How many pixels of the canvas have this colour, read in the page. */
  private static long pixels(ChromeDriver browser, String canvasId, int r, int g, int b) {
    Object n =
        browser.executeScript(
            "const c = document.getElementById(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0;"
                + "for (let i = 0; i < d.length; i += 4)"
                + "  if (d[i] === arguments[1] && d[i+1] === arguments[2] && d[i+2] === arguments[3]) n++;"
                + "return n;",
            canvasId,
            r,
            g,
            b);
    return ((Number) n).longValue();
  }

  @Test
  void aKilledWorkersRowsStopTheFinishedJobKeepsItsTimelineAndTheSpeedUpIsDrawn() throws Exception {
    JvmProcess master =
        processes.in(dir).master("--session", "--port", "0", "--status-port", "0", "--lease", "2s");
    int port = master.awaitMasterPort();
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    int page = Integer.parseInt(m.group(1));
    processes.worker("stays", "127.0.0.1:" + port, "--name", "stays", "--threads", "2");
    JvmProcess doomed =
        processes.worker("doomed", "127.0.0.1:" + port, "--name", "doomed", "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stderr().contains("doomed joined"));

    // Job 1: a worker is killed while it holds tasks; they move to the other one.
    master.type("sleep 500x40");
    await("doomed is running tasks")
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(page, "/api/jobs/1").get("timeline").toString().contains("doomed"));
    ProcessHandle.of(doomed.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no goodbye
    master.awaitStderr("rmiq: 40 task(s): 40 ok", EXIT);

    await("the killed worker's end on job 1's timeline")
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(page, "/api/jobs/1").get("timeline").get("ended").size() == 1);
    JsonNode one = get(page, "/api/jobs/1");
    JsonNode timeline = one.get("timeline");
    int doomedIndex = -1;
    for (int i = 0; i < timeline.get("workers").size(); i++) {
      if (timeline.get("workers").get(i).asText().equals("doomed")) {
        doomedIndex = i;
      }
    }
    assertEquals(doomedIndex, timeline.get("ended").get(0).get("worker").asInt());
    assertTrue(timeline.get("ended").get(0).get("silent").asBoolean());
    java.util.List<String> states = new java.util.ArrayList<>();
    timeline.get("states").forEach(state -> states.add(state.asText()));
    long movedSpans = 0;
    for (JsonNode span : timeline.get("spans")) {
      String state = states.get(span.get(5).asInt());
      if (state.equals("REDELIVERED") || state.equals("BACKUP")) {
        movedSpans++;
      }
    }
    assertTrue(movedSpans > 0, "the killed worker's tasks did not move: " + timeline);
    assertEquals(40, one.get("job").get("succeeded").asInt());

    // Jobs 2 and 3: the same job with one worker, then with two: a speed-up to draw.
    master.type("sleep 200x20");
    master.awaitStderr("rmiq: 20 task(s): 20 ok", EXIT);
    processes.worker("joins", "127.0.0.1:" + port, "--name", "joins", "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stderr().contains("joins joined"));
    master.type("sleep 200x20");
    await("job 3 finished")
        .atMost(EXIT)
        .until(() -> get(page, "/api/jobs/3").get("job").get("state").asText().equals("FINISHED"));

    try (Browser b = Browser.start(dir, 1400, 1300)) {
      ChromeDriver browser = b.driver;
      browser.get("http://127.0.0.1:" + page + "/jobs/1");
      await("job 1's page draws its timeline")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> browser.findElement(By.id("timeline-note")).getText().contains("attempt(s)"));
      assertEquals("Job 1", browser.findElement(By.id("title")).getText());
      assertTrue(
          browser.findElement(By.id("counts")).getText().startsWith("40 = 40 ok + 0 failed + 0"),
          browser.findElement(By.id("counts")).getText());
      assertTrue(pixels(browser, "timeline", 0x2e, 0x7d, 0x32) > 500, "no ok bars drawn");
      long moved =
          pixels(browser, "timeline", 0xef, 0x6c, 0x00)
              + pixels(browser, "timeline", 0x6a, 0x1b, 0x9a);
      assertTrue(moved > 0, "no re-delivered or backup bars drawn");
      assertTrue(pixels(browser, "timeline", 0x1d, 0x23, 0x30) > 0, "no line where doomed ended");
      b.screenshot(dir, "blackboard-job.png");

      browser.get("http://127.0.0.1:" + page + "/");
      await("the speed-up chart from jobs 2 and 3")
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.findElement(By.id("speedup-controls")).isDisplayed());
      assertTrue(
          browser.findElement(By.id("speedup-spec")).getText().contains("sleep 200x20"),
          browser.findElement(By.id("speedup-spec")).getText());
      assertTrue(pixels(browser, "speedup", 0x38, 0x67, 0xd6) > 0, "no measured points drawn");
      await("the newest job's timeline on the main page")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> browser.findElement(By.id("timeline-note")).getText().contains("attempt(s)"));
      b.screenshot(dir, "blackboard-status.png");
    }
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }
}
