package org.rmiq.internal.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound3Payload;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The password-authenticated key exchange both sides run inside TLS: BouncyCastle's EC J-PAKE on
 * P-256 (RFC 8236) with its round-3 key confirmation, the token as the password.
 *
 * <pre>
 * worker → master  round 1   (participant "rmiq-worker BINDING", or "rmiq-teacher BINDING")
 * master → worker  round 1, round 2   (participant "rmiq-master BINDING")
 * worker → master  round 2, round 3 (its key confirmation)
 * master → worker  1 ‖ round 3 ‖ realm (16)    or 0 (refused) and the connection closes
 * </pre>
 *
 * BINDING is the SHA-256 of the TLS certificate the worker saw (base64url), so each side's
 * identity, which enters every zero-knowledge proof and the key confirmation, names the
 * certificate: a man in the middle with a certificate of its own is caught in round 1. A listener
 * learns nothing it could test a guessed token against; an active attacker tests one guess per
 * connection, which the master counts and answers only after its tarpit.
 *
 * <p>The client's participant name says which credential it proves: the class code ({@code
 * rmiq-worker}) or the teacher key ({@code rmiq-teacher}); the master runs the exchange with that
 * one as the password, so the connection's role ({@link PeerRole}) is proven, not claimed.
 */
final class Pake {
  static final String WORKER = "rmiq-worker ";
  static final String TEACHER = "rmiq-teacher ";
  static final String MASTER = "rmiq-master ";
  static final int REALM = 16;
  private static final int ACCEPTED = 1;
  private static final int REFUSED = 0;
  private static final SecureRandom random = new SecureRandom();

  private Pake() {}

  /**
   * The master's side. A peer that shows the wrong password for the role it names gets a refusal
   * and the exception's reason is {@link HandshakeException.Reason#WRONG_TOKEN}.
   *
   * @param teacherSecret the teacher key's secret, or null when this master takes none (a peer
   *     naming the teacher role then fails as with a wrong one)
   * @return the role the peer proved
   */
  static PeerRole serve(
      DataInputStream in,
      DataOutputStream out,
      char[] token,
      char[] teacherSecret,
      String binding,
      byte[] realm)
      throws IOException {
    ECJPAKERound1Payload theirs1 = PakeFrames.readRound1(in);
    PeerRole role =
        theirs1.getParticipantId().startsWith(TEACHER) ? PeerRole.TEACHER : PeerRole.CLASS;
    char[] password = role == PeerRole.CLASS ? token : teacherSecret;
    if (password == null) {
      password = new char[32]; // nobody's secret: the exchange runs and fails like a wrong one
      for (int i = 0; i < password.length; i++) {
        password[i] = (char) ('a' + random.nextInt(26));
      }
    }
    ECJPAKEParticipant me = participant(MASTER + binding, password);
    ECJPAKERound1Payload mine1 = me.createRound1PayloadToSend();
    PakeFrames.writeRound1(out, mine1);
    if (!theirs1.getParticipantId().equals(role.participant() + binding)) {
      out.flush(); // the worker names the interception from our round 1; nothing more for it
      throw new HandshakeException(
          HandshakeException.Reason.MASTER_NOT_AUTHENTIC,
          "the worker saw another certificate than this master's: something between them"
              + " intercepts the connection (a man in the middle)");
    }
    validate(() -> me.validateRound1PayloadReceived(theirs1));
    PakeFrames.writeRound2(out, me.createRound2PayloadToSend());
    out.flush();
    ECJPAKERound2Payload theirs2 = PakeFrames.readRound2(in);
    ECJPAKERound3Payload theirs3 = PakeFrames.readRound3(in);
    validate(() -> me.validateRound2PayloadReceived(theirs2));
    BigInteger key = me.calculateKeyingMaterial();
    ECJPAKERound3Payload mine3 = me.createRound3PayloadToSend(key);
    try {
      me.validateRound3PayloadReceived(theirs3, key);
    } catch (CryptoException e) {
      // the refusal waits out the master's tarpit, so that guessing is slow (see GuessLog)
      throw new HandshakeException(
              HandshakeException.Reason.WRONG_TOKEN,
              role == PeerRole.CLASS
                  ? "the peer does not know the token"
                  : "the peer does not know the teacher key")
          .refuseLater(
              () -> {
                out.writeByte(REFUSED);
                out.flush();
              });
    }
    out.writeByte(ACCEPTED);
    PakeFrames.writeRound3(out, mine3);
    out.write(realm);
    out.flush();
    return role;
  }

