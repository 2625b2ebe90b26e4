package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the scripts rebuild the jars ({@code lib.sh}'s {@code rmiq_runnable_jars_stale}, run at
 * every start): after an edit to anything a runnable jar is built from, and never after an edit to
 * tests, benchmarks, docs or build output. Runs the real {@code lib.sh} in a tree of the test's
 * own, with files of known ages, so no real build is ever started.
 */
class StaleJarsIT {
  private static final Instant BUILT = Instant.parse("2026-01-01T12:00:00Z");

  @TempDir Path root;

  @ParameterizedTest(name = "{0} edited: {1}")
  @CsvSource({
    "master/cli/src/main/java/org/rmiq/Master.java, stale",
    "worker/engine/src/main/java/org/rmiq/Worker.java, stale",
    "worker/cli/src/main/resources/org/rmiq/logo.txt, stale",
    "pom.xml, stale",
    "common/api/src/main/java/org/rmiq/api/Task.java, stale",
    "examples/plugin-primes/src/main/java/org/rmiq/Primes.java, stale",
    "examples/plugin-primes/pom.xml, stale",
    "master/cli/src/test/java/org/rmiq/MasterTest.java, fresh",
    "e2e/src/test/java/org/rmiq/SomeIT.java, fresh",
    "bench/src/main/java/org/rmiq/Bench.java, fresh",
    "examples/library-demo/src/main/java/org/rmiq/Demo.java, fresh",
    "master/cli/target/classes/org/rmiq/Master.class, fresh",
    "README.md, fresh",
    "docs/lab.md, fresh",
  })
  void anEditRebuildsOnlyWhenAJarIsBuiltFromIt(String edited, String expected) throws Exception {
    tree(BUILT, BUILT, BUILT);
    touch(edited, BUILT.plusSeconds(60));
    assertEquals(expected, ask());
  }

  @Test
  void nothingEditedSinceTheBuildRebuildsNothing() throws Exception {
    tree(BUILT, BUILT, BUILT);
    assertEquals("fresh", ask());
  }

  @Test
  void aMissingJarIsBuilt() throws Exception {
    tree(BUILT, BUILT, BUILT);
    Files.delete(root.resolve("examples/plugin-primes/target/rmiq-plugin-primes.jar"));
    assertEquals("stale", ask());
  }

  @Test
  void aPluginJarMavenLeftOlderIsNotRebuiltForAnEditElsewhere() throws Exception {
    // Maven leaves a jar whose contents did not change as it was: the plugin's is older than an
    // edit to the master that the master's jar already holds
    tree(BUILT, BUILT, BUILT.minusSeconds(3600));
    touch("master/cli/src/main/java/org/rmiq/Master.java", BUILT.minusSeconds(60));
    assertEquals("fresh", ask());
    touch("common/api/src/main/java/org/rmiq/api/Task.java", BUILT.minusSeconds(60));
    assertEquals("stale", ask(), "the plugin is built from the task API");
  }

  @Test
  void theOlderOfTheMasterAndWorkerJarsCounts() throws Exception {
    tree(BUILT, BUILT.minusSeconds(3600), BUILT);
    touch("master/cli/src/main/java/org/rmiq/Master.java", BUILT.minusSeconds(60));
    assertEquals("stale", ask());
  }

  /** The jars built at the given times, and one source of each kind from before them. */
  private void tree(Instant master, Instant worker, Instant plugin) throws Exception {
    Path lib = root.resolve("scripts/lib.sh");
    Files.createDirectories(lib.getParent());
    Files.copy(Path.of(System.getProperty("rmiq.scripts", "../scripts"), "lib.sh"), lib);
    Instant before = BUILT.minusSeconds(7200);
    for (String source :
        List.of(
            "pom.xml",
            "master/cli/src/main/java/org/rmiq/Master.java",
            "common/api/src/main/java/org/rmiq/api/Task.java",
            "examples/plugin-primes/src/main/java/org/rmiq/Primes.java",
            "README.md")) {
      touch(source, before);
    }
    touch("master/cli/target/rmiq-master.jar", master);
    touch("worker/cli/target/rmiq-worker.jar", worker);
    touch("examples/plugin-primes/target/rmiq-plugin-primes.jar", plugin);
  }

  private void touch(String file, Instant time) throws Exception {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    if (!Files.exists(path)) {
      Files.writeString(path, "x");
    }
    Files.setLastModifiedTime(path, FileTime.from(time));
  }

  /** What lib.sh says of the tree's jars: "stale" (a start would build them) or "fresh". */
  private String ask() throws Exception {
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source scripts/lib.sh && if rmiq_runnable_jars_stale; then echo stale;"
                    + " else echo fresh; fi")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "lib.sh hung");
      String output =
          new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, bash.exitValue(), output);
      return output;
    } finally {
      bash.destroyForcibly(); // by its handle, never by name
    }
  }
}
