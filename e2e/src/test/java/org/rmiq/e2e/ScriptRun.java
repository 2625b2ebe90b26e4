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
    return of(dir, java.util.Map.of(), script, args);
  }

  /**
   * Like {@link #of(Path, String, String...)} with more environment. Class-data archives are off
   * unless {@code env} sets {@code RMIQ_CDS}: a script's background training would be ended by PID
   * with it, and would only slow the other tests down.
   */
  static ScriptRun of(Path dir, java.util.Map<String, String> env, String script, String... args)
      throws Exception {
    Path path = scripts().resolve(script);
    return run(dir, dir, env, path.toAbsolutePath().toString(), args);
  }

  /**
   * {@code bash SCRIPT ARGS} typed in the scripts folder itself: the script's own path then has no
   * folder in it, which the scripts must still find their library from.
   */
  static ScriptRun inScriptsFolder(Path dir, String script, String... args) throws Exception {
    return run(dir, scripts(), java.util.Map.of(), script, args);
  }

  private static Path scripts() {
    return Path.of(System.getProperty("rmiq.scripts", "../scripts")).toAbsolutePath();
  }

  private static ScriptRun run(
      Path dir, Path workingDir, java.util.Map<String, String> env, String script, String... args)
      throws Exception {
    Path output = dir.resolve(Path.of(script).getFileName() + ".out");
    List<String> command = new ArrayList<>(List.of("bash", script));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder
        .environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    builder.environment().put("RMIQ_CDS", "off");
    builder.environment().putAll(env);
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
