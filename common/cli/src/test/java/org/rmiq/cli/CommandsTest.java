package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandsTest {
  @Command(name = "run-master.sh", mixinStandardHelpOptions = true)
  static final class Sample implements Runnable {
    @Option(names = "--port")
    int port;

    @Option(names = "--print-results")
    boolean printResults;

    @Option(names = "--timeout")
    String timeout;

    @Override
    public void run() {}
  }

  @Test
  void aMisspelledOptionSuggestsTheNearestOne() {
    CommandLine line = Commands.of(new Sample());
    assertEquals(List.of("--port"), Commands.nearest("--prot", line));
    assertEquals(List.of("--timeout"), Commands.nearest("--timeuot", line));
    assertEquals(List.of("--print-results"), Commands.nearest("--print", line));
  }

  @Test
  void aMistakeIsOneLineAndAPointerToHelpNotTheWholeUsage() {
    StringWriter err = new StringWriter();
    CommandLine line = Commands.of(new Sample()).setErr(new PrintWriter(err));
    int code = line.execute("--prot", "5");
    assertEquals(2, code);
    List<String> lines = err.toString().lines().toList();
    assertEquals(3, lines.size(), err.toString());
    assertTrue(lines.get(0).startsWith("run-master: Unknown option"), lines.get(0));
    assertEquals("run-master: did you mean --port?", lines.get(1));
    assertEquals("run-master: see run-master.sh --help for every option", lines.get(2));
  }
}
