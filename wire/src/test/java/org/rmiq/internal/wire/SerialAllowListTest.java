package org.rmiq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
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
  void theWireRecordsPass() throws Exception {
    ResultBatch batch =
        new ResultBatch(
            "session", List.of(TaskResult.ok(1, "49", 3), TaskResult.failed(2, "boom", true, 4)));
    assertEquals(batch, read(serialize(batch), SerialAllowList.forMaster()));
    TaskBatch tasks = new TaskBatch(List.of(new Task(1, "square", "7")), MasterPhase.FINISHED);
    assertEquals(tasks, read(serialize(tasks), SerialAllowList.forWorker()));
    TaskBatch none = new TaskBatch(List.of(), MasterPhase.RUNNING);
    assertEquals(none, read(serialize(none), SerialAllowList.forMaster()));
  }

  @Test
  void resultDetailsAndFileChunksPass() throws Exception {
    for (java.util.Map<String, String> details :
        List.of(
            java.util.Map.<String, String>of(),
            java.util.Map.of("bytes", "3"),
            java.util.Map.of("bytes", "3", "sha256", "ab", "httpStatus", "200"))) {
      ResultBatch batch = new ResultBatch("s", List.of(TaskResult.ok(1, "a.jpg", details, 5)));
      assertEquals(batch, read(serialize(batch), SerialAllowList.forMaster()));
    }
    FileChunk chunk =
        new FileChunk("s", 7, "a.jpg", 0, new byte[FileChunk.MAX_BYTES], true, "0".repeat(64));
    FileChunk read = (FileChunk) read(serialize(chunk), SerialAllowList.forMaster());
    assertEquals(FileChunk.MAX_BYTES, read.data().length);
    assertEquals(chunk.sha256(), read.sha256());
  }

  @Test
  void anythingElseIsRejectedBeforeItIsBuilt() throws Exception {
    Canary.built = false;
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new Canary()), SerialAllowList.forMaster()));
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new Canary()), SerialAllowList.forWorker()));
    assertEquals(false, Canary.built);
    assertThrows(
        InvalidClassException.class,
        () -> read(serialize(new HashMap<>()), SerialAllowList.forMaster()));
  }

  @Test
  void invalidRecordsFromTheWireAreRefusedByTheirConstructor() throws Exception {
    // A task whose kind is tampered with in the stream fails the record's validation.
    byte[] bytes = serialize(new Task(1, "square", "7"));
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] tampered =
        text.replace("square", "SQUARE").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThrows(
        java.io.InvalidObjectException.class, () -> read(tampered, SerialAllowList.forMaster()));
  }

  @Test
  void workerAcceptsTheErrorsRmiReports() throws Exception {
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
