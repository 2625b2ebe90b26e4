package org.rmiq.cli.master.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.report.TaskOutcome;

/** The exact lines a result file holds: what scripts that read {@code --out} rely on. */
class ResultFileTest {
  @TempDir Path dir;

  private static final TaskOutcome SQUARE =
      new TaskOutcome(
          1, 7, "square", "12", TaskOutcome.State.OK, "144", null, "w1", 1, 3, Map.of());

  private static final TaskOutcome DOWNLOAD =
      new TaskOutcome(
          2,
          7,
          "download",
          "http://h/a \"b\"",
          TaskOutcome.State.FAILED,
          null,
          "bad\nnews",
          "w2",
          3,
          40,
          Map.of("zeta", "z", "sha256", "ab", "bytes", "10"));

  @Test
  void jsonLinesHoldOneObjectPerOutcomeWithTheKindsDetailsFirst() throws IOException {
    Path file = dir.resolve("r.jsonl");
    try (ResultFile out = ResultFile.open(file, List.of("sha256", "bytes"))) {
      out.write(SQUARE);
      out.write(DOWNLOAD);
      out.flush();
    }
    assertEquals(
        "{\"id\":1,\"kind\":\"square\",\"input\":\"12\",\"status\":\"ok\",\"value\":\"144\","
            + "\"error\":null,\"worker\":\"w1\",\"attempts\":1,\"millis\":3}\n"
            + "{\"id\":2,\"kind\":\"download\",\"input\":\"http://h/a \\\"b\\\"\","
            + "\"status\":\"failed\",\"value\":null,\"error\":\"bad\\nnews\",\"worker\":\"w2\","
            + "\"attempts\":3,\"millis\":40,"
            + "\"details\":{\"sha256\":\"ab\",\"bytes\":\"10\",\"zeta\":\"z\"}}\n",
        Files.readString(file, StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void aFlushedFileHoldsEveryLineInUtf8BeforeItIsClosed() throws IOException {
    Path file = dir.resolve("r.jsonl");
    TaskOutcome accented =
        new TaskOutcome(
            3,
            7,
            "echo",
            "café ☕ \uD83D\uDE00",
            TaskOutcome.State.OK,
            "ü",
            null,
            "w1",
            1,
            3,
            Map.of());
    try (ResultFile out = ResultFile.open(file, List.of())) {
      out.write(accented);
      out.write(SQUARE);
      out.flush();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertEquals(2, lines.size(), "both lines are in the file after a flush");
      assertEquals(
          "{\"id\":3,\"kind\":\"echo\",\"input\":\"café ☕ \uD83D\uDE00\",\"status\":\"ok\","
              + "\"value\":\"ü\",\"error\":null,\"worker\":\"w1\",\"attempts\":1,\"millis\":3}",
          lines.get(0));
    }
  }

  @Test
  void csvRowsGiveTheKindsDetailsColumnsAndTheRestAsJson() throws IOException {
    Path file = dir.resolve("r.csv");
    try (ResultFile out = ResultFile.open(file, List.of("sha256", "bytes"))) {
      out.write(SQUARE);
      out.write(DOWNLOAD);
      out.flush();
    }
    assertEquals(
        "id,kind,input,status,value,error,worker,attempts,millis,sha256,bytes,details\n"
            + "1,square,12,ok,144,,w1,1,3,,,\n"
            + "2,download,\"http://h/a \"\"b\"\"\",failed,,\"bad\nnews\",w2,3,40,ab,10,"
            + "\"{\"\"zeta\"\":\"\"z\"\"}\"\n",
        Files.readString(file, StandardCharsets.UTF_8));
  }
}
