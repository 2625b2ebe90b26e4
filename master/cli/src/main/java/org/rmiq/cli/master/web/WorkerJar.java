package org.rmiq.cli.master.web;

import com.google.common.base.Suppliers;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * This master's own worker jar, built with it and carried inside its jar, which the join page hands
 * out ({@code GET /rmiq-worker.jar}) with its SHA-256, so a student needs nothing but Java and the
 * page's one line. Its hash is computed once, when first asked for.
 */
public final class WorkerJar {
  static final String RESOURCE = "/org/rmiq/cli/master/web/worker/rmiq-worker.jar";

  /** The jar's length and SHA-256, or null when this master was built without it. */
  record Facts(long length, String sha256) {}

  private final Supplier<Facts> facts = Suppliers.memoize(WorkerJar::read);

  /** Whether this master carries its worker (a build from the repository does). */
  public boolean present() {
    return facts.get() != null;
  }

  /** The jar's SHA-256 in lower-case hex; null when absent. */
  public String sha256() {
    Facts f = facts.get();
    return f == null ? null : f.sha256();
  }

  long length() {
    Facts f = facts.get();
    return f == null ? -1 : f.length();
  }

  InputStream open() throws IOException {
    InputStream in = WorkerJar.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException("this master was built without its worker jar");
    }
    return in;
  }

  private static Facts read() {
    try (InputStream raw = WorkerJar.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        return null;
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      long length = 0;
      try (DigestInputStream in = new DigestInputStream(raw, digest)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          length += n;
        }
      }
      return new Facts(length, HexFormat.of().formatHex(digest.digest()));
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }
}
