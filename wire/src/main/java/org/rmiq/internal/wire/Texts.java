package org.rmiq.internal.wire;

/** Checks for the short identifying strings records carry (names, hosts, session ids). */
final class Texts {
  static final int MAX_SHORT = 256;

  private Texts() {}

  static String checkShort(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (text.length() > MAX_SHORT) {
      throw new IllegalArgumentException(
          what + " is " + text.length() + " chars; the limit is " + MAX_SHORT);
    }
    return text;
  }
}
