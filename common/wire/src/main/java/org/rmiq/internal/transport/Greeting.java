package org.rmiq.internal.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The six plaintext bytes each side sends first on every connection, before TLS and the PAKE.
 *
 * <pre>
 * worker → master  "RMIQ" ‖ version ‖ mode     (mode: 1 TLS, 0 plaintext)
 * master → worker  "RMIQ" ‖ version ‖ status   (1 ready, 2 busy, 3 other mode, 4 other version)
 * </pre>
 *
 * The worker speaks first, so a master never sends a byte to a peer it has blocked, and a web
 * server the worker was pointed at by mistake answers with {@code HTTP/1.1 400}, which the worker
 * recognizes and names.
 */
final class Greeting {
  static final int SIZE = 8;
  static final byte VERSION = 3;
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
    return frame(tls ? TLS : PLAINTEXT);
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
