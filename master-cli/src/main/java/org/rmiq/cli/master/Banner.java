package org.rmiq.cli.master;

import java.io.PrintStream;
import java.util.List;

/** The master's start-up message: where it listens and how a worker joins. */
final class Banner {
  private final PrintStream err;
  private final String host;
  private final int port;
  private final String generatedToken;

  /**
   * @param host the {@code --host} override, or null
   * @param generatedToken the token the master made itself (printed once), or null when the user
   *     gave one (never printed)
   */
  Banner(PrintStream err, String host, int port, String generatedToken) {
    this.err = err;
    this.host = host;
    this.port = port;
    this.generatedToken = generatedToken;
  }

  /**
   * @param statusPort the status page's port, or -1 when there is none
   */
  void print(String jobTitle, int statusPort) {
    List<String> addresses = host != null ? List.of(host) : WorkerAddresses.find();
    err.println("rmiq master listening on port " + port + " (all interfaces); job: " + jobTitle);
    err.println(
        "  workers can join at: "
            + String.join(", ", addresses.stream().map(a -> a + ":" + port).toList()));
    String tokenPart =
        generatedToken != null ? "RMIQ_TOKEN=" + generatedToken : "RMIQ_TOKEN=<your token>";
    if (generatedToken != null) {
      err.println("  generated a token for this run; start a worker elsewhere with:");
    } else {
      err.println("  start a worker elsewhere with (the token you gave this master):");
    }
    err.println("    " + joinCommand(host, port, tokenPart));
    err.println(
        "  or, without bash: set RMIQ_TOKEN, then java -jar rmiq-worker.jar "
            + addresses.get(0)
            + ":"
            + port);
    if (statusPort >= 0) {
      err.println(
          "  status page: http://"
              + addresses.get(0)
              + ":"
              + statusPort
              + "/"
              + " (JSON at /api/status)");
    }
  }

  /** The address others reach this machine at: {@code --host}, else the best one found. */
  static String address(String host) {
    return host != null ? host : WorkerAddresses.find().get(0);
  }

  static String joinCommand(String host, int port, String tokenPart) {
    String address = address(host);
    return tokenPart + " scripts/run-worker.sh " + address + ":" + port;
  }
}
