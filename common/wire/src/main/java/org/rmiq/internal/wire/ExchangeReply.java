package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * The master's answer to an exchange.
 *
 * @param phase where the master stands ({@code FINISHED}: a worker that exits when done may go)
 * @param tasks new tasks, per session
 * @param unknownSessions sessions the master does not know (expired, or it restarted): they must
 *     join again; their results were not collected
 * @param withdrawn tasks the worker should drop: their job was cancelled
 * @param codeVersion the version of the master's code offers
 * @param offers the master's code offers, when {@code codeVersion} differs from the worker's; else
 *     null
 */
public record ExchangeReply(
    MasterPhase phase,
    List<SlotTasks> tasks,
    List<String> unknownSessions,
    List<Long> withdrawn,
    long codeVersion,
    List<CodeOffer> offers)
    implements Serializable {

  public ExchangeReply {
    if (phase == null) {
      throw new IllegalArgumentException("an exchange reply without the master's phase");
    }
    tasks = List.copyOf(tasks);
    long count = 0;
    for (SlotTasks slot : tasks) {
      count += slot.tasks().size();
    }
    if (count > ExchangeRequest.MAX_TASKS) {
      throw new IllegalArgumentException("an exchange reply with " + count + " tasks");
    }
    unknownSessions = List.copyOf(unknownSessions);
    withdrawn = List.copyOf(withdrawn);
    offers = offers == null ? null : List.copyOf(offers);
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.EXCHANGE_REPLY,
        out -> {
          out.bool(phase == MasterPhase.FINISHED)
              .list(tasks, SlotTasks::write)
              .texts(unknownSessions)
              .longs(withdrawn)
              .i64(codeVersion)
              .bool(offers != null);
          if (offers != null) {
            out.list(offers, CodeOffer::write);
          }
        });
  }

  static ExchangeReply read(Unpacker in) throws InvalidObjectException {
    MasterPhase phase = in.bool() ? MasterPhase.FINISHED : MasterPhase.RUNNING;
    List<SlotTasks> tasks = in.list(ExchangeRequest.MAX_SESSIONS, SlotTasks::read);
    List<String> unknown = in.texts(ExchangeRequest.MAX_SESSIONS, Texts.MAX_SHORT);
    List<Long> withdrawn = in.longs(ExchangeRequest.MAX_TASKS * 10);
    long version = in.i64();
    List<CodeOffer> offers = in.bool() ? in.list(CodeOffer.MAX_OFFERS, CodeOffer::read) : null;
    return new ExchangeReply(phase, tasks, unknown, withdrawn, version, offers);
  }
}
