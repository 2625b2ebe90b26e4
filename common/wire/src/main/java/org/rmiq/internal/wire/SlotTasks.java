package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.util.List;

/**
 * Tasks handed to one session of the link, under lease.
 *
 * @param sessionId the session
 * @param tasks its new tasks
 */
public record SlotTasks(String sessionId, List<Task> tasks) {

  public SlotTasks {
    Texts.checkShort("session id", sessionId);
    tasks = List.copyOf(tasks);
  }

  void write(Packer out) {
    out.text(sessionId).list(tasks, Task::write);
  }

  static SlotTasks read(Unpacker in) throws InvalidObjectException {
    return new SlotTasks(in.text(Texts.MAX_SHORT), in.list(ExchangeRequest.MAX_TASKS, Task::read));
  }
}
