package org.rmiq.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.TaskOutcome;

/**
 * The first half of an exchange: which of a link's results count. A result counts only from the
 * session that was handed its task; one for a task collected already is late (discarded, counted),
 * one from any other session is forged (refused, counted, its sender named). Counting results go to
 * the {@link TaskBoard}; each live session's slot also says it is alive, which kinds it runs and
 * which code it holds, and what it delivered earns it room ({@link LeasePolicy#delivered}). Not
 * thread-safe: the dispatcher calls it under its lock.
 */
final class ResultFence {
  private ResultFence() {}

  /**
   * What an exchange collected, before its hand-out.
   *
   * @param outcomes tasks collected by these results (to journal, then to their jobs)
   * @param forged results refused as not this session's task, with the sender in {@code forgedBy}
   * @param late results for tasks collected already, with the last sender in {@code lateBy}
   */
  record Collected(
      List<TaskOutcome> outcomes, long forged, String forgedBy, long late, String lateBy) {}

  /** Applies the link's slots at {@code now}. */
  static Collected apply(
      Registry.LinkRec link, List<Slot> slots, Registry registry, TaskBoard board, long now) {
    List<TaskOutcome> outcomes = new ArrayList<>();
    long refused = 0;
    String forgedBy = null;
    long late = 0;
    String lateBy = null;
    for (Slot slot : slots) {
      Registry.SessionRec live = link.sessions.get(slot.sessionId());
      if (live != null) {
        told(live, slot, registry, now);
      }
      boolean otherLinks = live == null && registry.sessions.containsKey(slot.sessionId());
      int dupes = 0;
      int accepted = 0;
      for (TaskResult result : slot.results()) {
        TaskEntry entry = board.get(result.taskId());
        if (entry == null && !board.neverHandedOut(result.taskId())) {
          dupes++;
        } else if (entry == null || otherLinks || !entry.heldBy(slot.sessionId())) {
          refused++;
          forgedBy =
              (live != null ? live.row.name : "a session it never joined")
                  + " ("
                  + link.address.getHostAddress()
                  + ")";
        } else {
          if (!result.declined()) {
            accepted++; // a refusal is no delivered work
          }
          TaskOutcome outcome = board.complete(entry, result, entry.holder(slot.sessionId()), now);
          if (outcome != null) {
            outcomes.add(outcome);
          }
        }
      }
      if (dupes > 0) {
        late += dupes;
        String retired = registry.retiredName(slot.sessionId());
        lateBy = live != null ? live.row.name : retired != null ? retired : "a worker that left";
      }
      if (live != null) {
        LeasePolicy.delivered(live, accepted, now); // what it claims or forges earns nothing
      }
    }
    return new Collected(outcomes, refused, forgedBy, late, lateBy);
  }

  /** What a live session's slot says of it besides results: it is alive, its kinds, its code. */
  private static void told(Registry.SessionRec live, Slot slot, Registry registry, long now) {
    live.row.lastSeen = now;
    if (slot.kinds() != null) {
      live.kinds = Set.copyOf(slot.kinds());
      registry.sessionsChanged();
    }
    if (slot.code() != null) {
      live.code = Set.copyOf(slot.code());
    }
  }
}
