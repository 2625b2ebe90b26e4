package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * A job submitted to a session master from another machine: its words as typed (options included),
 * and the contents of the files and standard input they name, read on the submitter's machine.
 *
 * @param words the job and its options, e.g. {@code --max-attempts 2 square @numbers.txt}
 * @param attachments what {@code @FILE} and {@code -} in the words name
 */
public record JobRequest(List<String> words, List<Attachment> attachments) implements Serializable {
  /** The most bytes all attachments of one job may hold (one call carries them all). */
  public static final int MAX_ATTACHED_BYTES = 3 << 20;

  public JobRequest {
    words = List.copyOf(words);
    if (words.size() > 256) {
      throw new IllegalArgumentException("a job of " + words.size() + " words");
    }
    attachments = List.copyOf(attachments);
    long bytes = 0;
    for (Attachment a : attachments) {
      bytes += a.content().length;
    }
    if (bytes > MAX_ATTACHED_BYTES) {
      throw new IllegalArgumentException(
          "the job's input files hold "
              + bytes
              + " bytes; one submission carries at most "
              + MAX_ATTACHED_BYTES
              + " (3 MiB): split the job, or run it at the master's own prompt");
    }
  }

  /**
   * A file (or standard input) a job's words name.
   *
   * @param name the word that names it: {@code @numbers.txt} or {@code -}
   * @param content its bytes
   */
  public record Attachment(String name, byte[] content) {
    public Attachment {
      Texts.checkShort("attachment name", name);
      if (content == null) {
        throw new IllegalArgumentException("an attachment without content");
      }
    }

    void write(Packer out) {
      out.text(name).blob(content);
    }

    static Attachment read(Unpacker in) throws InvalidObjectException {
      return new Attachment(in.text(Texts.MAX_SHORT), in.blob(MAX_ATTACHED_BYTES));
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.JOB_REQUEST, out -> out.texts(words).list(attachments, Attachment::write));
  }

  static JobRequest read(Unpacker in) throws InvalidObjectException {
    return new JobRequest(in.texts(256, 4096), in.list(64, Attachment::read));
  }
}
