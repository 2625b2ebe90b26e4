package org.rmiq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;

/**
 * The teacher key's file: {@code teacher-key} in this user's rmiq folder ({@link ConfigFolder}),
 * made by the first master on the teacher's machine and kept (mode 600) until {@code
 * --new-teacher-key}; never printed, never sent. {@code rmiq-submit.sh} on the same machine finds
 * it there; elsewhere it is given a copy with {@code --teacher-key-file FILE}.
 *
 * @param key the key
 * @param file where it came from
 * @param warnings things to tell the user (made just now, readable by others)
 */
public record TeacherKeyFile(TeacherKey key, Path file, List<String> warnings) {

  /** The default file: {@code $XDG_CONFIG_HOME/rmiq/teacher-key}, else under {@code ~/.config}. */
  public static Path file(Map<String, String> env) {
    return ConfigFolder.of(env).resolve("teacher-key");
  }

  /**
   * The master's key: this machine's, made now if there is none yet ({@code renew}: replaced).
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or made
   */
  public static TeacherKeyFile forMaster(Map<String, String> env, boolean renew) {
    Path file = file(env);
    try {
      List<String> warnings = new ArrayList<>();
      if (renew || !Files.exists(file)) {
        TeacherKey fresh = TeacherKey.generate();
        if (PrivateFiles.write(file, fresh.encode(), renew)) {
          warnings.add(
              (renew ? "made a new teacher key (" : "made this machine's teacher key (")
                  + file
                  + "); it lets its holder submit jobs and ship code: keep it private"
                  + (renew
                      ? "; workers started with the old --accept-code-from need the new one"
                      : ""));
          return new TeacherKeyFile(fresh, file, warnings);
        }
      }
      return read(file, "this machine's teacher key " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "this machine's teacher key "
              + file
              + " cannot be read or made ("
              + e.getMessage()
              + "); fix the file or its folder",
          e);
    }
  }

  /**
   * A submitter's key: {@code given} ({@code --teacher-key-file}), else this machine's if a master
   * made one here, else null (the submitter proves only the class code).
   *
   * @throws IllegalArgumentException naming the file when it is missing or not a teacher key
   */
  public static TeacherKeyFile forSubmitter(Map<String, String> env, Path given) {
    if (given != null) {
      return read(given, "--teacher-key-file " + given);
    }
    Path file = file(env);
    return Files.isRegularFile(file) ? read(file, "this machine's teacher key " + file) : null;
  }

  private static TeacherKeyFile read(Path file, String source) {
    try {
      TeacherKey key = TeacherKey.parse(Files.readString(file, StandardCharsets.UTF_8), source);
      List<String> warnings = new ArrayList<>();
      Token.permissionWarning(file, source).ifPresent(warnings::add);
      return new TeacherKeyFile(key, file, warnings);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          source + " does not exist; copy the teacher-key file from the master's machine", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " cannot be read: " + e.getMessage(), e);
    }
  }
}
