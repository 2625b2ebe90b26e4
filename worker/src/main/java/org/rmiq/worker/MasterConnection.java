package org.rmiq.worker;

import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.internal.wire.JoinReply;
import org.rmiq.internal.wire.JoinRequest;
import org.rmiq.internal.wire.MasterService;

/** Joins a master: finds its service in its registry and opens a worker session. */
final class MasterConnection {
  private final ClientProfile profile;
  private final JoinRequest request;

  MasterConnection(ClientProfile profile, JoinRequest request) {
    this.profile = profile;
    this.request = request;
  }

  /** Looks the master up and joins it, through the address the user gave. */
  Session join() throws MasterCallException {
    MasterService master = lookup(profile);
    try {
      return new Session(master, master.join(request));
    } catch (RemoteException | RuntimeException e) {
      throw MasterFailures.translate(profile.master(), e);
    }
  }

  /** Finds the master's service in its registry, through the address in {@code profile}. */
  static MasterService lookup(ClientProfile profile) throws MasterCallException {
    try {
      Registry registry =
          LocateRegistry.getRegistry(
              profile.master().host(),
              profile.master().port(),
              MasterClientSocketFactory.bootstrap(profile));
      return (MasterService) registry.lookup(MasterService.BINDING);
    } catch (RemoteException | NotBoundException | RuntimeException e) {
      throw MasterFailures.translate(profile.master(), e);
    }
  }

  String address() {
    return profile.master().toString();
  }

  /** A joined session: the master's stub and what it told us at join. */
  record Session(MasterService master, JoinReply reply) {
    String id() {
      return reply.sessionId();
    }
  }
}
