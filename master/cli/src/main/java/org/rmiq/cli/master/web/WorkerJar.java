package org.rmiq.cli.master.web;

import com.google.common.base.Suppliers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * This master's own worker jar, built with it and carried inside its jar, which the join page hands
 * out ({@code GET /rmiq-worker.jar}) with its SHA-256, so a student needs nothing but Java and the
 * page's one line.
 *
 * <p>The build writes the jar's SHA-256 beside it ({@code rmiq-worker.jar.sha256}): hashing the ~12
 * MB jar here, cold in the interpreter, cost ~0.4 s of CPU and put ~0.2 s between a master's start
 * and its "listening" line. A jar without that file (a build that skipped the step) is hashed when
 * the hash is first asked for.
 */
public final class WorkerJar {
  static final String RESOURCE = "/org/rmiq/cli/master/web/worker/rmiq-worker.jar";

  static final String HASH_RESOURCE = RESOURCE + ".sha256";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** The jar's length and SHA-256, or null when this master was built without it. */
  record Facts(long length, String sha256) {}

  /** Finds a resource by its absolute name: this class's own, or a test's. */
  private final Function<String, URL> resources;

  private final Supplier<Facts> facts = Suppliers.memoize(this::read);

  /** The worker jar this master's own jar carries. */
  public WorkerJar() {
    this(WorkerJar.class::getResource);
  }

  /** The worker jar that {@code resources} finds (tests). */
  WorkerJar(Function<String, URL> resources) {
    this.resources = resources;
  }

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
    URL jar = resources.apply(RESOURCE);
    if (jar == null) {
      throw new IOException("this master was built without its worker jar");
    }
    return jar.openStream();
  }

  private Facts read() {
    URL jar = resources.apply(RESOURCE);
    if (jar == null) {
      return null;
    }
    try {
      String built = builtHash();
      if (built != null) {
        return new Facts(jar.openConnection().getContentLengthLong(), built);
      }
      return hash(jar);
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }

  /** The hash the build wrote, or null when it is missing or not a SHA-256 in hex. */
  private String builtHash() throws IOException {
    URL file = resources.apply(HASH_RESOURCE);
    if (file == null) {
      return null;
    }
    try (InputStream in = file.openStream()) {
      String text = new String(in.readNBytes(200), StandardCharsets.US_ASCII).trim();
      return SHA256_HEX.matcher(text).matches() ? text : null;
    }
  }

  private static Facts hash(URL jar) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long length = 0;
    try (InputStream raw = jar.openStream();
        DigestInputStream in = new DigestInputStream(raw, digest)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        length += n;
      }
    }
    return new Facts(length, HexFormat.of().formatHex(digest.digest()));
  }
}
