package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@link Packer} wrote, from a byte array whose size the allow-list has already bounded.
 * Every length and count is checked against the bytes that remain and against its field's own limit
 * before anything is allocated, so a peer's claim of a billion elements costs nothing.
 */
final class Unpacker {
  private final byte[] bytes;
  private int at;

  Unpacker(byte[] bytes) {
    this.bytes = bytes;
  }

  private void need(int n) throws InvalidObjectException {
    if (n < 0 || at + n > bytes.length) {
      throw new InvalidObjectException("a wire record ends too early");
    }
  }

  boolean bool() throws InvalidObjectException {
    need(1);
    byte b = bytes[at++];
    if (b != 0 && b != 1) {
      throw new InvalidObjectException("a wire record holds a bad flag");
    }
    return b == 1;
  }

  int i32() throws InvalidObjectException {
    need(4);
    int v =
        ((bytes[at] & 0xff) << 24)
            | ((bytes[at + 1] & 0xff) << 16)
            | ((bytes[at + 2] & 0xff) << 8)
            | (bytes[at + 3] & 0xff);
    at += 4;
    return v;
  }

  long i64() throws InvalidObjectException {
    long high = i32() & 0xffffffffL;
    return (high << 32) | (i32() & 0xffffffffL);
  }

  double f64() throws InvalidObjectException {
    return Double.longBitsToDouble(i64());
  }

  /** A text of at most {@code maxChars} characters (counted in UTF-8 bytes, 4 per char). */
  String text(int maxChars) throws InvalidObjectException {
    byte[] utf8 = blob((long) maxChars * 4 > Integer.MAX_VALUE ? Integer.MAX_VALUE : maxChars * 4);
    if (utf8 == null) {
      return null;
    }
    String s = new String(utf8, StandardCharsets.UTF_8);
    if (s.length() > maxChars) {
      throw new InvalidObjectException(
          "a text of " + s.length() + " characters; the limit is " + maxChars);
    }
    return s;
  }

  /** Bytes, at most {@code max}, or null. */
  byte[] blob(int max) throws InvalidObjectException {
    int length = i32();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > max) {
      throw new InvalidObjectException("a field of " + length + " bytes; the limit is " + max);
    }
    need(length);
    byte[] data = new byte[length];
    System.arraycopy(bytes, at, data, 0, length);
    at += length;
    return data;
  }

  /** A list size, checked against {@code max} and against the bytes left (one each at least). */
  int count(int max) throws InvalidObjectException {
    int n = i32();
    if (n < 0 || n > max || n > bytes.length - at) {
      throw new InvalidObjectException("a list of " + n + " items; the limit is " + max);
    }
    return n;
  }

  List<String> texts(int maxItems, int maxChars) throws InvalidObjectException {
    int n = count(maxItems);
    List<String> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(text(maxChars));
    }
    return list;
  }

  List<Long> longs(int maxItems) throws InvalidObjectException {
    int n = count(maxItems);
    List<Long> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i64());
    }
    return list;
  }

  /** A list written by {@link Packer#textsOrNull}, or null. */
  List<String> textsOrNull(int maxItems, int maxChars) throws InvalidObjectException {
    int n = i32();
    if (n == -1) {
      return null;
    }
    at -= 4;
    return texts(maxItems, maxChars);
  }

  Map<String, String> textMap(int maxItems, int maxChars) throws InvalidObjectException {
    int n = count(maxItems);
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(text(64), text(maxChars));
    }
    return map;
  }

  /** A list of records, each read by {@code read}. */
  <T> List<T> list(int maxItems, Reader<T> read) throws InvalidObjectException {
    int n = count(maxItems);
    List<T> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(read.read(this));
    }
    return list;
  }

  /** Reads one item. */
  interface Reader<T> {
    T read(Unpacker in) throws InvalidObjectException;
  }

  /** Fails unless every byte was read. */
  void end() throws InvalidObjectException {
    if (at != bytes.length) {
      throw new InvalidObjectException(
          "a wire record has " + (bytes.length - at) + " bytes too many");
    }
  }
}
