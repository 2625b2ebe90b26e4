package org.rmiq.master;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import org.rmiq.report.TaskOutcome;

/**
 * Delivers what the dispatcher collected, outside its lock but before the call that collected it
 * returns: outcomes to the {@link OutcomeSink} first (the journal makes them durable before the
 * worker is answered), then to their jobs; then which tasks went back to the queue and which jobs
 * ended. When the sink fails, results are refused from then on, with the reason.
 */
final class OutcomeEmitter {
  private final OutcomeSink sink;
  private final JobBook book;
  private final TaskBoard board;
  private final Lock lock;

  /** Why results are refused now (the journal failed), or null. */
  private volatile String refusing;

  OutcomeEmitter(OutcomeSink sink, JobBook book, TaskBoard board, Lock lock) {
    this.sink = sink;
    this.book = book;
    this.board = board;
    this.lock = lock;
  }

  /**
   * Emits outcomes a worker's call collected.
   *
   * @throws IllegalStateException when the sink could not record them (the worker keeps them)
   */
  void emit(List<TaskOutcome> outcomes) {
    if (!outcomes.isEmpty()) {
      try {
        sink.collected(outcomes);
      } catch (IOException e) {
        refuse("the master cannot record results: " + e.getMessage());
        throw new IllegalStateException(refusing, e);
      }
      for (TaskOutcome outcome : outcomes) {
        Job job = book.get(outcome.jobId());
        if (job != null) { // always, but for a job that ended a thousand jobs ago
          job.add(outcome);
        }
      }
    }
    Map<Long, Integer> back;
    List<Job> done;
    lock.lock();
    try {
      back = board.takeRequeued();
      done = book.takeEnded();
    } finally {
      lock.unlock();
    }
    if (!back.isEmpty()) {
      sink.requeued(back);
    }
    for (Job job : done) {
      sink.ended(job);
      job.forgetInputs(); // its tasks are all collected: a session's later jobs need the room
      job.markEnded();
    }
  }

  /** Emits outcomes the master decided itself (expiries, cancels): nobody to refuse them to. */
  void emitQuietly(List<TaskOutcome> outcomes) {
    try {
      emit(outcomes);
    } catch (IllegalStateException journalFailed) {
      // already refusing results; the master's owner was told through the sink
    }
  }

  /** From now on results are refused with {@code why} (the journal cannot record them). */
  private void refuse(String why) {
    refusing = why;
  }

  /** Why results are refused, or null while they are accepted. */
  String refusing() {
    return refusing;
  }
}
