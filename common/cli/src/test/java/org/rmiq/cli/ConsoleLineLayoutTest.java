package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class ConsoleLineLayoutTest {
  private final LoggerContext context = new LoggerContext();
  private final ConsoleLineLayout layout = new ConsoleLineLayout();

  private String line(Level level, String message, Throwable thrown, long millis) {
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(), context.getLogger("org.rmiq.test"), level, message, thrown, null);
    event.setTimeStamp(millis);
    return layout.doLayout(event);
  }

  @Test
  void aLineIsTheLocalTimeThePaddedLevelAndTheMessage() {
    long millis = 1_796_000_000_123L;
    String time =
        LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
    String nl = System.lineSeparator();
    assertEquals(
        time + " INFO  worker joined" + nl, line(Level.INFO, "worker joined", null, millis));
    assertEquals(time + " WARN  careful" + nl, line(Level.WARN, "careful", null, millis));
    assertEquals(time + " ERROR broken" + nl, line(Level.ERROR, "broken", null, millis));
  }

  @Test
  void theTimeMatchesJavaTimeAcrossAYearInZonesWithHalfHoursAndSummerTime() {
    DateTimeFormatter format = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    for (String id : List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns")) {
      ConsoleLineLayout inZone = new ConsoleLineLayout(TimeZone.getTimeZone(id));
      long start = 1_796_000_000_000L;
      for (long millis = start; millis < start + 366 * 86_400_000L; millis += 3_599_987L) {
        StringBuilder got = new StringBuilder();
        inZone.appendTime(got, millis);
        assertEquals(
            LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.of(id)).format(format),
            got.toString(),
            id + " at " + millis);
      }
    }
  }

  @Test
  void aLoggedExceptionFollowsItsLine() {
    String text = line(Level.WARN, "could not write", new IOException("disk full"), 0);
    assertTrue(text.contains(" WARN  could not write" + System.lineSeparator()), text);
    assertTrue(text.contains("java.io.IOException: disk full"), text);
    assertTrue(text.contains("at org.rmiq.cli.ConsoleLineLayoutTest"), text);
  }
}
