package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.util.List;

/**
 * One worker session's part of an exchange: the results it finished since its last exchange (each
 * acknowledges its task's lease) and how many more tasks it has room for.
 *
 * @param sessionId the session
 * @param results results to collect
 * @param room how many tasks it can take now (0: none)
 * @param kinds the kinds it runs now, when they changed since it joined (code arrived); else null
 * @param code the SHA-256s of the shipped code it has loaded, when that changed; else null
 */
public record Slot(
    String sessionId, List<TaskResult> results, int room, List<String> kinds, List<String> code) {

  public Slot {
    Texts.checkShort("session id", sessionId);
    results = List.copyOf(results);
    if (room < 0 || room > ExchangeRequest.MAX_TASKS) {
      throw new IllegalArgumentException("room must be 0.." + ExchangeRequest.MAX_TASKS);
    }
    if (kinds != null) {
      kinds = List.copyOf(kinds);
      if (kinds.isEmpty() || kinds.size() > SessionRequest.MAX_KINDS) {
        throw new IllegalArgumentException(
            "a session runs 1.." + SessionRequest.MAX_KINDS + " kinds");
      }
      kinds.forEach(Task::checkKind);
    }
    if (code != null) {
      code = List.copyOf(code);
      if (code.size() > CodeOffer.MAX_OFFERS) {
        throw new IllegalArgumentException("too many code units");
      }
      code.forEach(CodeOffer::checkSha256);
    }
  }

  /** A slot with results and room, its kinds and code unchanged. */
  public Slot(String sessionId, List<TaskResult> results, int room) {
    this(sessionId, results, room, null, null);
  }

  void write(Packer out) {
    out.text(sessionId)
        .list(results, TaskResult::write)
        .i32(room)
        .textsOrNull(kinds)
        .textsOrNull(code);
  }

  static Slot read(Unpacker in) throws InvalidObjectException {
    return new Slot(
        in.text(Texts.MAX_SHORT),
        in.list(ExchangeRequest.MAX_TASKS, TaskResult::read),
        in.i32(),
        in.textsOrNull(SessionRequest.MAX_KINDS, 32),
        in.textsOrNull(CodeOffer.MAX_OFFERS, 64));
  }
}
