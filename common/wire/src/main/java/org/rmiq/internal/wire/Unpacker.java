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
  private final String[] lastRepeatable = new String[2];

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

  /** A zigzag varint that must fit an int (see {@link Packer}). */
  int i32() throws InvalidObjectException {
    long u = unsignedVarint(5);
    if ((u >>> 32) != 0) {
      throw new InvalidObjectException("a wire record holds a number too large for its field");
    }
    int z = (int) u;
    return (z >>> 1) ^ -(z & 1);
  }

  long i64() throws InvalidObjectException {
    long u = unsignedVarint(10);
    return (u >>> 1) ^ -(u & 1);
  }

  double f64() throws InvalidObjectException {
    need(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (bytes[at++] & 0xff);
    }
    return Double.longBitsToDouble(bits);
  }

  /**
   * At most {@code maxBytes} bytes of 7 bits each, low bits first, the last without its top bit.
   */
  private long unsignedVarint(int maxBytes) throws InvalidObjectException {
    long u = 0;
    for (int i = 0; i < maxBytes; i++) {
      need(1);
      byte b = bytes[at++];
      u |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) {
        return u;
      }
    }
    throw new InvalidObjectException(
        "a wire record holds a number of more than " + maxBytes + " bytes");
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

  /** A text written by {@link Packer#repeatable}. */
  String repeatable(int slot, int maxChars) throws InvalidObjectException {
    int start = at;
    if (i32() == Packer.SAME_AS_BEFORE) {
      if (lastRepeatable[slot] == null) {
        throw new InvalidObjectException("a wire record repeats a text it never sent");
      }
      return lastRepeatable[slot];
    }
    at = start;
    String s = text(maxChars);
    lastRepeatable[slot] = s;
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
    return checkCount(i32(), max);
  }

  private int checkCount(int n, int max) throws InvalidObjectException {
    if (n < 0 || n > max || n > bytes.length - at) {
      throw new InvalidObjectException("a list of " + n + " items; the limit is " + max);
    }
    return n;
  }

  List<String> texts(int maxItems, int maxChars) throws InvalidObjectException {
    return textsOf(count(maxItems), maxChars);
  }

  private List<String> textsOf(int n, int maxChars) throws InvalidObjectException {
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
    return n == -1 ? null : textsOf(checkCount(n, maxItems), maxChars);
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
