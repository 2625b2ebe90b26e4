package org.rmiq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidObjectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackerTest {
  @Test
  void numbersRoundTripAtEveryEdge() throws Exception {
    int[] ints = {0, 1, -1, 63, -64, 64, 127, 128, 300, Integer.MAX_VALUE, Integer.MIN_VALUE};
    long[] longs = {0, -1, 1L << 35, -(1L << 35), Long.MAX_VALUE, Long.MIN_VALUE};
    double[] doubles = {0.0, -0.0, 1.5, Double.NaN, Double.MAX_VALUE, Double.NEGATIVE_INFINITY};
    Packer out = new Packer();
    for (int v : ints) {
      out.i32(v);
    }
    for (long v : longs) {
      out.i64(v);
    }
    for (double v : doubles) {
      out.f64(v);
    }
    out.text(null).text("").text("héllo ✓").textsOrNull(null).textsOrNull(List.of("a", "b"));
    Unpacker in = new Unpacker(out.toByteArray());
    for (int v : ints) {
      assertEquals(v, in.i32());
    }
    for (long v : longs) {
      assertEquals(v, in.i64());
    }
    for (double v : doubles) {
      assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(in.f64()));
    }
    assertNull(in.text(10));
    assertEquals("", in.text(10));
    assertEquals("héllo ✓", in.text(10));
    assertNull(in.textsOrNull(5, 5));
    assertEquals(List.of("a", "b"), in.textsOrNull(5, 5));
    in.end();
  }

  @Test
  void smallNumbersTakeOneByteSoASquaresTaskIsSmall() {
    assertEquals(1, new Packer().i32(-1).toByteArray().length);
    assertEquals(1, new Packer().i64(63).toByteArray().length);
    assertEquals(3, new Packer().i64(1_000_000).toByteArray().length);
    Packer task = new Packer();
    new Task(999_999, "square", "999999").write(task);
    assertTrue(task.toByteArray().length <= 25, task.toByteArray().length + " bytes");
  }

  @Test
  void aBatchSendsItsKindAndCodeOnceAndReadsThemBackForEveryTask() throws Exception {
    String code = "ab".repeat(32);
    List<Task> tasks =
        List.of(
            new Task(1, "square", "1"),
            new Task(2, "square", "2"),
            new Task(3, "collatz", "3", code, 5_000),
            new Task(4, "collatz", "4", code, 5_000),
            new Task(5, "square", "5"));
    Packer out = new Packer().list(tasks, Task::write);
    int eachAlone = 1; // the list's size
    for (Task t : tasks) {
      Packer alone = new Packer();
      t.write(alone);
      eachAlone += alone.toByteArray().length;
    }
    // tasks 2 and 4 repeat their kind ("square", "collatz") and task 4 its code: one byte each in
    // place of the text and its length (one byte, two for the 64-character code)
    assertEquals(
        eachAlone - "square".length() - "collatz".length() - (code.length() + 1), out.size());
    Unpacker in = new Unpacker(out.toByteArray());
    assertEquals(tasks, in.list(10, Task::read));
    in.end();

    byte[] repeatsNothing = new Packer().i64(1).i32(Packer.SAME_AS_BEFORE).toByteArray();
    InvalidObjectException e =
        assertThrows(InvalidObjectException.class, () -> Task.read(new Unpacker(repeatsNothing)));
    assertEquals("a wire record repeats a text it never sent", e.getMessage());
  }

  @Test
  void aNumberThatNeverEndsOrOverflowsItsFieldIsRefused() {
    byte[] endless = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    InvalidObjectException e =
        assertThrows(InvalidObjectException.class, () -> new Unpacker(endless).i32());
    assertEquals("a wire record holds a number of more than 5 bytes", e.getMessage());
    byte[] tooBig = new Packer().i64(1L << 33).toByteArray();
    e = assertThrows(InvalidObjectException.class, () -> new Unpacker(tooBig).i32());
    assertEquals("a wire record holds a number too large for its field", e.getMessage());
    byte[] cut = {(byte) 0x80};
    e = assertThrows(InvalidObjectException.class, () -> new Unpacker(cut).i64());
    assertEquals("a wire record ends too early", e.getMessage());
  }
}
