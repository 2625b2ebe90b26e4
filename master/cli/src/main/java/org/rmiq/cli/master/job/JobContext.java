package org.rmiq.cli.master.job;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a job's words are read against: where its files come from, the random numbers of the demo,
 * the job flags that shape its tasks, the files {@code --serve} offers, and how compiled code is
 * offered to workers.
 *
 * @param sources where {@code @FILE}, {@code -} and source files are read
 * @param random the classic demo's numbers
 * @param chunks how many tasks {@code sum} and {@code wordcount} split their input into
 * @param skipBadLines whether a download list's malformed lines are skipped instead of refusing
 * @param served the URLs of the files {@code --serve} offers; null when nothing is served
 * @param warnings where skipped lines and similar notes go
 * @param code offers a compiled one-file kind to workers; null where code cannot be shipped
 */
public record JobContext(
    Sources sources,
    Random random,
    int chunks,
    boolean skipBadLines,
    ServedFiles served,
    Consumer<String> warnings,
    CodeShipper code) {

  static final int DEFAULT_CHUNKS = 8;

  /** The URLs of the files the master serves. */
  public interface ServedFiles {
    List<String> urls() throws IOException;
  }

  /** Offers a jar of task handlers to workers that accept code; returns its SHA-256. */
  public interface CodeShipper {
    String offer(String name, byte[] jar, List<String> kinds);
  }

  public JobContext {
    if (chunks < 1 || chunks > 100_000) {
      throw new IllegalArgumentException("--chunks " + chunks + " must be 1..100000");
    }
  }
}
