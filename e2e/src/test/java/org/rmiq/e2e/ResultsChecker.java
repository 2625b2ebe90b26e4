package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Counts, like Jepsen's queue checker, what a run lost, duplicated or got wrong, from the master's
 * {@code --out} JSON lines.
 */
final class ResultsChecker {
  /** The lines a results file holds so far; 0 before it exists. */
  static long rows(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file)) {
      return lines.count();
    }
  }

  /** The counts for one run. */
  record Counts(int lost, int duplicated, int wrong, int retried) {}

  private ResultsChecker() {}

  /**
   * @param expected every task id the job had, mapped to its input
   * @param valueOf the right value for an input
   */
  static Counts check(Path out, Map<Long, String> expected, Function<String, String> valueOf)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<Long, JsonNode> seen = new HashMap<>();
    int duplicated = 0;
    int wrong = 0;
    int retried = 0;
    for (String line : Files.readAllLines(out)) {
      JsonNode row = json.readTree(line);
      long id = row.get("id").asLong();
      if (seen.put(id, row) != null) {
        duplicated++;
      }
      String input = expected.get(id);
      if (input == null
          || !input.equals(row.get("input").asText())
          || !row.get("status").asText().equals("ok")
          || !valueOf.apply(input).equals(row.get("value").asText())) {
        wrong++;
      }
      if (row.get("attempts").asInt() > 1) {
        retried++;
      }
    }
    int lost = (int) expected.keySet().stream().filter(id -> !seen.containsKey(id)).count();
    Counts counts = new Counts(lost, duplicated, wrong, retried);
    System.out.println("checker " + out.getFileName() + ": " + counts);
    return counts;
  }

  /** Asserts nothing was lost, duplicated or wrong. */
  static Counts assertExactlyOnce(
      Path out, Map<Long, String> expected, Function<String, String> valueOf) throws IOException {
    Counts counts = check(out, expected, valueOf);
    assertEquals(
        List.of(0, 0, 0),
        List.of(counts.lost(), counts.duplicated(), counts.wrong()),
        "lost, duplicated, wrong: " + counts);
    return counts;
  }

  /** Ids 1..count, each with the same input (a sleep job). */
  static Map<Long, String> sameInput(int count, String input) {
    Map<Long, String> expected = new HashMap<>();
    for (long id = 1; id <= count; id++) {
      expected.put(id, input);
    }
    return expected;
  }
}
