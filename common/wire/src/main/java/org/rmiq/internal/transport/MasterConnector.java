package org.rmiq.internal.transport;

import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import org.rmiq.internal.wire.MasterService;

/** Finds a master's service in its registry, through the address the user typed. */
public final class MasterConnector {
  private MasterConnector() {}

  /**
   * Looks the master up (a handshake on the registry's connection registers its credentials in this
   * JVM for the stub that comes back).
   */
  public static MasterService lookup(ClientProfile profile)
      throws RemoteException, NotBoundException {
    Registry registry =
        LocateRegistry.getRegistry(
            profile.master().host(),
            profile.master().port(),
            MasterClientSocketFactory.bootstrap(profile));
    return (MasterService) registry.lookup(MasterService.BINDING);
  }
}
