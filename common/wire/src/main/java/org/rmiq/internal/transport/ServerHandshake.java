package org.rmiq.internal.transport;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * The master's side of the handshake on a connection whose greeting was accepted, under one
 * deadline: "ready", TLS (unless plaintext), then the PAKE.
 */
final class ServerHandshake {
  private ServerHandshake() {}

  /** A peer that completed the handshake: the socket RMI should use, and the role it proved. */
  record Accepted(Socket socket, PeerRole role) {}

  /**
   * @param stubs the address this master's stubs name, told to the peer once it is authenticated
   * @return the socket RMI should use (the TLS socket, unless plaintext) and the peer's role
   * @throws HandshakeException why the peer was refused
   */
  static Accepted run(Socket raw, MasterKeys keys, StubAddress stubs, long deadlineMillis)
      throws IOException {
    try (Deadline deadline = Deadline.arm(raw, deadlineMillis)) {
      try {
        OutputStream rawOut = raw.getOutputStream();
        rawOut.write(Greeting.answer(Greeting.READY));
        rawOut.flush();
        Socket socket = raw;
        if (keys.tls() != null) {
          SSLSocket ssl;
          try {
            ssl = TlsChannel.serve(raw, keys.tls());
          } catch (IOException e) {
            if (deadline.fired()) {
              throw e;
            }
            throw new HandshakeException(
                HandshakeException.Reason.MALFORMED, "TLS failed: " + e.getMessage(), e);
          }
          socket = ssl;
        }
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out =
            new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        PeerRole role =
            Pake.serve(in, out, keys.token(), keys.teacherSecret(), keys.binding(), keys.realm());
        stubs.write(out);
        out.flush();
        return new Accepted(socket, role);
      } catch (IOException e) {
        if (deadline.fired()) {
          throw new HandshakeException(
              HandshakeException.Reason.TIMEOUT,
              "the handshake did not finish within " + deadlineMillis + " ms",
              e);
        }
        throw e;
      }
    }
  }
}
