package org.rmiq.cli.master.launch;

import com.google.common.base.Suppliers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.master.web.FolderServer;
import org.rmiq.cli.master.web.Metrics;
import org.rmiq.cli.master.web.StatusServer;
import org.rmiq.master.Master;
import org.rmiq.master.MasterBuilder;

/**
 * Starts a master and what runs beside it: the status page (a warning, not a failure, when its port
 * is taken) and the banner that tells students how to join.
 */
final class Launcher {
  /** Where the status page goes: nowhere ({@code --no-status}), or an address and port. */
  record Web(boolean off, InetAddress bind, int port) {}

  private final MasterBuilder builder;
  private final Web web;
  private final String host;
  private final int port;
  private final TokenSource token;
  private final String fingerprint;
  private final PrintStream stderr;

  Launcher(
      MasterBuilder builder,
      Web web,
      String host,
      int port,
      TokenSource token,
      String fingerprint,
      PrintStream stderr) {
    this.builder = builder;
    this.web = web;
    this.host = host;
    this.port = port;
    this.token = token;
    this.fingerprint = fingerprint;
    this.stderr = stderr;
  }

  /**
   * Starts the master (and its status page), with {@code served} ({@code --serve}, or null) beside
   * it; a failed start closes {@code served}.
   */
  Running start(FolderServer served) throws StartFailure {
    if (served != null) {
      builder.servedHosts(List.of(Banner.address(host) + ":" + served.port()));
    }
    // The page first, so the master can tell workers of another version where its worker is;
    // what it shows is read from the master once that runs.
    AtomicReference<Master> running = new AtomicReference<>();
    StatusServer statusPage = web.off() ? null : statusPage(running);
    if (statusPage != null) {
      builder.workerDownload(statusPage.workerJarUrl(Banner.address(host)));
    }
    Master master = builder.build();
    try {
      master.start();
    } catch (IOException e) {
      if (served != null) {
        served.close();
      }
      if (statusPage != null) {
        statusPage.close();
      }
      throw new StartFailure(Settings.startFailure(port, e));
    }
    running.set(master);
    if (statusPage != null) {
      statusPage.warmUp();
    }
    Banner banner = new Banner(stderr, host, master.port(), token, fingerprint, statusPage);
    return new Running(
        master, served, statusPage, banner, Banner.address(host) + ":" + master.port());
  }

  /** The status page, or null (after a warning) when its port is taken. */
  private StatusServer statusPage(AtomicReference<Master> running) {
    try {
      return StatusServer.start(
          web.bind(),
          web.port(),
          new StatusServer.Site(Banner.address(host), () -> running.get().port(), host),
          running::get,
          Suppliers.memoize(() -> new Metrics(running.get())));
    } catch (IOException e) {
      stderr.println(
          "run-master: warning: status page not started: port "
              + web.port()
              + " is not available ("
              + e.getMessage()
              + "); choose another with --status-port N, or --no-status");
      return null;
    }
  }
}
