package org.rmiq.cli.master.session;

import java.util.List;
import java.util.Locale;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.master.WorkerSummary;
import org.rmiq.report.JobProgress;
import org.rmiq.util.Printable;

/**
 * The prompt's commands besides jobs: {@code jobs}, {@code status}, {@code cancel N}, {@code help}.
 */
final class PromptCommands {
  private final Master master;
  private final JobQueue queue;
  private final Console console;
  private final String address;

  PromptCommands(Master master, JobQueue queue, Console console, String address) {
    this.master = master;
    this.queue = queue;
    this.console = console;
    this.address = address;
  }

  void help() {
    var out = console.out();
    out.println("Type a job as on the command line, with its options, e.g.");
    out.println("  square 1..1000 --out squares.csv");
    out.println("Jobs run one after another; the prompt stays live while they run.");
    out.println("Jobs:");
    JobKinds.USAGE.forEach(out::println);
    out.println("Job options: " + String.join(", ", JobOptions.names()));
    out.println("Commands:");
    out.println("  jobs        every job of this session: state, counts, work time, as typed");
    out.println("  status      the workers and what they did");
    out.println("  cancel N    cancel job N, queued or running (its tasks are withdrawn)");
    out.println("  help        this text");
    out.println("  quit        end the session (Ctrl-C with no job running does too;");
    out.println("              Ctrl-C while a job runs cancels that job)");
    out.println("Others submit jobs with: scripts/rmiq-submit.sh " + address + " JOB");
  }

  void jobs() {
    List<Job> all = master.jobs();
    var out = console.out();
    if (all.isEmpty()) {
      out.println("no jobs yet");
      return;
    }
    out.printf(
        "%4s  %-9s %8s %8s %8s %9s %8s %9s  %s%n",
        "job", "state", "tasks", "ok", "failed", "cancelled", "missing", "work s", "as typed");
    for (Job job : all) {
      JobProgress p = job.progress();
      String from = queue.studentAddress(job);
      out.printf(
          "%4d  %-9s %8d %8d %8d %9d %8d %9.2f  %s%s%n",
          job.id(),
          job.state().name().toLowerCase(Locale.ROOT),
          p.submitted(),
          p.succeeded(),
          p.failed(),
          p.cancelled(),
          p.missing(),
          p.work().toNanos() / 1e9,
          Printable.of(job.spec().spec(), 200),
          from == null ? "" : "  (student at " + from + ")");
    }
  }

  void status() {
    var p = master.progress();
    var out = console.out();
    out.printf(
        "%d worker(s) connected; %d task(s) waiting, %d running; %d done, %d failed, %d cancelled"
            + " in all%n",
        p.workersConnected(), p.pending(), p.leased(), p.succeeded(), p.failed(), p.cancelled());
    Job now = queue.current();
    if (now != null) {
      out.println("  running: job " + now.id() + " " + Printable.of(now.spec().spec(), 200));
    }
    int waiting = queue.waiting().size();
    if (waiting > 0) {
      out.println("  queued: " + waiting + " job(s)");
    }
    for (WorkerSummary w : master.workers()) {
      out.printf(
          "  %-30s %-9s %8d done %6d failed%n",
          Printable.of(w.name(), 30),
          w.connected() ? "connected" : "left",
          w.succeeded(),
          w.failed());
    }
    master.notices().forEach(n -> out.println("  " + Printable.of(n)));
  }

  void cancel(List<String> words) {
    var err = console.err();
    long id;
    try {
      if (words.size() != 2) {
        throw new NumberFormatException();
      }
      id = Long.parseLong(words.get(1));
    } catch (NumberFormatException e) {
      err.println("run-master: cancel takes a job number, e.g. cancel 3 (jobs lists them)");
      return;
    }
    for (Job job : master.jobs()) {
      if (job.id() == id) {
        if (job.isDone()) {
          err.println("run-master: job " + id + " has ended already");
        } else {
          job.cancel("cancelled at the prompt");
          err.println("run-master: job " + id + " cancelled; its tasks were withdrawn");
        }
        return;
      }
    }
    err.println("run-master: there is no job " + id + " (jobs lists them)");
  }
}
