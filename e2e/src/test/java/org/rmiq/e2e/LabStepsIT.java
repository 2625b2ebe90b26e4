package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Steps of docs/lab.md, run as written, with the outcomes the lab promises. */
class LabStepsIT {
  private static final String TOKEN = "lab-steps-token-0123456789abc";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  /**
   * Step 5: the hostile URL on the local network goes to the volunteer who allows private
   * addresses, every time — the other worker's refusal is not an attempt — ten times in a row.
   */
  @Test
  void step5TheLocalUrlReachesTheVolunteerTenTimesInARow() throws Exception {
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = "secret".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    web.start();
    try {
      JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
      int port = master.awaitMasterPort();
      processes.worker("strict", "127.0.0.1:" + port, "--name", "strict");
      processes.worker(
          "volunteer", "127.0.0.1:" + port, "--name", "volunteer", "--allow-private-addresses");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  master.stderr().contains("strict joined")
                      && master.stderr().contains("volunteer joined"));
      Files.writeString(
          dir.resolve("hostile.txt"),
          "http://127.0.0.1:" + web.getAddress().getPort() + "/..%2F..%2Fsecret\n");
      ObjectMapper json = new ObjectMapper();
      for (int round = 1; round <= 10; round++) {
        String out = "round-" + round + ".jsonl";
        JvmProcess submit =
            processes.start(
                "round-" + round,
                JvmProcess.masterJar(),
                "submit",
                "127.0.0.1:" + port,
                "--out",
                out,
                "download",
                "@hostile.txt");
        assertEquals(0, submit.awaitExit(EXIT), "round " + round + ": " + submit.stderr());
        JsonNode row = json.readTree(Files.readAllLines(dir.resolve(out)).get(0));
        assertEquals("ok", row.get("status").asText(), row.toString());
        assertEquals("volunteer", row.get("worker").asText(), row.toString());
        assertEquals(1, row.get("attempts").asInt(), "a refusal is not an attempt: " + row);
      }
      assertTrue(Files.exists(dir.resolve("downloads")), "the volunteer saved inside downloads/");
      master.type("quit");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
    } finally {
      web.stop(0);
    }
  }

  /**
   * Step 6, on one machine: during a job typed with {@code --out}, one worker freezes (a closed
   * laptop: silent, its connection open) and another is Ctrl-C'd; the teacher ends the session in
   * the middle of the job and starts it again with the same command. The job resumes, the worker
   * left re-joins by itself, and {@code --out} ends with every result exactly once.
   */
  @Test
  void step6PullThePlugAndRestartTheSessionMidJob() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String[] session = {
      "--session", "--port", Integer.toString(port), "--no-status", "--journal", "lab.db"
    };
    JvmProcess master = processes.in(dir).master(session);
    master.awaitMasterPort();
    String address = "127.0.0.1:" + port;
    JvmProcess stays = processes.worker("stays", address, "--name", "stays", "--threads", "2");
    JvmProcess ctrlC = processes.worker("ctrl-c", address, "--name", "ctrl-c", "--threads", "2");
    JvmProcess laptop = processes.worker("laptop", address, "--name", "laptop", "--threads", "2");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                master.stderr().contains("stays joined")
                    && master.stderr().contains("ctrl-c joined")
                    && master.stderr().contains("laptop joined"));
    master.type("sleep 200x150 --out results.jsonl");
    await().atMost(Duration.ofSeconds(60)).until(() -> rows("results.jsonl") >= 20);
    laptop.signal("STOP"); // the lid closes: no goodbye, the connection stays open
    try {
      ctrlC.signal("INT");
      assertEquals(0, ctrlC.awaitExit(EXIT), "a Ctrl-C'd worker exits 0: " + ctrlC.stderr());
      await().atMost(Duration.ofSeconds(60)).until(() -> rows("results.jsonl") >= 60);
      master.type("quit");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
      assertTrue(master.stderr().contains("unfinished job(s) kept in lab.db"), master.stderr());
      assertTrue(rows("results.jsonl") < 150, "the job was stopped in the middle");

      JvmProcess again = processes.master(session);
      again.awaitStderr("resuming job 1 from the journal", Duration.ofSeconds(30));
      again.awaitStderr("150 task(s): 150 ok, 0 failed, 0 cancelled, 0 missing", EXIT);
      assertTrue(stays.stderr().contains("reconnected to the master"), stays.stderr());
      ResultsChecker.assertExactlyOnce(
          dir.resolve("results.jsonl"),
          ResultsChecker.sameInput(150, "200"),
          millis -> "slept " + millis + " ms");
      again.type("quit");
      assertEquals(0, again.awaitExit(EXIT), again.stderr());
    } finally {
      laptop.signal("CONT");
    }
  }

  /**
   * Step 8: a student changed their copy of rmiq to answer 7 * 7 = 50. With {@code --replicas 2}
   * every task runs on both students' workers, and the one they disagree on fails, naming both
   * answers; the work doubles.
   */
  @Test
  void step8ReplicasCatchAChangedCopyOfRmiq() throws Exception {
    Path cheat = compileCheatingSquare();
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    processes.worker("alice", "127.0.0.1:" + port, "--name", "alice");
    processes.track(
        JvmProcess.start(
            "bob",
            dir,
            null,
            TOKEN,
            List.of(
                "-cp",
                cheat + java.io.File.pathSeparator + JvmProcess.workerJar(),
                "org.rmiq.cli.worker.WorkerMain",
                "127.0.0.1:" + port,
                "--name",
                "bob")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                master.stderr().contains("alice joined") && master.stderr().contains("bob joined"));
    master.type("square 1..1000 --replicas 2 --out step8.jsonl");
    master.awaitStderr("1000 task(s): 999 ok, 1 failed, 0 cancelled, 0 missing", EXIT);
    // The failed task is listed after the summary line: wait for the list, not just the line.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> master.stderr().contains("the replicas disagree:"));
    String err = master.stderr();
    assertTrue(err.contains("the replicas disagree:"), err);
    assertTrue(err.contains("alice answered '49'") && err.contains("bob answered '50'"), err);
    assertTrue(
        java.util.regex.Pattern.compile("(?m)^1 \\* 1 = 1  \\((alice, bob|bob, alice)\\)$")
            .matcher(master.stdout())
            .find(),
        "an agreed result names both workers: " + master.stdout());
    ObjectMapper json = new ObjectMapper();
    Map<String, String> status = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("step8.jsonl"))) {
      JsonNode row = json.readTree(line);
      status.put(row.get("input").asText(), row.get("status").asText());
    }
    assertEquals(1000, status.size());
    assertEquals("failed", status.get("7"));
    assertEquals(999, status.values().stream().filter("ok"::equals).count());
    // The work doubled: each of the two workers ran every task (status counts each worker's runs).
    int mark = master.stdout().length();
    master.type("status");
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile(
            "(?m)^\\s+(alice|bob)\\s+connected\\s+(\\d+) done\\s+(\\d+) failed");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> line.matcher(master.stdout().substring(mark)).results().count() == 2);
    line.matcher(master.stdout().substring(mark))
        .results()
        .forEach(
            m ->
                assertEquals(
                    1000,
                    Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)),
                    "every task ran on " + m.group(1) + ": " + m.group()));
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  /**
   * A copy of the worker's square that answers 50 for 7: compiled here, first on the class path.
   */
  private Path compileCheatingSquare() throws Exception {
    Path src = Files.createDirectories(dir.resolve("cheat-src/org/rmiq/worker"));
    Files.writeString(
        src.resolve("SquareHandler.java"),
        """
        package org.rmiq.worker;
        public final class SquareHandler implements org.rmiq.api.TaskHandler {
          @Override public String kind() { return "square"; }
          @Override public String execute(String input) {
            long n = Long.parseLong(input.strip());
            return Long.toString(n == 7 ? 50 : n * n);
          }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("cheat"));
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "--release",
                "17",
                "-cp",
                JvmProcess.workerJar().toString(),
                "-d",
                classes.toString(),
                src.resolve("SquareHandler.java").toString());
    assertEquals(0, compiled, "the cheating square compiles");
    return classes;
  }

  private long rows(String file) throws Exception {
    return ResultsChecker.rows(dir.resolve(file));
  }
}
