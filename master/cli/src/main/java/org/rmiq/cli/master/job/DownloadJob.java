package org.rmiq.cli.master.job;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.WebAddress;

/**
 * {@code download URLS}: one task per URL, read from {@code @FILE} or {@code -} (blank lines and
 * {@code #} comments skipped), or every file {@code --serve} offers. Each URL is checked before the
 * job starts, so a typo is reported with its line instead of failing on a worker.
 */
public final class DownloadJob extends JobKind {
  /** Downloads may each take a minute (the workers' own limit), so the job waits longer. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final List<String> urls;
  private final String title;

  private DownloadJob(String spec, List<String> urls, String title) {
    super(spec);
    this.urls = urls;
    this.title = title;
  }

  static DownloadJob parse(List<String> args, JobContext context) {
    if (args.isEmpty()) {
      return served(context);
    }
    String spec = args.get(0);
    if (args.size() != 1 || !InputLines.isSource(spec)) {
      throw new IllegalArgumentException(
          "job download takes one list of URLs: @FILE (one URL per line) or - (stdin), e.g."
              + " download @urls.txt; or, with --serve DIR, nothing to download every file"
              + " served");
    }
    List<String> urls = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (InputLines.Line line : InputLines.read(spec, context.sources())) {
      try {
        urls.add(WebAddress.parse(line.text()).toString());
      } catch (IllegalArgumentException e) {
        bad.add(line.where() + ": '" + shorten(line.text()) + "': " + e.getMessage());
      }
    }
    if (!bad.isEmpty() && !context.skipBadLines()) {
      throw new IllegalArgumentException(
          bad.size()
              + " line(s) of "
              + spec
              + " are not URLs that can be downloaded:\n  "
              + String.join("\n  ", bad.subList(0, Math.min(bad.size(), 20)))
              + (bad.size() > 20 ? "\n  …" : "")
              + "\nfix them, or give --skip-bad-lines to download the rest");
    }
    for (String line : bad) {
      context.warnings().accept("skipped " + line);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "no URLs to download in "
              + spec
              + (bad.isEmpty() ? "" : " (all " + bad.size() + " line(s) were skipped)"));
    }
    String skipped = bad.isEmpty() ? "" : " (" + bad.size() + " bad line(s) skipped)";
    return new DownloadJob(
        "download " + spec, urls, "download " + urls.size() + " URL(s)" + skipped);
  }

  static DownloadJob described(String spec) {
    return new DownloadJob(spec, List.of(), spec);
  }

  private static DownloadJob served(JobContext context) {
    if (context.served() == null) {
      throw new IllegalArgumentException(
          "job download needs its URLs: @FILE (one per line) or - (stdin); or give --serve DIR"
              + " to download every file the master serves");
    }
    List<String> urls;
    try {
      urls = context.served().urls();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--serve: cannot list the files served: " + e.getMessage(), e);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "--serve: the folder has no files to download (hidden files and links are not"
              + " served); put some files in it");
    }
    return new DownloadJob("download", urls, "download the " + urls.size() + " file(s) served");
  }

  private static String shorten(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  String taskKind() {
    return "download";
  }

  @Override
  List<String> inputs() {
    return urls;
  }

  @Override
  String success(TaskOutcome o) {
    return o.input()
        + " -> "
        + o.value()
        + " ("
        + o.details().get("bytes")
        + " bytes"
        + (o.details().containsKey("collected")
            ? ", collected as " + o.details().get("collected")
            : "")
        + ")";
  }

  @Override
  public List<String> detailColumns() {
    return List.of("bytes", "sha256", "httpStatus", "contentType", "finalUrl", "collected");
  }

  @Override
  public Duration defaultTimeout() {
    return TIMEOUT;
  }
}
