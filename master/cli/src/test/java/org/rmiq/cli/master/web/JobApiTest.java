package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.JobTimeline.Span;
import org.rmiq.report.JobTimeline.State;
import org.rmiq.report.StatusReport;

class JobApiTest {
  private final ObjectMapper json = new ObjectMapper();
  private final JobTimeline timeline =
      new JobTimeline(
          4,
          List.of("alice", "=cmd|' /C calc'!A0"),
          List.of(
              new Span(10, 0, 0, 0, 250, State.OK),
              new Span(11, 0, 1, 10, 240, State.FAILED),
              new Span(12, 1, -1, 5, 1000, State.REDELIVERED)),
          List.of(new JobTimeline.WorkerEnd(1, 1005, true)),
          3,
          false);
  private final StatusReport.JobStatus row =
      new StatusReport.JobStatus(
          4, "sleep 250x3", "teacher", "FINISHED", 3, 2, 1, 0, 0, 0, 1250, 0, 2, List.of());

  /** The fields the Trace Event Format requires of each phase rmiq writes. */
  @Test
  void theTraceFollowsTheChromeTraceEventFormat() throws Exception {
    JsonNode root = json.readTree(json.writeValueAsBytes(JobApi.trace(row, timeline, json)));
    assertEquals("ms", root.get("displayTimeUnit").asText());
    int complete = 0;
    for (JsonNode e : root.get("traceEvents")) {
      String ph = e.get("ph").asText();
      assertTrue(Set.of("X", "M", "i").contains(ph), e.toString());
      assertTrue(e.get("name").isTextual(), e.toString());
      assertTrue(e.get("pid").isInt() && e.get("tid").isInt(), e.toString());
      switch (ph) {
        case "X" -> {
          complete++;
          assertTrue(e.get("ts").isNumber() && e.get("ts").asLong() >= 0, e.toString());
          assertTrue(e.get("dur").isNumber() && e.get("dur").asLong() >= 0, e.toString());
        }
        case "M" -> {
          assertTrue(Set.of("process_name", "thread_name").contains(e.get("name").asText()));
          assertTrue(e.get("args").get("name").isTextual(), e.toString());
        }
        default -> {
          assertTrue(e.get("ts").isNumber(), e.toString());
          assertTrue(Set.of("g", "p", "t").contains(e.get("s").asText()), e.toString());
        }
      }
    }
    assertEquals(3, complete);
    JsonNode failed =
        root.get("traceEvents").findParents("cat").stream()
            .filter(e -> e.get("cat").asText().equals("failed"))
            .findFirst()
            .orElseThrow();
    assertEquals(10_000, failed.get("ts").asLong(), "microseconds");
    assertEquals(240_000, failed.get("dur").asLong());
  }

  @Test
  void theCsvHasOneRowPerAttemptAndDefusesFormulas() {
    String csv = new String(JobApi.csv(timeline), StandardCharsets.UTF_8);
    List<String> lines = csv.lines().toList();
    assertEquals("task,worker,thread,start_ms,millis,state", lines.get(0));
    assertEquals("10,alice,0,0,250,ok", lines.get(1));
    assertEquals("12,'=cmd|' /C calc'!A0,,5,1000,redelivered", lines.get(3));
  }
}
