package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ConsoleLogProviderTest {
  @Test
  void rmiqLogsAtInfoEveryoneElseAtWarnAllToStderr() {
    ConsoleLogProvider provider = new ConsoleLogProvider();
    provider.initialize();
    LoggerContext context = (LoggerContext) provider.getLoggerFactory();
    assertTrue(context.isStarted());
    assertEquals(Level.INFO, context.getLogger("org.rmiq.worker.Worker").getEffectiveLevel());
    assertEquals(Level.WARN, context.getLogger("sun.rmi.transport").getEffectiveLevel());
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertNotNull(root.getAppender("STDERR"));
    assertNotNull(provider.getMarkerFactory());
    assertNotNull(provider.getMDCAdapter());
  }

  @Test
  void aLogbackConfigurationFileIsReadAsLogbackWouldReadIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("logback.xml");
    Files.writeString(
        file,
        "<configuration><appender name='MINE' class='ch.qos.logback.core.ConsoleAppender'>"
            + "<encoder><pattern>%msg%n</pattern></encoder></appender>"
            + "<root level='DEBUG'><appender-ref ref='MINE'/></root></configuration>");
    System.setProperty("logback.configurationFile", file.toString());
    try {
      ConsoleLogProvider provider = new ConsoleLogProvider();
      provider.initialize();
      LoggerContext context = (LoggerContext) provider.getLoggerFactory();
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertEquals(Level.DEBUG, root.getLevel());
      assertNotNull(root.getAppender("MINE"));
      assertNull(root.getAppender("STDERR"));
      assertNotNull(provider.getMarkerFactory());
      assertNotNull(provider.getMDCAdapter());
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }
}
