package org.rmiq.cli.master.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a job's {@code @FILE}, {@code -} and source-file words are read from: this machine (the
 * one-shot master and the session's prompt), or the attachments a submitter sent along with the
 * job, read on its machine ({@code rmiq-submit.sh}). Either way the job's rules, and its messages,
 * are the same.
 */
public interface Sources {
  /**
   * The bytes a word names: {@code @FILE} a file, {@code -} standard input, any other word a file
   * of that name (a one-file kind's source).
   *
   * @throws IllegalArgumentException naming the word and the fix
   */
  byte[] read(String word);

  /** Files and standard input of this machine. */
  static Sources local(InputStream stdin) {
    return word -> {
      if (word.equals("-")) {
        try {
          return stdin.readAllBytes();
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read stdin: " + e.getMessage(), e);
        }
      }
      Path file = Path.of(word.startsWith("@") ? word.substring(1) : word);
      try {
        return Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(
            "input file "
                + file
                + " does not exist (from '"
                + word
                + "'); give an existing file"
                + (word.startsWith("@") ? " after @" : ""),
            e);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
    };
  }

  /** What a submitter attached, by the word that named it. */
  static Sources attached(Map<String, byte[]> attachments) {
    return word -> {
      byte[] content = attachments.get(word);
      if (content == null) {
        throw new IllegalArgumentException(
            "'"
                + word
                + "' was not sent with the job; give it as @FILE or - on the submitting side");
      }
      return content;
    };
  }
}
