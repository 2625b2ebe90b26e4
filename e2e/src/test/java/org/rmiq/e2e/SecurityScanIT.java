package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * remote-method-guesser, the standard RMI attack tool, enumerates a running master and must learn
 * nothing: no registry, no bound names, no methods. Runs with {@code -Psecurity-scan}.
 */
class SecurityScanIT {
  @TempDir Path dir;

  @Test
  void rmgEnumLearnsNothingAboutAMaster() throws Exception {
    try (JvmProcess master =
        JvmProcess.start(
            "master",
            dir,
            JvmProcess.masterJar(),
            "scan-token-0123456789abcdef",
            "--port",
            "0",
            "--timeout",
            "2m",
            "square",
            "1..3")) {
      int port = master.awaitMasterPort();
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "--add-exports",
              "java.rmi/sun.rmi.server=ALL-UNNAMED",
              "--add-exports",
              "java.rmi/sun.rmi.transport=ALL-UNNAMED",
              "--add-exports",
              "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
              "--add-exports",
              "java.rmi/sun.rmi.registry=ALL-UNNAMED",
              "-cp",
              System.getProperty("java.class.path"),
              "eu.tneitzel.rmg.Starter",
              "enum",
              "127.0.0.1",
              Integer.toString(port),
              "--no-color");
      Process rmg = new ProcessBuilder(command).redirectErrorStream(true).start();
      String report = new String(rmg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(rmg.waitFor(2, TimeUnit.MINUTES), "rmg did not finish");
      System.out.println("remote-method-guesser enum said:\n" + report);
      assertFalse(report.contains("rmiq-master"), "a bound name leaked:\n" + report);
      assertFalse(report.contains("RMI registry bound names"), report);
      assertTrue(
          report.contains("no RMI endpoint") || report.contains("Cannot continue"),
          "rmg reached RMI:\n" + report);
      assertTrue(master.isAlive(), "the scan stopped the master");
    }
  }
}
