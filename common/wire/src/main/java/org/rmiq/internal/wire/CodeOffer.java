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
 */
public record CodeOffer(String sha256, String name, long size, List<String> kinds) {
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
    out.text(sha256).text(name).i64(size).texts(kinds);
  }

  static CodeOffer read(Unpacker in) throws InvalidObjectException {
    return new CodeOffer(
        in.text(64), in.text(Texts.MAX_SHORT), in.i64(), in.texts(SessionRequest.MAX_KINDS, 32));
  }
}
