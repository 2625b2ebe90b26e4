package org.rmiq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the benchmark's helper processes (worker JVMs, Python) and ends them by PID. */
final class Jvms implements AutoCloseable {
  private final List<Process> started = new ArrayList<>();
  private final Path logDir;

  Jvms(Path logDir) {
    this.logDir = logDir;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code java} with the JVM flags {@code run-worker.sh} gives a worker ({@code scripts/jvm.flags}
   * and the serial collector), so the worker JVMs the benchmark starts itself run as the script's
   * do; without the flags file when the benchmark runs outside the repository.
   */
  private static List<String> javaAsTheScriptsRunIt() {
    List<String> command = new ArrayList<>(List.of(java()));
    Path flags = Path.of("scripts", "jvm.flags");
    if (Files.isRegularFile(flags)) {
      command.add("-XX:Flags=" + flags.toAbsolutePath());
    }
    command.add("-XX:+UseSerialGC");
    return command;
  }

  /** The bench jar itself (it contains the workers), for child JVMs. */
  static String classPath() {
    return System.getProperty("java.class.path");
  }

  Process start(String name, String token, List<String> command) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(logDir.resolve(name + ".out").toFile())
            .redirectError(logDir.resolve(name + ".err").toFile());
    if (token != null) {
      builder.environment().put("RMIQ_TOKEN", token);
    }
    Process p = builder.start();
    started.add(p);
    return p;
  }

  /** The PIDs of the processes it started. */
  List<Long> pids() {
    return started.stream().map(Process::pid).toList();
  }

  /** A worker JVM from the bench class path: {@code WorkerMain address args}. */
  Process worker(String name, String token, int port, String... args) throws IOException {
    List<String> command = javaAsTheScriptsRunIt();
    command.addAll(
        List.of(
            "-cp",
            classPath(),
            "org.rmiq.cli.worker.WorkerMain",
            "127.0.0.1:" + port,
            "--name",
            name,
            "-q"));
    if (Scenarios.PLAINTEXT) {
      command.add("--insecure-plaintext");
    }
    command.addAll(List.of(args));
    return start(name, token, command);
  }

  /** A JVM with many worker sessions: {@link ManyWorkers}. */
  Process manyWorkers(String name, String token, int port, int sessions) throws IOException {
    List<String> command = javaAsTheScriptsRunIt();
    command.addAll(
        List.of(
            "-Xss256k",
            "-Drmiq.bench.plaintext=" + Scenarios.PLAINTEXT,
            "-Drmiq.bench.prefetch=" + Integer.getInteger("rmiq.bench.prefetch", -1),
            "-cp",
            classPath(),
            ManyWorkers.class.getName(),
            "127.0.0.1:" + port,
            Integer.toString(sessions),
            name));
    return start(name, token, command);
  }

  /** A JVM of plain sleeping threads ({@link Sleepers}), flagged as the workers are. */
  Process sleepers(String name, int threads, long warmUpMillis, long windowMillis)
      throws IOException {
    List<String> command = javaAsTheScriptsRunIt();
    command.addAll(
        List.of(
            "-Xss256k",
            "-cp",
            classPath(),
            Sleepers.class.getName(),
            Integer.toString(threads),
            Long.toString(warmUpMillis),
            Long.toString(windowMillis)));
    return start(name, null, command);
  }

  @Override
  public void close() {
    for (Process p : started) {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // every kill is still sent below
      }
    }
    started.clear();
  }
}
