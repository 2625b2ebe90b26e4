package org.rmiq.internal.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * The worker's side of the handshake on a connected socket, under one deadline: the greeting, TLS
 * (unless plaintext), then the PAKE. Every failure names what the peer turned out to be.
 */
final class ClientHandshake {
  private ClientHandshake() {}

  /**
   * A completed handshake: the socket to use, the master's realm, and the address its stubs name.
   */
  record Joined(Socket socket, byte[] realm, StubAddress stubs) {}

  static Joined run(Socket raw, ClientProfile profile) throws IOException {
    String master = profile.master().toString();
    Progress progress = new Progress();
    try (Deadline deadline = Deadline.arm(raw, profile.handshakeDeadline().toMillis())) {
      try {
        return exchange(raw, profile, master, progress);
      } catch (IOException e) {
        if (!deadline.fired()) {
          throw e;
        }
        if (progress.answered == 0) {
          throw new HandshakeException(
              HandshakeException.Reason.SILENT,
              "no answer from "
                  + master
                  + " within "
                  + profile.handshakeDeadline().toSeconds()
                  + " s (timed out): it accepted the connection but did not answer rmiq's"
                  + " greeting; it is not an rmiq master (check the port in the join command the"
                  + " master printed), or the network path to it is cut",
              e);
        }
        throw new HandshakeException(
            HandshakeException.Reason.TIMEOUT,
            "the handshake with " + master + " did not finish in time",
            e);
      }
    }
  }

  /** How far the exchange got, for the deadline's message. */
  private static final class Progress {
    int answered;
  }

  private static Joined exchange(Socket raw, ClientProfile profile, String master, Progress p)
      throws IOException {
    boolean tls = !profile.plaintext();
    byte[] answer = new byte[Greeting.SIZE];
    try {
      OutputStream rawOut = raw.getOutputStream();
      rawOut.write(Greeting.hello(tls));
      rawOut.flush();
      InputStream rawIn = raw.getInputStream();
      for (int n; p.answered < Greeting.SIZE; p.answered += n) {
        n = rawIn.read(answer, p.answered, Greeting.SIZE - p.answered);
        if (n < 0) {
          break;
        }
      }
    } catch (java.net.SocketException reset) {
      if (p.answered > 0 || raw.isClosed()) {
        throw reset;
      }
      // a master that closes at once, with our greeting unread, resets the connection
    }
    if (p.answered == Greeting.SIZE
        && Greeting.isRmiq(answer)
        && Greeting.last(answer) == Greeting.OTHER_VERSION) {
      throw otherVersion(master, Greeting.version(answer), readNote(raw.getInputStream()));
    }
    checkAnswer(answer, p.answered, tls, master);
    Socket socket = raw;
    String binding = TlsChannel.PLAINTEXT_BINDING;
    if (tls) {
      SSLSocket ssl;
      try {
        ssl = TlsChannel.join(raw);
      } catch (SSLException e) {
        throw new HandshakeException(
            HandshakeException.Reason.MALFORMED,
            "TLS with the master at " + master + " failed: " + e.getMessage(),
            e);
      }
      binding = TlsChannel.peerBinding(ssl);
      socket = ssl;
    }
    DataInputStream in = new DataInputStream(socket.getInputStream());
    DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
    byte[] realm =
        profile.teacherKey() != null
            ? Pake.join(in, out, profile.teacherKey().secret(), binding, PeerRole.TEACHER)
            : Pake.join(in, out, profile.token().chars(), binding, PeerRole.CLASS);
    StubAddress stubs = StubAddress.read(in);
    // the cipher's warm-up starts once the client has joined (HandshakeWarmUp.startCipher): here
    // it competed with the rest of a worker's join, 0.14 s of CPU and ~50 ms of its wall time
    return new Joined(socket, realm, stubs);
  }

  private static void checkAnswer(byte[] answer, int length, boolean tls, String master)
      throws HandshakeException {
    if (length == 0) {
      throw new HandshakeException(
          HandshakeException.Reason.CLOSED_AT_ONCE,
          "the peer at "
              + master
              + " closed the connection without a word: it is not an rmiq master, or one that"
              + " was stopping; check the address and port in the join command the master"
              + " printed");
    }
    boolean foreign =
        length >= 4
            ? !Greeting.isRmiq(java.util.Arrays.copyOf(answer, length))
            : !startsRmiq(answer, length);
    if (foreign) {
      throw new HandshakeException(
          HandshakeException.Reason.NOT_RMIQ,
          "the peer at "
              + master
              + " is not an rmiq master: "
              + Greeting.describeForeignAnswer(answer, length));
    }
    if (length < Greeting.SIZE) {
      throw new HandshakeException(
          HandshakeException.Reason.MALFORMED,
          "the peer at " + master + " closed the connection in the middle of rmiq's greeting");
    }
    if (Greeting.version(answer) != Greeting.VERSION) {
      throw otherVersion(master, Greeting.version(answer), "");
    }
    switch (Greeting.last(answer)) {
      case Greeting.READY -> {}
      case Greeting.BUSY ->
          throw new HandshakeException(
              HandshakeException.Reason.BUSY,
              "the master at " + master + " is busy with other connections");
      case Greeting.OTHER_MODE ->
          throw new HandshakeException(
              HandshakeException.Reason.OTHER_MODE,
              tls
                  ? "the master at "
                      + master
                      + " runs without encryption: start this worker that way too ("
                      + SettingNames.of(Setting.INSECURE_PLAINTEXT)
                      + "), or the master with encryption"
                  : "the master at "
                      + master
                      + " encrypts its connections: start this worker with encryption (without "
                      + SettingNames.of(Setting.INSECURE_PLAINTEXT)
                      + ")");
      case Greeting.OTHER_VERSION -> throw otherVersion(master, Greeting.version(answer), "");
      default ->
          throw new HandshakeException(
              HandshakeException.Reason.MALFORMED,
              "the master at " + master + " answered with an unknown status");
    }
  }

  private static boolean startsRmiq(byte[] answer, int length) {
    byte[] magic = Greeting.hello(true);
    for (int i = 0; i < length; i++) {
      if (answer[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** The note after an "other version" answer: the master's version and where its worker is. */
  private static String readNote(InputStream in) {
    try {
      int high = in.read();
      int low = in.read();
      if (high < 0 || low < 0) {
        return "";
      }
      int length = Math.min((high << 8) | low, Greeting.MAX_NOTE);
      String note = new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
      return org.rmiq.util.Printable.of(note, Greeting.MAX_NOTE);
    } catch (IOException e) {
      return ""; // an older master sends no note
    }
  }

  private static HandshakeException otherVersion(String master, int version, String note) {
    return new HandshakeException(
        HandshakeException.Reason.OTHER_VERSION,
        "the master at "
            + master
            + " runs another version of rmiq (handshake "
            + version
            + ", this worker "
            + Greeting.VERSION
            + ")"
            + (note.isEmpty()
                ? "; run the same rmiq version on the master and the workers"
                : ": " + note));
  }
}
