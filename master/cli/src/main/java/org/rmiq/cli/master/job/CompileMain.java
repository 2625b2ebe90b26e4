package org.rmiq.cli.master.job;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM {@link ChildCompiler} starts: reads a one-file kind's source from stdin, compiles
 * it with {@link OneFileCompiler} and writes the jar (exit 0) or javac's errors (exit 2) to stdout.
 * Its own heap limit and the parent's timeout bound what a hostile source can make javac spend.
 */
public final class CompileMain {
  static final int OK = 0;
  static final int REFUSED = 2;

  private CompileMain() {}

  /**
   * Compiles the source on stdin.
   *
   * @param args the file's name as the user typed it
   */
  public static void main(String[] args) throws IOException {
    byte[] source = System.in.readNBytes(OneFileCompiler.MAX_SOURCE_BYTES + 1);
    PrintStream stdout = System.out;
    System.setOut(System.err); // javac and anything else print nothing into the answer
    OneFileCompiler.Compiled compiled;
    try {
      compiled = OneFileCompiler.compile(args[0], source);
    } catch (IllegalArgumentException e) {
      stdout.write(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
      stdout.flush();
      System.exit(REFUSED);
      return;
    }
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stdout));
    out.writeUTF(compiled.kind());
    out.writeUTF(compiled.className());
    out.writeInt(compiled.jar().length);
    out.write(compiled.jar());
    out.flush();
    System.exit(OK);
  }
}
