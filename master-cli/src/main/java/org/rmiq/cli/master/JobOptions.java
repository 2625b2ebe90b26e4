package org.rmiq.cli.master;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The flags that shape how a job's words become tasks.
 *
 * @param chunks how many tasks {@code sum} and {@code wordcount} split their input into
 * @param skipBadLines whether a download list's malformed lines are skipped (with a warning)
 *     instead of refusing the job
 * @param served the URLs of the files {@code --serve} offers, for {@code download} without a list;
 *     null when nothing is served
 * @param warnings where skipped lines are reported
 */
record JobOptions(int chunks, boolean skipBadLines, ServedFiles served, PrintStream warnings) {

  /** The URLs of the files the master serves. */
  interface ServedFiles {
    List<String> urls() throws IOException;
  }

  static JobOptions withChunks(int chunks) {
    return new JobOptions(chunks, false, null, System.err);
  }
}
