package org.rmiq.internal.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * The mutual challenge/response that every TCP connection to a master runs before any RMI byte.
 *
 * <pre>
 * master → worker  preamble: "RMIQ" ‖ version ‖ mode (0 plain, 1 TLS); with TLS, both sides
 *                  then run a TLS 1.3 handshake and everything below runs inside it
 * master → worker  hello:  "RMIQ" ‖ version ‖ realm (16) ‖ Ns (32)
 * worker → master  answer: "RMIQ" ‖ version ‖ Nc (32) ‖ HMAC(K, "rmiq-worker" ‖ hello ‖ Nc)
 * master → worker  proof:  status ‖ HMAC(K, "rmiq-master" ‖ Nc ‖ Ns)   (status 1 = accepted)
 * </pre>
 *
 * K is the token, which never crosses the wire. Both sides' fresh nonces stop replay, the role
 * labels stop reflection, MACs are compared in constant time, frames are fixed-size and the whole
 * exchange has a deadline, so a peer without the token learns nothing and never reaches an {@code
 * ObjectInputStream}. The realm is the master's public instance id; workers use it to find their
 * credentials for the master's stubs.
 */
public final class Handshake {
  static final byte[] MAGIC = "RMIQ".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int NONCE = 32;
  static final int MAC = 32;
  static final int REALM = 16;
  static final int PREAMBLE_SIZE = MAGIC.length + 2;
  static final int HELLO_SIZE = MAGIC.length + 1 + REALM + NONCE;
  static final int ANSWER_SIZE = MAGIC.length + 1 + NONCE + MAC;
  static final int PROOF_SIZE = 1 + MAC;
  static final byte ACCEPTED = 1;
  static final byte PLAIN = 0;
  static final byte TLS = 1;
  static final byte REFUSED = 0;

  private static final SecureRandom random = new SecureRandom();
  private static final byte[] WORKER_LABEL = "rmiq-worker".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MASTER_LABEL = "rmiq-master".getBytes(StandardCharsets.US_ASCII);

  private Handshake() {}

  /**
   * Runs the master's side on a freshly accepted socket, within {@code deadlineMillis}: the
   * preamble, TLS when {@code tls} is not null, then the challenge/response.
   *
   * @return the socket RMI should use (the TLS socket with TLS)
   * @throws HandshakeException when the peer does not prove it knows the token
   */
  public static Socket serve(
      Socket raw, byte[] key, byte[] realm, long deadlineMillis, SSLContext tls)
      throws IOException {
    long deadline = System.nanoTime() + deadlineMillis * 1_000_000L;
    raw.getOutputStream()
        .write(
            ByteBuffer.allocate(PREAMBLE_SIZE)
                .put(MAGIC)
                .put(VERSION)
                .put(tls == null ? PLAIN : TLS)
                .array());
    raw.getOutputStream().flush();
    Socket socket = raw;
    if (tls != null) {
      raw.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
      try {
        socket = Tls.serve(raw, tls);
      } catch (IOException e) {
        throw new HandshakeException(
            HandshakeException.Reason.PROTOCOL, "TLS handshake failed: " + e.getMessage());
      }
    }
    serveChallenge(socket, key, realm, deadline);
    return socket;
  }

  private static void serveChallenge(Socket socket, byte[] key, byte[] realm, long deadline)
      throws IOException {
    byte[] ns = nonce();
    byte[] hello =
        ByteBuffer.allocate(HELLO_SIZE).put(MAGIC).put(VERSION).put(realm).put(ns).array();
    OutputStream out = socket.getOutputStream();
    out.write(hello);
    out.flush();
    byte[] answer = readFully(socket, ANSWER_SIZE, deadline);
    checkHeader(answer, "worker");
    byte[] nc = Arrays.copyOfRange(answer, MAGIC.length + 1, MAGIC.length + 1 + NONCE);
    byte[] theirMac = Arrays.copyOfRange(answer, ANSWER_SIZE - MAC, ANSWER_SIZE);
    if (!MessageDigest.isEqual(theirMac, mac(key, WORKER_LABEL, hello, nc))) {
      out.write(new byte[PROOF_SIZE]); // status REFUSED, then zeros: same size either way
      out.flush();
      throw new HandshakeException(
          HandshakeException.Reason.WRONG_TOKEN,
          "the peer does not know the token (its handshake answer did not verify)");
    }
    out.write(
        ByteBuffer.allocate(PROOF_SIZE).put(ACCEPTED).put(mac(key, MASTER_LABEL, nc, ns)).array());
    out.flush();
  }

  /** A completed worker-side handshake: the socket to use and the master's realm. */
  public record Joined(Socket socket, byte[] realm) {}

