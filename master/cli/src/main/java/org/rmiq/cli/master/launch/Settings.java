package org.rmiq.cli.master.launch;

import java.io.IOException;
import java.time.Duration;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;

/** Checks of the master's flags, and the messages for failures to start. */
public final class Settings {
  private Settings() {}

  /**
   * @throws IllegalArgumentException naming the flag and its bad value
   */
  static void check(int port, Duration lease) {
    HostPort.checkPort(port, "--port");
    if (lease.toMillis() < 200) {
      throw new IllegalArgumentException(
          "--lease "
              + lease.toMillis()
              + "ms is too short;"
              + " give at least 200ms (workers renew it several times per lease)");
    }
  }

  /** Workers renew their leases four times per lease, but at least once a second. */
  static Duration heartbeatFor(Duration lease) {
    Duration quarter = lease.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
  }

  static String startFailure(int port, IOException e) {
    if (Master.isPortInUse(e)) {
      return "port "
          + port
          + " is already in use (is another master running?). Stop it, or"
          + " choose another port with --port N and give workers HOST:N.";
    }
    return "could not start listening on port " + port + ": " + e.getMessage();
  }
}
