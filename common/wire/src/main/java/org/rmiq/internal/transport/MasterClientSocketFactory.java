package org.rmiq.internal.transport;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client socket factory inside every stub of a master. It connects to the address the user
 * typed (not the host the stub names, which is often 127.0.1.1 on Linux), runs the handshake
 * (greeting, TLS, PAKE), and sets the response timeout, so no remote call can hang forever.
 *
 * <p>It is serialized into stubs, so it carries no secret: only the master's public realm id. The
 * token and address are looked up in this JVM's {@link ClientProfile}s, registered when a client's
 * bootstrap factory (for the registry) completes a handshake with that master.
 */
public final class MasterClientSocketFactory implements RMIClientSocketFactory, Serializable {
  private static final long serialVersionUID = 2L;

  /** The most a master's reply may hold: a task batch, a status report, a chunk of code. */
  static final long MAX_REPLY_BYTES = 32L << 20;

  /** Profiles by realm, registered when a bootstrap connection authenticates that master. */
  private static final Map<String, ClientProfile> profiles = new ConcurrentHashMap<>();

  /** The master's realm in hex, or null in a client's own bootstrap factory. */
  private final String realm;

  /** The profile a bootstrap factory dials with; never serialized. */
  private final transient ClientProfile bootstrap;

  private MasterClientSocketFactory(String realm, ClientProfile bootstrap) {
    this.realm = realm;
    this.bootstrap = bootstrap;
  }

  /** The factory a master puts in its stubs. */
  public static MasterClientSocketFactory forMaster(byte[] realm) {
    return new MasterClientSocketFactory(hex(realm), null);
  }

  /** The factory a client uses to reach a master's registry, before it knows the master. */
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
              + "; reach it through its"
              + " registry first");
    }
    Socket raw = new Socket();
    Socket socket = raw;
    try {
      raw.connect(
          new InetSocketAddress(profile.master().host(), profile.master().port()),
          (int) profile.connectTimeout().toMillis());
      raw.setTcpNoDelay(true);
      ClientHandshake.Joined joined = ClientHandshake.run(raw, profile);
      socket = joined.socket();
      String seen = hex(joined.realm());
      if (bootstrap != null) {
        profiles.put(seen, profile);
      } else if (!seen.equals(realm)) {
        throw new IOException(
            "the master at "
                + profile.master()
                + " has restarted since this stub was issued;"
                + " join it again");
      }
      // A non-zero timeout set here is kept by RMI for every call on this connection.
      socket.setSoTimeout((int) profile.responseTimeout().toMillis());
      return new GuardedSocket(socket, MAX_REPLY_BYTES, () -> {}, null);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Forgets the credentials of a master this JVM will not call again. */
  public static void forget(String realmHex) {
    profiles.remove(realmHex);
  }

  /** The realm this factory names, in hex (null for a bootstrap factory). */
  public String realm() {
    return realm;
  }

  /** Refuses a factory from the wire that names no realm (bootstrap factories never travel). */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (realm == null || !realm.matches("[0-9a-f]{" + 2 * Pake.REALM + "}")) {
      throw new InvalidObjectException("rmiq client socket factory without a valid realm");
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
    return Objects.hash(realm, bootstrap);
  }

  @Override
  public String toString() {
    return realm != null ? "rmiq master " + realm : "rmiq bootstrap for " + bootstrap.master();
  }

  static String hex(byte[] bytes) {
    return BaseEncoding.base16().lowerCase().encode(bytes);
  }
}
