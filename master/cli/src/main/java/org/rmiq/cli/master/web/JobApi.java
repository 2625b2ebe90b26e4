package org.rmiq.cli.master.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.StatusReport;

/**
 * One job, for its page and for export: {@code /api/jobs/N} (its row, first failures and task
 * timeline as JSON), {@code /api/jobs/N/trace.json} (the timeline in the Chrome trace event format,
 * which Perfetto and {@code chrome://tracing} open) and {@code /api/jobs/N/tasks.csv} (one row per
 * attempt on the timeline).
 */
final class JobApi {
  private static final Pattern PATH =
      Pattern.compile("/api/jobs/(\\d{1,18})(/trace\\.json|/tasks\\.csv)?");

  private JobApi() {}

  /** Whether {@code path} is one of this API's. */
  static boolean handles(String path) {
    return path.startsWith("/api/jobs/");
  }

  static HttpLite.Response answer(String path, Master master, ObjectMapper json)
      throws IOException {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return HttpLite.Response.text(404, "not found; a job's data is at /api/jobs/N");
    }
    long id = Long.parseLong(m.group(1));
    StatusReport.JobStatus row =
        master.status().jobs().stream().filter(j -> j.id() == id).findFirst().orElse(null);
    Job job = master.jobs().stream().filter(j -> j.id() == id).findFirst().orElse(null);
    if (row == null || job == null) {
      return HttpLite.Response.text(
          404, "there is no job " + id + " on this master (it lists its newest 100)");
    }
    JobTimeline timeline = job.timelineReport();
    String part = m.group(2);
    if (part == null) {
      return HttpLite.Response.of(200, "application/json", page(row, job, timeline, json));
    }
    if (timeline == null) {
      return HttpLite.Response.text(
          404,
          "job "
              + id
              + " has no timeline: it ran no task yet, or it is older than the 20 newest ended"
              + " jobs whose timelines the master keeps");
    }
    if (part.equals("/trace.json")) {
      return HttpLite.Response.of(
              200, "application/json", json.writeValueAsBytes(trace(row, timeline, json)))
          .with("Content-Disposition", "attachment; filename=\"rmiq-job-" + id + "-trace.json\"");
    }
    return HttpLite.Response.of(200, "text/csv; charset=utf-8", csv(timeline))
        .with("Content-Disposition", "attachment; filename=\"rmiq-job-" + id + "-tasks.csv\"");
  }

  /**
   * The job's page as JSON: {@code job} (its row), {@code failures} (its first 100) and {@code
   * timeline}, written compactly and as a stream: each span an array {@code [task, worker, thread,
   * startMillis, millis, state]} with the state an index into {@code states}, so 25,000 spans are
   * ~0.6 MB rather than 2 MB of objects, built in a few milliseconds for a page that polls every 2
   * s.
   */
  @SuppressWarnings("EnumOrdinal") // an index into the "states" array written beside it
  static byte[] page(StatusReport.JobStatus row, Job job, JobTimeline t, ObjectMapper json)
      throws IOException {
    java.io.ByteArrayOutputStream bytes =
        new java.io.ByteArrayOutputStream(t == null ? 4096 : 64 + 32 * t.spans().size());
    try (com.fasterxml.jackson.core.JsonGenerator out = json.getFactory().createGenerator(bytes)) {
      out.setCodec(json);
      out.writeStartObject();
      out.writeObjectField("job", row);
      out.writeObjectField("failures", job.failures());
      if (t == null) {
        out.writeNullField("timeline");
      } else {
        out.writeObjectFieldStart("timeline");
        out.writeNumberField("jobId", t.jobId());
        out.writeNumberField("seen", t.seen());
        out.writeBooleanField("sampled", t.sampled());
        out.writeObjectField("workers", t.workers());
        out.writeArrayFieldStart("states");
        for (JobTimeline.State state : JobTimeline.State.values()) {
          out.writeString(state.name());
        }
        out.writeEndArray();
        out.writeArrayFieldStart("spans");
        for (JobTimeline.Span s : t.spans()) {
          out.writeStartArray();
          out.writeNumber(s.task());
          out.writeNumber(s.worker());
          out.writeNumber(s.lane());
          out.writeNumber(s.startMillis());
          out.writeNumber(s.millis());
          out.writeNumber(s.state().ordinal());
          out.writeEndArray();
        }
        out.writeEndArray();
        out.writeObjectField("ended", t.ended());
        out.writeEndObject();
      }
      out.writeEndObject();
    }
    return bytes.toByteArray();
  }

  /**
   * The timeline as Chrome trace events: a process per worker, a thread per worker thread, a
   * complete ("X") event per attempt, an instant event where a worker left. Times in µs.
   */
  static ObjectNode trace(StatusReport.JobStatus row, JobTimeline t, ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ArrayNode events = root.putArray("traceEvents");
    for (int w = 0; w < t.workers().size(); w++) {
      ObjectNode name = events.addObject();
      name.put("name", "process_name").put("ph", "M").put("pid", w + 1).put("tid", 0);
      name.putObject("args").put("name", "worker " + t.workers().get(w));
    }
    java.util.Set<Long> lanes = new java.util.HashSet<>();
    for (JobTimeline.Span s : t.spans()) {
      if (lanes.add(((long) s.worker() << 32) | (s.lane() + 1))) {
        ObjectNode name = events.addObject();
        name.put("name", "thread_name")
            .put("ph", "M")
            .put("pid", s.worker() + 1)
            .put("tid", s.lane() + 1);
        name.putObject("args")
            .put("name", s.lane() < 0 ? "held (thread unknown)" : "thread " + s.lane());
      }
      ObjectNode e = events.addObject();
      e.put("name", "task " + s.task())
          .put("cat", s.state().name().toLowerCase(java.util.Locale.ROOT))
          .put("ph", "X")
          .put("ts", s.startMillis() * 1000)
          .put("dur", s.millis() * 1000)
          .put("pid", s.worker() + 1)
          .put("tid", s.lane() + 1);
      e.putObject("args").put("task", s.task()).put("state", s.state().name());
    }
    for (JobTimeline.WorkerEnd end : t.ended()) {
      ObjectNode e = events.addObject();
      e.put("name", end.silent() ? "went silent" : "left")
          .put("ph", "i")
          .put("s", "p")
          .put("ts", end.atMillis() * 1000)
          .put("pid", end.worker() + 1)
          .put("tid", 0);
    }
    root.put("displayTimeUnit", "ms");
    root.putObject("otherData")
        .put("job", row.id())
        .put("spec", row.spec())
        .put("spansRecorded", t.seen())
        .put("sampled", t.sampled());
    return root;
  }

  /** One row per attempt; a worker name that looks like a formula is quoted for spreadsheets. */
  static byte[] csv(JobTimeline t) {
    StringBuilder out = new StringBuilder("task,worker,thread,start_ms,millis,state\n");
    for (JobTimeline.Span s : t.spans()) {
      out.append(s.task())
          .append(',')
          .append(cell(t.workers().get(s.worker())))
          .append(',')
          .append(s.lane() < 0 ? "" : Integer.toString(s.lane()))
          .append(',')
          .append(s.startMillis())
          .append(',')
          .append(s.millis())
          .append(',')
          .append(s.state().name().toLowerCase(java.util.Locale.ROOT))
          .append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String cell(String text) {
    String safe = text.matches("^[=+\\-@\\t\\r].*") ? "'" + text : text;
    return safe.matches(".*[,\"\\n\\r].*") ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
  }
}
