package org.rmiq.cli.master.launch;

import org.rmiq.cli.master.web.FolderServer;
import org.rmiq.cli.master.web.StatusServer;
import org.rmiq.master.Master;

/**
 * The servers of a running master, closed together.
 *
 * @param master the master
 * @param served the {@code --serve} folder's server, or null
 * @param statusPage the status page, or null
 * @param banner the start-up message and its join commands
 * @param address where workers reach the master, {@code host:port}
 */
public record Running(
    Master master, FolderServer served, StatusServer statusPage, Banner banner, String address)
    implements AutoCloseable {
  @Override
  public void close() {
    if (statusPage != null) {
      statusPage.close();
    }
    master.close();
    if (served != null) {
      served.close();
    }
  }

  /** The status page's port, or -1 when there is none. */
  public int statusPort() {
    return statusPage == null ? -1 : statusPage.port();
  }
}