  /**
   * The worker's side.
   *
   * @return the master's realm (its public instance id, for stubs)
   */
  static byte[] join(
      DataInputStream in, DataOutputStream out, char[] password, String binding, PeerRole role)
      throws IOException {
    ECJPAKEParticipant me = participant(role.participant() + binding, password);
    PakeFrames.writeRound1(out, me.createRound1PayloadToSend());
    out.flush();
    ECJPAKERound1Payload theirs1 = PakeFrames.readRound1(in);
    if (!theirs1.getParticipantId().equals(MASTER + binding)) {
      throw new HandshakeException(
          HandshakeException.Reason.MASTER_NOT_AUTHENTIC,
          theirs1.getParticipantId().startsWith(MASTER)
              ? "the certificate this connection presented is not the master's: something"
                  + " between this worker and the master intercepts the connection (a man in the"
                  + " middle)"
              : "the peer does not identify as an rmiq master");
    }
    ECJPAKERound2Payload theirs2 = PakeFrames.readRound2(in);
    validate(() -> me.validateRound1PayloadReceived(theirs1));
    PakeFrames.writeRound2(out, me.createRound2PayloadToSend());
    validate(() -> me.validateRound2PayloadReceived(theirs2));
    BigInteger key = me.calculateKeyingMaterial();
    PakeFrames.writeRound3(out, me.createRound3PayloadToSend(key));
    out.flush();
    int status = in.read();
    if (status < 0) {
      throw new HandshakeException(
          HandshakeException.Reason.NO_CONFIRMATION,
          "the peer ended the handshake right after this client proved the token, without proving"
              + " it knows the token itself (a genuine master refuses with a word): it may be a"
              + " fake master collecting guesses at the code");
    }
    if (status != ACCEPTED) {
      throw new HandshakeException(
          status != REFUSED
              ? HandshakeException.Reason.MALFORMED
              : role == PeerRole.TEACHER
                  ? HandshakeException.Reason.WRONG_TEACHER_KEY
                  : HandshakeException.Reason.WRONG_TOKEN,
          status != REFUSED
              ? "the master closed the connection during the handshake"
              : role == PeerRole.TEACHER
                  ? "the master refused our teacher key"
                  : "the master refused our token");
    }
    ECJPAKERound3Payload theirs3 = PakeFrames.readRound3(in);
    try {
      me.validateRound3PayloadReceived(theirs3, key);
    } catch (CryptoException e) {
      throw new HandshakeException(
          HandshakeException.Reason.MASTER_NOT_AUTHENTIC,
          "the peer accepted our handshake but could not prove it knows the token; it is not a"
              + " genuine rmiq master for this token");
    }
    return PakeFrames.readExactly(in, REALM);
  }

  private static ECJPAKEParticipant participant(String id, char[] token) {
    return new ECJPAKEParticipant(id, token.clone(), PakeFrames.CURVE, new SHA256Digest(), random);
  }

  private interface Step {
    void run() throws CryptoException;
  }

  /** A failed proof or a reused value is a malformed handshake, not a wrong token. */
  private static void validate(Step step) throws HandshakeException {
    try {
      step.run();
    } catch (CryptoException | IllegalArgumentException e) {
      throw new HandshakeException(
          HandshakeException.Reason.MALFORMED,
          "the peer's handshake did not verify (" + e.getMessage() + ")");
    }
  }
}
