package org.rmiq.cli.master;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rmiq.master.Progress;

/**
 * Shows the master's progress while it collects: a live progress bar (done/total, rate, ETA,
 * workers, failures) on a terminal, or a plain line every few seconds in logs and CI.
 */
interface ProgressView extends AutoCloseable {
  /** Called often; each view decides how often to draw. */
  void update(Progress progress);

  @Override
  void close();

  static ProgressView create(boolean terminal, PrintStream err, long total) {
    return terminal ? new Bar(err, total) : new Lines(err);
  }

  /** The progress bar library's bar, on stderr. */
  final class Bar implements ProgressView {
    private final ProgressBar bar;

    Bar(PrintStream err, long total) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("rmiq")
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .build();
    }

    @Override
    public void update(Progress p) {
      bar.maxHint(p.submitted());
      bar.stepTo(p.collected());
      bar.setExtraMessage(p.workersConnected() + " worker(s), " + p.failed() + " failed");
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** A line every {@value #EVERY_MILLIS} ms, for output that is not a terminal. */
  final class Lines implements ProgressView {
    static final long EVERY_MILLIS = 5000;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastLine = System.nanoTime();
    private long lastCollected;

    Lines(PrintStream err) {
      this.err = err;
    }

    @Override
    public void update(Progress p) {
      long now = System.nanoTime();
      if ((now - lastLine) / 1_000_000 < EVERY_MILLIS || p.collected() == lastCollected) {
        return;
      }
      double rate = (p.collected() - lastCollected) / ((now - lastLine) / 1e9);
      err.printf(
          "progress: %d/%d done (%.0f%%), %.1f tasks/s, %d worker(s), %d failed,"
              + " %.0f s elapsed%n",
          p.collected(),
          p.submitted(),
          p.submitted() == 0 ? 0.0 : 100.0 * p.collected() / p.submitted(),
          rate,
          p.workersConnected(),
          p.failed(),
          (now - started) / 1e9);
      lastLine = now;
      lastCollected = p.collected();
    }

    @Override
    public void close() {}
  }
}
