package org.rmiq.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a wire record's fields into one byte array: whole numbers as zigzag varints (7 bits a
 * byte, low bits first, so the small ids, lengths and -1 markers that fill a batch take 1 to 3
 * bytes, not 4 or 8 — a square's task and result shrink from about 80 bytes to about 40, which is
 * less to encrypt and copy), doubles as their 8 raw bytes, texts as UTF-8 with their length first,
 * lists with their size first. {@link Unpacker} reads them back with a bound on every size before
 * anything is allocated.
 */
final class Packer {
  /** Marks a text that repeats the one last written in its slot (see {@link #repeatable}). */
  static final int SAME_AS_BEFORE = -2;

  private byte[] bytes = new byte[256];
  private int size;
  private final String[] lastRepeatable = new String[2];

  private void room(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }

  Packer bool(boolean b) {
    room(1);
    bytes[size++] = (byte) (b ? 1 : 0);
    return this;
  }

  Packer i32(int v) {
    return unsignedVarint(((v << 1) ^ (v >> 31)) & 0xffffffffL);
  }

  Packer i64(long v) {
    return unsignedVarint((v << 1) ^ (v >> 63));
  }

  Packer f64(double v) {
    long bits = Double.doubleToRawLongBits(v);
    room(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (bits >>> shift);
    }
    return this;
  }

  private Packer unsignedVarint(long u) {
    room(10);
    while ((u & ~0x7fL) != 0) {
      bytes[size++] = (byte) ((u & 0x7f) | 0x80);
      u >>>= 7;
    }
    bytes[size++] = (byte) u;
    return this;
  }

  /** A text, or null (length -1). */
  Packer text(String s) {
    if (s == null) {
      return i32(-1);
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return blob(utf8);
  }

  /**
   * A text that usually repeats in a list (every task of a batch has the same kind and code): after
   * the first it takes one byte. {@code slot} (0 or 1) keeps one field's repeats apart from
   * another's.
   */
  Packer repeatable(int slot, String s) {
    if (s != null && s.equals(lastRepeatable[slot])) {
      return i32(SAME_AS_BEFORE);
    }
    lastRepeatable[slot] = s;
    return text(s);
  }

  /** Bytes, or null (length -1). */
  Packer blob(byte[] data) {
    if (data == null) {
      return i32(-1);
    }
    i32(data.length);
    room(data.length);
    System.arraycopy(data, 0, bytes, size, data.length);
    size += data.length;
    return this;
  }

  Packer texts(List<String> list) {
    i32(list.size());
    for (String s : list) {
      text(s);
    }
    return this;
  }

  Packer longs(List<Long> list) {
    i32(list.size());
    for (long v : list) {
      i64(v);
    }
    return this;
  }

  /** A list that may be null (size -1). */
  Packer textsOrNull(List<String> list) {
    return list == null ? i32(-1) : texts(list);
  }

  /** A map of texts, as its size and then key, value pairs. */
  Packer textMap(Map<String, String> map) {
    i32(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      text(e.getKey());
      text(e.getValue());
    }
    return this;
  }

  /** A list of records, each written by {@code write}. */
  <T> Packer list(List<T> list, Writer<T> write) {
    i32(list.size());
    for (T item : list) {
      write.write(item, this);
    }
    return this;
  }

  /** Writes one item. */
  interface Writer<T> {
    void write(T item, Packer out);
  }

  /** How many bytes are written so far. */
  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }
}
