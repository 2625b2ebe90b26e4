package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The join lines for the shells that cannot run on this CI (PowerShell, cmd), checked for the exact
 * URL, hash and quoting; the bash line runs end to end in {@code JoinPageIT}.
 */
class JoinLinesTest {
  private static final String SHA = "ab".repeat(32);
  private final JoinLines lines =
      new JoinLines("http://192.168.1.20:8080", "192.168.1.20:5000", SHA);

  @Test
  void theUnixLineDownloadsChecksThenStartsTheWorker() {
    assertEquals(
        "curl -fsSLo rmiq-worker.jar http://192.168.1.20:8080/rmiq-worker.jar && echo '"
            + SHA
            + "  rmiq-worker.jar' | (sha256sum -c --quiet - 2>/dev/null || shasum -a 256 -c -)"
            + " && java -jar rmiq-worker.jar 192.168.1.20:5000 --name \"${USER:-student}\"",
        lines.unix());
  }

  @Test
  void thePowerShellLineComparesGetFileHashBeforeStartingJava() {
    String line = lines.powershell();
    assertTrue(
        line.startsWith(
            "Invoke-WebRequest -UseBasicParsing -OutFile rmiq-worker.jar"
                + " http://192.168.1.20:8080/rmiq-worker.jar; "),
        line);
    int hash =
        line.indexOf("(Get-FileHash rmiq-worker.jar -Algorithm SHA256).Hash -eq '" + SHA + "'");
    int java = line.indexOf("java -jar rmiq-worker.jar 192.168.1.20:5000 --name $env:USERNAME");
    assertTrue(hash > 0 && java > hash, "the hash is checked before java starts: " + line);
    assertEquals(
        line.chars().filter(c -> c == '{').count(), line.chars().filter(c -> c == '}').count());
    assertEquals(0, line.chars().filter(c -> c == '"').count(), "no double quotes to escape");
  }

  @Test
  void theCmdLineUsesCurlExeAndCertutilAndStartsJavaOnlyOnAMatch() {
    String line = lines.cmd();
    assertTrue(
        line.startsWith(
            "curl.exe -fsSLo rmiq-worker.jar http://192.168.1.20:8080/rmiq-worker.jar && "),
        line);
    int hash =
        line.indexOf(
            "certutil -hashfile rmiq-worker.jar SHA256 | find /i \"" + SHA + "\" >nul && ");
    int java = line.indexOf("java -jar rmiq-worker.jar 192.168.1.20:5000 --name %USERNAME%");
    assertTrue(hash > 0 && java > hash, line);
    assertEquals(2, line.chars().filter(c -> c == '"').count(), "one quoted hash only");
  }

  @Test
  void noLineCarriesTheClassCode() {
    for (String[] line : lines.all()) {
      assertFalse(line[1].contains("RMIQ_TOKEN="), line[1]);
    }
  }

  @Test
  void anythingButAPlainAddressIsRefusedSoNothingCanBeInjectedIntoAShell() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new JoinLines("http://h:8080", "h:5000; rm -rf ~", SHA));
    assertThrows(
        IllegalArgumentException.class, () -> new JoinLines("http://h:8080/$(x)", "h:5000", SHA));
    assertThrows(
        IllegalArgumentException.class, () -> new JoinLines("http://h:8080", "h:5000", "z"));
  }

  @Test
  void thePageShowsTheAddressTheJavaCheckTheHashAndThreeLines() {
    String page = new String(JoinPage.render(lines), StandardCharsets.UTF_8);
    assertTrue(page.contains("192.168.1.20:5000"));
    assertTrue(page.contains("java -version"));
    assertTrue(page.contains(SHA));
    assertEquals(3, page.split("<pre class=\"line\">", -1).length - 1);
    assertTrue(page.contains("&quot;${USER:-student}&quot;"), "escaped as HTML, shown as typed");
  }
}
