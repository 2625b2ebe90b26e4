package org.rmiq.util;

/**
 * Makes text from peers safe to print on a terminal or in a log: control and format characters
 * (escape sequences that retitle or clear a terminal, newlines that forge log lines, bidi
 * overrides) are shown as {@code \}{@code uXXXX}, and very long text is cut.
 */
public final class Printable {
  private Printable() {}

  /** The longest text shown whole. */
  public static final int MAX_CHARS = 2_000;

  /** {@code text} with every unsafe character escaped, at most {@link #MAX_CHARS} long. */
  public static String of(String text) {
    return of(text, MAX_CHARS);
  }

  /** {@code text} with every unsafe character escaped, cut to about {@code max} characters. */
  public static String of(String text, int max) {
    if (text == null) {
      return "null";
    }
    int n = text.length();
    int safe = 0; // first, the usual case: a short text with nothing to escape, returned as it is
    while (safe < n && safe <= max && !isUnsafe(text.charAt(safe))) {
      safe++;
    }
    if (safe == n && n <= max) {
      return text;
    }
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (isUnsafe(c)) {
        if (out == null) {
          out = new StringBuilder(n + 16).append(text, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
      if (out != null ? out.length() > max : i >= max) {
        return (out != null ? out.substring(0, max) : text.substring(0, max))
            + "… ("
            + n
            + " chars)";
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Whether {@code c} must not reach a terminal or log as is: C0 and C1 controls (tab excepted),
   * DEL, Unicode format characters (bidi overrides, zero-width) and line or paragraph separators.
   */
  public static boolean isUnsafe(char c) {
    if (c >= ' ' && c < 0x7f) {
      return false; // printable ASCII, the common case: no table lookup
    }
    if (c == '\t') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
