package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts' class-data archive (AppCDS): made by a training run, used by the next start, made
 * again when the jar changes, and harmless when broken: a start never fails because of it.
 */
class ClassDataIT {
  private static final Path WORKER_JAR =
      Path.of(
              System.getProperty("rmiq.scripts", "../scripts"),
              "../worker/cli/target/rmiq-worker.jar")
          .toAbsolutePath()
          .normalize();
  private static final Path ARCHIVE = WORKER_JAR.resolveSibling("rmiq-worker.jsa");
  private static final Path STAMP = WORKER_JAR.resolveSibling("rmiq-worker.jsa.stamp");
  private static final String SHARED = "org.rmiq.cli.worker.WorkerMain source: shared objects file";

  @TempDir Path dir;

  private ScriptRun version(String cds, boolean logClasses) throws Exception {
    Map<String, String> env =
        logClasses
            ? Map.of("RMIQ_CDS", cds, "RMIQ_JAVA_OPTS", "-Xlog:class+load")
            : Map.of("RMIQ_CDS", cds);
    ScriptRun run = ScriptRun.of(dir, env, "run-worker.sh", "--version");
    assertEquals(0, run.exit(), run.output());
    return run;
  }

  @Test
  void theArchiveIsMadeUsedRemadeAfterTheJarChangesAndABrokenOneNeverStopsAStart()
      throws Exception {
    Files.deleteIfExists(ARCHIVE);
    Files.deleteIfExists(STAMP);

    // made (in the foreground here; scripts normally train in the background) and used
    version("wait", false);
    assertTrue(Files.size(ARCHIVE) > 1 << 20, "the archive is " + Files.size(ARCHIVE) + " bytes");
    String used = version("on", true).output();
    assertTrue(used.contains(SHARED), "the archive was not used");
    // picocli is compiled for Java 17 here (common/picocli): the published Java 5 classes could
    // not be archived, and every start loaded and verified ~170 of them from the jar
    assertTrue(
        used.contains("picocli.CommandLine source: shared objects file"),
        "picocli is not in the archive");

    // the jar changes: the old archive is not used, and a new one is made for the new jar
    FileTime before = Files.getLastModifiedTime(ARCHIVE);
    Files.setLastModifiedTime(WORKER_JAR, FileTime.from(Instant.now())); // as a rebuild does
    assertFalse(version("on", true).output().contains(SHARED), "a stale archive was used");
    assertTrue(version("wait", true).output().contains(SHARED), "no new archive for the new jar");
    assertTrue(
        Files.getLastModifiedTime(ARCHIVE).compareTo(before) > 0, "the archive was not made again");

    // broken (same stamp, garbage inside): the JVM starts without it, and says nothing
    byte[] garbage = new byte[1 << 16];
    new java.util.Random(1).nextBytes(garbage);
    Files.write(ARCHIVE, garbage);
    ScriptRun broken = version("on", false);
    assertTrue(broken.output().strip().startsWith("rmiq "), broken.output());
    assertEquals(1, broken.output().strip().lines().count(), broken.output());

    // leave a good one behind
    Files.delete(STAMP);
    version("wait", false);
    assertTrue(
        Instant.now().isAfter(Files.getLastModifiedTime(STAMP).toInstant().minusSeconds(60)));
  }

  /**
   * The scripts give their JVMs {@code scripts/jvm.flags} (C2 waits for code that runs tens of
   * thousands of times), and {@code RMIQ_JAVA_OPTS} still overrides it.
   */
  @Test
  void theScriptsJvmOptionsAreUsedAndRmiqJavaOptsWins() throws Exception {
    String flags = "-XX:+PrintFlagsFinal";
    for (String script : new String[] {"run-worker.sh", "run-master.sh", "rmiq-submit.sh"}) {
      ScriptRun run = ScriptRun.of(dir, Map.of("RMIQ_JAVA_OPTS", flags), script, "--version");
      assertEquals(0, run.exit(), run.output());
      assertTrue(
          run.output()
              .matches(
                  "(?s).*Tier4InvocationThreshold\\s+= 50000\\s+\\{product\\} \\{config file\\}.*"),
          script + " did not use scripts/jvm.flags");
    }
    ScriptRun overridden =
        ScriptRun.of(
            dir,
            Map.of("RMIQ_JAVA_OPTS", flags + " -XX:Tier4InvocationThreshold=5000"),
            "run-worker.sh",
            "--version");
    assertTrue(
        overridden.output().matches("(?s).*Tier4InvocationThreshold\\s+= 5000\\s.*"),
        "RMIQ_JAVA_OPTS did not win");
  }
}
