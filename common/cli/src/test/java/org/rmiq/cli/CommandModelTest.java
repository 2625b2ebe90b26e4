package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Command models built in code: values land in the fields, defaults apply, help comes last. */
class CommandModelTest {
  static final class Sample implements Callable<Integer> {
    final MasterAccess access = new MasterAccess();
    Integer threads;
    Duration grace;
    int downloads = 8;
    boolean quiet;
    List<String> words = new ArrayList<>();
    int calls;

    CommandSpec model() {
      CommandSpec spec =
          CommandModel.command(
              this, "run-sample.sh", List.of("Does samples.", ""), List.of("", "Bye."));
      access.addTo(spec);
      spec.addPositional(
          CommandModel.words(() -> words, v -> words = v).index("1..*").arity("0..1").build());
      spec.addOption(
          CommandModel.option(Integer.class, v -> threads = v, "--threads")
              .paramLabel("N")
              .description("Threads.")
              .build());
      spec.addOption(
          CommandModel.option(Duration.class, v -> grace = v, "--grace")
              .defaultValue("10s")
              .converters(new DurationConverter())
              .description("Grace. Default: ${DEFAULT-VALUE}.")
              .build());
      spec.addOption(CommandModel.option(int.class, v -> downloads = v, "--downloads").build());
      spec.addOption(CommandModel.flag(v -> quiet = v, "-q", "--quiet").build());
      return spec;
    }

    @Override
    public Integer call() {
      calls++;
      return 0;
    }
  }

  @Test
  void valuesLandInTheFieldsAndDefaultsApply() {
    Sample sample = new Sample();
    int code =
        Commands.of(sample.model())
            .execute("h:5000", "square", "1..3", "--threads", "4", "-q", "--grace", "2s");
    assertEquals(0, code);
    assertEquals(1, sample.calls);
    assertEquals("h:5000", sample.access.address);
    assertEquals(List.of("square", "1..3"), sample.words);
    assertEquals(4, sample.threads);
    assertEquals(Duration.ofSeconds(2), sample.grace);
    assertTrue(sample.quiet);
    assertEquals(8, sample.downloads, "a field keeps its own initial value");
  }

  @Test
  void unsetOptionsKeepTheirFieldsOrTheirDefaultValue() {
    Sample sample = new Sample();
    Commands.of(sample.model()).execute();
    assertNull(sample.threads);
    assertNull(sample.access.address);
    assertEquals(Duration.ofSeconds(10), sample.grace);
    assertFalse(sample.quiet);
    assertEquals(List.of(), sample.words);
  }

  @Test
  void aBadValueIsAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    Sample sample = new Sample();
    int code = Commands.of(sample.model()).setErr(new PrintWriter(err)).execute("--grace", "soon");
    assertEquals(Commands.USAGE, code);
    assertTrue(err.toString().contains("--grace"), err.toString());
    assertEquals(0, sample.calls);
  }

  @Test
  void theHelpListsTheOptionsInOrderThenHelpAndVersion() {
    StringWriter out = new StringWriter();
    CommandLine line = Commands.of(new Sample().model()).setOut(new PrintWriter(out));
    assertEquals(
        List.of(
            "--token-file",
            "--insecure-plaintext",
            "--threads",
            "--grace",
            "--downloads",
            "--quiet",
            "--help",
            "--version"),
        line.getCommandSpec().options().stream().map(OptionSpec::longestName).toList());
    assertEquals(0, line.execute("--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: run-sample.sh"), help);
    assertTrue(help.contains("Grace. Default: 10s."), help);
    assertTrue(help.strip().endsWith("Bye."), help);
    out.getBuffer().setLength(0);
    assertEquals(0, line.execute("-V"));
    assertTrue(out.toString().startsWith("rmiq "), out.toString());
  }

  @Test
  void anAnnotatedCommandWithItsOwnHelpOptionsKeepsThem() {
    @CommandLine.Command(name = "x", mixinStandardHelpOptions = true)
    final class Annotated implements Runnable {
      @Override
      public void run() {}
    }
    CommandLine line = Commands.of(new Annotated());
    assertEquals(1, line.getCommandSpec().options().stream().filter(OptionSpec::usageHelp).count());
    assertThrows(CommandLine.ParameterException.class, () -> line.parseArgs("--nope"));
  }
}
