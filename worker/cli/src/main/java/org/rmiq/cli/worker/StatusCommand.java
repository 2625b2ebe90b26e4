package org.rmiq.cli.worker;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.MasterAccess;
import org.rmiq.client.MasterCallException;
import org.rmiq.client.MasterClient;
import org.rmiq.report.StatusReport;
import org.rmiq.util.Printable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rmiq-status.sh HOST:PORT}: print what a master is doing, as tables, and exit. */
public final class StatusCommand implements Callable<Integer> {
  private static final List<String> DESCRIPTION =
      List.of(
          "Asks the rmiq master at HOST:PORT (with the workers' token) for its queue"
              + " depths, workers and latest results, prints them and exits.",
          "");

  private static final List<String> FOOTER =
      List.of(
          "",
          "Token: --token-file, else RMIQ_TOKEN, else this machine's class token.",
          "Exit codes: 0 printed; 2 bad usage; 3 the master refused the token; 4 the master",
          "could not be reached.");

  final MasterAccess access = new MasterAccess();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public StatusCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** The command line's model ({@link CommandModel}). */
  public CommandSpec model() {
    CommandSpec spec = CommandModel.command(this, "rmiq-status.sh", DESCRIPTION, FOOTER);
    access.addTo(spec);
    return spec;
  }

  @Override
  public Integer call() {
    MasterClient client;
    try {
      client = access.client(env, err, "rmiq-status").build();
    } catch (IllegalArgumentException e) {
      err.println("rmiq-status: " + e.getMessage());
      return 2;
    }
    StatusReport report;
    try {
      report = client.status();
    } catch (MasterCallException e) {
      err.println("rmiq-status: " + e.getMessage());
      return e.kind() == MasterCallException.Kind.CREDENTIAL_REFUSED ? 3 : 4;
    }
    print(report);
    return 0;
  }

  private void print(StatusReport s) {
    out.printf(
        "master %s: %s, up %d s%n",
        access.address,
        s.phase().equals("FINISHED") ? "job finished" : "running",
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
          Printable.of(w.name(), 28),
          Printable.of(w.host(), 16),
          w.connected() ? "connected" : "gone",
          w.threads(),
          w.done(),
          w.failed(),
          w.tasksPerSecond(),
          w.meanMillis(),
          w.lastSeenMillisAgo() / 1000.0);
    }
    if (!s.jobs().isEmpty()) {
      out.println();
      out.printf(
          "%4s  %-9s %8s %8s %8s %9s  %s%n",
          "JOB", "STATE", "TASKS", "OK", "FAILED", "WORK S", "SPEC");
      for (StatusReport.JobStatus j : s.jobs()) {
        out.printf(
            "%4d  %-9s %8d %8d %8d %9.2f  %s%n",
            j.id(),
            j.state(),
            j.submitted(),
            j.succeeded(),
            j.failed(),
            j.workMillis() / 1000.0,
            Printable.of(j.spec(), 200));
      }
    }
    s.notices().forEach(n -> out.println("note: " + Printable.of(n)));
    if (!s.failures().isEmpty()) {
      out.println();
      out.println("LATEST FAILURES");
      for (StatusReport.RecentResult r : s.failures()) {
        out.printf(
            "  #%d %s %s: %s (%s)%n",
            r.id(),
            r.kind(),
            Printable.of(r.input(), 200),
            Printable.of(r.text(), 200),
            Printable.of(r.worker(), 64));
      }
    }
  }
}
