package org.rmiq.master;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rmiq.report.TaskOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the dispatcher's outcomes go: the journal first (before a worker's exchange is answered),
 * then the status views; and what an ended job frees.
 */
final class OutcomeRouter implements OutcomeSink {
  private static final Logger log = LoggerFactory.getLogger(OutcomeRouter.class);

  private final Supplier<Journal> journal;
  private final Path journalFile;
  private final Consumer<String> writeFailure;
  private final StatusTracker tracker;
  private final Runnable jobEnded;

  /**
   * @param journal the journal once it is open; null inside when the master keeps none
   * @param writeFailure told, in a sentence, when the journal cannot record results
   * @param jobEnded run when a job ends (shipped code no live job needs is dropped)
   */
  OutcomeRouter(
      Supplier<Journal> journal,
      Path journalFile,
      Consumer<String> writeFailure,
      StatusTracker tracker,
      Runnable jobEnded) {
    this.journal = journal;
    this.journalFile = journalFile;
    this.writeFailure = writeFailure;
    this.tracker = tracker;
    this.jobEnded = jobEnded;
  }

  @Override
  public void collected(List<TaskOutcome> outcomes) throws IOException {
    Journal durable = journal.get();
    if (durable != null) {
      try {
        durable.collected(outcomes); // before the worker's exchange is answered
      } catch (IOException e) {
        writeFailure.accept(
            "the journal "
                + journalFile
                + " cannot record results ("
                + e.getMessage()
                + "); what it recorded so far is safe");
        throw e;
      }
    }
    tracker.record(outcomes);
  }

  @Override
  public void requeued(Map<Long, Integer> attempts) {
    Journal durable = journal.get();
    if (durable != null) {
      try {
        durable.requeued(attempts);
      } catch (IOException e) {
        log.warn("master: {}", e.getMessage()); // the counts restart on a resume at worst
      }
    }
  }

  @Override
  public void ended(Job job) {
    jobEnded.run();
    Journal durable = journal.get();
    if (durable != null) {
      try {
        durable.ended(job.id(), job.state(), job.progress());
      } catch (IOException e) {
        log.warn("master: {}", e.getMessage());
      }
    }
  }
}
