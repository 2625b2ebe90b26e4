package org.rmiq.cli.master.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.cli.TokenSource;
import org.rmiq.net.Token;

/** The master's start-up message: where it listens and join lines that paste as they are. */
class BannerTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Banner banner(TokenSource token, String fingerprint) {
    return new Banner(
        new PrintStream(err, true, StandardCharsets.UTF_8),
        "lab.example",
        5000,
        token,
        fingerprint,
        null);
  }

  private static TokenSource classCode() {
    return new TokenSource(
        Token.of("k7xq-3m9d-2ppa-hw4c"),
        "a new class code",
        null,
        "k7xq-3m9d-2ppa-hw4c",
        List.of());
  }

  @Test
  void aClassCodeIsShownInEachJoinLineForBashTheJarAndPowerShell() {
    List<String> lines = banner(classCode(), null).joinCommands("lab.example:5000");
    assertEquals(
        List.of(
            "RMIQ_TOKEN=k7xq-3m9d-2ppa-hw4c scripts/run-worker.sh lab.example:5000   # from a copy"
                + " of rmiq",
            "RMIQ_TOKEN=k7xq-3m9d-2ppa-hw4c java -jar rmiq-worker.jar lab.example:5000   # with"
                + " the worker jar alone",
            "$env:RMIQ_TOKEN=\"k7xq-3m9d-2ppa-hw4c\"; java -jar rmiq-worker.jar lab.example:5000 "
                + "  # in Windows PowerShell"),
        lines);
  }

  @Test
  void aTokenFromTheEnvironmentIsNeverPrintedButNamed() {
    TokenSource fromEnv =
        new TokenSource(
            Token.of("a-secret-only-the-env-holds"), "RMIQ_TOKEN", null, null, List.of());
    Banner banner = banner(fromEnv, null);
    banner.print("job: square 3 number(s)", -1);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains("a-secret-only-the-env-holds"), printed);
    assertTrue(printed.contains("RMIQ_TOKEN=<your RMIQ_TOKEN> scripts/run-worker.sh"), printed);
    assertEquals(
        "RMIQ_TOKEN=<your RMIQ_TOKEN> scripts/run-worker.sh lab.example:5000",
        banner.joinCommand());
  }

  @Test
  void aTokenFileIsPassedByItsPath() {
    TokenSource file =
        new TokenSource(
            Token.of("from-a-file-token-0123"),
            "--token-file",
            Path.of("/srv/class.token"),
            null,
            List.of());
    List<String> lines = banner(file, null).joinCommands("lab.example:5000");
    assertEquals(2, lines.size());
    lines.forEach(l -> assertTrue(l.contains(" --token-file /srv/class.token"), l));
  }

  @Test
  void theBannerSaysWhatRunsWhereAndTheFingerprintAndTheStatusPage() {
    banner(classCode(), "fjnl-7luz-sekx-4gni").print("session", 8080);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("rmiq master listening on port 5000 (all interfaces); session"));
    assertTrue(printed.contains("  token: a new class code"), printed);
    assertTrue(printed.contains("--accept-code-from fjnl-7luz-sekx-4gni"), printed);
    assertTrue(printed.contains("  status page: http://lab.example:8080/"), printed);
    assertFalse(printed.contains("/join"), "no page, no join page line: " + printed);
  }

  @Test
  void withoutATeacherKeyNoFingerprintLineAndWithoutAPageNoStatusLine() {
    banner(classCode(), null).print("job: x", -1);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains("--accept-code-from"), printed);
    assertFalse(printed.contains("status page"), printed);
  }

  @Test
  void theAddressIsTheHostGivenOrOneFound() {
    assertEquals("lab.example", Banner.address("lab.example"));
    assertFalse(Banner.address(null).isBlank());
  }
}
