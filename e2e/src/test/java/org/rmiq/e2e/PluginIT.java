package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Task kinds added by a plugin jar in a worker's plugins folder, and kinds nobody runs. */
class PluginIT {
  private static final String TOKEN = "plugin-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess start(String name, Path jar, String... args) throws Exception {
    return processes.in(dir).start(name, jar, args);
  }

  @Test
  void aPluginJarAddsKindsAndOnlyWorkersThatRunThemGetThoseTasks() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("my-plugins"));
    Files.copy(
        Path.of(System.getProperty("rmiq.plugin.jar")), plugins.resolve("rmiq-plugin-primes.jar"));
    JvmProcess master =
        start(
            "master",
            JvmProcess.masterJar(),
            "--port",
            "0",
            "--out",
            "primes.jsonl",
            "task",
            "isprime",
            "1,2,3,4,5,97,100,1000000007");
    int port = master.awaitMasterPort();
    JvmProcess plain =
        start("plain", JvmProcess.workerJar(), "localhost:" + port, "--name", "plain");
    JvmProcess primes =
        start(
            "primes",
            JvmProcess.workerJar(),
            "localhost:" + port,
            "--name",
            "primes",
            "--plugins",
            plugins.toString(),
            "--exit-when-done");

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, primes.awaitExit(EXIT), primes.stderr());
    assertTrue(
        primes
            .stderr()
            .contains("running download, factor, isprime, rangesum, sleep, square, wordcount"),
        primes.stderr());
    Map<String, String> answers = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("primes.jsonl"))) {
      JsonNode row = new ObjectMapper().readTree(line);
      assertEquals("primes", row.get("worker").asText(), "only the plugin's worker runs it");
      answers.put(row.get("input").asText(), row.get("value").asText());
    }
    assertEquals(
        Map.of(
            "1",
            "false",
            "2",
            "true",
            "3",
            "true",
            "4",
            "false",
            "5",
            "true",
            "97",
            "true",
            "100",
            "false",
            "1000000007",
            "true"),
        answers);
    assertTrue(plain.isAlive(), "the plain worker waited, it did not fail tasks");
  }

  @Test
  void aKindNoConnectedWorkerRunsIsReportedNotAHang() throws Exception {
    JvmProcess master =
        start(
            "master",
            JvmProcess.masterJar(),
            "--port",
            "0",
            "--timeout",
            "3s",
            "task",
            "factor",
            "12");
    int port = master.awaitMasterPort();
    start("plain", JvmProcess.workerJar(), "localhost:" + port, "--name", "plain");

    assertEquals(3, master.awaitExit(EXIT), master.stderr());
    assertTrue(
        master
            .stderr()
            .contains(
                "1 task(s) of kind 'factor' are waiting, but no"
                    + " connected worker runs it (they run: download, rangesum, sleep, square, wordcount);"
                    + " start a worker whose plugin folder (--plugins DIR) has the jar that provides 'factor'"),
        master.stderr());
  }

  @Test
  void aBrokenPluginsFolderIsAUsageErrorNamingIt() throws Exception {
    JvmProcess worker =
        start("w", JvmProcess.workerJar(), "localhost:5000", "--plugins", "no-such-folder");
    assertEquals(2, worker.awaitExit(EXIT), worker.stderr());
    assertTrue(
        worker
            .stderr()
            .contains("the plugin folder no-such-folder (--plugins DIR) is not a folder"),
        worker.stderr());
  }
}
