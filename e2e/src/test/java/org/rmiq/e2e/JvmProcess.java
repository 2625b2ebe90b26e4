package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master or worker started from its built jar as a separate JVM, with its output in files. {@link
 * #close} ends it by its PID.
 */
final class JvmProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final String name;

  private JvmProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static Path masterJar() {
    return jar("rmiq.master.jar");
  }

  static Path workerJar() {
    return jar("rmiq.worker.jar");
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          property + " = " + jar + " is not a built jar; run the" + " tests with ./mvnw verify");
    }
    return jar;
  }

  /**
   * A build started in the background of a non-interactive shell runs with SIGINT ignored, and its
   * children inherit that, so a Ctrl-C test would test nothing. coreutils' env (which execs,
   * keeping the PID) gives the JVM the default disposition back where it can.
   */
  private static final List<String> RESET_SIGINT = resetSigint();

  private static List<String> resetSigint() {
    try {
      Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").start();
      return probe.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /**
   * Starts {@code java [jvmArgs] -jar jar args} in {@code dir} ({@code java jvmArgs args} when
   * {@code jar} is null).
   *
   * @param token the RMIQ_TOKEN to give it, or null for none
   */
  static JvmProcess start(
      String name, Path dir, Path jar, String token, List<String> jvmArgs, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(RESET_SIGINT);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    if (jar != null) {
      command.add("-jar");
      command.add(jar.toString());
    }
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.remove("RMIQ_TOKEN");
    // This machine's class token lives in the test's folder, never in the user's ~/.config.
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    // One JVM per process, the PID a test signals or kills: a plain java -jar worker otherwise
    // runs itself again with its class-data archive (JarRelaunch), which ClassDataIT tests.
    env.put("RMIQ_CDS", "off");
    if (token != null) {
      env.put("RMIQ_TOKEN", token);
    }
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    builder
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    return new JvmProcess(name, builder.start(), out, err);
  }

  static JvmProcess start(String name, Path dir, Path jar, String token, String... args)
      throws IOException {
    return start(name, dir, jar, token, List.of(), args);
  }

  /**
   * Starts {@code java -jar jar args} on a pseudo-terminal, as a teacher's terminal runs it (with
   * util-linux {@code script}): what it prints, stdout and stderr together, is in both {@link
   * #stdout} and {@link #stderr}; {@link #type} types on the terminal.
   */
  static JvmProcess inTerminal(String name, Path dir, Path jar, String token, String... args)
      throws IOException {
    StringBuilder line = new StringBuilder("exec ");
    for (String word :
        concat(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()),
            List.of(args))) {
      line.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    ProcessBuilder builder =
        new ProcessBuilder("script", "-qfec", line.toString(), "/dev/null").directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("RMIQ_CDS", "off");
    env.put("RMIQ_TOKEN", token);
    env.put("TERM", "xterm-256color");
    env.put("COLUMNS", "160");
    Path both = dir.resolve(name + ".tty");
    builder.redirectOutput(both.toFile()).redirectErrorStream(true);
    return new JvmProcess(name, builder.start(), both, both);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A worker that also has the test classes (and their task kinds) on its class path. */
  static JvmProcess workerWithTestKinds(String name, Path dir, String token, String... args)
      throws IOException {
    String classPath =
        workerJar()
            + java.io.File.pathSeparator
            + Path.of(
                PoisonHandler.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<String> jvm = List.of("-cp", classPath, "org.rmiq.cli.worker.WorkerMain");
    List<String> command = new ArrayList<>(jvm);
    command.addAll(List.of(args));
    return start(name, dir, null, token, command);
  }

  /** The master's port, read from its start-up message. */
  int awaitMasterPort() {
    Pattern listening = Pattern.compile("rmiq master listening on port (\\d+)");
    String[] port = new String[1];
    await("master " + name + " to print its port")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Matcher m = listening.matcher(stderr());
              if (m.find()) {
                port[0] = m.group(1);
                return true;
              }
              if (!process.isAlive()) {
                throw new AssertionError(
                    "master exited with " + process.exitValue() + ":\n" + stderr());
              }
              return false;
            });
    return Integer.parseInt(port[0]);
  }

  /** Waits for the process to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  void awaitStderr(String text, Duration timeout) {
    try {
      await(name + " to print '" + text + "'")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> stderr().contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; its stderr:\n" + stderr(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Types a line on its standard input (a session master reads commands from it). */
  void type(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Closes its standard input, as a service manager or a closed terminal does. */
  void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  /** Sends it a signal by PID ({@code INT}, {@code TERM}, {@code STOP}, {@code CONT}). */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid() + " failed");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the process (and any children) by PID if it is still running. */
  @Override
  public void close() {
    ProcessHandle.of(process.pid())
        .ifPresent(
            handle -> {
              handle.descendants().forEach(ProcessHandle::destroyForcibly);
              handle.destroyForcibly();
            });
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the kill is sent; the test is being stopped anyway
    }
  }
}
