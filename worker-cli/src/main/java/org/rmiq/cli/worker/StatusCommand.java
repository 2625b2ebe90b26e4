package org.rmiq.cli.worker;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rmiq.cli.VersionProvider;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.StatusReport;
import org.rmiq.worker.MasterCallException;
import org.rmiq.worker.MasterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rmiq-status.sh HOST:PORT}: print what a master is doing, as tables, and exit. */
@Command(
    name = "rmiq-status.sh",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Asks the rmiq master at HOST:PORT (with the workers' token) for its queue"
          + " depths, workers and latest results, prints them and exits.",
      ""
    },
    footer = {
      "",
      "Token: --token-file, else RMIQ_TOKEN, else this machine's class token.",
      "Exit codes: 0 printed; 2 bad usage; 3 the master refused the token; 4 the master",
      "could not be reached."
    })
public final class StatusCommand implements Callable<Integer> {
  @Mixin MasterAccess access = new MasterAccess();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public StatusCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    ClientProfile profile;
    try {
      profile = access.profile(env, err, "rmiq-status");
    } catch (IllegalArgumentException e) {
      err.println("rmiq-status: " + e.getMessage());
      return 2;
    }
    try {
      print(MasterStatus.fetch(profile));
      return 0;
    } catch (MasterCallException e) {
      err.println("rmiq-status: " + e.getMessage());
      return MasterStatus.exitCode(e);
    }
  }

  private void print(StatusReport s) {
    out.printf(
        "master %s: %s, up %d s%n",
        access.address,
        s.phase() == org.rmiq.internal.wire.MasterPhase.FINISHED ? "job finished" : "running",
        s.uptimeMillis() / 1000);
    out.printf(
        "tasks: %d submitted, %d done, %d failed, %d pending, %d running on workers;"
            + " %.1f tasks/s; %d duplicate result(s) discarded; %d refused connection(s)%n",
        s.submitted(),
        s.succeeded() + s.failed(),
        s.failed(),
        s.pending(),
        s.leased(),
        s.tasksPerSecond(),
        s.duplicates(),
        s.refusedConnections());
    out.println();
    out.printf(
        "%-28s %-16s %-9s %7s %8s %7s %8s %9s %10s%n",
        "WORKER", "HOST", "STATE", "THREADS", "DONE", "FAILED", "TASKS/S", "MEAN MS", "LAST SEEN");
    for (StatusReport.WorkerStatus w : s.workers()) {
      out.printf(
          "%-28s %-16s %-9s %7d %8d %7d %8.1f %9.1f %8.1f s%n",
          w.name(),
          w.host(),
          w.connected() ? "connected" : "gone",
          w.threads(),
          w.done(),
          w.failed(),
          w.tasksPerSecond(),
          w.meanMillis(),
          w.lastSeenMillisAgo() / 1000.0);
    }
    if (!s.failures().isEmpty()) {
      out.println();
      out.println("LATEST FAILURES");
      for (StatusReport.RecentResult r : s.failures()) {
        out.printf("  #%d %s %s: %s (%s)%n", r.id(), r.kind(), r.input(), r.text(), r.worker());
      }
    }
  }
}