  /**
   * Runs the worker's side on a freshly connected socket, within {@code deadlineMillis}.
   *
   * @param tls the worker's TLS context, or null to connect without TLS
   * @throws HandshakeException when the master refuses the token or cannot prove it knows it, or
   *     when one side uses TLS and the other does not
   */
  public static Joined join(Socket raw, byte[] key, long deadlineMillis, SSLContext tls)
      throws IOException {
    long deadline = System.nanoTime() + deadlineMillis * 1_000_000L;
    byte[] preamble = readFully(raw, PREAMBLE_SIZE, deadline);
    checkHeader(preamble, "master");
    boolean masterTls = preamble[PREAMBLE_SIZE - 1] == TLS;
    if (masterTls != (tls != null)) {
      throw new HandshakeException(
          HandshakeException.Reason.TLS_MISMATCH,
          masterTls
              ? "the master uses TLS: start this worker with --tls (and --tls-truststore)"
              : "the master does not use TLS: start this worker without --tls, or the master"
                  + " with --tls");
    }
    Socket socket = raw;
    if (tls != null) {
      raw.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
      try {
        socket = Tls.join(raw, tls);
      } catch (javax.net.ssl.SSLHandshakeException e) {
        throw new HandshakeException(
            HandshakeException.Reason.MASTER_NOT_AUTHENTIC,
            "the master's TLS certificate is not the one in --tls-truststore ("
                + e.getMessage()
                + ")");
      }
    }
    return new Joined(socket, joinChallenge(socket, key, deadline));
  }

  private static byte[] joinChallenge(Socket socket, byte[] key, long deadline) throws IOException {
    byte[] hello = readFully(socket, HELLO_SIZE, deadline);
    checkHeader(hello, "master");
    byte[] realm = Arrays.copyOfRange(hello, MAGIC.length + 1, MAGIC.length + 1 + REALM);
    byte[] ns = Arrays.copyOfRange(hello, HELLO_SIZE - NONCE, HELLO_SIZE);
    byte[] nc = nonce();
    OutputStream out = socket.getOutputStream();
    out.write(
        ByteBuffer.allocate(ANSWER_SIZE)
            .put(MAGIC)
            .put(VERSION)
            .put(nc)
            .put(mac(key, WORKER_LABEL, hello, nc))
            .array());
    out.flush();
    byte[] proof = readFully(socket, PROOF_SIZE, deadline);
    if (proof[0] != ACCEPTED) {
      throw new HandshakeException(
          HandshakeException.Reason.WRONG_TOKEN, "the master refused our token");
    }
    byte[] theirMac = Arrays.copyOfRange(proof, 1, PROOF_SIZE);
    if (!MessageDigest.isEqual(theirMac, mac(key, MASTER_LABEL, nc, ns))) {
      throw new HandshakeException(
          HandshakeException.Reason.MASTER_NOT_AUTHENTIC,
          "the peer accepted our handshake but could not prove it knows the token;"
              + " it is not a genuine rmiq master for this token");
    }
    return realm;
  }

  /** A new random realm id for a master instance. */
  public static byte[] newRealm() {
    byte[] realm = new byte[REALM];
    random.nextBytes(realm);
    return realm;
  }

  private static void checkHeader(byte[] frame, String peer) throws HandshakeException {
    if (!Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new HandshakeException(
          HandshakeException.Reason.PROTOCOL,
          "the " + peer + " does not speak rmiq (no RMIQ greeting); is this the right port?");
    }
    if (frame[MAGIC.length] != VERSION) {
      throw new HandshakeException(
          HandshakeException.Reason.PROTOCOL,
          "the "
              + peer
              + " speaks rmiq handshake version "
              + frame[MAGIC.length]
              + ", we speak "
              + VERSION
              + "; run the same rmiq version on both sides");
    }
  }

  /** Reads exactly {@code size} bytes or fails at the deadline, however slowly they trickle. */
  static byte[] readFully(Socket socket, int size, long deadlineNanos) throws IOException {
    byte[] frame = new byte[size];
    InputStream in = socket.getInputStream();
    int originalTimeout = socket.getSoTimeout();
    try {
      for (int read = 0; read < size; ) {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new HandshakeException(
              HandshakeException.Reason.TIMEOUT,
              "handshake not completed in time (" + read + " of " + size + " bytes arrived)");
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        int n;
        try {
          n = in.read(frame, read, size - read);
        } catch (SocketTimeoutException e) {
          continue; // the loop reports the deadline
        }
        if (n < 0) {
          throw new EOFException(
              "connection closed during the rmiq handshake after "
                  + read
                  + " of "
                  + size
                  + " bytes");
        }
        read += n;
      }
      return frame;
    } finally {
      socket.setSoTimeout(originalTimeout);
    }
  }

  private static byte[] nonce() {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    return nonce;
  }

  private static byte[] mac(byte[] key, byte[] label, byte[] first, byte[] second) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(label);
      mac.update(first);
      return mac.doFinal(second);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }
}
