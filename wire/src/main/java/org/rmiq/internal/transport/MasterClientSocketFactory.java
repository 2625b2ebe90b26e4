package org.rmiq.internal.transport;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client socket factory inside every stub of a master. It connects to the address the user gave
 * the worker (not the host the stub names, which is often 127.0.1.1 on Linux), runs the rmiq
 * handshake, and sets the response timeout, so no remote call can hang forever.
 *
 * <p>It is serialized into stubs, so it carries no secret: only the master's public realm id. The
 * token and address are looked up in this JVM's {@link ClientProfile}s, registered when a worker's
 * bootstrap factory (for the registry) completes a handshake with that master.
 */
public final class MasterClientSocketFactory implements RMIClientSocketFactory, Serializable {
  private static final long serialVersionUID = 1L;

  /** Profiles by realm, registered when a bootstrap connection authenticates that master. */
  private static final Map<String, ClientProfile> profiles = new ConcurrentHashMap<>();

  /** The master's realm in hex, or null in a worker's own bootstrap factory. */
  private final String realm;

  /** The profile a worker's bootstrap factory dials with; never serialized. */
  private final transient ClientProfile bootstrap;

  private MasterClientSocketFactory(String realm, ClientProfile bootstrap) {
    this.realm = realm;
    this.bootstrap = bootstrap;
  }

  /** The factory a master puts in its stubs. */
  public static MasterClientSocketFactory forMaster(byte[] realm) {
    return new MasterClientSocketFactory(hex(realm), null);
  }

  /** The factory a worker uses to reach a master's registry, before it knows the master. */
  public static MasterClientSocketFactory bootstrap(ClientProfile profile) {
    return new MasterClientSocketFactory(null, Objects.requireNonNull(profile));
  }

  @Override
  public Socket createSocket(String stubHost, int stubPort) throws IOException {
    ClientProfile profile = bootstrap != null ? bootstrap : profiles.get(realm);
    if (profile == null) {
      throw new IOException(
          "this JVM has no credentials for rmiq master "
              + realm
              + "; reach it through its registry first");
    }
    Socket raw = new Socket();
    Socket socket = raw;
    try {
      raw.connect(
          new InetSocketAddress(profile.master().host(), profile.master().port()),
          (int) profile.connectTimeout().toMillis());
      raw.setTcpNoDelay(true);
      Handshake.Joined joined =
          Handshake.join(
              raw, profile.token().key(), profile.handshakeDeadline().toMillis(), profile.tls());
      socket = joined.socket();
      String seen = hex(joined.realm());
      if (bootstrap != null) {
        profiles.put(seen, profile);
      } else if (!seen.equals(realm)) {
        throw new IOException(
            "the master at "
                + profile.master()
                + " has restarted since this"
                + " stub was issued; join it again");
      }
      // A non-zero timeout set here is kept by RMI for every call on this connection.
      socket.setSoTimeout((int) profile.responseTimeout().toMillis());
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Refuses a factory from the wire that names no realm (bootstrap factories never travel). */
  private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (realm == null || !realm.matches("[0-9a-f]{" + 2 * Handshake.REALM + "}")) {
      throw new java.io.InvalidObjectException("rmiq client socket factory without a valid realm");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterClientSocketFactory f
        && Objects.equals(realm, f.realm)
        && Objects.equals(bootstrap, f.bootstrap);
  }

  @Override
  public int hashCode() {
    return Objects.hash(realm, System.identityHashCode(bootstrap));
  }

  @Override
  public String toString() {
    return realm != null ? "rmiq master " + realm : "rmiq bootstrap for " + bootstrap.master();
  }

  static String hex(byte[] bytes) {
    return BaseEncoding.base16().lowerCase().encode(bytes);
  }
}
