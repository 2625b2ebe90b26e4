package org.rmiq.cli.master.launch;

import java.io.PrintStream;
import java.util.List;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.master.web.StatusServer;

/**
 * The master's start-up message: where it listens, which token it uses, and the join commands that
 * paste as they are into bash, next to a copied jar, or into PowerShell.
 */
public final class Banner {
  private final PrintStream err;
  private final String host;
  private final int port;
  private final TokenSource token;
  private final String fingerprint;

  /** The status page (its join page and worker jar), or null. */
  private final StatusServer page;

  /**
   * @param host the {@code --host} override, or null
   * @param fingerprint the teacher key's fingerprint, which workers that run shipped code pin
   */
  public Banner(
      PrintStream err,
      String host,
      int port,
      TokenSource token,
      String fingerprint,
      StatusServer page) {
    this.page = page;
    this.err = err;
    this.host = host;
    this.port = port;
    this.token = token;
    this.fingerprint = fingerprint;
  }

  /**
   * Prints the banner: where the master listens, its token's source, and how to join.
   *
   * @param what what the master does, e.g. {@code job: square 10 number(s)}
   * @param statusPort the status page's port, or -1 when there is none
   */
  public void print(String what, int statusPort) {
    List<String> addresses = host != null ? List.of(host) : WorkerAddresses.find();
    String address = addresses.get(0) + ":" + port;
    err.println("rmiq master listening on port " + port + " (all interfaces); " + what);
    err.println("  token: " + token.source());
    if (page != null && page.workerSha256() != null) {
      err.println(
          "  students join from the page: http://"
              + addresses.get(0)
              + ":"
              + page.port()
              + "/join   (worker jar SHA-256 "
              + page.workerSha256()
              + ")");
    }
    err.println("  or, with a copy of rmiq, with one of:");
    for (String command : joinCommands(address)) {
      err.println("    " + command);
    }
    if (fingerprint != null) {
      err.println(
          "  workers that run the teacher's code (run FILE.java, --plugins) add:"
              + " --accept-code-from "
              + fingerprint);
    }
    if (addresses.size() > 1) {
      err.println(
          "  this machine's other addresses: "
              + String.join(
                  ", ",
                  addresses.subList(1, addresses.size()).stream()
                      .map(a -> a + ":" + port)
                      .toList()));
    }
    if (statusPort >= 0) {
      err.println(
          "  status page: http://"
              + addresses.get(0)
              + ":"
              + statusPort
              + "/"
              + " (JSON at /api/status, Prometheus at /metrics)");
    }
  }

  /**
   * The join commands for a copy of rmiq (bash), the worker jar alone (bash) and the jar in
   * PowerShell; each ends with a comment both shells ignore, so a whole line pastes as it is.
   */
  List<String> joinCommands(String address) {
    if (token.tokenFile() != null) {
      String flag = " --token-file " + token.tokenFile();
      return List.of(
          "scripts/run-worker.sh " + address + flag + "   # from a copy of rmiq",
          "java -jar rmiq-worker.jar " + address + flag + "   # with the worker jar alone");
    }
    String text = token.classToken() != null ? token.classToken() : "<your RMIQ_TOKEN>";
    return List.of(
        "RMIQ_TOKEN=" + text + " scripts/run-worker.sh " + address + "   # from a copy of rmiq",
        "RMIQ_TOKEN="
            + text
            + " java -jar rmiq-worker.jar "
            + address
            + "   # with the worker jar alone",
        "$env:RMIQ_TOKEN=\""
            + text
            + "\"; java -jar rmiq-worker.jar "
            + address
            + "   # in Windows PowerShell");
  }

  /** The address others reach this machine at: {@code --host}, else the best one found. */
  public static String address(String host) {
    return host != null ? host : WorkerAddresses.find().get(0);
  }

  /** The first join command without its comment, for messages that tell how to start a worker. */
  public String joinCommand() {
    String first = joinCommands(address(host) + ":" + port).get(0);
    return first.substring(0, first.indexOf("   #"));
  }
}
