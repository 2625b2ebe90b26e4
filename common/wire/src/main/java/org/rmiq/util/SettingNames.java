package org.rmiq.util;

import java.util.EnumMap;
import java.util.Map;

/**
 * How this program's users change each {@link Setting}: the library's way unless the program (one
 * of rmiq's commands) said its own, e.g. {@code --max-bytes}. Set once, at start.
 */
public final class SettingNames {
  private static volatile Map<Setting, String> names = Map.of();

  private SettingNames() {}

  /** Names settings the way this program's users change them (a command's flags). */
  public static void use(Map<Setting, String> flags) {
    names = new EnumMap<>(flags);
  }

  /** How a user of this program changes {@code setting}. */
  public static String of(Setting setting) {
    return names.getOrDefault(setting, setting.library());
  }
}
