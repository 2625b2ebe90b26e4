package org.rmiq.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutput;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.rmi.Remote;
import java.rmi.server.RemoteObject;
import java.util.regex.Pattern;

/**
 * The host and port a master's stubs name, which the master sends a client at the end of each
 * handshake. RMI keeps one pool of connections per host, port and socket factory a stub names; a
 * client that reaches the registry under the same three names then makes every later call (the
 * lookup's lease, the link's exchanges) on the connection it has already authenticated, instead of
 * a second connection with a second TLS handshake and PAKE (a tenth of a second of a worker's join,
 * and a PAKE of the master's CPU per worker). Nobody dials this address: the stubs' socket factory
 * connects to the address the user typed. An empty host means the master does not know it yet.
 *
 * <pre>
 * master → client, after the realm:  length (1) ‖ host in ASCII ‖ port (2)
 * </pre>
 */
record StubAddress(String host, int port) {
  /** The longest host name DNS allows; an IPv6 literal with a zone is far shorter. */
  static final int MAX_HOST = 253;

  /** What RMI writes for a host: a name, an IPv4 or an IPv6 literal. Never printed, but checked. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]*");

  /** No address: the client reaches the registry as before (two connections). */
  static final StubAddress NONE = new StubAddress("", 0);

  StubAddress {
    if (host.length() > MAX_HOST || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("not a host RMI names: " + host.length() + " chars");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
  }

  /**
   * The address an exported object's stub names, read from the stub's documented external form
   * ({@link RemoteObject}'s serial form: a {@code UnicastRef} writes the host and the port first, a
   * {@code UnicastRef2} a format byte before them). {@link #NONE} for anything else.
   */
  static StubAddress of(Remote stub) {
    try {
      RemoteObject handler =
          Proxy.isProxyClass(stub.getClass())
              ? (RemoteObject) Proxy.getInvocationHandler(stub)
              : (RemoteObject) stub;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      boolean withFormat;
      try (Fields out = new Fields(bytes)) {
        // "UnicastRef2" (a stub with socket factories) writes a format byte first; "UnicastRef"
        // only the host and port
        withFormat = "UnicastRef2".equals(handler.getRef().getRefClass(out));
        handler.getRef().writeExternal(out);
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
      if (withFormat) {
        in.readByte(); // host and port, with or without a factory after them
      }
      return new StubAddress(in.readUTF(), in.readInt());
    } catch (IOException | RuntimeException e) {
      return NONE; // clients then use a second connection, as without this
    }
  }

  /**
   * The primitive fields a reference writes, objects (its socket factory) left out: nothing is
   * serialized, so reading the address costs a master's start no serialization machinery.
   */
  private static final class Fields extends DataOutputStream implements ObjectOutput {
    Fields(ByteArrayOutputStream bytes) {
      super(bytes);
    }

    @Override
    public void writeObject(Object ignored) {}
  }

  void write(DataOutputStream out) throws IOException {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    out.writeByte(name.length);
    out.write(name);
    out.writeShort(port);
  }

  /**
   * @throws HandshakeException when the master sent something that is not a stub address
   */
  static StubAddress read(DataInputStream in) throws IOException {
    int length = in.readUnsignedByte();
    String host = new String(PakeFrames.readExactly(in, length), StandardCharsets.US_ASCII);
    int port = in.readUnsignedShort();
    try {
      return new StubAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new HandshakeException(
          HandshakeException.Reason.MALFORMED,
          "the master named its stubs' address with characters no host has");
    }
  }
}
