package org.rmiq.cli;

import java.util.Locale;
import java.util.Map;
import org.rmiq.util.OutOfMemory;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * What every rmiq command sets up first: its logging ({@link ConsoleLogProvider}), how it changes
 * each {@link Setting} (its flags and scripts, which the engines' messages then name: "…
 * (--max-bytes)"), and what happens when the heap runs out (one sentence, then exit {@value
 * #OUT_OF_MEMORY}: never a half-alive process).
 */
public final class CliSettings {
  /** The exit code of a command that ran out of memory. */
  public static final int OUT_OF_MEMORY = 6;

  private CliSettings() {}

  /** Installs the flag names and the out-of-memory rule for the command called {@code program}. */
  public static void install(String program) {
    // Logging set up by rmiq's own SLF4J binding (ConsoleLogProvider), not found by a scan; a
    // -D on the command line still wins. WARN: else SLF4J says which binding it loaded.
    System.getProperties().putIfAbsent("slf4j.provider", ConsoleLogProvider.class.getName());
    System.getProperties().putIfAbsent("slf4j.internal.verbosity", "WARN");
    installNames();
    OutOfMemory.onOutOfMemory((where, e) -> outOfMemory(program, where));
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError) {
            outOfMemory(program, "thread " + thread.getName());
          } else {
            System.err.println(
                program + ": unexpected error in thread " + thread.getName() + ": " + e);
          }
        });
  }

  /** Says why the process stops, and how to give it more memory, then stops it at once. */
  private static void outOfMemory(String program, String where) {
    System.err.printf(
        Locale.ROOT,
        "%s: ran out of memory in %s (heap %.1f GiB); stopping rather than running half alive."
            + " Start it with a bigger heap, e.g. RMIQ_JAVA_OPTS=-Xmx%dg%n",
        program,
        where,
        Runtime.getRuntime().maxMemory() / (double) (1L << 30),
        Math.max(2, Runtime.getRuntime().maxMemory() / (1L << 30) * 2));
    System.err.flush();
    Runtime.getRuntime().halt(OUT_OF_MEMORY);
  }

  private static void installNames() {
    SettingNames.use(
        Map.ofEntries(
            Map.entry(
                Setting.HEAP,
                "a bigger heap (e.g. RMIQ_JAVA_OPTS=-Xmx%dg scripts/run-master.sh …)"),
            Map.entry(Setting.JOURNAL, "--journal FILE"),
            Map.entry(Setting.COLLECT, "--collect DIR"),
            Map.entry(Setting.COLLECT_MAX_BYTES, "--collect-max-bytes"),
            Map.entry(Setting.COLLECT_MAX_TOTAL, "--collect-max-total"),
            Map.entry(Setting.REPLICAS, "--replicas"),
            Map.entry(Setting.MASTER_PLUGINS, "--plugins DIR on the master"),
            Map.entry(Setting.WORKER_PLUGINS, "--plugins DIR"),
            Map.entry(Setting.ACCEPT_CODE, "--accept-code-from FINGERPRINT"),
            Map.entry(Setting.THREADS, "--threads"),
            Map.entry(Setting.CONNECT_TIMEOUT, "--connect-timeout"),
            Map.entry(Setting.DOWNLOADS, "--downloads"),
            Map.entry(Setting.DOWNLOAD_TIMEOUT, "--download-timeout"),
            Map.entry(Setting.MAX_BYTES, "--max-bytes"),
            Map.entry(Setting.DOWNLOAD_DIR, "--download-dir"),
            Map.entry(Setting.ALLOW_PRIVATE_ADDRESSES, "--allow-private-addresses"),
            Map.entry(Setting.INSECURE_PLAINTEXT, "--insecure-plaintext"),
            Map.entry(Setting.TEACHER_KEY_FILE, "--teacher-key-file FILE"),
            Map.entry(Setting.NEW_TEACHER_KEY, "--new-teacher-key"),
            Map.entry(Setting.MASTER_PROGRAM, "run-master.sh"),
            Map.entry(Setting.SUBMITTER, "rmiq-submit.sh")));
  }
}
