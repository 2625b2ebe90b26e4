package org.rmiq.master;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.Task;
import org.rmiq.net.TeacherKey;

/**
 * The code a master offers to workers that accept code: jars by SHA-256, with the kinds they
 * provide, each offer signed with the teacher's key when the master has one. Immutable; each change
 * makes a new store with a higher version, which exchanges carry so workers fetch what is new.
 *
 * <p>Rules: a built-in kind is never offered; a kind whose jar a job still uses is not replaced by
 * another jar until that job ends (its tasks run the exact code they were submitted with); a jar
 * offered for jobs is dropped when its last job ended, so shipped code never fills the master's
 * slots for good. Jars offered at start ({@code --plugins}) stay.
 */
final class CodeStore {
  static final CodeStore EMPTY = new CodeStore(0, Map.of());

  /**
   * One offered jar: the offer, its bytes, whether it stays for good ({@code --plugins}), and the
   * jobs that use it.
   */
  private record Unit(CodeOffer offer, byte[] jar, boolean permanent, Set<Long> jobs) {
    /** Whether a job that has not ended uses it, or it stays for good. */
    boolean held(LongPredicate live) {
      return permanent || jobs.stream().anyMatch(live::test);
    }
  }

  final long version;
  private final Map<String, Unit> units;

  private CodeStore(long version, Map<String, Unit> units) {
    this.version = version;
    this.units = units;
  }

  /**
   * This store with {@code jar} offered too: for good ({@code permanent}), or for the jobs that
   * will {@link #use} it. A kind that another jar provides moves to this one (that jar is dropped),
   * unless that jar is held (for good, or by a job that has not ended).
   *
   * @param key signs the offer; null offers it unsigned (a library master without a teacher key)
   * @param live whether a job (by id) has not ended yet
   * @throws IllegalArgumentException when a kind is built in or held by another jar, or every slot
   *     is held
   */
  CodeStore with(
      String name,
      byte[] jar,
      List<String> kinds,
      TeacherKey key,
      boolean permanent,
      LongPredicate live) {
    String sha = Hashing.sha256().hashBytes(jar).toString();
    Map<String, Unit> next = new LinkedHashMap<>();
    for (Unit unit : units.values()) {
      if (unit.offer().sha256().equals(sha)) {
        continue;
      }
      List<String> left = new ArrayList<>(unit.offer().kinds());
      left.removeAll(kinds);
      if (left.size() < unit.offer().kinds().size() && unit.held(live)) {
        String kind =
            unit.offer().kinds().stream().filter(kinds::contains).findFirst().orElseThrow();
        throw new IllegalArgumentException(
            "kind '"
                + kind
                + "' runs "
                + unit.offer().name()
                + (unit.permanent()
                    ? " for good (offered at start)"
                    : " for job(s) still under way")
                + "; a new version can ship once they end, or under another class name");
      }
      if (left.size() == unit.offer().kinds().size()) {
        next.put(unit.offer().sha256(), unit); // else it is dropped: its signature names them all
      }
    }
    for (String kind : kinds) {
      if (Task.BUILT_IN_KINDS.contains(kind)) {
        throw new IllegalArgumentException(
            "'" + kind + "' is a built-in kind: shipped code may not replace it; rename the class");
      }
    }
    Unit old = units.get(sha);
    CodeOffer offer = CodeOffer.unsigned(sha, name, jar.length, kinds);
    next.put(
        sha,
        new Unit(
            key == null ? offer : signed(offer, key),
            old != null ? old.jar() : jar.clone(),
            permanent || (old != null && old.permanent()),
            old != null ? old.jobs() : Set.of()));
    if (next.size() > CodeOffer.MAX_OFFERS) {
      next.values().removeIf(u -> !u.held(live) && !u.offer().sha256().equals(sha));
    }
    if (next.size() > CodeOffer.MAX_OFFERS) {
      throw new IllegalArgumentException(
          "this master offers "
              + CodeOffer.MAX_OFFERS
              + " code units already, each held by a job under way; try again when one ends");
    }
    return new CodeStore(version + 1, next);
  }

  /** This store with job {@code jobId} using the jar {@code sha256} (its tasks run that code). */
  CodeStore use(String sha256, long jobId) {
    Unit unit = units.get(sha256);
    if (unit == null || unit.jobs().contains(jobId)) {
      return this;
    }
    Set<Long> jobs = new TreeSet<>(unit.jobs());
    jobs.add(jobId);
    Map<String, Unit> next = new LinkedHashMap<>(units);
    next.put(sha256, new Unit(unit.offer(), unit.jar(), unit.permanent(), Set.copyOf(jobs)));
    return new CodeStore(version, next); // workers need not hear of it: nothing they fetch changed
  }

  /**
   * This store without the jars offered for jobs that have all ended ({@code live} says which have
   * not); itself when nothing changes.
   */
  CodeStore withoutEnded(LongPredicate live) {
    Map<String, Unit> next = new LinkedHashMap<>();
    for (Map.Entry<String, Unit> e : units.entrySet()) {
      Unit unit = e.getValue();
      if (unit.permanent() || unit.jobs().isEmpty() || unit.held(live)) {
        next.put(e.getKey(), unit);
      }
    }
    return next.size() == units.size() ? this : new CodeStore(version + 1, next);
  }

  private static CodeOffer signed(CodeOffer offer, TeacherKey key) {
    return new CodeOffer(
        offer.sha256(),
        offer.name(),
        offer.size(),
        offer.kinds(),
        key.publicKey(),
        key.sign(offer.signed()));
  }

  private Unit holderOf(String kind) {
    for (Unit unit : units.values()) {
      if (unit.offer().kinds().contains(kind)) {
        return unit;
      }
    }
    return null;
  }

  List<CodeOffer> offers() {
    return units.values().stream().map(Unit::offer).toList();
  }

  /** The SHA-256 of the jar that provides {@code kind}, or null. */
  String shaOf(String kind) {
    Unit holder = holderOf(kind);
    return holder == null ? null : holder.offer().sha256();
  }

  /** Up to {@link FileChunk#MAX_BYTES} of the jar from {@code offset}, or null when unknown. */
  byte[] chunk(String sha256, long offset) {
    Unit unit = units.get(sha256);
    if (unit == null || offset > unit.jar().length) {
      return null;
    }
    int from = (int) offset;
    return Arrays.copyOfRange(
        unit.jar(), from, Math.min(unit.jar().length, from + FileChunk.MAX_BYTES));
  }

  long size(String sha256) {
    Unit unit = units.get(sha256);
    return unit == null ? -1 : unit.jar().length;
  }
}
