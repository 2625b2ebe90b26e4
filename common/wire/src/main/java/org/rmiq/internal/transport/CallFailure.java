package org.rmiq.internal.transport;

import com.google.common.base.Throwables;
import java.io.InvalidClassException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.ServerException;
import javax.net.ssl.SSLException;
import org.rmiq.internal.wire.MasterBusyException;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.net.HostPort;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * The one place where a client (worker, status, submit) turns a failed call to a master into what
 * to do about it and a sentence a person can act on, keeping the original as the cause.
 *
 * @param kind what the caller should do
 * @param message what happened, naming the address and the likely fix
 * @param cause the original failure
 */
public record CallFailure(Kind kind, String message, Exception cause) {

  /** What a failed call means for the caller. */
  public enum Kind {
    /** The master refused our token, or the peer is not a genuine master: stop (exit 3). */
    TOKEN_REFUSED,
    /** Not an rmiq master, another version, another mode, a refused request: stop (exit 4). */
    REFUSED,
    /** Nothing answered, or the connection broke: try again with back-off. */
    UNREACHABLE,
    /** The master is at a limit, or shut us out for a while: try again a little later. */
    BUSY,
    /** The master does not know our link (it restarted, or dropped us): join again now. */
    LINK_LOST,
    /**
     * The peer took our proof of the token and gave none: perhaps a fake master collecting guesses.
     * Wait minutes before trying again, and stop after a few.
     */
    SUSPECT
  }

  /** True when trying again cannot help. */
  public boolean isFinal() {
    return kind == Kind.TOKEN_REFUSED || kind == Kind.REFUSED;
  }

  /**
   * Classifies a failure.
   *
   * @param joinedBefore whether this client has reached this master before: a port that stays
   *     silent is then a network fault (try again), not the wrong port (stop)
   */
  public static CallFailure of(HostPort master, Exception e, boolean joinedBefore) {
    HandshakeException handshake = find(e, HandshakeException.class);
    if (handshake != null) {
      return switch (handshake.reason()) {
        case WRONG_TOKEN ->
            new CallFailure(
                Kind.TOKEN_REFUSED,
                "the master at "
                    + master
                    + " refused our token: give it the master's token (the master prints the"
                    + " whole join command when it starts)",
                e);
        case WRONG_TEACHER_KEY ->
            new CallFailure(
                Kind.TOKEN_REFUSED,
                "the master at "
                    + master
                    + " refused our teacher key: give the teacher-key file of the machine the"
                    + " master runs on ("
                    + SettingNames.of(Setting.TEACHER_KEY_FILE)
                    + "); a master started by another teacher, or with "
                    + SettingNames.of(Setting.NEW_TEACHER_KEY)
                    + " since, has another",
                e);
        case MASTER_NOT_AUTHENTIC -> new CallFailure(Kind.TOKEN_REFUSED, handshake.getMessage(), e);
        case NO_CONFIRMATION ->
            new CallFailure(
                Kind.SUSPECT, "the peer at " + master + ": " + handshake.getMessage(), e);
        case NOT_RMIQ, OTHER_VERSION, OTHER_MODE ->
            new CallFailure(Kind.REFUSED, handshake.getMessage(), e);
        case SILENT ->
            new CallFailure(
                joinedBefore ? Kind.UNREACHABLE : Kind.REFUSED, handshake.getMessage(), e);
        case BUSY, CLOSED_AT_ONCE, TIMEOUT, MALFORMED ->
            new CallFailure(Kind.BUSY, handshake.getMessage(), e);
      };
    }
    MasterBusyException busy = find(e, MasterBusyException.class);
    if (busy != null) {
      return new CallFailure(
          Kind.BUSY, "the master at " + master + " is busy: " + busy.getMessage(), e);
    }
    if (find(e, UnknownLinkException.class) != null || e instanceof NoSuchObjectException) {
      return new CallFailure(
          Kind.LINK_LOST,
          "the master at "
              + master
              + " no longer knows this worker (it restarted, or dropped us after a silence);"
              + " joining again",
          e);
    }
    SSLException tls = find(e, SSLException.class);
    if (tls != null) {
      return new CallFailure(
          Kind.UNREACHABLE,
          "the connection to the master at "
              + master
              + " broke in transit ("
              + tls.getMessage()
              + "): something on the network path altered or cut it",
          e);
    }
    if (e instanceof NotBoundException) {
      return new CallFailure(
          Kind.REFUSED,
          "the RMI registry at " + master + " has no rmiq master in it; is this the right port?",
          e);
    }
    if (find(e, InvalidClassException.class) != null) {
      return new CallFailure(
          Kind.REFUSED,
          "the master at "
              + master
              + " sent data this client refuses to read ("
              + rootMessage(e)
              + "); run the same rmiq version on the master and here",
          e);
    }
    if (e instanceof ServerException || find(e, IllegalArgumentException.class) != null) {
      return new CallFailure(
          Kind.REFUSED, "the master at " + master + " refused the request: " + rootMessage(e), e);
    }
    return new CallFailure(
        Kind.UNREACHABLE,
        "cannot reach the master at "
            + master
            + " ("
            + describe(e)
            + "). Is "
            + SettingNames.of(Setting.MASTER_PROGRAM)
            + " running there? Is port "
            + master.port()
            + " open in its firewall? Is the address right?",
        e);
  }

  private static String describe(Exception e) {
    if (find(e, UnknownHostException.class) != null) {
      return "unknown host";
    }
    if (find(e, java.net.ConnectException.class) != null
        || find(e, java.rmi.ConnectException.class) != null) {
      return "connection refused";
    }
    if (find(e, SocketTimeoutException.class) != null) {
      return "timed out";
    }
    if (find(e, java.io.EOFException.class) != null
        || find(e, java.net.SocketException.class) != null) {
      return "the connection closed";
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = Throwables.getRootCause(e);
    return root.getMessage() == null
        ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t : Throwables.getCausalChain(e)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
