package org.rmiq.worker;

import org.rmiq.net.TeacherKey;

/**
 * Which shipped code a worker runs: none (the default), any its master offers ({@code
 * --accept-code}: whoever holds the class code could run a master and ship code), or only code
 * signed by the teacher key whose fingerprint it was given ({@code --accept-code-from}), whoever
 * sits in the middle.
 *
 * @param accepts whether it runs shipped code at all
 * @param fingerprint the teacher key it runs code from, or empty for any
 */
record CodeTrust(boolean accepts, String fingerprint) {
  static final CodeTrust NONE = new CodeTrust(false, "");
  static final CodeTrust ANY = new CodeTrust(true, "");

  static CodeTrust from(String fingerprint) {
    return new CodeTrust(true, TeacherKey.normalizeFingerprint(fingerprint));
  }

  boolean pinned() {
    return !fingerprint.isEmpty();
  }

  // Written out rather than generated: a record's generated equals and hashCode link through
  // method handles on their first call, about 15 ms of a cold worker's join, and these are the
  // first ones a join calls (the worker's table of links; the RMI endpoint table).
  @Override
  public boolean equals(Object o) {
    return o instanceof CodeTrust other
        && accepts == other.accepts
        && fingerprint.equals(other.fingerprint);
  }

  @Override
  public int hashCode() {
    return 31 * Boolean.hashCode(accepts) + fingerprint.hashCode();
  }

  /**
   * Why this worker refuses code signed with {@code publicKey} ({@code signature} over {@code
   * signed}), or null when it runs it.
   */
  String refusal(byte[] publicKey, byte[] signed, byte[] signature) {
    if (!accepts) {
      return "this worker does not accept code";
    }
    if (!pinned()) {
      return null;
    }
    if (signature.length == 0) {
      return "it is not signed, and this worker runs only code signed by the teacher key "
          + fingerprint;
    }
    String by = TeacherKey.fingerprintOf(publicKey);
    if (!by.equals(fingerprint)) {
      return "it is signed by the key "
          + by
          + ", not by the teacher key this worker trusts ("
          + fingerprint
          + "); another master is posing as the teacher's, or the teacher made a new key";
    }
    if (!TeacherKey.verify(publicKey, signed, signature)) {
      return "its signature does not verify (altered on the way?)";
    }
    return null;
  }
}
