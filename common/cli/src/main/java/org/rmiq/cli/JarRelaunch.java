package org.rmiq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar rmiq-worker.jar HOST:PORT}, as the join page has a student type it, joins in
 * about four fifths of the time when the jar runs itself again in a second JVM with what the
 * scripts give theirs: a class-data archive (AppCDS) of the classes a join loads, the serial
 * collector and {@code scripts/jvm.flags} (BENCHMARKS.md, "java -jar with its archive"). JDK 17
 * reads none of these from a jar, and a plain JVM loads and verifies every class of a join from the
 * jar.
 *
 * <p>Only a plain start is run again: a JVM given any option (on its command line, in {@code
 * JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS}) runs as it was asked, as does every start with
 * {@code RMIQ_CDS=off}, without a private cache folder ({@link ClassDataCache}), or where Java does
 * not report a process's arguments (Windows). The first JVM then only waits: the second inherits
 * its terminal, so a typed class code, Ctrl-C (which a terminal sends to both) and the output are
 * the second JVM's; a SIGTERM to the first is passed on, the first exits with the second's exit
 * code, and the second stops at once should the first be killed. With no archive yet, the run makes
 * one as it exits (once, ~1.3 s more here), kept only if the worker joined a master.
 */
public final class JarRelaunch {
  /** Set in the second JVM: the first one's PID. */
  static final String LAUNCHER_PID = "rmiq.launcher.pid";

  /**
   * Set by {@code run-worker.sh}: its JVM has its options already, and need not ask the system for
   * its command line (the first use of {@code ProcessHandle} costs a few milliseconds of a start).
   */
  static final String SCRIPT = "rmiq.script";

  /** Set in a training run: the file to make once the worker joined. */
  static final String JOINED_MARKER = "rmiq.classdata.joined";

  private JarRelaunch() {}

  /**
   * In a plain {@code java -jar} start, runs the jar again in a second JVM and exits with its exit
   * code; otherwise returns at once.
   *
   * @param heap the maximum heap to give it (the scripts' {@code -Xmx})
   */
  public static void ifPlainJar(String[] args, String heap) {
    Map<String, String> env = System.getenv();
    if (System.getProperty(LAUNCHER_PID) != null
        || System.getProperty(SCRIPT) != null
        || "off".equals(env.get("RMIQ_CDS"))
        || !blank(env.get("JAVA_TOOL_OPTIONS"))
        || !blank(env.get("JDK_JAVA_OPTIONS"))) {
      return;
    }
    Path jar = plainJar(args);
    ClassDataCache cache = jar == null ? null : ClassDataCache.of(env, jar).orElse(null);
    if (cache == null) {
      return;
    }
    // Until the second JVM starts, no lambda and no "+" on strings: each starts method-handle
    // machinery, tens of milliseconds of a plain JVM's time before the second one can start.
    long pid = ProcessHandle.current().pid();
    boolean training = !cache.fresh();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (training) {
      cache.sweep(10);
      command.add("-XX:ArchiveClassesAtExit=".concat(cache.training(pid).toString()));
      command.add(property(JOINED_MARKER, cache.joinedMarker(pid).toString()));
    } else {
      command.add("-XX:SharedArchiveFile=".concat(cache.archive().toString()));
      command.add("-Xshare:auto"); // a broken or foreign archive: start without it
    }
    command.add("-Xlog:cds=off");
    command.add("-Xlog:cds+dynamic=off");
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx".concat(heap));
    command.addAll(scriptFlags());
    command.add(property(LAUNCHER_PID, Long.toString(pid)));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process child;
    try {
      child = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException | RuntimeException e) {
      return; // runs here, as it always did
    }
    System.exit(await(child, training ? cache : null, pid));
  }

  private static String property(String name, String value) {
    return "-D".concat(name).concat("=").concat(value);
  }

  /** The jar this JVM runs, when it is exactly {@code java -jar JAR args}; else null. */
  private static Path plainJar(String[] args) {
    String[] arguments = ProcessHandle.current().info().arguments().orElse(null);
    String classPath = System.getProperty("java.class.path", "");
    if (arguments == null // a platform that does not say (Windows)
        || arguments.length != args.length + 2
        || !arguments[0].equals("-jar")
        || !arguments[1].equals(classPath) // java -jar sets the class path to the jar alone
        || !classPath.endsWith(".jar")) {
      return null; // JVM options were given
    }
    Path jar = Path.of(classPath);
    return Files.isRegularFile(jar) ? jar : null;
  }

  /** The lines of {@code scripts/jvm.flags} (copied into the jar by the build) as options. */
  static List<String> scriptFlags() {
    List<String> flags = new ArrayList<>();
    try (InputStream in = JarRelaunch.class.getResourceAsStream("jvm.flags")) {
      if (in == null) {
        return flags;
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          flags.add("-XX:".concat(line.strip()));
        }
      }
    } catch (IOException e) {
      flags.clear(); // the JDK's defaults then
    }
    return flags;
  }

  /** Waits for the second JVM; a SIGTERM or SIGHUP here is passed on, and its code is ours. */
  private static int await(Process child, ClassDataCache training, long pid) {
    // A terminal's Ctrl-C reaches both JVMs: the second decides what it means (stop gracefully,
    // or at once on the second press); this one keeps waiting for it.
    Signals.ignore("INT");
    Ending ending = new Ending(child, training, pid);
    Runtime.getRuntime().addShutdownHook(new Thread(ending, "rmiq-launcher-stop"));
    int code = waitFor(child);
    ending.finish();
    return code;
  }

  /** The first JVM's shutdown (a signal, or its own exit): the second stops, then this one. */
  private static final class Ending implements Runnable {
    private final Process child;
    private final ClassDataCache training;
    private final long pid;
    private boolean finished;

    Ending(Process child, ClassDataCache training, long pid) {
      this.child = child;
      this.training = training;
      this.pid = pid;
    }

    @Override
    public void run() {
      child.destroy(); // SIGTERM: it stops gracefully
      int code = waitFor(child);
      finish();
      Runtime.getRuntime().halt(code);
    }

    /** Once; a second caller waits until the first is done (the hook halts right after). */
    synchronized void finish() {
      if (training != null && !finished) {
        finished = true;
        training.finishTraining(pid);
      }
    }
  }

  private static int waitFor(Process child) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return child.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * In the second JVM: stops it at once should the first one be killed (a SIGKILL cannot be passed
   * on), as killing the worker would have. Does nothing in any other JVM.
   */
  public static void watchLauncher() {
    String launcher = System.getProperty(LAUNCHER_PID);
    if (launcher == null) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(launcher);
    } catch (NumberFormatException e) {
      return;
    }
    Thread watch =
        new Thread(
            () -> {
              // the handle knows the process's start time: a reused PID is not mistaken for it;
              // made here, as ProcessHandle's first use costs a few milliseconds of the main thread
              Optional<ProcessHandle> first = ProcessHandle.of(pid);
              while (first.isPresent() && first.get().isAlive()) {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
              Runtime.getRuntime().halt(1);
            },
            "rmiq-launcher-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /**
   * In a training run whose worker joined a master: the launcher keeps the archive this JVM makes
   * as it exits.
   *
   * @return true the first time in a training run (say it: the exit takes a few seconds more)
   */
  public static boolean keepTraining() {
    String marker = System.getProperty(JOINED_MARKER);
    if (marker == null) {
      return false;
    }
    try {
      Files.createFile(Path.of(marker));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false; // kept already
    } catch (IOException e) {
      return false; // not kept: the next start trains again
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
