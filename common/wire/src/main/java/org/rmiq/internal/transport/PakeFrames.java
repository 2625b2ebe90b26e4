package org.rmiq.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurve;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound3Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The byte form of BouncyCastle's EC J-PAKE payloads on P-256: points compressed (33 bytes, decoded
 * and checked to lie on the curve), numbers as unsigned bytes, each field with a one-byte length,
 * each frame at most {@value #MAX_FRAME} bytes. Anything else is refused as malformed before any
 * arithmetic.
 */
final class PakeFrames {
  static final ECJPAKECurve CURVE = ECJPAKECurves.NIST_P256;
  static final int MAX_FRAME = 1024;
  private static final int MAX_FIELD = 255;
  private static final Constructor<ECSchnorrZKP> ZKP = zkpConstructor();

  private PakeFrames() {}

  static void writeRound1(DataOutputStream out, ECJPAKERound1Payload p) throws IOException {
    Frame f = new Frame();
    f.text(p.getParticipantId());
    f.point(p.getGx1());
    f.point(p.getGx2());
    f.zkp(p.getKnowledgeProofForX1());
    f.zkp(p.getKnowledgeProofForX2());
    f.writeTo(out);
  }

  static ECJPAKERound1Payload readRound1(DataInputStream in) throws IOException {
    Reader r = Reader.read(in);
    ECJPAKERound1Payload p =
        new ECJPAKERound1Payload(r.text(), r.point(), r.point(), r.zkp(), r.zkp());
    r.end();
    return p;
  }

  static void writeRound2(DataOutputStream out, ECJPAKERound2Payload p) throws IOException {
    Frame f = new Frame();
    f.text(p.getParticipantId());
    f.point(p.getA());
    f.zkp(p.getKnowledgeProofForX2s());
    f.writeTo(out);
  }

  static ECJPAKERound2Payload readRound2(DataInputStream in) throws IOException {
    Reader r = Reader.read(in);
    ECJPAKERound2Payload p = new ECJPAKERound2Payload(r.text(), r.point(), r.zkp());
    r.end();
    return p;
  }

  static void writeRound3(DataOutputStream out, ECJPAKERound3Payload p) throws IOException {
    Frame f = new Frame();
    f.text(p.getParticipantId());
    f.number(p.getMacTag());
    f.writeTo(out);
  }

  static ECJPAKERound3Payload readRound3(DataInputStream in) throws IOException {
    Reader r = Reader.read(in);
    ECJPAKERound3Payload p = new ECJPAKERound3Payload(r.text(), r.signedNumber());
    r.end();
    return p;
  }

  /** Fields of one frame being written. */
  private static final class Frame {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

    void field(byte[] data) {
      if (data.length > MAX_FIELD) {
        throw new IllegalArgumentException("PAKE field of " + data.length + " bytes");
      }
      bytes.write(data.length);
      bytes.write(data, 0, data.length);
    }

    void text(String s) {
      field(s.getBytes(StandardCharsets.UTF_8));
    }

    void point(ECPoint p) {
      field(p.getEncoded(true));
    }

    void number(BigInteger n) {
      field(n.toByteArray()); // two's complement: a MAC tag may be negative
    }

    void zkp(ECSchnorrZKP zkp) {
      point(zkp.getV());
      number(zkp.getr());
    }

    void writeTo(DataOutputStream out) throws IOException {
      out.writeShort(bytes.size());
      bytes.writeTo(out);
    }
  }

  /** Fields of one received frame. */
  private static final class Reader {
    private final byte[] frame;
    private int at;

    private Reader(byte[] frame) {
      this.frame = frame;
    }

    static Reader read(DataInputStream in) throws IOException {
      int size;
      try {
        size = in.readUnsignedShort();
      } catch (EOFException e) {
        throw malformed("the connection closed in the middle of the handshake");
      }
      if (size > MAX_FRAME) {
        throw malformed("a handshake frame of " + size + " bytes (the most is " + MAX_FRAME + ")");
      }
      byte[] frame = new byte[size];
      try {
        in.readFully(frame);
      } catch (EOFException e) {
        throw malformed("the connection closed in the middle of a handshake frame");
      }
      return new Reader(frame);
    }

    private byte[] field() throws HandshakeException {
      if (at >= frame.length) {
        throw malformed("a handshake frame ends too early");
      }
      int length = frame[at++] & 0xff;
      if (at + length > frame.length) {
        throw malformed("a handshake field runs past its frame");
      }
      byte[] data = new byte[length];
      System.arraycopy(frame, at, data, 0, length);
      at += length;
      return data;
    }

    String text() throws HandshakeException {
      return new String(field(), StandardCharsets.UTF_8);
    }

    ECPoint point() throws HandshakeException {
      try {
        return CURVE.getCurve().decodePoint(field()); // checks the point lies on the curve
      } catch (IllegalArgumentException e) {
        throw malformed("a handshake frame holds no valid curve point");
      }
    }

    /** A number that must not be negative (a proof's response, mod the curve's order). */
    BigInteger number() throws HandshakeException {
      BigInteger n = signedNumber();
      if (n.signum() < 0) {
        throw malformed("a handshake frame holds a negative number");
      }
      return n;
    }

    /** Any number (BouncyCastle's MAC tags are read from bytes as signed numbers). */
    BigInteger signedNumber() throws HandshakeException {
      byte[] bytes = field();
      if (bytes.length == 0) {
        throw malformed("a handshake frame holds an empty number");
      }
      return new BigInteger(bytes);
    }

    ECSchnorrZKP zkp() throws HandshakeException {
      ECPoint v = point();
      BigInteger r = number();
      try {
        return ZKP.newInstance(v, r);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("BouncyCastle's ECSchnorrZKP cannot be built", e);
      }
    }

    void end() throws HandshakeException {
      if (at != frame.length) {
        throw malformed("a handshake frame has bytes left over");
      }
    }
  }

  private static HandshakeException malformed(String what) {
    return new HandshakeException(HandshakeException.Reason.MALFORMED, what);
  }

  /**
   * BouncyCastle builds a proof only inside its own package, so a proof received from the wire
   * needs its package-private constructor: the one reflective step in the handshake. It only
   * assembles two values that {@code validateRound*PayloadReceived} then checks.
   */
  private static Constructor<ECSchnorrZKP> zkpConstructor() {
    try {
      Constructor<ECSchnorrZKP> c =
          ECSchnorrZKP.class.getDeclaredConstructor(ECPoint.class, BigInteger.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "this BouncyCastle has no ECSchnorrZKP(ECPoint, BigInteger) constructor; rmiq's"
              + " handshake needs bcprov-jdk18on 1.87",
          e);
    }
  }

  /** Reads exactly {@code n} bytes, or fails saying the peer hung up. */
  static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] data = in.readNBytes(n);
    if (data.length != n) {
      throw malformed("the connection closed during the handshake");
    }
    return data;
  }

  static void flush(OutputStream out) throws IOException {
    out.flush();
  }
}
