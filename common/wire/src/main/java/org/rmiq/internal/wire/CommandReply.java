package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * The master's answer to a teacher's command from another machine (cancel a job): done, with what
 * happened, or refused, with why.
 *
 * @param refusal 0 when done, else one of {@link JobReceipt}'s reasons
 * @param message what happened or why not, in the words the master's prompt would use
 */
public record CommandReply(int refusal, String message) implements Serializable {
  static final int MAX_MESSAGE = 4096;

  public CommandReply {
    if (refusal < 0 || refusal > JobReceipt.LAST_REASON) {
      throw new IllegalArgumentException("a command reply with refusal " + refusal);
    }
    if (message == null || message.length() > MAX_MESSAGE) {
      throw new IllegalArgumentException("a command reply's message of up to 4096 characters");
    }
  }

  private Object writeReplace() {
    return Packed.of(Packed.COMMAND_REPLY, out -> out.i32(refusal).text(message));
  }

  static CommandReply read(Unpacker in) throws InvalidObjectException {
    return new CommandReply(in.i32(), in.text(MAX_MESSAGE));
  }
}
