package org.rmiq.master;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.FileChunk;

/**
 * The code a master offers to workers that accept code: jars by SHA-256, with the kinds they
 * provide. Immutable; each change makes a new store with a higher version, which exchanges carry so
 * workers fetch what is new.
 */
final class CodeStore {
  static final CodeStore EMPTY = new CodeStore(0, Map.of(), Map.of());

  final long version;
  private final Map<String, CodeOffer> offers;
  private final Map<String, byte[]> jars;

  private CodeStore(long version, Map<String, CodeOffer> offers, Map<String, byte[]> jars) {
    this.version = version;
    this.offers = offers;
    this.jars = jars;
  }

  /**
   * This store with {@code jar} offered too. A kind offered before by another jar is now provided
   * by this one: the newest version of a kind wins for new tasks.
   */
  CodeStore with(String name, byte[] jar, List<String> kinds) {
    String sha = Hashing.sha256().hashBytes(jar).toString();
    Map<String, CodeOffer> newOffers = new LinkedHashMap<>();
    Map<String, byte[]> newJars = new LinkedHashMap<>(jars);
    for (CodeOffer old : offers.values()) {
      List<String> left = new ArrayList<>(old.kinds());
      left.removeAll(kinds);
      if (!left.isEmpty() && !old.sha256().equals(sha)) {
        newOffers.put(old.sha256(), new CodeOffer(old.sha256(), old.name(), old.size(), left));
      } else if (!old.sha256().equals(sha)) {
        newJars.remove(old.sha256());
      }
    }
    newOffers.put(sha, new CodeOffer(sha, name, jar.length, kinds));
    newJars.put(sha, jar.clone());
    if (newOffers.size() > CodeOffer.MAX_OFFERS) {
      throw new IllegalArgumentException(
          "a master offers at most " + CodeOffer.MAX_OFFERS + " code units");
    }
    return new CodeStore(version + 1, newOffers, newJars);
  }

  List<CodeOffer> offers() {
    return List.copyOf(offers.values());
  }

  /** The SHA-256 of the jar that provides {@code kind}, or null. */
  String shaOf(String kind) {
    for (CodeOffer offer : offers.values()) {
      if (offer.kinds().contains(kind)) {
        return offer.sha256();
      }
    }
    return null;
  }

  /** Up to {@link FileChunk#MAX_BYTES} of the jar from {@code offset}, or null when unknown. */
  byte[] chunk(String sha256, long offset) {
    byte[] jar = jars.get(sha256);
    if (jar == null || offset > jar.length) {
      return null;
    }
    int from = (int) offset;
    return Arrays.copyOfRange(jar, from, Math.min(jar.length, from + FileChunk.MAX_BYTES));
  }

  long size(String sha256) {
    byte[] jar = jars.get(sha256);
    return jar == null ? -1 : jar.length;
  }
}
