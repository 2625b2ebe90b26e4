package org.rmiq.cli.master.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;

class ResultLinesTest {
  @Test
  void linesArriveAtEachFlushInOrder() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ResultLines lines = new ResultLines(stdout);
    lines.println("task 1 square 1 = 1");
    lines.println("task 2 square 2 = 4");
    assertEquals(0, stdout.size()); // buffered until the batch ends
    lines.flush();
    String n = System.lineSeparator();
    assertEquals(
        "task 1 square 1 = 1" + n + "task 2 square 2 = 4" + n,
        stdout.toString(Charset.defaultCharset()));
  }

  @Test
  void aClosedOutputStopsTheLinesWithoutAnError() {
    int[] writes = {0};
    OutputStream closedPipe =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            writes[0]++;
            throw new IOException("Broken pipe");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            writes[0]++;
            throw new IOException("Broken pipe");
          }
        };
    ResultLines lines = new ResultLines(closedPipe);
    lines.println("task 1 square 1 = 1");
    lines.flush(); // fails inside: remembered, not thrown
    lines.println("task 2 square 2 = 4");
    lines.flush();
    assertEquals(1, writes[0]);
  }
}
