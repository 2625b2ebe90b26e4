package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar rmiq-worker.jar HOST:PORT} exactly as the join page has a student type it: the
 * jar runs itself again in a second JVM with its class-data archive (JarRelaunch). The archive is
 * made by the first run that joined a master, used from then on, made again when the jar changes,
 * and a broken one never stops a start; exit codes, SIGTERM and a killed first JVM behave as for
 * one JVM.
 */
class JarRelaunchIT {
  private static final String TOKEN = "relaunch-test-token-0123456789";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @RegisterExtension final Processes processes = new Processes(TOKEN);
  @TempDir Path dir;
  private Path jar;
  private Path cache;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void copyTheJar() throws IOException {
    // a copy of its own: touching it must not make other tests' archives stale
    jar = Files.copy(JvmProcess.workerJar(), dir.resolve("rmiq-worker.jar"));
    cache = dir.resolve("cache/rmiq/class-data");
  }

  @AfterEach
  void endThem() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code java -jar <copy> args}, nothing else, as a student runs it; output in NAME.out. */
  private Process plain(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "RMIQ_CDS"));
    environment.put("RMIQ_TOKEN", TOKEN);
    environment.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    environment.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    environment.putAll(env);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private Process plain(String name, String... args) throws IOException {
    return plain(name, Map.of(), args);
  }

  private String output(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".out"));
  }

  private int exitOf(Process p, String name) throws Exception {
    assertTrue(p.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS), name + " hung: " + output(name));
    return p.exitValue();
  }

  /** The worker's own JVM: the one the first runs with -Drmiq.launcher.pid=its PID. */
  private ProcessHandle second(Process first) {
    String mark = "-Drmiq.launcher.pid=" + first.pid();
    ProcessHandle[] found = new ProcessHandle[1];
    await("the second JVM")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              found[0] =
                  first
                      .children()
                      .filter(c -> arguments(c).contains(mark))
                      .findFirst()
                      .orElse(null);
              return found[0] != null;
            });
    return found[0];
  }

  private static List<String> arguments(ProcessHandle p) {
    return p.info().arguments().map(List::of).orElse(List.of());
  }

  private List<Path> cacheFiles() throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.sorted().toList();
    }
  }

  private Path archive() throws IOException {
    return cacheFiles().stream()
        .filter(f -> f.toString().endsWith(".jsa"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no archive in " + cache));
  }

  private void awaitJoined(String name) {
    await(name + " to join")
        .atMost(Duration.ofSeconds(30))
        .until(() -> output(name).contains("joined master"));
  }

  @Test
  void theFirstRunThatJoinedMakesTheArchiveTheNextUsesItAndDiesWithItsFirstJvm() throws Exception {
    // --version: the same line as ever, and nothing kept (it never joined: too few classes)
    Process version = plain("version", "--version");
    assertEquals(0, exitOf(version, "version"), output("version"));
    assertTrue(output("version").strip().matches("rmiq \\S+, Java \\S+"), output("version"));
    assertEquals(List.of(), cacheFiles().stream().filter(f -> !Files.isDirectory(f)).toList());

    // a worker that joins and finishes: the archive is kept, and it says why its exit is slower
    JvmProcess master = processes.in(dir).master("--port", "0", "--no-status", "square", "1..50");
    int port = master.awaitMasterPort();
    Process first = plain("first", "127.0.0.1:" + port, "--exit-when-done");
    assertEquals(0, exitOf(first, "first"), output("first"));
    assertTrue(output("first").contains("saving the classes this start loaded"), output("first"));
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    Path archive = archive();
    assertTrue(Files.size(archive) > 1 << 20, archive + ": " + Files.size(archive) + " bytes");
    assertEquals(
        List.of(archive, archive.resolveSibling(archive.getFileName() + ".stamp")),
        cacheFiles(),
        "only the archive and its stamp are left");
    assertEquals("rwx------", posix(cache));

    // the next start maps it
    JvmProcess session = processes.master("--session", "--port", "0", "--no-status");
    int sessionPort = session.awaitMasterPort();
    Process next = plain("next", "127.0.0.1:" + sessionPort);
    awaitJoined("next");
    ProcessHandle worker = second(next);
    assertTrue(
        arguments(worker).contains("-XX:SharedArchiveFile=" + archive),
        arguments(worker).toString());
    // and what run-worker.sh gives its JVM: the collector, the heap, scripts/jvm.flags (from the
    // copy the build put in the jar)
    assertTrue(
        arguments(worker)
            .containsAll(
                List.of(
                    "-XX:+UseSerialGC",
                    "-Xmx512m",
                    "-XX:Tier4InvocationThreshold=50000",
                    "-XX:CompileCommand=quiet")),
        arguments(worker).toString());
    assertTrue(
        Files.readString(Path.of("/proc/" + worker.pid() + "/maps")).contains(archive.toString()),
        "the archive is not mapped");
    assertFalse(output("next").contains("saving the classes"), output("next"));

    // SIGKILL of the first JVM cannot be passed on: the second stops by itself, at once
    next.destroyForcibly();
    await("the second JVM to stop").atMost(Duration.ofSeconds(5)).until(() -> !worker.isAlive());
  }

  @Test
  void aBrokenArchiveNeverStopsAStartAChangedJarGetsANewOneAndExitCodesAndSigtermPassThrough()
      throws Exception {
    JvmProcess session = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = session.awaitMasterPort();

    // SIGTERM to the first JVM: the worker stops gracefully (exit 0) and, having joined, keeps
    // the archive it made
    Process first = plain("first", "127.0.0.1:" + port);
    awaitJoined("first");
    ProcessHandle worker = second(first);
    assertTrue(
        arguments(worker).stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")),
        "no archive yet: this run makes one " + arguments(worker));
    first.destroy();
    assertEquals(0, exitOf(first, "first"), output("first"));
    assertFalse(worker.isAlive());
    Path archive = archive();
    Path stamp = archive.resolveSibling(archive.getFileName() + ".stamp");
    String stamped = Files.readString(stamp);

    // broken (garbage under a valid stamp): the JVM starts without it, silently, and joins
    byte[] garbage = new byte[1 << 16];
    new java.util.Random(1).nextBytes(garbage);
    Files.write(archive, garbage);
    Process broken = plain("broken", "127.0.0.1:" + port);
    awaitJoined("broken");
    assertTrue(
        output("broken").lines().noneMatch(l -> l.contains("shared") || l.contains("CDS")),
        output("broken"));
    broken.destroy();
    assertEquals(0, exitOf(broken, "broken"), output("broken"));

    // the jar changes (a new download, a rebuild): the stale archive is not used, a new one made
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    Process changed = plain("changed", "127.0.0.1:" + port);
    awaitJoined("changed");
    assertTrue(
        arguments(second(changed)).stream()
            .anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")),
        "the stale archive was used");
    changed.destroy();
    assertEquals(0, exitOf(changed, "changed"), output("changed"));
    assertTrue(Files.size(archive()) > 1 << 20, "no new archive");
    assertFalse(stamped.equals(Files.readString(stamp)), "the stamp names the old jar");

    // exit codes and messages are the worker's own, as with RMIQ_CDS=off (one JVM)
    Process usage = plain("usage", "127.0.0.1:" + port, "--threads", "zero");
    Process single =
        plain("single", Map.of("RMIQ_CDS", "off"), "127.0.0.1:" + port, "--threads", "zero");
    int code = exitOf(single, "single");
    assertTrue(code != 0, output("single"));
    assertEquals(code, exitOf(usage, "usage"), output("usage"));
    assertEquals(output("single"), output("usage"));
  }

  private static String posix(Path folder) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder));
  }
}
