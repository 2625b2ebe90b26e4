package org.rmiq.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where this user's rmiq files live (the class token, the teacher key): {@code
 * $XDG_CONFIG_HOME/rmiq}, else {@code $HOME/.config/rmiq}, else the JVM's {@code user.home} (which
 * on some systems is not {@code $HOME}, so a user who sets {@code HOME} gets what they asked for).
 */
public final class ConfigFolder {
  private ConfigFolder() {}

  public static Path of(Map<String, String> env) {
    String config = env.get("XDG_CONFIG_HOME");
    if (config != null && !config.isBlank()) {
      return Path.of(config).resolve("rmiq");
    }
    String home = env.get("HOME");
    Path base =
        home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(".config").resolve("rmiq");
  }
}
