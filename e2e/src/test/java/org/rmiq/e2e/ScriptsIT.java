package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every script the README names starts its program: {@code --help} exits 0 with the usage, so a
 * renamed class or a moved jar fails here rather than in front of a class.
 */
class ScriptsIT {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "run-master.sh, Usage: run-master.sh",
    "run-worker.sh, Usage: run-worker.sh",
    "rmiq-submit.sh, Usage: rmiq-submit.sh",
    "rmiq-status.sh, Usage: rmiq-status.sh",
    "run-experiment.sh, Usage: run-experiment.sh",
    "lab-web-server.sh, scripts/lab-web-server.sh [PORT]",
    "run-demo.sh, run-demo.sh",
    "lib.sh, shared library",
  })
  void helpExitsZeroWithTheUsage(String script, String usage) throws Exception {
    ScriptRun run = ScriptRun.of(dir, script, "--help");
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains(usage), run.output());
    assertFalse(run.output().contains("Exception"), run.output());
  }

  @ParameterizedTest
  @CsvSource({"run-master.sh", "run-worker.sh"})
  void aScriptStartedFromItsOwnFolderFindsItsLibraryAndJars(String script) throws Exception {
    ScriptRun run = ScriptRun.inScriptsFolder(dir, script, "--version");
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("rmiq "), run.output());
  }

  @ParameterizedTest
  @CsvSource({"abc", "70000"})
  void theLabWebServerNamesABadPortWithoutAStackTrace(String port) throws Exception {
    ScriptRun run = ScriptRun.of(dir, "lab-web-server.sh", port);
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("'" + port + "' is not a port"), run.output());
    assertFalse(run.output().contains("Exception"), run.output());
  }

  @ParameterizedTest
  @CsvSource({
    "run-worker.sh, -Xlog:gc, Using Serial",
    "run-worker.sh, -XX:+UseG1GC -Xlog:gc, Using G1",
    "run-worker.sh, -XX:+UseParallelGC -Xlog:gc, Using Parallel",
    "run-master.sh, -Xlog:gc, Using Serial",
    "run-master.sh, -XX:+UseG1GC -Xlog:gc, Using G1",
  })
  void aMasterAndAWorkerRunTheSerialCollectorUnlessTheirOptionsNameAnother(
      String script, String options, String using) throws Exception {
    ScriptRun run =
        ScriptRun.of(dir, java.util.Map.of("RMIQ_JAVA_OPTS", options), script, "--version");
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains(using), run.output());
  }
}
