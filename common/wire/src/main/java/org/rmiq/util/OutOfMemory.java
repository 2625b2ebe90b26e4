package org.rmiq.util;

import java.util.function.BiConsumer;

/**
 * What rmiq's long-lived threads do when the heap runs out: a master or worker that loses a thread
 * to an {@link OutOfMemoryError} but keeps its port is the worst outcome (half alive, answering
 * nobody), so each such thread reports it here. A program decides what follows: rmiq's commands
 * print one sentence and exit; by default the error is rethrown and the thread ends.
 */
public final class OutOfMemory {
  private static volatile BiConsumer<String, OutOfMemoryError> handler =
      (where, e) -> {
        throw e;
      };

  private OutOfMemory() {}

  /** Sets what happens when a thread runs out of memory (a command: say so and exit). */
  public static void onOutOfMemory(BiConsumer<String, OutOfMemoryError> whatToDo) {
    handler = whatToDo;
  }

  /**
   * Reports that {@code where} (e.g. "the connection acceptor") ran out of memory.
   *
   * @throws OutOfMemoryError when no program said otherwise
   */
  public static void report(String where, OutOfMemoryError e) {
    handler.accept(where, e);
  }
}
