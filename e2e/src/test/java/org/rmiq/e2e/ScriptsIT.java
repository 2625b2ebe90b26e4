package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every script the README names starts its program: {@code --help} exits 0 with the usage, so a
 * renamed class or a moved jar fails here rather than in front of a class.
 */
class ScriptsIT {
  @TempDir Path dir;

  record Run(int exit, String output) {}

  private Run run(String script, String... args) throws Exception {
    Path path = Path.of(System.getProperty("rmiq.scripts", "../scripts"), script);
    Path output = dir.resolve(script + ".out");
    List<String> command = new ArrayList<>(List.of("bash", path.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder
        .environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(180, TimeUnit.SECONDS), script + " hung");
      return new Run(process.exitValue(), Files.readString(output));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly); // by PID, never by name
      process.destroyForcibly();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "run-master.sh, Usage: run-master.sh",
    "run-worker.sh, Usage: run-worker.sh",
    "rmiq-submit.sh, Usage: rmiq-submit.sh",
    "rmiq-status.sh, Usage: rmiq-status.sh",
    "run-experiment.sh, Usage: run-experiment.sh",
    "lab-web-server.sh, scripts/lab-web-server.sh [PORT]",
    "run-demo.sh, run-demo.sh",
  })
  void helpExitsZeroWithTheUsage(String script, String usage) throws Exception {
    Run run = run(script, "--help");
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains(usage), run.output());
    assertFalse(run.output().contains("Exception"), run.output());
  }

  @ParameterizedTest
  @CsvSource({"abc", "70000"})
  void theLabWebServerNamesABadPortWithoutAStackTrace(String port) throws Exception {
    Run run = run("lab-web-server.sh", port);
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("'" + port + "' is not a port"), run.output());
    assertFalse(run.output().contains("Exception"), run.output());
  }
}
