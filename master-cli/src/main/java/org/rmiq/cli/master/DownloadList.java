package org.rmiq.cli.master;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.internal.util.WebAddress;

/**
 * The {@code download} job: one task per URL, read from {@code @FILE} or {@code -} (blank lines and
 * {@code #} comments skipped), or every file {@code --serve} offers. Each URL is checked before the
 * job starts, so a typo is reported with its line instead of failing on a worker.
 */
final class DownloadList {
  private DownloadList() {}

  /**
   * @param words the job's words after {@code download}
   * @throws IllegalArgumentException naming the bad line(s) and the fix
   */
  static Job parse(List<String> words, InputStream stdin, JobOptions options) {
    if (words.isEmpty()) {
      return served(options);
    }
    String spec = words.get(0);
    if (words.size() != 1 || !InputLines.isSource(spec)) {
      throw new IllegalArgumentException(
          "job download takes one list of URLs: @FILE (one URL"
              + " per line) or - (stdin), e.g. download @urls.txt; or, with --serve DIR, nothing to"
              + " download every file served");
    }
    List<String> urls = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (InputLines.Line line : InputLines.read(spec, stdin)) {
      try {
        urls.add(WebAddress.parse(line.text()).toString());
      } catch (IllegalArgumentException e) {
        bad.add(line.where() + ": '" + shorten(line.text()) + "': " + e.getMessage());
      }
    }
    if (!bad.isEmpty() && !options.skipBadLines()) {
      throw new IllegalArgumentException(
          bad.size()
              + " line(s) of "
              + spec
              + " are not URLs"
              + " that can be downloaded:\n  "
              + String.join("\n  ", bad.subList(0, Math.min(bad.size(), 20)))
              + (bad.size() > 20 ? "\n  …" : "")
              + "\nfix them, or give --skip-bad-lines to download the rest");
    }
    for (String line : bad) {
      options.warnings().println("run-master: skipped " + line);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "no URLs to download in "
              + spec
              + (bad.isEmpty() ? "" : " (all " + bad.size() + " line(s) were skipped)"));
    }
    String skipped = bad.isEmpty() ? "" : " (" + bad.size() + " bad line(s) skipped)";
    return new Job("download", urls, "download " + urls.size() + " URL(s)" + skipped);
  }

  private static Job served(JobOptions options) {
    if (options.served() == null) {
      throw new IllegalArgumentException(
          "job download needs its URLs: @FILE (one per line) or"
              + " - (stdin); or give --serve DIR to download every file the master serves");
    }
    List<String> urls;
    try {
      urls = options.served().urls();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--serve: cannot list the files served: " + e.getMessage(), e);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "--serve: the folder has no files to download (hidden"
              + " files and links are not served); put some files in it");
    }
    return new Job("download", urls, "download the " + urls.size() + " file(s) served");
  }

  private static String shorten(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
