package org.rmiq.worker;

import java.rmi.RemoteException;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.StatusReport;

/** Asks a master what it is doing, over the same authenticated port workers use. */
public final class MasterStatus {
  private MasterStatus() {}

  /**
   * Fetches the master's status report.
   *
   * @throws MasterCallException saying why the master could not be asked (its message is for
   *     people; {@link #exitCode} maps it to the command's exit code)
   */
  public static StatusReport fetch(ClientProfile profile) throws MasterCallException {
    try {
      return MasterConnection.lookup(profile).status();
    } catch (RemoteException | RuntimeException e) {
      throw MasterFailures.translate(profile.master(), e);
    }
  }

  /** 3 when the token was refused, 4 when the master could not be reached or refused us. */
  public static int exitCode(MasterCallException e) {
    return e.kind() == MasterCallException.Kind.TOKEN_REFUSED ? 3 : 4;
  }
}
