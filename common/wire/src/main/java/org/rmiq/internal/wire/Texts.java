package org.rmiq.internal.wire;

/** Checks for the short identifying texts records carry (names, hosts, ids). */
public final class Texts {
  /** The longest name, host or id a record carries. */
  public static final int MAX_SHORT = 256;

  private Texts() {}

  /** Throws unless {@code text} is 1 to {@value #MAX_SHORT} characters. */
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

  /**
   * Like {@link #checkShort}, and refuses control and format characters: names and hosts are shown
   * on terminals and in logs, where an escape sequence could redraw the screen and a line break
   * could forge a log line.
   */
  static String checkName(String what, String text) {
    checkShort(what, text);
    for (int i = 0; i < text.length(); i++) {
      if (isUnsafe(text.charAt(i))) {
        throw new IllegalArgumentException(
            what + " contains a control character (code " + (int) text.charAt(i) + ")");
      }
    }
    return text;
  }

  /** True for characters that change what a terminal shows: controls, bidi and other formats. */
  public static boolean isUnsafe(char c) {
    return c == '\t' || org.rmiq.util.Printable.isUnsafe(c);
  }
}
