package org.rmiq.internal.transport;

import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import org.rmiq.internal.wire.MasterService;

/** Finds a master's service in its registry, through the address the user typed. */
public final class MasterConnector {
  private MasterConnector() {}

  /**
   * Looks the master up. The first connection is authenticated before the lookup, which registers
   * the credentials in this JVM for the stub that comes back and lets the lookup and the calls
   * after it share that connection (see {@link MasterClientSocketFactory#introduce}).
   */
  public static MasterService lookup(ClientProfile profile)
      throws RemoteException, NotBoundException {
    try (MasterClientSocketFactory.Introduction first =
        MasterClientSocketFactory.introduce(profile)) {
      return (MasterService) first.registry().lookup(MasterService.BINDING);
    } catch (RemoteException | NotBoundException e) {
      throw e;
    } catch (java.io.IOException e) {
      // as RMI wraps a failed connection; CallFailure names the cause it carries
      throw new java.rmi.ConnectIOException("cannot connect to " + profile.master(), e);
    }
  }
}
