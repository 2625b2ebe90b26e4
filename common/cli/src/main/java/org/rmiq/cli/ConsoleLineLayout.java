package org.rmiq.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.TimeZone;

/**
 * A log line as {@code HH:mm:ss.SSS LEVEL message} in local time, with the stack trace of a logged
 * exception after it: what the pattern {@code %d{HH:mm:ss.SSS} %-5level %msg%n} gave. Written out
 * rather than parsed from that pattern, because Logback's {@code PatternLayout} set up its ~60
 * converters and a date formatter when a JVM started: a quarter of a worker's main thread before it
 * could join.
 */
final class ConsoleLineLayout extends LayoutBase<ILoggingEvent> {
  private final TimeZone zone;

  ConsoleLineLayout() {
    this(TimeZone.getDefault());
  }

  ConsoleLineLayout(TimeZone zone) {
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(64);
    appendTime(line, event.getTimeStamp());
    line.append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int pad = level.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)); // each of its lines ends with its own
    }
    return line.toString();
  }

  /** {@code HH:mm:ss.SSS} of {@code millis} in this JVM's time zone. */
  void appendTime(StringBuilder line, long millis) {
    long local = millis + zone.getOffset(millis);
    long ofDay = Math.floorMod(local, 86_400_000L);
    two(line, ofDay / 3_600_000).append(':');
    two(line, ofDay / 60_000 % 60).append(':');
    two(line, ofDay / 1000 % 60).append('.');
    long ms = ofDay % 1000;
    line.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10));
    line.append((char) ('0' + ms % 10));
  }

  private static StringBuilder two(StringBuilder line, long value) {
    return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
