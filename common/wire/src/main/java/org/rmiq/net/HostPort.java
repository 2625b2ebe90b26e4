package org.rmiq.net;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.URI;

/**
 * A master's address as the user typed it: {@code host:port}, {@code [ipv6]:port}.
 *
 * <p>This is the address a worker dials, whatever host name the master's stubs carry.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    checkPort(port, "port");
  }

  /**
   * Parses {@code host:port}; the message of the exception names the text and the fix.
   *
   * @throws IllegalArgumentException when the text is not a host and a port 1..65535
   */
  public static HostPort parse(String text) {
    String hint = "; expected HOST:PORT, e.g. 192.168.1.20:5000 or teacher-laptop:5000";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no master address given" + hint);
    }
    if (text.contains("://")) {
      // A URL pasted from a browser: say what it is, and the form that works.
      URI uri;
      try {
        uri = URI.create(text.trim());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      String suggestion =
          uri != null && uri.getHost() != null
              ? uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : 5000)
              : "192.168.1.20:5000";
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is a URL; give the master's address as HOST:PORT, e.g. "
              + suggestion
              + " (no http://, no path)");
    }
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a master address" + hint, e);
    }
    if (!parsed.hasPort()) {
      throw new IllegalArgumentException("'" + text + "' has no port" + hint);
    }
    String host = parsed.getHost();
    if (!InetAddresses.isInetAddress(host)
        && !InternetDomainName.isValid(host)
        && !host.equals("localhost")) {
      throw new IllegalArgumentException("'" + text + "' names no valid host" + hint);
    }
    int port = parsed.getPort();
    if (port < 1) {
      throw new IllegalArgumentException("'" + text + "' has port " + port + ", not 1..65535");
    }
    return new HostPort(host, port);
  }

  /** Throws unless {@code port} is a TCP port 0..65535, naming {@code what} (a flag). */
  public static int checkPort(int port, String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          what + " " + port + " is not a TCP port: use 1..65535" + " (or 0 for any free port)");
    }
    return port;
  }

  @Override
  public String toString() {
    return HostAndPort.fromParts(host, port).toString();
  }

  // Written out rather than generated: a record's generated equals and hashCode link through
  // method handles on their first call, about 15 ms of a cold worker's join, and these are the
  // first ones a join calls (the worker's table of links; the RMI endpoint table).
  @Override
  public boolean equals(Object o) {
    return o instanceof HostPort other && port == other.port && host.equals(other.host);
  }

  @Override
  public int hashCode() {
    return 31 * host.hashCode() + port;
  }
}
