package org.rmiq.internal.transport;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.rmiq.net.HostPort;

/**
 * The client socket factory inside every stub of a master. It connects to the address the user
 * typed (not the host the stub names, which is often 127.0.1.1 on Linux), runs the handshake
 * (greeting, TLS, PAKE), and sets the response timeout, so no remote call can hang forever.
 *
 * <p>It is serialized into stubs, so it carries no secret: only the master's public realm id. The
 * token and address are looked up in this JVM's {@link ClientProfile}s, registered when a client
 * first completes a handshake with that master ({@link #introduce}, or a bootstrap factory).
 *
 * <p>A client's first connection is made before RMI asks for it ({@link #introduce}): the handshake
 * tells the realm and the address the master's stubs name, the client reaches the registry under
 * those names, and RMI's first request for a connection to them is handed the authenticated socket.
 * The lookup, its lease and every later call then share it.
 */
public final class MasterClientSocketFactory implements RMIClientSocketFactory, Serializable {
  private static final long serialVersionUID = 2L;

  /** The most a master's reply may hold: a task batch, a status report, a chunk of code. */
  static final long MAX_REPLY_BYTES = 32L << 20;

  /**
   * Profiles by realm, registered when a client first authenticates that master ({@link
   * #introduce}, or a bootstrap factory's connection).
   */
  private static final Map<String, ClientProfile> profiles = new ConcurrentHashMap<>();

  /** Authenticated sockets made by {@link #introduce}, waiting for RMI's first request. */
  private static final List<Parked> parked = new ArrayList<>();

  /**
   * A socket authenticated with {@code profile} to the master of {@code realm}. A class, not a
   * record: each is itself, and equality by identity costs a join nothing (see {@link
   * ClientProfile#equals}).
   */
  private static final class Parked {
    final String realm;
    final ClientProfile profile;
    final Socket socket;

    Parked(String realm, ClientProfile profile, Socket socket) {
      this.realm = realm;
      this.profile = profile;
      this.socket = socket;
    }
  }

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

  /**
   * A first connection to the master of {@code profile}, made and authenticated now and kept for
   * RMI's first request to the registry {@link Introduction#registry} names. Close it after the
   * lookup: a socket RMI never took is closed then.
   */
  public static Introduction introduce(ClientProfile profile) throws IOException {
    ClientHandshake.Joined joined = connect(profile);
    String seen = hex(joined.realm());
    profiles.put(seen, profile);
    Socket socket = guarded(joined.socket(), profile);
    Parked mine = new Parked(seen, profile, socket);
    synchronized (parked) {
      parked.add(mine);
    }
    return new Introduction(mine, joined.stubs());
  }

  /** A first connection made ahead of RMI (see {@link #introduce}). */
  public static final class Introduction implements AutoCloseable {
    private final Parked parked;
    private final StubAddress stubs;

    private Introduction(Parked parked, StubAddress stubs) {
      this.parked = parked;
      this.stubs = stubs;
    }

    /**
     * The master's registry under the names its stubs use, so the lookup and every call after it
     * share one pool of connections, starting with this one; under the typed address when the
     * master did not say (then the service's calls need a second connection).
     */
    public java.rmi.registry.Registry registry() throws java.rmi.RemoteException {
      MasterClientSocketFactory factory = new MasterClientSocketFactory(parked.realm, null);
      HostPort typed = parked.profile.master();
      return stubs.host().isEmpty()
          ? java.rmi.registry.LocateRegistry.getRegistry(typed.host(), typed.port(), factory)
          : java.rmi.registry.LocateRegistry.getRegistry(stubs.host(), stubs.port(), factory);
    }

    /** Closes the connection unless RMI took it. */
    @Override
    public void close() {
      boolean unused;
      synchronized (MasterClientSocketFactory.parked) {
        unused = MasterClientSocketFactory.parked.remove(parked);
      }
      if (unused) {
        try {
          parked.socket.close();
        } catch (IOException e) {
          // a socket nobody used: nothing is lost, and the lookup's outcome stands
        }
      }
    }
  }

  /** A socket {@link #introduce} made for this realm with the profile now registered for it. */
  private static Socket takeParked(String realm, ClientProfile profile) {
    synchronized (parked) {
      for (Iterator<Parked> i = parked.iterator(); i.hasNext(); ) {
        Parked p = i.next();
        if (p.realm.equals(realm) && p.profile.equals(profile)) {
          i.remove();
          return p.socket;
        }
      }
    }
    return null;
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
    if (bootstrap == null) {
      Socket ready = takeParked(realm, profile);
      if (ready != null) {
        return ready;
      }
    }
    ClientHandshake.Joined joined = connect(profile);
    String seen = hex(joined.realm());
    if (bootstrap != null) {
      profiles.put(seen, profile);
    } else if (!seen.equals(realm)) {
      joined.socket().close();
      throw new IOException(
          "the master at "
              + profile.master()
              + " has restarted since this stub was issued;"
              + " join it again");
    }
    return guarded(joined.socket(), profile);
  }

  /** Connects to the address the user typed and runs the handshake. */
  private static ClientHandshake.Joined connect(ClientProfile profile) throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(
          new InetSocketAddress(profile.master().host(), profile.master().port()),
          (int) profile.connectTimeout().toMillis());
      raw.setTcpNoDelay(true);
      return ClientHandshake.run(raw, profile);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The socket RMI gets: the response timeout set, replies bounded. */
  private static Socket guarded(Socket socket, ClientProfile profile) throws IOException {
    try {
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
