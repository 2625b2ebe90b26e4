package org.rmiq.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class JavaCheckTest {
  @Test
  void readsEveryFormOfTheJavaVersion() {
    assertEquals(8, JavaCheck.major("1.8"));
    assertEquals(11, JavaCheck.major("11"));
    assertEquals(17, JavaCheck.major("17"));
    assertEquals(25, JavaCheck.major("25"));
    assertEquals(0, JavaCheck.major(""));
  }

  /** Java 8 must be able to load it, or the old Java prints a stack trace after all. */
  @Test
  void theEntryPointIsAJava8ClassFile() throws Exception {
    try (InputStream in = JavaCheck.class.getResourceAsStream("JavaCheck.class");
        DataInputStream data = new DataInputStream(in)) {
      assertEquals(0xCAFEBABE, data.readInt());
      data.readUnsignedShort(); // minor
      assertEquals(52, data.readUnsignedShort(), "the class file's major version");
    }
  }
}
