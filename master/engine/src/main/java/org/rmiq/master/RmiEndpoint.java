package org.rmiq.master;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.internal.transport.MasterListener;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;

/**
 * The master's RMI surface: a registry and the exported service on one authenticated port. Both use
 * the same socket factories, so RMI serves them from one listening socket; the service reads its
 * arguments through rmiq's allow-list.
 */
final class RmiEndpoint implements AutoCloseable {
  private final Registry registry;
  private final MasterService service;
  private final MasterListener serverSockets;
  private final int port;

  private RmiEndpoint(
      Registry registry, MasterService service, MasterListener serverSockets, int port) {
    this.registry = registry;
    this.service = service;
    this.serverSockets = serverSockets;
    this.port = port;
  }

  /**
   * Listens on {@code port} (0 = any free port) and serves {@code service}.
   *
   * @throws RemoteException when the port cannot be opened (the cause says why)
   */
  static RmiEndpoint open(
      MasterService service,
      int port,
      MasterKeys keys,
      InetAddress bindAddress,
      Duration handshakeDeadline,
      Ticker ticker,
      String versionNote)
      throws RemoteException {
    RmiSettings.apply();
    var clientSockets = MasterClientSocketFactory.forMaster(keys.realm());
    var serverSockets =
        new MasterListener(keys, bindAddress, handshakeDeadline, ticker, versionNote);
    Registry registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
    int actualPort = serverSockets.boundPort();
    try {
      var stub =
          UnicastRemoteObject.exportObject(
              service, actualPort, clientSockets, serverSockets, SerialAllowList.forMaster());
      registry.rebind(MasterService.BINDING, stub);
      // clients then reach the registry under the stub's names: one connection each, not two
      serverSockets.stubsName(stub);
    } catch (RemoteException | RuntimeException e) {
      UnicastRemoteObject.unexportObject(registry, true);
      throw e;
    }
    serverSockets.warmUp(); // the first worker's handshake then finds it warm
    return new RmiEndpoint(registry, service, serverSockets, actualPort);
  }

  int port() {
    return port;
  }

  /** Listening sockets opened for the registry and the service together (one, by design). */
  int listeningSockets() {
    return serverSockets.socketsOpened();
  }

  /** The listener's counts and blocked peers, for the status views. */
  MasterListener listener() {
    return serverSockets;
  }

  long failedHandshakes() {
    return serverSockets.failedHandshakes();
  }

  @Override
  public void close() {
    try {
      registry.unbind(MasterService.BINDING);
    } catch (RemoteException | NotBoundException ignored) {
      // already gone: nothing to undo
    }
    unexport(service);
    unexport(registry);
  }

  private static void unexport(java.rmi.Remote remote) {
    try {
      UnicastRemoteObject.unexportObject(remote, true);
    } catch (NoSuchObjectException ignored) {
      // already unexported
    }
  }

  /** True when {@code e} (or a cause) says the port is taken, for a precise error message. */
  static boolean isPortInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }
}
