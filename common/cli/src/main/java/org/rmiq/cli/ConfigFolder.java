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
    return xdg(env, "XDG_CONFIG_HOME", ".config");
  }

  /**
   * {@code $VARIABLE/rmiq}, else {@code $HOME/DOT_FOLDER/rmiq}, else under the JVM's {@code
   * user.home}: the XDG base-directory rule, for the config folder and the cache (ClassDataCache).
   */
  static Path xdg(Map<String, String> env, String variable, String dotFolder) {
    String given = env.get(variable);
    if (given != null && !given.isBlank()) {
      return Path.of(given).resolve("rmiq");
    }
    String home = env.get("HOME");
    Path base =
        home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(dotFolder).resolve("rmiq");
  }
}
