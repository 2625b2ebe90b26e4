package org.rmiq.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a wire record's fields into one byte array: numbers big-endian, texts as UTF-8 with their
 * length first, lists with their size first. {@link Unpacker} reads them back with a bound on every
 * size before anything is allocated.
 */
final class Packer {
  private byte[] bytes = new byte[256];
  private int size;

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
    room(4);
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
    return this;
  }

  Packer i64(long v) {
    i32((int) (v >>> 32));
    return i32((int) v);
  }

  Packer f64(double v) {
    return i64(Double.doubleToLongBits(v));
  }

  /** A text, or null (length -1). */
  Packer text(String s) {
    if (s == null) {
      return i32(-1);
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return blob(utf8);
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

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }
}
