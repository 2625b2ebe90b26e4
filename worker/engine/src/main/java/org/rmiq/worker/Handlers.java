package org.rmiq.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.Task;
import org.rmiq.worker.download.DownloadHandler;

/**
 * The task handlers a worker runs: its own (built in, from its plugins folder) and, when it accepts
 * code, those its master shipped, by the SHA-256 of their jar. A task names the jar its kind comes
 * from and runs exactly that code, so a new version of a kind never changes a job under way.
 */
final class Handlers {
  private final Map<String, TaskHandler> own;

  /** What the master shipped; null when this worker does not accept code. */
  private final ShippedCode shipped;

  Handlers(Map<String, TaskHandler> own, ShippedCode shipped) {
    this.own = Map.copyOf(own);
    this.shipped = shipped;
  }

  /** Its own handlers only (no shipped code). */
  Handlers(Map<String, TaskHandler> own) {
    this(own, null);
  }

  /**
   * The handler for {@code task}, or null when this worker cannot run it: a task that names shipped
   * code runs exactly that jar, any other the worker's own handler (never shipped code).
   */
  TaskHandler find(Task task) {
    if (task.code() != null) {
      return shipped == null || own.containsKey(task.kind())
          ? null
          : shipped.handler(task.code(), task.kind());
    }
    return own.get(task.kind());
  }

  /** Every kind it runs, sorted: its own and the shipped ones. */
  List<String> kinds() {
    Set<String> kinds = new TreeSet<>(own.keySet());
    if (shipped != null) {
      kinds.addAll(shipped.kinds());
    }
    return List.copyOf(kinds);
  }

  /** The SHA-256s of the shipped jars it has loaded. */
  List<String> loadedCode() {
    return shipped == null ? List.of() : shipped.loaded();
  }

  /** Changes whenever shipped code arrives. */
  long generation() {
    return shipped == null ? 0 : shipped.generation();
  }

  /** Its own handlers, by kind. */
  /** Lets the download handler fetch from the master's own {@code --serve} addresses. */
  void allowServed(List<String> servedHosts) {
    for (TaskHandler handler : own().values()) {
      if (handler instanceof DownloadHandler download) {
        download.allowServed(servedHosts);
      }
    }
  }

  Map<String, TaskHandler> own() {
    return own;
  }
}
