package org.rmiq.worker;

import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.rmi.ConnectException;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.ServerException;
import org.rmiq.internal.transport.HandshakeException;
import org.rmiq.internal.wire.UnknownSessionException;
import org.rmiq.net.HostPort;

/**
 * The one place where the worker turns RMI's exceptions into messages a person can act on, keeping
 * the original as the cause.
 */
final class MasterFailures {
  private MasterFailures() {}

  static MasterCallException translate(HostPort master, Exception e) {
    HandshakeException handshake = find(e, HandshakeException.class);
    if (handshake != null) {
      return switch (handshake.reason()) {
        case WRONG_TOKEN ->
            new MasterCallException(
                MasterCallException.Kind.TOKEN_REFUSED,
                "the master at "
                    + master
                    + " refused our token: give this worker the master's token (the master prints"
                    + " the whole join command when it starts)",
                e);
        case MASTER_NOT_AUTHENTIC ->
            new MasterCallException(
                MasterCallException.Kind.TOKEN_REFUSED, handshake.getMessage(), e);
        case NOT_RMIQ, OTHER_VERSION, OTHER_MODE ->
            new MasterCallException(MasterCallException.Kind.REFUSED, handshake.getMessage(), e);
        case SILENT ->
            // final before the first join (a wrong port), retried after it (a network fault)
            new MasterCallException(
                MasterCallException.Kind.UNREACHABLE, handshake.getMessage(), e);
        case BUSY, CLOSED_AT_ONCE, TIMEOUT, MALFORMED ->
            new MasterCallException(MasterCallException.Kind.BUSY, handshake.getMessage(), e);
      };
    }
    javax.net.ssl.SSLException tls = find(e, javax.net.ssl.SSLException.class);
    if (tls != null) {
      return new MasterCallException(
          MasterCallException.Kind.BUSY,
          "the connection to the master at "
              + master
              + " broke in transit ("
              + tls.getMessage()
              + "): something on the network path altered or cut it; trying again",
          e);
    }
    if (e instanceof UnknownSessionException || e instanceof NoSuchObjectException) {
      return new MasterCallException(
          MasterCallException.Kind.SESSION_LOST,
          "the master at "
              + master
              + " no longer knows this worker (it restarted or dropped us"
              + " after a silence); joining again",
          e);
    }
    if (e instanceof NotBoundException) {
      return new MasterCallException(
          MasterCallException.Kind.REFUSED,
          "the RMI registry at " + master + " has no rmiq master in it; is this the right port?",
          e);
    }
    if (find(e, java.io.InvalidClassException.class) != null) {
      return new MasterCallException(
          MasterCallException.Kind.REFUSED,
          "the master at "
              + master
              + " sent data this worker refuses to read ("
              + rootMessage(e)
              + "); run the same rmiq"
              + " version on the master and the workers",
          e);
    }
    if (e instanceof ServerException || find(e, IllegalArgumentException.class) != null) {
      return new MasterCallException(
          MasterCallException.Kind.REFUSED,
          "the master at " + master + " refused the request: " + rootMessage(e),
          e);
    }
    boolean answered =
        find(e, java.net.ConnectException.class) == null
            && find(e, UnknownHostException.class) == null
            && find(e, java.io.EOFException.class) != null;
    return new MasterCallException(
        answered ? MasterCallException.Kind.BUSY : MasterCallException.Kind.UNREACHABLE,
        "cannot reach the master at "
            + master
            + " ("
            + describe(e)
            + "). Is run-master.sh"
            + " running there? Is port "
            + master.port()
            + " open in its firewall? Is the address"
            + " right?",
        e);
  }

  private static String describe(Exception e) {
    if (find(e, UnknownHostException.class) != null) {
      return "unknown host";
    }
    if (e instanceof ConnectException || find(e, java.net.ConnectException.class) != null) {
      return "connection refused";
    }
    if (find(e, SocketTimeoutException.class) != null) {
      return "timed out";
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
