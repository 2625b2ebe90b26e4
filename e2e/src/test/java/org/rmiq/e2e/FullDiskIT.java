package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk is a sentence and exit code 5, never a stack trace: {@code --out} on a device that
 * takes no byte (Linux's {@code /dev/full}), and a journal on a tiny file system of its own.
 */
class FullDiskIT {
  private static final String TOKEN = "full-disk-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);
  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      // lazily: a process of a failed test may still hold a file there until it is ended
      new ProcessBuilder("umount", "-l", mounted.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void anOutFileOnAFullDiskIsExit5NamingTheFileAndTheCause() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/full")), "needs Linux's /dev/full");
    Files.createSymbolicLink(dir.resolve("results.jsonl"), Path.of("/dev/full"));
    JvmProcess master =
        processes.in(dir).master("--port", "0", "--out", "results.jsonl", "square", "1..50");
    int port = master.awaitMasterPort();
    processes.worker("w", "127.0.0.1:" + port, "--exit-when-done");
    assertEquals(5, master.awaitExit(EXIT), master.stderr());
    assertTrue(
        master.stderr().contains("cannot write results.jsonl: No space left on device"),
        master.stderr());
    assertTrue(master.stderr().contains("Free some space"), master.stderr());
    assertFalse(master.stderr().contains("\tat "), "a stack trace:\n" + master.stderr());
  }

  /** A 2 MB file system of its own at {@code small}, unmounted after the test. */
  private Path smallDisk() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    int mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start()
            .waitFor();
    assumeTrue(mount == 0, "needs root to mount a small file system");
    mounted = small;
    return small;
  }

  @Test
  void aJournalWhoseDiskFillsIsExit5AndTheRerunLosesNothing() throws Exception {
    Path small = smallDisk();
    String[] command = {
      "--port", "0", "--journal", "small/job.db", "--out", "out.jsonl", "sleep", "50x200"
    };
    JvmProcess master = processes.in(dir).master(command);
    int port = master.awaitMasterPort();
    JvmProcess worker =
        processes.worker("w", "127.0.0.1:" + port, "--threads", "2", "--exit-when-done");
    fillOnceResultsArrive(master, small, "small/job.db");

    Files.delete(small.resolve("filler"));
    JvmProcess again = processes.master(command);
    int second = again.awaitMasterPort();
    processes.worker("w2", "127.0.0.1:" + second, "--threads", "2", "--exit-when-done");
    assertEquals(0, again.awaitExit(EXIT), again.stderr());
    ResultsChecker.assertExactlyOnce(
        dir.resolve("out.jsonl"), ResultsChecker.sameInput(200, "50"), in -> "slept " + in + " ms");
    worker.close();
  }

  @Test
  void aSessionWhoseJournalDiskFillsIsExit5AndTheNextSessionFinishesItsJob() throws Exception {
    Path small = smallDisk();
    String[] session = {"--session", "--port", "0", "--no-status", "--journal", "small/session.db"};
    JvmProcess master = processes.in(dir).master(session);
    int port = master.awaitMasterPort();
    processes.worker("w", "127.0.0.1:" + port, "--name", "w", "--threads", "2");
    master.awaitStderr("worker w joined", Duration.ofSeconds(30));
    master.type("sleep 50x200 --out out.jsonl");
    String said = fillOnceResultsArrive(master, small, "small/session.db");
    assertFalse(said.contains("cancelled"), "the job stays in the journal to resume:\n" + said);

    Files.delete(small.resolve("filler"));
    JvmProcess again = processes.in(dir).master(session);
    int second = again.awaitMasterPort();
    again.awaitStderr("resuming job 1 from the journal: sleep 50x200", Duration.ofSeconds(30));
    processes.worker("w2", "127.0.0.1:" + second, "--threads", "2");
    again.awaitStderr("job 1 finished: 200 ok, 0 failed", Duration.ofSeconds(60));
    again.type("quit");
    assertEquals(0, again.awaitExit(EXIT), again.stderr());
  }

  /**
   * Fills {@code small} once ten results are in out.jsonl; asserts the master then ends with exit 5
   * in a sentence naming {@code journal}, and returns what it said.
   */
  private String fillOnceResultsArrive(JvmProcess master, Path small, String journal)
      throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(dir.resolve("out.jsonl")) && lines("out.jsonl") >= 10);
    fill(small.resolve("filler"));
    assertEquals(5, master.awaitExit(EXIT), master.stderr());
    String said = master.stderr();
    assertTrue(said.contains("the journal " + journal + " cannot record results"), said);
    assertTrue(said.contains("Nothing collected is lost"), said);
    assertFalse(said.contains("\tat "), "a stack trace:\n" + said);
    return said;
  }

  private long lines(String file) throws java.io.IOException {
    return Files.readAllLines(dir.resolve(file)).size();
  }

  /** Writes until the file system is full. */
  private static void fill(Path file) throws java.io.IOException {
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (java.io.IOException full) {
      // the point
    }
  }
}
