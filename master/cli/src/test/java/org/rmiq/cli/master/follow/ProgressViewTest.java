package org.rmiq.cli.master.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rmiq.report.JobProgress;

/** The progress bar never shares a line with a log line, and logs get plain lines. */
class ProgressViewTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLineWrittenWhileTheBarShowsClearsTheBarsLineFirst() {
    ProgressView.BarSafeStream err = new ProgressView.BarSafeStream(terminal);
    err.drawBar("rmiq 50%");
    err.println("worker alice joined");
    assertEquals("\rrmiq 50%\r\033[2Kworker alice joined\n", written().replace("\r\n", "\n"));
  }

  @Test
  void withNoBarShownLinesPassUntouched() {
    ProgressView.BarSafeStream err = new ProgressView.BarSafeStream(terminal);
    err.println("one");
    err.endBar(); // no bar: no empty line either
    err.println("two");
    assertEquals("one\ntwo\n", written().replace("\r\n", "\n"));
  }

  @Test
  void endingTheBarEndsItsLineSoWhatFollowsStartsOnANewOne() {
    ProgressView.BarSafeStream err = new ProgressView.BarSafeStream(terminal);
    err.drawBar("rmiq 100%");
    err.endBar();
    err.println("done");
    assertEquals("\rrmiq 100%\ndone\n", written().replace("\r\n", "\n"));
  }

  @Test
  void aBarOnlyOnATerminalThroughTheSafeStream() {
    ProgressView.BarSafeStream safe = new ProgressView.BarSafeStream(terminal);
    try (ProgressView notTerminal = ProgressView.create(false, safe, 10);
        ProgressView plainStream = ProgressView.create(true, terminal, 10)) {
      assertInstanceOf(ProgressView.Lines.class, notTerminal);
      assertInstanceOf(ProgressView.Lines.class, plainStream);
    }
    try (ProgressView bar = ProgressView.create(true, safe, 10)) {
      assertInstanceOf(ProgressView.Bar.class, bar);
      bar.update(progress(10, 4, 1));
    }
    String out = written();
    assertTrue(out.endsWith("\n"), "the closed bar ends its line: " + out);
    assertTrue(out.contains("2 worker(s), 1 failed"), out);
  }

  @Test
  void plainLinesStayQuietBetweenTheirFiveSeconds() {
    ProgressView lines = ProgressView.create(false, terminal, 10);
    lines.update(progress(10, 3, 0));
    lines.update(progress(10, 9, 0));
    assertEquals("", written(), "a job shorter than five seconds prints no progress line");
  }

  private static JobProgress progress(long submitted, long collected, long failed) {
    return new JobProgress(
        submitted,
        collected - failed,
        failed,
        0,
        submitted - collected,
        0,
        2,
        true,
        Duration.ofSeconds(1),
        Duration.ZERO);
  }
}
