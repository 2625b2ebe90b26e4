package org.rmiq.cli.master.launch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses of this machine a worker elsewhere could use to reach the master. */
public final class WorkerAddresses {
  private WorkerAddresses() {}

  /** Non-loopback IPv4 addresses of interfaces that are up; "localhost" when there are none. */
  static List<String> find() {
    List<String> found = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            found.add(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      // no interface list: fall back to localhost below
    }
    if (found.isEmpty()) {
      found.add("localhost");
    }
    return found;
  }
}
