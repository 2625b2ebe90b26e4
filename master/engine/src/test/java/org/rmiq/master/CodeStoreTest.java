package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.net.TeacherKey;

class CodeStoreTest {
  private final TeacherKey teacher = TeacherKey.generate();
  private final byte[] jar = {1, 2, 3};

  @Test
  void aBuiltInKindCanNeverBeShipped() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CodeStore.EMPTY.with(
                    "Square.jar", jar, List.of("square"), teacher, false, id -> true));
    assertTrue(e.getMessage().contains("built-in kind"), e.getMessage());
  }

  @Test
  void offersAreSignedWithTheTeacherKeyOverTheirShaNameAndKinds() {
    CodeOffer offer =
        CodeStore.EMPTY
            .with("Collatz.jar", jar, List.of("collatz"), teacher, false, id -> true)
            .offers()
            .get(0);
    assertArrayEquals(teacher.publicKey(), offer.publicKey());
    assertTrue(TeacherKey.verify(offer.publicKey(), offer.signed(), offer.signature()));
    CodeOffer forOtherKinds =
        new CodeOffer(
            offer.sha256(),
            offer.name(),
            offer.size(),
            List.of("square"),
            offer.publicKey(),
            offer.signature());
    assertTrue(
        !TeacherKey.verify(
            forOtherKinds.publicKey(), forOtherKinds.signed(), forOtherKinds.signature()),
        "a signature made for one kind verified for another");
  }

  @Test
  void aKindHeldByALiveJobIsNotReplacedAndOneOfAnEndedJobIs() {
    CodeStore offered =
        CodeStore.EMPTY.with("Collatz.jar", jar, List.of("collatz"), teacher, false, id -> true);
    CodeStore first = offered.use(offered.offers().get(0).sha256(), 7);
    byte[] other = {9, 9};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                first.with(
                    "Collatz.jar", other, List.of("collatz"), teacher, false, id -> id == 7));
    assertTrue(e.getMessage().contains("still under way"), e.getMessage());
    CodeStore replaced =
        first.with("Collatz.jar", other, List.of("collatz"), teacher, false, id -> false);
    assertEquals(1, replaced.offers().size());
    assertEquals(2, replaced.offers().get(0).size());
  }
}
