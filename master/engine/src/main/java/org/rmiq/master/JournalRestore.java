package org.rmiq.master;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.rmiq.report.TaskOutcome;

/** A master's start from its journal: the jobs an earlier run recorded, back in the dispatcher. */
final class JournalRestore {
  /**
   * What the journal gave back.
   *
   * @param unfinished jobs left unfinished, queued again (a one-shot or session resumes them)
   * @param outcomes results each job collected before, by job, to write first when resumed
   */
  record Restored(List<Job> unfinished, Map<Long, List<TaskOutcome>> outcomes) {}

  private JournalRestore() {}

  /** Restores every recorded job: finished ones for the record, unfinished ones queued. */
  static Restored restore(Journal journal, Dispatcher dispatcher) throws IOException {
    List<Job> unfinished = new ArrayList<>();
    Map<Long, List<TaskOutcome>> outcomes = new HashMap<>();
    for (Journal.SavedJob saved : journal.load()) {
      boolean ended = saved.pending().isEmpty();
      Job.State state =
          !ended
              ? Job.State.QUEUED
              : saved.state().equals("cancelled") ? Job.State.CANCELLED : Job.State.FINISHED;
      Job job =
          dispatcher.restore(
              saved.id(),
              saved.spec(),
              saved.pending(),
              saved.collected(),
              state,
              new LinkedBlockingQueue<>());
      if (saved.workMillis() >= 0) {
        job.saved(Duration.ofMillis(saved.workMillis()), Duration.ofMillis(saved.waitMillis()));
      }
      dispatcher.release(job, TaskEntry.of(saved.pending(), job));
      outcomes.put(saved.id(), List.copyOf(saved.collected()));
      if (!ended) {
        unfinished.add(job);
      }
    }
    return new Restored(List.copyOf(unfinished), Map.copyOf(outcomes));
  }
}
