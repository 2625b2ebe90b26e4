package org.rmiq.internal.util;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;

/**
 * File names for downloaded files that are safe to create: derived from the URL (never from the
 * server's {@code Content-Disposition}), without separators, leading dots or control characters,
 * and reserved inside their folder without following symbolic links.
 */
public final class SafeFileName {
  /** The name used when the URL gives none (e.g. {@code http://host/}). */
  public static final String FALLBACK = "download";

  /** Longest name in UTF-8 bytes, leaving room for a collision suffix within 255. */
  static final int MAX_BYTES = 200;

  private static final Set<String> WINDOWS_DEVICES =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private SafeFileName() {}

  /** The safe name for what {@code url} points to: its path's last segment, decoded. */
  public static String fromUrl(URI url) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String last = "";
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty()) {
        last = segment;
      }
    }
    return sanitize(decode(last));
  }

  /**
   * Makes {@code name} safe: every separator ({@code /}, {@code \}), control, format (e.g.
   * right-to-left override) or Windows-reserved character becomes {@code _}; leading dots and
   * spaces and trailing dots and spaces go; device names get a {@code _} prefix; long names are
   * shortened keeping the extension. Never empty, never {@code .} or {@code ..}.
   */
  public static String sanitize(String name) {
    StringBuilder safe = new StringBuilder();
    name.codePoints().forEach(c -> safe.appendCodePoint(isUnsafe(c) ? '_' : c));
    String result = strip(safe.toString());
    if (result.isEmpty()) {
      return FALLBACK;
    }
    int dot = result.indexOf('.');
    String base = (dot < 0 ? result : result.substring(0, dot)).toLowerCase(Locale.ROOT);
    if (WINDOWS_DEVICES.contains(base)) {
      result = "_" + result;
    }
    return shorten(result);
  }

  /**
   * Creates an empty file for {@code name} in {@code folder} (or {@code name-1.ext}, {@code
   * name-2.ext}… when taken) with {@code CREATE_NEW}, which never follows a symbolic link; the
   * caller then moves its finished temporary file over it.
   *
   * @param folder a real (symlink-free) folder path, see {@link Path#toRealPath}
   * @param name a name from {@link #sanitize}
   * @return the reserved file, always directly inside {@code folder}
   */
  public static Path reserve(Path folder, String name) throws IOException {
    String safe = sanitize(name);
    int dot = safe.lastIndexOf('.');
    String stem = dot > 0 ? safe.substring(0, dot) : safe;
    String extension = dot > 0 ? safe.substring(dot) : "";
    for (int i = 0; i < 10_000; i++) {
      Path candidate = folder.resolve(i == 0 ? safe : stem + "-" + i + extension).normalize();
      if (!folder.equals(candidate.getParent())) {
        throw new IOException("refusing file name '" + name + "': it leaves " + folder);
      }
      try {
        return Files.createFile(candidate);
      } catch (FileAlreadyExistsException taken) {
        // try the next suffix
      }
    }
    throw new IOException(
        "more than 10000 files named like '" + safe + "' in " + folder + "; empty the folder");
  }

  /**
   * Creates a new, empty hidden file {@code PREFIX<random>.part} in {@code folder} to receive a
   * body, with {@code CREATE_NEW} (never an existing file or link). Unlike {@code
   * Files.createTempFile}, which makes it readable by its owner only, it gets the permissions the
   * user's umask gives any new file, as a file saved by a browser or wget would.
   */
  public static Path createPartial(Path folder, String prefix) throws IOException {
    while (true) {
      Path partial =
          folder.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
      try {
        return Files.createFile(partial);
      } catch (FileAlreadyExistsException taken) {
        // astronomically rare: draw again
      }
    }
  }

  /**
   * Moves a finished temporary file (in {@code folder}) into place under a {@link #reserve}d name,
   * atomically: the file appears whole or not at all. If the move fails the reserved (empty) name
   * is removed again.
   *
   * @return the file's final path
   */
  public static Path moveInto(Path temp, Path folder, String name) throws IOException {
    Path target = reserve(folder, name);
    try {
      // Replaces only the empty file reserve() created: rename(2) does not follow links.
      return Files.move(
          temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
  }

  private static boolean isUnsafe(int c) {
    int type = Character.getType(c);
    return c == '/'
        || c == '\\'
        || c < 0x20
        || c == 0x7f
        || "<>:\"|?*".indexOf(c) >= 0
        || type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  private static String strip(String name) {
    int start = 0;
    int end = name.length();
    while (start < end
        && (name.charAt(start) == '.' || Character.isWhitespace(name.charAt(start)))) {
      start++;
    }
    while (end > start
        && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
      end--;
    }
    return name.substring(start, end);
  }

  /** Cuts the stem (keeping an extension of up to 16 chars) until the name fits MAX_BYTES. */
  private static String shorten(String name) {
    if (utf8Length(name) <= MAX_BYTES) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
    String stem = name.substring(0, name.length() - extension.length());
    while (utf8Length(stem + extension) > MAX_BYTES) {
      stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
    }
    return stem + extension;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Percent-decodes as UTF-8; a malformed escape is kept as written. */
  private static String decode(String raw) {
    byte[] out = new byte[raw.length() * 4];
    int n = 0;
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%'
          && i + 2 < raw.length()
          && Character.digit(raw.charAt(i + 1), 16) >= 0
          && Character.digit(raw.charAt(i + 2), 16) >= 0) {
        out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        i += 3;
      } else {
        int cp = raw.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, out, n, bytes.length);
        n += bytes.length;
        i += Character.charCount(cp);
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
