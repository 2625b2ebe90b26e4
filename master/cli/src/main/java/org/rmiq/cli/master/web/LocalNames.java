package org.rmiq.cli.master.web;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The names a page of this machine may be asked for by: its addresses, its host names, {@code
 * localhost}, and the {@code --host} the teacher gave. A browser that a hostile page pointed at the
 * master by a name of its own (DNS rebinding) sends that name as {@code Host}, and is refused.
 */
final class LocalNames {
  private LocalNames() {}

  /** Whether a {@code Host} name (without port) names this machine. */
  static Predicate<String> of(String extraHost) {
    Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]", "::1", ""));
    if (extraHost != null) {
      names.add(extraHost.toLowerCase(Locale.ROOT));
    }
    try {
      InetAddress self = InetAddress.getLocalHost();
      names.add(self.getHostName().toLowerCase(Locale.ROOT));
      names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
      names.add(self.getHostAddress());
    } catch (UnknownHostException e) {
      // no name for this machine: its addresses still count
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          String bare = (zone >= 0 ? text.substring(0, zone) : text).toLowerCase(Locale.ROOT);
          names.add(bare);
          names.add("[" + bare + "]");
        }
      }
    } catch (SocketException e) {
      // no interface list: the names above must do
    }
    Set<String> all = Set.copyOf(names);
    return host -> all.contains(strip(host)) || host.endsWith(".localhost");
  }

  private static String strip(String host) {
    int zone = host.indexOf('%');
    return zone >= 0 && host.startsWith("[") ? host.substring(0, zone) + "]" : host;
  }
}
