package org.rmiq.bench;

import java.net.Socket;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/**
 * Opens {@code count} authenticated connections to a master, one after another, each with its own
 * full handshake (greeting, TLS 1.3, EC J-PAKE), and closes them: the load for the handshake
 * scenario, run in a JVM of its own so the master's CPU is measured alone.
 */
public final class HandshakeLoad {
  private HandshakeLoad() {}

  public static void main(String[] args) throws Exception {
    HostPort master = HostPort.parse(args[0]);
    int count = Integer.parseInt(args[1]);
    ClientProfile profile = ClientProfile.of(master, Token.of(System.getenv(Token.ENV)));
    MasterClientSocketFactory factory = MasterClientSocketFactory.bootstrap(profile);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      try (Socket socket = factory.createSocket(master.host(), master.port())) {
        socket.getOutputStream().flush();
      }
    }
    System.out.printf("handshakes=%d seconds=%.3f%n", count, (System.nanoTime() - start) / 1e9);
  }
}
