package org.rmiq.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The commands' SLF4J binding: logback, configured by {@link LoggingSetup} directly. Logback's own
 * provider looks for configurators with a {@code ServiceLoader}, times each one and keeps a status
 * history (whose printer builds a date formatter): ~15 ms of every start, before anything is
 * logged. {@link CliSettings#install} names this class in {@code slf4j.provider}, so that SLF4J
 * also skips its own {@code ServiceLoader} scan. With {@code -Dlogback.configurationFile},
 * logback's provider does it all as usual, the file included.
 */
public final class ConsoleLogProvider implements SLF4JServiceProvider {
  /** Logback's own provider, with {@code -Dlogback.configurationFile}; else null. */
  private SLF4JServiceProvider logback;

  private LoggerContext context;
  private IMarkerFactory markers;
  private LogbackMDCAdapter mdc;

  @Override
  public void initialize() {
    if (System.getProperty("logback.configurationFile") != null) {
      logback = new LogbackServiceProvider();
      logback.initialize();
      return;
    }
    context = new LoggerContext();
    context.setName("default");
    mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    markers = new BasicMarkerFactory();
    new LoggingSetup().configure(context);
    context.start();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return logback != null ? logback.getLoggerFactory() : context;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return logback != null ? logback.getMarkerFactory() : markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return logback != null ? logback.getMDCAdapter() : mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return LogbackServiceProvider.REQUESTED_API_VERSION;
  }
}
