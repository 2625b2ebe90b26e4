package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A unit of code the master offers to workers that accept code: a jar, named by the SHA-256 of its
 * bytes, and the task kinds it provides.
 *
 * @param sha256 the jar's SHA-256 in lower-case hex; the worker checks the bytes it fetched
 * @param name a name for people (the plugin jar's file name, or the compiled class's)
 * @param size the jar's size in bytes
 * @param kinds the task kinds its handlers provide
 * @param publicKey the teacher's Ed25519 public key (X.509) that signed it, or empty when unsigned
 * @param signature the signature of {@link #signed} by that key, or empty
 */
public record CodeOffer(
    String sha256, String name, long size, List<String> kinds, byte[] publicKey, byte[] signature) {
  /** The most code units a master offers. */
  public static final int MAX_OFFERS = 64;

  /** The largest jar offered. */
  public static final long MAX_SIZE = 64L << 20;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public CodeOffer {
    checkSha256(sha256);
    Texts.checkName("code name", name);
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("a code unit of " + size + " bytes");
    }
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty() || kinds.size() > SessionRequest.MAX_KINDS) {
      throw new IllegalArgumentException(
          "a code unit provides 1.." + SessionRequest.MAX_KINDS + " kinds");
    }
    kinds.forEach(Task::checkKind);
    if (publicKey == null
        || signature == null
        || publicKey.length > 128
        || signature.length > 128) {
      throw new IllegalArgumentException("a code offer's key and signature of up to 128 bytes");
    }
  }

  /** An offer nobody signed (a master without a teacher key, e.g. a library's). */
  public static CodeOffer unsigned(String sha256, String name, long size, List<String> kinds) {
    return new CodeOffer(sha256, name, size, kinds, new byte[0], new byte[0]);
  }

  /**
   * What the teacher's key signs: the jar's SHA-256, its name and the kinds it may provide, so a
   * signed jar cannot be offered for other kinds (a built-in one, say).
   */
  public byte[] signed() {
    return ("rmiq code offer 1\n" + sha256 + "\n" + name + "\n" + String.join(",", kinds))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodeOffer c
        && sha256.equals(c.sha256)
        && name.equals(c.name)
        && size == c.size
        && kinds.equals(c.kinds)
        && java.util.Arrays.equals(publicKey, c.publicKey)
        && java.util.Arrays.equals(signature, c.signature);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(sha256, name, size, kinds) * 31
        + java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "CodeOffer["
        + name
        + ", "
        + sha256
        + ", "
        + kinds
        + (isSigned() ? ", signed" : "")
        + "]";
  }

  /** Whether it is signed at all (a signature is checked by the worker against its pin). */
  public boolean isSigned() {
    return signature.length > 0;
  }

  static boolean isSha256(String text) {
    return text != null && SHA256.matcher(text).matches();
  }

  static String checkSha256(String text) {
    if (!isSha256(text)) {
      throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + text);
    }
    return text;
  }

  void write(Packer out) {
    out.text(sha256).text(name).i64(size).texts(kinds).blob(publicKey).blob(signature);
  }

  static CodeOffer read(Unpacker in) throws InvalidObjectException {
    return new CodeOffer(
        in.text(64),
        in.text(Texts.MAX_SHORT),
        in.i64(),
        in.texts(SessionRequest.MAX_KINDS, 32),
        in.blob(128),
        in.blob(128));
  }
}
