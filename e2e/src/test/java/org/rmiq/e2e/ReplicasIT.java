package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --replicas}: graded work runs each task on several worker JVMs that must agree. */
class ReplicasIT {
  private static final String TOKEN = "e2e-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess start(String name, Path jar, String... args) throws Exception {
    return processes.track(JvmProcess.start(name, dir, jar, TOKEN, args));
  }

  /** A one-shot master on a free port, every task run by 2 workers, with {@code job}. */
  private JvmProcess master(String... job) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--no-status", "--replicas", "2"));
    args.addAll(List.of(job));
    return start("master", JvmProcess.masterJar(), args.toArray(String[]::new));
  }

  @Test
  void twoWorkerJvmsEachRunEveryTaskAndTheAgreedValuesAreCollectedOnce() throws Exception {
    JvmProcess master = master("--out", "graded.jsonl", "square", "1..300");
    int port = master.awaitMasterPort();
    JvmProcess w1 =
        start(
            "w1", JvmProcess.workerJar(), "127.0.0.1:" + port, "--name", "w1", "--exit-when-done");
    JvmProcess w2 =
        start(
            "w2", JvmProcess.workerJar(), "127.0.0.1:" + port, "--name", "w2", "--exit-when-done");

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, w1.awaitExit(EXIT), w1.stderr());
    assertEquals(0, w2.awaitExit(EXIT), w2.stderr());
    Set<String> inputs = new HashSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("graded.jsonl"))) {
      JsonNode row = json.readTree(line);
      assertEquals("ok", row.get("status").asText(), line);
      long n = Long.parseLong(row.get("input").asText());
      assertEquals(String.valueOf(n * n), row.get("value").asText(), line);
      assertTrue(inputs.add(row.get("input").asText()), "collected twice: " + line);
      assertTrue(row.get("attempts").asInt() >= 2, "one worker alone counted: " + line);
    }
    assertEquals(300, inputs.size());
    assertTrue(
        master.stderr().contains("rmiq: 300 task(s): 300 ok, 0 failed, 0 cancelled, 0 missing"),
        master.stderr());
  }

  @Test
  void oneWorkerJvmCannotCrossCheckItselfAndTheTimeoutSaysSo() throws Exception {
    JvmProcess master = master("--timeout", "3s", "square", "1..20");
    int port = master.awaitMasterPort();
    start("w1", JvmProcess.workerJar(), "127.0.0.1:" + port, "--name", "w1");

    assertEquals(3, master.awaitExit(EXIT), master.stderr());
    assertTrue(
        master.stderr().contains("runs each task on 2 different workers (--replicas), but only 1"),
        master.stderr());
  }
}
