package org.rmiq.worker.download;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import org.rmiq.api.TaskDeclinedException;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * Where downloads may go. A URL list, or a hostile server's redirect, must not make a classroom's
 * workers fetch internal services (a router's admin page, a school intranet, the worker's own
 * loopback) and, with {@code --collect}, hand the answers to whoever wrote the list. So every hop's
 * host is resolved and each of its addresses checked: loopback, unspecified, private (RFC 1918),
 * carrier-grade NAT, link-local, unique-local and multicast addresses are refused, in every
 * spelling (decimal, IPv4-mapped, 6to4, NAT64 all resolve to the same address first). The JDK
 * caches the answer for {@value #CACHE_SECONDS} s, so the client's own lookup, moments later, gets
 * the address that was checked rather than a rebound one.
 *
 * <p>{@code --allow-private-addresses} lifts the rule; the master's own {@code --serve} address
 * (host and port) is always allowed, so the offline download demo works.
 */
public final class AddressPolicy {
  static final int CACHE_SECONDS = 30;

  static {
    // Pin what was checked: the HttpClient's lookup follows within the cache's lifetime.
    Security.setProperty("networkaddress.cache.ttl", Integer.toString(CACHE_SECONDS));
  }

  private final boolean allowPrivate;
  private volatile Set<String> served = Set.of();

  AddressPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Allows these {@code host:port} pairs (the master's {@code --serve}) whatever they are. */
  void allowServed(Collection<String> hostPorts) {
    served = Set.copyOf(hostPorts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
  }

  /**
   * Throws unless {@code hop} may be fetched.
   *
   * @param url the task's URL, for the message
   * @throws TaskDeclinedException naming the host and the kind of address: this worker will not
   *     fetch it, but a worker started to allow it may, so it is not this task's failure
   * @throws UnknownHostException when the host has no address (retried: DNS may come back)
   */
  void check(URI url, URI hop) throws TaskDeclinedException, UnknownHostException {
    if (allowPrivate) {
      return;
    }
    String host = hop.getHost();
    int port = hop.getPort() >= 0 ? hop.getPort() : hop.getScheme().equals("https") ? 443 : 80;
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (served.contains((host + ":" + port).toLowerCase(Locale.ROOT))
        || served.contains((bare + ":" + port).toLowerCase(Locale.ROOT))) {
      return;
    }
    for (InetAddress address : InetAddress.getAllByName(bare)) {
      String why = internal(address);
      if (why != null) {
        throw new TaskDeclinedException(
            url
                + ": "
                + (hop.equals(url) ? "" : "its redirect to " + hop + " ")
                + "leads to "
                + address.getHostAddress()
                + ", a "
                + why
                + " address; workers fetch only public addresses (start them with"
                + " "
                + SettingNames.of(Setting.ALLOW_PRIVATE_ADDRESSES)
                + " to allow this network)");
      }
    }
  }

  /** What kind of internal address {@code address} is, or null for a public one. */
  static String internal(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    if (address.isSiteLocalAddress()) {
      return "private";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "\"this network\"";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "carrier-grade NAT";
      }
      if (first >= 240) {
        return "reserved";
      }
      return null;
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "unique-local";
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4: 2002:AABB:CCDD::
        return embedded(b, 2);
      }
      boolean nat64 =
          b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      boolean mapped = true; // ::ffff:a.b.c.d, should the JDK not have turned it into IPv4
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      if (nat64 || mapped) {
        return embedded(b, 12);
      }
    }
    return null;
  }

  private static String embedded(byte[] b, int from) {
    try {
      return internal(
          InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]}));
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }
}
