package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class code and the teacher key, end to end: what a student with only the code may do, what
 * the teacher does from another machine, and what a worker pinned to the teacher's key refuses.
 * Each "machine" is a folder of its own (its own config folder, so its own teacher key or none).
 */
class RolesIT {
  private static final String TOKEN = "roles-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);
  private static final String COLLATZ =
      """
      public class Collatz {
        public static long apply(String input) {
          long n = Long.parseLong(input.trim()), steps = 0;
          while (n != 1) { n = n % 2 == 0 ? n / 2 : 3 * n + 1; steps++; }
          return steps;
        }
      }
      """;

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  /** Another computer: a folder with its own config folder. */
  private Path machine(String name) throws Exception {
    return Files.createDirectories(dir.resolve(name));
  }

  private JvmProcess submitFrom(Path machine, String name, int port, String... args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("submit", "127.0.0.1:" + port));
    all.addAll(List.of(args));
    return processes.track(
        JvmProcess.start(name, machine, JvmProcess.masterJar(), TOKEN, all.toArray(String[]::new)));
  }

  private static String fingerprint(JvmProcess master) {
    master.awaitStderr("--accept-code-from ", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("--accept-code-from (\\S+)").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return m.group(1);
  }

  private static int statusPort(JvmProcess master) {
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return Integer.parseInt(m.group(1));
  }

  private static String metrics(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aStudentWithTheClassCodeAloneCanSubmitNothingRunNothingAndCancelNothing() throws Exception {
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    Path student = machine("student");
    Files.writeString(student.resolve("Collatz.java"), COLLATZ);

    JvmProcess submit = submitFrom(student, "submit", port, "square", "1..5");
    assertEquals(3, submit.awaitExit(EXIT), submit.stderr());
    assertTrue(submit.stderr().contains("needs the teacher key"), submit.stderr());
    assertTrue(submit.stderr().contains("--teacher-key-file"), submit.stderr());
    JvmProcess run = submitFrom(student, "run", port, "run", "Collatz.java", "1..5");
    assertEquals(3, run.awaitExit(EXIT), run.stderr());
    JvmProcess cancel = submitFrom(student, "cancel", port, "--cancel", "1");
    assertEquals(3, cancel.awaitExit(EXIT), cancel.stderr());

    JvmProcess teacher = submitFrom(dir, "teacher", port, "square", "1..3");
    teacher.awaitStderr("rmiq-submit: job 1 ", Duration.ofSeconds(30)); // nothing before it
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void withStudentJobsAStudentsBuiltInJobRunsAfterTheTeachersAndRunIsStillRefused()
      throws Exception {
    JvmProcess master =
        processes.in(dir).master("--session", "--student-jobs", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    processes.worker("w", "127.0.0.1:" + port, "--name", "w", "--threads", "2");
    Path student = machine("student");
    Files.writeString(student.resolve("Collatz.java"), COLLATZ);

    JvmProcess teacher = submitFrom(dir, "teacher", port, "sleep", "200x10");
    teacher.awaitStderr("rmiq-submit: job 1 ", Duration.ofSeconds(30));
    JvmProcess mine = submitFrom(student, "mine", port, "square", "1..10");
    assertEquals(0, mine.awaitExit(EXIT), mine.stderr());
    assertTrue(mine.stdout().contains("10 * 10 = 100"), mine.stdout());
    assertEquals(0, teacher.awaitExit(EXIT), teacher.stderr());
    String log = master.stderr();
    assertTrue(log.indexOf("job 1 finished") < log.indexOf("job 2 started"), log);

    JvmProcess run = submitFrom(student, "run", port, "run", "Collatz.java", "1..5");
    assertEquals(3, run.awaitExit(EXIT), run.stderr());
    assertTrue(run.stderr().contains("needs the teacher key"), run.stderr());
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void theTeacherOnAnotherMachineSubmitsCancelsAndShipsCodeWithTheKeyFile() throws Exception {
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    String fingerprint = fingerprint(master);
    JvmProcess worker =
        processes.worker(
            "w", "127.0.0.1:" + port, "--name", "w", "--accept-code-from", fingerprint);
    Path laptop = machine("laptop");
    Path key = laptop.resolve("teacher-key");
    Files.copy(dir.resolve("config/rmiq/teacher-key"), key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(laptop.resolve("Collatz.java"), COLLATZ);

    JvmProcess slow =
        submitFrom(laptop, "slow", port, "--teacher-key-file", "teacher-key", "sleep", "1000x100");
    slow.awaitStderr("rmiq-submit: job 1 ", Duration.ofSeconds(30));
    JvmProcess cancel =
        submitFrom(laptop, "cancel", port, "--teacher-key-file", "teacher-key", "--cancel", "1");
    assertEquals(0, cancel.awaitExit(EXIT), cancel.stderr());
    assertTrue(cancel.stderr().contains("job 1 cancelled"), cancel.stderr());
    slow.awaitExit(EXIT);
    assertTrue(slow.stderr().contains("cancelled"), slow.stderr());

    JvmProcess run =
        submitFrom(
            laptop,
            "run",
            port,
            "--teacher-key-file",
            "teacher-key",
            "run",
            "Collatz.java",
            "1..5");
    assertEquals(0, run.awaitExit(EXIT), run.stderr());
    assertTrue(run.stdout().contains(" collatz 3 = 7"), run.stdout());
    assertTrue(worker.stderr().contains("loaded Collatz.jar"), worker.stderr());
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void aWorkerPinnedToTheTeachersKeyRefusesCodeFromAnotherMasterWithTheSameClassCode()
      throws Exception {
    JvmProcess teachers = processes.in(dir).master("--session", "--port", "0", "--no-status");
    teachers.awaitMasterPort();
    String fingerprint = fingerprint(teachers);
    teachers.type("quit");
    assertEquals(0, teachers.awaitExit(EXIT), teachers.stderr());

    Path impostor = machine("impostor");
    Files.writeString(
        impostor.resolve("Evil.java"),
        """
        public class Evil {
          static {
            try {
              java.nio.file.Files.writeString(java.nio.file.Path.of("pwned"), "ran");
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          }
          public static String apply(String s) { return s; }
        }
        """);
    JvmProcess fake =
        processes.track(
            JvmProcess.start(
                "impostor",
                impostor,
                JvmProcess.masterJar(),
                TOKEN,
                "--port",
                "0",
                "--status-port",
                "0",
                "--timeout",
                "15s",
                "run",
                "Evil.java",
                "1..3"));
    int port = fake.awaitMasterPort();
    int status = statusPort(fake);
    Path workerHome = machine("worker");
    JvmProcess worker =
        processes.track(
            JvmProcess.start(
                "w",
                workerHome,
                JvmProcess.workerJar(),
                TOKEN,
                "127.0.0.1:" + port,
                "--name",
                "w",
                "--accept-code-from",
                fingerprint));
    worker.awaitStderr("refused the code Evil.jar", Duration.ofSeconds(30));
    assertTrue(
        worker.stderr().contains("not by the teacher key this worker trusts"), worker.stderr());
    assertTrue(metrics(status).contains("rmiq_workers_connected 1.0"), "it stays connected");
    assertEquals(3, fake.awaitExit(EXIT), fake.stderr());
    assertFalse(Files.exists(workerHome.resolve("pwned")), "Evil's static initializer ran");
    assertFalse(worker.stderr().contains("fetching it"), worker.stderr());
    assertTrue(worker.isAlive(), "the worker stays up for the real master");
  }

  @Test
  void runSquareJavaIsRefusedBecauseSquareIsBuiltIn() throws Exception {
    Files.writeString(
        dir.resolve("Square.java"),
        "public class Square { public static String apply(String s) { return \"42\"; } }\n");
    JvmProcess master =
        processes.in(dir).master("--port", "0", "--no-status", "run", "Square.java", "1..3");
    assertEquals(2, master.awaitExit(EXIT), master.stderr());
    assertTrue(master.stderr().contains("which is built in"), master.stderr());
  }
}
