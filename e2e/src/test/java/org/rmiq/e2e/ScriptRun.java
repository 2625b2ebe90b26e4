package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a script from {@code scripts/}, as a user starts it: bash, in a folder of the test's,
 * with this JDK first on the PATH. Every process it started is ended by PID when it returns.
 *
 * @param exit the script's exit code
 * @param output what it printed, stdout and stderr together
 */
record ScriptRun(int exit, String output) {
  static ScriptRun of(Path dir, String script, String... args) throws Exception {
    Path path = Path.of(System.getProperty("rmiq.scripts", "../scripts"), script);
    Path output = dir.resolve(script + ".out");
    List<String> command = new ArrayList<>(List.of("bash", path.toAbsolutePath().toString()));
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
      return new ScriptRun(process.exitValue(), Files.readString(output));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly); // by PID, never by name
      process.destroyForcibly();
    }
  }
}
