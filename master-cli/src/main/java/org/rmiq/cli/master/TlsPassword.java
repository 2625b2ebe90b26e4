package org.rmiq.cli.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** The master keystore's password: from RMIQ_TLS_PASSWORD, else from KEYSTORE.password. */
final class TlsPassword {
  static final String ENV = "RMIQ_TLS_PASSWORD";

  private TlsPassword() {}

  /**
   * @throws IllegalArgumentException naming where the password was looked for
   */
  static char[] read(Map<String, String> env, Path keystore) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.toCharArray();
    }
    Path file = Path.of(keystore + ".password");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no password for --tls-keystore "
              + keystore
              + ": set "
              + ENV
              + " or put it in "
              + file
              + " (make-tls.sh writes it there)",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
