package org.rmiq.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.util.Durations;

class ParsingTest {
  @TempDir Path dir;

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void hostPortAcceptsNamesAddressesAndBracketedIpv6() {
    assertEquals(new HostPort("teacher-laptop", 5000), HostPort.parse("teacher-laptop:5000"));
    assertEquals(new HostPort("192.168.1.20", 5000), HostPort.parse(" 192.168.1.20:5000 "));
    assertEquals(new HostPort("::1", 5001), HostPort.parse("[::1]:5001"));
    assertEquals("[::1]:5001", HostPort.parse("[::1]:5001").toString());
  }

  @Test
  void hostPortErrorsNameTheTextAndTheExpectedForm() {
    assertEquals(
        "'not-a-host-port' has no port; expected HOST:PORT, e.g. 192.168.1.20:5000 or"
            + " teacher-laptop:5000",
        error(() -> HostPort.parse("not-a-host-port")));
    assertTrue(
        error(() -> HostPort.parse("host:99999"))
            .startsWith("'host:99999' is not a master address"));
    assertTrue(error(() -> HostPort.parse("host:0")).startsWith("'host:0' has port 0"));
    assertTrue(error(() -> HostPort.parse("")).startsWith("no master address given"));
    assertEquals(
        "'http://teacher:5000/' is a URL; give the master's address as HOST:PORT, e.g."
            + " teacher:5000 (no http://, no path)",
        error(() -> HostPort.parse("http://teacher:5000/")));
    assertTrue(error(() -> HostPort.parse("https://teacher/")).contains("e.g. teacher:5000"));
    assertTrue(
        error(() -> HostPort.parse("bad host!:5000"))
            .startsWith("'bad host!:5000' names no valid host"));
    assertEquals(
        "--port 99999 is not a TCP port: use 1..65535 (or 0 for any free port)",
        error(() -> HostPort.checkPort(99999, "--port")));
  }

  @Test
  void durationsTakeAUnit() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(
        "'10' is not a duration: write a whole number and a unit, e.g. 500ms, 10s, 2m" + " or 1h",
        error(() -> Durations.parse("10")));
    assertEquals("'0s' is zero: give a positive duration", error(() -> Durations.parse("0s")));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
  }

  @Test
  void aTokenFileNamesItselfWhenItIsMissingOrEmpty() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file-token\nsecond line ignored\n");
    assertEquals(Token.of("from-file-token"), Token.fromFile(file, "--token-file token"));
    assertEquals(
        "--token-file nope does not exist",
        error(() -> Token.fromFile(dir.resolve("nope"), "--token-file nope")));
    Files.writeString(file, "  \n");
    assertEquals(
        "--token-file token is empty; put the token in it",
        error(() -> Token.fromFile(file, "--token-file token")));
  }

  @Test
  void tokenNeverShowsItself() {
    Token token = Token.of("super-secret-value");
    assertEquals("Token[redacted]", token.toString());
    assertTrue(Token.of("lab42").isShort());
    assertTrue(!Token.of("tulip-river-mango-seven").isShort());
  }
}
