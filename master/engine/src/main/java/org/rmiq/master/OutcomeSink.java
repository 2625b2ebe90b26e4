package org.rmiq.master;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.rmiq.report.TaskOutcome;

/** Where collected outcomes go, and what the journal keeps besides. Called outside the lock. */
interface OutcomeSink {
  /** Makes outcomes durable (journal) and counts them; throws to refuse them. */
  void collected(List<TaskOutcome> outcomes) throws IOException;

  /** Tasks that went back to the queue after {@code attempts} hand-outs. */
  void requeued(Map<Long, Integer> attempts);

  /** A job finished or was cancelled. */
  void ended(Job job);

  /** Keeps nothing: for a dispatcher measured or tested on its own. */
  OutcomeSink DISCARD =
      new OutcomeSink() {
        @Override
        public void collected(List<TaskOutcome> outcomes) {}

        @Override
        public void requeued(Map<Long, Integer> attempts) {}

        @Override
        public void ended(Job job) {}
      };
}
