package org.rmiq.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of rmiq this JVM runs, as the build wrote it. */
public final class RmiqVersion {
  private static final String VERSION = read();

  private RmiqVersion() {}

  /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the build's note is missing. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = RmiqVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
