package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Code that travels from the master to the workers that accept it, and only to those. */
class CodeShippingIT {
  private static final String TOKEN = "shipping-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);

  private static final String COLLATZ =
      """
      public class Collatz {
        /** Steps to reach 1 from n. */
        public static long apply(String input) {
          long n = Long.parseLong(input.trim());
          if (n < 1) {
            throw new IllegalArgumentException("needs a positive number, not " + n);
          }
          long steps = 0;
          while (n != 1) {
            n = n % 2 == 0 ? n / 2 : 3 * n + 1;
            steps++;
          }
          return steps;
        }
      }
      """;

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private static long collatz(long n) {
    long steps = 0;
    while (n != 1) {
      n = n % 2 == 0 ? n / 2 : 3 * n + 1;
      steps++;
    }
    return steps;
  }

  private Map<String, JsonNode> rows(String file) throws Exception {
    Map<String, JsonNode> rows = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve(file))) {
      JsonNode row = json.readTree(line);
      rows.put(row.get("input").asText(), row);
    }
    return rows;
  }

  @Test
  void aOneFileKindRunsOnWorkersThatAcceptCodeAndASecondJobFetchesNothing() throws Exception {
    Files.writeString(dir.resolve("Collatz.java"), COLLATZ);
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    JvmProcess a =
        processes.worker(
            "a", "127.0.0.1:" + port, "--name", "a", "--accept-code", "--threads", "2");
    JvmProcess b =
        processes.worker(
            "b", "127.0.0.1:" + port, "--name", "b", "--accept-code", "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stderr().contains("worker b joined"));

    master.type("run Collatz.java 1..60 --out first.jsonl");
    master.awaitStderr("rmiq: 60 task(s): 60 ok", Duration.ofSeconds(60));
    Map<String, JsonNode> first = rows("first.jsonl");
    for (int n = 1; n <= 60; n++) {
      assertEquals(Long.toString(collatz(n)), first.get(Integer.toString(n)).get("value").asText());
    }
    assertTrue(a.stderr().contains("the master offers code: Collatz.jar"), a.stderr());
    assertTrue(a.stderr().contains("kind(s) collatz"), a.stderr());

    master.type("run Collatz.java 0,61 --out second.jsonl");
    master.awaitStderr("rmiq: 2 task(s): 1 ok, 1 failed", Duration.ofSeconds(60));
    Map<String, JsonNode> second = rows("second.jsonl");
    assertEquals("failed", second.get("0").get("status").asText());
    assertTrue(second.get("0").get("error").asText().contains("needs a positive number"));
    assertEquals(1, second.get("0").get("attempts").asInt(), "bad input is not retried");
    assertEquals(1, count(a.stderr(), "fetching it"), "fetched once: " + a.stderr());
    assertEquals(1, count(b.stderr(), "fetching it"), "fetched once: " + b.stderr());
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void aWorkerWithoutTheFlagRunsNoneOfItAndTheMasterNamesTheFlag() throws Exception {
    Files.writeString(dir.resolve("Collatz.java"), COLLATZ);
    JvmProcess master =
        processes
            .in(dir)
            .master("--port", "0", "--timeout", "3s", "--no-status", "run", "Collatz.java", "1..5");
    int port = master.awaitMasterPort();
    JvmProcess closed = processes.worker("closed", "127.0.0.1:" + port, "--name", "closed");
    assertEquals(3, master.awaitExit(EXIT), master.stderr());
    assertTrue(master.stderr().contains("worker closed does not accept code"), master.stderr());
    assertTrue(master.stderr().contains("--accept-code"), master.stderr());
    assertFalse(closed.stderr().contains("offers code"), closed.stderr());
  }

  @Test
  void thePluginsOfTheMastersFolderReachWorkersWithNoneOfTheirOwn() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins-here"));
    Files.copy(
        Path.of(System.getProperty("rmiq.plugin.jar")), plugins.resolve("rmiq-plugin-primes.jar"));
    JvmProcess master =
        processes
            .in(dir)
            .master(
                "--port",
                "0",
                "--no-status",
                "--plugins",
                "plugins-here",
                "--out",
                "primes.jsonl",
                "task",
                "isprime",
                "1..20");
    int port = master.awaitMasterPort();
    JvmProcess worker =
        processes.worker(
            "open", "127.0.0.1:" + port, "--accept-code", "--exit-when-done", "--name", "open");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
    Map<String, JsonNode> rows = rows("primes.jsonl");
    assertEquals("true", rows.get("19").get("value").asText());
    assertEquals("false", rows.get("20").get("value").asText());
    assertTrue(worker.stderr().contains("rmiq-plugin-primes.jar"), worker.stderr());
  }

  @Test
  void aCompileErrorIsExit2ShowingTheLineAsJavacDoes() throws Exception {
    Files.writeString(
        dir.resolve("Broken.java"),
        "public class Broken {\n  public static int apply(String s) {\n    return s.length()\n  }\n}\n");
    JvmProcess master = processes.in(dir).master("--port", "0", "run", "Broken.java", "1..3");
    assertEquals(2, master.awaitExit(EXIT), master.stderr());
    assertTrue(master.stderr().contains("Broken.java:3: error: ';' expected"), master.stderr());
    assertTrue(master.stderr().contains("    return s.length()\n"), master.stderr());
    assertFalse(master.stderr().contains("listening"), master.stderr());
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
