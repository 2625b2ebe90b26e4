package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rmiq.net.TeacherKey;

class CodeTrustTest {
  private final TeacherKey teacher = TeacherKey.generate();
  private final TeacherKey impostor = TeacherKey.generate();
  private final byte[] offer = "sha name kinds".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Test
  void aPinnedWorkerRunsOnlyWhatItsTeacherSigned() {
    CodeTrust pinned = CodeTrust.from(teacher.fingerprint().toUpperCase(java.util.Locale.ROOT));
    assertNull(pinned.refusal(teacher.publicKey(), offer, teacher.sign(offer)));
    String other = pinned.refusal(impostor.publicKey(), offer, impostor.sign(offer));
    assertTrue(other.contains("not by the teacher key this worker trusts"), other);
    String unsigned = pinned.refusal(new byte[0], offer, new byte[0]);
    assertTrue(unsigned.contains("not signed"), unsigned);
    byte[] altered = offer.clone();
    altered[0] ^= 1;
    String tampered = pinned.refusal(teacher.publicKey(), altered, teacher.sign(offer));
    assertTrue(tampered.contains("does not verify"), tampered);
  }

  @Test
  void aWorkerWithoutTheFlagRunsNothingAndPlainAcceptCodeRunsAnything() {
    assertTrue(CodeTrust.NONE.refusal(teacher.publicKey(), offer, teacher.sign(offer)) != null);
    assertNull(CodeTrust.ANY.refusal(impostor.publicKey(), offer, impostor.sign(offer)));
  }

  @Test
  void trustsAreEqualByWhetherAndWhoseCodeTheyRun() {
    // a worker's links are keyed by their trust: two workers share a link only if it is the same
    CodeTrust pinned = CodeTrust.from(teacher.fingerprint());
    assertEquals(pinned, CodeTrust.from(teacher.fingerprint().toUpperCase(java.util.Locale.ROOT)));
    assertEquals(
        pinned.hashCode(),
        CodeTrust.from(teacher.fingerprint().toUpperCase(java.util.Locale.ROOT)).hashCode());
    assertNotEquals(pinned, CodeTrust.from(impostor.fingerprint()));
    assertNotEquals(pinned, CodeTrust.ANY);
    assertNotEquals(CodeTrust.NONE, CodeTrust.ANY);
    assertEquals(CodeTrust.NONE, new CodeTrust(false, ""));
  }
}
