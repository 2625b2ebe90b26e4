package org.rmiq.cli.master.follow;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;

/**
 * The result lines on standard output, buffered and encoded a buffer at a time. Standard output
 * flushes at every line, which for a million results printed to a file was a million writes; a
 * {@code PrintStream} over a buffer still encoded each line on its own (8 % of the master's main
 * thread). Flushed after each batch of results, so a terminal still sees them as they come. Like a
 * {@code PrintStream}, it never throws: once the output fails (a closed pipe, {@code | head}), the
 * lines stop and the job goes on, its {@code --out} file and summary unaffected.
 */
final class ResultLines {
  private final Writer out;
  private boolean failed;

  ResultLines(OutputStream stdout) {
    Charset charset =
        Charset.forName(System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()));
    this.out = new BufferedWriter(new OutputStreamWriter(stdout, charset), 1 << 16);
  }

  void println(String line) {
    if (failed) {
      return;
    }
    try {
      out.write(line);
      out.write(System.lineSeparator());
    } catch (IOException e) {
      failed = true;
    }
  }

  void flush() {
    if (failed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      failed = true;
    }
  }
}
