package org.rmiq.internal.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The plaintext bytes each side sends first on every connection, before TLS and the PAKE.
 *
 * <pre>
 * worker → master  "RMIQ" ‖ version ‖ mode ‖ CR LF CR LF   (mode: 1 TLS, 0 plaintext)
 * master → worker  "RMIQ" ‖ version ‖ status ‖ CR LF       (1 ready, 2 busy, 3 other mode,
 *                                                           4 other version)
 *                  [other version: ‖ length (2) ‖ a note in UTF-8: the master's version and
 *                   where its worker is downloaded]
 * </pre>
 *
 * The worker speaks first, so a master sends nothing to a peer that is not rmiq. Its greeting ends
 * with an empty line, so it is a whole (malformed) HTTP request: a web server the worker was
 * pointed at by mistake answers {@code HTTP/1.1 400} at once, which the worker recognizes and
 * names. A master reads the version (the first six bytes) before the rest, so it answers a worker
 * of another version, whatever that worker's greeting looks like after them.
 */
final class Greeting {
  /** The master's answer. */
  static final int SIZE = 8;

  /** The worker's greeting: the answer's eight bytes and an empty line. */
  static final int HELLO_SIZE = 10;

  /** The most bytes of the note after an "other version" answer. */
  static final int MAX_NOTE = 512;

  static final byte VERSION = 5;
  static final byte PLAINTEXT = 0;
  static final byte TLS = 1;
  static final byte READY = 1;
  static final byte BUSY = 2;
  static final byte OTHER_MODE = 3;
  static final byte OTHER_VERSION = 4;

  private static final byte[] MAGIC = "RMIQ".getBytes(StandardCharsets.US_ASCII);

  private Greeting() {}

  /** The worker's greeting for a connection with or without TLS. */
  static byte[] hello(boolean tls) {
    byte[] hello = Arrays.copyOf(frame(tls ? TLS : PLAINTEXT), HELLO_SIZE);
    hello[8] = '\r';
    hello[9] = '\n';
    return hello;
  }

  /** The answer to a worker of another version, with {@code note} after it. */
  static byte[] otherVersion(String note) {
    byte[] text = note.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, MAX_NOTE);
    byte[] answer = Arrays.copyOf(frame(OTHER_VERSION), SIZE + 2 + length);
    answer[SIZE] = (byte) (length >> 8);
    answer[SIZE + 1] = (byte) length;
    System.arraycopy(text, 0, answer, SIZE + 2, length);
    return answer;
  }

  /** The master's answer with {@code status}. */
  static byte[] answer(byte status) {
    return frame(status);
  }

  private static byte[] frame(byte last) {
    byte[] frame = Arrays.copyOf(MAGIC, SIZE);
    frame[4] = VERSION;
    frame[5] = last;
    frame[6] = '\r';
    frame[7] = '\n';
    return frame;
  }

  /** Whether {@code frame} starts with rmiq's magic bytes and ends with its line break. */
  static boolean isRmiq(byte[] frame) {
    return frame.length >= MAGIC.length
        && Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        && (frame.length < SIZE || (frame[6] == '\r' && frame[7] == '\n'));
  }

  /** The status byte of the master's answer, or the mode byte of the worker's hello. */
  static byte last(byte[] frame) {
    return frame[5];
  }

  static byte version(byte[] frame) {
    return frame[4];
  }

  /**
   * Why a peer that answered something other than rmiq's greeting is not a master, in words a
   * student can act on: a web server (the status page's port?), or another protocol.
   */
  static String describeForeignAnswer(byte[] received, int length) {
    String start = new String(received, 0, length, StandardCharsets.ISO_8859_1);
    if (start.startsWith("HTTP/") || start.startsWith("<")) {
      return "it answers HTTP: it is a web server, not an rmiq master (the status page's port?);"
          + " give the port in the join command the master printed";
    }
    if (start.startsWith("SSH-")) {
      return "it answers SSH, not rmiq; give the master's port";
    }
    return "it answers, but not in rmiq's protocol; check the port in the join command the"
        + " master printed";
  }
}
