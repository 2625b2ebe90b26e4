package org.rmiq.cli.master.follow;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rmiq.report.JobProgress;

/**
 * Shows a job's progress while it runs: a live progress bar (done/total, rate, ETA, workers,
 * failures) on a terminal, or a plain line every few seconds in logs and CI.
 */
public interface ProgressView extends AutoCloseable {
  /** Called often; each view decides how often to draw. */
  void update(JobProgress progress);

  @Override
  void close();

  static ProgressView create(boolean terminal, PrintStream err, long total) {
    return terminal && err instanceof BarSafeStream safe ? new Bar(safe, total) : new Lines(err);
  }

  /**
   * The terminal's standard error while a bar may be on it: anything else written (a log line, a
   * notice) first clears the bar's line, so lines never land on the bar; the bar redraws below.
   */
  public final class BarSafeStream extends PrintStream {
    private final PrintStream terminal;
    private volatile boolean barShown;

    public BarSafeStream(PrintStream terminal) {
      super(new Forward(terminal), true, StandardCharsets.UTF_8);
      this.terminal = terminal;
    }

    /** Draws the bar over its own line. */
    synchronized void drawBar(String rendered) {
      terminal.print('\r' + rendered);
      terminal.flush();
      barShown = true;
    }

    /** Ends the bar's line, so what follows starts on a new one. */
    synchronized void endBar() {
      if (barShown) {
        terminal.println();
        barShown = false;
      }
    }

    private synchronized void clearBar() {
      if (barShown) {
        terminal.print("\r\033[2K");
        barShown = false;
      }
    }

    @Override
    public synchronized void write(int b) {
      clearBar();
      super.write(b);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      clearBar();
      super.write(buf, off, len);
    }

    private static final class Forward extends OutputStream {
      private final PrintStream to;

      Forward(PrintStream to) {
        this.to = to;
      }

      @Override
      public void write(int b) {
        to.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        to.write(b, off, len);
      }

      @Override
      public void flush() {
        to.flush();
      }
    }
  }

  /** The progress bar library's bar, drawn through a {@link BarSafeStream}. */
  final class Bar implements ProgressView {
    private final ProgressBar bar;
    private final BarSafeStream err;

    Bar(BarSafeStream err, long total) {
      this.err = err;
      bar =
          new ProgressBarBuilder()
              .setTaskName("rmiq")
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .setConsumer(
                  new ProgressBarConsumer() {
                    @Override
                    public int getMaxRenderedLength() {
                      return 100;
                    }

                    @Override
                    public void accept(String rendered) {
                      err.drawBar(rendered);
                    }

                    @Override
                    public void close() {
                      err.endBar();
                    }
                  })
              .build();
    }

    @Override
    public void update(JobProgress p) {
      bar.maxHint(p.submitted());
      bar.stepTo(p.collected());
      // The library puts the extra message right after the speed: start it with a separator.
      bar.setExtraMessage(" | " + p.workersConnected() + " worker(s), " + p.failed() + " failed");
    }

    @Override
    public void close() {
      bar.close();
      err.endBar();
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
    public void update(JobProgress p) {
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
