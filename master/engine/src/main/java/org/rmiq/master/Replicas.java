package org.rmiq.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.TaskOutcome;

/**
 * The rule for jobs with replicas ({@code --replicas N}): each task runs on N different worker JVMs
 * and counts only when every copy answered; it is collected with the value when all agree, or as a
 * failure naming each worker's answer when they do not. Called under the dispatcher's lock.
 */
final class Replicas {
  private Replicas() {}

  /** What one worker's successful answer to a replicated task means. */
  sealed interface Verdict permits Collect, Wait {}

  /** Every replica answered: collect the task with this result (the value, or the disagreement). */
  record Collect(TaskResult result) implements Verdict {}

  /**
   * More answers are needed. {@code credited}: this answer counts for its worker now (only the last
   * replica's worker is credited by the collection itself); false for a second answer from the same
   * worker JVM, which is ignored.
   */
  record Wait(boolean credited) implements Verdict {}

  /** Records {@code result} from {@code by} for {@code entry}, and says what follows. */
  static Verdict answered(TaskEntry entry, TaskResult result, Registry.SessionRec by) {
    if (entry.answeredBy(by.link)) {
      return new Wait(false); // a late second answer from the same worker JVM
    }
    if (entry.answers == null) {
      entry.answers = new ArrayList<>(entry.replicas());
    }
    entry.answers.add(new TaskEntry.Answer(by, result));
    if (entry.answers.size() >= entry.replicas()) {
      return new Collect(agreed(entry, result));
    }
    return new Wait(true);
  }

  /** Whether the task still needs a copy under way on another worker JVM. */
  static boolean wantsAnotherCopy(TaskEntry entry) {
    return entry.replicas() > 1 && !entry.pending && entry.replicasUnderWay() < entry.replicas();
  }

  /** The result of a task whose replicas all answered: the last one's if all values agree. */
  private static TaskResult agreed(TaskEntry entry, TaskResult last) {
    String value = entry.answers.get(0).result().value();
    boolean same = entry.answers.stream().allMatch(a -> a.result().value().equals(value));
    if (same) {
      // Who agreed, for people reading the results: the outcome itself names the last one only.
      Map<String, String> details = new LinkedHashMap<>(last.details());
      details.put(
          TaskOutcome.AGREED,
          String.join(", ", entry.answers.stream().map(a -> a.by().row.name).toList()));
      return TaskResult.ok(entry.id(), last.value(), details, last.millis()).onLane(last.lane());
    }
    StringBuilder error = new StringBuilder("the replicas disagree:");
    for (TaskEntry.Answer a : entry.answers) {
      String answer = a.result().value();
      error
          .append(' ')
          .append(a.by().row.name)
          .append(" answered '")
          .append(answer.length() > 200 ? answer.substring(0, 200) + "…" : answer)
          .append("';");
    }
    error.setLength(error.length() - 1);
    return TaskResult.failed(entry.id(), error.toString(), false, last.millis());
  }
}
