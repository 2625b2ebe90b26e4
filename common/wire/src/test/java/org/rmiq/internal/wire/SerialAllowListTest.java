package org.rmiq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerialAllowListTest {
  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object read(byte[] bytes, SerialAllowList filter) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    }
  }

  @Test
  void theExchangeTravelsPackedBothWays() throws Exception {
    ExchangeRequest request =
        new ExchangeRequest(
            "link",
            List.of(
                new Slot(
                    "s1",
                    List.of(
                        TaskResult.ok(1, "49", Map.of("bytes", "3", "sha256", "ab"), 3),
                        TaskResult.failed(2, "boom", true, 4)),
                    7,
                    List.of("square", "sleep"),
                    List.of("0".repeat(64))),
                new Slot("s2", List.of(), 0)),
            1000,
            2);
    assertEquals(request, read(serialize(request), SerialAllowList.forMaster()));
    ExchangeReply reply =
        new ExchangeReply(
            MasterPhase.FINISHED,
            List.of(
                new SlotTasks(
                    "s1",
                    List.of(
                        new Task(1, "square", "7"),
                        new Task(2, "collatz", "27", "a".repeat(64), 5000)))),
            List.of("gone"),
            List.of(5L, 6L),
            3,
            List.of(CodeOffer.unsigned("b".repeat(64), "Collatz", 1200, List.of("collatz"))));
    assertEquals(reply, read(serialize(reply), SerialAllowList.forWorker()));
  }

  @Test
  void fileChunksKeepTheirBytes() throws Exception {
    FileChunk chunk =
        new FileChunk("l", "s", 7, "a.jpg", 0, new byte[FileChunk.MAX_BYTES], true, "0".repeat(64));
    FileChunk read = (FileChunk) read(serialize(chunk), SerialAllowList.forMaster());
    assertEquals(FileChunk.MAX_BYTES, read.data().length);
    assertEquals(chunk.sha256(), read.sha256());
  }

  @Test
  void collectionsAndOtherClassesAreRejectedBeforeTheyAreBuilt() throws Exception {
    Canary.built = false;
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new Canary()), SerialAllowList.forMaster()));
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new Canary()), SerialAllowList.forWorker()));
    assertFalse(Canary.built);
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new HashMap<>(Map.of("a", "b"))), SerialAllowList.forMaster()));
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new ArrayList<>(List.of("a"))), SerialAllowList.forMaster()));
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(List.of(List.of(), List.of())), SerialAllowList.forMaster()));
  }

  @Test
  void aPackedFormThatClaimsABillionItemsIsRefusedWithoutAllocatingThem() throws Exception {
    Packer out = new Packer().text("link").i32(1_000_000_000);
    Packed claim = Packed.of(Packed.EXCHANGE_REQUEST, out.toByteArray());
    // Refused by its declared size, before any item is made: a heap of 64 MiB would not hold them.
    InvalidObjectException e =
        assertThrows(
            InvalidObjectException.class,
            () -> read(serialize(claim), SerialAllowList.forMaster()));
    assertTrue(e.getMessage().contains("a list of 1000000000 items"), e.getMessage());
  }

  @Test
  void aChunkOverTheLimitIsRejectedByItsLengthAloneBeforeItIsAllocated() throws Exception {
    byte[] big = serialize(new byte[Packed.CHUNK + 1]);
    assertThrows(InvalidClassException.class, () -> read(big, SerialAllowList.forMaster()));
    byte[] many = serialize(new byte[1000][0]);
    assertThrows(InvalidClassException.class, () -> read(many, SerialAllowList.forMaster()));
  }

  @Test
  void aLargeRecordTravelsInChunksOfAtMostSixtyFourKilobytes() throws Exception {
    Packed packed = Packed.of(Packed.FILE_CHUNK, new byte[3 * Packed.CHUNK + 5]);
    assertEquals(4, packed.chunks().length);
    for (byte[] chunk : packed.chunks()) {
      assertTrue(chunk.length <= Packed.CHUNK);
    }
    assertEquals(3 * Packed.CHUNK + 5, packed.bytes().length);
  }

  @Test
  void aPackedFormWithoutChunksIsRefusedWhenItArrives() throws Exception {
    // Packed is a class (see it): what its constructor refuses, reading it must refuse too
    Packed packed = Packed.of(Packed.LEAVE, new byte[] {1});
    java.lang.reflect.Field chunks = Packed.class.getDeclaredField("chunks");
    chunks.setAccessible(true);
    chunks.set(packed, null);
    InvalidObjectException none =
        assertThrows(
            InvalidObjectException.class,
            () -> read(serialize(packed), SerialAllowList.forMaster()));
    assertTrue(none.getMessage().contains("without bytes"), none.getMessage());
    chunks.set(packed, new byte[][] {{1}, null});
    assertThrows(
        InvalidObjectException.class, () -> read(serialize(packed), SerialAllowList.forMaster()));
  }

  @Test
  void aTamperedRecordIsRefusedByItsConstructor() throws Exception {
    byte[] bytes = serialize(new LinkRequest(MasterService.PROTOCOL, "host", false, "", ""));
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] tampered =
        text.replace("host", "h\nst").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    InvalidObjectException e =
        assertThrows(
            InvalidObjectException.class, () -> read(tampered, SerialAllowList.forMaster()));
    assertTrue(e.getMessage().contains("control character"), e.getMessage());
  }

  @Test
  void workerAcceptsTheErrorsRmiReportsAndTheMasterDoesNot() throws Exception {
    var error = new java.rmi.ServerException("boom", new IllegalArgumentException("bad"));
    Object back = read(serialize(error), SerialAllowList.forWorker());
    assertEquals("bad", ((Exception) back).getCause().getMessage());
    assertThrows(
        InvalidClassException.class, () -> read(serialize(error), SerialAllowList.forMaster()));
  }

  /** Would flip {@link #built} if it were ever deserialized. */
  static final class Canary implements Serializable {
    static volatile boolean built;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      built = true;
    }
  }
}
